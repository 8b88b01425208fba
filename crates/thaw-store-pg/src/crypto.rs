//! Per-account encryption: record and setting bodies sealed with XChaCha20-Poly1305, and the
//! blind index that lets the server answer a search without storing words.
//!
//! Both keys come from the account's random data key (the one its `thaw-vault` key file wraps)
//! through HKDF-SHA256 with distinct labels, so the record key and the search key are independent
//! and neither reveals the data key.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use thaw_core::RecordKind;
use thaw_vault::DataKey;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use uuid::Uuid;
use zeroize::Zeroizing;

/// First byte of every sealed value: the format, so a later version can change it.
const SEALED_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// Plaintexts are padded with trailing spaces (which JSON ignores) to a multiple of this many
/// bytes, so a ciphertext's size tells only roughly how long the text is.
pub(crate) const PAD_TO: usize = 64;

/// The blind index keeps word prefixes up to this many characters. A longer search word is
/// looked up by its first `MAX_PREFIX` characters and then checked against the decrypted text.
pub(crate) const MAX_PREFIX: usize = 12;

/// A record's token list is padded with random tokens to a multiple of this, so the count says
/// only roughly how many different words it holds.
const TOKEN_PAD: usize = 16;

/// The keys of one signed-in account. Wiped from memory on drop.
pub(crate) struct Keys {
    record: Zeroizing<[u8; 32]>,
    search: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(****)")
    }
}

/// Something could not be encrypted or decrypted; the message names no secret and no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CryptoError(pub(crate) &'static str);

impl Keys {
    pub(crate) fn derive(data_key: &DataKey) -> Result<Self, CryptoError> {
        let hk = Hkdf::<Sha256>::new(Some(b"thaw-store-pg"), data_key.dangerously_expose());
        let mut record = Zeroizing::new([0u8; 32]);
        let mut search = Zeroizing::new([0u8; 32]);
        hk.expand(b"thaw-pg record key v1", record.as_mut_slice())
            .map_err(|_| CryptoError("the record key could not be derived"))?;
        hk.expand(b"thaw-pg search key v1", search.as_mut_slice())
            .map_err(|_| CryptoError("the search key could not be derived"))?;
        Ok(Self { record, search })
    }

    /// Encrypts `plain` (padded first) under the record key with `aad` bound to it.
    pub(crate) fn seal(&self, plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let padded_len = plain.len().div_ceil(PAD_TO).max(1) * PAD_TO;
        let mut padded = Zeroizing::new(Vec::with_capacity(padded_len));
        padded.extend_from_slice(plain);
        padded.resize(padded_len, b' ');
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError("the system random source failed"))?;
        let cipher = XChaCha20Poly1305::new(self.record.as_slice().into());
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: &padded, aad })
            .map_err(|_| CryptoError("a value could not be encrypted"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(SEALED_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts a value made by [`Keys::seal`] with the same `aad`; the padding stays (JSON
    /// readers skip it). Fails if anything was changed, or if the row belongs elsewhere.
    pub(crate) fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let Some((&SEALED_V1, rest)) = sealed.split_first() else {
            return Err(CryptoError("a stored value has an unknown format"));
        };
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError("a stored value is too short"));
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new(self.record.as_slice().into());
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad })
            .map(Zeroizing::new)
            .map_err(|_| CryptoError("a stored value does not belong to this account and place"))
    }

    fn search_mac(&self) -> Result<Hmac<Sha256>, CryptoError> {
        <Hmac<Sha256> as Mac>::new_from_slice(self.search.as_slice())
            .map_err(|_| CryptoError("the search key could not be used"))
    }

    /// The blind-index tokens of a record's text: one for every prefix (1 to [`MAX_PREFIX`]
    /// characters) of every word, deduplicated, shuffled into sorted order of their values and
    /// padded with random tokens.
    pub(crate) fn index_tokens(&self, text: &str) -> Result<Vec<i32>, CryptoError> {
        let mac = self.search_mac()?;
        let mut tokens = Vec::new();
        for word in words(text) {
            let mut prefix = Zeroizing::new(String::with_capacity(word.len()));
            for c in word.chars().take(MAX_PREFIX) {
                prefix.push(c);
                tokens.push(token(&mac, &prefix));
            }
        }
        tokens.sort_unstable();
        tokens.dedup();
        let padded = tokens.len().div_ceil(TOKEN_PAD).max(1) * TOKEN_PAD;
        while tokens.len() < padded {
            let mut random = [0u8; 4];
            getrandom::fill(&mut random).map_err(|_| CryptoError("the system random source failed"))?;
            tokens.push(i32::from_le_bytes(random));
        }
        tokens.sort_unstable();
        Ok(tokens)
    }

    /// The tokens a search for these (already normalised) terms must find, one per term.
    pub(crate) fn query_tokens(&self, terms: &[String]) -> Result<Vec<i32>, CryptoError> {
        let mac = self.search_mac()?;
        let mut tokens: Vec<i32> = terms
            .iter()
            .map(|t| {
                let prefix: Zeroizing<String> = Zeroizing::new(t.chars().take(MAX_PREFIX).collect());
                token(&mac, &prefix)
            })
            .collect();
        tokens.sort_unstable();
        tokens.dedup();
        Ok(tokens)
    }
}

