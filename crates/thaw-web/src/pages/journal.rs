//! `/journal`: the list, a new entry, reading, editing and deleting an entry.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::prompts::{Prompt, PromptGroup, prompts};
use thaw_core::{JournalEntry, Record, RecordBody, RecordId, RecordKind};
use thaw_store::ListQuery;

use super::IdPath;
use crate::app::{SupportView, or_message, vocabulary};
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::JournalInput;
use crate::state::AppState;
use crate::view::{Chrome, iso, render, render_with, when};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/journal", get(list).post(create))
        .route("/journal/new", get(new_entry).post(new_entry_prefilled))
        .route("/journal/prompts", get(all_prompts))
        .route("/journal/tagged", axum::routing::post(tagged))
        .route("/journal/{id}", get(read))
        .route("/journal/{id}/edit", get(edit).post(update))
        .route("/journal/{id}/delete", get(confirm_delete).post(delete))
}

const PAGE: usize = 50;

struct EntryRow {
    href: String,
    title: String,
    when: String,
    datetime: String,
    tags: Vec<String>,
}

#[derive(Template)]
#[template(path = "journal_list.html")]
struct ListPage {
    chrome: Chrome,
    entries: Vec<EntryRow>,
    more_href: Option<String>,
    tag: Option<String>,
    notice: Option<&'static str>,
}

async fn list(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let limit = q.value("limit").parse::<usize>().ok().filter(|n| *n > 0).unwrap_or(PAGE).min(10_000);
    let notice = q.checked("deleted").then_some("The entry is deleted.");
    list_page(&state, limit, None, notice).await
}

/// Entries with one tag. Posted, because a tag is words the person wrote, and addresses end up in
/// the browser's history.
async fn tagged(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let tag = thaw_core::record::normalise_tags(&[form.value("tag").to_owned()])?.into_iter().next();
    list_page(&state, 10_000, tag, None).await
}

async fn list_page(
    state: &AppState,
    limit: usize,
    tag: Option<String>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let wanted = tag.clone();
    let records = state
        .with_store(move |s| {
            let mut query = ListQuery::kind(RecordKind::Journal);
            if wanted.is_none() {
                query.limit = Some(limit + 1);
            }
            let mut all = s.list(&query)?;
            if let Some(t) = &wanted {
                all.retain(|r| matches!(&r.body, RecordBody::Journal(j) if j.tags.contains(t)));
                all.truncate(limit + 1);
            }
            Ok(all)
        })
        .await?;
    let more_href = (records.len() > limit).then(|| format!("/journal?limit={}", limit * 4));
    let entries = records
        .iter()
        .take(limit)
        .filter_map(|r| match &r.body {
            RecordBody::Journal(j) => Some(EntryRow {
                href: format!("/journal/{}", r.id),
                title: j.title.clone(),
                when: when(r.at, state),
                datetime: iso(r.at),
                tags: j.tags.clone(),
            }),
            _ => None,
        })
        .collect();
    Ok(render(&ListPage {
        chrome: Chrome::new(state, "Journal", "journal"),
        entries,
        more_href,
        tag,
        notice,
    }))
}

#[derive(Template)]
#[template(path = "journal_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    form: FormData,
    words: Vec<String>,
    is_new: bool,
    error: Option<String>,
    /// Words that might fit the entry, after the person asked for them.
    offer: Option<crate::api::suggest::Offer>,
    /// The prompt this entry answers, shown above the text (never part of it).
    prompt: Option<&'static Prompt>,
    /// A few gentle prompts to start from, on a new entry without one.
    starters: Vec<&'static Prompt>,
}

/// How many prompts the new-entry page offers.
const STARTERS: usize = 3;

/// A prompt from the form or the address (`?prompt=ID`); an unknown id is ignored.
fn chosen_prompt(form: &FormData) -> Option<&'static Prompt> {
    form.text("prompt").and_then(|id| prompts().find(id).ok()).map(|(_, p)| p)
}

/// A few light prompts (none with a warning), a different few each day.
fn starters(state: &AppState) -> Vec<&'static Prompt> {
    let light: Vec<&'static Prompt> = prompts().all().map(|(_, p)| p).filter(|p| !p.is_heavy()).collect();
    let today = jiff::Timestamp::now().to_zoned(state.tz().clone());
    let day = usize::try_from(i32::from(today.year()) * 366 + i32::from(today.day_of_year())).unwrap_or(0);
    (0..STARTERS.min(light.len())).map(|i| light[(day * STARTERS + i) % light.len()]).collect()
}

