//! The database schema and its migrations. An annalist database is an SQLite file whose
//! header carries `PRAGMA application_id` = [`APPLICATION_ID`] ("ANNA") and
//! `PRAGMA user_version` = the schema version; the `meta` table repeats both in words.
//! [`MIGRATIONS`] is the ordered list of scripts: script *i* takes a database from
//! version *i* to *i + 1*, each in its own transaction. The schema is documented in
//! `docs/schema.md`.
//!
//! Before SQLite touches a file, [`check_file`] reads its header: a file that is not
//! SQLite, or an SQLite database of another application, or a newer schema, is refused
//! and left byte-for-byte as it was.
use crate::{Store, StoreError};
use std::io::Read;
use std::path::Path;

/// `PRAGMA application_id` of annalist databases: the bytes "ANNA".
pub const APPLICATION_ID: i32 = 0x414E_4E41;

/// Migration scripts, oldest first; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, mentions, events.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    doc           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    content_hash  TEXT NOT NULL,
    date          TEXT,
    title         TEXT,
    url           TEXT,
    source        TEXT,
    text          TEXT NOT NULL,
    mention_count INTEGER NOT NULL,
    ingested_at   TEXT NOT NULL
);
CREATE TABLE events (
    event          INTEGER PRIMARY KEY,
    source_actor   TEXT NOT NULL,
    source_code    TEXT NOT NULL,
    target_actor   TEXT NOT NULL,
    target_code    TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    cameo          TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    date           TEXT,
    date_precision TEXT,
    day            INTEGER,
    location       TEXT NOT NULL,
    undated_doc    INTEGER,
    mentions       INTEGER NOT NULL DEFAULT 0,
    articles       INTEGER NOT NULL DEFAULT 0,
    sources        INTEGER NOT NULL DEFAULT 0,
    first_seen     TEXT,
    last_seen      TEXT
);
CREATE INDEX events_key ON events (source_actor, target_actor, event_type, day);
CREATE INDEX events_date ON events (date);
CREATE TABLE mentions (
    mention        INTEGER PRIMARY KEY,
    doc            INTEGER NOT NULL REFERENCES documents (doc),
    ordinal        INTEGER NOT NULL,
    event          INTEGER REFERENCES events (event),
    sentence       INTEGER NOT NULL,
    event_type     TEXT NOT NULL,
    cameo          TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    source_actor   TEXT NOT NULL,
    source_code    TEXT NOT NULL,
    target_actor   TEXT NOT NULL,
    target_code    TEXT NOT NULL,
    modality       TEXT NOT NULL,
    date           TEXT,
    date_precision TEXT,
    location       TEXT NOT NULL,
    trigger        TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    rule           TEXT NOT NULL,
    record         TEXT NOT NULL,
    UNIQUE (doc, ordinal)
);
CREATE INDEX mentions_event ON mentions (event);
"#,
    // 2: the fetch record of `annalist ingest --feed` (annalist-feeds): the last
    // response of every URL fetched (validators for conditional requests) and the feed
    // items already taken, so a re-run fetches only what is new.
    r#"
CREATE TABLE fetches (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    status        INTEGER NOT NULL,
    fetched_at    TEXT NOT NULL,
    bytes         INTEGER NOT NULL,
    error         TEXT
);
CREATE TABLE feed_items (
    feed_url   TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    link       TEXT,
    text_from  TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    taken_at   TEXT NOT NULL,
    PRIMARY KEY (feed_url, item_id)
);
"#,
    // 3: mutual events ("X and Y met": one record standing for both directions, see
    // `EventRecord::mutual`), and an index by country codes for the merge rule, under
    // which a missing sector is compatible with any sector of the same country.
    r#"
ALTER TABLE mentions ADD COLUMN mutual INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN mutual INTEGER NOT NULL DEFAULT 0;
UPDATE mentions SET mutual = 1 WHERE json_extract(record, '$.mutual') = 1;
UPDATE events SET mutual = 1 WHERE event IN (SELECT event FROM mentions WHERE mutual = 1);
CREATE INDEX events_codes ON events (source_code, target_code, event_type, day);
"#,
    // 4: what analysts weigh (issue 19): who claims an event, how sure the coder is,
    // casualty figures, PLOVER mode and context. Mentions take them from their record
    // (backfilled here from the stored JSON; records made before these fields existed
    // are `asserted`, with no confidence, figures, mode or context); events aggregate
    // them by the rules of `ingest::recount` (docs/schema.md, "What analysts weigh").
    r#"
