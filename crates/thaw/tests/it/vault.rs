//! Creating, unlocking and protecting the vault.

use crate::harness::{PASS, Thaw, contains, files_under};

#[test]
fn init_shows_24_recovery_words_once_and_creates_owner_only_files() {
    let (t, words) = Thaw::init();
    assert_eq!(words.split_whitespace().count(), 24);
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&t.vault()), 0o700);
    for file in ["vault.key", "thaw.db"] {
        assert_eq!(mode(&t.vault().join(file)), 0o600, "{file}");
    }
    let key = std::fs::read_to_string(t.vault().join("vault.key")).unwrap();
    let list: Vec<&str> = words.split_whitespace().collect();
    for pair in list.windows(2) {
        assert!(!key.contains(&pair.join(" ")), "recovery words stored in the key file");
    }
    // A second init changes nothing.
    let before = t.snapshot();
    let run = t.run(&["init"]).fails(2);
    assert!(run.stderr.contains("already a vault"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before);
}

#[test]
fn init_takes_the_country_from_a_flag_and_never_asks_a_script() {
    let t = Thaw::new();
    let run = t.run(&["init", "--country", "Narnia"]).fails(2);
    assert!(run.stderr.contains("two-letter code"), "{}", run.stderr);
    assert!(!t.vault().exists(), "a mistyped --country creates nothing");
    let json = t.run(&["init", "--country", "uk", "--json"]).ok().json();
    assert_eq!(json["country"], "GB");
    assert_eq!(t.run(&["config", "get", "country", "--json"]).ok().json(), "GB");
    // Without a terminal and without --country, init finishes without asking (stdin is closed).
    let t = Thaw::new();
    let run = t.run_with(&["init"], &[("LANG", "en_IE.UTF-8")]).ok();
    assert!(!run.stderr.contains("which country"), "{}", run.stderr);
    assert!(t.run(&["config", "get", "country", "--json"]).ok().json().is_null());
}

/// Runs `thaw init` on a pseudo-terminal (util-linux `script`), typing `answer`; `None` when this
/// machine has no `script`.
fn init_on_a_terminal(t: &Thaw, answer: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let thaw = env!("CARGO_BIN_EXE_thaw");
    let mut child = Command::new("script")
        .args(["-qec", &format!("{thaw} init"), "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", t.home.path())
        .env("THAW_VAULT", t.vault())
        .env("THAW_PASSPHRASE", PASS)
        .env("LANG", "en_IE.UTF-8")
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    // Typed after the question appears; `script` passes it to the terminal.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.stdin.take().unwrap().write_all(format!("{answer}\r").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn init_on_a_terminal_asks_for_the_country_kindly() {
    let t = Thaw::new();
    let Some(screen) = init_on_a_terminal(&t, "") else {
        eprintln!("skipped: no `script` here to make a terminal");
        return;
    };
    assert!(screen.contains("which country do you live in?"), "{screen}");
    assert!(screen.contains("Enter for IE Ireland"), "the locale's country is the default: {screen}");
    assert_eq!(t.run(&["config", "get", "country", "--json"]).ok().json(), "IE", "{screen}");

    let t = Thaw::new();
    let screen = init_on_a_terminal(&t, "skip").unwrap();
    assert!(screen.contains("Skipped"), "{screen}");
    assert!(t.run(&["config", "get", "country", "--json"]).ok().json().is_null());

    let t = Thaw::new();
    let screen = init_on_a_terminal(&t, "uk").unwrap();
    assert!(screen.contains("Saved: GB"), "{screen}");
    assert_eq!(t.run(&["config", "get", "country", "--json"]).ok().json(), "GB");
}

#[test]
fn init_without_a_passphrase_source_fails_clearly() {
    let mut t = Thaw::new();
    t.passphrase = None;
    let run = t.run(&["init"]).fails(2);
    assert!(
        run.stderr.contains("THAW_NEW_PASSPHRASE") || run.stderr.contains("THAW_PASSPHRASE"),
        "{}",
        run.stderr
    );
    assert!(!t.vault().exists());
}

#[test]
fn short_passphrases_are_refused_gently() {
    let mut t = Thaw::new();
    t.passphrase = Some("short".into());
    let run = t.run(&["init"]).fails(2);
    assert!(run.stderr.contains("at least 8 characters"), "{}", run.stderr);
    assert!(!t.vault().exists());
}

#[test]
fn wrong_passphrase_changes_nothing_and_has_its_own_exit_code() {
    let (mut t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "sad:3"]).ok();
    let before = t.snapshot();
    t.passphrase = Some("not the passphrase".into());
    for args in [
        &["checkin", "--feel", "hurt"][..],
        &["checkin", "list"],
        &["journal", "add", "--title", "x", "--body", "y"],
        &["passwd"],
    ] {
        let run = t.run(args).fails(3);
        assert!(run.stderr.contains("passphrase is not correct"), "{}", run.stderr);
        assert!(!run.stderr.contains("not the passphrase"), "the passphrase is never echoed");
    }
    assert_eq!(t.snapshot(), before, "vault files are byte-identical");
}

#[test]
fn a_locked_vault_says_how_to_unlock() {
    let (mut t, _) = Thaw::init();
    t.passphrase = None;
    let run = t.run(&["checkin", "list"]).fails(5);
    assert!(run.stderr.contains("thaw unlock"), "{}", run.stderr);
}

