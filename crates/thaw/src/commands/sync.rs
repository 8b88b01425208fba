//! `thaw sync`: keeps this vault and a hosted account in step (docs/SYNC.md). The engine is
//! thaw-app's; this is the edge: the server address and name, the passphrase (prompt or
//! THAW_SYNC_PASSPHRASE, never argv), and a small blocking HTTP client for the API.

use std::time::Duration;

use anyhow::Result;
use serde::Serialize;
use serde::de::DeserializeOwned;
use thaw_app::sync::{ChangesPage, PushReply, PushRequest, Remote, RemoteError, SyncError};
use thaw_store::Cursor;
use thaw_vault::Passphrase;

use super::Ctx;
use crate::cli::SyncArgs;
use crate::exit::{self, fail};
use crate::session::{self, SYNC_PASSPHRASE_ENV, SYNC_TOKEN_ENV};
use crate::{output, prompt};

/// A whole page of long journal entries fits; anything bigger is not a Thaw server's answer.
const MAX_ANSWER: u64 = 64 * 1024 * 1024;

pub fn run(ctx: &Ctx, args: &SyncArgs) -> Result<()> {
    let store = ctx.open()?;
    let app = ctx.app(&*store);
    let remembered = app.sync_state()?;
    let server = match (&args.server, &remembered) {
        (Some(s), _) => server_url(s)?,
        (None, Some(state)) => state.server.clone(),
        (None, None) => {
            return Err(exit::bad_input(
                "Tell Thaw where to sync the first time: thaw sync --server URL --username NAME. After that, `thaw sync` is enough.",
            ));
        }
    };
    let token = session::env_secret(SYNC_TOKEN_ENV);
    let username = match (&args.username, &remembered) {
        (Some(u), _) => u.trim().to_owned(),
        (None, Some(state)) if state.server == server => state.username.clone(),
        // A `thaw serve` reached with its launch token has no accounts.
        (None, _) if token.is_some() => String::new(),
        (None, _) => {
            return Err(exit::bad_input("Add --username NAME: the name of your account on that server."));
        }
    };
    let mut remote = HttpRemote::new(&server)?;
    let hosted = token.is_none();
    match token {
        Some(token) => remote.open_serve(token)?,
        None => remote.sign_in(&username)?,
    }
    let result = app.sync(&mut remote, &server, &username);
    if hosted {
        // The account's keys stay in the server's memory while a session is open: end it now
        // rather than when it idles out.
        remote.sign_out();
    }
    let report = result.map_err(|e| sync_error(e, &server))?;
    if ctx.json {
        return output::json(&report);
    }
    let who = if username.is_empty() { String::new() } else { format!(" as {username}") };
    println!("Synced with {server}{who}: sent {}, received {}.", report.pushed, report.pulled);
    if report.conflicts > 0 {
        println!(
            "{} {} changed in both places since the last sync. Both versions are kept: the later one as it was, the other marked \"{}\". Keep what you want and delete the rest whenever you like.",
            report.conflicts,
            if report.conflicts == 1 { "record was" } else { "records were" },
            thaw_app::sync::CONFLICT_MARK,
        );
    }
    Ok(())
}

/// The server's address without a trailing slash. Plain http only to this computer: the
/// passphrase and everything synced cross the network otherwise.
fn server_url(typed: &str) -> Result<String> {
    let url = typed.trim().trim_end_matches('/').to_owned();
    let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|p| url == *p || url.starts_with(&format!("{p}:")) || url.starts_with(&format!("{p}/")));
    if url.starts_with("https://") && url.len() > "https://".len() || local {
        return Ok(url);
    }
    Err(exit::bad_input(format!(
        "\"{typed}\" isn't a server address Thaw can use. Use one starting with https:// (http:// only for this computer, like http://127.0.0.1:8080)."
    )))
}

fn sync_error(e: SyncError, server: &str) -> anyhow::Error {
    match e {
        SyncError::Local(app) => app.into(),
        SyncError::Remote(RemoteError::Unreachable(why)) => fail(
            exit::FAILED,
            format!(
                "Thaw couldn't reach {server} ({why}). Nothing is lost: check the address and your connection, then run `thaw sync` again."
            ),
        ),
        SyncError::Remote(RemoteError::SignIn) => fail(
            exit::WRONG_SECRET,
            format!("{server} didn't accept that username and passphrase. Please check them and try again."),
        ),
        SyncError::Remote(RemoteError::Locked) => fail(
            exit::LOCKED,
            format!(
                "The vault at {server} is locked. Unlock it there, or run `thaw sync` again to give its passphrase."
            ),
        ),
        SyncError::Remote(RemoteError::Refused(why)) => fail(
            exit::FAILED,
            format!(
                "{server} said no ({why}). What was already synced is kept; run `thaw sync` again later."
            ),
        ),
        other => fail(
            exit::FAILED,
            format!(
                "The sync with {server} stopped ({other}). What was already synced is kept; run `thaw sync` again."
            ),
        ),
    }
}

