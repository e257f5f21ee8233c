//! Database access for the handlers: a pool of read-only connections (one per blocking
//! task, opened on demand, at most [`Config::max_connections`] kept), a cache of query
//! results invalidated whenever the database changes (`PRAGMA data_version`), and the
//! single read-write connection `POST /api/documents` uses.
use crate::index::EventIndex;
use annalist_store::{OpenOptions, Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Server settings. The limits and their `annalist serve` flags are listed in
/// `docs/security.md`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest body of `POST /api/documents`, in bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Largest body of `POST /api/code` (live coding of pasted text), in bytes; never
    /// more than `max_body_bytes`.
    pub max_code_bytes: usize,
    /// Time budget of one request's work (a query, coding, segmenting); past it the
    /// answer is 503 and the work is dropped.
    pub request_timeout: Duration,
    /// How long a client may take to send a request's headers (and how long an idle
    /// keep-alive connection stays open); the connection is closed after it.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body (408 after it).
    pub body_timeout: Duration,
    /// Threads for CPU work (coding, segmenting): at most this many such requests run
    /// at once.
    pub cpu_threads: usize,
    /// CPU requests that may wait for a thread; more are answered 503 at once.
    pub cpu_queue: usize,
    /// Connections open at once; further ones wait in the listen backlog.
    pub max_open_connections: usize,
    /// Host names (besides IP addresses and `localhost`) that requests may name in
    /// their `Host` header.
    pub allowed_hosts: Vec<String>,
    /// Longest request target (path and query), in bytes (longer: 414).
    pub max_uri_bytes: usize,
    /// Largest total size of a request's headers, in bytes (larger: 431).
    pub max_header_bytes: usize,
    /// Read-only connections kept open between requests.
    pub max_connections: usize,
    /// Query results kept (event id lists per filter, JSON answers); 0 disables the cache.
    pub cache_entries: usize,
    /// Largest page of `GET /api/events`.
    pub max_limit: usize,
    /// Events kept serialized (JSON) between requests, so that a page is mostly copied
    /// rather than read and encoded again; 0 disables it. Emptied when the database
    /// changes or the cache is full.
    pub row_cache_entries: usize,
}

impl Default for Config {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            max_body_bytes: 2 << 20,
            max_code_bytes: 64 << 10,
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(20),
            cpu_threads: (cores / 2).max(1),
            cpu_queue: 16,
            max_open_connections: 512,
            allowed_hosts: Vec::new(),
            max_uri_bytes: 8 << 10,
            max_header_bytes: 16 << 10,
            max_connections: 8,
            cache_entries: 256,
            max_limit: 500,
            row_cache_entries: 200_000,
        }
    }
}

/// A cached answer.
#[derive(Clone)]
pub(crate) enum Cached {
    /// Event ids in timeline order.
    Ids(Arc<Vec<i64>>),
    /// A serialized JSON body.
    Json(Arc<Vec<u8>>),
}

struct Cache {
    version: Option<i64>,
    map: HashMap<String, Cached>,
    order: VecDeque<String>,
}

struct RowCache {
    version: Option<i64>,
    rows: HashMap<i64, Arc<str>>,
}

pub(crate) struct Pool {
    db: PathBuf,
    idle: Mutex<Vec<Store>>,
    /// A connection that only reads `PRAGMA data_version` (it changes when another
    /// connection, in this process or another, commits).
    watcher: Mutex<Store>,
    cache: Mutex<Cache>,
    writer: Mutex<Option<Store>>,
    /// The filter index of the current database version; `building` lets one request
    /// rebuild it while the others wait.
    index: Mutex<Option<Arc<EventIndex>>>,
    building: Mutex<()>,
    rows: Mutex<RowCache>,
    row_cache_entries: usize,
    max_connections: usize,
    cache_entries: usize,
}

fn read_only() -> OpenOptions {
    OpenOptions {
        read_only: true,
        busy_timeout: Duration::from_secs(5),
    }
}

impl Pool {
    pub(crate) fn open(db: PathBuf, config: &Config) -> Result<Pool, StoreError> {
        let watcher = Store::open(&db, &read_only())?;
        Ok(Pool {
            db,
            idle: Mutex::new(Vec::new()),
            watcher: Mutex::new(watcher),
            cache: Mutex::new(Cache {
                version: None,
                map: HashMap::new(),
                order: VecDeque::new(),
            }),
            writer: Mutex::new(None),
            index: Mutex::new(None),
            building: Mutex::new(()),
            rows: Mutex::new(RowCache {
                version: None,
                rows: HashMap::new(),
            }),
            row_cache_entries: config.row_cache_entries,
            max_connections: config.max_connections.max(1),
            cache_entries: config.cache_entries,
        })
    }

