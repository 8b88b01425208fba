//! `thaw host`: the same pages and API as `thaw serve`, for many people, over PostgreSQL
//! ([`thaw_store_pg`]). Accounts replace the vault's unlock and the launch link: signing in makes
//! a session (a random 256-bit secret, kept only as its SHA-256 in memory, sent back as a cookie
//! or a bearer token) whose store is that account's `PgStore`. Every handler keeps asking the
//! state for "the current session's store", exactly as for the local app.
//!
//! What guards the door (docs/HOSTED.md):
//! * growing waits after failed sign-ins, per account (whether or not it exists: the answer and
//!   the work are the same) and per client address;
//! * Argon2id work bounded by [`ArgonGate`]: a few at a time, a short queue, and `503` with
//!   `Retry-After` beyond it, so a flood of sign-ins can't take the server from people already
//!   signed in;
//! * sessions end at sign-out and after the idle time (the account's own setting, at most the
//!   server's), and their keys go with them;
//! * cookies `HttpOnly; SameSite=Strict; Path=/`, and `Secure` with the `__Host-` prefix over
//!   https (built-in TLS, or `X-Forwarded-Proto: https` from a proxy the operator vouches for);
//! * CSRF: our own origin, and a per-session token (before sign-in, one tied to a cookie of its
//!   own), as in the local app.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::connect_info::Connected;
use axum::http::HeaderMap;
use axum::serve::IncomingStream;
use sha2::{Digest, Sha256};
use thaw_core::settings::{COUNTRY, IDLE_LOCK_MINUTES, IdleLock};
use thaw_store::Store;
use thaw_store_pg::{AccountError, AccountSession, PgBackend};
use thaw_vault::Passphrase;
use tokio::net::TcpListener;
use zeroize::Zeroizing;

use crate::error::WebError;
use crate::state::{AppState, Backoff, BrowserSession, random_token};

/// Who may make an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signup {
    /// Anyone who reaches the server.
    Open,
    /// Only with a code from `thaw host invite` (single use, with an expiry).
    Invite,
    /// Nobody: accounts are made some other way, or not at all.
    Closed,
}

impl std::str::FromStr for Signup {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "open" => Ok(Signup::Open),
            "invite" => Ok(Signup::Invite),
            "closed" => Ok(Signup::Closed),
            other => Err(format!("\"{other}\" isn't a sign-up policy; use open, invite or closed")),
        }
    }
}

/// The certificate chain and private key for built-in TLS (PEM files).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// How `thaw host` runs.
#[derive(Debug, Clone)]
pub struct HostConfig {
    pub backend: PgBackend,
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    pub signup: Signup,
    /// Serve https with these; `None` serves plain http (on loopback, or behind a proxy).
    pub tls: Option<TlsFiles>,
    /// Trust `X-Forwarded-Proto` and `X-Forwarded-For` (set only behind a reverse proxy that
    /// overwrites them, or anyone could claim any address).
    pub behind_proxy: bool,
    /// The longest a signed-in session may stay quiet (an account may choose less on /settings).
    pub idle: Duration,
    /// Time zone for days and times on pages.
    pub tz: jiff::tz::TimeZone,
    /// Country for crisis lines when an account has none set.
    pub locale_country: Option<String>,
    /// Argon2id runs at once (default: half the cores, at least one, at most what memory allows
    /// at 128 MiB each).
    pub argon_slots: Option<usize>,
    /// Sign-ins that may wait for a slot before the server answers 503 (default 8 per slot).
    pub argon_queue: Option<usize>,
    /// Signed-in sessions kept at once; beyond it, the one quiet the longest ends.
    pub max_sessions: usize,
    /// Says something on the terminal (never a username, a token or anything written).
    pub warn: fn(&str),
    /// The on-device model behind the risk check and "words that might fit", loaded once on a
    /// thread of its own at start. By default it is looked for as `thaw serve` looks: in
    /// `$THAW_MODEL_DIR` when set, else beside the program (a hosted server has no vault folder).
    pub understanding: Arc<thaw_embed::Understanding>,
}

impl HostConfig {
    pub fn new(backend: PgBackend) -> Self {
        Self {
            backend,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            signup: Signup::Invite,
            tls: None,
            behind_proxy: false,
            idle: IdleLock::DEFAULT.as_duration(),
            tz: jiff::tz::TimeZone::system(),
            locale_country: None,
            argon_slots: None,
            argon_queue: None,
            max_sessions: 10_000,
            warn: |m| eprintln!("{m}"),
            understanding: Arc::new(thaw_embed::Understanding::find(None)),
        }
    }
}

