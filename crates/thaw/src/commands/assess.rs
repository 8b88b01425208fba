//! `thaw assess`: the PHQ-9, GAD-7 and WHO-5, from flags or one question at a time, with the
//! change since last time; and, when PHQ-9 item 9 is above 0, crisis resources right after the
//! answers.

use anyhow::Result;
use thaw_core::instruments::Instrument;
use thaw_core::{Assessment, RecordBody, RecordKind, Timestamp, instrument};

use super::{Ctx, list_query};
use crate::cli::ListArgs;
use crate::cli::{AssessArgs, AssessCmd};
use crate::{exit, output, prompt, resources};

pub fn run(ctx: &Ctx, cmd: AssessCmd) -> Result<()> {
    match cmd {
        AssessCmd::Take { instrument, args } => take(ctx, instrument, args),
        AssessCmd::List(args) => list(ctx, &args),
    }
}

fn parse_difficulty(inst: &Instrument, input: &str) -> Result<u8> {
    let Some(d) = &inst.difficulty else {
        return Err(exit::bad_input(format!(
            "The {} has no question about difficulty; leave out --difficulty.",
            inst.short_name
        )));
    };
    let max = d.answers.iter().map(|a| a.value).max().unwrap_or(0);
    input.trim().parse::<u8>().ok().filter(|v| *v <= max).ok_or_else(|| {
        exit::bad_input(format!(
            "--difficulty must be a whole number from 0 ({}) to {max} ({}); \"{}\" isn't.",
            d.answers.first().map(|a| a.label.to_lowercase()).unwrap_or_default(),
            d.answers.last().map(|a| a.label.to_lowercase()).unwrap_or_default(),
            input.trim()
        ))
    })
}

fn take(ctx: &Ctx, id: &str, args: AssessArgs) -> Result<()> {
    let inst = instrument(id)?;
    ctx.clock.at(args.at.as_deref())?;
    let country_flag = args.country.as_deref().map(thaw_core::safety::crisis::parse_country).transpose()?;
    let difficulty = args.difficulty.as_deref().map(|d| parse_difficulty(inst, d)).transpose()?;
    // With --answers, everything is checked before the vault is touched.
    let given = match args.answers.as_deref() {
        Some(text) => Some(inst.score(&inst.parse_answers(text)?, difficulty)?),
        None if prompt::interactive() => None,
        None => {
            return Err(exit::bad_input(format!(
                "Give your answers with --answers ({} numbers from 0 to {}, separated by commas), or run this in a terminal to answer one question at a time.",
                inst.items.len(),
                inst.max_answer()
            )));
        }
    };
    let store = ctx.open()?;
    let assessment = match given {
        Some(a) => a,
        None => ask(inst, difficulty)?,
    };
    let app = ctx.app(store.as_ref()).with_country(country_flag);
    let taken = app.take(inst, assessment, args.at.as_deref())?;
    // Support, when it applies, comes first: before the recap and the result.
    resources::print_follow_up(taken.follow_up.as_ref(), ctx.json);
    if ctx.json {
        return output::json(&taken.view());
    }
    print_answers(inst, &taken.assessment);
    print_result(ctx, inst, &taken.assessment, taken.previous.as_ref());
    println!("Saved (id {}).", taken.record.id.short());
    println!("\n{}", inst.copyright);
    Ok(())
}

