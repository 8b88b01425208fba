//! The vault directory: `vault.key` (the wrapped data key) beside `thaw.db` (the encrypted
//! database, with its `-wal` and `-shm` files). Created with owner-only permissions.

use std::fs;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use thaw_vault::{DataKey, KdfParams, KeyFile, Passphrase, RecoveryKey};

use crate::sqlite::Mode;
use crate::{SqliteStore, StoreError};

const KEY_FILE: &str = "vault.key";
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
