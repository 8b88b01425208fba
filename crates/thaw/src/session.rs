//! Finding the vault and unlocking it: from the unlock cache, from THAW_PASSPHRASE, or by asking.

use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::Result;
use thaw_store::{OpenStore, Settled, SqliteStore, Store, StoreError, VaultDir};
use thaw_vault::cache::UnlockCache;
use thaw_vault::{DataKey, KeyFile, Passphrase};
use zeroize::Zeroizing;

use crate::exit::{self, fail};
use crate::prompt;

pub const PASSPHRASE_ENV: &str = "THAW_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "THAW_NEW_PASSPHRASE";
pub const BACKUP_PASSPHRASE_ENV: &str = "THAW_BACKUP_PASSPHRASE";
/// `thaw host`: the PostgreSQL URL of the server's role, and of the schema's owner (migrations).
pub const DATABASE_URL_ENV: &str = "THAW_DATABASE_URL";
pub const OWNER_DATABASE_URL_ENV: &str = "THAW_OWNER_DATABASE_URL";
/// The hosted account's passphrase for `thaw sync`.
pub const SYNC_PASSPHRASE_ENV: &str = "THAW_SYNC_PASSPHRASE";
/// A `thaw serve` launch token, to sync with a local web app instead of an account (tests).
pub const SYNC_TOKEN_ENV: &str = "THAW_SYNC_TOKEN";

/// Every secret Thaw reads from its environment. `main` takes them out of the environment at
/// start-up (see [`remember_env_secrets`]), so no child process inherits them.
pub const SECRET_ENV: [&str; 7] = [
    PASSPHRASE_ENV,
    NEW_PASSPHRASE_ENV,
    BACKUP_PASSPHRASE_ENV,
    DATABASE_URL_ENV,
    OWNER_DATABASE_URL_ENV,
    SYNC_PASSPHRASE_ENV,
    SYNC_TOKEN_ENV,
];

/// The values of [`SECRET_ENV`] as they were at start-up.
static ENV_SECRETS: OnceLock<Vec<(&'static str, Zeroizing<String>)>> = OnceLock::new();

/// Reads the [`SECRET_ENV`] variables once, before `main` removes them from the environment.
pub fn remember_env_secrets() {
    let found = SECRET_ENV
        .iter()
        .filter_map(|&name| std::env::var(name).ok().map(|v| (name, Zeroizing::new(v))))
        .collect();
    let _ = ENV_SECRETS.set(found);
}

/// The vault folder: --vault, THAW_VAULT, or $XDG_DATA_HOME/thaw (~/.local/share/thaw).
pub fn vault_dir(flag: Option<PathBuf>) -> Result<VaultDir> {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(VaultDir::new(dir));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or_else(|| {
            exit::bad_input("Can't find your home folder. Choose a vault folder with --vault DIR.")
        })?;
    Ok(VaultDir::new(data.join("thaw")))
}

/// The passphrase from THAW_PASSPHRASE, or asked for on the terminal.
pub fn passphrase(prompt_text: &str) -> Result<Passphrase> {
    if let Some(p) = env_secret(PASSPHRASE_ENV) {
        return Ok(p);
    }
    if !prompt::interactive() {
        return Err(fail(
            exit::LOCKED,
            "Your vault is locked. Run `thaw unlock` in a terminal first, or set THAW_PASSPHRASE for automation.",
        ));
    }
    prompt::secret(prompt_text)
}

/// A new passphrase from `env`, or asked for twice on the terminal.
pub fn new_passphrase(env: &str) -> Result<Passphrase> {
    let p = match env_secret(env) {
        Some(p) => p,
        None if prompt::interactive() => prompt::new_secret()?,
        None => {
            return Err(exit::bad_input(format!(
                "No new passphrase given. Run this in a terminal, or set {env} for automation."
            )));
        }
    };
    check_new_passphrase(&p)?;
    Ok(p)
}

fn check_new_passphrase(p: &Passphrase) -> Result<()> {
    match prompt::new_passphrase_problem(p.dangerously_expose()) {
        Some(problem) => Err(exit::bad_input(problem)),
        None => Ok(()),
    }
}

/// A secret from the environment Thaw started with (read at start-up, since removed from it).
pub fn env_secret(name: &str) -> Option<Passphrase> {
    let value = match ENV_SECRETS.get() {
        Some(found) => found.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str().to_owned()),
        None => std::env::var(name).ok(),
    };
    value.filter(|v| !v.is_empty()).map(Passphrase::new)
}

