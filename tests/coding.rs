//! Golden coding cases: every `tests/coding/*.toml` file holds cases a linguist can edit
//! (`[[case]] name, text, date, events = [{source, type, cameo, target, date,
//! location}]`), one file per phenomenon. Each case is its own test, named
//! `FILE::CASE` (`cargo test --test coding -- dates::`), run by libtest-mimic: its
//! text is coded with the embedded dictionaries and the events must be exactly the
//! stated ones, field by field, on every field an event states:
//!
//! - `source`, `type`: always — the full CAMEO actor code with its sector or
//!   organisation (`RUSMIL`, `IGOUNO`, `UKR`) and the PLOVER type;
//! - `target`: always — the full actor code, `""` (or no key) for none;
//! - `cameo`, `date`, `location`: when stated — the CAMEO event code, the event's date
//!   (`-` for none), the place as `name/precision/COUNTRY` (`-` for none).
//!
//! `UPDATE_EXPECT=1 cargo test --test coding` rewrites every case's `events` from what
//! the coder does now, stating every field (review the diff like code). A case marked
//! `pending = "why"` documents behaviour not reached yet: it is never rewritten, it
//! must still fail, and one that passes is reported so the mark is removed.
use annalist_coder::{Coder, CoderOptions, Document, EventRecord};
use annalist_dict::Dictionaries;
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize, Clone)]
struct Case {
    name: String,
    text: String,
    date: Option<String>,
    events: Vec<Expected>,
    pending: Option<String>,
}

/// An event as a case states it.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
struct Expected {
    source: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    target: String,
    cameo: Option<String>,
    date: Option<String>,
    location: Option<String>,
    /// One record for a symmetric event (both directions); false when not stated.
    #[serde(default)]
    mutual: bool,
}

/// An event as coded, every field written as the cases write it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Observed {
    source: String,
    event_type: String,
    cameo: String,
    target: String,
    date: String,
    location: String,
    mutual: bool,
}

impl Observed {
    fn of(r: &EventRecord) -> Observed {
        Observed {
            source: r.source.cameo_actor.clone(),
            event_type: r.event_type.clone(),
            cameo: r.cameo.clone(),
            target: r
                .target
                .as_ref()
                .map(|t| t.cameo_actor.clone())
                .unwrap_or_default(),
            date: r.date.clone().unwrap_or_else(|| "-".into()),
            location: r
                .location
                .as_ref()
                .map(|l| format!("{}/{}/{}", l.name, l.precision, l.country))
                .unwrap_or_else(|| "-".into()),
            mutual: r.mutual,
        }
    }

    /// Whether this event has every field `e` states.
    fn fits(&self, e: &Expected) -> bool {
        let stated = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
        self.source == e.source
            && self.event_type == e.event_type
            && self.target == e.target
            && stated(&e.cameo, &self.cameo)
            && stated(&e.date, &self.date)
            && stated(&e.location, &self.location)
            && self.mutual == e.mutual
    }
}

/// Whether the coded events and the stated ones pair up one to one.
fn matches(got: &[Observed], want: &[Expected]) -> bool {
    fn pair(got: &[Observed], used: &mut [bool], want: &[Expected]) -> bool {
        let Some((first, rest)) = want.split_first() else {
            return true;
        };
        for i in 0..got.len() {
            if !used[i] && got[i].fits(first) {
                used[i] = true;
                if pair(got, used, rest) {
                    return true;
                }
                used[i] = false;
            }
        }
        false
    }
    got.len() == want.len() && pair(got, &mut vec![false; got.len()], want)
}

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(|| Coder::new(&Dictionaries::embedded(), CoderOptions::default()))
}

fn code(case: &Case) -> Vec<Observed> {
    let date = case.date.as_deref().map(|d| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .unwrap_or_else(|_| panic!("case {}: bad date {d:?}", case.name))
    });
    let doc = Document::new(case.name.clone(), case.text.clone(), date);
    let mut got: Vec<Observed> = coder().code(&doc).iter().map(Observed::of).collect();
    got.sort();
    got
}

fn run_case(file: &str, case: &Case) -> Result<(), Failed> {
    let got = code(case);
    let ok = matches(&got, &case.events);
    match (&case.pending, ok) {
        (None, true) | (Some(_), false) => Ok(()),
        (Some(why), true) => Err(format!(
            "{file}: {}: passes now; remove `pending = {why:?}`",
            case.name
        )
        .into()),
        (None, false) => {
            let mut msg = format!("{file}: {}\n  text: {}\n  want:\n", case.name, case.text);
            for e in &case.events {
                msg.push_str(&format!("    {e:?}\n"));
            }
            msg.push_str("  got:\n");
            for g in &got {
                msg.push_str(&format!("    {g:?}\n"));
            }
            msg.push_str("  (UPDATE_EXPECT=1 rewrites the expectations from the coder)");
            Err(msg.into())
        }
    }
}

fn case_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/coding");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    files
}

/// The `events` array of a case, one event a line, every field stated.
fn events_value(got: &[Observed]) -> toml_edit::Value {
    let mut array = toml_edit::Array::new();
    for g in got {
        let mut t = toml_edit::InlineTable::new();
        for (k, v) in [
            ("source", &g.source),
            ("type", &g.event_type),
            ("cameo", &g.cameo),
            ("target", &g.target),
            ("date", &g.date),
            ("location", &g.location),
        ] {
            t.insert(k, v.as_str().into());
        }
        if g.mutual {
            t.insert("mutual", true.into());
        }
        t.fmt();
        let mut v = toml_edit::Value::InlineTable(t);
        v.decor_mut().set_prefix("\n    ");
        array.push_formatted(v);
    }
    if !got.is_empty() {
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
    toml_edit::Value::Array(array)
}

/// Rewrites the expectations of every case that is not pending from the coder's output.
fn update_expectations(files: &[PathBuf]) {
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        let mut doc: toml_edit::DocumentMut = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file: File = toml::from_str(&text).unwrap();
        let tables = doc["case"]
            .as_array_of_tables_mut()
            .unwrap_or_else(|| panic!("{}: no [[case]] tables", path.display()));
        for (table, case) in tables.iter_mut().zip(&file.case) {
            if case.pending.is_none() {
                let mut v = events_value(&code(case));
                v.decor_mut().set_prefix(" ");
                table["events"] = toml_edit::Item::Value(v);
            }
        }
        let out = doc.to_string();
        if out != text {
            std::fs::write(path, out).unwrap();
            eprintln!("updated {}", path.display());
        }
    }
}

fn main() {
    let args = Arguments::from_args();
    let files = case_files();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        update_expectations(&files);
    }
    let mut trials = Vec::new();
    for path in &files {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let file: File =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let label = Arc::new(path.file_name().unwrap().to_string_lossy().into_owned());
        for case in file.case {
            let label = Arc::clone(&label);
            let name = format!("{stem}::{}", case.name);
            trials.push(Trial::test(name, move || run_case(&label, &case)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