/// The API over blocking HTTP (ureq; TLS with rustls and the Mozilla roots).
struct HttpRemote {
    agent: ureq::Agent,
    base: String,
    token: Option<Passphrase>,
}

impl HttpRemote {
    fn new(server: &str) -> Result<Self> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .max_redirects(0)
            .user_agent(concat!("thaw/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Self { agent, base: server.to_owned(), token: None })
    }

    fn passphrase(label: &str) -> Result<Passphrase> {
        if let Some(p) = session::env_secret(SYNC_PASSPHRASE_ENV) {
            return Ok(p);
        }
        if !prompt::interactive() {
            return Err(exit::bad_input(format!(
                "No passphrase for the server. Run `thaw sync` in a terminal, or set {SYNC_PASSPHRASE_ENV} for automation."
            )));
        }
        prompt::secret(label)
    }

    /// A hosted account: the passphrase buys a session token.
    fn sign_in(&mut self, username: &str) -> Result<()> {
        let passphrase = Self::passphrase(&format!("Passphrase for {username} at {}", self.base))?;
        #[derive(Serialize)]
        struct SignIn<'a> {
            username: &'a str,
            passphrase: &'a str,
        }
        #[derive(serde::Deserialize)]
        struct Session {
            token: String,
        }
        let body = SignIn { username, passphrase: passphrase.dangerously_expose() };
        let session: Session = self.post("/api/v1/sessions", &body).map_err(|e| self.remote(e))?;
        self.token = Some(Passphrase::new(session.token));
        Ok(())
    }

    /// A `thaw serve` with its launch token (for trying sync against a local web app): unlock
    /// its vault with the passphrase if it is locked.
    fn open_serve(&mut self, token: Passphrase) -> Result<()> {
        self.token = Some(token);
        #[derive(serde::Deserialize)]
        struct Status {
            unlocked: bool,
        }
        let status: Status = self.get("/api/v1/status").map_err(|e| self.remote(e))?;
        if !status.unlocked {
            let passphrase = Self::passphrase(&format!("Passphrase of the vault at {}", self.base))?;
            let body = serde_json::json!({ "passphrase": passphrase.dangerously_expose() });
            let _: serde_json::Value = self.post("/api/v1/unlock", &body).map_err(|e| self.remote(e))?;
        }
        Ok(())
    }

    /// Ends the hosted session (`DELETE /api/v1/sessions`). Best effort: a session that isn't
    /// ended here ends when it idles out.
    fn sign_out(&mut self) {
        if let Some(token) = self.token.take() {
            let _ = self
                .agent
                .delete(format!("{}/api/v1/sessions", self.base))
                .header("Authorization", format!("Bearer {}", token.dangerously_expose()))
                .call();
        }
    }

    fn remote(&self, e: RemoteError) -> anyhow::Error {
        sync_error(SyncError::Remote(e), &self.base)
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, RemoteError> {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {}", token.dangerously_expose()));
        }
        answer(request.call())
    }

    fn post<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, RemoteError> {
        let mut request = self.agent.post(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {}", token.dangerously_expose()));
        }
        answer(request.send_json(body))
    }
}

/// Reads an answer: JSON on success; otherwise the API's `{"error": "…"}` as a [`RemoteError`].
fn answer<T: DeserializeOwned>(
    result: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<T, RemoteError> {
    let mut response = result.map_err(|e| RemoteError::Unreachable(e.to_string()))?;
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_json()
            .map_err(|e| RemoteError::Refused(format!("an answer that isn't what Thaw expects: {e}")));
    }
    let said = response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_json::<serde_json::Value>()
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("HTTP {status}"));
    Err(match status {
        401 | 403 => RemoteError::SignIn,
        423 => RemoteError::Locked,
        _ => RemoteError::Refused(crate::terminal::clean(&said).into_owned()),
    })
}

impl Remote for HttpRemote {
    fn changes(&mut self, since: Cursor, limit: usize) -> Result<ChangesPage, RemoteError> {
        self.get(&format!("/api/v1/sync/changes?since={since}&limit={limit}"))
    }

    fn push(&mut self, request: &PushRequest) -> Result<PushReply, RemoteError> {
        self.post("/api/v1/sync/push", request)
    }
}
