//! One test per input format (files, gzip, folders) and per reader fault.
mod common;
use annalist_feeds::{read_input, Document, InputKind, ReadError, ReadOptions};
use chrono::NaiveDate;
use common::fixtures::*;
use std::io::Write;
use std::path::Path;

fn read(
    path: &Path,
    kind: Option<InputKind>,
    opts: &ReadOptions,
) -> (Vec<Document>, Vec<ReadError>) {
    let (mut docs, mut errs) = (Vec::new(), Vec::new());
    read_input(&path.to_string_lossy(), kind, opts, &mut |r| match r {
        Ok(d) => docs.push(d),
        Err(e) => errs.push(e),
    });
    (docs, errs)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn sample_rss() -> String {
    rss(
        "Riverside Daily",
        &[
            item(
                "urn:riverside:1",
                "Council meets",
                "<p>The town council of <b>Aldmoor</b> met the mayor of Brenning on Monday.</p><p>They agreed to share a water plant.</p>",
                Some("Mon, 03 Mar 2025 08:15:00 GMT"),
            ),
            FixtureItem {
                guid: None,
                link: Some("https://riverside.example.com/news/market"),
                title: "Market reopens",
                description: "Traders returned to the covered market after the flood.",
                pub_date: Some("Sun, 02 Mar 2025 18:00:00 GMT"),
            },
            FixtureItem {
                guid: None,
                link: None,
                title: "Undated note",
                description: "Volunteers cleared the riverbank of litter.",
                pub_date: None,
            },
        ],
    )
}

#[test]
fn rss_items_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("riverside.rss");
    std::fs::write(&p, sample_rss()).unwrap();
    let (docs, errs) = read(&p, None, &ReadOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].id, "urn:riverside:1");
    assert_eq!(
        docs[0].text,
        "The town council of Aldmoor met the mayor of Brenning on Monday.\n\nThey agreed to share a water plant."
    );
    assert_eq!(docs[0].title.as_deref(), Some("Council meets"));
    assert_eq!(docs[0].source.as_deref(), Some("Riverside Daily"));
    assert_eq!(docs[0].date, ymd(2025, 3, 3));
    // No guid: the link is the id.
    assert_eq!(docs[1].id, "https://riverside.example.com/news/market");
    assert_eq!(
        docs[1].url.as_deref(),
        Some("https://riverside.example.com/news/market")
    );
    // Neither: a content hash; no date stays no date (never the feed's lastBuildDate).
    assert_eq!(
        docs[2].id,
        annalist_feeds::content_id("Volunteers cleared the riverbank of litter.")
    );
    assert_eq!(docs[2].date, None);
    // --date dates undated items only.
    let opts = ReadOptions {
        default_date: ymd(2025, 1, 9),
        ..Default::default()
    };
    let (docs, _) = read(&p, None, &opts);
    assert_eq!(docs[0].date, ymd(2025, 3, 3));
    assert_eq!(docs[2].date, ymd(2025, 1, 9));
}

#[test]
fn atom_entries() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("courier.atom");
    std::fs::write(&p, ATOM).unwrap();
    let (docs, errs) = read(&p, None, &ReadOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "urn:uuid:entry-ferry");
    assert_eq!(
        docs[0].url.as_deref(),
        Some("https://courier.example.net/ferry")
    );
    assert_eq!(docs[0].date, ymd(2025, 5, 1), "published before updated");
    assert_eq!(
        docs[0].text,
        "Ferry workers in Norland ended their strike on Thursday.\n\nThe union said crossings resume at dawn."
    );
    assert_eq!(docs[0].source.as_deref(), Some("Lakeside Courier"));
    assert_eq!(docs[1].date, ymd(2025, 4, 30), "updated when not published");
    assert_eq!(
        docs[1].text,
        "Engineers inspected the old bridge over the river."
    );
}

#[test]
fn html_article_main_text_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pier.html");
    std::fs::write(
        &p,
        article_html(
            "Pier reopens",
            Some("2025-04-08T09:00:00+02:00"),
            PARAGRAPHS,
        ),
    )
    .unwrap();
    let (docs, errs) = read(&p, None, &ReadOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert!(
        d.text.starts_with("The harbour council of Westmere voted"),
        "{}",
        d.text
    );
    assert!(d.text.contains("before the summer season begins."));
    for boilerplate in [
        "do not read me",
        "color: black",
        "Home",
        "Most read",
        "All rights reserved",
        "Share this story",
    ] {
        assert!(
            !d.text.contains(boilerplate),
            "{boilerplate:?} in {:?}",
            d.text
        );
    }
    assert_eq!(d.date, ymd(2025, 4, 8), "the publisher's day, not UTC");
    assert_eq!(d.source.as_deref(), Some("Valley Gazette"));
    assert!(
        d.id.starts_with("sha256:"),
        "no canonical URL: a content hash"
    );

    // <time datetime> and JSON-LD datePublished; a canonical link is the id.
    let page = article_html("Pier reopens", None, PARAGRAPHS).replace(
        "<article>",
        "<article><time datetime=\"2025-04-07\">7 April</time>",
    );
    assert_eq!(read_html(&page).date, ymd(2025, 4, 7));
    let page = article_html("Pier reopens", None, PARAGRAPHS).replace(
        "</head>",
        "<link rel=\"canonical\" href=\"https://gazette.example.org/pier\"><script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"Pier reopens\",\"datePublished\":\"2025-04-06T10:00:00Z\"}</script></head>",
    );
    let d = read_html(&page);
    assert_eq!(d.date, ymd(2025, 4, 6));
    assert_eq!(d.id, "https://gazette.example.org/pier");
    assert_eq!(d.url.as_deref(), Some("https://gazette.example.org/pier"));
}

