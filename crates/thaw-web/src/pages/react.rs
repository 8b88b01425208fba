//! `/react`: notice how you reacted to an intense moment, without judging it.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use thaw_core::{ReactionStyle, RecordBody, RecordKind};

use super::shell::{AfterSave, Shell, Shown};
use super::{IdPath, edit};
use crate::app::vocabulary;
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{ReactionInput, form_number};
use crate::state::AppState;
use crate::view::render_with;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/react", get(react).post(record_reaction))
        .route("/react/{id}/edit", get(edit_reaction).post(update_reaction))
}

#[derive(Template)]
#[template(path = "react.html")]
struct ReactPage {
    shell: Shell,
    styles: Vec<(&'static str, &'static str)>,
    words: Vec<String>,
}

impl std::ops::Deref for ReactPage {
    type Target = Shell;
    fn deref(&self) -> &Shell {
        &self.shell
    }
}

async fn page(state: &AppState, shown: Shown) -> Result<Response, PageError> {
    let words =
        state.with_store(|s| Ok(vocabulary(s)?.emotions().iter().map(|e| e.word.clone()).collect())).await?;
    let page = ReactPage {
        shell: Shell::new(state, RecordKind::Reaction, "Reactions", "/react", shown).await?,
        styles: ReactionStyle::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        words,
    };
    Ok(render_with(page.status, &page))
}

async fn react(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "through" => Some("Noted. You let some of it through, and that counts."),
        "changed" => Some("Saved your changes."),
        "" => None,
        _ => Some("Noted. Noticing how you reacted is the first step; there's no wrong way."),
    };
    page(&state, Shown::notice(notice)).await
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
        Err(m) => return page(&state, Shown::problem(form, m, None)).await,
    };
    let saved = state.with_app(move |app| crate::app::or_message(app.reaction(&input))).await?;
    let through = matches!(&saved, Ok(s) if matches!(&s.record.body, RecordBody::Reaction(r) if r.styles.iter().any(|s| s.lets_feeling_through())));
    let to = if through { "/react?saved=through" } else { "/react?saved=1" };
    match AfterSave::of(saved, form, None, "Noted.", to.to_owned()) {
        AfterSave::Page(shown) => page(&state, *shown).await,
        AfterSave::Redirect(to) => Ok(AfterSave::redirect(&to)),
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
    page(&state, Shown::editing(form, record.id.to_string())).await
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
        Err(m) => return page(&state, Shown::problem(form, m, editing)).await,
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
    match AfterSave::of(saved, form, editing, "Saved your changes.", "/react?saved=changed".to_owned()) {
        AfterSave::Page(shown) => page(&state, *shown).await,
        AfterSave::Redirect(to) => Ok(AfterSave::redirect(&to)),
    }
}
