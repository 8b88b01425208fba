//! Questionnaires: scoring, bands, change since last time, PHQ-9 item 9 follow-up, and the
//! reminder on later check-ins.

use crate::harness::Thaw;

const ITEM9: &str = "Thoughts that you would be better off dead or of hurting yourself in some way";

#[test]
fn phq9_item9_above_zero_shows_crisis_lines_right_after_the_answers() {
    let (t, _) = Thaw::init();
    let run = t.run(&["assess", "phq9", "--answers", "0,1,0,0,0,0,0,0,1", "--country", "GB"]).ok();
    let out = &run.stdout;
    let item9 = out.find(ITEM9).expect("the answers are shown");
    let samaritans = out.find("Samaritans: call 116 123").unwrap_or_else(|| panic!("no Samaritans: {out}"));
    let total = out.find("Total: 2 of 27").expect("the total");
    assert!(samaritans < item9 && samaritans < total, "support comes first, before the recap: {out}");
    assert!(out.contains("If you are in immediate danger, call 999."), "{out}");
    assert!(out.contains("thaw safety edit"), "invites a safety plan when there is none: {out}");
    assert!(!out.to_lowercase().contains("committed"), "safe-messaging: {out}");

    let json =
        t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,3", "--country", "GB", "--json"]).ok().json();
    assert_eq!(json["type"], "assessment");
    assert_eq!(json["item9"], 3);
    assert_eq!(json["total"], 3);
    assert_eq!(json["band"], "minimal");
    let f = &json["follow_up"];
    assert_eq!(f["reason"], "phq9_item9", "{json}");
    assert_eq!(f["crisis"]["country"]["emergency"], "999");
    let lines = f["crisis"]["country"]["line"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["name"] == "Samaritans" && l["phone"] == "116 123"), "{json}");
    assert!(!f["message"].as_array().unwrap().is_empty());
}

