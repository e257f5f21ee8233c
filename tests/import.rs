//! `annalist dictionaries import`: a small PETRARCH-style dictionary set written by the
//! team (`tests/fixtures/petrarch/`: actors, agents, a verb dictionary) is imported into
//! a dictionary directory, `annalist dictionaries` accepts it, and
//! `annalist --dictionaries DIR code` codes with the imported entries — the imported
//! layer under annalist's own, which wins where both apply.
use std::process::{Command, Output};

fn annalist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .expect("run annalist")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Imports the fixtures into a fresh directory named after `tag`.
fn imported(tag: &str) -> String {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/petrarch");
    let out = std::env::temp_dir().join(format!("annalist-import-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let out = out.to_string_lossy().into_owned();
    let o = annalist(&[
        "dictionaries",
        "import",
        "--format",
        "petrarch",
        fixtures,
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out
}

/// The events of `text` coded on `date` with the dictionaries in `dir`.
fn code(dir: &str, text: &str, date: &str) -> Vec<serde_json::Value> {
    // (One file per call: the tests run in parallel and may code texts of one length.)
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let input = std::env::temp_dir().join(format!(
        "annalist-import-doc-{}-{n}.jsonl",
        std::process::id()
    ));
    let doc = serde_json::json!({"id": "d", "date": date, "text": text});
    std::fs::write(&input, format!("{doc}\n")).unwrap();
    let o = annalist(&["--dictionaries", dir, "code", &input.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn an_imported_dictionary_set_validates_and_codes() {
    let dir = imported("codes");
    // Every line converted: the summary says so and nothing is reported.
    let o = annalist(&["--dictionaries", &dir, "dictionaries"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("all entries valid"));

    // A person's dated roles, by the date of the document; the synonym of the record.
    let e = code(
        &dir,
        "President Velikova conveyed medicine to Moldova.",
        "2021-05-10",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0]["source"]["cameo_actor"], "BGRGOV", "{e:?}");
    assert_eq!(e[0]["target"]["cameo_actor"], "MDA", "{e:?}");
    assert_eq!(e[0]["cameo"], "073", "{e:?}");
    let rule = e[0]["evidence"]["rule"].as_str().unwrap_or_default();
    assert!(rule.starts_with("imported/verbs/team-verbs.txt:"), "{e:?}");
    let e = code(
        &dir,
        "Marta Velikova conveyed medicine to Moldova.",
        "2015-05-10",
    );
    assert_eq!(e[0]["source"]["cameo_actor"], "BGRELI", "{e:?}");

    // The next record's synonym is that person's, not the one above it (lower-case code).
    let e = code(
        &dir,
        "Minister Draganov conveyed blankets to Moldova.",
        "2018-06-01",
    );
    assert_eq!(e[0]["source"]["cameo_actor"], "ROUMIL", "{e:?}");

    // A phrase with a blank between its words; a country-only actor.
    let e = code(
        &dir,
        "Krasno Dolina conveyed food to Moldova.",
        "2021-05-10",
    );
    assert_eq!(e[0]["source"]["cameo_actor"], "BGR", "{e:?}");

    // An agent with a lower-case code and its regular plural; annalist's own `impound`
    // pattern (1711) wins over the imported one (1712) on the same verb.
    let e = code(
        &dir,
        "Bulgarian customs inspectors impounded a Greek tanker.",
        "2021-05-10",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0]["source"]["cameo_actor"], "BGRGOV", "{e:?}");
    assert_eq!(e[0]["cameo"], "1711", "{e:?}");
    assert!(
        e[0]["evidence"]["rule"]
            .as_str()
            .is_some_and(|r| r.starts_with("verbs.txt:")),
        "{e:?}"
    );

    // A substitution set (`PORT_!OFFICER!`) and a multiword verb (`+SHIP_OUT`): annalist's own
    // `ship {AID}` does not fit a verb with a particle, the imported `ship out` does.
    let e = code(
        &dir,
        "Bulgarian port officers shipped out supplies to Moldova.",
        "2021-05-10",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0]["source"]["cameo_actor"], "BGRCOP", "{e:?}");
    assert_eq!(e[0]["cameo"], "073", "{e:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_the_imported_layer_nothing_is_coded() {
    // The same sentence with the built-in dictionaries: no `convey` pattern, no person.
    let dir = std::env::temp_dir().join(format!("annalist-import-none-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = code(
        &dir.to_string_lossy(),
        "President Velikova conveyed medicine to Moldova.",
        "2021-05-10",
    );
    assert!(e.is_empty(), "{e:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_the_rest_is_imported() {
    let dir = std::env::temp_dir().join(format!("annalist-import-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("broken.actors.txt");
    std::fs::write(
        &src,
        "GOOD_NAME_ [FRAGOV]\n+ORPHAN_FREE_SYNONYM\nBAD_CODE_ [XYZGOV]\n\tBROKEN_DATE_ [FRAGOV 2004017-20061201]\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = annalist(&[
        "dictionaries",
        "import",
        &src.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let path = src.to_string_lossy();
    assert!(
        err.contains(&format!("{path}:3: [XYZGOV]: unknown country")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{path}:4: [FRAGOV 2004017-20061201]: bad date")),
        "{err}"
    );
    assert!(err.contains("2 converted exactly"), "{err}");
    let groups = std::fs::read_to_string(out.join("imported/groups/broken-actors.txt")).unwrap();
    assert!(
        groups.contains("FRA GOV | Good Name; Orphan Free Synonym"),
        "{groups}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