ALTER TABLE mentions ADD COLUMN attribution TEXT NOT NULL DEFAULT 'asserted';
ALTER TABLE mentions ADD COLUMN reported_by_code TEXT;
ALTER TABLE mentions ADD COLUMN reported_by_text TEXT;
ALTER TABLE mentions ADD COLUMN about TEXT;
ALTER TABLE mentions ADD COLUMN confidence REAL;
ALTER TABLE mentions ADD COLUMN mode TEXT;
ALTER TABLE mentions ADD COLUMN context TEXT;
ALTER TABLE mentions ADD COLUMN killed INTEGER;
ALTER TABLE mentions ADD COLUMN killed_high INTEGER;
ALTER TABLE mentions ADD COLUMN injured INTEGER;
ALTER TABLE mentions ADD COLUMN injured_high INTEGER;
ALTER TABLE mentions ADD COLUMN abducted INTEGER;
ALTER TABLE mentions ADD COLUMN abducted_high INTEGER;
ALTER TABLE mentions ADD COLUMN arrested INTEGER;
ALTER TABLE mentions ADD COLUMN arrested_high INTEGER;
ALTER TABLE events ADD COLUMN attribution TEXT NOT NULL DEFAULT 'asserted';
ALTER TABLE events ADD COLUMN reported_by_code TEXT;
ALTER TABLE events ADD COLUMN reported_by_text TEXT;
ALTER TABLE events ADD COLUMN confidence REAL;
ALTER TABLE events ADD COLUMN mode TEXT;
ALTER TABLE events ADD COLUMN context TEXT;
ALTER TABLE events ADD COLUMN killed INTEGER;
ALTER TABLE events ADD COLUMN killed_high INTEGER;
ALTER TABLE events ADD COLUMN injured INTEGER;
ALTER TABLE events ADD COLUMN injured_high INTEGER;
ALTER TABLE events ADD COLUMN abducted INTEGER;
ALTER TABLE events ADD COLUMN abducted_high INTEGER;
ALTER TABLE events ADD COLUMN arrested INTEGER;
ALTER TABLE events ADD COLUMN arrested_high INTEGER;
UPDATE mentions SET
    attribution = coalesce(json_extract(record, '$.attribution'), 'asserted'),
    reported_by_code = json_extract(record, '$.reported_by.actor.cameo_actor'),
    reported_by_text = json_extract(record, '$.reported_by.text'),
    about = CASE WHEN json_array_length(record, '$.about') > 0
                 THEN json(json_extract(record, '$.about')) END,
    confidence = json_extract(record, '$.confidence'),
    mode = json_extract(record, '$.mode'),
    context = json_extract(record, '$.context'),
    killed = (SELECT sum(json_extract(value, '$.count')) FROM json_each(record, '$.casualties')
              WHERE json_extract(value, '$.kind') = 'killed'),
    killed_high = (SELECT sum(coalesce(json_extract(value, '$.high'), json_extract(value, '$.count')))
              FROM json_each(record, '$.casualties') WHERE json_extract(value, '$.kind') = 'killed'),
    injured = (SELECT sum(json_extract(value, '$.count')) FROM json_each(record, '$.casualties')
              WHERE json_extract(value, '$.kind') = 'injured'),
    injured_high = (SELECT sum(coalesce(json_extract(value, '$.high'), json_extract(value, '$.count')))
              FROM json_each(record, '$.casualties') WHERE json_extract(value, '$.kind') = 'injured'),
    abducted = (SELECT sum(json_extract(value, '$.count')) FROM json_each(record, '$.casualties')
              WHERE json_extract(value, '$.kind') = 'abducted'),
    abducted_high = (SELECT sum(coalesce(json_extract(value, '$.high'), json_extract(value, '$.count')))
              FROM json_each(record, '$.casualties') WHERE json_extract(value, '$.kind') = 'abducted'),
    arrested = (SELECT sum(json_extract(value, '$.count')) FROM json_each(record, '$.casualties')
              WHERE json_extract(value, '$.kind') = 'arrested'),
    arrested_high = (SELECT sum(coalesce(json_extract(value, '$.high'), json_extract(value, '$.count')))
              FROM json_each(record, '$.casualties') WHERE json_extract(value, '$.kind') = 'arrested');
UPDATE events SET (confidence, killed, killed_high, injured, injured_high, abducted, abducted_high,
                   arrested, arrested_high) =
    (SELECT max(confidence), max(killed), max(killed_high), max(injured), max(injured_high),
            max(abducted), max(abducted_high), max(arrested), max(arrested_high)
     FROM mentions m WHERE m.event = events.event);
UPDATE events SET (attribution, reported_by_code, reported_by_text) =
    (SELECT attribution, reported_by_code, reported_by_text FROM mentions m
     WHERE m.event = events.event
     ORDER BY CASE attribution WHEN 'asserted' THEN 0 WHEN 'reported' THEN 1 WHEN 'claimed' THEN 2
              WHEN 'alleged' THEN 3 WHEN 'denied' THEN 4 ELSE 5 END, mention LIMIT 1)
WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.event = events.event);
UPDATE events SET
    mode = (SELECT mode FROM mentions m WHERE m.event = events.event AND mode IS NOT NULL
            ORDER BY mention LIMIT 1),
    context = (SELECT context FROM mentions m WHERE m.event = events.event AND context IS NOT NULL
               ORDER BY mention LIMIT 1);
