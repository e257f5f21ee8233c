//! Issue 18 (hardening), the store's findings: two processes creating one new
//! database at once (finding 8) and paths that are not regular files (finding 9).
use annalist_store::{Document, OpenOptions, Store, StoreError};
use std::sync::{Arc, Barrier};

/// Finding 8: two ingests creating one new database raced: both saw version 0, the
/// second ran the first migration again ("table meta already exists") and stored
/// nothing. Eight connections open one new file at once, many times over; every one
/// must open it and store its document.
#[test]
fn connections_creating_one_database_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    const OPENERS: usize = 8;
    for round in 0..12 {
        let path = dir.path().join(format!("race-{round}.db"));
        let barrier = Arc::new(Barrier::new(OPENERS));
        let threads: Vec<_> = (0..OPENERS)
            .map(|i| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || -> Result<(), StoreError> {
                    barrier.wait();
                    let mut store = Store::open(&path, &OpenOptions::default())?;
                    let doc = Document::new(format!("d{i}"), format!("Text {i}."), None);
                    store.ingest(&doc, &[])?;
                    Ok(())
                })
            })
            .collect();
        for t in threads {
            if let Err(e) = t.join().unwrap() {
                panic!("round {round}: {e}");
            }
        }
        let store = Store::open(&path, &OpenOptions::default()).unwrap();
        let docs: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(docs, OPENERS as i64, "round {round}");
        let version: i64 = store
            .connection()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, annalist_store::schema::latest());
    }
}

/// Finding 9: `--db /dev/null` was accepted (an empty "file"), and as root SQLite made
/// `/dev/null-journal`. Devices, pipes and sockets are refused, read-only or not.
#[cfg(unix)]
#[test]
fn paths_that_are_not_regular_files_are_refused() {
    let journal = std::path::Path::new("/dev/null-journal");
    let had_journal = journal.exists();
    for read_only in [false, true] {
        let e = Store::open(
            std::path::Path::new("/dev/null"),
            &OpenOptions {
                read_only,
                ..Default::default()
            },
        )
        .err()
        .expect("/dev/null opened as a database");
        assert!(
            e.to_string().contains("not a regular file"),
            "read_only={read_only}: {e}"
        );
    }
    assert_eq!(journal.exists(), had_journal, "a journal was made in /dev");
}
