//! The fetch record (schema version 2) kept by `annalist ingest --feed`: table `fetches`
//! holds the last response of each URL fetched (status, size, `ETag` and
//! `Last-Modified` for the next conditional request, the error if it failed), table
//! `feed_items` the feed items already stored (their document id, where their text and
//! date came from). A re-run asks each feed only for what changed and skips the items
//! it has taken. Each write is its own statement: an item is recorded after its
//! document's transaction committed, so a kill in between only makes the next run
//! fetch that item again (its re-ingest is then `Unchanged`).
pub use annalist_model::{FeedItemRecord, FetchRecord};

use crate::{Store, StoreError};
use rusqlite::OptionalExtension;

impl Store {
    /// The last recorded response for `url`.
    pub fn fetch_record(&self, url: &str) -> Result<Option<FetchRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT url, etag, last_modified, status, fetched_at, bytes, error FROM fetches WHERE url = ?1",
                [url],
                |r| {
                    Ok(FetchRecord {
                        url: r.get(0)?,
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        status: r.get::<_, i64>(3)? as u16,
                        fetched_at: r.get(4)?,
                        bytes: r.get::<_, i64>(5)? as u64,
                        error: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Records (replacing) the last response for a URL.
    pub fn record_fetch(&self, rec: &FetchRecord) -> Result<(), StoreError> {
        let at = if rec.fetched_at.is_empty() {
            crate::ingest::chrono_now()
        } else {
            rec.fetched_at.clone()
        };
        self.conn
            .execute(
                "INSERT OR REPLACE INTO fetches (url, etag, last_modified, status, fetched_at, bytes, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    rec.url,
                    rec.etag,
                    rec.last_modified,
                    rec.status as i64,
                    at,
                    rec.bytes as i64,
                    rec.error
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Whether a feed's item was taken already, or a document with its id is stored.
    pub fn feed_item_taken(&self, feed_url: &str, item_id: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM feed_items WHERE feed_url = ?1 AND item_id = ?2)
                     OR EXISTS (SELECT 1 FROM documents WHERE id = ?2)",
                [feed_url, item_id],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Records a feed item as taken (after its document was stored).
    pub fn record_feed_item(&self, item: &FeedItemRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO feed_items (feed_url, item_id, link, text_from, date_basis, taken_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    item.feed_url,
                    item.item_id,
                    item.link,
                    item.text_from,
                    item.date_basis,
                    crate::ingest::chrono_now()
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}
