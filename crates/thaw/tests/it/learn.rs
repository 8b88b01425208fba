//! `thaw guide` and `thaw prompt`, and journal entries that answer a prompt.

use crate::harness::Thaw;

#[test]
fn the_guide_lists_topics_and_shows_pages() {
    let t = Thaw::new();
    let list = t.run(&["guide", "--json"]).ok().json();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 15);
    assert_eq!(list[0]["id"], "not-crying-is-common", "in order");
    for topic in list {
        assert!(topic["id"].is_string() && topic["title"].is_string() && topic["summary"].is_string());
    }
    let text = t.run(&["guide"]).ok().stdout;
    assert!(text.contains("Is crying good or bad?") && text.contains("(medication)"), "{text}");

    let page = t.run(&["guide", "medication"]).ok().stdout;
    assert!(page.starts_with("When medication mutes feelings\n"), "{page}");
    assert!(page.contains("withdrawal"), "{page}");
    assert!(page.contains("Related in Thaw:") && page.contains("`thaw med list`"), "{page}");
    assert!(page.contains("Sources:") && page.contains("Goodwin GM"), "{page}");
    assert!(page.lines().all(|l| l.chars().count() <= 80), "wrapped to 80 columns: {page}");
    let narrow = t.run_with(&["guide", "medication"], &[("COLUMNS", "50")]).ok().stdout;
    assert!(narrow.lines().all(|l| l.chars().count() <= 50), "{narrow}");

    let json = t.run(&["guide", "Is", "crying", "good", "or", "bad?", "--json"]).ok().json();
    assert_eq!(json["id"], "is-crying-good-or-bad");
    for key in ["title", "summary", "body", "features", "sources"] {
        assert!(!json[key].is_null(), "{key}");
    }
    let run = t.run(&["guide", "medicaton"]).fails(2);
    assert!(run.stderr.contains("medication") && run.stderr.contains("thaw guide"), "{}", run.stderr);
    assert!(!t.vault().exists());
}

#[test]
fn prompts_are_picked_listed_and_filtered() {
    let t = Thaw::new();
    let one = t.run(&["prompt", "--json"]).ok().json();
    assert!(one["id"].is_string() && one["text"].is_string() && one["group"].is_string());
    let grief = t.run(&["prompt", "--group", "grief", "--json"]).ok().json();
    assert_eq!(grief["group"], "grief");
    let text = t.run(&["prompt", "--group", "gentle"]).ok().stdout;
    assert!(text.contains("thaw journal add --title") && text.contains("--prompt gentle-"), "{text}");

    let all = t.run(&["prompt", "--all", "--json"]).ok().json();
    let all = all.as_array().unwrap();
    assert!(all.len() >= 40);
    let heavy = all.iter().find(|p| p["id"] == "memories-2").unwrap();
    assert!(heavy["warning"].as_str().unwrap().contains("stop"));
    assert!(all.iter().find(|p| p["id"] == "gentle-1").unwrap().get("warning").is_none());
    let memories = t.run(&["prompt", "--all", "--group", "memories", "--json"]).ok().json();
    assert!(memories.as_array().unwrap().iter().all(|p| p["group"] == "memories"));

    // A heavier prompt shows its warning before the prompt.
    for _ in 0..40 {
        let run = t.run(&["prompt", "--group", "grief"]).ok();
        if run.stdout.starts_with("Before you start:") {
            let warn = run.stdout.find("Before you start").unwrap();
            let how = run.stdout.find("To write with it").unwrap();
            assert!(warn < how);
            assert!(run.stdout.contains("--group gentle"), "a lighter way out: {}", run.stdout);
            break;
        }
    }
    let run = t.run(&["prompt", "--group", "sadness"]).fails(2);
    assert!(
        run.stderr.contains("noticing") && run.stderr.contains("grief"),
        "lists the groups: {}",
        run.stderr
    );
}

#[test]
fn journal_entries_can_answer_a_prompt() {
    let (t, _) = Thaw::init();
    let rec = t
        .run(&[
            "journal",
            "add",
            "--title",
            "Weather",
            "--body",
            "Grey, mostly.",
            "--prompt",
            "noticing-3",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(rec["prompt"], "noticing-3");
    let before = t.snapshot();
    let run = t.run(&["journal", "add", "--title", "x", "--body", "y", "--prompt", "noticing-33"]).fails(2);
    assert!(run.stderr.contains("noticing-3") && run.stderr.contains("thaw prompt --all"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before);
}
