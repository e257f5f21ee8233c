//! Fetching and polling against a local server on loopback that serves fixture feeds
//! and pages and misbehaves on purpose: every fault gives a message naming the URL and
//! the run goes on; a re-run takes only what is new.
mod common;
use annalist_feeds::fetch::{FetchOptions, Fetcher};
use annalist_feeds::poll::{
    poll_feed, poll_feeds, FeedSink, PollError, PollOptions, PollReport, Undated,
};
use annalist_feeds::Document;
use annalist_store::{FeedItemRecord, FetchRecord, OpenOptions, Store, StoreError};
use common::fixtures::*;
use common::server::{Reply, Server};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

const RSS: &str = "application/rss+xml";
const HTML: &str = "text/html";

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        timeout: Duration::from_millis(400),
        retries: 1,
        backoff: Duration::from_millis(20),
        max_bytes: 1 << 20,
        per_host_interval: Duration::ZERO,
        // The test server is on loopback.
        allow_private_addresses: true,
        ..Default::default()
    })
}

/// The poller's sink for these tests: documents go into the store uncoded (no
/// records), and are kept to be looked at.
struct TestSink<'a> {
    store: &'a mut Store,
    stored: Vec<Document>,
}

impl FeedSink for TestSink<'_> {
    type Error = StoreError;
    fn fetch_record(&mut self, url: &str) -> Result<Option<FetchRecord>, StoreError> {
        self.store.fetch_record(url)
    }
    fn record_fetch(&mut self, rec: &FetchRecord) -> Result<(), StoreError> {
        self.store.record_fetch(rec)
    }
    fn item_taken(&mut self, feed_url: &str, item_id: &str) -> Result<bool, StoreError> {
        self.store.feed_item_taken(feed_url, item_id)
    }
    fn put_document(&mut self, doc: &Document) -> Result<(), StoreError> {
        self.stored.push(doc.clone());
        self.store.ingest(doc, &[]).map(|_| ())
    }
    fn record_feed_item(&mut self, item: &FeedItemRecord) -> Result<(), StoreError> {
        self.store.record_feed_item(item)
    }
}

struct Run {
    report: Result<PollReport, PollError<StoreError>>,
    stored: Vec<Document>,
    messages: Vec<String>,
}

fn poll(f: &mut Fetcher, url: &str, store: &mut Store, opts: &PollOptions) -> Run {
    let mut messages = Vec::new();
    let stop = AtomicBool::new(false);
    let mut sink = TestSink {
        store,
        stored: Vec::new(),
    };
    let report = poll_feed(f, url, &mut sink, opts, &stop, &mut |m| messages.push(m));
    let stored = sink.stored;
    Run {
        report,
        stored,
        messages,
    }
}

