//! A real server on a free port with a fresh vault, and a small HTTP client that behaves like a
//! browser or a script.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use thaw_store::VaultDir;
use thaw_vault::{KdfParams, Passphrase};
use thaw_web::{Server, WebConfig};

pub const PASS: &str = "a calm lake at dawn";

pub struct TestServer {
    pub base: String,
    pub url: String,
    /// The one-time link `thaw serve` gives the browser it opens.
    pub open_url: String,
    pub token: String,
    pub port: u16,
    /// `t-….localhost:PORT`: the app's own host name, where pages and the cookie live. Requests
    /// go to 127.0.0.1 with this as their Host header, as a browser resolving `.localhost` does.
    pub app_host: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub fn start() -> TestServer {
    start_with(None)
}

/// A server whose vault locks after `idle` without requests.
pub fn start_with(idle: Option<Duration>) -> TestServer {
    start_full(idle, without_model())
}

/// The on-device model, shared by every test server that uses it (scripts/fetch-model puts it in
/// models/; THAW_MODEL_DIR points elsewhere).
pub fn with_model() -> std::sync::Arc<thaw_embed::Understanding> {
    static MODEL: std::sync::OnceLock<std::sync::Arc<thaw_embed::Understanding>> = std::sync::OnceLock::new();
    MODEL
        .get_or_init(|| {
            let u = thaw_embed::Understanding::in_dir(&model_dir());
            assert!(u.load(), "These tests need the on-device model: run scripts/fetch-model first");
            std::sync::Arc::new(u)
        })
        .clone()
}

/// Where the tests' model is: `$THAW_MODEL_DIR`, else models/ in the checkout.
pub fn model_dir() -> std::path::PathBuf {
    std::env::var_os(thaw_embed::MODEL_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models").join(thaw_embed::MODEL_NAME)
        })
}

/// No model: the phrase layer alone, as on a computer where it isn't installed. The default, so
/// that the other tests behave the same wherever they run.
pub fn without_model() -> std::sync::Arc<thaw_embed::Understanding> {
    static NONE: std::sync::OnceLock<std::sync::Arc<thaw_embed::Understanding>> = std::sync::OnceLock::new();
    NONE.get_or_init(|| {
        std::sync::Arc::new(thaw_embed::Understanding::in_dir(std::path::Path::new(
            "/nonexistent/thaw-test-model",
        )))
    })
    .clone()
}

/// A server with the given model (or none).
pub fn start_full(
    idle: Option<Duration>,
    understanding: std::sync::Arc<thaw_embed::Understanding>,
) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = VaultDir::new(dir.path().join("vault"));
    // Cheap Argon2id parameters: tests unlock many times.
    let params = KdfParams::new(1024, 1, 1).expect("params");
    vault.create(&Passphrase::new(PASS.into()), params).expect("create vault");
    let mut config = WebConfig::new(vault.clone());
    // Pages must not depend on the machine's locale.
    config.locale_country = None;
    config.tz = jiff::tz::TimeZone::UTC;
    config.idle_override = idle;
    config.understanding = understanding;
    // The missing-model note goes to the terminal of `thaw serve`; tests keep it quiet.
    config.warn = |_| {};
    let (tx, rx) = mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let server = Server::bind(config).await.expect("bind");
            tx.send((server.url(), server.open_url(), server.port(), server.app_origin())).expect("send url");
            let _ = server
                .run(async {
                    let _ = stop_rx.await;
                })
                .await;
        });
    });
    let (url, open_url, port, app_origin) = rx.recv_timeout(Duration::from_secs(30)).expect("server started");
    let token = url.split("token=").nth(1).expect("token in url").to_owned();
    TestServer {
        base: format!("http://127.0.0.1:{port}"),
        url,
        open_url,
        token,
        port,
        app_host: app_origin.trim_start_matches("http://").to_owned(),
        stop: Some(stop_tx),
        _dir: dir,
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body with the entities askama writes decoded, for matching copy with apostrophes.
    pub fn text(&self) -> String {
        unescape(&self.body)
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    #[track_caller]
    pub fn status(self, want: u16) -> Self {
        assert_eq!(self.status, want, "body: {}", self.body);
        self
    }
}

/// How a client proves itself.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Cookie(String),
    Bearer(String),
}

