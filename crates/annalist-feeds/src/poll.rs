//! One poll of one feed: fetch it (conditionally), take the items the sink has not
//! seen, complete each into a document, hand it to the sink to code and store, and
//! record what was taken. [`poll_feeds`] polls a list of feeds once or, watching, until
//! the stop flag is raised.
//!
//! Input: feed URLs, a [`Fetcher`] and a [`FeedSink`] (the documents' destination and
//! the fetch record: `annalist-engine`'s `StoreFeedSink` codes into an `annalist-store`
//! database, whose tables `fetches` and `feed_items` keep the record). Output: a
//! [`PollReport`] per feed, messages for every problem, documents in the sink. This
//! crate knows no database: it writes only through the trait.
//!
//! **Article rule.** An item whose own text (content or description, HTML stripped) is
//! shorter than [`PollOptions::article_min_chars`] (default 600 characters, a summary
//! rather than a story) and that links somewhere has its linked page fetched and its
//! main text extracted ([`crate::html::extract_article_within`], within the fetch's
//! timeout again); the page's text is used when
//! it is longer than the item's. When the page fails (HTTP error, timeout, too big, no
//! article), the item's own text is used with a message naming the page; an item left
//! with no text at all is reported and not recorded, so a later poll tries it again.
//!
//! **Date rule.** The item's `pubDate`/`published`, else its `updated`, else the linked
//! page's publication date; never the feed's own date (when the feed was built). An
//! item with none is stored undated (its events get `date: null`) with a message,
//! unless [`Undated::FetchDate`] asks for the day of the fetch. Either way
//! `feed_items.date_basis` records where the date came from: `item`, `article`,
//! `fetched` or `none`.
//!
//! **Order and stopping.** Items are taken oldest first (the reverse of feed order). The
//! `stop` flag is read before each item: the document in hand is finished, the rest
//! wait for the next run. The feed's validators (ETag, Last-Modified) are recorded only
//! after all its items were handled, so an interrupted poll is not answered "304 Not
//! Modified" next time.
use crate::feed::{item_document, parse_feed, Feed};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use annalist_model::{Document, FeedItemRecord, FetchRecord};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Where a poll puts what it takes, and the record of what it fetched before.
pub trait FeedSink {
    /// A failure of the sink itself (a database error): it stops the run.
    type Error: std::error::Error;
    /// The last response recorded for `url`.
    fn fetch_record(&mut self, url: &str) -> Result<Option<FetchRecord>, Self::Error>;
    /// Records a response (or a failure) for a URL.
    fn record_fetch(&mut self, rec: &FetchRecord) -> Result<(), Self::Error>;
    /// Whether the item `item_id` of `feed_url` was taken by an earlier poll.
    fn item_taken(&mut self, feed_url: &str, item_id: &str) -> Result<bool, Self::Error>;
    /// Codes and stores a document made of an item, in one transaction.
    fn put_document(&mut self, doc: &Document) -> Result<(), Self::Error>;
    /// Records an item as taken (after its document was stored).
    fn record_feed_item(&mut self, item: &FeedItemRecord) -> Result<(), Self::Error>;
}

/// What to do with an item that has no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Undated {
    /// Store it undated (`date_basis` = `none`).
    #[default]
    Keep,
    /// Date it with the UTC day of the fetch (`date_basis` = `fetched`).
    FetchDate,
}

/// Poll settings.
#[derive(Debug, Clone)]
pub struct PollOptions {
    /// Fetch the linked article when the item's text is shorter than this (characters);
    /// 0 never fetches articles.
    pub article_min_chars: usize,
    pub undated: Undated,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            article_min_chars: 600,
            undated: Undated::Keep,
        }
    }
}

/// The outcome of one poll of one feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollReport {
    /// The server answered 304 Not Modified.
    pub not_modified: bool,
    /// Items in the feed.
    pub items: usize,
    /// Items stored now.
    pub stored: usize,
    /// Items taken by an earlier poll.
    pub seen: usize,
    /// Items that could not be stored (no text).
    pub failed: usize,
    /// Linked pages that failed (the item's text was used).
    pub article_failures: usize,
    /// The stop flag ended the poll early.
    pub stopped: bool,
}

/// Why a poll failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum PollError<E: std::error::Error> {
    /// The feed could not be fetched or read: reported, other feeds go on.
    #[error("{0}")]
    Feed(String),
    /// The sink failed: the run stops.
    #[error(transparent)]
    Sink(E),
}

