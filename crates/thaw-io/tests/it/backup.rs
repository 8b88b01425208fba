//! Backups: no plaintext in the file, clear errors for a wrong passphrase, a damaged file or a file
//! that isn't a backup.

use thaw_io::backup::{read_backup, write_backup};
use thaw_io::import::Source;
use thaw_io::{BackupError, SecretString, ThawExport, apply};

use crate::support::{contains, fixture, meta, new_store, parse};

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn sample_backup() -> (ThawExport, Vec<u8>) {
    let (_dir, store) = new_store();
    apply(&store, parse(Source::Jrnl, &fixture("jrnl.txt")).unwrap()).unwrap();
    let doc = ThawExport::from_store(&store, &meta("2026-01-01T00:00:00Z")).unwrap();
    let file = write_backup(&doc, secret("backup passphrase"), Some(6), Vec::new()).unwrap();
    (doc, file)
}

#[test]
fn the_file_holds_no_plaintext() {
    let (_doc, file) = sample_backup();
    assert!(file.starts_with(b"age-encryption.org/v1\n-> scrypt "), "an age file with a passphrase stanza");
    for marker in ["Evening walk", "thaw-export", "records", "river", "journal"] {
        assert!(!contains(&file, marker.as_bytes()), "{marker} in the backup");
    }
}

#[test]
fn reading_back_gives_the_same_document() {
    let (doc, file) = sample_backup();
    assert_eq!(read_backup(&file[..], secret("backup passphrase")).unwrap(), doc);
}

#[test]
fn wrong_passphrase_damage_and_other_files_are_told_apart() {
    let (_doc, file) = sample_backup();
    assert!(matches!(read_backup(&file[..], secret("not it")), Err(BackupError::WrongPassphrase)));
    let truncated = &file[..file.len() - 20];
    assert!(matches!(read_backup(truncated, secret("backup passphrase")), Err(BackupError::Damaged(_))));
    let mut flipped = file.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(matches!(read_backup(&flipped[..], secret("backup passphrase")), Err(BackupError::Damaged(_))));
    let plain = fixture("jrnl.json");
    assert!(matches!(read_backup(plain.as_bytes(), secret("x")), Err(BackupError::NotABackup(_))));
    assert!(read_backup(&b""[..], secret("x")).is_err());
}

/// Rewrites the work factor in the header's `-> scrypt SALT LOGN` line.
fn with_work_factor(file: &[u8], log_n: u8) -> Vec<u8> {
    let stanza = b"-> scrypt ";
    let start = file.windows(stanza.len()).position(|w| w == stanza).expect("scrypt stanza");
    let end = start + file[start..].iter().position(|&b| b == b'\n').expect("end of line");
    let line = std::str::from_utf8(&file[start..end]).expect("ascii header");
    let salt = line.split(' ').nth(2).expect("salt");
    let mut out = file[..start].to_vec();
    out.extend_from_slice(format!("-> scrypt {salt} {log_n}").as_bytes());
    out.extend_from_slice(&file[end..]);
    out
}

#[test]
fn a_crafted_work_factor_is_refused_before_the_work() {
    let (_doc, file) = sample_backup();
    let crafted = with_work_factor(&file, 22);
    let started = std::time::Instant::now();
    let err = read_backup(&crafted[..], secret("backup passphrase")).unwrap_err();
    let took = started.elapsed();
    match &err {
        BackupError::NotABackup(why) => assert!(why.contains("2^22"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // scrypt at 2^22 takes 4 GiB and tens of seconds; refusing it takes none of that.
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    // What `thaw backup` writes itself is accepted: the header line is read, not trusted blindly.
    let ours = with_work_factor(&file, 6);
    assert!(read_backup(&ours[..], secret("backup passphrase")).is_ok());
}
