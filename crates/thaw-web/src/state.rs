//! What the server holds between requests: this launch's secrets, and the vault while it is
//! unlocked. Locking drops the store (closing the SQLCipher connection, which wipes its key).
//!
//! In hosted mode (`thaw host`, [`crate::hosted`]) the same state holds accounts' sessions
//! instead: each signed-in browser or bearer token is a [`BrowserSession`] whose store is that
//! account's `PgStore`, so every handler still asks for "the current session's store".

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine;
use thaw_core::settings::{COUNTRY, IDLE_LOCK_MINUTES, IdleLock};
use thaw_store::{Store, VaultDir};
use thaw_vault::Passphrase;
use zeroize::Zeroizing;

use crate::WebConfig;
use crate::error::WebError;

/// How long a browser-opening code works.
const OPEN_CODE_LIFETIME: Duration = Duration::from_secs(120);
/// Browser sessions kept at once; a new one beyond this replaces the one quiet the longest.
const MAX_SESSIONS: usize = 16;
/// Opening codes remembered at once (fresh ones and spent ones, so a second use is noticed).
const MAX_OPEN_CODES: usize = 32;

tokio::task_local! {
    /// The session the request being handled belongs to (set by the security guard).
    static CURRENT: Arc<BrowserSession>;
}

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

pub(crate) struct Shared {
    /// The vault (`thaw serve`); `None` in hosted mode.
    vault: Option<VaultDir>,
    /// Accounts, sessions and their limits (`thaw host`); `None` for the local app.
    pub(crate) hosted: Option<crate::hosted::Hosted>,
    tz: jiff::tz::TimeZone,
    port: u16,
    /// This launch's own host name, `t-<32 hex digits>.localhost`: the only name the session
    /// cookie is set for, so the browser never sends it to another server on this machine.
    host: String,
    /// In the printed link and accepted as a bearer token.
    launch_token: Zeroizing<String>,
    /// Put in every form and sent by the script as `X-CSRF-Token`.
    csrf_token: Zeroizing<String>,
    idle_override: Option<Duration>,
    /// The country in the locale Thaw was started in, for crisis lines when no country is set.
    locale_country: Option<String>,
    /// One-time codes for opening the browser (see [`AppState::take_open_code`]).
    open_codes: Mutex<Vec<OpenCode>>,
    /// Each browser that arrived with the link or a code has its own session and its own lock.
    sessions: Mutex<Vec<Arc<BrowserSession>>>,
    /// Scripts with the bearer token share one session.
    api_session: Arc<BrowserSession>,
    vault_wide: Mutex<VaultWide>,
    /// Wrong passphrases from every session together (a second, gentler brake).
    global_backoff: Mutex<Backoff>,
    /// One unlock at a time: each Argon2id run holds 128 MiB.
    unlocking: tokio::sync::Mutex<()>,
    /// Says something on the terminal `thaw serve` runs in (no secrets, no user text).
    warn: fn(&str),
    /// The risk check and word suggestions over the on-device model (loaded once, at start).
    understanding: Arc<thaw_embed::Understanding>,
}

/// Settings of the vault that every session shares.
struct VaultWide {
    idle: Duration,
    /// Remembered after the first unlock so the crisis page can show the right lines while locked.
    country: Option<String>,
}

struct OpenCode {
    code: Zeroizing<String>,
    made: Instant,
    /// The session it opened, once spent.
    spent_by: Option<Arc<BrowserSession>>,
    spent: bool,
}

/// What became of an opening code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeUse {
    /// Fresh: it is spent now.
    Fresh,
    /// Already spent: someone else has seen it. The session it opened is closed.
    Reused,
    /// Not ours, or too old.
    Unknown,
}

/// One browser's session: its cookie secret, and the vault if that browser unlocked it.
pub(crate) struct BrowserSession {
    /// The cookie's value (never in a URL); `None` for the bearer-token session and for hosted
    /// sessions (whose secret the server keeps only hashed, as the key of its session map).
    secret: Option<Zeroizing<String>>,
    /// Hosted mode: this session's own CSRF token (the local app has one per launch).
    pub(crate) csrf: Option<Zeroizing<String>>,
    /// Hosted mode: the signed-in account's canonical username (kept for passphrase changes,
    /// deletion and the export's file name; never logged).
    pub(crate) account: Option<String>,
    inner: Mutex<SessionState>,
}

