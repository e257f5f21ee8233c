//! The date resolver never panics, whatever the words and the anchor; the feed-order
//! solver never panics and keeps given dates.
#![no_main]
use annalist_coder::order::{resolve_feed_dates, FeedOrder};
use chrono::{Datelike, NaiveDate, Weekday};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn dicts() -> &'static annalist_dict::Dictionaries {
    static D: OnceLock<annalist_dict::Dictionaries> = OnceLock::new();
    D.get_or_init(annalist_dict::Dictionaries::embedded)
}

fn tagger() -> &'static annalist_text::Tagger {
    static T: OnceLock<annalist_text::Tagger> = OnceLock::new();
    T.get_or_init(|| annalist_text::Tagger::new(dicts()))
}

fuzz_target!(|input: (u32, &str, Vec<(Option<u16>, u8)>)| {
    let (day, text, feed) = input;
    let anchor = NaiveDate::from_num_days_from_ce_opt((day % 800_000) as i32 + 1);
    let tagger = tagger();
    for s in annalist_text::split_sentences(text) {
        let toks = tagger.tag(text, &annalist_text::tokenize(text, s.start, s.end));
        for trigger in 0..toks.len().min(8) {
            let cal = annalist_coder::dates::Calendar::new(&dicts().classes);
            let d = annalist_coder::dates::resolve_event_date(cal, &toks, trigger, &[0], anchor);
            if let Some((a, b)) = d.tokens {
                assert!(a < b && b <= toks.len());
            }
        }
    }
    let docs: Vec<(Option<NaiveDate>, Option<Weekday>)> = feed
        .iter()
        .take(64)
        .map(|&(d, w)| {
            (
                d.and_then(|d| NaiveDate::from_ymd_opt(2000, 1, 1).map(|x| x + chrono::Duration::days(d as i64))),
                Weekday::try_from(w % 8).ok(),
            )
        })
        .collect();
    for order in [FeedOrder::NewestFirst, FeedOrder::OldestFirst] {
        let r = resolve_feed_dates(&docs, order);
        assert_eq!(r.len(), docs.len());
        for (doc, res) in docs.iter().zip(&r) {
            if let Some(g) = doc.0 {
                assert_eq!(res.date, Some(g));
            } else if let (Some(d), Some(w)) = (res.date, doc.1) {
                assert_eq!(d.weekday(), w);
            }
        }
    }
});
