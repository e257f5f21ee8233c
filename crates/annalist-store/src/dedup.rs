//! The merge rule: when two mentions (coded records, usually from different articles)
//! are the same real-world event. Pure functions; [`crate::Store::ingest`] applies them.
//!
//! Two mentions are one event when all of these hold:
//! - the same source actor code (`cameo_actor`, e.g. `RUSMIL`), the same target actor
//!   code (or both without a target) and the same PLOVER event type — so tit-for-tat
//!   (swapped source and target) and different types never merge;
//! - their dates are compatible at the coarser of the two precisions
//!   ([`dates_compatible`]): day ±1 day (reports dated from the story date and from the
//!   event's weekday disagree by one), week ±7 days, month the same calendar month, year
//!   the same year;
//! - their locations are compatible ([`locations_compatible`]): equal, either missing,
//!   or one only the country the other is in — two attacks the same day in two cities
//!   stay two events;
//! - a mention without a date merges only with undated mentions of the same key in the
//!   same document (the article repeating itself): across documents nothing says they
//!   are the same event.
//!
//! A new mention joins the compatible event whose anchor (the date of the mention that
//! created it) is nearest, preferring an exact location match, then the oldest event;
//! with none it creates an event anchored on its own date. The anchor never moves, so
//! a daily series of attacks does not chain into one event: mentions on days d, d+1,
//! d+2 form {d, d+1} and {d+2}. The clustering is greedy in ingestion order: the same
//! documents in the same order give the same events.
use chrono::{Datelike, NaiveDate};

/// How exact a date is, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Day,
    Week,
    Month,
    Year,
}

impl Precision {
    /// Reads the coder's `date_precision`; an unknown or missing value counts as a day.
    pub fn parse(s: Option<&str>) -> Precision {
        match s {
            Some("week") => Precision::Week,
            Some("month") => Precision::Month,
            Some("year") => Precision::Year,
            _ => Precision::Day,
        }
    }

    /// The widest distance in days two compatible dates can have (for index lookups).
    pub fn max_days(self) -> i64 {
        match self {
            Precision::Day => 1,
            Precision::Week => 7,
            Precision::Month => 31,
            Precision::Year => 366,
        }
    }
}

/// A dated mention or event anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    pub date: NaiveDate,
    pub precision: Precision,
}

/// Whether two dates can be the same event, judged at the coarser precision.
pub fn dates_compatible(a: DateSpan, b: DateSpan) -> bool {
    match a.precision.max(b.precision) {
        Precision::Day => (a.date - b.date).num_days().abs() <= 1,
        Precision::Week => (a.date - b.date).num_days().abs() <= 7,
        Precision::Month => a.date.year() == b.date.year() && a.date.month() == b.date.month(),
        Precision::Year => a.date.year() == b.date.year(),
    }
}

/// Whether two location keys can be the same place: equal, either missing (`""`), or
/// one only the country the other place is in ("UKR" and "Kharkiv, UKR").
pub fn locations_compatible(a: &str, b: &str) -> bool {
    a.is_empty()
        || b.is_empty()
        || a == b
        || (key_country(a) == key_country(b) && (!a.contains(", ") || !b.contains(", ")))
}

/// The key a record's `location` is compared by: `""` when missing, the ISO3 code for
/// a country-level location ("UKR"), else "name, ISO3" ("Kharkiv, UKR").
pub fn location_key(location: Option<&annalist_model::Location>) -> String {
    match location {
        None => String::new(),
        Some(l) if l.precision == "country" => l.country.clone(),
        Some(l) => format!("{}, {}", l.name.trim(), l.country),
    }
}

/// The country of a location key.
fn key_country(k: &str) -> &str {
    k.rsplit_once(", ").map_or(k, |(_, c)| c)
}

/// Days since 1970-01-01 (the `day` column: compared with integer ranges in SQL).
pub fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// The reverse of [`day_number`].
pub fn from_day_number(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(n)
}

/// A candidate event for a new mention (same source, target and type already).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub event: i64,
    pub anchor: DateSpan,
    pub location: String,
}