fn read_html(page: &str) -> Document {
    let (mut docs, errs) = (Vec::new(), Vec::<ReadError>::new());
    annalist_feeds::read::read_whole(
        "p.html",
        page.as_bytes(),
        InputKind::Html,
        &ReadOptions::default(),
        &mut |r| docs.push(r.unwrap()),
    );
    assert!(errs.is_empty());
    docs.pop().unwrap()
}

#[test]
fn markdown_one_document_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.md");
    std::fs::write(
        &p,
        "# Dam talks resume\n\nNegotiators from *Ostria* and **Velm** met in [Carrow](https://example.org) on Friday.\n\nBoth sides called the talks useful.\n",
    )
    .unwrap();
    let (docs, errs) = read(&p, None, &ReadOptions::default());
    assert!(errs.is_empty());
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].title.as_deref(), Some("Dam talks resume"));
    assert_eq!(
        docs[0].text,
        "Negotiators from Ostria and Velm met in Carrow on Friday.\n\nBoth sides called the talks useful."
    );
    assert_eq!(docs[0].id, annalist_feeds::content_id(&docs[0].text));
}

#[test]
fn json_lines_and_plain_text_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("a.jsonl");
    std::fs::write(
        &j,
        "{\"id\":\"j1\",\"text\":\"Farmers blocked a road.\",\"date\":\"2025-02-01\"}\n",
    )
    .unwrap();
    let t = dir.path().join("wire.txt");
    std::fs::write(&t, "First block.\n\nSecond block.\n").unwrap();
    let (docs, _) = read(&j, None, &ReadOptions::default());
    assert_eq!(docs[0].id, "j1");
    let (docs, _) = read(&t, None, &ReadOptions::default());
    assert_eq!(
        docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["wire-1", "wire-2"]
    );
    // --format overrides the name.
    let (docs, _) = read(&j, Some(InputKind::PlainText), &ReadOptions::default());
    assert_eq!(docs[0].id, "a-1");
}

#[test]
fn gzip_versions_of_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, usize)> = vec![
        (
            "a.jsonl.gz",
            b"{\"id\":\"g1\",\"text\":\"One.\"}\n{\"id\":\"g2\",\"text\":\"Two.\"}\n".to_vec(),
            2,
        ),
        ("wire.txt.gz", b"One.\n\nTwo.\n\nThree.\n".to_vec(), 3),
        ("feed.rss.gz", sample_rss().into_bytes(), 3),
        ("courier.atom.gz", ATOM.as_bytes().to_vec(), 2),
        (
            "pier.html.gz",
            article_html("Pier", None, PARAGRAPHS).into_bytes(),
            1,
        ),
        ("notes.md.gz", b"# T\n\nSome words here.\n".to_vec(), 1),
        // No extension at all: the magic bytes say gzip, the content says RSS.
        ("download", sample_rss().into_bytes(), 3),
    ];
    for (name, bytes, n) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, gz(&bytes)).unwrap();
        let (docs, errs) = read(&p, None, &ReadOptions::default());
        assert!(errs.is_empty(), "{name}: {errs:?}");
        assert_eq!(docs.len(), n, "{name}");
    }
    let (docs, _) = read(
        &dir.path().join("wire.txt.gz"),
        None,
        &ReadOptions::default(),
    );
    assert_eq!(docs[0].id, "wire-1", "the stem drops .txt.gz");
}

#[test]
fn folders_walked_recursively_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/deeper")).unwrap();
    std::fs::create_dir_all(root.join(".hidden")).unwrap();
    std::fs::write(root.join("a.jsonl"), "{\"id\":\"j1\",\"text\":\"One.\"}\n").unwrap();
    std::fs::write(root.join("b/feed.rss"), sample_rss()).unwrap();
    std::fs::write(
        root.join("b/deeper/page.html.gz"),
        gz(article_html("Pier", None, PARAGRAPHS).as_bytes()),
    )
    .unwrap();
    std::fs::write(root.join("b/deeper/z.md"), "Plain *markdown* words.\n").unwrap();
    std::fs::write(root.join("c.txt"), "Text block.\n").unwrap();
    std::fs::write(root.join("photo.jpg"), [0xff, 0xd8, 0xff]).unwrap();
    std::fs::write(
        root.join(".hidden/x.jsonl"),
        "{\"id\":\"hidden\",\"text\":\"No.\"}\n",
    )
    .unwrap();
    let (docs, errs) = read(root, None, &ReadOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert_eq!(ids[0], "j1");
    // b/deeper/ sorts before b/feed.rss.
    assert!(docs[1].title.as_deref().unwrap().starts_with("Pier"));
    assert_eq!(docs[2].text, "Plain markdown words.");
    assert_eq!(ids[3], "urn:riverside:1");
    assert_eq!(ids[6], "c-1");
}
