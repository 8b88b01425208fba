//! `thaw journal`: add, list, show, edit, delete, search.

use std::io::{IsTerminal, Read};

use anyhow::{Context, Result};
use thaw_core::ids::IdRef;
use thaw_core::{JournalEntry, Record, RecordBody, RecordKind};
use thaw_store::{ListQuery, SearchQuery, SqliteStore, Store};

use super::{Ctx, list_query};
use crate::cli::{JournalAddArgs, JournalCmd, JournalEditArgs, JournalListArgs};
use crate::{editor, exit, output, prompt, session};

pub fn run(ctx: &Ctx, cmd: JournalCmd) -> Result<()> {
    match cmd {
        JournalCmd::Add(args) => add(ctx, args),
        JournalCmd::List(args) => list(ctx, &args),
        JournalCmd::Show { id } => show(ctx, &id),
        JournalCmd::Edit(args) => edit(ctx, &args),
        JournalCmd::Delete { id, yes } => delete(ctx, &id, yes),
        JournalCmd::Search { query } => {
            super::search::run_kinds(ctx, &query.join(" "), &[RecordKind::Journal], 50)
        }
    }
}

/// The entry's text: --body, else piped standard input, else the editor.
fn body_text(body: Option<String>) -> Result<String> {
    if let Some(b) = body {
        return Ok(b);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text).context("couldn't read the entry from standard input")?;
        return Ok(text);
    }
    editor::edit("")
}

fn add(ctx: &Ctx, args: JournalAddArgs) -> Result<()> {
    let at = ctx.clock.at(args.at.as_deref())?;
    let prompt = args.prompt.as_deref().map(|id| thaw_core::prompts::prompts().find(id)).transpose()?;
    let store = ctx.open()?;
    let vocab = session::vocabulary(&store)?;
    let emotions =
        args.feel.iter().map(|w| vocab.resolve(w).map(|e| e.word.clone())).collect::<Result<Vec<_>, _>>()?;
    // Check the title before asking for the body, so nobody writes a page and then loses it.
    thaw_core::text::required(&args.title, "The title", thaw_core::record::MAX_SHORT)?;
    let body = body_text(args.body)?;
    let mut entry = JournalEntry::new(&args.title, &body, &args.tags, emotions)?;
    entry.prompt = prompt.map(|(_, p)| p.id.clone());
    let record = Record::new(RecordBody::Journal(entry), at, ctx.clock.now);
    store.insert(&record)?;
    output::saved(&record, ctx.json, "Saved to your journal.")?;
    crate::resources::after_write(&store, &record, None, ctx.json);
    Ok(())
}

fn list(ctx: &Ctx, args: &JournalListArgs) -> Result<()> {
    let mut query: ListQuery = list_query(ctx, RecordKind::Journal, &args.list)?;
    let store = ctx.open()?;
    let records = if args.tag.is_some() {
        let limit = query.limit.take();
        let tag = thaw_core::record::normalise_tags(&[args.tag.clone().unwrap_or_default()])?;
        let mut all = store.list(&query)?;
        all.retain(|r| matches!(&r.body, RecordBody::Journal(j) if tag.iter().all(|t| j.tags.contains(t))));
        if let Some(l) = limit {
            all.truncate(l);
        }
        all
    } else {
        store.list(&query)?
    };
    output::records(
        &records,
        ctx.json,
        &ctx.clock,
        "Your journal is empty. `thaw journal add --title \"…\"` starts it.",
    )
}

fn find(store: &SqliteStore, id: &str) -> Result<Record> {
    let prefix = IdRef::parse(id)?;
    let id = store.resolve(&prefix, Some(RecordKind::Journal))?;
    store.get(id)?.ok_or_else(|| exit::bad_input("That entry was just removed."))
}

fn show(ctx: &Ctx, id: &str) -> Result<()> {
    let store = ctx.open()?;
    let record = find(&store, id)?;
    if ctx.json {
        return output::json(&record);
    }
    if let RecordBody::Journal(j) = &record.body {
        use crate::terminal::clean;
        println!("# {}", clean(&j.title));
        println!("{} · id {}", record.at.display_in(&ctx.clock.tz), record.id.short());
        if !j.tags.is_empty() {
            println!("#{}", clean(&j.tags.join(" #")));
        }
        if !j.emotions.is_empty() {
            println!("Feelings: {}", clean(&j.emotions.join(", ")));
        }
        println!("\n{}", clean(&j.body));
    }
    Ok(())
}

fn edit(ctx: &Ctx, args: &JournalEditArgs) -> Result<()> {
    let store = ctx.open()?;
    let (mut record, new_title) = match (&args.id, &args.title) {
        (Some(id), title) => (find(&store, id)?, title.clone()),
        (None, Some(title)) => (by_title(&store, title)?, None),
        (None, None) => return Err(exit::bad_input("Say which entry: its id, or --title \"…\".")),
    };
    let before = record.clone();
    let RecordBody::Journal(entry) = &record.body else {
        return Err(exit::bad_input("That record isn't a journal entry."));
    };
    let title = new_title.unwrap_or_else(|| entry.title.clone());
    let body = match &args.body {
        Some(b) => b.clone(),
        // Text files end with a newline; editors expect it, and the entry is trimmed on save.
        None => editor::edit(&format!("{}\n", entry.body))?,
    };
    if body == entry.body && title == entry.title {
        println!("No changes.");
        return Ok(());
    }
    let mut updated = JournalEntry::new(&title, &body, &entry.tags, entry.emotions.clone())?;
    updated.prompt = entry.prompt.clone();
    updated.starred = entry.starred;
    record.body = RecordBody::Journal(updated);
    record.updated_at = ctx.clock.now;
    store.update(&record)?;
    output::saved(&record, ctx.json, "Updated.")?;
    crate::resources::after_write(&store, &record, Some(&before), ctx.json);
    Ok(())
}

fn by_title(store: &SqliteStore, title: &str) -> Result<Record> {
    let wanted = title.trim().to_lowercase();
    let all = store.list(&ListQuery::kind(RecordKind::Journal))?;
    all.into_iter()
        .find(|r| matches!(&r.body, RecordBody::Journal(j) if j.title.to_lowercase() == wanted))
        .ok_or_else(|| {
            exit::bad_input(format!(
                "No journal entry is titled \"{title}\". `thaw journal list` shows them."
            ))
        })
}

fn delete(ctx: &Ctx, id: &str, yes: bool) -> Result<()> {
    let store = ctx.open()?;
    let record = find(&store, id)?;
    if !yes && prompt::interactive() {
        let title = match &record.body {
            RecordBody::Journal(j) => j.title.clone(),
            _ => String::new(),
        };
        if !prompt::confirm(&format!("Delete \"{title}\"? This can't be undone."), false)? {
            println!("Kept.");
            return Ok(());
        }
    }
    store.delete(record.id)?;
    if !ctx.json {
        println!("Deleted.");
    }
    Ok(())
}

/// Used by `thaw search` too.
pub fn search_query(text: &str, kinds: &[RecordKind], limit: usize) -> SearchQuery {
    SearchQuery { text: text.to_owned(), kinds: kinds.to_vec(), limit }
}
