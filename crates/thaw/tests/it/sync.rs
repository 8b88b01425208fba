//! `thaw sync`: two vaults kept in step through one server. Here the server is `thaw serve` on a
//! third vault, reached with its launch token (THAW_SYNC_TOKEN); the same routes serve hosted
//! accounts.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{PASS, Run, Thaw};
use crate::web::{Serve, serve};

fn sync(t: &Thaw, s: &Serve, args: &[&str]) -> Run {
    let mut all = vec!["sync"];
    all.extend_from_slice(args);
    t.run_with(&all, &[("THAW_SYNC_TOKEN", &s.token), ("THAW_SYNC_PASSPHRASE", PASS)])
}

/// The JSON export without what differs between devices by design: when it was made, and the
/// device's own sync progress.
pub(crate) fn export(t: &Thaw) -> Value {
    let path = t.home.path().join("export.json");
    let _ = std::fs::remove_file(&path);
    t.run(&["export", "--format", "json", "-o", path.to_str().unwrap()]).ok();
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let obj = json.as_object_mut().unwrap();
    obj.remove("exported_at");
    if let Some(settings) = obj.get_mut("settings").and_then(Value::as_object_mut) {
        settings.remove("sync");
    }
    if let Some(records) = obj.get_mut("records").and_then(Value::as_array_mut) {
        records.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    }
    json
}

pub(crate) fn journal_bodies(t: &Thaw) -> Vec<String> {
    let list = t.run(&["journal", "list", "--json"]).ok().json();
    let mut bodies: Vec<String> =
        list.as_array().unwrap().iter().map(|e| e["body"].as_str().unwrap().to_owned()).collect();
    bodies.sort();
    bodies
}

fn add(t: &Thaw, title: &str, body: &str) -> String {
    let run = t.run(&["journal", "add", "--title", title, "--body", body, "--json"]).ok();
    run.json()["id"].as_str().unwrap().to_owned()
}

#[test]
fn two_vaults_converge_through_one_server() {
    let (server, _) = Thaw::init();
    let s = serve(&server);
    let (a, _) = Thaw::init();
    let (b, _) = Thaw::init();
    let lake = add(&a, "Sunday", "The lake was grey.");
    a.run(&["checkin", "--feel", "hurt:6", "--note", "after the call"]).ok();
    let walk = add(&b, "Monday", "A long walk.");

    let first = sync(&a, &s, &["--server", &s.base, "--json"]).ok().json();
    assert_eq!(first, serde_json::json!({ "pushed": 2, "pulled": 0, "conflicts": 0 }));
    // Remembered: later it is just `thaw sync`.
    let out = sync(&b, &s, &["--server", &s.base]).ok().stdout;
    assert!(out.contains("sent 1, received 2"), "{out}");
    sync(&a, &s, &[]).ok();
    assert_eq!(export(&a), export(&b));
    assert_eq!(export(&a)["records"].as_array().unwrap().len(), 3);

    // Edits and deletions on each side arrive on the other.
    b.run(&["journal", "edit", &lake, "--body", "The lake was grey, then blue."]).ok();
    a.run(&["journal", "delete", &walk]).ok();
    sync(&a, &s, &[]).ok();
    sync(&b, &s, &[]).ok();
    sync(&a, &s, &[]).ok();
    assert_eq!(journal_bodies(&a), vec!["The lake was grey, then blue."]);
    assert_eq!(export(&a), export(&b));

    // Changed on both sides: both texts are kept, on both devices.
    a.run(&["journal", "edit", &lake, "--body", "Written on the laptop."]).ok();
    std::thread::sleep(Duration::from_millis(5));
    b.run(&["journal", "edit", &lake, "--body", "Written on the phone."]).ok();
    sync(&a, &s, &[]).ok();
    let run = sync(&b, &s, &["--json"]).ok().json();
    assert_eq!(run["conflicts"], 1);
    sync(&a, &s, &[]).ok();
    assert_eq!(journal_bodies(&a), vec!["Written on the laptop.", "Written on the phone."]);
    assert_eq!(export(&a), export(&b));
    let titles = a.run(&["journal", "list", "--json"]).ok().json();
    assert!(titles.as_array().unwrap().iter().any(|e| e["title"] == "Sunday (conflict copy)"), "{titles}");

    // Nothing left to do: a second run changes nothing.
    let again = sync(&a, &s, &["--json"]).ok().json();
    assert_eq!(again, serde_json::json!({ "pushed": 0, "pulled": 0, "conflicts": 0 }));

    // The web app's settings say when and where the vault last synced.
    let web = serve(&a);
    web.unlock();
    let (status, html) = web.get("/settings");
    assert_eq!(status, 200);
    assert!(html.contains(&format!("Last synced with {}", s.base)), "{html}");
}

#[test]
fn the_first_sync_needs_a_server_and_plain_http_only_to_this_computer() {
    let (a, _) = Thaw::init();
    let run = a.run(&["sync"]).fails(2);
    assert!(run.stderr.contains("thaw sync --server URL --username NAME"), "{}", run.stderr);
    let run = a.run(&["sync", "--server", "http://thaw.example.org", "--username", "sam"]).fails(2);
    assert!(run.stderr.contains("https://"), "{}", run.stderr);
    // Nobody listening: a clear error, and nothing changed.
    let run = a
        .run_with(
            &["sync", "--server", "http://127.0.0.1:9", "--username", "sam"],
            &[("THAW_SYNC_PASSPHRASE", "x")],
        )
        .fails(1);
    assert!(run.stderr.contains("couldn't reach http://127.0.0.1:9"), "{}", run.stderr);
}

#[test]
fn a_sync_killed_at_any_moment_and_run_again_loses_and_duplicates_nothing() {
    let (server, _) = Thaw::init();
    let s = serve(&server);
    let (a, _) = Thaw::init();
    let (b, _) = Thaw::init();
    a.run(&["dev", "seed", "--records", "4000", "--years", "2"]).ok();
    let seeded = export(&a)["records"].as_array().unwrap().len();
    add(&b, "Tuesday", "from the other device");
    sync(&b, &s, &["--server", &s.base]).ok();
    // How long opening the vault takes (Argon2id): the kills below land after it, during the sync.
    let opened = Instant::now();
    a.run(&["journal", "list", "--limit", "1"]).ok();
    let unlock = opened.elapsed().as_millis() as u64;
    // The first run remembers the server; then SIGKILL at a spread of moments.
    let mut rng = 0x2545_f491_u64;
    let started = Instant::now();
    let mut kills = 0;
    for _ in 0..12 {
        let mut cmd = a.command(&["sync", "--server", &s.base]);
        cmd.env("THAW_SYNC_TOKEN", &s.token).env("THAW_SYNC_PASSPHRASE", PASS);
        cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let wait = Duration::from_millis(unlock * 8 / 10 + rng % 500);
        std::thread::sleep(wait);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
    }
    let (_, page) = s.get("/api/v1/sync/changes?since=0&limit=1");
    let reached: Value = serde_json::from_str(&page).unwrap();
    eprintln!("before the last run the server had reached cursor {} of {}", reached["cursor"], seeded + 1);
    sync(&a, &s, &["--server", &s.base]).ok();
    sync(&b, &s, &[]).ok();
    let ea = export(&a);
    assert_eq!(ea, export(&b));
    assert_eq!(ea["records"].as_array().unwrap().len(), seeded + 1, "nothing lost, nothing twice");
    eprintln!(
        "sync kill loop: {kills} kills in {:.1}s (opening takes {unlock} ms)",
        started.elapsed().as_secs_f64()
    );
    assert!(kills > 0, "no run was killed");
}
