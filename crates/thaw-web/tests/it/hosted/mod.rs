//! `thaw host` in-process: a real server on a free port over a real PostgreSQL (the throwaway
//! cluster of `thaw_store_pg::testing`), driven over HTTP (and https) like a browser or a script.

mod accounts;
mod isolation;
mod tls;

use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;
use thaw_store_pg::testing::{TestCluster, TestDatabase};
use thaw_store_pg::{PgBackend, PgOptions};
use thaw_vault::KdfParams;
use thaw_web::{HostConfig, HostServer, Signup};

use crate::harness::{Auth, Client, Resp};

pub const PASS: &str = "a calm lake at dawn";

/// One cluster for the whole test binary (a fresh database per server); the cluster's watchdog
/// removes it when the tests end.
pub fn cluster() -> &'static TestCluster {
    static CLUSTER: OnceLock<TestCluster> = OnceLock::new();
    CLUSTER.get_or_init(|| TestCluster::start().expect("a throwaway PostgreSQL cluster"))
}

pub struct Hosted {
    pub base: String,
    pub db: TestDatabase,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Hosted {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A backend on a fresh database, with cheap Argon2id (tests sign in many times).
pub fn backend(db: &TestDatabase) -> PgBackend {
    let options =
        PgOptions { kdf: KdfParams::new(1024, 1, 1).expect("params"), pool_size: 4, ..PgOptions::default() };
    PgBackend::connect_with(&db.app_url, options).expect("connect")
}

/// A hosted server with open sign-up, UTC, no locale country; `tune` changes the rest.
pub fn start(tune: impl FnOnce(&mut HostConfig) + Send + 'static) -> Hosted {
    let db = cluster().database().expect("database");
    let mut config = HostConfig::new(backend(&db));
    config.signup = Signup::Open;
    config.tz = jiff::tz::TimeZone::UTC;
    config.locale_country = None;
    config.warn = |_| {};
    tune(&mut config);
    let (tx, rx) = mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let server = HostServer::bind(config).await.expect("bind");
            tx.send(server.url()).expect("send url");
            let _ = server
                .run(async {
                    let _ = stop_rx.await;
                })
                .await;
        });
    });
    let base = rx.recv_timeout(Duration::from_secs(60)).expect("server started");
    Hosted { base, db, stop: Some(stop_tx) }
}

impl Hosted {
    pub fn client(&self) -> Client {
        Client::at(&self.base)
    }

    /// Makes an account through the API; returns its recovery words.
    pub fn sign_up(&self, username: &str) -> String {
        let r = self
            .client()
            .post_json("/api/v1/accounts", &json!({ "username": username, "passphrase": PASS }))
            .status(201);
        r.json()["recovery_key"].as_str().expect("recovery_key").to_owned()
    }

    /// Signs in through the API: a client with the bearer token.
    pub fn script(&self, username: &str) -> Client {
        let r = self
            .client()
            .post_json("/api/v1/sessions", &json!({ "username": username, "passphrase": PASS }))
            .status(201);
        let token = r.json()["token"].as_str().expect("token").to_owned();
        let mut c = self.client();
        c.auth = Auth::Bearer(token);
        c
    }

    /// A new account, signed in through the API.
    pub fn account(&self, username: &str) -> Client {
        self.sign_up(username);
        self.script(username)
    }
}

/// The value of the cookie `name` set by a response, if any (`name=value`).
pub fn set_cookie<'a>(r: &'a Resp, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .find(|v| v.starts_with(&format!("{name}=")))
}
