//! Thaw's hosted storage: many accounts in one PostgreSQL database, each account's records
//! encrypted in the application under a key only its passphrase (or its recovery words) unlocks.
//!
//! * [`PgBackend`] is the server's handle on the database: connect (a pool; migrations), and the
//!   account operations — [`create_account`](PgBackend::create_account),
//!   [`sign_in`](PgBackend::sign_in), [`recover`](PgBackend::recover),
//!   [`change_passphrase`](PgBackend::change_passphrase),
//!   [`delete_account`](PgBackend::delete_account).
//! * [`AccountSession`] is a signed-in account: its id and its unwrapped keys, in memory only,
//!   wiped when the session (and every store made from it) is dropped.
//! * [`PgStore`] implements `thaw_store::Store` for one account and passes the conformance story.
//!
//! Each account has a random data key, wrapped by Argon2id(passphrase) and by 24 recovery words in
//! a `thaw-vault` key file kept in the `accounts` table. From it come a record key (bodies and
//! setting values, XChaCha20-Poly1305, associated data binding account, record, kind and time) and
//! a search key (the blind index: 64-bit HMAC-SHA256 of each word prefix). Isolation is enforced
//! twice: every statement filters by account, and row-level security (forced, so it binds the
//! table owner too) admits only rows of the account the transaction set. docs/HOSTED.md has the
//! threat model; docs/ARCHITECTURE.md why the `postgres` driver.
//!
//! Everything here blocks: call it from `tokio::task::spawn_blocking` in async code.

mod conn;
mod crypto;
mod error;
mod schema;
mod store;
#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use postgres::NoTls;
use postgres::types::Type;
use thaw_store::StoreError;
use thaw_vault::{DataKey, KdfParams, KeyFile, Passphrase, RecoveryKey};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

pub use error::AccountError;
pub use store::PgStore;

use crate::crypto::Keys;
use crate::error::{crypto_error, pg_error, pool_error};

pub(crate) type Pool = r2d2::Pool<conn::Manager>;

/// The schema version this build writes.
pub fn schema_latest() -> u32 {
    u32::try_from(schema::latest()).unwrap_or(0)
}

/// An account's id: a random UUID, not derived from the username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(Uuid);

impl AccountId {
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A signed-in account: its id, its username and its unwrapped keys. The keys live only in
/// memory and are wiped when the last of this session and the stores made from it is dropped;
/// the edge drops a session at sign-out and when it idles. Not `Clone`: share it behind an `Arc`.
pub struct AccountSession {
    id: AccountId,
    username: String,
    keys: Arc<Keys>,
}

impl AccountSession {
    pub fn account_id(&self) -> AccountId {
        self.id
    }

    /// The canonical (lowercase) username.
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for AccountSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountSession").field("id", &self.id).field("keys", &"****").finish()
    }
}

/// How to connect.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// Connections kept open (default 8).
    pub pool_size: u32,
    /// How long to wait for a free connection before [`StoreError::Backend`] (default 10 s).
    pub wait: Duration,
    /// Argon2id parameters for new accounts and passphrase changes (default: `thaw-vault`'s,
    /// 128 MiB, t = 3). Existing key files keep their own.
    pub kdf: KdfParams,
    /// Apply pending migrations at connect when the role may (default true). With false, an
    /// older schema is an error naming [`PgBackend::migrate`].
    pub migrate: bool,
}

impl Default for PgOptions {
    fn default() -> Self {
        Self { pool_size: 8, wait: Duration::from_secs(10), kdf: KdfParams::default(), migrate: true }
    }
}

/// The server's handle on the hosted database. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct PgBackend {
    pool: Pool,
    kdf: KdfParams,
    /// A key file no account has, unlocked when a username is unknown, so that an unknown name
    /// takes as long to refuse as a wrong passphrase.
    decoy: Arc<OnceLock<KeyFile>>,
}

impl fmt::Debug for PgBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgBackend")
            .field("connections", &self.pool.state().connections)
            .finish_non_exhaustive()
    }
}

