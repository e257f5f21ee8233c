//! Load test for `GET /api/events` (see docs/web-notes.md; `scripts/load-test` runs it).
//!
//! `annalist-web-load gen --db F [--events 100000]` writes a database of synthetic
//! events through the store's ingest API (`Store::ingest`, the path `annalist ingest`
//! takes, minus the coder): documents of 50 generated sentences, each with its
//! `EventRecord` (actors, type, date, place, evidence offsets into the text). Every
//! record has its own (source, target, type) key, so no two merge and the database holds
//! exactly `--events` events.
//!
//! `annalist-web-load run --db F [--clients 200] [--seconds 20] [--no-cache] [--url
//! http://127.0.0.1:8080]` serves the database in this process (or targets `--url`) and
//! runs that many concurrent keep-alive clients on loopback, each sending requests back
//! to back (no think time) with random filters and pages, for a bounded time; prints
//! requests/s and latency percentiles. `--no-cache` turns the answer and row caches off.
//!
//! `annalist-web-load serve --db F [--addr 127.0.0.1:18080] [--seconds 30]` serves the
//! database as `annalist serve` does (default configuration) for a bounded time and
//! prints its CPU time; with `run --url` in another process, the client's share shows.
//!
//! `annalist-web-load micro --db F` times the parts of a request on one thread: loading
//! the filter index, selecting, reading a page from SQLite, encoding it.
#[path = "shared/latency.rs"]
mod latency;
use annalist_model::{ActorRecord, Document, EventRecord, Evidence, Location};
use annalist_store::{OpenOptions, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const COUNTRIES: &[(&str, &str)] = &[
    ("RUS", "Russian"),
    ("UKR", "Ukrainian"),
    ("USA", "American"),
    ("CHN", "Chinese"),
    ("FRA", "French"),
    ("DEU", "German"),
    ("GBR", "British"),
    ("TUR", "Turkish"),
    ("IRN", "Iranian"),
    ("ISR", "Israeli"),
    ("PSE", "Palestinian"),
    ("EGY", "Egyptian"),
    ("SYR", "Syrian"),
    ("IRQ", "Iraqi"),
    ("SAU", "Saudi"),
    ("IND", "Indian"),
    ("PAK", "Pakistani"),
    ("AFG", "Afghan"),
    ("JPN", "Japanese"),
    ("KOR", "South Korean"),
    ("PRK", "North Korean"),
    ("BRA", "Brazilian"),
    ("MEX", "Mexican"),
    ("COL", "Colombian"),
    ("VEN", "Venezuelan"),
    ("NGA", "Nigerian"),
    ("ETH", "Ethiopian"),
    ("SDN", "Sudanese"),
    ("KEN", "Kenyan"),
    ("ZAF", "South African"),
    ("POL", "Polish"),
    ("ITA", "Italian"),
    ("ESP", "Spanish"),
    ("GRC", "Greek"),
    ("ARM", "Armenian"),
    ("AZE", "Azerbaijani"),
    ("GEO", "Georgian"),
    ("MMR", "Myanmar"),
    ("PHL", "Philippine"),
    ("IDN", "Indonesian"),
];
const SECTORS: &[(&str, &str)] = &[("GOV", "government"), ("MIL", "forces"), ("", "officials")];
/// (PLOVER type, CAMEO, quad class, Goldstein, verb)
const TYPES: &[(&str, &str, u8, f32, &str)] = &[
    ("AGREE", "057", 1, 8.0, "signed an agreement with"),
    ("CONSULT", "040", 1, 1.0, "met"),
    ("SUPPORT", "051", 1, 3.4, "praised"),
    ("CONCEDE", "080", 2, 5.0, "eased restrictions on"),
    ("COOPERATE", "061", 2, 6.4, "cooperated with"),
    ("AID", "070", 2, 7.0, "sent aid to"),
    ("RETREAT", "087", 2, 9.0, "withdrew from"),
    ("INVESTIGATE", "090", 3, -2.0, "investigated"),
    ("REQUEST", "020", 3, -1.0, "urged"),
    ("ACCUSE", "112", 3, -2.0, "accused"),
    ("REJECT", "120", 3, -4.0, "rejected a proposal by"),
    ("THREATEN", "130", 3, -4.4, "threatened"),
    ("SANCTION", "163", 3, -8.0, "imposed sanctions on"),
    ("PROTEST", "140", 3, -6.5, "protested against"),
    ("MOBILIZE", "150", 4, -7.2, "mobilized against"),
    ("COERCE", "170", 4, -7.0, "arrested citizens of"),
    ("ASSAULT", "190", 4, -10.0, "attacked"),
];
const PLACES: &[(&str, &str, f64, f64)] = &[
    ("Kharkiv", "UKR", 49.98, 36.25),
    ("Gaza", "PSE", 31.50, 34.47),
    ("Aleppo", "SYR", 36.20, 37.16),
    ("Mosul", "IRQ", 36.34, 43.13),
    ("Khartoum", "SDN", 15.55, 32.53),
    ("Kabul", "AFG", 34.53, 69.17),
    ("Geneva", "CHE", 46.20, 6.15),
    ("Istanbul", "TUR", 41.01, 28.95),
    ("Nairobi", "KEN", -1.28, 36.82),
    ("Manila", "PHL", 14.60, 120.98),
    ("Lagos", "NGA", 6.45, 3.39),
    ("Caracas", "VEN", 10.49, -66.88),
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn actor(i: usize, text: &str, start: usize) -> ActorRecord {
    let (code, _) = COUNTRIES[i / SECTORS.len()];
    let (sector, _) = SECTORS[i % SECTORS.len()];
    ActorRecord {
        code: code.into(),
        org: None,
        sector: (!sector.is_empty()).then(|| sector.to_string()),
        cameo_actor: format!("{code}{sector}"),
        text: text.into(),
        start,
        end: start + text.len(),
        entry: "synthetic".into(),
    }
}

fn actor_words(i: usize) -> String {
    let (_, adj) = COUNTRIES[i / SECTORS.len()];
    let (_, noun) = SECTORS[i % SECTORS.len()];
    format!("{adj} {noun}")
}

/// Writes `events` synthetic events into a new database at `db`.
fn generate(db: &std::path::Path, events: usize) -> Result<(), String> {
    if db.exists() {
        return Err(format!("{}: exists; remove it first", db.display()));
    }
    let started = Instant::now();
    let mut store = Store::open(db, &OpenOptions::default()).map_err(|e| e.to_string())?;
    let actors = COUNTRIES.len() * SECTORS.len();
    let keys = actors * actors * TYPES.len();
    assert!(events <= keys, "at most {keys} distinct events");
    // A stride coprime with `keys` visits every (source, target, type) once, shuffled.
    let stride = (1..)
        .map(|k| 7919 * k + 1)
        .find(|s| gcd(*s, keys) == 1)
        .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let base = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    const PER_DOC: usize = 50;
    let mut i = 0;
    let mut doc_no = 0;
    while i < events {
        doc_no += 1;
        let doc_day = base + chrono::Duration::days(rng.below(3 * 365) as i64);
        let mut text = String::new();
        let mut records = Vec::new();
        let id = format!("synthetic-{doc_no}");
        for sentence in 0..PER_DOC.min(events - i) {
            let k = (i * stride) % keys;
            i += 1;
            let (s, rest) = (k / (actors * TYPES.len()), k % (actors * TYPES.len()));
            let (t, ty) = (rest / TYPES.len(), rest % TYPES.len());
            let (event_type, cameo, quad, goldstein, verb) = TYPES[ty];
            let day = doc_day - chrono::Duration::days(rng.below(4) as i64);
            let place = (rng.below(2) == 0).then(|| PLACES[rng.below(PLACES.len())]);
            let src = actor_words(s);
            let tgt = actor_words(t);
            let start = text.len();
            let src_rec = actor(s, &src, start);
            text.push_str(&src);
            text.push(' ');
            let trig_start = text.len();
            text.push_str(verb);
            text.push(' ');
            let tgt_rec = actor(t, &tgt, text.len());
            text.push_str(&tgt);
            let location = place.map(|(name, country, lat, lon)| {
                text.push_str(" in ");
                let ls = text.len();
                text.push_str(name);
                Location {
                    name: name.into(),
                    admin1: None,
                    country: country.into(),
                    lat,
                    lon,
                    precision: "city".into(),
                    text: name.into(),
                    start: ls,
                    end: ls + name.len(),
                }
            });
            text.push_str(". ");
            records.push(EventRecord {
                doc_id: id.clone(),
                sentence,
                event_type: event_type.into(),
                cameo: cameo.into(),
                quad_class: quad,
                goldstein,
                source: src_rec,
                target: Some(tgt_rec),
                mutual: false,
                negated: false,
                modality: "asserted".into(),
                date: Some(day.to_string()),
                date_precision: Some("day".into()),
                date_text: None,
                document_date: None,
                location,
                evidence: Evidence {
                    trigger: verb.into(),
                    start: trig_start,
                    end: trig_start + verb.len(),
                    rule: "synthetic".into(),
                    pattern: verb.into(),
                },
                attribution: "asserted".into(),
                reported_by: None,
                about: Vec::new(),
                confidence: None,
                casualties: Vec::new(),
                mode: None,
                context: None,
            });
        }
        let mut doc = Document::new(id, text.trim_end(), Some(doc_day));
        doc.source = Some(format!("Wire {}", rng.below(12)));
        store.ingest(&doc, &records).map_err(|e| e.to_string())?;
    }
    let stats = store.stats().map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {} events in {} documents in {secs:.1} s ({:.0} events/s); {} bytes",
        stats.events,
        stats.documents,
        stats.events as f64 / secs,
        stats.file_bytes
    );
    Ok(())
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A request path with random filters and page.
fn random_query(rng: &mut Rng) -> String {
    let country = |rng: &mut Rng| COUNTRIES[rng.below(COUNTRIES.len())].0;
    let mut q = match rng.below(6) {
        0 => String::new(),
        1 => format!("actor={}", country(rng)),
        2 => format!("pair={},{}", country(rng), country(rng)),
        3 => format!(
            "type={}&quad={}",
            TYPES[rng.below(TYPES.len())].0,
            TYPES[rng.below(TYPES.len())].2
        ),
        4 => {
            let m = rng.below(36);
            format!(
                "from={}-{:02}-01&to={}-{:02}-28",
                2023 + m / 12,
                m % 12 + 1,
                2023 + m / 12,
                m % 12 + 1
            )
        }
        _ => format!("location={}", PLACES[rng.below(PLACES.len())].0),
    };
    if !q.is_empty() {
        q.push('&');
    }
    q.push_str(&format!("limit=50&offset={}", 50 * rng.below(20)));
    format!("/api/events?{q}")
}

/// Appends what the server sent next to `buf`; a closed connection is an error.
async fn read_more(
    stream: &mut tokio::net::TcpStream,
    chunk: &mut [u8],
    buf: &mut Vec<u8>,
) -> std::io::Result<()> {
    let n = stream.read(chunk).await?;
    if n == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "closed",
        ));
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

/// One keep-alive HTTP/1.1 GET; returns the status.
async fn get(
    stream: &mut tokio::net::TcpStream,
    host: &str,
    path: &str,
    buf: &mut Vec<u8>,
) -> std::io::Result<u16> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n");
    stream.write_all(req.as_bytes()).await?;
    buf.clear();
    let mut chunk = [0u8; 16384];
    loop {
        read_more(stream, &mut chunk, buf).await?;
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                read_more(stream, &mut chunk, buf).await?;
            }
            return Ok(status);
        }
    }
}

