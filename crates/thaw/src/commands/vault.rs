//! init, unlock, lock, passwd, recover, recovery new, rekey.

use std::time::Duration;

use anyhow::Result;
use thaw_core::safety::crisis::{iso_country, parse_country, unlisted_note};
use thaw_vault::cache::UnlockCache;
use thaw_vault::{KdfParams, KeyFile, RecoveryKey};

use super::Ctx;
use crate::cli::{InitArgs, RecoverArgs, UnlockArgs};
use crate::exit::{self, fail};
use crate::session::{self, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
use crate::{output, prompt, resources};

pub fn init(ctx: &Ctx, args: &InitArgs) -> Result<()> {
    if ctx.vault.exists() {
        return Err(exit::bad_input(format!(
            "There's already a vault at {}. Nothing was changed. To use another folder, pass --vault DIR.",
            ctx.vault.root().display()
        )));
    }
    // Checked before anything is created: a mistyped --country changes nothing.
    let flag_country = args
        .country
        .as_deref()
        .map(|c| parse_country(c).map_err(|e| exit::bad_input(e.to_string())))
        .transpose()?;
    if !ctx.json {
        eprintln!("Creating your vault in {}.", ctx.vault.root().display());
        eprintln!("Choose a passphrase. Everything you write is encrypted with it.");
    }
    let pass = session::new_passphrase(PASSPHRASE_ENV)?;
    let (store, recovery) = ctx.vault.create(&pass, KdfParams::default())?;
    if let Some(code) = &flag_country {
        thaw_app::settings::set::<thaw_app::settings::Country>(&store, code)?;
    }
    if ctx.json {
        let words = recovery.dangerously_expose_words();
        return output::json(&serde_json::json!({ "recovery_key": words.as_str(), "country": flag_country }));
    }
    println!("Your vault is ready.\n");
    show_words(ctx, &recovery)?;
    if flag_country.is_none() && prompt::interactive() {
        // Asked once, kindly, and never in the way: Enter accepts, "skip" (or an empty answer with
        // no locale to go on) leaves it unset, and `thaw config set country` changes it later.
        if let Some(code) = ask_country()? {
            thaw_app::settings::set::<thaw_app::settings::Country>(&store, &code)?;
        }
    }
    println!("\nWhen you're ready, try a first check-in: thaw checkin");
    Ok(())
}

/// Shows recovery words once: `{"recovery_key": …}` with --json, else numbered in rows of six.
fn show_words(ctx: &Ctx, recovery: &RecoveryKey) -> Result<()> {
    let words = recovery.dangerously_expose_words();
    if ctx.json {
        return output::json(&serde_json::json!({ "recovery_key": words.as_str() }));
    }
    println!("These 24 recovery words are the only way back in if you forget your passphrase.");
    println!("Write them down and keep them somewhere safe. Thaw shows them only this once.\n");
    for (i, chunk) in words.split_whitespace().collect::<Vec<_>>().chunks(6).enumerate() {
        let line: Vec<String> =
            chunk.iter().enumerate().map(|(j, w)| format!("{:>2}. {w:<10}", i * 6 + j + 1)).collect();
        println!("  {}", line.join(" "));
    }
    Ok(())
}

/// Asks which country the person lives in; `None` when they skip.
fn ask_country() -> Result<Option<String>> {
    let guess = resources::locale_country();
    eprintln!();
    eprintln!("One more thing, if you like: which country do you live in? Thaw uses it only to show");
    eprintln!("the right crisis lines, should you ever want them. It stays in your vault.");
    let question = match guess.as_deref().and_then(iso_country) {
        Some(c) => format!("Country (Enter for {} {}, or type \"skip\")", c.code, c.name),
        None => "Country: a code like GB or US, or its name (Enter to skip)".to_owned(),
    };
    for _ in 0..3 {
        let answer = prompt::text(&question)?;
        let answer = answer.trim();
        if answer.eq_ignore_ascii_case("skip") || (answer.is_empty() && guess.is_none()) {
            eprintln!("Skipped. You can set it any time: thaw config set country GB");
            return Ok(None);
        }
        match parse_country(if answer.is_empty() { guess.as_deref().unwrap_or_default() } else { answer }) {
            Ok(code) => {
                eprintln!("Saved: {code}.");
                if let Some(note) = unlisted_note(&code) {
                    eprintln!("{note}");
                }
                return Ok(Some(code));
            }
            Err(e) => eprintln!("{e}"),
        }
    }
    eprintln!("Let's leave it for now. You can set it any time: thaw config set country GB");
    Ok(None)
}

/// Parses "15m", "2h", "90" (minutes); between one minute and twelve hours.
fn parse_duration(input: &str) -> Result<Duration> {
    let text = input.trim().to_lowercase();
    let (num, unit) = match text.strip_suffix('h') {
        Some(n) => (n, 60),
        None => (text.strip_suffix("min").or_else(|| text.strip_suffix('m')).unwrap_or(&text), 1),
    };
    let minutes = num.trim().parse::<u64>().ok().map(|n| n * unit).filter(|m| (1..=12 * 60).contains(m));
    minutes.map(|m| Duration::from_secs(m * 60)).ok_or_else(|| {
        exit::bad_input(format!("\"{input}\" isn't a duration from 1m to 12h. Try 15m or 2h."))
    })
}

pub fn unlock(ctx: &Ctx, args: &UnlockArgs) -> Result<()> {
    let ttl = parse_duration(&args.duration)?;
    session::require_vault(&ctx.vault)?;
    let keyfile = ctx.vault.load_keyfile()?;
    let pass = session::passphrase("Passphrase")?;
    let key = keyfile.unlock(&pass)?;
    // Prove the key opens this database before remembering it.
    ctx.vault.open(&key)?;
    if !UnlockCache::is_available() {
        return Err(fail(
            exit::FAILED,
            "Your passphrase is right, but this system can't remember the unlock (the kernel keyring isn't \
             available here), so each command will ask for it.",
        ));
    }
    UnlockCache::new(&ctx.vault.identity()).store(&key, ttl)?;
    if !ctx.json {
        println!("Unlocked for {} minutes. `thaw lock` locks it sooner.", ttl.as_secs() / 60);
    }
    Ok(())
}

pub fn lock(ctx: &Ctx) -> Result<()> {
    UnlockCache::new(&ctx.vault.identity()).forget()?;
    if !ctx.json {
        println!("Locked. Your passphrase will be needed next time.");
    }
    Ok(())
}

pub fn passwd(ctx: &Ctx) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let keyfile = ctx.vault.load_keyfile()?;
    let current = session::passphrase("Current passphrase")?;
    let key = keyfile.unlock(&current)?;
    let new = session::new_passphrase(NEW_PASSPHRASE_ENV)?;
    let updated = keyfile.rewrap_passphrase(&key, &new, KdfParams::default())?;
    updated.save(&ctx.vault.key_path())?;
    if !ctx.json {
        println!("Your passphrase is changed. Your recovery words still work.");
    }
    Ok(())
}

