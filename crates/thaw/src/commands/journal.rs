//! `thaw journal`: add, list, show, edit, delete, search.

use std::io::{IsTerminal, Read};

use anyhow::{Context, Result};
use thaw_app::App;
use thaw_app::input::JournalInput;
use thaw_core::{JournalEntry, Record, RecordBody, RecordKind};
use thaw_store::{ListQuery, SearchQuery};

use super::{Ctx, list_query};
use crate::cli::{JournalAddArgs, JournalCmd, JournalEditArgs, JournalListArgs};
use crate::{editor, exit, output, prompt, resources};

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

/// Where an entry's text came from: given (--body or piped in), or written just now.
enum Written {
    Given(String),
    /// In the editor or typed on the terminal: empty means the person changed their mind.
    Now(String),
}

/// The entry's text: --body, else piped standard input, else the person's editor ($VISUAL or
/// $EDITOR), else typed right on the terminal. The prompt, if one was chosen, is shown above the
/// text and never saved.
fn body_text(body: Option<String>, notes: &[String]) -> Result<Written> {
    if let Some(b) = body {
        return Ok(Written::Given(b));
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text).context("couldn't read the entry from standard input")?;
        if text.trim().is_empty() {
            return Err(exit::bad_input(
                "Nothing came in on standard input, so nothing was saved. Pipe the entry in, or give it with --body.",
            ));
        }
        return Ok(Written::Given(text));
    }
    if editor::editor_command().is_some() {
        let mut notes = notes.to_vec();
        notes.push("Lines starting with #: are not saved. Save and close to keep the entry; leave it empty to keep nothing.".to_owned());
        return Ok(Written::Now(editor::edit_with_notes("", &notes)?));
    }
    Ok(Written::Now(editor::type_in_terminal(notes)?))
}

/// The prompt as notes above the text: its warning first, if it has one.
fn prompt_notes(prompt: Option<&thaw_core::prompts::Prompt>) -> Vec<String> {
    let Some(p) = prompt else { return Vec::new() };
    let mut notes = Vec::new();
    if p.is_heavy() {
        notes.push(p.warning.trim().to_owned());
    }
    notes.push(format!("Your prompt: {}", p.text.trim()));
    notes
}

fn add(ctx: &Ctx, args: JournalAddArgs) -> Result<()> {
    ctx.clock.at(args.at.as_deref())?;
    let prompt = args.prompt.as_deref().map(|id| thaw_core::prompts::prompts().find(id)).transpose()?;
    super::warm_content();
    let store = ctx.open()?;
    let vocab = thaw_app::vocabulary(store.as_ref())?;
    for w in &args.feel {
        vocab.resolve(w)?;
    }
    // Check the title before asking for the body, so nobody writes a page and then loses it.
    thaw_core::text::required(&args.title, "The title", thaw_core::record::MAX_SHORT)?;
    let body = match body_text(args.body, &prompt_notes(prompt.map(|(_, p)| p)))? {
        Written::Given(text) => text,
        Written::Now(text) if text.trim().is_empty() => {
            println!("Nothing was written, so nothing was saved. Come back to it whenever you like.");
            return Ok(());
        }
        Written::Now(text) => text,
    };
    // A title alone never waits for the model; a body is checked by both layers.
    let has_body = body.chars().any(char::is_alphabetic);
    let app = if has_body { ctx.app(store.as_ref()) } else { ctx.app_without_free_text(store.as_ref()) };
    let saved = app.journal(&JournalInput {
        title: args.title,
        body,
        tags: args.tags,
        emotions: args.feel,
        prompt: prompt.map(|(_, p)| p.id.clone()),
        starred: false,
        at: args.at,
    })?;
    resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    output::saved(&saved, ctx.json, "Saved to your journal.")?;
    if has_body && !ctx.json && prompt::interactive() && std::io::stdout().is_terminal() {
        offer_words(ctx, &app, &vocab, saved.record)?;
    }
    Ok(())
}

