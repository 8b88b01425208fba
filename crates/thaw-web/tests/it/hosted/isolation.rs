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
        // Lock, sign-in and sign-out start or end sessions (tested on their own); openapi.json
        // is public.
        .filter(|(_, p)| {
            !p.ends_with("/lock")
                && !p.ends_with("/openapi.json")
                && !p.ends_with("/sessions")
                && !p.ends_with("/accounts")
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
        let doors = ["lock", "search", "sessions", "accounts"];
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
