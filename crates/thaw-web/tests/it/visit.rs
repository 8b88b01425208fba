//! `/insights`, `/report` and their API routes: the window, figures and charts, downloads in four
//! formats, and the questions for the visit. Plus CSRF and Origin on the new forms.

use serde_json::json;

use crate::harness::{Client, PASS, TestServer, start};

/// A fortnight in March 2025 with check-ins, a release, a medicine and a PHQ-9.
fn seed(s: &TestServer) -> Client {
    let c = Client::bearer(s);
    c.post_json("/api/v1/unlock", &json!({ "passphrase": PASS })).status(200);
    for (day, word) in [("03", "hurt"), ("05", "numb"), ("09", "calm"), ("12", "tired")] {
        c.post_json(
            "/api/v1/checkins",
            &json!({ "emotions": [{ "word": word, "intensity": 5 }], "at": format!("2025-03-{day}T09:00:00Z") }),
        )
        .status(201);
    }
    c.post_json(
        "/api/v1/releases",
        &json!({ "kind": "teared-up", "intensity": 4, "at": "2025-03-10T20:00:00Z" }),
    )
    .status(201);
    c.post_json(
        "/api/v1/medications",
        &json!({ "name": "sertraline", "dose": 50, "unit": "mg", "at": "2025-03-02T08:00:00Z" }),
    )
    .status(201);
    c.post_json(
        "/api/v1/assessments",
        &json!({ "instrument": "phq9", "answers": [1, 1, 2, 1, 0, 1, 1, 0, 1], "at": "2025-03-08T10:00:00Z" }),
    )
    .status(201);
    c
}

const MARCH: &str = "from=2025-03-01&to=2025-03-14";