/// The event a dated mention joins among candidates with its key: the compatible one
/// with the nearest anchor, then an exact location match, then the oldest.
pub fn choose(mention: DateSpan, location: &str, candidates: &[Candidate]) -> Option<i64> {
    candidates
        .iter()
        .filter(|c| dates_compatible(mention, c.anchor))
        .filter(|c| locations_compatible(location, &c.location))
        .min_by_key(|c| {
            (
                (mention.date - c.anchor.date).num_days().abs(),
                c.location != location,
                c.event,
            )
        })
        .map(|c| c.event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, p: Precision) -> DateSpan {
        DateSpan {
            date: NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap(),
            precision: p,
        }
    }

    #[test]
    fn day_tolerance_is_one_day() {
        use Precision::Day;
        assert!(dates_compatible(d("2025-03-04", Day), d("2025-03-05", Day)));
        assert!(dates_compatible(d("2025-03-04", Day), d("2025-03-03", Day)));
        assert!(!dates_compatible(
            d("2025-03-04", Day),
            d("2025-03-06", Day)
        ));
    }

    #[test]
    fn week_tolerance_is_seven_days_and_applies_to_a_day_against_a_week() {
        use Precision::*;
        assert!(dates_compatible(
            d("2025-03-03", Week),
            d("2025-03-10", Day)
        ));
        assert!(!dates_compatible(
            d("2025-03-03", Week),
            d("2025-03-11", Day)
        ));
    }

    #[test]
    fn month_precision_means_the_same_calendar_month() {
        use Precision::*;
        assert!(dates_compatible(
            d("2025-03-01", Month),
            d("2025-03-31", Day)
        ));
        assert!(!dates_compatible(
            d("2025-03-01", Month),
            d("2025-02-28", Day)
        ));
        assert!(!dates_compatible(
            d("2025-03-01", Month),
            d("2024-03-01", Month)
        ));
        assert!(dates_compatible(
            d("2025-01-01", Year),
            d("2025-12-31", Day)
        ));
        assert!(!dates_compatible(
            d("2025-01-01", Year),
            d("2026-01-01", Day)
        ));
    }

    #[test]
    fn locations_merge_when_equal_or_one_is_missing() {
        assert!(locations_compatible("Kharkiv, UKR", "Kharkiv, UKR"));
        assert!(locations_compatible("", "Kharkiv, UKR"));
        assert!(locations_compatible("Odesa, UKR", ""));
        assert!(!locations_compatible("Kharkiv, UKR", "Odesa, UKR"));
        assert!(locations_compatible("UKR", "Odesa, UKR"));
        assert!(!locations_compatible("RUS", "Odesa, UKR"));
        assert!(!locations_compatible("RUS", "UKR"));
    }

    #[test]
    fn location_keys_are_place_names() {
        let l = annalist_model::Location {
            name: "Kharkiv".into(),
            admin1: Some("Kharkiv".into()),
            country: "UKR".into(),
            lat: 49.98,
            lon: 36.25,
            precision: "city".into(),
            text: "Kharkov".into(),
            start: 0,
            end: 7,
        };
        assert_eq!(location_key(Some(&l)), "Kharkiv, UKR");
        assert_eq!(location_key(None), "");
    }

    #[test]
    fn the_nearest_compatible_anchor_wins_then_the_exact_place() {
        use Precision::Day;
        let c = |event, date, loc: &str| Candidate {
            event,
            anchor: d(date, Day),
            location: loc.into(),
        };
        let cands = [
            c(1, "2025-03-03", ""),
            c(2, "2025-03-04", "Odesa"),
            c(3, "2025-03-04", "Kharkiv"),
            c(4, "2025-03-10", ""),
        ];
        assert_eq!(choose(d("2025-03-04", Day), "Kharkiv", &cands), Some(3));
        assert_eq!(choose(d("2025-03-04", Day), "Odesa", &cands), Some(2));
        assert_eq!(choose(d("2025-03-04", Day), "Lviv", &cands), Some(1));
        assert_eq!(choose(d("2025-03-07", Day), "", &cands), None);
    }

    #[test]
    fn day_numbers_round_trip() {
        let x = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        assert_eq!(from_day_number(day_number(x)), x);
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }
}
