//! `thaw safety`: the safety plan for hard moments, kept encrypted in the vault.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use thaw_core::safety::SafetyPlan;
use thaw_core::safety::plan::SECTIONS;
use thaw_store::Store;

use super::Ctx;
use crate::cli::SafetyCmd;
use crate::resources;
use crate::{editor, exit, output, prompt};

pub fn run(ctx: &Ctx, cmd: SafetyCmd) -> Result<()> {
    match cmd {
        SafetyCmd::Set { file } => set(ctx, &file),
        SafetyCmd::Show => show(ctx),
        SafetyCmd::Edit => edit(ctx),
    }
}

fn read_file(path: &Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .context("couldn't read the plan from standard input")?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .map_err(|e| exit::bad_input(format!("Couldn't read {}: {e}. Nothing was changed.", path.display())))
}

fn parse(text: &str) -> Result<SafetyPlan> {
    SafetyPlan::from_toml(text).map_err(|e| exit::bad_input(format!("{e} Nothing was changed.")))
}

fn save(ctx: &Ctx, store: &dyn Store, plan: &SafetyPlan) -> Result<()> {
    thaw_app::settings::set::<thaw_app::settings::Plan>(store, plan)?;
    if ctx.json {
        return output::json(plan);
    }
    println!("Saved your safety plan. `thaw safety show` shows it, and `thaw crisis` is always there too.");
    Ok(())
}

fn set(ctx: &Ctx, file: &Path) -> Result<()> {
    // Check the file before touching the vault: a mistake changes nothing.
    let plan = parse(&read_file(file)?)?;
    let store = ctx.open()?;
    save(ctx, store.as_ref(), &plan)
}

fn show(ctx: &Ctx) -> Result<()> {
    let store = ctx.open()?;
    let plan = resources::plan(store.as_ref())?.unwrap_or_default();
    if ctx.json {
        return output::json(&plan);
    }
    if plan.is_empty() {
        println!(
            "You haven't written a safety plan yet. `thaw safety edit` opens one in your editor, with a few words \
             about each part; or write a file and run `thaw safety set --file plan.toml`."
        );
        return Ok(());
    }
    println!("Your safety plan\n");
    for s in SECTIONS {
        println!("{}", s.title);
        let entries = plan.section(s.key);
        if entries.is_empty() {
            println!("  (nothing here yet)");
        }
        for e in entries {
            println!("  \u{2022} {}", crate::terminal::clean(e).replace('\n', "\n    "));
        }
        println!();
    }
    println!("If things get too much, `thaw crisis` shows who you can call right now.");
    Ok(())
}

fn edit(ctx: &Ctx) -> Result<()> {
    let store = ctx.open()?;
    let current = resources::plan(store.as_ref())?.unwrap_or_default();
    let mut text = current.to_toml();
    let plan = loop {
        text = editor::edit(&text)?;
        match SafetyPlan::from_toml(&text) {
            Ok(plan) => break plan,
            Err(e) if prompt::interactive() => {
                eprintln!("{e}");
                if !prompt::confirm("Open the editor again to fix it?", true)? {
                    return Err(exit::bad_input("Nothing was changed."));
                }
            }
            Err(e) => return Err(exit::bad_input(format!("{e} Nothing was changed."))),
        }
    };
    if plan == current {
        println!("No changes.");
        return Ok(());
    }
    save(ctx, store.as_ref(), &plan)
}
