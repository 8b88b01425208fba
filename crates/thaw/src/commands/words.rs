//! `thaw words`: the feelings vocabulary, and words of your own.

use anyhow::Result;
use thaw_core::vocab::{Emotion, Family, check_emotion};
use thaw_store::Store;

use super::Ctx;
use crate::cli::{WordsAdd, WordsCmd};
use crate::session;
use crate::{exit, output};
use thaw_app::settings::{self, PersonalWords};

pub fn run(ctx: &Ctx, cmd: WordsCmd) -> Result<()> {
    if let Some(WordsAdd::Add { word, family, meaning, valence, energy }) = cmd.add {
        return add(ctx, &word, &family, &meaning, valence, energy);
    }
    let family = cmd.family.as_deref().map(Family::parse).transpose()?;
    let owned;
    let words: Vec<&Emotion> = if cmd.mine {
        let store = ctx.open()?;
        owned = personal(store.as_ref())?;
        owned.iter().collect()
    } else {
        thaw_core::vocabulary().emotions().iter().collect()
    };
    let words: Vec<&Emotion> = words.into_iter().filter(|e| family.is_none_or(|f| e.family == f)).collect();
    if ctx.json {
        return output::json(&words);
    }
    if words.is_empty() {
        println!("No words of your own yet. `thaw words add WORD --family F --meaning \"…\"` adds one.");
    }
    for f in Family::ALL {
        let in_family: Vec<&&Emotion> = words.iter().filter(|e| e.family == f).collect();
        if in_family.is_empty() {
            continue;
        }
        println!("{}", f.title());
        for e in in_family {
            println!("  {:<22} {}", e.word, crate::terminal::clean(&e.meaning));
        }
        println!();
    }
    Ok(())
}

fn personal(store: &dyn Store) -> Result<Vec<Emotion>> {
    Ok(settings::get::<PersonalWords>(store)?.unwrap_or_default())
}

/// The middle of each family on the plane, for personal words given without coordinates.
fn family_centre(family: Family) -> (f64, f64) {
    let words: Vec<&Emotion> = thaw_core::vocabulary().in_family(family).collect();
    let n = words.len().max(1) as f64;
    let v = words.iter().map(|e| e.valence).sum::<f64>() / n;
    let e = words.iter().map(|e| e.energy).sum::<f64>() / n;
    ((v * 100.0).round() / 100.0, (e * 100.0).round() / 100.0)
}

fn add(
    ctx: &Ctx,
    word: &str,
    family: &str,
    meaning: &str,
    valence: Option<f64>,
    energy: Option<f64>,
) -> Result<()> {
    let family = Family::parse(family)?;
    let (v0, e0) = family_centre(family);
    let emotion = Emotion {
        word: thaw_core::text::normalise(word),
        family,
        meaning: meaning.trim().to_owned(),
        valence: valence.unwrap_or(v0),
        energy: energy.unwrap_or(e0),
        synonyms: Vec::new(),
    };
    check_emotion(&emotion).map_err(exit::bad_input)?;
    let store = ctx.open()?;
    let vocab = session::vocabulary(store.as_ref())?;
    if vocab.lookup(&emotion.word).is_some() {
        return Err(exit::bad_input(format!("\"{}\" is already in your words.", emotion.word)));
    }
    let mut mine = personal(store.as_ref())?;
    mine.push(emotion.clone());
    settings::set::<PersonalWords>(store.as_ref(), &mine)?;
    if ctx.json {
        return output::json(&emotion);
    }
    println!("Added \"{}\" to your words.", emotion.word);
    Ok(())
}