/// What the guard learns about a request and hands to the account handlers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientInfo {
    /// Whether the browser sees https (cookies then get `Secure` and the `__Host-` prefix).
    pub https: bool,
    /// The client's address (from a trusted proxy's `X-Forwarded-For` when behind one); IPv6
    /// addresses are cut to their /64, since one person usually has a whole /64.
    pub address: Option<IpAddr>,
}

/// The peer address of a connection, for axum's `ConnectInfo`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddr(pub SocketAddr);

impl Connected<IncomingStream<'_, TcpListener>> for ClientAddr {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        ClientAddr(*stream.remote_addr())
    }
}

impl Connected<IncomingStream<'_, tls::TlsListener>> for ClientAddr {
    fn connect_info(stream: IncomingStream<'_, tls::TlsListener>) -> Self {
        ClientAddr(*stream.remote_addr())
    }
}

/// Bounds the Argon2id work (128 MiB and a core's worth of time each): `slots` at once, at most
/// `queue` more waiting, and a 503 with `Retry-After` for the rest.
pub(crate) struct ArgonGate {
    slots: Arc<tokio::sync::Semaphore>,
    total: usize,
    waiting: AtomicUsize,
    queue: usize,
}

/// How long a sign-in may wait for a slot before it is told to come back.
const GATE_WAIT: Duration = Duration::from_secs(20);
/// What a refused sign-in is told to wait.
const GATE_RETRY: Duration = Duration::from_secs(5);

impl ArgonGate {
    fn new(slots: usize, queue: usize) -> Self {
        Self {
            slots: Arc::new(tokio::sync::Semaphore::new(slots.max(1))),
            total: slots.max(1),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// Runs `work` (which does Argon2id) on the blocking pool when a slot is free. The slot is
    /// held by the work itself, so a client that goes away doesn't free it early.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        struct Leave<'a>(&'a AtomicUsize);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let before = self.waiting.fetch_add(1, Ordering::SeqCst);
        let leave = Leave(&self.waiting);
        if before >= self.queue + self.slots_total() {
            return Err(WebError::Busy(GATE_RETRY));
        }
        let permit = match tokio::time::timeout(GATE_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => return Err(WebError::Busy(GATE_RETRY)),
        };
        let done = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|e| WebError::Internal(format!("a background task failed: {e}")));
        drop(leave);
        done
    }

    fn slots_total(&self) -> usize {
        self.total
    }
}

/// The hosted half of the state.
pub(crate) struct Hosted {
    backend: PgBackend,
    pub(crate) signup: Signup,
    tls: bool,
    behind_proxy: bool,
    idle: Duration,
    max_sessions: usize,
    /// Signed-in sessions by the SHA-256 of their secret (the secret itself is not kept).
    sessions: Mutex<HashMap<[u8; 32], Arc<BrowserSession>>>,
    pub(crate) gate: ArgonGate,
    slots: usize,
    /// Failed sign-ins per account (by the SHA-256 of the name as typed, canonical when it can
    /// be: unknown names count just like real ones) and per client address.
    by_account: Mutex<HashMap<[u8; 32], Backoff>>,
    by_address: Mutex<HashMap<IpAddr, Backoff>>,
    /// Keys the CSRF token of forms shown before sign-in to a cookie of their own.
    form_key: Zeroizing<[u8; 32]>,
}

/// Entries remembered in each failure table before quiet ones are dropped.
const BACKOFF_TABLE_MAX: usize = 100_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Argon2id runs at once: half the cores (the rest stay free for everyone already signed in),
/// at least one, and no more than memory allows at 128 MiB each (with room to spare).
fn default_slots() -> usize {
    let cores = std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(1);
    let by_cpu = (cores / 2).max(1);
    let by_memory = available_memory_mib().map(|m| (m / 512).max(1) as usize).unwrap_or(by_cpu);
    by_cpu.min(by_memory).max(1)
}

fn available_memory_mib() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

