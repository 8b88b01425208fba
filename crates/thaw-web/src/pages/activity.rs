//! `/activity`: something expressive you did (a walk, painting, music …) and how strongly you felt
//! things before and after.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use thaw_core::{ActivityKind, RecordBody, RecordKind};
use thaw_store::ListQuery;

use super::shell::{AfterSave, Shell, Shown};
use super::{IdPath, edit};
use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::input::{ActivityInput, form_number};
use crate::state::AppState;
use crate::view::render_with;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/activity", get(activity).post(record_activity))
        .route("/activity/{id}/edit", get(edit_activity).post(update_activity))
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    shell: Shell,
    kinds: Vec<(&'static str, &'static str)>,
    /// Places named before: the person's safe spaces.
    places: Vec<String>,
}

impl std::ops::Deref for ActivityPage {
    type Target = Shell;
    fn deref(&self) -> &Shell {
        &self.shell
    }
}

async fn page(state: &AppState, shown: Shown) -> Result<Response, PageError> {
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
    let page = ActivityPage {
        shell: Shell::new(state, RecordKind::Activity, "Activities", "/activity", shown).await?,
        kinds: ActivityKind::ALL.iter().map(|k| (k.id(), k.label())).collect(),
        places,
    };
    Ok(render_with(page.status, &page))
}

async fn activity(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let notice = match q.value("saved") {
        "" => None,
        "changed" => Some("Saved your changes."),
        _ => Some("Saved."),
    };
    page(&state, Shown::notice(notice)).await
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
        Err(e) => return page(&state, Shown::problem(form, e.to_string(), None)).await,
    };
    let saved = state.with_app(move |app| crate::app::or_message(app.activity(&input))).await?;
    match AfterSave::of(saved, form, None, "Noted.", "/activity?saved=1".to_owned()) {
        AfterSave::Page(shown) => page(&state, *shown).await,
        AfterSave::Redirect(to) => Ok(AfterSave::redirect(&to)),
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
    page(&state, Shown::editing(form, record.id.to_string())).await
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
        Err(e) => return page(&state, Shown::problem(form, e.to_string(), editing)).await,
    };
    let saved = state
        .with_app(move |app| {
            crate::app::or_message(
                input.record(app.clock()).map_err(Into::into).and_then(|new| edit::replace(app, &old, new)),
            )
        })
        .await?;
    match AfterSave::of(saved, form, editing, "Saved your changes.", "/activity?saved=changed".to_owned()) {
        AfterSave::Page(shown) => page(&state, *shown).await,
        AfterSave::Redirect(to) => Ok(AfterSave::redirect(&to)),
    }
}
