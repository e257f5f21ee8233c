//! Stage 8: event dates. Input: the tokens of a sentence, the event's trigger position,
//! the reporting verbs of the sentence and the document date; output: the event's date,
//! its precision and the words that fixed it. A time word that belongs to a reporting
//! verb ("officials said Thursday") dates the saying, not the event; otherwise the time
//! word nearest the trigger dates it; failing that, the document date does. Weekdays are
//! the most recent such day on or before the document date ("Tuesday" in a Tuesday story
//! is that day). Without a document date relative words resolve to nothing: `date` is
//! null, never a guess.
use annalist_dict::{WordClass, WordClasses};
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
    /// "March 3", "3 March 2025", "June 14, 2023": the year, when absent, is the
    /// anchor's (or the one before, when the day would lie weeks after the anchor).
    MonthDay(u32, u32, Option<i32>),
    /// "in March", "in March 2024": month precision.
    Month(u32, Option<i32>),
    /// "2025-03-03".
    Iso(NaiveDate),
    /// "in 2019": year precision.
    Year(i32),
    /// "this week" (0), "last week" (1): week precision, the Monday of that week.
    WeeksBack(i64),
    /// "earlier this month" (0), "last month" (1): month precision.
    MonthsBack(u32),
    /// "a week after", "two days before": shifts the expression that follows; alone
    /// ("a week after the election") it dates nothing.
    Shift(i64),
}

/// The calendar's words, read from the word classes: months (MONTH, valued by their
/// number), weekdays (WEEKDAY, valued 0 = Monday), days named relative to the document
/// date (DEICTIC_DAY, valued by days back), small numbers (NUMBER_WORD), words that join
/// a date phrase, and ordinal suffixes.
#[derive(Clone, Copy)]
pub struct Calendar<'a> {
    words: &'a WordClasses,
}

impl<'a> Calendar<'a> {
    pub fn new(words: &'a WordClasses) -> Self {
        Calendar { words }
    }

    fn is(&self, c: WordClass, w: &str) -> bool {
        self.words.has(c, w)
    }

    fn weekday(&self, w: &str) -> Option<Weekday> {
        let n: u8 = self.words.value(WordClass::Weekday, w)?.parse().ok()?;
        Weekday::try_from(n).ok()
    }

    fn month(&self, w: &str) -> Option<u32> {
        self.words.value(WordClass::Month, w)?.parse().ok()
    }

    fn number_word(&self, w: &str) -> Option<i64> {
        match self.words.value(WordClass::NumberWord, w) {
            Some(v) => v.parse().ok(),
            None => w.parse().ok().filter(|n| (1..=366).contains(n)),
        }
    }

    /// A lower-case word naming a day, a month or a holiday ("march", "sunday",
    /// "easter"): never a place, whatever town bears the name.
    pub fn calendar_word(&self, w: &str) -> bool {
        self.weekday(w).is_some()
            || self.month(w).is_some_and(|_| w.len() > 3 || w == "may")
            || self.is(WordClass::Holiday, w)
    }

    /// A day of the month: "3", "3rd", "3-4" (the first day of a range).
    fn day_number(&self, w: &str) -> Option<u32> {
        let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rest = &w[digits.len()..];
        if !(rest.is_empty()
            || self.is(WordClass::OrdinalSuffix, rest)
            || rest.starts_with('-') && rest[1..].chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        digits.parse().ok().filter(|d| (1..=31).contains(d))
    }
}

fn year_number(w: &str) -> Option<i32> {
    if w.len() == 4 {
        w.parse().ok().filter(|y| (1900..=2100).contains(y))
    } else {
        None
    }
}

/// The date of `month`/`day` in `year`, or in the year that puts it last on or before
/// the anchor (a week's grace for announced dates just ahead).
fn month_day(m: u32, d: u32, year: Option<i32>, anchor: Option<NaiveDate>) -> Option<NaiveDate> {
    match (year, anchor) {
        (Some(y), _) => NaiveDate::from_ymd_opt(y, m, d),
        (None, Some(a)) => {
            let this = NaiveDate::from_ymd_opt(a.year(), m, d);
            match this {
                Some(t) if t <= a + Duration::days(31) => Some(t),
                _ => NaiveDate::from_ymd_opt(a.year() - 1, m, d),
            }
        }
        (None, None) => None,
    }
}

/// A time expression: tokens `[start, end)` and what it says.
type Expression = (usize, usize, Relative);

/// The words of a sentence as the date finder sees them.
struct DateWords<'t, 'a> {
    toks: &'t [TaggedToken],
    cal: Calendar<'a>,
}

impl DateWords<'_, '_> {
    /// The lower-case word at `j`, or "" outside the sentence.
    fn word(&self, j: usize) -> &str {
        self.toks.get(j).map(|t| t.lower.as_str()).unwrap_or("")
    }

