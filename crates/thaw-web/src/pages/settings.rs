//! `/settings`: how long Thaw waits before locking itself, which country's crisis lines to show,
//! and the gentle reminder's calendar file (`/settings/reminder.ics`, as `thaw remind set` makes it).

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::reminder::{DAYS, Reminder};
use thaw_core::settings::{COUNTRY, IDLE_LOCK_MINUTES, IdleLock, REMINDER, parse_country};

use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings).post(save_settings))
        .route("/settings/reminder.ics", get(reminder_ics))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    chrome: Chrome,
    form: FormData,
    countries: Vec<(String, String)>,
    /// Every other ISO country: support there shows the directory and every listed country.
    others: Vec<(String, String)>,
    min: u32,
    max: u32,
    notice: Option<&'static str>,
    error: Option<String>,
    /// The reminder's time and days for the calendar form (the stored one, or 20:00 every day).
    remind_time: String,
    remind_days: Vec<(&'static str, bool)>,
    /// When and with what this vault last synced (`thaw sync`), if it ever did.
    sync: Option<String>,
}

fn countries() -> Vec<(String, String)> {
    crate::crisis::countries()
}

fn page(state: &AppState, form: FormData, notice: Option<&'static str>, error: Option<String>) -> Response {
    page_with(state, form, notice, error, None, None)
}

fn page_with(
    state: &AppState,
    form: FormData,
    notice: Option<&'static str>,
    error: Option<String>,
    reminder: Option<Reminder>,
    sync: Option<String>,
) -> Response {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let reminder = reminder.unwrap_or_else(|| Reminder { time: "20:00".to_owned(), days: Vec::new() });
    let every = reminder.days.is_empty();
    let page = SettingsPage {
        chrome: Chrome::new(state, "Settings", "settings"),
        form,
        countries: countries(),
        others: super::welcome::country_choices().1,
        min: IdleLock::MIN_MINUTES,
        max: IdleLock::MAX_MINUTES,
        notice,
        error,
        remind_time: reminder.time.clone(),
        remind_days: DAYS.iter().map(|d| (*d, every || reminder.days.iter().any(|x| x == d))).collect(),
        sync,
    };
    render_with(status, &page)
}

async fn settings(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let (idle, country, reminder) = state
        .with_store(|s| {
            Ok((
                IdleLock::from_setting(s.setting(IDLE_LOCK_MINUTES)?.as_ref()),
                s.setting(COUNTRY)?.and_then(|v| v.as_str().map(str::to_owned)),
                s.setting(REMINDER)?.and_then(|v| serde_json::from_value::<Reminder>(v).ok()),
            ))
        })
        .await?;
    let tz = state.tz().clone();
    let sync = state.with_app(move |app| Ok(app.sync_state()?)).await.ok().flatten().map(|s| {
        let who = if s.username.is_empty() { String::new() } else { format!(" as {}", s.username) };
        match s.last_synced {
            Some(t) => format!("Last synced with {}{who} on {}.", s.server, t.display_in(&tz)),
            None => format!(
                "Syncing with {}{who} started but hasn't finished yet. Run thaw sync again.",
                s.server
            ),
        }
    });
    let mut form = FormData::default();
    form.push("idle_minutes", idle.minutes().to_string());
    form.push("country", country.unwrap_or_default());
    let saved = FormData::from_query(query.as_deref()).checked("saved");
    Ok(page_with(&state, form, saved.then_some("Saved."), None, reminder, sync))
}

/// The reminder as a calendar file to download, for the time and days chosen on the page.
async fn reminder_ics(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());
    let days = q.all("days").join(",");
    let reminder = match Reminder::parse(q.value("time"), (!days.is_empty()).then_some(days.as_str())) {
        Ok(r) => r,
        Err(e) => return Ok(page(&state, FormData::default(), None, Some(e.to_string()))),
    };
    let now = thaw_core::Timestamp::now().as_jiff();
    let today = now.to_zoned(state.tz().clone()).date().strftime("%Y%m%d").to_string();
    let ics = reminder.ics(&today, &now.strftime("%Y%m%dT%H%M%SZ").to_string());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"thaw-reminder.ics\""),
        ],
        ics,
    )
        .into_response())
}

async fn save_settings(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let parsed = IdleLock::parse(form.value("idle_minutes"))
        .and_then(|idle| form.text("country").map(parse_country).transpose().map(|c| (idle, c)));
    let (idle, country) = match parsed {
        Ok(v) => v,
        Err(e) => return Ok(page(&state, form, None, Some(e.to_string()))),
    };
    let stored = country.clone();
    state
        .with_store(move |s| {
            s.set_setting(IDLE_LOCK_MINUTES, &serde_json::json!(idle.minutes()))?;
            match &stored {
                Some(c) => s.set_setting(COUNTRY, &serde_json::json!(c))?,
                None => s.remove_setting(COUNTRY)?,
            }
            Ok::<_, WebError>(())
        })
        .await?;
    state.apply_settings(idle, country);
    Ok(Redirect::to("/settings?saved=1").into_response())
}
