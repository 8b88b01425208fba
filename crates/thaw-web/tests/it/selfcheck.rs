//! `/selfcheck` and `/api/v1/selfchecks`: the areas, skippable questions, results and history.

use serde_json::json;

use crate::harness::{Client, PASS, start};

#[test]
fn the_selfcheck_page_asks_skips_and_saves() {
    let s = start();
    let c = Client::unlocked(&s);
    let page = c.get("/selfcheck").status(200).text();
    assert!(page.contains("Start") && !page.contains("Medication"), "an opening screen first: {page}");
    assert!(page.contains("None yet."));
    // One area per screen: Start shows the first; Next the second, carrying the answer.
    let first = c.form("/selfcheck", &[("go", "start")]).status(200).text();
    assert!(
        first.contains("Part 1 of 8") && first.contains("Shame and what's expected of adults"),
        "{first}"
    );
    let second =
        c.form("/selfcheck", &[("step", "0"), ("go", "next"), ("shame-stigma-1", "2")]).status(200).text();
    assert!(second.contains("Part 2 of 8") && second.contains("Medication"), "{second}");
    assert!(second.contains("name=\"shame-stigma-1\" value=\"2\""), "carried as a hidden field: {second}");
    // Back keeps the answer.
    let back = c
        .form("/selfcheck", &[("step", "1"), ("go", "back"), ("shame-stigma-1", "2"), ("medication-1", "1")])
        .status(200)
        .text();
    assert!(back.contains("Part 1 of 8") && back.contains("value=\"2\" checked"), "{back}");
    assert!(back.contains("name=\"medication-1\" value=\"1\""), "{back}");
    // Sensitive areas are announced and folded away; every question can be skipped.
    let growing_up = c.form("/selfcheck", &[("step", "2"), ("go", "next")]).status(200).text();
    assert!(
        growing_up.contains("Growing up") && growing_up.contains("Answer these questions"),
        "{growing_up}"
    );
    assert!(
        growing_up.contains("id=\"childhood-1-skip\" name=\"childhood-1\" value=\"\" checked"),
        "{growing_up}"
    );
    // "Finish here" saves what was answered so far.
    let r = c.form("/selfcheck", &[("step", "1"), ("go", "finish"), ("shame-stigma-1", "3")]).status(303);
    let finished = c.get(r.header("location").unwrap()).text();
    assert!(finished.contains("One area may apply to you"), "{finished}");
    // Everything skipped: a kind word, nothing saved.
    let r = c.form("/selfcheck", &[]).status(422).text();
    assert!(r.contains("You skipped every question, and that's fine"), "{r}");
    let r = c.form("/selfcheck", &[("medication-1", "9")]).status(422).text();
    assert!(r.contains("must be one of the choices"), "{r}");
    // A real answer.
    let r =
        c.form("/selfcheck", &[("medication-1", "3"), ("childhood-1", ""), ("medical-1", "0")]).status(303);
    let to = r.header("location").unwrap().to_owned();
    assert!(to.starts_with("/selfcheck/") && to.ends_with("?saved=1"), "{to}");
    let result = c.get(&to).status(200).text();
    assert!(result.contains("Saved. Thank you for taking the time."), "{result}");
    assert!(result.contains("One area may apply to you"), "{result}");
    assert!(result.contains("<h2 id=\"a1-h\">Medication</h2>"), "{result}");
    assert!(result.contains("href=\"/meds\""), "links to the pages that help: {result}");
    assert!(result.contains("This is not a diagnosis"), "{result}");
    assert!(result.contains("2 questions answered."), "{result}");
    let again = c.get("/selfcheck").text();
    assert!(again.contains("may apply: Medication"), "{again}");
    // Nothing stood out.
    let r = c.form("/selfcheck", &[("medication-1", "0")]).status(303);
    let calm = c.get(r.header("location").unwrap()).text();
    assert!(calm.contains("None of the areas stood out"), "{calm}");
    assert!(!calm.contains("`thaw"), "no CLI commands on a page: {calm}");
    // Many areas: the three that stand out most in full, strongest first; the rest folded away.
    let r = c
        .form(
            "/selfcheck",
            &[
                ("shame-stigma-1", "2"),
                ("medication-1", "2"),
                ("gender-norms-1", "2"),
                ("medical-1", "3"),
                ("anxiety-judgement-1", "3"),
            ],
        )
        .status(303);
    let many = c.get(r.header("location").unwrap()).text();
    assert!(many.contains("5 areas may apply to you. These 3 stood out most"), "{many}");
    let folded = many.find("<details class=\"card\"").expect("the rest folded away");
    let (shown, rest) = many.split_at(folded);
    let first =
        shown.find(">Worry about being judged</h2>").unwrap_or_else(|| panic!("a 3 stands out: {shown}"));
    let second = shown.find(">Health conditions</h2>").expect("the other 3 stands out");
    assert!(first < second, "equal strengths keep the content's order");
    assert!(shown.contains("Shame and what"), "the first 2 in the content's order: {shown}");
    assert!(rest.contains("Ideas about gender") && rest.contains("Medication"), "{rest}");
    c.get("/selfcheck/00000000").status(404);
    c.get("/selfcheck/not-an-id").status(404);
}

#[test]
fn the_selfcheck_api_mirrors_thaw_selfcheck() {
    let s = start();
    let c = Client::bearer(&s);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    let check = c.get("/api/v1/selfcheck").status(200).json();
    assert_eq!(check["areas"].as_array().unwrap().len(), 8);
    assert_eq!(check["scale"][0], "Not at all");
    let r = c
        .post_json("/api/v1/selfchecks", &json!({ "answers": { "medication-1": 3, "trauma-loss-1": null } }));
    let result = r.status(201).json();
    assert_eq!(result["areas"][0]["id"], "medication");
    assert_eq!(result["answers"]["trauma-loss-1"], serde_json::Value::Null);
    assert!(result["not_a_diagnosis"].as_str().unwrap().contains("not a diagnosis"));
    for bad in [
        json!({ "answers": {} }),
        json!({ "answers": { "medication-1": null } }),
        json!({ "answers": { "nope": 1 } }),
        json!({ "answers": { "medication-1": 7 } }),
        json!({ "answers": { "medication-1": -1 } }),
        json!({ "answers": { "medication-1": "3" } }),
        json!({ "answers": { "medication-1": 1 }, "extra": true }),
        json!({}),
    ] {
        let r = c.post_json("/api/v1/selfchecks", &bad);
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(r.json()["error"].is_string());
    }
    let list = c.get("/api/v1/selfchecks").status(200).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = list[0]["id"].as_str().unwrap();
    assert_eq!(
        c.get(&format!("/api/v1/selfchecks/{id}")).status(200).json()["areas"][0]["title"],
        "Medication"
    );
    c.get("/api/v1/selfchecks/abcd1234").status(404);
    c.get("/api/v1/selfchecks?limit=zero").status(422);
}
