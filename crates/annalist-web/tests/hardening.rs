//! Issue 18 (hardening), through real HTTP on loopback: a server started on 127.0.0.1:0
//! in this process and a plain TCP client that sends exactly the bytes an attacker
//! would. Each test names the finding it guards against; all failed on the main of the
//! issue (answers stalled, bodies read before the token, non-JSON errors, slow clients
//! held forever, any Host accepted, mentions unpaginated).
mod common;

use annalist_model::EventRecord;
use annalist_store::{OpenOptions, Store};
use annalist_web::{AppState, Config};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A server on loopback for one test; it stops when dropped.
struct Served {
    addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

fn serve(dir: tempfile::TempDir, db: &Path, token: Option<&str>, config: Config) -> Served {
    let state = AppState::new(
        db.to_path_buf(),
        common::coder(),
        token.map(String::from),
        config,
    )
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let _ = annalist_web::serve_listener(state, listener, async {
                let _ = stopped.await;
            })
            .await;
        });
    });
    Served {
        addr: rx.recv().unwrap(),
        _stop: stop,
        _dir: dir,
    }
}

fn fixture_server(token: Option<&str>, config: Config) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fixture_db(dir.path());
    serve(dir, &db, token, config)
}

/// An answer: status, lower-cased headers, body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "not JSON: {self:?}"
        );
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&self.body));
        })
    }

    fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message: {self:?}"))
            .to_string()
    }
}

/// Sends `head` (request line and headers, without the blank line; `Connection: close`
/// is added) and `body`, and reads the whole answer within `wait`.
fn send(addr: SocketAddr, head: &str, body: &[u8], wait: Duration) -> Result<Answer, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(wait)).unwrap();
    let mut req = format!("{head}\r\nConnection: close\r\n\r\n").into_bytes();
    req.extend_from_slice(body);
    // The server may answer (and close) before the whole body is sent.
    let _ = s.write_all(&req);
    read_answer(&mut s)
}

fn read_answer(s: &mut TcpStream) -> Result<Answer, String> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if raw.is_empty() => return Err(format!("no answer: {e}")),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => return Err(format!("answer incomplete: {e}")),
        }
    }
    parse_answer(&raw)
}

fn parse_answer(raw: &[u8]) -> Result<Answer, String> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no header end in {:?}", String::from_utf8_lossy(raw)))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or("no status")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

fn get(addr: SocketAddr, path: &str) -> Answer {
    send(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1"),
        b"",
        Duration::from_secs(300),
    )
    .unwrap()
}

fn post(addr: SocketAddr, path: &str, content_type: &str, extra: &str, body: &[u8]) -> Answer {
    send(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {}{extra}",
            body.len()
        ),
        body,
        Duration::from_secs(60),
    )
    .unwrap()
}

/// The time `f` takes.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// Adds to `db` one document of `n` copies of a sentence with `n` records (made by
/// shifting the coded record of the first copy), all of one event: a large document
/// with many highlights and an event with many mentions.
fn add_big_document(db: &Path, n: usize) -> String {
    let sentence = "Russian forces shelled Kharkiv on Monday. ";
    let coder = common::coder();
    let one = annalist_model::Document::new(
        "probe",
        sentence.to_string(),
        chrono::NaiveDate::from_ymd_opt(2025, 3, 12),
    );
    let template: EventRecord = coder
        .code(&one)
        .into_iter()
        .next()
        .expect("the sentence codes to an event");
    let text = sentence.repeat(n);
    let mut records = Vec::with_capacity(n);
    for i in 0..n {
        let d = i * sentence.len();
        let mut r = template.clone();
        r.doc_id = "big".into();
        r.sentence = i;
        r.source.start += d;
        r.source.end += d;
        if let Some(t) = &mut r.target {
            t.start += d;
            t.end += d;
        }
        r.evidence.start += d;
        r.evidence.end += d;
        if let Some(t) = &mut r.date_text {
            t.start += d;
            t.end += d;
        }
        if let Some(l) = &mut r.location {
            l.start += d;
            l.end += d;
        }
        records.push(r);
    }
    let doc = annalist_model::Document::new("big", text, one.date);
    let mut store = Store::open(db, &OpenOptions::default()).unwrap();
    store.ingest(&doc, &records).unwrap();
    "big".into()
}

