//! Crisis lines (with or without a vault), risk language in free text, and the safety plan.

use std::os::unix::fs::PermissionsExt;

use crate::harness::Thaw;

#[test]
fn a_journal_entry_with_risk_language_is_saved_and_shows_resources_once() {
    let (t, _) = Thaw::init();
    t.run(&["config", "set", "country", "GB"]).ok();
    let body = "Rough week. Some days I just want to die.";
    let run = t.run(&["journal", "add", "--title", "Tuesday", "--body", body]).ok();
    assert!(run.stdout.contains("Saved to your journal."), "{}", run.stdout);
    assert!(run.stdout.contains("Samaritans: call 116 123"), "{}", run.stdout);
    assert!(
        run.stdout.find("Samaritans").unwrap() < run.stdout.find("Saved to your journal.").unwrap(),
        "support first, and the saved state still visible: {}",
        run.stdout
    );
    assert!(!run.stdout.contains("want to die"), "the words aren't quoted back: {}", run.stdout);
    let list = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(list[0]["body"], body, "saved exactly as written");
    let id = list[0]["id"].as_str().unwrap().to_owned();

    // Editing the same entry doesn't repeat it; new risk language in an edit does.
    let run =
        t.run(&["journal", "edit", &id, "--body", "Rough week. Some days I just want to die. Tired."]).ok();
    assert!(!run.stdout.contains("Samaritans"), "once per entry: {}", run.stdout);
    let run = t
        .run(&["journal", "edit", &id, "--body", "Some days I want to die. I keep wanting to hurt myself."])
        .ok();
    assert!(run.stdout.contains("Samaritans"), "{}", run.stdout);

    let calm = t
        .run(&["journal", "add", "--title", "Better", "--body", "I don't want to die. I want to feel again."])
        .ok();
    assert!(!calm.stdout.contains("Samaritans"), "negated: {}", calm.stdout);

    // With --json, standard output stays JSON and the message goes to standard error.
    let run =
        t.run(&["journal", "add", "--title", "Late", "--body", "I feel suicidal tonight", "--json"]).ok();
    assert_eq!(run.json()["title"], "Late");
    assert!(run.stderr.contains("116 123"), "{}", run.stderr);
}

#[test]
fn notes_reactions_and_releases_are_checked_too() {
    let (t, _) = Thaw::init();
    t.run(&["config", "set", "country", "US"]).ok();
    let run = t.run(&["checkin", "--feel", "numb", "--note", "everyone would be better off without me"]).ok();
    assert!(run.stdout.contains("988"), "{}", run.stdout);
    let run = t
        .run(&[
            "react",
            "--situation",
            "call with mum",
            "--intensity",
            "6",
            "--style",
            "withdrew",
            "--reflection",
            "I thought about ending my life",
        ])
        .ok();
    assert!(run.stdout.contains("988"), "{}", run.stdout);
    let run = t
        .run(&["release", "--kind", "cried", "--intensity", "7", "--before", "no reason to live, I thought"])
        .ok();
    assert!(run.stdout.contains("988"), "{}", run.stdout);
    let run = t.run(&["checkin", "--feel", "calm", "--note", "this deadline is killing me"]).ok();
    assert!(!run.stdout.contains("988"), "{}", run.stdout);
    let run =
        t.run(&["journal", "add", "--title", "Sam", "--body", "My friend told me she wants to die."]).ok();
    assert!(run.stdout.contains("worried about them"), "someone else's words, gently: {}", run.stdout);
    assert_eq!(t.run(&["checkin", "list", "--json"]).ok().json().as_array().unwrap().len(), 2);
}