/// Opens the vault: the cached key if a recent `thaw unlock` left one, otherwise the passphrase.
pub fn open(dir: &VaultDir) -> Result<Box<dyn Store>> {
    let keyfile = dir.load_keyfile()?;
    let key = unlock_key(dir, &keyfile)?;
    Ok(dir.open_store(&key)?)
}

/// The data key: from the cache when it matches this vault, else from the passphrase.
pub fn unlock_key(dir: &VaultDir, keyfile: &KeyFile) -> Result<DataKey> {
    let cache = UnlockCache::new(&dir.identity());
    if let Ok(Some(key)) = cache.fetch()
        && key.key_id() == keyfile.key_id()
    {
        return Ok(key);
    }
    let pass = passphrase("Passphrase")?;
    if let Some(settled) = dir.settle_interrupted_rekey(&pass)? {
        tell_settled(settled);
        return Ok(dir.load_keyfile()?.unlock(&pass)?);
    }
    Ok(keyfile.unlock(&pass)?)
}

/// After a `thaw rekey` that was interrupted, what happened to it.
fn tell_settled(settled: Settled) {
    match settled {
        Settled::Undone => eprintln!(
            "A key change (`thaw rekey`) was interrupted before it changed anything. Your vault is as it was, \
             and your recovery words still work. Run `thaw rekey` again if you want a new key."
        ),
        Settled::Finished => eprintln!(
            "Thaw finished a key change (`thaw rekey`) that was interrupted. Its new recovery words were never \
             shown, so please run `thaw recovery new` now to get words that work."
        ),
    }
}

/// Opens the vault only if that needs no question and no waiting for a person: the unlock cache
/// or THAW_PASSPHRASE. `None` when there is no vault, it is locked, or anything goes wrong, so
/// that callers such as `thaw crisis` can carry on without it.
pub fn open_quietly(dir: &VaultDir) -> Option<SqliteStore> {
    if !dir.exists() {
        return None;
    }
    let keyfile = dir.load_keyfile().ok()?;
    let cached =
        UnlockCache::new(&dir.identity()).fetch().ok().flatten().filter(|k| k.key_id() == keyfile.key_id());
    let key = match cached {
        Some(key) => key,
        None => keyfile.unlock(&env_secret(PASSPHRASE_ENV)?).ok()?,
    };
    dir.open(&key).ok()
}

/// A vault is needed; say how to make one if it isn't there.
pub fn require_vault(dir: &VaultDir) -> Result<()> {
    if !dir.exists() {
        return Err(StoreError::NoVault(dir.root().display().to_string()).into());
    }
    Ok(())
}

/// "Now", and the person's own time zone (TZ, or the system's).
pub use thaw_app::Clock;

/// The system clock in the person's time zone: the same zone as `jiff`'s `TimeZone::system()`,
/// found without listing the whole zoneinfo folder. When TZ is unset and /etc/localtime links into
/// a zoneinfo folder, jiff would list every zone name (about 40 folders) to look the link's name
/// up, only to read that same file; reading it directly under that name gives the same zone and
/// saves every command a fraction of a millisecond. Anything else is left to jiff.
pub fn system_clock() -> Clock {
    Clock::new(&system_time_zone())
}

fn system_time_zone() -> jiff::tz::TimeZone {
    const LOCALTIME: &str = "/etc/localtime";
    if std::env::var_os("TZ").is_none()
        && let Ok(target) = std::fs::read_link(LOCALTIME)
        && let Some(name) =
            target.to_str().and_then(|t| t.rfind("zoneinfo/").map(|i| &t[i + "zoneinfo/".len()..]))
        && !name.is_empty()
        && let Ok(data) = std::fs::read(LOCALTIME)
        && let Ok(tz) = jiff::tz::TimeZone::tzif(name, &data)
    {
        return tz;
    }
    jiff::tz::TimeZone::system()
}

/// The shipped vocabulary plus the person's own words.
pub fn vocabulary(store: &dyn Store) -> Result<thaw_core::Vocabulary> {
    Ok(thaw_app::vocabulary(store)?)
}
