//! The key file (`vault.key`): the data key, wrapped under the passphrase and the recovery key.
//!
//! On disk it is JSON (see [`KeyFile`] for the layout). Nothing in it is secret on its own: the
//! wraps are XChaCha20-Poly1305 ciphertexts, and `key_id` is a one-way fingerprint.

mod disk;

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::kdf::KEK_LEN;
use crate::secret::DATA_KEY_LEN;
use crate::{DataKey, KdfParams, Passphrase, RecoveryKey, VaultError, fill_random};

/// Value of the `format` field, so a stray JSON file is not mistaken for a key file.
pub const KEYFILE_FORMAT: &str = "thaw-keyfile";
/// The key file version this build writes and the highest it reads.
pub const KEYFILE_VERSION: u32 = 1;

/// Salt length for Argon2id (RFC 9106 recommends 128 bits).
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const WRAPPED_LEN: usize = DATA_KEY_LEN + TAG_LEN;

/// Associated data for each wrap. It names the purpose and the format version, so that the
/// passphrase wrap cannot be passed off as the recovery wrap (or a v1 wrap as a later version's)
/// by editing the file: authentication would fail.
const AAD_PASSPHRASE: &[u8] = b"thaw-keyfile v1 passphrase";
const AAD_RECOVERY: &[u8] = b"thaw-keyfile v1 recovery";

/// One wrapped copy of the data key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wrap {
    nonce: [u8; NONCE_LEN],
    /// Encrypted data key followed by the Poly1305 tag ([`WRAPPED_LEN`] bytes).
    ciphertext: Vec<u8>,
}

/// The vault's key file.
///
/// ```json
/// {
///   "format": "thaw-keyfile",
///   "version": 1,
///   "key_id": "<16 hex digits, fingerprint of the data key>",
///   "created_at": "<optional, supplied by the caller>",
///   "kdf": { "algorithm": "argon2id", "m_cost_kib": 131072, "t_cost": 3, "p_cost": 1,
///            "salt": "<base64, 16 bytes>" },
///   "passphrase_wrap": { "nonce": "<base64, 24 bytes>", "ciphertext": "<base64, 48 bytes>" },
///   "recovery_wrap":   { "nonce": "<base64, 24 bytes>", "ciphertext": "<base64, 48 bytes>" }
/// }
/// ```
///
/// Passphrase wrap key: Argon2id(NFC(passphrase), salt, kdf params). Recovery wrap key:
/// HKDF-SHA256(recovery entropy, info "thaw recovery kek v1"). Both wraps use
/// XChaCha20-Poly1305 with a random 24-byte nonce (random nonces of that size never collide in
/// practice) and the associated data `thaw-keyfile v1 passphrase` / `thaw-keyfile v1 recovery`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    kdf: KdfParams,
    salt: Vec<u8>,
    passphrase_wrap: Wrap,
    recovery_wrap: Wrap,
    key_id: String,
    created_at: Option<String>,
}

impl KeyFile {
    /// Sets up a new vault's keys: a random data key, wrapped under `passphrase` (Argon2id with
    /// `params`) and under a fresh recovery key.
    ///
    /// Returns the key file (not yet saved; call [`KeyFile::save`]), the data key to create the
    /// database with, and the recovery key to show the user once.
    pub fn create(
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<(KeyFile, DataKey, RecoveryKey), VaultError> {
        let key = DataKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let (salt, passphrase_wrap) = wrap_with_passphrase(&key, passphrase, &params)?;
        let recovery_kek = recovery.derive_kek()?;
        let recovery_wrap = wrap(&recovery_kek, &key, AAD_RECOVERY)?;
        let file = KeyFile {
            kdf: params,
            salt,
            passphrase_wrap,
            recovery_wrap,
            key_id: key.key_id(),
            created_at: None,
        };
        Ok((file, key, recovery))
    }

    /// The data key, unwrapped with the passphrase. [`VaultError::WrongPassphrase`] if it does
    /// not authenticate. Costs one Argon2id run.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<DataKey, VaultError> {
        let kek = self.kdf.derive_kek(passphrase, &self.salt)?;
        let key = unwrap(&kek, &self.passphrase_wrap, AAD_PASSPHRASE).ok_or(VaultError::WrongPassphrase)?;
        self.check_key_id(key)
    }

