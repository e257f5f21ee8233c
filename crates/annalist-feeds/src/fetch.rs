//! HTTP(S) fetching for feeds and articles: ureq over rustls (no OpenSSL), with a
//! timeout for the whole exchange, retries with exponential backoff (timeouts, refused
//! or reset connections, HTTP 429 and 5xx, waiting at least a `Retry-After` of up to a
//! minute; never other 4xx), a response size limit
//! (checked against `Content-Length` first, then while reading, after gzip decoding), a
//! polite minimum interval between requests to the same host, and conditional requests
//! (`If-None-Match` / `If-Modified-Since` from the validators of the last response).
//! A body that is a gzip file is unpacked (within the same limit).
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Fetcher settings.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Limit on a whole exchange (connect, headers and body).
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Largest accepted body, in bytes.
    pub max_bytes: u64,
    /// Least time between two requests to the same host.
    pub per_host_interval: Duration,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(20),
            retries: 2,
            backoff: Duration::from_millis(1000),
            max_bytes: 10 << 20,
            per_host_interval: Duration::from_millis(1000),
            user_agent: concat!(
                "annalist/",
                env!("CARGO_PKG_VERSION"),
                " (news event coder)"
            )
            .to_string(),
        }
    }
}

/// Validators of an earlier response, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A response: 200 with its body, or 304 (not modified, empty body).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    pub body: Vec<u8>,
    pub validators: Validators,
    pub content_type: Option<String>,
}

/// Why a URL could not be fetched; the message names the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{url}: {problem}")]
pub struct FetchError {
    pub url: String,
    /// HTTP status, 0 when no response came.
    pub status: u16,
    pub problem: String,
}

/// An HTTP client with per-host pacing.
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
    last_request: HashMap<String, Instant>,
}

enum Attempt {
    Done(Fetched),
    /// Worth another try (timeouts, network errors, 429, 5xx), with the server's
    /// `Retry-After` in seconds if it gave one.
    Transient(u16, String, Option<u64>),
    Fatal(u16, String),
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(opts.user_agent.as_str())
            .max_redirects(5)
            .build();
        Fetcher {
            agent: config.into(),
            opts,
            last_request: HashMap::new(),
        }
    }

    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// GETs `url` (conditionally when `validators` are given), retrying transient
    /// failures.
    pub fn get(
        &mut self,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(FetchError {
                url: url.to_string(),
                status: 0,
                problem: "not an http(s) URL".into(),
            });
        }
        let mut attempt = 0;
        loop {
            self.pace(url);
            let (status, problem, retry_after) = match self.attempt(url, validators) {
                Attempt::Done(f) => return Ok(f),
                Attempt::Fatal(status, problem) => {
                    return Err(FetchError {
                        url: url.to_string(),
                        status,
                        problem,
                    })
                }
                Attempt::Transient(status, problem, retry_after) => (status, problem, retry_after),
            };
            if attempt >= self.opts.retries {
                let tries = attempt + 1;
                return Err(FetchError {
                    url: url.to_string(),
                    status,
                    problem: format!(
                        "{problem} (gave up after {tries} attempt{})",
                        if tries == 1 { "" } else { "s" }
                    ),
                });
            }
            // Exponential backoff; a server's Retry-After (up to a minute) when longer.
            let backoff = self.opts.backoff * 2u32.saturating_pow(attempt);
            let asked = Duration::from_secs(retry_after.unwrap_or(0).min(60));
            std::thread::sleep(backoff.max(asked));
            attempt += 1;
        }
    }

    /// Waits until the host's interval since its last request has passed.
    fn pace(&mut self, url: &str) {
        let host = crate::url_host(url).unwrap_or_default();
        if let Some(last) = self.last_request.get(&host) {
            let since = last.elapsed();
            if since < self.opts.per_host_interval {
                std::thread::sleep(self.opts.per_host_interval - since);
            }
        }
        self.last_request.insert(host, Instant::now());
    }

    fn attempt(&self, url: &str, validators: Option<&Validators>) -> Attempt {
        let mut req = self.agent.get(url);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                req = req.header("If-None-Match", etag.as_str());
            }
            if let Some(lm) = &v.last_modified {
                req = req.header("If-Modified-Since", lm.as_str());
            }
        }
        let mut resp = match req.call() {
            Ok(r) => r,
            Err(e) => return classify(e, self.opts.timeout, self.opts.max_bytes),
        };
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        if status == 304 {
            return Attempt::Done(Fetched {
                status,
                body: Vec::new(),
                validators,
                content_type,
            });
        }
        let reason = resp.status().canonical_reason().unwrap_or("");
        if status == 429 || (500..600).contains(&status) {
            let retry_after = header("retry-after").and_then(|v| v.parse().ok());
            return Attempt::Transient(status, format!("HTTP {status} {reason}"), retry_after);
        }
        if !(200..300).contains(&status) {
            return Attempt::Fatal(status, format!("HTTP {status} {reason}"));
        }
        if let Some(len) = resp.body().content_length() {
            if len > self.opts.max_bytes {
                return Attempt::Fatal(
                    status,
                    format!(
                        "response of {len} bytes is over the limit of {} bytes; not read",
                        self.opts.max_bytes
                    ),
                );
            }
        }
        match resp
            .body_mut()
            .with_config()
            .limit(self.opts.max_bytes)
            .read_to_vec()
        {
            Ok(body) => match gunzip(body, self.opts.max_bytes) {
                Ok(body) => Attempt::Done(Fetched {
                    status,
                    body,
                    validators,
                    content_type,
                }),
                Err(problem) => Attempt::Fatal(status, problem),
            },
            Err(e) => match classify(e, self.opts.timeout, self.opts.max_bytes) {
                Attempt::Transient(_, p, _) => Attempt::Transient(status, p, None),
                Attempt::Fatal(_, p) => Attempt::Fatal(status, p),
                done => done,
            },
        }
    }
}

/// A body that is itself a gzip file (a `.gz` feed served without `Content-Encoding`)
/// is decompressed, within the size limit.
fn gunzip(body: Vec<u8>, max_bytes: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&body[..])
        .take(max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("truncated or corrupt gzip data: {e}"))?;
    if out.len() as u64 > max_bytes {
        return Err(format!(
            "gzip data unpacks to over the limit of {max_bytes} bytes; dropped"
        ));
    }
    Ok(out)
}

fn classify(e: ureq::Error, timeout: Duration, max_bytes: u64) -> Attempt {
    match e {
        ureq::Error::Timeout(_) => {
            Attempt::Transient(0, format!("no complete response within {timeout:?}"), None)
        }
        ureq::Error::BodyExceedsLimit(_) => Attempt::Fatal(
            0,
            format!("response is over the limit of {max_bytes} bytes; dropped"),
        ),
        ureq::Error::Io(io) => Attempt::Transient(0, format!("network error: {io}"), None),
        ureq::Error::ConnectionFailed => Attempt::Transient(0, "connection failed".into(), None),
        ureq::Error::HostNotFound => Attempt::Fatal(0, "host not found".into()),
        other => Attempt::Fatal(0, other.to_string()),
    }
}
