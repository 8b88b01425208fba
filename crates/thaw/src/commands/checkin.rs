//! `thaw checkin`: name what you feel, from flags or step by step on the terminal.

use anyhow::Result;
use thaw_core::vocab::{Emotion, Family};
use thaw_core::{Absence, CheckIn, Felt, Intensity, Record, RecordBody, Vocabulary};
use thaw_store::Store;

use super::Ctx;
use crate::cli::CheckinArgs;
use crate::{exit, output, prompt, session};

/// Parses `WORD[:INTENSITY]` against the vocabulary.
fn parse_feel(vocab: &Vocabulary, input: &str) -> Result<Felt> {
    let (word, intensity) = match input.rsplit_once(':') {
        Some((w, n)) => (w, Some(Intensity::parse(n, "Intensity")?)),
        None => (input, None),
    };
    let emotion = vocab.resolve(word)?;
    Ok(Felt { word: emotion.word.clone(), intensity })
}

pub fn add(ctx: &Ctx, args: CheckinArgs) -> Result<()> {
    let at = ctx.clock.at(args.at.as_deref())?;
    let nothing_given = args.feel.is_empty() && !args.nothing && !args.cant_tell;
    if nothing_given && !prompt::interactive() {
        return Err(exit::bad_input(
            "Tell Thaw what you feel with --feel WORD (for example --feel hurt:6), or --nothing, or --cant-tell.",
        ));
    }
    let store = ctx.open()?;
    let vocab = session::vocabulary(&store)?;
    let checkin = if nothing_given {
        interactive(&vocab)?
    } else {
        let felt = args.feel.iter().map(|f| parse_feel(&vocab, f)).collect::<Result<Vec<_>>>()?;
        let body = args
            .body
            .iter()
            .map(|b| vocab.resolve_sensation(b).map(|s| s.id.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let absence = if args.nothing {
            Some(Absence::Nothing)
        } else if args.cant_tell {
            Some(Absence::CantTell)
        } else {
            None
        };
        CheckIn::new(felt, body, args.note.as_deref(), args.said_aloud, absence)?
    };
    let sentence = checkin.sentence();
    let said = checkin.said_aloud;
    let record = Record::new(RecordBody::Checkin(checkin), at, ctx.clock.now);
    store.insert(&record)?;
    if ctx.json {
        output::json(&record)?;
    } else {
        println!("Saved. {sentence}");
        if !said {
            println!("If you like, say it aloud, even quietly: \u{201c}{sentence}\u{201d}");
        }
    }
    crate::resources::after_checkin(&store, &record, ctx.json);
    Ok(())
}

fn labelled(emotions: &[&Emotion]) -> Vec<String> {
    emotions.iter().map(|e| format!("{:<16} {}", e.word, e.meaning)).collect()
}

/// The guided flow: start from a family, the pleasant × energy plane, or the body; narrow to
/// words; rate them; end with "I feel …" and the invitation to say it aloud.
fn interactive(vocab: &Vocabulary) -> Result<CheckIn> {
    let starts = [
        "Pick from a family of feelings".to_owned(),
        "Place yourself: how pleasant, how much energy".to_owned(),
        "Start from what your body feels".to_owned(),
        "I feel nothing right now".to_owned(),
        "I can't tell".to_owned(),
    ];
    let mut body: Vec<String> = Vec::new();
    let choice = prompt::select("How would you like to start?", &starts, 0)?;
    let candidates: Vec<&Emotion> = match choice {
        3 => return Ok(CheckIn::new(vec![], vec![], None, false, Some(Absence::Nothing))?),
        4 => return Ok(CheckIn::new(vec![], vec![], None, false, Some(Absence::CantTell))?),
        1 => {
            let scale = ["very low", "low", "in the middle", "high", "very high"].map(String::from);
            let v = prompt::select("How pleasant does it feel?", &scale, 2)?;
            let e = prompt::select("How much energy do you have?", &scale, 2)?;
            let coord = |i: usize| (i as f64 - 2.0) / 2.0;
            vocab.nearest(coord(v), coord(e), 12)
        }
        _ => {
            if choice == 2 {
                body = pick_body(vocab)?;
            }
            let families: Vec<String> = Family::ALL.iter().map(|f| f.title().to_owned()).collect();
            let f = prompt::select("Which family feels closest?", &families, 0)?;
            vocab.in_family(Family::ALL[f]).collect()
        }
    };
    let picked =
        prompt::multi_select("Which words fit? (space to choose, enter when done)", &labelled(&candidates))?;
    if picked.is_empty() {
        println!("That's all right. Not finding the word is part of this.");
        return Ok(CheckIn::new(vec![], body, None, false, Some(Absence::CantTell))?);
    }
    let mut felt = Vec::new();
    for i in picked {
        let word = &candidates[i].word;
        // A number that doesn't fit is asked again; the words and numbers before it stay.
        let intensity =
            prompt::parsed(&format!("How strong is \"{word}\", 0 to 10? (enter to skip)"), |a| {
                if a.trim().is_empty() { Ok(None) } else { Intensity::parse(a, "Intensity").map(Some) }
            })?;
        felt.push(Felt { word: word.clone(), intensity });
    }
    if body.is_empty() && prompt::confirm("Notice anything in your body?", false)? {
        body = pick_body(vocab)?;
    }
    let note = prompt::text("Anything to add? (enter to skip)")?;
    let draft = CheckIn::new(felt.clone(), body.clone(), Some(&note), false, None)?;
    println!("\n  {}\n", draft.sentence());
    let said = prompt::confirm("Try saying it aloud, even quietly. Did you?", false)?;
    Ok(CheckIn::new(felt, body, Some(&note), said, None)?)
}

fn pick_body(vocab: &Vocabulary) -> Result<Vec<String>> {
    let labels: Vec<String> = vocab.sensations().iter().map(|s| s.label.clone()).collect();
    let picked = prompt::multi_select("Where do you notice it?", &labels)?;
    Ok(picked.into_iter().map(|i| vocab.sensations()[i].id.clone()).collect())
}
