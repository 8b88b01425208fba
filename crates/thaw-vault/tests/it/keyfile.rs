//! Key file: create, unlock, recover, re-wrap, save/load, and damage.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use proptest::prelude::*;
use serde_json::Value;
use thaw_vault::{KEYFILE_VERSION, KdfParams, KeyFile, Passphrase, VaultError};
use unicode_normalization::UnicodeNormalization;

use crate::cheap;

fn pass(s: &str) -> Passphrase {
    Passphrase::new(s.to_owned())
}

fn json_of(file: &KeyFile) -> Result<Value, Box<dyn std::error::Error>> {
    Ok(serde_json::from_str(&file.to_json()?)?)
}

/// (name, how to damage the JSON, text the error must contain)
type DamageCase = (&'static str, fn(&mut Value), &'static str);

fn remove_kdf(v: &mut Value) {
    if let Some(o) = v.as_object_mut() {
        o.remove("kdf");
    }
}

fn damaged_field(text: &str) -> String {
    match KeyFile::from_json(text) {
        Err(VaultError::KeyFileDamaged(msg)) => msg,
        Err(other) => panic!("expected KeyFileDamaged, got {other:?}"),
        Ok(_) => panic!("expected the key file to be refused"),
    }
}

#[test]
fn unlock_with_right_and_wrong_passphrase() -> Result<(), VaultError> {
    let (file, key, _) = KeyFile::create(&pass("right horse"), cheap()?)?;
    assert_eq!(file.key_id(), key.key_id());
    let unlocked = file.unlock(&pass("right horse"))?;
    assert_eq!(unlocked.dangerously_expose(), key.dangerously_expose());
    assert!(matches!(file.unlock(&pass("wrong horse")), Err(VaultError::WrongPassphrase)));
    assert!(matches!(file.unlock(&pass("")), Err(VaultError::WrongPassphrase)));
    Ok(())
}

#[test]
fn recovery_gives_the_same_key() -> Result<(), VaultError> {
    let (file, key, recovery) = KeyFile::create(&pass("pw"), cheap()?)?;
    assert_eq!(file.recover(&recovery)?.key_id(), key.key_id());
    Ok(())
}

#[test]
fn rewrap_changes_passphrase_keeps_key_and_recovery() -> Result<(), VaultError> {
    let (file, key, recovery) = KeyFile::create(&pass("old pw"), cheap()?)?;
    let unlocked = file.unlock(&pass("old pw"))?;
    let params = KdfParams::new(512, 2, 1)?;
    let rewrapped = file.rewrap_passphrase(&unlocked, &pass("new pw"), params)?;
    assert!(matches!(rewrapped.unlock(&pass("old pw")), Err(VaultError::WrongPassphrase)));
    assert_eq!(rewrapped.unlock(&pass("new pw"))?.key_id(), key.key_id());
    assert_eq!(rewrapped.recover(&recovery)?.key_id(), key.key_id());
    assert_eq!(rewrapped.key_id(), file.key_id());
    assert_eq!(rewrapped.kdf_params(), params);
    // The original is untouched.
    assert_eq!(file.unlock(&pass("old pw"))?.key_id(), key.key_id());
    Ok(())
}

