//! `/settings`: how long Thaw waits before locking itself, and which country's crisis lines to show.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::settings::{COUNTRY, IDLE_LOCK_MINUTES, IdleLock, parse_country};

use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(settings).post(save_settings))
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
}

fn countries() -> Vec<(String, String)> {
    crate::crisis::countries()
}

fn page(state: &AppState, form: FormData, notice: Option<&'static str>, error: Option<String>) -> Response {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SettingsPage {
        chrome: Chrome::new(state, "Settings", "settings"),
        form,
        countries: countries(),
        others: super::welcome::country_choices().1,
        min: IdleLock::MIN_MINUTES,
        max: IdleLock::MAX_MINUTES,
        notice,
        error,
    };
    render_with(status, &page)
}

async fn settings(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let (idle, country) = state
        .with_store(|s| {
            Ok((
                IdleLock::from_setting(s.setting(IDLE_LOCK_MINUTES)?.as_ref()),
                s.setting(COUNTRY)?.and_then(|v| v.as_str().map(str::to_owned)),
            ))
        })
        .await?;
    let mut form = FormData::default();
    form.push("idle_minutes", idle.minutes().to_string());
    form.push("country", country.unwrap_or_default());
    let saved = FormData::from_query(query.as_deref()).checked("saved");
    Ok(page(&state, form, saved.then_some("Saved."), None))
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