async fn run(
    db: std::path::PathBuf,
    url: Option<String>,
    clients: usize,
    seconds: u64,
    cache: bool,
) -> Result<(), String> {
    let in_process = url.is_none();
    let addr = match url {
        Some(u) => u
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string(),
        None => {
            let coder = Arc::new(annalist_coder::Coder::new(
                &annalist_dict::Dictionaries::embedded(),
                Default::default(),
            ));
            let config = annalist_web::Config {
                cache_entries: if cache { 256 } else { 0 },
                row_cache_entries: if cache { 200_000 } else { 0 },
                ..Default::default()
            };
            let state =
                annalist_web::AppState::new(db, coder, None, config).map_err(|e| e.to_string())?;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(|e| e.to_string())?;
            let a = listener.local_addr().map_err(|e| e.to_string())?;
            tokio::spawn(async move {
                let _ = axum::serve(listener, annalist_web::router(state)).await;
            });
            a.to_string()
        }
    };
    if !addr.starts_with("127.") && !addr.starts_with("localhost") && !addr.starts_with("[::1]") {
        return Err(format!(
            "{addr}: the load test only targets loopback addresses"
        ));
    }
    println!(
        "{clients} clients for {seconds} s against http://{addr}/api/events (cache {})",
        if cache { "on" } else { "off" }
    );
    let cpu0 = cpu_seconds();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng(0x1234_5678_9ABC_DEF1 ^ ((c as u64 + 1) * 0x9E37_79B9));
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let mut stream = tokio::net::TcpStream::connect(&addr).await.ok();
            let mut buf = Vec::new();
            while Instant::now() < deadline {
                let path = random_query(&mut rng);
                let Some(s) = stream.as_mut() else {
                    errors += 1;
                    stream = tokio::net::TcpStream::connect(&addr).await.ok();
                    continue;
                };
                let t = Instant::now();
                match get(s, &addr, &path, &mut buf).await {
                    Ok(200) => lat.push((t, t.elapsed())),
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        stream = tokio::net::TcpStream::connect(&addr).await.ok();
                    }
                }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.map_err(|e| e.to_string())?;
        all.extend(l);
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    // The first requests wait for the filter index to load and fill the caches; the
    // second line leaves out those sent in the first 5 s (the first line counts all).
    let warm = started + Duration::from_secs(5);
    let later: Vec<Duration> = all
        .iter()
        .filter(|(t, _)| *t >= warm)
        .map(|(_, d)| *d)
        .collect();
    latency::print_summary("", all.into_iter().map(|(_, d)| d).collect(), secs, errors);
    if seconds > 5 {
        latency::print_summary("after 5 s: ", later, secs - 5.0, 0);
    }
    let used = cpu_seconds() - cpu0;
    println!(
        "{} CPU: {used:.1} s ({:.2} cores)",
        if in_process {
            "server and clients"
        } else {
            "clients"
        },
        used / secs
    );
    Ok(())
}

