//! The filter index: the columns the event filters read (dates, actor codes, type, quad
//! class, location, attribution, confidence) for every event, in timeline order, held in memory so that
//! `GET /api/events` and `GET /api/timeline` select events without scanning SQLite.
//! Built from a read-only connection ([`EventIndex::load`]) and rebuilt when
//! `PRAGMA data_version` says the database changed. Strings are interned: a filter
//! decides once per distinct code or place whether it matches, then each event costs a
//! few table lookups.
//!
//! The selection is the same as the store's SQL filter (`annalist_store::Filter`):
//! `tests/index.rs` compares the two on many filters.
use annalist_store::{Filter, Store, StoreError};
use std::collections::HashMap;

#[derive(Default)]
struct Interner {
    map: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.map.insert(s.to_string(), i);
        i
    }
}

/// The filter columns of every event, in timeline order (date, undated last, id).
pub struct EventIndex {
    /// `PRAGMA data_version` of the connection that watched when this was loaded.
    pub(crate) version: i64,
    ids: Vec<i64>,
    dates: Vec<Option<Box<str>>>,
    source_actor: Vec<u32>,
    source_code: Vec<u32>,
    target_actor: Vec<u32>,
    target_code: Vec<u32>,
    event_type: Vec<u32>,
    location: Vec<u32>,
    quad: Vec<u8>,
    attribution: Vec<u32>,
    confidence: Vec<Option<f64>>,
    strings: Vec<String>,
}

/// What the timeline shows of a selection: events per day and quad class.
pub struct DayCounts {
    pub days: Vec<(String, [i64; 4])>,
    pub dated: i64,
    pub undated: i64,
}

