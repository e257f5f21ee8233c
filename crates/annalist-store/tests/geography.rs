//! Geography in the exports, read back by independent readers: the GeoJSON export by
//! Python's `json` (shape) and checked against the coordinates of the stored records;
//! the typed CSV and Parquet columns by pyarrow (types and values, attribution,
//! confidence and casualty figures among them); the FIPS 10-4 table
//! (`dictionaries/fips10-4.tsv`) against the gazetteer; a GDELT row checked by hand.
//!
//! The Python checks need `python3` (GeoJSON) and pyarrow (`scripts/install-test-deps`,
//! which `.ci/run` runs); without them a test prints `SKIPPED`, or fails when
//! `ANNALIST_REQUIRE_TOOLS` is set.
mod common;
use annalist_store::export::{export, export_to, Format, CSV_HEADER, GDELT_COLUMNS};
use annalist_store::geography::{FipsTable, Place};
use annalist_store::{Filter, Store};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The golden stories (tests/golden/stories.jsonl) coded and stored.
fn stories_store() -> (tempfile::TempDir, Store) {
    let (d, p) = db_path();
    let mut s = open(&p);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/stories.jsonl");
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let d = doc(
            v["id"].as_str().unwrap(),
            v["date"].as_str(),
            v["source"].as_str().unwrap(),
            v["text"].as_str().unwrap(),
        );
        ingest(&mut s, &d);
    }
    (d, s)
}

/// What the store itself says of each located event, read with SQL of its own (not
/// through `geography`): event id → (lon, lat, precision) of the first mention whose
/// location key is the event's.
fn stored_points(s: &Store) -> BTreeMap<i64, (f64, f64, String)> {
    let conn = s.connection();
    let mut stmt = conn
        .prepare(
            "SELECT e.event, json_extract(m.record, '$.location.lon'), json_extract(m.record, '$.location.lat'),
             json_extract(m.record, '$.location.precision')
             FROM events e JOIN mentions m ON m.mention =
               (SELECT min(mention) FROM mentions WHERE event = e.event AND location = e.location)
             WHERE e.location != ''",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn python(module_check: &str) -> Option<PathBuf> {
    let venv = workspace().join("target/pyenv/bin/python3");
    for py in [venv, PathBuf::from("python3")] {
        let ok = Command::new(&py)
            .args(["-c", module_check])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            return Some(py);
        }
    }
    None
}

fn skip(test: &str, why: &str) {
    assert!(
        std::env::var_os("ANNALIST_REQUIRE_TOOLS").is_none(),
        "{test}: {why}; run scripts/install-test-deps (ANNALIST_REQUIRE_TOOLS is set: a missing tool is a failure)"
    );
    println!("SKIPPED {test}: {why}; run scripts/install-test-deps");
    eprintln!("SKIPPED {test}: {why}; run scripts/install-test-deps");
}

fn run_python(py: &Path, script: &str, args: &[&Path]) -> serde_json::Value {
    let o = Command::new(py)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn geojson_export_is_read_back_with_the_stored_coordinates() {
    let (dir, s) = stories_store();
    let path = dir.path().join("events.geojson");
    let n = export(&s, &Filter::default(), Format::GeoJson, &path).unwrap();
    let want = stored_points(&s);
    assert!(want.len() >= 3, "the stories name places: {want:?}");
    assert_eq!(n as usize, want.len(), "one feature per located event");
    let Some(py) = python("import json") else {
        return skip("geojson read-back", "python3 not found");
    };
    // Python's json reads the file whole and checks the GeoJSON shape (RFC 7946).
    let script = r#"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["type"] == "FeatureCollection", doc["type"]
header = sys.argv[2].split(",")
out = {}
for f in doc["features"]:
    assert f["type"] == "Feature"
    g = f["geometry"]
    assert g["type"] == "Point" and len(g["coordinates"]) == 2
    lon, lat = g["coordinates"]
    assert isinstance(lon, float) and isinstance(lat, float)
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    p = f["properties"]
    assert list(p) == header, (list(p), header)
    assert p["event_id"] == f["id"] and isinstance(p["mentions"], int)
    assert (p["lon"], p["lat"]) == (lon, lat)
    out[str(f["id"])] = [lon, lat, p["precision"], p["location"], p["country"]]
print(json.dumps(out))
"#;
    let header = CSV_HEADER.join(",");
    let o = Command::new(&py)
        .arg("-c")
        .arg(script)
        .arg(&path)
        .arg(&header)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: BTreeMap<String, (f64, f64, String, String, String)> =
        serde_json::from_slice(&o.stdout).unwrap();
    let got: BTreeMap<i64, (f64, f64, String)> = got
        .into_iter()
        .map(|(id, (lon, lat, p, location, country))| {
            assert!(location.ends_with(&country), "{location} is in {country}");
            (id.parse().unwrap(), (lon, lat, p))
        })
        .collect();
    assert_eq!(got, want);
    // Filters apply: only the events in Ukraine.
    let ukr = Filter {
        location: Some("UKR".into()),
        ..Default::default()
    };
    let mut out = Vec::new();
    let n = export_to(&s, &ukr, Format::GeoJson, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), n as usize);
    assert!(n >= 1 && (n as usize) < want.len());
    for f in v["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["country"], "UKR");
    }
}

