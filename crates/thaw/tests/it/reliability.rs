//! Nothing confirmed is lost; damage and hostile environments give clear errors and change nothing.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{PASS, Thaw};

mod plaintext;
mod serve_and_cli;

fn key_pragma(t: &Thaw) -> String {
    let keyfile = thaw_vault::KeyFile::load(&t.vault().join("vault.key")).unwrap();
    let key = keyfile.unlock(&thaw_vault::Passphrase::new(PASS.into())).unwrap();
    format!("PRAGMA key = \"{}\";", key.sqlcipher_pragma_value().as_str())
}

fn seeded(records: &str) -> Thaw {
    let (t, _) = Thaw::init();
    t.run(&["dev", "seed", "--records", records, "--years", "1"]).ok();
    t
}

#[test]
fn check_reports_a_healthy_vault() {
    let t = seeded("300");
    let run = t.run(&["check"]).ok();
    assert!(run.stdout.contains("healthy"), "{}", run.stdout);
    let report = t.run(&["check", "--json"]).ok().json();
    assert_eq!(report["healthy"], true);
    assert!(report["records"].as_u64().unwrap() >= 290);
}

#[test]
fn check_finds_a_corrupted_page_and_says_what_to_do() {
    let t = seeded("2000");
    let db = t.vault().join("thaw.db");
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 64 * 1024, "a database of several pages");
    // Scramble a whole page in the middle of the file (an encrypted page fails its HMAC).
    let page = 4096 * (bytes.len() / 4096 / 2);
    for b in &mut bytes[page..page + 4096] {
        *b = b.wrapping_add(1);
    }
    std::fs::write(&db, &bytes).unwrap();
    let run = t.run(&["check"]).fails(4);
    assert!(run.stderr.contains("damage") || run.stderr.contains("integrity"), "{}", run.stderr);
    assert!(run.stderr.contains("thaw restore"), "says what to do: {}", run.stderr);
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "check changes nothing");
}

#[test]
fn a_truncated_vault_is_damaged_not_a_panic() {
    let t = seeded("2000");
    let db = t.vault().join("thaw.db");
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 3]).unwrap();
    t.run(&["check"]).fails(4);
    let run = t.run(&["journal", "list"]);
    assert!(run.code == 4 || run.code == 0, "exit {} {}", run.code, run.stderr);
    assert!(!run.stderr.contains("panicked"));
    std::fs::write(&db, b"").unwrap();
    t.run(&["checkin", "--feel", "calm"]).fails(4);
}

#[test]
fn a_missing_or_damaged_key_file_is_explained() {
    let (t, _) = Thaw::init();
    let key = t.vault().join("vault.key");
    let original = std::fs::read(&key).unwrap();
    std::fs::write(&key, b"{ not json").unwrap();
    let run = t.run(&["checkin", "list"]).fails(4);
    assert!(run.stderr.contains("key file"), "{}", run.stderr);
    std::fs::remove_file(&key).unwrap();
    let run = t.run(&["checkin", "list"]).fails(4);
    assert!(run.stderr.contains("key file"), "{}", run.stderr);
    std::fs::write(&key, &original).unwrap();
    t.run(&["checkin", "list"]).ok();
}

#[test]
fn a_vault_from_a_newer_thaw_is_refused_without_changes() {
    let (t, _) = Thaw::init();
    {
        let conn = rusqlite::Connection::open(t.vault().join("thaw.db")).unwrap();
        conn.execute_batch(&format!("{} PRAGMA user_version = 42;", key_pragma(&t))).unwrap();
    }
    let before = t.snapshot();
    let run = t.run(&["checkin", "--feel", "calm"]).fails(7);
    assert!(run.stderr.contains("newer version"), "{}", run.stderr);
    assert_eq!(t.snapshot(), before);

    let (t2, _) = Thaw::init();
    let key = t2.vault().join("vault.key");
    let text = std::fs::read_to_string(&key)
        .unwrap()
        .replace("\"version\": 1", "\"version\": 9")
        .replace("\"version\":1", "\"version\":9");
    std::fs::write(&key, text).unwrap();
    t2.run(&["checkin", "list"]).fails(7);
}

