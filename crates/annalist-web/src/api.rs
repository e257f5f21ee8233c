//! The routes: the JSON API under `/api` (reference in the README, "Web API") and the
//! page's assets. Every query runs on a blocking thread with a read-only connection;
//! answers that depend only on the database are cached until it changes. CPU work
//! (coding, cutting texts into segments, building evidence answers) runs on the CPU
//! pool (`work`), within the request's time budget. Request bodies are read by the
//! handlers themselves, after every check that needs no body (token, content type,
//! declared length), within a size limit per endpoint and the body timeout.
use crate::error::{json_bytes, ApiError};
use crate::evidence::{self, Highlight, Segment};
use crate::params::{Params, FILTER_KEYS};
use crate::pool::Cached;
use crate::work::Refused;
use crate::{assets, server, token, AppState};
use annalist_model::{Document, EventRecord};
use annalist_store::{DyadPeriod, EventRow, StoreError};
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

type Shared = Arc<AppState>;

fn json<T: Serialize>(v: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(v).map_err(|e| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("serializing the answer: {e}"),
    })?;
    Ok(json_bytes(StatusCode::OK, body))
}

fn unavailable(message: String) -> ApiError {
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message,
    }
}

fn over_budget(budget: std::time::Duration) -> ApiError {
    unavailable(format!(
        "the request took longer than its time budget of {} ms",
        budget.as_millis()
    ))
}

/// Runs a query `f` on a blocking thread (SQLite is synchronous), at most
/// [`crate::Config::max_connections`] at once, answering 503 past the time budget.
async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let budget = state.config.request_timeout;
    let work = async {
        let _permit = state
            .permits
            .acquire()
            .await
            .map_err(|e| unavailable(format!("shutting down: {e}")))?;
        let state = state.clone();
        tokio::task::spawn_blocking(move || f(&state))
            .await
            .map_err(|e| ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("the query failed: {e}"),
            })?
    };
    tokio::time::timeout(budget, work)
        .await
        .map_err(|_| over_budget(budget))?
}

/// Runs CPU work `f` on the CPU pool within the request's time budget; 503 when the
/// pool's queue is full or the budget runs out. `f` may stop early when its
/// [`crate::work::Budget`] says the time is up.
async fn cpu<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState, &crate::work::Budget) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let s = state.clone();
    match state
        .cpu
        .run(state.config.request_timeout, move |b| f(&s, b))
        .await
    {
        Ok(r) => r,
        Err(Refused::Busy) => Err(unavailable(format!(
            "the server is busy ({} requests coding or waiting to); try again shortly",
            state.cpu.threads() + state.config.cpu_queue
        ))),
        Err(Refused::TimedOut(budget)) => Err(over_budget(budget)),
        Err(Refused::Failed) => Err(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "the request's work failed".into(),
        }),
    }
}

/// Serializes an answer on the calling (CPU pool) thread.
fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(v).map_err(|e| ApiError {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("serializing the answer: {e}"),
    })
}

/// Content types a POST body may have: JSON only, so that a page of another origin
/// cannot send one without a CORS preflight (which this server never grants).
const JSON_TYPES: &[&str] = &["application/json"];
/// `POST /api/documents` also takes JSON Lines under its own (non-simple) type.
const DOCUMENT_TYPES: &[&str] = &["application/json", "application/x-ndjson"];

/// Reads a request body: its content type must be one of `types` (415), its declared
/// and actual length at most `limit` bytes (413), and it must arrive within the body
/// timeout (408).
async fn read_body(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    types: &[&str],
) -> Result<Bytes, ApiError> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim();
    if !types.iter().any(|t| t.eq_ignore_ascii_case(essence)) {
        return Err(ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: format!("content type {given:?}: expected {}", types.join(" or ")),
        });
    }
    let too_large = |what: String| ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!("the body is {what}, over the limit of {limit} bytes"),
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > limit as u64) {
        return Err(too_large(format!("{n} bytes")));
    }
    let read = async {
        use http_body_util::BodyExt;
        let mut body = body;
        let mut buf: Vec<u8> = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame =
                frame.map_err(|e| ApiError::bad_request(format!("reading the body: {e}")))?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > limit {
                    return Err(too_large("longer".into()));
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(Bytes::from(buf))
    };
    let timeout = state.config.body_timeout;
    tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| ApiError {
            status: StatusCode::REQUEST_TIMEOUT,
            message: format!("the body did not arrive within {} ms", timeout.as_millis()),
        })?
}