impl Hosted {
    fn new(config: &HostConfig) -> Result<Self, WebError> {
        let slots = config.argon_slots.unwrap_or_else(default_slots).max(1);
        let queue = config.argon_queue.unwrap_or(slots * 8);
        let mut form_key = Zeroizing::new([0u8; 32]);
        getrandom::fill(form_key.as_mut_slice())
            .map_err(|e| WebError::Startup(format!("the system random source failed: {e}")))?;
        Ok(Self {
            backend: config.backend.clone(),
            signup: config.signup,
            tls: config.tls.is_some(),
            behind_proxy: config.behind_proxy,
            idle: config.idle.max(Duration::from_millis(100)),
            max_sessions: config.max_sessions.max(1),
            sessions: Mutex::new(HashMap::new()),
            gate: ArgonGate::new(slots, queue),
            slots,
            by_account: Mutex::new(HashMap::new()),
            by_address: Mutex::new(HashMap::new()),
            form_key,
        })
    }

    pub(crate) fn idle(&self) -> Duration {
        self.idle
    }

    pub(crate) fn clamp_idle(&self, chosen: Duration) -> Duration {
        chosen.min(self.idle)
    }

    /// Https as the browser sees it, and the client's address.
    pub(crate) fn client_info(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> ClientInfo {
        let forwarded = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let https = self.tls
            || (self.behind_proxy
                && forwarded("x-forwarded-proto")
                    .and_then(|v| v.split(',').next())
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")));
        let from_proxy = if self.behind_proxy {
            // The last entry is the one our proxy added; earlier ones the client could write.
            forwarded("x-forwarded-for")
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        } else {
            None
        };
        let address = from_proxy.or(peer.map(|p| p.ip())).map(group_address);
        ClientInfo { https, address }
    }

    /// The host the browser asked for (a trusted proxy's `X-Forwarded-Host`, else `Host`).
    pub(crate) fn request_host<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if self.behind_proxy
            && let Some(h) = get("x-forwarded-host")
        {
            return h.split(',').next().map(str::trim);
        }
        get("host")
    }

    /// The session whose secret this is, if it is still live. One that has been quiet too long
    /// ends here.
    pub(crate) fn find(&self, state: &AppState, secret: &str) -> Option<Arc<BrowserSession>> {
        let key = sha256(secret.as_bytes());
        let session = lock(&self.sessions).get(&key).cloned()?;
        (!self.end_if_over(state, &key, &session)).then_some(session)
    }

    /// Takes `session` (kept under `key`) out of the table if it has been quiet longer than its
    /// idle time (its keys go) or has no store any more; whether it did.
    fn end_if_over(&self, state: &AppState, key: &[u8; 32], session: &BrowserSession) -> bool {
        let over = state.expire_session_if_idle(session) || session.state().store.is_none();
        if over {
            lock(&self.sessions).remove(key);
        }
        over
    }

    /// The CSRF token for forms shown before sign-in: an HMAC of the browser's form cookie.
    pub(crate) fn form_token(&self, form_cookie: &str) -> Zeroizing<String> {
        use base64::Engine;
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.form_key.as_slice())
            .unwrap_or_else(|_| unreachable_hmac());
        mac.update(form_cookie.as_bytes());
        Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    fn insert(&self, secret: &str, session: Arc<BrowserSession>) {
        let mut sessions = lock(&self.sessions);
        if sessions.len() >= self.max_sessions
            && let Some(oldest) = sessions.iter().min_by_key(|(_, s)| s.state().last_seen).map(|(k, _)| *k)
            && let Some(gone) = sessions.remove(&oldest)
        {
            gone.lock();
        }
        sessions.insert(sha256(secret.as_bytes()), session);
    }

    /// Ends a session: out of the table, its store (and so its keys) dropped once the requests
    /// still using it finish.
    pub(crate) fn end_session(&self, session: &Arc<BrowserSession>) {
        lock(&self.sessions).retain(|_, s| !Arc::ptr_eq(s, session));
        session.lock();
    }

    /// Ends every session of `username` (after the account is deleted).
    fn end_sessions_of(&self, username: &str) {
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, s| {
            let mine = s.account.as_deref() == Some(username);
            if mine {
                s.lock();
            }
            !mine
        });
    }

    pub(crate) fn end_all_sessions(&self) {
        let mut sessions = lock(&self.sessions);
        for s in sessions.values() {
            s.lock();
        }
        sessions.clear();
    }

