//! `thaw checkin`: name what you feel, from flags or step by step on the terminal.

use anyhow::Result;
use thaw_app::input::{CheckinInput, FeltInput};
use thaw_core::vocab::{Emotion, Family};
use thaw_core::{Absence, CheckIn, Felt, Intensity, Record, RecordBody, Vocabulary};

use super::Ctx;
use crate::cli::CheckinArgs;
use crate::{exit, output, prompt, resources};

/// Splits `WORD[:INTENSITY]`; the word is resolved against the vocabulary by thaw-app.
fn parse_feel(input: &str) -> Result<FeltInput> {
    Ok(match input.rsplit_once(':') {
        Some((w, n)) => FeltInput {
            word: w.to_owned(),
            intensity: Some(i64::from(Intensity::parse(n, "Intensity")?.get())),
        },
        None => FeltInput { word: input.to_owned(), intensity: None },
    })
}

pub fn add(ctx: &Ctx, args: CheckinArgs) -> Result<()> {
    // Check --at before anything else, so a typo changes nothing.
    ctx.clock.at(args.at.as_deref())?;
    let nothing_given = args.feel.is_empty() && !args.nothing && !args.cant_tell;
    if nothing_given && !prompt::interactive() {
        return Err(exit::bad_input(
            "Tell Thaw what you feel with --feel WORD (for example --feel hurt:6), or --nothing, or --cant-tell.",
        ));
    }
    let emotions = args.feel.iter().map(|f| parse_feel(f)).collect::<Result<Vec<_>>>()?;
    super::warm_content();
    let store = ctx.open()?;
    let guided =
        if nothing_given { Some(interactive(&thaw_app::vocabulary(store.as_ref())?)?) } else { None };
    // Only a note is free text: without one, the model isn't loaded (the feeling words are ours).
    let note = guided.as_ref().map_or(args.note.as_deref(), |c| c.note.as_deref());
    let app = if note.is_some_and(|n| !n.trim().is_empty()) {
        ctx.app(store.as_ref())
    } else {
        ctx.app_without_free_text(store.as_ref())
    };
    let saved = if let Some(checkin) = guided {
        let at = ctx.clock.at(args.at.as_deref())?;
        app.add(Record::new(RecordBody::Checkin(checkin), at, ctx.clock.now))?
    } else {
        let absence = if args.nothing {
            Some("nothing".to_owned())
        } else if args.cant_tell {
            Some("cant-tell".to_owned())
        } else {
            None
        };
        app.checkin(&CheckinInput {
            emotions,
            note: args.note.clone(),
            body: args.body.clone(),
            said_aloud: args.said_aloud,
            absence,
            at: args.at.clone(),
        })?
    };
    resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    if ctx.json {
        return output::json(&saved);
    }
    if let RecordBody::Checkin(checkin) = &saved.record.body {
        let sentence = checkin.sentence();
        println!("Saved. {sentence}");
        if !checkin.said_aloud {
            println!("If you like, say it aloud, even quietly: \u{201c}{sentence}\u{201d}");
        }
    }
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