#[test]
fn csv_and_parquet_carry_typed_geography_and_weights_read_back_by_pyarrow() {
    let (dir, s) = stories_store();
    let csv = dir.path().join("events.csv");
    let pq = dir.path().join("pq");
    export(&s, &Filter::default(), Format::Csv, &csv).unwrap();
    export(&s, &Filter::default(), Format::Parquet, &pq).unwrap();
    let header = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(header.lines().next().unwrap(), CSV_HEADER.join(","));
    let Some(py) = python("import pyarrow.dataset, pyarrow.csv") else {
        return skip("typed geography read-back", "pyarrow not found");
    };
    let script = r#"
import json, sys
import pyarrow.dataset as ds, pyarrow.csv as pcsv
out = {}
for name, table in [("parquet", ds.dataset(sys.argv[1], format="parquet", partitioning="hive").to_table()),
                    ("csv", pcsv.read_csv(sys.argv[2]))]:
    types = {f.name: str(f.type) for f in table.schema}
    rows = {}
    for r in table.to_pylist():
        rows[str(r["event_id"])] = [r["lat"], r["lon"], r["country"], r["admin1"], r["precision"],
                                    str(r["first_seen"]), str(r["last_seen"]),
                                    r["attribution"], r["confidence"], r["killed"], r["killed_high"]]
    out[name] = {"types": types, "rows": rows}
print(json.dumps(out))
"#;
    let v = run_python(&py, script, &[&pq, &csv]);
    for (reader, types) in [
        ("parquet", &v["parquet"]["types"]),
        ("csv", &v["csv"]["types"]),
    ] {
        assert_eq!(types["lat"], "double", "{reader}: {types}");
        assert_eq!(types["lon"], "double", "{reader}: {types}");
        assert_eq!(types["country"], "string", "{reader}: {types}");
        assert_eq!(types["precision"], "string", "{reader}: {types}");
        assert!(
            types["first_seen"]
                .as_str()
                .unwrap()
                .starts_with("timestamp["),
            "{reader}: {types}"
        );
        assert!(
            types["last_seen"]
                .as_str()
                .unwrap()
                .starts_with("timestamp["),
            "{reader}: {types}"
        );
    }
    assert_eq!(v["parquet"]["types"]["admin1"], "string");
    assert_eq!(v["parquet"]["types"]["first_seen"], "timestamp[us]");
    // Issue 19's columns, typed alike by both readers (the stories give confidences and
    // one casualty figure).
    for (reader, types) in [
        ("parquet", &v["parquet"]["types"]),
        ("csv", &v["csv"]["types"]),
    ] {
        assert_eq!(types["attribution"], "string", "{reader}: {types}");
        assert_eq!(types["confidence"], "double", "{reader}: {types}");
        assert_eq!(types["killed"], "int64", "{reader}: {types}");
        assert_eq!(types["killed_high"], "int64", "{reader}: {types}");
    }
    assert_eq!(v["parquet"]["types"]["injured"], "int64");
    // Values: both readers give each event the store's place and days.
    let points = stored_points(&s);
    let events = s.timeline(&Filter::default(), false).unwrap();
    for reader in ["parquet", "csv"] {
        let rows = v[reader]["rows"].as_object().unwrap();
        assert_eq!(rows.len(), events.len(), "{reader}");
        for e in &events {
            let r = &rows[&e.event.to_string()];
            match points.get(&e.event) {
                Some((lon, lat, precision)) => {
                    assert_eq!(r[0].as_f64(), Some(*lat), "{reader} event {}", e.event);
                    assert_eq!(r[1].as_f64(), Some(*lon), "{reader} event {}", e.event);
                    assert_eq!(r[4], precision.as_str(), "{reader} event {}", e.event);
                    let key = e.location.as_deref().unwrap();
                    assert!(key.ends_with(r[2].as_str().unwrap()), "{reader}: {key} {r}");
                }
                // pyarrow reads an empty CSV string as "", an empty number as null.
                None => assert!(
                    r[0].is_null() && (r[2].is_null() || r[2] == ""),
                    "{reader}: {r}"
                ),
            }
            let seen = |d: &Option<String>| match d {
                Some(d) => format!("{d} 00:00:00"),
                None => "None".into(),
            };
            assert_eq!(r[5], seen(&e.first_seen).as_str(), "{reader}");
            assert_eq!(r[6], seen(&e.last_seen).as_str(), "{reader}");
            assert_eq!(r[7], e.attribution.as_str(), "{reader}");
            assert_eq!(r[8].as_f64(), e.confidence, "{reader} event {}", e.event);
            assert_eq!(r[9].as_i64(), e.casualties.killed, "{reader}");
            assert_eq!(r[10].as_i64(), e.casualties.killed_high, "{reader}");
        }
    }
}

