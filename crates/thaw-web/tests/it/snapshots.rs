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
                (r"Made on \d{4}-\d{2}-\d{2}", "Made on [today]"),
                (r"(Today|Yesterday|[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}), \d{2}:\d{2} · ", "[when] · "),
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

    // The new pages, over a fixed fortnight (unlocked again after the unlock page above).
    api.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    for (at, word) in [("2025-03-03T09:00:00Z", "numb"), ("2025-03-10T09:00:00Z", "calm")] {
        api.post_json(
            "/api/v1/checkins",
            &json!({ "emotions": [{ "word": word, "intensity": 4 }], "at": at }),
        )
        .status(201);
    }
    api.post_json(
        "/api/v1/medications",
        &json!({ "name": "Zoloft", "dose": 50, "unit": "mg", "at": "2025-03-02T08:00:00Z", "note": "morning" }),
    )
    .status(201);
    api.post_json(
        "/api/v1/medications/sertraline/events",
        &json!({ "event": "dose-changed", "dose": 100, "unit": "mg", "at": "2025-03-09T08:00:00Z" }),
    )
    .status(201);
    api.post_json(
        "/api/v1/assessments",
        &json!({ "instrument": "phq9", "answers": [1, 1, 2, 1, 0, 1, 1, 0, 0], "at": "2025-03-08T10:00:00Z" }),
    )
    .status(201);
    api.post_json("/api/v1/report/questions", &json!({ "text": "Could the dose explain feeling flat?" }))
        .status(201);
    let c = Client::unlocked(&s);
    snapshot!("meds", main_of(&c.get("/meds").status(200).body));
    snapshot!("med_info", main_of(&c.form("/meds/info", &[("lookup", "Zoloft")]).status(200).body));
    let saved = c.form("/selfcheck", &[("medication-1", "3"), ("anxiety-judgement-2", "2")]).status(303);
    snapshot!("selfcheck_result", main_of(&c.get(saved.header("location").unwrap()).status(200).body));
    snapshot!("insights", main_of(&c.get("/insights?from=2025-03-01&to=2025-03-14").status(200).body));
    snapshot!("report", main_of(&c.get("/report?from=2025-03-01&to=2025-03-14").status(200).body));
}
