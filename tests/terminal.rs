//! The terminal forms of `code`, `timeline`, `dyads` and `stats` (src/terminal.rs):
//! snapshots of the tables (forced with `--table` and `--color`, as no test has a
//! terminal), the table of `code` carrying exactly the records of its JSON Lines, and
//! piped output staying JSON Lines. Snapshots: `tests/snapshots/`, reviewed with
//! `cargo insta review` (or rewritten with `INSTA_UPDATE=always`).
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Relative to the package root, where the tests run (the path shows in a hint).
const FIXTURE: &str = "tests/fixtures/terminal.jsonl";

fn annalist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run annalist")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "status {:?}; stderr: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annalist-terminal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn code_table_snapshot() {
    let o = annalist(&["code", FIXTURE, "--table", "--color", "never"]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn code_table_in_colour_snapshot() {
    let o = annalist(&["code", FIXTURE, "--table", "--color", "always"]);
    let out = stdout(&o);
    // material conflict in red, the quad summary coloured like the rows
    assert!(out.contains("\x1b[31mASSAULT (19"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn piped_code_is_json_lines_and_json_forces_it() {
    for args in [&["code", FIXTURE][..], &["code", FIXTURE, "--json"]] {
        let out = stdout(&annalist(args));
        assert!(!out.is_empty());
        for line in out.lines() {
            serde_json::from_str::<serde_json::Value>(line)
                .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {line}"));
        }
        assert!(!out.contains('\x1b'), "no colour codes in JSON Lines");
    }
    let o = annalist(&["code", FIXTURE, "--json", "--table"]);
    assert_eq!(o.status.code(), Some(2), "--json and --table conflict");
}

/// One row of the code table, cut back into its columns (the widths of
/// `code_columns` in src/terminal.rs off a terminal: 11, 17, 18, 22, the rest, two
/// spaces apart).
fn columns(row: &str) -> Vec<String> {
    let chars: Vec<char> = row.chars().collect();
    let mut out = Vec::new();
    let mut at: usize = 0;
    for w in [11, 17, 18, 22, usize::MAX] {
        let end = at.saturating_add(w).min(chars.len());
        out.push(
            chars[at.min(chars.len())..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        );
        at = end + 2;
    }
    out
}

/// The line starts with a date, `YYYY-MM-DD`.
fn is_date(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[test]
fn the_table_and_the_json_carry_the_same_records() {
    let json = stdout(&annalist(&["code", "--sample", "--json"]));
    let table = stdout(&annalist(&[
        "code", "--sample", "--table", "--color", "never",
    ]));
    // (document, [columns]) of every table row, in order
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut doc = String::new();
    for line in table.lines().skip(1) {
        if let Some(heading) = line.strip_prefix("▸ ") {
            doc = heading.split(" · ").next().unwrap().to_string();
        } else if line.is_empty() {
            continue;
        } else if !doc.is_empty() && (is_date(line) || line.starts_with("— ")) {
            rows.push((doc.clone(), columns(line)));
        } else {
            break; // the summary
        }
    }
    let records: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(records.len() > 20, "the sample yields records");
    assert_eq!(rows.len(), records.len(), "one row per record:\n{table}");
    for ((doc, cols), r) in rows.iter().zip(&records) {
        let target = r["target"]["cameo_actor"].as_str().unwrap_or("—");
        let date = match (r["date"].as_str(), r["date_precision"].as_str()) {
            (Some(d), Some("day")) => d.to_string(),
            (Some(d), _) => format!("{d}~"),
            (None, _) => "—".to_string(),
        };
        let place = match &r["location"] {
            serde_json::Value::Null => String::new(),
            l if l["precision"] == "country" => l["name"].as_str().unwrap().to_string(),
            l => format!(
                "{}, {}",
                l["name"].as_str().unwrap(),
                l["country"].as_str().unwrap()
            ),
        };
        assert_eq!(doc, r["doc_id"].as_str().unwrap());
        assert_eq!(cols[0], date, "{r}");
        assert_eq!(
            cols[1],
            format!(
                "{} {} {target}",
                r["source"]["cameo_actor"].as_str().unwrap(),
                if r["mutual"] == true { "↔" } else { "→" }
            ),
            "{r}"
        );
        assert_eq!(
            cols[2],
            format!(
                "{} ({})",
                r["event_type"].as_str().unwrap(),
                r["cameo"].as_str().unwrap()
            ),
            "{r}"
        );
        let trigger = r["evidence"]["trigger"].as_str().unwrap();
        let shown = cols[3].trim_end_matches('…');
        assert!(
            trigger.starts_with(shown.split(" [").next().unwrap()),
            "trigger {trigger:?} shown as {:?}",
            cols[3]
        );
        assert_eq!(cols[4], place, "{r}");
    }
    let summary = table.rsplit("\n\n").next().unwrap();
    assert!(
        summary.contains(&format!("· {} events", records.len())),
        "the summary counts the records: {table}"
    );
    assert!(summary.contains("annalist explain '"), "{summary}");
    assert!(
        summary.contains("annalist ingest --sample --db annalist.db && annalist serve"),
        "{summary}"
    );
}

#[test]
fn timeline_dyads_and_stats_tables() {
    let dir = temp_dir("store");
    let db = dir.join("t.db");
    let o = annalist(&["ingest", FIXTURE, "--db", s(&db)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = stdout(&annalist(&[
        "timeline",
        "--db",
        s(&db),
        "--table",
        "--color",
        "never",
    ]));
    insta::assert_snapshot!("timeline_table", table.replace(s(&db), "[DB]"));
    // piped without --table: the text list as before, one line per mention with offsets
    let text = stdout(&annalist(&["timeline", "--db", s(&db)]));
    assert!(text.contains("[") && text.contains(".."), "{text}");
    // every event of the JSON is a row of the table, in the same order, its id on the
    // line beneath
    let json = stdout(&annalist(&["timeline", "--db", s(&db), "--json"]));
    let lines: Vec<&str> = table.lines().collect();
    let rows: Vec<(&str, &str)> = lines
        .windows(2)
        .filter(|w| w[1].trim_start().starts_with('#'))
        .map(|w| (w[0], w[1]))
        .collect();
    assert_eq!(rows.len(), json.lines().count(), "{table}");
    for (line, (row, beneath)) in json.lines().zip(rows) {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            beneath
                .trim_start()
                .starts_with(&format!("#{} ", e["event"])),
            "{beneath}"
        );
        let kind = format!(
            "{} ({})",
            e["event_type"].as_str().unwrap(),
            e["cameo"].as_str().unwrap()
        );
        assert!(row.contains(&kind), "{row} is {kind}");
    }
    let coloured = stdout(&annalist(&["dyads", "--db", s(&db), "--color", "always"]));
    assert!(coloured.contains("\x1b["), "{coloured}");
    let plain = stdout(&annalist(&["dyads", "--db", s(&db)]));
    assert!(!plain.contains('\x1b'));
    assert_eq!(
        plain,
        coloured
            .split("\x1b[")
            .enumerate()
            .map(|(i, part)| if i == 0 {
                part
            } else {
                part.split_once('m').unwrap().1
            })
            .collect::<String>(),
        "colour is the only difference"
    );
    let stats = stdout(&annalist(&["stats", "--db", s(&db)]));
    assert!(stats.contains("documents        4"), "{stats}");
    let _ = std::fs::remove_dir_all(&dir);
}
