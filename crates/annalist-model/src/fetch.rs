//! The fetch record of `annalist ingest --feed`: the last response for each URL fetched
//! and the feed items already taken. `annalist-feeds`' poller reads and writes them
//! through its `FeedSink`; `annalist-store` keeps them (tables `fetches`, `feed_items`).
/// The last response for one URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchRecord {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// HTTP status of the last attempt; 0 when no response came (timeout, refused).
    pub status: u16,
    /// UTC time of the fetch, `YYYY-MM-DDTHH:MM:SSZ` (filled by the store when it
    /// records an empty one).
    pub fetched_at: String,
    /// Body size in bytes.
    pub bytes: u64,
    pub error: Option<String>,
}

/// A feed item stored as a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedItemRecord {
    pub feed_url: String,
    /// The document id (guid, link, or content hash).
    pub item_id: String,
    pub link: Option<String>,
    /// `article` (the linked page's text) or `item` (the feed item's own text).
    pub text_from: String,
    /// `item`, `article`, `fetched` (the fetch date stood in) or `none` (undated).
    pub date_basis: String,
}
