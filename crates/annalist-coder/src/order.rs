//! Dating documents that carry no date from their order in a feed and the weekdays
//! their texts name.
//!
//! Input: the documents of a feed in feed order (newest-first or oldest-first), each
//! with its date if it has one (an *anchor*) and the first weekday its text names, if
//! any ("… said on Tuesday"). Output: for every document, the date to use as its anchor
//! and how sure that is.
//!
//! The model: stories in a feed are in publication order, so their dates never go back
//! in time along the chronological order; each weekday is the *nearest* day with that
//! name consistent with that order, i.e. consecutive stories are assumed less than a
//! week apart. Walking forward from the nearest earlier anchor, a document's date is the
//! first day on or after the previous date with its weekday; walking backward from the
//! nearest later anchor, it is the last day on or before the next date with its weekday.
//! When both walks exist and agree the date is `certain` (under the model); when they
//! disagree, a gap of a week or more lies between the anchors and the result is
//! `ambiguous` (the forward date is reported with both candidates as bounds); when only
//! one walk exists the date is `inferred`. A document without a weekday gets no date,
//! only the bounds its neighbours give. Without any anchor, weekdays still fix the day
//! offsets between documents: the first document with a weekday (in chronological
//! order) is day 0 and each next one is the nearest later-or-same weekday.
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The order of documents in a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOrder {
    NewestFirst,
    OldestFirst,
}

/// The result types, defined in `annalist-model` (records carry them).
pub use annalist_model::{Basis, DocumentDate};

fn first_on_or_after(d: NaiveDate, w: Weekday) -> NaiveDate {
    let ahead = (w.num_days_from_monday() + 7 - d.weekday().num_days_from_monday()) % 7;
    d + Duration::days(ahead as i64)
}

fn last_on_or_before(d: NaiveDate, w: Weekday) -> NaiveDate {
    crate::dates::last_weekday(d, w)
}

/// One walk over the chronological `items` in the given `order`: each document
/// without a date gets `step(last known date, its weekday)`, and its date becomes the
/// known one. Documents with a date keep `None` here.
fn walk(
    items: &[(Option<NaiveDate>, Option<Weekday>)],
    order: impl Iterator<Item = usize>,
    step: fn(NaiveDate, Weekday) -> NaiveDate,
) -> Vec<Option<NaiveDate>> {
    let mut out = vec![None; items.len()];
    let mut known: Option<NaiveDate> = None;
    for k in order {
        let (given, wd) = items[k];
        let d = match (given, wd, known) {
            (Some(g), _, _) => Some(g),
            (None, Some(w), Some(prev)) => Some(step(prev, w)),
            _ => None,
        };
        if given.is_none() {
            out[k] = d;
        }
        if d.is_some() {
            known = d;
        }
    }
    out
}

