//! The streaming engine: documents are gathered into batches bounded by a number of
//! documents and of text bytes ([`BatchLimits`]); a full batch is handed to the rayon
//! pool, and while the workers code it the calling thread hands the previous batch's
//! results to the [`CodedSink`] and goes on reading. Results reach the sink in input
//! order, so the output is the same whatever the number of threads; at most two batches
//! are held at once.
//!
//! Input: [`Document`]s (each with the feed date `--order` gave it, if any), pushed one
//! at a time. Output: every document's [`Coded`] form, turned by
//! [`CodedSink::prepare`] on the worker (serialising there keeps the calling thread
//! free) and taken by [`CodedSink::take`] on the calling thread; [`Counts`] for
//! progress callbacks and the final summary. A sink error stops the coding: later
//! documents are dropped and [`Stream::finish`] returns the error.
use annalist_coder::Coder;
use annalist_model::{Document, DocumentDate, EventRecord};
use rayon::prelude::*;
use std::sync::{mpsc, Arc};

/// How big a batch may grow before it is coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchLimits {
    /// Documents in a batch.
    pub documents: usize,
    /// Bytes of document text in a batch.
    pub bytes: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            documents: 512,
            bytes: 4 << 20,
        }
    }
}

/// One coded document.
#[derive(Debug, Clone)]
pub struct Coded {
    pub doc: Document,
    /// Its records, each carrying the document's feed date when it has one.
    pub records: Vec<EventRecord>,
    /// Sentences in the document.
    pub sentences: usize,
}

/// Where coded documents go.
pub trait CodedSink {
    /// What a worker makes of a coded document for [`CodedSink::take`].
    type Item: Send + 'static;
    type Error;
    /// Runs on a worker thread right after coding.
    fn prepare(coded: Coded) -> Self::Item;
    /// Runs on the calling thread, in input order.
    fn take(&mut self, item: Self::Item) -> Result<(), Self::Error>;
    /// Runs on the calling thread after each batch: a sink that holds what it took
    /// (to store a batch at once) finishes with it here.
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// What has been handed to the sink so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: usize,
    pub sentences: usize,
    pub events: usize,
}

/// The engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("starting the worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
}

/// A coder and the threads that run it.
pub struct Engine {
    coder: Arc<Coder>,
    /// `None`: everything is coded on the calling thread.
    pool: Option<rayon::ThreadPool>,
    limits: BatchLimits,
    /// Records under this confidence are dropped (`--min-confidence`).
    min_confidence: Option<f32>,
}

/// Reads a minimum confidence (`--min-confidence X`, the API's `min_confidence=X`): a
/// number from 0 to 1.
pub fn parse_min_confidence(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "{s:?}: expected a confidence, a number from 0 to 1 (e.g. 0.5)"
        )),
    }
}

/// Drops the records whose confidence is under `min` (records without a confidence are
/// kept) and renumbers the `about` links of the others, which are positions among the
/// document's records; a link to a dropped record goes.
pub fn retain_confident(records: Vec<EventRecord>, min: f32) -> Vec<EventRecord> {
    let keep: Vec<bool> = records
        .iter()
        .map(|r| r.confidence.is_none_or(|c| c >= min))
        .collect();
    if keep.iter().all(|k| *k) {
        return records;
    }
    // Old position → new position of each kept record.
    let mut new_position = Vec::with_capacity(keep.len());
    let mut next = 0;
    for k in &keep {
        new_position.push(k.then(|| {
            next += 1;
            next - 1
        }));
    }
    records
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(mut r, _)| {
            r.about = r
                .about
                .iter()
                .filter_map(|&i| new_position.get(i).copied().flatten())
                .collect();
            r
        })
        .collect()
}

impl Engine {
    /// An engine with `threads` workers (`None`: one per core; `Some(1)`: no pool, the
    /// calling thread codes).
    pub fn new(coder: Arc<Coder>, threads: Option<usize>) -> Result<Engine, EngineError> {
        let pool = match threads {
            Some(1) => None,
            _ => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads.unwrap_or(0))
                    .build()?,
            ),
        };
        Ok(Engine {
            coder,
            pool,
            limits: BatchLimits::default(),
            min_confidence: None,
        })
    }

    /// An engine that codes on the calling thread (a server's blocking task).
    pub fn sequential(coder: Arc<Coder>) -> Engine {
        Engine {
            coder,
            pool: None,
            limits: BatchLimits::default(),
            min_confidence: None,
        }
    }

    /// The same engine with other batch limits.
    pub fn with_limits(mut self, limits: BatchLimits) -> Engine {
        self.limits = limits;
        self
    }

    /// The same engine dropping the records whose confidence is under `min` (see
    /// [`retain_confident`]); `None` keeps every record.
    pub fn with_min_confidence(mut self, min: Option<f32>) -> Engine {
        self.min_confidence = min;
        self
    }

    pub fn coder(&self) -> &Arc<Coder> {
        &self.coder
    }

    /// Codes one document on the calling thread.
    pub fn code(&self, doc: Document, date: Option<DocumentDate>) -> Coded {
        code_document(&self.coder, self.min_confidence, doc, date)
    }

    /// A stream of documents into `sink`.
    pub fn stream<S: CodedSink>(&self, sink: S) -> Stream<'_, S> {
        Stream {
            engine: self,
            sink,
            batch: Vec::new(),
            batch_bytes: 0,
            pending: None,
            counts: Counts::default(),
            error: None,
            progress: None,
        }
    }
}

