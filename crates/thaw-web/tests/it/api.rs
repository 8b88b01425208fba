//! The JSON API: status codes, the CLI's record JSON, and the OpenAPI document against the router.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::harness::{Client, PASS, TestServer, start};

fn api(s: &TestServer) -> Client {
    let c = Client::bearer(s);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    c
}

#[test]
fn unlock_and_lock() {
    let s = start();
    let c = Client::bearer(&s);
    c.get("/api/v1/checkins").status(423);
    let r = c.post_json("/api/v1/unlock", &json!({ "passphrase": "wrong horse" })).status(403);
    assert!(r.json()["error"].as_str().unwrap().contains("passphrase isn't right"));
    c.post_json("/api/v1/unlock", &json!({ "passphrase": "" })).status(422);
    c.post_json("/api/v1/unlock", &json!({})).status(422);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS, "remember": true })).status(422);
    c.post_raw("/api/v1/unlock", "application/json", "{\"passphrase\": ").status(400);
    c.post_raw("/api/v1/unlock", "text/plain", PASS).status(415);
    assert_eq!(
        c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200).json()["unlocked"],
        true
    );
    // Once open, a wrong passphrase is still refused, and the vault stays open.
    c.post_json("/api/v1/unlock", &json!({ "passphrase": "wrong horse" })).status(403);
    c.get("/api/v1/checkins").status(200);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    assert_eq!(c.post_json("/api/v1/lock", &json!({})).status(200).json()["unlocked"], false);
    c.get("/api/v1/journal").status(423);
}

#[test]
fn check_ins_round_trip_as_the_cli_prints_them() {
    let s = start();
    let c = api(&s);
    let r = c
        .post_json(
            "/api/v1/checkins",
            &json!({ "emotions": [{ "word": "Hurt", "intensity": 6 }, { "word": "worn out" }], "note": "after the call", "body": ["tight chest"], "said_aloud": false, "absence": null, "at": null }),
        )
        .status(201);
    let rec = r.json();
    assert_eq!(rec["type"], "checkin");
    assert_eq!(rec["emotions"][0], json!({ "word": "hurt", "intensity": 6 }));
    assert_eq!(rec["body"], json!(["tight-chest"]));
    assert_eq!(rec["id"].as_str().unwrap().len(), 36);
    assert_eq!(r.header("location").unwrap(), format!("/api/v1/checkins/{}", rec["id"].as_str().unwrap()));
    let keys: BTreeSet<&str> = rec.as_object().unwrap().keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = [
        "id",
        "type",
        "at",
        "created_at",
        "updated_at",
        "emotions",
        "body",
        "note",
        "said_aloud",
        "follow_up",
    ]
    .into_iter()
    .collect();
    assert_eq!(keys, want);
    assert!(rec["follow_up"].is_null(), "nothing to show after this check-in: {rec}");
    let mut rec = rec;
    rec.as_object_mut().unwrap().remove("follow_up");
    let id = rec["id"].as_str().unwrap();
    assert_eq!(c.get(&format!("/api/v1/checkins/{id}")).status(200).json(), rec);
    assert_eq!(c.get(&format!("/api/v1/checkins/{}", &id[28..])).status(200).json(), rec, "short ids work");
    c.get(&format!("/api/v1/journal/{id}")).status(404);
    c.get("/api/v1/checkins/0000000000000000").status(404);
    c.get("/api/v1/checkins/not-an-id").status(422);
    let back = c
        .post_json("/api/v1/checkins", &json!({ "absence": "cant-tell", "at": "2025-03-05" }))
        .status(201)
        .json();
    assert_eq!(back["at"], "2025-03-05T12:00:00Z");
}

