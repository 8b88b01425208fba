//! Unlock cache against the real kernel keyring.
//!
//! The cross-process test re-runs this test binary as a child process (a separate process, as a
//! later `thaw` command would be) and has it fetch the key the parent stored. When the keyring
//! is not available (containers that block `keyctl`), the tests say so and return.

use std::process::Command;
use std::time::Duration;

use thaw_vault::DataKey;
use thaw_vault::VaultError;
use thaw_vault::cache::UnlockCache;

const CHILD_ENV: &str = "THAW_VAULT_CACHE_CHILD_IDENTITY";

fn unique_identity(tag: &str) -> Result<String, VaultError> {
    // A random key_id makes a handy unique string.
    Ok(format!("/test/{tag}/{}/{}", std::process::id(), DataKey::generate()?.key_id()))
}

fn available() -> bool {
    let ok = UnlockCache::is_available();
    if !ok {
        eprintln!("kernel keyring not available here; skipping unlock cache test");
    }
    ok
}

#[test]
fn description_is_hashed_and_stable() {
    let a = UnlockCache::new("/home/someone/.local/share/thaw");
    assert_eq!(a, UnlockCache::new("/home/someone/.local/share/thaw"));
    assert_ne!(a, UnlockCache::new("/home/other/.local/share/thaw"));
    let d = a.description();
    assert!(d.starts_with("thaw:"));
    assert_eq!(d.len(), 5 + 16);
    assert!(!d.contains("someone"));
}

#[test]
fn store_fetch_forget() -> Result<(), VaultError> {
    if !available() {
        return Ok(());
    }
    let cache = UnlockCache::new(&unique_identity("sff")?);
    assert!(cache.fetch()?.is_none());
    let key = DataKey::generate()?;
    cache.store(&key, Duration::from_secs(60))?;
    let fetched = cache.fetch()?.map(|k| k.key_id());
    assert_eq!(fetched, Some(key.key_id()));

    // Storing again replaces the entry.
    let newer = DataKey::generate()?;
    cache.store(&newer, Duration::from_secs(60))?;
    assert_eq!(cache.fetch()?.map(|k| k.key_id()), Some(newer.key_id()));

    cache.forget()?;
    assert!(cache.fetch()?.is_none());
    cache.forget()?; // idempotent
    Ok(())
}

#[test]
fn entries_expire_and_zero_ttl_means_no_cache() -> Result<(), VaultError> {
    if !available() {
        return Ok(());
    }
    let cache = UnlockCache::new(&unique_identity("ttl")?);
    let key = DataKey::generate()?;
    cache.store(&key, Duration::from_millis(200))?; // rounded up to 1 s
    assert!(cache.fetch()?.is_some());
    std::thread::sleep(Duration::from_millis(2100));
    assert!(cache.fetch()?.is_none(), "entry should have expired");

    cache.store(&key, Duration::from_secs(60))?;
    cache.store(&key, Duration::ZERO)?;
    assert!(cache.fetch()?.is_none());
    Ok(())
}

#[test]
fn another_process_sees_the_cached_key() -> Result<(), Box<dyn std::error::Error>> {
    if !available() {
        return Ok(());
    }
    let identity = unique_identity("xproc")?;
    let cache = UnlockCache::new(&identity);
    let key = DataKey::generate()?;
    cache.store(&key, Duration::from_secs(60))?;

    let output = Command::new(std::env::current_exe()?)
        .args(["cache::child_fetches_key", "--exact", "--ignored", "--nocapture"])
        .env(CHILD_ENV, &identity)
        .output()?;
    cache.forget()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed: {stdout}");
    assert!(
        stdout.contains(&format!("CHILD_KEY_ID={}", key.key_id())),
        "child did not see the key: {stdout}"
    );
    Ok(())
}

/// Run only as the child of `another_process_sees_the_cached_key`.
#[test]
#[ignore = "helper run in a child process by another_process_sees_the_cached_key"]
fn child_fetches_key() -> Result<(), VaultError> {
    let Ok(identity) = std::env::var(CHILD_ENV) else {
        return Ok(());
    };
    match UnlockCache::new(&identity).fetch()? {
        Some(key) => println!("CHILD_KEY_ID={}", key.key_id()),
        None => println!("CHILD_KEY_ID=none"),
    }
    Ok(())
}
