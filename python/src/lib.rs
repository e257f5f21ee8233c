//! `annalist._annalist`: the native half of the Python package. It is thin on purpose:
//! documents go in as JSON Lines text (built by the Python half, read here by the same
//! reader as `annalist code FILE.jsonl`) or as paths (read like the CLI reads them:
//! any format, gzip, folders, WARC), are coded by `annalist-engine` with the GIL
//! released, and come back as the CLI's JSON Lines bytes, so a record is the CLI's
//! record to the byte. Rejected records come back as the CLI's `file:line: problem`
//! messages; the Python half decides whether they raise. The store is opened and
//! queried through `annalist-store` as `annalist ingest`, `timeline`, `dyads` and
//! `export --format parquet` do.
use annalist_coder::{Coder, CoderOptions};
use annalist_engine::{
    code_inputs, parse_min_confidence, Coded, CodedSink, Engine, Input, JsonLines, Reading,
    Resources, StoreSink,
};
use annalist_feeds::InputKind;
use annalist_io::ReadOptions;
use annalist_store::{DyadPeriod, Filter, OpenOptions, Store as DbStore};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

create_exception!(
    _annalist,
    AnnalistError,
    PyException,
    "An error of annalist: dictionaries that do not load, a store that cannot be opened or written."
);

/// One input as the Python half hands it over: `("jsonl", text)` or `("path", path)`.
type RawInput = (String, String);

/// Coders by (dictionary directory, keep negated, keep hypothetical): the dictionaries
/// load once per process, not once per call (a Spark task calls `code` per batch).
type CoderKey = (Option<PathBuf>, bool, bool);

fn coder_for(key: CoderKey) -> Result<Arc<Coder>, String> {
    static CODERS: OnceLock<Mutex<HashMap<CoderKey, Arc<Coder>>>> = OnceLock::new();
    let cache = CODERS.get_or_init(Default::default);
    if let Some(c) = cache.lock().expect("coder cache").get(&key) {
        return Ok(Arc::clone(c));
    }
    let options = CoderOptions {
        keep_negated: key.1,
        keep_hypothetical: key.2,
        ..Default::default()
    };
    let coder = Arc::new(
        Resources::load(key.0.as_deref())
            .map_err(|e| e.to_string())?
            .coder(options),
    );
    cache
        .lock()
        .expect("coder cache")
        .insert(key, Arc::clone(&coder));
    Ok(coder)
}

fn parse_date(date: Option<&str>, flag: &str) -> PyResult<Option<chrono::NaiveDate>> {
    date.map(|d| {
        annalist_io::parse_date(d)
            .ok_or_else(|| PyValueError::new_err(format!("{flag} {d:?}: expected YYYY-MM-DD")))
    })
    .transpose()
}

fn input_kind(format: Option<&str>) -> PyResult<Option<InputKind>> {
    Ok(match format {
        None => None,
        Some("jsonl") => Some(InputKind::JsonLines),
        Some("text") => Some(InputKind::PlainText),
        Some("feed") => Some(InputKind::Feed),
        Some("html") => Some(InputKind::Html),
        Some("markdown") => Some(InputKind::Markdown),
        Some("warc") => Some(InputKind::Warc),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "format {other:?}: expected one of jsonl, text, feed, html, markdown, warc"
            )))
        }
    })
}

/// The coding options of `code` and `Store.ingest`, checked.
struct Setup {
    engine: Engine,
    read: ReadOptions,
    kind: Option<InputKind>,
}