#[test]
fn json_round_trip_and_layout() -> Result<(), Box<dyn std::error::Error>> {
    let (file, _, _) = KeyFile::create(&pass("pw"), cheap()?)?;
    let file = file.with_created_at("2026-11-25T19:00:00Z");
    let back = KeyFile::from_json(&file.to_json()?)?;
    assert_eq!(back, file);
    assert_eq!(back.created_at(), Some("2026-11-25T19:00:00Z"));

    let v = json_of(&file)?;
    assert_eq!(v["format"], "thaw-keyfile");
    assert_eq!(v["version"], 1);
    assert_eq!(v["key_id"], file.key_id());
    assert_eq!(v["kdf"]["algorithm"], "argon2id");
    assert_eq!(v["kdf"]["m_cost_kib"], 256);
    assert_eq!(v["kdf"]["t_cost"], 1);
    assert_eq!(v["kdf"]["p_cost"], 1);
    let salt = B64.decode(v["kdf"]["salt"].as_str().unwrap_or_default())?;
    assert!(salt.len() >= 16);
    for wrap in ["passphrase_wrap", "recovery_wrap"] {
        assert_eq!(B64.decode(v[wrap]["nonce"].as_str().unwrap_or_default())?.len(), 24);
        assert_eq!(B64.decode(v[wrap]["ciphertext"].as_str().unwrap_or_default())?.len(), 48);
    }
    // Without created_at the field is left out.
    let (plain, _, _) = KeyFile::create(&pass("pw"), cheap()?)?;
    assert!(json_of(&plain)?.get("created_at").is_none());
    Ok(())
}

#[test]
fn save_load_round_trip_with_owner_only_mode() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("vault.key");
    let (file, key, _) = KeyFile::create(&pass("pw"), cheap()?)?;
    file.save(&path)?;
    let mode = fs::metadata(&path)?.permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let loaded = KeyFile::load(&path)?;
    assert_eq!(loaded, file);
    assert_eq!(loaded.unlock(&pass("pw"))?.key_id(), key.key_id());

    // Saving over an existing file replaces it and leaves no temporary files.
    let rewrapped = loaded.rewrap_passphrase(&key, &pass("pw2"), cheap()?)?;
    rewrapped.save(&path)?;
    assert_eq!(KeyFile::load(&path)?, rewrapped);
    let names: Vec<_> = fs::read_dir(dir.path())?.collect::<Result<_, _>>()?;
    assert_eq!(names.len(), 1, "stray files: {names:?}");
    assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
    Ok(())
}

#[test]
fn missing_file_is_reported_as_missing() {
    let path = Path::new("/nonexistent/thaw-test/vault.key");
    match KeyFile::load(path) {
        Err(VaultError::KeyFileMissing(p)) => assert_eq!(p, path),
        other => panic!("expected KeyFileMissing, got {other:?}"),
    }
}

#[test]
fn truncated_or_garbage_file_is_damaged() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("vault.key");
    let (file, _, _) = KeyFile::create(&pass("pw"), cheap()?)?;
    let text = file.to_json()?;
    fs::write(&path, &text[..text.len() / 2])?;
    assert!(matches!(KeyFile::load(&path), Err(VaultError::KeyFileDamaged(_))));
    fs::write(&path, "")?;
    assert!(matches!(KeyFile::load(&path), Err(VaultError::KeyFileDamaged(_))));
    fs::write(&path, [0xff, 0xfe, 0x00])?;
    assert!(matches!(KeyFile::load(&path), Err(VaultError::KeyFileDamaged(_))));
    fs::write(&path, "[1, 2]")?;
    assert!(matches!(KeyFile::load(&path), Err(VaultError::KeyFileDamaged(_))));
    Ok(())
}

#[test]
fn damaged_fields_are_named() -> Result<(), Box<dyn std::error::Error>> {
    let (file, _, _) = KeyFile::create(&pass("pw"), cheap()?)?;
    let good = json_of(&file)?;
    let cases: [DamageCase; 9] = [
        ("format", |v| v["format"] = "something-else".into(), "`format`"),
        ("no kdf", remove_kdf, "`kdf` is missing"),
        ("salt", |v| v["kdf"]["salt"] = "!!!".into(), "`kdf.salt`"),
        ("short salt", |v| v["kdf"]["salt"] = "AAAA".into(), "`kdf.salt` has 3 bytes"),
        ("algo", |v| v["kdf"]["algorithm"] = "scrypt".into(), "`kdf.algorithm`"),
        ("t_cost", |v| v["kdf"]["t_cost"] = 0.into(), "`kdf` parameters"),
        ("nonce", |v| v["recovery_wrap"]["nonce"] = "AAAA".into(), "`recovery_wrap.nonce`"),
        ("ct", |v| v["passphrase_wrap"]["ciphertext"] = 5.into(), "`passphrase_wrap.ciphertext`"),
        ("key_id", |v| v["key_id"] = "XYZ".into(), "`key_id`"),
    ];
    for (name, damage, expected) in cases {
        let mut v = good.clone();
        damage(&mut v);
        let msg = damaged_field(&v.to_string());
        assert!(msg.contains(expected), "{name}: {msg}");
    }
    Ok(())
}

