//! No secret type prints its contents.

use thaw_vault::{DataKey, KeyFile, Passphrase, RecoveryKey, VaultError};

use crate::{cheap, hex};

#[test]
fn debug_of_secrets_is_redacted() -> Result<(), VaultError> {
    let pass = Passphrase::new("hunter2 is not a good passphrase".into());
    let shown = format!("{pass:?} {pass:#?}");
    assert!(shown.contains("****"));
    assert!(!shown.contains("hunter2"));

    let key = DataKey::generate()?;
    let shown = format!("{key:?} {key:#?}");
    assert!(shown.contains("****"));
    assert!(!shown.contains(&hex(key.dangerously_expose())));
    assert!(!shown.contains(&hex(&key.dangerously_expose()[..4])));

    let recovery = RecoveryKey::generate()?;
    let words = recovery.dangerously_expose_words();
    let shown = format!("{recovery:?} {recovery:#?}");
    assert!(shown.contains("****"));
    for word in words.split(' ') {
        assert!(!shown.split(|c: char| !c.is_alphabetic()).any(|w| w == word));
    }
    Ok(())
}

#[test]
fn errors_and_key_file_do_not_show_secrets() -> Result<(), VaultError> {
    let pass = Passphrase::new("sekrit-passphrase".into());
    let (file, key, recovery) = KeyFile::create(&pass, cheap()?)?;
    let key_hex = hex(key.dangerously_expose());
    let words = recovery.dangerously_expose_words();
    let shown = format!("{file:?}{}", file.to_json()?);
    assert!(!shown.contains(&key_hex));
    assert!(!shown.contains("sekrit"));
    assert!(!shown.contains(words.as_str()));

    let wrong = Passphrase::new("sekrit-wrong".into());
    let err = file.unlock(&wrong).err().map(|e| format!("{e} {e:?}"));
    let err = err.unwrap_or_default();
    assert!(err.contains("passphrase is not correct"));
    assert!(!err.contains("sekrit"));
    Ok(())
}