/// HMAC-SHA256 of a word prefix, cut to 32 bits (a PostgreSQL `integer`). A collision only costs a
/// wasted decryption: every candidate is checked against its decrypted text. (32 rather than 64
/// bits keeps a long entry's token list small enough to stay in the row instead of being moved to
/// TOAST, which matters because every search reads it: docs/PERFORMANCE.md.)
fn token(mac: &Hmac<Sha256>, prefix: &str) -> i32 {
    let mut m = mac.clone();
    m.update(prefix.as_bytes());
    let out = m.finalize().into_bytes();
    let mut first = [0u8; 4];
    first.copy_from_slice(&out[..4]);
    i32::from_le_bytes(first)
}

/// One word as the index sees it: lowercase, accents removed ("Café" → "cafe").
pub(crate) fn normalise(word: &str) -> String {
    if word.is_ascii() {
        // Most words: no decomposition needed (it costs more than the rest of a search).
        return word.to_ascii_lowercase();
    }
    word.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// The words of a text, split like `thaw_store::search_terms` splits what a person types, and
/// normalised.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    thaw_store::search_terms(text).into_iter().map(|w| normalise(&w)).filter(|w| !w.is_empty())
}

/// Whether every term starts some word of `text` (the exact rule the index approximates). Words
/// are split as in [`words`]; ASCII words are compared in place, without allocating.
pub(crate) fn matches_all(text: &str, terms: &[String]) -> bool {
    let mut missing: Vec<&str> = terms.iter().map(String::as_str).collect();
    for raw in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        let word = raw.trim_matches('\'');
        if word.is_empty() {
            continue;
        }
        if word.is_ascii() {
            let w = word.as_bytes();
            missing.retain(|t| !(w.len() >= t.len() && w[..t.len()].eq_ignore_ascii_case(t.as_bytes())));
        } else {
            let w = normalise(&word.to_lowercase());
            missing.retain(|t| !w.starts_with(t));
        }
        if missing.is_empty() {
            return true;
        }
    }
    missing.is_empty()
}

/// Associated data of a record: the account, the record, its kind and when it happened. A row
/// copied to another account, record or kind, or moved in time, fails to decrypt.
pub(crate) fn record_aad(account: Uuid, id: Uuid, kind: RecordKind, at_ms: i64) -> Vec<u8> {
    let kind = kind.as_str().as_bytes();
    let mut aad = Vec::with_capacity(64);
    aad.extend_from_slice(b"thaw-pg v1 record\0");
    aad.extend_from_slice(account.as_bytes());
    aad.extend_from_slice(id.as_bytes());
    aad.extend_from_slice(&at_ms.to_be_bytes());
    aad.push(u8::try_from(kind.len()).unwrap_or(u8::MAX));
    aad.extend_from_slice(kind);
    aad
}

