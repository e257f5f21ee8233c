//! The WARC reader on the fixture `tests/fixtures/news.warc.gz` (made by
//! `tests/fixtures/make-warc.py`, which lists its records): pages, dates and their
//! basis, skipped records, and damaged gzip members.
use annalist_feeds::warc::{read_warc_pages, DateBasis, WarcPage};
use annalist_feeds::{read_input, Document, InputKind, ReadError, ReadOptions};
use chrono::NaiveDate;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const SITE: &str = "https://courier.example.org";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news.warc.gz")
}

fn read(path: &Path, kind: Option<InputKind>) -> (Vec<Document>, Vec<ReadError>) {
    let (mut docs, mut errs) = (Vec::new(), Vec::new());
    read_input(
        &path.to_string_lossy(),
        kind,
        &ReadOptions::default(),
        &mut |r| match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        },
    );
    (docs, errs)
}

fn pages(bytes: &[u8]) -> (Vec<WarcPage>, Vec<String>) {
    let (mut pages, mut errs) = (Vec::new(), Vec::new());
    read_warc_pages(
        "x.warc.gz",
        Box::new(bytes),
        &ReadOptions::default(),
        &mut |r| match r {
            Ok(p) => pages.push(p),
            Err(e) => errs.push(e.to_string()),
        },
    );
    (pages, errs)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The fixture's records, uncompressed, one per gzip member.
fn records() -> Vec<Vec<u8>> {
    let raw = std::fs::read(fixture()).unwrap();
    let mut out = Vec::new();
    let mut rest: &[u8] = &raw;
    while !rest.is_empty() {
        let mut d = flate2::bufread::GzDecoder::new(rest);
        let mut rec = Vec::new();
        d.read_to_end(&mut rec).unwrap();
        rest = d.into_inner();
        out.push(rec);
    }
    out
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn fixture_pages_dates_and_skipped_records() {
    let (docs, errs) = read(&fixture(), None);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("{SITE}/africa/nairobi-protest"),
            format!("{SITE}/africa/water-accord"),
            format!("{SITE}/europe/kharkiv-shelling"),
        ]
    );
    // The page's own date; WARC-Date for the undated page; JSON-LD through gzip+chunked.
    let dates: Vec<_> = docs.iter().map(|d| d.date).collect();
    assert_eq!(dates, [ymd(2025, 3, 4), ymd(2025, 3, 9), ymd(2025, 3, 7)]);
    assert!(docs[0]
        .text
        .contains("arrested twelve protesters in Nairobi"));
    assert!(docs[2]
        .text
        .contains("shelled the Ukrainian city of Kharkiv"));
    assert!(!docs[0].text.contains("Copyright"), "boilerplate dropped");
    assert_eq!(
        docs[0].title.as_deref(),
        Some("Police detain protesters in Nairobi")
    );
    assert_eq!(docs[0].source.as_deref(), Some("courier.example.org"));
    let file = fixture().to_string_lossy().into_owned();
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert_eq!(
        msgs[0],
        format!("{file}:0: record 5 ({SITE}/images/crowd.jpg): not an HTML page (Content-Type image/jpeg); skipped")
    );
    assert_eq!(
        msgs[1],
        format!("{file}:0: record 6 ({SITE}/old/story): HTTP status 404; skipped")
    );
    assert_eq!(
        msgs[2],
        format!("{file}:0: record 8 ({SITE}/moved): HTTP status 301; skipped")
    );
}

#[test]
fn date_basis_marks_the_fetch_date() {
    let (pages, errs) = pages(&std::fs::read(fixture()).unwrap());
    assert_eq!(errs.len(), 3);
    let basis: Vec<_> = pages.iter().map(|p| (p.record, p.date_basis)).collect();
    assert_eq!(
        basis,
        [
            (3, DateBasis::Page),
            (4, DateBasis::Fetched),
            (7, DateBasis::Page)
        ]
    );
    let marks: Vec<_> = pages.iter().map(|p| p.document.date_basis).collect();
    assert_eq!(marks, [None, Some(annalist_model::Basis::Fetched), None]);
}

#[test]
fn a_record_without_any_date_takes_the_default_date() {
    let recs = records();
    // Record 4 (the undated page) with its WARC-Date line removed.
    let text = String::from_utf8(recs[3].clone()).unwrap();
    let without: String = text
        .split_inclusive("\r\n")
        .filter(|l| !l.starts_with("WARC-Date:"))
        .collect();
    let (p, errs) = pages(without.as_bytes());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].document.date, None);
    assert_eq!(p[0].date_basis, DateBasis::Default);
    let opts = ReadOptions {
        default_date: ymd(2025, 1, 2),
        ..Default::default()
    };
    let mut got = Vec::new();
    read_warc_pages("x.warc", Box::new(without.as_bytes()), &opts, &mut |r| {
        got.push(r.unwrap())
    });
    assert_eq!(got[0].document.date, ymd(2025, 1, 2));
}

