use thiserror::Error;

/// What can go wrong when reading or writing the vault. Messages say what to do; none carries
/// record text or key material.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("No record matches \"{0}\". Check the id with a list command.")]
    NotFound(String),

    #[error("More than one record starts with \"{0}\". Type a few more characters of the id.")]
    Ambiguous(String),

    #[error("A record with id {0} already exists.")]
    Duplicate(String),

    #[error(
        "The vault looks damaged ({0}). Nothing was changed. If it keeps happening, restore your latest backup with `thaw restore`."
    )]
    Damaged(String),

    #[error(
        "This vault was written by a newer version of Thaw (schema {found}; this version knows up to {supported}). Nothing was changed. Please update Thaw."
    )]
    TooNew { found: u32, supported: u32 },

    #[error("The vault is busy with another Thaw command. Please try again in a moment.")]
    Busy,

    #[error("The disk is full, so nothing was saved. Free some space and try again.")]
    DiskFull,

    #[error(
        "Thaw couldn't write to the disk (is it full, or over a size limit?), so nothing was saved. Free some space and try again."
    )]
    WriteFailed,

    #[error("The vault's folder can't be written to ({0}). Nothing was changed. Check its permissions.")]
    ReadOnly(String),

    #[error(
        "There's no vault at {0}. Create one with `thaw init`, or point to yours with --vault or THAW_VAULT."
    )]
    NoVault(String),

    #[error("A vault already exists at {0}. Nothing was changed.")]
    VaultExists(String),

    #[error(transparent)]
    Vault(#[from] thaw_vault::VaultError),

    #[error("Couldn't read or write the vault's files: {0}")]
    Io(#[from] std::io::Error),

    #[error("The storage engine reported a problem: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match &err {
            rusqlite::Error::SqliteFailure(e, _) => match e.code {
                C::NotADatabase => StoreError::Damaged("the database can't be read with this key".into()),
                C::DatabaseCorrupt => StoreError::Damaged("the database file is corrupt".into()),
                C::DatabaseBusy | C::DatabaseLocked => StoreError::Busy,
                C::DiskFull => StoreError::DiskFull,
                C::ReadOnly => StoreError::ReadOnly("read-only".into()),
                C::CannotOpen => StoreError::ReadOnly("can't open the database file".into()),
                C::SystemIoFailure
                    if matches!(
                        e.extended_code,
                        rusqlite::ffi::SQLITE_IOERR_WRITE
                            | rusqlite::ffi::SQLITE_IOERR_FSYNC
                            | rusqlite::ffi::SQLITE_IOERR_TRUNCATE
                            | rusqlite::ffi::SQLITE_IOERR_SHMSIZE
                    ) =>
                {
                    StoreError::WriteFailed
                }
                C::SystemIoFailure => StoreError::Backend(format!("disk input/output failed: {err}")),
                _ => StoreError::Backend(err.to_string()),
            },
            _ => StoreError::Backend(err.to_string()),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Damaged(format!("a stored record can't be read: {err}"))
    }
}
