//! End-to-end test in real headless Chromium: the page on the fixture database shows
//! the right number of events on the timeline, a filter narrows the table, an event
//! opens with its highlighted evidence, a document with `<script>` stays inert text,
//! a party's claim shows its claimant, confidence and casualties and the filters for
//! claims and confidence leave out what they should, and a pasted sentence is coded live. Writes `target/web-screenshot.png`. The map
//! (`map_in_headless_chromium`, `e2e/map.mjs`): its marks are the API's located events,
//! it follows the filters, a click opens the event, clusters open their events, zoom
//! and pan work; writes `target/web-map.png`.
//!
//! Needs Debian's `chromium`, `node` and playwright-core in `e2e/node_modules`:
//! `scripts/install-browser` installs them (`.ci/run` runs it first); the test installs
//! nothing. When they are missing the test prints `SKIPPED` and why, unless the variable
//! `ANNALIST_REQUIRE_TOOLS` is set (`.ci/run` sets it): then it fails.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn missing_tools(e2e: &Path) -> Option<String> {
    let chromium =
        std::env::var("ANNALIST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!("{chromium} not found"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node not found".into());
    }
    if !e2e
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return Some(format!(
            "playwright-core not installed in {}",
            e2e.display()
        ));
    }
    None
}

/// The number of events in a database that a condition selects, read with SQL.
fn stored_events(db: &Path, condition: &str) -> i64 {
    let store = annalist_store::Store::open(
        db,
        &annalist_store::OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    store
        .connection()
        .query_row(
            &format!("SELECT count(*) FROM events WHERE {condition}"),
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Adds to the fixture database a document whose records are a party's claim with a
/// confidence and a casualty figure, as the coder marks them (set here by hand, so that
/// the page test does not depend on how the coder weighs this sentence).
fn add_claimed_arrest(db: &Path) {
    let text =
        "Sudanese soldiers detained three journalists in Khartoum on Friday, the ministry said.";
    let doc = annalist_model::Document {
        id: "web-claim".into(),
        text: text.into(),
        date: chrono::NaiveDate::from_ymd_opt(2025, 4, 26),
        title: Some("Journalists held".into()),
        url: None,
        source: Some("Wire D".into()),
        date_basis: None,
    };
    let mut records = common::coder().code(&doc);
    assert!(!records.is_empty(), "the claimed arrest codes no event");
    let at = |w: &str| text.find(w).unwrap();
    for r in &mut records {
        r.attribution = "claimed".into();
        r.reported_by = Some(annalist_model::ReportedBy {
            actor: None,
            text: "the ministry".into(),
            start: at("the ministry"),
            end: at("the ministry") + "the ministry".len(),
            verb: "said".into(),
            verb_start: at("said"),
            verb_end: at("said") + 4,
        });
        r.confidence = Some(0.42);
        r.casualties = vec![annalist_model::Casualty {
            kind: "arrested".into(),
            count: 3,
            high: None,
            who: Some("journalists".into()),
            text: "three journalists".into(),
            start: at("three"),
            end: at("three") + "three journalists".len(),
        }];
    }
    let mut store =
        annalist_store::Store::open(db, &annalist_store::OpenOptions::default()).unwrap();
    store.ingest(&doc, &records).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_in_headless_chromium() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let e2e = manifest.join("e2e");
    if let Some(why) = missing_tools(&e2e) {
        assert!(
            std::env::var_os("ANNALIST_REQUIRE_TOOLS").is_none(),
            "page_in_headless_chromium: {why}; run scripts/install-browser \
             (ANNALIST_REQUIRE_TOOLS is set: a missing tool is a failure)"
        );
        println!("SKIPPED page_in_headless_chromium: {why}; run scripts/install-browser");
        eprintln!("SKIPPED page_in_headless_chromium: {why}; run scripts/install-browser");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = common::state(dir.path(), None, Default::default());
    let db = dir.path().join("test.db");
    add_claimed_arrest(&db);
    // Every event of the fixture database shows on the timeline and in the table; the
    // filters for claims and confidence leave out what SQL says they should.
    let events = stored_events(&db, "1");
    let without_claims = stored_events(&db, "attribution IN ('asserted', 'reported')");
    let confident = stored_events(&db, "confidence IS NULL OR confidence >= 0.5");
    let assaults = stored_events(&db, "event_type = 'ASSAULT'");
    assert!(without_claims < events && confident < events);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, annalist_web::router(state))
            .await
            .unwrap();
    });
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../target"));
    std::fs::create_dir_all(&target).unwrap();
    let shot = target.join("web-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let url = format!("http://{addr}/");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("page.mjs")
            .arg(&url)
            .arg(&shot)
            .arg(events.to_string())
            .arg(without_claims.to_string())
            .arg(confident.to_string())
            .arg(assaults.to_string())
            .current_dir(&e2e)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser test failed:\n{stdout}\n{stderr}"
    );
    assert!(target.join("web-screenshot.png").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn map_in_headless_chromium() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let e2e = manifest.join("e2e");
    if let Some(why) = missing_tools(&e2e) {
        assert!(
            std::env::var_os("ANNALIST_REQUIRE_TOOLS").is_none(),
            "map_in_headless_chromium: {why}; run scripts/install-browser \
             (ANNALIST_REQUIRE_TOOLS is set: a missing tool is a failure)"
        );
        println!("SKIPPED map_in_headless_chromium: {why}; run scripts/install-browser");
        eprintln!("SKIPPED map_in_headless_chromium: {why}; run scripts/install-browser");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // With a write token: the test adds a document (two shellings of one town).
    let state = common::state(dir.path(), Some("map-test-token"), Default::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, annalist_web::router(state))
            .await
            .unwrap();
    });
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../target"));
    std::fs::create_dir_all(&target).unwrap();
    let shot = target.join("web-map.png");
    let _ = std::fs::remove_file(&shot);
    let url = format!("http://{addr}/");
    let arg = shot.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("map.mjs")
            .arg(&url)
            .arg(&arg)
            .current_dir(&e2e)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "map test failed:\n{stdout}\n{stderr}");
    assert!(shot.exists());
}