CREATE INDEX events_attribution ON events (attribution);
"#,
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Checks a database file before SQLite opens it: absent or empty (a new database,
/// unless `read_only`), or an SQLite file whose header says annalist (or an empty SQLite
/// database). Reads only; never writes.
pub fn check_file(path: &Path, read_only: bool) -> Result<(), StoreError> {
    let not_annalist = |reason: String| StoreError::NotAnnalist {
        path: path.to_path_buf(),
        reason,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return if read_only {
                Err(StoreError::Missing {
                    path: path.to_path_buf(),
                })
            } else {
                Ok(())
            };
        }
        Err(e) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: e,
            })
        }
    };
    if meta.is_dir() {
        return Err(not_annalist("it is a directory".into()));
    }
    if meta.len() == 0 {
        return if read_only {
            Err(StoreError::Missing {
                path: path.to_path_buf(),
            })
        } else {
            Ok(())
        };
    }
    let mut header = [0u8; 100];
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut n = 0;
    while n < header.len() {
        match f.read(&mut header[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source: e,
                })
            }
        }
    }
    if n < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(not_annalist("not an SQLite database".into()));
    }
    let user_version = i32::from_be_bytes(header[60..64].try_into().unwrap()) as i64;
    let application_id = i32::from_be_bytes(header[68..72].try_into().unwrap());
    if application_id == APPLICATION_ID {
        if user_version > latest() {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: user_version,
                supported: latest(),
            });
        }
        return Ok(());
    }
    if application_id != 0 {
        return Err(not_annalist(format!(
            "an SQLite database of another application (application_id {application_id:#x})"
        )));
    }
    // application_id 0 in the header: an empty SQLite database is fine, and so is an
    // annalist database whose id is still only in its WAL (killed before the first
    // checkpoint); anything else with tables is not ours. SQLite reads the WAL; the
    // connection is read-only.
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
    // Another process may be creating this database right now (holding a lock while it
    // migrates): wait for it rather than calling its file foreign.
    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
    let read = |sql: &str| -> Result<i64, StoreError> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| not_annalist(format!("SQLite cannot read it: {e}")))
    };
    // One read transaction, and the tables counted before the id is read: another
    // connection may commit its migration (tables and id at once) between two bare
    // statements, and its tables read after an id read before would look foreign.
    let _ = conn.execute_batch("BEGIN DEFERRED");
    let tables = read("SELECT count(*) FROM sqlite_master")?;
    let application_id = read("PRAGMA application_id")? as i32;
    if application_id == APPLICATION_ID {
        return Ok(());
    }
    if application_id != 0 {
        return Err(not_annalist(format!(
            "an SQLite database of another application (application_id {application_id:#x})"
        )));
    }
    if tables > 0 {
        return Err(not_annalist(format!(
            "an SQLite database of another application ({tables} schema objects, no annalist application_id)"
        )));
    }
    Ok(())
}

/// For a read-only open: the file must be an annalist database of a version this build
/// reads.
pub(crate) fn check_schema(store: &Store) -> Result<(), StoreError> {
    let (app, version) = ids(store)?;
    if app != APPLICATION_ID {
        return Err(StoreError::NotAnnalist {
            path: store.path.clone(),
            reason: "empty SQLite database".into(),
        });
    }
    if version < latest() {
        return Err(StoreError::CannotOpen {
            path: store.path.clone(),
            detail: format!(
                "schema version {version} is older than this annalist's ({}); `annalist ingest` migrates it",
                latest()
            ),
        });
    }
    if version > latest() {
        return Err(StoreError::NewerSchema {
            path: store.path.clone(),
            found: version,
            supported: latest(),
        });
    }
    Ok(())
}

fn ids(store: &Store) -> Result<(i32, i64), StoreError> {
    let app: i32 = store
        .conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| store.err(e))?;
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| store.err(e))?;
    Ok((app, version))
}

/// Applies the migrations the database lacks, each in one transaction with the version
/// bump, so a crash leaves it at a whole version. The version is read again inside each
/// transaction (which holds the write lock): when two processes create or upgrade one
/// database at once, the second finds the work done and applies nothing twice.
pub(crate) fn migrate(store: &mut Store) -> Result<(), StoreError> {
    loop {
        let (_, version) = ids(store)?;
        if version > latest() {
            return Err(StoreError::NewerSchema {
                path: store.path.clone(),
                found: version,
                supported: latest(),
            });
        }
        if version == latest() {
            return Ok(());
        }
        store
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| store.err(e))?;
        let inside = match ids(store) {
            Ok((_, v)) => v,
            Err(e) => {
                let _ = store.conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        if inside != version {
            // Another connection migrated between our look and our lock: look again.
            store
                .conn
                .execute_batch("COMMIT")
                .map_err(|e| store.err(e))?;
            continue;
        }
        let script = MIGRATIONS[version as usize];
        let next = version + 1;
        let sql = format!(
            "{script}\nPRAGMA application_id = {APPLICATION_ID};\nPRAGMA user_version = {next};\n\
             INSERT OR REPLACE INTO meta (key, value) VALUES ('application', 'annalist'), ('schema_version', '{next}');\nCOMMIT;"
        );
        if let Err(e) = store.conn.execute_batch(&sql) {
            let _ = store.conn.execute_batch("ROLLBACK");
            return Err(store.err(e));
        }
    }
}