impl<E: std::error::Error> From<E> for PollError<E> {
    fn from(e: E) -> Self {
        PollError::Sink(e)
    }
}

/// Polls `feed_url` once into `sink`; `say` receives one message per item problem or
/// note.
pub fn poll_feed<S: FeedSink>(
    fetcher: &mut Fetcher,
    feed_url: &str,
    sink: &mut S,
    opts: &PollOptions,
    stop: &AtomicBool,
    say: &mut dyn FnMut(String),
) -> Result<PollReport, PollError<S::Error>> {
    let mut report = PollReport::default();
    let Some((fetched, feed, prev)) = fetch_feed(fetcher, feed_url, sink)? else {
        report.not_modified = true;
        return Ok(report);
    };
    report.items = feed.items.len();
    let host = crate::url_host(feed_url);
    for item in feed.items.iter().rev() {
        if stop.load(Ordering::SeqCst) {
            report.stopped = true;
            break;
        }
        let mut doc = item_document(item, &feed, host.as_deref());
        let label = item
            .link
            .clone()
            .unwrap_or_else(|| format!("{feed_url} item {}", doc.id));
        if sink.item_taken(feed_url, &doc.id)? {
            report.seen += 1;
            continue;
        }
        let mut text_from = "item";
        let mut date_basis = if doc.date.is_some() { "item" } else { "none" };
        let item_chars = doc.text.chars().count();
        if item_chars < opts.article_min_chars {
            if let Some(link) = &item.link {
                match fetch_article(fetcher, sink, link)? {
                    Ok(a) => {
                        if a.text.chars().count() > item_chars {
                            doc.text = a.text;
                            text_from = "article";
                        }
                        if doc.date.is_none() && a.date.is_some() {
                            doc.date = a.date;
                            date_basis = "article";
                        }
                        if doc.title.is_none() {
                            doc.title = a.title;
                        }
                    }
                    Err(problem) => {
                        report.article_failures += 1;
                        say(if doc.text.is_empty() {
                            problem.clone()
                        } else {
                            format!("{problem}; using the feed item's own text")
                        });
                    }
                }
            }
        }
        if doc.text.trim().is_empty() {
            report.failed += 1;
            say(format!(
                "{label}: no text in the feed item nor from its page; not stored"
            ));
            continue;
        }
        if doc.date.is_none() {
            match opts.undated {
                Undated::Keep => say(format!(
                    "{label}: no publication date in the item or its page; stored undated"
                )),
                Undated::FetchDate => {
                    doc.date = Some(today());
                    doc.date_basis = Some(annalist_model::Basis::Fetched);
                    date_basis = "fetched";
                    say(format!(
                        "{label}: no publication date; dated with the fetch day (date_basis fetched)"
                    ));
                }
            }
        }
        sink.put_document(&doc)?;
        sink.record_feed_item(&FeedItemRecord {
            feed_url: feed_url.to_string(),
            item_id: doc.id.clone(),
            link: item.link.clone(),
            text_from: text_from.to_string(),
            date_basis: date_basis.to_string(),
        })?;
        report.stored += 1;
    }
    sink.record_fetch(&FetchRecord {
        url: feed_url.to_string(),
        // An interrupted poll keeps the old validators: the next one reads the feed.
        etag: if report.stopped {
            prev.as_ref().and_then(|p| p.etag.clone())
        } else {
            fetched.validators.etag
        },
        last_modified: if report.stopped {
            prev.as_ref().and_then(|p| p.last_modified.clone())
        } else {
            fetched.validators.last_modified
        },
        status: fetched.status,
        bytes: fetched.body.len() as u64,
        ..Default::default()
    })?;
    Ok(report)
}

/// A feed as fetched, as parsed, and the fetch record before this poll.
type FetchedFeed = (Fetched, Feed, Option<FetchRecord>);