/// On a terminal, after saving: a few feeling words that might fit, added to the entry only if
/// the person picks them. Quietly nothing when the model isn't there or no new word comes up.
fn offer_words(ctx: &Ctx, app: &App, vocab: &thaw_core::Vocabulary, mut record: Record) -> Result<()> {
    let RecordBody::Journal(entry) = &mut record.body else { return Ok(()) };
    let personal =
        thaw_app::settings::get::<thaw_app::settings::PersonalWords>(app.store())?.unwrap_or_default();
    let text = format!("{}\n{}", entry.title, entry.body);
    let Ok(words) = ctx.understanding.suggest(&text, &personal) else { return Ok(()) };
    let fresh: Vec<_> = words.into_iter().filter(|w| !entry.emotions.contains(&w.word)).collect();
    if fresh.is_empty() {
        return Ok(());
    }
    println!();
    let labels: Vec<String> = fresh.iter().map(|w| super::suggest::labelled(&w.word, vocab)).collect();
    let picked = prompt::multi_select(
        "Might any of these words fit? (space to choose, enter when done; choosing none is fine)",
        &labels,
    )?;
    if picked.is_empty() {
        return Ok(());
    }
    let added: Vec<String> = picked.into_iter().map(|i| fresh[i].word.clone()).collect();
    entry.emotions.extend(added.iter().cloned());
    let saved = app.update(record)?;
    resources::print_follow_up(saved.follow_up.as_ref(), false);
    println!("Added to the entry: {}.", crate::terminal::clean(&added.join(", ")));
    Ok(())
}

fn list(ctx: &Ctx, args: &JournalListArgs) -> Result<()> {
    let query: ListQuery = list_query(ctx, RecordKind::Journal, &args.list)?;
    let store = ctx.open()?;
    let app = ctx.app(store.as_ref());
    let records = match &args.tag {
        Some(tag) => app.journal_tagged(query, std::slice::from_ref(tag))?,
        None => app.list(&query)?,
    };
    output::records(
        &records,
        ctx.json,
        &ctx.clock,
        "Your journal is empty. `thaw journal add --title \"…\"` starts it.",
    )
}

fn find(app: &App, id: &str) -> Result<Record> {
    Ok(app.find(Some(RecordKind::Journal), id)?)
}

fn show(ctx: &Ctx, id: &str) -> Result<()> {
    let store = ctx.open()?;
    let record = find(&ctx.app(store.as_ref()), id)?;
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
    let app = ctx.app(store.as_ref());
    let (mut record, new_title) = match (&args.id, &args.title) {
        (Some(id), title) => (find(&app, id)?, title.clone()),
        (None, Some(title)) => (
            app.journal_by_title(title)?.ok_or_else(|| {
                exit::bad_input(format!(
                    "No journal entry is titled \"{title}\". `thaw journal list` shows them."
                ))
            })?,
            None,
        ),
        (None, None) => return Err(exit::bad_input("Say which entry: its id, or --title \"…\".")),
    };
    let RecordBody::Journal(entry) = &record.body else {
        return Err(exit::bad_input("That record isn't a journal entry."));
    };
    let title = new_title.unwrap_or_else(|| entry.title.clone());
    let body = match &args.body {
        Some(b) => b.clone(),
        // Text files end with a newline; editors expect it, and the entry is trimmed on save.
        None => {
            let text = editor::edit(&format!("{}\n", entry.body))?;
            if text.trim().is_empty() && !entry.body.trim().is_empty() {
                println!(
                    "The entry came back empty, so it was left as it was. To delete it: `thaw journal delete {}`.",
                    record.id.short()
                );
                return Ok(());
            }
            text
        }
    };
    if body == entry.body && title == entry.title {
        println!("No changes.");
        return Ok(());
    }
    let mut updated = JournalEntry::new(&title, &body, &entry.tags, entry.emotions.clone())?;
    updated.prompt = entry.prompt.clone();
    updated.starred = entry.starred;
    record.body = RecordBody::Journal(updated);
    let saved = app.update(record)?;
    resources::print_follow_up(saved.follow_up.as_ref(), ctx.json);
    output::saved(&saved, ctx.json, "Updated.")
}

fn delete(ctx: &Ctx, id: &str, yes: bool) -> Result<()> {
    let store = ctx.open()?;
    let app = ctx.app(store.as_ref());
    let record = find(&app, id)?;
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
    app.delete(record.id)?;
    if !ctx.json {
        println!("Deleted.");
    }
    Ok(())
}

/// Used by `thaw search` too.
pub fn search_query(text: &str, kinds: &[RecordKind], limit: usize) -> SearchQuery {
    SearchQuery { text: text.to_owned(), kinds: kinds.to_vec(), limit }
}
