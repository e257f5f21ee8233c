//! The feed, HTML and Markdown readers (and the gzip and format sniffing in front of
//! them) never panic; every error names its input.
#![no_main]
use annalist_feeds::read::{read_stream, InputKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = annalist_io::ReadOptions {
        max_record_bytes: 4096,
        default_date: None,
    };
    let mut check = |r: Result<annalist_coder::Document, annalist_io::ReadError>| match r {
        Err(e) => assert!(e.to_string().starts_with("fuzz"), "{e}"),
        Ok(d) => assert!(!d.id.is_empty()),
    };
    for kind in [
        None,
        Some(InputKind::Feed),
        Some(InputKind::Html),
        Some(InputKind::Markdown),
    ] {
        read_stream("fuzz", Box::new(data), kind, &opts, &mut check);
    }
});
