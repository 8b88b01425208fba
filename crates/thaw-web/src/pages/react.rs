//! `/react`: notice how you reacted to an intense moment, without judging it.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::{ReactionStyle, RecordBody, RecordKind};

use super::records::latest;
use super::{IdPath, edit};
use crate::app::vocabulary;
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{ReactionInput, form_number};
use crate::state::AppState;
use crate::view::{Chrome, Row, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/react", get(react).post(record_reaction))
        .route("/react/{id}/edit", get(edit_reaction).post(update_reaction))
}

#[derive(Template)]
#[template(path = "react.html")]
struct ReactPage {
    chrome: Chrome,
    form: FormData,
    styles: Vec<(&'static str, &'static str)>,
    words: Vec<String>,
    rows: Vec<Row>,
    notice: Option<&'static str>,
    error: Option<String>,
    /// Where the form goes: `/react`, or `/react/{id}/edit` when changing one.
    action: String,
    editing: bool,
    /// Right after saving text with risk language: gentle words and the way to support.
    support: Option<crate::app::SupportView>,
}

async fn page(
    state: &AppState,
    form: FormData,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    page_for(state, form, notice, error, None, None).await
}

async fn page_for(
    state: &AppState,
    form: FormData,
    notice: Option<&'static str>,
    error: Option<String>,
    editing: Option<String>,
    support: Option<crate::app::SupportView>,
) -> Result<Response, PageError> {
    let words =
        state.with_store(|s| Ok(vocabulary(s)?.emotions().iter().map(|e| e.word.clone()).collect())).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ReactPage {
        chrome: Chrome::new(state, "Reactions", "react"),
        form,
        styles: ReactionStyle::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        words,
        rows: latest(state, RecordKind::Reaction, 20).await?,
        notice,
        error,
        action: editing.as_ref().map_or_else(|| "/react".to_owned(), |id| format!("/react/{id}/edit")),
        editing: editing.is_some(),
        support,
    };
    Ok(render_with(status, &page))
}

async fn react(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "through" => Some("Noted. You let some of it through, and that counts."),
        "changed" => Some("Saved your changes."),
        "" => None,
        _ => Some("Noted. Noticing how you reacted is the first step; there's no wrong way."),
    };
    page(&state, FormData::default(), notice, None).await
}

/// The reaction in the form, or what to say about it.
fn reaction_input(form: &FormData) -> Result<ReactionInput, String> {
    let intensity = match form_number(form.value("intensity"), "Intensity") {
        Ok(Some(n)) => n,
        Ok(None) => return Err("Please choose how intense it was, from 0 to 10.".into()),
        Err(e) => return Err(e.to_string()),
    };
    Ok(ReactionInput {
        situation: form.value("situation").to_owned(),
        intensity,
        styles: form.all("style").into_iter().map(str::to_owned).collect(),
        felt: form.list("felt"),
        reflection: form.get("reflection").map(str::to_owned),
        at: form.text("at").map(str::to_owned),
    })
}

async fn record_reaction(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = match reaction_input(&form) {
        Ok(i) => i,
        Err(m) => return page(&state, form, None, Some(m)).await,
    };
    let saved = state.with_app(move |app| crate::app::or_message(app.reaction(&input))).await?;
    match saved {
        Ok(saved) => {
            let record = &saved.record;
            let through = matches!(&record.body, RecordBody::Reaction(r) if r.styles.iter().any(|s| s.lets_feeling_through()));
            if let Some(f) = &saved.follow_up {
                let support = Some(crate::app::SupportView::new(f));
                return page_for(&state, FormData::default(), Some("Noted."), None, None, support).await;
            }
            Ok(Redirect::to(if through { "/react?saved=through" } else { "/react?saved=1" }).into_response())
        }
        Err(message) => page(&state, form, None, Some(message)).await,
    }
}

async fn edit_reaction(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let record = edit::find(&state, RecordKind::Reaction, &id).await?;
    let RecordBody::Reaction(r) = &record.body else { return Err(PageError(WebError::NotFound)) };
    let mut form = FormData::default();
    form.push("situation", r.situation.clone());
    form.push("intensity", u8::from(r.intensity).to_string());
    for style in &r.styles {
        form.push("style", style.id());
    }
    form.push("felt", r.felt.join(", "));
    form.push("reflection", r.reflection.clone().unwrap_or_default());
    form.push("at", edit::local_input(record.at, &state));
    page_for(&state, form, None, None, Some(record.id.to_string()), None).await
}

async fn update_reaction(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Form(form): Form,
) -> Result<Response, PageError> {
    let old = edit::find(&state, RecordKind::Reaction, &id).await?;
    let editing = Some(old.id.to_string());
    let input = match reaction_input(&form) {
        Ok(i) => i,
        Err(m) => return page_for(&state, form, None, Some(m), editing, None).await,
    };
    let saved = state
        .with_app(move |app| {
            crate::app::or_message(
                input
                    .record(&app.vocabulary()?, app.clock())
                    .map_err(Into::into)
                    .and_then(|new| edit::replace(app, &old, new)),
            )
        })
        .await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => {
                let support = Some(crate::app::SupportView::new(f));
                page_for(&state, FormData::default(), Some("Saved your changes."), None, None, support).await
            }
            None => Ok(Redirect::to("/react?saved=changed").into_response()),
        },
        Err(message) => page_for(&state, form, None, Some(message), editing, None).await,
    }
}
