//! Questions on the terminal. Every one has a flag or stdin equivalent for scripts.

use std::io::IsTerminal;

use anyhow::{Context, Result};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};
use thaw_vault::Passphrase;

/// Whether we can ask questions: standard input and error are a terminal.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn theme() -> ColorfulTheme {
    ColorfulTheme::default()
}

pub fn secret(label: &str) -> Result<Passphrase> {
    let text = Password::with_theme(&theme())
        .with_prompt(label)
        .interact()
        .context("couldn't read the passphrase")?;
    Ok(Passphrase::new(text))
}

pub fn new_secret() -> Result<Passphrase> {
    let text = Password::with_theme(&theme())
        .with_prompt("New passphrase")
        .with_confirmation("Once more, to be sure", "Those didn't match. Let's try again.")
        .interact()
        .context("couldn't read the passphrase")?;
    Ok(Passphrase::new(text))
}

pub fn confirm(question: &str, default: bool) -> Result<bool> {
    Ok(Confirm::with_theme(&theme()).with_prompt(question).default(default).interact()?)
}

pub fn select(question: &str, items: &[String], default: usize) -> Result<usize> {
    Ok(Select::with_theme(&theme()).with_prompt(question).items(items).default(default).interact()?)
}

pub fn multi_select(question: &str, items: &[String]) -> Result<Vec<usize>> {
    Ok(MultiSelect::with_theme(&theme()).with_prompt(question).items(items).interact()?)
}

/// Free text; empty is allowed.
pub fn text(question: &str) -> Result<String> {
    Ok(Input::<String>::with_theme(&theme()).with_prompt(question).allow_empty(true).interact_text()?)
}