/// Resolves the dates of `docs` = (given date, first weekday named) in feed order.
pub fn resolve_feed_dates(
    docs: &[(Option<NaiveDate>, Option<Weekday>)],
    order: FeedOrder,
) -> Vec<DocumentDate> {
    let n = docs.len();
    // Chronological positions.
    let chrono_idx: Vec<usize> = match order {
        FeedOrder::OldestFirst => (0..n).collect(),
        FeedOrder::NewestFirst => (0..n).rev().collect(),
    };
    let items: Vec<(Option<NaiveDate>, Option<Weekday>)> =
        chrono_idx.iter().map(|&i| docs[i]).collect();

    let forward = walk(&items, 0..n, first_on_or_after);
    let backward = walk(&items, (0..n).rev(), last_on_or_before);
    let any_anchor = items.iter().any(|(g, _)| g.is_some());

    // Relative offsets when nothing is anchored.
    let mut offsets = vec![None; n];
    if !any_anchor {
        let mut prev: Option<(i64, Weekday)> = None;
        for (k, &(_, wd)) in items.iter().enumerate() {
            if let Some(w) = wd {
                let off = match prev {
                    None => 0,
                    Some((o, pw)) => {
                        o + ((w.num_days_from_monday() + 7 - pw.num_days_from_monday()) % 7) as i64
                    }
                };
                offsets[k] = Some(off);
                prev = Some((off, w));
            }
        }
    }

    let mut out_chrono = Vec::with_capacity(n);
    for k in 0..n {
        let (given, wd) = items[k];
        let dd = if let Some(g) = given {
            DocumentDate {
                date: Some(g),
                basis: Basis::Given,
                earliest: None,
                latest: None,
                day_offset: None,
            }
        } else if !any_anchor {
            DocumentDate {
                date: None,
                basis: if offsets[k].is_some() {
                    Basis::Relative
                } else {
                    Basis::Unknown
                },
                earliest: None,
                latest: None,
                day_offset: offsets[k],
            }
        } else if wd.is_some() {
            match (forward[k], backward[k]) {
                (Some(f), Some(b)) if f == b => DocumentDate {
                    date: Some(f),
                    basis: Basis::Certain,
                    earliest: None,
                    latest: None,
                    day_offset: None,
                },
                (Some(f), Some(b)) => DocumentDate {
                    date: Some(f),
                    basis: Basis::Ambiguous,
                    earliest: Some(f.min(b)),
                    latest: Some(f.max(b)),
                    day_offset: None,
                },
                (Some(d), None) | (None, Some(d)) => DocumentDate {
                    date: Some(d),
                    basis: Basis::Inferred,
                    earliest: None,
                    latest: None,
                    day_offset: None,
                },
                (None, None) => DocumentDate {
                    date: None,
                    basis: Basis::Unknown,
                    earliest: None,
                    latest: None,
                    day_offset: None,
                },
            }
        } else {
            // No weekday: bounded by the dates on either side.
            let before = (0..k)
                .rev()
                .find_map(|j| items[j].0.or(forward[j]).or(backward[j]));
            let after = (k + 1..n).find_map(|j| items[j].0.or(backward[j]).or(forward[j]));
            DocumentDate {
                date: None,
                basis: if before.is_some() || after.is_some() {
                    Basis::Bounded
                } else {
                    Basis::Unknown
                },
                earliest: before,
                latest: after,
                day_offset: None,
            }
        };
        out_chrono.push(dd);
    }
    // Back to feed order.
    let mut out = vec![None; n];
    for (k, dd) in out_chrono.into_iter().enumerate() {
        out[chrono_idx[k]] = Some(dd);
    }
    out.into_iter().map(|d| d.unwrap()).collect()
}

/// Dates the undated documents of a feed (in feed `order`) from the weekdays their
/// texts name and the dated documents around them: each comes back with its date set
/// (when one was found) and the [`DocumentDate`] that says how; a document that had a
/// date comes back as it was, with `None`.
pub fn date_feed(
    docs: Vec<annalist_model::Document>,
    order: FeedOrder,
) -> Vec<(annalist_model::Document, Option<DocumentDate>)> {
    let keys: Vec<_> = docs
        .iter()
        .map(|d| (d.date, first_weekday(&d.text)))
        .collect();
    let resolved = resolve_feed_dates(&keys, order);
    docs.into_iter()
        .zip(resolved)
        .map(|(mut doc, dd)| {
            if doc.date.is_some() {
                (doc, None)
            } else {
                doc.date = dd.date;
                (doc, Some(dd))
            }
        })
        .collect()
}