    /// "March 3[, 2025]", "3 March [2025]", "in March [2025]" at the month name `i`.
    /// `Err(())` when the month follows "since" (a period's start: no date here).
    fn month_date(&self, i: usize) -> Result<Option<Expression>, ()> {
        let (t, w) = (&self.toks[i], self.toks[i].lower.as_str());
        if !matches!(t.tag, annalist_dict::Tag::NNP | annalist_dict::Tag::NNPS) {
            return Ok(None);
        }
        let Some(m) = self.cal.month(w.trim_end_matches('.')) else {
            return Ok(None);
        };
        let word = |j| self.word(j);
        let mut s = i;
        if s > 0 && self.cal.is(WordClass::DayDateLead, word(s - 1)) {
            if word(s - 1) == "since" {
                return Err(());
            }
            s -= 1;
        }
        let year = |j: usize| year_number(word(j));
        if let Some(d) = self.cal.day_number(word(i + 1)) {
            let (y, end) = if word(i + 2) == "," && year(i + 3).is_some() {
                (year(i + 3), i + 4)
            } else if let Some(y) = year(i + 2) {
                (Some(y), i + 3)
            } else {
                (None, i + 2)
            };
            return Ok(Some((s, end, Relative::MonthDay(m, d, y))));
        }
        if let Some(d) = i.checked_sub(1).and_then(|p| self.cal.day_number(word(p))) {
            let s = if i >= 2 && word(i - 2) == "on" {
                i - 2
            } else {
                i - 1
            };
            let (y, end) = match year(i + 1) {
                Some(y) => (Some(y), i + 2),
                None => (None, i + 1),
            };
            return Ok(Some((s, end, Relative::MonthDay(m, d, y))));
        }
        if i > 0 && self.cal.is(WordClass::MonthDateLead, word(i - 1)) && w != "may" {
            let (y, end) = match year(i + 1) {
                Some(y) => (Some(y), i + 2),
                None => (None, i + 1),
            };
            return Ok(Some((i - 1, end, Relative::Month(m, y))));
        }
        Ok(None)
    }

    /// "three days", "a week" right before token `i`, in days.
    fn span_days(&self, i: usize) -> Option<i64> {
        let n = self.cal.number_word(self.word(i.checked_sub(2)?))?;
        match self.word(i - 1) {
            "day" | "days" => Some(n),
            "week" | "weeks" => Some(7 * n),
            _ => None,
        }
    }

    /// "this week", "last week", "earlier this month", "last month" at `i` ("week" or
    /// "month").
    fn week_or_month(&self, i: usize) -> Option<Expression> {
        let w = self.word(i);
        let back = match self.word(i - 1) {
            "this" => 0,
            // "over the last week": a span, not a date.
            "last" if i >= 2 && matches!(self.word(i - 2), "the" | "since") => return None,
            "last" => 1,
            _ => return None,
        };
        let mut s = i - 1;
        if s > 0 && self.cal.is(WordClass::RelativeDateLead, self.word(s - 1)) {
            s -= 1;
        }
        if s > 0 && self.word(s - 1) == "since" {
            return None;
        }
        let rel = if w == "week" {
            Relative::WeeksBack(back)
        } else {
            Relative::MonthsBack(back as u32)
        };
        Some((s, i + 1, rel))
    }