#[allow(clippy::too_many_arguments)]
fn setup(
    date: Option<&str>,
    threads: Option<usize>,
    min_confidence: Option<f64>,
    dictionaries: Option<&str>,
    format: Option<&str>,
    keep_negated: bool,
    keep_hypothetical: bool,
    max_record_bytes: Option<usize>,
) -> PyResult<Setup> {
    let min = min_confidence
        .map(|c| parse_min_confidence(&c.to_string()).map_err(PyValueError::new_err))
        .transpose()?;
    if threads == Some(0) {
        return Err(PyValueError::new_err(
            "threads 0: expected a number of threads of at least 1 (None: one per core)",
        ));
    }
    let coder = coder_for((
        dictionaries.map(PathBuf::from),
        keep_negated,
        keep_hypothetical,
    ))
    .map_err(AnnalistError::new_err)?;
    let engine = Engine::new(coder, threads)
        .map_err(|e| AnnalistError::new_err(e.to_string()))?
        .with_min_confidence(min);
    Ok(Setup {
        engine,
        read: ReadOptions {
            max_record_bytes: max_record_bytes.unwrap_or(ReadOptions::default().max_record_bytes),
            default_date: parse_date(date, "date")?,
        },
        kind: input_kind(format)?,
    })
}

/// A run of in-memory documents sent as one JSON array (kind `jsonarray`: Python
/// serialises the whole list in one call, much faster than a call per document) as
/// JSON Lines, a document a line, so that line N of a rejected record is document N.
/// Text that is no JSON array is left as it is: the reader reports its first line.
fn lines_of_arrays(inputs: Vec<RawInput>) -> Vec<RawInput> {
    inputs
        .into_iter()
        .map(|(kind, payload)| {
            if kind != "jsonarray" {
                return (kind, payload);
            }
            match array_elements(&payload) {
                Some(docs) => {
                    let mut text = String::with_capacity(payload.len() + 1);
                    for d in docs {
                        text.push_str(d);
                        text.push('\n');
                    }
                    ("jsonl".to_string(), text)
                }
                None => ("jsonl".to_string(), payload),
            }
        })
        .collect()
}

/// The top-level elements of a JSON array's text (`None` when the text is no array
/// with balanced brackets and strings): a scan of strings and nesting, the elements'
/// text as it is. The reader parses each element.
fn array_elements(text: &str) -> Option<Vec<&str>> {
    let body = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for (k, b) in body.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b',' if depth == 0 => {
                out.push(body[start..k].trim());
                start = k + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    if in_string || depth != 0 {
        return None;
    }
    let last = body[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    Some(out)
}

fn reading<'a>(inputs: &'a [RawInput], s: &Setup) -> PyResult<Reading<'a>> {
    let inputs = inputs
        .iter()
        .map(|(kind, payload)| match kind.as_str() {
            // (An array is made lines on the coding thread, `lines_of_arrays`.)
            "jsonl" | "jsonarray" => Ok(Input::JsonLines {
                name: "<docs>",
                text: payload,
            }),
            "path" => Ok(Input::Path(payload)),
            other => Err(PyValueError::new_err(format!(
                "unknown input kind {other:?}"
            ))),
        })
        .collect::<PyResult<_>>()?;
    Ok(Reading {
        inputs,
        kind: s.kind,
        options: s.read.clone(),
        order: None,
    })
}

/// The CLI's JSON Lines, and for each record the date of its document (the Parquet
/// export's `first_seen`/`last_seen` of a one-mention event).
struct RecordsAndDates {
    json: Vec<u8>,
    doc_dates: Vec<Option<String>>,
}

impl CodedSink for RecordsAndDates {
    type Item = (Vec<u8>, usize, Option<String>);
    type Error = std::convert::Infallible;

    fn prepare(coded: Coded) -> Self::Item {
        let n = coded.records.len();
        let date = coded.doc.date.map(|d| d.to_string());
        (JsonLines::<Vec<u8>>::prepare(coded), n, date)
    }

    fn take(&mut self, (json, n, date): Self::Item) -> Result<(), Self::Error> {
        self.json.extend_from_slice(&json);
        self.doc_dates.extend(std::iter::repeat_n(date, n));
        Ok(())
    }
}

