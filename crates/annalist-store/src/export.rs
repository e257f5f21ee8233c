//! Exports of the deduplicated events (one row per event):
//! - `csv`: the event columns of [`EventRow`] with the event's place (`country`,
//!   `admin1`, `lat`, `lon`, `precision`; see [`crate::geography`]) and a header;
//!   `first_seen`/`last_seen` as timestamps (`YYYY-MM-DD HH:MM:SS`);
//! - `jsonl`: one [`EventRow`] per line with its mentions (document, sentence, trigger,
//!   offsets, rule) — the links from each event to its evidence;
//! - `plover`: one PLOVER JSON record per line (field map in `docs/schema.md`);
//! - `gdelt`: GDELT 2.0 event-table TSV, its 61 columns in order, no header; geography
//!   in FIPS 10-4 codes ([`crate::geography::FipsTable`]);
//! - `geojson`: a GeoJSON FeatureCollection of the located events (Point geometry,
//!   properties = the CSV columns), written feature by feature;
//! - `parquet`: Apache Parquet (Snappy) partitioned by the month of the event date,
//!   `OUT/month=YYYY-MM/part-0.parquet` (undated events in `month=undated`), a layout
//!   DuckDB, Spark, Trino and BigQuery read as a Hive-partitioned dataset; the CSV
//!   columns typed (INT64, INT32, DATE, DOUBLE, TIMESTAMP, strings), written by
//!   `export/parquet_file.rs` in row groups of at most 8,192 events.
use crate::geography::{self, FipsTable, GdeltGeo, Place};
use crate::query::{Casualties, EventRow, Filter};
use crate::{Store, StoreError};
use rusqlite::OptionalExtension;
use std::io::Write;
use std::path::Path;

mod parquet_file;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Plover,
    Gdelt,
    GeoJson,
    Parquet,
}

/// Writes the events matching `filter` in `format`: to the file `out` (or, for Parquet,
/// into the directory `out`). Returns the number of events written.
pub fn export(
    store: &Store,
    filter: &Filter,
    format: Format,
    out: &Path,
) -> Result<u64, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        path: out.to_path_buf(),
        source: e,
    };
    if format == Format::Parquet {
        return parquet_file::export_parquet(store, filter, out);
    }
    let file = std::fs::File::create(out).map_err(io)?;
    let mut w = std::io::BufWriter::new(file);
    let n = export_to(store, filter, format, &mut w)?;
    w.flush().map_err(io)?;
    Ok(n)
}

/// Writes the events in a text format (every format but Parquet) to `w`.
pub fn export_to(
    store: &Store,
    filter: &Filter,
    format: Format,
    w: &mut dyn Write,
) -> Result<u64, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        path: "<export>".into(),
        source: e,
    };
    let mut n = 0u64;
    match format {
        Format::Csv => {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(CSV_HEADER)
                .map_err(|e| StoreError::Export(e.to_string()))?;
            store.for_each_event(filter, false, |e| {
                n += 1;
                let place = geography::place_of(store, &e)?;
                c.write_record(csv_row(&e, place.as_ref()))
                    .map_err(|e| StoreError::Export(e.to_string()))
            })?;
            c.flush().map_err(io)?;
        }
        Format::Jsonl => store.for_each_event(filter, true, |e| {
            n += 1;
            serde_json::to_writer(&mut *w, &e).map_err(|e| StoreError::Export(e.to_string()))?;
            w.write_all(b"\n").map_err(io)
        })?,
        Format::Plover => store.for_each_event(filter, true, |e| {
            n += 1;
            let names = first_mention(store, e.event)?;
            serde_json::to_writer(&mut *w, &plover(&e, &names))
                .map_err(|e| StoreError::Export(e.to_string()))?;
            w.write_all(b"\n").map_err(io)
        })?,
        Format::GeoJson => {
            // One feature a line between the collection's opening and closing lines.
            w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")
                .map_err(io)?;
            geography::for_each_located(store, filter, |e, place| {
                if n > 0 {
                    w.write_all(b",\n").map_err(io)?;
                }
                n += 1;
                serde_json::to_writer(&mut *w, &geojson_feature(&e, &place))
                    .map_err(|e| StoreError::Export(e.to_string()))
            })?;
            w.write_all(b"\n]}\n").map_err(io)?;
        }
        Format::Gdelt => store.for_each_event(filter, false, |e| {
            n += 1;
            let names = first_mention(store, e.event)?;
            let located = located_mention(store, &e)?;
            let row = gdelt_row(&e, &names, located.as_ref(), FipsTable::embedded());
            debug_assert_eq!(row.len(), GDELT_COLUMNS.len());
            w.write_all(row.join("\t").as_bytes()).map_err(io)?;
            w.write_all(b"\n").map_err(io)?;
            if e.mutual {
                // GDELT writes a symmetric event in both directions; the reverse row's
                // GLOBALEVENTID is the event's plus MUTUAL_REVERSE_ID.
                n += 1;
                let (rev, rev_names) = reversed(&e, &names);
                let rev_located = located.as_ref().map(|l| Located {
                    place: l.place.clone(),
                    source_named: l.target_named,
                    target_named: l.source_named,
                });
                let row = gdelt_row(
                    &rev,
                    &rev_names,
                    rev_located.as_ref(),
                    FipsTable::embedded(),
                );
                w.write_all(row.join("\t").as_bytes()).map_err(io)?;
                w.write_all(b"\n").map_err(io)?;
            }
            Ok(())
        })?,
        Format::Parquet => {
            return Err(StoreError::Export(
                "Parquet is written to a directory: use export()".into(),
            ))
        }
    }
    Ok(n)
}

