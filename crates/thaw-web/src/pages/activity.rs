//! `/activity`: something expressive you did (a walk, painting, music …) and how strongly you felt
//! things before and after.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::{ActivityKind, RecordBody, RecordKind};
use thaw_store::ListQuery;

use super::records::latest;
use super::{IdPath, edit};
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{ActivityInput, form_number};
use crate::state::AppState;
use crate::view::{Chrome, Row, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/activity", get(activity).post(record_activity))
        .route("/activity/{id}/edit", get(edit_activity).post(update_activity))
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    chrome: Chrome,
    form: FormData,
    kinds: Vec<(&'static str, &'static str)>,
    /// Places named before: the person's safe spaces.
    places: Vec<String>,
    rows: Vec<Row>,
    notice: Option<&'static str>,
    error: Option<String>,
    /// Where the form goes: `/activity`, or `/activity/{id}/edit` when changing one.
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
    let places = state
        .with_store(|s| {
            let mut places: Vec<String> = Vec::new();
            for r in s.list(&ListQuery { limit: Some(200), ..ListQuery::kind(RecordKind::Activity) })? {
                if let RecordBody::Activity(a) = r.body
                    && let Some(p) = a.place
                    && !places.contains(&p)
                {
                    places.push(p);
                }
            }
            Ok(places)
        })
        .await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = ActivityPage {
        chrome: Chrome::new(state, "Activities", "activity"),
        form,
        kinds: ActivityKind::ALL.iter().map(|k| (k.id(), k.label())).collect(),
        places,
        rows: latest(state, RecordKind::Activity, 20).await?,
        notice,
        error,
        action: editing.as_ref().map_or_else(|| "/activity".to_owned(), |id| format!("/activity/{id}/edit")),
        editing: editing.is_some(),
        support,
    };
    Ok(render_with(status, &page))
}

async fn activity(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "" => None,
        "changed" => Some("Saved your changes."),
        _ => Some("Saved."),
    };
    page(&state, FormData::default(), notice, None).await
}

fn activity_input(form: &FormData) -> Result<ActivityInput, WebError> {
    let need = |name: &str, what: &'static str, ask: &str| -> Result<i64, WebError> {
        form_number(form.value(name), what)?.ok_or_else(|| WebError::BadInput(ask.to_owned()))
    };
    let minutes_text = form.value("minutes").trim();
    let minutes = minutes_text.parse::<i64>().map_err(|_| {
        WebError::BadInput(if minutes_text.is_empty() {
            "Please say for how many minutes, roughly.".to_owned()
        } else {
            format!("Minutes must be a whole number from 1 to 1440; \"{minutes_text}\" isn't.")
        })
    })?;
    Ok(ActivityInput {
        kind: form.value("kind").to_owned(),
        minutes,
        place: form.get("place").map(str::to_owned),
        before: need(
            "before",
            "How strongly you felt before",
            "Please choose how strongly you felt things before, 0 to 10.",
        )?,
        after: need(
            "after",
            "How strongly you felt after",
            "Please choose how strongly you felt things after, 0 to 10.",
        )?,
        note: form.get("note").map(str::to_owned),
        at: form.text("at").map(str::to_owned),
    })
}

async fn record_activity(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let input = match activity_input(&form) {
        Ok(i) => i,
        Err(e) => return page(&state, form, None, Some(e.to_string())).await,
    };
    let saved = state.with_app(move |app| crate::app::or_message(app.activity(&input))).await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => {
                let support = Some(crate::app::SupportView::new(f));
                page_for(&state, FormData::default(), Some("Noted."), None, None, support).await
            }
            None => Ok(Redirect::to("/activity?saved=1").into_response()),
        },
        Err(message) => page(&state, form, None, Some(message)).await,
    }
}

async fn edit_activity(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, PageError> {
    let record = edit::find(&state, RecordKind::Activity, &id).await?;
    let RecordBody::Activity(a) = &record.body else { return Err(PageError(WebError::NotFound)) };
    let mut form = FormData::default();
    form.push("kind", a.kind.id());
    form.push("minutes", a.minutes.to_string());
    form.push("place", a.place.clone().unwrap_or_default());
    form.push("before", u8::from(a.before).to_string());
    form.push("after", u8::from(a.after).to_string());
    form.push("note", a.note.clone().unwrap_or_default());
    form.push("at", edit::local_input(record.at, &state));
    page_for(&state, form, None, None, Some(record.id.to_string()), None).await
}

async fn update_activity(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    Form(form): Form,
) -> Result<Response, PageError> {
    let old = edit::find(&state, RecordKind::Activity, &id).await?;
    let editing = Some(old.id.to_string());
    let input = match activity_input(&form) {
        Ok(i) => i,
        Err(e) => return page_for(&state, form, None, Some(e.to_string()), editing, None).await,
    };
    let saved = state
        .with_app(move |app| {
            crate::app::or_message(
                input.record(app.clock()).map_err(Into::into).and_then(|new| edit::replace(app, &old, new)),
            )
        })
        .await?;
    match saved {
        Ok(saved) => match &saved.follow_up {
            Some(f) => {
                let support = Some(crate::app::SupportView::new(f));
                page_for(&state, FormData::default(), Some("Saved your changes."), None, None, support).await
            }
            None => Ok(Redirect::to("/activity?saved=changed").into_response()),
        },
        Err(message) => page_for(&state, form, None, Some(message), editing, None).await,
    }
}
