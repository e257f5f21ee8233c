//! Property tests: on any Unicode text the pipeline does not panic, every offset it
//! writes is a character boundary inside the text, and every record is valid JSON.
use annalist_coder::{Coder, CoderOptions, Document};
use annalist_dict::Dictionaries;
use proptest::prelude::*;
use std::sync::OnceLock;

fn coder() -> &'static Coder {
    static C: OnceLock<Coder> = OnceLock::new();
    C.get_or_init(|| Coder::new(&Dictionaries::embedded(), CoderOptions::default()))
}

/// News-like words mixed with arbitrary characters, so the generator reaches the
/// actor and event stages and not only the tokeniser.
fn newsish() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "Russia",
        "Ukraine's",
        "troops",
        "attacked",
        "said",
        "on",
        "Tuesday",
        "the",
        "U.S.",
        "did",
        "not",
        "agree",
        "to",
        "talks",
        "with",
        "Hamas",
        ",",
        ".",
        "\"",
        "—",
        "Kyiv",
        "March",
        "3",
        "2024-02-29",
        "MOSCOW:",
        "(AFP)",
        "its",
        "forces",
        "urged",
        "Iran",
        "é",
        "日本",
        "🙂",
        "\u{200b}",
        "\n\n",
        "U.N.",
        "Gen.",
        "1.5",
        "—",
        "'s",
        "-",
    ]);
    (
        prop::collection::vec(
            prop_oneof![words.prop_map(String::from), any::<String>()],
            0..40,
        ),
        any::<bool>(),
    )
        .prop_map(|(v, spaced)| v.join(if spaced { " " } else { "" }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn offsets_are_char_boundaries_and_records_are_json(text in newsish()) {
        let doc = Document::new("p", text.clone(), chrono::NaiveDate::from_ymd_opt(2024, 2, 29));
        for r in coder().code(&doc) {
            let json = serde_json::to_string(&r).unwrap();
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back["doc_id"].as_str(), Some("p"));
            let mut spans = vec![(r.source.start, r.source.end), (r.evidence.start, r.evidence.end)];
            if let Some(t) = &r.target {
                spans.push((t.start, t.end));
            }
            if let Some(d) = &r.date_text {
                spans.push((d.start, d.end));
            }
            for (s, e) in spans {
                prop_assert!(s <= e && e <= text.len(), "{s}..{e} in {}", text.len());
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn sentences_and_tokens_stay_inside_the_text(text in any::<String>()) {
        for s in annalist_text::split_sentences(&text) {
            prop_assert!(s.start <= s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            for t in annalist_text::tokenize(&text, s.start, s.end) {
                prop_assert!(s.start <= t.start && t.start < t.end && t.end <= s.end);
                prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            }
        }
    }
}