#[test]
fn phq9_item9_at_zero_shows_no_crisis_lines() {
    let (t, _) = Thaw::init();
    let run = t.run(&["assess", "phq9", "--answers", "3,3,3,3,3,3,3,3,0", "--country", "GB"]).ok();
    assert!(!run.stdout.contains("Samaritans") && !run.stdout.contains("116 123"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Total: 24 of 27") && run.stdout.contains("severe (20–27)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("not a diagnosis"), "{}", run.stdout);
    let json =
        t.run(&["assess", "phq9", "--answers", "3,3,3,3,3,3,3,3,0", "--country", "GB", "--json"]).ok().json();
    assert_eq!(json["item9"], 0);
    assert!(json.get("follow_up").is_some_and(serde_json::Value::is_null), "{json}");
}

#[test]
fn resources_follow_the_country_setting_then_the_locale() {
    let (t, _) = Thaw::init();
    let positive = ["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,1"];
    let run = t.run(&positive).ok();
    assert!(run.stdout.contains("findahelpline.com"), "no country known: the directory: {}", run.stdout);
    let run = t.run_with(&positive, &[("LANG", "en_IE.UTF-8")]).ok();
    assert!(run.stdout.contains("Pieta"), "the locale: {}", run.stdout);
    let shown = t.run_with(&["config", "get", "country"], &[("LANG", "en_IE.UTF-8")]).ok().stdout;
    assert!(shown.contains("IE from your locale"), "{shown}");
    t.run(&["config", "set", "country", "AU"]).ok();
    let run = t.run_with(&positive, &[("LANG", "en_IE.UTF-8")]).ok();
    assert!(
        run.stdout.contains("13 11 14") && run.stdout.contains("call 000"),
        "the setting: {}",
        run.stdout
    );
    let run = t.run_with(&[&positive[..], &["--country", "us"]].concat(), &[]).ok();
    assert!(run.stdout.contains("988"), "the flag: {}", run.stdout);
}

#[test]
fn later_checkins_remind_gently_until_a_newer_phq9_is_clear() {
    let (t, _) = Thaw::init();
    t.run(&["config", "set", "country", "GB"]).ok();
    let before = t.run(&["checkin", "--feel", "tired"]).ok();
    assert!(!before.stdout.contains("thaw crisis"), "{}", before.stdout);
    t.run(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,2"]).ok();
    let run = t.run(&["checkin", "--feel", "tired"]).ok();
    assert!(run.stdout.contains("`thaw crisis`"), "a gentle reminder: {}", run.stdout);
    assert!(!run.stdout.contains("Samaritans"), "one short line, not the whole list: {}", run.stdout);
    // JSON stays clean; the reminder goes to standard error.
    let run = t.run(&["checkin", "--feel", "tired", "--json"]).ok();
    assert_eq!(run.json()["type"], "checkin");
    assert!(run.stderr.contains("`thaw crisis`"), "{}", run.stderr);
    // Other questionnaires don't end it; a PHQ-9 with item 9 at 0 does.
    t.run(&["assess", "gad7", "--answers", "0,0,0,0,0,0,0"]).ok();
    assert!(t.run(&["checkin", "--nothing"]).ok().stdout.contains("`thaw crisis`"));
    t.run(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"]).ok();
    let run = t.run(&["checkin", "--nothing"]).ok();
    assert!(!run.stdout.contains("thaw crisis"), "{}", run.stdout);
}

#[test]
fn totals_bands_two_item_totals_and_change_since_last_time() {
    let (t, _) = Thaw::init();
    let first = t
        .run(&["assess", "phq9", "--answers", "2,1,1,1,1,1,0,0,0", "--at", "2025-03-01", "--json"])
        .ok()
        .json();
    assert_eq!((first["total"].as_u64(), first["band"].as_str()), (Some(7), Some("mild")));
    assert_eq!(first["two_item_total"], 3);
    assert!(first["change"].is_null());
    let run = t.run(&["assess", "phq9", "--answers", "2,2,2,2,1,1,1,1,0", "--difficulty", "2"]).ok();
    assert!(run.stdout.contains("PHQ-2 (the first two questions): 4 of 6."), "{}", run.stdout);
    assert!(
        run.stdout.contains("Last time (2025-03-01 12:00): 7. This time: 12 (5 more than last time)."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("moderate (10–14)"), "{}", run.stdout);
    assert!(run.stdout.contains("Very difficult"), "the difficulty answer is shown: {}", run.stdout);
    assert!(run.stdout.contains("Copyright © Pfizer Inc."), "{}", run.stdout);

    let gad = t.run(&["assess", "gad7", "--answers", "3,3,3,3,3,0,0", "--json"]).ok().json();
    assert_eq!((gad["total"].as_u64(), gad["band"].as_str()), (Some(15), Some("severe")));
    assert_eq!(gad["two_item_total"], 6);
    assert!(gad["item9"].is_null());

    let who = t.run(&["assess", "who5", "--answers", "2,2,2,2,4", "--json"]).ok().json();
    assert_eq!((who["total"].as_u64(), who["percentage"].as_u64()), (Some(12), Some(48)));
    assert_eq!(who["band"], "lower");
    let run = t.run(&["assess", "who5", "--answers", "3,3,3,2,4"]).ok();
    assert!(run.stdout.contains("Total: 15 of 25 (60%)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("This time: 60% (12 points more than last time)."),
        "the change is in the unit shown: {}",
        run.stdout
    );
    assert!(run.stdout.contains("10 points or more"), "{}", run.stdout);
    assert!(run.stdout.contains("source must be mentioned"), "{}", run.stdout);

    let list = t.run(&["assess", "list", "--json"]).ok().json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 5);
    assert_eq!(list[0]["instrument"], "who5");
    assert_eq!(list[0]["change"], 3);
    assert!(list[1]["change"].is_null(), "first WHO-5");
    let phq: Vec<_> = list.iter().filter(|r| r["instrument"] == "phq9").collect();
    assert_eq!(phq[0]["change"], 5);
    assert_eq!(phq[1]["at"], "2025-03-01T12:00:00Z");
    let text = t.run(&["assess", "list"]).ok().stdout;
    assert!(text.contains("PHQ-9 12/27 · moderate · 5 more than last time"), "{text}");
    assert_eq!(t.run(&["assess", "list", "--json", "--limit", "1"]).ok().json().as_array().unwrap().len(), 1);
}

#[test]
fn the_list_highlights_item9() {
    let (t, _) = Thaw::init();
    t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,2"]).ok();
    let text = t.run(&["assess", "list"]).ok().stdout;
    assert!(text.contains("item 9: more than half the days"), "{text}");
}

#[test]
fn bad_answers_exit_2_say_how_many_and_the_range_and_change_nothing() {
    let (t, _) = Thaw::init();
    t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0"]).ok();
    let before = t.snapshot();
    for answers in
        ["0,1,2", "0,0,0,0,0,0,0,0,0,0", "0,0,0,0,0,0,0,0,4", "a,b,c,d,e,f,g,h,i", "", "-1,0,0,0,0,0,0,0,0"]
    {
        let run = t.run(&["assess", "phq9", "--answers", answers]).fails(2);
        assert!(
            run.stderr.contains("9 answers") && run.stderr.contains("0 to 3"),
            "{answers}: {}",
            run.stderr
        );
    }
    let run = t.run(&["assess", "who5", "--answers", "5,5,5,5,6"]).fails(2);
    assert!(run.stderr.contains("5 answers") && run.stderr.contains("0 to 5"), "{}", run.stderr);
    let run = t.run(&["assess", "gad7", "--answers", "1,1"]).fails(2);
    assert!(run.stderr.contains("7 answers"), "{}", run.stderr);
    let run = t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--difficulty", "4"]).fails(2);
    assert!(run.stderr.contains("0 (not difficult at all) to 3 (extremely difficult)"), "{}", run.stderr);
    t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--difficulty", "lots"]).fails(2);
    t.run(&["assess", "who5", "--answers", "1,1,1,1,1", "--difficulty", "1"]).fails(2);
    t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--country", "Narnia"]).fails(2);
    t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--at", "someday"]).fails(2);
    let run = t.run(&["assess", "phq9"]).fails(2);
    assert!(run.stderr.contains("--answers"), "{}", run.stderr);
    t.run(&["assess", "odq", "--answers", "1"]).fails(2);
    assert_eq!(t.snapshot(), before);
}