impl EventIndex {
    /// Reads every event's filter columns.
    pub fn load(store: &Store, version: i64) -> Result<EventIndex, StoreError> {
        let mut strings = Interner::default();
        let mut ix = EventIndex {
            version,
            ids: Vec::new(),
            dates: Vec::new(),
            source_actor: Vec::new(),
            source_code: Vec::new(),
            target_actor: Vec::new(),
            target_code: Vec::new(),
            event_type: Vec::new(),
            location: Vec::new(),
            quad: Vec::new(),
            attribution: Vec::new(),
            confidence: Vec::new(),
            strings: Vec::new(),
        };
        store.for_each_event(&Filter::default(), false, |e| {
            ix.ids.push(e.event);
            ix.dates.push(e.date.map(String::into_boxed_str));
            ix.source_actor.push(strings.id(&e.source_actor));
            ix.source_code.push(strings.id(&e.source_code));
            ix.target_actor
                .push(strings.id(e.target_actor.as_deref().unwrap_or("")));
            ix.target_code
                .push(strings.id(e.target_code.as_deref().unwrap_or("")));
            ix.event_type.push(strings.id(&e.event_type));
            ix.location
                .push(strings.id(e.location.as_deref().unwrap_or("")));
            ix.quad.push(e.quad_class.clamp(0, 255) as u8);
            ix.attribution.push(strings.id(&e.attribution));
            ix.confidence.push(e.confidence);
            Ok(())
        })?;
        ix.strings = strings.strings;
        Ok(ix)
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// `true` when the database holds no event.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Positions (in timeline order) of the events the filter selects.
    fn select(&self, f: &Filter) -> Vec<usize> {
        let table = |pred: &dyn Fn(&str) -> bool| -> Vec<bool> {
            self.strings.iter().map(|s| pred(s)).collect()
        };
        let prefix = |p: &str| {
            let p = p.to_uppercase();
            table(&move |s: &str| !p.is_empty() && s.starts_with(&p))
        };
        let actor = f.actor.as_deref().map(prefix);
        let pair = f.pair.as_ref().map(|(a, b)| (prefix(a), prefix(b)));
        let event_type = f.event_type.as_ref().map(|t| {
            let t = t.to_uppercase();
            table(&move |s: &str| s == t)
        });
        let location = f.location.as_ref().map(|l| {
            let l = l.clone();
            table(&move |s: &str| location_matches(s, &l))
        });
        let from = f.from.map(|d| d.to_string());
        let to = f.to.map(|d| d.to_string());
        let weighed = f.min_confidence.is_some() || f.attributions.is_some();
        let mut out = Vec::new();
        for i in 0..self.ids.len() {
            let (sa, sc) = (self.source_actor[i] as usize, self.source_code[i] as usize);
            let (ta, tc) = (self.target_actor[i] as usize, self.target_code[i] as usize);
            if let Some(m) = &actor {
                if !(m[sa] || m[sc] || m[ta] || m[tc]) {
                    continue;
                }
            }
            if let Some((a, b)) = &pair {
                let ab = (a[sa] || a[sc]) && (b[ta] || b[tc]);
                let ba = (b[sa] || b[sc]) && (a[ta] || a[tc]);
                if !(ab || ba) {
                    continue;
                }
            }
            if let Some(m) = &event_type {
                if !m[self.event_type[i] as usize] {
                    continue;
                }
            }
            if let Some(q) = f.quad_class {
                if self.quad[i] != q {
                    continue;
                }
            }
            if from.is_some() || to.is_some() {
                let Some(d) = self.dates[i].as_deref() else {
                    continue;
                };
                if from.as_deref().is_some_and(|f| d < f) || to.as_deref().is_some_and(|t| d > t) {
                    continue;
                }
            }
            if let Some(m) = &location {
                if !m[self.location[i] as usize] {
                    continue;
                }
            }
            if weighed
                && !f.admits(
                    &self.strings[self.attribution[i] as usize],
                    self.confidence[i],
                )
            {
                continue;
            }
            out.push(i);
        }
        out
    }

    /// Ids of the events the filter selects, in timeline order.
    pub fn event_ids(&self, f: &Filter) -> Vec<i64> {
        let unfiltered = f.actor.is_none()
            && f.pair.is_none()
            && f.event_type.is_none()
            && f.quad_class.is_none()
            && f.from.is_none()
            && f.to.is_none()
            && f.location.is_none()
            && f.min_confidence.is_none()
            && f.attributions.is_none();
        if unfiltered {
            return self.ids.clone();
        }
        self.select(f).into_iter().map(|i| self.ids[i]).collect()
    }

    /// Events per day and quad class among those the filter selects.
    pub fn day_counts(&self, f: &Filter) -> DayCounts {
        let mut days: Vec<(String, [i64; 4])> = Vec::new();
        let (mut dated, mut undated) = (0, 0);
        for i in self.select(f) {
            let Some(d) = self.dates[i].as_deref() else {
                undated += 1;
                continue;
            };
            let new_day = match days.last() {
                Some((last, _)) => last.as_str() != d,
                None => true,
            };
            if new_day {
                days.push((d.to_string(), [0; 4]));
            }
            let q = self.quad[i];
            if (1..=4).contains(&q) {
                days.last_mut().expect("pushed above").1[q as usize - 1] += 1;
            }
            dated += 1;
        }
        DayCounts {
            days,
            dated,
            undated,
        }
    }
}

/// The store's location filter: the key equals the value (ASCII case aside), or is
/// `VALUE, …` (a place name), or `…, VALUE` (a country code), with SQL `LIKE` semantics
/// (ASCII case-insensitive; `%` and `_` in the value are wildcards).
fn location_matches(key: &str, value: &str) -> bool {
    key.eq_ignore_ascii_case(value)
        || like(key.as_bytes(), format!("{value}, %").as_bytes())
        || like(key.as_bytes(), format!("%, {value}").as_bytes())
}

/// SQLite's `LIKE` without ESCAPE: ASCII case-insensitive, `%` any run, `_` one
/// character.
fn like(s: &[u8], p: &[u8]) -> bool {
    let s = std::str::from_utf8(s).unwrap_or("");
    let p = std::str::from_utf8(p).unwrap_or("");
    let s: Vec<char> = s.chars().collect();
    let p: Vec<char> = p.chars().collect();
    // Iterative match with backtracking on the last '%'.
    let (mut i, mut j) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while i < s.len() {
        if j < p.len() && (p[j] == '_' || p[j].eq_ignore_ascii_case(&s[i])) {
            i += 1;
            j += 1;
        } else if j < p.len() && p[j] == '%' {
            star = Some(j);
            mark = i;
            j += 1;
        } else if let Some(st) = star {
            j = st + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    while j < p.len() && p[j] == '%' {
        j += 1;
    }
    j == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_as_sqlite() {
        assert!(like(b"Kharkiv, UKR", b"kharkiv, %"));
        assert!(like(b"Kharkiv, UKR", b"%, ukr"));
        assert!(!like(b"Kharkiv, UKR", b"%, UK"));
        assert!(like(b"abc", b"a_c"));
        assert!(like(b"abc", b"%"));
        assert!(!like(b"", b"_"));
        assert!(location_matches("UKR", "ukr"));
        assert!(location_matches("Odesa, UKR", "Odesa"));
        assert!(!location_matches("Odesa, UKR", "Odes"));
    }
}