pub struct Client {
    agent: ureq::Agent,
    pub base: String,
    pub auth: Auth,
    pub csrf: Option<String>,
    /// Extra headers for every request (Origin, Sec-Fetch-Site …).
    pub extra: Vec<(String, String)>,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        // A fresh connection per request: the server may close one after refusing a request whose
        // body it did not read, and a pooled connection would then fail the next test step.
        .max_idle_connections_per_host(0)
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn finish(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Resp {
    try_finish(result).expect("request")
}

fn try_finish(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Resp, ureq::Error> {
    let mut resp = result?;
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let status = resp.status().as_u16();
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    Ok(Resp { status, headers, body })
}

impl Client {
    /// A client with no session for a server at `base` (`http://127.0.0.1:PORT`).
    pub fn at(base: &str) -> Self {
        Client { agent: agent(), base: base.to_owned(), auth: Auth::None, csrf: None, extra: Vec::new() }
    }

    pub fn anonymous(server: &TestServer) -> Self {
        Client { agent: agent(), base: server.base.clone(), auth: Auth::None, csrf: None, extra: Vec::new() }
    }

    pub fn bearer(server: &TestServer) -> Self {
        Client { auth: Auth::Bearer(server.token.clone()), ..Self::anonymous(server) }
    }

    /// A script with the bearer token whose session has unlocked the vault (scripts share one
    /// session, apart from every browser's).
    pub fn script(server: &TestServer) -> Self {
        let c = Self::bearer(server);
        c.post_json("/api/v1/unlock", &serde_json::json!({ "passphrase": PASS })).status(200);
        c
    }

    /// A client on the app's own host name (`t-….localhost`), with no session yet.
    pub fn on_app_host(server: &TestServer) -> Self {
        let mut c = Self::anonymous(server);
        c.extra.push(("Host".to_owned(), server.app_host.clone()));
        c
    }

    /// Like a browser: follows the printed link (on 127.0.0.1, which sends it on to the app's
    /// host name with a one-time code) to get the session cookie, then reads the CSRF token from
    /// a page.
    pub fn browser(server: &TestServer) -> Self {
        let first = Self::anonymous(server).get(&format!("/?token={}", server.token));
        assert_eq!(first.status, 303, "{}", first.body);
        assert!(first.header("set-cookie").is_none(), "no cookie for 127.0.0.1");
        let next = first.header("location").expect("location").to_owned();
        let path = next
            .strip_prefix(&format!("http://{}", server.app_host))
            .unwrap_or_else(|| panic!("sent on to the app's host name: {next}"));
        let mut c = Self::on_app_host(server);
        let landing = c.get(path);
        assert_eq!(landing.status, 303, "{}", landing.body);
        let cookie =
            landing.header("set-cookie").expect("cookie").split(';').next().expect("pair").to_owned();
        c.auth = Auth::Cookie(cookie);
        let page = c.get("/crisis");
        c.csrf = Some(csrf_of(&page.body));
        c
    }

    /// A browser that has unlocked the vault.
    pub fn unlocked(server: &TestServer) -> Self {
        let c = Self::browser(server);
        c.form("/unlock", &[("passphrase", PASS)]).status(303);
        c
    }

    fn with_headers<B>(&self, mut req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.auth {
            Auth::None => {}
            Auth::Cookie(c) => req = req.header("Cookie", c),
            Auth::Bearer(t) => req = req.header("Authorization", format!("Bearer {t}")),
        }
        for (k, v) in &self.extra {
            req = req.header(k, v);
        }
        req
    }

    /// A GET whose body is bytes (a PDF download).
    pub fn get_bytes(&self, path: &str) -> (Resp, Vec<u8>) {
        let result = self.with_headers(self.agent.get(format!("{}{path}", self.base))).call();
        let mut resp = result.expect("request");
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        let status = resp.status().as_u16();
        let bytes = resp.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec().unwrap_or_default();
        (Resp { status, headers, body: String::new() }, bytes)
    }

    pub fn get(&self, path: &str) -> Resp {
        finish(self.with_headers(self.agent.get(format!("{}{path}", self.base))).call())
    }

    /// A form post with the CSRF token (when the client has one).
    pub fn form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(t) = &self.csrf {
            all.push(("_csrf", t));
        }
        self.form_raw(path, &all)
    }

    /// A form post exactly as given (no CSRF token added).
    pub fn form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        finish(
            self.with_headers(self.agent.post(format!("{}{path}", self.base)))
                .send_form(fields.iter().copied()),
        )
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Resp {
        self.post_raw(path, "application/json", &body.to_string())
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: &str) -> Resp {
        self.try_post_raw(path, content_type, body).expect("request")
    }

    /// Like [`Client::post_raw`], but a failed connection is returned, not a panic: the server may
    /// answer and close before a large body it refuses has been sent.
    pub fn try_post_raw(&self, path: &str, content_type: &str, body: &str) -> Result<Resp, ureq::Error> {
        let mut req = self
            .with_headers(self.agent.post(format!("{}{path}", self.base)))
            .header("Content-Type", content_type);
        if let (Auth::Cookie(_), Some(t)) = (&self.auth, &self.csrf) {
            req = req.header("X-CSRF-Token", t);
        }
        try_finish(req.send(body))
    }

    /// A JSON body with any method (PUT).
    pub fn request_json(&self, method: &str, path: &str, body: &Value) -> Resp {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Content-Type", "application/json");
        match &self.auth {
            Auth::None => {}
            Auth::Cookie(c) => builder = builder.header("Cookie", c),
            Auth::Bearer(t) => builder = builder.header("Authorization", format!("Bearer {t}")),
        }
        if let (Auth::Cookie(_), Some(t)) = (&self.auth, &self.csrf) {
            builder = builder.header("X-CSRF-Token", t);
        }
        for (k, v) in &self.extra {
            builder = builder.header(k, v);
        }
        finish(self.agent.run(builder.body(body.to_string()).expect("request")))
    }

    pub fn delete(&self, path: &str) -> Resp {
        let mut req = self.with_headers(self.agent.delete(format!("{}{path}", self.base)));
        if let (Auth::Cookie(_), Some(t)) = (&self.auth, &self.csrf) {
            req = req.header("X-CSRF-Token", t);
        }
        finish(req.call())
    }

    /// Any method, no body.
    pub fn request(&self, method: &str, path: &str) -> Resp {
        let mut builder = ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.base));
        match &self.auth {
            Auth::None => {}
            Auth::Cookie(c) => builder = builder.header("Cookie", c),
            Auth::Bearer(t) => builder = builder.header("Authorization", format!("Bearer {t}")),
        }
        for (k, v) in &self.extra {
            builder = builder.header(k, v);
        }
        finish(self.agent.run(builder.body(()).expect("request")))
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    let marker = ["name=\"_csrf\" value=\"", "data-csrf=\""]
        .into_iter()
        .find(|m| html.contains(m))
        .unwrap_or_else(|| panic!("no CSRF token in: {html}"));
    let rest = &html[html.find(marker).expect("marker") + marker.len()..];
    rest[..rest.find('"').expect("end quote")].to_owned()
}

/// A request written by hand, for what a client library won't send (a foreign Host header).
pub fn raw_request(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    // The server may answer (and close) before reading everything: that's fine here.
    let _ = stream.write_all(request.as_bytes());
    let mut out = String::new();
    let _ = stream.read_to_string(&mut out);
    out
}

/// Decodes the few entities askama's escaping produces.
pub fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}
