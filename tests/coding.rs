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
//!   (`-` for none), the place as `name/precision/COUNTRY` (`-` for none);
//! - `mode`, `context`, `attribution`, `reported_by` (`words/ACTOR`), `about` (the
//!   records a speech act is about, as `SOURCE TYPE TARGET`), `casualties` (`kind
//!   count[-high][ who]`): when stated.
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
    /// When stated: `asserted`, `claimed`, `reported`, `alleged` or `denied`.
    attribution: Option<String>,
    /// When stated: the claimant as `words/ACTOR` (`-` for no actor), or `-` for none.
    reported_by: Option<String>,
    /// When stated: the records this speech act is about, as `SOURCE TYPE TARGET`.
    about: Option<Vec<String>>,
    /// When stated: the casualty figures as `kind count[-high][ who]`.
    casualties: Option<Vec<String>>,
    /// When stated: the PLOVER mode and context (`-` for none).
    mode: Option<String>,
    context: Option<String>,
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
    attribution: String,
    reported_by: String,
    about: Vec<String>,
    casualties: Vec<String>,
    mode: String,
    context: String,
}

/// A record named as `about` lists it: `SOURCE TYPE TARGET`.
fn label(r: &EventRecord) -> String {
    format!(
        "{} {} {}",
        r.source.cameo_actor,
        r.event_type,
        r.target.as_ref().map_or("-", |t| t.cameo_actor.as_str())
    )
}

impl Observed {
    fn of(r: &EventRecord, all: &[EventRecord]) -> Observed {
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
            attribution: r.attribution.clone(),
            reported_by: r
                .reported_by
                .as_ref()
                .map(|b| {
                    let actor = b.actor.as_ref().map_or("-", |a| a.cameo_actor.as_str());
                    format!("{}/{actor}", b.text)
                })
                .unwrap_or_else(|| "-".into()),
            about: r
                .about
                .iter()
                .filter_map(|&i| all.get(i))
                .map(label)
                .collect(),
            casualties: r
                .casualties
                .iter()
                .map(|c| {
                    let high = c.high.map(|h| format!("-{h}")).unwrap_or_default();
                    let who = c
                        .who
                        .as_deref()
                        .map(|w| format!(" {w}"))
                        .unwrap_or_default();
                    format!("{} {}{high}{who}", c.kind, c.count)
                })
                .collect(),
            mode: r.mode.clone().unwrap_or_else(|| "-".into()),
            context: r.context.clone().unwrap_or_else(|| "-".into()),
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
            && stated(&e.attribution, &self.attribution)
            && stated(&e.reported_by, &self.reported_by)
            && stated(&e.mode, &self.mode)
            && stated(&e.context, &self.context)
            && e.about.as_ref().is_none_or(|a| *a == self.about)
            && e.casualties.as_ref().is_none_or(|c| *c == self.casualties)
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
    let records = coder().code(&doc);
    let mut got: Vec<Observed> = records.iter().map(|r| Observed::of(r, &records)).collect();
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
        // What analysts weigh, where it says more than the default.
        if g.mode != "-" {
            t.insert("mode", g.mode.as_str().into());
        }
        if g.context != "-" {
            t.insert("context", g.context.as_str().into());
        }
        if g.attribution != "asserted" {
            t.insert("attribution", g.attribution.as_str().into());
            t.insert("reported_by", g.reported_by.as_str().into());
        }
        for (k, v) in [("about", &g.about), ("casualties", &g.casualties)] {
            if !v.is_empty() {
                t.insert(
                    k,
                    toml_edit::Value::Array(v.iter().map(String::as_str).collect()),
                );
            }
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
