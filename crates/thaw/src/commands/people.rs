//! `thaw people`: the people you trust, ways to start a conversation, and a log of talks.

use anyhow::Result;
use thaw_core::people::{StarterLevel, starters};
use thaw_core::text::{closest, normalise};
use thaw_core::{Conversation, Intensity, Person, Record, RecordBody, RecordKind};
use thaw_store::ListQuery;

use super::{Ctx, list_query};
use crate::cli::{PeopleCmd, TalkedArgs};
use crate::{exit, output, terminal};

pub fn run(ctx: &Ctx, cmd: PeopleCmd) -> Result<()> {
    match cmd {
        PeopleCmd::Add { name, reach, note } => {
            let person = Person::new(&name, reach.as_deref(), note.as_deref())?;
            let record = Record::new(RecordBody::Person(person), None, ctx.clock.now);
            let store = ctx.open()?;
            let saved = ctx.app(store.as_ref()).add(record)?;
            crate::resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
            output::saved(&saved, ctx.json, &format!("Added {}.", name.trim()))
        }
        PeopleCmd::List(args) => {
            let query = list_query(ctx, RecordKind::Person, &args)?;
            let records = ctx.open()?.list(&query)?;
            output::records(
                &records,
                ctx.json,
                &ctx.clock,
                "No one here yet. `thaw people add NAME` adds someone you trust.",
            )
        }
        PeopleCmd::Starters { level } => show_starters(ctx, level.as_deref()),
        PeopleCmd::Talked(args) => talked(ctx, args),
        PeopleCmd::Log(args) => {
            let query = list_query(ctx, RecordKind::Conversation, &args)?;
            let records = ctx.open()?.list(&query)?;
            output::records(
                &records,
                ctx.json,
                &ctx.clock,
                "No conversations noted yet. After you talk with someone, `thaw people talked NAME --how phone` \
                 notes it.",
            )
        }
    }
}

fn show_starters(ctx: &Ctx, level: Option<&str>) -> Result<()> {
    let all = starters();
    let levels: Vec<&StarterLevel> = match level {
        Some(l) => vec![all.level(l)?],
        None => all.levels.iter().collect(),
    };
    if ctx.json {
        return output::json(&levels);
    }
    for (i, l) in levels.iter().enumerate() {
        println!("{}{} ({})", if i > 0 { "\n" } else { "" }, l.title, l.id);
        for s in &l.starters {
            terminal::item(s, "  ", "- ");
        }
    }
    println!();
    terminal::paragraph(
        "Copy any of these and change the words until they sound like you. Thaw never sends anything; \
         you choose who to tell, and how.",
        "",
    );
    Ok(())
}

fn talked(ctx: &Ctx, args: TalkedArgs) -> Result<()> {
    let name = args.name.join(" ");
    let at = ctx.clock.at(args.at.as_deref())?;
    let went = args.went.as_deref().map(|w| Intensity::parse(w, "How it went")).transpose()?;
    // Check what was typed before asking for the passphrase.
    Conversation::new(&name, None, &args.how, went, args.note.as_deref())?;
    let store = ctx.open()?;
    let people = store.list(&ListQuery::kind(RecordKind::Person))?;
    let wanted = normalise(&name);
    let found = people.iter().find_map(|r| match &r.body {
        RecordBody::Person(p) if normalise(&p.name) == wanted => Some((r.id, p.name.clone())),
        _ => None,
    });
    let Some((person_id, person)) = found else {
        let names: Vec<&str> = people
            .iter()
            .filter_map(|r| match &r.body {
                RecordBody::Person(p) => Some(p.name.as_str()),
                _ => None,
            })
            .collect();
        let folded: Vec<String> = names.iter().map(|n| normalise(n)).collect();
        let near: Vec<&str> = closest(&wanted, folded.iter().map(String::as_str), 2)
            .iter()
            .filter_map(|hit| folded.iter().position(|f| f == hit).map(|i| names[i]))
            .collect();
        let hint =
            if near.is_empty() { String::new() } else { format!(" Did you mean {}?", near.join(" or ")) };
        return Err(exit::bad_input(format!(
            "{} isn't on your list of people yet.{hint} `thaw people add \"{}\"` adds them; `thaw people list` \
             shows who's there.",
            name.trim(),
            name.trim()
        )));
    };
    let talk = Conversation::new(&person, Some(person_id), &args.how, went, args.note.as_deref())?;
    let record = Record::new(RecordBody::Conversation(talk), at, ctx.clock.now);
    let saved = ctx.app(store.as_ref()).add(record)?;
    crate::resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    output::saved(
        &saved,
        ctx.json,
        &format!("Noted your talk with {person}. Reaching out can take a lot, and you did it."),
    )
}
