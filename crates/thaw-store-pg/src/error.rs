use postgres::error::SqlState;
use thaw_store::StoreError;
use thaw_vault::VaultError;

use crate::crypto::CryptoError;

/// What can go wrong with an account. Messages are for the person at the door: they say what to
/// do and never carry a passphrase, a key or record text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// Sign-up with a name someone already has.
    #[error("That username is taken. Please choose another one.")]
    UsernameTaken,

    /// Unknown username or wrong passphrase: deliberately the same answer, so the door doesn't
    /// tell strangers which usernames exist.
    #[error("That username and passphrase don't match. Please check both and try again.")]
    WrongCredentials,

    /// Unknown username or recovery words that belong to another account.
    #[error(
        "Those recovery words don't open that account. Check the username, and that the words are the ones shown when the account was made, in order."
    )]
    WrongRecoveryWords,

    /// The recovery words can't be read (count, an unknown word, the checksum). The text may
    /// quote the mistyped word; show it only to the person who typed it.
    #[error("The recovery words couldn't be read: {0}")]
    UnreadableRecoveryWords(String),

    #[error(
        "A username is 2 to 64 characters: letters, digits, and . _ - @ + (no spaces). Please choose another one."
    )]
    BadUsername,

    #[error(
        "Please choose a passphrase of at least {} characters. A few ordinary words in a row work well.",
        thaw_vault::MIN_PASSPHRASE_CHARS
    )]
    WeakPassphrase,

    /// Sign-up by invitation with a code that is unknown, used or expired.
    #[error(
        "That invitation code doesn't work: it may be mistyped, already used, or expired. Please ask for a new one."
    )]
    BadInvitation,

    /// The database or a key operation failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<VaultError> for AccountError {
    fn from(err: VaultError) -> Self {
        match err {
            VaultError::WrongPassphrase => AccountError::WrongCredentials,
            VaultError::WrongRecoveryKey => AccountError::WrongRecoveryWords,
            VaultError::InvalidRecoveryKey(why) => AccountError::UnreadableRecoveryWords(why),
            other => AccountError::Store(StoreError::Vault(other)),
        }
    }
}

impl From<postgres::Error> for AccountError {
    fn from(err: postgres::Error) -> Self {
        AccountError::Store(pg_error(err))
    }
}

impl From<CryptoError> for AccountError {
    fn from(err: CryptoError) -> Self {
        AccountError::Store(crypto_error(err))
    }
}

/// A PostgreSQL error as a [`StoreError`]. Only ciphertext and metadata ever reach the database,
/// so its messages can't contain record text; they are still reduced to the SQLSTATE and the
/// server's one-line message.
pub(crate) fn pg_error(err: postgres::Error) -> StoreError {
    let Some(db) = err.as_db_error() else {
        if err.is_closed() {
            return StoreError::Backend("the connection to PostgreSQL was closed; please try again".into());
        }
        return StoreError::Backend(format!("PostgreSQL could not be reached or answered oddly ({err})"));
    };
    let code = db.code();
    if *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
        || *code == SqlState::LOCK_NOT_AVAILABLE
    {
        StoreError::Busy
    } else if *code == SqlState::DISK_FULL {
        StoreError::DiskFull
    } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        StoreError::ReadOnly("the database is read-only".into())
    } else {
        StoreError::Backend(format!("PostgreSQL said {}: {}", code.code(), db.message()))
    }
}

pub(crate) fn pool_error(err: r2d2::Error) -> StoreError {
    StoreError::Backend(format!("no database connection became free in time ({err}); please try again"))
}

pub(crate) fn crypto_error(err: CryptoError) -> StoreError {
    StoreError::Damaged(err.0.into())
}
