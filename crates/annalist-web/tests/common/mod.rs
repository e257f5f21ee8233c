//! Shared by the web tests: a test database made by coding `fixtures/docs.jsonl`
//! (documents written for these tests) and the router over it.
#![allow(dead_code)]
use annalist_coder::{Coder, CoderOptions};
use annalist_store::{OpenOptions, Store};
use annalist_web::{AppState, Config};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub const FIXTURE: &str = include_str!("../fixtures/docs.jsonl");

/// One coder per test binary (building it takes a moment in debug builds).
pub fn coder() -> Arc<Coder> {
    static CODER: OnceLock<Arc<Coder>> = OnceLock::new();
    CODER
        .get_or_init(|| {
            Arc::new(Coder::new(
                &annalist_dict::Dictionaries::embedded(),
                CoderOptions::default(),
            ))
        })
        .clone()
}

/// Codes the fixture documents into a new database at `dir/test.db`.
pub fn fixture_db(dir: &Path) -> PathBuf {
    let path = dir.join("test.db");
    let mut store = Store::open(&path, &OpenOptions::default()).unwrap();
    let coder = coder();
    let mut docs = Vec::new();
    annalist_io::read_json_lines(
        "docs.jsonl",
        FIXTURE.as_bytes(),
        &Default::default(),
        &mut |r| docs.push(r.unwrap()),
    );
    for d in docs {
        let records = coder.code(&d);
        store.ingest(&d, &records).unwrap();
    }
    path
}

/// The app state over a fresh fixture database.
pub fn state(dir: &Path, token: Option<&str>, config: Config) -> Arc<AppState> {
    let db = fixture_db(dir);
    AppState::new(db, coder(), token.map(String::from), config).unwrap()
}