/// The feed fetched (conditionally, with the validators of the previous fetch record)
/// and parsed, with that record; `None` when the server answered 304 Not Modified. A
/// failure is recorded, then returned as [`PollError::Feed`].
fn fetch_feed<S: FeedSink>(
    fetcher: &mut Fetcher,
    feed_url: &str,
    sink: &mut S,
) -> Result<Option<FetchedFeed>, PollError<S::Error>> {
    let prev = sink.fetch_record(feed_url)?;
    let validators = prev.as_ref().map(|r| Validators {
        etag: r.etag.clone(),
        last_modified: r.last_modified.clone(),
    });
    let fetched = match fetcher.get(feed_url, validators.as_ref()) {
        Ok(f) => f,
        Err(e) => {
            record_failure(sink, prev.as_ref(), &e)?;
            return Err(PollError::Feed(format!("feed {e}")));
        }
    };
    if fetched.status == 304 {
        let mut rec = prev.unwrap_or_default();
        rec.url = feed_url.to_string();
        rec.status = 304;
        rec.fetched_at.clear();
        rec.error = None;
        sink.record_fetch(&rec)?;
        return Ok(None);
    }
    let feed = match parse_feed(&fetched.body, Some(feed_url)) {
        Ok(f) => f,
        Err(e) => {
            sink.record_fetch(&FetchRecord {
                url: feed_url.to_string(),
                status: fetched.status,
                bytes: fetched.body.len() as u64,
                error: Some(e.clone()),
                // Keep no validators: the next poll must fetch it whole again.
                ..Default::default()
            })?;
            return Err(PollError::Feed(format!("feed {feed_url}: {e}")));
        }
    };
    Ok(Some((fetched, feed, prev)))
}

fn record_failure<S: FeedSink>(
    sink: &mut S,
    prev: Option<&FetchRecord>,
    e: &FetchError,
) -> Result<(), S::Error> {
    let mut rec = prev.cloned().unwrap_or_default();
    rec.url = e.url.clone();
    rec.status = e.status;
    rec.fetched_at.clear();
    rec.bytes = 0;
    rec.error = Some(e.problem.clone());
    sink.record_fetch(&rec)
}

/// Fetches and extracts a linked article, recording the fetch; the inner error names
/// the URL.
fn fetch_article<S: FeedSink>(
    fetcher: &mut Fetcher,
    sink: &mut S,
    url: &str,
) -> Result<Result<crate::html::Article, String>, S::Error> {
    let page = match fetcher.get(url, None) {
        Ok(p) => p,
        Err(e) => {
            record_failure(sink, None, &e)?;
            return Ok(Err(format!("article {e}")));
        }
    };
    let html = crate::html::decode_html(&page.body, page.content_type.as_deref());
    // The fetch's timeout bounds the extraction too.
    let limit = fetcher.options().timeout;
    let article = crate::html::extract_article_within(html, Some(url), limit);
    sink.record_fetch(&FetchRecord {
        url: url.to_string(),
        etag: page.validators.etag,
        last_modified: page.validators.last_modified,
        status: page.status,
        bytes: page.body.len() as u64,
        error: article.as_ref().err().cloned(),
        ..Default::default()
    })?;
    Ok(article.map_err(|e| format!("article {url}: {e}")))
}

/// What a run over several feeds did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedsReport {
    /// Documents stored, over all polls.
    pub stored: usize,
    /// Feeds that failed plus items that could not be stored.
    pub failures: usize,
    /// The stop flag ended the run.
    pub interrupted: bool,
}

/// Polls every feed of `feeds` once or, with `watch` = the interval, again and again
/// until `stop` is raised (checked before each feed and every 50 ms while waiting).
/// A feed that fails is reported through `say` and the others go on; only the sink's
/// own failure stops the run. `say` receives, per feed, `feed URL: not modified` or
/// `feed URL: N items, N new stored, N seen before, N failed`, and the poll's messages.
pub fn poll_feeds<S: FeedSink>(
    fetcher: &mut Fetcher,
    feeds: &[String],
    sink: &mut S,
    opts: &PollOptions,
    watch: Option<Duration>,
    stop: &AtomicBool,
    say: &mut dyn FnMut(String),
) -> Result<FeedsReport, S::Error> {
    let mut report = FeedsReport::default();
    'polls: loop {
        for url in feeds {
            if stop.load(Ordering::SeqCst) {
                break 'polls;
            }
            match poll_feed(fetcher, url, sink, opts, stop, say) {
                Ok(r) if r.not_modified => say(format!("feed {url}: not modified")),
                Ok(r) => {
                    report.failures += r.failed;
                    report.stored += r.stored;
                    say(format!(
                        "feed {url}: {} items, {} new stored, {} seen before, {} failed",
                        r.items, r.stored, r.seen, r.failed
                    ));
                }
                Err(PollError::Feed(m)) => {
                    report.failures += 1;
                    say(m);
                }
                Err(PollError::Sink(e)) => return Err(e),
            }
        }
        let Some(interval) = watch else {
            break;
        };
        let until = Instant::now() + interval;
        while Instant::now() < until {
            if stop.load(Ordering::SeqCst) {
                break 'polls;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    report.interrupted = stop.load(Ordering::SeqCst);
    Ok(report)
}

fn today() -> chrono::NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}
