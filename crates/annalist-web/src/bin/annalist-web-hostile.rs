//! Load test under attack (issue 18; figures in docs/security.md and docs/web-notes.md):
//! how fast `GET /api/events` answers while hostile clients send the largest requests
//! the server accepts.
//!
//! `annalist-web-hostile --db F [--clients 16] [--hostile 8] [--seconds 20]` serves the
//! database in this process on 127.0.0.1 (an ephemeral port) through
//! `annalist_web::serve_listener` (the server `annalist serve` runs, default limits),
//! then runs for a bounded time:
//!
//! - `--clients` measured clients, each one keep-alive connection sending
//!   `GET /api/events` with a random filter and page back to back (no think time);
//! - `--hostile` attackers, each cycling through: `POST /api/code` with the largest
//!   accepted body (64 KiB of news text as `application/json`: coded on the CPU pool),
//!   the same 0.5 MB as `text/plain` (what any web page can send), `POST
//!   /api/documents` announcing 2 MiB without a token, `GET /api/events?limit=500` and
//!   `GET /api/events/{id}?limit=200` for random ids, `GET /api/documents/{id}`.
//!
//! Prints the measured clients' requests/s and latency percentiles, and what the
//! attackers got (statuses per kind). Loopback only; stops by itself.
#[path = "shared/latency.rs"]
mod latency;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COUNTRIES: &[&str] = &[
    "RUS", "UKR", "USA", "CHN", "FRA", "DEU", "GBR", "TUR", "IRN", "ISR", "PSE", "EGY", "SYR",
    "IRQ", "SAU", "IND", "PAK", "AFG", "JPN", "KOR",
];

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn random_events_query(rng: &mut Rng, limit: usize) -> String {
    let c = |rng: &mut Rng| COUNTRIES[rng.below(COUNTRIES.len())];
    let filter = match rng.below(4) {
        0 => String::new(),
        1 => format!("actor={}&", c(rng)),
        2 => format!("pair={},{}&", c(rng), c(rng)),
        _ => {
            let m = rng.below(36);
            format!(
                "from={}-{:02}-01&to={}-{:02}-28&",
                2023 + m / 12,
                m % 12 + 1,
                2023 + m / 12,
                m % 12 + 1
            )
        }
    };
    format!(
        "/api/events?{filter}limit={limit}&offset={}",
        limit * rng.below(10)
    )
}

/// A keep-alive connection that reconnects when the server closed it.
struct Client {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Client {
    fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            stream: None,
            buf: Vec::new(),
        }
    }

    /// Sends one request and reads the answer; returns the status (0: no answer).
    fn request(&mut self, head: &str, body: &[u8]) -> u16 {
        for _ in 0..2 {
            if self.stream.is_none() {
                self.stream = TcpStream::connect(self.addr).ok();
                if let Some(s) = &self.stream {
                    let _ = s.set_nodelay(true);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
                }
            }
            let Some(s) = self.stream.as_mut() else {
                return 0;
            };
            let mut req = format!("{head}\r\nHost: 127.0.0.1\r\n\r\n").into_bytes();
            req.extend_from_slice(body);
            let sent = s.write_all(&req);
            match read_answer(s, &mut self.buf) {
                Some((status, close)) => {
                    if close || sent.is_err() {
                        self.stream = None;
                    }
                    return status;
                }
                None => self.stream = None,
            }
        }
        0
    }
}

