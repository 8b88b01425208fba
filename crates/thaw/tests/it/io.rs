//! export, import, backup and restore, end to end.

use std::path::PathBuf;

use crate::harness::{Thaw, contains};

const BACKUP_PASS: &str = "a backup passphrase";

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../thaw-io/tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// A vault with a little of everything.
fn filled() -> Thaw {
    let (t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "hurt:6", "--feel", "tired", "--note", "after the call, \"really\""]).ok();
    t.run(&[
        "journal",
        "add",
        "--title",
        "Sunday",
        "--body",
        "The lake was grey.\nNOTHING-PLAIN-42",
        "--tag",
        "weekend",
    ])
    .ok();
    t.run(&["activity", "--kind", "walking", "--minutes", "30", "--before", "3", "--after", "5"]).ok();
    t.run(&["release", "--kind", "teared-up", "--intensity", "4", "--before", "an old song"]).ok();
    t.run(&["people", "add", "Robin", "--reach", "phone"]).ok();
    t.run(&["config", "set", "country", "GB"]).ok();
    t
}

fn without_exported_at(json: &str) -> String {
    json.lines().filter(|l| !l.trim_start().starts_with("\"exported_at\"")).collect::<Vec<_>>().join("\n")
}

fn export_json(t: &Thaw, vault: &std::path::Path, name: &str) -> String {
    let path = t.home.path().join(name);
    t.run_with(
        &["export", "--format", "json", "-o", path.to_str().unwrap()],
        &[("THAW_VAULT", vault.to_str().unwrap())],
    )
    .ok();
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn export_json_csv_and_markdown_with_a_gentle_reminder() {
    let t = filled();
    let json_path = t.home.path().join("all.json");
    let run = t.run(&["export", "--format", "json", "-o", json_path.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("Exported 5 records"), "{}", run.stdout);
    assert!(run.stderr.contains("isn't encrypted") && run.stderr.contains("thaw backup"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(doc["format"], "thaw-export");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["settings"]["country"], "GB");
    assert_eq!(doc["records"].as_array().unwrap().len(), 5);
    assert_eq!(doc["records"][0]["type"], "checkin");

    // An existing file is never replaced without --force.
    let before = std::fs::read(&json_path).unwrap();
    let run = t.run(&["export", "--format", "md", "-o", json_path.to_str().unwrap()]).fails(2);
    assert!(run.stderr.contains("already exists") && run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read(&json_path).unwrap(), before);
    t.run(&["export", "--format", "md", "-o", json_path.to_str().unwrap(), "--force"]).ok();
    assert!(std::fs::read_to_string(&json_path).unwrap().starts_with("# Thaw journal"));

    let dir = t.home.path().join("csv/nested");
    let run = t.run(&["export", "--format", "csv", "-o", dir.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(run["records"], 5);
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["activity.csv", "checkin.csv", "journal.csv", "person.csv", "release.csv"]);
    let checkin = std::fs::read_to_string(dir.join("checkin.csv")).unwrap();
    assert!(
        checkin.starts_with("\u{feff}id,type,at,local_date,local_time,created_at,updated_at,emotions.word")
    );
    assert!(checkin.contains("\"after the call, \"\"really\"\"\""), "{checkin}");
    t.run(&["export", "--format", "csv", "-o", dir.to_str().unwrap()]).fails(2);
    t.run(&["export", "--format", "csv", "-o", dir.to_str().unwrap(), "--force"]).ok();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.join("checkin.csv")).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "owner-only");
}

#[test]
fn import_each_app_reports_and_does_not_duplicate() {
    let (t, _) = Thaw::init();
    let run = t.run(&["import", "daylio", &fixture("daylio.csv")]).ok();
    assert!(run.stdout.contains("4 activities, 6 check-ins"), "{}", run.stdout);
    assert!(run.stdout.contains("mood \"rad\" \u{2192} joyful"), "{}", run.stdout);
    assert!(run.stdout.contains("mood \"super duper\""), "{}", run.stdout);
    let again = t.run(&["import", "daylio", &fixture("daylio.csv"), "--json"]).ok().json();
    assert_eq!(again["imported"], serde_json::json!({}));
    assert_eq!(again["skipped_duplicates"], 11);

    let report = t.run(&["import", "jrnl", &fixture("jrnl.txt"), "--json"]).ok().json();
    assert_eq!(report["imported"]["journal"], 5);
    let report = t.run(&["import", "jrnl", &fixture("jrnl.json"), "--json"]).ok().json();
    assert_eq!(
        (report["imported"]["journal"].as_u64(), report["skipped_duplicates"].as_u64()),
        (Some(1), Some(2))
    );
    let report = t.run(&["import", "dayone", &fixture("dayone.json"), "--json"]).ok().json();
    assert_eq!(report["imported"]["journal"], 2);
    assert!(report["unmapped"].as_array().unwrap().iter().any(|u| u["what"] == "entries with photos"));
    let report = t.run(&["import", "pixels", &fixture("pixels.json"), "--json"]).ok().json();
    assert_eq!(report["imported"]["checkin"], 4);

    let hits = t.run(&["search", "candles", "--json"]).ok().json();
    assert_eq!(hits.as_array().unwrap().len(), 1, "imported notes are searchable");
    let checkins = t.run(&["checkin", "list", "--json"]).ok().json();
    assert_eq!(checkins.as_array().unwrap().len(), 10);
}

#[test]
fn a_malformed_file_names_the_line_and_changes_nothing() {
    let (t, _) = Thaw::init();
    t.run(&["import", "pixels", &fixture("pixels.json")]).ok();
    let before = t.snapshot();
    let run = t.run(&["import", "daylio", &fixture("daylio_bad_row.csv")]).fails(2);
    assert!(run.stderr.contains("line 4") && run.stderr.contains("Nothing was changed"), "{}", run.stderr);
    let run = t.run(&["import", "jrnl", &fixture("jrnl_bad.json")]).fails(2);
    assert!(run.stderr.contains("entries[1].date"), "{}", run.stderr);
    let run = t.run(&["import", "dayone", &fixture("daylio.csv")]).fails(2);
    assert!(run.stderr.contains("isn't valid JSON"), "{}", run.stderr);
    let missing = t.home.path().join("nope.csv");
    t.run(&["import", "daylio", missing.to_str().unwrap()]).fails(2);
    let binary = t.home.path().join("binary.txt");
    std::fs::write(&binary, b"[2025-03-05 07:40] ok\n\xff\xfe").unwrap();
    let run = t.run(&["import", "jrnl", binary.to_str().unwrap()]).fails(2);
    assert!(run.stderr.contains("isn't UTF-8 text (line 2)"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before, "vault files are byte-identical");
}

#[test]
fn thaw_export_imports_into_another_vault_exactly() {
    let t = filled();
    let first = export_json(&t, &t.vault(), "a.json");
    let other = t.home.path().join("other");
    let env = [("THAW_VAULT", other.to_str().unwrap())];
    t.run_with(&["init", "--json"], &env).ok();
    let report = t
        .run_with(&["import", "thaw", t.home.path().join("a.json").to_str().unwrap(), "--json"], &env)
        .ok()
        .json();
    assert_eq!(report["imported"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum::<u64>(), 5);
    assert_eq!(report["settings_imported"], 1);
    let second = export_json(&t, &other, "b.json");
    assert_eq!(without_exported_at(&first), without_exported_at(&second));
}

#[test]
fn backup_and_restore_reproduce_the_vault() {
    let t = filled();
    let backup = t.home.path().join("vault.backup");
    let env = [("THAW_BACKUP_PASSPHRASE", BACKUP_PASS)];
    let run = t.run_with(&["backup", "-o", backup.to_str().unwrap()], &env).ok();
    assert!(run.stdout.contains("Backed up 5 records"), "{}", run.stdout);
    let bytes = std::fs::read(&backup).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"), "age format");
    for marker in ["NOTHING-PLAIN-42", "thaw-export", "Robin", "after the call"] {
        assert!(!contains(&bytes, marker.as_bytes()), "plaintext {marker} in the backup");
    }
    // No plaintext was left anywhere else either.
    for (path, content) in crate::harness::files_under(t.home.path()) {
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        assert!(!contains(&content, b"NOTHING-PLAIN-42"), "plaintext in {}", path.display());
    }
    t.run_with(&["backup", "-o", backup.to_str().unwrap()], &env).fails(2);
    let run = t.run(&["import", "thaw", backup.to_str().unwrap()]).fails(2);
    assert!(run.stderr.contains("thaw restore"), "{}", run.stderr);

    let restored = t.home.path().join("restored");
    let run = t
        .run_with(
            &["restore", backup.to_str().unwrap(), "--json"],
            &[("THAW_BACKUP_PASSPHRASE", BACKUP_PASS), ("THAW_VAULT", restored.to_str().unwrap())],
        )
        .ok()
        .json();
    assert_eq!(run["records"], 5);
    let words = run["recovery_key"].as_str().unwrap();
    assert_eq!(words.split_whitespace().count(), 24);
    assert_eq!(
        without_exported_at(&export_json(&t, &t.vault(), "a.json")),
        without_exported_at(&export_json(&t, &restored, "b.json"))
    );
    // The restored vault opens with the new passphrase and its recovery words.
    t.run_with(
        &["recover", "--recovery-key", words],
        &[("THAW_VAULT", restored.to_str().unwrap()), ("THAW_NEW_PASSPHRASE", "another calm lake")],
    )
    .ok();
}

#[test]
fn restore_into_an_existing_vault_is_refused() {
    let t = filled();
    let backup = t.home.path().join("b.age");
    t.run_with(&["backup", "-o", backup.to_str().unwrap()], &[("THAW_BACKUP_PASSPHRASE", BACKUP_PASS)]).ok();
    t.run(&["checkin", "--feel", "numb"]).ok();
    let before = t.snapshot();
    let run = t
        .run_with(&["restore", backup.to_str().unwrap()], &[("THAW_BACKUP_PASSPHRASE", BACKUP_PASS)])
        .fails(2);
    assert!(
        run.stderr.contains("already a vault") && run.stderr.contains("nothing was changed"),
        "{}",
        run.stderr
    );
    assert_eq!(t.snapshot(), before);
    let occupied = t.home.path().join("occupied");
    std::fs::create_dir_all(&occupied).unwrap();
    std::fs::write(occupied.join("something.txt"), "mine").unwrap();
    t.run_with(
        &["restore", backup.to_str().unwrap()],
        &[("THAW_BACKUP_PASSPHRASE", BACKUP_PASS), ("THAW_VAULT", occupied.to_str().unwrap())],
    )
    .fails(2);
    assert_eq!(std::fs::read_dir(&occupied).unwrap().count(), 1);
}

#[test]
fn wrong_backup_passphrase_is_a_clear_error_with_exit_3() {
    let t = filled();
    let backup = t.home.path().join("b.age");
    t.run_with(&["backup", "-o", backup.to_str().unwrap()], &[("THAW_BACKUP_PASSPHRASE", BACKUP_PASS)]).ok();
    let target = t.home.path().join("new");
    let run = t
        .run_with(
            &["restore", backup.to_str().unwrap()],
            &[("THAW_BACKUP_PASSPHRASE", "not the one at all"), ("THAW_VAULT", target.to_str().unwrap())],
        )
        .fails(3);
    assert!(run.stderr.contains("backup passphrase is not correct"), "{}", run.stderr);
    assert!(!run.stderr.contains("not the one at all"), "never echoed");
    assert!(!target.exists(), "no vault was made");

    // Not a backup at all: bad input, nothing made.
    let plain = t.home.path().join("plain.json");
    std::fs::write(&plain, "{}").unwrap();
    let run = t
        .run_with(
            &["restore", plain.to_str().unwrap()],
            &[("THAW_BACKUP_PASSPHRASE", BACKUP_PASS), ("THAW_VAULT", target.to_str().unwrap())],
        )
        .fails(2);
    assert!(run.stderr.contains("isn't a Thaw backup"), "{}", run.stderr);
    assert!(!target.exists());
}

#[test]
fn backup_needs_a_passphrase_source() {
    let t = filled();
    let backup = t.home.path().join("b.age");
    let run = t.run(&["backup", "-o", backup.to_str().unwrap()]).fails(2);
    assert!(run.stderr.contains("THAW_BACKUP_PASSPHRASE"), "{}", run.stderr);
    let run = t
        .run_with(&["backup", "-o", backup.to_str().unwrap()], &[("THAW_BACKUP_PASSPHRASE", "short")])
        .fails(2);
    assert!(run.stderr.contains("at least 8 characters"), "{}", run.stderr);
    assert!(!backup.exists());
}