    /// A weekday or a day named relative to the document date ("Tuesday", "yesterday",
    /// "last night") at `i`, with the words that join it ("on", "late", "last").
    fn day_word(&self, i: usize) -> Option<Expression> {
        let w = self.word(i);
        let rel = if let Some(d) = self.cal.weekday(w) {
            Relative::Weekday(d)
        } else if let Some(back) = self.cal.words.value(WordClass::DeicticDay, w) {
            Relative::DaysBack(back.parse().ok()?)
        } else if w == "night" && i > 0 && self.word(i - 1) == "last" {
            Relative::DaysBack(1)
        } else {
            return None;
        };
        let mut s = i;
        if s > 0 && self.cal.is(WordClass::WeekdayDateLead, self.word(s - 1)) {
            if self.word(s - 1) == "since" {
                return None; // "since Tuesday" starts a period, it does not date an event
            }
            s -= 1;
            if s > 0 && self.word(s - 1) == "on" {
                s -= 1;
            }
        }
        Some((s, i + 1, rel))
    }

    /// The expression starting a look at token `i`, and whether the scan should skip
    /// to its end; `None` to go on with the next token.
    fn at(&self, i: usize) -> Option<(Option<Expression>, bool)> {
        let w = self.word(i);
        match self.month_date(i) {
            Err(()) => return Some((None, false)),
            Ok(Some(e)) => return Some((Some(e), true)),
            Ok(None) => {}
        }
        // "since 2022", "since March": the start of a period, not an event's date.
        let after_since = i > 0 && self.word(i - 1) == "since";
        // (A word without two hyphens cannot match the two literal ones: no parse.)
        let iso = (w.bytes().filter(|&b| b == b'-').count() >= 2)
            .then(|| NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
            .flatten();
        if let Some(d) = iso {
            let s = if i > 0 && self.word(i - 1) == "on" {
                i - 1
            } else {
                i
            };
            return Some((
                (!after_since).then_some((s, i + 1, Relative::Iso(d))),
                false,
            ));
        }
        // "during the 2020 war", "in the 1970s": a year on the noun, a decade.
        let after_the_lead = i >= 2
            && self.word(i - 1) == "the"
            && self.cal.is(WordClass::MonthDateLead, self.word(i - 2));
        // "in 2019", "in early 2019".
        if let Some(y) = year_number(w) {
            if after_the_lead {
                return Some((Some((i - 2, i + 1, Relative::Year(y))), false));
            }
            let e = (i > 0 && self.cal.is(WordClass::MonthDateLead, self.word(i - 1))).then(|| {
                let s = if i >= 2 && self.word(i - 2) == "in" {
                    i - 2
                } else {
                    i - 1
                };
                (s, i + 1, Relative::Year(y))
            });
            return Some((e, false));
        }
        // "in the 1970s": a decade, dated by its first year.
        if let Some(y) = w
            .strip_suffix('s')
            .and_then(year_number)
            .filter(|y| y % 10 == 0)
        {
            return Some((
                after_the_lead.then_some((i - 2, i + 1, Relative::Year(y))),
                false,
            ));
        }
        // "a week after March 3", "two days before Sunday"; "three days ago".
        if matches!(w, "after" | "before") && i >= 2 {
            let sign = if w == "after" { 1 } else { -1 };
            let e = self
                .span_days(i)
                .map(|d| (i - 2, i + 1, Relative::Shift(sign * d)));
            return Some((e, false));
        }
        if w == "ago" && i >= 2 {
            return Some((
                self.span_days(i)
                    .map(|d| (i - 2, i + 1, Relative::DaysBack(d))),
                false,
            ));
        }
        if matches!(w, "week" | "month") && i > 0 {
            return Some((self.week_or_month(i), false));
        }
        self.day_word(i).map(|e| (Some(e), false))
    }
}

/// Every time expression of a sentence, with the shift applied ([`expressions`]):
/// found once per sentence, whatever the number of its events to date.
pub struct Expressions(Vec<(usize, usize, Relative, i64)>);

impl Expressions {
    /// The expressions outside every token span of `spans` that does not hold token
    /// `trigger` ("X, which seized power in 2020, expelled …": the year is the relative
    /// clause's, not the main verb's).
    pub fn outside(&self, spans: &[(usize, usize)], trigger: usize) -> Expressions {
        let foreign = |s: usize| {
            spans
                .iter()
                .any(|&(a, b)| a <= s && s < b && !(a <= trigger && trigger < b))
        };
        Expressions(self.0.iter().copied().filter(|e| !foreign(e.0)).collect())
    }

