//! The vault directory: `vault.key` (the wrapped data key) beside `thaw.db` (the encrypted
//! database, with its `-wal` and `-shm` files). Created with owner-only permissions.

use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use thaw_vault::{DataKey, KdfParams, KeyFile, Passphrase, RecoveryKey};

use crate::sqlite::Mode;
use crate::{SqliteStore, StoreError};

const KEY_FILE: &str = "vault.key";
/// The key file of a key change in progress (see [`VaultDir::rekey`]).
const NEXT_KEY_FILE: &str = "vault.key.next";
const DB_FILE: &str = "thaw.db";

/// A vault's folder on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultDir {
    root: PathBuf,
}

impl VaultDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn key_path(&self) -> PathBuf {
        self.root.join(KEY_FILE)
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    /// `vault.key.next`: present only while a key change is under way, or if one was interrupted.
    pub fn next_key_path(&self) -> PathBuf {
        self.root.join(NEXT_KEY_FILE)
    }

    /// Whether a vault (its key file or its database) is here.
    pub fn exists(&self) -> bool {
        self.key_path().exists() || self.db_path().exists()
    }

    /// A stable name for this vault, for the unlock cache: its canonical path.
    pub fn identity(&self) -> String {
        fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone()).display().to_string()
    }

    /// Creates a new vault: folder (mode 0700), encrypted database, key file. Returns the open
    /// store and the recovery key, which the caller must show once and then drop.
    pub fn create(
        &self,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<(SqliteStore, RecoveryKey), StoreError> {
        if self.exists() {
            return Err(StoreError::VaultExists(self.root.display().to_string()));
        }
        fs::DirBuilder::new().recursive(true).mode(0o700).create(&self.root)?;
        fs::set_permissions(&self.root, fs::Permissions::from_mode(0o700))?;
        let (keyfile, key, recovery) = KeyFile::create(passphrase, params)?;
        let made = SqliteStore::open_with(&self.db_path(), &key, Mode::Create)
            .and_then(|store| keyfile.save(&self.key_path()).map(|()| store).map_err(StoreError::from));
        match made {
            Ok(store) => Ok((store, recovery)),
            Err(e) => {
                // Leave no half-made vault behind.
                for path in [self.key_path(), self.db_path()] {
                    let _ = fs::remove_file(path);
                }
                for suffix in ["-wal", "-shm"] {
                    let _ = fs::remove_file(self.root.join(format!("{DB_FILE}{suffix}")));
                }
                Err(e)
            }
        }
    }

    pub fn load_keyfile(&self) -> Result<KeyFile, StoreError> {
        if !self.exists() {
            return Err(StoreError::NoVault(self.root.display().to_string()));
        }
        Ok(KeyFile::load(&self.key_path())?)
    }

    /// Opens the database with an unwrapped data key.
    pub fn open(&self, key: &DataKey) -> Result<SqliteStore, StoreError> {
        if !self.db_path().exists() {
            return Err(if self.key_path().exists() {
                StoreError::Damaged(format!("the database file {} is missing", self.db_path().display()))
            } else {
                StoreError::NoVault(self.root.display().to_string())
            });
        }
        SqliteStore::open(&self.db_path(), key)
    }
}

/// How an interrupted key change was settled (see [`VaultDir::settle_interrupted_rekey`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The database was still under the old key: the unfinished new key file was removed.
    Undone,
    /// The database was already under the new key: the new key file took the old one's place.
    /// Its recovery words were never shown, so new ones are needed (`thaw recovery new`).
    Finished,
}

/// A permission on the vault's files looser than Thaw makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoosePermission {
    pub path: PathBuf,
    /// The mode found (permission bits only).
    pub mode: u32,
    /// The mode Thaw gives it.
    pub wanted: u32,
}

impl VaultDir {
    /// Gives the vault a new data key: the database is re-encrypted under it, and the key file
    /// replaced by `next` (which must hold `new_key`), so a copy of the old key file no longer
    /// opens the database, whatever passphrase or recovery words it was made with.
    ///
    /// The order is what makes it safe to interrupt at any point:
    /// 1. `next` is written to `vault.key.next` (atomically, synced); `vault.key` is untouched;
    /// 2. the database is rekeyed in one transaction, and its WAL checkpointed;
    /// 3. `vault.key.next` is renamed over `vault.key` (atomic), and the folder synced.
    ///
    /// Killed before 2 commits: the database and `vault.key` still agree on the old key, and the
    /// stray `vault.key.next` is removed when the vault is next opened. Killed between 2 and 3: the
    /// database is under the new key and `vault.key.next` holds it; the next unlock
    /// ([`VaultDir::settle_interrupted_rekey`]) notices that the old key no longer opens the
    /// database and finishes step 3.
    pub fn rekey(&self, store: &SqliteStore, next: &KeyFile, new_key: &DataKey) -> Result<(), StoreError> {
        if next.key_id() != new_key.key_id() {
            return Err(StoreError::Damaged(
                "the new key file doesn't hold the new key; nothing was changed".into(),
            ));
        }
        next.save(&self.next_key_path())?;
        if let Err(e) = store.rekey(new_key) {
            let _ = fs::remove_file(self.next_key_path());
            return Err(e);
        }
        fs::rename(self.next_key_path(), self.key_path())?;
        fs::File::open(&self.root)?.sync_all()?;
        Ok(())
    }

