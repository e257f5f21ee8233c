//! Where coded documents go: [`JsonLines`] writes every record as one JSON line (the
//! output of `annalist code`); [`StoreSink`] stores each document with its records in
//! the event store, one transaction per batch and each document all or nothing in it
//! (`annalist ingest`, `POST
//! /api/documents`), counting what the store did; [`StoreFeedSink`] is the feed
//! poller's sink (`annalist ingest --feed`): it codes each item's document and stores
//! it, and keeps the fetch record in the same database.
//!
//! Input: [`Coded`] documents in input order (or documents, for the feed sink). Output:
//! bytes on a writer, or rows in an `annalist-store` database.
use crate::stream::{Coded, CodedSink, Engine};
use annalist_feeds::poll::FeedSink;
use annalist_model::{Document, EventRecord, FeedItemRecord, FetchRecord};
use annalist_store::{Outcome, Store, StoreError};
use std::io::Write;

/// Records as JSON Lines on a writer, serialised on the workers.
pub struct JsonLines<W: Write> {
    writer: W,
}

impl<W: Write> JsonLines<W> {
    pub fn new(writer: W) -> Self {
        JsonLines { writer }
    }

    /// The writer, to flush it.
    pub fn into_inner(self) -> W {
        self.writer
    }
}

impl<W: Write> CodedSink for JsonLines<W> {
    type Item = Vec<u8>;
    type Error = std::io::Error;

    fn prepare(coded: Coded) -> Vec<u8> {
        let mut out = Vec::new();
        for r in &coded.records {
            serde_json::to_writer(&mut out, r).expect("records serialise");
            out.push(b'\n');
        }
        out
    }

    fn take(&mut self, bytes: Vec<u8>) -> std::io::Result<()> {
        self.writer.write_all(&bytes)
    }
}

/// What storing documents did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestCounts {
    /// New documents.
    pub added: usize,
    /// Documents stored before with other content: their mentions were replaced.
    pub replaced: usize,
    /// Documents stored before with the same content: nothing changed.
    pub unchanged: usize,
    /// Records (mentions) of the documents handed over.
    pub events: usize,
}

impl IngestCounts {
    fn count(&mut self, outcome: Outcome, events: usize) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Replaced => self.replaced += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
        self.events += events;
    }
}

/// Coded documents into the event store: each batch of the stream in one transaction,
/// each document all or nothing (`Store::ingest_batch`).
pub struct StoreSink<'s> {
    store: &'s mut Store,
    pub counts: IngestCounts,
    /// What was taken since the last flush.
    held: Vec<(Document, Vec<EventRecord>)>,
}

impl<'s> StoreSink<'s> {
    pub fn new(store: &'s mut Store) -> Self {
        StoreSink {
            store,
            counts: IngestCounts::default(),
            held: Vec::new(),
        }
    }
}

impl CodedSink for StoreSink<'_> {
    type Item = (Document, Vec<EventRecord>);
    type Error = StoreError;

    fn prepare(coded: Coded) -> Self::Item {
        (coded.doc, coded.records)
    }

    fn take(&mut self, item: Self::Item) -> Result<(), StoreError> {
        self.held.push(item);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let held = std::mem::take(&mut self.held);
        let (outcomes, failed) = match self.store.ingest_batch(&held) {
            Ok(o) => (o, None),
            Err((o, e)) => (o, Some(e)),
        };
        for (o, (_, records)) in outcomes.into_iter().zip(&held) {
            self.counts.count(o, records.len());
        }
        failed.map_or(Ok(()), Err)
    }
}

/// Codes `docs` with `engine` and stores them in `store`: "code, store, count" for
/// callers that hold the documents already (the web API).
pub fn ingest_documents(
    engine: &Engine,
    docs: Vec<Document>,
    store: &mut Store,
) -> Result<IngestCounts, StoreError> {
    let mut stream = engine.stream(StoreSink::new(store));
    for d in docs {
        stream.push(d, None);
    }
    let (sink, _) = stream.finish()?;
    Ok(sink.counts)
}

/// Hears of each document a [`StoreFeedSink`] stored: the document, what the store did,
/// how many events it had.
pub type OnStored<'s> = Box<dyn FnMut(&Document, Outcome, usize) + 's>;

/// The feed poller's sink over the event store: each document is coded on the calling
/// thread and stored in its own transaction; `on_stored` hears of each.
pub struct StoreFeedSink<'s> {
    store: &'s mut Store,
    engine: &'s Engine,
    on_stored: OnStored<'s>,
    pub counts: IngestCounts,
}

impl<'s> StoreFeedSink<'s> {
    /// `on_stored(document, outcome, events)` is called after each document is stored.
    pub fn new(
        store: &'s mut Store,
        engine: &'s Engine,
        on_stored: impl FnMut(&Document, Outcome, usize) + 's,
    ) -> Self {
        StoreFeedSink {
            store,
            engine,
            on_stored: Box::new(on_stored),
            counts: IngestCounts::default(),
        }
    }
}

impl FeedSink for StoreFeedSink<'_> {
    type Error = StoreError;

    fn fetch_record(&mut self, url: &str) -> Result<Option<FetchRecord>, StoreError> {
        self.store.fetch_record(url)
    }

    fn record_fetch(&mut self, rec: &FetchRecord) -> Result<(), StoreError> {
        self.store.record_fetch(rec)
    }

    fn item_taken(&mut self, feed_url: &str, item_id: &str) -> Result<bool, StoreError> {
        self.store.feed_item_taken(feed_url, item_id)
    }

    fn put_document(&mut self, doc: &Document) -> Result<(), StoreError> {
        let coded = self.engine.code(doc.clone(), None);
        let outcome = self.store.ingest(doc, &coded.records)?;
        self.counts.count(outcome, coded.records.len());
        (self.on_stored)(doc, outcome, coded.records.len());
        Ok(())
    }

    fn record_feed_item(&mut self, item: &FeedItemRecord) -> Result<(), StoreError> {
        self.store.record_feed_item(item)
    }
}