#[test]
fn the_fips_table_is_valid_and_covers_the_gazetteer() {
    let t = FipsTable::embedded();
    let places =
        std::fs::read_to_string(workspace().join("dictionaries/gazetteer/places.tsv")).unwrap();
    let mut countries = BTreeSet::new();
    let mut regions = BTreeSet::new();
    for line in places.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        match f[2] {
            "country" => {
                countries.insert(f[3].to_string());
            }
            "admin1" => {
                regions.insert((f[3].to_string(), f[1].to_string()));
            }
            _ => {}
        }
    }
    for c in &countries {
        assert!(t.country(c).is_some(), "{c}: no line in fips10-4.tsv");
    }
    let table: BTreeSet<&str> = t.iso3_codes().collect();
    assert_eq!(
        table.len(),
        countries.len(),
        "one line per gazetteer country"
    );
    // Every coded region is a region of the gazetteer (the names join).
    let text = annalist_store::geography::FIPS_TSV;
    let mut coded = 0;
    for line in text.lines().filter(|l| l.starts_with("region\t")) {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            regions.contains(&(f[1].to_string(), f[4].to_string())),
            "{line}: no such region in the gazetteer"
        );
        coded += 1;
    }
    assert!(coded > 2000, "{coded} regions coded");
    // Checked by hand against the FIPS 10-4 list (GDELT's country codes): the codes
    // that differ from ISO's are the ones a pipeline would misread.
    for (iso3, fips) in [
        ("UKR", "UP"),
        ("RUS", "RS"),
        ("DEU", "GM"),
        ("GBR", "UK"),
        ("USA", "US"),
        ("CHN", "CH"),
        ("CHE", "SZ"),
        ("AUT", "AU"),
        ("AUS", "AS"),
        ("ISR", "IS"),
        ("IRQ", "IZ"),
        ("SYR", "SY"),
        ("YEM", "YM"),
        ("SDN", "SU"),
        ("SSD", "OD"),
        ("KOR", "KS"),
        ("PRK", "KN"),
        ("JPN", "JA"),
        ("ESP", "SP"),
        ("SRB", "RI"),
        ("XKX", "KV"),
        ("NGA", "NI"),
        ("NER", "NG"),
    ] {
        assert_eq!(
            t.country(iso3).unwrap().fips.as_deref(),
            Some(fips),
            "{iso3}"
        );
    }
    assert_eq!(t.region("UKR", "Kharkiv"), Some("UP07"));
    assert_eq!(t.region("USA", "Texas"), Some("USTX"));
    assert_eq!(t.region("PSE", "Gaza Strip"), Some("GZ"));
    assert_eq!(t.country("BES").unwrap().fips, None);
}

#[test]
fn fips_table_errors_name_the_line() {
    let bad = [
        ("country\tUKR\tUP\t804\n", "expected 5 tab-separated fields"),
        (
            "country\tUkr\tUP\t804\tUkraine\n",
            "not an ISO 3166 alpha-3",
        ),
        (
            "country\tUKR\tU1\t804\tUkraine\n",
            "not a FIPS 10-4 country code",
        ),
        ("region\tUKR\tUP07\t\tKharkiv\n", "no earlier country line"),
        (
            "country\tUKR\tUP\t804\tUkraine\nregion\tUKR\tRS07\t\tKharkiv\n",
            "does not start with UKR's FIPS code UP",
        ),
        (
            "country\tUKR\tUP\t804\tUkraine\ncountry\tUKR\tUP\t804\tUkraine\n",
            "listed twice",
        ),
        ("town\tUKR\tUP\t804\tUkraine\n", "unknown line kind"),
    ];
    for (text, want) in bad {
        let e = FipsTable::parse(&format!("# header\n{text}"), "t.tsv").unwrap_err();
        assert!(e.starts_with("t.tsv:"), "{e}");
        assert!(e.contains(want), "{text:?}: {e}");
    }
    let e = FipsTable::parse(
        "country\tUKR\tUP\t804\tUkraine\nregion\tUKR\tUP7\t\tX\n",
        "t.tsv",
    )
    .unwrap_err();
    assert!(e.starts_with("t.tsv:2: "), "{e}");
}