#[test]
fn flipped_ciphertext_byte_is_a_wrong_passphrase() -> Result<(), Box<dyn std::error::Error>> {
    let (file, _, recovery) = KeyFile::create(&pass("pw"), cheap()?)?;
    for (wrap, part) in [("passphrase_wrap", "ciphertext"), ("passphrase_wrap", "nonce")] {
        let mut v = json_of(&file)?;
        let mut bytes = B64.decode(v[wrap][part].as_str().unwrap_or_default())?;
        bytes[5] ^= 0x01;
        v[wrap][part] = B64.encode(&bytes).into();
        let damaged = KeyFile::from_json(&v.to_string())?;
        // Authentication cannot tell a wrong passphrase from a changed ciphertext; the
        // recovery wrap is independent and still works.
        assert!(matches!(damaged.unlock(&pass("pw")), Err(VaultError::WrongPassphrase)));
        assert!(damaged.recover(&recovery).is_ok());
    }
    let mut v = json_of(&file)?;
    let mut bytes = B64.decode(v["recovery_wrap"]["ciphertext"].as_str().unwrap_or_default())?;
    bytes[47] ^= 0x80;
    v["recovery_wrap"]["ciphertext"] = B64.encode(&bytes).into();
    let damaged = KeyFile::from_json(&v.to_string())?;
    assert!(matches!(damaged.recover(&recovery), Err(VaultError::WrongRecoveryKey)));
    assert!(damaged.unlock(&pass("pw")).is_ok());
    Ok(())
}

#[test]
fn newer_version_is_too_new() -> Result<(), Box<dyn std::error::Error>> {
    let (file, _, _) = KeyFile::create(&pass("pw"), cheap()?)?;
    let mut v = json_of(&file)?;
    v["version"] = 2.into();
    // A newer file may have a different layout; the version is what gets reported.
    v["kdf"] = "whatever v2 has".into();
    match KeyFile::from_json(&v.to_string()) {
        Err(VaultError::KeyFileTooNew { found, supported }) => {
            assert_eq!((found, supported), (2, KEYFILE_VERSION));
        }
        other => panic!("expected KeyFileTooNew, got {other:?}"),
    }
    v["version"] = 0.into();
    assert!(matches!(KeyFile::from_json(&v.to_string()), Err(VaultError::KeyFileDamaged(_))));
    v["version"] = "1".into();
    assert!(matches!(KeyFile::from_json(&v.to_string()), Err(VaultError::KeyFileDamaged(_))));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn wrap_unwrap_round_trip(secret in any::<String>(), other in any::<String>()) {
        let (file, key, recovery) = KeyFile::create(&pass(&secret), cheap()?)?;
        let file = KeyFile::from_json(&file.to_json()?)?;
        let unlocked = file.unlock(&pass(&secret))?;
        prop_assert_eq!(unlocked.dangerously_expose(), key.dangerously_expose());
        let recovered = file.recover(&recovery)?;
        prop_assert_eq!(recovered.dangerously_expose(), key.dangerously_expose());
        // Passphrases are compared after Unicode NFC normalisation.
        if other.nfc().ne(secret.nfc()) {
            prop_assert!(matches!(file.unlock(&pass(&other)), Err(VaultError::WrongPassphrase)));
        }
    }
}