    /// Ends the sessions that have been quiet longer than their idle time; whether any did.
    pub(crate) fn end_idle_sessions(&self, state: &AppState) -> bool {
        let all: Vec<([u8; 32], Arc<BrowserSession>)> =
            lock(&self.sessions).iter().map(|(k, s)| (*k, s.clone())).collect();
        let mut ended = false;
        for (key, s) in all {
            ended |= self.end_if_over(state, &key, &s);
        }
        ended
    }

    fn account_key(username: &str) -> [u8; 32] {
        let name = thaw_store_pg::canonical_username(username)
            .unwrap_or_else(|_| username.trim().chars().take(80).collect::<String>().to_lowercase());
        sha256(name.as_bytes())
    }

    /// How long a sign-in for `username` from `client` must still wait, if at all.
    fn wait(&self, username: &str, client: &ClientInfo) -> Option<Duration> {
        let now = Instant::now();
        let own = lock(&self.by_account).get_mut(&Self::account_key(username)).and_then(|b| b.wait(now));
        let here = client.address.and_then(|a| lock(&self.by_address).get_mut(&a).and_then(|b| b.wait(now)));
        own.max(here)
    }

    fn failed(&self, username: &str, client: &ClientInfo) {
        let now = Instant::now();
        {
            let mut table = lock(&self.by_account);
            prune(&mut table, now);
            table.entry(Self::account_key(username)).or_default().failed(now);
        }
        if let Some(address) = client.address {
            let mut table = lock(&self.by_address);
            prune(&mut table, now);
            table.entry(address).or_insert_with(Backoff::per_address).failed(now);
        }
    }

    /// A right passphrase clears the account's count (not the address's: one's own account
    /// must not reset the count of guesses at others').
    fn succeeded(&self, username: &str) {
        lock(&self.by_account).remove(&Self::account_key(username));
    }
}

fn unreachable_hmac() -> ! {
    // HMAC-SHA256 takes a key of any length.
    panic!("HMAC refused a 32-byte key")
}

fn prune<K: std::hash::Hash + Eq + Copy>(table: &mut HashMap<K, Backoff>, now: Instant) {
    if table.len() >= BACKOFF_TABLE_MAX {
        table.retain(|_, b| !b.is_quiet(now));
        if table.len() >= BACKOFF_TABLE_MAX {
            table.clear();
        }
    }
}

/// IPv6 addresses by their /64 (one household or phone usually has a whole one).
fn group_address(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
        v4 => v4,
    }
}

impl From<AccountError> for WebError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::WrongCredentials => WebError::WrongCredentials,
            AccountError::UsernameTaken => WebError::Conflict(e.to_string()),
            AccountError::WrongRecoveryWords | AccountError::BadInvitation => {
                WebError::Forbidden(e.to_string())
            }
            AccountError::Store(s) => s.into(),
            other => WebError::BadInput(other.to_string()),
        }
    }
}

/// Thaw's one rule for a new passphrase (in `thaw-vault`), in the web's words. Checked before
/// any Argon2id work is queued.
pub(crate) fn check_new_passphrase(p: &Passphrase) -> Result<(), WebError> {
    p.check_new().map_err(|_| {
        WebError::BadInput(format!(
            "Please choose a passphrase of at least {} characters. A few ordinary words in a row work well.",
            thaw_vault::MIN_PASSPHRASE_CHARS
        ))
    })
}

/// A new session: its secret (for the cookie or the bearer token) and the session itself.
pub(crate) struct NewSession {
    pub secret: Zeroizing<String>,
    pub session: Arc<BrowserSession>,
}

impl NewSession {
    /// Minutes of quiet before it ends.
    pub(crate) fn idle_minutes(&self) -> u64 {
        self.session.state().idle.unwrap_or_default().as_secs().div_ceil(60)
    }
}

/// What signing in reads from the account before the session starts.
struct Opened {
    store: Arc<dyn Store>,
    username: String,
    idle: IdleLock,
    country: Option<String>,
}

fn open(backend: &PgBackend, account: &AccountSession) -> Result<Opened, WebError> {
    let store = backend.store_for(account);
    let idle = IdleLock::from_setting(store.setting(IDLE_LOCK_MINUTES)?.as_ref());
    let country = store.setting(COUNTRY)?.and_then(|v| v.as_str().map(str::to_owned));
    Ok(Opened { store: Arc::new(store), username: account.username().to_owned(), idle, country })
}