/// What the coding thread of [`code_stream`] sends: a chunk of records (the CLI's JSON
/// Lines and their documents' dates), or at the end the rejected records' messages and
/// the counts.
enum Chunk {
    Records(Vec<u8>, Vec<Option<String>>),
    Done(Vec<String>, (usize, usize, usize)),
}

/// Bytes of JSON gathered before a chunk is handed to Python.
const CHUNK_BYTES: usize = 1 << 20;

/// A chunk as Python receives it: JSON Lines and each record's document date.
type ChunkForPython<'py> = (Bound<'py, PyBytes>, Vec<Option<String>>);

/// A sink that hands chunks of records to the Python thread as they are coded.
struct ChunkSender {
    tx: std::sync::mpsc::SyncSender<Chunk>,
    pending: RecordsAndDates,
}

impl ChunkSender {
    fn flush(&mut self) -> Result<(), ()> {
        if self.pending.json.is_empty() {
            return Ok(());
        }
        let json = std::mem::take(&mut self.pending.json);
        let dates = std::mem::take(&mut self.pending.doc_dates);
        self.tx.send(Chunk::Records(json, dates)).map_err(|_| ())
    }
}

impl CodedSink for ChunkSender {
    type Item = <RecordsAndDates as CodedSink>::Item;
    /// The Python side went away (the iterator was dropped): stop coding.
    type Error = ();

    fn prepare(coded: Coded) -> Self::Item {
        RecordsAndDates::prepare(coded)
    }

    fn take(&mut self, item: Self::Item) -> Result<(), ()> {
        let Ok(()) = self.pending.take(item);
        if self.pending.json.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(())
    }
}

/// Records coded on a thread of their own while Python takes the chunks already coded
/// (so parsing them into dicts overlaps the coding). Iterating yields
/// `(json_lines: bytes, doc_dates: list)`; afterwards `rejected` and `counts` hold the
/// rejected records' messages and (documents, sentences, events).
#[pyclass(module = "annalist._annalist")]
struct CodeStream {
    rx: Mutex<std::sync::mpsc::Receiver<Chunk>>,
    #[pyo3(get)]
    rejected: Vec<String>,
    #[pyo3(get)]
    counts: (usize, usize, usize),
    done: bool,
}

#[pymethods]
impl CodeStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<ChunkForPython<'py>>> {
        if self.done {
            return Ok(None);
        }
        // `&mut`: a receiver may move to another thread but is not shared (not Sync).
        let rx = self.rx.get_mut().expect("stream lock");
        let next = py.detach(move || rx.recv());
        match next {
            Ok(Chunk::Records(json, dates)) => Ok(Some((PyBytes::new(py, &json), dates))),
            Ok(Chunk::Done(rejected, counts)) => {
                self.done = true;
                self.rejected = rejected;
                self.counts = counts;
                Ok(None)
            }
            Err(_) => {
                self.done = true;
                Err(AnnalistError::new_err(
                    "the coding thread stopped unexpectedly",
                ))
            }
        }
    }
}

/// Codes the inputs on a thread of its own; the records come as chunks of the CLI's
/// JSON Lines with their documents' dates (see [`CodeStream`]).
#[pyfunction]
#[pyo3(signature = (inputs, *, date=None, threads=None, min_confidence=None, dictionaries=None,
    format=None, keep_negated=false, keep_hypothetical=false, max_record_bytes=None))]