/// A JSON answer computed once per database version and query.
async fn cached_json<T: Serialize>(
    state: &Shared,
    key: String,
    compute: impl FnOnce(&annalist_store::Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<Response, ApiError> {
    let bytes = blocking(state, move |s| {
        let c = s.pool.cached(&key, |store| {
            let v = compute(store)?;
            Ok(Cached::Json(Arc::new(
                serde_json::to_vec(&v).unwrap_or_default(),
            )))
        })?;
        match c {
            Cached::Json(b) => Ok(b),
            Cached::Ids(_) => unreachable!("JSON keys never hold id lists"),
        }
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, bytes.as_ref().clone()))
}

/// The router: API, page and assets, behind the request guards (Host allow-list,
/// target and header limits), with security headers and JSON for every error.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/world.json", get(assets::world))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/timeline", get(timeline))
        .route("/api/map", get(map))
        .route("/api/dyads", get(dyads))
        .route("/api/actors", get(actors))
        .route("/api/stats", get(stats))
        .route("/api/documents/{id}", get(document))
        .route("/api/documents", post(add_documents))
        .route("/api/code", post(code))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server::guard,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::map_response(server::json_errors))
        .with_state(state)
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    let allowed = match uri.path() {
        "/api/code" | "/api/documents" => "POST",
        _ => "GET",
    };
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!(
            "method {method} is not allowed for {}; use {allowed}",
            uri.path()
        ),
    }
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no such resource: {}", uri.path()))
}

fn with_keys(extra: &[&'static str]) -> Vec<&'static str> {
    FILTER_KEYS.iter().chain(extra).copied().collect()
}

/// `GET /api/events?actor&pair&type&quad&from&to&location&min_confidence&attribution&limit&offset`
/// (`min_confidence`: a number from 0 to 1, events without a confidence kept;
/// `attribution`: the attributions to keep, comma-separated): `{total,
/// offset, limit, next_offset?, events}`; the events come from the row cache as JSON
/// objects and are joined as they are.
async fn events(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &with_keys(&["limit", "offset"]))?;
    let filter = p.filter()?;
    let limit = p.number("limit", 50, state.config.max_limit)?;
    let offset = p.number("offset", 0, i64::MAX as usize)?;
    let key = format!("ids?{}", p.canonical(&["limit", "offset"]));
    // A page whose ids and rows are all cached is answered here, on the async worker:
    // a version check and a few lookups, cheaper than a trip to a blocking thread.
    if let Some(body) = cached_events_page(&state, &key, offset, limit)? {
        return Ok(json_bytes(StatusCode::OK, body.into_bytes()));
    }
    let body = blocking(&state, move |s| {
        let index = s.pool.index()?;
        let ids = match s.pool.cached_at(index.version, &key, || {
            Ok(Cached::Ids(Arc::new(index.event_ids(&filter))))
        })? {
            Cached::Ids(ids) => ids,
            Cached::Json(_) => unreachable!("id keys never hold JSON"),
        };
        let (from, to) = page_range(ids.len(), offset, limit);
        let rows = s.pool.event_json(index.version, &ids[from..to])?;
        Ok(events_page(ids.len(), offset, limit, &rows))
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body.into_bytes()))
}

/// The positions `from..to` of the page `offset`, `limit` among `total` ids.
fn page_range(total: usize, offset: usize, limit: usize) -> (usize, usize) {
    (offset.min(total), offset.saturating_add(limit).min(total))
}

/// The events answer when the id list of `key` and every row of the page are cached at
/// the database's current version; `None` when anything is missing (the caller
/// then selects and reads on a blocking thread).
fn cached_events_page(
    state: &AppState,
    key: &str,
    offset: usize,
    limit: usize,
) -> Result<Option<String>, ApiError> {
    let version = state.pool.data_version()?;
    let Some(Cached::Ids(ids)) = state.pool.cache_hit(version, key) else {
        return Ok(None);
    };
    let total = ids.len();
    let (from, to) = page_range(total, offset, limit);
    // A page of 50 events is about 18 KB.
    let mut body = String::with_capacity(96 + 400 * (to - from));
    page_head(&mut body, total, offset, limit);
    if !state
        .pool
        .append_cached_event_json(version, &ids[from..to], &mut body)
    {
        return Ok(None);
    }
    body.push_str("]}");
    Ok(Some(body))
}

/// `{"total":…,"offset":…,"limit":…,"next_offset":…,"events":[` (`next_offset` when
/// there are events after the page).
fn page_head(body: &mut String, total: usize, offset: usize, limit: usize) {
    use std::fmt::Write;
    let (_, to) = page_range(total, offset, limit);
    let _ = write!(
        body,
        "{{\"total\":{total},\"offset\":{offset},\"limit\":{limit},"
    );
    if to < total {
        let _ = write!(body, "\"next_offset\":{to},");
    }
    body.push_str("\"events\":[");
}

/// `{total, offset, limit, next_offset?, events}` with the events' JSON objects joined
/// as they are.
fn events_page(total: usize, offset: usize, limit: usize, rows: &[Arc<str>]) -> String {
    let mut body = String::with_capacity(96 + rows.iter().map(|r| r.len() + 1).sum::<usize>());
    page_head(&mut body, total, offset, limit);
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(r);
    }
    body.push_str("]}");
    body
}