impl AppState {
    fn hosted_or_refuse(&self) -> Result<&Hosted, WebError> {
        self.hosted().ok_or_else(|| {
            WebError::Forbidden(
                "This Thaw runs on one computer with one vault, so it has no accounts. Accounts are on a \
                 server started with `thaw host`."
                    .into(),
            )
        })
    }

    fn start_session(&self, hosted: &Hosted, opened: Opened) -> Result<NewSession, WebError> {
        let secret = random_token()?;
        let session = Arc::new(BrowserSession::with(None, Some(random_token()?), Some(opened.username)));
        {
            let mut s = session.state();
            s.store = Some(opened.store);
            s.last_seen = Instant::now();
            s.idle = Some(hosted.clamp_idle(opened.idle.as_duration()));
            s.country = opened.country;
        }
        hosted.insert(&secret, session.clone());
        Ok(NewSession { secret, session })
    }

    /// A secret tried for `username` (a passphrase or the recovery words): waits out earlier
    /// failures first (the same for names that exist and names that don't), then runs `work`
    /// (one Argon2id run) through the gate. A wrong secret counts against the account and the
    /// address; a right one clears the account's count. Every door that checks a secret —
    /// sign-in, recovery, passphrase change, deletion, from the pages or the API — goes through
    /// here.
    async fn try_secret<T, F>(&self, client: &ClientInfo, username: &str, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&PgBackend) -> Result<T, WebError> + Send + 'static,
    {
        let hosted = self.hosted_or_refuse()?;
        if let Some(wait) = hosted.wait(username, client) {
            return Err(WebError::TooManyAttempts(wait));
        }
        let backend = hosted.backend.clone();
        match hosted.gate.run(move || work(&backend)).await? {
            Ok(v) => {
                hosted.succeeded(username);
                Ok(v)
            }
            // A wrong passphrase, or recovery words that don't open the account.
            Err(err @ (WebError::WrongCredentials | WebError::Forbidden(_))) => {
                hosted.failed(username, client);
                Err(err)
            }
            Err(other) => Err(other),
        }
    }

    /// Signs in: one Argon2id run, with the waits of [`AppState::try_secret`].
    pub(crate) async fn sign_in(
        &self,
        client: &ClientInfo,
        username: String,
        passphrase: Passphrase,
    ) -> Result<NewSession, WebError> {
        let name = username.clone();
        let opened = self
            .try_secret(client, &username, move |backend| {
                open(backend, &backend.sign_in(&name, &passphrase)?)
            })
            .await?;
        self.start_session(self.hosted_or_refuse()?, opened)
    }

    /// Makes an account under the server's sign-up policy; returns the new session and the
    /// recovery words, to show once.
    pub(crate) async fn sign_up(
        &self,
        client: &ClientInfo,
        username: String,
        passphrase: Passphrase,
        invitation: Option<String>,
    ) -> Result<(NewSession, Zeroizing<String>), WebError> {
        let hosted = self.hosted_or_refuse()?;
        let invitation = match hosted.signup {
            Signup::Closed => return Err(WebError::SignupClosed),
            Signup::Open => None,
            Signup::Invite => {
                let code = invitation.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
                let Some(code) = code else { return Err(WebError::InvitationNeeded) };
                Some(code)
            }
        };
        check_new_passphrase(&passphrase)?;
        // Invitation guesses count as failures from this address.
        if let Some(wait) = client
            .address
            .and_then(|a| lock(&hosted.by_address).get_mut(&a).and_then(|b| b.wait(Instant::now())))
        {
            return Err(WebError::TooManyAttempts(wait));
        }
        if let Some(code) = &invitation {
            let backend = hosted.backend.clone();
            let code = code.clone();
            let valid = tokio::task::spawn_blocking(move || backend.invitation_valid(&code))
                .await
                .map_err(|e| WebError::Internal(format!("a background task failed: {e}")))??;
            if !valid {
                hosted.failed("", client);
                return Err(AccountError::BadInvitation.into());
            }
        }
        let backend = hosted.backend.clone();
        let opened = hosted
            .gate
            .run(move || -> Result<(Opened, Zeroizing<String>), WebError> {
                let (account, recovery) =
                    backend.create_account_invited(&username, &passphrase, invitation.as_deref())?;
                let words = recovery.dangerously_expose_words();
                Ok((open(&backend, &account)?, words))
            })
            .await??;
        let (opened, words) = opened;
        Ok((self.start_session(hosted, opened)?, words))
    }

