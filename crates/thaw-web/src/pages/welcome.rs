//! `/welcome/country`: the one time Thaw asks which country someone lives in, right after their
//! first unlock when none is set. A picker of every country (those with their own crisis lines
//! first), and a way to skip. Settings change it later; the CLI asks the same in `thaw init`.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use thaw_core::safety::crisis::{all_iso_countries, crisis_directory, parse_country, unlisted_note};
use thaw_core::settings::{COUNTRY, IDLE_LOCK_MINUTES, IdleLock};

use crate::error::{PageError, WebError};
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render, render_with};

/// Set once the question has been put, so it is asked only once per vault.
use thaw_app::settings::Setting as _;
pub(super) const COUNTRY_ASKED: &str = thaw_app::settings::CountryAsked::KEY;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/welcome/country", get(ask).post(answer))
}

/// A country in a picker: (code, name).
type Choice = (String, String);

/// The countries Thaw lists lines for, then every other ISO country, each by name.
pub(super) fn country_choices() -> (Vec<Choice>, Vec<Choice>) {
    let dir = crisis_directory();
    let mut listed: Vec<Choice> = dir.countries.iter().map(|c| (c.code.clone(), c.name.clone())).collect();
    listed.sort_by(|a, b| a.1.cmp(&b.1));
    let mut others: Vec<Choice> = all_iso_countries()
        .filter(|c| dir.countries.iter().all(|l| l.code != c.code))
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    others.sort_by(|a, b| a.1.cmp(&b.1));
    (listed, others)
}

/// Whether to ask now (no country set, never asked), marking it asked: at most once per vault.
pub(super) async fn ask_once(state: &AppState) -> bool {
    state
        .with_store(|s| {
            let ask = s.setting(COUNTRY)?.is_none() && s.setting(COUNTRY_ASKED)?.is_none();
            if ask {
                s.set_setting(COUNTRY_ASKED, &serde_json::json!(true))?;
            }
            Ok::<_, WebError>(ask)
        })
        .await
        .unwrap_or(false)
}

#[derive(Template)]
#[template(path = "welcome_country.html")]
struct WelcomePage {
    chrome: Chrome,
    next: String,
    form: FormData,
    listed: Vec<Choice>,
    others: Vec<Choice>,
    error: Option<String>,
}

fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if ok { next.to_owned() } else { "/".to_owned() }
}

fn page(state: &AppState, next: String, form: FormData, error: Option<String>) -> Response {
    let (listed, others) = country_choices();
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page =
        WelcomePage { chrome: Chrome::new(state, "Your country", ""), next, form, listed, others, error };
    render_with(status, &page)
}

async fn ask(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let q = FormData::from_query(query.as_deref());
    let mut form = FormData::default();
    form.push("country", state.locale_country().unwrap_or_default().to_owned());
    page(&state, safe_next(q.value("next")), form, None)
}

async fn answer(State(state): State<AppState>, Form(form): Form) -> Result<Response, PageError> {
    let next = safe_next(form.value("next"));
    let chosen = if form.checked("skip") { None } else { form.text("country") };
    let Some(typed) = chosen else {
        return Ok(Redirect::to(&next).into_response());
    };
    let code = match parse_country(typed) {
        Ok(code) => code,
        Err(e) => return Ok(page(&state, next, form, Some(e.to_string()))),
    };
    let stored = code.clone();
    let idle = state
        .with_store(move |s| {
            s.set_setting(COUNTRY, &serde_json::json!(stored))?;
            Ok::<_, WebError>(IdleLock::from_setting(s.setting(IDLE_LOCK_MINUTES)?.as_ref()))
        })
        .await?;
    state.apply_settings(idle, Some(code.clone()));
    match unlisted_note(&code) {
        // A real country without its own lines yet: say so once, kindly, before going on.
        Some(note) => Ok(render(&NotedPage { chrome: Chrome::new(&state, "Your country", ""), note, next })),
        None => Ok(Redirect::to(&next).into_response()),
    }
}

#[derive(Template)]
#[template(path = "welcome_noted.html")]
struct NotedPage {
    chrome: Chrome,
    note: String,
    next: String,
}