/// One question at a time on the terminal.
fn ask(inst: &Instrument, difficulty: Option<u8>) -> Result<Assessment> {
    println!("{}: {}\n{}\n", inst.short_name, inst.about, inst.stem);
    if let Some(before) = &inst.before {
        println!("{before}\n");
    }
    let printed = inst.answers_as_printed();
    let labels: Vec<String> = printed.iter().map(|a| a.label.clone()).collect();
    let mut answers = Vec::with_capacity(inst.items.len());
    for (n, item) in inst.items.iter().enumerate() {
        let pick = prompt::select(&format!("{}/{}. {}", n + 1, inst.items.len(), item.text), &labels, 0)?;
        answers.push(printed[pick].value);
    }
    let total: u32 = answers.iter().map(|&a| u32::from(a)).sum();
    let difficulty = match (&inst.difficulty, difficulty) {
        (_, Some(d)) => Some(d),
        (Some(d), None) if total > 0 => {
            let labels: Vec<String> = d.answers.iter().map(|a| a.label.clone()).collect();
            Some(d.answers[prompt::select(&d.text, &labels, 0)?].value)
        }
        _ => None,
    };
    Ok(inst.score(&answers, difficulty)?)
}

fn print_answers(inst: &Instrument, a: &Assessment) {
    println!("{}: {}\n", inst.short_name, inst.stem);
    for (n, (item, &value)) in inst.items.iter().zip(&a.answers).enumerate() {
        println!("{:>3}. {}", n + 1, item.text);
        println!("     {} ({value})", inst.answer_label(value).unwrap_or("?"));
    }
    if let (Some(d), Some(v)) = (&inst.difficulty, a.difficulty) {
        let label = d.answers.iter().find(|x| x.value == v).map_or("?", |x| x.label.as_str());
        println!("{:>3}. {}", inst.items.len() + 1, d.text);
        println!("     {label}");
    }
}

fn print_result(ctx: &Ctx, inst: &Instrument, a: &Assessment, previous: Option<&(Timestamp, Assessment)>) {
    let band = inst.band_for(a.total);
    let pct = a.percentage.map(|p| format!(" ({p}%)")).unwrap_or_default();
    let range =
        if a.percentage.is_some() { String::new() } else { format!(" ({}\u{2013}{})", band.min, band.max) };
    println!(
        "\nTotal: {} of {}{pct}, in the range the {} calls {}{range}.",
        a.total,
        inst.max_total(),
        inst.short_name,
        band.name
    );
    println!("{}", band.meaning);
    println!("This is a screening range, not a diagnosis: something to talk over with a doctor.");
    if let (Some(two), Some(t)) = (&inst.two_item, a.two_item_total) {
        println!("{} (the first two questions): {t} of {}.", two.name, 2 * u32::from(inst.max_answer()));
    }
    match previous {
        Some((at, prev)) => {
            println!(
                "Last time ({}): {}. This time: {} ({}).",
                at.display_in(&ctx.clock.tz),
                prev.shown_score(),
                a.shown_score(),
                a.change_words_since(prev)
            );
            if let (Some(p), Some(q)) = (a.percentage, prev.percentage)
                && p.abs_diff(q) >= 10
            {
                println!("A change of 10 points or more is usually seen as meaningful.");
            }
        }
        None => println!("This is your first {} in Thaw; next time you'll see the change.", inst.short_name),
    }
}

fn list(ctx: &Ctx, args: &ListArgs) -> Result<()> {
    let query = list_query(ctx, RecordKind::Assessment, args)?;
    let store = ctx.open()?;
    let rows = ctx.app(store.as_ref()).questionnaire_history(&query)?;
    if ctx.json {
        return output::json(&rows);
    }
    if rows.is_empty() {
        println!("No questionnaires yet. `thaw assess phq9`, `gad7` or `who5` starts one.");
        return Ok(());
    }
    for row in rows {
        let RecordBody::Assessment(a) = &row.record.body else { continue };
        let r = &row.record;
        let mut line = format!("{}  {}  {}", r.at.display_in(&ctx.clock.tz), r.id.short(), a.summary());
        if let Some(p) = &row.earlier {
            line.push_str(&format!(" · {}", a.change_words_since(p)));
        }
        if let Some(v) = a.item9().filter(|v| *v > 0) {
            let label = a.instrument().and_then(|i| i.answer_label(v)).unwrap_or("?");
            line.push_str(&format!(" · item 9: {}", label.to_lowercase()));
        }
        println!("{line}");
    }
    Ok(())
}
