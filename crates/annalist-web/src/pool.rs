//! Database access for the handlers: a pool of read-only connections (one per blocking
//! task, opened on demand, at most [`Config::max_connections`] kept), a cache of query
//! results invalidated whenever the database changes (`PRAGMA data_version`), and the
//! single read-write connection `POST /api/documents` uses.
use crate::index::EventIndex;
use annalist_store::{OpenOptions, Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
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
    /// Bytes those results may hold together (an id list holds 8 bytes an event).
    pub cache_bytes: usize,
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
            cache_bytes: 64 << 20,
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

impl Cached {
    /// Bytes the answer holds.
    fn bytes(&self) -> usize {
        match self {
            Cached::Ids(ids) => ids.len() * std::mem::size_of::<i64>(),
            Cached::Json(json) => json.len(),
        }
    }
}

/// The answer cache of one database version: at most `max_entries` answers of at most
/// `max_bytes` together. Eviction is second-chance ("clock"): the oldest entry goes,
/// unless it was used since it was last passed over, then it goes to the back of the
/// queue; so answers asked for again and again stay while one-off ones pass through.
struct Cache {
    version: Option<i64>,
    map: HashMap<String, Entry>,
    order: VecDeque<String>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

struct Entry {
    value: Cached,
    used: bool,
}

impl Cache {
    fn new(max_entries: usize, max_bytes: usize) -> Cache {
        Cache {
            version: None,
            map: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// Empties the cache when `version` is not the one it holds.
    fn at_version(&mut self, version: i64) {
        if self.version != Some(version) {
            self.map.clear();
            self.order.clear();
            self.bytes = 0;
            self.version = Some(version);
        }
    }

    fn get(&mut self, key: &str) -> Option<Cached> {
        let e = self.map.get_mut(key)?;
        e.used = true;
        Some(e.value.clone())
    }

    /// Keeps `value` under `key`, evicting as needed (a value larger than the whole
    /// budget is not kept).
    fn insert(&mut self, key: &str, value: Cached) {
        let size = value.bytes();
        if self.max_entries == 0 || size > self.max_bytes || self.map.contains_key(key) {
            return;
        }
        while self.map.len() >= self.max_entries || self.bytes + size > self.max_bytes {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            match self.map.get_mut(&old) {
                Some(e) if e.used => {
                    e.used = false;
                    self.order.push_back(old);
                }
                Some(_) => {
                    if let Some(e) = self.map.remove(&old) {
                        self.bytes -= e.value.bytes();
                    }
                }
                None => {}
            }
        }
        self.bytes += size;
        self.map
            .insert(key.to_string(), Entry { value, used: false });
        self.order.push_back(key.to_string());
    }
}

struct RowCache {
    version: Option<i64>,
    rows: HashMap<i64, Arc<str>, BuildHasherDefault<IdHasher>>,
}

/// Hashes an event id by one multiplication (the row cache looks up every event of a
/// page; the ids come from the database, not from the request, so SipHash's protection
/// against chosen keys is not needed).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(32);
    }
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
            cache: Mutex::new(Cache::new(config.cache_entries, config.cache_bytes)),
            writer: Mutex::new(None),
            index: Mutex::new(None),
            building: Mutex::new(()),
            rows: Mutex::new(RowCache {
                version: None,
                rows: HashMap::default(),
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

    /// The filter index loaded at `version`, if it is loaded.
    pub(crate) fn loaded_index(&self, version: i64) -> Option<Arc<EventIndex>> {
        self.index
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|ix| ix.version == version)
            .cloned()
    }

    /// The filter index of the database as it is now (rebuilt after a change).
    pub(crate) fn index(&self) -> Result<Arc<EventIndex>, StoreError> {
        let version = self.data_version()?;
        if let Some(ix) = self.loaded_index(version) {
            return Ok(ix);
        }
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ix) = self.loaded_index(version) {
            return Ok(ix);
        }
        let ix = Arc::new(self.with_store(|s| EventIndex::load(s, version))?);
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = Some(ix.clone());
        Ok(ix)
    }

    /// Appends the JSON objects of the events with these ids to `out`, in order and
    /// separated by commas, if the row cache holds every one of them at this database
    /// version; otherwise leaves `out` as it was and returns `false` (nothing is read).
    /// The rows are copied under the lock: no reference counts touched, no list built.
    pub(crate) fn append_cached_event_json(
        &self,
        version: i64,
        ids: &[i64],
        out: &mut String,
    ) -> bool {
        if self.row_cache_entries == 0 {
            return false;
        }
        let c = self.rows.lock().unwrap_or_else(|e| e.into_inner());
        if c.version != Some(version) {
            return false;
        }
        let start = out.len();
        for (i, id) in ids.iter().enumerate() {
            let Some(row) = c.rows.get(id) else {
                out.truncate(start);
                return false;
            };
            if i > 0 {
                out.push(',');
            }
            out.push_str(row);
        }
        true
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

    /// The cached answer for `key` at `version`, if there is one (nothing is computed).
    pub(crate) fn cache_hit(&self, version: i64, key: &str) -> Option<Cached> {
        if self.cache_entries == 0 {
            return None;
        }
        let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if c.version != Some(version) {
            return None;
        }
        c.get(key)
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
            c.at_version(version);
            if let Some(hit) = c.get(key) {
                return Ok(hit);
            }
        }
        let value = compute()?;
        let mut c = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if c.version == Some(version) {
            c.insert(key, value.clone());
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::{Cache, Cached};
    use std::sync::Arc;

    fn ids(n: usize) -> Cached {
        Cached::Ids(Arc::new((0..n as i64).collect()))
    }

    #[test]
    fn answers_asked_again_stay_one_offs_go() {
        let mut c = Cache::new(3, 1 << 20);
        c.at_version(1);
        c.insert("hot", ids(1));
        c.insert("a", ids(1));
        c.insert("b", ids(1));
        assert!(c.get("hot").is_some());
        c.insert("c", ids(1));
        // "hot" was used: passed over once; "a" (oldest unused) went.
        assert!(c.get("hot").is_some());
        assert!(c.get("a").is_none());
        c.insert("d", ids(1));
        assert!(c.get("hot").is_some());
        assert!(c.get("b").is_none());
        assert_eq!(c.map.len(), 3);
        // A new version empties it.
        c.at_version(2);
        assert!(c.get("hot").is_none());
        assert_eq!((c.map.len(), c.order.len(), c.bytes), (0, 0, 0));
    }

    #[test]
    fn bytes_are_bounded() {
        let mut c = Cache::new(100, 800);
        c.at_version(1);
        c.insert("fifty", ids(50));
        c.insert("forty", ids(40));
        assert_eq!(c.bytes, 720);
        // 30 more ids would exceed 800 bytes: the oldest answer goes.
        c.insert("thirty", ids(30));
        assert!(c.get("fifty").is_none());
        assert_eq!(c.bytes, 560);
        // Larger than the whole budget: not kept, nothing evicted.
        c.insert("huge", ids(101));
        assert!(c.get("huge").is_none());
        assert!(c.get("forty").is_some() && c.get("thirty").is_some());
        assert_eq!(c.bytes, 560);
    }
}
