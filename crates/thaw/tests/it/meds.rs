//! `thaw med`: the medicine timeline, the built-in table, and bad input that changes nothing.

use crate::harness::Thaw;

#[test]
fn a_timeline_from_add_to_stop() {
    let (t, _) = Thaw::init();
    let run = t.run(&["med", "add", "Zoloft", "--dose", "50", "--unit", "mg", "--at", "2025-03-01"]).ok();
    assert!(run.stdout.contains("sertraline (SSRI), 50 mg"), "{}", run.stdout);
    assert!(run.stdout.contains("prescriber"), "the blunting note and question: {}", run.stdout);
    assert!(run.stdout.contains("withdrawal"), "{}", run.stdout);
    t.run(&["med", "dose", "sertraline", "--dose", "37.5", "--unit", "mg", "--at", "2025-03-10"]).ok();
    t.run(&["med", "taken", "ZOLOFT "]).ok();
    t.run(&["med", "add", "St", "John's", "wort", "--dose", "300", "--unit", "mg", "--at", "2025-02-01"])
        .ok();
    let run = t.run(&["med", "pause", "st johns wort", "--at", "2025-02-20"]).ok();
    assert!(run.stdout.contains("withdrawal effects"), "a gentle reminder: {}", run.stdout);
    t.run(&["med", "add", "Lithium", "--dose", "400", "--unit", "mg", "--at", "2025-01-05"]).ok();
    t.run(&["med", "stop", "lithium", "--at", "2025-02-01"]).ok();

    let list = t.run(&["med", "list", "--json"]).ok().json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let s = &list[0];
    assert_eq!(s["name"], "sertraline");
    assert_eq!(s["generic"], "sertraline");
    assert_eq!(s["class"], "ssri");
    assert_eq!(s["atc"], "N06AB06");
    assert_eq!(s["status"], "active");
    assert_eq!(s["dose"], 37.5);
    assert_eq!(s["unit"], "mg");
    assert_eq!(s["started"], "2025-03-01T12:00:00Z");
    assert_eq!(s["blunting_reported"], true);
    assert!(s["prescriber_question"].as_str().unwrap().ends_with('?'));
    let events: Vec<&str> =
        s["events"].as_array().unwrap().iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["started", "dose-changed", "taken"]);
    assert_eq!(list[1]["generic"], "st john's wort");
    assert_eq!(list[1]["status"], "paused");
    assert_eq!(list[2]["name"], "Lithium");
    assert_eq!(list[2]["generic"], serde_json::Value::Null, "unknown names have no generic");
    assert_eq!(list[2]["class"], serde_json::Value::Null);
    assert_eq!(list[2]["status"], "stopped");

    let text = t.run(&["med", "list"]).ok().stdout;
    assert!(text.contains("sertraline (SSRI) · taking, 37.5 mg"), "{text}");
    assert!(text.contains("2025-03-10  dose changed · 37.5 mg"), "{text}");
    assert!(text.contains("Lithium · stopped"), "{text}");
    assert!(text.contains("About SSRIs"), "{text}");

    // Restarting a stopped medicine is an add.
    let run = t.run(&["med", "add", "lithium", "--dose", "200", "--unit", "mg"]).ok();
    assert!(run.stdout.contains("Started again: Lithium"), "{}", run.stdout);
    // Every event is a record too.
    let records = t.run(&["search", "Lithium", "--json"]).ok().json();
    assert!(records.as_array().unwrap().iter().all(|r| r["type"] == "medication"));
}

