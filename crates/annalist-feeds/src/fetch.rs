//! HTTP(S) fetching for feeds and articles: ureq over rustls (no OpenSSL), with a
//! timeout for the whole exchange, retries with exponential backoff (timeouts, refused
//! or reset connections, HTTP 429 and 5xx, waiting at least a `Retry-After` of up to a
//! minute; never other 4xx), a response size limit
//! (checked against `Content-Length` first, then while reading, after gzip decoding), a
//! polite minimum interval between requests to the same host, and conditional requests
//! (`If-None-Match` / `If-Modified-Since` from the validators of the last response).
//! A body that is a gzip file is unpacked (within the same limit).
//!
//! **Address policy** (against server-side request forgery: a feed item linking to
//! `http://127.0.0.1/admin` or to a cloud metadata service): every host name is
//! resolved by [`PolicyResolver`], which refuses loopback, private, link-local (cloud
//! metadata at 169.254.169.254), shared (100.64/10), unspecified, multicast and other
//! non-public ranges unless [`FetchOptions::allow_private_addresses`] is set. It runs
//! for every connection, so every redirect is checked too, and the address checked is
//! the one connected to (no second lookup an attacker's DNS could answer differently).
//! Through a proxy (`HTTPS_PROXY`), the proxy's address is checked instead and the proxy
//! reaches the target.
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
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
    /// Connect to loopback, private and link-local addresses too (`annalist ingest
    /// --allow-private-addresses`); off by default.
    pub allow_private_addresses: bool,
    /// Addresses reachable even though they are not public (a feed server on the local
    /// network), when `allow_private_addresses` is off.
    pub allowed_addresses: Vec<IpAddr>,
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
            allow_private_addresses: false,
            allowed_addresses: Vec::new(),
        }
    }
}

/// Whether `ip` is an address a fetch may reach by default: a public unicast address.
/// Refused: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
/// (169.254/16 with the cloud metadata services, fe80::/10), shared address space
/// (100.64/10), unspecified, broadcast, multicast, documentation and benchmarking
/// ranges, 0/8 and 240/4, and IPv6 addresses that embed a refused IPv4 one
/// (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16).
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT; 100.100.100.200 metadata)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19))) // benchmarking
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let seg = ip.segments();
    // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an
    // IPv4 address that decides.
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if seg[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified() {
        return is_public_v4(embedded(seg[6], seg[7]));
    }
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded(seg[6], seg[7]));
    }
    if seg[0] == 0x2002 {
        return is_public_v4(embedded(seg[1], seg[2]));
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (seg[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (seg[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (seg[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
        || (seg[0] == 0x0100 && seg[1..4] == [0, 0, 0])) // discard-only 100::/64
}

/// Why an address was refused (carried through ureq's error as `Error::Other`).
#[derive(Debug)]
struct AddressRefused(String);

impl std::fmt::Display for AddressRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AddressRefused {}

/// ureq's resolver with the address policy applied to what it resolves: a host with
/// any refused address is refused whole (an attacker's name may list a public and a
/// private address).
#[derive(Debug)]
pub struct PolicyResolver {
    inner: ureq::unversioned::resolver::DefaultResolver,
    allow_private: bool,
    allowed: Vec<IpAddr>,
}

impl ureq::unversioned::resolver::Resolver for PolicyResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if !self.allow_private {
            let refused = |ip: IpAddr| !is_public_address(ip) && !self.allowed.contains(&ip);
            if let Some(bad) = addrs.iter().find(|a| refused(a.ip())) {
                let host = uri.host().unwrap_or("");
                return Err(ureq::Error::Other(Box::new(AddressRefused(format!(
                    "{host} resolves to {}, a loopback, private or link-local address; not fetched (--allow-private-addresses allows it)",
                    bad.ip()
                )))));
            }
        }
        Ok(addrs)
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
        let resolver = PolicyResolver {
            inner: Default::default(),
            allow_private: opts.allow_private_addresses,
            allowed: opts.allowed_addresses.clone(),
        };
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            resolver,
        );
        Fetcher {
            agent,
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
        ureq::Error::Other(e) if e.is::<AddressRefused>() => Attempt::Fatal(0, e.to_string()),
        other => Attempt::Fatal(0, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::is_public_address;

    #[test]
    fn address_policy() {
        let public = [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ];
        for a in public {
            assert!(is_public_address(a.parse().unwrap()), "{a}");
        }
        let refused = [
            "127.0.0.1",
            "127.9.9.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.100.100.200",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd00:ec2::254",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
            "2001:db8::1",
        ];
        for a in refused {
            assert!(!is_public_address(a.parse().unwrap()), "{a}");
        }
    }
}