/// Associated data of a setting: the account and the key.
pub(crate) fn setting_aad(account: Uuid, key: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(40 + key.len());
    aad.extend_from_slice(b"thaw-pg v1 setting\0");
    aad.extend_from_slice(account.as_bytes());
    aad.extend_from_slice(key.as_bytes());
    aad
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn keys() -> Keys {
        Keys::derive(&DataKey::generate().unwrap()).unwrap()
    }

    #[test]
    fn words_are_normalised() {
        let w: Vec<String> = words("Café, DON'T  naïve—x").collect();
        assert_eq!(w, ["cafe", "don't", "naive", "x"]);
        assert!(matches_all("The lake was grey", &["lak".into(), "gr".into()]));
        assert!(!matches_all("The lake was grey", &["ake".into()]));
    }

    #[test]
    fn tokens_are_per_account_and_padded() {
        let (a, b) = (keys(), keys());
        let ta = a.index_tokens("lake").unwrap();
        assert_eq!(ta.len(), TOKEN_PAD);
        let q = a.query_tokens(&["lak".into()]).unwrap();
        assert!(ta.contains(&q[0]));
        let qb = b.query_tokens(&["lak".into()]).unwrap();
        assert!(!ta.contains(&qb[0]));
        // A word longer than the cap is found by its capped prefix.
        let long = a.index_tokens("extraordinarily").unwrap();
        let q = a.query_tokens(&["extraordinarily".into()]).unwrap();
        assert!(long.contains(&q[0]));
    }

    #[test]
    fn sealed_sizes_are_padded() {
        let k = keys();
        let short = k.seal(b"a", b"x").unwrap();
        let longer = k.seal(&[b'a'; 60], b"x").unwrap();
        assert_eq!(short.len(), longer.len());
        assert_eq!(short.len(), 1 + NONCE_LEN + PAD_TO + TAG_LEN);
    }

    mod props {
        use proptest::prelude::*;

        use super::*;

        fn kind() -> impl Strategy<Value = RecordKind> {
            proptest::sample::select(RecordKind::ALL)
        }

        fn uuid() -> impl Strategy<Value = Uuid> {
            any::<[u8; 16]>().prop_map(Uuid::from_bytes)
        }

        proptest! {
            #[test]
            fn sealed_values_open_with_the_same_aad_only(
                plain in proptest::collection::vec(any::<u8>(), 0..600),
                aad in proptest::collection::vec(any::<u8>(), 0..80),
                other in proptest::collection::vec(any::<u8>(), 0..80),
                flip in any::<prop::sample::Index>(),
            ) {
                let k = keys();
                let sealed = k.seal(&plain, &aad).unwrap();
                let opened = k.open(&sealed, &aad).unwrap();
                prop_assert_eq!(&opened[..plain.len()], &plain[..]);
                prop_assert!(opened[plain.len()..].iter().all(|b| *b == b' '));
                prop_assert_eq!(opened.len() % PAD_TO, 0);
                if other != aad {
                    prop_assert!(k.open(&sealed, &other).is_err());
                }
                // Any changed byte (format, nonce, ciphertext or tag) is caught.
                let mut tampered = sealed.clone();
                let i = flip.index(tampered.len());
                tampered[i] ^= 0x01;
                prop_assert!(k.open(&tampered, &aad).is_err());
                // Another account's key can't open it.
                prop_assert!(keys().open(&sealed, &aad).is_err());
            }

            #[test]
            fn record_aad_tells_every_field_apart(
                a in (uuid(), uuid(), kind(), any::<i64>()),
                b in (uuid(), uuid(), kind(), any::<i64>()),
            ) {
                let aad_a = record_aad(a.0, a.1, a.2, a.3);
                let aad_b = record_aad(b.0, b.1, b.2, b.3);
                prop_assert_eq!(a == b, aad_a == aad_b);
                prop_assert_ne!(aad_a, setting_aad(a.0, a.2.as_str()));
            }

            #[test]
            fn setting_aad_tells_accounts_and_keys_apart(
                a in (uuid(), "[a-z_]{0,12}"),
                b in (uuid(), "[a-z_]{0,12}"),
            ) {
                prop_assert_eq!(a == b, setting_aad(a.0, &a.1) == setting_aad(b.0, &b.1));
            }

            #[test]
            fn the_fast_text_check_agrees_with_the_word_list(
                text in "[a-zA-Zé'İß ,.\\-]{0,60}",
                terms in proptest::collection::vec("[a-zéß']{1,5}", 1..3),
            ) {
                let terms: Vec<String> = terms.iter().map(|t| normalise(t)).filter(|t| !t.is_empty()).collect();
                let list: Vec<String> = words(&text).collect();
                let slow = terms.iter().all(|t| list.iter().any(|w| w.starts_with(t.as_str())));
                prop_assert_eq!(matches_all(&text, &terms), slow);
            }

            #[test]
            fn the_index_finds_every_prefix_the_text_check_accepts(
                text in "[a-zA-Zéü' ,.]{0,80}",
                term in "[a-zé]{1,16}",
            ) {
                let k = keys();
                let tokens = k.index_tokens(&text).unwrap();
                // Every prefix of every word is found.
                for word in words(&text) {
                    let prefix: String = word.chars().take(1 + word.len() % 5).collect();
                    let q = k.query_tokens(&[prefix]).unwrap();
                    prop_assert!(tokens.contains(&q[0]));
                }
                // Whatever the text check accepts, the index lets through (no false negatives).
                let term = normalise(&term);
                if matches_all(&text, std::slice::from_ref(&term)) {
                    let q = k.query_tokens(&[term]).unwrap();
                    prop_assert!(tokens.contains(&q[0]));
                }
            }
        }
    }
}
