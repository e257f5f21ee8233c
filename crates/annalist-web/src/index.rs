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
    /// The interned columns, one compact row per event: checking an event reads one
    /// cache line.
    rows: Vec<Row>,
    confidence: Vec<Option<f64>>,
    strings: Vec<String>,
    /// Whether the dated events come first, in ascending date order (as the store
    /// orders its timeline), so a date range is a slice of positions.
    dates_sorted: bool,
    /// Per string: the events it is an actor of (source or target, code or actor).
    by_actor: Postings,
    /// Per string: the events of that type.
    by_type: Postings,
    /// Per string: the events at that location key.
    by_location: Postings,
    /// Per quad class (0–255): its events.
    by_quad: Postings,
}

/// The part of an ascending posting list within positions `lo..hi`.
fn in_range(list: &[u32], lo: usize, hi: usize) -> &[u32] {
    let start = list.partition_point(|&i| (i as usize) < lo);
    let end = list.partition_point(|&i| (i as usize) < hi);
    &list[start..end]
}

/// A set of positions within `lo..hi`, one bit each.
struct Bitmap {
    lo: usize,
    hi: usize,
    words: Vec<u64>,
}

impl Bitmap {
    /// The positions in `lo..hi` that any of `lists` holds.
    fn of(lists: &[&[u32]], lo: usize, hi: usize) -> Bitmap {
        let mut words = vec![0u64; (hi - lo).div_ceil(64)];
        for list in lists {
            for &i in in_range(list, lo, hi) {
                let bit = i as usize - lo;
                words[bit / 64] |= 1 << (bit % 64);
            }
        }
        Bitmap { lo, hi, words }
    }

    fn has(&self, i: usize) -> bool {
        if i < self.lo || i >= self.hi {
            return false;
        }
        let bit = i - self.lo;
        self.words[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The positions held, ascending.
    fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(move |(w, &word)| {
            let base = self.lo + w * 64;
            std::iter::successors(Some(word).filter(|&x| x != 0), |&x| {
                Some(x & (x - 1)).filter(|&x| x != 0)
            })
            .map(move |x| base + x.trailing_zeros() as usize)
        })
    }
}

/// For each interned string (or quad class), the positions (ascending) of the events
/// that carry it in some columns.
#[derive(Default)]
struct Postings(Vec<Vec<u32>>);

impl Postings {
    fn add(&mut self, string: u32, position: u32) {
        let s = string as usize;
        if self.0.len() <= s {
            self.0.resize_with(s + 1, Vec::new);
        }
        let list = &mut self.0[s];
        if list.last() != Some(&position) {
            list.push(position);
        }
    }

