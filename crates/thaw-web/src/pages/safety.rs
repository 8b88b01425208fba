//! `/safety`: the safety plan for hard moments: the seven sections, each a list in the person's
//! own words. Kept where the CLI keeps it (the `safety_plan` setting, encrypted in the vault), so
//! `thaw safety show` and this page show the same plan. thaw-core trims and checks the entries.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::safety::SafetyPlan;
use thaw_core::safety::plan::SECTIONS;

use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render_with};
use thaw_app::settings::{self, Plan};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/safety", get(show).post(save))
}

/// One section as the page shows it.
struct SectionView {
    key: &'static str,
    title: &'static str,
    hint: &'static str,
    /// The entries, as the textarea holds them: one a line.
    text: String,
    entries: Vec<String>,
}

#[derive(Template)]
#[template(path = "safety.html")]
struct SafetyPage {
    chrome: Chrome,
    sections: Vec<SectionView>,
    has_plan: bool,
    notice: Option<&'static str>,
    error: Option<String>,
}

fn page(
    state: &AppState,
    plan: &SafetyPlan,
    form: Option<&FormData>,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Response {
    let sections = SECTIONS
        .iter()
        .map(|s| {
            let entries = plan.section(s.key).to_vec();
            let text = match form {
                Some(f) => f.value(s.key).to_owned(),
                None => entries.join("\n"),
            };
            SectionView { key: s.key, title: s.title, hint: s.hint, text, entries }
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render_with(
        status,
        &SafetyPage {
            chrome: Chrome::new(state, "Safety plan", "safety"),
            sections,
            has_plan: !plan.is_empty(),
            notice,
            error,
        },
    )
}

async fn show(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let plan = state.with_store(|s| Ok(settings::get::<Plan>(s)?.unwrap_or_default())).await?;
    let saved = FormData::from_query(query.as_deref()).checked("saved");
    Ok(page(&state, &plan, None, saved.then_some("Saved your safety plan."), None))
}

/// The plan from the form: one entry a line, checked by thaw-core.
fn plan_from(form: &FormData) -> Result<SafetyPlan, WebError> {
    let mut sections = serde_json::Map::new();
    for s in SECTIONS {
        let entries: Vec<String> = form.value(s.key).lines().map(str::to_owned).collect();
        sections.insert(s.key.to_owned(), serde_json::json!(entries));
    }
    let plan: SafetyPlan = serde_json::from_value(serde_json::Value::Object(sections))
        .map_err(|e| WebError::Internal(format!("the safety plan form: {e}")))?;
    Ok(plan.cleaned()?)
}

async fn save(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let plan = match plan_from(&form) {
        Ok(p) => p,
        Err(WebError::BadInput(m)) => {
            let current = state.with_store(|s| Ok(settings::get::<Plan>(s)?.unwrap_or_default())).await?;
            return Ok(page(&state, &current, Some(&form), None, Some(m)));
        }
        Err(e) => return Err(e.into()),
    };
    state.with_store(move |s| Ok(settings::set::<Plan>(s, &plan)?)).await?;
    Ok(Redirect::to("/safety?saved=1").into_response())
}
