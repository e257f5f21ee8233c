//! End-to-end tests of the store commands: `ingest` (bad records, idempotence, a kill
//! mid-batch), the exports (GDELT's 61 columns, PLOVER fields, CSV, Parquet read back
//! by pyarrow, an independent reader).
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn annalist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run annalist")
}

/// `annalist export --db DB --format FORMAT REST…`.
fn export(db: &Path, format: &str, rest: &[&str]) -> Output {
    let mut args = vec!["export", "--db", s(db), "--format", format];
    args.extend_from_slice(rest);
    annalist(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("annalist-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/sample.jsonl")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn open_ro(db: &Path) -> annalist_store::Store {
    annalist_store::Store::open(
        db,
        &annalist_store::OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap()
}

fn count(store: &annalist_store::Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn ingest_reports_bad_records_goes_on_and_is_idempotent() {
    let dir = workdir("bad");
    let input = dir.join("mixed.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"id\":\"ok-1\",\"date\":\"2025-03-04\",\"text\":\"Russian forces shelled the Ukrainian city of Kharkiv on Tuesday.\"}\n",
            "{broken\n",
            "{\"id\":\"ok-2\",\"date\":\"2025-03-12\",\"text\":\"Turkey sent humanitarian aid to Syria on Wednesday.\"}\n",
            "{\"id\":\"no-text\"}\n",
        ),
    )
    .unwrap();
    let db = dir.join("a.db");
    let o = annalist(&["ingest", s(&input), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("mixed.jsonl:2:"), "{err}");
    assert!(err.contains("mixed.jsonl:4:"), "{err}");
    assert!(err.contains("2 documents added"), "{err}");
    // No progress bar when stderr is not a terminal: no carriage returns.
    assert!(!err.contains('\r'), "{err:?}");
    let o = annalist(&["ingest", s(&sample()), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = stdout(&annalist(&["timeline", "--db", s(&db), "--json"]));
    let o = annalist(&["ingest", s(&sample()), "--db", s(&db)]);
    assert!(
        stderr(&o).contains("0 documents added, 0 replaced, 48 unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stdout(&annalist(&["timeline", "--db", s(&db), "--json"])),
        before
    );
    let stats = stdout(&annalist(&["stats", "--db", s(&db), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(v["documents"], 50);
}

#[test]
fn killing_an_ingest_leaves_every_committed_document_complete() {
    let dir = workdir("kill");
    let docs: Vec<serde_json::Value> = std::fs::read_to_string(sample())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let input = dir.join("big.jsonl");
    let total = 8_000;
    let mut text = String::new();
    for i in 0..total {
        let mut d = docs[i % docs.len()].clone();
        d["id"] = format!("k{i}").into();
        text.push_str(&d.to_string());
        text.push('\n');
    }
    std::fs::write(&input, text).unwrap();
    let db = dir.join("k.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["ingest", s(&input), "--db", s(&db)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if db.exists() {
            if let Ok(st) = annalist_store::Store::open(
                &db,
                &annalist_store::OpenOptions {
                    read_only: true,
                    ..Default::default()
                },
            ) {
                if count(&st, "SELECT count(*) FROM documents") >= 300 {
                    break;
                }
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "ingest too slow to reach 300 documents"
        );
        assert!(child.try_wait().unwrap().is_none(), "ingest ended early");
    }
    child.kill().unwrap(); // SIGKILL: no cleanup
    child.wait().unwrap();
    let st = open_ro(&db);
    let ok: String = st
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let stored = count(&st, "SELECT count(*) FROM documents");
    assert!(stored >= 300 && stored < total as i64, "{stored} documents");
    // Every stored document has all of its mentions, every mention its event, and every
    // event's counts match its mentions.
    assert_eq!(
        count(
            &st,
            "SELECT count(*) FROM documents d WHERE mention_count != (SELECT count(*) FROM mentions m WHERE m.doc = d.doc)"
        ),
        0
    );
    assert!(count(&st, "SELECT sum(mention_count) FROM documents") > 0);
    assert_eq!(
        count(&st, "SELECT count(*) FROM mentions WHERE event IS NULL"),
        0
    );
    assert_eq!(
        count(
            &st,
            "SELECT count(*) FROM events e WHERE mentions != (SELECT count(*) FROM mentions m WHERE m.event = e.event) OR mentions = 0"
        ),
        0
    );
    drop(st);
    // Ingesting again completes the rest and keeps what was stored.
    let o = annalist(&["ingest", s(&input), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{stored} unchanged")),
        "{}",
        stderr(&o)
    );
}

fn stories_db(name: &str) -> (PathBuf, PathBuf) {
    let dir = workdir(name);
    let db = dir.join("s.db");
    let stories = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/annalist-store/tests/golden/stories.jsonl");
    let o = annalist(&["ingest", s(&stories), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (dir, db)
}

#[test]
fn gdelt_export_has_61_columns_in_gdelt_order() {
    let (dir, db) = stories_db("gdelt");
    let out = dir.join("events.tsv");
    let o = export(&db, "gdelt", &["--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    // 12 events, one of them mutual (Iran and Iraq signed …): written in both directions.
    assert_eq!(rows.len(), 13);
    assert!(rows.iter().all(|r| r.len() == 61));
    let pairs: Vec<(&str, &str)> = rows.iter().map(|r| (r[5], r[15])).collect();
    assert!(
        pairs.contains(&("IRN", "IRQ")) && pairs.contains(&("IRQ", "IRN")),
        "{pairs:?}"
    );
    // The merged Kharkiv shelling: event 1.
    let r = rows.iter().find(|r| r[0] == "1").unwrap();
    assert_eq!(r[1], "20250304"); // SQLDATE
    assert_eq!(r[2], "202503"); // MonthYear
    assert_eq!(r[5], "RUSMIL"); // Actor1Code
    assert_eq!(r[6], "Russian forces"); // Actor1Name
    assert_eq!(r[7], "RUS"); // Actor1CountryCode
    assert_eq!(r[12], "MIL"); // Actor1Type1Code
    assert_eq!(r[15], "UKR"); // Actor2Code
    assert_eq!(r[17], "UKR"); // Actor2CountryCode
    assert_eq!(r[25], "1"); // IsRootEvent: first sentence
    assert_eq!((r[26], r[27], r[28]), ("194", "194", "19")); // Event, base, root code
    assert_eq!(r[29], "4"); // QuadClass
    assert_eq!(r[30], "-10.0"); // GoldsteinScale
    assert_eq!((r[31], r[32], r[33]), ("3", "2", "3")); // mentions, sources, articles
    assert_eq!(r[34], ""); // AvgTone: not computed
    assert_eq!(r[51], "4"); // ActionGeo_Type: a town
    assert_eq!(r[52], "Kharkiv, Ukraine"); // ActionGeo_FullName
    assert_eq!(r[53], "UP"); // ActionGeo_CountryCode (FIPS 10-4)
    assert_eq!(r[54], "UP07"); // ActionGeo_ADM1Code
    let lat: f64 = r[56].parse().unwrap();
    let lon: f64 = r[57].parse().unwrap();
    assert!(
        (lat - 49.98).abs() < 0.1 && (lon - 36.25).abs() < 0.1,
        "{lat} {lon}"
    );
    assert_eq!(r[59].len(), 14); // DATEADDED YYYYMMDDHHMMSS
    assert_eq!(r[60], "kh-1"); // SOURCEURL: the document id when it has no url
}

#[test]
fn plover_csv_and_jsonl_exports() {
    let (dir, db) = stories_db("plover");
    let o = export(&db, "plover", &["--type", "AID"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    let p = &lines[0];
    assert_eq!(p["event_type"], "AID");
    assert_eq!(p["event_date"], "2025-03-12");
    assert_eq!(p["source_actor"], "TUR");
    assert_eq!(p["target_country"], "SYR");
    assert_eq!(p["mentions"], 2);
    assert_eq!(p["story_ids"], serde_json::json!(["aid-1", "aid-2"]));
    for k in [
        "event_id",
        "mode",
        "context",
        "source_agent",
        "target_agent",
        "event_text",
    ] {
        assert!(p.get(k).is_some(), "no {k}");
    }
    let csv_path = dir.join("e.csv");
    let o = export(&db, "csv", &["--out", s(&csv_path), "--quad", "4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        csv.starts_with("event_id,date,date_precision,source_actor"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 4, "{csv}");
    let o = export(&db, "jsonl", &["--actor", "TUR"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(v["mention_list"][1]["doc_id"], "aid-2");
    assert_eq!(v["mention_list"][1]["source"], "radio-e");
}

/// A Python with pyarrow: the venv of scripts/install-test-deps (`.ci/run` runs it;
/// the test installs nothing), else the system's.
fn python_with_pyarrow() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join("target/pyenv/bin/python3");
    for py in [venv, PathBuf::from("python3")] {
        let ok = Command::new(&py)
            .args(["-c", "import pyarrow.dataset"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            return Some(py);
        }
    }
    None
}

#[test]
fn parquet_export_is_partitioned_by_month_and_read_back_by_pyarrow() {
    let (dir, db) = stories_db("parquet");
    let out = dir.join("pq");
    let o = export(&db, "parquet", &["--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for part in ["month=2025-03", "month=2025-04", "month=undated"] {
        assert!(
            out.join(part).join("part-0.parquet").is_file(),
            "{part} missing"
        );
    }
    // Exporting again replaces the earlier export; a directory holding anything else is
    // refused and left alone.
    std::fs::create_dir_all(out.join("month=1999-01")).unwrap();
    std::fs::write(out.join("month=1999-01/part-0.parquet"), b"stale").unwrap();
    let o = export(&db, "parquet", &["--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("month=1999-01").exists());
    let other = dir.join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), b"mine").unwrap();
    let o = export(&db, "parquet", &["--out", s(&other)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not an earlier export"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(other.join("keep.txt")).unwrap(), b"mine");
    let Some(py) = python_with_pyarrow() else {
        assert!(
            std::env::var_os("ANNALIST_REQUIRE_TOOLS").is_none(),
            "parquet read-back needs pyarrow; run scripts/install-test-deps \
             (ANNALIST_REQUIRE_TOOLS is set: a missing tool is a failure)"
        );
        println!("SKIPPED: parquet read-back needs pyarrow; run scripts/install-test-deps");
        eprintln!("SKIPPED: parquet read-back needs pyarrow; run scripts/install-test-deps");
        return;
    };
    let script = r#"
import json, sys
import pyarrow.dataset as ds
t = ds.dataset(sys.argv[1], format="parquet", partitioning="hive").to_table()
rows = t.to_pylist()
by_month = {}
for r in rows:
    by_month[r["month"]] = by_month.get(r["month"], 0) + 1
first = [r for r in rows if r["event_id"] == 1][0]
print(json.dumps({"rows": t.num_rows, "by_month": by_month,
  "first": {"date": str(first["date"]), "source_actor": first["source_actor"], "target_actor": first["target_actor"],
            "mentions": first["mentions"], "goldstein": first["goldstein"], "quad_class": first["quad_class"]},
  "undated_date": [str(r["date"]) for r in rows if r["month"] == "undated"]}))
"#;
    let o = Command::new(&py)
        .args(["-c", script, s(&out)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // One row per stored event, in the partition of its month.
    let store = open_ro(&db);
    assert_eq!(v["rows"], count(&store, "SELECT count(*) FROM events"));
    let mut by_month = serde_json::Map::new();
    let mut stmt = store
        .connection()
        .prepare("SELECT coalesce(substr(date, 1, 7), 'undated'), count(*) FROM events GROUP BY 1")
        .unwrap();
    let months = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap();
    for m in months {
        let (month, n) = m.unwrap();
        by_month.insert(month, n.into());
    }
    assert_eq!(v["by_month"], serde_json::Value::Object(by_month));
    assert!(v["by_month"]["2025-03"].as_i64().unwrap() >= 5, "{v}");
    assert_eq!(
        v["first"],
        serde_json::json!({"date": "2025-03-04", "source_actor": "RUSMIL", "target_actor": "UKR",
                           "mentions": 3, "goldstein": -10.0, "quad_class": 4})
    );
    assert_eq!(v["undated_date"], serde_json::json!(["None"]));
}

#[test]
fn query_commands_refuse_a_file_that_is_not_a_database() {
    let dir = workdir("notdb");
    let f = dir.join("notes.db");
    std::fs::write(&f, "shopping list\n").unwrap();
    for cmd in ["timeline", "dyads", "stats"] {
        let o = annalist(&[cmd, "--db", s(&f)]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("not an annalist database"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "shopping list\n");
}

#[test]
fn a_second_writer_and_a_full_disk_stop_ingest_with_a_clear_error() {
    let dir = workdir("locked");
    let db = dir.join("l.db");
    let o = annalist(&["ingest", s(&sample()), "--db", s(&db)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stories = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/annalist-store/tests/golden/stories.jsonl");
    // Another process holds the write lock.
    let other = annalist_store::Store::open(&db, &Default::default()).unwrap();
    other
        .connection()
        .execute_batch("BEGIN IMMEDIATE;")
        .unwrap();
    let o = annalist(&[
        "ingest",
        s(&stories),
        "--db",
        s(&db),
        "--busy-timeout-ms",
        "300",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("locked by another writer"),
        "{}",
        stderr(&o)
    );
    other.connection().execute_batch("ROLLBACK;").unwrap();
    drop(other);
    let st = open_ro(&db);
    assert_eq!(count(&st, "SELECT count(*) FROM documents"), 48);
    drop(st);
    // A size cap (PRAGMA max_page_count) stands in for a full disk.
    let pages = {
        let st = open_ro(&db);
        count(&st, "PRAGMA page_count")
    };
    let big = dir.join("big.jsonl");
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&serde_json::json!({"id": format!("f{i}"), "date": "2025-03-04",
            "text": format!("Russian forces shelled the Ukrainian city of Kharkiv on Tuesday. {}", "The governor gave figures. ".repeat(80))}).to_string());
        text.push('\n');
    }
    std::fs::write(&big, text).unwrap();
    let cap = (pages + 20).to_string();
    let o = annalist(&["ingest", s(&big), "--db", s(&db), "--max-pages", &cap]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("full"), "{}", stderr(&o));
    let st = open_ro(&db);
    let ok: String = st
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let stored = count(&st, "SELECT count(*) FROM documents");
    assert!(stored > 48 && stored < 448, "{stored}");
    assert_eq!(
        count(
            &st,
            "SELECT count(*) FROM documents d WHERE mention_count != (SELECT count(*) FROM mentions m WHERE m.doc = d.doc)"
        ),
        0
    );
}
