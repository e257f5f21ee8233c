//! The HTTP server around the router: an accept loop over hyper's HTTP/1.1 connection
//! with a header read timeout (which also closes idle keep-alive connections), a bound
//! on open connections, and the request guards every route passes first:
//!
//! - **Host allow-list** (against DNS rebinding): a request whose `Host` names a host
//!   that is neither an IP address, nor `localhost`, nor one of
//!   [`Config::allowed_hosts`] is refused (403) before it reaches a route, so a web
//!   page whose name was re-pointed at this machine cannot read the API.
//! - **Request line and header limits**: a target over [`Config::max_uri_bytes`] is
//!   414, headers over [`Config::max_header_bytes`] (or more than [`MAX_HEADERS`]) are
//!   431 — answered as JSON by us, before hyper's own, larger limits would answer with
//!   an empty body.
//! - **JSON errors**: any error answer that is not JSON yet (a rejection a layer or an
//!   extractor produced) is given an `{"error": …}` body.
use crate::error::ApiError;
use crate::{AppState, Config, WebError};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;

/// Most headers a request may carry (hyper's own limit is 100; it answers with an empty
/// 431).
pub const MAX_HEADERS: usize = 64;

/// Serves `app` on `listener` until `shutdown` completes: each connection is HTTP/1.1
/// with keep-alive, a header read timeout of [`Config::header_timeout`] and at most
/// [`Config::max_open_connections`] open at once (further ones wait in the listen
/// backlog).
pub(crate) async fn run(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    config: &Config,
    shutdown: impl Future<Output = ()>,
) -> Result<(), WebError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true)
        .max_buf_size(128 << 10);
    let open = Arc::new(tokio::sync::Semaphore::new(
        config.max_open_connections.max(1),
    ));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            p = open.clone().acquire_owned() => p.map_err(|e| WebError::Serve(std::io::Error::other(e)))?,
        };
        let stream = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    eprintln!("annalist: accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
}

/// Binds `addr` and serves until Ctrl-C (see [`run`]).
pub(crate) async fn bind(addr: std::net::SocketAddr) -> Result<tokio::net::TcpListener, WebError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Bind { addr, source })
}

/// Whether a `Host` header value may reach the API: IP literals and `localhost` always
/// (a DNS rebinding attack needs a name of the attacker's), other names only when
/// listed.
pub(crate) fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [v6]:port
        match rest.split_once(']') {
            Some((v6, _)) => return v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
            _ => host,
        }
    };
    let name = name.trim_end_matches('.');
    if name.parse::<IpAddr>().is_ok() || name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    allowed
        .iter()
        .any(|a| a.trim_end_matches('.').eq_ignore_ascii_case(name))
}

/// The guards every request passes before routing: Host allow-list, request target and
/// header sizes.
pub(crate) async fn guard(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let cfg = &state.config;
    let uri_len = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().len())
        .unwrap_or(0);
    if uri_len > cfg.max_uri_bytes {
        return ApiError {
            status: StatusCode::URI_TOO_LONG,
            message: format!(
                "the request target is {uri_len} bytes, over the limit of {} bytes",
                cfg.max_uri_bytes
            ),
        }
        .into_response();
    }
    let headers = req.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || header_bytes > cfg.max_header_bytes {
        return ApiError {
            status: StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            message: format!(
                "{} headers of {header_bytes} bytes: the limit is {MAX_HEADERS} headers, {} bytes",
                headers.len(),
                cfg.max_header_bytes
            ),
        }
        .into_response();
    }
    if let Some(host) = headers.get(header::HOST) {
        let ok = host
            .to_str()
            .is_ok_and(|h| host_allowed(h, &cfg.allowed_hosts));
        if !ok {
            let shown = String::from_utf8_lossy(host.as_bytes()).into_owned();
            return ApiError::forbidden(format!(
                "host {shown:?} is not served here: use an IP address or localhost, or start `annalist serve` with --allow-host NAME"
            ))
            .into_response();
        }
    }
    next.run(req).await
}

/// Gives every error answer that is not JSON (a rejection of a layer or an extractor)
/// an `{"error": …}` body, keeping its status and headers.
pub(crate) async fn json_errors(r: Response) -> Response {
    let status = r.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return r;
    }
    let is_json = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return r;
    }
    let (mut parts, body) = r.into_parts();
    let detail = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let reason = status.canonical_reason().unwrap_or("error").to_lowercase();
    let message = detail.unwrap_or(reason);
    let body = serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    Response::from_parts(parts, axum::body::Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn hosts() {
        let none: Vec<String> = Vec::new();
        assert!(host_allowed("127.0.0.1:8080", &none));
        assert!(host_allowed("localhost:8080", &none));
        assert!(host_allowed("LOCALHOST", &none));
        assert!(host_allowed("[::1]:8080", &none));
        assert!(host_allowed("10.0.0.5", &none));
        assert!(!host_allowed("attacker.example:8080", &none));
        assert!(!host_allowed("localhost.attacker.example", &none));
        assert!(!host_allowed("[evil]:80", &none));
        let some = vec!["events.example.org".to_string()];
        assert!(host_allowed("Events.Example.org:443", &some));
        assert!(host_allowed("events.example.org.", &some));
        assert!(!host_allowed("example.org", &some));
    }
}