pub fn recover(ctx: &Ctx, args: &RecoverArgs) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let keyfile = ctx.vault.load_keyfile()?;
    let words = match &args.recovery_key {
        Some(w) => {
            eprintln!(
                "Note: words given with --recovery-key can be read by other users of this computer while Thaw \
                 runs, and stay in your shell history. Next time, type them when asked, or pipe them in \
                 (thaw recover < words.txt)."
            );
            zeroize::Zeroizing::new(w.clone())
        }
        None if crate::prompt::interactive() => zeroize::Zeroizing::new(
            crate::prompt::secret("Your 24 recovery words")?.dangerously_expose().to_owned(),
        ),
        None => words_from_stdin()?,
    };
    let recovery = RecoveryKey::parse(&words)?;
    let key = keyfile.recover(&recovery)?;
    ctx.vault.open(&key)?;
    let new = session::new_passphrase(NEW_PASSPHRASE_ENV)?;
    let updated = keyfile.rewrap_passphrase(&key, &new, KdfParams::default())?;
    updated.save(&ctx.vault.key_path())?;
    if !ctx.json {
        println!("You're back in. Your new passphrase is set, and the same recovery words still work.");
    }
    Ok(())
}

/// The recovery words piped in on standard input (never in the arguments).
fn words_from_stdin() -> Result<zeroize::Zeroizing<String>> {
    use std::io::Read;
    let mut text = zeroize::Zeroizing::new(String::with_capacity(1024));
    // 24 words are a few hundred bytes; read a little more so an over-long input is noticed.
    std::io::stdin().take(4096).read_to_string(&mut text).map_err(|_| {
        exit::bad_input("Couldn't read the recovery words from standard input (are they plain text?).")
    })?;
    if text.trim().is_empty() {
        return Err(exit::bad_input(
            "No recovery words given. Run `thaw recover` in a terminal to type them, or pipe them in: \
             thaw recover < words.txt",
        ));
    }
    Ok(text)
}

/// `thaw recovery new`: fresh recovery words for the same data key; the old words stop opening
/// this key file.
pub fn recovery_new(ctx: &Ctx) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let keyfile = ctx.vault.load_keyfile()?;
    let key = session::unlock_key(&ctx.vault, &keyfile)?;
    let keyfile = ctx.vault.load_keyfile()?;
    let (updated, recovery) = keyfile.rewrap_recovery(&key)?;
    updated.save(&ctx.vault.key_path())?;
    if !ctx.json {
        println!("You have new recovery words. The old ones no longer open your vault.\n");
    }
    show_words(ctx, &recovery)?;
    if !ctx.json {
        println!(
            "\nA copy of your old vault.key (in an old backup of the folder) still opens with the old words. \
             `thaw rekey` makes such copies useless."
        );
    }
    Ok(())
}

/// `thaw rekey`: a new data key for the vault, the database re-encrypted under it, new recovery
/// words. Crash-safe: see [`thaw_store::VaultDir::rekey`].
pub fn rekey(ctx: &Ctx) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let pass = session::passphrase("Passphrase")?;
    ctx.vault.settle_interrupted_rekey(&pass)?;
    let keyfile = ctx.vault.load_keyfile()?;
    let old_key = keyfile.unlock(&pass)?;
    let store = ctx.vault.open(&old_key)?;
    drop(old_key);
    // The cached key is about to stop working; forget it first.
    UnlockCache::new(&ctx.vault.identity()).forget()?;
    let (next, new_key, recovery) = KeyFile::create(&pass, KdfParams::default())?;
    let next = match keyfile.created_at() {
        Some(at) => next.with_created_at(at),
        None => next,
    };
    if !ctx.json {
        eprintln!("Re-encrypting your vault with a new key. Please let it finish.");
    }
    ctx.vault.rekey(&store, &next, &new_key)?;
    drop(store);
    if !ctx.json {
        println!(
            "Your vault has a new key. Old copies of vault.key and your old recovery words open nothing now.\n"
        );
    }
    show_words(ctx, &recovery)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("15m").unwrap().as_secs(), 900);
        assert_eq!(parse_duration("2h").unwrap().as_secs(), 7200);
        assert_eq!(parse_duration("30").unwrap().as_secs(), 1800);
        assert!(parse_duration("0m").is_err());
        assert!(parse_duration("13h").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
