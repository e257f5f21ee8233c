//! The embedded gazetteer compiled at build time (`build.rs` runs [`write`] on what
//! [`crate::data::parse_files`] made of `places.tsv`), read at start-up by [`read`]
//! without parsing text, folding names or building a hash map.
//!
//! Layout (little-endian): the magic `ANGAZET1`; `u32` number of places, `u32` number of
//! ids in the candidate lists, `u32` longest key in words; the places, each `u32`
//! GeoNames id, `u8` kind (0 country, 1 admin1, 2 city), `f64` latitude and longitude,
//! `u64` population, then name, country and admin1 as `u16` length and bytes (admin1
//! length `0xFFFF` when there is none); the candidate lists, one `u32` id each; then an
//! `annalist-table` from each name key to its list (`u32` start, `u32` length).
use crate::data::{Kind, Parsed, Place, PlaceId};
use annalist_table::{Table, TableWriter};
use std::collections::HashMap;

const MAGIC: &[u8; 8] = b"ANGAZET1";
const NO_ADMIN1: u16 = 0xFFFF;

/// The compiled bytes of a parsed gazetteer; keys in sorted order, so that a build is
/// reproducible. (Called by the build script; the library only reads.)
#[allow(dead_code)]
pub fn write(p: &Parsed) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    let mut keys: Vec<&Box<str>> = p.index.keys().collect();
    keys.sort();
    let n_ids: usize = p.index.values().map(Vec::len).sum();
    for n in [p.places.len(), n_ids, p.max_words] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    let text = |out: &mut Vec<u8>, s: &str| {
        assert!(s.len() < NO_ADMIN1 as usize, "gazetteer name too long");
        out.extend_from_slice(&(s.len() as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    for pl in &p.places {
        out.extend_from_slice(&pl.id.to_le_bytes());
        out.push(match pl.kind {
            Kind::Country => 0,
            Kind::Admin1 => 1,
            Kind::City => 2,
        });
        out.extend_from_slice(&pl.lat.to_le_bytes());
        out.extend_from_slice(&pl.lon.to_le_bytes());
        out.extend_from_slice(&pl.population.to_le_bytes());
        text(&mut out, &pl.name);
        text(&mut out, &pl.country);
        match &pl.admin1 {
            Some(a) => text(&mut out, a),
            None => out.extend_from_slice(&NO_ADMIN1.to_le_bytes()),
        }
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

/// A compiled gazetteer, read: the places (the only part copied out of the bytes), the
/// candidate lists and the name table.
pub struct Read {
    pub places: Vec<Place>,
    pub ids: Vec<PlaceId>,
    pub table: Table<'static>,
    pub countries: HashMap<String, PlaceId>,
    pub max_words: usize,
}

/// Reads [`write`]'s bytes; `Err` names what is wrong (only a build error can cause it).
pub fn read(b: &'static [u8]) -> Result<Read, String> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Result<&'static [u8], String> {
        let s = b
            .get(at..at + n)
            .ok_or_else(|| format!("truncated at byte {at}"))?;
        at += n;
        Ok(s)
    };
    if take(8)? != MAGIC {
        return Err("not a compiled gazetteer".into());
    }
    fn u32_of(s: &[u8]) -> u32 {
        u32::from_le_bytes([s[0], s[1], s[2], s[3]])
    }
    fn u64_of(s: &[u8]) -> u64 {
        u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
    }
    let n_places = u32_of(take(4)?) as usize;
    let n_ids = u32_of(take(4)?) as usize;
    let max_words = u32_of(take(4)?) as usize;
    let mut places = Vec::with_capacity(n_places);
    let mut countries = HashMap::new();
    let text = |take: &mut dyn FnMut(usize) -> Result<&'static [u8], String>| {
        let s = take(2)?;
        let len = u16::from_le_bytes([s[0], s[1]]);
        if len == NO_ADMIN1 {
            return Ok(None);
        }
        let bytes = take(len as usize)?;
        std::str::from_utf8(bytes)
            .map(|s| Some(s.to_string()))
            .map_err(|e| e.to_string())
    };
    for i in 0..n_places {
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
        if kind == Kind::Country {
            countries.insert(country.clone(), PlaceId(i as u32));
        }
        places.push(Place {
            id,
            name,
            kind,
            country,
            admin1,
            lat,
            lon,
            population,
        });
    }
    let ids = take(4 * n_ids)?
        .chunks_exact(4)
        .map(|c| {
            let id = u32_of(c);
            ((id as usize) < n_places)
                .then_some(PlaceId(id))
                .ok_or_else(|| format!("place id {id} out of range"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let table = Table::new(&b[at..]).map_err(|e| e.to_string())?;
    for (k, v) in table.iter() {
        let ok = v.len() == 8 && u32_of(v) as usize + u32_of(&v[4..]) as usize <= n_ids;
        if !ok {
            return Err(format!("key {:?}: bad list", String::from_utf8_lossy(k)));
        }
    }
    Ok(Read {
        places,
        ids,
        table,
        countries,
        max_words,
    })
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
