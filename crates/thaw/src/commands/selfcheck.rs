//! `thaw selfcheck`: what might be making it hard to cry or to feel. Step by step on the terminal,
//! or from an answers file; the result lists areas that may apply. Not a diagnosis.

use std::io::Read;
use std::path::Path;

use anyhow::Result;
use thaw_core::features::feature;
use thaw_core::selfcheck::{Answers, Area, selfcheck};
use thaw_core::{Record, RecordKind};

use super::Ctx;
use crate::cli::{SelfcheckCmd, SelfcheckSub};
use crate::{exit, output, prompt, terminal};

pub fn run(ctx: &Ctx, cmd: SelfcheckCmd) -> Result<()> {
    match cmd.sub {
        Some(SelfcheckSub::List(args)) => {
            return super::list(
                ctx,
                RecordKind::SelfCheck,
                &args,
                "No self-checks yet. `thaw selfcheck` takes one; it takes about three minutes.",
            );
        }
        Some(SelfcheckSub::Show { id }) => {
            let store = ctx.open()?;
            let record = ctx.app(store.as_ref()).find(Some(RecordKind::SelfCheck), &id)?;
            return show(ctx, &record, Shown::Past);
        }
        None => {}
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
    // Checked before the vault is opened, so a mistake asks for nothing.
    selfcheck().result(&answers)?;
    let store = ctx.open()?;
    let record = ctx.app(store.as_ref()).save_selfcheck(&answers)?;
    show(ctx, &record, Shown::JustSaved)
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

/// Whether the result was just taken (the first few areas in full, the rest folded) or asked for
/// again with `thaw selfcheck show` (everything in full).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    JustSaved,
    Past,
}

fn show(ctx: &Ctx, record: &Record, shown: Shown) -> Result<()> {
    let check = selfcheck();
    if ctx.json {
        return output::json(&thaw_app::selfcheck::view(record));
    }
    let (first, rest) = match shown {
        Shown::JustSaved => thaw_app::selfcheck::standing_out(record),
        Shown::Past => (thaw_app::selfcheck::applying(record), Vec::new()),
    };
    match shown {
        Shown::JustSaved => println!("Thank you for taking the time. Saved (id {}).\n", record.id.short()),
        Shown::Past => println!("Your self-check of {}.\n", record.at.display_in(&ctx.clock.tz)),
    }
    if first.is_empty() {
        terminal::paragraph(&check.none_apply, "");
    } else {
        let n = first.len() + rest.len();
        let intro = match (n, rest.is_empty()) {
            (1, _) => "One area may apply to you:".to_owned(),
            (n, true) => format!("{n} areas may apply to you, the ones that stood out most first:"),
            (n, false) => format!("{n} areas may apply to you. These {} stood out most:", first.len()),
        };
        println!("{intro}");
        for area in first {
            print_area(area);
        }
        if !rest.is_empty() {
            let titles: Vec<&str> = rest.iter().map(|a| a.title.as_str()).collect();
            println!();
            terminal::paragraph(&format!("Also worth a look another time: {}.", titles.join(", ")), "");
            println!("To see them in full: thaw selfcheck show {}", record.id.short());
        }
    }
    println!();
    terminal::paragraph(&check.not_a_diagnosis, "");
    Ok(())
}

fn print_area(area: &Area) {
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
