//! `thaw backup` and `thaw restore`: the complete export inside an age file protected by a
//! backup passphrase; restoring makes a new vault with the same content and new recovery words.

use std::fs;
use std::io::IsTerminal;

use anyhow::{Context as _, Result};
use thaw_io::backup::{read_backup, write_backup};
use thaw_io::{BackupError, ExportMeta, SecretString, ThawExport};
use thaw_store::VaultDir;
use thaw_vault::{KdfParams, Passphrase};

use super::Ctx;
use super::export::{check_target, plural, write_atomically};
use crate::cli::{BackupArgs, RestoreArgs};
use crate::exit::{self, fail};
use crate::output;
use crate::session::{self, PASSPHRASE_ENV};

use crate::session::BACKUP_PASSPHRASE_ENV;

pub fn backup(ctx: &Ctx, args: &BackupArgs) -> Result<()> {
    check_target(&args.output, args.force)?;
    let store = ctx.open()?;
    let pass = backup_passphrase(true)?;
    let meta = ExportMeta { exported_at: ctx.clock.now, app_version: env!("CARGO_PKG_VERSION").to_owned() };
    let export = ThawExport::from_store(store.as_ref(), &meta)?;
    let secret = SecretString::from(pass.dangerously_expose().to_owned());
    drop(pass);
    write_atomically(&args.output, args.force, |w| {
        write_backup(&export, secret, None, w)?;
        Ok(())
    })?;
    let n = export.records.len();
    if ctx.json {
        return output::json(&serde_json::json!({ "path": args.output.display().to_string(), "records": n }));
    }
    println!(
        "Backed up {n} {} to {}, encrypted with your backup passphrase.",
        plural(n, "record", "records"),
        args.output.display()
    );
    println!(
        "Keep that passphrase safe: without it the backup can't be opened. `thaw restore` makes a new vault from it."
    );
    Ok(())
}

pub fn restore(ctx: &Ctx, args: &RestoreArgs) -> Result<()> {
    let root = ctx.vault.root();
    let empty_dir = root.is_dir() && fs::read_dir(root).map(|mut d| d.next().is_none()).unwrap_or(false);
    if ctx.vault.exists() || (root.exists() && !empty_dir) {
        return Err(exit::bad_input(format!(
            "There's already {} at {}. Restore only makes a new vault, so nothing was changed. Choose a new \
             folder with --vault DIR (or THAW_VAULT).",
            if ctx.vault.exists() { "a vault" } else { "something" },
            root.display()
        )));
    }
    let file = fs::File::open(&args.file).map_err(|e| {
        exit::bad_input(format!("Can't read {}: {e}. Nothing was changed.", args.file.display()))
    })?;
    let pass = backup_passphrase(false)?;
    let secret = SecretString::from(pass.dangerously_expose().to_owned());
    drop(pass);
    let export = read_backup(std::io::BufReader::new(file), secret).map_err(|e| match e {
        BackupError::WrongPassphrase => fail(exit::WRONG_SECRET, e.to_string()),
        BackupError::Io(_) | BackupError::Store(_) | BackupError::Export(_) => anyhow::Error::new(e),
        _ => exit::bad_input(format!("{}: {e}", args.file.display())),
    })?;
    let expected = export.records.len();
    let plan = thaw_io::import::thaw::plan_of(export)
        .map_err(|e| exit::bad_input(format!("{}: {e}", args.file.display())))?;
    if !ctx.json {
        eprintln!(
            "The backup opened: {expected} {}. Now choose a passphrase for the new vault in {}.",
            plural(expected, "record", "records"),
            root.display()
        );
    }
    let new_pass = session::new_passphrase(PASSPHRASE_ENV)?;
    let root_existed = root.exists();
    let (store, recovery) = ctx.vault.create(&new_pass, KdfParams::default())?;
    let report = match thaw_io::apply(&store, plan) {
        Ok(report) => report,
        Err(e) => {
            drop(store);
            remove_new_vault(&ctx.vault, root_existed);
            return Err(
                anyhow::Error::new(e).context("The restore failed, so the new vault was removed again")
            );
        }
    };
    let restored = report.total();
    let words = recovery.dangerously_expose_words();
    if ctx.json {
        return output::json(&serde_json::json!({ "recovery_key": words.as_str(), "records": restored }));
    }
    println!("Your vault is restored: {restored} {}.\n", plural(restored, "record", "records"));
    println!("It has new recovery words. They are the only way back in if you forget your passphrase.");
    println!("Write them down and keep them somewhere safe. Thaw shows them only this once.\n");
    for (i, chunk) in words.split_whitespace().collect::<Vec<_>>().chunks(6).enumerate() {
        let line: Vec<String> =
            chunk.iter().enumerate().map(|(j, w)| format!("{:>2}. {w:<10}", i * 6 + j + 1)).collect();
        println!("  {}", line.join(" "));
    }
    Ok(())
}

/// The backup passphrase: THAW_BACKUP_PASSPHRASE, or asked on the terminal (twice for a new
/// backup).
fn backup_passphrase(new: bool) -> Result<Passphrase> {
    if let Some(pass) = session::env_secret(BACKUP_PASSPHRASE_ENV) {
        check_length(&pass, new)?;
        return Ok(pass);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(exit::bad_input(format!(
            "No backup passphrase given. Run this in a terminal, or set {BACKUP_PASSPHRASE_ENV} for automation."
        )));
    }
    let theme = dialoguer::theme::ColorfulTheme::default();
    let mut prompt = dialoguer::Password::with_theme(&theme);
    if new {
        prompt = prompt
            .with_prompt("A passphrase for this backup")
            .with_confirmation("Once more, to be sure", "Those didn't match. Let's try again.");
    } else {
        prompt = prompt.with_prompt("The backup's passphrase");
    }
    let pass = Passphrase::new(prompt.interact().context("couldn't read the passphrase")?);
    check_length(&pass, new)?;
    Ok(pass)
}

fn check_length(pass: &Passphrase, new: bool) -> Result<()> {
    if new && pass.check_new().is_err() {
        return Err(exit::bad_input(format!(
            "Please choose a backup passphrase of at least {} characters. A few ordinary words in a row work well.",
            thaw_vault::MIN_PASSPHRASE_CHARS
        )));
    }
    Ok(())
}

/// Removes what a failed restore created, leaving the place as it was.
fn remove_new_vault(vault: &VaultDir, root_existed: bool) {
    let db = vault.db_path();
    let mut files = vec![vault.key_path(), db.clone()];
    for suffix in ["-wal", "-shm"] {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        files.push(name.into());
    }
    for f in files {
        let _ = fs::remove_file(f);
    }
    if !root_existed {
        let _ = fs::remove_dir(vault.root());
    }
}
