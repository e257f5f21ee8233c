//! The engine between the readers and what consumes coded documents: the one place
//! that decides how dictionaries are loaded, how documents are read, and how they are
//! coded in parallel. The CLI (`code`, `ingest`, `ingest --feed`) and the web API's
//! live coding and `POST /api/documents` all run through it.
//!
//! - [`setup`]: the dictionary load policy — the built-in dictionaries and gazetteer,
//!   or those of a directory (`--dictionaries DIR`, files it lacks falling back to the
//!   built-in ones), validated, and the [`Coder`] made from them.
//! - [`stream`]: the streaming engine — documents in, [`Coded`] documents out to a
//!   [`CodedSink`] in input order; bounded batches (by count and bytes) coded on a
//!   rayon pool while the next batch is read; progress callbacks.
//! - [`input`]: files, folders, standard input and embedded text read by
//!   `annalist-feeds`' readers into the stream, each rejected record passed on as
//!   `file:line: problem`; a feed's undated documents dated from its order first
//!   (`--order`).
//! - [`sinks`]: where coded documents go — JSON Lines on a writer, the event store
//!   ([`StoreSink`]), and the feed poller's sink over the store ([`StoreFeedSink`]).
//!
//! Input: paths or documents, and a directory of dictionaries or none. Output: records
//! in input order, whatever the number of threads, and counts. Memory is bounded by two
//! batches (except with `--order`, which must see the whole feed).

pub mod input;
pub mod setup;
pub mod sinks;
pub mod stream;

pub use annalist_coder::order::FeedOrder;
pub use annalist_coder::{Coder, CoderOptions};
pub use annalist_model::{Document, EventRecord};
pub use input::{code_inputs, read_inputs, Input, InputProblems, Reading};
pub use setup::{Resources, SetupError};
pub use sinks::{ingest_documents, IngestCounts, JsonLines, StoreFeedSink, StoreSink};
pub use stream::{
    parse_min_confidence, retain_confident, BatchLimits, Coded, CodedSink, Counts, Engine,
    EngineError, Stream,
};
