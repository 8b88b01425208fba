//! `/selfcheck`: the "possible reasons" self-check from thaw-core (`content/selfcheck.toml`), as
//! `thaw selfcheck` asks it: area by area, every question skippable, the sensitive areas announced
//! first and folded away until someone chooses to open them. Saving keeps a SelfCheck record and
//! shows the areas that may apply, with next steps and links to the pages that help. Not a
//! diagnosis; it can be taken again, and past results stay listed.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::features::feature;
use thaw_core::ids::IdRef;
use thaw_core::selfcheck::{Answers, Area, SelfCheck, selfcheck};
use thaw_core::{RecordBody, RecordKind};

use super::IdPath;
use super::records::latest;
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, Row, feature_href, render, render_with, when, without_commands};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/selfcheck", get(show).post(take)).route("/selfcheck/{id}", get(result))
}

#[derive(Template)]
#[template(path = "selfcheck.html")]
struct FormPage {
    chrome: Chrome,
    check: &'static SelfCheck,
    form: FormData,
    rows: Vec<Row>,
    error: Option<String>,
    /// The area on this screen (one per screen, phone-sized); `None` is the opening screen.
    step: Option<usize>,
    /// Answers to the other areas, carried through the screens as hidden fields (never in a URL).
    carried: Vec<(String, String)>,
}

impl FormPage {
    /// Whether a sensitive area was opened and answered (after a problem, it stays open).
    fn opened(&self, area: &Area) -> bool {
        area.questions.iter().any(|q| self.form.text(&q.id).is_some())
    }

    fn area(&self) -> Option<&'static Area> {
        self.step.and_then(|i| self.check.areas.get(i))
    }

    fn last(&self) -> bool {
        self.step.is_some_and(|i| i + 1 >= self.check.areas.len())
    }
}

async fn show(State(state): State<AppState>) -> Result<Response, PageError> {
    form_page(&state, FormData::default(), None, None).await
}

async fn form_page(
    state: &AppState,
    form: FormData,
    step: Option<usize>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let rows = if step.is_none() { latest(state, RecordKind::SelfCheck, 20).await? } else { Vec::new() };
    let check = selfcheck();
    let here: Vec<&str> = step
        .and_then(|i| check.areas.get(i))
        .map(|a| a.questions.iter().map(|q| q.id.as_str()).collect())
        .unwrap_or_default();
    let carried = check
        .questions()
        .filter(|q| !here.contains(&q.id.as_str()))
        .filter_map(|q| form.text(&q.id).map(|v| (q.id.clone(), v.to_owned())))
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render_with(
        status,
        &FormPage {
            chrome: Chrome::new(state, "Self-check", "selfcheck"),
            check,
            form,
            rows,
            error,
            step,
            carried,
        },
    ))
}

/// The answers in the form: each question's field is empty (skipped) or a number on the scale.
pub(crate) fn answers_from(form: &FormData) -> Result<Answers, WebError> {
    let check = selfcheck();
    let mut answers = Answers::new();
    for q in check.questions() {
        let value = match form.text(&q.id) {
            None => None,
            Some(v) => Some(v.parse::<u8>().ok().filter(|v| *v <= check.max_answer()).ok_or_else(|| {
                WebError::BadInput(format!(
                    "The answer to \"{}\" must be one of the choices, or skipped.",
                    q.text.trim_end_matches('?')
                ))
            })?),
        };
        answers.insert(q.id.clone(), value);
    }
    Ok(answers)
}

/// One screen's answer. The form says which area it showed (`step`) and which button was pressed
/// (`go`): back, next, or finish now. A form without `step` holds the whole self-check at once
/// and is saved.
async fn take(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let areas = selfcheck().areas.len();
    let step = form.text("step").and_then(|s| s.parse::<usize>().ok()).filter(|i| *i < areas);
    let go = form.value("go").to_owned();
    if go == "start" {
        return form_page(&state, form, Some(0), None).await;
    }
    let answers = match answers_from(&form) {
        Ok(a) => a,
        Err(e) => return form_page(&state, form, step, Some(e.to_string())).await,
    };
    match (step, go.as_str()) {
        (Some(0), "back") => return form_page(&state, form, None, None).await,
        (Some(i), "back") => return form_page(&state, form, Some(i - 1), None).await,
        (Some(_), "finish") => {}
        (Some(i), _) if i + 1 < areas => return form_page(&state, form, Some(i + 1), None).await,
        _ => {}
    }
    if selfcheck().result(&answers).is_err() {
        let message = "You skipped every question, and that's fine. Nothing was saved; answer one or more \
                       whenever you feel like it.";
        return form_page(&state, form, step, Some(message.to_owned())).await;
    }
    let id = state.with_app(move |app| Ok(app.save_selfcheck(&answers)?.id)).await?;
    Ok(Redirect::to(&format!("/selfcheck/{id}?saved=1")).into_response())
}

/// A link to a page that helps.
pub(crate) struct Help {
    pub href: &'static str,
    pub label: String,
}

pub(crate) struct AreaView {
    /// The heading's id: "a1" for the first area shown.
    pub anchor: String,
    pub title: String,
    pub explanation: String,
    pub next_steps: Vec<String>,
    pub help: Vec<Help>,
}

pub(crate) fn area_view(n: usize, area: &Area) -> AreaView {
    let help = area
        .features
        .iter()
        .filter_map(|f| feature(f))
        .filter_map(|f| {
            let href = feature_href(f.id)?;
            let mut label = f.label.to_owned();
            if let Some(first) = label.get(..1) {
                label.replace_range(..1, &first.to_uppercase());
            }
            Some(Help { href, label })
        })
        .collect();
    AreaView {
        anchor: format!("a{}", n + 1),
        title: area.title.clone(),
        explanation: area.explanation.clone(),
        next_steps: area.next_steps.iter().map(|s| without_commands(s)).collect(),
        help,
    }
}

#[derive(Template)]
#[template(path = "selfcheck_result.html")]
struct ResultPage {
    chrome: Chrome,
    when: String,
    saved: bool,
    /// The areas that stand out most, in full.
    areas: Vec<AreaView>,
    /// The others that may apply, folded away.
    more: Vec<AreaView>,
    none_apply: String,
    not_a_diagnosis: String,
    answered: usize,
}

async fn result(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let prefix = IdRef::parse(&id).map_err(|_| PageError(WebError::NotFound))?;
    let record = state
        .with_store(move |s| {
            let id = s.resolve(&prefix, Some(RecordKind::SelfCheck))?;
            s.get(id)?.ok_or(WebError::NotFound)
        })
        .await?;
    let RecordBody::SelfCheck(result) = &record.body else {
        return Err(PageError(WebError::NotFound));
    };
    let check = selfcheck();
    let (first, rest) = thaw_app::selfcheck::standing_out(&record);
    let shown = first.len();
    let areas = first.into_iter().enumerate().map(|(i, a)| area_view(i, a)).collect();
    let more = rest.into_iter().enumerate().map(|(i, a)| area_view(shown + i, a)).collect();
    let answered = result.answers.values().filter(|v| v.is_some()).count();
    Ok(render(&ResultPage {
        chrome: Chrome::new(&state, "Your self-check", "selfcheck"),
        when: when(record.at, &state),
        saved: FormData::from_query(query.as_deref()).checked("saved"),
        areas,
        more,
        none_apply: without_commands(&check.none_apply),
        not_a_diagnosis: check.not_a_diagnosis.clone(),
        answered,
    }))
}