#[allow(clippy::too_many_arguments)]
fn code_stream(
    inputs: Vec<RawInput>,
    date: Option<&str>,
    threads: Option<usize>,
    min_confidence: Option<f64>,
    dictionaries: Option<&str>,
    format: Option<&str>,
    keep_negated: bool,
    keep_hypothetical: bool,
    max_record_bytes: Option<usize>,
) -> PyResult<CodeStream> {
    let s = setup(
        date,
        threads,
        min_confidence,
        dictionaries,
        format,
        keep_negated,
        keep_hypothetical,
        max_record_bytes,
    )?;
    // Checked here, so that a bad input kind raises before the thread starts.
    reading(&inputs, &s)?;
    let (tx, rx) = std::sync::mpsc::sync_channel(4);
    std::thread::Builder::new()
        .name("annalist-code".into())
        .spawn(move || {
            let inputs = lines_of_arrays(inputs);
            let reading = reading(&inputs, &s).expect("checked before");
            let mut rejected = Vec::new();
            let sink = ChunkSender {
                tx: tx.clone(),
                pending: RecordsAndDates {
                    json: Vec::new(),
                    doc_dates: Vec::new(),
                },
            };
            let mut stream = s.engine.stream(sink);
            code_inputs(&mut stream, &reading, &mut |e| rejected.extend(problem(e)));
            if let Ok((mut sink, c)) = stream.finish() {
                if sink.flush().is_ok() {
                    let _ = tx.send(Chunk::Done(rejected, (c.documents, c.sentences, c.events)));
                }
            }
        })
        .map_err(|e| AnnalistError::new_err(format!("cannot start the coding thread: {e}")))?;
    Ok(CodeStream {
        rx: Mutex::new(rx),
        rejected: Vec::new(),
        counts: (0, 0, 0),
        done: false,
    })
}

/// `annalist explain`: the records as JSON Lines, the printed trace, and per sentence
/// its span and tokens (text, tag, lemma, why the tag, span).
#[pyfunction]
#[pyo3(signature = (text, date=None, dictionaries=None))]
#[allow(clippy::type_complexity)]
fn explain_parts(
    py: Python<'_>,
    text: String,
    date: Option<&str>,
    dictionaries: Option<&str>,
) -> PyResult<(
    String,
    String,
    Vec<(
        usize,
        usize,
        Vec<(String, String, String, String, usize, usize)>,
    )>,
)> {
    let date = parse_date(date, "date")?;
    let coder = coder_for((dictionaries.map(PathBuf::from), false, false))
        .map_err(AnnalistError::new_err)?;
    Ok(py.detach(move || {
        let ex = coder.explain(&text, date);
        let mut records = String::new();
        for r in &ex.records {
            records.push_str(&serde_json::to_string(r).expect("records serialise"));
            records.push('\n');
        }
        let sentences = ex
            .sentences
            .iter()
            .map(|s| {
                let tokens = s
                    .tokens
                    .iter()
                    .map(|t| {
                        (
                            t.token.text(&ex.text).to_string(),
                            t.tag.as_str().to_string(),
                            t.lemma.clone(),
                            t.reason.to_string(),
                            t.token.start,
                            t.token.end,
                        )
                    })
                    .collect();
                (s.start, s.end, tokens)
            })
            .collect();
        (records, ex.to_string(), sentences)
    }))
}

/// An annalist event store (an SQLite file), as `annalist ingest/timeline/dyads/export`
/// use it.
#[pyclass(name = "NativeStore", module = "annalist._annalist")]
struct NativeStore {
    store: Mutex<DbStore>,
    path: PathBuf,
}

fn store_err(e: annalist_store::StoreError) -> PyErr {
    AnnalistError::new_err(e.to_string())
}

#[allow(clippy::too_many_arguments)]
fn filter(
    actor: Option<String>,
    pair: Option<(String, String)>,
    event_type: Option<String>,
    quad: Option<u8>,
    from: Option<&str>,
    to: Option<&str>,
    location: Option<String>,
    min_confidence: Option<f64>,
    exclude_claims: bool,
) -> PyResult<Filter> {
    if let Some(q) = quad {
        if !(1..=4).contains(&q) {
            return Err(PyValueError::new_err(format!(
                "quad {q}: expected a quad class from 1 to 4"
            )));
        }
    }
    let f = Filter {
        actor,
        pair,
        event_type,
        quad_class: quad,
        from: parse_date(from, "from")?,
        to: parse_date(to, "to")?,
        location,
        min_confidence,
        attributions: None,
    };
    Ok(if exclude_claims {
        f.without_claims()
    } else {
        f
    })
}