/// CPU time (user and system) this process has used, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given, which is plain data.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// Serves `db` on the loopback address `addr` (as `annalist serve` does, with the
/// default configuration) for `seconds`, then prints the CPU time this process used:
/// with `run --url` in another process, the server's and the client's shares of the
/// machine can be told apart.
async fn serve(db: std::path::PathBuf, addr: &str, seconds: u64) -> Result<(), String> {
    let addr: std::net::SocketAddr = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    if !addr.ip().is_loopback() {
        return Err(format!("{addr}: the load test only serves on loopback"));
    }
    let coder = Arc::new(annalist_coder::Coder::new(
        &annalist_dict::Dictionaries::embedded(),
        Default::default(),
    ));
    let state = annalist_web::AppState::new(db, coder, None, Default::default())
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| e.to_string())?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    println!("serving http://{local}/ for {seconds} s");
    let (cpu0, t0) = (cpu_seconds(), Instant::now());
    annalist_web::serve_listener(
        state,
        listener,
        tokio::time::sleep(Duration::from_secs(seconds)),
    )
    .await
    .map_err(|e| e.to_string())?;
    let (used, secs) = (cpu_seconds() - cpu0, t0.elapsed().as_secs_f64());
    println!(
        "server CPU: {used:.1} s in {secs:.1} s ({:.2} cores)",
        used / secs
    );
    Ok(())
}

