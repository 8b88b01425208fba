//! Questions on the terminal. Every one has a flag or stdin equivalent for scripts.
//!
//! They forgive: a typed answer that doesn't fit is explained and asked again (the answers before
//! it stay), a yes/no question waits for Enter, and a new passphrase is checked against the rules
//! before it is asked for a second time.

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

/// What is wrong with `text` as a new passphrase (Thaw's one rule, in `thaw-vault`), in the
/// terminal's words, or `None` when it will do.
pub fn new_passphrase_problem(text: &str) -> Option<String> {
    thaw_vault::check_new_passphrase(text).err().map(|_| {
        format!(
            "Please choose a passphrase of at least {} characters. A few ordinary words in a row work well.",
            thaw_vault::MIN_PASSPHRASE_CHARS
        )
    })
}

pub fn secret(label: &str) -> Result<Passphrase> {
    let text = Password::with_theme(&theme())
        .with_prompt(label)
        .interact()
        .context("couldn't read the passphrase")?;
    Ok(Passphrase::new(text))
}

/// A new passphrase: asked again until it meets the rules, then once more to be sure.
pub fn new_secret() -> Result<Passphrase> {
    let text = Password::with_theme(&theme())
        .with_prompt("New passphrase")
        .validate_with(|p: &String| -> Result<(), String> {
            match new_passphrase_problem(p) {
                Some(problem) => Err(problem),
                None => Ok(()),
            }
        })
        .with_confirmation("Once more, to be sure", "Those didn't match. Let's try again.")
        .interact()
        .context("couldn't read the passphrase")?;
    Ok(Passphrase::new(text))
}

/// A yes/no question. `y` or `n` is shown and Enter answers, so the natural "y, Enter" never
/// spills into the next question; Enter alone gives `default`.
pub fn confirm(question: &str, default: bool) -> Result<bool> {
    Ok(Confirm::with_theme(&theme())
        .with_prompt(question)
        .default(default)
        .wait_for_newline(true)
        .interact()?)
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

/// A typed answer read by `parse`: one that doesn't fit shows `parse`'s words and is asked again.
/// Empty is passed to `parse` too (it decides whether skipping is fine).
pub fn parsed<T, E: std::fmt::Display>(question: &str, parse: impl Fn(&str) -> Result<T, E>) -> Result<T> {
    let answer = Input::<String>::with_theme(&theme())
        .with_prompt(question)
        .allow_empty(true)
        .validate_with(|input: &String| -> Result<(), String> {
            parse(input).map(|_| ()).map_err(|e| e.to_string())
        })
        .interact_text()?;
    parse(&answer).map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_passphrase_needs_eight_characters() {
        assert!(new_passphrase_problem("short").is_some());
        assert!(new_passphrase_problem("").is_some());
        assert_eq!(new_passphrase_problem("eight ch"), None);
        assert_eq!(new_passphrase_problem("ünïcödé!"), None, "characters, not bytes");
    }
}
