//! Check-ins, reactions, releases, activities, people, words and settings.

use crate::harness::Thaw;

#[test]
fn a_checkin_names_feelings_body_and_note() {
    let (t, _) = Thaw::init();
    let run = t
        .run(&[
            "checkin",
            "--feel",
            "hurt:6",
            "--feel",
            "Angry",
            "--body",
            "lump in the throat",
            "--note",
            "after the call",
        ])
        .ok();
    assert!(run.stdout.contains("I feel hurt and angry."), "{}", run.stdout);
    assert!(run.stdout.contains("say it aloud"), "an invitation, not an order: {}", run.stdout);
    t.run(&["checkin", "--feel", "tired", "--said-aloud"]).ok();
    let list = t.run(&["checkin", "list", "--json"]).ok().json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let first = &list[1];
    assert_eq!(first["type"], "checkin");
    assert_eq!(first["emotions"][0]["word"], "hurt");
    assert_eq!(first["emotions"][0]["intensity"], 6);
    assert_eq!(first["emotions"][1]["word"], "angry");
    assert!(first["emotions"][1].get("intensity").is_none());
    assert_eq!(first["body"][0], "lump-in-throat");
    assert_eq!(first["note"], "after the call");
    assert_eq!(list[0]["said_aloud"], true);
    assert_eq!(first["id"].as_str().unwrap().len(), 36, "full UUID in JSON");
}

#[test]
fn nothing_and_cant_tell_are_real_answers() {
    let (t, _) = Thaw::init();
    let run = t.run(&["checkin", "--nothing"]).ok();
    assert!(run.stdout.contains("I feel nothing right now."), "{}", run.stdout);
    t.run(&["checkin", "--cant-tell"]).ok();
    let list = t.run(&["checkin", "list", "--json"]).ok().json();
    assert_eq!(list[0]["absence"], "cant-tell");
    assert_eq!(list[1]["absence"], "nothing");
    let text = t.run(&["checkin", "list"]).ok().stdout;
    assert!(text.contains("nothing") && text.contains("can't tell"), "{text}");
}

#[test]
fn bad_checkin_input_is_explained_and_changes_nothing() {
    let (t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "sad"]).ok();
    let before = t.snapshot();
    let run = t.run(&["checkin", "--feel", "angyr"]).fails(2);
    assert!(run.stderr.contains("\"angyr\"") && run.stderr.contains("angry"), "{}", run.stderr);
    let run = t.run(&["checkin", "--feel", "hurt:11"]).fails(2);
    assert!(run.stderr.contains("0 to 10"), "{}", run.stderr);
    let run = t.run(&["checkin", "--feel", "hurt:-1"]).fails(2);
    assert!(run.stderr.contains("0 to 10"), "{}", run.stderr);
    let run = t.run(&["checkin", "--feel", "hurt", "--at", "last tuesday"]).fails(2);
    assert!(run.stderr.contains("2025-03-05"), "shows the expected form: {}", run.stderr);
    t.run(&["checkin", "--feel", "hurt", "--at", "2999-01-01"]).fails(2);
    let run = t.run(&["checkin", "--feel", "hurt", "--body", "glowing ears"]).fails(2);
    assert!(run.stderr.contains("body sensation"), "{}", run.stderr);
    t.run(&["checkin"]).fails(2);
    t.run(&["checkin", "--nothing", "--cant-tell"]).fails(2);
    assert_eq!(t.snapshot(), before);
}

#[test]
fn records_can_be_backfilled_with_at() {
    let (t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "calm", "--at", "2025-03-05"]).ok();
    t.run(&["checkin", "--feel", "sad", "--at", "2025-03-06T07:40:00+01:00"]).ok();
    t.run(&["checkin", "--feel", "hurt"]).ok();
    let list = t.run(&["checkin", "list", "--json"]).ok().json();
    assert_eq!(list[2]["at"], "2025-03-05T12:00:00Z", "a date means noon, local time");
    assert_eq!(list[1]["at"], "2025-03-06T06:40:00Z");
    let window =
        t.run(&["checkin", "list", "--json", "--from", "2025-03-01", "--to", "2025-03-05"]).ok().json();
    assert_eq!(window.as_array().unwrap().len(), 1, "--to is inclusive of its day");
    t.run(&["checkin", "list", "--from", "2025-03-07", "--to", "2025-03-01"]).fails(2);
    let limited = t.run(&["checkin", "list", "--json", "--limit", "1"]).ok().json();
    assert_eq!(limited[0]["emotions"][0]["word"], "hurt");
}