/// The CSV columns (and the GeoJSON properties, and the Parquet columns), in order.
pub const CSV_HEADER: [&str; 36] = [
    "event_id",
    "date",
    "date_precision",
    "source_actor",
    "source_code",
    "target_actor",
    "target_code",
    "event_type",
    "cameo",
    "quad_class",
    "goldstein",
    "location",
    "country",
    "admin1",
    "lat",
    "lon",
    "precision",
    "mentions",
    "articles",
    "sources",
    "first_seen",
    "last_seen",
    "attribution",
    "reported_by_code",
    "reported_by_text",
    "confidence",
    "mode",
    "context",
    "killed",
    "killed_high",
    "injured",
    "injured_high",
    "abducted",
    "abducted_high",
    "arrested",
    "arrested_high",
];

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// A document date as a timestamp at the start of that day (`2025-03-04 00:00:00`);
/// documents carry days, no times.
fn timestamp_text(day: &Option<String>) -> String {
    match day.as_deref().map(parse_day) {
        Some(Some(d)) => d.format("%Y-%m-%d 00:00:00").to_string(),
        _ => opt(day),
    }
}

fn parse_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn csv_row(e: &EventRow, p: Option<&Place>) -> Vec<String> {
    vec![
        e.event.to_string(),
        opt(&e.date),
        opt(&e.date_precision),
        e.source_actor.clone(),
        e.source_code.clone(),
        opt(&e.target_actor),
        opt(&e.target_code),
        e.event_type.clone(),
        e.cameo.clone(),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        opt(&e.location),
        p.map(|p| p.country.clone()).unwrap_or_default(),
        p.and_then(|p| p.admin1.clone()).unwrap_or_default(),
        p.map(|p| p.lat.to_string()).unwrap_or_default(),
        p.map(|p| p.lon.to_string()).unwrap_or_default(),
        p.map(|p| p.precision.clone()).unwrap_or_default(),
        e.mentions.to_string(),
        e.articles.to_string(),
        e.sources.to_string(),
        timestamp_text(&e.first_seen),
        timestamp_text(&e.last_seen),
        e.attribution.clone(),
        opt(&e.reported_by_code),
        opt(&e.reported_by_text),
        e.confidence.map(confidence_text).unwrap_or_default(),
        opt(&e.mode),
        opt(&e.context),
    ]
    .into_iter()
    .chain(casualty_fields(&e.casualties).map(|f| f.map(|n| n.to_string()).unwrap_or_default()))
    .collect()
}

/// A confidence as written in text exports: 4 decimals at most (`0.8125`, `0.5`), so
/// the `f32` the coder computed does not show as `0.8125000476837158`.
fn confidence_text(c: f64) -> String {
    let s = format!("{c:.4}");
    let s = s.trim_end_matches('0');
    s.strip_suffix('.').unwrap_or(s).to_string()
}

/// A confidence rounded to 4 decimals (JSON and Parquet exports).
fn round_confidence(c: f64) -> f64 {
    (c * 10_000.0).round() / 10_000.0
}

/// The eight casualty columns in the CSV's order.
fn casualty_fields(c: &Casualties) -> impl Iterator<Item = Option<i64>> {
    [
        c.killed,
        c.killed_high,
        c.injured,
        c.injured_high,
        c.abducted,
        c.abducted_high,
        c.arrested,
        c.arrested_high,
    ]
    .into_iter()
}