fn store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("t.db"), &OpenOptions::default()).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn short_items_take_the_linked_article_long_ones_keep_their_text() {
    let server = Server::start();
    let long =
        "The ferry operator of Kessa announced on Wednesday a new winter timetable. ".repeat(10);
    let feed = rss(
        "Valley Gazette",
        &[
            FixtureItem {
                guid: Some("urn:vg:pier"),
                link: Some(&server.url("/pier")),
                title: "Pier reopens",
                description: "The pier reopens.",
                pub_date: None,
            },
            FixtureItem {
                guid: Some("urn:vg:ferry"),
                link: Some(&server.url("/never-fetched")),
                title: "Ferry timetable",
                description: &long,
                pub_date: Some("Wed, 05 Mar 2025 12:00:00 GMT"),
            },
        ],
    );
    server.ok("/feed", RSS, feed);
    server.ok(
        "/pier",
        HTML,
        article_html(
            "Pier reopens",
            Some("2025-04-08T09:00:00+02:00"),
            PARAGRAPHS,
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let run = poll(
        &mut f,
        &server.url("/feed"),
        &mut st,
        &PollOptions::default(),
    );
    let report = run.report.unwrap();
    assert_eq!(report.stored, 2);
    assert!(run.messages.is_empty(), "{:?}", run.messages);
    // Oldest first: the feed's last item comes first.
    assert_eq!(run.stored[0].id, "urn:vg:ferry");
    assert_eq!(run.stored[0].text, long.trim());
    assert!(server.hits("/never-fetched").is_empty());
    let pier = &run.stored[1];
    assert!(
        pier.text.starts_with("The harbour council of Westmere"),
        "{}",
        pier.text
    );
    assert_eq!(
        pier.date,
        chrono::NaiveDate::from_ymd_opt(2025, 4, 8),
        "the page's date"
    );
    assert_eq!(pier.source.as_deref(), Some("Valley Gazette"));
    let basis: String = st
        .connection()
        .query_row(
            "SELECT text_from || '/' || date_basis FROM feed_items WHERE item_id = 'urn:vg:pier'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(basis, "article/article");
    assert_eq!(
        count(&st, "SELECT count(*) FROM fetches"),
        2,
        "feed and article recorded"
    );
}

#[test]
fn rerun_takes_only_new_items_and_uses_conditional_requests() {
    let server = Server::start();
    let items = |n: usize| -> String {
        let descs: Vec<String> = (1..=n)
            .map(|i| format!("Story {i}: the Tamsin dock workers held a meeting about pay, their union said. {}", "More words. ".repeat(60)))
            .collect();
        let guids: Vec<String> = (1..=n).map(|i| format!("urn:dock:{i}")).collect();
        let fixture: Vec<_> = (0..n)
            .map(|i| {
                item(
                    &guids[i],
                    "Dock",
                    &descs[i],
                    Some("Tue, 04 Mar 2025 10:00:00 GMT"),
                )
            })
            .collect();
        rss("Dock News", &fixture)
    };
    let set = |n: usize, etag: &str| {
        server.set(
            "/feed",
            Reply::Ok {
                body: items(n).into_bytes(),
                content_type: RSS,
                etag: Some(etag.to_string()),
            },
        )
    };
    set(2, "\"e1\"");
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let url = server.url("/feed");
    let r1 = poll(&mut f, &url, &mut st, &PollOptions::default());
    assert_eq!(r1.report.unwrap().stored, 2);
    // Unchanged: a conditional request, answered 304; nothing read.
    let r2 = poll(&mut f, &url, &mut st, &PollOptions::default());
    let rep = r2.report.unwrap();
    assert!(rep.not_modified);
    assert_eq!(rep.stored, 0);
    let hits = server.hits("/feed");
    assert_eq!(hits[1].if_none_match.as_deref(), Some("\"e1\""));
    // A new item: only it is stored.
    set(3, "\"e2\"");
    let r3 = poll(&mut f, &url, &mut st, &PollOptions::default());
    let rep = r3.report.unwrap();
    assert_eq!((rep.stored, rep.seen), (1, 2));
    assert_eq!(r3.stored[0].id, "urn:dock:3");
    assert_eq!(count(&st, "SELECT count(*) FROM documents"), 3);
    // A fresh Store handle (a new run) sends the recorded ETag too.
    drop(st);
    let mut st = store(&dir);
    let r4 = poll(&mut f, &url, &mut st, &PollOptions::default());
    assert!(r4.report.unwrap().not_modified);
}

#[test]
fn bad_etag_handling_server_never_duplicates() {
    // The server ignores If-None-Match and sends a new ETag with the same feed each
    // time: items are recognised by id, nothing is stored twice.
    let server = Server::start();
    let d = "A statement from the Orvel water board about the reservoir level. ".repeat(12);
    let feed = rss(
        "W",
        &[item(
            "urn:w:1",
            "Water",
            &d,
            Some("Tue, 04 Mar 2025 10:00:00 GMT"),
        )],
    );
    server.set(
        "/feed",
        Reply::FreshEtag {
            body: feed.into_bytes(),
            content_type: RSS,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let url = server.url("/feed");
    for round in 0..3 {
        let rep = poll(&mut f, &url, &mut st, &PollOptions::default())
            .report
            .unwrap();
        assert!(!rep.not_modified);
        assert_eq!(rep.stored, usize::from(round == 0));
    }
    assert_eq!(count(&st, "SELECT count(*) FROM documents"), 1);
    let hits = server.hits("/feed");
    assert_eq!(
        hits[2].if_none_match.as_deref(),
        Some("\"v2\""),
        "the last ETag is sent"
    );
}

#[test]
fn server_errors_hangs_and_huge_bodies_fail_per_url_and_the_run_goes_on() {
    let server = Server::start();
    let f500 = server.url("/p500");
    let hang = server.url("/hang");
    let huge = server.url("/huge");
    let huge2 = server.url("/huge2");
    let gone = server.url("/gone");
    let feed = rss(
        "Faults",
        &[
            FixtureItem {
                guid: Some("urn:x:500"),
                link: Some(&f500),
                title: "a",
                description: "Summary of the first story.",
                pub_date: Some("Tue, 04 Mar 2025 10:00:00 GMT"),
            },
            FixtureItem {
                guid: Some("urn:x:hang"),
                link: Some(&hang),
                title: "b",
                description: "Summary of the second story.",
                pub_date: Some("Tue, 04 Mar 2025 10:00:00 GMT"),
            },
            FixtureItem {
                guid: Some("urn:x:huge"),
                link: Some(&huge),
                title: "c",
                description: "Summary of the third story.",
                pub_date: Some("Tue, 04 Mar 2025 10:00:00 GMT"),
            },
            FixtureItem {
                guid: Some("urn:x:huge2"),
                link: Some(&huge2),
                title: "d",
                description: "Summary of the fourth story.",
                pub_date: Some("Tue, 04 Mar 2025 10:00:00 GMT"),
            },
            FixtureItem {
                guid: Some("urn:x:404"),
                link: Some(&gone),
                title: "e",
                description: "",
                pub_date: Some("Tue, 04 Mar 2025 10:00:00 GMT"),
            },
            FixtureItem {
                guid: Some("urn:x:noart"),
                link: Some(&server.url("/index")),
                title: "f",
                description: "Summary of the sixth story.",
                pub_date: None,
            },
        ],
    );
    server.ok("/feed", RSS, feed);
    server.set("/p500", Reply::Status(500));
    server.set("/hang", Reply::Hang(Duration::from_secs(5)));
    server.set("/huge", Reply::Huge);
    server.set("/huge2", Reply::HugeUnannounced);
    server.set("/gone", Reply::Status(404));
    server.ok("/index", HTML, NO_ARTICLE_HTML);
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let t = Instant::now();
    let run = poll(
        &mut f,
        &server.url("/feed"),
        &mut st,
        &PollOptions::default(),
    );
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "bounded by timeouts: {:?}",
        t.elapsed()
    );
    let rep = run.report.unwrap();
    assert_eq!(rep.stored, 5, "{:?}", run.messages);
    assert_eq!(rep.failed, 1);
    let m = run.messages.join("\n");
    let has = |needle: &str| assert!(m.contains(needle), "{needle:?} not in\n{m}");
    has(&format!("article {f500}: HTTP 500 Internal Server Error (gave up after 2 attempts); using the feed item's own text"));
    assert_eq!(server.hits("/p500").len(), 2, "one retry");
    has(&format!(
        "article {hang}: no complete response within 400ms (gave up after 2 attempts)"
    ));
    has(&format!(
        "article {huge}: response of 1073741824 bytes is over the limit of 1048576 bytes; not read"
    ));
    has(&format!(
        "article {huge2}: response is over the limit of 1048576 bytes; dropped"
    ));
    assert_eq!(server.hits("/gone").len(), 1, "a 404 is not retried");
    has(&format!("article {gone}: HTTP 404 Not Found"));
    has(&format!(
        "{gone}: no text in the feed item nor from its page; not stored"
    ));
    has(&format!(
        "article {}: no article found in the page",
        server.url("/index")
    ));
    has(&format!(
        "{}: no publication date in the item or its page; stored undated",
        server.url("/index")
    ));
    // Nothing half-stored: each stored item has its document, with the item's own text.
    assert_eq!(count(&st, "SELECT count(*) FROM documents"), 5);
    assert_eq!(count(&st, "SELECT count(*) FROM feed_items"), 5);
    let text: String = st
        .connection()
        .query_row(
            "SELECT text FROM documents WHERE id = 'urn:x:500'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(text, "Summary of the first story.");
    let err: String = st
        .connection()
        .query_row("SELECT error FROM fetches WHERE url = ?1", [&f500], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(err.starts_with("HTTP 500"));
    // The failed item is retried by the next poll (not recorded as taken).
    let again = poll(
        &mut f,
        &server.url("/feed"),
        &mut st,
        &PollOptions::default(),
    );
    let rep = again.report.unwrap();
    assert_eq!((rep.stored, rep.seen, rep.failed), (0, 5, 1));
}

#[test]
fn undated_items_can_take_the_fetch_day_marked() {
    let server = Server::start();
    let d =
        "The Pellar town hall hosted a debate between the two candidates for mayor. ".repeat(10);
    server.ok(
        "/feed",
        RSS,
        rss("U", &[item("urn:u:1", "Debate", &d, None)]),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let opts = PollOptions {
        undated: Undated::FetchDate,
        ..Default::default()
    };
    let run = poll(&mut fetcher(), &server.url("/feed"), &mut st, &opts);
    assert!(run.stored[0].date.is_some());
    assert!(
        run.messages[0].contains("no publication date; dated with the fetch day"),
        "{:?}",
        run.messages
    );
    let basis: String = st
        .connection()
        .query_row("SELECT date_basis FROM feed_items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(basis, "fetched");
}

#[test]
fn feed_level_faults() {
    let server = Server::start();
    server.ok("/notxml", "text/plain", "this is not XML at all");
    server.set("/down", Reply::Status(503));
    server.set("/slow", Reply::Hang(Duration::from_secs(5)));
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let msg = |path: &str, st: &mut Store, f: &mut Fetcher| match poll(
        f,
        &server.url(path),
        st,
        &PollOptions::default(),
    )
    .report
    {
        Err(PollError::Feed(m)) => m,
        other => panic!("{other:?}"),
    };
    let m = msg("/notxml", &mut st, &mut f);
    assert!(
        m.starts_with(&format!(
            "feed {}: not an RSS or Atom feed",
            server.url("/notxml")
        )),
        "{m}"
    );
    let m = msg("/down", &mut st, &mut f);
    assert_eq!(
        m,
        format!(
            "feed {}: HTTP 503 Service Unavailable (gave up after 2 attempts)",
            server.url("/down")
        )
    );
    let m = msg("/slow", &mut st, &mut f);
    assert!(m.contains("no complete response within 400ms"), "{m}");
    let m = msg("/missing", &mut st, &mut f);
    assert!(m.ends_with("HTTP 404 Not Found"), "{m}");
    assert_eq!(count(&st, "SELECT count(*) FROM documents"), 0);
    assert_eq!(
        count(&st, "SELECT count(*) FROM fetches WHERE error IS NOT NULL"),
        4
    );
}

#[test]
fn per_host_interval_is_kept() {
    let server = Server::start();
    server.ok("/a", "text/plain", "a");
    let mut f = Fetcher::new(FetchOptions {
        per_host_interval: Duration::from_millis(150),
        allow_private_addresses: true,
        ..Default::default()
    });
    let t = Instant::now();
    for _ in 0..3 {
        f.get(&server.url("/a"), None).unwrap();
    }
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn gzipped_feeds_over_http_and_truncated_ones() {
    use std::io::Write;
    let server = Server::start();
    let d =
        "The Harl river authority opened the flood gates on Sunday, its director said. ".repeat(10);
    let feed = rss(
        "Z",
        &[item(
            "urn:z:1",
            "Gates",
            &d,
            Some("Sun, 02 Mar 2025 10:00:00 GMT"),
        )],
    );
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(feed.as_bytes()).unwrap();
    let z = e.finish().unwrap();
    server.ok("/feed.rss.gz", "application/gzip", z.clone());
    server.ok("/cut.rss.gz", "application/gzip", z[..z.len() / 2].to_vec());
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let rep = poll(
        &mut f,
        &server.url("/feed.rss.gz"),
        &mut st,
        &PollOptions::default(),
    );
    assert_eq!(rep.report.unwrap().stored, 1);
    match poll(
        &mut f,
        &server.url("/cut.rss.gz"),
        &mut st,
        &PollOptions::default(),
    )
    .report
    {
        Err(PollError::Feed(m)) => assert!(
            m.starts_with(&format!(
                "feed {}: truncated or corrupt gzip data",
                server.url("/cut.rss.gz")
            )),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn garbage_never_panics_a_reader() {
    use annalist_feeds::read::read_whole;
    use annalist_feeds::{InputKind, ReadOptions};
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"<".to_vec(),
        b"<rss><channel><item>".to_vec(),
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>x".to_vec(),
        b"<html><body><article>".to_vec(),
        b"---\n---\n".to_vec(),
        b"[unclosed](link ![img](".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x3c],
        (0..=255u8).collect(),
    ];
    for bytes in &inputs {
        for kind in [
            InputKind::Feed,
            InputKind::Html,
            InputKind::Markdown,
            InputKind::JsonLines,
            InputKind::PlainText,
        ] {
            read_whole("g", bytes, kind, &ReadOptions::default(), &mut |_| {});
        }
    }
}

#[test]
fn last_modified_gives_a_conditional_request() {
    let server = Server::start();
    let d =
        "The Corran port reopened to cargo ships on Monday after a week of repairs. ".repeat(10);
    let lm = "Mon, 03 Mar 2025 12:00:00 GMT".to_string();
    server.set(
        "/feed",
        Reply::LastModified {
            body: rss(
                "L",
                &[item(
                    "urn:l:1",
                    "Port",
                    &d,
                    Some("Mon, 03 Mar 2025 10:00:00 GMT"),
                )],
            )
            .into_bytes(),
            content_type: RSS,
            last_modified: lm.clone(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let url = server.url("/feed");
    assert_eq!(
        poll(&mut f, &url, &mut st, &PollOptions::default())
            .report
            .unwrap()
            .stored,
        1
    );
    let rep = poll(&mut f, &url, &mut st, &PollOptions::default())
        .report
        .unwrap();
    assert!(rep.not_modified);
    let hits = server.hits("/feed");
    assert_eq!(hits[0].if_modified_since, None);
    assert_eq!(hits[1].if_modified_since.as_deref(), Some(lm.as_str()));
    let status: i64 = st
        .connection()
        .query_row("SELECT status FROM fetches WHERE url = ?1", [&url], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, 304);
}

#[test]
fn an_interrupted_poll_keeps_the_old_validators_so_the_rest_comes_next_time() {
    let server = Server::start();
    let d = "Talks between the Ferrin and Osk delegations continued in Lume on Friday. ".repeat(10);
    server.set(
        "/feed",
        Reply::Ok {
            body: rss(
                "S",
                &[item(
                    "urn:s:1",
                    "Talks",
                    &d,
                    Some("Fri, 07 Mar 2025 10:00:00 GMT"),
                )],
            )
            .into_bytes(),
            content_type: RSS,
            etag: Some("\"s1\"".into()),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let url = server.url("/feed");
    let stop = AtomicBool::new(true); // Ctrl-C arrived before the first item
    let mut sink = TestSink {
        store: &mut st,
        stored: Vec::new(),
    };
    let rep = poll_feed(
        &mut f,
        &url,
        &mut sink,
        &PollOptions::default(),
        &stop,
        &mut |_| {},
    )
    .unwrap();
    assert!(rep.stopped);
    assert_eq!(rep.stored, 0);
    let etag: Option<String> = st
        .connection()
        .query_row("SELECT etag FROM fetches WHERE url = ?1", [&url], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        etag, None,
        "no validators: the next poll is not answered 304"
    );
    let rep = poll(&mut f, &url, &mut st, &PollOptions::default())
        .report
        .unwrap();
    assert_eq!(rep.stored, 1);
    assert_eq!(server.hits("/feed")[1].if_none_match, None);
}

#[test]
fn too_many_requests_is_retried() {
    let server = Server::start();
    server.set("/busy", Reply::Status(429));
    let mut f = fetcher();
    let e = f.get(&server.url("/busy"), None).unwrap_err();
    assert_eq!(e.status, 429);
    assert_eq!(server.hits("/busy").len(), 2);
}

/// `poll_feeds`: every feed once, a failing one reported and counted while the others
/// go on; watching, polls repeat until the stop flag is raised.
#[test]
fn poll_feeds_goes_on_past_a_bad_feed_and_watches_until_stopped() {
    let server = Server::start();
    let long =
        "The lighthouse keepers of Orrin Bay voted on Monday to extend their season. ".repeat(10);
    server.ok(
        "/good",
        RSS,
        rss(
            "Bay News",
            &[item(
                "urn:bay:1",
                "Keepers vote",
                &long,
                Some("Mon, 03 Mar 2025 10:00:00 GMT"),
            )],
        ),
    );
    server.set("/down", Reply::Status(404));
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let mut f = fetcher();
    let feeds = vec![server.url("/down"), server.url("/good")];
    let mut messages = Vec::new();
    let mut sink = TestSink {
        store: &mut st,
        stored: Vec::new(),
    };
    let stop = AtomicBool::new(false);
    let report = poll_feeds(
        &mut f,
        &feeds,
        &mut sink,
        &PollOptions::default(),
        None,
        &stop,
        &mut |m| messages.push(m),
    )
    .unwrap();
    assert_eq!((report.stored, report.failures), (1, 1), "{messages:?}");
    assert!(!report.interrupted);
    assert!(messages[0].contains("/down"), "{messages:?}");
    assert_eq!(
        messages.last().unwrap(),
        &format!(
            "feed {}: 1 items, 1 new stored, 0 seen before, 0 failed",
            server.url("/good")
        )
    );
    // Watching: polls repeat every 50 ms until another thread raises the flag.
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let raiser = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(400));
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        })
    };
    let started = Instant::now();
    let report = poll_feeds(
        &mut f,
        &feeds[1..],
        &mut sink,
        &PollOptions::default(),
        Some(Duration::from_millis(50)),
        &stop,
        &mut |_| {},
    )
    .unwrap();
    raiser.join().unwrap();
    assert!(report.interrupted);
    assert_eq!(report.stored, 0, "the item was taken by the first run");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        server.hits("/good").len() >= 3,
        "{}",
        server.hits("/good").len()
    );
}

/// Issue 18, finding 3 (SSRF): by default nothing on loopback, private or link-local
/// addresses is fetched, whether the URL names it or a redirect leads there; the poll
/// stores nothing of it. `allow_private_addresses` (the CLI's
/// `--allow-private-addresses`) opts in.
#[test]
fn internal_addresses_are_refused_by_default_and_on_every_redirect() {
    let server = Server::start();
    server.ok("/secret", "text/plain", "SECRET-TOKEN=hunter2");
    let mut strict = Fetcher::new(FetchOptions {
        timeout: Duration::from_millis(2000),
        retries: 0,
        per_host_interval: Duration::ZERO,
        ..Default::default()
    });
    let e = strict.get(&server.url("/secret"), None).unwrap_err();
    assert!(e.problem.contains("127.0.0.1"), "{e}");
    assert!(e.problem.contains("--allow-private-addresses"), "{e}");
    assert!(server.hits("/secret").is_empty(), "the server was reached");
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/",
        "http://10.0.0.1:9/",
        "http://0.0.0.0:9/",
    ] {
        let e = strict.get(url, None).unwrap_err();
        assert!(e.problem.contains("not fetched"), "{url}: {e}");
    }

    // A redirect from an allowed address to another internal one is refused too: the
    // policy runs on every connection. 127.0.0.1 is allowed here, 127.0.0.2 is not.
    let port = server.base.rsplit(':').next().unwrap().to_string();
    server.set(
        "/hop",
        Reply::Redirect(format!("http://127.0.0.2:{port}/secret")),
    );
    let mut one = Fetcher::new(FetchOptions {
        timeout: Duration::from_millis(2000),
        retries: 0,
        per_host_interval: Duration::ZERO,
        allowed_addresses: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    });
    let e = one.get(&server.url("/hop"), None).unwrap_err();
    assert!(e.problem.contains("127.0.0.2"), "{e}");
    assert_eq!(server.hits("/hop").len(), 1);
    assert!(
        server.hits("/secret").is_empty(),
        "the redirect was followed"
    );

    // A feed item linking to an internal page: the page is not fetched, nothing of it
    // is stored.
    server.ok(
        "/feed.xml",
        RSS,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
             <item><guid>i1</guid><title>Short</title><link>http://127.0.0.2:{port}/secret</link>\
             <description>Ministers met in Paris on Monday to discuss the treaty.</description></item>\
             </channel></rss>"
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut st = store(&dir);
    let run = poll(
        &mut one,
        &server.url("/feed.xml"),
        &mut st,
        &PollOptions::default(),
    );
    assert!(run.stored.iter().all(|d| !d.text.contains("SECRET")));
    assert!(
        run.messages.iter().any(|m| m.contains("127.0.0.2")),
        "{:?}",
        run.messages
    );
    assert!(server.hits("/secret").is_empty());

    // Opting in reaches loopback.
    let mut open = Fetcher::new(FetchOptions {
        allow_private_addresses: true,
        per_host_interval: Duration::ZERO,
        ..Default::default()
    });
    let ok = open.get(&server.url("/secret"), None).unwrap();
    assert_eq!(ok.body, b"SECRET-TOKEN=hunter2");
}
