//! The journal: add from flags, stdin and the editor; list, show, edit, delete, search.

use std::os::unix::fs::PermissionsExt;

use crate::harness::{Thaw, contains, files_under};

#[test]
fn add_list_show_and_search() {
    let (t, _) = Thaw::init();
    t.run(&[
        "journal",
        "add",
        "--title",
        "Sunday",
        "--body",
        "The lake was grey and still.",
        "--tag",
        "Weekend",
        "--tag",
        "#outside",
    ])
    .ok();
    t.run_stdin(
        &["journal", "add", "--title", "Monday", "--feel", "numb"],
        "Work again.\nFelt far away from it all.\n",
    )
    .ok();
    // Nothing piped in: nothing saved, and it says how to give the text.
    let empty = t.run_stdin(&["journal", "add", "--title", "Blank"], "\n").fails(2);
    assert!(
        empty.stderr.contains("nothing was saved") && empty.stderr.contains("--body"),
        "{}",
        empty.stderr
    );
    let list = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 2, "the blank one wasn't saved");
    assert_eq!(list[0]["title"], "Monday");
    assert_eq!(list[0]["body"], "Work again.\nFelt far away from it all.");
    assert_eq!(list[0]["emotions"][0], "numb");
    assert_eq!(list[1]["tags"], serde_json::json!(["weekend", "outside"]));
    let tagged = t.run(&["journal", "list", "--json", "--tag", "weekend"]).ok().json();
    assert_eq!(tagged.as_array().unwrap().len(), 1);

    let id = list[1]["id"].as_str().unwrap();
    let short = &id[id.len() - 8..];
    let shown = t.run(&["journal", "show", short]).ok().stdout;
    assert!(shown.contains("# Sunday") && shown.contains("The lake was grey"), "{shown}");
    assert_eq!(t.run(&["journal", "show", id, "--json"]).ok().json()["title"], "Sunday");

    let hits = t.run(&["journal", "search", "grey", "--json"]).ok().json();
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("grey"));
    let all = t.run(&["search", "far", "--json"]).ok().json();
    assert_eq!(all[0]["title"], "Monday");
    assert!(t.run(&["search", "nowhere"]).ok().stdout.contains("Nothing found"));
    t.run(&["journal", "show", "0000"]).fails(2);
    t.run(&["journal", "add", "--title", "  ", "--body", "x"]).fails(2);
}

#[test]
fn search_finds_words_in_every_kind_of_record() {
    let (t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "sad", "--note", "rainy window"]).ok();
    t.run(&["react", "--situation", "rainy commute", "--intensity", "3", "--style", "distracted"]).ok();
    t.run(&[
        "activity",
        "--kind",
        "walking",
        "--minutes",
        "10",
        "--before",
        "2",
        "--after",
        "3",
        "--note",
        "rainy park",
    ])
    .ok();
    t.run(&["journal", "add", "--title", "Weather", "--body", "rain, rain, rain"]).ok();
    let hits = t.run(&["search", "rain", "--json"]).ok().json();
    let mut kinds: Vec<&str> = hits.as_array().unwrap().iter().map(|h| h["type"].as_str().unwrap()).collect();
    kinds.sort();
    assert_eq!(kinds, ["activity", "checkin", "journal", "reaction"]);
    // Search syntax in the input is just text.
    t.run(&["search", "\"rain\" OR NEAR(", "--json"]).ok();
}

#[test]
fn edit_with_body_and_delete() {
    let (t, _) = Thaw::init();
    let added = t.run(&["journal", "add", "--title", "Draft", "--body", "first words", "--json"]).ok().json();
    let id = added["id"].as_str().unwrap().to_owned();
    t.run(&["journal", "edit", &id, "--body", "second words", "--title", "Better"]).ok();
    let shown = t.run(&["journal", "show", &id, "--json"]).ok().json();
    assert_eq!(shown["body"], "second words");
    assert_eq!(shown["title"], "Better");
    assert_ne!(shown["updated_at"], shown["created_at"]);
    assert!(
        t.run(&["search", "first", "--json"]).ok().json().as_array().unwrap().is_empty(),
        "old text left the index"
    );
    t.run(&["journal", "edit", "--title", "Better", "--body", "third words"]).ok();
    assert_eq!(t.run(&["journal", "show", &id, "--json"]).ok().json()["body"], "third words");
    t.run(&["journal", "edit", "--title", "No such entry", "--body", "x"]).fails(2);
    t.run(&["journal", "delete", &id]).ok();
    t.run(&["journal", "show", &id]).fails(2);
    assert!(t.run(&["search", "third", "--json"]).ok().json().as_array().unwrap().is_empty());
}

#[test]
fn editing_in_the_editor_leaves_no_plaintext_behind() {
    let (t, _) = Thaw::init();
    let added = t
        .run(&["journal", "add", "--title", "Private", "--body", "quokkaharbour original", "--json"])
        .ok()
        .json();
    let id = added["id"].as_str().unwrap().to_owned();
    // A fake editor: notes where it was asked to edit, then appends a line.
    let script = t.home.path().join("fake-editor.sh");
    let seen = t.home.path().join("seen-path");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > {}\necho 'quokkaharbour added' >> \"$1\"\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    let run = t.run_with(&["journal", "edit", &id], &[("EDITOR", script.to_str().unwrap())]);
    if run.code != 0 {
        // Only acceptable failure: this machine has no memory-backed folder; Thaw then refuses.
        assert!(run.stderr.contains("in-memory folder"), "{}", run.stderr);
        return;
    }
    let body = t.run(&["journal", "show", &id, "--json"]).ok().json()["body"].as_str().unwrap().to_owned();
    assert_eq!(body, "quokkaharbour original\nquokkaharbour added");
    let edited_at = std::path::PathBuf::from(std::fs::read_to_string(&seen).unwrap().trim());
    assert!(!edited_at.exists(), "the edit file is gone: {}", edited_at.display());
    assert!(!edited_at.parent().unwrap().exists(), "its private folder is gone too");
    let base = edited_at.parent().unwrap().parent().unwrap();
    assert!(
        base.starts_with("/dev/shm")
            || base.starts_with("/run")
            || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|x| base.starts_with(x)),
        "edited on a memory-backed folder, not disk: {}",
        base.display()
    );
    for (path, bytes) in files_under(base)
        .iter()
        .chain(files_under(&t.vault()).iter())
        .chain(files_under(&t.home.path().join("tmp")).iter())
    {
        assert!(!contains(bytes, b"quokkaharbour"), "plaintext left in {}", path.display());
    }
    // A failing editor changes nothing.
    let fail = t.home.path().join("fail-editor.sh");
    std::fs::write(&fail, "#!/bin/sh\necho 'quokkaharbour lost' >> \"$1\"\nexit 1\n").unwrap();
    std::fs::set_permissions(&fail, std::fs::Permissions::from_mode(0o700)).unwrap();
    t.run_with(&["journal", "edit", &id], &[("EDITOR", fail.to_str().unwrap())]).fails(1);
    // No editor set and no terminal (a script): a clear refusal, never a `vi` waiting forever.
    let refused = t.run(&["journal", "edit", &id]).fails(2);
    assert!(refused.stderr.contains("--body"), "{}", refused.stderr);
    let after = t.run(&["journal", "show", &id, "--json"]).ok().json()["body"].as_str().unwrap().to_owned();
    assert_eq!(after, body);
}
