//! The routes: the JSON API under `/api` (reference in the README, "Web API") and the
//! page's assets. Every query runs on a blocking thread with a read-only connection;
//! answers that depend only on the database are cached until it changes.
use crate::error::{json_bytes, ApiError};
use crate::evidence::{self, Highlight, Segment};
use crate::params::{Params, FILTER_KEYS};
use crate::pool::Cached;
use crate::{assets, token, AppState};
use annalist_model::{Document, EventRecord};
use annalist_store::{DyadPeriod, EventRow, StoreError};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
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

/// Runs `f` on a blocking thread (SQLite and the coder are synchronous).
async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = state.permits.acquire().await.map_err(|e| ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: format!("shutting down: {e}"),
    })?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|e| ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("the query failed: {e}"),
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

/// The router: API, page and assets, with the body limit and security headers.
pub fn router(state: Shared) -> Router {
    let limit = state.config.max_body_bytes;
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
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::map_response(security_headers))
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

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no such resource: {}", uri.path()))
}

fn with_keys(extra: &[&'static str]) -> Vec<&'static str> {
    FILTER_KEYS.iter().chain(extra).copied().collect()
}

/// `GET /api/events?actor&pair&type&quad&from&to&location&limit&offset`: `{total,
/// offset, limit, next_offset?, events}`; the events come from the row cache as JSON
/// objects and are joined as they are.
async fn events(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &with_keys(&["limit", "offset"]))?;
    let filter = p.filter()?;
    let limit = p.number("limit", 50, state.config.max_limit)?;
    let offset = p.number("offset", 0, i64::MAX as usize)?;
    let key = format!("ids?{}", p.canonical(&["limit", "offset"]));
    let body = blocking(&state, move |s| {
        let index = s.pool.index()?;
        let ids = match s.pool.cached_at(index.version, &key, || {
            Ok(Cached::Ids(Arc::new(index.event_ids(&filter))))
        })? {
            Cached::Ids(ids) => ids,
            Cached::Json(_) => unreachable!("id keys never hold JSON"),
        };
        let total = ids.len();
        let from = offset.min(total);
        let to = offset.saturating_add(limit).min(total);
        let rows = s.pool.event_json(index.version, &ids[from..to])?;
        let mut body = format!("{{\"total\":{total},\"offset\":{offset},\"limit\":{limit},");
        if to < total {
            body.push_str(&format!("\"next_offset\":{to},"));
        }
        body.push_str("\"events\":[");
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(r);
        }
        body.push_str("]}");
        Ok(body)
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, body.into_bytes()))
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
}

#[derive(Serialize)]
struct EventDetail {
    event: EventRow,
    mentions: Vec<MentionDetail>,
}

/// `GET /api/events/{id}`: the event, each mention with its record, the highlighted
/// sentence and the evidence offsets.
async fn event(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let id = parse_id(&id)?;
    let detail = blocking(&state, move |s| {
        s.pool
            .with_store(|store| {
                let Some(event) = store.events_by_id(&[id])?.pop() else {
                    return Ok(None);
                };
                let mut docs: HashMap<String, Option<annalist_store::DocumentRow>> = HashMap::new();
                let mut mentions = Vec::new();
                for (doc_id, json) in store.mention_records(id)? {
                    let Ok(record) = serde_json::from_str::<EventRecord>(&json) else {
                        continue;
                    };
                    if !docs.contains_key(&doc_id) {
                        let d = store.document(&doc_id)?;
                        docs.insert(doc_id.clone(), d);
                    }
                    let Some(doc) = docs.get(&doc_id).and_then(|d| d.as_ref()) else {
                        continue;
                    };
                    let highlights = evidence::highlights(&record, &doc.text);
                    let (start, end) =
                        evidence::sentence_span(&doc.text, record.sentence, &highlights);
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
                    });
                }
                Ok(Some(EventDetail { event, mentions }))
            })
            .map_err(ApiError::from)
    })
    .await?;
    match detail {
        Some(d) => json(&d),
        None => Err(ApiError::not_found(format!("no event {id}"))),
    }
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
/// events per quad class and summed Goldstein.
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
/// the text cut into highlighted segments.
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
    let lookup = id.clone();
    let doc = blocking(&state, move |s| {
        s.pool
            .with_store(|store| store.document(&lookup))
            .map_err(ApiError::from)
    })
    .await?;
    let Some(doc) = doc else {
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
    json(&DocumentView {
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

/// `POST /api/code` with `{"text": "...", "date": "YYYY-MM-DD"?}`: the records the coder
/// makes of the text, nothing stored.
async fn code(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
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
    let coded = blocking(&state, move |s| {
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
        Ok(Coded { records, segments })
    })
    .await?;
    json(&coded)
}

#[derive(Serialize, Default)]
struct IngestReport {
    /// Documents added, replaced, unchanged; events found.
    #[serde(flatten)]
    counts: annalist_engine::IngestCounts,
    /// `<request>:LINE: problem` for each record that could not be read.
    rejected: Vec<String>,
}

/// `POST /api/documents` (JSON Lines or a JSON array of documents), with
/// `Authorization: Bearer TOKEN`: codes and stores them. 403 when writing is disabled or
/// the token is missing or wrong.
async fn add_documents(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
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
    let report = blocking(&state, move |s| {
        report.counts = s
            .pool
            .with_writer(|store| annalist_engine::ingest_documents(&s.engine, docs, store))?;
        Ok(report)
    })
    .await?;
    json(&report)
}
