//! `annalist code` on a web archive: the WARC fixture of the feeds crate (three news
//! pages, a JPEG, a 404 and a redirect; see its `make-warc.py`) codes the pages' events,
//! and the skipped records are reported and counted.
use std::process::Command;

#[test]
fn code_reads_a_warc_gz() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/annalist-feeds/tests/fixtures/news.warc.gz"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["code", fixture])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "records skipped by design (an image, a 404, a redirect) fail nothing\n{stderr}"
    );
    let records: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary = |r: &serde_json::Value| {
        format!(
            "{} {} {} {}",
            r["doc_id"].as_str().unwrap().rsplit('/').next().unwrap(),
            r["source"]["code"].as_str().unwrap(),
            r["event_type"].as_str().unwrap(),
            r["target"]["code"].as_str().unwrap_or("-"),
        )
    };
    let got: Vec<String> = records.iter().map(summary).collect();
    assert!(
        got.contains(&"nairobi-protest KEN COERCE KEN".to_string()),
        "{got:#?}"
    );
    assert!(
        got.contains(&"kharkiv-shelling RUS ASSAULT UKR".to_string()),
        "{got:#?}"
    );
    // The shelling page's own date (JSON-LD); the water accord page has none: the
    // record's WARC-Date.
    for r in &records {
        let id = r["doc_id"].as_str().unwrap();
        if id.ends_with("kharkiv-shelling") && r["event_type"] == "ASSAULT" {
            assert_eq!(r["date"], "2025-03-07");
        }
        if id.ends_with("water-accord") {
            assert_eq!(r["date"], "2025-03-09");
            // ... marked as the fetch day, not a publication date.
            assert_eq!(r["document_date"]["basis"], "fetched", "{r}");
            assert_eq!(r["document_date"]["date"], "2025-03-09");
        } else {
            assert!(r.get("document_date").is_none(), "{r}");
        }
    }
    assert!(
        got.iter().any(|g| g.starts_with("water-accord ")),
        "{got:#?}"
    );
    for problem in [
        "record 5 (https://courier.example.org/images/crowd.jpg): not an HTML page",
        "record 6 (https://courier.example.org/old/story): HTTP status 404; skipped",
        "record 8 (https://courier.example.org/moved): HTTP status 301; skipped",
    ] {
        assert!(stderr.contains(problem), "{problem} in\n{stderr}");
    }
    assert!(
        stderr.contains("3 documents coded")
            && stderr.contains("0 rejected, 3 skipped (no page to code)"),
        "{stderr}"
    );
}

/// A truncated gzip member (the last record's) is a rejected record (status 1); the
/// pages before it code.
#[test]
fn a_truncated_member_is_rejected_and_the_rest_codes() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/annalist-feeds/tests/fixtures/news.warc.gz"
    );
    let bytes = std::fs::read(fixture).unwrap();
    let dir = std::env::temp_dir().join(format!("annalist-warc-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("cut.warc.gz");
    std::fs::write(&cut, &bytes[..bytes.len() - 40]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["code", "--json"])
        .arg(&cut)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(": truncated or corrupt gzip member at byte")
            && stderr.contains("1 rejected, 3 skipped"),
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("kharkiv-shelling"), "{stdout}");
}

/// `--format warc` reads a web archive whatever its name says.
#[test]
fn format_flag_reads_a_warc_under_another_name() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/annalist-feeds/tests/fixtures/news.warc.gz"
    );
    let dir = std::env::temp_dir().join(format!("annalist-warc-flag-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let renamed = dir.join("archive.bin");
    std::fs::copy(fixture, &renamed).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["code", "--json", "--format", "warc"])
        .arg(&renamed)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().any(|l| l.contains("nairobi-protest")),
        "no record from the archive:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