#[test]
fn a_full_disk_saves_nothing_and_says_so() {
    let (t, _) = Thaw::init();
    t.run(&["journal", "add", "--title", "before", "--body", "fits"]).ok();
    let before = t.run(&["journal", "list", "--json"]).ok().json();
    // Limit files this process may grow to ~600 KiB, then write an entry bigger than that.
    let big = t.home.path().join("big.txt");
    std::fs::write(&big, "x".repeat(900_000)).unwrap();
    let bin = env!("CARGO_BIN_EXE_thaw");
    let script = format!(
        "ulimit -f 1200; exec \"{bin}\" --vault \"{}\" journal add --title big < \"{}\"",
        t.vault().display(),
        big.display()
    );
    let out =
        std::process::Command::new("sh").arg("-c").arg(script).env("THAW_PASSPHRASE", PASS).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("disk is full") || stderr.contains("nothing was saved"), "{stderr}");
    assert_eq!(t.run(&["journal", "list", "--json"]).ok().json(), before);
    t.run(&["check"]).ok();
}

#[test]
fn a_read_only_vault_refuses_writes_cleanly() {
    let (t, _) = Thaw::init();
    t.run(&["checkin", "--feel", "calm"]).ok();
    let before = t.snapshot();
    // Root ignores permission bits, so use the immutable attribute where the file system has it.
    let immutable =
        std::process::Command::new("chattr").arg("+i").arg(t.vault()).arg(t.vault().join("thaw.db")).status();
    let as_root = rustix::process::geteuid().is_root();
    let protected = if as_root {
        matches!(immutable, Ok(s) if s.success())
    } else {
        use std::os::unix::fs::PermissionsExt;
        for p in [t.vault().join("thaw.db"), t.vault()] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o500)).unwrap();
        }
        true
    };
    if protected {
        let run = t.run(&["checkin", "--feel", "sad"]);
        assert_ne!(run.code, 0, "a write to a read-only vault must fail");
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(run.stderr.contains("can't be written") || run.stderr.contains("read"), "{}", run.stderr);
    }
    let _ =
        std::process::Command::new("chattr").arg("-i").arg(t.vault()).arg(t.vault().join("thaw.db")).status();
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(t.vault(), std::fs::Permissions::from_mode(0o700));
    let _ = std::fs::set_permissions(t.vault().join("thaw.db"), std::fs::Permissions::from_mode(0o600));
    if protected {
        assert_eq!(t.snapshot(), before);
    } else {
        eprintln!("note: no way to make the vault read-only here (root without chattr support)");
    }
}

/// Kills `thaw dev write-loop` with SIGKILL at random moments, many times, and checks that every
/// write it acknowledged is in the vault and the vault passes `thaw check`.
/// THAW_CRASH_ROUNDS sets the number of rounds (default 20; `bench/crash.sh` runs hundreds).
#[test]
fn sigkill_during_writes_loses_no_acknowledged_write() {
    let rounds: u64 = std::env::var("THAW_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let (mut t, _) = Thaw::init();
    let cached = t.run(&["unlock", "--for", "30m"]).code == 0;
    if cached {
        t.passphrase = None;
    }
    let mut rng = thaw_core::sample::Rng::new(2026);
    let mut acked: Vec<String> = Vec::new();
    let started = Instant::now();
    for round in 0..rounds {
        let note = format!("round-{round}");
        let mut child = t
            .command(&["dev", "write-loop", "--count", "100000", "--note", &note])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut ids = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("ack ")
                    && id.len() == 36
                {
                    ids.push(id.to_owned());
                }
            }
            ids
        });
        std::thread::sleep(Duration::from_millis(30 + rng.below(400) as u64));
        child.kill().unwrap();
        child.wait().unwrap();
        acked.extend(reader.join().unwrap());
    }
    let stored = t.run(&["checkin", "list", "--json"]).ok().json();
    let ids: std::collections::HashSet<&str> =
        stored.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let lost: Vec<&String> = acked.iter().filter(|id| !ids.contains(id.as_str())).collect();
    eprintln!(
        "crash harness: {rounds} kill rounds, {} acknowledged writes, {} stored, {} lost, {:.1}s",
        acked.len(),
        ids.len(),
        lost.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    assert!(acked.len() as u64 >= rounds, "the loop wrote something in most rounds");
    t.run(&["check"]).ok();
    let _ = t.run(&["lock"]);
}

#[test]
fn concurrent_writers_all_succeed() {
    let (t, _) = Thaw::init();
    let children: Vec<_> = (0..4)
        .map(|i| {
            t.command(&["dev", "write-loop", "--count", "40", "--note", &format!("writer-{i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let all = t.run(&["checkin", "list", "--json"]).ok().json();
    assert_eq!(all.as_array().unwrap().len(), 160);
    t.run(&["check"]).ok();
}
