//! Integration tests for thaw-vault, compiled into one binary (one link step).
//!
//! Every test uses cheap Argon2 parameters ([`cheap`]); the real defaults cost a noticeable
//! fraction of a second per unlock and are only checked for sane values (in the unit tests).

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod cache;
mod debug;
mod keyfile;
mod recovery;

use thaw_vault::{KdfParams, VaultError};

/// Argon2id parameters small enough for many unlocks per test.
pub fn cheap() -> Result<KdfParams, VaultError> {
    KdfParams::new(256, 1, 1)
}

/// Lowercase hex, for checking that secrets do not leak into output.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