pub(crate) struct SessionState {
    pub(crate) store: Option<Arc<dyn Store>>,
    pub(crate) last_seen: Instant,
    backoff: Backoff,
    /// Hosted mode: this account's idle time and country (the local app keeps them vault-wide).
    pub(crate) idle: Option<Duration>,
    pub(crate) country: Option<String>,
    /// Hosted mode: a new account's recovery words, between the sign-up and the page that shows
    /// them once (which takes them).
    pub(crate) recovery_words: Option<Zeroizing<String>>,
}

impl BrowserSession {
    fn new(secret: Option<Zeroizing<String>>) -> Self {
        Self::with(secret, None, None)
    }

    pub(crate) fn with(
        secret: Option<Zeroizing<String>>,
        csrf: Option<Zeroizing<String>>,
        account: Option<String>,
    ) -> Self {
        Self {
            secret,
            csrf,
            account,
            inner: Mutex::new(SessionState {
                store: None,
                last_seen: Instant::now(),
                backoff: Backoff::default(),
                idle: None,
                country: None,
                recovery_words: None,
            }),
        }
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, SessionState> {
        // A panic while holding this lock leaves only plain values behind; keep going.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn secret(&self) -> &str {
        self.secret.as_deref().map_or("", String::as_str)
    }

    pub(crate) fn lock(&self) {
        let mut s = self.state();
        s.store = None;
        s.recovery_words = None;
    }
}

/// Growing waits after wrong passphrases: a few tries are free, then 1 s, 2 s, 4 s … up to a cap,
/// and everything is forgotten after a quiet while, so nobody is kept out for long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    failures: u32,
    last: Option<Instant>,
    free: u32,
    cap: Duration,
}

/// Wrong passphrases are forgotten this long after the last one.
const FORGET_FAILURES: Duration = Duration::from_secs(10 * 60);

impl Default for Backoff {
    fn default() -> Self {
        Self { failures: 0, last: None, free: 3, cap: Duration::from_secs(60) }
    }
}

impl Backoff {
    fn global() -> Self {
        Self { free: 10, cap: Duration::from_secs(10), ..Self::default() }
    }

    /// For one client address (hosted mode): a few more free tries, since people behind one
    /// network address share it.
    pub(crate) fn per_address() -> Self {
        Self { free: 10, ..Self::default() }
    }

    /// Whether this holds nothing worth remembering any more.
    pub(crate) fn is_quiet(&self, now: Instant) -> bool {
        self.last.is_none_or(|t| now.duration_since(t) >= FORGET_FAILURES)
    }

    fn forget_if_quiet(&mut self, now: Instant) {
        if self.last.is_some_and(|t| now.duration_since(t) >= FORGET_FAILURES) {
            self.failures = 0;
            self.last = None;
        }
    }

    /// How long the next try must still wait, if at all.
    pub(crate) fn wait(&mut self, now: Instant) -> Option<Duration> {
        self.forget_if_quiet(now);
        let last = self.last?;
        if self.failures < self.free {
            return None;
        }
        let steps = (self.failures - self.free).min(16);
        let delay = Duration::from_secs(1u64 << steps).min(self.cap);
        delay.checked_sub(now.duration_since(last)).filter(|d| !d.is_zero())
    }

    pub(crate) fn failed(&mut self, now: Instant) {
        self.forget_if_quiet(now);
        self.failures = self.failures.saturating_add(1);
        self.last = Some(now);
    }

    pub(crate) fn succeeded(&mut self) {
        self.failures = 0;
        self.last = None;
    }
}

/// 256 random bits, URL-safe base64 without padding (43 characters).
pub(crate) fn random_token() -> Result<Zeroizing<String>, WebError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut_slice())
        .map_err(|e| WebError::Startup(format!("the system random source failed: {e}")))?;
    Ok(Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes.as_slice())))
}

/// `t-` and 128 random bits in lowercase hex (host names are case-insensitive), under `.localhost`,
/// which browsers resolve to this machine without asking DNS.
fn random_host() -> Result<String, WebError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| WebError::Startup(format!("the system random source failed: {e}")))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("t-{hex}.localhost"))
}

