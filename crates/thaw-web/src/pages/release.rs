//! `/release`: moments when feelings came out: crying, tearing up, laughing hard, feeling moved.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use thaw_core::{RecordBody, RecordKind, ReleaseKind};
use thaw_store::ListQuery;

use super::shell::{AfterSave, Shell, Shown};
use super::{IdPath, edit};
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{ReleaseInput, form_number};
use crate::state::AppState;
use crate::view::{kind_label, render_with, when};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/release", get(release).post(record_release))
        .route("/release/{id}/edit", get(edit_release).post(update_release))
}

#[derive(Template)]
#[template(path = "release.html")]
struct ReleasePage {
    shell: Shell,
    kinds: Vec<(&'static str, &'static str)>,
    /// Recent activities, reactions and entries the moment may have followed: (id, label).
    linkable: Vec<(String, String)>,
}

impl std::ops::Deref for ReleasePage {
    type Target = Shell;
    fn deref(&self) -> &Shell {
        &self.shell
    }
}

async fn page(state: &AppState, shown: Shown) -> Result<Response, PageError> {
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
        .filter(|r| shown.editing.as_deref() != Some(r.id.to_string().as_str()))
        .map(|r| {
            (
                r.id.to_string(),
                format!("{} · {} · {}", kind_label(r.kind()), when(r.at, state), r.body.summary()),
            )
        })
        .collect();
    // A link made earlier to something no longer among the latest stays choosable.
    if let Some(linked) = shown.form.text("linked")
        && !linkable.iter().any(|(id, _)| id == linked)
    {
        linkable.push((linked.to_owned(), "What it was linked to before".to_owned()));
    }
    let page = ReleasePage {
        shell: Shell::new(state, RecordKind::Release, "Release", "/release", shown).await?,
        kinds: ReleaseKind::ALL.iter().map(|k| (k.id(), k.label())).collect(),
        linkable,
    };
    Ok(render_with(page.status, &page))
}

async fn release(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "" => None,
        "changed" => Some("Saved your changes."),
        _ => Some("Saved. Whatever came out, it's good that it had somewhere to go."),
    };
    page(&state, Shown::notice(notice)).await
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

const PICK_KIND: &str = "Please pick what happened.";

async fn record_release(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = match release_input(&form) {
        Ok(i) => i,
        Err(e) => return page(&state, Shown::problem(form, e.to_string(), None)).await,
    };
    if form.text("kind").is_none() {
        return page(&state, Shown::problem(form, PICK_KIND.into(), None)).await;
    }
    let saved = state.with_app(move |app| crate::app::or_message(app.release(&input))).await?;
    match AfterSave::of(saved, form, None, "Noted.", "/release?saved=1".to_owned()) {
        AfterSave::Page(shown) => page(&state, *shown).await,
        AfterSave::Redirect(to) => Ok(AfterSave::redirect(&to)),
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
    page(&state, Shown::editing(form, record.id.to_string())).await
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
        Err(e) => return page(&state, Shown::problem(form, e.to_string(), editing)).await,
    };
    if form.text("kind").is_none() {
        return page(&state, Shown::problem(form, PICK_KIND.into(), editing)).await;
    }
    let saved = state
        .with_app(move |app| {
            crate::app::or_message(
                input.record(app.store(), app.clock()).and_then(|new| edit::replace(app, &old, new)),
            )
        })
        .await?;
    match AfterSave::of(saved, form, editing, "Saved your changes.", "/release?saved=changed".to_owned()) {
        AfterSave::Page(shown) => page(&state, *shown).await,
        AfterSave::Redirect(to) => Ok(AfterSave::redirect(&to)),
    }
}