#[test]
fn the_insights_page_shows_figures_and_accessible_charts() {
    let s = start();
    seed(&s);
    let c = Client::unlocked(&s);
    let r = c.get(&format!("/insights?{MARCH}")).status(200);
    let csp = r.header("content-security-policy").unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let page = r.text();
    assert!(page.contains("2025-03-01 to 2025-03-14 (14 days)"), "{page}");
    assert!(page.contains("<dt>Check-ins</dt><dd>4</dd>"), "{page}");
    assert!(page.contains("<dt>Different feelings named</dt><dd>4</dd>"), "{page}");
    // Inline SVG with a title and description, and the same numbers as a table.
    assert!(page.contains("<svg viewBox="), "{page}");
    assert!(!page.contains("xmlns=\"http://www.w3.org/2000/svg\""), "no URL-looking text");
    for id in ["range-timeline", "emotion-map", "trend-phq9"] {
        assert!(page.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")), "{id}");
        assert!(page.contains(&format!("<title id=\"{id}-title\">")), "{id}");
    }
    assert!(page.contains("The same as a table"), "{page}");
    assert!(page.contains("sertraline: started"), "medicine changes: {page}");
    assert!(page.contains("Item 9 answered \"Several days\" on 2025-03-08"), "{page}");
    assert!(page.contains("href=\"/crisis\">the crisis lines</a>"), "{page}");
    assert_eq!(page.matches("<script").count(), 1, "only the app's own script file");
    // The default window: the last 14 days, empty but calm.
    let recent = c.get("/insights").status(200).text();
    assert!(recent.contains("(14 days)"), "{recent}");
    assert!(recent.contains("<dt>Check-ins</dt><dd>0</dd>"), "{recent}");
    // Bad dates: a message, the fields keep what was typed, and the default window is shown.
    let bad = c.get("/insights?from=2025-13-01").status(422).text();
    assert!(bad.contains("isn't a date Thaw understands"), "{bad}");
    assert!(bad.contains("value=\"2025-13-01\""), "{bad}");
    let swapped = c.get("/insights?from=2025-03-14&to=2025-03-01").status(422).text();
    assert!(swapped.contains("must be on or before"), "{swapped}");
    c.get("/insights?from=0001-01-01&to=9999-12-31").status(422);
    c.get("/insights?from=%FF%FE").status(422);
}

#[test]
fn the_insights_api_answers_like_thaw_insights() {
    let s = start();
    let c = seed(&s);
    let i = c.get(&format!("/api/v1/insights?{MARCH}")).status(200).json();
    assert_eq!(i["from"], "2025-03-01");
    assert_eq!(i["days"], 14);
    assert_eq!(i["emotional_range"]["checkins"], 4);
    assert_eq!(i["emotional_range"]["releases"]["total"], 1);
    assert_eq!(i["questionnaires"][0]["instrument"], "phq9");
    assert_eq!(c.get("/api/v1/insights").status(200).json()["days"], 14);
    for bad in ["from=yesterday", "from=2025-03-14&to=2025-03-01", "colour=blue", "to=99999-01-01"] {
        let r = c.get(&format!("/api/v1/insights?{bad}"));
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(r.json()["error"].is_string(), "{bad}");
    }
}

#[test]
fn the_report_page_previews_downloads_and_keeps_questions() {
    let s = start();
    seed(&s);
    let c = Client::unlocked(&s);
    let page = c.get(&format!("/report?{MARCH}")).status(200).text();
    assert!(page.contains("<article class=\"summary-preview\""), "{page}");
    assert!(page.contains("<h2>Visit summary</h2>"), "headings one level down: {page}");
    assert!(page.contains("<h3>Medicines</h3>"), "{page}");
    assert!(
        page.contains("href=\"/report/download?format=pdf&amp;from=2025-03-01&amp;to=2025-03-14\" download")
    );
    assert!(!page.contains("<style"), "the summary's inline style is left out (CSP)");
    assert!(!page.contains("I walked"), "no journal text");
    // Downloads, each with its type and as an attachment.
    let (r, pdf) = c.get_bytes(&format!("/report/download?format=pdf&{MARCH}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"thaw-visit-summary-2025-03-01-to-2025-03-14.pdf\"")
    );
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 5_000, "{} bytes", pdf.len());
    let html = c.get(&format!("/report/download?format=html&{MARCH}")).status(200);
    assert_eq!(html.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(html.header("content-disposition").unwrap().starts_with("attachment;"));
    assert!(html.body.starts_with("<!DOCTYPE html>") && html.body.contains("sertraline"));
    let md = c.get(&format!("/report/download?format=md&{MARCH}")).status(200);
    assert_eq!(md.header("content-type"), Some("text/markdown; charset=utf-8"));
    assert!(md.body.contains("# Visit summary"), "{}", md.body);
    let fhir = c.get(&format!("/report/download?format=fhir&{MARCH}")).status(200);
    assert_eq!(fhir.header("content-type"), Some("application/fhir+json; charset=utf-8"));
    assert!(fhir.header("content-disposition").unwrap().contains(".fhir.json"));
    let bundle = fhir.json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert!(
        bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["resource"]["resourceType"] == "QuestionnaireResponse")
    );
    let bad = c.get("/report/download?format=docx").status(422).text();
    assert!(bad.contains("isn't a format Thaw makes"), "{bad}");
    c.get("/report/download?format=pdf&from=soon").status(422);
    // Questions for the visit.
    c.form("/report/questions", &[("question", "Could the medicine be why I can't cry?")]).status(303);
    c.form("/report/questions", &[("question", "What else could help?")]).status(303);
    let with = c.get("/report?done=added").text();
    assert!(with.contains("Added. Every visit summary ends with your questions."), "{with}");
    assert!(with.contains("<span>Could the medicine be why I can't cry?</span>"), "{with}");
    assert!(with.contains("<li>Could the medicine be why I can't cry?</li>"), "in the preview too");
    let empty = c.form("/report/questions", &[("question", "   ")]).status(422).text();
    assert!(empty.contains("role=\"alert\""), "{empty}");
    let long = "a".repeat(1_001);
    c.form("/report/questions", &[("question", &long)]).status(422);
    // Risk language in a question: saved, and the same gentle words and links as anywhere else.
    let heavy =
        c.form("/report/questions", &[("question", "Is it normal that I want to end my life?")]).status(200);
    let heavy = heavy.text();
    assert!(
        heavy.contains("Support, if you want it") && heavy.contains("What you wrote sounds really heavy"),
        "{heavy}"
    );
    assert!(heavy.contains("href=\"/crisis\"") && heavy.contains("href=\"/safety\""), "{heavy}");
    assert!(heavy.contains("<span>Is it normal that I want to end my life?</span>"), "saved: {heavy}");
    c.form("/report/questions/remove", &[("n", "3")]).status(303);
    c.form("/report/questions/remove", &[("n", "1")]).status(303);
    let after = c.get("/report").text();
    assert!(!after.contains("why I can't cry") && after.contains("What else could help?"), "{after}");
    let r = c.form("/report/questions/remove", &[("n", "5")]).status(422).text();
    assert!(r.contains("isn't a question number") && !r.contains("`thaw"), "{r}");
}

