//! `thaw suggest`: up to five feeling words that might fit what someone wrote, from the vocabulary
//! and their own words, ranked by meaning on this computer (the on-device model). Offered, never
//! imposed: the person decides whether any of them fit.

use std::io::{IsTerminal, Read};

use anyhow::{Context, Result};
use serde::Serialize;
use thaw_core::Vocabulary;

use super::Ctx;
use crate::cli::SuggestArgs;
use crate::{exit, output, terminal};

/// The question above the words: an offer, never "you feel".
pub const OFFER: &str =
    "Might any of these words fit? Only you can tell; none of them may, and that's fine too.";

/// One word as `--json` prints it.
#[derive(Debug, Serialize)]
struct Word<'a> {
    word: &'a str,
    score: f64,
}

pub fn run(ctx: &Ctx, args: &SuggestArgs) -> Result<()> {
    let text = if args.text.is_empty() {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(exit::bad_input(
                "Give the text after the command (thaw suggest \"…\"), or pipe it in: echo \"…\" | thaw suggest",
            ));
        }
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text).context("couldn't read the text from standard input")?;
        text
    } else {
        args.text.join(" ")
    };
    if !text.chars().any(char::is_alphabetic) {
        return Err(exit::bad_input(
            "There's nothing to find words for yet. Write a sentence or two about how things are.",
        ));
    }
    let store = ctx.open()?;
    let vocab = thaw_app::vocabulary(store.as_ref())?;
    let personal =
        thaw_app::settings::get::<thaw_app::settings::PersonalWords>(store.as_ref())?.unwrap_or_default();
    let words = ctx.understanding.suggest(&text, &personal).map_err(|e| {
        exit::fail(exit::FAILED, format!("Words can't be suggested here. {}", capitalised(&e.to_string())))
    })?;
    if ctx.json {
        let out: Vec<Word> = words.iter().map(|w| Word { word: &w.word, score: rounded(w.score) }).collect();
        return output::json(&out);
    }
    print_offer(&words, &vocab);
    Ok(())
}

/// The words with their meanings, under the gentle question.
pub fn print_offer(words: &[thaw_embed::Suggestion], vocab: &Vocabulary) {
    if words.is_empty() {
        println!("No words came up this time. That's all right: not finding the word is part of this.");
        return;
    }
    for line in offer_lines(words, vocab) {
        println!("{line}");
    }
}

/// Each word with its meaning, aligned, under [`OFFER`].
pub fn offer_lines(words: &[thaw_embed::Suggestion], vocab: &Vocabulary) -> Vec<String> {
    let mut out = thaw_core::wrap::wrap_indented(OFFER, terminal::width(), "", "");
    out.extend(words.iter().map(|w| labelled(&w.word, vocab)).map(|l| format!("  {l}")));
    out
}

/// "numb             Feeling little or nothing …".
pub fn labelled(word: &str, vocab: &Vocabulary) -> String {
    let meaning = vocab.lookup(word).map(|e| e.meaning.as_str()).unwrap_or("");
    terminal::clean(&format!("{word:<16} {meaning}")).trim_end().to_owned()
}

fn rounded(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), c.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}
