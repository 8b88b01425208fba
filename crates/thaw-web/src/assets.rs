//! The stylesheet, the small script and the icons, compiled into the binary: Thaw loads nothing
//! from anywhere else. Also what makes Thaw an installable web app: the manifest, the service
//! worker and the offline page it keeps (docs/SECURITY.md, "The service worker"). All of these
//! are public: the same for everyone, nothing private in them.

use std::sync::OnceLock;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use thaw_core::safety::crisis::crisis_directory;
use thaw_core::safety::crisis_for;

use crate::crisis::{CountryView, DirectoryView};
use crate::state::AppState;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");
const ICON: &[u8] = include_bytes!("../assets/favicon.svg");
/// The service worker's source; `__VERSION__` becomes [`version`].
const WORKER: &str = include_str!("../assets/sw.js");
const ICON_192: &[u8] = include_bytes!("../assets/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../assets/icon-512.png");
const ICON_MASKABLE: &[u8] = include_bytes!("../assets/icon-maskable-512.png");
const APPLE_TOUCH: &[u8] = include_bytes!("../assets/apple-touch-icon.png");

/// The colours of the installed app, from style.css: `--surface` (the header) and `--bg`.
pub(crate) const THEME_COLOR: &str = "#ffffff";
pub(crate) const BACKGROUND_COLOR: &str = "#f8f5f0";

/// How long a browser may keep what it fetched from these addresses without asking again: the
/// manifest, the worker and the offline page are checked on every use.
const REVALIDATE: &str = "no-cache";

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/assets/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE.as_bytes()) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT.as_bytes()) }))
        .route("/assets/favicon.svg", get(|| async { asset("image/svg+xml", ICON) }))
        .route("/favicon.ico", get(|| async { asset("image/svg+xml", ICON) }))
        .route("/assets/icon-192.png", get(|| async { asset("image/png", ICON_192) }))
        .route("/assets/icon-512.png", get(|| async { asset("image/png", ICON_512) }))
        .route("/assets/icon-maskable-512.png", get(|| async { asset("image/png", ICON_MASKABLE) }))
        .route("/assets/apple-touch-icon.png", get(|| async { asset("image/png", APPLE_TOUCH) }))
        .route(
            "/manifest.webmanifest",
            get(|| async { fresh("application/manifest+json", manifest().as_bytes()) }),
        )
        .route("/sw.js", get(|| async { fresh("text/javascript; charset=utf-8", worker().as_bytes()) }))
        .route(
            "/offline",
            get(|State(state): State<AppState>| async move {
                fresh("text/html; charset=utf-8", offline_page(state.is_hosted()).as_bytes())
            }),
        )
}

/// A public answer that browsers check again each time (`no-cache`, unlike the private pages'
/// `no-store`: there is nothing private in it to keep off the disk).
fn fresh(content_type: &'static str, body: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, REVALIDATE)], body).into_response()
}

/// The web app manifest: what a phone needs to put Thaw on its home screen.
fn manifest() -> &'static str {
    static MANIFEST: OnceLock<String> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        let v = version();
        let icon = |src: &str, size: &str, purpose: &str| {
            serde_json::json!({
                "src": format!("{src}?v={v}"),
                "sizes": size,
                "type": "image/png",
                "purpose": purpose,
            })
        };
        serde_json::json!({
            "id": "/",
            "name": "Thaw",
            "short_name": "Thaw",
            "description": "A private companion for when feelings are hard to reach: name what you feel, or notice that you can't.",
            "lang": "en",
            "dir": "ltr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": [
                icon("/assets/icon-192.png", "192x192", "any"),
                icon("/assets/icon-512.png", "512x512", "any"),
                icon("/assets/icon-maskable-512.png", "512x512", "maskable"),
            ],
        })
        .to_string()
    })
}

/// The service worker, naming this build's assets.
fn worker() -> &'static str {
    static WORKER_JS: OnceLock<String> = OnceLock::new();
    WORKER_JS.get_or_init(|| WORKER.replace("__VERSION__", version()))
}

/// The page the worker shows when Thaw's server can't be reached: no records, no country, no
/// session; crisis lines for every country Thaw lists. Its advice depends on the mode: `thaw
/// serve` runs on the person's computer, `thaw host` somewhere else.
#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    asset_version: &'static str,
    hosted: bool,
    emergency: String,
    countries: Vec<CountryView>,
    directory: DirectoryView,
}

fn render_offline(asset_version: &'static str, hosted: bool) -> String {
    let res = crisis_for(None);
    let page = OfflinePage {
        asset_version,
        hosted,
        emergency: res.emergency_sentence(),
        countries: crisis_directory().countries.iter().map(CountryView::from).collect(),
        directory: DirectoryView::from(res.international),
    };
    page.render().unwrap_or_else(|e| {
        eprintln!("{}: the offline page could not be drawn: {e}", crate::log_prefix());
        "<!doctype html><title>Offline · Thaw</title><p>Thaw can't reach its server right now. \
         If you are in immediate danger, call your local emergency number.</p>"
            .to_owned()
    })
}

fn offline_page(hosted: bool) -> &'static str {
    static LOCAL: OnceLock<String> = OnceLock::new();
    static HOSTED: OnceLock<String> = OnceLock::new();
    let page = if hosted { &HOSTED } else { &LOCAL };
    page.get_or_init(|| render_offline(version(), hosted))
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
        for part in [WORKER.as_bytes(), ICON_192, ICON_512, ICON_MASKABLE, APPLE_TOUCH] {
            h.update(part);
        }
        // The offline page's words and crisis lines (drawn without the hash, which it links with).
        h.update(render_offline("", false));
        h.update(render_offline("", true));
        h.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect()
    })
}
