//! Snapshots of rendered pages, with tokens, ids and asset versions redacted.

use serde_json::json;

use crate::harness::{Client, PASS, start};

macro_rules! snapshot {
    ($name:expr, $html:expr) => {
        insta::with_settings!({
            filters => vec![
                (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
                (r#"name="_csrf" value="[A-Za-z0-9_-]+""#, r#"name="_csrf" value="[csrf]""#),
                (r#"data-csrf="[A-Za-z0-9_-]+""#, r#"data-csrf="[csrf]""#),
                (r"\?v=[0-9a-f]+", "?v=[assets]"),
            ],
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $html);
        });
    };
}

/// The part of a page inside <main>.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("main");
    let end = html.find("</main>").expect("end of main") + "</main>".len();
    html[start..end].to_owned()
}

#[test]
fn pages_look_as_reviewed() {
    let s = start();
    let api = Client::bearer(&s);
    api.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    api.post_json(
        "/api/v1/checkins",
        &json!({ "emotions": [{ "word": "hurt", "intensity": 6 }], "at": "2025-03-05T09:30:00Z" }),
    )
    .status(201);
    let entry = api
        .post_json(
            "/api/v1/journal",
            &json!({ "title": "A quiet Sunday", "body": "I walked to the lake.\n\n- it was *still*\n- I felt **something**", "tags": ["sunday"], "emotions": ["calm"], "at": "2025-03-09T18:00:00Z" }),
        )
        .status(201)
        .json();
    let c = Client::unlocked(&s);
    snapshot!("home", c.get("/").status(200).body);
    snapshot!("checkin_start", main_of(&c.get("/checkin").status(200).body));
    snapshot!(
        "journal_entry",
        main_of(&c.get(&format!("/journal/{}", entry["id"].as_str().unwrap())).status(200).body)
    );
    snapshot!("crisis", main_of(&c.get("/crisis").status(200).body));
    let locked = Client::browser(&s);
    locked.form("/lock", &[]).status(303);
    snapshot!("unlock", main_of(&locked.get("/unlock").status(200).body));
}
