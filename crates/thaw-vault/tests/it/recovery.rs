//! Recovery words: generation, parsing, and helpful errors.

use thaw_vault::{KeyFile, Passphrase, RecoveryKey, VaultError};

use crate::cheap;

fn words_of(key: &RecoveryKey) -> Vec<String> {
    key.dangerously_expose_words().split(' ').map(str::to_owned).collect()
}

fn parse_error(text: &str) -> String {
    match RecoveryKey::parse(text) {
        Err(VaultError::InvalidRecoveryKey(msg)) => msg,
        Err(other) => panic!("expected InvalidRecoveryKey, got {other:?}"),
        Ok(_) => panic!("expected an error for {text:?}"),
    }
}

#[test]
fn generated_words_parse_back_to_the_same_key() -> Result<(), VaultError> {
    let pass = Passphrase::new("pw".into());
    let (file, key, recovery) = KeyFile::create(&pass, cheap()?)?;
    let words = words_of(&recovery);
    assert_eq!(words.len(), 24);
    let parsed = RecoveryKey::parse(&words.join(" "))?;
    assert_eq!(parsed.dangerously_expose_words(), recovery.dangerously_expose_words());
    assert_eq!(file.recover(&parsed)?.key_id(), key.key_id());
    Ok(())
}

#[test]
fn mixed_case_extra_spaces_and_numbers_are_accepted() -> Result<(), VaultError> {
    let recovery = RecoveryKey::generate()?;
    let words = words_of(&recovery);
    let messy: String = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let w = if i % 2 == 0 { w.to_uppercase() } else { w.clone() };
            if i % 6 == 5 { format!("  {}. {w}\n", i + 1) } else { format!("\t {w} ,") }
        })
        .collect();
    let parsed = RecoveryKey::parse(&format!("   {messy}   "))?;
    assert_eq!(parsed.dangerously_expose_words(), recovery.dangerously_expose_words());
    Ok(())
}

#[test]
fn wrong_word_count_is_explained() -> Result<(), VaultError> {
    let words = words_of(&RecoveryKey::generate()?);
    let msg = parse_error(&words[..23].join(" "));
    assert!(msg.contains("24 words"), "{msg}");
    assert!(msg.contains("23"), "{msg}");
    let msg = parse_error("");
    assert!(msg.contains("but 0 were given"), "{msg}");
    let msg = parse_error(&format!("{} abandon", words.join(" ")));
    assert!(msg.contains("25"), "{msg}");
    Ok(())
}

#[test]
fn unknown_word_is_named_with_suggestions() -> Result<(), VaultError> {
    let mut words = words_of(&RecoveryKey::generate()?);
    words[6] = "abandonn".into();
    words[10] = "xqzvw".into();
    let msg = parse_error(&words.join(" "));
    assert!(msg.contains("word 7 ('abandonn')"), "{msg}");
    assert!(msg.contains("did you mean 'abandon'"), "{msg}");
    assert!(msg.contains("word 11 ('xqzvw') is not in the recovery word list"), "{msg}");
    Ok(())
}

#[test]
fn bad_checksum_is_explained() -> Result<(), VaultError> {
    let mut words = words_of(&RecoveryKey::generate()?);
    // Swapping two different words keeps every word valid but (almost always) breaks the
    // checksum; try pairs until one does, so the test cannot be flaky.
    let original = words.clone();
    let mut found = false;
    for i in 1..24 {
        if original[0] == original[i] {
            continue;
        }
        words.swap(0, i);
        if let Err(VaultError::InvalidRecoveryKey(msg)) = RecoveryKey::parse(&words.join(" ")) {
            assert!(msg.contains("checksum"), "{msg}");
            found = true;
            break;
        }
        words = original.clone();
    }
    assert!(found, "no swap broke the checksum");
    Ok(())
}

#[test]
fn another_vaults_recovery_key_is_wrong() -> Result<(), VaultError> {
    let pass = Passphrase::new("pw".into());
    let (file, _, _) = KeyFile::create(&pass, cheap()?)?;
    let other = RecoveryKey::generate()?;
    assert!(matches!(file.recover(&other), Err(VaultError::WrongRecoveryKey)));
    Ok(())
}