/// Finding 1: eight clients sending the largest requests the server accepts (and
/// 0.5 MB texts as `text/plain`, which any web page can send without a preflight) must
/// not hold up the event list; before, they took every query slot and coded for
/// minutes, and `GET /api/events` waited as long.
#[test]
fn hostile_code_requests_do_not_stall_event_queries() {
    let config = Config::default();
    let largest = config.max_code_bytes;
    let srv = fixture_server(None, config);
    let addr = srv.addr;
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for i in 0..8 {
        let stop = stop.clone();
        clients.push(std::thread::spawn(move || {
            let words = "Protesters in Kyiv urged the government to resign. ";
            let plain = words.repeat((512 << 10) / words.len());
            let text = words.repeat((largest - 40) / words.len());
            let json = serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap();
            assert!(json.len() <= largest);
            let mut statuses = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let a = if i % 2 == 0 {
                    post(addr, "/api/code", "text/plain", "", plain.as_bytes())
                } else {
                    post(addr, "/api/code", "application/json", "", &json)
                };
                statuses.push(a.status);
            }
            statuses
        }));
    }
    std::thread::sleep(Duration::from_millis(300));
    let mut slowest = Duration::ZERO;
    for _ in 0..15 {
        let (a, took) = timed(|| {
            send(
                addr,
                "GET /api/events?limit=50 HTTP/1.1\r\nHost: 127.0.0.1",
                b"",
                Duration::from_secs(10),
            )
        });
        let a = a.expect("GET /api/events did not answer within 10 s under attack");
        assert_eq!(a.status, 200);
        slowest = slowest.max(took);
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    let mut statuses = Vec::new();
    for c in clients {
        statuses.extend(c.join().unwrap());
    }
    // A debug build on a shared machine: generous, yet far below the minutes of before.
    assert!(
        slowest < Duration::from_secs(2),
        "GET /api/events took {slowest:?} under attack"
    );
    assert!(statuses.contains(&415), "text/plain refused: {statuses:?}");
}

/// Finding 1: a large stored document is cut into segments off the async workers, so
/// two requests for it do not stall the page's own assets.
#[test]
fn large_documents_do_not_stall_other_requests() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fixture_db(dir.path());
    let id = add_big_document(&db, 4_000);
    // The point is that others are not held up; the two readers may take their time in
    // a debug build on a busy machine.
    let config = Config {
        request_timeout: Duration::from_secs(300),
        ..Config::default()
    };
    let srv = serve(dir, &db, None, config);
    let addr = srv.addr;
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let path = format!("/api/documents/{id}");
            std::thread::spawn(move || get(addr, &path))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..5 {
        let (a, took) = timed(|| {
            send(
                addr,
                "GET /app.css HTTP/1.1\r\nHost: 127.0.0.1",
                b"",
                Duration::from_secs(10),
            )
        });
        assert_eq!(a.expect("/app.css stalled").status, 200);
        assert!(took < Duration::from_secs(2), "/app.css took {took:?}");
    }
    for r in readers {
        let a = r.join().unwrap();
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        let v = a.json();
        let joined: String = v["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        assert_eq!(joined, v["text"].as_str().unwrap());
    }
}

