//! Golden coding tests: every `tests/coding/*.toml` file holds cases a linguist can edit
//! (`[[case]] name, text, date, events = [{source, type, target, date?, location?}]`),
//! one file per phenomenon. Each case's text is coded with the embedded dictionaries
//! and the set of (source, type, target[, date][, location]) must equal the expected
//! set. Actor codes compare on their first three letters; a location is written
//! `"name/precision/COUNTRY"` (`"-"` for none).
use annalist_coder::{Coder, CoderOptions, Document};
use annalist_dict::Dictionaries;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    date: Option<String>,
    events: Vec<Expected>,
    /// A known gap: the case documents behaviour not reached yet. It must still fail
    /// (a pending case that passes is reported, so the mark is removed).
    pending: Option<String>,
}

#[derive(Deserialize)]
struct Expected {
    source: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    target: String,
    date: Option<String>,
    location: Option<String>,
}

fn code3(s: &str) -> String {
    s.chars().take(3).collect()
}

#[test]
fn golden_coding_cases() {
    let dicts = Dictionaries::embedded();
    let coder = Coder::new(&dicts, CoderOptions::default());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/coding");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let (mut total, mut failures) = (0, Vec::new());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file: File =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in file.case {
            total += 1;
            let date = case
                .date
                .as_deref()
                .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
            let events = coder.code(&Document::new(case.name.clone(), case.text.clone(), date));
            let with_dates = case.events.iter().any(|e| e.date.is_some());
            let with_places = case.events.iter().any(|e| e.location.is_some());
            let got: BTreeSet<(String, String, String, String, String)> = events
                .iter()
                .map(|e| {
                    (
                        code3(&e.source.code),
                        e.event_type.clone(),
                        e.target
                            .as_ref()
                            .map(|t| code3(&t.code))
                            .unwrap_or_default(),
                        if with_dates {
                            e.date.clone().unwrap_or_default()
                        } else {
                            String::new()
                        },
                        match (&e.location, with_places) {
                            (_, false) => String::new(),
                            (None, true) => "-".into(),
                            (Some(l), true) => {
                                format!("{}/{}/{}", l.name, l.precision, l.country)
                            }
                        },
                    )
                })
                .collect();
            let want: BTreeSet<(String, String, String, String, String)> = case
                .events
                .iter()
                .map(|e| {
                    (
                        code3(&e.source),
                        e.event_type.clone(),
                        code3(&e.target),
                        e.date.clone().unwrap_or_default(),
                        match (&e.location, with_places) {
                            (_, false) => String::new(),
                            (None, true) => "-".into(),
                            (Some(l), true) => l.clone(),
                        },
                    )
                })
                .collect();
            if let Some(why) = &case.pending {
                if got == want {
                    failures.push(format!(
                        "{} / {}: passes now; remove `pending = {why:?}`",
                        path.display(),
                        case.name
                    ));
                }
                continue;
            }
            if got != want {
                failures.push(format!(
                    "{} / {}: {}\n    want {:?}\n    got  {:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    case.name,
                    case.text,
                    want,
                    got
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} coding cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