/// A GeoJSON Feature: a Point at the place (`[lon, lat]`, RFC 7946 order), the event id
/// as the feature's id, and the CSV columns as properties, in the CSV's order, with JSON
/// types (numbers for ids, counts, Goldstein and coordinates; null for what is missing).
#[derive(serde::Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: i64,
    geometry: Point,
    properties: FeatureProperties<'a>,
}

#[derive(serde::Serialize)]
struct Point {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(serde::Serialize)]
struct FeatureProperties<'a> {
    event_id: i64,
    date: &'a Option<String>,
    date_precision: &'a Option<String>,
    source_actor: &'a str,
    source_code: &'a str,
    target_actor: &'a Option<String>,
    target_code: &'a Option<String>,
    event_type: &'a str,
    cameo: &'a str,
    quad_class: i64,
    goldstein: f64,
    location: &'a Option<String>,
    country: &'a str,
    admin1: &'a Option<String>,
    lat: f64,
    lon: f64,
    precision: &'a str,
    mentions: i64,
    articles: i64,
    sources: i64,
    first_seen: Option<String>,
    last_seen: Option<String>,
    attribution: &'a str,
    reported_by_code: &'a Option<String>,
    reported_by_text: &'a Option<String>,
    confidence: Option<f64>,
    mode: &'a Option<String>,
    context: &'a Option<String>,
    killed: Option<i64>,
    killed_high: Option<i64>,
    injured: Option<i64>,
    injured_high: Option<i64>,
    abducted: Option<i64>,
    abducted_high: Option<i64>,
    arrested: Option<i64>,
    arrested_high: Option<i64>,
}

fn geojson_feature<'a>(e: &'a EventRow, p: &'a Place) -> Feature<'a> {
    let ts = |d: &Option<String>| d.as_ref().map(|_| timestamp_text(d));
    Feature {
        kind: "Feature",
        id: e.event,
        geometry: Point {
            kind: "Point",
            coordinates: [p.lon, p.lat],
        },
        properties: FeatureProperties {
            event_id: e.event,
            date: &e.date,
            date_precision: &e.date_precision,
            source_actor: &e.source_actor,
            source_code: &e.source_code,
            target_actor: &e.target_actor,
            target_code: &e.target_code,
            event_type: &e.event_type,
            cameo: &e.cameo,
            quad_class: e.quad_class,
            goldstein: e.goldstein,
            location: &e.location,
            country: &p.country,
            admin1: &p.admin1,
            lat: p.lat,
            lon: p.lon,
            precision: &p.precision,
            mentions: e.mentions,
            articles: e.articles,
            sources: e.sources,
            first_seen: ts(&e.first_seen),
            last_seen: ts(&e.last_seen),
            attribution: &e.attribution,
            reported_by_code: &e.reported_by_code,
            reported_by_text: &e.reported_by_text,
            confidence: e.confidence.map(round_confidence),
            mode: &e.mode,
            context: &e.context,
            killed: e.casualties.killed,
            killed_high: e.casualties.killed_high,
            injured: e.casualties.injured,
            injured_high: e.casualties.injured_high,
            abducted: e.casualties.abducted,
            abducted_high: e.casualties.abducted_high,
            arrested: e.casualties.arrested,
            arrested_high: e.casualties.arrested_high,
        },
    }
}

/// What the first mention of an event says beyond the event row: the actors' words,
/// the document's URL and ingestion time, and the earliest sentence reporting it.
#[derive(Debug, Default, Clone)]
struct FirstMention {
    source_text: String,
    target_text: String,
    url: String,
    ingested_at: String,
    lead: bool,
    doc_id: String,
    trigger: String,
}

/// Added to a mutual event's id for its reverse-direction GDELT row.
pub const MUTUAL_REVERSE_ID: i64 = 1_000_000_000_000;

/// A mutual event seen from the other side: target and source swapped.
fn reversed(e: &EventRow, first: &FirstMention) -> (EventRow, FirstMention) {
    let mut r = e.clone();
    r.event = e.event + MUTUAL_REVERSE_ID;
    r.source_actor = e.target_actor.clone().unwrap_or_default();
    r.source_code = e.target_code.clone().unwrap_or_default();
    r.target_actor = Some(e.source_actor.clone());
    r.target_code = Some(e.source_code.clone());
    let mut f = first.clone();
    std::mem::swap(&mut f.source_text, &mut f.target_text);
    (r, f)
}

