//! Two accounts on one server, driven through every route of the API with generated operations:
//! neither ever sees, changes or finds (search included) the other's records, and a bearer token
//! of one opens nothing of the other. After marker text went through every record kind, a
//! `pg_dump` of the database holds none of it.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};

use super::{cluster, start};
use crate::harness::{Client, Resp};

/// Every (method, path) of the document.
fn operations() -> Vec<(String, String)> {
    let doc: Value = serde_json::from_str(thaw_web::openapi_document()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

/// One account's side: its client, its marker word, what it made and deleted.
struct Side {
    client: Client,
    /// Letters only, so search sees one word; the two sides' markers share no prefix.
    mark: String,
    medicine: &'static str,
    made: Vec<String>,
    deleted: BTreeSet<String>,
    written: u32,
}

impl Side {
    fn text(&mut self) -> String {
        self.written += 1;
        let n: String = self.written.to_string().chars().map(|d| (b'a' + d as u8 - b'0') as char).collect();
        format!("{}{n}", self.mark)
    }

    /// A valid body for a route that takes one, with this side's marker in every free-text field.
    fn body(&mut self, path: &str) -> Value {
        let m = self.text();
        match path {
            "/api/v1/checkins" => json!({ "emotions": [{ "word": "numb" }], "note": m }),
            "/api/v1/journal" | "/api/v1/journal/{id}" => {
                json!({ "title": m, "body": format!("{m} body"), "tags": [m] })
            }
            "/api/v1/reactions" => {
                json!({ "situation": m, "intensity": 5, "styles": ["humour"], "felt": ["scared"], "reflection": m })
            }
            "/api/v1/releases" => json!({ "kind": "teared-up", "intensity": 4, "before": m }),
            "/api/v1/activities" => {
                json!({ "kind": "painting", "minutes": 20, "before": 3, "after": 5, "place": m, "note": m })
            }
            "/api/v1/people" => json!({ "name": m, "reach": "phone", "note": m }),
            "/api/v1/assessments" => json!({ "instrument": "who5", "answers": [3, 3, 3, 3, 3] }),
            "/api/v1/medications" => json!({ "name": self.medicine, "dose": 50, "unit": "mg", "note": m }),
            "/api/v1/medications/{id}/events" => json!({ "event": "paused", "note": m }),
            "/api/v1/selfchecks" => json!({ "answers": { "medication-1": 3 } }),
            "/api/v1/report/questions" => json!({ "text": m }),
            "/api/v1/search" => json!({ "q": self.mark }),
            "/api/v1/suggest" => json!({ "text": m }),
            "/api/v1/sync/push" => json!({ "base": 0, "changes": [] }),
            "/api/v1/unlock" => json!({ "passphrase": super::PASS }),
            // The same passphrase again: the whole flow runs, and the account stays usable.
            "/api/v1/account/passphrase" => {
                json!({ "passphrase": super::PASS, "new_passphrase": super::PASS })
            }
            _ => json!({}),
        }
    }
}

fn send(client: &Client, method: &str, path: &str, body: &Value) -> Resp {
    match method {
        "GET" => client.get(path),
        "DELETE" => client.delete(path),
        "PUT" => client.request_json("PUT", path, body),
        _ => client.post_json(path, body),
    }
}

/// Every private GET answer of `who`: lists, reports in each format, insights, the questions.
fn everything_seen(who: &Client) -> String {
    let mut seen = String::new();
    for (method, path) in operations() {
        if method != "GET" || path.contains('{') {
            continue;
        }
        seen.push_str(&who.get(&path).body);
    }
    for format in ["md", "html", "fhir"] {
        seen.push_str(&who.get(&format!("/api/v1/report?format={format}&from=2000-01-01")).body);
    }
    seen.push_str(&who.post_json("/api/v1/search", &json!({ "q": "a" })).body);
    seen
}

#[test]
fn two_accounts_never_see_change_or_find_each_other() {
    let s = start(|_| {});
    let ops: Vec<(String, String)> = operations()
        .into_iter()
        // Lock, sign-in, sign-out, recovery and deleting the account start or end sessions
        // (tested on their own, below); openapi.json is public.
        .filter(|(m, p)| {
            let doors = ["/lock", "/openapi.json", "/sessions", "/accounts", "/recovery"];
            let deletes_the_account = m == "DELETE" && p == "/api/v1/account";
            !doors.iter().any(|d| p.ends_with(d)) && !deletes_the_account
        })
        .collect();
    assert!(ops.len() >= 40, "{ops:?}");
    let round = std::cell::Cell::new(0u32);
    let mut runner = TestRunner::new(Config { cases: 3, failure_persistence: None, ..Config::default() });
    let steps = prop::collection::vec((any::<bool>(), 0..ops.len(), any::<bool>()), 60..90);
    let result = runner.run(&steps, |steps| {
        round.set(round.get() + 1);
        let round = round.get();
        let mut sides = [
            Side {
                client: s.account(&format!("ash{round}")),
                mark: "quokka".into(),
                medicine: "sertraline",
                made: vec![],
                deleted: BTreeSet::new(),
                written: 0,
            },
            Side {
                client: s.account(&format!("birch{round}")),
                mark: "wombat".into(),
                medicine: "fluoxetine",
                made: vec![],
                deleted: BTreeSet::new(),
                written: 0,
            },
        ];
        // Each side makes one record of every kind first, so there is always something to aim at.
        let mut plan: Vec<(usize, usize, bool)> = Vec::new();
        for (i, (method, path)) in ops.iter().enumerate() {
            if method == "POST" && !path.contains('{') {
                plan.push((0, i, false));
                plan.push((1, i, false));
            }
        }
        plan.extend(steps.iter().map(|(who, op, attack)| (usize::from(*who), *op, *attack)));
        for (who, op, attack) in plan {
            let (method, path) = &ops[op];
            let other = 1 - who;
            let target = if path.starts_with("/api/v1/medication") {
                Some(if attack { sides[other].medicine.to_owned() } else { sides[who].medicine.to_owned() })
            } else if path.contains("{id}") && !path.contains("questions") {
                let pool = if attack { &sides[other].made } else { &sides[who].made };
                pool.iter()
                    .rev()
                    .find(|id| !sides[other].deleted.contains(*id) && !sides[who].deleted.contains(*id))
                    .cloned()
            } else if path.contains("questions/{id}") {
                Some("1".to_owned())
            } else {
                None
            };
            let concrete = match &target {
                Some(t) => path.replace("{id}", t),
                None if path.contains('{') => continue,
                None => path.clone(),
            };
            let body = sides[who].body(path);
            let r = send(&sides[who].client, method, &concrete, &body);
            if r.status >= 500 || r.status == 401 {
                return Err(TestCaseError::fail(format!("{method} {concrete}: {} {}", r.status, r.body)));
            }
            let is_record_route =
                path.contains("{id}") && !path.contains("medication") && !path.contains("questions");
            if attack && is_record_route && r.status != 404 {
                return Err(TestCaseError::fail(format!(
                    "{method} {concrete} on the other account's record answered {}: {}",
                    r.status, r.body
                )));
            }
            if attack && path.starts_with("/api/v1/medications/{id}") && r.status < 400 {
                return Err(TestCaseError::fail(format!("{method} {concrete} reached the other's medicine")));
            }
            if method == "POST"
                && r.status == 201
                && !path.contains('{')
                && let Some(id) = r.json()["id"].as_str()
            {
                sides[who].made.push(id.to_owned());
            }
            if method == "DELETE" && !attack && is_record_route && r.status < 300 {
                sides[who].deleted.insert(target.unwrap_or_default());
            }
            // What one side reads never holds the other's words.
            if r.body.contains(&sides[other].mark) {
                return Err(TestCaseError::fail(format!(
                    "{method} {concrete} showed the other's text: {}",
                    r.body
                )));
            }
        }
        for who in 0..2 {
            let other = 1 - who;
            let seen = everything_seen(&sides[who].client);
            prop_assert!(!seen.contains(&sides[other].mark), "account {who} saw the other's text");
            for id in &sides[other].made {
                prop_assert!(!seen.contains(id.as_str()), "account {who} saw the other's id {id}");
            }
            let found =
                sides[who].client.post_json("/api/v1/search", &json!({ "q": sides[other].mark })).json();
            prop_assert_eq!(found.as_array().map(Vec::len), Some(0), "search found the other's records");
            // Everything the other made and didn't delete itself is still there, unchanged in owner.
            for id in sides[other].made.iter().filter(|id| !sides[other].deleted.contains(*id)) {
                let mine = sides[other].client.get(&format!("/api/v1/journal/{id}"));
                let theirs = sides[who].client.get(&format!("/api/v1/journal/{id}"));
                prop_assert!(theirs.status == 404, "{id}");
                prop_assert!(mine.status == 200 || mine.status == 404, "{id}");
            }
            let own = sides[who].client.post_json("/api/v1/search", &json!({ "q": sides[who].mark })).json();
            prop_assert!(own.as_array().is_some_and(|a| !a.is_empty()), "each finds its own");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn a_token_opens_only_its_own_account() {
    let s = start(|_| {});
    let a = s.account("alder");
    let b = s.account("beech");
    let id = a.post_json("/api/v1/journal", &json!({ "title": "alder's" })).status(201).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    b.get(&format!("/api/v1/journal/{id}")).status(404);
    b.request_json("PUT", &format!("/api/v1/journal/{id}"), &json!({ "title": "taken over" })).status(404);
    b.delete(&format!("/api/v1/journal/{id}")).status(404);
    assert_eq!(a.get(&format!("/api/v1/journal/{id}")).status(200).json()["title"], "alder's");
    // Locking through the API ends the session, like signing out.
    b.post_json("/api/v1/lock", &json!({})).status(200);
    b.get("/api/v1/journal").status(401);
    a.get("/api/v1/journal").status(200);
    // Unlock is for the local app: here it says to sign in instead.
    let r = a.post_json("/api/v1/unlock", &json!({ "passphrase": super::PASS })).status(422);
    assert!(r.json()["error"].as_str().unwrap().contains("sign in"));
}

#[test]
fn the_database_dump_holds_no_text_anyone_wrote() {
    let s = start(|_| {});
    let mut side = Side {
        client: s.account("dumpling"),
        mark: "xylophonic".into(),
        medicine: "sertraline",
        made: vec![],
        deleted: BTreeSet::new(),
        written: 0,
    };
    for (method, path) in operations() {
        let doors = ["lock", "search", "sessions", "accounts", "recovery"];
        if method == "POST" && !doors.iter().any(|d| path.contains(d)) {
            let concrete = path.replace("{id}", side.medicine);
            let body = side.body(&path);
            let r = side.client.post_json(&concrete, &body);
            assert!(r.status < 300, "{path}: {} {}", r.status, r.body);
        }
    }
    let id = side.made.first().cloned();
    drop(id);
    // Through a page too: the safety plan and the settings are sealed like records.
    let seen = everything_seen(&side.client);
    assert!(seen.contains("xylophonic"), "the account reads its own text back");
    let dump = cluster().dump(&s.db).unwrap();
    let dump = String::from_utf8_lossy(&dump);
    assert!(dump.contains("COPY public.records"), "the dump has the records table");
    assert!(!dump.contains("xylophonic"), "a marker reached the database in plain text");
    assert!(!dump.to_lowercase().contains("sertraline"));
}

/// The account routes act on the signed-in account only: one account's token can't change the
/// other's passphrase, read its export, delete it, or end its sessions, whatever secret it sends;
/// recovering one account ends that account's sessions and no one else's.
#[test]
fn account_routes_reach_only_the_signed_in_account() {
    let s = start(|_| {});
    let alder_words = s.sign_up("alder");
    let a = s.script("alder");
    let birch_words = s.sign_up("birch");
    let b = s.script("birch");
    // Different passphrases, so one can't stand in for the other.
    b.request_json(
        "PUT",
        "/api/v1/account/passphrase",
        &json!({ "passphrase": super::PASS, "new_passphrase": "birch bark in rain" }),
    )
    .status(204);
    a.post_json("/api/v1/journal", &json!({ "title": "alder marker quokka" })).status(201);
    b.post_json("/api/v1/journal", &json!({ "title": "birch marker wombat" })).status(201);

    // Export: each gets its own records only.
    let exported = a.get("/api/v1/account/export").status(200);
    assert!(exported.body.contains("quokka") && !exported.body.contains("wombat"), "{}", exported.body);
    let exported = b.get("/api/v1/account/export").status(200);
    assert!(exported.body.contains("wombat") && !exported.body.contains("quokka"));

    // Alder's token with birch's passphrase: checked against alder's account, so refused.
    let r = a
        .request_json(
            "PUT",
            "/api/v1/account/passphrase",
            &json!({ "passphrase": "birch bark in rain", "new_passphrase": "taken over now" }),
        )
        .status(401);
    assert!(r.json()["error"].as_str().unwrap().contains("don't match"));
    a.request_json("DELETE", "/api/v1/account", &json!({ "passphrase": "birch bark in rain" })).status(401);
    s.client()
        .post_json("/api/v1/sessions", &json!({ "username": "birch", "passphrase": "birch bark in rain" }))
        .status(201);
    b.get("/api/v1/journal").status(200);

    // Alder's recovery words don't open birch.
    let r = s
        .client()
        .post_json(
            "/api/v1/recovery",
            &json!({ "username": "birch", "recovery_key": alder_words, "new_passphrase": "taken over now" }),
        )
        .status(403);
    assert!(r.json()["error"].is_string());
    b.get("/api/v1/journal").status(200);

    // Birch's own words: a new passphrase and a new session; birch's old sessions end, alder's don't.
    let back = s
        .client()
        .post_json("/api/v1/recovery", &json!({ "username": "birch", "recovery_key": birch_words, "new_passphrase": "a new birch passphrase" }))
        .status(201);
    assert!(back.json()["token"].is_string());
    b.get("/api/v1/journal").status(401);
    a.get("/api/v1/journal").status(200);

    // Alder deletes alder: alder's sessions end, birch and birch's records stay.
    a.request_json("DELETE", "/api/v1/account", &json!({ "passphrase": super::PASS })).status(204);
    a.get("/api/v1/journal").status(401);
    let birch = s
        .client()
        .post_json(
            "/api/v1/sessions",
            &json!({ "username": "birch", "passphrase": "a new birch passphrase" }),
        )
        .status(201);
    let mut again = s.client();
    again.auth = crate::harness::Auth::Bearer(birch.json()["token"].as_str().unwrap().to_owned());
    assert!(again.get("/api/v1/journal").status(200).body.contains("wombat"));
    s.client()
        .post_json("/api/v1/sessions", &json!({ "username": "alder", "passphrase": super::PASS }))
        .status(401);
}