/// Where a request came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HostKind {
    /// This launch's own host name: pages, cookies, everything.
    App,
    /// `127.0.0.1` or `localhost`: the printed link (which moves the browser on to the app's host
    /// name), bearer-token scripts and the public assets. No cookie is ever set or read here.
    Loopback,
}

impl AppState {
    pub(crate) fn new(config: WebConfig, port: u16) -> Result<Self, WebError> {
        let first_code =
            OpenCode { code: random_token()?, made: Instant::now(), spent_by: None, spent: false };
        Ok(Self(Arc::new(Shared {
            vault: Some(config.vault),
            hosted: None,
            tz: config.tz,
            port,
            host: random_host()?,
            launch_token: random_token()?,
            csrf_token: random_token()?,
            idle_override: config.idle_override,
            locale_country: config.locale_country,
            open_codes: Mutex::new(vec![first_code]),
            sessions: Mutex::new(Vec::new()),
            api_session: Arc::new(BrowserSession::new(None)),
            vault_wide: Mutex::new(VaultWide {
                idle: config.idle_override.unwrap_or(IdleLock::DEFAULT.as_duration()),
                country: None,
            }),
            global_backoff: Mutex::new(Backoff::global()),
            unlocking: tokio::sync::Mutex::new(()),
            warn: config.warn,
            understanding: config.understanding,
        })))
    }

    /// The state of a hosted server (`thaw host`): no vault, no launch link; accounts instead.
    pub(crate) fn new_hosted(
        hosted: crate::hosted::Hosted,
        tz: jiff::tz::TimeZone,
        port: u16,
        locale_country: Option<String>,
        warn: fn(&str),
        understanding: Arc<thaw_embed::Understanding>,
    ) -> Result<Self, WebError> {
        let idle = hosted.idle();
        Ok(Self(Arc::new(Shared {
            vault: None,
            hosted: Some(hosted),
            tz,
            port,
            host: String::new(),
            launch_token: random_token()?,
            csrf_token: random_token()?,
            idle_override: None,
            locale_country,
            open_codes: Mutex::new(Vec::new()),
            sessions: Mutex::new(Vec::new()),
            api_session: Arc::new(BrowserSession::new(None)),
            vault_wide: Mutex::new(VaultWide { idle, country: None }),
            global_backoff: Mutex::new(Backoff::global()),
            unlocking: tokio::sync::Mutex::new(()),
            warn,
            understanding,
        })))
    }

    /// The hosted part of the state, in hosted mode.
    pub(crate) fn hosted(&self) -> Option<&crate::hosted::Hosted> {
        self.0.hosted.as_ref()
    }

    pub(crate) fn is_hosted(&self) -> bool {
        self.0.hosted.is_some()
    }

    pub(crate) fn understanding(&self) -> &Arc<thaw_embed::Understanding> {
        &self.0.understanding
    }

    pub(crate) fn warn(&self, message: &str) {
        (self.0.warn)(message);
    }

    pub(crate) fn port(&self) -> u16 {
        self.0.port
    }

    pub(crate) fn tz(&self) -> &jiff::tz::TimeZone {
        &self.0.tz
    }

    /// `http://t-….localhost:PORT`: where pages are served.
    pub(crate) fn app_origin(&self) -> String {
        format!("http://{}:{}", self.0.host, self.0.port)
    }