    /// Recovery words and a new passphrase: the account opens, the passphrase is replaced, and
    /// every other session of the account ends (whoever had the old passphrase is out).
    pub(crate) async fn recover(
        &self,
        client: &ClientInfo,
        username: String,
        words: Zeroizing<String>,
        new: Passphrase,
    ) -> Result<NewSession, WebError> {
        if username.trim().is_empty() || words.trim().is_empty() {
            return Err(WebError::BadInput("Please type your username and your 24 recovery words.".into()));
        }
        check_new_passphrase(&new)?;
        let name = username.clone();
        let opened = self
            .try_secret(client, &username, move |backend| {
                open(backend, &backend.recover(&name, &words, &new)?)
            })
            .await?;
        let hosted = self.hosted_or_refuse()?;
        hosted.end_sessions_of(&opened.username);
        self.start_session(hosted, opened)
    }

    /// The signed-in account's username.
    pub(crate) fn account_name(&self) -> Option<String> {
        self.current().account.clone()
    }

    /// Checks `passphrase` for the signed-in account (with the waits of signing in), then runs
    /// `then` with the backend on the blocking pool, through the gate.
    async fn with_passphrase<T, F>(
        &self,
        client: &ClientInfo,
        passphrase: Passphrase,
        then: F,
    ) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&PgBackend, &str, &Passphrase) -> Result<T, WebError> + Send + 'static,
    {
        let Some(username) = self.account_name() else { return Err(WebError::Locked) };
        let name = username.clone();
        self.try_secret(client, &username, move |backend| then(backend, &name, &passphrase)).await
    }

    /// A new passphrase for the signed-in account (the records stay as they are).
    pub(crate) async fn change_passphrase(
        &self,
        client: &ClientInfo,
        old: Passphrase,
        new: Passphrase,
    ) -> Result<(), WebError> {
        check_new_passphrase(&new)?;
        self.with_passphrase(client, old, move |backend, name, old| {
            Ok(backend.change_passphrase(name, old, &new)?)
        })
        .await
    }

    /// The signed-in account's records and settings as the JSON `thaw export` writes (thaw-app's
    /// one export flow), as a download named for the day.
    pub(crate) async fn export_account(&self) -> Result<axum::response::Response, WebError> {
        use axum::http::header;
        use axum::response::IntoResponse;
        self.hosted_or_refuse()?;
        let day = thaw_core::Timestamp::now().date_in(self.tz());
        let bytes = self
            .with_app(|app| {
                app.export()?
                    .write_json(Vec::new())
                    .map_err(|e| WebError::Internal(format!("the export failed: {e}")))
            })
            .await?;
        let disposition = format!("attachment; filename=\"thaw-export-{day}.json\"");
        Ok((
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response())
    }

    /// Deletes the signed-in account after checking its passphrase, and ends all its sessions.
    pub(crate) async fn delete_account(
        &self,
        client: &ClientInfo,
        passphrase: Passphrase,
    ) -> Result<(), WebError> {
        self.with_passphrase(client, passphrase, |backend, name, p| Ok(backend.delete_account(name, p)?))
            .await?;
        if let (Some(hosted), Some(name)) = (self.hosted(), self.account_name()) {
            hosted.end_sessions_of(&name);
        }
        Ok(())
    }
}

/// A bound, not yet running hosted server. Tests and benchmarks start one in-process:
///
/// ```no_run
/// # async fn f(backend: thaw_store_pg::PgBackend) -> Result<(), thaw_web::WebError> {
/// let mut config = thaw_web::HostConfig::new(backend);
/// config.signup = thaw_web::Signup::Open;
/// let server = thaw_web::HostServer::bind(config).await?;
/// println!("{}", server.url());
/// server.run(std::future::pending()).await
/// # }
/// ```
pub struct HostServer {
    listener: TcpListener,
    state: AppState,
    tls: Option<tokio_rustls::TlsAcceptor>,
    addr: SocketAddr,
}

