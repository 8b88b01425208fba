//! `thaw selfcheck`: what might be making it hard to cry or to feel. Step by step on the terminal,
//! or from an answers file; the result lists areas that may apply. Not a diagnosis.

use std::io::Read;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use thaw_core::features::feature;
use thaw_core::selfcheck::{Answers, Area, SelfCheckResult, selfcheck};
use thaw_core::{Record, RecordBody, RecordKind};

use super::Ctx;
use crate::cli::{ListOnly, SelfcheckCmd};
use crate::{exit, output, prompt, terminal};

pub fn run(ctx: &Ctx, cmd: SelfcheckCmd) -> Result<()> {
    if let Some(ListOnly::List(args)) = cmd.list {
        return super::list(
            ctx,
            RecordKind::SelfCheck,
            &args,
            "No self-checks yet. `thaw selfcheck` takes one; it takes about three minutes.",
        );
    }
    if cmd.template {
        print!("{}", selfcheck().template());
        return Ok(());
    }
    let answers = match &cmd.answers_file {
        Some(path) => selfcheck().parse_answers(&read_answers(path)?)?,
        None if prompt::interactive() => match interactive()? {
            Some(a) => a,
            None => return Ok(()),
        },
        None => {
            return Err(exit::bad_input(
                "The self-check asks its questions in a terminal. Or fill in an answers file: \
                 `thaw selfcheck --template > answers.toml`, then `thaw selfcheck --answers-file answers.toml`.",
            ));
        }
    };
    let result = selfcheck().result(&answers)?;
    let record = Record::new(RecordBody::SelfCheck(result), None, ctx.clock.now);
    ctx.open()?.insert(&record)?;
    show(ctx, &record)
}

fn read_answers(path: &Path) -> Result<String> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| {
        exit::bad_input(format!(
            "Can't read the answers file {} ({e}). `thaw selfcheck --template > answers.toml` makes one to fill in.",
            path.display()
        ))
    })?;
    Ok(text)
}

/// The questions on the terminal, area by area. Sensitive areas are announced and can be skipped
/// as a whole; every question can be skipped. `None` when every question was skipped.
fn interactive() -> Result<Option<Answers>> {
    let check = selfcheck();
    terminal::paragraph(&check.intro, "");
    let mut items: Vec<String> = check.scale.clone();
    items.push("Skip this question".to_owned());
    let mut answers = Answers::new();
    for area in &check.areas {
        println!("\n{}", area.title);
        if area.sensitive {
            terminal::paragraph(&area.announcement, "");
            let choice = prompt::select(
                "Would you like to answer these?",
                &["Yes, answer them".to_owned(), "Skip this part".to_owned()],
                0,
            )?;
            if choice == 1 {
                continue;
            }
        }
        for q in &area.questions {
            let i = prompt::select(&q.text, &items, 0)?;
            answers
                .insert(q.id.clone(), u8::try_from(i).ok().filter(|v| usize::from(*v) < check.scale.len()));
        }
    }
    if answers.values().all(Option::is_none) {
        println!(
            "\nYou skipped every question, and that's fine. Nothing was saved; come back whenever you like."
        );
        return Ok(None);
    }
    Ok(Some(answers))
}

/// An area that may apply, for `--json`.
#[derive(Serialize)]
struct AreaView<'a> {
    id: &'a str,
    title: &'a str,
    explanation: &'a str,
    next_steps: &'a [String],
    features: &'a [String],
    /// The commands for those features.
    commands: Vec<&'static str>,
}

#[derive(Serialize)]
struct ResultView<'a> {
    id: String,
    at: String,
    answers: &'a Answers,
    areas: Vec<AreaView<'a>>,
    not_a_diagnosis: &'a str,
}

fn show(ctx: &Ctx, record: &Record) -> Result<()> {
    let RecordBody::SelfCheck(result) = &record.body else { return Ok(()) };
    let check = selfcheck();
    let areas: Vec<&Area> = applying(result);
    if ctx.json {
        return output::json(&ResultView {
            id: record.id.to_string(),
            at: record.at.rfc3339(),
            answers: &result.answers,
            areas: areas
                .iter()
                .map(|a| AreaView {
                    id: &a.id,
                    title: &a.title,
                    explanation: &a.explanation,
                    next_steps: &a.next_steps,
                    features: &a.features,
                    commands: a.features.iter().filter_map(|f| feature(f)).map(|f| f.command).collect(),
                })
                .collect(),
            not_a_diagnosis: &check.not_a_diagnosis,
        });
    }
    println!("Thank you for taking the time. Saved (id {}).\n", record.id.short());
    if areas.is_empty() {
        terminal::paragraph(&check.none_apply, "");
    } else {
        let n = areas.len();
        println!("{} may apply to you:", if n == 1 { "One area".to_owned() } else { format!("{n} areas") });
        for area in areas {
            println!("\n{}", area.title);
            terminal::paragraph(&area.explanation, "  ");
            println!("  What might help:");
            for step in &area.next_steps {
                terminal::item(step, "    ", "- ");
            }
            println!("  In Thaw:");
            for f in area.features.iter().filter_map(|f| feature(f)) {
                terminal::item(&format!("`{}`: {}", f.command, f.label), "    ", "- ");
            }
        }
    }
    println!();
    terminal::paragraph(&check.not_a_diagnosis, "");
    Ok(())
}

/// The areas of a result, in the self-check's order (ids the content no longer has are left out).
fn applying(result: &SelfCheckResult) -> Vec<&'static Area> {
    result.areas.iter().filter_map(|id| selfcheck().area(id)).collect()
}
