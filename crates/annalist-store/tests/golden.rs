//! Golden tests: the timeline and dyad text outputs and the bytes of every export on a
//! small hand-written corpus (`tests/golden/stories.jsonl`), compared with the files of
//! `tests/golden/` (Parquet, being binary, by the SHA-256 of each partition file).
//! Review a change, then rewrite the files with
//! `UPDATE_EXPECT=1 cargo test -p annalist-store --test golden`.
mod common;
use annalist_store::export::{export, export_to, Format};
use annalist_store::query::{render_dyads, render_timeline};
use annalist_store::{DyadPeriod, Filter, Store};
use common::*;
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn stories_store() -> (tempfile::TempDir, Store) {
    let (d, p) = db_path();
    let mut s = open(&p);
    let text = std::fs::read_to_string(golden_dir().join("stories.jsonl")).unwrap();
    for (i, line) in text.lines().enumerate() {
        let doc = annalist_io_free_parse(line, i);
        ingest(&mut s, &doc);
    }
    (d, s)
}

/// Reads one story line (id, date?, source, text).
fn annalist_io_free_parse(line: &str, i: usize) -> annalist_coder::Document {
    let v: serde_json::Value =
        serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
    doc(
        v["id"].as_str().unwrap(),
        v["date"].as_str(),
        v["source"].as_str().unwrap(),
        v["text"].as_str().unwrap(),
    )
}

fn check(name: &str, got: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_EXPECT=1", path.display()));
    assert!(
        got == want,
        "{name} differs from the golden file.\n--- want\n{want}\n--- got\n{got}"
    );
}

#[test]
fn timeline_of_everything() {
    let (_d, s) = stories_store();
    check(
        "timeline.txt",
        &render_timeline(&s.timeline(&Filter::default(), true).unwrap()),
    );
}

#[test]
fn timeline_filtered_by_actor_type_and_dates() {
    let (_d, s) = stories_store();
    let f = Filter {
        actor: Some("rus".into()),
        event_type: Some("assault".into()),
        from: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
        to: chrono::NaiveDate::from_ymd_opt(2025, 3, 31),
        ..Default::default()
    };
    check(
        "timeline-rus-assault-march.txt",
        &render_timeline(&s.timeline(&f, true).unwrap()),
    );
}

#[test]
fn timeline_of_a_pair_and_a_quad_class() {
    let (_d, s) = stories_store();
    let f = Filter {
        pair: Some(("IRQ".into(), "IRN".into())),
        ..Default::default()
    };
    check(
        "timeline-pair-irq-irn.txt",
        &render_timeline(&s.timeline(&f, true).unwrap()),
    );
    let f = Filter {
        quad_class: Some(2),
        ..Default::default()
    };
    check(
        "timeline-quad-2.txt",
        &render_timeline(&s.timeline(&f, true).unwrap()),
    );
}

#[test]
fn dyads_by_day_week_and_month() {
    let (_d, s) = stories_store();
    let all = Filter::default();
    check(
        "dyads-day.txt",
        &render_dyads(&s.dyads(&all, DyadPeriod::Day).unwrap()),
    );
    check(
        "dyads-week.txt",
        &render_dyads(&s.dyads(&all, DyadPeriod::Week).unwrap()),
    );
    let pair = Filter {
        pair: Some(("RUS".into(), "UKR".into())),
        ..Default::default()
    };
    check(
        "dyads-month-rus-ukr.txt",
        &render_dyads(&s.dyads(&pair, DyadPeriod::Month).unwrap()),
    );
}

#[test]
fn every_export_byte_for_byte() {
    let (dir, s) = stories_store();
    // The ingest time (GDELT's DATEADDED) is the one field that changes from run to
    // run: fix it.
    s.connection()
        .execute(
            "UPDATE documents SET ingested_at = '2025-06-01T12:00:00Z'",
            [],
        )
        .unwrap();
    let all = Filter::default();
    for (format, name) in [
        (Format::Csv, "export.csv"),
        (Format::Jsonl, "export.jsonl"),
        (Format::Plover, "export-plover.json"),
        (Format::Gdelt, "export-gdelt.tsv"),
    ] {
        let mut out = Vec::new();
        export_to(&s, &all, format, &mut out).unwrap();
        check(name, &String::from_utf8(out).unwrap());
    }
    let pq = dir.path().join("pq");
    export(&s, &all, Format::Parquet, &pq).unwrap();
    let mut parts: Vec<PathBuf> = std::fs::read_dir(&pq)
        .unwrap()
        .flatten()
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .map(|f| f.path())
        .collect();
    parts.sort();
    let mut digests = String::new();
    for p in parts {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(std::fs::read(&p).unwrap());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        let rel = p.strip_prefix(&pq).unwrap().to_string_lossy().into_owned();
        digests.push_str(&format!("{hex}  {rel}\n"));
    }
    check("export-parquet.sha256", &digests);
}
