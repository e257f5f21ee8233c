//! The web page: hand-written HTML, CSS and JavaScript in `assets/`, and the map's world
//! outline (`world.json`, generated from Natural Earth), embedded with `include_str!`
//! (no CDN, no library, no tile server). The script builds every element with DOM calls
//! and puts document text in with `textContent` only (`tests/api.rs` checks that it
//! never uses `innerHTML` or its relatives).
use axum::http::header;
use axum::response::IntoResponse;

pub(crate) const INDEX_HTML: &str = include_str!("../assets/index.html");
pub(crate) const APP_JS: &str = include_str!("../assets/app.js");
pub(crate) const APP_CSS: &str = include_str!("../assets/app.css");
/// The map's world outline (Natural Earth 1:110m; `scripts/build-world.mjs`).
pub(crate) const WORLD_JSON: &str = include_str!("../assets/world.json");

pub(crate) async fn index() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        INDEX_HTML,
    )
}

pub(crate) async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
}

pub(crate) async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], APP_CSS)
}

pub(crate) async fn world() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        WORLD_JSON,
    )
}

/// The map's world outline, for tests that check it.
pub fn world_json() -> &'static str {
    WORLD_JSON
}

/// The page's script, for tests that check how it handles text.
pub fn app_js() -> &'static str {
    APP_JS
}
