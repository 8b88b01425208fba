//! `thaw people starters`, `talked` and `log`: talking to people you trust.

use crate::harness::Thaw;

#[test]
fn starters_by_level() {
    let t = Thaw::new();
    let all = t.run(&["people", "starters", "--json"]).ok().json();
    let ids: Vec<&str> = all.as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["light", "medium", "open"]);
    let open = t.run(&["people", "starters", "--level", "open", "--json"]).ok().json();
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert!(
        open[0]["starters"].as_array().unwrap().iter().any(|s| s.as_str().unwrap().contains("can't cry"))
    );
    let text = t.run(&["people", "starters", "--level", "Light"]).ok().stdout;
    assert!(text.contains("Testing the water") && text.contains("Thaw never"), "{text}");
    let run = t.run(&["people", "starters", "--level", "deep"]).fails(2);
    assert!(run.stderr.contains("light, medium, open"), "{}", run.stderr);
    assert!(!t.vault().exists());
}

#[test]
fn talks_are_logged_for_people_on_the_list() {
    let (t, _) = Thaw::init();
    let robin = t.run(&["people", "add", "Robin Ash", "--reach", "phone", "--json"]).ok().json();
    let run = t
        .run(&[
            "people",
            "talked",
            "robin ash",
            "--how",
            "phone",
            "--went",
            "7",
            "--note",
            "she listened",
            "--at",
            "2025-03-05",
        ])
        .ok();
    assert!(run.stdout.contains("Robin Ash"), "{}", run.stdout);
    t.run(&["people", "talked", "Robin", "Ash", "--how", "in person"]).ok();
    let log = t.run(&["people", "log", "--json"]).ok().json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    let first = &log[1];
    assert_eq!(first["type"], "conversation");
    assert_eq!(first["person"], "Robin Ash", "the name as on the list");
    assert_eq!(first["person_id"], robin["id"]);
    assert_eq!(first["how"], "phone");
    assert_eq!(first["went"], 7);
    assert_eq!(first["note"], "she listened");
    assert_eq!(first["at"], "2025-03-05T12:00:00Z");
    assert!(log[0].get("went").is_none());
    let text = t.run(&["people", "log"]).ok().stdout;
    assert!(text.contains("Robin Ash · phone · went 7/10"), "{text}");
    let window = t.run(&["people", "log", "--json", "--to", "2025-03-06"]).ok().json();
    assert_eq!(window.as_array().unwrap().len(), 1);
    assert_eq!(t.run(&["search", "listened", "--json"]).ok().json()[0]["type"], "conversation");
}

#[test]
fn talks_with_unknown_people_or_bad_input_change_nothing() {
    let (t, _) = Thaw::init();
    t.run(&["people", "add", "Robin"]).ok();
    let before = t.snapshot();
    let run = t.run(&["people", "talked", "Robn", "--how", "phone"]).fails(2);
    assert!(
        run.stderr.contains("Did you mean Robin?") && run.stderr.contains("thaw people add"),
        "{}",
        run.stderr
    );
    let run = t.run(&["people", "talked", "Sam", "--how", "phone"]).fails(2);
    assert!(run.stderr.contains("thaw people add"), "{}", run.stderr);
    let run = t.run(&["people", "talked", "Robin", "--how", "phone", "--went", "11"]).fails(2);
    assert!(run.stderr.contains("0 to 10"), "{}", run.stderr);
    let run = t.run(&["people", "talked", "Robin", "--how", "phone", "--went", "-1"]).fails(2);
    assert!(run.stderr.contains("0 to 10"), "{}", run.stderr);
    t.run(&["people", "talked", "Robin", "--how", "  "]).fails(2);
    t.run(&["people", "talked", "Robin"]).fails(2);
    t.run(&["people", "talked", "Robin", "--how", "phone", "--at", "someday"]).fails(2);
    assert_eq!(t.snapshot(), before);
    assert!(t.run(&["people", "log"]).ok().stdout.contains("No conversations noted yet"));
}