#[test]
fn crisis_without_a_listed_country_shows_every_countrys_main_line_and_the_directory() {
    let (t, _) = Thaw::init();
    // A real country Thaw has no lines for: said kindly, with the directory and every main line.
    let run = t.run(&["crisis", "--country", "IS"]).ok();
    assert!(run.stdout.contains("doesn't have lines for Iceland yet"), "{}", run.stdout);
    assert!(run.stdout.contains("https://findahelpline.com"), "{}", run.stdout);
    assert!(run.stdout.contains("call your local emergency number"), "{}", run.stdout);
    assert!(
        run.stdout.contains("United Kingdom: Samaritans, call 116 123 (24/7). Emergency: 999."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Brazil: CVV"), "{}", run.stdout);
    let json = t.run(&["crisis", "--country", "IS", "--json"]).ok().json();
    assert!(json["emergency"].is_null() && json["lines"].as_array().unwrap().is_empty());
    assert_eq!(json["unlisted"]["name"], "Iceland");
    assert!(json["main_lines"].as_array().unwrap().len() >= 25);
    assert_eq!(json["international"]["url"], "https://findahelpline.com");
    // No country at all: never only a website.
    let run = t.run(&["crisis"]).ok();
    assert!(
        run.stdout.contains("doesn't know which country") && run.stdout.contains("Samaritans, call 116 123")
    );
    // A mistyped code says what to type, and still shows help.
    let run = t.run(&["crisis", "--country", "Narnia"]).ok();
    assert!(run.stderr.contains("two-letter code"), "{}", run.stderr);
    assert!(run.stdout.contains("findahelpline.com") && run.stdout.contains("988"), "{}", run.stdout);
    // Aliases people type: UK is GB.
    assert!(
        t.run(&["crisis", "--country", "UK"])
            .ok()
            .stdout
            .contains("If you are in immediate danger, call 999.")
    );
}

#[test]
fn config_set_country_stores_the_iso_code() {
    let (t, _) = Thaw::init();
    let run = t.run(&["config", "set", "country", "UK"]).ok();
    assert!(run.stdout.contains("country = GB"), "{}", run.stdout);
    assert_eq!(t.run(&["config", "get", "country", "--json"]).ok().json(), "GB");
    assert!(t.run(&["crisis"]).ok().stdout.contains("Samaritans: call 116 123"));
    t.run(&["config", "set", "country", "ireland"]).ok();
    assert_eq!(t.run(&["config", "get", "country", "--json"]).ok().json(), "IE");
    let run = t.run(&["config", "set", "country", "is"]).ok();
    assert!(
        run.stdout.contains("country = IS")
            && run.stdout.contains("doesn't have crisis lines for Iceland yet")
    );
    let run = t.run(&["config", "set", "country", "XX"]).fails(2);
    assert!(run.stderr.contains("two-letter code"), "{}", run.stderr);
    assert_eq!(
        t.run(&["config", "get", "country", "--json"]).ok().json(),
        "IS",
        "a bad value changes nothing"
    );
}

#[test]
fn crisis_works_without_a_vault_from_the_flag_or_the_locale() {
    let t = Thaw::new();
    let run = t.run(&["crisis"]).ok();
    assert!(run.stdout.contains("findahelpline.com"), "{}", run.stdout);
    let run = t.run(&["crisis", "--country", "GB"]).ok();
    assert!(run.stdout.contains("Samaritans: call 116 123 (24/7)"), "{}", run.stdout);
    assert!(run.stdout.contains("Shout: text SHOUT to 85258"), "{}", run.stdout);
    assert!(run.stdout.contains("If you are in immediate danger, call 999."), "{}", run.stdout);
    let run = t.run_with(&["crisis"], &[("LANG", "en_GB.UTF-8")]).ok();
    assert!(run.stdout.contains("Samaritans"), "{}", run.stdout);
    let run = t.run_with(&["crisis"], &[("LANG", "en_GB.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")]).ok();
    assert!(run.stdout.contains("3114"), "LC_ALL wins: {}", run.stdout);
    let json = t.run(&["crisis", "--country", "us", "--json"]).ok().json();
    assert_eq!(json["country"], "US");
    assert_eq!(json["emergency"], "911");
    assert_eq!(json["lines"][0]["phone"], "988");
    assert!(!t.vault().exists(), "crisis never creates a vault");
}

#[test]
fn crisis_reads_the_setting_only_when_the_vault_opens_without_asking() {
    let (mut t, _) = Thaw::init();
    t.run(&["config", "set", "country", "NZ"]).ok();
    let run = t.run(&["crisis"]).ok();
    assert!(run.stdout.contains("1737"), "{}", run.stdout);
    let before = t.snapshot();
    t.passphrase = None;
    let run = t.run_with(&["crisis"], &[("LANG", "en_AU.UTF-8")]).ok();
    assert!(run.stdout.contains("13 11 14"), "locked: the locale: {}", run.stdout);
    t.passphrase = Some("not the passphrase".into());
    let run = t.run(&["crisis"]).ok();
    assert!(run.stdout.contains("findahelpline.com"), "wrong passphrase: still help: {}", run.stdout);
    assert_eq!(t.snapshot(), before);
}

const PLAN: &str = r#"
warning_signs = ["I stop answering messages", "sleeping all day"]
coping_alone = ["a hot shower", "walk round the block"]
distractions = ["the library"]
people_to_ask = ["Robin: 07700 900123"]
professionals = ["Dr Shah at the surgery"]
safer_surroundings = ["ask Robin to keep things for me"]
reasons = ["my niece", "the allotment in spring"]
"#;

#[test]
fn a_safety_plan_round_trips_and_unknown_keys_change_nothing() {
    let (t, _) = Thaw::init();
    let empty = t.run(&["safety", "show"]).ok();
    assert!(empty.stdout.contains("thaw safety edit"), "{}", empty.stdout);
    let file = t.home.path().join("plan.toml");
    std::fs::write(&file, PLAN).unwrap();
    t.run(&["safety", "set", "--file", file.to_str().unwrap()]).ok();
    let shown = t.run(&["safety", "show", "--json"]).ok().json();
    assert_eq!(shown["warning_signs"], serde_json::json!(["I stop answering messages", "sleeping all day"]));
    assert_eq!(shown["reasons"][1], "the allotment in spring");
    assert_eq!(shown.as_object().unwrap().len(), 7);
    let text = t.run(&["safety", "show"]).ok().stdout;
    for title in
        ["Signs that a hard time is coming", "People I can ask for help", "Reasons that matter to me"]
    {
        assert!(text.contains(title), "{title}: {text}");
    }
    assert!(text.contains("my niece"), "{text}");
    assert!(
        !crate::harness::contains(&std::fs::read(t.vault().join("thaw.db")).unwrap(), b"allotment"),
        "encrypted"
    );

    let before = t.snapshot();
    std::fs::write(&file, "reasons = [\"x\"]\nhobbies = [\"knitting\"]\n").unwrap();
    let run = t.run(&["safety", "set", "--file", file.to_str().unwrap()]).fails(2);
    assert!(
        run.stderr.contains("\"hobbies\"") && run.stderr.contains("Nothing was changed"),
        "{}",
        run.stderr
    );
    std::fs::write(&file, "reasons = \"x\"\n").unwrap();
    t.run(&["safety", "set", "--file", file.to_str().unwrap()]).fails(2);
    t.run(&["safety", "set", "--file", "/no/such/plan.toml"]).fails(2);
    assert_eq!(t.snapshot(), before);
    assert_eq!(t.run(&["safety", "show", "--json"]).ok().json(), shown);

    // The plan appears right after a PHQ-9 answer that needs it, and crisis points to it.
    let run = t.run(&["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,1", "--country", "GB"]).ok();
    assert!(
        run.stdout.contains("Your safety plan:") && run.stdout.contains("walk round the block"),
        "{}",
        run.stdout
    );
    assert!(t.run(&["crisis"]).ok().stdout.contains("thaw safety show"));
}

#[test]
fn the_plan_can_be_written_in_the_editor() {
    let (t, _) = Thaw::init();
    let script = t.home.path().join("fake-editor.sh");
    std::fs::write(&script, "#!/bin/sh\nsed -i 's/^reasons = \\[\\]/reasons = [\"my dog\"]/' \"$1\"\n")
        .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let run = t.run_with(&["safety", "edit"], &[("EDITOR", script.to_str().unwrap())]);
    if run.code != 0 {
        // Only acceptable failure: this machine has no memory-backed folder; Thaw then refuses.
        assert!(run.stderr.contains("in-memory folder"), "{}", run.stderr);
        return;
    }
    assert_eq!(t.run(&["safety", "show", "--json"]).ok().json()["reasons"][0], "my dog");
    // A broken edit changes nothing.
    let broken = t.home.path().join("broken-editor.sh");
    std::fs::write(&broken, "#!/bin/sh\necho 'pets = [\"cat\"]' >> \"$1\"\n").unwrap();
    std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o700)).unwrap();
    let run = t.run_with(&["safety", "edit"], &[("EDITOR", broken.to_str().unwrap())]).fails(2);
    assert!(run.stderr.contains("\"pets\""), "{}", run.stderr);
    assert_eq!(t.run(&["safety", "show", "--json"]).ok().json()["reasons"][0], "my dog");
}
