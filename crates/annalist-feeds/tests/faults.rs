//! Reader faults: each gives a clear error naming the file (and line or item), and the
//! reading goes on with the next record or file; nothing partial becomes a document.
mod common;
use annalist_feeds::{read_input, Document, ReadError, ReadOptions};
use common::fixtures::*;
use std::io::Write;
use std::path::Path;

fn read(path: &Path) -> (Vec<Document>, Vec<ReadError>) {
    let (mut docs, mut errs) = (Vec::new(), Vec::new());
    read_input(
        &path.to_string_lossy(),
        None,
        &ReadOptions::default(),
        &mut |r| match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        },
    );
    (docs, errs)
}

fn truncated_gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    let mut z = e.finish().unwrap();
    z.truncate(z.len() * 2 / 3);
    z
}

#[test]
fn feed_that_is_not_xml() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("a-bad.rss");
    std::fs::write(&bad, "this is not a feed, just words\n").unwrap();
    let html = dir.path().join("b-page.xml");
    std::fs::write(&html, "<html><body><p>hello</p></body></html>").unwrap();
    let good = dir.path().join("c-good.atom");
    std::fs::write(&good, ATOM).unwrap();
    let (docs, errs) = read(dir.path());
    assert_eq!(errs.len(), 2, "{errs:?}");
    let msg = errs[0].to_string();
    assert!(
        msg.starts_with(&format!("{}:0: not an RSS or Atom feed", bad.display())),
        "{msg}"
    );
    assert!(
        errs[1]
            .to_string()
            .contains("b-page.xml:0: not an RSS or Atom feed"),
        "{}",
        errs[1]
    );
    assert_eq!(docs.len(), 2, "the good feed after the bad ones is read");
}

#[test]
fn feed_items_without_text_are_reported_by_item() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.rss");
    std::fs::write(
        &p,
        rss(
            "F",
            &[
                item("urn:f:1", "Only a title", "", None),
                item(
                    "urn:f:2",
                    "Fine",
                    "Pickets gathered outside the mill.",
                    None,
                ),
            ],
        ),
    )
    .unwrap();
    let (docs, errs) = read(&p);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0]
            .to_string()
            .ends_with("f.rss:0: item 1 (urn:f:1): no text in its description or content"),
        "{}",
        errs[0]
    );
    assert_eq!(docs.len(), 1);
    assert_eq!(
        docs[0].date, None,
        "an item without a date is not dated by the reader"
    );
}

#[test]
fn truncated_gzip() {
    let dir = tempfile::tempdir().unwrap();
    // JSON Lines: the complete records before the damage, then one error.
    let mut lines = String::new();
    for i in 0..400 {
        lines.push_str(&format!(
            "{{\"id\":\"t{i}\",\"text\":\"Record number {i} tells of a meeting between two mayors about a shared bus line.\"}}\n"
        ));
    }
    let p = dir.path().join("big.jsonl.gz");
    std::fs::write(&p, truncated_gz(lines.as_bytes())).unwrap();
    let (docs, errs) = read(&p);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].to_string().contains("big.jsonl.gz:"), "{}", errs[0]);
    assert!(
        errs[0].message.contains("truncated or corrupt gzip"),
        "{}",
        errs[0]
    );
    assert!(!docs.is_empty() && docs.len() < 400);
    for (i, d) in docs.iter().enumerate() {
        assert_eq!(d.id, format!("t{i}"));
        assert!(d.text.ends_with("shared bus line."), "no partial record");
    }
    // A whole-file format: nothing from it.
    let p = dir.path().join("feed.rss.gz");
    let mut feed = String::new();
    let items: Vec<String> = (0..50).map(|i| format!("urn:g:{i}")).collect();
    let fixture: Vec<_> = items
        .iter()
        .map(|g| {
            item(
                g,
                "t",
                "A long enough description of a ferry timetable change.",
                None,
            )
        })
        .collect();
    feed.push_str(&rss("G", &fixture));
    std::fs::write(&p, truncated_gz(feed.as_bytes())).unwrap();
    let (docs, errs) = read(&p);
    assert!(docs.is_empty());
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0]
            .to_string()
            .contains("feed.rss.gz:0: truncated or corrupt gzip data"),
        "{}",
        errs[0]
    );
}

#[test]
fn html_page_without_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("index.html");
    std::fs::write(&p, NO_ARTICLE_HTML).unwrap();
    let (docs, errs) = read(&p);
    assert!(docs.is_empty());
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0]
            .to_string()
            .starts_with(&format!("{}:0: no article found in the page", p.display())),
        "{}",
        errs[0]
    );
}

#[test]
fn missing_file_and_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (_, errs) = read(&dir.path().join("nope.rss"));
    assert!(errs[0].message.starts_with("cannot open"));
    let (_, errs) = read(dir.path());
    assert_eq!(errs[0].message, "folder holds no readable files");
}