    pub(crate) fn launch_url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.0.port, self.0.launch_token.as_str())
    }

    /// The link `thaw serve` hands to the browser (through a private launch file). Not the launch
    /// token: the browser gets a code that works once, for two minutes; anyone reading it
    /// afterwards finds it spent, and a second use closes the session it opened.
    pub(crate) fn open_url(&self) -> Option<String> {
        let codes = self.open_codes();
        codes.first().filter(|c| !c.spent).map(|c| format!("{}/open/{}", self.app_origin(), c.code.as_str()))
    }

    fn open_codes(&self) -> MutexGuard<'_, Vec<OpenCode>> {
        self.0.open_codes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new one-time code, for moving a browser from the printed link to the app's host name.
    pub(crate) fn new_open_code(&self) -> Result<String, WebError> {
        let code = random_token()?;
        let text = code.as_str().to_owned();
        let mut codes = self.open_codes();
        codes.retain(|c| c.made.elapsed() < OPEN_CODE_LIFETIME * 30);
        if codes.len() >= MAX_OPEN_CODES {
            codes.remove(0);
        }
        codes.push(OpenCode { code, made: Instant::now(), spent_by: None, spent: false });
        Ok(text)
    }

    /// Spends an opening code. A code that comes back after it was spent means someone else has
    /// it: the session it opened is closed, and the terminal is told.
    pub(crate) fn take_open_code(&self, code: &str) -> CodeUse {
        let mut codes = self.open_codes();
        let Some(found) =
            codes.iter_mut().find(|c| crate::security::same_secret(c.code.as_bytes(), code.as_bytes()))
        else {
            return CodeUse::Unknown;
        };
        if found.spent {
            let opened = found.spent_by.take();
            drop(codes);
            if let Some(session) = opened {
                self.revoke(&session);
            }
            (self.0.warn)(
                "thaw serve: a one-time opening link was used a second time. Someone else may have seen it, so \
                 Thaw closed the browser session it had opened. Open the link printed above again to go on.",
            );
            return CodeUse::Reused;
        }
        if found.made.elapsed() >= OPEN_CODE_LIFETIME {
            return CodeUse::Unknown;
        }
        found.spent = true;
        CodeUse::Fresh
    }

    /// Records which session a spent code opened, so a second use can close it.
    pub(crate) fn note_code_opened(&self, code: &str, session: &Arc<BrowserSession>) {
        let mut codes = self.open_codes();
        if let Some(found) =
            codes.iter_mut().find(|c| crate::security::same_secret(c.code.as_bytes(), code.as_bytes()))
        {
            found.spent_by = Some(session.clone());
        }
    }

    pub(crate) fn launch_token(&self) -> &str {
        &self.0.launch_token
    }

    /// The CSRF token forms carry: the launch's (local), or the current session's (hosted).
    pub(crate) fn csrf_token(&self) -> String {
        match CURRENT.try_with(|s| s.csrf.as_ref().map(|c| c.as_str().to_owned())) {
            Ok(Some(own)) => own,
            _ => self.0.csrf_token.as_str().to_owned(),
        }
    }

    /// The port is in the name so that two Thaw servers never overwrite each other's cookie.
    pub(crate) fn cookie_name(&self) -> String {
        format!("thaw_session_{}", self.0.port)
    }

    /// Which of our names a Host header uses, if any (anything else is refused: DNS rebinding).
    pub(crate) fn host_kind(&self, host: &str) -> Option<HostKind> {
        let port = self.0.port;
        let host = host.to_ascii_lowercase();
        if host == format!("{}:{port}", self.0.host) {
            Some(HostKind::App)
        } else if host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}") {
            Some(HostKind::Loopback)
        } else {
            None
        }
    }

    /// The origins our own pages (and bearer-token scripts on loopback) have.
    pub(crate) fn origin_allowed(&self, origin: &str) -> bool {
        let port = self.0.port;
        let origin = origin.to_ascii_lowercase();
        origin == self.app_origin()
            || origin == format!("http://127.0.0.1:{port}")
            || origin == format!("http://localhost:{port}")
    }

    fn sessions(&self) -> MutexGuard<'_, Vec<Arc<BrowserSession>>> {
        self.0.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new browser session (the caller sets its cookie).
    pub(crate) fn new_session(&self) -> Result<Arc<BrowserSession>, WebError> {
        let session = Arc::new(BrowserSession::new(Some(random_token()?)));
        let mut sessions = self.sessions();
        if sessions.len() >= MAX_SESSIONS {
            // Replace the one quiet the longest (its vault, if open, locks).
            if let Some((i, _)) = sessions.iter().enumerate().min_by_key(|(_, s)| s.state().last_seen) {
                sessions.remove(i).lock();
            }
        }
        sessions.push(session.clone());
        Ok(session)
    }

    /// The browser session whose cookie this is.
    pub(crate) fn session_for_cookie(&self, value: &str) -> Option<Arc<BrowserSession>> {
        let sessions = self.sessions();
        // Compare with every session, whatever matches, so timing tells nothing.
        let mut found = None;
        for s in sessions.iter() {
            if crate::security::same_secret(s.secret().as_bytes(), value.as_bytes()) {
                found = Some(s.clone());
            }
        }
        found
    }

    pub(crate) fn api_session(&self) -> Arc<BrowserSession> {
        self.0.api_session.clone()
    }

    /// Closes a session for good: its vault locks and its cookie stops working.
    fn revoke(&self, session: &Arc<BrowserSession>) {
        session.lock();
        self.sessions().retain(|s| !Arc::ptr_eq(s, session));
    }

    /// Runs `fut` (a request) as `session`'s.
    pub(crate) async fn in_session<F: std::future::Future>(
        session: Arc<BrowserSession>,
        fut: F,
    ) -> F::Output {
        CURRENT.scope(session, fut).await
    }

    /// The session of the request being handled. Outside a request (which the guard never lets
    /// through), a session of its own that is always locked.
    pub(crate) fn current(&self) -> Arc<BrowserSession> {
        CURRENT.try_with(Arc::clone).unwrap_or_else(|_| Arc::new(BrowserSession::new(None)))
    }

    fn vault_wide(&self) -> MutexGuard<'_, VaultWide> {
        self.0.vault_wide.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn is_unlocked(&self) -> bool {
        let current = self.current();
        self.expire_session_if_idle(&current);
        current.state().store.is_some()
    }

    pub(crate) fn idle(&self) -> Duration {
        if self.is_hosted() {
            let own = self.current().state().idle;
            return own.unwrap_or_else(|| self.vault_wide().idle);
        }
        self.vault_wide().idle
    }

    pub(crate) fn locale_country(&self) -> Option<&str> {
        self.0.locale_country.as_deref()
    }

    pub(crate) fn country(&self) -> Option<String> {
        if self.is_hosted() {
            return self.current().state().country.clone();
        }
        self.vault_wide().country.clone()
    }

    /// Marks activity in this session: its idle clock starts again.
    pub(crate) fn touch(&self) {
        let current = self.current();
        self.expire_session_if_idle(&current);
        current.state().last_seen = Instant::now();
    }

    pub(crate) fn expire_session_if_idle(&self, session: &BrowserSession) -> bool {
        let mut s = session.state();
        let idle =
            if self.is_hosted() { s.idle.unwrap_or_else(|| self.vault_wide().idle) } else { self.idle() };
        if s.store.is_some() && s.last_seen.elapsed() >= idle {
            s.store = None;
            return true;
        }
        false
    }

    /// Locks every session whose person has been away longer than their idle time. Returns
    /// whether any locked.
    pub(crate) fn expire_if_idle(&self) -> bool {
        if let Some(hosted) = self.hosted() {
            return hosted.end_idle_sessions(self);
        }
        let mut all: Vec<Arc<BrowserSession>> = self.sessions().clone();
        all.push(self.0.api_session.clone());
        let mut locked = false;
        for s in &all {
            locked |= self.expire_session_if_idle(s);
        }
        locked
    }

    /// Locks this session now: the store is dropped once the last in-flight request is done
    /// with it. Other browsers' sessions are their own.
    pub(crate) fn lock(&self) {
        let current = self.current();
        if let Some(hosted) = self.hosted() {
            // Hosted: locking is signing out; the session (and its keys) go.
            hosted.end_session(&current);
        }
        current.lock();
    }

    /// Locks every session (when the server stops).
    pub(crate) fn lock_all(&self) {
        if let Some(hosted) = self.hosted() {
            hosted.end_all_sessions();
        }
        for s in self.sessions().iter() {
            s.lock();
        }
        self.0.api_session.lock();
    }

    /// The store `session` has open, or [`WebError::Locked`].
    fn store_of(&self, session: &BrowserSession) -> Result<Arc<dyn Store>, WebError> {
        self.expire_session_if_idle(session);
        session.state().store.clone().ok_or(WebError::Locked)
    }

    /// Runs `f` with the store on the blocking pool (SQLite and SQLCipher calls block).
    pub(crate) async fn with_store<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, WebError> + Send + 'static,
    {
        let session = self.current();
        let store = self.store_of(&session)?;
        // The on-device model's kept sentence vectors are this account's alone (hosted mode).
        let account = session.account.clone();
        tokio::task::spawn_blocking(move || thaw_embed::with_cache_scope(account.as_deref(), || f(&*store)))
            .await
            .map_err(|e| WebError::Internal(format!("a background task failed: {e}")))?
    }

    /// How long this session must still wait before the next passphrase is tried, if at all.
    fn unlock_wait(&self, session: &BrowserSession) -> Option<Duration> {
        let now = Instant::now();
        let own = session.state().backoff.wait(now);
        let global = self.0.global_backoff.lock().unwrap_or_else(|p| p.into_inner()).wait(now);
        own.max(global)
    }

    fn unlock_failed(&self, session: &BrowserSession) {
        let now = Instant::now();
        session.state().backoff.failed(now);
        self.0.global_backoff.lock().unwrap_or_else(|p| p.into_inner()).failed(now);
    }

    fn unlock_succeeded(&self, session: &BrowserSession) {
        session.state().backoff.succeeded();
        self.0.global_backoff.lock().unwrap_or_else(|p| p.into_inner()).succeeded();
    }

    /// Unlocks this session with the passphrase: Argon2id and opening the database run on the
    /// blocking pool, one attempt at a time. A wrong passphrase changes nothing but makes the next
    /// try wait a little longer ([`WebError::TooManyAttempts`] until then).
    pub(crate) async fn unlock(&self, passphrase: Passphrase) -> Result<(), WebError> {
        let Some(vault) = self.0.vault.clone() else {
            drop(passphrase);
            return Err(WebError::BadInput(
                "This Thaw has accounts: sign in with your username and passphrase (POST /api/v1/sessions, or the sign-in page)."
                    .into(),
            ));
        };
        let session = self.current();
        if let Some(wait) = self.unlock_wait(&session) {
            return Err(WebError::TooManyAttempts(wait));
        }
        let _one_at_a_time = self.0.unlocking.lock().await;
        // Another try may have failed while this one waited its turn.
        if let Some(wait) = self.unlock_wait(&session) {
            return Err(WebError::TooManyAttempts(wait));
        }
        let already_open = session.state().store.is_some();
        let result = if already_open {
            // Already open: the passphrase is still checked, so a wrong one is never answered
            // with success. Nothing else changes.
            tokio::task::spawn_blocking(move || -> Result<_, WebError> {
                vault.load_keyfile()?.unlock(&passphrase)?;
                Ok(None)
            })
            .await
        } else {
            tokio::task::spawn_blocking(move || -> Result<_, WebError> {
                // A key change (`thaw rekey`) that was interrupted is finished or undone first.
                vault.settle_interrupted_rekey(&passphrase)?;
                let keyfile = vault.load_keyfile()?;
                let key = keyfile.unlock(&passphrase)?;
                let store = vault.open(&key)?;
                let idle = IdleLock::from_setting(store.setting(IDLE_LOCK_MINUTES)?.as_ref());
                let country = store.setting(COUNTRY)?.and_then(|v| v.as_str().map(str::to_owned));
                Ok(Some((store, idle, country)))
            })
            .await
        };
        let opened = match result.map_err(|e| WebError::Internal(format!("a background task failed: {e}")))? {
            Ok(opened) => opened,
            Err(err) => {
                if matches!(err, WebError::WrongPassphrase) {
                    self.unlock_failed(&session);
                }
                return Err(err);
            }
        };
        self.unlock_succeeded(&session);
        match opened {
            None => self.touch(),
            Some((store, idle, country)) => {
                self.apply_settings(idle, country);
                let mut s = session.state();
                s.store = Some(Arc::new(store));
                s.last_seen = Instant::now();
            }
        }
        Ok(())
    }

    /// After the settings page saved new values (they hold for every session).
    pub(crate) fn apply_settings(&self, idle: IdleLock, country: Option<String>) {
        if let Some(hosted) = self.hosted() {
            let current = self.current();
            let mut s = current.state();
            s.idle = Some(hosted.clamp_idle(idle.as_duration()));
            s.country = country;
            return;
        }
        let mut v = self.vault_wide();
        v.idle = self.0.idle_override.unwrap_or(idle.as_duration());
        v.country = country;
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
