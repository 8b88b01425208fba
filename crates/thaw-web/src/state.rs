//! What the server holds between requests: this launch's secrets, and the vault while it is
//! unlocked. Locking drops the store (closing the SQLCipher connection, which wipes its key).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine;
use thaw_core::settings::{COUNTRY, IDLE_LOCK_MINUTES, IdleLock};
use thaw_store::{Store, VaultDir};
use thaw_vault::Passphrase;
use zeroize::Zeroizing;

use crate::WebConfig;
use crate::error::WebError;

/// How long the browser-opening code works.
const OPEN_CODE_LIFETIME: Duration = Duration::from_secs(120);

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

pub(crate) struct Shared {
    vault: VaultDir,
    tz: jiff::tz::TimeZone,
    port: u16,
    /// In the printed link and accepted as a bearer token.
    launch_token: Zeroizing<String>,
    /// The session cookie's value (never in a URL).
    session_secret: Zeroizing<String>,
    /// Put in every form and sent by the script as `X-CSRF-Token`.
    csrf_token: Zeroizing<String>,
    idle_override: Option<Duration>,
    /// The country in the locale Thaw was started in, for crisis lines when no country is set.
    locale_country: Option<String>,
    /// A one-time code for opening the browser (see [`AppState::take_open_code`]).
    open_code: Mutex<Option<(Zeroizing<String>, Instant)>>,
    session: Mutex<Session>,
    /// One unlock at a time: each Argon2id run holds 128 MiB.
    unlocking: tokio::sync::Mutex<()>,
}

struct Session {
    store: Option<Arc<dyn Store>>,
    last_seen: Instant,
    idle: Duration,
    /// Remembered after the first unlock so the crisis page can show the right lines while locked.
    country: Option<String>,
}

/// 256 random bits, URL-safe base64 without padding (43 characters).
fn random_token() -> Result<Zeroizing<String>, WebError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice())
        .map_err(|e| WebError::Startup(format!("the system random source failed: {e}")))?;
    Ok(Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes.as_slice())))
}

impl AppState {
    pub(crate) fn new(config: WebConfig, port: u16) -> Result<Self, WebError> {
        Ok(Self(Arc::new(Shared {
            vault: config.vault,
            tz: config.tz,
            port,
            launch_token: random_token()?,
            session_secret: random_token()?,
            csrf_token: random_token()?,
            idle_override: config.idle_override,
            locale_country: config.locale_country,
            open_code: Mutex::new(Some((random_token()?, Instant::now()))),
            session: Mutex::new(Session {
                store: None,
                last_seen: Instant::now(),
                idle: config.idle_override.unwrap_or(IdleLock::DEFAULT.as_duration()),
                country: None,
            }),
            unlocking: tokio::sync::Mutex::new(()),
        })))
    }

    pub(crate) fn port(&self) -> u16 {
        self.0.port
    }

    pub(crate) fn tz(&self) -> &jiff::tz::TimeZone {
        &self.0.tz
    }