impl HostServer {
    /// Reads the TLS files (when given) and binds the address.
    pub async fn bind(config: HostConfig) -> Result<HostServer, WebError> {
        let tls = match &config.tls {
            Some(files) => Some(tls::acceptor(files)?),
            None => None,
        };
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| WebError::Startup(format!("couldn't listen on {}: {e}", config.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| WebError::Startup(format!("couldn't read the address: {e}")))?;
        let hosted = Hosted::new(&config)?;
        crate::HOSTED_PROCESS.store(true, std::sync::atomic::Ordering::Relaxed);
        let state = AppState::new_hosted(
            hosted,
            config.tz.clone(),
            addr.port(),
            config.locale_country.clone(),
            config.warn,
            config.understanding.clone(),
        )?;
        state.load_understanding();
        Ok(HostServer { listener, state, tls, addr })
    }

    /// `https://ADDR:PORT` or `http://ADDR:PORT`: where it serves.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Argon2id runs allowed at once (as configured or worked out from the machine).
    pub fn argon_slots(&self) -> usize {
        self.state.hosted().map_or(1, |h| h.slots)
    }

    /// Serves until `shutdown` completes, then ends every session.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), WebError> {
        let state = self.state.clone();
        let idle = tokio::spawn(crate::state::lock_when_idle(state.clone()));
        let seen = state.busy_seen();
        let busy = tokio::spawn(crate::app::report_busy(state.clone(), seen.clone()));
        let app: Router = crate::router(state.clone());
        let service = app.into_make_service_with_connect_info::<ClientAddr>();
        let served = match self.tls {
            None => axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await,
            Some(acceptor) => {
                let (listener, accepting) = tls::TlsListener::start(self.listener, acceptor);
                let r = axum::serve(listener, service).with_graceful_shutdown(shutdown).await;
                accepting.abort();
                r
            }
        }
        .map_err(|e| WebError::Startup(format!("the server stopped: {e}")));
        idle.abort();
        busy.abort();
        state.tell_busy(&seen, "the last minute or less before it stopped");
        state.lock_all();
        served
    }
}

/// Runs `thaw host` on its own runtime until Ctrl-C or SIGTERM. `ready` gets the address once
/// it is bound.
pub fn host_blocking(config: HostConfig, ready: impl FnOnce(&str)) -> Result<(), WebError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| WebError::Startup(format!("couldn't start: {e}")))?;
    // The pool's synchronous `postgres` clients run a runtime of their own when they close, which
    // panics (and, in a destructor, aborts) inside this one: keep a handle on the pool so that its
    // last connections close after this runtime has stopped.
    let pool = config.backend.clone();
    let result = runtime.block_on(async move {
        let server = HostServer::bind(config).await?;
        ready(&server.url());
        server.run(crate::stop_signal()).await
    });
    drop(runtime);
    drop(pool);
    result
}

/// Paths of the API that answer before sign-in.
pub(crate) fn is_public_api(method: &axum::http::Method, path: &str) -> bool {
    use axum::http::Method;
    match path {
        "/api/v1/accounts" | "/api/v1/sessions" | "/api/v1/recovery" => method == Method::POST,
        "/api/v1/openapi.json" | "/api/v1/status" => method == Method::GET || method == Method::HEAD,
        _ => false,
    }
}

/// Pages that answer before sign-in (everything else sends the browser to sign in).
pub(crate) fn cookie_name(https: bool) -> &'static str {
    if https { "__Host-thaw_session" } else { "thaw_session" }
}

/// The cookie that ties the CSRF token of forms shown before sign-in to this browser.
pub(crate) fn form_cookie_name(https: bool) -> &'static str {
    if https { "__Host-thaw_form" } else { "thaw_form" }
}

