//! `/people`: the people you trust and might talk to.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::{RecordBody, RecordKind};
use thaw_store::ListQuery;

use super::{IdPath, edit};
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::PersonInput;
use crate::state::AppState;
use crate::view::{Chrome, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(people).post(add_person))
        .route("/people/{id}/edit", get(edit_person).post(update_person))
}

struct PersonRow {
    id: String,
    name: String,
    reach: Option<String>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    form: FormData,
    people: Vec<PersonRow>,
    notice: Option<String>,
    error: Option<String>,
    /// Where the form goes: `/people`, or `/people/{id}/edit` when changing someone's details.
    action: String,
    editing: bool,
}

async fn page(
    state: &AppState,
    form: FormData,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    page_for(state, form, notice, error, None).await
}

async fn page_for(
    state: &AppState,
    form: FormData,
    notice: Option<String>,
    error: Option<String>,
    editing: Option<String>,
) -> Result<Response, PageError> {
    let records = state
        .with_store(
            |s| Ok(s.list(&ListQuery { newest_first: false, ..ListQuery::kind(RecordKind::Person) })?),
        )
        .await?;
    let people = records
        .into_iter()
        .filter_map(|r| match r.body {
            RecordBody::Person(p) => {
                Some(PersonRow { id: r.id.to_string(), name: p.name, reach: p.reach, note: p.note })
            }
            _ => None,
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render_with(
        status,
        &PeoplePage {
            chrome: Chrome::new(state, "People", "people"),
            form,
            people,
            notice,
            error,
            action: editing.as_ref().map_or_else(|| "/people".to_owned(), |id| format!("/people/{id}/edit")),
            editing: editing.is_some(),
        },
    ))
}

async fn people(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("done") {
        "changed" => Some("Saved your changes.".to_owned()),
        _ => q.checked("added").then(|| "Added.".to_owned()),
    };
    page(&state, FormData::default(), notice, None).await
}

async fn add_person(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = PersonInput {
        name: form.value("name").to_owned(),
        reach: form.get("reach").map(str::to_owned),
        note: form.get("note").map(str::to_owned),
    };
    let saved = state.with_app(move |app| crate::app::or_message(app.person(&input))).await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => support_page(&state, f, "Added.").await,
            None => Ok(Redirect::to("/people?added=1").into_response()),
        },
        Err(message) => page(&state, form, None, Some(message)).await,
    }
}

async fn edit_person(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let record = edit::find(&state, RecordKind::Person, &id).await?;
    let RecordBody::Person(p) = &record.body else { return Err(PageError(WebError::NotFound)) };
    let mut form = FormData::default();
    form.push("name", p.name.clone());
    form.push("reach", p.reach.clone().unwrap_or_default());
    form.push("note", p.note.clone().unwrap_or_default());
    page_for(&state, form, None, None, Some(record.id.to_string())).await
}

async fn update_person(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Form(form): Form,
) -> Result<Response, PageError> {
    let old = edit::find(&state, RecordKind::Person, &id).await?;
    let editing = Some(old.id.to_string());
    let input = PersonInput {
        name: form.value("name").to_owned(),
        reach: form.get("reach").map(str::to_owned),
        note: form.get("note").map(str::to_owned),
    };
    let saved = state
        .with_app(move |app| {
            crate::app::or_message(input.record(app.clock()).map_err(Into::into).and_then(|mut new| {
                new.at = old.at;
                edit::replace(app, &old, new)
            }))
        })
        .await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => support_page(&state, f, "Saved your changes.").await,
            None => Ok(Redirect::to("/people?done=changed").into_response()),
        },
        Err(message) => page_for(&state, form, None, Some(message), editing).await,
    }
}

#[derive(Template)]
#[template(path = "saved_support.html")]
struct SupportPage {
    chrome: Chrome,
    notice: &'static str,
    support: Option<crate::app::SupportView>,
    back: &'static str,
}

/// After a save that calls for it: support first, then the way back.
async fn support_page(
    state: &AppState,
    f: &thaw_app::FollowUp,
    notice: &'static str,
) -> Result<Response, PageError> {
    Ok(crate::view::render(&SupportPage {
        chrome: Chrome::new(state, "Saved", "people"),
        notice,
        support: Some(crate::app::SupportView::new(f)),
        back: "/people",
    }))
}