    pub(crate) fn launch_url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.0.port, self.0.launch_token.as_str())
    }

    /// The link `thaw serve` hands to the browser. Not the launch token: a program's arguments can
    /// be read by other users of the machine, so the browser gets a code that works once, for two
    /// minutes; anyone reading it afterwards finds it spent.
    pub(crate) fn open_url(&self) -> Option<String> {
        let code = self.0.open_code.lock().unwrap_or_else(|p| p.into_inner());
        code.as_ref().map(|(c, _)| format!("http://127.0.0.1:{}/open/{}", self.0.port, c.as_str()))
    }

    /// Spends the one-time opening code, if `code` is it and it is fresh.
    pub(crate) fn take_open_code(&self, code: &str) -> bool {
        let mut slot = self.0.open_code.lock().unwrap_or_else(|p| p.into_inner());
        let ok = slot.as_ref().is_some_and(|(c, made)| {
            crate::security::same_secret(c.as_bytes(), code.as_bytes()) && made.elapsed() < OPEN_CODE_LIFETIME
        });
        if ok {
            *slot = None;
        }
        ok
    }

    pub(crate) fn launch_token(&self) -> &str {
        &self.0.launch_token
    }

    pub(crate) fn session_secret(&self) -> &str {
        &self.0.session_secret
    }

    pub(crate) fn csrf_token(&self) -> &str {
        &self.0.csrf_token
    }

    /// The cookie's name carries the port: browsers share cookies between ports of one host, and
    /// two Thaw servers must not overwrite each other's session.
    pub(crate) fn cookie_name(&self) -> String {
        format!("thaw_session_{}", self.0.port)
    }

    /// The Host header values we answer to.
    pub(crate) fn host_allowed(&self, host: &str) -> bool {
        let port = self.0.port;
        host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
    }

    /// The origins our own pages have.
    pub(crate) fn origin_allowed(&self, origin: &str) -> bool {
        let port = self.0.port;
        origin == format!("http://127.0.0.1:{port}") || origin == format!("http://localhost:{port}")
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // A panic while holding this lock leaves only plain values behind; keep going.
        self.0.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn is_unlocked(&self) -> bool {
        self.expire_if_idle();
        self.session().store.is_some()
    }

    pub(crate) fn idle(&self) -> Duration {
        self.session().idle
    }

    pub(crate) fn locale_country(&self) -> Option<&str> {
        self.0.locale_country.as_deref()
    }

    pub(crate) fn country(&self) -> Option<String> {
        self.session().country.clone()
    }

    /// Marks activity: the idle clock starts again.
    pub(crate) fn touch(&self) {
        self.expire_if_idle();
        self.session().last_seen = Instant::now();
    }

    /// Locks if the person has been away longer than their idle time. Returns whether it locked.
    pub(crate) fn expire_if_idle(&self) -> bool {
        let mut s = self.session();
        if s.store.is_some() && s.last_seen.elapsed() >= s.idle {
            s.store = None;
            return true;
        }
        false
    }

    /// Locks now: the store is dropped once the last in-flight request is done with it.
    pub(crate) fn lock(&self) {
        self.session().store = None;
    }

    /// The open store, or [`WebError::Locked`].
    pub(crate) fn store(&self) -> Result<Arc<dyn Store>, WebError> {
        self.expire_if_idle();
        self.session().store.clone().ok_or(WebError::Locked)
    }

    /// Runs `f` with the store on the blocking pool (SQLite and SQLCipher calls block).
    pub(crate) async fn with_store<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, WebError> + Send + 'static,
    {
        let store = self.store()?;
        tokio::task::spawn_blocking(move || f(&*store))
            .await
            .map_err(|e| WebError::Internal(format!("a background task failed: {e}")))?
    }

    /// Unlocks with the passphrase: Argon2id and opening the database run on the blocking pool,
    /// one attempt at a time. A wrong passphrase changes nothing.
    pub(crate) async fn unlock(&self, passphrase: Passphrase) -> Result<(), WebError> {
        let _one_at_a_time = self.0.unlocking.lock().await;
        let vault = self.0.vault.clone();
        if self.session().store.is_some() {
            // Already open: the passphrase is still checked, so a wrong one is never answered
            // with success. Nothing else changes.
            tokio::task::spawn_blocking(move || -> Result<(), WebError> {
                vault.load_keyfile()?.unlock(&passphrase)?;
                Ok(())
            })
            .await
            .map_err(|e| WebError::Internal(format!("a background task failed: {e}")))??;
            self.touch();
            return Ok(());
        }
        let opened = tokio::task::spawn_blocking(move || -> Result<_, WebError> {
            let keyfile = vault.load_keyfile()?;
            let key = keyfile.unlock(&passphrase)?;
            let store = vault.open(&key)?;
            let idle = IdleLock::from_setting(store.setting(IDLE_LOCK_MINUTES)?.as_ref());
            let country = store.setting(COUNTRY)?.and_then(|v| v.as_str().map(str::to_owned));
            Ok((store, idle, country))
        })
        .await
        .map_err(|e| WebError::Internal(format!("a background task failed: {e}")))??;
        let (store, idle, country) = opened;
        let mut s = self.session();
        s.store = Some(Arc::new(store));
        s.idle = self.0.idle_override.unwrap_or(idle.as_duration());
        s.country = country;
        s.last_seen = Instant::now();
        Ok(())
    }

    /// After the settings page saved new values.
    pub(crate) fn apply_settings(&self, idle: IdleLock, country: Option<String>) {
        let mut s = self.session();
        s.idle = self.0.idle_override.unwrap_or(idle.as_duration());
        s.country = country;
    }
}

/// Checks every few seconds whether the idle time has passed, so the key doesn't stay in memory
/// until the next request.
pub(crate) async fn lock_when_idle(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tick.tick().await;
        state.expire_if_idle();
    }
}
