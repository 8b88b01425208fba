//! The recovery key: 256 random bits written down as 24 BIP39 English words.

use std::fmt;

use bip39::{Language, Mnemonic};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::kdf::KEK_LEN;
use crate::{VaultError, fill_random};

const ENTROPY_LEN: usize = 32;

/// The key that opens the vault when the passphrase is forgotten.
///
/// 256 bits from the system random source, shown as 24 words from the BIP39 English list (the
/// last word carries an 8-bit checksum, so most typing mistakes are caught before any
/// decryption is tried). Wiped on drop; not `Clone` or `Serialize`; prints as `****`.
pub struct RecoveryKey(Box<[u8; ENTROPY_LEN]>);

impl RecoveryKey {
    /// Number of words in a recovery key.
    pub const WORD_COUNT: usize = 24;

    /// A fresh recovery key.
    pub fn generate() -> Result<Self, VaultError> {
        let mut entropy = Box::new([0u8; ENTROPY_LEN]);
        fill_random(entropy.as_mut_slice())?;
        Ok(Self(entropy))
    }

    /// Reads recovery words as a person would type them.
    ///
    /// Case does not matter; words may be separated by any whitespace or commas; position
    /// numbers such as `1.` or `12)` copied along with the words are ignored. Errors say what is
    /// wrong: the number of words, which word is not in the list (with the closest list words),
    /// or that the checksum does not match (words in the wrong order or a wrong but valid word).
    pub fn parse(text: &str) -> Result<Self, VaultError> {
        let words: Vec<Zeroizing<String>> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty() && !is_position_number(t))
            .map(|t| Zeroizing::new(t.to_lowercase()))
            .collect();

        if words.len() != Self::WORD_COUNT {
            return Err(VaultError::InvalidRecoveryKey(format!(
                "a recovery key has {} words, but {} {} given. Check for missing, extra or \
                 joined-together words",
                Self::WORD_COUNT,
                words.len(),
                if words.len() == 1 { "was" } else { "were" }
            )));
        }

        let list = Language::English;
        let problems: Vec<String> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| list.find_word(w).is_none())
            .map(|(i, w)| unknown_word_message(i + 1, w))
            .collect();
        if !problems.is_empty() {
            return Err(VaultError::InvalidRecoveryKey(problems.join("; ")));
        }

        let mut joined = Zeroizing::new(String::with_capacity(text.len() + Self::WORD_COUNT));
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(w);
        }
        let mnemonic = match Mnemonic::parse_in_normalized(list, &joined) {
            Ok(m) => m,
            Err(bip39::Error::InvalidChecksum) => {
                return Err(VaultError::InvalidRecoveryKey(
                    "all words are valid, but they do not fit together (the checksum does not \
                     match). Check that the words are in the right order and that each one is \
                     the word you wrote down"
                        .into(),
                ));
            }
            Err(e) => return Err(VaultError::InvalidRecoveryKey(e.to_string())),
        };

        let (mut full, len) = mnemonic.to_entropy_array();
        let mut entropy = Box::new([0u8; ENTROPY_LEN]);
        let result = if len == ENTROPY_LEN {
            entropy.copy_from_slice(&full[..ENTROPY_LEN]);
            Ok(Self(entropy))
        } else {
            Err(VaultError::InvalidRecoveryKey(format!(
                "expected {ENTROPY_LEN} bytes of key material, found {len}"
            )))
        };
        full.zeroize();
        result
    }

    /// The 24 words separated by single spaces, for showing to the user once at set-up.
    pub fn dangerously_expose_words(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(Self::WORD_COUNT * 9));
        // 32 bytes is always a valid BIP39 entropy length, so this cannot fail; if it somehow
        // did, an empty string is safer than a panic and will not parse back.
        if let Ok(mnemonic) = Mnemonic::from_entropy_in(Language::English, self.0.as_slice()) {
            for (i, word) in mnemonic.words().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
        out
    }

    /// Key-encryption key for the recovery wrap: HKDF-SHA256(entropy, "thaw recovery kek v1").
    ///
    /// No slow KDF and no salt are needed: the input is 256 uniformly random bits, so there is
    /// nothing to guess faster than the 2^256 keys themselves, and no two vaults share a
    /// recovery key that a precomputed table could exploit. (Argon2 exists for passphrases,
    /// which humans choose from a small space.)
    pub(crate) fn derive_kek(&self) -> Result<Zeroizing<[u8; KEK_LEN]>, VaultError> {
        let hk = Hkdf::<Sha256>::new(None, self.0.as_slice());
        let mut kek = Zeroizing::new([0u8; KEK_LEN]);
        hk.expand(b"thaw recovery kek v1", kek.as_mut_slice())
            .map_err(|e| VaultError::Crypto(format!("HKDF failed ({e})")))?;
        Ok(kek)
    }
}

impl Drop for RecoveryKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(****)")
    }
}

/// `3`, `3.`, `3)` or `3:` — a position number copied together with the words.
fn is_position_number(token: &str) -> bool {
    let digits = token.trim_end_matches(['.', ')', ':']);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn unknown_word_message(position: usize, word: &str) -> String {
    let suggestions = closest_words(word);
    let mut msg = format!("word {position} ('{word}') is not in the recovery word list");
    if !suggestions.is_empty() {
        let quoted: Vec<String> = suggestions.iter().map(|s| format!("'{s}'")).collect();
        msg.push_str("; did you mean ");
        msg.push_str(&quoted.join(" or "));
        msg.push('?');
    }
    msg
}

/// Up to three list words closest to `word`.
///
/// Every BIP39 English word is identified by its first four letters, so a word whose first four
/// letters match is the best guess; otherwise the words with the smallest edit distance (at
/// most 2, so we do not suggest nonsense).
fn closest_words(word: &str) -> Vec<&'static str> {
    let list = Language::English;
    if let Some(prefix) = word.get(..4) {
        let by_prefix = list.words_by_prefix(prefix);
        if !by_prefix.is_empty() {
            return by_prefix.iter().take(3).copied().collect();
        }
    }
    let mut scored: Vec<(usize, &'static str)> =
        list.word_list().iter().map(|w| (edit_distance(word, w), *w)).filter(|(d, _)| *d <= 2).collect();
    scored.sort_unstable();
    let Some(best) = scored.first().map(|(d, _)| *d) else {
        return Vec::new();
    };
    scored.into_iter().take_while(|(d, _)| *d == best).take(3).map(|(_, w)| w).collect()
}

/// Levenshtein distance over chars (words are short; O(n·m) is fine).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitution.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("abandon", "abandon"), 0);
        assert_eq!(edit_distance("abandn", "abandon"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest_words("abandonn"), vec!["abandon"]);
        assert_eq!(closest_words("laddr"), vec!["ladder"]);
        assert!(closest_words("ladr").contains(&"lady"));
        assert!(closest_words("qqqqqqqqqq").is_empty());
    }

    #[test]
    fn position_numbers() {
        assert!(is_position_number("12."));
        assert!(is_position_number("3)"));
        assert!(is_position_number("7"));
        assert!(!is_position_number("."));
        assert!(!is_position_number("abandon"));
    }
}
