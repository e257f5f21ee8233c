//! The event store (pipeline stage "store"): coded documents go into an embedded SQLite
//! database as documents, mentions (every [`EventRecord`] with its evidence) and
//! deduplicated events (one row per real-world event, folding the mentions of every
//! article that reports it). Queries (timeline, dyads, stats) and exports (CSV, JSON
//! Lines, PLOVER JSON, GDELT 2.0 TSV, GeoJSON, Parquet partitioned by month) read it
//! back; [`geography`] gives the events their places.
//!
//! Entry points: [`Store::open`], [`Store::ingest`], [`Store::timeline`],
//! [`Store::dyads`], [`Store::stats`], [`export::export`]. The schema and its
//! migrations are in [`schema`]; the merge rule in [`dedup`].
//!
//! The store never codes: the caller hands it a document and the records the coder made
//! for it, so the store knows nothing of dictionaries and the coder nothing of SQLite.
pub mod dedup;
pub mod export;
pub mod fetchlog;
pub mod geography;
pub mod ingest;
pub mod query;
pub mod schema;

pub use annalist_model::{Document, EventRecord};
pub use fetchlog::{FeedItemRecord, FetchRecord};
pub use ingest::Figures;
pub use ingest::Outcome;
pub use query::{
    Casualties, DocumentRow, DyadPeriod, DyadRow, EventRow, Filter, MentionRow, Stats,
    ATTRIBUTIONS, CLAIMS,
};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What can go wrong with a store. Every variant names the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not an annalist database ({reason}); the file was left untouched")]
    NotAnnalist { path: PathBuf, reason: String },
    #[error("{path}: schema version {found} is newer than this annalist supports ({supported}); upgrade annalist")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path}: cannot write the database: the file or its directory is read-only ({detail})"
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "{path}: the database or the disk is full; documents committed before this one are intact"
    )]
    Full { path: PathBuf },
    #[error("{path}: the database is locked by another writer (waited {waited_ms} ms); try again when it has finished")]
    Locked { path: PathBuf, waited_ms: u64 },
    #[error("{path}: no such database")]
    Missing { path: PathBuf },
    #[error("{path}: cannot open the database: {detail}")]
    CannotOpen { path: PathBuf, detail: String },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Export(String),
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Open for queries only: the file must exist and is never written.
    pub read_only: bool,
    /// How long a write waits for another writer before failing with
    /// [`StoreError::Locked`].
    pub busy_timeout: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            read_only: false,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// An open annalist database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    busy_timeout: Duration,
}

impl Store {
    /// Opens (creating it if needed, unless read-only) an annalist database, checking
    /// that the file is one (see [`schema`]) and migrating an older schema.
    pub fn open(path: &Path, opts: &OpenOptions) -> Result<Store, StoreError> {
        // /dev/null, a pipe, a socket: SQLite would "open" it as an empty database and
        // make a journal next to it (as root, /dev/null-journal).
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            return Err(StoreError::NotAnnalist {
                path: path.to_path_buf(),
                reason: "not a regular file (a device, pipe or socket)".into(),
            });
        }
        schema::check_file(path, opts.read_only)?;
        let flags = if opts.read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let existed = path.exists();
        let conn = Connection::open_with_flags(path, flags).map_err(|e| {
            let dir = match path.parent() {
                Some(d) if d.as_os_str().is_empty() => Path::new("."),
                Some(d) => d,
                None => Path::new("/"),
            };
            if existed || opts.read_only {
                StoreError::CannotOpen {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                }
            } else if !dir.is_dir() {
                StoreError::CannotOpen {
                    path: path.to_path_buf(),
                    detail: format!("directory {} does not exist", dir.display()),
                }
            } else {
                StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    detail: format!("cannot create a file in {}", dir.display()),
                }
            }
        })?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            busy_timeout: opts.busy_timeout,
        };
        store
            .conn
            .busy_timeout(opts.busy_timeout)
            .map_err(|e| store.err(e))?;
        store.stable_plans()?;
        if opts.read_only {
            match schema::check_schema(&store) {
                Err(StoreError::ReadOnly { detail, .. }) => {
                    // A WAL database in a folder we cannot write (another user's, a
                    // mounted archive): SQLite cannot make its `-shm` index.
                    store = Store::open_immutable(path, opts, &detail)?;
                    schema::check_schema(&store)?;
                }
                other => other?,
            }
        } else {
            if store.conn.is_readonly("main").unwrap_or(false) {
                return Err(StoreError::ReadOnly {
                    path: store.path.clone(),
                    detail: "SQLite opened it read-only".into(),
                });
            }
            // Switching a new file to WAL needs a lock SQLite does not wait for (its busy
            // handler is not called there): retry within the busy timeout, so several
            // processes creating one database at once all succeed.
            let started = std::time::Instant::now();
            loop {
                match store.conn.execute_batch(
                    // (temp_store: the savepoint of each document of a batch keeps its
                    // undo log in memory, not in a temporary file.)
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
                     PRAGMA temp_store = MEMORY;",
                ) {
                    Err(rusqlite::Error::SqliteFailure(f, _))
                        if matches!(
                            f.code,
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        ) && started.elapsed() < opts.busy_timeout =>
                    {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    r => break r.map_err(|e| store.err(e))?,
                }
            }
            schema::migrate(&mut store)?;
        }
        Ok(store)
    }

    /// Opens a database read-only as immutable (`?immutable=1`: SQLite takes no locks
    /// and makes no `-shm`), for folders that cannot be written. Safe only when no
    /// write-ahead log holds changes the file lacks: a non-empty `-wal` is an error.
    fn open_immutable(path: &Path, opts: &OpenOptions, why: &str) -> Result<Store, StoreError> {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
                detail: format!(
                    "{why}; its write-ahead log {} holds changes that cannot be read without \
                     write access to the folder: open it once where it can be written (any \
                     annalist command does), or ask its owner to",
                    Path::new(&wal).display()
                ),
            });
        }
        let absolute = std::path::absolute(path).map_err(|e| StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let uri = format!("file:{}?immutable=1", uri_path(&absolute));
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::CannotOpen {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            busy_timeout: opts.busy_timeout,
        };
        store.stable_plans()?;
        Ok(store)
    }

    /// Query plans that do not depend on bound values (SQLite's QPSG): without it this
    /// SQLite build (with STAT4) re-prepares every statement with `column = ?` on each
    /// new binding, which was most of ingest's time (`sqlite3Reprepare`).
    fn stable_plans(&self) -> Result<(), StoreError> {
        self.conn
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
                true,
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for checks and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Caps the database size (`PRAGMA max_page_count`), e.g. to simulate a full disk.
    pub fn set_max_page_count(&self, pages: u64) -> Result<(), StoreError> {
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
            .map_err(|e| self.err(e))
    }

    /// Turns an SQLite error into a [`StoreError`] naming the file and, for the faults a
    /// user can act on (full, locked, read-only), saying what happened.
    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        sqlite_error(&self.path, self.busy_timeout, e)
    }
}

/// A path percent-encoded for an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(*b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// See [`Store::err`].
pub(crate) fn sqlite_error(path: &Path, busy_timeout: Duration, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let path = path.to_path_buf();
    {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::Full { path },
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Locked {
                path,
                waited_ms: busy_timeout.as_millis() as u64,
            },
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => StoreError::ReadOnly {
                path,
                detail: e.to_string(),
            },
            _ => StoreError::Sqlite { path, source: e },
        }
    }
}