fn first_mention(store: &Store, event: i64) -> Result<FirstMention, StoreError> {
    let conn = store.connection();
    let row = conn
        .prepare_cached(
            "SELECT json_extract(m.record, '$.source.text'), json_extract(m.record, '$.target.text'),
             coalesce(d.url, ''), d.ingested_at, d.id, m.trigger,
             (SELECT min(sentence) FROM mentions WHERE event = ?1)
             FROM mentions m JOIN documents d ON d.doc = m.doc WHERE m.event = ?1 ORDER BY m.mention LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([event], |r| {
                Ok(FirstMention {
                    source_text: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    target_text: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    url: r.get(2)?,
                    ingested_at: r.get(3)?,
                    doc_id: r.get(4)?,
                    trigger: r.get(5)?,
                    lead: r.get::<_, Option<i64>>(6)? == Some(0),
                })
            })
            .optional()
        })
        .map_err(|e| store.err(e))?;
    Ok(row.unwrap_or_default())
}

/// The event's place and whether each actor's words name it (GDELT's Actor1Geo and
/// Actor2Geo): from the first mention that names the event's location.
struct Located {
    place: Place,
    source_named: bool,
    target_named: bool,
}

fn located_mention(store: &Store, e: &EventRow) -> Result<Option<Located>, StoreError> {
    let Some(key) = e.location.as_deref() else {
        return Ok(None);
    };
    let conn = store.connection();
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT doc, record FROM mentions WHERE event = ?1 AND location = ?2 ORDER BY mention LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row(rusqlite::params![e.event, key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| store.err(e))?;
    let Some((doc, json)) = row else {
        return Ok(None);
    };
    let record: annalist_model::EventRecord = serde_json::from_str(&json)
        .map_err(|err| StoreError::Export(format!("event {}: stored record: {err}", e.event)))?;
    let Some(loc) = record.location.as_ref() else {
        return Ok(None);
    };
    let named = |a: Option<&annalist_model::ActorRecord>| -> Result<bool, StoreError> {
        let Some(a) = a else { return Ok(false) };
        let overlap = a.start < loc.end && loc.start < a.end;
        let same = a.text.eq_ignore_ascii_case(&loc.text) || a.text.eq_ignore_ascii_case(&loc.name);
        // "the city of Kharkiv": the place is the actor's "of" phrase.
        let of = loc.start > a.end
            && loc.start - a.end == 4
            && gap_text(store, doc, a.end, loc.start)?.eq_ignore_ascii_case(" of ");
        Ok(overlap || same || of)
    };
    Ok(Some(Located {
        source_named: named(Some(&record.source))?,
        target_named: named(record.target.as_ref())?,
        place: Place {
            name: loc.name.clone(),
            admin1: loc.admin1.clone().filter(|s| !s.is_empty()),
            country: loc.country.clone(),
            lat: loc.lat,
            lon: loc.lon,
            precision: loc.precision.clone(),
        },
    }))
}

/// The bytes `start..end` of a stored document's text.
fn gap_text(store: &Store, doc: i64, start: usize, end: usize) -> Result<String, StoreError> {
    store
        .connection()
        .prepare_cached("SELECT substr(CAST(text AS BLOB), ?2, ?3) FROM documents WHERE doc = ?1")
        .and_then(|mut s| {
            s.query_row(
                rusqlite::params![doc, start as i64 + 1, (end - start) as i64],
                |r| r.get::<_, Vec<u8>>(0),
            )
        })
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| store.err(e))
}

/// The sector or organisation part of a CAMEO actor code (`RUSMIL` → `MIL`).
fn agent(actor: &str, code: &str) -> String {
    actor.strip_prefix(code).unwrap_or("").to_string()
}

/// A PLOVER record (field names of the PLOVER specification's event data format).
fn plover(e: &EventRow, first: &FirstMention) -> serde_json::Value {
    let target_actor = e.target_actor.clone().unwrap_or_default();
    let target_code = e.target_code.clone().unwrap_or_default();
    serde_json::json!({
        "event_id": format!("annalist-{}", e.event),
        "event_date": e.date,
        "event_type": e.event_type,
        "mode": e.mode.clone().unwrap_or_default(),
        "context": e.context.iter().collect::<Vec<_>>(),
        "source_actor": e.source_actor,
        "source_country": e.source_code,
        "source_agent": agent(&e.source_actor, &e.source_code),
        "source_text": first.source_text,
        "target_actor": target_actor,
        "target_country": target_code,
        "target_agent": agent(&target_actor, &target_code),
        "target_text": first.target_text,
        "location": e.location,
        "event_text": first.trigger,
        "story_id": first.doc_id,
        "cameo": e.cameo,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "date_precision": e.date_precision,
        "mentions": e.mentions,
        "sources": e.sources,
        "articles": e.articles,
        "story_ids": e.mention_list.iter().map(|m| m.doc_id.clone()).collect::<Vec<_>>(),
        "fatalities": e.casualties.killed,
        "attribution": e.attribution,
        "reported_by": e.reported_by_code.as_ref().or(e.reported_by_text.as_ref()),
        "confidence": e.confidence.map(round_confidence),
        "casualties": e.casualties,
    })
}