#[test]
fn uncompressed_and_whole_file_gzip_read_the_same() {
    let recs = records();
    let plain = recs.concat();
    let dir = tempfile::tempdir().unwrap();
    let (want, want_errs) = read(&fixture(), None);
    // Named .warc, uncompressed.
    let p = dir.path().join("news.warc");
    std::fs::write(&p, &plain).unwrap();
    let (docs, errs) = read(&p, None);
    assert_eq!(docs, want);
    assert_eq!(errs.len(), want_errs.len());
    // One gzip member for the whole file, under a name that says nothing: sniffed.
    let p = dir.path().join("crawl.dat");
    std::fs::write(&p, gz(&plain)).unwrap();
    let (docs, errs) = read(&p, None);
    assert_eq!(docs, want);
    assert_eq!(errs.len(), 3);
    // A folder finds `.warc.gz` files.
    std::fs::copy(fixture(), dir.path().join("more.warc.gz")).unwrap();
    std::fs::remove_file(&p).unwrap();
    let (docs, _) = read(dir.path(), None);
    assert_eq!(docs.len(), 6);
}

#[test]
fn truncated_last_member_keeps_the_records_before() {
    let raw = std::fs::read(fixture()).unwrap();
    let members: Vec<Vec<u8>> = records().iter().map(|r| gz(r)).collect();
    // Cut the file inside the seventh member (the Kharkiv page).
    let before: usize = members[..6].iter().map(Vec::len).sum();
    let cut = [
        &members[..6].concat()[..],
        &members[6][..members[6].len() / 2],
    ]
    .concat();
    assert!(cut.len() < raw.len());
    let (p, errs) = pages(&cut);
    assert_eq!(p.len(), 2, "the two pages before the damage");
    assert_eq!(errs.len(), 3, "{errs:?}");
    let prefix =
        format!("x.warc.gz:0: record 7: truncated or corrupt gzip member at byte {before}: ");
    assert!(errs[2].starts_with(&prefix), "{errs:?}");
    assert!(
        errs[2].contains("the file ends inside the member"),
        "{errs:?}"
    );
    assert!(errs[2].ends_with("; skipped"), "{errs:?}");
}

#[test]
fn damaged_member_in_the_middle_is_skipped_and_reading_goes_on() {
    let recs = records();
    let members: Vec<Vec<u8>> = recs.iter().map(|r| gz(r)).collect();
    // The third record (the Nairobi page) cut short, then the rest intact.
    let mut bytes = members[..2].concat();
    let start = bytes.len();
    bytes.extend_from_slice(&members[2][..members[2].len() / 2]);
    bytes.extend_from_slice(&members[3..].concat());
    let (p, errs) = pages(&bytes);
    let read: Vec<_> = p.iter().map(|p| p.record).collect();
    assert_eq!(
        read,
        [4, 7],
        "the pages after the damage keep their numbers"
    );
    assert!(
        errs[0].starts_with(&format!(
            "x.warc.gz:0: record 3: truncated or corrupt gzip member at byte {start}: "
        )),
        "{errs:?}"
    );
    assert_eq!(errs.len(), 4, "{errs:?}");
    // A flipped byte inside a member: a CRC or deflate error, the others read.
    let mut bytes = members.concat();
    let at = members[..3].iter().map(Vec::len).sum::<usize>() + 40;
    bytes[at] ^= 0x55;
    let (p, errs) = pages(&bytes);
    assert_eq!(p.iter().map(|p| p.record).collect::<Vec<_>>(), [3, 7]);
    assert!(
        errs[0].contains("record 4: truncated or corrupt gzip member"),
        "{errs:?}"
    );
}

#[test]
fn garbage_and_oddities_never_panic() {
    for bytes in [
        &b""[..],
        b"WARC/1.0\r\n",
        b"WARC/1.0\r\nContent-Length: 99\r\n\r\nshort",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: x\r\n\r\n",
        b"\x1f\x8b\x08\x00\x00",
        b"\x1f\x8b\x08\x1f\x00\x00\x00\x00\x00\xff",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 4\r\n\r\nHTTP\r\n\r\n",
    ] {
        let (p, _) = pages(bytes);
        assert!(p.is_empty());
    }
    let (_, errs) = pages(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/\r\nContent-Length: 4\r\n\r\nHTTP\r\n\r\n");
    assert_eq!(
        errs,
        ["x.warc.gz:0: record 1 (https://a.example/): no HTTP header in the response block"]
    );
}
