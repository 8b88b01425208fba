//! `/meds` and `/api/v1/medications`: the list, adding (with "did you mean"), changes, and what
//! Thaw's table knows. Bad input is a 4xx that says what to do, and changes nothing.

use serde_json::json;

use crate::harness::{Client, PASS, start};

#[test]
fn the_meds_page_adds_notes_changes_and_explains() {
    let s = start();
    let c = Client::unlocked(&s);
    let empty = c.get("/meds").status(200).text();
    assert!(empty.contains("No medicines yet"), "{empty}");
    assert!(empty.contains("aria-current=\"page\">Medicines</a>"));
    // A brand resolves to its generic name and group.
    let r =
        c.form("/meds", &[("name", "Zoloft"), ("dose", "50"), ("unit", "mg"), ("at", "2025-03-01T08:00")]);
    assert_eq!(r.status(303).header("location"), Some("/meds?done=added"));
    let page = c.get("/meds?done=added").status(200).text();
    assert!(page.contains("Added to your list."), "{page}");
    assert!(page.contains("sertraline <span class=\"quiet\">(SSRI)</span>"), "{page}");
    assert!(page.contains("status-taking") && page.contains("50 mg"), "{page}");
    assert!(page.contains("About SSRIs, and a question for your prescriber"), "{page}");
    assert!(page.contains("2025-03-01</span> started · 50 mg"), "{page}");
    // A likely typo asks first, keeping what was typed; nothing is saved.
    let typo = c.form("/meds", &[("name", "fluoxetin"), ("dose", "20"), ("unit", "mg")]).status(422).text();
    assert!(typo.contains("Did you mean fluoxetine?"), "{typo}");
    assert!(typo.contains("name=\"use\" value=\"fluoxetine\""), "{typo}");
    assert!(typo.contains("name=\"dose\" value=\"20\""), "{typo}");
    assert!(!c.get("/meds").text().contains("fluoxetine <span"));
    c.form("/meds", &[("name", "fluoxetin"), ("use", "fluoxetine"), ("dose", "20"), ("unit", "mg")])
        .status(303);
    assert!(c.get("/meds").text().contains("fluoxetine <span class=\"quiet\">(SSRI)</span>"));
    // … or keeps it as typed.
    c.form("/meds", &[("name", "fluoxetin"), ("as_typed", "1"), ("dose", "1"), ("unit", "tablets")])
        .status(303);
    // Unknown names are fine.
    c.form("/meds", &[("name", "Evening tonic"), ("dose", "1"), ("unit", "tablets")]).status(303);
    assert!(c.get("/meds").text().contains("Evening tonic"));
    // Missing or impossible doses.
    let r = c.form("/meds", &[("name", "mirtazapine"), ("dose", ""), ("unit", "mg")]).status(422).text();
    assert!(r.contains("Please add the dose and its unit"), "{r}");
    assert!(r.contains("value=\"mirtazapine\""), "what was typed stays: {r}");
    let r = c.form("/meds", &[("name", "mirtazapine"), ("dose", "lots"), ("unit", "mg")]).status(422).text();
    assert!(r.contains("must be a number"), "{r}");
    c.form("/meds", &[("name", "mirtazapine"), ("dose", "15"), ("unit", "buckets")]).status(422);
    c.form("/meds", &[("name", "  "), ("dose", "15"), ("unit", "mg")]).status(422);
    // Changes.
    let r = c.form(
        "/meds/change",
        &[("name", "sertraline"), ("event", "dose-changed"), ("dose", "100"), ("unit", "mg")],
    );
    assert_eq!(r.status(303).header("location"), Some("/meds?done=dose-changed"));
    assert!(c.get("/meds").text().contains("dose changed · 100 mg"));
    c.form("/meds/change", &[("name", "Zoloft"), ("event", "taken")]).status(303);
    assert!(c.get("/meds").text().contains("Noted as taken once"));
    let r = c.form("/meds/change", &[("name", "sertraline"), ("event", "paused")]);
    assert_eq!(r.status(303).header("location"), Some("/meds?done=paused"));
    let paused = c.get("/meds?done=paused").text();
    assert!(paused.contains("withdrawal effects") && paused.contains("status-paused"), "{paused}");
    let r = c.form("/meds/change", &[("name", "sertraline"), ("event", "paused")]).status(422).text();
    assert!(r.contains("already paused"), "{r}");
    assert!(!r.contains("thaw med"), "no CLI commands on a page: {r}");
    let r = c.form("/meds/change", &[("name", "sertraline"), ("event", "started")]).status(422).text();
    assert!(r.contains("Please add the dose"), "{r}");
    c.form("/meds/change", &[("name", "sertraline"), ("event", "started"), ("dose", "50"), ("unit", "mg")])
        .status(303);
    let r = c.form("/meds/change", &[("name", "lithium"), ("event", "taken")]).status(422).text();
    assert!(r.contains("isn't on your medicine list yet"), "{r}");
    let r = c.form("/meds/change", &[("name", "sertraline"), ("event", "exploded")]).status(422).text();
    assert!(r.contains("isn't a known change"), "{r}");
    c.form("/meds/change", &[("name", "sertraline"), ("event", "taken"), ("at", "yesterday-ish")])
        .status(422);
    // Looking up: POST, so the name stays out of the history.
    let info = c.form("/meds/info", &[("lookup", "Prozac")]).status(200).text();
    assert!(info.contains("<h1>fluoxetine</h1>") && info.contains("N06AB03"), "{info}");
    assert!(info.contains("question you could bring to your prescriber"), "{info}");
    assert!(info.contains("not advice about your medicine"), "{info}");
    let near = c.form("/meds/info", &[("lookup", "sertalin")]).status(422).text();
    assert!(near.contains("Did you mean sertraline?"), "{near}");
    assert!(near.contains("name=\"lookup\" value=\"sertraline\""), "{near}");
    c.form("/meds/info", &[("lookup", "")]).status(422);
}