fn config(url: &str, wait: Duration) -> Result<postgres::Config, StoreError> {
    let mut config = postgres::Config::from_str(url).map_err(|_| {
        StoreError::Backend(
            "the database URL can't be read; it looks like postgresql://USER@HOST/DATABASE \
             or host=/run/postgresql user=USER dbname=DATABASE"
                .into(),
        )
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(wait);
    }
    if config.get_application_name().is_none() {
        config.application_name("thaw");
    }
    Ok(config)
}

impl PgBackend {
    /// Connects with [`PgOptions::default`].
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, PgOptions::default())
    }

    /// Opens a pool of connections to `url` (a `postgresql://` URL or `key=value` pairs), checks
    /// that its role is subject to row-level security (not a superuser, no BYPASSRLS), and brings
    /// the schema up to date (when allowed and possible) or checks it is.
    pub fn connect_with(url: &str, options: PgOptions) -> Result<Self, StoreError> {
        let manager = conn::Manager { config: config(url, options.wait)? };
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(options.wait)
            // A broken connection is noticed when used (`is_closed`); testing each one on checkout
            // would cost a round trip per request.
            .test_on_check_out(false)
            .build(manager)
            .map_err(|e| StoreError::Backend(format!("PostgreSQL could not be reached ({e})")))?;
        let backend = Self { pool, kdf: options.kdf, decoy: Arc::new(OnceLock::new()) };
        let mut pooled = backend.pool.get().map_err(pool_error)?;
        let conn = pooled.client();
        let row = conn
            .query_one(
                "SELECT current_user::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
                &[],
            )
            .map_err(pg_error)?;
        let (role, bypasses): (String, bool) = (row.get(0), row.get(1));
        if bypasses {
            return Err(StoreError::Backend(format!(
                "the database role \"{role}\" bypasses row-level security (it is a superuser or has \
                 BYPASSRLS); connect Thaw as an ordinary role (docs/HOSTED.md)"
            )));
        }
        let version = schema::version(conn)?;
        if version > schema::latest() {
            return Err(too_new(version));
        }
        if version < schema::latest() {
            if !options.migrate {
                return Err(not_migrated(version));
            }
            schema::migrate(conn, None).map_err(|e| match e {
                StoreError::Backend(m) if m.contains("42501") => not_migrated(version),
                other => other,
            })?;
        }
        drop(pooled);
        Ok(backend)
    }

    /// Brings the schema up to date as its owner (`owner_url`), then, when `app_role` is given,
    /// grants that role what the server needs: reading and writing rows, nothing else. Returns
    /// the schema version. Idempotent: run it at every deployment.
    pub fn migrate(owner_url: &str, app_role: Option<&str>) -> Result<u32, StoreError> {
        let mut client = config(owner_url, Duration::from_secs(10))?.connect(NoTls).map_err(pg_error)?;
        let version = schema::migrate(&mut client, app_role)?;
        Ok(u32::try_from(version).unwrap_or(0))
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let mut conn = self.pool.get().map_err(pool_error)?;
        Ok(u32::try_from(schema::version(conn.client())?).unwrap_or(0))
    }

    /// Makes an account: a fresh data key wrapped under `passphrase` and fresh recovery words.
    /// Returns the signed-in session and the recovery key, to show once (its
    /// `dangerously_expose_words`). Costs one Argon2id run.
    pub fn create_account(
        &self,
        username: &str,
        passphrase: &Passphrase,
    ) -> Result<(AccountSession, RecoveryKey), AccountError> {
        self.create_account_invited(username, passphrase, None)
    }

    /// Like [`create_account`](Self::create_account); with `invitation`, the account is made only
    /// if that code is valid, and the code is spent in the same transaction (single use).
    pub fn create_account_invited(
        &self,
        username: &str,
        passphrase: &Passphrase,
        invitation: Option<&str>,
    ) -> Result<(AccountSession, RecoveryKey), AccountError> {
        let username = canonical_username(username)?;
        let invitation = invitation.map(invitation_hash);
        check_passphrase(passphrase)?;
        let (key_file, data_key, recovery) = KeyFile::create(passphrase, self.kdf)?;
        let mut random = [0u8; 16];
        getrandom::fill(&mut random)
            .map_err(|_| crypto_error(crypto::CryptoError("the system random source failed")))?;
        let id = uuid::Builder::from_random_bytes(random).into_uuid();
        let json = key_file.to_json()?;
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_for(id)?;
        if let Some(hash) = &invitation {
            let spent = tx.execute(
                "DELETE FROM invitations WHERE code_hash = $1 AND expires_at > now()",
                &[(hash, Type::BYTEA)],
            )?;
            if spent != 1 {
                return Err(AccountError::BadInvitation);
            }
        }
        let inserted = tx.execute_raw(
            "INSERT INTO accounts (id, username, key_file) VALUES ($1, $2, $3)",
            &[(&id, Type::UUID), (&username, Type::TEXT), (&json, Type::TEXT)],
        );
        match inserted {
            Ok(_) => tx.commit()?,
            Err(e) if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => {
                return Err(AccountError::UsernameTaken);
            }
            Err(e) => return Err(e.into()),
        }
        Ok((session(AccountId(id), username, &data_key)?, recovery))
    }

    /// Signs in: the data key unwrapped with `passphrase`, its record and search keys kept in the
    /// session. An unknown username and a wrong passphrase give the same error, after the same
    /// work (one Argon2id run).
    pub fn sign_in(&self, username: &str, passphrase: &Passphrase) -> Result<AccountSession, AccountError> {
        let (id, username, key_file) = self.unlock_target(username, passphrase)?;
        let data_key = key_file.unlock(passphrase)?;
        session(id, username, &data_key)
    }

    /// Opens the account with its recovery words and sets `new_passphrase`; returns a signed-in
    /// session. The recovery words stay the same.
    pub fn recover(
        &self,
        username: &str,
        words: &str,
        new_passphrase: &Passphrase,
    ) -> Result<AccountSession, AccountError> {
        check_passphrase(new_passphrase)?;
        let recovery = RecoveryKey::parse(words)?;
        let Some((id, username, key_file)) = self.lookup(username)? else {
            return Err(AccountError::WrongRecoveryWords);
        };
        let data_key = key_file.recover(&recovery)?;
        let rewrapped = key_file.rewrap_passphrase(&data_key, new_passphrase, self.kdf)?;
        self.replace_key_file(id, &key_file, &rewrapped)?;
        session(id, username, &data_key)
    }

    /// Re-wraps the account's data key under `new`; records are not re-encrypted. Sessions
    /// already signed in keep working.
    pub fn change_passphrase(
        &self,
        username: &str,
        old: &Passphrase,
        new: &Passphrase,
    ) -> Result<(), AccountError> {
        check_passphrase(new)?;
        let (id, _, key_file) = self.unlock_target(username, old)?;
        let data_key = key_file.unlock(old)?;
        let rewrapped = key_file.rewrap_passphrase(&data_key, new, self.kdf)?;
        self.replace_key_file(id, &key_file, &rewrapped)
    }

    /// Deletes the account after checking its passphrase: its settings, its records and its
    /// wrapped keys, in one transaction. The username becomes free.
    pub fn delete_account(&self, username: &str, passphrase: &Passphrase) -> Result<(), AccountError> {
        let (id, _, key_file) = self.unlock_target(username, passphrase)?;
        key_file.unlock(passphrase)?;
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_for(id.0)?;
        tx.execute("DELETE FROM settings WHERE account_id = $1", &[(&id.0, Type::UUID)])?;
        tx.execute("DELETE FROM records WHERE account_id = $1", &[(&id.0, Type::UUID)])?;
        tx.execute("DELETE FROM accounts WHERE id = $1", &[(&id.0, Type::UUID)])?;
        tx.commit()?;
        Ok(())
    }

    /// A new invitation code (128 random bits, as 32 hex digits in groups of four), valid once,
    /// for `lifetime`. Only its SHA-256 is stored. Expired codes are removed meanwhile.
    pub fn create_invitation(&self, lifetime: Duration) -> Result<String, StoreError> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random)
            .map_err(|_| crypto_error(crypto::CryptoError("the system random source failed")))?;
        let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let code = hex
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        let hash = invitation_hash(&code);
        let seconds = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX).max(1);
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_plain()?;
        tx.execute("DELETE FROM invitations WHERE expires_at <= now()", &[])?;
        tx.execute(
            "INSERT INTO invitations (code_hash, expires_at) VALUES ($1, now() + make_interval(secs => $2))",
            &[(&hash, Type::BYTEA), (&(seconds as f64), Type::FLOAT8)],
        )?;
        tx.commit()?;
        Ok(code)
    }

    /// Whether `code` is an invitation that can still be used (checked before the Argon2id work
    /// of a sign-up; the sign-up itself spends it).
    pub fn invitation_valid(&self, code: &str) -> Result<bool, StoreError> {
        let hash = invitation_hash(code);
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_plain()?;
        let row = tx.query_opt(
            "SELECT 1 FROM invitations WHERE code_hash = $1 AND expires_at > now()",
            &[(&hash, Type::BYTEA)],
        )?;
        tx.commit()?;
        Ok(row.is_some())
    }

    /// The store of a signed-in account.
    pub fn store_for(&self, session: &AccountSession) -> PgStore {
        PgStore { pool: self.pool.clone(), account: session.id.0, keys: Arc::clone(&session.keys) }
    }

    /// The account `username` names, or, when none does, the same Argon2id work on a decoy and
    /// [`AccountError::WrongCredentials`].
    fn unlock_target(
        &self,
        username: &str,
        passphrase: &Passphrase,
    ) -> Result<(AccountId, String, KeyFile), AccountError> {
        match self.lookup(username)? {
            Some(found) => Ok(found),
            None => {
                let decoy = match self.decoy.get() {
                    Some(d) => d,
                    None => {
                        let (file, _, _) =
                            KeyFile::create(&Passphrase::new(String::from("decoy")), self.kdf)?;
                        self.decoy.get_or_init(|| file)
                    }
                };
                let _ = decoy.unlock(passphrase);
                Err(AccountError::WrongCredentials)
            }
        }
    }

    /// The account with this username, read with only `thaw.username` set (the one policy that
    /// admits a row before the account is known). The connection goes back to the pool before
    /// any Argon2id work.
    fn lookup(&self, username: &str) -> Result<Option<(AccountId, String, KeyFile)>, AccountError> {
        let Ok(username) = canonical_username(username) else {
            return Ok(None);
        };
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_plain()?;
        tx.execute("SELECT set_config('thaw.username', $1, true)", &[(&username, Type::TEXT)])?;
        let row = tx
            .query_opt("SELECT id, key_file FROM accounts WHERE username = $1", &[(&username, Type::TEXT)])?;
        tx.commit()?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: Uuid = row.try_get(0)?;
        let json: String = row.try_get(1)?;
        Ok(Some((AccountId(id), username, KeyFile::from_json(&json)?)))
    }

    /// Swaps the key file, unless someone changed it meanwhile (then [`StoreError::Busy`]).
    fn replace_key_file(&self, id: AccountId, old: &KeyFile, new: &KeyFile) -> Result<(), AccountError> {
        let (old, new) = (old.to_json()?, new.to_json()?);
        let mut conn = self.pool.get().map_err(pool_error)?;
        let mut tx = conn.begin_for(id.0)?;
        let changed = tx.execute(
            "UPDATE accounts SET key_file = $3 WHERE id = $1 AND key_file = $2",
            &[(&id.0, Type::UUID), (&old, Type::TEXT), (&new, Type::TEXT)],
        )?;
        tx.commit()?;
        if changed == 1 { Ok(()) } else { Err(StoreError::Busy.into()) }
    }
}

