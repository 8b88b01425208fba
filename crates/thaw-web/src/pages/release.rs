//! `/release`: moments when feelings came out: crying, tearing up, laughing hard, feeling moved.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::{RecordBody, RecordKind, ReleaseKind};
use thaw_store::ListQuery;

use super::records::latest;
use super::{IdPath, edit};
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{ReleaseInput, form_number};
use crate::state::AppState;
use crate::view::{Chrome, Row, kind_label, render_with, when};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/release", get(release).post(record_release))
        .route("/release/{id}/edit", get(edit_release).post(update_release))
}

#[derive(Template)]
#[template(path = "release.html")]
struct ReleasePage {
    chrome: Chrome,
    form: FormData,
    kinds: Vec<(&'static str, &'static str)>,
    /// Recent activities, reactions and entries the moment may have followed: (id, label).
    linkable: Vec<(String, String)>,
    rows: Vec<Row>,
    notice: Option<&'static str>,
    error: Option<String>,
    /// Where the form goes: `/release`, or `/release/{id}/edit` when changing one.
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
    let recent = state
        .with_store(|s| {
            Ok(s.list(&ListQuery {
                kinds: vec![RecordKind::Activity, RecordKind::Reaction, RecordKind::Journal],
                limit: Some(12),
                newest_first: true,
                ..ListQuery::default()
            })?)
        })
        .await?;
    let mut linkable: Vec<(String, String)> = recent
        .iter()
        .filter(|r| editing.as_deref() != Some(r.id.to_string().as_str()))
        .map(|r| {
            (
                r.id.to_string(),
                format!("{} · {} · {}", kind_label(r.kind()), when(r.at, state), r.body.summary()),
            )
        })
        .collect();
    // A link made earlier to something no longer among the latest stays choosable.
    if let Some(linked) = form.text("linked")
        && !linkable.iter().any(|(id, _)| id == linked)
    {
        linkable.push((linked.to_owned(), "What it was linked to before".to_owned()));
    }
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ReleasePage {
        chrome: Chrome::new(state, "Release", "release"),
        form,
        kinds: ReleaseKind::ALL.iter().map(|k| (k.id(), k.label())).collect(),
        linkable,
        rows: latest(state, RecordKind::Release, 20).await?,
        notice,
        error,
        action: editing.as_ref().map_or_else(|| "/release".to_owned(), |id| format!("/release/{id}/edit")),
        editing: editing.is_some(),
        support,
    };
    Ok(render_with(status, &page))
}

async fn release(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "" => None,
        "changed" => Some("Saved your changes."),
        _ => Some("Saved. Whatever came out, it's good that it had somewhere to go."),
    };
    page(&state, FormData::default(), notice, None).await
}

fn release_input(form: &FormData) -> Result<ReleaseInput, WebError> {
    Ok(ReleaseInput {
        kind: form.value("kind").to_owned(),
        intensity: form_number(form.value("intensity"), "Intensity")?
            .ok_or_else(|| WebError::BadInput("Please choose how strong it was, from 0 to 10.".into()))?,
        before: form.get("before").map(str::to_owned),
        relief: form_number(form.value("relief"), "Relief")?,
        linked: form.text("linked").map(str::to_owned),
        at: form.text("at").map(str::to_owned),
    })
}

async fn record_release(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = match release_input(&form) {
        Ok(i) => i,
        Err(e) => return page(&state, form, None, Some(e.to_string())).await,
    };
    if form.text("kind").is_none() {
        return page(&state, form, None, Some("Please pick what happened.".into())).await;
    }
    let saved = state.with_app(move |app| crate::app::or_message(app.release(&input))).await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => {
                let support = Some(crate::app::SupportView::new(f));
                page_for(&state, FormData::default(), Some("Noted."), None, None, support).await
            }
            None => Ok(Redirect::to("/release?saved=1").into_response()),
        },
        Err(message) => page(&state, form, None, Some(message)).await,
    }
}

async fn edit_release(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let record = edit::find(&state, RecordKind::Release, &id).await?;
    let RecordBody::Release(r) = &record.body else { return Err(PageError(WebError::NotFound)) };
    let mut form = FormData::default();
    form.push("kind", r.kind.id());
    form.push("intensity", u8::from(r.intensity).to_string());
    form.push("before", r.before.clone().unwrap_or_default());
    form.push("relief", r.relief.map(|v| u8::from(v).to_string()).unwrap_or_default());
    form.push("linked", r.linked.map(|l| l.to_string()).unwrap_or_default());
    form.push("at", edit::local_input(record.at, &state));
    page_for(&state, form, None, None, Some(record.id.to_string()), None).await
}

async fn update_release(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Form(form): Form,
) -> Result<Response, PageError> {
    let old = edit::find(&state, RecordKind::Release, &id).await?;
    let editing = Some(old.id.to_string());
    let input = match release_input(&form) {
        Ok(i) => i,
        Err(e) => return page_for(&state, form, None, Some(e.to_string()), editing, None).await,
    };
    if form.text("kind").is_none() {
        return page_for(&state, form, None, Some("Please pick what happened.".into()), editing, None).await;
    }
    let saved = state
        .with_app(move |app| {
            crate::app::or_message(
                input.record(app.store(), app.clock()).and_then(|new| edit::replace(app, &old, new)),
            )
        })
        .await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => {
                let support = Some(crate::app::SupportView::new(f));
                page_for(&state, FormData::default(), Some("Saved your changes."), None, None, support).await
            }
            None => Ok(Redirect::to("/release?saved=changed").into_response()),
        },
        Err(message) => page_for(&state, form, None, Some(message), editing, None).await,
    }
}
