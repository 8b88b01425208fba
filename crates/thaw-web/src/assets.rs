//! The stylesheet, the small script and the icon, compiled into the binary: Thaw loads nothing
//! from anywhere else.

use std::sync::OnceLock;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::state::AppState;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");
const ICON: &[u8] = include_bytes!("../assets/favicon.svg");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE.as_bytes()) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT.as_bytes()) }))
        .route("/assets/favicon.svg", get(|| async { asset("image/svg+xml", ICON) }))
        .route("/favicon.ico", get(|| async { asset("image/svg+xml", ICON) }))
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    // Links carry `?v=VERSION`, so a new build is fetched fresh; within one, cache freely.
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=86400")], body)
        .into_response()
}

/// A short hash of the assets, for cache-busting links.
pub(crate) fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(STYLE);
        h.update(SCRIPT);
        h.update(ICON);
        h.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect()
    })
}
