//! `thaw med`: a timeline of medicines. Never advice: Thaw records what happened and prepares
//! questions for the prescriber.

use anyhow::Result;
use thaw_app::meds::{ASK_FIRST, DoseText, MedEventInput, MedView, MedicationInput, NOT_ADVICE};
use thaw_core::meds::{MedClass, MedEventKind, MedStatus, MedicationState, medications};
use thaw_core::{Record, RecordBody};

use super::Ctx;
use crate::cli::{MedAddArgs, MedCmd};
use crate::session::Clock;
use crate::{exit, output, terminal};

pub fn run(ctx: &Ctx, cmd: MedCmd) -> Result<()> {
    match cmd {
        MedCmd::Add(args) => add(ctx, args),
        MedCmd::Dose(args) => {
            let input = event_input("dose-changed", args.dose, args.unit, args.note, args.at);
            change(ctx, &args.name.join(" "), &input)
        }
        MedCmd::Pause(args) => {
            change(ctx, &args.name.join(" "), &event_input("paused", None, None, args.note, args.at))
        }
        MedCmd::Stop(args) => {
            change(ctx, &args.name.join(" "), &event_input("stopped", None, None, args.note, args.at))
        }
        MedCmd::Taken(args) => {
            change(ctx, &args.name.join(" "), &event_input("taken", None, None, args.note, args.at))
        }
        MedCmd::List => list(ctx),
        MedCmd::Info { name } => info(ctx, &name.join(" ")),
    }
}

fn event_input(
    event: &str,
    dose: Option<String>,
    unit: Option<String>,
    note: Option<String>,
    at: Option<String>,
) -> MedEventInput {
    MedEventInput { event: event.to_owned(), dose: dose.map(DoseText::Text), unit, note, at }
}

fn add(ctx: &Ctx, args: MedAddArgs) -> Result<()> {
    let input = MedicationInput {
        name: args.name.join(" "),
        dose: args.dose.map(DoseText::Text),
        unit: args.unit,
        note: args.note,
        at: args.at,
        as_typed: args.as_typed,
    };
    // Check what was typed before the vault is opened, so a typo asks for nothing.
    ctx.clock.at(input.at.as_deref())?;
    medications().identify(&input.name)?;
    let store = ctx.open()?;
    let added = ctx.app(store.as_ref()).add_medicine(&input)?;
    if ctx.json {
        return output::json(&added.record);
    }
    let RecordBody::Medication(event) = &added.record.body else { return Ok(()) };
    let class = added.class();
    let amount = event.amount().unwrap_or_default();
    let group = class.map(|c| format!(" ({})", c.short)).unwrap_or_default();
    let verb = if added.restarted { "Started again" } else { "Added" };
    println!("{verb}: {}{group}, {amount}. (id {})", event.name, added.record.id.short());
    match class {
        Some(c) if c.blunting_reported => {
            println!();
            class_note(c);
        }
        Some(_) => {}
        None if added.unknown_name => {
            println!();
            terminal::paragraph(
                &format!(
                    "Thaw doesn't know \"{}\", so it's kept just as you typed it, without a group. That's fine: \
                     its timeline works the same.",
                    event.name
                ),
                "",
            );
        }
        None => {}
    }
    Ok(())
}

fn change(ctx: &Ctx, name: &str, input: &MedEventInput) -> Result<()> {
    ctx.clock.at(input.at.as_deref())?;
    medications().identify(name)?;
    let store = ctx.open()?;
    let record = ctx.app(store.as_ref()).change_medicine(name, input)?;
    if ctx.json {
        return output::json(&record);
    }
    let RecordBody::Medication(e) = &record.body else { return Ok(()) };
    let message = match e.event {
        MedEventKind::DoseChanged => {
            format!("New dose noted: {}, {}.", e.name, e.amount().unwrap_or_default())
        }
        MedEventKind::Paused => format!("Noted: {} paused.", e.name),
        MedEventKind::Stopped => format!("Noted: {} stopped.", e.name),
        MedEventKind::Started => format!("Noted: {} started again.", e.name),
        MedEventKind::Taken => format!("Noted: {} taken.", e.name),
    };
    println!("{message} (id {})", record.id.short());
    if matches!(e.event, MedEventKind::Paused | MedEventKind::Stopped) {
        terminal::paragraph(ASK_FIRST, "");
    }
    Ok(())
}