#[test]
fn bad_input_is_a_4xx_with_a_message_never_a_5xx() {
    let s = start();
    let c = api(&s);
    let bodies: Vec<(&str, &str)> = vec![
        ("/api/v1/checkins", r#"{"emotions": [{"word": "angyr"}]}"#),
        ("/api/v1/checkins", r#"{"emotions": [{"word": "hurt", "intensity": 11}]}"#),
        ("/api/v1/checkins", r#"{"emotions": [{"word": "hurt", "intensity": -1}]}"#),
        ("/api/v1/checkins", r#"{"emotions": [{"word": "hurt", "intensity": 99999999999999999999999}]}"#),
        ("/api/v1/checkins", r#"{"emotions": [{"word": "hurt", "intensity": 1e400}]}"#),
        ("/api/v1/checkins", r#"{"emotions": [{"word": "hurt", "intensity": 5.5}]}"#),
        ("/api/v1/checkins", r#"{"emotions": [{"word": "hurt", "intensity": "5"}]}"#),
        ("/api/v1/checkins", r#"{"emotions": "hurt"}"#),
        ("/api/v1/checkins", r#"{"emotions": []}"#),
        ("/api/v1/checkins", r#"{"absence": "everything"}"#),
        ("/api/v1/checkins", r#"{"absence": "nothing", "mood": 3}"#),
        ("/api/v1/checkins", r#"{"absence": "nothing", "at": "last tuesday"}"#),
        ("/api/v1/checkins", r#"{"absence": "nothing", "at": "2999-01-01"}"#),
        ("/api/v1/checkins", r#"{"absence": "nothing", "body": ["glowing ears"]}"#),
        ("/api/v1/checkins", r#"[]"#),
        ("/api/v1/checkins", r#"null"#),
        ("/api/v1/checkins", r#"{"#),
        ("/api/v1/checkins", ""),
        ("/api/v1/checkins", "\u{0}\u{1}"),
        ("/api/v1/journal", r#"{"title": ""}"#),
        ("/api/v1/journal", r#"{"body": "no title"}"#),
        ("/api/v1/journal", r#"{"title": "t", "emotions": ["zzzz"]}"#),
        ("/api/v1/journal", r#"{"title": "t", "tags": [1]}"#),
        ("/api/v1/reactions", r#"{"situation": "x", "intensity": 3, "styles": []}"#),
        ("/api/v1/reactions", r#"{"situation": "x", "intensity": 3, "styles": ["sulked"]}"#),
        ("/api/v1/reactions", r#"{"situation": "", "intensity": 3, "styles": ["humour"]}"#),
        ("/api/v1/reactions", r#"{"situation": "x", "intensity": 300, "styles": ["humour"]}"#),
        ("/api/v1/activities", r#"{"kind": "walking", "minutes": 0, "before": 1, "after": 2}"#),
        ("/api/v1/activities", r#"{"kind": "walking", "minutes": 4294967296, "before": 1, "after": 2}"#),
        ("/api/v1/activities", r#"{"kind": "flying", "minutes": 10, "before": 1, "after": 2}"#),
        ("/api/v1/activities", r#"{"kind": "walking", "minutes": 10, "before": 1}"#),
        ("/api/v1/releases", r#"{"kind": "cried", "intensity": 3, "linked": "abcd1234"}"#),
        ("/api/v1/releases", r#"{"kind": "cried", "intensity": 3, "linked": "zz"}"#),
        ("/api/v1/releases", r#"{"kind": "sobbed", "intensity": 3}"#),
        ("/api/v1/releases", r#"{"kind": "cried", "intensity": 3, "relief": 12}"#),
        ("/api/v1/people", r#"{"name": " "}"#),
        ("/api/v1/people", r#"{"name": "Sam", "phone": "1"}"#),
        ("/api/v1/search", r#"{"q": "x", "kinds": ["diary"]}"#),
        ("/api/v1/search", r#"{"q": "x", "limit": 0}"#),
        ("/api/v1/search", r#"{"q": "x", "limit": 18446744073709551616}"#),
        ("/api/v1/search", r#"{"query": "x"}"#),
        ("/api/v1/medications", r#"{"name": "sertraline", "dose": 1e400, "unit": "mg"}"#),
        ("/api/v1/medications", r#"{"name": "sertraline", "dose": "1.2345", "unit": "mg"}"#),
        ("/api/v1/medications", r#"{"name": "sertraline", "dose": 50, "unit": "mg", "at": "2999-01-01"}"#),
        ("/api/v1/medications", r#"{"name": ["sertraline"], "dose": 50, "unit": "mg"}"#),
        ("/api/v1/medications/sertraline/events", r#"{"event": "taken"}"#),
        ("/api/v1/medications/%FF/events", r#"{"event": "taken"}"#),
        ("/api/v1/selfchecks", r#"{"answers": {"medication-1": 256}}"#),
        ("/api/v1/selfchecks", r#"{"answers": []}"#),
        ("/api/v1/report/questions", r#"{"text": 5}"#),
        ("/api/v1/assessments", r#"{"instrument": "phq9", "answers": [0, 0]}"#),
        ("/api/v1/assessments", r#"{"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 9]}"#),
        ("/api/v1/assessments", r#"{"instrument": "who5", "answers": [3, 3, 3, 3, 3], "difficulty": 1}"#),
    ];
    for (path, body) in bodies {
        let r = c.post_raw(path, "application/json", body);
        assert!((400..500).contains(&r.status), "{path} {body}: {} {}", r.status, r.body);
        let e = r.json();
        assert!(e["error"].as_str().is_some_and(|m| !m.is_empty()), "{path} {body}: {}", r.body);
        // The way forward is worded for the API, never as terminal flags or commands.
        let m = e["error"].as_str().unwrap_or_default();
        assert!(!m.contains("--") && !m.contains("`thaw"), "{path} {body}: {m}");
    }
    let long_title = json!({ "title": "x".repeat(201) });
    assert_eq!(c.post_json("/api/v1/journal", &long_title).status, 422);
    for q in [
        "?limit=0",
        "?limit=abc",
        "?limit=99999999999999999999",
        "?from=yesterday",
        "?from=2025-03-06&to=2025-03-05",
        "?color=blue",
        "?to=9999-12-31",
    ] {
        let r = c.get(&format!("/api/v1/checkins{q}"));
        assert!((400..500).contains(&r.status), "{q}: {} {}", r.status, r.body);
    }
    for path in [
        "/api/v1/checkins",
        "/api/v1/journal",
        "/api/v1/reactions",
        "/api/v1/activities",
        "/api/v1/releases",
        "/api/v1/people",
    ] {
        assert_eq!(c.get(path).json(), json!([]), "{path}: nothing was saved");
    }
}

#[test]
fn every_kind_lists_reads_and_adds() {
    let s = start();
    let c = api(&s);
    let journal = c
        .post_json("/api/v1/journal", &json!({ "title": "Monday", "body": "A *quiet* day.", "tags": ["#Work"], "emotions": ["tired"], "at": "2025-03-05" }))
        .status(201)
        .json();
    assert_eq!(journal["tags"], json!(["work"]));
    assert_eq!(journal["starred"], false);
    let reaction = c
        .post_json("/api/v1/reactions", &json!({ "situation": "Bad news", "intensity": 7, "styles": ["humour", "kept busy"], "felt": ["scared"] }))
        .status(201)
        .json();
    assert_eq!(reaction["styles"], json!(["humour", "kept-busy"]));
    let activity = c
        .post_json(
            "/api/v1/activities",
            &json!({ "kind": "walk", "minutes": 30, "place": "park", "before": 3, "after": 5 }),
        )
        .status(201)
        .json();
    assert_eq!(activity["kind"], "walking");
    let short = &activity["id"].as_str().unwrap()[28..];
    let release = c
        .post_json(
            "/api/v1/releases",
            &json!({ "kind": "teared-up", "intensity": 4, "relief": 6, "linked": short }),
        )
        .status(201)
        .json();
    assert_eq!(release["linked"], activity["id"]);
    let person =
        c.post_json("/api/v1/people", &json!({ "name": "Robin", "reach": "phone" })).status(201).json();
    for (path, rec) in [
        ("/api/v1/journal", &journal),
        ("/api/v1/reactions", &reaction),
        ("/api/v1/activities", &activity),
        ("/api/v1/releases", &release),
        ("/api/v1/people", &person),
    ] {
        let mut rec = rec.clone();
        assert_eq!(rec.as_object_mut().unwrap().remove("follow_up"), Some(Value::Null), "{path}");
        let rec = &rec;
        assert_eq!(c.get(path).status(200).json(), json!([rec]), "{path}");
        let id = rec["id"].as_str().unwrap();
        assert_eq!(&c.get(&format!("{path}/{id}")).status(200).json(), rec, "{path}");
    }
    // Date filters use the person's days (UTC in these tests), inclusive.
    assert_eq!(c.get("/api/v1/journal?from=2025-03-05&to=2025-03-05").json().as_array().unwrap().len(), 1);
    assert_eq!(c.get("/api/v1/journal?from=2025-03-06").json().as_array().unwrap().len(), 0);
    assert_eq!(c.get("/api/v1/journal?to=2025-03-04").json().as_array().unwrap().len(), 0);
    for _ in 0..3 {
        c.post_json("/api/v1/checkins", &json!({ "absence": "nothing" })).status(201);
    }
    assert_eq!(c.get("/api/v1/checkins?limit=2").json().as_array().unwrap().len(), 2);
    // Delete a journal entry.
    let id = journal["id"].as_str().unwrap();
    c.delete(&format!("/api/v1/journal/{id}")).status(204);
    c.delete(&format!("/api/v1/journal/{id}")).status(404);
    c.get(&format!("/api/v1/journal/{id}")).status(404);
}

#[test]
fn search_and_vocabulary() {
    let s = start();
    let c = api(&s);
    c.post_json("/api/v1/journal", &json!({ "title": "Lake", "body": "The water was very still." }))
        .status(201);
    c.post_json("/api/v1/checkins", &json!({ "absence": "nothing", "note": "still nothing" })).status(201);
    let hits = c.post_json("/api/v1/search", &json!({ "q": "still" })).status(200).json();
    assert_eq!(hits.as_array().unwrap().len(), 2);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("still"));
    let hits = c
        .post_json("/api/v1/search", &json!({ "q": "still", "kinds": ["journal"], "limit": 5 }))
        .status(200)
        .json();
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["title"], "Lake");
    assert_eq!(c.post_json("/api/v1/search", &json!({ "q": "\"*(OR" })).status(200).json(), json!([]));
    c.get("/api/v1/search?q=still").status(405);
    let v = c.get("/api/v1/vocabulary").status(200).json();
    assert!(v["emotions"].as_array().unwrap().len() >= 120);
    let numb = v["emotions"].as_array().unwrap().iter().find(|e| e["word"] == "numb").unwrap();
    assert_eq!(numb["family"], "absence");
    assert!(numb["meaning"].as_str().is_some() && numb["valence"].is_number() && numb["energy"].is_number());
    assert_eq!(v["families"].as_array().unwrap().len(), 7);
    assert!(v["body"].as_array().unwrap().iter().any(|b| b["id"] == "tight-chest"));
}

/// Every (method, path) in openapi.json, with `{id}` as written.
fn documented(spec: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete", "head", "options"].contains(&method.as_str()) {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn the_openapi_document_matches_the_router() {
    let s = start();
    let c = api(&s);
    let spec = crate::openapi::served(&c);
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let in_spec = documented(&spec);
    let on_router: BTreeSet<(String, String)> = thaw_web::documented_routes().into_iter().collect();
    assert_eq!(in_spec, on_router, "openapi.json and the router list the same routes");
    // Each listed route answers on the live server (not 404 for the route, not 405) …
    let id = c.post_json("/api/v1/journal", &json!({ "title": "t" })).status(201).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paths: BTreeSet<&String> = on_router.iter().map(|(_, p)| p).collect();
    for (method, path) in &on_router {
        if path.ends_with("/lock") || path.ends_with("/unlock") {
            continue;
        }
        let concrete = path.replace("{id}", &id);
        let r = c.request(method, &concrete);
        assert_ne!(r.status, 405, "{method} {path}: {}", r.body);
        if !path.contains("{id}") {
            assert_ne!(r.status, 404, "{method} {path}: {}", r.body);
        }
        assert!(!r.body.contains("no such API route"), "{method} {path}");
        // … with a status its documentation lists, and the documented shape.
        crate::openapi::check(&spec, method, path, &r);
    }
    // … and answers no method it doesn't list.
    for path in paths {
        let concrete = path.replace("{id}", &id);
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if on_router.contains(&(method.to_owned(), path.clone())) {
                continue;
            }
            let r = c.request(method, &concrete);
            assert_eq!(r.status, 405, "{method} {path} isn't documented but answered {}", r.status);
        }
    }
    // Every operation's schemas resolve.
    let text = spec.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = &reference[..reference.find('"').unwrap()];
        let mut node = &spec;
        for part in target.trim_start_matches("#/").split('/') {
            node = &node[part];
        }
        assert!(!node.is_null(), "unresolved {target}");
    }
}

#[test]
fn unknown_api_paths_are_json_404s() {
    let s = start();
    let c = api(&s);
    let r = c.get("/api/v1/nothing-here").status(404);
    assert!(r.json()["error"].as_str().is_some());
    let r = c.get("/api/v2/checkins").status(404);
    assert!(r.json()["error"].as_str().is_some());
}

#[test]
fn odd_values_in_every_field_never_cause_a_5xx() {
    let s = start();
    let c = api(&s);
    let odd = [
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(11),
        json!(1e308),
        json!(-9_223_372_036_854_775_808_i64),
        json!(18_446_744_073_709_551_615_u64),
        json!(""),
        json!(" "),
        json!("\u{0}"),
        json!("x".repeat(20_000)),
        json!("2025-13-45"),
        json!("../../etc/passwd"),
        json!("<script>"),
        json!([]),
        json!([null]),
        json!(["hurt", 3]),
        json!({}),
        json!({ "word": "hurt" }),
    ];
    let templates = [
        (
            "/api/v1/checkins",
            json!({ "emotions": [{ "word": "hurt", "intensity": 3 }], "note": "n", "body": ["tight chest"], "said_aloud": false, "absence": null, "at": null }),
        ),
        (
            "/api/v1/journal",
            json!({ "title": "t", "body": "b", "tags": ["a"], "emotions": ["calm"], "prompt": "p", "starred": false, "at": null }),
        ),
        (
            "/api/v1/reactions",
            json!({ "situation": "s", "intensity": 3, "styles": ["humour"], "felt": ["hurt"], "reflection": "r", "at": null }),
        ),
        (
            "/api/v1/activities",
            json!({ "kind": "walking", "minutes": 10, "place": "p", "before": 1, "after": 2, "note": "n", "at": null }),
        ),
        (
            "/api/v1/releases",
            json!({ "kind": "cried", "intensity": 3, "before": "b", "relief": 4, "linked": null, "at": null }),
        ),
        ("/api/v1/people", json!({ "name": "n", "reach": "r", "note": "n" })),
        ("/api/v1/search", json!({ "q": "x", "kinds": ["journal"], "limit": 5 })),
        ("/api/v1/unlock", json!({ "passphrase": PASS })),
    ];
    for (path, template) in &templates {
        let fields: Vec<String> = template.as_object().unwrap().keys().cloned().collect();
        for field in &fields {
            for value in &odd {
                let mut body = template.clone();
                body[field] = value.clone();
                let r = c.post_json(path, &body);
                assert!(r.status < 500, "{path} {field}={value}: {} {}", r.status, r.body);
                assert!(
                    r.status == 200 || r.status == 201 || r.json()["error"].is_string(),
                    "{path} {field}={value}: {}",
                    r.body
                );
            }
            let mut missing = template.clone();
            missing.as_object_mut().unwrap().remove(field);
            assert!(c.post_json(path, &missing).status < 500, "{path} without {field}");
        }
    }
    for path in [
        "/api/v1/checkins/%FF",
        "/api/v1/journal/%00",
        "/api/v1/people/..%2F..",
        "/api/v1/journal/ffffffffffffffffffffffffffffffffff",
    ] {
        let r = c.get(path);
        assert!(
            (400..500).contains(&r.status) && r.json()["error"].is_string(),
            "{path}: {} {}",
            r.status,
            r.body
        );
    }
}

#[test]
fn assessments_are_saved_with_their_followup() {
    let s = start();
    let c = api(&s);
    let r = c
        .post_json(
            "/api/v1/assessments",
            &json!({ "instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 2] }),
        )
        .status(201)
        .json();
    assert_eq!(r["type"], "assessment");
    assert_eq!(r["item9"], 2);
    assert_eq!(r["follow_up"]["reason"], "phq9_item9", "{r}");
    assert!(
        r["follow_up"]["crisis"]["international"]["url"].as_str().unwrap().contains("findahelpline"),
        "{r}"
    );
    let r = c
        .post_json("/api/v1/assessments", &json!({ "instrument": "who5", "answers": [3, 3, 3, 3, 3] }))
        .status(201)
        .json();
    assert!(r.get("follow_up").is_some_and(Value::is_null), "{r}");
    c.post_json("/api/v1/assessments", &json!({ "instrument": "phq9", "answers": [0, 0] })).status(422);
    c.post_json("/api/v1/assessments", &json!({ "instrument": "nope", "answers": [0] })).status(422);
    assert_eq!(c.get("/api/v1/assessments").status(200).json().as_array().unwrap().len(), 2);
}