fn session(id: AccountId, username: String, data_key: &DataKey) -> Result<AccountSession, AccountError> {
    let keys = Keys::derive(data_key).map_err(crypto_error)?;
    Ok(AccountSession { id, username, keys: Arc::new(keys) })
}

fn too_new(found: i32) -> StoreError {
    StoreError::TooNew { found: u32::try_from(found).unwrap_or(u32::MAX), supported: schema_latest() }
}

fn not_migrated(found: i32) -> StoreError {
    StoreError::Backend(format!(
        "the database schema is at version {found} and this Thaw needs {}; run the migrations as the \
         schema's owner first (docs/HOSTED.md)",
        schema::latest()
    ))
}

/// Lowercase, Unicode NFC, trimmed; 2 to 64 characters of letters, digits and `. _ - @ +`.
pub fn canonical_username(input: &str) -> Result<String, AccountError> {
    let name: String = input.trim().nfc().collect::<String>().to_lowercase();
    let ok = (2..=64).contains(&name.chars().count())
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'));
    if ok { Ok(name) } else { Err(AccountError::BadUsername) }
}

/// SHA-256 of an invitation code as typed: case, spaces and dashes don't matter.
fn invitation_hash(code: &str) -> Vec<u8> {
    use sha2::Digest;
    let plain: String =
        code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect();
    sha2::Sha256::digest(plain.as_bytes()).to_vec()
}

/// The same rule as the local vault's (`thaw-vault`'s one rule for new passphrases).
fn check_passphrase(p: &Passphrase) -> Result<(), AccountError> {
    p.check_new().map_err(|_| AccountError::WeakPassphrase)
}