/// A class's neutral note and the question for the prescriber.
fn class_note(c: &MedClass) {
    terminal::paragraph(&format!("About {}s: {}", c.short, c.note), "");
    println!("A question you could bring to your prescriber:");
    terminal::paragraph(&format!("\u{201c}{}\u{201d}", c.prescriber_question), "  ");
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.open()?;
    let states = ctx.app(store.as_ref()).medicines()?;
    if ctx.json {
        let views: Vec<MedView> = states.into_iter().map(MedView::new).collect();
        return output::json(&views);
    }
    if states.is_empty() {
        println!("No medicines yet. `thaw med add NAME --dose N --unit U` adds one.");
        return Ok(());
    }
    for (i, s) in states.iter().enumerate() {
        if i > 0 {
            println!();
        }
        print_state(s, &ctx.clock);
    }
    let mut shown: Vec<&str> = Vec::new();
    for s in states.iter().filter(|s| s.status != MedStatus::Stopped) {
        if let Some(c) = s.class.as_deref().and_then(|c| medications().class(c))
            && c.blunting_reported
            && !shown.contains(&c.id.as_str())
        {
            shown.push(&c.id);
            println!();
            class_note(c);
        }
    }
    Ok(())
}

fn print_state(s: &MedicationState, clock: &Clock) {
    let class = s.class.as_deref().and_then(|c| medications().class(c));
    let group = class.map(|c| format!(" ({})", c.short)).unwrap_or_default();
    let status = match s.status {
        MedStatus::Active => "taking",
        MedStatus::Paused => "paused",
        MedStatus::Stopped => "stopped",
    };
    let amount = s.amount().map(|a| format!(", {a}")).unwrap_or_default();
    println!("{}{group} · {status}{amount}", s.name);
    let day = |r: &Record| r.at.date_in(&clock.tz).to_string();
    let mut taken: Vec<&Record> = Vec::new();
    for r in &s.events {
        let RecordBody::Medication(e) = &r.body else { continue };
        if e.event == MedEventKind::Taken {
            taken.push(r);
            continue;
        }
        let what = match e.event {
            MedEventKind::Started => "started",
            MedEventKind::DoseChanged => "dose changed",
            MedEventKind::Paused => "paused",
            MedEventKind::Stopped => "stopped",
            MedEventKind::Taken => "taken",
        };
        let amount = e.amount().map(|a| format!(" · {a}")).unwrap_or_default();
        let note = e.note.as_deref().map(|n| format!(" · {n}")).unwrap_or_default();
        println!("  {}  {what}{amount}{}", day(r), crate::terminal::clean(&note));
    }
    if let Some(last) = taken.last() {
        let times = if taken.len() == 1 { "once".to_owned() } else { format!("{} times", taken.len()) };
        println!("  taken {times}, last on {}", day(last));
    }
}

fn info(ctx: &Ctx, name: &str) -> Result<()> {
    let view = thaw_app::meds::info(name)?;
    if ctx.json {
        return output::json(&view);
    }
    let table = medications();
    let (Some(med), Some(class)) = (table.lookup(name), table.class(&view.class)) else {
        return Err(exit::fail(exit::FAILED, format!("{} has no group in Thaw's table.", view.generic)));
    };
    println!("{}", med.generic);
    if !med.brands.is_empty() {
        println!("  Sold as: {}", med.brands.join(", "));
    }
    if !med.aliases.is_empty() {
        println!("  Also called: {}", med.aliases.join(", "));
    }
    println!("  Group: {}", class.name);
    let checked = if med.atc_unverified { " (not yet checked against the WHO index)" } else { "" };
    println!("  ATC code: {}{checked}", med.atc);
    println!();
    class_note(class);
    println!();
    terminal::paragraph(NOT_ADVICE, "");
    Ok(())
}