    /// After an interrupted [`VaultDir::rekey`] (a `vault.key.next` is present), makes the key
    /// file match the database again. `passphrase` opens both key files (a key change keeps the
    /// passphrase). `None` when there was nothing to settle.
    pub fn settle_interrupted_rekey(&self, passphrase: &Passphrase) -> Result<Option<Settled>, StoreError> {
        let next_path = self.next_key_path();
        if !next_path.exists() {
            return Ok(None);
        }
        let current = self.load_keyfile()?.unlock(passphrase)?;
        if SqliteStore::open(&self.db_path(), &current).is_ok() {
            fs::remove_file(&next_path)?;
            return Ok(Some(Settled::Undone));
        }
        let next = KeyFile::load(&next_path)?;
        let new_key = next.unlock(passphrase)?;
        SqliteStore::open(&self.db_path(), &new_key)?;
        fs::rename(&next_path, self.key_path())?;
        fs::File::open(&self.root)?.sync_all()?;
        Ok(Some(Settled::Finished))
    }

    /// The vault's folder (0700) and files (0600) whose permissions are looser than that, for
    /// example after copying the folder or a `chmod -R`. Only group and other bits count.
    pub fn loose_permissions(&self) -> Result<Vec<LoosePermission>, StoreError> {
        let mut found = Vec::new();
        let mut check = |path: PathBuf, wanted: u32| -> Result<(), StoreError> {
            match fs::symlink_metadata(&path) {
                Ok(meta) => {
                    let mode = meta.permissions().mode() & 0o7777;
                    if mode & 0o077 != 0 {
                        found.push(LoosePermission { path, mode, wanted });
                    }
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e.into()),
            }
        };
        check(self.root.clone(), 0o700)?;
        for name in [KEY_FILE, NEXT_KEY_FILE, DB_FILE, "thaw.db-wal", "thaw.db-shm"] {
            check(self.root.join(name), 0o600)?;
        }
        Ok(found)
    }

    /// Sets what [`VaultDir::loose_permissions`] found back to owner-only.
    pub fn fix_permissions(&self) -> Result<Vec<LoosePermission>, StoreError> {
        let loose = self.loose_permissions()?;
        for p in &loose {
            fs::set_permissions(&p.path, fs::Permissions::from_mode(p.wanted))?;
        }
        Ok(loose)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::Store;

    fn cheap() -> KdfParams {
        KdfParams::new(256, 1, 1).unwrap()
    }

    fn setup() -> (tempfile::TempDir, VaultDir, Passphrase) {
        let dir = tempfile::tempdir().unwrap();
        let vault = VaultDir::new(dir.path().join("v"));
        let pass = Passphrase::new("rekey test".into());
        let (store, _) = vault.create(&pass, cheap()).unwrap();
        store.set_setting("marker", &serde_json::json!("kept")).unwrap();
        (dir, vault, pass)
    }

    fn opens(vault: &VaultDir, pass: &Passphrase) -> bool {
        let key = vault.load_keyfile().unwrap().unlock(pass).unwrap();
        vault.open(&key).is_ok_and(|s| s.setting("marker").unwrap() == Some(serde_json::json!("kept")))
    }

    #[test]
    fn rekey_changes_the_key_and_the_key_file_together() {
        let (_d, vault, pass) = setup();
        let old = vault.load_keyfile().unwrap();
        let old_key = old.unlock(&pass).unwrap();
        let store = vault.open(&old_key).unwrap();
        let (next, new_key, _) = KeyFile::create(&pass, cheap()).unwrap();
        vault.rekey(&store, &next, &new_key).unwrap();
        drop(store);
        assert!(!vault.next_key_path().exists());
        assert!(opens(&vault, &pass));
        assert!(vault.open(&old_key).is_err(), "the old key opens nothing");
    }

    #[test]
    fn killed_before_the_database_changed_is_undone() {
        let (_d, vault, pass) = setup();
        let (next, _, _) = KeyFile::create(&pass, cheap()).unwrap();
        next.save(&vault.next_key_path()).unwrap();
        assert_eq!(vault.settle_interrupted_rekey(&pass).unwrap(), Some(Settled::Undone));
        assert!(!vault.next_key_path().exists());
        assert!(opens(&vault, &pass));
        assert_eq!(vault.settle_interrupted_rekey(&pass).unwrap(), None);
    }

    #[test]
    fn killed_after_the_database_changed_is_finished() {
        let (_d, vault, pass) = setup();
        let key = vault.load_keyfile().unwrap().unlock(&pass).unwrap();
        let store = vault.open(&key).unwrap();
        let (next, new_key, _) = KeyFile::create(&pass, cheap()).unwrap();
        // Steps 1 and 2 of `rekey`, then "killed" before the rename.
        next.save(&vault.next_key_path()).unwrap();
        store.rekey(&new_key).unwrap();
        drop(store);
        assert!(vault.open(&key).is_err());
        assert_eq!(vault.settle_interrupted_rekey(&pass).unwrap(), Some(Settled::Finished));
        assert!(!vault.next_key_path().exists());
        assert!(opens(&vault, &pass));
    }

    #[test]
    fn loosened_permissions_are_found_and_fixed() {
        let (_d, vault, _) = setup();
        // SQLite creates the database with the process's umask, which `thaw` sets to 077 and
        // this test process doesn't: start from owner-only.
        vault.fix_permissions().unwrap();
        assert!(vault.loose_permissions().unwrap().is_empty());
        fs::set_permissions(vault.root(), fs::Permissions::from_mode(0o750)).unwrap();
        fs::set_permissions(vault.db_path(), fs::Permissions::from_mode(0o640)).unwrap();
        let found = vault.loose_permissions().unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].mode, 0o750);
        assert_eq!(vault.fix_permissions().unwrap().len(), 2);
        assert!(vault.loose_permissions().unwrap().is_empty());
    }
}
