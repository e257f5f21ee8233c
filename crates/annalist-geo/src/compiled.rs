//! The embedded gazetteer compiled at build time (`build.rs` runs [`write`] on what
//! [`crate::data::parse_files`] made of `places.tsv`), read at start-up by [`read`]
//! without parsing text, folding names, building a hash map or decoding the places: a
//! place is decoded when it is first asked for ([`Read::place`]).
//!
//! Layout (little-endian): the magic `ANGAZET2`; `u32` number of places, `u32` number of
//! ids in the candidate lists, `u32` longest key in words, `u32` number of countries,
//! `u32` length of the place records; one `u32` offset per place into the records; the
//! records, each `u32` GeoNames id, `u8` kind (0 country, 1 admin1, 2 city), `f64`
//! latitude and longitude, `u64` population, then name, country and admin1 as `u16`
//! length and bytes (admin1 length `0xFFFF` when there is none); the countries, each
//! ISO3 code as `u16` length and bytes and `u32` place id; the candidate lists, one
//! `u32` id each; then an `annalist-table` from each name key to its list (`u32` start,
//! `u32` length).
use crate::data::{Kind, Parsed, Place, PlaceId};
use annalist_table::{Table, TableWriter};
use std::collections::HashMap;

const MAGIC: &[u8; 8] = b"ANGAZET2";
const NO_ADMIN1: u16 = 0xFFFF;