#[test]
fn the_medications_api_mirrors_thaw_med() {
    let s = start();
    let c = Client::bearer(&s);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    assert_eq!(c.get("/api/v1/medications").status(200).json(), json!([]));
    let r = c
        .post_json("/api/v1/medications", &json!({ "name": "Zoloft", "dose": 50, "unit": "mg" }))
        .status(201);
    let record = r.json();
    assert_eq!(record["type"], "medication");
    assert_eq!(record["name"], "sertraline");
    assert_eq!(record["class"], "ssri");
    assert_eq!(record["event"], "started");
    assert!(r.header("location").unwrap().starts_with("/api/v1/medications/"));
    let list = c.get("/api/v1/medications").status(200).json();
    assert_eq!(list[0]["id"], "sertraline");
    assert_eq!(list[0]["status"], "active");
    assert_eq!(list[0]["blunting_reported"], true);
    assert!(list[0]["prescriber_question"].as_str().unwrap().len() > 10);
    c.post_json(
        "/api/v1/medications/sertraline/events",
        &json!({ "event": "dose-changed", "dose": 37.5, "unit": "mg" }),
    )
    .status(201);
    let one = c.get("/api/v1/medications/Zoloft").status(200).json();
    assert_eq!(one["dose"], 37.5);
    c.post_json("/api/v1/medications/sertraline/events", &json!({ "event": "paused", "note": "planned" }))
        .status(201);
    let again =
        c.post_json("/api/v1/medications/sertraline/events", &json!({ "event": "paused" })).status(422);
    assert!(again.json()["error"].as_str().unwrap().contains("already paused"));
    for bad in [
        json!({ "event": "nap" }),
        json!({ "event": "dose-changed" }),
        json!({ "event": "taken", "dose": 5, "unit": "mg" }),
        json!({ "event": "taken", "extra": 1 }),
        json!({ "event": 7 }),
    ] {
        let r = c.post_json("/api/v1/medications/sertraline/events", &bad);
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(r.json()["error"].is_string());
    }
    let r = c.post_json("/api/v1/medications/lithium/events", &json!({ "event": "taken" })).status(422);
    assert!(r.json()["error"].as_str().unwrap().contains("isn't on your medicine list"));
    c.get("/api/v1/medications/lithium").status(404);
    // A likely typo is refused unless kept as typed.
    let r = c
        .post_json("/api/v1/medications", &json!({ "name": "fluoxetin", "dose": 20, "unit": "mg" }))
        .status(422);
    assert!(r.json()["error"].as_str().unwrap().contains("Did you mean fluoxetine?"));
    c.post_json(
        "/api/v1/medications",
        &json!({ "name": "fluoxetin", "dose": 20, "unit": "mg", "as_typed": true }),
    )
    .status(201);
    for bad in [
        json!({ "name": "mirtazapine", "dose": "abc", "unit": "mg" }),
        json!({ "name": "mirtazapine", "dose": -5, "unit": "mg" }),
        json!({ "name": "mirtazapine", "dose": 1e308, "unit": "mg" }),
        json!({ "name": "mirtazapine", "dose": 0.0001, "unit": "mg" }),
        json!({ "name": "mirtazapine", "dose": 15 }),
        json!({ "name": "mirtazapine", "dose": 15, "unit": "mg", "at": "not a time" }),
        json!({ "name": "", "dose": 15, "unit": "mg" }),
        json!({ "name": "mirtazapine", "dose": 15, "unit": "mg", "colour": "blue" }),
        json!({ "dose": 15, "unit": "mg" }),
        json!([1, 2]),
    ] {
        let r = c.post_json("/api/v1/medications", &bad);
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
    }
    c.post_raw("/api/v1/medications", "application/json", "{not json").status(400);
    // The table.
    let info = c.get("/api/v1/medication-info/Prozac").status(200).json();
    assert_eq!(info["generic"], "fluoxetine");
    assert_eq!(info["class_short"], "SSRI");
    let near = c.get("/api/v1/medication-info/sertalin").status(404).json();
    assert_eq!(near["did_you_mean"][0], "sertraline");
    // Records are listed and searchable like every other kind.
    let all = c.get("/api/v1/medications").json();
    assert_eq!(all.as_array().unwrap().len(), 2);
}
