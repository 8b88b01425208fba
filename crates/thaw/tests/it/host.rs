//! `thaw host` as a child process over a throwaway PostgreSQL cluster: the schema migrated by
//! its owner, an invitation printed, the address as the first line, an account made with the
//! invitation; a server role that can't migrate refuses an older schema and names the command.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::json;
use thaw_store_pg::testing::TestCluster;

use crate::harness::Thaw;
use crate::web::agent;

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
    let mut child = t
        .command(&[
            "host",
            "--database-url-file",
            url_file.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--signup",
            "invite",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim_end().to_owned();
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
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
