//! Helpers shared by the store tests: the real coder on hand-written stories, a fresh
//! database in a temporary directory.
#![allow(dead_code)]
use annalist_coder::{Coder, CoderOptions, Document, EventRecord};
use annalist_store::{OpenOptions, Store};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A Ukrainian town as a record's location (the merge rule reads name and country).
pub fn town(name: &str) -> annalist_coder::Location {
    annalist_coder::Location {
        name: name.to_string(),
        admin1: None,
        country: "UKR".into(),
        lat: 0.0,
        lon: 0.0,
        precision: "city".into(),
        text: name.to_string(),
        start: 0,
        end: 0,
    }
}

pub fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(|| {
        Coder::new(
            &annalist_dict::Dictionaries::embedded(),
            CoderOptions::default(),
        )
    })
}

pub fn doc(id: &str, date: Option<&str>, source: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        text: text.into(),
        date: date.map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        title: None,
        url: Some(format!("https://news.example/{id}")),
        source: Some(source.into()),
        date_basis: None,
    }
}

/// A fresh database file (not yet created) in its own temporary directory.
pub fn db_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("test.db");
    (dir, p)
}

pub fn open(path: &std::path::Path) -> Store {
    Store::open(path, &OpenOptions::default()).unwrap()
}

/// Codes a document with the real coder and stores it.
pub fn ingest(store: &mut Store, d: &Document) -> annalist_store::Outcome {
    let records = coder().code(d);
    store.ingest(d, &records).unwrap()
}

/// Codes a document and sets the date, precision and location of every record (records
/// as a gazetteer would give them).
pub fn ingest_with(
    store: &mut Store,
    d: &Document,
    date: Option<(&str, &str)>,
    location: Option<&str>,
) {
    let mut records: Vec<EventRecord> = coder().code(d);
    assert!(!records.is_empty(), "{} codes no event", d.id);
    for r in &mut records {
        r.date = date.map(|(d, _)| d.to_string());
        r.date_precision = date.map(|(_, p)| p.to_string());
        r.location = location.map(town);
    }
    store.ingest(d, &records).unwrap();
}

/// Every table's rows as text, to compare a database before and after.
pub fn dump(store: &Store) -> String {
    let mut out = String::new();
    for (table, order) in [
        ("documents", "doc"),
        ("mentions", "mention"),
        ("events", "event"),
    ] {
        let conn = store.connection();
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            out.push_str(table);
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                out.push_str(&format!(" {v:?}"));
            }
            out.push('\n');
        }
    }
    out
}

/// The events as `SOURCE>TARGET TYPE DATE mentions/articles/sources`, in timeline order.
pub fn summary(store: &Store) -> Vec<String> {
    store
        .timeline(&Default::default(), false)
        .unwrap()
        .iter()
        .map(|e| {
            // A mutual event stands for both directions: its actors sorted, joined by <>.
            let (mut a, mut b) = (
                e.source_actor.as_str(),
                e.target_actor.as_deref().unwrap_or("-"),
            );
            if e.mutual && a > b {
                std::mem::swap(&mut a, &mut b);
            }
            format!(
                "{}{}{} {} {} {}/{}/{}",
                a,
                if e.mutual { "<>" } else { ">" },
                b,
                e.event_type,
                e.date.as_deref().unwrap_or("undated"),
                e.mentions,
                e.articles,
                e.sources
            )
        })
        .collect()
}

/// An actor record for hand-built records: `RUSMIL` → code RUS, sector MIL.
pub fn actor(code: &str) -> annalist_coder::ActorRecord {
    annalist_coder::ActorRecord {
        code: code[..3].to_string(),
        org: None,
        sector: (code.len() > 3).then(|| code[3..].to_string()),
        cameo_actor: code.to_string(),
        text: code.to_string(),
        start: 0,
        end: 1,
        entry: "test".into(),
    }
}