    /// Runs `f` on a read-only connection (taken from the pool or opened).
    pub(crate) fn with_store<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let store = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let store = match store {
            Some(s) => s,
            None => Store::open(&self.db, &read_only())?,
        };
        let out = f(&store);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.max_connections {
            idle.push(store);
        }
        out
    }

    /// Runs `f` on the read-write connection, opened on first use.
    pub(crate) fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if w.is_none() {
            *w = Some(Store::open(&self.db, &OpenOptions::default())?);
        }
        f(w.as_mut().expect("opened above"))
    }

    /// A page of the mentions of `event` (document id and record JSON, in mention
    /// order: at most `limit` from `offset`) and how many it has.
    pub(crate) fn mention_page(
        &self,
        event: i64,
        limit: usize,
        offset: usize,
    ) -> Result<(usize, Vec<(String, String)>), StoreError> {
        self.with_store(|store| {
            let err = |e| StoreError::Sqlite {
                path: self.db.clone(),
                source: e,
            };
            let c = store.connection();
            let total: i64 = c
                .query_row(
                    "SELECT count(*) FROM mentions WHERE event = ?1",
                    [event],
                    |r| r.get(0),
                )
                .map_err(err)?;
            let mut stmt = c
                .prepare_cached(
                    "SELECT d.id, m.record FROM mentions m JOIN documents d ON d.doc = m.doc
                     WHERE m.event = ?1 ORDER BY m.mention LIMIT ?2 OFFSET ?3",
                )
                .map_err(err)?;
            let clamp = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            let page = stmt
                .query_map([event, clamp(limit), clamp(offset)], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(err)?
                .collect::<Result<_, _>>()
                .map_err(err)?;
            Ok((total as usize, page))
        })
    }

    /// The database's version as the watcher connection sees it: it changes whenever any
    /// other connection commits.
    pub(crate) fn data_version(&self) -> Result<i64, StoreError> {
        let w = self.watcher.lock().unwrap_or_else(|e| e.into_inner());
        let err = |e| StoreError::Sqlite {
            path: self.db.clone(),
            source: e,
        };
        let mut stmt = w
            .connection()
            .prepare_cached("PRAGMA data_version")
            .map_err(err)?;
        let version = stmt.query_row([], |r| r.get(0)).map_err(err)?;
        Ok(version)
    }

    /// The filter index of the database as it is now (rebuilt after a change).
    pub(crate) fn index(&self) -> Result<Arc<EventIndex>, StoreError> {
        let version = self.data_version()?;
        let current = |pool: &Pool| {
            pool.index
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .filter(|ix| ix.version == version)
                .cloned()
        };
        if let Some(ix) = current(self) {
            return Ok(ix);
        }
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ix) = current(self) {
            return Ok(ix);
        }
        let ix = Arc::new(self.with_store(|s| EventIndex::load(s, version))?);
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = Some(ix.clone());
        Ok(ix)
    }

    /// The events with these ids as JSON objects, in order (unknown ids skipped): from
    /// the row cache when it holds them at this database version, else read (one query
    /// for all that are missing) and kept.
    pub(crate) fn event_json(
        &self,
        version: i64,
        ids: &[i64],
    ) -> Result<Vec<Arc<str>>, StoreError> {
        let mut out: Vec<Option<Arc<str>>> = vec![None; ids.len()];
        let mut missing = Vec::new();
        if self.row_cache_entries > 0 {
            let mut c = self.rows.lock().unwrap_or_else(|e| e.into_inner());
            if c.version != Some(version) {
                c.rows.clear();
                c.version = Some(version);
            }
            for (i, id) in ids.iter().enumerate() {
                match c.rows.get(id) {
                    Some(r) => out[i] = Some(r.clone()),
                    None => missing.push(*id),
                }
            }
        } else {
            missing.extend_from_slice(ids);
        }
        if !missing.is_empty() {
            let rows = self.with_store(|s| s.events_by_id(&missing))?;
            let mut fresh: HashMap<i64, Arc<str>> = rows
                .iter()
                .map(|r| {
                    let json = serde_json::to_string(r).unwrap_or_else(|_| "null".into());
                    (r.event, Arc::from(json))
                })
                .collect();
            for (i, id) in ids.iter().enumerate() {
                if out[i].is_none() {
                    out[i] = fresh.get(id).cloned();
                }
            }
            if self.row_cache_entries > 0 {
                let mut c = self.rows.lock().unwrap_or_else(|e| e.into_inner());
                if c.version == Some(version) {
                    if c.rows.len() + fresh.len() > self.row_cache_entries {
                        c.rows.clear();
                    }
                    c.rows.extend(fresh.drain());
                }
            }
        }
        Ok(out.into_iter().flatten().collect())
    }

    /// The cached answer for `key`, or `compute`'s (then cached). The cache is emptied
    /// first when the database changed since it was filled.
    pub(crate) fn cached(
        &self,
        key: &str,
        compute: impl FnOnce(&Store) -> Result<Cached, StoreError>,
    ) -> Result<Cached, StoreError> {
        if self.cache_entries == 0 {
            return self.with_store(compute);
        }
        let version = self.data_version()?;
        self.cached_at(version, key, || self.with_store(compute))
    }

    /// [`Pool::cached`] at a known database version (`compute` takes no connection).
    pub(crate) fn cached_at(
        &self,
        version: i64,
        key: &str,
        compute: impl FnOnce() -> Result<Cached, StoreError>,
    ) -> Result<Cached, StoreError> {
        if self.cache_entries == 0 {
            return compute();
        }
        {
            let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if c.version != Some(version) {
                c.map.clear();
                c.order.clear();
                c.version = Some(version);
            }
            if let Some(hit) = c.map.get(key) {
                return Ok(hit.clone());
            }
        }
        let value = compute()?;
        let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if c.version == Some(version) && !c.map.contains_key(key) {
            while c.order.len() >= self.cache_entries {
                if let Some(old) = c.order.pop_front() {
                    c.map.remove(&old);
                }
            }
            c.map.insert(key.to_string(), value.clone());
            c.order.push_back(key.to_string());
        }
        Ok(value)
    }
}