/// Finding 1: an event's mentions come in pages.
#[test]
fn event_mentions_are_paginated() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fixture_db(dir.path());
    add_big_document(&db, 1_200);
    let event: i64 = Store::open(&db, &OpenOptions::default())
        .unwrap()
        .connection()
        .query_row(
            "SELECT event FROM events ORDER BY mentions DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let srv = serve(dir, &db, None, Config::default());
    let first = get(srv.addr, &format!("/api/events/{event}")).json();
    assert!(
        first["mentions_total"].as_u64().unwrap() >= 1_200,
        "{}",
        first["mentions_total"]
    );
    let total = first["mentions_total"].as_u64().unwrap() as usize;
    assert_eq!(first["mentions"].as_array().unwrap().len(), 50);
    assert_eq!(first["next_offset"], 50);
    let last = get(
        srv.addr,
        &format!("/api/events/{event}?offset={}&limit=200", total - 10),
    )
    .json();
    assert_eq!(last["mentions"].as_array().unwrap().len(), 10);
    assert!(last.get("next_offset").is_none());
    let a = get(srv.addr, &format!("/api/events/{event}?limit=100000"));
    assert_eq!(a.status, 400, "{}", a.error());
}

/// Finding 1: POST bodies must be JSON (a page of another origin cannot send JSON
/// without a preflight) and each endpoint has its own size limit, checked from the
/// declared length before reading and while reading a chunked body.
#[test]
fn posts_need_json_within_each_endpoints_limit() {
    let srv = fixture_server(Some("tok"), Config::default());
    let small = br#"{"text": "Ministers met in Paris."}"#;
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let a = post(srv.addr, "/api/code", ct, "", small);
        assert_eq!(a.status, 415, "{ct}");
        assert!(a.error().contains("application/json"), "{}", a.error());
    }
    let a = send(
        srv.addr,
        &format!(
            "POST /api/code HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}",
            small.len()
        ),
        small,
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(a.status, 415, "no content type");
    assert_eq!(
        post(
            srv.addr,
            "/api/code",
            "application/json; charset=utf-8",
            "",
            small
        )
        .status,
        200
    );

    let big = serde_json::to_vec(&serde_json::json!({ "text": "a ".repeat(40_000) })).unwrap();
    let a = post(srv.addr, "/api/code", "application/json", "", &big);
    assert_eq!(a.status, 413);
    assert!(a.error().contains("65536"), "{}", a.error());
    // Chunked, no declared length: refused while reading.
    let mut chunked = Vec::new();
    for part in big.chunks(8192) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let a = send(
        srv.addr,
        "POST /api/code HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
        &chunked,
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(a.status, 413);
    // The same body is accepted by POST /api/documents (its limit is 2 MiB) as JSON
    // Lines, with the token.
    let doc = br#"{"id":"x1","text":"Ministers met in Paris on Monday."}"#;
    let a = post(
        srv.addr,
        "/api/documents",
        "application/x-ndjson",
        "\r\nAuthorization: Bearer tok",
        doc,
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.json()["added"], 1);
}

/// Finding 9: without the token, `POST /api/documents` is refused from its headers
/// alone: the body (here announced as 3 MB and never sent) is not waited for or read.
#[test]
fn the_token_is_checked_before_the_body_is_read() {
    let srv = fixture_server(Some("tok"), Config::default());
    for auth in ["", "\r\nAuthorization: Bearer wrong"] {
        let (a, took) = timed(|| {
            send(
                srv.addr,
                &format!(
                    "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 3000000{auth}"
                ),
                b"[",
                Duration::from_secs(10),
            )
        });
        let a = a.expect("no answer without the body");
        assert_eq!(a.status, 403, "{auth:?}: {}", a.error());
        assert!(took < Duration::from_secs(5));
    }
}

/// Finding 9: every error is JSON, also those produced before a route runs.
#[test]
fn every_error_is_json() {
    let srv = fixture_server(None, Config::default());
    let a = send(
        srv.addr,
        "DELETE /api/events HTTP/1.1\r\nHost: 127.0.0.1",
        b"",
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(a.status, 405);
    assert!(a.error().contains("use GET"), "{}", a.error());
    let a = get(
        srv.addr,
        &format!("/api/events?actor={}", "A".repeat(10_000)),
    );
    assert_eq!(a.status, 414);
    assert!(a.error().contains("limit"));
    let a = send(
        srv.addr,
        &format!(
            "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: {}",
            "b".repeat(20_000)
        ),
        b"",
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(a.status, 431);
    a.error();
    let many: String = (0..80).map(|i| format!("\r\nX-H{i}: v")).collect();
    let a = send(
        srv.addr,
        &format!("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1{many}"),
        b"",
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(a.status, 431);
    a.error();
    let a = post(
        srv.addr,
        "/api/code",
        "application/json",
        "",
        &vec![b' '; 70_000],
    );
    assert_eq!(a.status, 413);
    a.error();
    let a = get(srv.addr, "/no/such/page");
    assert_eq!(a.status, 404);
    a.error();
    let a = post(srv.addr, "/api/code", "application/json", "", b"{not json");
    assert_eq!(a.status, 400);
    a.error();
}

/// Finding 9: slow clients are cut off: headers must arrive within the header timeout
/// (an idle keep-alive connection is closed after it too) and a body within the body
/// timeout (408).
#[test]
fn slow_clients_are_cut_off() {
    let config = Config {
        header_timeout: Duration::from_millis(400),
        body_timeout: Duration::from_millis(400),
        ..Config::default()
    };
    let srv = fixture_server(None, config);
    // Half a request line, then nothing.
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /api/stats HT").unwrap();
    let (closed, took) = timed(|| {
        let mut buf = [0u8; 1024];
        s.read(&mut buf).is_ok()
    });
    assert!(closed, "the connection was not closed");
    assert!(took < Duration::from_secs(5), "held for {took:?}");

    // An idle keep-alive connection after one answer.
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let t = Instant::now();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    assert!(t.elapsed() < Duration::from_secs(5), "idle connection held");
    assert_eq!(parse_answer(&raw).unwrap().status, 200);

    // A body announced and never sent.
    let (a, took) = timed(|| {
        send(
            srv.addr,
            "POST /api/code HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100",
            b"{\"te",
            Duration::from_secs(10),
        )
    });
    let a = a.expect("no answer to a stalled body");
    assert_eq!(a.status, 408);
    a.error();
    assert!(took < Duration::from_secs(5));
}

/// Finding 9 (DNS rebinding): a request naming a host that is not an IP address,
/// localhost or an allowed name is refused, so a page whose name was re-pointed at
/// 127.0.0.1 cannot read the API.
#[test]
fn foreign_host_names_are_refused() {
    let config = Config {
        allowed_hosts: vec!["events.example.org".into()],
        ..Config::default()
    };
    let srv = fixture_server(None, config);
    let port = srv.addr.port();
    let with_host = |host: &str| {
        send(
            srv.addr,
            &format!("GET /api/stats HTTP/1.1\r\nHost: {host}"),
            b"",
            Duration::from_secs(30),
        )
        .unwrap()
    };
    let a = with_host(&format!("attacker.example:{port}"));
    assert_eq!(a.status, 403);
    assert!(a.error().contains("--allow-host"), "{}", a.error());
    for ok in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "events.example.org".to_string(),
    ] {
        assert_eq!(with_host(&ok).status, 200, "{ok}");
    }
}

/// Finding 1: work past the request's time budget is answered 503 and dropped; the
/// server answers again at once. (The budget is far below what coding the text takes
/// in a release build, 25–50 ms on two threads, so the test holds in every profile; at
/// 20 ms it failed once under load.)
#[test]
fn work_past_the_time_budget_is_503() {
    let config = Config {
        request_timeout: Duration::from_millis(5),
        ..Config::default()
    };
    let srv = fixture_server(None, config);
    let words = "Protesters in Kyiv urged the government to resign. ";
    let text = words.repeat(60_000 / words.len());
    let json = serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap();
    let a = post(srv.addr, "/api/code", "application/json", "", &json);
    assert_eq!(a.status, 503);
    assert!(a.error().contains("time budget"), "{}", a.error());
    assert_eq!(get(srv.addr, "/api/stats").status, 200);
}
