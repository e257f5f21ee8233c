//! Where stored events happened, for the exports and the web map: an event's [`Place`]
//! (the gazetteer place of the first mention that names the event's location), and
//! the FIPS 10-4 codes GDELT's geography columns use ([`FipsTable`], from
//! `dictionaries/fips10-4.tsv`, embedded at build time).
//!
//! An event's `location` column is a key ("Kharkiv, UKR", or "UKR" for a country); the
//! coordinates, region and precision live in the coded record of its mentions. The first
//! mention (in ingestion order) whose key is the event's gives the place, so every export
//! and the map agree on one point per event.
use crate::query::EventRow;
use crate::{Store, StoreError};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A located event's place: the gazetteer entry its location words named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Place name as the gazetteer spells it ("Kharkiv").
    pub name: String,
    /// First-level region of a town (or the region itself at `admin1` precision).
    pub admin1: Option<String>,
    /// ISO 3166 alpha-3 code.
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// `city`, `admin1` or `country`.
    pub precision: String,
}

/// The place of event `e`, or `None` when it has no location (or its mentions carry no
/// coordinates).
pub fn place_of(store: &Store, e: &EventRow) -> Result<Option<Place>, StoreError> {
    let Some(key) = e.location.as_deref() else {
        return Ok(None);
    };
    let conn = store.connection();
    conn.prepare_cached(
        "SELECT json_extract(record, '$.location.name'), json_extract(record, '$.location.admin1'),
         json_extract(record, '$.location.country'), json_extract(record, '$.location.lat'),
         json_extract(record, '$.location.lon'), json_extract(record, '$.location.precision')
         FROM mentions WHERE event = ?1 AND location = ?2 ORDER BY mention LIMIT 1",
    )
    .and_then(|mut s| {
        s.query_row(rusqlite::params![e.event, key], |r| {
            let (lat, lon): (Option<f64>, Option<f64>) = (r.get(3)?, r.get(4)?);
            Ok(match (lat, lon) {
                (Some(lat), Some(lon)) => Some(Place {
                    name: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    admin1: r.get::<_, Option<String>>(1)?.filter(|s| !s.is_empty()),
                    country: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    lat,
                    lon,
                    precision: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                }),
                _ => None,
            })
        })
        .optional()
    })
    .map(Option::flatten)
    .map_err(|e| store.err(e))
}

/// Streams the located events matching `filter` (timeline order) with their places.
pub fn for_each_located(
    store: &Store,
    filter: &crate::Filter,
    mut f: impl FnMut(EventRow, Place) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    store.for_each_event(filter, false, |e| match place_of(store, &e)? {
        Some(p) => f(e, p),
        None => Ok(()),
    })
}

/// A country of `dictionaries/fips10-4.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FipsCountry {
    /// FIPS 10-4 code, `None` where FIPS has none.
    pub fips: Option<String>,
    /// ISO 3166 numeric code.
    pub numeric: String,
    /// English name (GDELT's full names end with it).
    pub name: String,
}

/// The ISO3 → FIPS 10-4 table: countries, and the ADM1 codes of regions.
#[derive(Debug, Default)]
pub struct FipsTable {
    countries: HashMap<String, FipsCountry>,
    /// (ISO3, region name) → ADM1 code: FIPS country (its first two characters) +
    /// region code, or a country code alone (the Gaza Strip: `GZ`).
    regions: HashMap<(String, String), String>,
}

/// The embedded table's text.
pub const FIPS_TSV: &str = include_str!("../../../dictionaries/fips10-4.tsv");