#[test]
fn a_missing_vault_says_how_to_make_one() {
    let t = Thaw::new();
    let run = t.run(&["checkin", "--feel", "hurt"]).fails(6);
    assert!(run.stderr.contains("thaw init"), "{}", run.stderr);
    assert!(!t.vault().exists(), "nothing is created by accident");
}

#[test]
fn default_vault_lives_in_the_xdg_data_dir() {
    let t = Thaw::new();
    let data = t.home.path().join("data");
    let mut cmd = t.command(&["init", "--json"]);
    cmd.env_remove("THAW_VAULT").env("XDG_DATA_HOME", &data);
    assert!(cmd.output().unwrap().status.success());
    assert!(data.join("thaw/vault.key").exists());
}

#[test]
fn passwd_rewraps_the_key_and_keeps_the_data() {
    let (mut t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "hopeful:4"]).ok();
    let db_before = std::fs::read(t.vault().join("thaw.db")).unwrap();
    t.run_with(&["passwd"], &[("THAW_NEW_PASSPHRASE", "a new and longer passphrase")]).ok();
    assert_eq!(std::fs::read(t.vault().join("thaw.db")).unwrap(), db_before, "data is not re-encrypted");
    t.run(&["checkin", "list"]).fails(3);
    t.passphrase = Some("a new and longer passphrase".into());
    let list = t.run(&["checkin", "list", "--json"]).ok().json();
    assert_eq!(list[0]["emotions"][0]["word"], "hopeful");
}

#[test]
fn recovery_words_set_a_new_passphrase() {
    let (mut t, words) = Thaw::init();
    t.run(&["journal", "add", "--title", "kept", "--body", "still here"]).ok();
    t.passphrase = None;
    let new = [("THAW_NEW_PASSPHRASE", "found my way back in")];
    // Wrong words: a clear error, exit 3, nothing changed.
    let mut wrong: Vec<&str> = words.split_whitespace().collect();
    wrong.swap(0, 1);
    let before = t.snapshot();
    let run = t.run_with(&["recover", "--recovery-key", &wrong.join(" ")], &new);
    assert!(run.code == 3 || run.code == 2, "exit {}: {}", run.code, run.stderr);
    assert_eq!(t.snapshot(), before);
    // Too few words: bad input.
    t.run_with(&["recover", "--recovery-key", "abandon ability"], &new).fails(2);
    // The right words, in capitals with extra spaces.
    let shouty = words.to_uppercase().replace(' ', "   ");
    t.run_with(&["recover", "--recovery-key", &shouty], &new).ok();
    t.passphrase = Some("found my way back in".into());
    let list = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(list[0]["title"], "kept");
    t.passphrase = Some(PASS.into());
    t.run(&["journal", "list"]).fails(3);
}

#[test]
fn unlock_remembers_the_key_until_lock() {
    let (mut t, _) = Thaw::init();
    let unlocked = t.run(&["unlock", "--for", "5m"]);
    t.passphrase = None;
    if thaw_vault::cache::UnlockCache::is_available() {
        unlocked.ok();
        t.run(&["checkin", "--feel", "calm"]).ok();
        t.run(&["lock"]).ok();
        t.run(&["checkin", "list"]).fails(5);
    } else {
        let run = unlocked.fails(1);
        assert!(run.stderr.contains("keyring"), "{}", run.stderr);
    }
    t.run(&["unlock", "--for", "forever"]).fails(2);
}

#[test]
fn no_plaintext_of_any_record_kind_reaches_the_vault_files() {
    let (t, _) = Thaw::init();
    let m = "zebracanyon";
    let steps: Vec<Vec<String>> = vec![
        vec!["checkin".into(), "--feel".into(), "hurt:5".into(), "--note".into(), format!("{m} checkin")],
        vec![
            "journal".into(),
            "add".into(),
            "--title".into(),
            format!("{m} title"),
            "--body".into(),
            format!("{m} body"),
        ],
        vec![
            "react".into(),
            "--situation".into(),
            format!("{m} situation"),
            "--intensity".into(),
            "5".into(),
            "--style".into(),
            "humour".into(),
            "--reflection".into(),
            format!("{m} reflection"),
        ],
        vec![
            "activity".into(),
            "--kind".into(),
            "painting".into(),
            "--minutes".into(),
            "20".into(),
            "--before".into(),
            "2".into(),
            "--after".into(),
            "4".into(),
            "--place".into(),
            format!("{m} place"),
            "--note".into(),
            format!("{m} note"),
        ],
        vec![
            "release".into(),
            "--kind".into(),
            "cried".into(),
            "--intensity".into(),
            "6".into(),
            "--before".into(),
            format!("{m} before"),
        ],
        vec!["people".into(), "add".into(), format!("{m} person"), "--note".into(), format!("{m} note")],
        vec![
            "words".into(),
            "add".into(),
            m.into(),
            "--family".into(),
            "sad".into(),
            "--meaning".into(),
            format!("{m} meaning"),
        ],
    ];
    for step in &steps {
        let args: Vec<&str> = step.iter().map(String::as_str).collect();
        t.run(&args).ok();
    }
    assert_eq!(t.run(&["search", m, "--json"]).ok().json().as_array().unwrap().len(), 6);
    let files = files_under(&t.vault());
    assert!(files.keys().any(|p| p.ends_with("thaw.db")));
    for (path, bytes) in &files {
        assert!(!contains(bytes, m.as_bytes()), "plaintext marker found in {}", path.display());
        assert!(!contains(bytes, b"SQLite format 3"), "unencrypted SQLite header in {}", path.display());
    }
    assert!(files_under(&t.home.path().join("tmp")).is_empty(), "nothing left in TMPDIR");
}
