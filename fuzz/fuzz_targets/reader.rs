//! The document readers never panic; every error names its file and a line in range.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = annalist_io::ReadOptions {
        max_record_bytes: 4096,
        default_date: None,
    };
    let lines = data.split(|&b| b == b'\n').count();
    let mut check = |r: Result<annalist_coder::Document, annalist_io::ReadError>| {
        if let Err(e) = r {
            let s = e.to_string();
            assert!(s.starts_with("fuzz:"), "{s}");
            assert!(e.line <= lines + 1, "{s}");
        }
    };
    annalist_io::read_json_lines("fuzz", data, &opts, &mut check);
    annalist_io::read_plain_text("fuzz", data, &opts, &mut check);
});