/// `Set-Cookie` for `name`: host-only (no Domain), HttpOnly, SameSite=Strict, Path=/, and
/// `Secure` over https. An empty value clears it.
pub(crate) fn set_cookie(name: &str, value: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    let gone = if value.is_empty() { "; Max-Age=0" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/{secure}{gone}")
}

mod tls {
    //! Built-in TLS: rustls (ring), handshakes on their own tasks so a slow client never holds up
    //! the others.

    use std::net::SocketAddr;
    use std::sync::Arc;
    use std::time::Duration;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::mpsc;
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::server::TlsStream;

    use super::TlsFiles;
    use crate::error::WebError;

    const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

    pub(super) fn acceptor(files: &TlsFiles) -> Result<TlsAcceptor, WebError> {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| {
                WebError::Startup(format!("the certificate file {} can't be read: {e}", files.cert.display()))
            })?;
        if certs.is_empty() {
            return Err(WebError::Startup(format!(
                "the certificate file {} holds no certificate (PEM, BEGIN CERTIFICATE)",
                files.cert.display()
            )));
        }
        let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| {
            WebError::Startup(format!(
                "the key file {} can't be read (PEM private key): {e}",
                files.key.display()
            ))
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| WebError::Startup(format!("TLS: {e}")))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| WebError::Startup(format!("the certificate and key don't work together: {e}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }

    /// Accepted connections, after their handshake.
    pub(crate) struct TlsListener {
        ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
        local: SocketAddr,
    }

    impl TlsListener {
        pub(super) fn start(
            listener: TcpListener,
            acceptor: TlsAcceptor,
        ) -> (Self, tokio::task::JoinHandle<()>) {
            let local = listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
            let (tx, ready) = mpsc::channel(64);
            let accepting = tokio::spawn(async move {
                loop {
                    let (stream, peer) = match listener.accept().await {
                        Ok(pair) => pair,
                        Err(_) => {
                            // Out of file descriptors and the like: wait a moment.
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let acceptor = acceptor.clone();
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        if let Ok(Ok(tls)) =
                            tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                        {
                            let _ = tx.send((tls, peer)).await;
                        }
                    });
                }
            });
            (Self { ready, local }, accepting)
        }
    }

    impl axum::serve::Listener for TlsListener {
        type Io = TlsStream<TcpStream>;
        type Addr = SocketAddr;

        async fn accept(&mut self) -> (Self::Io, Self::Addr) {
            match self.ready.recv().await {
                Some(pair) => pair,
                // The accepting task ended (only when the server stops): wait for shutdown.
                None => std::future::pending().await,
            }
        }

        fn local_addr(&self) -> std::io::Result<Self::Addr> {
            Ok(self.local)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_group_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap_or(IpAddr::V4([0, 0, 0, 0].into()));
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap_or(IpAddr::V4([0, 0, 0, 0].into()));
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap_or(IpAddr::V4([0, 0, 0, 0].into()));
        assert_eq!(group_address(a), group_address(b));
        assert_ne!(group_address(a), group_address(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap_or(IpAddr::V4([0, 0, 0, 0].into()));
        assert_eq!(group_address(mapped), IpAddr::V4([192, 0, 2, 7].into()));
    }

    /// A flood of sign-ins: one runs, one waits, the rest are told to come back (503), and the
    /// ones let in still finish.
    #[test]
    fn the_argon_gate_refuses_beyond_its_queue() {
        let rt =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
        rt.block_on(async {
            let gate = Arc::new(ArgonGate::new(1, 1));
            let (release, held) = std::sync::mpsc::channel::<()>();
            let g = gate.clone();
            let first = tokio::spawn(async move {
                g.run(move || {
                    let _ = held.recv();
                    1
                })
                .await
            });
            tokio::time::sleep(Duration::from_millis(100)).await;
            let g = gate.clone();
            let second = tokio::spawn(async move { g.run(|| 2).await });
            tokio::time::sleep(Duration::from_millis(100)).await;
            let third = gate.run(|| 3).await;
            assert!(matches!(third, Err(WebError::Busy(_))), "{third:?}");
            release.send(()).expect("release");
            assert_eq!(first.await.expect("join").expect("ran"), 1);
            assert_eq!(second.await.expect("join").expect("ran"), 2);
            // With room again, work goes through.
            assert_eq!(gate.run(|| 4).await.expect("ran"), 4);
        });
    }

    #[test]
    fn signup_policies_parse() {
        assert_eq!("open".parse::<Signup>(), Ok(Signup::Open));
        assert_eq!(" Invite ".parse::<Signup>(), Ok(Signup::Invite));
        assert_eq!("closed".parse::<Signup>(), Ok(Signup::Closed));
        assert!("maybe".parse::<Signup>().is_err());
    }

    #[test]
    fn cookies_are_secure_over_https_only() {
        assert_eq!(cookie_name(true), "__Host-thaw_session");
        let c = set_cookie(cookie_name(true), "x", true);
        assert!(
            c.contains("Secure")
                && c.contains("HttpOnly")
                && c.contains("SameSite=Strict")
                && c.contains("Path=/")
        );
        assert!(!c.contains("Domain"));
        assert!(!set_cookie(cookie_name(false), "x", false).contains("Secure"));
    }
}