    /// The lists of the strings `matches` marks.
    fn matching(&self, matches: &[bool]) -> Vec<&[u32]> {
        self.0
            .iter()
            .zip(matches)
            .filter(|(l, m)| **m && !l.is_empty())
            .map(|(l, _)| l.as_slice())
            .collect()
    }
}

/// An event's filter columns (string ids into [`EventIndex::strings`]).
#[derive(Clone, Copy)]
struct Row {
    source_actor: u32,
    source_code: u32,
    target_actor: u32,
    target_code: u32,
    event_type: u32,
    location: u32,
    attribution: u32,
    quad: u8,
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
            rows: Vec::new(),
            confidence: Vec::new(),
            strings: Vec::new(),
            dates_sorted: true,
            by_actor: Postings::default(),
            by_type: Postings::default(),
            by_location: Postings::default(),
            by_quad: Postings::default(),
        };
        store.for_each_event(&Filter::default(), false, |e| {
            ix.ids.push(e.event);
            ix.dates.push(e.date.map(String::into_boxed_str));
            ix.rows.push(Row {
                source_actor: strings.id(&e.source_actor),
                source_code: strings.id(&e.source_code),
                target_actor: strings.id(e.target_actor.as_deref().unwrap_or("")),
                target_code: strings.id(e.target_code.as_deref().unwrap_or("")),
                event_type: strings.id(&e.event_type),
                location: strings.id(e.location.as_deref().unwrap_or("")),
                attribution: strings.id(&e.attribution),
                quad: e.quad_class.clamp(0, 255) as u8,
            });
            ix.confidence.push(e.confidence);
            Ok(())
        })?;
        ix.strings = strings.strings;
        // Positions are u32: past 2^32 events (hundreds of GB of index) every filter
        // scans instead.
        let positions = u32::try_from(ix.ids.len()).unwrap_or(0);
        for i in 0..positions {
            let r = ix.rows[i as usize];
            // Ascending: a list never gets the same position twice in a row.
            let mut actors = [r.source_actor, r.source_code, r.target_actor, r.target_code];
            actors.sort_unstable();
            for a in actors {
                ix.by_actor.add(a, i);
            }
            ix.by_type.add(r.event_type, i);
            ix.by_location.add(r.location, i);
            ix.by_quad.add(u32::from(r.quad), i);
        }
        let dated = ix.dates.partition_point(|d| d.is_some());
        ix.dates_sorted = ix.dates[dated..].iter().all(|d| d.is_none())
            && ix.dates[..dated].windows(2).all(|w| w[0] <= w[1]);
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
    ///
    /// The candidates are the smallest of: the posting lists of the strings an actor,
    /// pair, type or location filter matches (a superset of what it selects), or every
    /// event; a date range narrows them to its slice of the timeline. Each candidate is
    /// then checked against the whole filter, so the result is the same whichever
    /// candidates were taken.
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
        let (lo, hi) = self.date_range(from.as_deref(), to.as_deref());
        // With the dates in order the range is exactly the events in [from, to].
        let check_dates = (from.is_some() || to.is_some()) && !self.dates_sorted;
        let weighed = f.min_confidence.is_some() || f.attributions.is_some();
        let keep = |i: usize| -> bool {
            let r = &self.rows[i];
            let (sa, sc) = (r.source_actor as usize, r.source_code as usize);
            let (ta, tc) = (r.target_actor as usize, r.target_code as usize);
            if let Some(m) = &actor {
                if !(m[sa] || m[sc] || m[ta] || m[tc]) {
                    return false;
                }
            }
            if let Some((a, b)) = &pair {
                let ab = (a[sa] || a[sc]) && (b[ta] || b[tc]);
                let ba = (b[sa] || b[sc]) && (a[ta] || a[tc]);
                if !(ab || ba) {
                    return false;
                }
            }
            if let Some(m) = &event_type {
                if !m[r.event_type as usize] {
                    return false;
                }
            }
            if let Some(q) = f.quad_class {
                if r.quad != q {
                    return false;
                }
            }
            if check_dates {
                let Some(d) = self.dates[i].as_deref() else {
                    return false;
                };
                if from.as_deref().is_some_and(|f| d < f) || to.as_deref().is_some_and(|t| d > t) {
                    return false;
                }
            }
            if let Some(m) = &location {
                if !m[r.location as usize] {
                    return false;
                }
            }
            !weighed || f.admits(&self.strings[r.attribution as usize], self.confidence[i])
        };
        // The posting lists whose union holds every event a part of the filter selects;
        // the part with the fewest postings gives the candidates.
        let mut parts: Vec<(&Postings, &[bool])> = Vec::new();
        if let Some(m) = &actor {
            parts.push((&self.by_actor, m));
        }
        if let Some((a, b)) = &pair {
            // An event of the pair involves both actors: either's events hold it.
            parts.push((&self.by_actor, a));
            parts.push((&self.by_actor, b));
        }
        if let Some(m) = &event_type {
            parts.push((&self.by_type, m));
        }
        if let Some(m) = &location {
            parts.push((&self.by_location, m));
        }
        let quad = f.quad_class.map(|q| {
            let mut m = vec![false; 256];
            m[q as usize] = true;
            m
        });
        if let Some(m) = &quad {
            parts.push((&self.by_quad, m));
        }
        let mut sized: Vec<(usize, Vec<&[u32]>)> = parts
            .into_iter()
            .filter(|(postings, _)| !postings.0.is_empty())
            .map(|(postings, m)| {
                let lists = postings.matching(m);
                (lists.iter().map(|l| l.len()).sum::<usize>(), lists)
            })
            .collect();
        sized.sort_by_key(|(len, _)| *len);
        let mut sized = sized.into_iter();
        let Some((len, lists)) = sized.next().filter(|(len, _)| *len < hi - lo) else {
            return (lo..hi).filter(|&i| keep(i)).collect();
        };
        // A second part not much larger (the other actor of a pair) is marked in a
        // bitmap, so that only the events both hold are checked.
        let also = sized
            .next()
            .filter(|(other, _)| *other <= 4 * len.max(64))
            .map(|(_, other)| Bitmap::of(&other, lo, hi));
        let pass = |i: usize| also.as_ref().is_none_or(|b| b.has(i)) && keep(i);
        if lists.len() == 1 {
            return in_range(lists[0], lo, hi)
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| pass(i))
                .collect();
        }
        // A union of several lists: marked in a bitmap of the range, read in order.
        Bitmap::of(&lists, lo, hi)
            .positions()
            .filter(|&i| pass(i))
            .collect()
    }

    /// The positions `lo..hi` of the events dated within `[from, to]` (every event when
    /// neither is given; when the dates are not in timeline order, the dated events, to be
    /// checked one by one).
    fn date_range(&self, from: Option<&str>, to: Option<&str>) -> (usize, usize) {
        if from.is_none() && to.is_none() {
            return (0, self.ids.len());
        }
        // Undated events come last and never pass a date filter.
        let dated = self.dates.partition_point(|d| d.is_some());
        if !self.dates_sorted {
            return (0, dated);
        }
        let dates = &self.dates[..dated];
        let lo = from.map_or(0, |f| {
            dates.partition_point(|d| d.as_deref().is_some_and(|d| d < f))
        });
        let hi = to.map_or(dated, |t| {
            dates.partition_point(|d| d.as_deref().is_some_and(|d| d <= t))
        });
        (lo, hi.max(lo))
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
            let q = self.rows[i].quad;
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