    /// The data key, unwrapped with the recovery key. [`VaultError::WrongRecoveryKey`] if it
    /// does not authenticate (well-formed words, but another vault's).
    pub fn recover(&self, recovery: &RecoveryKey) -> Result<DataKey, VaultError> {
        let kek = recovery.derive_kek()?;
        let key = unwrap(&kek, &self.recovery_wrap, AAD_RECOVERY).ok_or(VaultError::WrongRecoveryKey)?;
        self.check_key_id(key)
    }

    /// A copy of this key file with the same data key wrapped under a new passphrase, with a new
    /// salt and the given parameters. The recovery wrap is kept as it is, so the recovery words
    /// the user wrote down stay valid; the database is not touched.
    ///
    /// `key` must be this vault's data key (from [`KeyFile::unlock`] or [`KeyFile::recover`]);
    /// anything else is refused, because it would leave the two wraps holding different keys.
    pub fn rewrap_passphrase(
        &self,
        key: &DataKey,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<KeyFile, VaultError> {
        if key.key_id() != self.key_id {
            return Err(VaultError::Crypto(
                "the data key given for re-wrapping does not belong to this key file; nothing \
                 was changed"
                    .into(),
            ));
        }
        let (salt, passphrase_wrap) = wrap_with_passphrase(key, new, &params)?;
        Ok(KeyFile {
            kdf: params,
            salt,
            passphrase_wrap,
            recovery_wrap: self.recovery_wrap.clone(),
            key_id: self.key_id.clone(),
            created_at: self.created_at.clone(),
        })
    }

    /// A copy of this key file with the same data key wrapped under fresh recovery words, which
    /// are returned to be shown once. The old words no longer open this key file (a copy of the
    /// old file still opens with them: [`KeyFile::create`] and a database rekey make old copies
    /// useless). The passphrase wrap is kept as it is.
    pub fn rewrap_recovery(&self, key: &DataKey) -> Result<(KeyFile, RecoveryKey), VaultError> {
        if key.key_id() != self.key_id {
            return Err(VaultError::Crypto(
                "the data key given for re-wrapping does not belong to this key file; nothing \
                 was changed"
                    .into(),
            ));
        }
        let recovery = RecoveryKey::generate()?;
        let recovery_kek = recovery.derive_kek()?;
        let recovery_wrap = wrap(&recovery_kek, key, AAD_RECOVERY)?;
        let file = KeyFile { recovery_wrap, ..self.clone() };
        Ok((file, recovery))
    }

    /// The data key's fingerprint, e.g. to check that a cached key belongs to this vault.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The Argon2id parameters the passphrase wrap was made with (callers can compare them with
    /// [`KdfParams::default`] and re-wrap to upgrade).
    pub fn kdf_params(&self) -> KdfParams {
        self.kdf
    }

    /// The creation time the caller recorded, if any.
    pub fn created_at(&self) -> Option<&str> {
        self.created_at.as_deref()
    }

    /// Records a creation time (any text; Thaw uses an RFC 3339 timestamp). The vault crate
    /// has no clock of its own, so the caller supplies it.
    pub fn with_created_at(mut self, created_at: impl Into<String>) -> Self {
        self.created_at = Some(created_at.into());
        self
    }

    /// Guards against a hand-edited `key_id`: an authentic wrap must hold the key the file
    /// says it holds, or a cached key could be matched against the wrong vault.
    fn check_key_id(&self, key: DataKey) -> Result<DataKey, VaultError> {
        if key.key_id() == self.key_id {
            Ok(key)
        } else {
            Err(VaultError::KeyFileDamaged("field `key_id` does not match the key stored in the file".into()))
        }
    }
}

/// Wraps `key` under Argon2id(passphrase) with a fresh salt; returns the salt and the wrap.
fn wrap_with_passphrase(
    key: &DataKey,
    passphrase: &Passphrase,
    params: &KdfParams,
) -> Result<(Vec<u8>, Wrap), VaultError> {
    let mut salt = vec![0u8; SALT_LEN];
    fill_random(&mut salt)?;
    let kek = params.derive_kek(passphrase, &salt)?;
    let wrapped = wrap(&kek, key, AAD_PASSPHRASE)?;
    Ok((salt, wrapped))
}

fn wrap(kek: &[u8; KEK_LEN], key: &DataKey, aad: &[u8]) -> Result<Wrap, VaultError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let cipher = XChaCha20Poly1305::new(kek.into());
    // Encrypt in place inside a wiped buffer sized for the tag, so the plaintext key is never
    // copied into a buffer that reallocates or is freed unwiped.
    let mut buf = Zeroizing::new(Vec::with_capacity(WRAPPED_LEN));
    buf.extend_from_slice(key.dangerously_expose());
    cipher
        .encrypt_in_place(XNonce::from_slice(&nonce), aad, &mut *buf)
        .map_err(|_| VaultError::Crypto("could not encrypt the data key".into()))?;
    Ok(Wrap { nonce, ciphertext: buf.to_vec() })
}

