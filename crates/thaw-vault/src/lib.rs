//! Thaw's keys.
//!
//! The journal database is encrypted by SQLCipher with a random 256-bit [`DataKey`]. That key is
//! never stored in the clear: the [`KeyFile`] (`vault.key`, next to the database) holds it twice,
//! wrapped with XChaCha20-Poly1305:
//!
//! * once under a key derived from the user's [`Passphrase`] with Argon2id ([`KdfParams`]), and
//! * once under a key derived from the [`RecoveryKey`], 24 words shown to the user at set-up.
//!
//! Changing the passphrase re-wraps the same data key ([`KeyFile::rewrap_passphrase`]); the
//! database is never re-encrypted, so the change is instant and cannot damage data.
//! [`cache::UnlockCache`] keeps an unlocked data key in the kernel keyring for a limited time so
//! that the next `thaw` command does not pay for Argon2id again.
//!
//! Secret types zeroize their memory on drop, are neither `Clone` nor `Serialize`, print as
//! `****`, and are read only through methods named `dangerously_expose*` so that every use is
//! easy to find in review.

pub mod cache;
mod kdf;
mod keyfile;
mod recovery;
mod secret;

use std::path::PathBuf;

pub use kdf::KdfParams;
pub use keyfile::{KEYFILE_FORMAT, KEYFILE_VERSION, KeyFile};
pub use recovery::RecoveryKey;
pub use secret::{DataKey, MIN_PASSPHRASE_CHARS, Passphrase, PassphraseTooShort, check_new_passphrase};

/// Everything that can go wrong with keys.
///
/// Messages are written for the person using Thaw: they say what happened and what to do, and
/// they never contain a passphrase or key bytes. (The one exception is deliberate and documented
/// on [`VaultError::InvalidRecoveryKey`].)
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The passphrase did not unlock the key file (authentication of the wrapped key failed).
    #[error(
        "that passphrase is not correct. Please try again; if you have forgotten it, you can use \
         your recovery key instead"
    )]
    WrongPassphrase,

    /// The recovery words were well-formed but are not the ones that belong to this vault.
    #[error(
        "that recovery key does not open this vault. Check that it is the recovery key that was \
         shown when this vault was created, and that the words are in the right order"
    )]
    WrongRecoveryKey,

    /// The recovery words could not be read (word count, unknown word, checksum).
    ///
    /// The text may quote one mistyped word and the list words closest to it, because that is
    /// what the person needs to fix it. This reveals at most about 11 of the key's 256 bits, which
    /// does not help an attacker, but callers should still show it only to the person who typed
    /// it and not write it to logs.
    #[error("the recovery key could not be read: {0}")]
    InvalidRecoveryKey(String),

    /// There is no key file where the vault should have one.
    #[error(
        "no key file was found at {}. Check the vault location, or restore the key file from a \
         backup (without it the vault cannot be opened, not even with the recovery key)",
        .0.display()
    )]
    KeyFileMissing(PathBuf),

    /// The key file exists but cannot be understood; the text names the field.
    #[error(
        "the key file is damaged: {0}. Restore the key file from a backup; without it the vault \
         cannot be opened"
    )]
    KeyFileDamaged(String),

    /// The key file was written by a newer Thaw.
    #[error(
        "the key file uses format version {found}, but this version of Thaw understands only up \
         to version {supported}. Update Thaw to open this vault"
    )]
    KeyFileTooNew {
        /// Version found in the file.
        found: u32,
        /// Highest version this build understands.
        supported: u32,
    },

    /// Reading or writing a file failed.
    #[error("a file could not be read or written: {0}")]
    Io(#[from] std::io::Error),

    /// A cryptographic primitive refused its input or the system random source failed.
    #[error("a cryptographic operation failed: {0}")]
    Crypto(String),

    /// The unlock cache (kernel keyring) failed. Callers can fall back to asking for the
    /// passphrase.
    #[error("the unlock cache could not be used: {0}. Unlock with your passphrase instead")]
    Cache(String),
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), VaultError> {
    getrandom::fill(buf).map_err(|e| VaultError::Crypto(format!("the system random source failed ({e})")))
}
