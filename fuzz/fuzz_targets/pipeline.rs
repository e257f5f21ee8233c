//! The whole pipeline codes any text without panicking; every record is valid JSON and
//! its offsets are character boundaries inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn coder() -> &'static annalist_coder::Coder {
    static C: OnceLock<annalist_coder::Coder> = OnceLock::new();
    C.get_or_init(|| {
        annalist_coder::Coder::new(
            &annalist_dict::Dictionaries::embedded(),
            annalist_coder::CoderOptions::default(),
        )
    })
}

fuzz_target!(|text: &str| {
    let doc = annalist_coder::Document::new("f", text, chrono::NaiveDate::from_ymd_opt(2024, 2, 29));
    for r in coder().code(&doc) {
        let json = serde_json::to_string(&r).expect("serialises");
        let _: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        for (s, e) in [(r.source.start, r.source.end), (r.evidence.start, r.evidence.end)] {
            assert!(s <= e && e <= text.len());
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        }
    }
});
