//! `thaw med`: a timeline of medicines. Never advice: Thaw records what happened and prepares
//! questions for the prescriber.

use anyhow::Result;
use serde::Serialize;
use thaw_core::meds::{
    Dose, DoseUnit, MedClass, MedEventKind, MedIdentity, MedStatus, MedicationState, check_new_event,
    current_medications, find_on_list, medications, near_on_list,
};
use thaw_core::{MedEvent, Record, RecordBody, RecordKind};
use thaw_store::{ListQuery, Store};

use super::Ctx;
use crate::cli::{MedAddArgs, MedCmd, MedDoseArgs, MedEventArgs};
use crate::session::Clock;
use crate::{exit, output, terminal};

/// Said whenever a medicine is paused or stopped.
const ASK_FIRST: &str = "If this wasn't planned with your prescriber, it's worth letting them know soon: \
                         stopping suddenly can cause withdrawal effects, and they can help you make changes safely.";

pub fn run(ctx: &Ctx, cmd: MedCmd) -> Result<()> {
    match cmd {
        MedCmd::Add(args) => add(ctx, args),
        MedCmd::Dose(args) => dose(ctx, args),
        MedCmd::Pause(args) => event(ctx, args, MedEventKind::Paused),
        MedCmd::Stop(args) => event(ctx, args, MedEventKind::Stopped),
        MedCmd::Taken(args) => event(ctx, args, MedEventKind::Taken),
        MedCmd::List => list(ctx),
        MedCmd::Info { name } => info(ctx, &name.join(" ")),
    }
}

/// `--dose N --unit U`, both needed.
fn dose_and_unit(dose: Option<&str>, unit: Option<&str>) -> Result<(Dose, DoseUnit)> {
    let units = DoseUnit::ALL.iter().map(|u| u.id()).collect::<Vec<_>>().join(", ");
    let (Some(dose), Some(unit)) = (dose, unit) else {
        return Err(exit::bad_input(format!(
            "Please add the dose and its unit, like --dose 50 --unit mg. It's on the box or the pharmacy \
             label. Units: {units}."
        )));
    };
    let unit = DoseUnit::parse(unit)?;
    Ok((Dose::parse(dose, unit)?, unit))
}

fn med_records(store: &dyn Store) -> Result<Vec<Record>> {
    Ok(store.list(&ListQuery::kind(RecordKind::Medication))?)
}

/// A name as a person would type it in a command.
fn typed(name: &str) -> String {
    if name.contains(char::is_whitespace) || name.contains('\'') {
        format!("\"{name}\"")
    } else {
        name.to_owned()
    }
}

/// The medicine on the person's list that `name` means, or an error saying how to add it.
fn on_list<'a>(states: &'a [MedicationState], name: &str) -> Result<&'a MedicationState> {
    find_on_list(states, name).ok_or_else(|| {
        // A brand leads to its generic name, which is what the list shows.
        let name = medications().lookup(name).map_or(name, |m| m.generic.as_str());
        let near = near_on_list(states, name);
        let hint =
            if near.is_empty() { String::new() } else { format!(" Did you mean {}?", near.join(" or ")) };
        exit::bad_input(format!(
            "{} isn't on your medicine list yet.{hint} To add it: `thaw med add {} --dose N --unit U`. \
             `thaw med list` shows your list.",
            name.trim(),
            typed(name.trim())
        ))
    })
}

/// The identity to record: Thaw's table when it knows the name, else the name already on the list.
fn identity_for(typed_name: &str, state: Option<&MedicationState>) -> Result<MedIdentity> {
    let mut identity = medications().identify(typed_name)?;
    if let Some(s) = state
        && !identity.is_known()
    {
        identity.name = s.name.clone();
    }
    Ok(identity)
}

/// Checks the event against the timeline and saves it.
fn save(
    ctx: &Ctx,
    store: &dyn Store,
    records: &[Record],
    event: MedEvent,
    at: Option<thaw_core::Timestamp>,
) -> Result<Record> {
    let record = Record::new(RecordBody::Medication(event), at, ctx.clock.now);
    check_new_event(records, &record)?;
    store.insert(&record)?;
    Ok(record)
}

