//! End-to-end tests of the `annalist` binary: bad input is reported with file and line,
//! the batch goes on, the exit status says whether anything was rejected.
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn annalist(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run annalist");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn tmp(name: &str, content: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("annalist-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

fn lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect()
}

const GOOD: &str = r#"{"id":"good","date":"2024-05-09","text":"Russian troops shelled the Ukrainian city of Kharkiv on Tuesday."}"#;

#[test]
fn every_bad_record_is_reported_and_good_ones_are_still_coded() {
    let big = format!(
        "{{\"id\":\"big\",\"text\":\"{}\"}}",
        "word ".repeat(1_100_000)
    );
    let mut input = Vec::new();
    for l in [
        "{not json",
        r#"{"id":"no-text"}"#,
        r#"{"id":42,"text":"Iran attacked Iraq."}"#,
        r#"{"id":"bad-date","text":"Iran attacked Iraq.","date":"2024-13-01"}"#,
        GOOD,
        big.as_str(),
    ] {
        input.extend_from_slice(l.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"{\"id\":\"latin1\",\"text\":\"caf\xe9\"}\n");
    let path = tmp("mixed.jsonl", &input);
    let o = annalist(&["code", &path], None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(1),
        "non-zero exit when a record was rejected; stderr: {err}"
    );
    for (line, what) in [
        (1, "malformed JSON"),
        (2, "has no \"text\""),
        (3, "\"id\" must be a string"),
        (4, "unparseable date"),
        (6, "over the limit"),
        (7, "not valid UTF-8"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&format!("{path}:{line}: ")) && l.contains(what)),
            "line {line} ({what}) reported in: {err}"
        );
    }
    let events = lines(&o);
    assert!(
        events
            .iter()
            .any(|e| e["doc_id"] == "good" && e["event_type"] == "ASSAULT"),
        "the good record is coded: {events:?}"
    );
    assert!(err.contains("1 documents coded"), "{err}");
}

