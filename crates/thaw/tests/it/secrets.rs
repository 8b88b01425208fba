//! Issue 13: secrets never reach another program's arguments or environment, recovery words and
//! data keys can be replaced, permissions are watched, and text never carries terminal escapes.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{PASS, Thaw, contains};

/// A stand-in program that records its arguments and environment in `DIR/NAME.argv` and
/// `DIR/NAME.env`, then runs `extra` (shell).
fn recorder(dir: &Path, name: &str, extra: &str) -> String {
    let script = dir.join(format!("{name}.sh"));
    let out = dir.join(name);
    let text = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" > '{out}.argv.tmp'\nenv > '{out}.env'\n{extra}\nmv '{out}.argv.tmp' '{out}.argv'\n",
        out = out.display()
    );
    std::fs::write(&script, text).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
    script.display().to_string()
}

fn wait_for(path: &Path) -> String {
    let start = Instant::now();
    while !path.exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_browser_launcher_and_the_editor_see_no_token_code_passphrase_or_recovery_word() {
    let (t, words) = Thaw::init();
    let rec = t.home.path().join("rec");
    let run_dir = t.home.path().join("run");
    for d in [&rec, &run_dir] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    // The launcher keeps a copy of the launch file and notes its permissions and its folder's.
    let keep = format!(
        "cp \"$1\" '{r}/launch.html'; stat -c %a \"$1\" > '{r}/launch.mode'; stat -c %a \"$(dirname \"$1\")\" > '{r}/dir.mode'",
        r = rec.display()
    );
    let browser = recorder(&rec, "browser", &keep);
    let mut serve = t
        .command(&["serve", "--port", "0"])
        .env("THAW_BROWSER", &browser)
        .env("XDG_RUNTIME_DIR", &run_dir)
        .env("THAW_NEW_PASSPHRASE", "another secret phrase")
        .env("THAW_BACKUP_PASSPHRASE", "a backup secret phrase")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(serve.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let token = line.trim().split("token=").nth(1).unwrap().to_owned();
    let argv = wait_for(&rec.join("browser.argv"));
    // Stopped as Ctrl+C or a service manager would: it cleans up after itself.
    let stopped =
        std::process::Command::new("kill").args(["-TERM", &serve.id().to_string()]).status().unwrap();
    assert!(stopped.success());
    assert!(serve.wait().unwrap().success(), "thaw serve stops cleanly on SIGTERM");
    let env = std::fs::read_to_string(rec.join("browser.env")).unwrap();
    let launch = std::fs::read_to_string(rec.join("launch.html")).unwrap();
    // The launch file holds the one-time link to the app's own host name …
    let code = launch.split("/open/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(code.len() >= 40, "{launch}");
    assert!(launch.contains(".localhost:"), "{launch}");
    assert_eq!(std::fs::read_to_string(rec.join("launch.mode")).unwrap().trim(), "600");
    assert_eq!(std::fs::read_to_string(rec.join("dir.mode")).unwrap().trim(), "700");
    assert!(argv.contains(&run_dir.display().to_string()), "the launch file is in XDG_RUNTIME_DIR: {argv}");
    // … and neither the launcher's arguments nor its environment hold any secret.
    let secrets = [token.as_str(), code.as_str(), PASS, "another secret phrase", "a backup secret phrase"];
    for (what, text) in [("arguments", &argv), ("environment", &env)] {
        for secret in secrets {
            assert!(!text.contains(secret), "the launcher's {what} hold a secret: {text}");
        }
        assert!(!text.contains("THAW_PASSPHRASE"), "{what}: {text}");
        assert!(!text.contains("/open/"), "{what}: {text}");
        for w in words.split_whitespace() {
            assert!(!text.split_whitespace().any(|x| x == w), "a recovery word in the {what}");
        }
    }
    // The launch file's folder is gone once the server stopped.
    assert_eq!(std::fs::read_dir(&run_dir).unwrap().count(), 0, "launch folder left behind");

    // The editor, started for a journal entry with the passphrase in the environment.
    t.run(&["journal", "add", "--title", "From the editor", "--body", "first words"]).ok();
    let editor = recorder(&rec, "editor", "printf 'Written in the editor\\n' > \"$1\"");
    let run = t.run_with(
        &["journal", "edit", "--title", "From the editor"],
        &[("EDITOR", &editor), ("THAW_NEW_PASSPHRASE", "another secret phrase")],
    );
    run.ok();
    let argv = std::fs::read_to_string(rec.join("editor.argv")).unwrap();
    let env = std::fs::read_to_string(rec.join("editor.env")).unwrap();
    for text in [&argv, &env] {
        for secret in [PASS, "another secret phrase"] {
            assert!(!text.contains(secret), "the editor sees a secret: {text}");
        }
        assert!(!text.contains("THAW_PASSPHRASE"), "{text}");
    }
    assert!(env.contains("THAW_VAULT"), "other variables are passed on: {env}");
    let list = t.run(&["journal", "list"]).ok();
    assert!(list.stdout.contains("From the editor"), "{}", list.stdout);
}

#[test]
fn recover_reads_the_words_from_standard_input_and_warns_about_the_flag() {
    let (mut t, words) = Thaw::init();
    t.passphrase = None;
    let mut cmd = t.command(&["recover"]);
    cmd.env("THAW_NEW_PASSPHRASE", "a new passphrase here");
    let run = {
        use std::io::Write;
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(format!("{words}\n").as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(!String::from_utf8_lossy(&run.stderr).contains("--recovery-key"));
    t.passphrase = Some("a new passphrase here".into());
    t.run(&["journal", "list"]).ok();
    // Nothing piped in: a clear question, nothing changed.
    let before = t.snapshot();
    let run = t.run_with(&["recover"], &[("THAW_NEW_PASSPHRASE", "x a new passphrase")]).fails(2);
    assert!(run.stderr.contains("pipe them in"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before);
    // The old flag still works, with a warning.
    let run = t
        .run_with(&["recover", "--recovery-key", &words], &[("THAW_NEW_PASSPHRASE", "a third passphrase")])
        .ok();
    assert!(run.stderr.contains("can be read by other users"), "{}", run.stderr);
}

#[test]
fn new_recovery_words_replace_the_old_ones() {
    let (t, old) = Thaw::init();
    let run = t.run(&["recovery", "new", "--json"]).ok();
    let new = run.json()["recovery_key"].as_str().unwrap().to_owned();
    assert_eq!(new.split_whitespace().count(), 24);
    assert_ne!(new, old);
    let env = [("THAW_NEW_PASSPHRASE", "after the new words")];
    t.run_stdin_env(&["recover"], &old, &env).fails(3);
    t.run_stdin_env(&["recover"], &new, &env).ok();
    // Shown for people, once.
    let run = t.run_with(&["recovery", "new"], &[("THAW_PASSPHRASE", "after the new words")]).ok();
    assert!(run.stdout.contains("shows them only this once"), "{}", run.stdout);
    assert!(run.stdout.contains(" 1. "), "{}", run.stdout);
}

#[test]
fn rekey_makes_old_key_files_and_old_words_useless() {
    let (t, old_words) = Thaw::init();
    t.run(&["journal", "add", "--title", "Before the new key", "--body", "kept"]).ok();
    let old_key_file = std::fs::read(t.vault().join("vault.key")).unwrap();
    let db_before = std::fs::read(t.vault().join("thaw.db")).unwrap();
    let run = t.run(&["rekey", "--json"]).ok();
    let new_words = run.json()["recovery_key"].as_str().unwrap().to_owned();
    assert_ne!(new_words, old_words);
    assert!(!t.vault().join("vault.key.next").exists());
    assert_ne!(std::fs::read(t.vault().join("thaw.db")).unwrap(), db_before, "re-encrypted");
    let list = t.run(&["journal", "list"]).ok();
    assert!(list.stdout.contains("Before the new key"), "{}", list.stdout);
    t.run(&["check"]).ok();
    let env = [("THAW_NEW_PASSPHRASE", "after the rekey")];
    t.run_stdin_env(&["recover"], &old_words, &env).fails(3);
    // A copy of the old key file, with the passphrase it was made with, opens nothing.
    let current = std::fs::read(t.vault().join("vault.key")).unwrap();
    std::fs::write(t.vault().join("vault.key"), &old_key_file).unwrap();
    let run = t.run(&["journal", "list"]);
    assert_ne!(run.code, 0);
    assert!(!run.stdout.contains("Before the new key"));
    std::fs::write(t.vault().join("vault.key"), &current).unwrap();
    t.run_stdin_env(&["recover"], &new_words, &env).ok();
}

#[test]
fn check_reports_loosened_permissions_and_fix_restores_them() {
    let (t, _) = Thaw::init();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    std::fs::set_permissions(t.vault(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(t.vault().join("vault.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = t.run(&["check"]).fails(1);
    assert!(run.stdout.contains("readable by others (mode 0755"), "{}", run.stdout);
    assert!(run.stdout.contains("vault.key is readable by others (mode 0644"), "{}", run.stdout);
    assert!(run.stderr.contains("thaw check --fix"), "{}", run.stderr);
    let report = t.run(&["check", "--json"]).fails(1).json();
    assert_eq!(report["healthy"], false);
    assert_eq!(report["loose_permissions"].as_array().unwrap().len(), 2);
    t.run(&["check", "--fix"]).ok();
    assert_eq!(mode(&t.vault()), 0o700);
    assert_eq!(mode(&t.vault().join("vault.key")), 0o600);
    assert_eq!(t.run(&["check", "--json"]).ok().json()["loose_permissions"].as_array().unwrap().len(), 0);
}

#[test]
fn control_characters_are_refused_when_typed_and_never_reach_the_terminal() {
    let (t, _) = Thaw::init();
    let osc52 = "Sunday\u{1b}]52;c;ZWNobyBoaQ==\u{7}";
    let run = t.run(&["journal", "add", "--title", osc52, "--body", "x"]).fails(2);
    assert!(run.stderr.contains("invisible control character"), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'));
    t.run(&["journal", "add", "--title", "invoice\u{202e}fdp.exe", "--body", "x"]).fails(2);
    t.run(&["journal", "add", "--title", "del", "--body", "a\u{7f}b"]).fails(2);
    // Imports clean such text rather than failing.
    let file = t.home.path().join("escapes.txt");
    std::fs::write(
        &file,
        "[2025-03-05 07:40] Title \u{1b}[2J\u{1b}]52;c;aGk=\u{7}here\u{202e}\nBody \u{1b}[31mred\n",
    )
    .unwrap();
    let report = t.run(&["import", "jrnl", file.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(report["imported"]["journal"], 1, "{report}");
    assert!(report.to_string().contains("invisible control characters"), "{report}");
    let export = serde_json::json!({
        "format": "thaw-export", "version": 1, "exported_at": "2026-01-01T00:00:00Z", "app_version": "0",
        "records": [{
            "id": "01936f5e-0000-7000-8000-000000000001", "at": "2025-03-06T10:00:00Z",
            "created_at": "2025-03-06T10:00:00Z", "updated_at": "2025-03-06T10:00:00Z",
            "type": "journal", "title": "Crafted \u{1b}]52;c;aGk=\u{7}title", "body": "b\u{1b}[2Jody"
        }]
    });
    let file = t.home.path().join("crafted.json");
    std::fs::write(&file, export.to_string()).unwrap();
    t.run(&["import", "thaw", file.to_str().unwrap()]).ok();
    for args in [&["journal", "list"][..], &["search", "title"][..], &["search", "red"][..]] {
        let out = t.run(args).ok();
        assert!(
            !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
            "{args:?}: {:?}",
            out.stdout
        );
        assert!(!out.stdout.contains('\u{202e}'), "{args:?}");
    }
    let list = t.run(&["journal", "list", "--json"]).ok().json();
    for entry in list.as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        let shown = t.run(&["journal", "show", id]).ok();
        assert!(!contains(shown.stdout.as_bytes(), b"\x1b"), "{:?}", shown.stdout);
    }
}

#[test]
fn csv_export_neutralises_formulas() {
    let (t, _) = Thaw::init();
    t.run(&["journal", "add", "--title", "=HYPERLINK(\"http://evil.example\",\"x\")", "--body", "@SUM(1)"])
        .ok();
    let dir = t.home.path().join("csv");
    t.run(&["export", "--format", "csv", "-o", dir.to_str().unwrap()]).ok();
    let csv = std::fs::read_to_string(dir.join("journal.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(csv.contains(",'@SUM(1)"), "{csv}");
}

#[test]
fn restore_refuses_a_crafted_work_factor_at_once() {
    let (t, _) = Thaw::init();
    let backup = t.home.path().join("b.age");
    t.run_with(&["backup", "-o", backup.to_str().unwrap()], &[("THAW_BACKUP_PASSPHRASE", "backup phrase")])
        .ok();
    let bytes = std::fs::read(&backup).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().find(|l| l.starts_with("-> scrypt ")).unwrap().to_owned();
    assert!(line.ends_with(" 18"), "thaw backup writes 2^18: {line}");
    let crafted_line = format!("{} 22", line.rsplit_once(' ').unwrap().0);
    let mut crafted = Vec::new();
    let at = bytes.windows(line.len()).position(|w| w == line.as_bytes()).unwrap();
    crafted.extend_from_slice(&bytes[..at]);
    crafted.extend_from_slice(crafted_line.as_bytes());
    crafted.extend_from_slice(&bytes[at + line.len()..]);
    let crafted_path = t.home.path().join("crafted.age");
    std::fs::write(&crafted_path, crafted).unwrap();
    let new_vault = t.home.path().join("restored");
    let run = t.run_with(
        &["restore", crafted_path.to_str().unwrap(), "--vault", new_vault.to_str().unwrap()],
        &[("THAW_BACKUP_PASSPHRASE", "backup phrase")],
    );
    let run = run.fails(2);
    assert!(run.stderr.contains("far more work"), "{}", run.stderr);
    assert!(!new_vault.exists());
}
