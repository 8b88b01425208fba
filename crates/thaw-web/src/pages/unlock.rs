//! `/unlock` and `/lock`: opening the vault with the passphrase, and closing it.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use thaw_vault::Passphrase;

use crate::error::WebError;
use crate::forms::{Form, FormData};
use crate::state::AppState;
use crate::view::{Chrome, render, render_with};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/unlock", get(unlock_page).post(unlock)).route("/lock", post(lock))
}

/// Prefix of the hidden fields that carry a form sent while locked.
const RESUME: &str = "resume.";

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage {
    chrome: Chrome,
    next: String,
    notice: Option<&'static str>,
    error: Option<String>,
    /// Where a form sent while locked was going, and its fields.
    resume_to: Option<String>,
    resume: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "resume.html")]
struct ResumePage {
    chrome: Chrome,
    action: String,
    fields: Vec<(String, String)>,
}

/// A path inside this app to go back to (see [`crate::security::safe_path`]), never the unlock
/// page itself.
fn safe_next(next: &str) -> Option<String> {
    crate::security::safe_path(next).filter(|p| !p.starts_with("/unlock"))
}

/// The page that offers to send a form that came back after unlocking (or signing in again).
pub(super) fn resume_page(state: &AppState, action: String, fields: Vec<(String, String)>) -> Response {
    render(&ResumePage { chrome: Chrome::new(state, "Unlocked", ""), action, fields })
}

/// A hosted server has accounts: its door is the sign-in page.
fn to_signin(query: Option<&str>) -> Response {
    match query.filter(|q| !q.is_empty()) {
        Some(q) => Redirect::to(&format!("/signin?{q}")).into_response(),
        None => Redirect::to("/signin").into_response(),
    }
}

async fn unlock_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    if state.is_hosted() {
        return to_signin(query.as_deref());
    }
    let q = FormData::from_query(query.as_deref());
    let next = safe_next(q.value("next")).unwrap_or_else(|| "/".to_owned());
    if state.is_unlocked() {
        return Redirect::to(&next).into_response();
    }
    let notice = if q.checked("locked") {
        Some("Locked. Everything you wrote is safe.")
    } else if q.checked("idle") {
        Some("Thaw locked itself after a quiet while, to keep your journal private.")
    } else {
        None
    };
    render(&UnlockPage {
        chrome: Chrome::new(&state, "Unlock", ""),
        next,
        notice,
        error: None,
        resume_to: None,
        resume: vec![],
    })
}

/// The unlock page in answer to a form sent while the vault was locked.
pub(super) fn locked_while_sending(state: &AppState, action: &str, draft: FormData) -> Response {
    let page = UnlockPage {
        chrome: Chrome::new(state, "Unlock", ""),
        next: "/".to_owned(),
        notice: Some(
            "Thaw locked itself while you were away. What you wrote is still here: unlock, and you can save it.",
        ),
        error: None,
        resume_to: Some(action.to_owned()),
        resume: draft.fields().to_vec(),
    };
    render_with(StatusCode::LOCKED, &page)
}

async fn unlock(State(state): State<AppState>, Form(mut form): Form) -> Response {
    if state.is_hosted() {
        return to_signin(None);
    }
    let next = safe_next(form.value("next")).unwrap_or_else(|| "/".to_owned());
    let resume_to = form.text("resume_to").and_then(safe_next);
    let resume: Vec<(String, String)> = form
        .fields()
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(RESUME).map(|k| (k.to_owned(), v.clone())))
        .collect();
    let passphrase = form.take("passphrase").unwrap_or_default();
    let result = if passphrase.is_empty() {
        Err(WebError::BadInput("Please type your passphrase.".to_owned()))
    } else {
        state.unlock(Passphrase::new(passphrase)).await
    };
    match result {
        Ok(()) => match resume_to {
            Some(action) => {
                render(&ResumePage { chrome: Chrome::new(&state, "Unlocked", ""), action, fields: resume })
            }
            // The first unlock of a vault with no country asks for one, once (skippable).
            None if super::welcome::ask_once(&state).await => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/welcome/country?next={next}")).into_response()
            }
            None => Redirect::to(&next).into_response(),
        },
        Err(err) => {
            let status = err.status();
            let page = UnlockPage {
                chrome: Chrome::new(&state, "Unlock", ""),
                next,
                notice: None,
                error: Some(err.to_string()),
                resume_to,
                resume,
            };
            let mut response = render_with(status, &page);
            err.add_retry_after(&mut response);
            response
        }
    }
}

async fn lock(State(state): State<AppState>) -> Response {
    state.lock();
    if state.is_hosted() {
        return Redirect::to("/signin?signed_out=1").into_response();
    }
    Redirect::to("/unlock?locked=1").into_response()
}