/// `None` when authentication fails: wrong key-encryption key, or a changed nonce, ciphertext
/// or associated data.
fn unwrap(kek: &[u8; KEK_LEN], wrapped: &Wrap, aad: &[u8]) -> Option<DataKey> {
    let cipher = XChaCha20Poly1305::new(kek.into());
    let mut buf = Zeroizing::new(wrapped.ciphertext.clone());
    cipher.decrypt_in_place(XNonce::from_slice(&wrapped.nonce), aad, &mut *buf).ok()?;
    if buf.len() != DATA_KEY_LEN {
        return None;
    }
    let mut key = DataKey::zeroed();
    key.bytes_mut().copy_from_slice(&buf);
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Result<KdfParams, VaultError> {
        KdfParams::new(256, 1, 1)
    }

    #[test]
    fn wraps_cannot_be_swapped() -> Result<(), VaultError> {
        let pass = Passphrase::new("swap test".into());
        let (file, key, recovery) = KeyFile::create(&pass, cheap()?)?;
        let mut swapped = file.clone();
        swapped.recovery_wrap = file.passphrase_wrap.clone();
        swapped.passphrase_wrap = file.recovery_wrap.clone();
        assert!(matches!(swapped.unlock(&pass), Err(VaultError::WrongPassphrase)));
        assert!(matches!(swapped.recover(&recovery), Err(VaultError::WrongRecoveryKey)));
        // Same key-encryption key, other purpose's AAD: still refused.
        let kek = recovery.derive_kek()?;
        assert!(unwrap(&kek, &file.recovery_wrap, AAD_PASSPHRASE).is_none());
        assert!(unwrap(&kek, &file.recovery_wrap, AAD_RECOVERY).is_some());
        assert_eq!(file.unlock(&pass)?.key_id(), key.key_id());
        Ok(())
    }

    #[test]
    fn nonces_and_salts_are_fresh() -> Result<(), VaultError> {
        let pass = Passphrase::new("fresh".into());
        let (a, key, _) = KeyFile::create(&pass, cheap()?)?;
        let b = a.rewrap_passphrase(&key, &pass, cheap()?)?;
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.passphrase_wrap, b.passphrase_wrap);
        assert_eq!(a.recovery_wrap, b.recovery_wrap);
        assert_ne!(a.passphrase_wrap.nonce, a.recovery_wrap.nonce);
        Ok(())
    }

    #[test]
    fn rewrap_refuses_a_foreign_key() -> Result<(), VaultError> {
        let pass = Passphrase::new("mine".into());
        let (file, _, _) = KeyFile::create(&pass, cheap()?)?;
        let other = DataKey::generate()?;
        let err = file.rewrap_passphrase(&other, &pass, cheap()?);
        assert!(matches!(err, Err(VaultError::Crypto(_))));
        Ok(())
    }

    #[test]
    fn new_recovery_words_replace_the_old_ones() -> Result<(), VaultError> {
        let pass = Passphrase::new("words".into());
        let (file, key, old_words) = KeyFile::create(&pass, cheap()?)?;
        let (renewed, new_words) = file.rewrap_recovery(&key)?;
        assert!(matches!(renewed.recover(&old_words), Err(VaultError::WrongRecoveryKey)));
        assert_eq!(renewed.recover(&new_words)?.key_id(), key.key_id());
        assert_eq!(renewed.unlock(&pass)?.key_id(), key.key_id());
        assert!(file.rewrap_recovery(&DataKey::generate()?).is_err());
        Ok(())
    }

    #[test]
    fn edited_key_id_is_detected() -> Result<(), VaultError> {
        let pass = Passphrase::new("id".into());
        let (mut file, _, _) = KeyFile::create(&pass, cheap()?)?;
        file.key_id = "0000000000000000".into();
        assert!(matches!(file.unlock(&pass), Err(VaultError::KeyFileDamaged(_))));
        Ok(())
    }
}