#[test]
fn unknown_names_are_kept_as_typed_with_a_gentle_note() {
    let (t, _) = Thaw::init();
    let run = t.run(&["med", "add", "Frobnozol", "--dose", "5", "--unit", "drops", "--json"]).ok();
    let rec = run.json();
    assert_eq!(rec["type"], "medication");
    assert_eq!(rec["name"], "Frobnozol");
    assert!(rec.get("class").is_none());
    let run = t.run(&["med", "add", "Blorpamine", "--dose", "1", "--unit", "tablet"]).ok();
    assert!(run.stdout.contains("doesn't know \"Blorpamine\""), "{}", run.stdout);
    assert!(run.stdout.contains("1 tablet"), "{}", run.stdout);
    // A near miss of a known name is a likely typo: it needs --as-typed.
    let before = t.snapshot();
    let run = t.run(&["med", "add", "sertralin", "--dose", "50", "--unit", "mg"]).fails(2);
    assert!(run.stderr.contains("sertraline") && run.stderr.contains("--as-typed"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before);
    t.run(&["med", "add", "sertralin", "--dose", "50", "--unit", "mg", "--as-typed"]).ok();
    t.run(&["med", "taken", "Sertralin"]).ok();
    let list = t.run(&["med", "list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 3);
}

#[test]
fn bad_medication_input_is_explained_and_changes_nothing() {
    let (t, _) = Thaw::init();
    t.run(&["med", "add", "sertraline", "--dose", "50", "--unit", "mg", "--at", "2025-03-01"]).ok();
    let before = t.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (&["med", "dose", "citalopram", "--dose", "20", "--unit", "mg"], "isn't on your medicine list"),
        (&["med", "pause", "Celexa"], "thaw med add citalopram"),
        (&["med", "stop", "fluoxetine"], "isn't on your medicine list"),
        (&["med", "taken", "fluoxetine"], "isn't on your medicine list"),
        (&["med", "add", "sertraline", "--dose", "50", "--unit", "mg"], "thaw med dose sertraline"),
        (&["med", "add", "citalopram", "--dose", "0", "--unit", "mg"], "more than 0"),
        (&["med", "add", "citalopram", "--dose", "-5", "--unit", "mg"], "must be a number"),
        (&["med", "add", "citalopram", "--dose", "twenty", "--unit", "mg"], "must be a number"),
        (&["med", "add", "citalopram", "--dose", "20000", "--unit", "mg"], "label"),
        (&["med", "add", "citalopram", "--dose", "20", "--unit", "spoonfuls"], "mcg"),
        (&["med", "add", "citalopram", "--dose", "20"], "--unit"),
        (&["med", "add", "citalopram", "--unit", "mg"], "--dose"),
        (&["med", "add", "citalopram", "--dose", "20", "--unit", "mg", "--at", "soon"], "2025-03-05"),
        (&["med", "stop", "sertraline", "--at", "2025-02-01"], "wasn't on your list yet"),
        (&["med", "dose", "sertraline", "--dose", "75", "--unit", "kg"], "dose unit"),
        (&["med", "info", "frobnozol"], "doesn't know"),
    ];
    for (args, expect) in cases {
        let run = t.run(args).fails(2);
        assert!(run.stderr.contains(expect), "{args:?}: {}", run.stderr);
    }
    t.run(&["med", "pause", "sertraline", "--at", "2025-03-05"]).ok();
    let before_pause = t.snapshot();
    let run = t.run(&["med", "pause", "sertraline"]).fails(2);
    assert!(run.stderr.contains("already paused"), "{}", run.stderr);
    let run = t.run(&["med", "taken", "sertraline"]).fails(2);
    assert!(run.stderr.contains("paused"), "{}", run.stderr);
    // Back-dating a stop before the pause would contradict the pause.
    let run = t.run(&["med", "stop", "sertraline", "--at", "2025-03-03"]).fails(2);
    assert!(run.stderr.contains("clash"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before_pause);
    assert_ne!(before, before_pause);
}

#[test]
fn info_says_what_thaw_knows_without_a_vault() {
    let t = Thaw::new();
    let run = t.run(&["med", "info", "Zoloft"]).ok();
    for part in ["sertraline", "Lustral", "Selective serotonin reuptake inhibitor", "N06AB06", "prescriber"] {
        assert!(run.stdout.contains(part), "{part}: {}", run.stdout);
    }
    let info = t.run(&["med", "info", "dothiepin", "--json"]).ok().json();
    assert_eq!(info["generic"], "dosulepin");
    assert_eq!(info["class"], "tca");
    assert_eq!(info["atc"], "N06AA16");
    assert_eq!(info["blunting_reported"], true);
    assert!(info["blunting_note"].as_str().unwrap().contains("withdrawal"));
    let info = t.run(&["med", "info", "vortioxetine", "--json"]).ok().json();
    assert_eq!(info["atc_unverified"], true);
    let run = t.run(&["med", "info", "zolof"]).fails(2);
    assert!(run.stderr.contains("sertraline"), "{}", run.stderr);
    assert!(!t.vault().exists(), "no vault was needed or made");
}