/// The first weekday a text names ("Monday" … "Sunday", capitalised), skipping one
/// that follows "since" (the start of a period).
pub fn first_weekday(text: &str) -> Option<Weekday> {
    let mut prev = "";
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let day = match w {
            "Monday" => Some(Weekday::Mon),
            "Tuesday" => Some(Weekday::Tue),
            "Wednesday" => Some(Weekday::Wed),
            "Thursday" => Some(Weekday::Thu),
            "Friday" => Some(Weekday::Fri),
            "Saturday" => Some(Weekday::Sat),
            "Sunday" => Some(Weekday::Sun),
            _ => None,
        };
        if let Some(d) = day {
            if !prev.eq_ignore_ascii_case("since") {
                return Some(d);
            }
        }
        prev = w;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn one_anchor_fixes_a_newest_first_feed() {
        // Newest first: Fri, Thu, (anchor Wed 2025-03-05), Mon, Sat.
        let docs = [
            (None, Some(Fri)),
            (None, Some(Thu)),
            (Some(ymd(2025, 3, 5)), Some(Wed)),
            (None, Some(Mon)),
            (None, Some(Sat)),
        ];
        let r = resolve_feed_dates(&docs, FeedOrder::NewestFirst);
        let dates: Vec<_> = r.iter().map(|d| d.date.unwrap()).collect();
        assert_eq!(
            dates,
            [
                ymd(2025, 3, 7),
                ymd(2025, 3, 6),
                ymd(2025, 3, 5),
                ymd(2025, 3, 3),
                ymd(2025, 3, 1)
            ]
        );
        assert_eq!(r[2].basis, Basis::Given);
        assert_eq!(r[0].basis, Basis::Inferred);
    }

    #[test]
    fn two_anchors_agree_or_disagree() {
        let docs = [
            (Some(ymd(2024, 12, 30)), None), // Monday, oldest
            (None, Some(Wed)),
            (Some(ymd(2025, 1, 3)), None), // Friday
        ];
        let r = resolve_feed_dates(&docs, FeedOrder::OldestFirst);
        assert_eq!(r[1].date, Some(ymd(2025, 1, 1)));
        assert_eq!(r[1].basis, Basis::Certain);
        // Two weeks between the anchors: Wednesday is ambiguous.
        let docs = [
            (Some(ymd(2024, 12, 30)), None),
            (None, Some(Wed)),
            (Some(ymd(2025, 1, 13)), None),
        ];
        let r = resolve_feed_dates(&docs, FeedOrder::OldestFirst);
        assert_eq!(r[1].basis, Basis::Ambiguous);
        assert_eq!(r[1].earliest, Some(ymd(2025, 1, 1)));
        assert_eq!(r[1].latest, Some(ymd(2025, 1, 8)));
    }

    #[test]
    fn without_anchor_offsets_and_without_weekday_bounds() {
        let docs = [
            (None, Some(Sat)),
            (None, None),
            (None, Some(Mon)),
            (None, Some(Mon)),
        ];
        let r = resolve_feed_dates(&docs, FeedOrder::OldestFirst);
        let offs: Vec<_> = r.iter().map(|d| d.day_offset).collect();
        assert_eq!(offs, [Some(0), None, Some(2), Some(2)]);
        assert_eq!(r[1].basis, Basis::Unknown);
        assert!(r.iter().all(|d| d.date.is_none()));

        let docs = [
            (Some(ymd(2024, 2, 27)), None),
            (None, None),
            (None, Some(Thu)),
        ];
        let r = resolve_feed_dates(&docs, FeedOrder::OldestFirst);
        assert_eq!(r[1].basis, Basis::Bounded);
        assert_eq!(r[1].earliest, Some(ymd(2024, 2, 27)));
        assert_eq!(r[1].latest, Some(ymd(2024, 2, 29))); // leap day
        assert_eq!(r[2].date, Some(ymd(2024, 2, 29)));
    }

    #[test]
    fn a_feed_s_undated_documents_take_their_resolved_dates() {
        use annalist_model::Document;
        let docs = vec![
            Document::new("a", "Talks resumed on Thursday.", None),
            Document::new("b", "Nothing dated here.", Some(ymd(2025, 3, 5))),
        ];
        let dated = date_feed(docs, FeedOrder::NewestFirst);
        assert_eq!(dated[0].0.date, Some(ymd(2025, 3, 6)));
        assert_eq!(dated[0].1.as_ref().unwrap().basis, Basis::Inferred);
        assert_eq!(dated[1].0.date, Some(ymd(2025, 3, 5)));
        assert!(dated[1].1.is_none());
    }

    #[test]
    fn weekdays_in_text() {
        assert_eq!(
            first_weekday("Rebels attacked on Tuesday, police said Wednesday."),
            Some(Tue)
        );
        assert_eq!(
            first_weekday("Fighting since Monday ended on Friday."),
            Some(Fri)
        );
        assert_eq!(first_weekday("No day here, sunday school."), None);
    }
}