fn parse_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(format!("event id {id:?}: expected a positive whole number"))
    })
}

#[derive(Serialize)]
struct Snippet {
    /// Byte offsets of the snippet (the record's sentence) in the document text.
    start: usize,
    end: usize,
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct MentionDetail {
    doc_id: String,
    title: Option<String>,
    document_date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    /// Byte offsets into the document text.
    highlights: Vec<Highlight>,
    snippet: Snippet,
    record: EventRecord,
    /// The records of the same document this one speaks about (`record.about`: an
    /// accusation's alleged attack), with their events.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<LinkedRecord>,
    /// The records of the same document that speak about this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentioned_by: Vec<LinkedRecord>,
}

/// Another record of a mention's document, linked by `about`.
#[derive(Serialize)]
struct LinkedRecord {
    /// Its position among the document's records.
    position: usize,
    /// The event it belongs to.
    event: Option<i64>,
    event_type: String,
    source: String,
    target: Option<String>,
    attribution: String,
}

impl LinkedRecord {
    fn new(position: usize, event: Option<i64>, r: &EventRecord) -> LinkedRecord {
        LinkedRecord {
            position,
            event,
            event_type: r.event_type.clone(),
            source: r.source.cameo_actor.clone(),
            target: r.target.as_ref().map(|t| t.cameo_actor.clone()),
            attribution: r.attribution.clone(),
        }
    }
}

/// The `about` links of a mention, both ways, among its document's records (`records`:
/// each record's event, JSON and parsed form, in order).
fn links(
    json: &str,
    record: &EventRecord,
    records: &[(Option<i64>, String, Option<EventRecord>)],
) -> (Vec<LinkedRecord>, Vec<LinkedRecord>) {
    let about = record
        .about
        .iter()
        .filter_map(|&i| {
            let (event, _, r) = records.get(i)?;
            Some(LinkedRecord::new(i, *event, r.as_ref()?))
        })
        .collect();
    let Some(me) = records.iter().position(|(_, j, _)| j == json) else {
        return (about, Vec::new());
    };
    let mentioned_by = records
        .iter()
        .enumerate()
        .filter_map(|(i, (event, _, r))| {
            let r = r.as_ref()?;
            r.about
                .contains(&me)
                .then(|| LinkedRecord::new(i, *event, r))
        })
        .collect();
    (about, mentioned_by)
}

#[derive(Serialize)]
struct EventDetail {
    event: EventRow,
    /// All mentions of the event; `mentions` holds the page `offset..offset + limit`.
    mentions_total: usize,
    offset: usize,
    limit: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_offset: Option<usize>,
    mentions: Vec<MentionDetail>,
}

/// A stored document with its sentences split and its records parsed (once per request).
type SplitDocument = (
    annalist_store::DocumentRow,
    Vec<(usize, usize)>,
    Vec<(Option<i64>, String, Option<EventRecord>)>,
);

/// Default and largest page of mentions in `GET /api/events/{id}`.
const MENTIONS_PAGE: usize = 50;
const MAX_MENTIONS_PAGE: usize = 200;

/// `GET /api/events/{id}?limit&offset`: the event and a page of its mentions, each
/// with its record, the highlighted sentence and the evidence offsets.
async fn event(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["limit", "offset"])?;
    let limit = p.number("limit", MENTIONS_PAGE, MAX_MENTIONS_PAGE)?;
    let offset = p.number("offset", 0, i64::MAX as usize)?;
    let id = parse_id(&id)?;
    let body = cpu(&state, move |s, budget| {
        let event = s
            .pool
            .with_store(|store| store.events_by_id(&[id]))
            .map_err(ApiError::from)?
            .pop();
        let Some(event) = event else {
            return Err(ApiError::not_found(format!("no event {id}")));
        };
        let (total, page) = s
            .pool
            .mention_page(id, limit, offset)
            .map_err(ApiError::from)?;
        let mut docs: HashMap<String, Option<SplitDocument>> = HashMap::new();
        let mut mentions = Vec::new();
        for (doc_id, json) in page {
            if budget.expired() {
                return Err(over_budget(s.config.request_timeout));
            }
            let Ok(record) = serde_json::from_str::<EventRecord>(&json) else {
                continue;
            };
            if !docs.contains_key(&doc_id) {
                let d = s
                    .pool
                    .with_store(|store| store.document(&doc_id))
                    .map_err(ApiError::from)?
                    .map(|d| {
                        let spans = evidence::sentence_spans(&d.text);
                        let records = d
                            .records
                            .iter()
                            .map(|(e, j)| (*e, j.clone(), serde_json::from_str(j).ok()))
                            .collect();
                        (d, spans, records)
                    });
                docs.insert(doc_id.clone(), d);
            }
            let Some((doc, spans, records)) = docs.get(&doc_id).and_then(|d| d.as_ref()) else {
                continue;
            };
            let (about, mentioned_by) = links(&json, &record, records);
            let highlights = evidence::highlights(&record, &doc.text);
            let (start, end) =
                evidence::span_of_sentence(spans, doc.text.len(), record.sentence, &highlights);
            mentions.push(MentionDetail {
                doc_id: doc_id.clone(),
                title: doc.title.clone(),
                document_date: doc.date.clone(),
                source: doc.source.clone(),
                url: doc.url.clone(),
                snippet: Snippet {
                    start,
                    end,
                    segments: evidence::segments(&doc.text, start, end, &highlights),
                },
                highlights,
                record,
                about,
                mentioned_by,
            });
        }
        to_json(&EventDetail {
            event,
            mentions_total: total,
            offset,
            limit,
            next_offset: (offset.saturating_add(limit) < total).then_some(offset + limit),
            mentions,
        })
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

#[derive(Serialize)]
struct TimelineDay {
    date: String,
    /// Events per quad class 1..4.
    quad: [i64; 4],
    events: i64,
}

#[derive(Serialize)]
struct Timeline {
    /// Dated events counted in `days`.
    total: i64,
    undated: i64,
    days: Vec<TimelineDay>,
}

/// `GET /api/timeline?filters`: events per day (anchor date) and quad class.
async fn timeline(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), FILTER_KEYS)?;
    let filter = p.filter()?;
    let counts = blocking(&state, move |s| {
        let index = s.pool.index()?;
        Ok(index.day_counts(&filter))
    })
    .await?;
    json(&Timeline {
        total: counts.dated,
        undated: counts.undated,
        days: counts
            .days
            .into_iter()
            .map(|(date, quad)| TimelineDay {
                date,
                events: quad.iter().sum(),
                quad,
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct MapAnswer {
    /// Located events among those the filters select (summed over `places`).
    located: i64,
    places: Vec<annalist_store::geography::PlaceEvents>,
}

/// `GET /api/map?filters`: the located events the filters select, grouped by place
/// (`location` key, `name`, `admin1`, `country`, `lat`, `lon`, `precision`, `events`,
/// `mentions`, `quad`, `ids`), most events first.
async fn map(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), FILTER_KEYS)?;
    let filter = p.filter()?;
    let key = format!("map?{}", p.canonical(&[]));
    cached_json(&state, key, move |store| {
        let places = annalist_store::geography::places(store, &filter)?;
        Ok(MapAnswer {
            located: places.iter().map(|p| p.events).sum(),
            places,
        })
    })
    .await
}

#[derive(Serialize)]
struct Dyads {
    by: &'static str,
    rows: Vec<annalist_store::DyadRow>,
}

/// `GET /api/dyads?pair=A,B&by=day|week|month&filters`: per directed dyad and period,
/// events per quad class, summed Goldstein and the events' killed and injured figures
/// summed.
async fn dyads(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &with_keys(&["by"]))?;
    let filter = p.filter()?;
    let by = p.period(DyadPeriod::Month)?;
    let key = format!("dyads?{}", p.canonical(&[]));
    cached_json(&state, key, move |store| {
        Ok(Dyads {
            by: match by {
                DyadPeriod::Day => "day",
                DyadPeriod::Week => "week",
                DyadPeriod::Month => "month",
            },
            rows: store.dyads(&filter, by)?,
        })
    })
    .await
}

#[derive(Serialize)]
struct ActorCount {
    actor: String,
    events: i64,
}

/// `GET /api/actors`: every CAMEO actor code with its number of events (as source or
/// target), most frequent first.
async fn actors(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    cached_json(&state, "actors".into(), |store| {
        Ok(serde_json::json!({
            "actors": store
                .actors()?
                .into_iter()
                .map(|(actor, events)| ActorCount { actor, events })
                .collect::<Vec<_>>()
        }))
    })
    .await
}

/// `GET /api/stats`: counts of documents, mentions, events.
async fn stats(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    cached_json(&state, "stats".into(), |store| store.stats()).await
}

#[derive(Serialize)]
struct DocumentRecord {
    event: Option<i64>,
    highlights: Vec<Highlight>,
    record: EventRecord,
}

#[derive(Serialize)]
struct DocumentView {
    id: String,
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    ingested_at: String,
    text: String,
    records: Vec<DocumentRecord>,
    /// The whole text cut at every record's evidence.
    segments: Vec<Segment>,
}

/// `GET /api/documents/{id}`: the document's text, its records (with their events) and
/// the text cut into highlighted segments (on the CPU pool: a stored text may be large).
async fn document(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    if id.is_empty() || id.len() > 1024 {
        return Err(ApiError::bad_request(
            "document id: expected 1 to 1024 bytes",
        ));
    }
    let body = cpu(&state, move |s, _| {
        let Some(doc) = s
            .pool
            .with_store(|store| store.document(&id))
            .map_err(ApiError::from)?
        else {
            return Err(ApiError::not_found(format!("no document {id:?}")));
        };
        let mut all = Vec::new();
        let records: Vec<DocumentRecord> = doc
            .records
            .iter()
            .filter_map(|(event, json)| {
                let record: EventRecord = serde_json::from_str(json).ok()?;
                let highlights = evidence::highlights(&record, &doc.text);
                all.extend(highlights.iter().cloned());
                Some(DocumentRecord {
                    event: *event,
                    highlights,
                    record,
                })
            })
            .collect();
        let segments = evidence::segments(&doc.text, 0, doc.text.len(), &all);
        to_json(&DocumentView {
            id: doc.id,
            title: doc.title,
            date: doc.date,
            source: doc.source,
            url: doc.url,
            ingested_at: doc.ingested_at,
            text: doc.text,
            records,
            segments,
        })
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    text: String,
    #[serde(default)]
    date: Option<String>,
}

#[derive(Serialize)]
struct Coded {
    records: Vec<DocumentRecord>,
    segments: Vec<Segment>,
}

/// `POST /api/code` with `{"text": "...", "date": "YYYY-MM-DD"?}` (`application/json`,
/// at most [`crate::Config::max_code_bytes`]): the records the coder makes of the text,
/// nothing stored.
async fn code(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let body = read_body(
        &state,
        &headers,
        body,
        state.config.max_code_bytes.min(state.config.max_body_bytes),
        JSON_TYPES,
    )
    .await?;
    let req: CodeRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "expected a JSON object {{\"text\": \"...\", \"date\": \"YYYY-MM-DD\"}}: {e}"
        ))
    })?;
    let date = match req.date.as_deref().filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => Some(
            annalist_io::parse_date(d)
                .ok_or_else(|| ApiError::bad_request(format!("date {d:?}: expected YYYY-MM-DD")))?,
        ),
    };
    let body = cpu(&state, move |s, _| {
        let coded = s.engine.code(Document::new("live", req.text, date), None);
        let (doc, records) = (coded.doc, coded.records);
        let mut all = Vec::new();
        let records: Vec<DocumentRecord> = records
            .into_iter()
            .map(|record| {
                let highlights = evidence::highlights(&record, &doc.text);
                all.extend(highlights.iter().cloned());
                DocumentRecord {
                    event: None,
                    highlights,
                    record,
                }
            })
            .collect();
        let segments = evidence::segments(&doc.text, 0, doc.text.len(), &all);
        to_json(&Coded { records, segments })
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}

#[derive(Serialize, Default)]
struct IngestReport {
    /// Documents added, replaced, unchanged; events found.
    #[serde(flatten)]
    counts: annalist_engine::IngestCounts,
    /// `<request>:LINE: problem` for each record that could not be read.
    rejected: Vec<String>,
    /// Documents read but not stored because the request's time budget ran out (or the
    /// client left); the first ones were stored, send these again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_stored: Vec<String>,
}

/// Documents stored between two looks at the time budget.
const DOCUMENTS_PER_STEP: usize = 16;

/// `POST /api/documents` (JSON Lines or a JSON array of documents), with
/// `Authorization: Bearer TOKEN`: codes and stores them. 403 when writing is disabled or
/// the token is missing or wrong, decided before the body is read.
async fn add_documents(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let Some(expected) = &state.write_token else {
        return Err(ApiError::forbidden(
            "writing is disabled: start `annalist serve` with --write-token-env VAR",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(token::bearer);
    let Some(given) = given else {
        return Err(ApiError::forbidden(
            "missing write token: send `Authorization: Bearer TOKEN`",
        ));
    };
    if !token::constant_time_eq(expected, given.as_bytes()) {
        return Err(ApiError::forbidden("wrong write token"));
    }
    let body = read_body(
        &state,
        &headers,
        body,
        state.config.max_body_bytes,
        DOCUMENT_TYPES,
    )
    .await?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("the body is not UTF-8"))?
        .to_string();
    let opts = annalist_io::ReadOptions {
        max_record_bytes: state.config.max_body_bytes,
        default_date: None,
    };
    let mut docs = Vec::new();
    let mut report = IngestReport::default();
    annalist_io::read_json_text("<request>", &text, &opts, &mut |r| match r {
        Ok(d) => docs.push(d),
        Err(e) => report.rejected.push(e.to_string()),
    });
    if docs.is_empty() {
        let mut msg = String::from("no document to store");
        for r in report.rejected.iter().take(10) {
            msg.push_str("; ");
            msg.push_str(r);
        }
        return Err(ApiError::bad_request(msg));
    }
    let body = cpu(&state, move |s, budget| {
        s.pool.with_writer(|store| {
            let mut docs = docs.into_iter().peekable();
            while docs.peek().is_some() {
                if budget.nearly_expired() {
                    report.not_stored.extend(docs.by_ref().map(|d| d.id));
                    break;
                }
                let step: Vec<Document> = docs.by_ref().take(DOCUMENTS_PER_STEP).collect();
                let c = annalist_engine::ingest_documents(&s.engine, step, store)?;
                report.counts.added += c.added;
                report.counts.replaced += c.replaced;
                report.counts.unchanged += c.unchanged;
                report.counts.events += c.events;
            }
            Ok(())
        })?;
        to_json(&report)
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body))
}
