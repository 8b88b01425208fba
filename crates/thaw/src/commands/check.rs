//! `thaw check`: is the vault healthy? Owner-only permissions, key file, decryption, SQLite's
//! integrity check, the search index and every record, with a plain verdict and what to do if
//! something is wrong. `--fix` sets loosened permissions back.

use anyhow::Result;
use serde::Serialize;

use super::Ctx;
use crate::cli::CheckArgs;
use crate::exit::{self, fail};
use crate::{output, session};

#[derive(Serialize)]
struct Report {
    healthy: bool,
    schema_version: u32,
    records: u64,
    problems: Vec<String>,
    /// Files or the folder readable by others than you (after `--fix`: the ones set back).
    loose_permissions: Vec<Loose>,
    fixed: bool,
}

#[derive(Serialize)]
struct Loose {
    path: String,
    mode: String,
    wanted: String,
}

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let say = |line: &str| {
        if !ctx.json {
            println!("  ✓ {line}");
        }
    };
    if !ctx.json {
        println!("Checking your vault at {}", ctx.vault.root().display());
    }
    let loose = if args.fix { ctx.vault.fix_permissions()? } else { ctx.vault.loose_permissions()? };
    let loose: Vec<Loose> = loose
        .iter()
        .map(|p| Loose {
            path: p.path.display().to_string(),
            mode: format!("{:04o}", p.mode),
            wanted: format!("{:04o}", p.wanted),
        })
        .collect();
    if loose.is_empty() {
        say("only you can read the vault's files");
    } else if !ctx.json {
        for l in &loose {
            let verb = if args.fix { "was" } else { "is" };
            println!(
                "  ! {} {verb} readable by others (mode {}; Thaw keeps it {})",
                l.path, l.mode, l.wanted
            );
        }
        if args.fix {
            println!("  ✓ set back to owner-only");
        }
    }
    let keyfile = ctx.vault.load_keyfile().map_err(damaged)?;
    say("key file readable");
    let key = session::unlock_key(&ctx.vault, &keyfile)?;
    say("unlocked");
    let store = ctx.vault.open(&key).map_err(damaged)?;
    let schema_version = store.schema_version()?;
    say(&format!("database decrypts (schema version {schema_version})"));
    let mut problems = store.integrity_check().map_err(damaged)?;
    if problems.is_empty() {
        say("integrity check and search index");
    }
    let (records, unreadable) = store.verify_records().map_err(damaged)?;
    problems.extend(unreadable.iter().map(|id| format!("record {id} can't be read")));
    if unreadable.is_empty() {
        say(&format!("all {records} records readable"));
    }
    let permissions_ok = loose.is_empty() || args.fix;
    let healthy = problems.is_empty() && permissions_ok;
    if ctx.json {
        output::json(&Report {
            healthy,
            schema_version,
            records,
            problems: problems.clone(),
            loose_permissions: loose,
            fixed: args.fix,
        })?;
    } else if healthy {
        println!("Your vault is healthy.");
    }
    if !problems.is_empty() {
        return Err(fail(exit::DAMAGED, advice(&problems.join("; "))));
    }
    if !permissions_ok {
        return Err(fail(
            exit::FAILED,
            "Your data is intact, but other people on this computer may be able to read the vault's files. \
             Run `thaw check --fix` to make them yours only, and check who else had access.",
        ));
    }
    Ok(())
}

fn advice(detail: &str) -> String {
    format!(
        "The integrity check found damage in your vault: {detail}.\nNothing was changed. Keep this folder as it \
         is, and restore your latest backup into a new folder: thaw restore FILE --vault NEW_FOLDER."
    )
}

/// Any failure to read the key file or the database during a check means damage, said plainly.
fn damaged(err: impl Into<anyhow::Error>) -> anyhow::Error {
    let err = err.into();
    match exit::code_of(&err) {
        exit::WRONG_SECRET | exit::TOO_NEW | exit::LOCKED => err,
        _ => fail(exit::DAMAGED, advice(&err.to_string())),
    }
}
