//! Thaw's local web app: `thaw serve`.
//!
//! One axum router over the same [`thaw_store::Store`] the CLI uses, so both see the same vault at
//! the same time. Pages are server-rendered with askama and work without JavaScript; a tiny script
//! only adds conveniences. Everything the browser loads is embedded in the binary.
//!
//! Security, in the order a request meets it (see `security.rs` and docs/SECURITY.md): the server
//! binds 127.0.0.1 only; the Host header must name this launch's own random host name
//! (`t-<128 random bits>.localhost`), or 127.0.0.1/localhost for scripts, on our port (DNS
//! rebinding); a per-launch secret (the printed link or a one-time code, then a per-browser
//! HttpOnly SameSite=Strict cookie set only for the random host name, or a bearer token for
//! scripts) is required for everything but the embedded assets; every state-changing request must
//! come from our own origin and carry the per-launch CSRF token; each browser session unlocks the
//! vault on its own, with growing waits after wrong passphrases, and locks again after the idle
//! time the person chose.

mod api;
mod app;
mod assets;
mod crisis;
mod error;
mod forms;
mod hosted;
mod input;
mod markdown;
mod pages;
mod security;
mod state;
mod view;
mod visit;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::Router;
use thaw_store::VaultDir;
use tokio::net::TcpListener;

pub use api::{documented_routes, openapi_document};
pub use error::WebError;
pub use hosted::{HostConfig, HostServer, Signup, TlsFiles, host_blocking};

use crate::state::AppState;

/// Whether this process serves `thaw host` (set when a hosted server binds); otherwise it is
/// `thaw serve`. Only names the program in the lines written to standard error.
static HOSTED_PROCESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `thaw host` or `thaw serve`: the prefix of the lines this server writes to standard error.
pub(crate) fn log_prefix() -> &'static str {
    if HOSTED_PROCESS.load(std::sync::atomic::Ordering::Relaxed) { "thaw host" } else { "thaw serve" }
}

/// Largest request body accepted (a long journal entry, form-encoded, fits comfortably).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// How `thaw serve` runs.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The vault folder; it must exist (`thaw init`).
    pub vault: VaultDir,
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The person's time zone, for showing and parsing times.
    pub tz: jiff::tz::TimeZone,
    /// Replaces the idle time from the vault's settings. For tests, which can't wait minutes.
    pub idle_override: Option<Duration>,
    /// The country in the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), for crisis lines when the
    /// vault has no `country` setting.
    pub locale_country: Option<String>,
    /// Says something on the terminal (a warning sign, such as an opening link used twice). The
    /// text never holds a secret or anything the person wrote.
    pub warn: fn(&str),
    /// The on-device model behind the risk check and "words that might fit": loaded once, on a
    /// thread of its own when the server starts, never on a request's path.
    pub understanding: std::sync::Arc<thaw_embed::Understanding>,
}

impl WebConfig {
    pub fn new(vault: VaultDir) -> Self {
        Self {
            port: 0,
            tz: jiff::tz::TimeZone::system(),
            idle_override: None,
            locale_country: locale_country(),
            warn: warn_on_stderr,
            // One person's web app: their saves may use every core (`thaw host` keeps one free).
            understanding: std::sync::Arc::new(
                thaw_embed::Understanding::find(Some(vault.root()))
                    .with_gate(thaw_embed::GateConfig::one_process()),
            ),
            vault,
        }
    }
}

impl WebConfig {
    /// The country in the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), for crisis lines.
    pub fn locale_country_from_env() -> Option<String> {
        locale_country()
    }
}

fn warn_on_stderr(message: &str) {
    eprintln!("{message}");
}

/// The country from the locale: LC_ALL, then LC_MESSAGES, then LANG (`en_GB.UTF-8` → GB).
fn locale_country() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .and_then(|locale| thaw_core::safety::crisis::country_from_locale(&locale))
}

/// A bound, not yet running server.
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Binds 127.0.0.1:`port` and makes this launch's secrets. Fails if there is no vault.
    pub async fn bind(config: WebConfig) -> Result<Server, WebError> {
        if !config.vault.exists() {
            return Err(WebError::Store(thaw_store::StoreError::NoVault(
                config.vault.root().display().to_string(),
            )));
        }
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))
            .await
            .map_err(|e| WebError::Startup(format!("couldn't listen on 127.0.0.1:{}: {e}", config.port)))?;
        let port = listener
            .local_addr()
            .map_err(|e| WebError::Startup(format!("couldn't read the port: {e}")))?
            .port();
        let state = AppState::new(config, port)?;
        state.load_understanding();
        Ok(Server { listener, state })
    }

    /// The link to open: `http://127.0.0.1:PORT/?token=TOKEN`.
    pub fn url(&self) -> String {
        self.state.launch_url()
    }

    /// A one-time link for opening the browser (it works once, for two minutes) on this launch's
    /// own host name, `http://t-….localhost:PORT/open/CODE`. `thaw serve` hands it to the browser
    /// inside a private file, never in a program's arguments, which other users can read.
    pub fn open_url(&self) -> String {
        self.state.open_url().unwrap_or_else(|| self.url())
    }

    /// `http://t-<random>.localhost:PORT`: where the pages are, the only host the session cookie
    /// is set for.
    pub fn app_origin(&self) -> String {
        self.state.app_origin()
    }

    pub fn port(&self) -> u16 {
        self.state.port()
    }

    /// Serves until `shutdown` completes, then locks the vault.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), WebError> {
        let state = self.state.clone();
        let idle = tokio::spawn(state::lock_when_idle(state.clone()));
        let seen = state.busy_seen();
        let busy = tokio::spawn(app::report_busy(state.clone(), seen.clone()));
        let app: Router = router(state.clone());
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| WebError::Startup(format!("the server stopped: {e}")));
        idle.abort();
        busy.abort();
        state.tell_busy(&seen, "the last minute or less before it stopped");
        state.lock_all();
        served
    }
}

/// Builds the whole app: pages, API, assets, and the security layers around them.
pub(crate) fn router(state: AppState) -> Router {
    security::wrap(pages::routes(&state).merge(api::routes()).merge(assets::routes()), state)
}

/// What `thaw serve` tells the person once the port is bound.
#[derive(Debug, Clone)]
pub struct Launch {
    /// `http://127.0.0.1:PORT/?token=TOKEN`: works for this launch, for browsers and scripts.
    pub url: String,
    /// A one-time link for the browser that `thaw serve` opens (on the app's own host name).
    pub open_url: String,
}

/// Runs `thaw serve` on its own runtime until Ctrl-C (or SIGTERM). `ready` gets the links once the
/// port is bound, before the first request can arrive.
pub fn serve_blocking(config: WebConfig, ready: impl FnOnce(&Launch)) -> Result<(), WebError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| WebError::Startup(format!("couldn't start: {e}")))?;
    runtime.block_on(async move {
        let server = Server::bind(config).await?;
        ready(&Launch { url: server.url(), open_url: server.open_url() });
        server.run(stop_signal()).await
    })
}

pub(crate) async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