    pub fn of(toks: &[TaggedToken], cal: Calendar) -> Expressions {
        Expressions(expressions(toks, cal))
    }
}

/// Every time expression of a sentence, with the shift ("a week after") applied to the
/// expression right after it (days; 0 for none).
fn expressions(toks: &[TaggedToken], cal: Calendar) -> Vec<(usize, usize, Relative, i64)> {
    let words = DateWords { toks, cal };
    let mut out = Vec::new();
    let mut skip_to = 0;
    for i in 0..toks.len() {
        if i < skip_to {
            continue;
        }
        if let Some((Some(e), skip)) = words.at(i) {
            if skip {
                skip_to = e.1;
            }
            out.push(e);
        }
    }
    merge_shifts(&out)
}

/// A shift applies to the expression right after it; alone it dates nothing.
fn merge_shifts(out: &[Expression]) -> Vec<(usize, usize, Relative, i64)> {
    let mut merged = Vec::with_capacity(out.len());
    let mut k = 0;
    while k < out.len() {
        let (s, e, rel) = out[k];
        if let Relative::Shift(d) = rel {
            if let Some(&(s2, e2, rel2)) = out.get(k + 1) {
                if s2 == e && !matches!(rel2, Relative::Shift(_)) {
                    merged.push((s, e2, rel2, d));
                    k += 2;
                    continue;
                }
            }
            k += 1;
            continue;
        }
        merged.push((s, e, rel, 0));
        k += 1;
    }
    merged
}

/// Dates an event whose trigger is token `trigger`; `speech_heads` are the token
/// indices of reporting verbs in the sentence.
pub fn resolve_event_date(
    cal: Calendar,
    toks: &[TaggedToken],
    trigger: usize,
    speech_heads: &[usize],
    doc_date: Option<NaiveDate>,
) -> EventDate {
    resolve_clause_date(cal, toks, trigger, speech_heads, &[], doc_date)
}

/// Like [`resolve_event_date`], but an expression with the head of another clause's
/// verb (`blockers`) between it and the trigger belongs to that clause ("the council
/// that took office last year said it had banned …": "last year" dates taking office).
/// When no expression governs the clause the result has `tokens: None` and the
/// document date.
pub fn resolve_clause_date(
    cal: Calendar,
    toks: &[TaggedToken],
    trigger: usize,
    speech_heads: &[usize],
    blockers: &[usize],
    doc_date: Option<NaiveDate>,
) -> EventDate {
    let exprs = Expressions::of(toks, cal);
    resolve_clause_date_in(&exprs, toks, trigger, speech_heads, blockers, doc_date)
}

/// [`resolve_clause_date`] with the sentence's time expressions found already.
pub fn resolve_clause_date_in(
    exprs: &Expressions,
    toks: &[TaggedToken],
    trigger: usize,
    speech_heads: &[usize],
    blockers: &[usize],
    doc_date: Option<NaiveDate>,
) -> EventDate {
    // "officials on Thursday said", "said Thursday", "said late on Thursday": a time
    // word touching a reporting verb (one word may come between, not a comma) dates the
    // saying.
    let gap_ok = |k: usize| {
        toks.get(k).is_some_and(|t| {
            t.lower.chars().any(char::is_alphanumeric)
                && !matches!(t.lower.as_str(), "and" | "but" | "or")
        })
    };
    let belongs_to_speech = |s: usize, e: usize| {
        speech_heads.iter().any(|&h| {
            h != trigger
                && ((e <= h && (h == e || (h - e == 1 && gap_ok(e))))
                    || (s > h && (s == h + 1 || (s - (h + 1) == 1 && gap_ok(h + 1)))))
        })
    };
    let blocked = |s: usize, e: usize| {
        blockers
            .iter()
            .chain(speech_heads)
            .any(|&h| h != trigger && ((e <= h && h < trigger) || (trigger < h && h < s)))
    };
    let chosen = exprs
        .0
        .iter()
        .copied()
        .filter(|&(s, e, _, _)| !belongs_to_speech(s, e) && !blocked(s, e))
        .min_by_key(|&(s, e, _, _)| {
            if s > trigger {
                s - trigger
            } else {
                // "arrested him on Monday and charged him on Wednesday": a time phrase
                // before a coordinator is the earlier verb's unless no other fits.
                let across = (e..trigger).any(|k| matches!(toks[k].lower.as_str(), "and" | "but"));
                // "Gunmen who kidnapped two engineers last month freed them on Friday":
                // a phrase after another clause's verb, with no comma before the
                // trigger, is that (relative) clause's unless no other fits.
                let other = blockers
                    .iter()
                    .any(|&h| h < s && h != trigger && (h..trigger).all(|k| toks[k].lower != ","));
                trigger.saturating_sub(e) + 1 + if across || other { 20 } else { 0 }
            }
        });
    // "Trump on Sunday dismissed …, even as he warned that …": a clause with no time
    // phrase of its own is dated by the one before it in the sentence, that of the
    // clause it is attached to, rather than by the document.
    let chosen = chosen.or_else(|| {
        exprs
            .0
            .iter()
            .copied()
            .filter(|&(s, e, _, _)| e <= trigger && !belongs_to_speech(s, e))
            .max_by_key(|&(s, _, _, _)| s)
    });
    let shift = chosen.map_or(0, |c| c.3);
    let mut d = resolve_expression(chosen.map(|(s, e, r, _)| (s, e, r)), doc_date);
    if shift != 0 {
        d.date = d.date.map(|x| x + Duration::days(shift));
    }
    d
}

fn resolve_expression(
    best: Option<(usize, usize, Relative)>,
    doc_date: Option<NaiveDate>,
) -> EventDate {
    // Absolute dates stand without an anchor.
    let absolute = best.and_then(|(s, e, rel)| match rel {
        Relative::MonthDay(m, d, y) => month_day(m, d, y, doc_date).map(|date| (date, "day", s, e)),
        Relative::Month(m, y) => month_day(m, 1, y, doc_date.map(|a| a.with_day(1).unwrap_or(a)))
            .map(|date| (date, "month", s, e)),
        Relative::Iso(d) => Some((d, "day", s, e)),
        Relative::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).map(|d| (d, "year", s, e)),
        Relative::WeeksBack(n) => doc_date.map(|a| {
            let monday = a - Duration::days(a.weekday().num_days_from_monday() as i64);
            (monday - Duration::days(7 * n), "week", s, e)
        }),
        Relative::MonthsBack(n) => doc_date.and_then(|a| {
            let first = a.with_day(1)?;
            let date = if n == 0 {
                first
            } else {
                first.checked_sub_months(chrono::Months::new(n))?
            };
            Some((date, "month", s, e))
        }),
        _ => None,
    });
    if let Some((date, precision, s, e)) = absolute {
        return EventDate {
            date: Some(date),
            precision,
            tokens: Some((s, e)),
        };
    }
    match (best, doc_date) {
        (Some((s, e, rel)), Some(anchor)) => {
            let date = match rel {
                Relative::DaysBack(n) => anchor - Duration::days(n),
                Relative::Weekday(d) => last_weekday(anchor, d),
                // Absolute dates were resolved above; an impossible one ("February
                // 30") falls back to the anchor.
                _ => anchor,
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

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn month_day_takes_the_year_that_fits_the_anchor() {
        let anchor = ymd(2025, 1, 4);
        // "December 30" in an early-January story is last year's.
        assert_eq!(
            month_day(12, 30, None, Some(anchor)),
            Some(ymd(2024, 12, 30))
        );
        // A date a few days ahead (an announced meeting) stays in the anchor's year.
        assert_eq!(month_day(1, 17, None, Some(anchor)), Some(ymd(2025, 1, 17)));
        assert_eq!(month_day(2, 29, Some(2024), None), Some(ymd(2024, 2, 29)));
        assert_eq!(month_day(2, 29, Some(2025), None), None);
        assert_eq!(month_day(3, 3, None, None), None);
    }

    #[test]
    fn day_numbers() {
        let d = annalist_dict::Dictionaries::embedded();
        let cal = Calendar::new(&d.classes);
        assert_eq!(cal.day_number("3"), Some(3));
        assert_eq!(cal.day_number("21st"), Some(21));
        assert_eq!(cal.day_number("3-4"), Some(3));
        assert_eq!(cal.day_number("32"), None);
        assert_eq!(cal.day_number("3pm"), None);
        assert_eq!(year_number("2023"), Some(2023));
        assert_eq!(year_number("300"), None);
    }
}
