//! `thaw sync` against a real `thaw host` on PostgreSQL (a throwaway cluster): two vaults keep in
//! step through one account, made with `POST /api/v1/accounts` and signed in to by `thaw sync`
//! with `POST /api/v1/sessions` like any script. What the computer sent shows on the account's
//! pages; a sync killed again and again with SIGKILL ends with nothing lost and nothing twice.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thaw_store_pg::testing::TestCluster;

use crate::harness::{Run, Thaw};
use crate::sync::{export, journal_bodies};
use crate::web::{agent, serve};

/// The account's passphrase on the server (not the vaults' own).
const ACCOUNT_PASS: &str = "kestrels over the salt marsh";

/// One cluster for the test binary, a fresh database per server; its watchdog removes it.
fn cluster() -> &'static TestCluster {
    static CLUSTER: OnceLock<TestCluster> = OnceLock::new();
    CLUSTER.get_or_init(|| TestCluster::start().expect("a throwaway PostgreSQL cluster"))
}

/// A running `thaw host` with open sign-up, stopped when dropped.
struct Host {
    child: Child,
    base: String,
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Host {
    fn start() -> Self {
        let db = cluster().database().expect("a migrated database");
        let t = Thaw::new();
        let mut child = t
            .command(&["host", "--listen", "127.0.0.1:0", "--signup", "open"])
            .env("THAW_DATABASE_URL", &db.app_url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn thaw host");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
        let base = line.trim_end().to_owned();
        // The host's home folder must outlive the process; it is tiny.
        std::mem::forget(t);
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        Self { child, base }
    }

    fn post(&self, path: &str, body: &Value, token: Option<&str>) -> (u16, Value) {
        let mut request = agent().post(format!("{}{path}", self.base));
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        let mut r = request.send_json(body).expect("POST");
        let text = r.body_mut().read_to_string().unwrap_or_default();
        (r.status().as_u16(), serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Makes an account through the API, as a phone's first visit would.
    fn account(&self, username: &str) {
        let (status, body) =
            self.post("/api/v1/accounts", &json!({ "username": username, "passphrase": ACCOUNT_PASS }), None);
        assert_eq!(status, 201, "{body}");
        assert!(body["recovery_key"].is_string(), "{body}");
    }

    /// A bearer token for `username` (an API session).
    fn token(&self, username: &str) -> String {
        let (status, body) =
            self.post("/api/v1/sessions", &json!({ "username": username, "passphrase": ACCOUNT_PASS }), None);
        assert_eq!(status, 201, "{body}");
        body["token"].as_str().expect("token").to_owned()
    }

    fn delete(&self, path: &str, token: &str) {
        let r = agent()
            .delete(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .expect("DELETE");
        assert_eq!(r.status().as_u16(), 204, "DELETE {path}");
    }

    fn get_json(&self, path: &str, token: &str) -> Value {
        let mut r = agent()
            .get(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .expect("GET");
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).expect("JSON")
    }

    /// Signs in on the sign-in page like a browser (form cookie, CSRF token); returns the
    /// session cookie.
    fn browser_sign_in(&self, username: &str) -> String {
        let cookie_of = |r: &ureq::http::Response<ureq::Body>, name: &str| -> Option<String> {
            r.headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with(&format!("{name}=")))
                .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        };
        let mut page = agent().get(format!("{}/signin", self.base)).call().expect("GET /signin");
        let form_cookie = cookie_of(&page, "thaw_form").expect("a form cookie");
        let html = page.body_mut().read_to_string().expect("body");
        let marker = "name=\"_csrf\" value=\"";
        let rest = &html[html.find(marker).expect("a CSRF field") + marker.len()..];
        let csrf = &rest[..rest.find('"').expect("end quote")];
        let signed_in = agent()
            .post(format!("{}/signin", self.base))
            .header("Cookie", &form_cookie)
            .send_form([("username", username), ("passphrase", ACCOUNT_PASS), ("_csrf", csrf)])
            .expect("POST /signin");
        assert_eq!(signed_in.status().as_u16(), 303, "signing in on the page");
        cookie_of(&signed_in, "thaw_session").expect("a session cookie")
    }

    /// The page at `path` as the signed-in browser with `cookie` sees it.
    fn page(&self, cookie: &str, path: &str) -> String {
        let mut r = agent().get(format!("{}{path}", self.base)).header("Cookie", cookie).call().expect("GET");
        assert_eq!(r.status().as_u16(), 200, "{path}");
        r.body_mut().read_to_string().expect("body")
    }
}

fn sync(t: &Thaw, args: &[&str]) -> Run {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    t.run_with(&all, &[("THAW_SYNC_PASSPHRASE", ACCOUNT_PASS)])
}

fn sync_json(t: &Thaw) -> Value {
    sync(t, &["--json"]).ok().json()
}

fn kinds(export: &Value) -> BTreeSet<String> {
    export["records"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap().to_owned()).collect()
}

/// A record of every kind, some written by hand, the rest sample data.
fn every_kind(t: &Thaw) {
    t.run(&["dev", "seed", "--records", "240", "--years", "1"]).ok();
    t.run(&["people", "add", "Robin", "--reach", "phone"]).ok();
    t.run(&["people", "talked", "Robin", "--how", "phone", "--note", "about the weekend"]).ok();
    t.run_stdin(&["selfcheck", "--answers-file", "-"], "medication-1 = 1\n").ok();
    t.run(&["assess", "gad7", "--answers", "1,1,0,0,1,0,0"]).ok();
}

fn id_of(export: &Value, kind: &str, nth: usize) -> String {
    let records = export["records"].as_array().unwrap();
    let of_kind: Vec<&Value> = records.iter().filter(|r| r["type"] == kind).collect();
    of_kind[nth]["id"].as_str().unwrap().to_owned()
}

#[test]
fn two_vaults_converge_through_one_hosted_account() {
    let host = Host::start();
    host.account("sam");
    let (a, _) = Thaw::init();
    let (b, _) = Thaw::init();
    every_kind(&a);
    let lake = a.run(&["journal", "add", "--title", "Sunday", "--body", "The lake was grey.", "--json"]).ok();
    let lake = lake.json()["id"].as_str().unwrap().to_owned();
    b.run(&["checkin", "--feel", "hurt:6", "--note", "after the call"]).ok();
    let walk = b.run(&["journal", "add", "--title", "Monday", "--body", "A long walk.", "--json"]).ok();
    let walk = walk.json()["id"].as_str().unwrap().to_owned();
    let on_a = export(&a)["records"].as_array().unwrap().len();

    // The first time names the server and the account; afterwards `thaw sync` is enough.
    let first = sync(&a, &["--server", &host.base, "--username", "sam", "--json"]).ok().json();
    assert_eq!(first, json!({ "pushed": on_a, "pulled": 0, "conflicts": 0 }));
    let out = sync(&b, &["--server", &host.base, "--username", "sam"]).ok().stdout;
    assert!(out.contains(&format!("as sam: sent 2, received {on_a}")), "{out}");
    assert_eq!(sync_json(&a), json!({ "pushed": 0, "pulled": 2, "conflicts": 0 }));
    let ea = export(&a);
    assert_eq!(ea, export(&b));
    assert_eq!(ea["records"].as_array().unwrap().len(), on_a + 2);
    let every: BTreeSet<String> = [
        "checkin",
        "journal",
        "reaction",
        "activity",
        "release",
        "person",
        "medication",
        "conversation",
        "assessment",
        "selfcheck",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(kinds(&ea), every, "a record of every kind travelled");

    // Edits and deletions made on each side arrive on the other, and so do those made on the
    // account's own pages (the phone).
    let token = host.token("sam");
    let seeded_entry = id_of(&ea, "journal", 0);
    b.run(&["journal", "edit", &lake, "--body", "The lake was grey, then blue."]).ok();
    a.run(&["journal", "delete", &walk]).ok();
    let (status, body) = host.post(
        "/api/v1/journal",
        &json!({ "title": "On the bus", "body": "Typed on the phone's web page." }),
        Some(&token),
    );
    assert_eq!(status, 201, "{body}");
    host.delete(&format!("/api/v1/journal/{seeded_entry}"), &token);
    sync(&a, &[]).ok();
    sync(&b, &[]).ok();
    sync(&a, &[]).ok();
    let ea = export(&a);
    assert_eq!(ea, export(&b));
    // Two deleted, one added on the phone.
    assert_eq!(ea["records"].as_array().unwrap().len(), on_a + 2 - 2 + 1);
    let ids: BTreeSet<&str> =
        ea["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for gone in [&walk, &seeded_entry] {
        assert!(!ids.contains(gone.as_str()), "{gone} was deleted in one place and is gone everywhere");
    }
    for t in [&a, &b] {
        let bodies = journal_bodies(t);
        assert!(bodies.contains(&"The lake was grey, then blue.".to_owned()), "{bodies:?}");
        assert!(bodies.contains(&"Typed on the phone's web page.".to_owned()), "{bodies:?}");
    }

    // Edited on both sides: both texts are kept, on both devices and on the server.
    a.run(&["journal", "edit", &lake, "--body", "Written on the laptop."]).ok();
    std::thread::sleep(Duration::from_millis(5));
    b.run(&["journal", "edit", &lake, "--body", "Written on the phone."]).ok();
    sync(&a, &[]).ok();
    let run = sync(&b, &[]).ok().stdout;
    assert!(run.contains("1 record was changed in both places") && run.contains("(conflict copy)"), "{run}");
    assert_eq!(sync_json(&a), json!({ "pushed": 0, "pulled": 2, "conflicts": 0 }));
    let lake_bodies = |t: &Thaw| -> Vec<String> {
        journal_bodies(t).into_iter().filter(|b| b.starts_with("Written on the")).collect()
    };
    assert_eq!(lake_bodies(&a), vec!["Written on the laptop.", "Written on the phone."]);
    assert_eq!(lake_bodies(&b), lake_bodies(&a));
    let ea = export(&a);
    assert_eq!(ea, export(&b));
    let titles: Vec<&str> = ea["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "journal")
        .filter_map(|r| r["title"].as_str())
        .collect();
    assert!(titles.contains(&"Sunday") && titles.contains(&"Sunday (conflict copy)"), "{titles:?}");

    // Nothing left to do: running it again changes nothing, on either device or on the server.
    let server_cursor = |t: &str| host.get_json("/api/v1/sync/changes?since=0&limit=1", t)["cursor"].clone();
    let before = server_cursor(&token);
    for t in [&a, &b, &a] {
        assert_eq!(sync_json(t), json!({ "pushed": 0, "pulled": 0, "conflicts": 0 }));
    }
    assert_eq!(server_cursor(&token), before, "a no-op sync writes nothing on the server");
    assert_eq!(export(&a), ea);

    // The account's own pages, signed in on the web, show what came from the computer.
    let browser = host.browser_sign_in("sam");
    let journal = host.page(&browser, "/journal");
    assert!(journal.contains("Sunday (conflict copy)") && journal.contains(">Sunday<"), "{journal}");
    let entry = host.page(&browser, &format!("/journal/{lake}"));
    assert!(entry.contains("Written on the phone."), "{entry}");
    let people = host.get_json("/api/v1/people", &token);
    assert!(people.as_array().unwrap().iter().any(|p| p["name"] == "Robin"), "{people}");

    // The local web app's settings say when and where the vault last synced.
    let web = serve(&a);
    web.unlock();
    let (status, html) = web.get("/settings");
    assert_eq!(status, 200);
    assert!(html.contains(&format!("Last synced with {}", host.base)), "{html}");
}

#[test]
fn a_sync_to_a_hosted_account_killed_again_and_again_loses_and_duplicates_nothing() {
    let host = Host::start();
    host.account("robin");
    let (a, _) = Thaw::init();
    let (b, _) = Thaw::init();
    a.run(&["dev", "seed", "--records", "2000", "--years", "2"]).ok();
    let seeded = export(&a)["records"].as_array().unwrap().len();
    b.run(&["journal", "add", "--title", "Tuesday", "--body", "from the other device"]).ok();
    // How long a sync takes when there is nothing to send (opening the vault, signing in): the
    // kills below land after that, while batches travel.
    sync(&b, &["--server", &host.base, "--username", "robin"]).ok();
    let started = Instant::now();
    sync(&b, &[]).ok();
    let overhead = started.elapsed().as_millis() as u64;
    let mut rng = 0x9e37_79b9_u64;
    let mut kills = 0;
    let started = Instant::now();
    for round in 0..12 {
        let mut cmd = a.command(&["sync", "--server", &host.base, "--username", "robin"]);
        cmd.env("THAW_SYNC_PASSPHRASE", ACCOUNT_PASS);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        std::fs::create_dir_all(a.home.path().join("tmp")).unwrap();
        let mut child = cmd.spawn().unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // Each round lives a little longer (with some jitter), so the kills land while signing
        // in, while pulling, and while each batch is pushed, until one run gets to the end.
        let wait = Duration::from_millis(overhead * 8 / 10 + rng % 300 + 250 * round);
        std::thread::sleep(wait);
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap();
        kills += 1;
        child.wait().unwrap();
    }
    let token = host.token("robin");
    let reached = host.get_json("/api/v1/sync/changes?since=0&limit=1", &token)["cursor"].clone();
    eprintln!(
        "hosted sync kill loop: {kills} kills in {:.1}s (a no-op sync takes {overhead} ms); the server had \
         reached cursor {reached} of {}",
        started.elapsed().as_secs_f64(),
        seeded + 1
    );
    sync(&a, &[]).ok();
    sync(&b, &[]).ok();
    let ea = export(&a);
    assert_eq!(ea, export(&b));
    assert_eq!(ea["records"].as_array().unwrap().len(), seeded + 1, "nothing lost, nothing twice");
    // The server holds each record once: its change feed names every id once.
    let mut since = 0;
    let mut seen = BTreeSet::new();
    loop {
        let page = host.get_json(&format!("/api/v1/sync/changes?since={since}&limit=1000"), &token);
        for c in page["changes"].as_array().unwrap() {
            assert_eq!(c["change"], "put", "nothing was deleted");
            assert!(seen.insert(c["record"]["id"].as_str().unwrap().to_owned()), "a record twice: {c}");
            since = c["cursor"].as_u64().unwrap();
        }
        if page["more"] != true {
            break;
        }
    }
    assert_eq!(seen.len(), seeded + 1);
    assert!(kills > 0, "no run was killed");
    assert_eq!(sync_json(&a), json!({ "pushed": 0, "pulled": 0, "conflicts": 0 }));
}