#[pymethods]
impl NativeStore {
    #[new]
    #[pyo3(signature = (path, read_only=false))]
    fn new(py: Python<'_>, path: PathBuf, read_only: bool) -> PyResult<Self> {
        let opts = OpenOptions {
            read_only,
            ..Default::default()
        };
        let p = path.clone();
        let store = py
            .detach(move || DbStore::open(&p, &opts))
            .map_err(store_err)?;
        Ok(NativeStore {
            store: Mutex::new(store),
            path,
        })
    }

    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Codes and stores the inputs; returns (added, replaced, unchanged, events) and the
    /// rejected records' messages.
    #[pyo3(signature = (inputs, *, date=None, threads=None, min_confidence=None,
        dictionaries=None, format=None, max_record_bytes=None))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn ingest(
        &self,
        py: Python<'_>,
        inputs: Vec<RawInput>,
        date: Option<&str>,
        threads: Option<usize>,
        min_confidence: Option<f64>,
        dictionaries: Option<&str>,
        format: Option<&str>,
        max_record_bytes: Option<usize>,
    ) -> PyResult<((usize, usize, usize, usize), Vec<String>)> {
        let s = setup(
            date,
            threads,
            min_confidence,
            dictionaries,
            format,
            false,
            false,
            max_record_bytes,
        )?;
        let inputs = lines_of_arrays(inputs);
        let reading = reading(&inputs, &s)?;
        let mut guard = self.store.lock().expect("store lock");
        let store: &mut DbStore = &mut guard;
        let result = py.detach(move || {
            let mut rejected = Vec::new();
            let mut stream = s.engine.stream(StoreSink::new(store));
            code_inputs(&mut stream, &reading, &mut |e| rejected.extend(problem(e)));
            stream.finish().map(|(sink, _)| (sink.counts, rejected))
        });
        let (c, rejected) = result.map_err(store_err)?;
        Ok(((c.added, c.replaced, c.unchanged, c.events), rejected))
    }

    /// Writes the events matching the filter as `annalist export --format parquet` does
    /// (`out/month=YYYY-MM/part-0.parquet`); returns how many.
    #[pyo3(signature = (out, *, actor=None, pair=None, event_type=None, quad=None, from_=None,
        to=None, location=None, min_confidence=None, exclude_claims=false))]
    #[allow(clippy::too_many_arguments)]
    fn export_parquet(
        &self,
        py: Python<'_>,
        out: PathBuf,
        actor: Option<String>,
        pair: Option<(String, String)>,
        event_type: Option<String>,
        quad: Option<u8>,
        from_: Option<&str>,
        to: Option<&str>,
        location: Option<String>,
        min_confidence: Option<f64>,
        exclude_claims: bool,
    ) -> PyResult<u64> {
        let f = filter(
            actor,
            pair,
            event_type,
            quad,
            from_,
            to,
            location,
            min_confidence,
            exclude_claims,
        )?;
        let mut guard = self.store.lock().expect("store lock");
        // `&mut`: a connection may move to another thread but is not shared (not Sync).
        let store: &mut DbStore = &mut guard;
        py.detach(move || {
            annalist_store::export::export(store, &f, annalist_store::export::Format::Parquet, &out)
        })
        .map_err(store_err)
    }

    /// The events matching the filter as JSON (one event a line, `timeline --json`'s
    /// rows), with their mentions when `mentions`.
    #[pyo3(signature = (*, actor=None, pair=None, event_type=None, quad=None, from_=None,
        to=None, location=None, min_confidence=None, exclude_claims=false, mentions=false))]
    #[allow(clippy::too_many_arguments)]
    fn timeline_jsonl(
        &self,
        py: Python<'_>,
        actor: Option<String>,
        pair: Option<(String, String)>,
        event_type: Option<String>,
        quad: Option<u8>,
        from_: Option<&str>,
        to: Option<&str>,
        location: Option<String>,
        min_confidence: Option<f64>,
        exclude_claims: bool,
        mentions: bool,
    ) -> PyResult<String> {
        let f = filter(
            actor,
            pair,
            event_type,
            quad,
            from_,
            to,
            location,
            min_confidence,
            exclude_claims,
        )?;
        let mut guard = self.store.lock().expect("store lock");
        let store: &mut DbStore = &mut guard;
        let rows = py
            .detach(move || store.timeline(&f, mentions))
            .map_err(store_err)?;
        Ok(json_lines(&rows))
    }

    /// Dyad counts per period (`day`, `week`, `month`) as JSON Lines.
    #[pyo3(signature = (*, by="month", actor=None, pair=None, event_type=None, quad=None,
        from_=None, to=None, location=None, min_confidence=None, exclude_claims=false))]
    #[allow(clippy::too_many_arguments)]
    fn dyads_jsonl(
        &self,
        py: Python<'_>,
        by: &str,
        actor: Option<String>,
        pair: Option<(String, String)>,
        event_type: Option<String>,
        quad: Option<u8>,
        from_: Option<&str>,
        to: Option<&str>,
        location: Option<String>,
        min_confidence: Option<f64>,
        exclude_claims: bool,
    ) -> PyResult<String> {
        let period = match by {
            "day" => DyadPeriod::Day,
            "week" => DyadPeriod::Week,
            "month" => DyadPeriod::Month,
            other => {
                return Err(PyValueError::new_err(format!(
                    "by {other:?}: expected day, week or month"
                )))
            }
        };
        let f = filter(
            actor,
            pair,
            event_type,
            quad,
            from_,
            to,
            location,
            min_confidence,
            exclude_claims,
        )?;
        let mut guard = self.store.lock().expect("store lock");
        let store: &mut DbStore = &mut guard;
        let rows = py
            .detach(move || store.dyads(&f, period))
            .map_err(store_err)?;
        Ok(json_lines(&rows))
    }
}