impl FipsTable {
    /// Parses the table's format (see `dictionaries/README.md`); an error reads
    /// `NAME:LINE: problem`.
    pub fn parse(text: &str, name: &str) -> Result<FipsTable, String> {
        let mut t = FipsTable::default();
        for (i, line) in text.lines().enumerate() {
            let at = |msg: String| format!("{name}:{}: {msg}", i + 1);
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                return Err(at(format!(
                    "expected 5 tab-separated fields, found {}",
                    f.len()
                )));
            }
            let iso3 = f[1];
            if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(at(format!(
                    "{iso3:?} is not an ISO 3166 alpha-3 code (three capitals)"
                )));
            }
            let code_ok = |c: &str, n: usize| {
                c.len() == n
                    && c.bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            };
            match f[0] {
                "country" => {
                    let fips = match f[2] {
                        "-" => None,
                        c if code_ok(c, 2) && c.bytes().all(|b| b.is_ascii_uppercase()) => {
                            Some(c.to_string())
                        }
                        c => {
                            return Err(at(format!(
                            "{c:?} is not a FIPS 10-4 country code (two capitals, or - for none)"
                        )))
                        }
                    };
                    if !(f[3].len() == 3 && f[3].bytes().all(|b| b.is_ascii_digit())) {
                        return Err(at(format!(
                            "{:?} is not an ISO 3166 numeric code (three digits)",
                            f[3]
                        )));
                    }
                    if f[4].trim().is_empty() {
                        return Err(at("the country has no name".into()));
                    }
                    let c = FipsCountry {
                        fips,
                        numeric: f[3].to_string(),
                        name: f[4].to_string(),
                    };
                    if t.countries.insert(iso3.to_string(), c).is_some() {
                        return Err(at(format!("{iso3} is listed twice")));
                    }
                }
                "region" => {
                    let Some(country) = t.countries.get(iso3) else {
                        return Err(at(format!(
                            "region of {iso3}, which no earlier country line lists"
                        )));
                    };
                    let adm1 = f[2];
                    if !(code_ok(adm1, 4) || code_ok(adm1, 2)) {
                        return Err(at(format!(
                            "{adm1:?} is not an ADM1 code (FIPS country + two characters)"
                        )));
                    }
                    if adm1.len() == 4 && country.fips.as_deref() != Some(&adm1[..2]) {
                        return Err(at(format!(
                            "{adm1} does not start with {iso3}'s FIPS code {}",
                            country.fips.as_deref().unwrap_or("(none)")
                        )));
                    }
                    if !f[3].is_empty() || f[4].trim().is_empty() {
                        return Err(at(
                            "a region line is: region, ISO3, ADM1 code, empty, region name".into(),
                        ));
                    }
                    let key = (iso3.to_string(), f[4].to_string());
                    if t.regions.insert(key, adm1.to_string()).is_some() {
                        return Err(at(format!("region {iso3} {:?} is listed twice", f[4])));
                    }
                }
                other => {
                    return Err(at(format!(
                        "unknown line kind {other:?} (expected country or region)"
                    )))
                }
            }
        }
        Ok(t)
    }

    /// The embedded table (parsed once).
    pub fn embedded() -> &'static FipsTable {
        static TABLE: OnceLock<FipsTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            FipsTable::parse(FIPS_TSV, "dictionaries/fips10-4.tsv")
                .expect("the embedded FIPS table is valid (tests/geography.rs)")
        })
    }

    pub fn country(&self, iso3: &str) -> Option<&FipsCountry> {
        self.countries.get(iso3)
    }

    /// Every country's ISO3 code.
    pub fn iso3_codes(&self) -> impl Iterator<Item = &str> {
        self.countries.keys().map(String::as_str)
    }

    /// The ADM1 code of a region of a country.
    pub fn region(&self, iso3: &str, region: &str) -> Option<&str> {
        self.regions
            .get(&(iso3.to_string(), region.to_string()))
            .map(String::as_str)
    }

    /// GDELT's geography of a place: type, full name, FIPS country code, ADM1 code and
    /// feature id (see [`GdeltGeo`]).
    pub fn gdelt(&self, p: &Place) -> GdeltGeo {
        let country = self.country(&p.country);
        let country_fips = country.and_then(|c| c.fips.clone()).unwrap_or_default();
        let region = p.admin1.as_deref().filter(|_| p.precision != "country");
        let region_name = match p.precision.as_str() {
            "admin1" => Some(p.name.as_str()),
            "city" => region,
            _ => None,
        };
        let adm1 = region_name.and_then(|r| self.region(&p.country, r));
        // A region coded as a country of its own (the Gaza Strip, GZ) gives the country.
        let fips = adm1.map(|a| a[..2].to_string()).unwrap_or(country_fips);
        let us = p.country == "USA";
        let kind = match p.precision.as_str() {
            "country" => 1,
            "admin1" if us => 2,
            "admin1" => 5,
            _ if us => 3,
            _ => 4,
        };
        let country_name = country.map(|c| c.name.as_str()).unwrap_or(&p.country);
        let mut full: Vec<&str> = Vec::new();
        if p.precision != "country" {
            full.push(&p.name);
        }
        if let Some(r) = region.filter(|r| *r != p.name) {
            full.push(r);
        }
        full.push(country_name);
        let adm1_code = adm1.map(str::to_string).unwrap_or_else(|| fips.clone());
        let feature = match kind {
            1 => fips.clone(),
            2 | 5 => adm1.map(str::to_string).unwrap_or_default(),
            _ => String::new(),
        };
        GdeltGeo {
            kind,
            full_name: full.join(", "),
            country: fips,
            adm1: adm1_code,
            lat: p.lat,
            lon: p.lon,
            feature,
        }
    }
}

