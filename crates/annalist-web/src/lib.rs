//! The web stage ("serve"): an HTTP API over the event store and a web page built on it,
//! served by one axum router.
//!
//! Input: an annalist database (read through a small pool of read-only connections, each
//! query on a blocking thread) and a [`Coder`] (loaded by `annalist-engine`'s dictionary
//! policy) that `annalist-engine` runs for the live coding box and, when a write token
//! is configured, for `POST /api/documents` (code, store, count, as `annalist ingest`). Output: JSON (see `api`) and the page's
//! embedded assets (`assets/`: hand-written HTML, CSS and JS, no CDN, no library).
//!
//! Entry points: [`AppState::new`], [`router`], [`serve`], [`serve_listener`]. Security
//! rules kept here (threat model and limits: `docs/security.md`): the server binds to
//! loopback unless told otherwise (`annalist serve --addr`); requests must name an IP
//! address, `localhost` or an allowed host (DNS rebinding); headers must arrive within a
//! timeout and bodies within another, each body within its endpoint's size limit and as
//! JSON (no cross-origin "simple" requests); CPU work runs on a small pool of its own
//! within a time budget, never on the async workers; writing is off unless a token is
//! set, the token is checked before the body is read and compared in constant time
//! ([`token::constant_time_eq`]); every error is JSON; and every text from documents
//! reaches the page as data (the page uses `textContent` only, and a
//! Content-Security-Policy forbids inline scripts).
mod api;
mod assets;
mod error;
mod evidence;
pub mod index;
mod params;
mod pool;
mod server;
pub mod token;
mod work;

pub use api::router;
pub use assets::{app_js, world_json};
pub use evidence::{segments, Highlight, Segment};
pub use pool::Config;

use annalist_coder::Coder;
use annalist_store::StoreError;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// What can stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Serve(#[source] std::io::Error),
}

/// Everything the handlers share: the database pool, the result cache, the coder and the
/// write token.
pub struct AppState {
    pub(crate) pool: pool::Pool,
    /// Codes on the request's blocking thread.
    pub(crate) engine: annalist_engine::Engine,
    pub(crate) write_token: Option<Vec<u8>>,
    pub(crate) config: Config,
    /// Bounds the queries running at once (and so the connections open) to
    /// [`Config::max_connections`]; the others wait their turn.
    pub(crate) permits: tokio::sync::Semaphore,
    /// Coding and segmenting, off the async workers.
    pub(crate) cpu: work::CpuPool,
}

impl AppState {
    /// Opens the database read-only (it must exist and be an annalist database) and
    /// prepares the pool. `write_token`: `POST /api/documents` accepts requests carrying
    /// it (`Authorization: Bearer TOKEN`); `None` disables writing (403).
    pub fn new(
        db: PathBuf,
        coder: Arc<Coder>,
        write_token: Option<String>,
        config: Config,
    ) -> Result<Arc<AppState>, WebError> {
        let pool = pool::Pool::open(db, &config)?;
        Ok(Arc::new(AppState {
            pool,
            engine: annalist_engine::Engine::sequential(coder),
            write_token: write_token
                .filter(|t| !t.is_empty())
                .map(|t| t.into_bytes()),
            permits: tokio::sync::Semaphore::new(config.max_connections.max(1)),
            cpu: work::CpuPool::new(config.cpu_threads, config.cpu_queue),
            config,
        }))
    }
}

/// Serves the router on `addr` until Ctrl-C. Prints the address it listens on.
pub async fn serve(state: Arc<AppState>, addr: SocketAddr) -> Result<(), WebError> {
    let listener = server::bind(addr).await?;
    let local = listener.local_addr().map_err(WebError::Serve)?;
    eprintln!("annalist: serving http://{local}/ (API under /api)");
    serve_listener(state, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves the router on a bound listener until `shutdown` completes (tests bind port 0
/// on loopback and pass a channel).
pub async fn serve_listener(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), WebError> {
    let config = state.config.clone();
    server::run(listener, router(state), &config, shutdown).await
}

/// [`serve`] on a new multi-threaded tokio runtime, for callers without one (the CLI).
pub fn serve_blocking(state: Arc<AppState>, addr: SocketAddr) -> Result<(), WebError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(WebError::Serve)?
        .block_on(serve(state, addr))
}