#[test]
fn reactions_releases_and_activities_are_recorded() {
    let (t, _) = Thaw::init();
    t.run(&[
        "react",
        "--situation",
        "Bad news at work",
        "--intensity",
        "7",
        "--style",
        "shrugged-off",
        "--style",
        "humour",
        "--felt",
        "scared",
    ])
    .ok();
    let run = t.run(&["react", "--situation", "Film ending", "--intensity", "4", "--style", "felt-it"]).ok();
    assert!(run.stdout.contains("let some of it through"), "{}", run.stdout);
    let reactions = t.run(&["react", "list", "--json"]).ok().json();
    assert_eq!(reactions[1]["styles"], serde_json::json!(["shrugged-off", "humour"]));
    assert_eq!(reactions[1]["felt"][0], "scared");

    let activity = t
        .run(&[
            "activity",
            "--kind",
            "painting",
            "--minutes",
            "45",
            "--before",
            "3",
            "--after",
            "6",
            "--place",
            "kitchen table",
            "--json",
        ])
        .ok()
        .json();
    let id = activity["id"].as_str().unwrap().to_owned();
    t.run(&[
        "release",
        "--kind",
        "teared-up",
        "--intensity",
        "4",
        "--before",
        "an old song",
        "--relief",
        "7",
        "--after-record",
        &id[id.len() - 8..],
    ])
    .ok();
    let releases = t.run(&["release", "list", "--json"]).ok().json();
    assert_eq!(releases[0]["kind"], "teared-up");
    assert_eq!(releases[0]["relief"], 7);
    assert_eq!(releases[0]["linked"], id.as_str());
    let activities = t.run(&["activity", "list"]).ok().stdout;
    assert!(activities.contains("painting or drawing · 45 min · 3 → 6 · kitchen table"), "{activities}");

    let run = t.run(&["react", "--situation", "x", "--intensity", "5", "--style", "sulked"]).fails(2);
    assert!(run.stderr.contains("shrugged-off"), "lists the choices: {}", run.stderr);
    t.run(&["react", "--situation", "x", "--intensity", "5"]).fails(2);
    t.run(&["release", "--kind", "sobbed", "--intensity", "5"]).fails(2);
    t.run(&["release", "--kind", "cried", "--intensity", "5", "--after-record", "ffffffff"]).fails(2);
    t.run(&["activity", "--kind", "walking", "--minutes", "0", "--before", "1", "--after", "2"]).fails(2);
    t.run(&["activity", "--kind", "walking", "--minutes", "30", "--before", "1"]).fails(2);
    assert_eq!(t.run(&["activity", "list", "--json"]).ok().json().as_array().unwrap().len(), 1);
}

#[test]
fn people_words_and_settings() {
    let (t, _) = Thaw::init();
    t.run(&["people", "add", "Robin", "--reach", "phone", "--note", "good listener"]).ok();
    let people = t.run(&["people", "list", "--json"]).ok().json();
    assert_eq!(people[0]["name"], "Robin");
    assert_eq!(people[0]["reach"], "phone");
    t.run(&["people", "add", "  "]).fails(2);

    let words = t.run(&["words", "--json", "--family", "absence"]).ok().json();
    assert!(words.as_array().unwrap().iter().any(|w| w["word"] == "numb"));
    t.run(&["words", "add", "glimmery", "--family", "joyful", "--meaning", "A small bright spot."]).ok();
    t.run(&["words", "add", "glimmery", "--family", "joyful", "--meaning", "Again."]).fails(2);
    t.run(&["words", "add", "sad", "--family", "sad", "--meaning", "Already there."]).fails(2);
    t.run(&["checkin", "--feel", "glimmery:3"]).ok();
    assert_eq!(t.run(&["words", "--mine", "--json"]).ok().json()[0]["word"], "glimmery");

    t.run(&["config", "set", "country", "gb"]).ok();
    assert_eq!(t.run(&["config", "get", "country"]).ok().stdout.trim(), "GB");
    t.run(&["config", "set", "country", "Narnia"]).fails(2);
    t.run(&["config", "set", "country", "Britain"]).ok();
    assert_eq!(
        t.run(&["config", "get", "country"]).ok().stdout.trim(),
        "GB",
        "a common name, stored as the code"
    );
    t.run(&["config", "set", "colour", "blue"]).fails(2);
}

#[test]
fn usage_errors_exit_2() {
    let t = Thaw::new();
    t.run(&["checkin", "--frobnicate"]).fails(2);
    t.run(&["no-such-command"]).fails(2);
}