fn code_document(
    coder: &Coder,
    min_confidence: Option<f32>,
    doc: Document,
    date: Option<DocumentDate>,
) -> Coded {
    let (mut records, sentences) = coder.code_counted(&doc);
    // A reader's mark on the document's date (a WARC page dated by its fetch day).
    let date = date.or_else(|| {
        doc.date_basis.map(|basis| DocumentDate {
            date: doc.date,
            basis,
            earliest: None,
            latest: None,
            day_offset: None,
        })
    });
    if let Some(min) = min_confidence {
        records = retain_confident(records, min);
    }
    if date.is_some() {
        for r in &mut records {
            r.document_date = date.clone();
        }
    }
    Coded {
        doc,
        records,
        sentences,
    }
}

type Held = (Document, Option<DocumentDate>);
/// A coded batch: each document's sink item, events and sentences.
type Done<T> = Vec<(T, usize, usize)>;

fn code_batch<T>(
    coder: &Coder,
    min_confidence: Option<f32>,
    batch: Vec<Held>,
    prepare: fn(Coded) -> T,
) -> Done<T> {
    batch
        .into_iter()
        .map(|(doc, date)| finish_one(code_document(coder, min_confidence, doc, date), prepare))
        .collect()
}

fn finish_one<T>(c: Coded, prepare: fn(Coded) -> T) -> (T, usize, usize) {
    let (events, sentences) = (c.records.len(), c.sentences);
    (prepare(c), events, sentences)
}

/// Codes `batch` on `pool` in the background; the result arrives on the receiver.
fn spawn_batch<T: Send + 'static>(
    pool: &rayon::ThreadPool,
    coder: Arc<Coder>,
    min_confidence: Option<f32>,
    batch: Vec<Held>,
    prepare: fn(Coded) -> T,
) -> mpsc::Receiver<Done<T>> {
    let (tx, rx) = mpsc::channel();
    pool.spawn(move || {
        let done: Done<T> = batch
            .into_par_iter()
            .map(|(doc, date)| {
                finish_one(code_document(&coder, min_confidence, doc, date), prepare)
            })
            .collect();
        let _ = tx.send(done);
    });
    rx
}

/// Documents on their way through an [`Engine`] to a sink.
pub struct Stream<'e, S: CodedSink> {
    engine: &'e Engine,
    sink: S,
    batch: Vec<Held>,
    batch_bytes: usize,
    pending: Option<mpsc::Receiver<Done<S::Item>>>,
    counts: Counts,
    error: Option<S::Error>,
    progress: Option<Box<dyn FnMut(Counts) + 'e>>,
}

impl<'e, S: CodedSink> Stream<'e, S> {
    /// Calls `f` with the counts each time a batch has reached the sink.
    pub fn on_progress(mut self, f: impl FnMut(Counts) + 'e) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// Adds a document (with the date its feed order gave it, if any). Once the sink
    /// has failed, documents are dropped.
    pub fn push(&mut self, doc: Document, date: Option<DocumentDate>) {
        if self.error.is_some() {
            return;
        }
        self.batch_bytes += doc.text.len();
        self.batch.push((doc, date));
        let l = self.engine.limits;
        if self.batch.len() >= l.documents || self.batch_bytes >= l.bytes {
            self.dispatch();
        }
    }

    /// What has reached the sink so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Codes what is still held, hands everything to the sink and returns it with the
    /// final counts, or the sink's first error.
    pub fn finish(mut self) -> Result<(S, Counts), S::Error> {
        self.dispatch();
        if let Some(rx) = self.pending.take() {
            self.take_batch(rx);
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok((self.sink, self.counts)),
        }
    }

    /// Starts coding the current batch, then hands the previous one to the sink.
    fn dispatch(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        if self.error.is_some() {
            return;
        }
        let previous = self.pending.take();
        let coder = Arc::clone(&self.engine.coder);
        match &self.engine.pool {
            None => {
                if let Some(rx) = previous {
                    self.take_batch(rx);
                }
                if !batch.is_empty() {
                    let (tx, rx) = mpsc::channel();
                    let min = self.engine.min_confidence;
                    let _ = tx.send(code_batch(&coder, min, batch, S::prepare));
                    self.pending = Some(rx);
                }
            }
            Some(pool) => {
                if !batch.is_empty() {
                    let min = self.engine.min_confidence;
                    self.pending = Some(spawn_batch(pool, coder, min, batch, S::prepare));
                }
                if let Some(rx) = previous {
                    self.take_batch(rx);
                }
            }
        }
    }

    fn take_batch(&mut self, rx: mpsc::Receiver<Done<S::Item>>) {
        let done = rx.recv().expect("a worker panicked while coding");
        for (item, events, sentences) in done {
            if self.error.is_some() {
                break;
            }
            match self.sink.take(item) {
                Ok(()) => {
                    self.counts.documents += 1;
                    self.counts.events += events;
                    self.counts.sentences += sentences;
                }
                Err(e) => self.error = Some(e),
            }
        }
        if self.error.is_none() {
            if let Err(e) = self.sink.flush() {
                self.error = Some(e);
            }
        }
        if let Some(f) = &mut self.progress {
            f(self.counts);
        }
    }
}
