//! `thaw host` as a child process over a throwaway PostgreSQL cluster: the schema migrated by
//! its owner, an invitation printed, the address as the first line, an account made with the
//! invitation; a server role that can't migrate refuses an older schema and names the command.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::json;
use thaw_store_pg::testing::TestCluster;

use crate::harness::Thaw;
use crate::web::agent;

/// Starts `thaw host ARGS` with `env` added; the child (standard error piped) and the address it
/// printed first.
fn spawn_host(t: &Thaw, args: &[&str], env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut command = t.command(&[&["host"], args].concat());
    command.envs(env.iter().copied()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (child, line.trim_end().to_owned())
}

#[test]
fn thaw_host_migrates_invites_and_serves() {
    let cluster = TestCluster::start().unwrap();
    let db = cluster.empty_database().unwrap();
    let t = Thaw::new();
    // The app role can't make the schema: a clear refusal that names the way forward.
    let refused = t.run_with(&["host", "invite"], &[("THAW_DATABASE_URL", &db.app_url)]).fails(1);
    assert!(refused.stderr.contains("thaw host migrate"), "{}", refused.stderr);
    // No URL at all: say where it goes.
    let none = t.run(&["host"]).fails(2);
    assert!(none.stderr.contains("THAW_DATABASE_URL"), "{}", none.stderr);
    let migrated = t.run_with(&["host", "migrate"], &[("THAW_OWNER_DATABASE_URL", &db.owner_url)]).ok();
    assert!(migrated.stdout.contains("version"), "{}", migrated.stdout);
    let code = t.run_with(&["host", "invite", "--days", "1"], &[("THAW_DATABASE_URL", &db.app_url)]).ok();
    let code = code.stdout.trim().to_owned();
    assert_eq!(code.len(), 39, "{code}");
    // The URL can come from a file too.
    let url_file = t.vault().with_file_name("database-url");
    std::fs::write(&url_file, format!("{}\n", db.app_url)).unwrap();
    let (mut child, base) = spawn_host(
        &t,
        &["--database-url-file", url_file.to_str().unwrap(), "--listen", "127.0.0.1:0", "--signup", "invite"],
        &[],
    );
    let result = std::panic::catch_unwind(|| {
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        let post = |path: &str, body: serde_json::Value| {
            let mut r = agent().post(format!("{base}{path}")).send_json(body).unwrap();
            let status = r.status().as_u16();
            (status, r.body_mut().read_to_string().unwrap_or_default())
        };
        let (status, _) =
            post("/api/v1/accounts", json!({ "username": "kestrel", "passphrase": "a calm lake at dawn" }));
        assert_eq!(status, 403, "an invitation is needed");
        let (status, body) = post(
            "/api/v1/accounts",
            json!({ "username": "kestrel", "passphrase": "a calm lake at dawn", "invite": code }),
        );
        assert_eq!(status, 201, "{body}");
        let (status, body) =
            post("/api/v1/sessions", json!({ "username": "kestrel", "passphrase": "a calm lake at dawn" }));
        assert_eq!(status, 201, "{body}");
        // The offline page speaks of a server someone runs, not of `thaw serve`.
        let offline =
            agent().get(format!("{base}/offline")).call().unwrap().body_mut().read_to_string().unwrap();
        assert!(offline.contains("the people who run this Thaw"), "{offline}");
        assert!(!offline.contains("thaw serve"), "{offline}");
    });
    let _ = child.kill();
    let _ = child.wait();
    // The harness points THAW_MODEL_DIR at an empty folder: `thaw host` looked there, and said so.
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    assert!(stderr.contains("language model isn't installed"), "{stderr}");
    assert!(!stderr.contains("thaw serve"), "{stderr}");
}

/// `THAW_MODEL_DIR` chooses the on-device model of `thaw host`, as it does for `thaw serve`.
#[test]
fn thaw_host_finds_the_model_through_thaw_model_dir() {
    let cluster = TestCluster::start().unwrap();
    let db = cluster.database().unwrap();
    let t = Thaw::new();
    let model = crate::harness::model_dir();
    let (mut child, base) = spawn_host(
        &t,
        &["--listen", "127.0.0.1:0", "--signup", "open"],
        &[("THAW_DATABASE_URL", &db.app_url), ("THAW_MODEL_DIR", &model)],
    );
    // With the model, "words that might fit" answers from it (without, only a note).
    let result = std::panic::catch_unwind(|| {
        let person = json!({ "username": "wren", "passphrase": "a calm lake at dawn" });
        let mut r = agent().post(format!("{base}/api/v1/accounts")).send_json(&person).unwrap();
        assert_eq!(r.status().as_u16(), 201, "{}", r.body_mut().read_to_string().unwrap_or_default());
        let mut r = agent().post(format!("{base}/api/v1/sessions")).send_json(&person).unwrap();
        let token: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        let token = token["token"].as_str().unwrap().to_owned();
        let mut r = agent()
            .post(format!("{base}/api/v1/suggest"))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(json!({ "text": "I feel heavy and far away from everyone" }))
            .unwrap();
        let found: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert!(found["suggestions"].as_array().is_some_and(|s| !s.is_empty()), "{found}");
        assert!(found.get("note").is_none(), "{found}");
    });
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    if let Err(e) = result {
        eprintln!("{stderr}");
        std::panic::resume_unwind(e);
    }
    assert!(!stderr.contains("language model isn't installed"), "{stderr}");
}