/// Reads one answer (Content-Length bodies); returns its status and whether the server
/// closes the connection.
fn read_answer(s: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(u16, bool)> {
    buf.clear();
    let mut chunk = [0u8; 65536];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status = head.get(9..12)?.parse().ok()?;
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let close = head.contains("connection: close");
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).ok().filter(|n| *n > 0)?;
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some((status, close));
        }
        let n = s.read(&mut chunk).ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let db = std::path::PathBuf::from(
        flag(&args, "--db").unwrap_or_else(|| "target/load-100000.db".into()),
    );
    let num = |name: &str, default: usize| {
        flag(&args, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let clients = num("--clients", 16);
    let hostile = num("--hostile", 8);
    let seconds = num("--seconds", 20).min(600) as u64;
    if let Err(e) = run(db, clients, hostile, seconds) {
        eprintln!("annalist-web-hostile: {e}");
        std::process::exit(1);
    }
}

fn run(db: std::path::PathBuf, clients: usize, hostile: usize, seconds: u64) -> Result<(), String> {
    let (events, docs) = {
        let store = annalist_store::Store::open(
            &db,
            &annalist_store::OpenOptions {
                read_only: true,
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string())?;
        let c = store.connection();
        let n = |sql: &str| -> Result<i64, String> {
            c.query_row(sql, [], |r| r.get(0))
                .map_err(|e| e.to_string())
        };
        let docs: Vec<String> = c
            .prepare("SELECT id FROM documents ORDER BY length(text) DESC LIMIT 100")
            .and_then(|mut s| {
                s.query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()
            })
            .map_err(|e| e.to_string())?;
        (n("SELECT max(event) FROM events")?, docs)
    };
    let coder = Arc::new(annalist_coder::Coder::new(
        &annalist_dict::Dictionaries::embedded(),
        Default::default(),
    ));
    let config = annalist_web::Config::default();
    let largest = config.max_code_bytes;
    let cpu = config.cpu_threads;
    let state = annalist_web::AppState::new(db, coder, None, config).map_err(|e| e.to_string())?;
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback");
            let _ = addr_tx.send(listener.local_addr().expect("address"));
            let _ = annalist_web::serve_listener(state, listener, std::future::pending()).await;
        });
    });
    let addr = addr_rx.recv().map_err(|e| e.to_string())?;
    println!(
        "{clients} clients on GET /api/events, {hostile} hostile clients, {seconds} s, http://{addr}/ ({events} events, CPU pool of {cpu})"
    );
    let stop = Arc::new(AtomicBool::new(false));
    let outcomes: Arc<Mutex<BTreeMap<(String, u16), usize>>> = Arc::default();
    let mut attackers = Vec::new();
    for h in 0..hostile {
        let (stop, outcomes, docs) = (stop.clone(), outcomes.clone(), docs.clone());
        attackers.push(std::thread::spawn(move || {
            let words = "Russian forces shelled Kharkiv on Monday, and protesters in Kyiv urged the government to resign. ";
            let text = words.repeat((largest - 64) / words.len());
            let code = serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap_or_default();
            let plain = words.repeat((512 << 10) / words.len()).into_bytes();
            let mut rng = Rng(0xA5A5_5A5A_1234_0000 + h as u64 * 7919 + 1);
            let mut c = Client::new(addr);
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let (kind, status) = match n % 8 {
                    // Half the requests: the largest accepted live-coding request.
                    0 | 2 | 4 | 6 => ("code 64 KiB json", c.request(
                        &format!("POST /api/code HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}", code.len()),
                        &code,
                    )),
                    1 => ("code 0.5 MB text/plain", c.request(
                        &format!("POST /api/code HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: {}", plain.len()),
                        &plain,
                    )),
                    3 => ("documents without token", c.request(
                        "POST /api/documents HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2097152",
                        b"",
                    )),
                    5 => {
                        let q = random_events_query(&mut rng, 500);
                        ("events limit=500", c.request(&format!("GET {q} HTTP/1.1"), b""))
                    }
                    _ => {
                        if rng.below(2) == 0 {
                            let id = 1 + rng.below(events.max(1) as usize);
                            ("event limit=200", c.request(
                                &format!("GET /api/events/{id}?limit=200 HTTP/1.1"),
                                b"",
                            ))
                        } else {
                            let d = &docs[rng.below(docs.len())];
                            ("document", c.request(&format!("GET /api/documents/{d} HTTP/1.1"), b""))
                        }
                    }
                };
                if kind == "documents without token" {
                    // The server answered without the body; start afresh.
                    c.stream = None;
                }
                *outcomes
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry((kind.to_string(), status))
                    .or_default() += 1;
            }
        }));
    }
    // Let the attack start before measuring.
    std::thread::sleep(Duration::from_millis(500));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let measured: Vec<_> = (0..clients)
        .map(|i| {
            std::thread::spawn(move || {
                let mut rng = Rng(0x1234_5678_9ABC_DEF1 ^ ((i as u64 + 1) * 0x9E37_79B9));
                let mut c = Client::new(addr);
                let (mut lat, mut errors) = (Vec::new(), 0usize);
                while Instant::now() < deadline {
                    let q = random_events_query(&mut rng, 50);
                    let t = Instant::now();
                    match c.request(&format!("GET {q} HTTP/1.1"), b"") {
                        200 => lat.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for m in measured {
        let (l, e) = m.join().map_err(|_| "a client panicked")?;
        all.extend(l);
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for a in attackers {
        let _ = a.join();
    }
    latency::print_summary("GET /api/events: ", all, secs, errors);
    println!("hostile requests (kind, status: count):");
    for ((kind, status), n) in outcomes.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        println!("  {kind}, {status}: {n}");
    }
    Ok(())
}
