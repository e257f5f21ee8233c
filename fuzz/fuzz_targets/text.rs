//! Sentence spans and token offsets are always in range and on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut last = 0;
    for s in annalist_text::split_sentences(text) {
        assert!(s.start >= last && s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        last = s.end;
        for t in annalist_text::tokenize(text, s.start, s.end) {
            assert!(s.start <= t.start && t.start < t.end && t.end <= s.end);
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }
});
