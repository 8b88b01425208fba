//! `thaw serve` as a child process beside the CLI, on one vault: what one writes, the other shows,
//! live.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::harness::{PASS, Thaw};

/// A running `thaw serve --no-open --port 0`, stopped when dropped.
pub(crate) struct Serve {
    child: Child,
    pub url: String,
    pub base: String,
    pub token: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn serve(t: &Thaw) -> Serve {
    let mut child = t
        .command(&["serve", "--no-open", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn thaw serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let url = line.trim_end().to_owned();
    let base = url.split("/?token=").next().expect("base").to_owned();
    let token = url.split("token=").nth(1).unwrap_or_default().to_owned();
    Serve { child, url, base, token }
}

pub(crate) fn agent() -> ureq::Agent {
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

impl Serve {
    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        let mut r = agent()
            .get(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .call()
            .expect("GET");
        (r.status().as_u16(), r.body_mut().read_to_string().expect("body"))
    }

    pub(crate) fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut r = agent()
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .send_json(body)
            .expect("POST");
        let text = r.body_mut().read_to_string().expect("body");
        (r.status().as_u16(), serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub(crate) fn put(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut r = agent()
            .put(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .send_json(body)
            .expect("PUT");
        let text = r.body_mut().read_to_string().expect("body");
        (r.status().as_u16(), serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub(crate) fn unlock(&self) {
        let (status, body) = self.post("/api/v1/unlock", &json!({ "passphrase": PASS }));
        assert_eq!(status, 200, "{body}");
    }

    pub(crate) fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).expect("JSON")
    }
}

#[test]
fn serve_prints_its_link_first_and_starts_locked() {
    let (t, _) = Thaw::init();
    let s = serve(&t);
    let rest = s.url.strip_prefix("http://127.0.0.1:").expect(&s.url);
    let (port, token) = rest.split_once("/?token=").expect(&s.url);
    assert!(port.parse::<u16>().is_ok_and(|p| p > 0), "{}", s.url);
    assert!(
        token.len() >= 22 && token.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)),
        "{}",
        s.url
    );
    // THAW_PASSPHRASE is set for the CLI, but the web app waits to be unlocked in the browser.
    assert_eq!(s.json("/api/v1/status")["unlocked"], false);
    let (status, _) = s.get("/api/v1/checkins");
    assert_eq!(status, 423);
}

#[test]
fn what_the_cli_writes_the_web_shows_live() {
    let (t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "hurt:6", "--note", "from the terminal"]).ok();
    let s = serve(&t);
    s.unlock();
    let list = s.json("/api/v1/checkins");
    assert_eq!(list[0]["emotions"][0]["word"], "hurt");
    assert_eq!(list[0]["note"], "from the terminal");
    // Written while the server runs and holds the vault open: no restart needed.
    t.run(&["journal", "add", "--title", "Written in the terminal", "--body", "while the web app was open"])
        .ok();
    t.run(&["people", "add", "Robin", "--reach", "phone"]).ok();
    let entries = s.json("/api/v1/journal");
    assert_eq!(entries[0]["title"], "Written in the terminal");
    assert_eq!(s.json("/api/v1/people")[0]["name"], "Robin");
    let (status, home) = s.get("/");
    assert_eq!(status, 200, "{home}");
    assert!(
        home.contains("I feel hurt.") && home.contains("Written in the terminal"),
        "the home page shows both: {home}"
    );
    // The record JSON is the same on both edges.
    let cli = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(cli, entries);
}

#[test]
fn what_the_web_writes_the_cli_shows() {
    let (t, _) = Thaw::init();
    let s = serve(&t);
    s.unlock();
    let (status, entry) = s.post(
        "/api/v1/journal",
        &json!({ "title": "From the browser", "body": "typed in the web app", "tags": ["web"] }),
    );
    assert_eq!(status, 201, "{entry}");
    let mut entry = entry;
    let follow_up = entry.as_object_mut().and_then(|o| o.remove("follow_up"));
    assert_eq!(follow_up, Some(Value::Null), "a save answers with its follow_up, here none");
    let (status, _) =
        s.post("/api/v1/checkins", &json!({ "emotions": [{ "word": "numb" }], "said_aloud": true }));
    assert_eq!(status, 201);
    let list = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(list[0], entry);
    let found = t.run(&["search", "typed"]).ok().stdout;
    assert!(found.contains("From the browser"), "{found}");
    let checkins = t.run(&["checkin", "list"]).ok().stdout;
    assert!(checkins.contains("numb") && checkins.contains("said aloud"), "{checkins}");
    let shown = t.run(&["journal", "show", &entry["id"].as_str().unwrap()[28..]]).ok().stdout;
    assert!(shown.contains("typed in the web app"), "{shown}");
}

#[test]
fn medicines_selfchecks_and_visit_questions_are_the_same_on_both_edges() {
    let (t, _) = Thaw::init();
    t.run(&["med", "add", "Zoloft", "--dose", "50", "--unit", "mg"]).ok();
    t.run(&["report", "questions", "add", "Could", "the", "medicine", "be", "part", "of", "this?"]).ok();
    let s = serve(&t);
    s.unlock();
    // The CLI's medicine list JSON, with the web's `id` added.
    let web = s.json("/api/v1/medications");
    let cli = t.run(&["med", "list", "--json"]).ok().json();
    assert_eq!(web[0]["name"], cli[0]["name"]);
    assert_eq!(web[0]["status"], cli[0]["status"]);
    assert_eq!(web[0]["prescriber_question"], cli[0]["prescriber_question"]);
    assert_eq!(s.json("/api/v1/report/questions"), json!(["Could the medicine be part of this?"]));
    // Written on the web, shown by the CLI.
    let (status, body) = s.post("/api/v1/medications/sertraline/events", &json!({ "event": "paused" }));
    assert_eq!(status, 201, "{body}");
    let (status, body) = s.post("/api/v1/selfchecks", &json!({ "answers": { "medication-1": 3 } }));
    assert_eq!(status, 201, "{body}");
    assert_eq!(t.run(&["med", "list", "--json"]).ok().json()[0]["status"], "paused");
    let checks = t.run(&["selfcheck", "list", "--json"]).ok().json();
    assert_eq!(checks[0]["areas"], json!(["medication"]));
    let (status, body) = s.post("/api/v1/report/questions", &json!({ "text": "What else could help?" }));
    assert_eq!(status, 201, "{body}");
    let listed = t.run(&["report", "questions", "list"]).ok().stdout;
    assert!(listed.contains("What else could help?"), "{listed}");
    // The web's summary and the CLI's say the same.
    let (status, web_md) = s.get("/api/v1/report?format=md&from=2020-01-01");
    assert_eq!(status, 200, "{web_md}");
    assert!(web_md.contains("sertraline") && web_md.contains("What else could help?"), "{web_md}");
}

#[test]
fn serve_without_a_vault_says_how_to_make_one() {
    let t = Thaw::new();
    let run = t.run(&["serve", "--no-open"]).fails(6);
    assert!(run.stderr.contains("thaw init"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no link without a vault: {}", run.stdout);
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let (t, _) = Thaw::init();
    let s = serve(&t);
    let port = s.base.rsplit(':').next().expect("port").to_owned();
    let run = t.run(&["serve", "--no-open", "--port", &port]).fails(1);
    assert!(run.stderr.contains(&format!("127.0.0.1:{port}")), "{}", run.stderr);
}
