//! The same scenarios through the terminal and through the HTTP API of `thaw serve` end in the
//! same safety follow-ups: both edges ask thaw-app, so they can't drift apart.

use serde_json::{Value, json};

use crate::harness::Thaw;
use crate::web::serve;

const RISKY: &str = "Honestly I keep thinking everyone would be better off without me.";

/// The parts of a follow-up that must match (the record ids and times differ).
fn shape(v: &Value) -> Value {
    let f = &v["follow_up"];
    if f.is_null() {
        return Value::Null;
    }
    json!({
        "reason": f["reason"],
        "message": f["message"],
        "country": f["country"],
        "crisis": f["crisis"],
        "safety_plan": f["safety_plan"],
        "tell_doctor": f["tell_doctor"],
    })
}

#[test]
fn cli_and_api_show_the_same_follow_ups() {
    let (cli, _) = Thaw::init();
    let (web, _) = Thaw::init();
    for t in [&cli, &web] {
        t.run(&["config", "set", "country", "GB"]).ok();
    }
    let server = serve(&web);
    server.unlock();

    // Risky journal text, with a country set.
    let c = cli.run(&["--json", "journal", "add", "--title", "Late", "--body", RISKY]).ok().json();
    let (status, w) = server.post("/api/v1/journal", &json!({ "title": "Late", "body": RISKY }));
    assert_eq!(status, 201, "{w}");
    assert_eq!(shape(&c)["reason"], "risk_in_text", "{c}");
    assert_eq!(shape(&c)["country"], "GB");
    assert_eq!(shape(&c), shape(&w), "risky journal text");

    // A benign entry: follow_up is there, and null.
    let c = cli.run(&["--json", "journal", "add", "--title", "Walk", "--body", "A slow walk."]).ok().json();
    let (_, w) = server.post("/api/v1/journal", &json!({ "title": "Walk", "body": "A slow walk." }));
    assert!(c.get("follow_up").is_some_and(Value::is_null), "{c}");
    assert!(w.get("follow_up").is_some_and(Value::is_null), "{w}");

    // An edit that adds risky text.
    let id = c["id"].as_str().expect("id").to_owned();
    let c =
        cli.run(&["--json", "journal", "edit", &id, "--body", &format!("A slow walk. {RISKY}")]).ok().json();
    let web_id = w["id"].as_str().expect("id").to_owned();
    let (status, w) = server.put(
        &format!("/api/v1/journal/{web_id}"),
        &json!({ "title": "Walk", "body": format!("A slow walk. {RISKY}") }),
    );
    assert_eq!(status, 200, "{w}");
    assert_eq!(shape(&c)["reason"], "risk_in_text", "{c}");
    assert_eq!(shape(&c), shape(&w), "an edit that adds risky text");

    // A PHQ-9 with item 9 above 0: support right after the answers, then the reminder on check-ins.
    let answers = "0,1,0,1,0,1,0,1,1";
    let c = cli.run(&["--json", "assess", "phq9", "--answers", answers, "--difficulty", "1"]).ok().json();
    let (status, w) = server.post(
        "/api/v1/assessments",
        &json!({ "instrument": "phq9", "answers": [0, 1, 0, 1, 0, 1, 0, 1, 1], "difficulty": 1 }),
    );
    assert_eq!(status, 201, "{w}");
    assert_eq!(shape(&c)["reason"], "phq9_item9", "{c}");
    assert_eq!(shape(&c), shape(&w), "PHQ-9 item 9");

    let c = cli.run(&["--json", "checkin", "--feel", "numb"]).ok().json();
    let (status, w) = server.post("/api/v1/checkins", &json!({ "emotions": [{ "word": "numb" }] }));
    assert_eq!(status, 201, "{w}");
    assert_eq!(shape(&c)["reason"], "phq9_reminder", "{c}");
    assert_eq!(shape(&c), shape(&w), "a check-in after PHQ-9 item 9 > 0");
}
