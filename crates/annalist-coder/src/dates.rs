//! Stage 8: event dates. Input: the tokens of a sentence, the event's trigger position,
//! the reporting verbs of the sentence and the document date; output: the event's date,
//! its precision and the words that fixed it. A time word that belongs to a reporting
//! verb ("officials said Thursday") dates the saying, not the event; otherwise the time
//! word nearest the trigger dates it; failing that, the document date does. Weekdays are
//! the most recent such day on or before the document date ("Tuesday" in a Tuesday story
//! is that day). Without a document date relative words resolve to nothing: `date` is
//! null, never a guess.
use annalist_text::TaggedToken;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A resolved event date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDate {
    pub date: Option<NaiveDate>,
    pub precision: &'static str,
    /// Token range of the words that fixed it, if any.
    pub tokens: Option<(usize, usize)>,
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The most recent `day` on or before `anchor`.
pub fn last_weekday(anchor: NaiveDate, day: Weekday) -> NaiveDate {
    let back = (anchor.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    anchor - Duration::days(back as i64)
}

/// A time expression found in a sentence: token range and its offset from the anchor
/// (days back), or a weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relative {
    DaysBack(i64),
    Weekday(Weekday),
}

fn expressions(toks: &[TaggedToken]) -> Vec<(usize, usize, Relative)> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower.as_str();
        let rel = if let Some(d) = weekday(w) {
            Some(Relative::Weekday(d))
        } else {
            match w {
                "today" | "tonight" => Some(Relative::DaysBack(0)),
                "yesterday" => Some(Relative::DaysBack(1)),
                _ => None,
            }
        };
        if let Some(r) = rel {
            let mut s = i;
            if s > 0
                && matches!(
                    toks[s - 1].lower.as_str(),
                    "on" | "early" | "late" | "last" | "since"
                )
            {
                if toks[s - 1].lower == "since" {
                    continue; // "since Tuesday" starts a period, it does not date an event
                }
                s -= 1;
                if s > 0 && toks[s - 1].lower == "on" {
                    s -= 1;
                }
            }
            out.push((s, i + 1, r));
        }
    }
    out
}

/// Dates an event whose trigger is token `trigger`; `speech_heads` are the token
/// indices of reporting verbs in the sentence.
pub fn resolve_event_date(
    toks: &[TaggedToken],
    trigger: usize,
    speech_heads: &[usize],
    doc_date: Option<NaiveDate>,
) -> EventDate {
    let belongs_to_speech = |s: usize, e: usize| {
        speech_heads
            .iter()
            .any(|&h| h != trigger && (e <= h && h - e <= 1 || s > h && s - (h + 1) <= 1))
    };
    let best = expressions(toks)
        .into_iter()
        .filter(|&(s, e, _)| !belongs_to_speech(s, e))
        .min_by_key(|&(s, e, _)| {
            if s > trigger {
                s - trigger
            } else {
                trigger.saturating_sub(e) + 1
            }
        });
    match (best, doc_date) {
        (Some((s, e, rel)), Some(anchor)) => {
            let date = match rel {
                Relative::DaysBack(n) => anchor - Duration::days(n),
                Relative::Weekday(d) => last_weekday(anchor, d),
            };
            EventDate {
                date: Some(date),
                precision: "day",
                tokens: Some((s, e)),
            }
        }
        (Some((s, e, _)), None) => EventDate {
            date: None,
            precision: "day",
            tokens: Some((s, e)),
        },
        (None, Some(anchor)) => EventDate {
            date: Some(anchor),
            precision: "day",
            tokens: None,
        },
        (None, None) => EventDate {
            date: None,
            precision: "day",
            tokens: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_on_or_before_anchor() {
        let thu = NaiveDate::from_ymd_opt(2025, 3, 6).unwrap();
        assert_eq!(
            last_weekday(thu, Weekday::Tue),
            NaiveDate::from_ymd_opt(2025, 3, 4).unwrap()
        );
        assert_eq!(last_weekday(thu, Weekday::Thu), thu);
        assert_eq!(
            last_weekday(thu, Weekday::Fri),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
        // Across a year boundary.
        let jan1 = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(); // a Wednesday
        assert_eq!(
            last_weekday(jan1, Weekday::Sun),
            NaiveDate::from_ymd_opt(2024, 12, 29).unwrap()
        );
    }
}