#[test]
fn the_report_api_downloads_and_keeps_questions() {
    let s = start();
    let c = seed(&s);
    let (r, pdf) = c.get_bytes(&format!("/api/v1/report?format=pdf&{MARCH}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let fhir = c.get(&format!("/api/v1/report?format=fhir&{MARCH}")).status(200).json();
    assert_eq!(fhir["resourceType"], "Bundle");
    for bad in ["", "format=doc", "format=pdf&from=x", "format=pdf&page=2"] {
        let r = c.get(&format!("/api/v1/report?{bad}"));
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(r.json()["error"].is_string());
    }
    assert_eq!(c.get("/api/v1/report/questions").status(200).json(), json!([]));
    let all =
        c.post_json("/api/v1/report/questions", &json!({ "text": "Is this normal?" })).status(201).json();
    assert_eq!(all, json!({ "questions": ["Is this normal?"], "follow_up": null }));
    c.post_json("/api/v1/report/questions", &json!({ "text": "" })).status(422);
    c.post_json("/api/v1/report/questions", &json!({ "question": "x" })).status(422);
    let r = c.delete("/api/v1/report/questions/2").status(422);
    assert!(r.json()["error"].as_str().unwrap().contains("The only question is number 1"));
    c.delete("/api/v1/report/questions/nope").status(422);
    assert_eq!(c.delete("/api/v1/report/questions/1").status(200).json(), json!([]));
    let heavy = c
        .post_json(
            "/api/v1/report/questions",
            &serde_json::json!({ "text": "Is it normal that I want to end my life?" }),
        )
        .status(201)
        .json();
    assert_eq!(heavy["follow_up"]["reason"], "risk_in_text", "{heavy}");
    assert!(
        heavy["questions"].as_array().unwrap().iter().any(|q| q.as_str().unwrap().contains("end my life"))
    );
    let calm =
        c.post_json("/api/v1/report/questions", &serde_json::json!({ "text": "Sleep?" })).status(201).json();
    assert!(calm["follow_up"].is_null(), "{calm}");
    let none = c.request("DELETE", "/api/v1/report/questions/99");
    assert_eq!(none.status, 422, "{}", none.body);
    assert!(!none.body.contains("`thaw"), "no CLI advice in the API: {}", none.body);
}

#[test]
fn the_new_forms_need_the_csrf_token_and_our_own_origin() {
    let s = start();
    let c = Client::unlocked(&s);
    let forms: &[(&str, &[(&str, &str)])] = &[
        ("/meds", &[("name", "sertraline"), ("dose", "50"), ("unit", "mg")]),
        ("/meds/change", &[("name", "sertraline"), ("event", "taken")]),
        ("/meds/info", &[("lookup", "sertraline")]),
        ("/selfcheck", &[("medication-1", "3")]),
        ("/report/questions", &[("question", "Why?")]),
        ("/report/questions/remove", &[("n", "1")]),
    ];
    let mut foreign = Client::unlocked(&s);
    foreign.extra.push(("Origin".into(), "http://evil.example".into()));
    let mut cross = Client::unlocked(&s);
    cross.extra.push(("Sec-Fetch-Site".into(), "cross-site".into()));
    for (path, fields) in forms {
        c.form_raw(path, fields).status(403);
        foreign.form(path, fields).status(403);
        cross.form(path, fields).status(403);
    }
    // Nothing was saved by any of them.
    assert!(c.get("/meds").text().contains("No medicines yet"));
    assert!(c.get("/selfcheck").text().contains("None yet."));
    assert!(c.get("/report").text().contains("No questions yet."));
    // Cookie-authenticated JSON needs the header too.
    let mut no_header = Client::unlocked(&s);
    no_header.csrf = None;
    no_header.post_json("/api/v1/medications", &json!({ "name": "x", "dose": 1, "unit": "mg" })).status(403);
    no_header.delete("/api/v1/report/questions/1").status(403);
}
