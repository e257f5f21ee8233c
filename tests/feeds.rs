//! End-to-end tests of `annalist code`/`ingest` on every input format and of
//! `ingest --feed … --watch` against a local server on loopback: exactly the new items
//! of each poll are stored, and SIGINT ends the run cleanly with status 0.
#[path = "../crates/annalist-feeds/tests/common/server.rs"]
mod server;
use server::{Reply, Server};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn annalist() -> Command {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
}

fn count(db: &Path, sql: &str) -> i64 {
    let store = annalist_store::Store::open(
        db,
        &annalist_store::OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Written for this test: invented stories, dated, with guids.
fn feed(n: usize) -> String {
    let stories = [
        "Police in Nairobi arrested twelve protesters outside the parliament on Monday, witnesses said.",
        "The government of Chile recalled its ambassador from Peru on Tuesday after a dispute over fishing rights.",
        "Rebels attacked an army convoy near Goma on Wednesday, killing three soldiers, officials said.",
        "The foreign ministers of Norway and Finland met in Oslo on Thursday to discuss border cooperation.",
    ];
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test Wire</title>",
    );
    for (i, text) in stories.iter().enumerate().take(n) {
        s.push_str(&format!(
            "<item><title>Story {i}</title><guid>urn:wire:{i}</guid><description>{text}</description><pubDate>Mon, 0{} Jun 2025 10:00:00 GMT</pubDate></item>",
            i + 2
        ));
    }
    s.push_str("</channel></rss>");
    s
}

#[test]
fn code_and_ingest_read_every_format_from_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("pages")).unwrap();
    std::fs::write(inbox.join("wire.rss"), feed(2)).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"# Note\n\nThe president of Ghana visited Togo on Friday.\n")
        .unwrap();
    std::fs::write(inbox.join("pages/note.md.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(inbox.join("broken.rss"), "no feed here").unwrap();
    let out = annalist()
        .args(["code", inbox.to_str().unwrap(), "--date", "2025-06-09"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a rejected file: status 1");
    assert!(
        stderr.contains("broken.rss:0: not an RSS or Atom feed"),
        "{stderr}"
    );
    let ids: std::collections::BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        ids.contains("urn:wire:0") && ids.contains("urn:wire:1"),
        "{ids:?}"
    );
    let db = dir.path().join("f.db");
    let out = annalist()
        .args([
            "ingest",
            inbox.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 3);
}

#[test]
fn feed_ingest_reports_a_bad_feed_and_goes_on() {
    let server = Server::start();
    server.ok("/wire", "application/rss+xml", feed(2));
    server.set("/down", Reply::Status(500));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let run = || {
        annalist()
            .args([
                "ingest",
                "--db",
                db.to_str().unwrap(),
                "--per-host-ms",
                "0",
                "--retries",
                "0",
                "--timeout-ms",
                "2000",
                // The test server is on loopback.
                "--allow-private-addresses",
            ])
            .args(["--feed", &server.url("/down"), &server.url("/wire")])
            .output()
            .unwrap()
    };
    let out = run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("feed {}: HTTP 500", server.url("/down"))),
        "{stderr}"
    );
    assert!(stderr.contains("2 items, 2 new stored"), "{stderr}");
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 2);
    assert!(
        count(&db, "SELECT count(*) FROM mentions") > 0,
        "items are coded"
    );
    // A re-run stores nothing new.
    let stderr = String::from_utf8_lossy(&run().stderr).into_owned();
    assert!(
        stderr.contains("2 items, 0 new stored, 2 seen before"),
        "{stderr}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 2);
}

#[test]
fn watch_ingests_exactly_the_new_items_and_stops_cleanly_on_sigint() {
    let server = Server::start();
    server.ok("/wire", "application/rss+xml", feed(2));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let mut child = annalist()
        .args([
            "ingest",
            "--db",
            db.to_str().unwrap(),
            "--feed",
            &server.url("/wire"),
        ])
        .args([
            "--watch",
            "--interval",
            "0.2",
            "--per-host-ms",
            "0",
            "--timeout-ms",
            "2000",
            "--allow-private-addresses",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |needle: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(l) => {
                    let hit = l.contains(needle);
                    seen.push(l);
                    if hit {
                        return;
                    }
                }
                Err(_) => panic!("no {needle:?} in:\n{}", seen.join("\n")),
            }
        }
    };
    wait_for("2 items, 2 new stored");
    wait_for("2 items, 0 new stored, 2 seen before");
    server.ok("/wire", "application/rss+xml", feed(4));
    wait_for("4 items, 2 new stored, 2 seen before");
    wait_for("4 items, 0 new stored, 4 seen before");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    wait_for("interrupted; everything stored is complete");
    assert_eq!(exit.code(), Some(0), "clean exit on SIGINT");
    let stored: Vec<&String> = seen
        .iter()
        .filter(|l| l.contains("annalist: stored "))
        .collect();
    assert_eq!(stored.len(), 4, "each item stored once: {stored:?}");
    for (i, id) in ["urn:wire:1", "urn:wire:0", "urn:wire:3", "urn:wire:2"]
        .iter()
        .enumerate()
    {
        assert!(stored[i].contains(id), "oldest first per poll: {stored:?}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM documents"), 4);
    assert_eq!(count(&db, "SELECT count(*) FROM feed_items"), 4);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"
        ),
        1
    );
}
