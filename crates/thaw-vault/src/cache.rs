//! Unlock cache: the data key kept in the Linux kernel keyring for a limited time.
//!
//! After one unlock, later `thaw` commands in the same login session find the key here and skip
//! Argon2id. The key is never written to disk: keyring payloads live in kernel memory (not
//! swapped, not in any file), the entry carries a kernel-enforced timeout, and
//! [`UnlockCache::forget`] (`thaw lock`) removes it at once.
//!
//! # Which keyring: the user keyring
//!
//! Entries go to the **user keyring** (`@u`), not the session keyring (`@s`):
//!
//! * The session keyring depends on how a shell was started. Terminals, `ssh`, `tmux`, `sudo`,
//!   cron and systemd user services each may get a different session keyring (pam_keyinit),
//!   so "unlocked" would appear to work in one window and not in the next. The user keyring is
//!   the same for every process of the user, which is what "the same login session" means to a
//!   person using the CLI.
//! * It is not a weaker boundary in practice: any process running as the same user can already
//!   read the vault file, replace the `thaw` binary or log keystrokes, so the trust boundary
//!   is the user account either way. What keeps the exposure small is the timeout (set by the
//!   caller, enforced by the kernel) and `forget`.
//! * Permissions are possessor: view/read/write/search/setattr and user: view/read/search;
//!   nothing for group or other. User read is granted so a process of the same user whose
//!   session keyring does not link the user keyring (so it does not "possess" the key) still
//!   finds it.
//! * The user keyring lives as long as the user has processes or open references; the key
//!   itself expires after its timeout regardless.
//!
//! To avoid even a moment in which the key sits in the user keyring without a timeout, it is
//! first added to this process's own keyring, given its timeout, then linked into the user
//! keyring (which atomically replaces an older entry with the same description), and only then
//! given its final permissions.
//!
//! Containers often block the keyring system calls (Docker's default seccomp profile does, in
//! part because keyrings are not namespaced per container). [`UnlockCache::is_available`] tells
//! callers whether to offer caching at all.
//!
//! Anyone running as the same user could also *put* a key under our description, so a fetched
//! key must be checked against the vault's key file ([`crate::KeyFile::key_id`]) before use.

use std::time::Duration;

use linux_keyutils::{
    Key, KeyError, KeyPermissions, KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission,
};
use sha2::{Digest, Sha256};

use crate::secret::{DATA_KEY_LEN, push_hex};
use crate::{DataKey, VaultError};

/// Cache of one vault's unlocked data key in the kernel user keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockCache {
    description: String,
}

impl UnlockCache {
    /// A cache slot for the vault named by `identity` (use the canonical vault path). Only a
    /// hash of it appears in the keyring, so paths (which can contain names) are not shown in
    /// `/proc/keys`.
    pub fn new(identity: &str) -> Self {
        let digest = Sha256::digest(identity.as_bytes());
        let mut description = String::from("thaw:");
        push_hex(&mut description, &digest[..8]);
        Self { description }
    }

    /// The keyring description of this slot, `thaw:<16 hex digits>` (for diagnostics, e.g.
    /// `keyctl search @u user thaw:…`).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Caches `key` for `ttl` (rounded up to whole seconds), replacing any earlier entry for
    /// this vault. A zero `ttl` means "do not cache": any entry is removed instead, because to
    /// the kernel a zero timeout means "never expires".
    pub fn store(&self, key: &DataKey, ttl: Duration) -> Result<(), VaultError> {
        if ttl.is_zero() {
            return self.forget();
        }
        let seconds = ttl.as_secs().saturating_add(u64::from(ttl.subsec_nanos() > 0));
        let seconds = usize::try_from(seconds).unwrap_or(usize::MAX);

        let user = KeyRing::from_special_id(KeyRingIdentifier::User, true)
            .map_err(|e| cache_error("could not open the user keyring", e))?;
        let staging = KeyRing::from_special_id(KeyRingIdentifier::Process, true)
            .map_err(|e| cache_error("could not open the process keyring", e))?;
        let entry = staging
            .add_key(&self.description, key.dangerously_expose())
            .map_err(|e| cache_error("could not add the key", e))?;

        let published = entry
            .set_timeout(seconds)
            .map_err(|e| cache_error("could not set the timeout", e))
            .and_then(|()| {
                user.link_key(entry)
                    .map_err(|e| cache_error("could not link the key into the user keyring", e))
            })
            .and_then(|()| {
                entry
                    .set_perms(entry_permissions())
                    .map_err(|e| cache_error("could not restrict the key's permissions", e))
            });
        // The staging link is not needed any more whatever happened; it would vanish with the
        // process anyway.
        let _ = staging.unlink_key(entry);
        if published.is_err() {
            // Never leave a half-configured entry behind.
            let _ = entry.invalidate();
        }
        published
    }