async fn form_page(
    state: &AppState,
    heading: &str,
    action: String,
    form: FormData,
    is_new: bool,
    error: Option<String>,
) -> Result<Response, PageError> {
    let words = state
        .with_store(|s| Ok(vocabulary(s)?.emotions().iter().map(|e| e.word.clone()).collect::<Vec<_>>()))
        .await?;
    let offer = if form.checked("suggest") {
        let text = format!("{}\n{}", form.value("title"), form.value("body"));
        Some(crate::api::suggest::offer(state, &text, &form.list("feel"), "feel").await?)
    } else {
        None
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let prompt = chosen_prompt(&form);
    let starters = if is_new && prompt.is_none() { starters(state) } else { Vec::new() };
    let page = FormPage {
        offer,
        chrome: Chrome::new(state, heading, "journal"),
        heading: heading.to_owned(),
        action,
        form,
        words,
        is_new,
        error,
        prompt,
        starters,
    };
    Ok(render_with(status, &page))
}

async fn new_entry(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let asked = FormData::from_query(query.as_deref());
    let mut form = FormData::default();
    if let Some(p) = chosen_prompt(&asked) {
        form.push("prompt", p.id.clone());
    }
    form_page(&state, "New entry", "/journal".into(), form, true, None).await
}

#[derive(Template)]
#[template(path = "journal_prompts.html")]
struct PromptsPage {
    chrome: Chrome,
    groups: &'static [PromptGroup],
}

/// Every writing prompt, by purpose; each opens a new entry with it.
async fn all_prompts(State(state): State<AppState>) -> Result<Response, PageError> {
    Ok(render(&PromptsPage {
        chrome: Chrome::new(&state, "Writing prompts", "journal"),
        groups: &prompts().groups,
    }))
}

/// The new-entry form with fields filled in (from "write about it" after a check-in).
async fn new_entry_prefilled(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let mut prefilled = FormData::default();
    prefilled.push("feel", form.list("feel").join(", "));
    prefilled.push("title", form.value("title"));
    form_page(&state, "New entry", "/journal".into(), prefilled, true, None).await
}

fn journal_input(form: &FormData) -> JournalInput {
    JournalInput {
        title: form.value("title").to_owned(),
        body: form.value("body").to_owned(),
        tags: form.list("tags"),
        emotions: form.list("feel"),
        at: form.text("at").map(str::to_owned),
        prompt: chosen_prompt(form).map(|p| p.id.clone()),
        ..JournalInput::default()
    }
}

async fn create(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    if form.checked("suggest") {
        // "Words that might fit": the same form again, with the words offered; nothing is saved.
        return form_page(&state, "New entry", "/journal".into(), form, true, None).await;
    }
    let input = journal_input(&form);
    let saved = state.with_app(move |app| or_message(app.journal(&input))).await?;
    match saved {
        Ok(saved) => {
            let id = saved.record.id;
            crate::app::hold(id, saved.follow_up);
            Ok(Redirect::to(&format!("/journal/{id}?saved=1")).into_response())
        }
        Err(message) => form_page(&state, "New entry", "/journal".into(), form, true, Some(message)).await,
    }
}

async fn find(state: &AppState, id: &str) -> Result<(Record, JournalEntry), WebError> {
    let id: RecordId = id.parse().map_err(|_| WebError::NotFound)?;
    let record = state.with_store(move |s| Ok(s.get(id)?)).await?;
    match record {
        Some(r) => match &r.body {
            RecordBody::Journal(j) => {
                let entry = j.clone();
                Ok((r, entry))
            }
            _ => Err(WebError::NotFound),
        },
        None => Err(WebError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "journal_view.html")]
struct ReadPage {
    chrome: Chrome,
    id: String,
    entry: JournalEntry,
    when: String,
    datetime: String,
    html: String,
    notice: Option<&'static str>,
    /// Right after a save that calls for it: support, first on the page.
    support: Option<SupportView>,
}

async fn read(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let (record, entry) = find(&state, &id).await?;
    let q = FormData::from_query(query.as_deref());
    let notice = if q.checked("saved") {
        Some("Saved to your journal.")
    } else if q.checked("updated") {
        Some("Your changes are saved.")
    } else {
        None
    };
    let support = match notice {
        Some(_) => crate::app::support_for(&state, record.id).await,
        None => None,
    };
    Ok(render(&ReadPage {
        chrome: Chrome::new(&state, entry.title.clone(), "journal"),
        id: record.id.to_string(),
        html: crate::markdown::to_html(&entry.body),
        when: when(record.at, &state),
        datetime: iso(record.at),
        entry,
        notice,
        support,
    }))
}

fn entry_form(entry: &JournalEntry) -> FormData {
    let mut form = FormData::default();
    form.push("title", entry.title.clone());
    form.push("body", entry.body.clone());
    form.push("tags", entry.tags.join(", "));
    form.push("feel", entry.emotions.join(", "));
    if let Some(p) = &entry.prompt {
        form.push("prompt", p.clone());
    }
    form
}

async fn edit(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let (record, entry) = find(&state, &id).await?;
    form_page(&state, "Edit entry", format!("/journal/{}/edit", record.id), entry_form(&entry), false, None)
        .await
}

async fn update(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Form(form): Form,
) -> Result<Response, PageError> {
    let (mut record, old) = find(&state, &id).await?;
    if form.checked("suggest") {
        let action = format!("/journal/{}/edit", record.id);
        return form_page(&state, "Edit entry", action, form, false, None).await;
    }
    let input = journal_input(&form);
    let id = record.id;
    let saved = state
        .with_app(move |app| {
            let mut entry = match app.vocabulary().and_then(|v| Ok(input.entry(&v)?)) {
                Ok(e) => e,
                Err(e) => return or_message(Err(e)),
            };
            entry.prompt = old.prompt;
            entry.starred = old.starred;
            record.body = RecordBody::Journal(entry);
            or_message(app.update(record))
        })
        .await?;
    match saved {
        Ok(saved) => {
            crate::app::hold(id, saved.follow_up);
            Ok(Redirect::to(&format!("/journal/{id}?updated=1")).into_response())
        }
        Err(message) => {
            form_page(&state, "Edit entry", format!("/journal/{id}/edit"), form, false, Some(message)).await
        }
    }
}

#[derive(Template)]
#[template(path = "journal_delete.html")]
struct DeletePage {
    chrome: Chrome,
    id: String,
    title: String,
    when: String,
}

async fn confirm_delete(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let (record, entry) = find(&state, &id).await?;
    Ok(render(&DeletePage {
        chrome: Chrome::new(&state, "Delete entry?", "journal"),
        id: record.id.to_string(),
        title: entry.title,
        when: when(record.at, &state),
    }))
}

async fn delete(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let (record, _) = find(&state, &id).await?;
    state.with_store(move |s| Ok(s.delete(record.id)?)).await?;
    Ok(Redirect::to("/journal?deleted=1").into_response())
}