/// The compiled bytes of a parsed gazetteer; keys and countries in sorted order, so that
/// a build is reproducible. (Called by the build script; the library only reads.)
#[allow(dead_code)]
pub fn write(p: &Parsed) -> Vec<u8> {
    let text = |out: &mut Vec<u8>, s: &str| {
        assert!(s.len() < NO_ADMIN1 as usize, "gazetteer name too long");
        out.extend_from_slice(&(s.len() as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    let mut offsets = Vec::with_capacity(p.places.len());
    let mut records = Vec::new();
    for pl in &p.places {
        offsets.push(records.len() as u32);
        records.extend_from_slice(&pl.id.to_le_bytes());
        records.push(match pl.kind {
            Kind::Country => 0,
            Kind::Admin1 => 1,
            Kind::City => 2,
        });
        records.extend_from_slice(&pl.lat.to_le_bytes());
        records.extend_from_slice(&pl.lon.to_le_bytes());
        records.extend_from_slice(&pl.population.to_le_bytes());
        text(&mut records, &pl.name);
        text(&mut records, &pl.country);
        match &pl.admin1 {
            Some(a) => text(&mut records, a),
            None => records.extend_from_slice(&NO_ADMIN1.to_le_bytes()),
        }
    }
    let mut keys: Vec<&Box<str>> = p.index.keys().collect();
    keys.sort();
    let mut countries: Vec<(&String, &PlaceId)> = p.countries.iter().collect();
    countries.sort();
    let n_ids: usize = p.index.values().map(Vec::len).sum();
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    for n in [
        p.places.len(),
        n_ids,
        p.max_words,
        countries.len(),
        records.len(),
    ] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for o in offsets {
        out.extend_from_slice(&o.to_le_bytes());
    }
    out.extend_from_slice(&records);
    for (code, id) in countries {
        text(&mut out, code);
        out.extend_from_slice(&id.0.to_le_bytes());
    }
    let mut table = TableWriter::new();
    let mut start = 0u32;
    for k in keys {
        let ids = &p.index[k];
        for id in ids {
            out.extend_from_slice(&id.0.to_le_bytes());
        }
        let mut v = start.to_le_bytes().to_vec();
        v.extend_from_slice(&(ids.len() as u32).to_le_bytes());
        table.insert(k.as_bytes(), &v);
        start += ids.len() as u32;
    }
    out.extend_from_slice(&table.finish());
    out
}

fn u16_of(s: &[u8]) -> u16 {
    u16::from_le_bytes([s[0], s[1]])
}

fn u32_of(s: &[u8]) -> u32 {
    u32::from_le_bytes([s[0], s[1], s[2], s[3]])
}

fn u64_of(s: &[u8]) -> u64 {
    u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
}

/// A compiled gazetteer, read: the sections of the bytes, the candidate lists and the
/// countries (the only parts copied out of the bytes) and the name table.
pub struct Read {
    pub places: Records,
    pub ids: Vec<PlaceId>,
    pub table: Table<'static>,
    /// The bytes of `table`.
    table_bytes: &'static [u8],
    pub countries: HashMap<String, PlaceId>,
    pub max_words: usize,
}

/// Reads [`write`]'s bytes: the header and section bounds are checked, the candidate
/// ids range-checked; the places and the name table's entries are trusted (the build
/// script wrote them; [`Read::check`] checks them all, as the tests do). `Err` names
/// what is wrong (only a build error can cause it).
pub fn read(b: &'static [u8]) -> Result<Read, String> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Result<&'static [u8], String> {
        let s = b
            .get(at..at.checked_add(n).ok_or("section too large")?)
            .ok_or_else(|| format!("truncated at byte {at}"))?;
        at += n;
        Ok(s)
    };
    if take(8)? != MAGIC {
        return Err("not a compiled gazetteer".into());
    }
    let n_places = u32_of(take(4)?) as usize;
    let n_ids = u32_of(take(4)?) as usize;
    let max_words = u32_of(take(4)?) as usize;
    let n_countries = u32_of(take(4)?) as usize;
    let records_len = u32_of(take(4)?) as usize;
    let offsets = take(4 * n_places)?;
    let records = take(records_len)?;
    let mut countries = HashMap::with_capacity(n_countries);
    for _ in 0..n_countries {
        let len = u16_of(take(2)?) as usize;
        let code = std::str::from_utf8(take(len)?).map_err(|e| e.to_string())?;
        let id = u32_of(take(4)?);
        if id as usize >= n_places {
            return Err(format!("country {code}: place id {id} out of range"));
        }
        countries.insert(code.to_string(), PlaceId(id));
    }
    let ids: Vec<PlaceId> = take(4 * n_ids)?
        .chunks_exact(4)
        .map(|c| PlaceId(u32_of(c)))
        .collect();
    if let Some(id) = ids.iter().find(|id| id.0 as usize >= n_places) {
        return Err(format!("place id {} out of range", id.0));
    }
    let table_bytes = &b[at..];
    let table = Table::trusted(table_bytes).map_err(|e| e.to_string())?;
    Ok(Read {
        places: Records { offsets, records },
        ids,
        table,
        table_bytes,
        countries,
        max_words,
    })
}

/// The place records of compiled bytes, decoded one at a time.
#[derive(Debug, Clone, Copy)]
pub struct Records {
    /// One `u32` offset per place into `records`.
    offsets: &'static [u8],
    records: &'static [u8],
}

impl Records {
    /// Number of places.
    pub fn len(&self) -> usize {
        self.offsets.len() / 4
    }

    /// The place at index `i`, decoded from its record.
    pub fn place(&self, i: usize) -> Result<Place, String> {
        let start = u32_of(&self.offsets[4 * i..]) as usize;
        let mut at = start;
        let b = self.records;
        let mut take = |n: usize| -> Result<&'static [u8], String> {
            let s = b
                .get(at..at + n)
                .ok_or_else(|| format!("place {i}: truncated at byte {at}"))?;
            at += n;
            Ok(s)
        };
        let text = |take: &mut dyn FnMut(usize) -> Result<&'static [u8], String>| {
            let len = u16_of(take(2)?);
            if len == NO_ADMIN1 {
                return Ok(None);
            }
            let bytes = take(len as usize)?;
            std::str::from_utf8(bytes)
                .map(|s| Some(s.to_string()))
                .map_err(|e| e.to_string())
        };
        let id = u32_of(take(4)?);
        let kind = match take(1)?[0] {
            0 => Kind::Country,
            1 => Kind::Admin1,
            2 => Kind::City,
            k => return Err(format!("place {i}: kind {k}")),
        };
        let lat = f64::from_bits(u64_of(take(8)?));
        let lon = f64::from_bits(u64_of(take(8)?));
        let population = u64_of(take(8)?);
        let name = text(&mut take)?.ok_or("a place without a name")?;
        let country = text(&mut take)?.ok_or("a place without a country")?;
        let admin1 = text(&mut take)?;
        Ok(Place {
            id,
            name,
            kind,
            country,
            admin1,
            lat,
            lon,
            population,
        })
    }
}

impl Read {
    /// Checks what [`read`] trusts: every place decodes, every name table entry is in
    /// bounds and points at a candidate list within the ids, every country's place is a
    /// country of that code.
    pub fn check(&self) -> Result<(), String> {
        for i in 0..self.places.len() {
            self.places.place(i)?;
        }
        Table::new(self.table_bytes).map_err(|e| e.to_string())?;
        for (k, v) in self.table.iter() {
            let ok =
                v.len() == 8 && u32_of(v) as usize + u32_of(&v[4..]) as usize <= self.ids.len();
            if !ok {
                return Err(format!("key {:?}: bad list", String::from_utf8_lossy(k)));
            }
        }
        for (code, id) in &self.countries {
            let p = self.places.place(id.0 as usize)?;
            if p.kind != Kind::Country || &p.country != code {
                return Err(format!("country {code}: place {} is not it", id.0));
            }
        }
        Ok(())
    }
}

/// The candidates of a key in a compiled table.
#[inline]
pub fn candidates<'a>(table: &Table<'static>, ids: &'a [PlaceId], key: &str) -> &'a [PlaceId] {
    match table.get(key.as_bytes()) {
        Some(v) => {
            let start = u32::from_le_bytes([v[0], v[1], v[2], v[3]]) as usize;
            let len = u32::from_le_bytes([v[4], v[5], v[6], v[7]]) as usize;
            &ids[start..start + len]
        }
        None => &[],
    }
}