/// A rejected record's message; `None` for a web-archive record skipped by design (not
/// HTTP 200, not HTML), which the CLI counts apart and which raises nothing here.
fn problem(e: &annalist_io::ReadError) -> Option<String> {
    (!e.skipped).then(|| e.to_string())
}

/// Whether a path names a WARC file (by name), for the Python half's checks.
#[pyfunction]
fn input_kind_of(path: &str) -> Option<&'static str> {
    InputKind::for_name(Path::new(path).file_name()?.to_str()?).map(|k| match k {
        InputKind::JsonLines => "jsonl",
        InputKind::PlainText => "text",
        InputKind::Markdown => "markdown",
        InputKind::Html => "html",
        InputKind::Feed => "feed",
        InputKind::Warc => "warc",
    })
}

// The engine's allocations (not Python's) go through mimalloc, as in the CLI: coding
// allocates small strings per token, which glibc's malloc served at a fifth more time
// (python/benches/bench.py against the CLI).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn _annalist(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The CLI's mimalloc options (src/main.rs, where the figures are): memory committed
    // as used and returned after 100 ms, which spares re-faulting the same pages batch
    // after batch.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store into mimalloc's option table.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 100);
    }
    m.add("AnnalistError", m.py().get_type::<AnnalistError>())?;
    m.add_function(wrap_pyfunction!(code_stream, m)?)?;
    m.add_class::<CodeStream>()?;
    m.add_function(wrap_pyfunction!(explain_parts, m)?)?;
    m.add_function(wrap_pyfunction!(input_kind_of, m)?)?;
    m.add_class::<NativeStore>()?;
    Ok(())
}

/// Rows as JSON Lines, one object a line.
fn json_lines<T: serde::Serialize>(rows: &[T]) -> String {
    let mut out = String::new();
    for r in rows {
        out.push_str(&serde_json::to_string(r).expect("rows serialise"));
        out.push('\n');
    }
    out
}
