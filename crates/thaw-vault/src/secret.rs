//! Secret values: the user's passphrase and the random data key.
//!
//! Both zeroize their memory when dropped, are deliberately not `Clone`, `Copy` or `Serialize`
//! (so a copy cannot end up somewhere we forgot to wipe, or in a log or a JSON file), print as
//! `****`, and hand out their contents only through `dangerously_expose*`.

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::{VaultError, fill_random};

/// A passphrase typed by the user. Wiped from memory on drop.
///
/// Unlocking takes whatever was typed; a *new* passphrase (a new vault, a change, a recovery, a
/// backup, an account) must pass [`Passphrase::check_new`], Thaw's one rule for them.
pub struct Passphrase(Zeroizing<String>);

/// The fewest characters a new passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// A new passphrase shorter than [`MIN_PASSPHRASE_CHARS`]. Each edge (terminal, pages, API) says
/// it in its own words; the rule itself lives only here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a new passphrase needs at least {min} characters; this one has {chars}", min = MIN_PASSPHRASE_CHARS)]
pub struct PassphraseTooShort {
    /// How many characters (Unicode scalar values) it has.
    pub chars: usize,
}

/// Whether `text` will do as a new passphrase: at least [`MIN_PASSPHRASE_CHARS`] characters.
pub fn check_new_passphrase(text: &str) -> Result<(), PassphraseTooShort> {
    let chars = text.chars().count();
    if chars < MIN_PASSPHRASE_CHARS { Err(PassphraseTooShort { chars }) } else { Ok(()) }
}

impl Passphrase {
    /// Takes ownership of the typed text, so no unwiped copy remains with the caller.
    pub fn new(text: String) -> Self {
        Self(Zeroizing::new(text))
    }

    /// The passphrase text. Named so that every use stands out in review.
    pub fn dangerously_expose(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Thaw's rule for a new passphrase ([`check_new_passphrase`]).
    pub fn check_new(&self) -> Result<(), PassphraseTooShort> {
        check_new_passphrase(&self.0)
    }
}

impl From<String> for Passphrase {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(****)")
    }
}

/// Length in bytes of a [`DataKey`].
pub(crate) const DATA_KEY_LEN: usize = 32;

/// The random 256-bit key SQLCipher encrypts the vault with.
///
/// Boxed so that moving a `DataKey` around moves a pointer, not the key bytes: otherwise each move
/// could leave a stray copy on the stack that nothing wipes.
pub struct DataKey(Box<[u8; DATA_KEY_LEN]>);

impl DataKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<Self, VaultError> {
        let mut key = Self::zeroed();
        fill_random(key.bytes_mut())?;
        Ok(key)
    }

    /// An all-zero key to be filled in place (by decryption or from the keyring), so that the
    /// bytes never pass through an unwiped temporary.
    pub(crate) fn zeroed() -> Self {
        Self(Box::new([0u8; DATA_KEY_LEN]))
    }

    pub(crate) fn bytes_mut(&mut self) -> &mut [u8; DATA_KEY_LEN] {
        &mut self.0
    }

    /// The raw key bytes. Named so that every use stands out in review.
    pub fn dangerously_expose(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }

    /// The value for `PRAGMA key = "<value>"`: exactly `x'<64 lowercase hex digits>'`, which
    /// SQLCipher takes as a raw key (no PBKDF2 of its own; our key is already uniformly random).
    pub fn sqlcipher_pragma_value(&self) -> Zeroizing<String> {
        // Reserve the final size up front: a growing String would reallocate and leave copies of
        // the hex key in freed memory.
        let mut out = Zeroizing::new(String::with_capacity(3 + 2 * DATA_KEY_LEN));
        out.push_str("x'");
        push_hex(&mut out, self.0.as_slice());
        out.push('\'');
        out
    }

    /// A short public fingerprint of the key (16 hex digits).
    ///
    /// Used to check that a key (for example one from the unlock cache) belongs to a given vault
    /// without decrypting anything. It is the first 8 bytes of HKDF-SHA256 of the key with a fixed
    /// context string; HKDF is a PRF, so the fingerprint says nothing useful about the key.
    pub fn key_id(&self) -> String {
        let hk = Hkdf::<Sha256>::new(Some(b"thaw-vault"), self.0.as_slice());
        let mut id = [0u8; 8];
        // 8 bytes is far below HKDF's output limit (255 * 32), so this cannot fail; fall back to
        // an obviously invalid id rather than panic.
        if hk.expand(b"thaw key id v1", &mut id).is_err() {
            return String::from("invalid");
        }
        let mut out = String::with_capacity(16);
        push_hex(&mut out, &id);
        out
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(****)")
    }
}

/// Appends lowercase hex without an intermediate allocation.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_passphrase_needs_eight_characters_counted_as_characters() {
        assert_eq!(check_new_passphrase("seven c"), Err(PassphraseTooShort { chars: 7 }));
        assert_eq!(check_new_passphrase("eight ch"), Ok(()));
        // Accented letters count once each, however many bytes they take.
        assert_eq!(check_new_passphrase("éééééééé"), Ok(()));
        assert!(Passphrase::new(String::new()).check_new().is_err());
    }

    proptest::proptest! {
        /// The rule is exactly "at least MIN_PASSPHRASE_CHARS characters".
        #[test]
        fn the_rule_is_a_character_count(text in "\\PC{0,16}") {
            let long_enough = text.chars().count() >= MIN_PASSPHRASE_CHARS;
            proptest::prop_assert_eq!(check_new_passphrase(&text).is_ok(), long_enough);
        }
    }

    fn hex(bytes: &[u8]) -> String {
        let mut s = String::new();
        push_hex(&mut s, bytes);
        s
    }

    #[test]
    fn pragma_value_is_raw_key_form() -> Result<(), VaultError> {
        let key = DataKey::generate()?;
        let v = key.sqlcipher_pragma_value();
        assert_eq!(v.len(), 67);
        assert!(v.starts_with("x'") && v.ends_with('\''));
        assert_eq!(&v[2..66], hex(key.dangerously_expose()));
        assert!(v[2..66].chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
        Ok(())
    }

    #[test]
    fn key_id_is_stable_and_distinct() -> Result<(), VaultError> {
        let a = DataKey::generate()?;
        let b = DataKey::generate()?;
        assert_eq!(a.key_id(), a.key_id());
        assert_eq!(a.key_id().len(), 16);
        assert_ne!(a.key_id(), b.key_id());
        assert!(!hex(a.dangerously_expose()).contains(&a.key_id()));
        Ok(())
    }

    #[test]
    fn debug_is_redacted() -> Result<(), VaultError> {
        let key = DataKey::generate()?;
        let shown = format!("{key:?}");
        assert!(shown.contains("****"));
        assert!(!shown.contains(&hex(key.dangerously_expose())));
        let p = Passphrase::new("correct horse battery staple".into());
        let shown = format!("{p:?}");
        assert_eq!(shown, "Passphrase(****)");
        assert!(!shown.contains("horse"));
        assert!(!p.is_empty());
        assert!(Passphrase::new(String::new()).is_empty());
        Ok(())
    }
}