fn add(ctx: &Ctx, args: MedAddArgs) -> Result<()> {
    let name = args.name.join(" ");
    let table = medications();
    table.identify(&name)?;
    let dose = dose_and_unit(args.dose.as_deref(), args.unit.as_deref())?;
    let at = ctx.clock.at(args.at.as_deref())?;
    let store = ctx.open()?;
    let records = med_records(&store)?;
    let states = current_medications(&records);
    let existing = find_on_list(&states, &name);
    let identity = identity_for(&name, existing)?;
    if !identity.is_known()
        && existing.is_none()
        && !args.as_typed
        && let Some(near) = table.likely_typo(&name)
    {
        return Err(exit::bad_input(format!(
            "Thaw doesn't know \"{}\". Did you mean {near}? If \"{}\" is right, add --as-typed to keep it just \
             as you typed it.",
            name.trim(),
            name.trim()
        )));
    }
    let restarted = existing.is_some_and(|s| s.status != MedStatus::Active);
    let known = identity.is_known();
    let event = MedEvent::new(identity, MedEventKind::Started, Some(dose), args.note.as_deref())?;
    let record = save(ctx, &store, &records, event, at)?;
    if ctx.json {
        return output::json(&record);
    }
    let RecordBody::Medication(event) = &record.body else { return Ok(()) };
    let class = event.class.as_deref().and_then(|c| table.class(c));
    let amount = event.amount().unwrap_or_default();
    let group = class.map(|c| format!(" ({})", c.short)).unwrap_or_default();
    let verb = if restarted { "Started again" } else { "Added" };
    println!("{verb}: {}{group}, {amount}. (id {})", event.name, record.id.short());
    match class {
        Some(c) if c.blunting_reported => {
            println!();
            class_note(c);
        }
        Some(_) => {}
        None if !known => {
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

fn dose(ctx: &Ctx, args: MedDoseArgs) -> Result<()> {
    let name = args.name.join(" ");
    medications().identify(&name)?;
    let dose = dose_and_unit(args.dose.as_deref(), args.unit.as_deref())?;
    let at = ctx.clock.at(args.at.as_deref())?;
    let store = ctx.open()?;
    let records = med_records(&store)?;
    let states = current_medications(&records);
    let state = on_list(&states, &name)?;
    let identity = identity_for(&name, Some(state))?;
    let event = MedEvent::new(identity, MedEventKind::DoseChanged, Some(dose), args.note.as_deref())?;
    let record = save(ctx, &store, &records, event, at)?;
    let RecordBody::Medication(e) = &record.body else { return Ok(()) };
    let message = format!("New dose noted: {}, {}.", e.name, e.amount().unwrap_or_default());
    output::saved(&record, ctx.json, &message)
}

fn event(ctx: &Ctx, args: MedEventArgs, kind: MedEventKind) -> Result<()> {
    let name = args.name.join(" ");
    medications().identify(&name)?;
    let at = ctx.clock.at(args.at.as_deref())?;
    let store = ctx.open()?;
    let records = med_records(&store)?;
    let states = current_medications(&records);
    let state = on_list(&states, &name)?;
    let identity = identity_for(&name, Some(state))?;
    let event = MedEvent::new(identity, kind, None, args.note.as_deref())?;
    let record = save(ctx, &store, &records, event, at)?;
    let RecordBody::Medication(e) = &record.body else { return Ok(()) };
    let message = match kind {
        MedEventKind::Paused => format!("Noted: {} paused.", e.name),
        MedEventKind::Stopped => format!("Noted: {} stopped.", e.name),
        _ => format!("Noted: {} taken.", e.name),
    };
    output::saved(&record, ctx.json, &message)?;
    if !ctx.json && matches!(kind, MedEventKind::Paused | MedEventKind::Stopped) {
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

/// One medicine in `med list --json`: its state and timeline, plus what Thaw knows about its group.
#[derive(Serialize)]
struct MedView<'a> {
    #[serde(flatten)]
    state: &'a MedicationState,
    class_name: Option<&'a str>,
    class_short: Option<&'a str>,
    blunting_reported: bool,
    blunting_note: Option<&'a str>,
    prescriber_question: Option<&'a str>,
}

fn view(state: &MedicationState) -> MedView<'_> {
    let class = state.class.as_deref().and_then(|c| medications().class(c));
    MedView {
        state,
        class_name: class.map(|c| c.name.as_str()),
        class_short: class.map(|c| c.short.as_str()),
        blunting_reported: class.is_some_and(|c| c.blunting_reported),
        blunting_note: class.map(|c| c.note.as_str()),
        prescriber_question: class.map(|c| c.prescriber_question.as_str()),
    }
}

fn list(ctx: &Ctx) -> Result<()> {
    let store = ctx.open()?;
    let states = current_medications(&med_records(&store)?);
    if ctx.json {
        let views: Vec<MedView<'_>> = states.iter().map(view).collect();
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

/// What `med info --json` prints.
#[derive(Serialize)]
struct InfoView<'a> {
    generic: &'a str,
    aliases: &'a [String],
    brands: &'a [String],
    class: &'a str,
    class_name: &'a str,
    class_short: &'a str,
    atc: &'a str,
    atc_unverified: bool,
    blunting_reported: bool,
    blunting_note: &'a str,
    prescriber_question: &'a str,
}

fn info(ctx: &Ctx, name: &str) -> Result<()> {
    let table = medications();
    let Some(med) = table.lookup(name) else {
        let near = table.suggest(name);
        let (hint, flag) = match near.as_slice() {
            [] => (String::new(), ""),
            _ => (format!(" Did you mean {}?", near.join(" or ")), " --as-typed"),
        };
        return Err(exit::bad_input(format!(
            "Thaw doesn't know \"{}\".{hint} You can still keep any medicine on your list: `thaw med add {} \
             --dose N --unit U{flag}`.",
            name.trim(),
            typed(name.trim())
        )));
    };
    let Some(class) = table.class(&med.class) else {
        return Err(exit::fail(exit::FAILED, format!("{} has no group in Thaw's table.", med.generic)));
    };
    if ctx.json {
        return output::json(&InfoView {
            generic: &med.generic,
            aliases: &med.aliases,
            brands: &med.brands,
            class: &class.id,
            class_name: &class.name,
            class_short: &class.short,
            atc: &med.atc,
            atc_unverified: med.atc_unverified,
            blunting_reported: class.blunting_reported,
            blunting_note: &class.note,
            prescriber_question: &class.prescriber_question,
        });
    }
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
    terminal::paragraph(
        "This is information to help you talk it through, not advice about your medicine.",
        "",
    );
    Ok(())
}