#[test]
fn empty_file_and_missing_file_are_errors() {
    let path = tmp("empty.jsonl", b"");
    let o = annalist(&["code", &path], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{path}:0: empty file")));
    let o = annalist(&["code", "/nonexistent/file.jsonl"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/file.jsonl:0: cannot open"));
}

#[test]
fn stdin_plain_text_and_out_file() {
    let o = annalist(&["code", "-"], Some(format!("{GOOD}\n").as_bytes()));
    assert_eq!(o.status.code(), Some(0));
    assert!(!lines(&o).is_empty());

    let path = tmp(
        "stories.txt",
        b"Russian troops shelled Kharkiv on Tuesday.\n\nIran and Iraq agreed to hold talks.\n",
    );
    let out = tmp("out.jsonl", b"");
    let o = annalist(
        &["code", &path, "--date", "2024-05-09", "--out", &out],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let written = std::fs::read_to_string(&out).unwrap();
    let docs: std::collections::BTreeSet<String> = written
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        docs.into_iter().collect::<Vec<_>>(),
        vec!["stories-1", "stories-2"]
    );
    let o = annalist(&["code", &path, "--date", "yesterday"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--date \"yesterday\""));
}

#[test]
fn sample_corpus_codes_every_event_type_with_valid_offsets() {
    let o = annalist(&["code", "--sample"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let events = lines(&o);
    assert!(
        events.len() >= 40,
        "the sample yields events: {}",
        events.len()
    );
    let types: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert!(types.len() >= 15, "most PLOVER types appear: {types:?}");
    for e in &events {
        for field in [
            "cameo",
            "quad_class",
            "goldstein",
            "source",
            "evidence",
            "modality",
            "negated",
        ] {
            assert!(!e[field].is_null(), "{field} missing in {e}");
        }
        assert!(e["evidence"]["rule"]
            .as_str()
            .unwrap()
            .contains("verbs.txt:"));
    }
}

#[test]
fn explain_shows_every_stage() {
    let o = annalist(
        &[
            "explain",
            "Washington urged Moscow to release the detained journalists.",
            "--date",
            "2024-05-09",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    for part in [
        "tokens:",
        "chunks:",
        "actor phrases:",
        "predicates:",
        "patterns tried:",
        "events:",
        "REQUEST",
    ] {
        assert!(out.contains(part), "{part} in explain output:\n{out}");
    }
}

#[test]
fn dictionaries_override_directory_is_used_and_checked() {
    let dir = std::env::temp_dir().join(format!("annalist-cli-dicts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("groups.txt"), "UKR MIL | Fictional Brigade\n").unwrap();
    let o = annalist(
        &[
            "--dictionaries",
            dir.to_str().unwrap(),
            "explain",
            "The Fictional Brigade shelled Donetsk.",
            "--json",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ev: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ev[0]["source"]["cameo_actor"], "UKRMIL");
    std::fs::write(dir.join("groups.txt"), "UKR XYZ | Fictional Brigade\n").unwrap();
    let o = annalist(
        &["--dictionaries", dir.to_str().unwrap(), "dictionaries"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("groups.txt:1: unknown sector \"XYZ\""));
}

/// A feed of twelve dateless stories in newest-first order, one of them dated: the
/// weekdays the stories name fix every date (tests/fixtures/feed-newest-first.*).
#[test]
fn feed_order_dates_dateless_documents_from_their_weekdays() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let feed = format!("{dir}/feed-newest-first.jsonl");
    let expected: std::collections::BTreeMap<String, String> =
        std::fs::read_to_string(format!("{dir}/feed-newest-first.expected"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (id, d) = l.split_once(' ').unwrap();
                (id.to_string(), d.to_string())
            })
            .collect();
    assert!(expected.len() >= 10);

    let o = annalist(&["code", "--order", "newest-first", &feed], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let events = lines(&o);
    let mut seen = std::collections::BTreeSet::new();
    for e in &events {
        let id = e["doc_id"].as_str().unwrap();
        assert_eq!(e["date"].as_str(), Some(expected[id].as_str()), "{id}: {e}");
        let dd = &e["document_date"];
        if id == "feed-07" {
            assert!(dd.is_null(), "the anchor keeps its own date");
        } else {
            assert_eq!(dd["date"].as_str(), Some(expected[id].as_str()));
            assert_eq!(dd["basis"], "inferred", "one anchor: dated from one side");
        }
        seen.insert(id.to_string());
    }
    assert_eq!(seen.len(), expected.len(), "every story yields an event");

    // Oldest-first reading of the same feed reversed gives the same dates.
    let reversed: String = std::fs::read_to_string(&feed)
        .unwrap()
        .lines()
        .rev()
        .map(|l| format!("{l}\n"))
        .collect();
    let path = tmp("feed-oldest-first.jsonl", reversed.as_bytes());
    let o = annalist(&["code", "--order", "oldest-first", &path], None);
    for e in lines(&o) {
        let id = e["doc_id"].as_str().unwrap();
        assert_eq!(e["date"].as_str(), Some(expected[id].as_str()), "{id}");
    }

    // Without --order a dateless story has no date: never a guess.
    let o = annalist(&["code", &feed], None);
    for e in lines(&o) {
        if e["doc_id"] != "feed-07" {
            assert!(e["date"].is_null(), "{e}");
        }
    }

    // Without any anchor only day offsets are known.
    let unanchored = std::fs::read_to_string(&feed)
        .unwrap()
        .replace(r#", "date": "2024-10-16""#, "");
    let path = tmp("feed-unanchored.jsonl", unanchored.as_bytes());
    let o = annalist(&["code", "--order", "newest-first", &path], None);
    let offsets: std::collections::BTreeMap<String, i64> = lines(&o)
        .iter()
        .map(|e| {
            assert!(e["date"].is_null());
            assert_eq!(e["document_date"]["basis"], "relative");
            (
                e["doc_id"].as_str().unwrap().to_string(),
                e["document_date"]["day_offset"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(offsets["feed-11"], 0, "the oldest story is day 0");
    assert_eq!(offsets["feed-00"], 15, "Thursday 10th to Friday 25th");
}

#[test]
fn geo_marks_the_chosen_place_and_fails_on_unknown_names() {
    let o = annalist(&["geo", "Kiev", "Tripoli"], None);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    let chosen: Vec<&str> = out.lines().filter(|l| l.starts_with('*')).collect();
    assert_eq!(chosen.len(), 2, "{out}");
    assert!(
        chosen[0].contains("Kyiv") && chosen[0].contains("UKR"),
        "{out}"
    );
    assert!(
        chosen[1].contains("Tripoli") && chosen[1].contains("LBY"),
        "{out}"
    );

    let o = annalist(
        &[
            "geo",
            "--json",
            "--country",
            "LBN",
            "Tripoli",
            "Paris, Texas",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let chosen: Vec<(String, String)> = lines(&o)
        .iter()
        .map(|q| {
            let c = q["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["chosen"] == true)
                .expect("one candidate is chosen");
            (
                c["name"].as_str().unwrap().into(),
                c["country"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        chosen,
        [
            ("Tripoli".into(), "LBN".into()),
            ("Paris".into(), "USA".into())
        ]
    );

    let o = annalist(&["geo", "Kharkiv", "Nowhereville"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"Nowhereville\": no such place"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Kharkiv"));
}

/// A gazetteer file under `--dictionaries DIR/gazetteer/` adds places the coder finds in
/// text and locates events at; a bad line is reported as `file:line`.
#[test]
fn gazetteer_override_adds_places_to_coding() {
    let dir = std::env::temp_dir().join(format!("annalist-cli-geo-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("gazetteer")).unwrap();
    std::fs::write(
        dir.join("gazetteer/extra.tsv"),
        "9900001\tZorvanka\tcity\tUKR\tKharkiv\t49.5\t36.9\t20000\t\n",
    )
    .unwrap();
    let o = annalist(
        &[
            "--dictionaries",
            dir.to_str().unwrap(),
            "explain",
            "Russian forces shelled Zorvanka on Tuesday.",
            "--date",
            "2024-05-09",
            "--json",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ev = &lines(&o)[0];
    assert_eq!(ev["target"]["code"], "UKR");
    assert_eq!(ev["location"]["name"], "Zorvanka");
    assert_eq!(ev["location"]["precision"], "city");
    std::fs::write(dir.join("gazetteer/extra.tsv"), "not a place line\n").unwrap();
    let o = annalist(
        &[
            "--dictionaries",
            dir.to_str().unwrap(),
            "explain",
            "Russian forces shelled Zorvanka.",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("extra.tsv:1"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every command that codes honours `--dictionaries DIR`, `serve` included (its live
/// coding box, `POST /api/code`, once used the built-in gazetteer whatever DIR said).
#[test]
fn every_coding_command_honours_the_dictionaries_directory() {
    use std::io::{BufRead, BufReader, Read};
    let dir =
        std::env::temp_dir().join(format!("annalist-cli-every-command-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("gazetteer")).unwrap();
    std::fs::write(
        dir.join("gazetteer/extra.tsv"),
        "9900002\tVelmarovo\tcity\tUKR\tKharkiv\t49.6\t36.8\t30000\t\n",
    )
    .unwrap();
    let dicts = dir.to_str().unwrap();
    let doc =
        r#"{"id":"v-1","date":"2024-05-09","text":"Russian forces shelled Velmarovo on Tuesday."}"#;
    let input = tmp("velmarovo.jsonl", format!("{doc}\n").as_bytes());
    // code
    let o = annalist(&["--dictionaries", dicts, "code", &input], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(lines(&o)[0]["location"]["name"], "Velmarovo");
    // ingest, then the stored event
    let db = dir.join("velmarovo.db");
    let _ = std::fs::remove_file(&db);
    let db = db.to_str().unwrap();
    let o = annalist(
        &["--dictionaries", dicts, "ingest", &input, "--db", db],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = annalist(
        &["timeline", "--db", db, "--location", "Velmarovo", "--json"],
        None,
    );
    assert_eq!(lines(&o).len(), 1, "{}", String::from_utf8_lossy(&o.stdout));
    // serve: the live coding box
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args([
            "--dictionaries",
            dicts,
            "serve",
            "--db",
            db,
            "--addr",
            "127.0.0.1:0",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .map(str::to_string);
    let answer = addr.map(|addr| {
        let body = r#"{"text": "Russian forces shelled Velmarovo on Tuesday.", "date": "2024-05-09"}"#;
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        write!(
            s,
            "POST /api/code HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    });
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.unwrap_or_else(|| panic!("serve did not start: {line}"));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains(r#""name":"Velmarovo""#),
        "serve ignored --dictionaries: {answer}"
    );
}

#[test]
fn confidence_and_claim_filters_are_checked_and_applied() {
    let path = tmp("weigh.jsonl", format!("{GOOD}\n").as_bytes());
    // A bad minimum is refused by every command that takes one, naming the flag.
    for args in [
        vec!["code", path.as_str(), "--min-confidence", "1.5"],
        vec!["code", path.as_str(), "--min-confidence", "likely"],
        vec!["ingest", path.as_str(), "--min-confidence", "-1"],
        vec!["timeline", "--min-confidence", "2"],
        vec!["export", "--format", "csv", "--min-confidence", "x"],
    ] {
        let o = annalist(&args, None);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("--min-confidence") && err.contains("a number from 0 to 1"),
            "{args:?}: {err}"
        );
    }
    // Records without a confidence are kept; with 1.0 only records at 1.0 or without
    // one are left.
    let all = lines(&annalist(&["code", &path, "--json"], None));
    let kept = lines(&annalist(
        &["code", &path, "--json", "--min-confidence", "1"],
        None,
    ));
    let expected: Vec<&serde_json::Value> = all
        .iter()
        .filter(|r| r["confidence"].as_f64().is_none_or(|c| c >= 1.0))
        .collect();
    assert_eq!(kept.iter().collect::<Vec<_>>(), expected);
    // Stored, then read with --exclude-claims: no event left is a party's claim.
    let db = tmp("weigh.db", b"");
    std::fs::remove_file(&db).unwrap();
    let o = annalist(
        &["ingest", &path, "--db", &db, "--min-confidence", "0"],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let all = lines(&annalist(&["timeline", "--db", &db, "--json"], None));
    assert_eq!(all.len(), 1);
    let unclaimed = lines(&annalist(
        &["timeline", "--db", &db, "--json", "--exclude-claims"],
        None,
    ));
    let expected: Vec<&serde_json::Value> = all
        .iter()
        .filter(|e| matches!(e["attribution"].as_str(), Some("asserted" | "reported")))
        .collect();
    assert_eq!(unclaimed.iter().collect::<Vec<_>>(), expected);
    let o = annalist(&["dyads", "--db", &db, "--exclude-claims"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("killed"));
}