/// The GDELT 2.0 event table's columns, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Codes that are not countries (GDELT's CountryCode holds countries only).
fn country(code: &str) -> String {
    if code.len() == 3 && !matches!(code, "IGO" | "NGO" | "BUS" | "IMG" | "MNC") {
        code.to_string()
    } else {
        String::new()
    }
}

/// A GDELT 2.0 row: 61 tab-separated fields. Actor*CountryCode is the CAMEO country
/// code (3 letters, as in GDELT). Geography (`docs/schema.md`): ActionGeo is the
/// event's place; Actor1Geo/Actor2Geo the same place when that actor's words name it
/// (the actor is the town, or "the city of X"), else empty; all in GDELT's codes
/// ([`FipsTable::gdelt`]). Not applicable (left empty): ethnic and religion codes,
/// Type2/Type3, AvgTone (annalist scores no tone), ADM2 codes. Tabs and newlines in
/// names become spaces.
fn gdelt_row(
    e: &EventRow,
    first: &FirstMention,
    located: Option<&Located>,
    fips: &FipsTable,
) -> Vec<String> {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let date = e.date.as_deref().unwrap_or("");
    let (sqldate, monthyear, year, fraction) =
        match chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(d) => {
                use chrono::Datelike;
                (
                    d.format("%Y%m%d").to_string(),
                    d.format("%Y%m").to_string(),
                    d.year().to_string(),
                    // GDELT's codebook: (MONTH * 30 + DAY) / 365 with months from 0,
                    // an approximate share of the year, 0.0027 on 1 January, under 1.
                    format!(
                        "{:.4}",
                        d.year() as f64 + (d.month0() * 30 + d.day()) as f64 / 365.0
                    ),
                )
            }
            Err(_) => Default::default(),
        };
    let mut row = vec![e.event.to_string(), sqldate, monthyear, year, fraction];
    let actor = |row: &mut Vec<String>, actor: &str, code: &str, name: &str| {
        let ag = agent(actor, code);
        let is_org = matches!(code, "IGO" | "NGO" | "BUS" | "IMG" | "MNC");
        row.push(actor.to_string());
        row.push(clean(name));
        row.push(country(code));
        row.push(if is_org { ag.clone() } else { String::new() });
        row.extend(std::iter::repeat_n(String::new(), 3)); // ethnic, religion 1, 2
        row.push(if is_org { code.to_string() } else { ag });
        row.extend(std::iter::repeat_n(String::new(), 2)); // type 2, 3
    };
    actor(
        &mut row,
        &e.source_actor,
        &e.source_code,
        &first.source_text,
    );
    actor(
        &mut row,
        e.target_actor.as_deref().unwrap_or(""),
        e.target_code.as_deref().unwrap_or(""),
        &first.target_text,
    );
    let base = e.cameo.get(..3).unwrap_or(&e.cameo).to_string();
    let root = e.cameo.get(..2).unwrap_or(&e.cameo).to_string();
    row.extend([
        if first.lead { "1" } else { "0" }.to_string(),
        e.cameo.clone(),
        base,
        root,
        e.quad_class.to_string(),
        format!("{:.1}", e.goldstein),
        e.mentions.to_string(),
        e.sources.to_string(),
        e.articles.to_string(),
        String::new(),
    ]);
    let geo = located.map(|l| fips.gdelt(&l.place));
    let geo_fields = |row: &mut Vec<String>, g: Option<&GdeltGeo>| match g {
        // Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID.
        Some(g) => row.extend([
            g.kind.to_string(),
            clean(&g.full_name),
            g.country.clone(),
            g.adm1.clone(),
            String::new(),
            format!("{:.4}", g.lat),
            format!("{:.4}", g.lon),
            g.feature.clone(),
        ]),
        None => row.extend(std::iter::repeat_n(String::new(), 8)),
    };
    let actor_geo = |named: fn(&Located) -> bool| located.filter(|l| named(l)).and(geo.as_ref());
    geo_fields(&mut row, actor_geo(|l| l.source_named));
    geo_fields(&mut row, actor_geo(|l| l.target_named));
    geo_fields(&mut row, geo.as_ref());
    let added: String = first
        .ingested_at
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    row.push(added);
    row.push(clean(if first.url.is_empty() {
        &first.doc_id
    } else {
        &first.url
    }));
    row
}