/// The GDELT 2.0 geography fields of one place.
#[derive(Debug, Clone, PartialEq)]
pub struct GdeltGeo {
    /// `*Geo_Type`: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
    pub kind: u8,
    /// `*Geo_FullName`: "city, region, country name".
    pub full_name: String,
    /// `*Geo_CountryCode`: FIPS 10-4 (empty where FIPS has no code).
    pub country: String,
    /// `*Geo_ADM1Code`: FIPS country + region code; the country code alone for a country
    /// or a region the table does not code.
    pub adm1: String,
    pub lat: f64,
    pub lon: f64,
    /// `*Geo_FeatureID`: the FIPS code of a country, the ADM1 code of a region (GDELT's
    /// use), empty for towns (annalist has no GNS feature ids).
    pub feature: String,
}

/// The located events of one place (one location key), for the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceEvents {
    /// The location key ("Kharkiv, UKR"; "UKR" for a country): `/api/events?location=`
    /// selects exactly these events.
    pub location: String,
    #[serde(flatten)]
    pub place: Place,
    /// Number of events.
    pub events: i64,
    /// Their mentions, summed.
    pub mentions: i64,
    /// Events per quad class 1..4.
    pub quad: [i64; 4],
    /// Up to [`PLACE_IDS`] event ids, most mentioned first (then by id).
    pub ids: Vec<i64>,
}

/// How many event ids a [`PlaceEvents`] lists.
pub const PLACE_IDS: usize = 50;

/// The located events matching `filter`, grouped by place (location key): one entry per
/// place, most events first (then by key). The place is that of the place's most
/// mentioned event ([`place_of`]), so one lookup per place, not per event: the answer
/// stays small (at most one entry per gazetteer place) on a large store.
pub fn places(store: &Store, filter: &crate::Filter) -> Result<Vec<PlaceEvents>, StoreError> {
    struct Group {
        first: EventRow,
        events: i64,
        mentions: i64,
        quad: [i64; 4],
        ids: Vec<(i64, i64)>,
    }
    let mut groups: HashMap<String, Group> = HashMap::new();
    store.for_each_event(filter, false, |e| {
        let Some(key) = e.location.clone() else {
            return Ok(());
        };
        let (id, mentions, quad) = (e.event, e.mentions, e.quad_class);
        let g = groups.entry(key).or_insert_with(|| Group {
            first: e,
            events: 0,
            mentions: 0,
            quad: [0; 4],
            ids: Vec::new(),
        });
        g.events += 1;
        g.mentions += mentions;
        if (1..=4).contains(&quad) {
            g.quad[quad as usize - 1] += 1;
        }
        g.ids.push((mentions, id));
        Ok(())
    })?;
    let mut out = Vec::with_capacity(groups.len());
    for (key, mut g) in groups {
        g.ids.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let top = g.ids[0].1;
        if top != g.first.event {
            g.first.event = top;
        }
        let Some(place) = place_of(store, &g.first)? else {
            continue;
        };
        out.push(PlaceEvents {
            location: key,
            place,
            events: g.events,
            mentions: g.mentions,
            quad: g.quad,
            ids: g.ids.iter().take(PLACE_IDS).map(|x| x.1).collect(),
        });
    }
    out.sort_by(|a, b| b.events.cmp(&a.events).then(a.location.cmp(&b.location)));
    Ok(out)
}
