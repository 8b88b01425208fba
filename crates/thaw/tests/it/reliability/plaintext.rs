//! No plaintext of what a person wrote anywhere on disk after any command (PRODUCT.md §8): a
//! marker goes into every kind of record and setting that holds free text, every command that
//! reads or rewrites them runs (lists, show, search, the editor, backup, reports, the web pages,
//! check), and then the marker must be nowhere in the home folder (vault with its WAL and shm,
//! TMPDIR, the backup) nor in the memory-backed folder the editor used. Plaintext exports and
//! reports are the person's explicit choice: they go to a folder outside the scan.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::json;

use crate::harness::{Run, Thaw, contains, files_under};
use crate::web::serve;

/// Never typed as one piece in a file the test writes: the fake editor assembles it.
const MARKER: &str = "quillfjordmarker";

/// Every file under `dir` (except under `skip`) that holds the marker.
fn marked_files(dir: &Path, skip: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|(path, bytes)| !path.starts_with(skip) && contains(bytes, MARKER.as_bytes()))
        .map(|(path, _)| path.display().to_string())
        .collect()
}

#[test]
fn no_command_leaves_a_record_in_plaintext_on_disk() {
    let (t, _) = Thaw::init();
    let m = MARKER;
    let home = t.home.path();
    let exports = home.join("exports-chosen-by-the-person");
    std::fs::create_dir_all(&exports).unwrap();
    // The editor's memory-backed folder: one the test owns, so all of it can be scanned.
    let shm = tempfile::Builder::new().prefix("thaw-test-shm-").tempdir_in("/dev/shm").ok();
    let shm_path = shm.as_ref().map(|d| d.path().to_str().unwrap().to_owned()).unwrap_or_default();
    // An editor opened by mistake fails at once instead of waiting for a terminal.
    let mut env: Vec<(&str, &str)> = vec![("EDITOR", "false")];
    if shm.is_some() {
        env.push(("XDG_RUNTIME_DIR", shm_path.as_str()));
    }
    let run = |args: &[&str]| -> Run { t.run_with(args, &env).ok() };
    let cached = t.run(&["unlock", "--for", "30m"]).code == 0;

    // Every kind of record and setting with free text.
    let entry =
        run(&["journal", "add", "--title", &format!("{m} title"), "--body", &format!("{m} body"), "--json"])
            .json();
    let entry_id = entry["id"].as_str().unwrap().to_owned();
    let checkin =
        run(&["checkin", "--feel", "hurt:5", "--note", &format!("{m} checkin note"), "--json"]).json();
    run(&["react", "--situation", &format!("{m} situation"), "--intensity", "5", "--style", "humour"]);
    run(&[
        "react",
        "--situation",
        "a second one",
        "--intensity",
        "3",
        "--style",
        "felt-it",
        "--reflection",
        &format!("{m} reflection"),
    ]);
    run(&[
        "activity",
        "--kind",
        "painting",
        "--minutes",
        "20",
        "--before",
        "2",
        "--after",
        "4",
        "--place",
        &format!("{m} place"),
        "--note",
        &format!("{m} activity note"),
    ]);
    run(&["release", "--kind", "cried", "--intensity", "6", "--before", &format!("{m} before")]);
    run(&[
        "people",
        "add",
        &format!("{m}person"),
        "--reach",
        &format!("{m} reach"),
        "--note",
        &format!("{m} note"),
    ]);
    run(&[
        "people",
        "talked",
        &format!("{m}person"),
        "--how",
        &format!("{m} how"),
        "--note",
        &format!("{m} talk"),
    ]);
    run(&["med", "add", "sertraline", "--dose", "50", "--unit", "mg", "--note", &format!("{m} med note")]);
    run(&["words", "add", &format!("{m}word"), "--family", "sad", "--meaning", &format!("{m} meaning")]);
    run(&["report", "questions", "add", &format!("{m} question for my doctor")]);
    let plan = format!("warning_signs = [\"{m} sign\"]\nreasons = [\"{m} reason\"]\n");
    t.run_stdin(&["safety", "set", "--file", "-"], &plan).ok();
    run(&["assess", "phq9", "--answers", "1,1,1,0,0,0,0,0,0"]);

    // The editor: appends a line with the marker, assembled so the script itself doesn't hold it.
    let (head, tail) = m.split_at(5);
    let editor = home.join("editor.sh");
    std::fs::write(&editor, format!("#!/bin/sh\nprintf '%s%s edited\\n' '{head}' '{tail}' >> \"$1\"\n"))
        .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut with_editor = env.clone();
    with_editor.push(("EDITOR", editor.to_str().unwrap()));
    let edited = t.run_with(&["journal", "edit", &entry_id], &with_editor);
    let editor_ran = edited.code == 0;
    if editor_ran {
        let plan_editor = home.join("plan-editor.sh");
        std::fs::write(
            &plan_editor,
            format!(
                "#!/bin/sh\na='{head}'; b='{tail}'\nsed -i \"s/^coping_alone = \\[\\]/coping_alone = [\\\"$a$b walk\\\"]/\" \"$1\"\n"
            ),
        )
        .unwrap();
        std::fs::set_permissions(&plan_editor, std::fs::Permissions::from_mode(0o700)).unwrap();
        let mut plan_env = env.clone();
        plan_env.push(("EDITOR", plan_editor.to_str().unwrap()));
        t.run_with(&["safety", "edit"], &plan_env).ok();
        let plan = run(&["safety", "show", "--json"]).json();
        assert_eq!(plan["coping_alone"][0], format!("{m} walk"), "the plan's edit was saved");
    } else {
        // Only acceptable failure: no memory-backed folder here, and Thaw refuses to use the disk.
        assert!(edited.stderr.contains("in-memory folder"), "{}", edited.stderr);
    }
    let body_now = run(&["journal", "show", &entry_id, "--json"]).json()["body"].as_str().unwrap().to_owned();
    run(&["journal", "edit", &entry_id, "--title", &format!("{m} title, changed"), "--body", &body_now]);

    // Every command that reads them.
    for args in [
        &["checkin", "list", "--json"][..],
        &["checkin", "list"],
        &["journal", "list"],
        &["journal", "show", &entry_id],
        &["journal", "search", m],
        &["react", "list"],
        &["release", "list"],
        &["activity", "list"],
        &["people", "list"],
        &["people", "log"],
        &["med", "list"],
        &["words"],
        &["safety", "show"],
        &["report", "questions", "list"],
        &["assess", "list"],
        &["insights"],
    ] {
        run(args);
    }
    let hits = run(&["search", m, "--json"]).json();
    assert!(hits.as_array().unwrap().len() >= 8, "the marker is searchable in every kind: {hits}");
    let body = run(&["journal", "show", &entry_id, "--json"]).json()["body"].as_str().unwrap().to_owned();
    if editor_ran {
        assert!(body.ends_with(&format!("{m} edited")), "the edit was saved: {body}");
    }
    let backup = home.join("backup.age");
    t.run_with(
        &["backup", "-o", backup.to_str().unwrap()],
        &[env.as_slice(), &[("THAW_BACKUP_PASSPHRASE", "another calm lake")]].concat(),
    )
    .ok();
    for format in ["pdf", "html", "md", "fhir"] {
        let out = exports.join(format!("report.{format}"));
        run(&["report", "--format", format, "-o", out.to_str().unwrap()]);
    }
    run(&["export", "--format", "json", "-o", exports.join("all.json").to_str().unwrap()]);
    run(&["export", "--format", "csv", "-o", exports.join("csv").to_str().unwrap()]);
    run(&["export", "--format", "md", "-o", exports.join("journal.md").to_str().unwrap()]);
    let html = std::fs::read_to_string(exports.join("report.html")).unwrap();
    assert!(html.contains(m), "the plaintext report the person asked for holds their question");

    // The web app shows them.
    let s = serve(&t);
    s.unlock();
    let checkin_id = checkin["id"].as_str().unwrap();
    for page in [
        "/".to_owned(),
        "/journal".into(),
        format!("/journal/{entry_id}"),
        format!("/journal/{entry_id}/edit"),
        format!("/checkin/{checkin_id}"),
        "/people".into(),
        "/react".into(),
        "/release".into(),
        "/activity".into(),
        "/safety".into(),
        "/settings".into(),
        "/assess".into(),
        "/api/v1/journal".into(),
        "/api/v1/checkins".into(),
        "/api/v1/people".into(),
    ] {
        let (status, text) = s.get(&page);
        assert_eq!(status, 200, "{page}: {text}");
    }
    let (_, entry_page) = s.get(&format!("/journal/{entry_id}"));
    assert!(entry_page.contains(m), "the entry's page shows it");
    let (status, found) = s.post("/api/v1/search", &json!({ "q": m }));
    assert_eq!(status, 200);
    assert!(found.as_array().unwrap().len() >= 8, "{found}");
    drop(s);
    run(&["check"]);
    if cached {
        let _ = t.run(&["lock"]);
    }

    // Nowhere on disk: the whole home folder (vault, WAL and shm, TMPDIR, the backup, config),
    // bytewise, and the editor's memory-backed folder.
    let vault_files = files_under(&t.vault());
    assert!(vault_files.keys().any(|p| p.ends_with("thaw.db")));
    assert!(backup.exists() && std::fs::metadata(&backup).unwrap().len() > 0, "a backup was written");
    let mut found = marked_files(home, &exports);
    if let Some(dir) = &shm {
        found.extend(marked_files(dir.path(), &exports));
        assert!(files_under(dir.path()).is_empty(), "the editor's folder is gone");
    }
    assert!(found.is_empty(), "plaintext of a record found in: {found:?}");
    assert!(files_under(&home.join("tmp")).is_empty(), "nothing left in TMPDIR");
    // The scan can see the marker where it is meant to be (the person's own exports).
    assert!(!marked_files(&exports, &home.join("nothing")).is_empty());
}