#[test]
fn gdelt_geography_follows_the_codebook() {
    let t = FipsTable::embedded();
    let place = |name: &str, admin1: Option<&str>, country: &str, precision: &str| Place {
        name: name.into(),
        admin1: admin1.map(String::from),
        country: country.into(),
        lat: 1.0,
        lon: 2.0,
        precision: precision.into(),
    };
    let g = t.gdelt(&place("Kharkiv", Some("Kharkiv"), "UKR", "city"));
    assert_eq!(
        (
            g.kind,
            g.full_name.as_str(),
            g.country.as_str(),
            g.adm1.as_str(),
            g.feature.as_str()
        ),
        (4, "Kharkiv, Ukraine", "UP", "UP07", "")
    );
    let g = t.gdelt(&place("Austin", Some("Texas"), "USA", "city"));
    assert_eq!(
        (g.kind, g.full_name.as_str(), g.adm1.as_str()),
        (3, "Austin, Texas, United States", "USTX")
    );
    let g = t.gdelt(&place("Texas", None, "USA", "admin1"));
    assert_eq!(
        (g.kind, g.adm1.as_str(), g.feature.as_str()),
        (2, "USTX", "USTX")
    );
    let g = t.gdelt(&place("Kharkiv", None, "UKR", "admin1"));
    assert_eq!(
        (g.kind, g.full_name.as_str(), g.feature.as_str()),
        (5, "Kharkiv, Ukraine", "UP07")
    );
    let g = t.gdelt(&place("Germany", None, "DEU", "country"));
    assert_eq!(
        (
            g.kind,
            g.full_name.as_str(),
            g.country.as_str(),
            g.adm1.as_str(),
            g.feature.as_str()
        ),
        (1, "Germany", "GM", "GM", "GM")
    );
    // The Gaza Strip is a FIPS country of its own.
    let g = t.gdelt(&place("Gaza", Some("Gaza Strip"), "PSE", "city"));
    assert_eq!((g.country.as_str(), g.adm1.as_str()), ("GZ", "GZ"));
    let g = t.gdelt(&place("Ramallah", Some("West Bank"), "PSE", "city"));
    assert_eq!((g.country.as_str(), g.adm1.as_str()), ("WE", "WE"));
}

/// The GDELT row of the Kharkiv shelling (stories kh-1..kh-3), every column checked by
/// hand against GDELT 2.0's codebook: the columns named here hold these values, every
/// other column is empty.
#[test]
fn gdelt_row_of_a_located_event_checked_by_hand() {
    let (_d, s) = stories_store();
    s.connection()
        .execute(
            "UPDATE documents SET ingested_at = '2025-06-01T12:00:00Z'",
            [],
        )
        .unwrap();
    let mut out = Vec::new();
    export_to(&s, &Filter::default(), Format::Gdelt, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("1\t"))
        .expect("event 1")
        .split('\t')
        .collect();
    assert_eq!(row.len(), 61);
    let want: BTreeMap<&str, &str> = [
        ("GLOBALEVENTID", "1"),
        ("SQLDATE", "20250304"),
        ("MonthYear", "202503"),
        ("Year", "2025"),
        // (2 × 30 + 4) / 365 = 0.17534.
        ("FractionDate", "2025.1753"),
        ("Actor1Code", "RUSMIL"),
        ("Actor1Name", "Russian forces"),
        ("Actor1CountryCode", "RUS"),
        ("Actor1Type1Code", "MIL"),
        ("Actor2Code", "UKR"),
        ("Actor2Name", "the Ukrainian city"),
        ("Actor2CountryCode", "UKR"),
        ("IsRootEvent", "1"),
        ("EventCode", "194"),
        ("EventBaseCode", "194"),
        ("EventRootCode", "19"),
        ("QuadClass", "4"),
        ("GoldsteinScale", "-10.0"),
        ("NumMentions", "3"),
        ("NumSources", "2"),
        ("NumArticles", "3"),
        // "the Ukrainian city of Kharkiv": the target's words name the place.
        ("Actor2Geo_Type", "4"),
        ("Actor2Geo_FullName", "Kharkiv, Ukraine"),
        ("Actor2Geo_CountryCode", "UP"),
        ("Actor2Geo_ADM1Code", "UP07"),
        ("Actor2Geo_Lat", "49.9818"),
        ("Actor2Geo_Long", "36.2548"),
        ("ActionGeo_Type", "4"),
        ("ActionGeo_FullName", "Kharkiv, Ukraine"),
        ("ActionGeo_CountryCode", "UP"),
        ("ActionGeo_ADM1Code", "UP07"),
        ("ActionGeo_Lat", "49.9818"),
        ("ActionGeo_Long", "36.2548"),
        ("DATEADDED", "20250601120000"),
        ("SOURCEURL", "https://news.example/kh-1"),
    ]
    .into_iter()
    .collect();
    for (i, name) in GDELT_COLUMNS.iter().enumerate() {
        let expected = want.get(name).copied().unwrap_or("");
        assert_eq!(row[i], expected, "column {name}");
    }
}