/// Costs of the parts of an events request, one thread, no HTTP.
fn micro(db: &std::path::Path) -> Result<(), String> {
    let store = Store::open(
        db,
        &OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .map_err(|e| e.to_string())?;
    if std::env::var_os("MMAP").is_some() {
        store
            .connection()
            .execute_batch("PRAGMA mmap_size = 1073741824;")
            .map_err(|e| e.to_string())?;
    }
    if let Ok(kb) = std::env::var("CACHE_KB") {
        store
            .connection()
            .execute_batch(&format!("PRAGMA cache_size = -{kb};"))
            .map_err(|e| e.to_string())?;
    }
    let t = Instant::now();
    let index = annalist_web::index::EventIndex::load(&store, 0).map_err(|e| e.to_string())?;
    println!(
        "index load: {:.1} ms for {} events",
        t.elapsed().as_secs_f64() * 1e3,
        index.len()
    );
    let all = index.event_ids(&Default::default());
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(index.event_ids(&Default::default()));
    }
    println!(
        "filter (none): {:.1} us",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let month = |m: u32| chrono::NaiveDate::from_ymd_opt(2024, m, 1);
    let filters = [
        (
            "actor",
            annalist_store::Filter {
                actor: Some("RUS".into()),
                ..Default::default()
            },
        ),
        (
            "pair",
            annalist_store::Filter {
                pair: Some(("RUS".into(), "UKR".into())),
                ..Default::default()
            },
        ),
        (
            "type+quad",
            annalist_store::Filter {
                event_type: Some("ASSAULT".into()),
                quad_class: Some(4),
                ..Default::default()
            },
        ),
        (
            "month",
            annalist_store::Filter {
                from: month(3),
                to: month(4).map(|d| d.pred_opt().unwrap_or(d)),
                ..Default::default()
            },
        ),
        (
            "location",
            annalist_store::Filter {
                location: Some("Kharkiv".into()),
                ..Default::default()
            },
        ),
        (
            "quad",
            annalist_store::Filter {
                quad_class: Some(1),
                ..Default::default()
            },
        ),
    ];
    for (name, f) in &filters {
        let t = Instant::now();
        let mut selected = 0;
        for _ in 0..n {
            selected = std::hint::black_box(index.event_ids(f)).len();
        }
        println!(
            "filter ({name}, {selected} events): {:.1} us",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
    let t = Instant::now();
    let mut rows = Vec::new();
    for i in 0..n {
        let off = (i * 50) % (all.len() - 50);
        rows = store
            .events_by_id(&all[off..off + 50])
            .map_err(|e| e.to_string())?;
    }
    println!(
        "page of 50 rows from SQLite: {:.1} us",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        bytes = serde_json::to_vec(&rows).map_err(|e| e.to_string())?.len();
    }
    println!(
        "serialize 50 rows ({bytes} bytes): {:.1} us",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let db = std::path::PathBuf::from(flag("--db").unwrap_or_else(|| "target/load-100k.db".into()));
    let result = match args.first().map(|s| s.as_str()) {
        Some("gen") => generate(&db, flag("--events").and_then(|v| v.parse().ok()).unwrap_or(100_000)),
        Some("micro") => micro(&db),
        Some("serve") => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
            .and_then(|rt| {
                rt.block_on(serve(
                    db,
                    &flag("--addr").unwrap_or_else(|| "127.0.0.1:18080".into()),
                    flag("--seconds").and_then(|v| v.parse().ok()).unwrap_or(30).min(600),
                ))
            }),
        Some("run") => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
            .and_then(|rt| {
                rt.block_on(run(
                    db,
                    flag("--url"),
                    flag("--clients").and_then(|v| v.parse().ok()).unwrap_or(200),
                    flag("--seconds").and_then(|v| v.parse().ok()).unwrap_or(20).min(600),
                    !args.iter().any(|a| a == "--no-cache"),
                ))
            }),
        _ => Err("usage: annalist-web-load gen|run|serve|micro [--db F] [--addr 127.0.0.1:PORT] [--events N] [--clients N] [--seconds S] [--no-cache] [--url http://127.0.0.1:PORT]".into()),
    };
    if let Err(e) = result {
        eprintln!("annalist-web-load: {e}");
        std::process::exit(1);
    }
}