    /// The cached key, or `Ok(None)` when there is none (never stored, expired, forgotten, or
    /// no keyring for this user). `Err` only when the keyring itself fails.
    pub fn fetch(&self) -> Result<Option<DataKey>, VaultError> {
        let Some(entry) = self.find()? else {
            return Ok(None);
        };
        let mut key = DataKey::zeroed();
        match entry.read(key.bytes_mut()) {
            Ok(DATA_KEY_LEN) => Ok(Some(key)),
            Ok(_) => Err(VaultError::Cache(
                "the cached entry has an unexpected size (not written by Thaw?)".into(),
            )),
            // It expired or was forgotten between the search and the read.
            Err(KeyError::KeyExpired | KeyError::KeyRevoked | KeyError::KeyDoesNotExist) => Ok(None),
            Err(e) => Err(cache_error("could not read the cached key", e)),
        }
    }

    /// Removes the cached key at once. Succeeds when there is nothing to remove.
    pub fn forget(&self) -> Result<(), VaultError> {
        // Normally there is at most one entry; loop in case of leftovers, but never forever.
        for _ in 0..8 {
            let Some(entry) = self.find()? else {
                return Ok(());
            };
            match entry.invalidate() {
                Ok(()) | Err(KeyError::KeyExpired | KeyError::KeyRevoked) => {}
                Err(KeyError::KeyDoesNotExist) => return Ok(()),
                Err(e) => return Err(cache_error("could not remove the cached key", e)),
            }
        }
        Err(VaultError::Cache("the cached key keeps reappearing and could not be removed".into()))
    }

    /// Whether the kernel keyring can be used here: probes the same calls `store` makes with a
    /// throw-away entry in this process's keyring. False in containers that block `keyctl`.
    pub fn is_available() -> bool {
        let probe = || -> Result<(), KeyError> {
            KeyRing::from_special_id(KeyRingIdentifier::User, true)?;
            let ring = KeyRing::from_special_id(KeyRingIdentifier::Process, true)?;
            let entry = ring.add_key("thaw:probe", b"probe")?;
            let result = entry.set_timeout(5).and_then(|()| {
                let mut buf = [0u8; 8];
                match entry.read(&mut buf)? {
                    5 => Ok(()),
                    _ => Err(KeyError::InvalidArguments),
                }
            });
            let _ = entry.invalidate();
            result
        };
        probe().is_ok()
    }

    /// The live entry for this vault, if any.
    fn find(&self) -> Result<Option<Key>, VaultError> {
        let user = match KeyRing::from_special_id(KeyRingIdentifier::User, false) {
            Ok(ring) => ring,
            Err(KeyError::KeyDoesNotExist | KeyError::KeyringDoesNotExist) => return Ok(None),
            Err(e) => return Err(cache_error("could not open the user keyring", e)),
        };
        match user.search(&self.description) {
            Ok(entry) => Ok(Some(entry)),
            Err(KeyError::KeyDoesNotExist | KeyError::KeyExpired | KeyError::KeyRevoked) => Ok(None),
            Err(e) => Err(cache_error("could not search the user keyring", e)),
        }
    }
}

fn entry_permissions() -> KeyPermissions {
    KeyPermissionsBuilder::builder()
        .posessor(
            Permission::VIEW
                | Permission::READ
                | Permission::WRITE
                | Permission::SEARCH
                | Permission::SETATTR,
        )
        .user(Permission::VIEW | Permission::READ | Permission::SEARCH)
        .build()
}

/// errno for "function not implemented" on Linux (kernel built without keyrings).
const ENOSYS: i32 = 38;

fn cache_error(what: &str, e: KeyError) -> VaultError {
    let why = match e {
        KeyError::PermissionDenied => {
            "the system does not allow it here; containers often block the kernel keyring".to_string()
        }
        KeyError::AccessDenied => "access to the keyring entry was denied".to_string(),
        KeyError::QuotaExceeded => "the keyring quota for this user is full".to_string(),
        KeyError::Unknown(ENOSYS) => "this kernel has no keyring support".to_string(),
        other => format!("{other:?}"),
    };
    VaultError::Cache(format!("{what} ({why})"))
}
