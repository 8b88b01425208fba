//! The doors of a hosted server (`thaw host`): sign in, sign up (the recovery words shown once),
//! recovery, sign out, and the account page (passphrase, export, deletion). Registered only in
//! hosted mode; the local app has `/unlock` instead.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderValue};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use thaw_vault::Passphrase;
use zeroize::Zeroizing;

use crate::error::WebError;
use crate::forms::{Form, FormData};
use crate::hosted::{ClientInfo, Signup, cookie_name, set_cookie};
use crate::state::AppState;
use crate::view::{Chrome, render, render_with};

pub(super) fn routes(state: &AppState) -> Router<AppState> {
    let private = Router::new()
        .route("/account", get(account_page))
        .route("/account/passphrase", post(change_passphrase))
        .route("/account/export", post(export))
        .route("/account/delete", post(delete))
        .route_layer(middleware::from_fn_with_state(state.clone(), super::require_unlocked));
    Router::new()
        .route("/signin", get(signin_page).post(signin))
        .route("/signup", get(signup_page).post(signup))
        .route("/signup/words", get(words_page))
        .route("/signup/done", post(signup_done))
        .route("/recover", get(recover_page).post(recover))
        .route("/signout", post(signout))
        .merge(private)
}

/// Prefix of the hidden fields that carry a form sent after the session ended.
const RESUME: &str = "resume.";

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    chrome: Chrome,
    next: String,
    username: String,
    notice: Option<&'static str>,
    error: Option<String>,
    signup_open: bool,
    resume_to: Option<String>,
    resume: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    chrome: Chrome,
    form: FormData,
    invite: bool,
    closed: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "signup_words.html")]
struct WordsPage {
    chrome: Chrome,
    words: Vec<String>,
}

#[derive(Template)]
#[template(path = "recover.html")]
struct RecoverPage {
    chrome: Chrome,
    form: FormData,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    username: String,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "account_deleted.html")]
struct DeletedPage {
    chrome: Chrome,
}

fn client(info: Option<axum::Extension<ClientInfo>>) -> ClientInfo {
    info.map_or(ClientInfo { https: false, address: None }, |i| i.0)
}

fn safe_next(next: &str) -> Option<String> {
    crate::security::safe_path(next).filter(|p| {
        !["/signin", "/signup", "/recover", "/unlock", "/signout"].iter().any(|d| p.starts_with(d))
    })
}

fn signup_open(state: &AppState) -> bool {
    state.hosted().is_some_and(|h| h.signup != Signup::Closed)
}

/// A new passphrase typed twice in `form` (fields `first` and `again`): the same both times, and
/// within Thaw's one rule for new passphrases. Sign-up, recovery and the passphrase change all
/// take theirs through here.
fn new_passphrase(form: &mut FormData, first: &str, again: &str) -> Result<Passphrase, WebError> {
    let passphrase = Zeroizing::new(form.take(first).unwrap_or_default());
    let repeat = Zeroizing::new(form.take(again).unwrap_or_default());
    if passphrase.as_str() != repeat.as_str() {
        return Err(WebError::BadInput(
            "The two passphrases you typed aren't the same. Please type them again.".into(),
        ));
    }
    let passphrase = Passphrase::new(passphrase.to_string());
    crate::hosted::check_new_passphrase(&passphrase)?;
    Ok(passphrase)
}

/// Sets the session cookie on `response`.
fn with_cookie(mut response: Response, client: &ClientInfo, secret: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(&set_cookie(cookie_name(client.https), secret, client.https)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

async fn signin_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let q = FormData::from_query(query.as_deref());
    let next = safe_next(q.value("next")).unwrap_or_else(|| "/".to_owned());
    if state.is_unlocked() {
        return Redirect::to(&next).into_response();
    }
    let notice = if q.checked("locked") || q.checked("signed_out") {
        Some("Signed out. Everything you wrote is safe.")
    } else if q.checked("idle") {
        Some("You were signed out after a quiet while, to keep your records private.")
    } else {
        None
    };
    render(&SigninPage {
        chrome: Chrome::new(&state, "Sign in", ""),
        next,
        username: String::new(),
        notice,
        error: None,
        signup_open: signup_open(&state),
        resume_to: None,
        resume: vec![],
    })
}

/// The sign-in page in answer to a form sent after the session ended (it comes back as hidden
/// fields, so nothing written is lost).
pub(super) fn ended_while_sending(state: &AppState, action: &str, draft: FormData) -> Response {
    let page = SigninPage {
        chrome: Chrome::new(state, "Sign in", ""),
        next: "/".to_owned(),
        username: String::new(),
        notice: Some(
            "You were signed out while you were away. What you wrote is still here: sign in, and you can save it.",
        ),
        error: None,
        signup_open: signup_open(state),
        resume_to: Some(action.to_owned()),
        resume: draft.fields().to_vec(),
    };
    render_with(axum::http::StatusCode::LOCKED, &page)
}

async fn signin(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    Form(mut form): Form,
) -> Response {
    let client = client(info);
    let next = safe_next(form.value("next")).unwrap_or_else(|| "/".to_owned());
    let resume_to = form.text("resume_to").and_then(safe_next);
    let resume: Vec<(String, String)> = form
        .fields()
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(RESUME).map(|k| (k.to_owned(), v.clone())))
        .collect();
    let username = form.value("username").trim().to_owned();
    let passphrase = Zeroizing::new(form.take("passphrase").unwrap_or_default());
    let result = if username.is_empty() || passphrase.is_empty() {
        Err(WebError::BadInput("Please type your username and your passphrase.".to_owned()))
    } else {
        state.sign_in(&client, username.clone(), Passphrase::new(passphrase.to_string())).await
    };
    match result {
        Ok(new) => {
            let session = new.session.clone();
            let response = AppState::in_session(session, async {
                match resume_to {
                    Some(action) => super::unlock::resume_page(&state, action, resume),
                    None if super::welcome::ask_once(&state).await => {
                        let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                        Redirect::to(&format!("/welcome/country?next={next}")).into_response()
                    }
                    None => Redirect::to(&next).into_response(),
                }
            })
            .await;
            with_cookie(response, &client, &new.secret)
        }
        Err(err) => {
            let page = SigninPage {
                chrome: Chrome::new(&state, "Sign in", ""),
                next,
                username,
                notice: None,
                error: Some(err.to_string()),
                signup_open: signup_open(&state),
                resume_to,
                resume,
            };
            let mut response = render_with(err.status(), &page);
            err.add_retry_after(&mut response);
            response
        }
    }
}

async fn signup_page(State(state): State<AppState>) -> Response {
    if state.is_unlocked() {
        return Redirect::to("/").into_response();
    }
    signup_form(&state, FormData::default(), None)
}

fn signup_form(state: &AppState, form: FormData, error: Option<&WebError>) -> Response {
    let policy = state.hosted().map_or(Signup::Closed, |h| h.signup);
    let page = SignupPage {
        chrome: Chrome::new(state, "Make an account", ""),
        form,
        invite: policy == Signup::Invite,
        closed: policy == Signup::Closed,
        error: error.map(ToString::to_string),
    };
    let mut response = render_with(error.map_or(axum::http::StatusCode::OK, WebError::status), &page);
    if let Some(err) = error {
        err.add_retry_after(&mut response);
    }
    response
}

async fn signup(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    Form(mut form): Form,
) -> Response {
    let client = client(info);
    let username = form.value("username").trim().to_owned();
    let invite = form.text("invite").map(str::to_owned);
    let result = match new_passphrase(&mut form, "passphrase", "passphrase2") {
        Ok(passphrase) => state.sign_up(&client, username, passphrase, invite).await,
        Err(err) => Err(err),
    };
    match result {
        Ok((new, words)) => {
            // Shown by the next page, once: a reload or Back then finds them gone.
            new.session.state().recovery_words = Some(words);
            with_cookie(Redirect::to("/signup/words").into_response(), &client, &new.secret)
        }
        Err(err) => signup_form(&state, form, Some(&err)),
    }
}

/// The recovery words, the one time they are shown; after that, a page saying they can't be
/// shown again.
async fn words_page(State(state): State<AppState>) -> Response {
    if !state.is_unlocked() {
        return Redirect::to("/signin").into_response();
    }
    let words = state.current().state().recovery_words.take();
    let words: Vec<String> =
        words.as_deref().map(|w| w.split_whitespace().map(str::to_owned).collect()).unwrap_or_default();
    render(&WordsPage { chrome: Chrome::new(&state, "Your recovery words", ""), words })
}

async fn signup_done(State(state): State<AppState>) -> Response {
    if !state.is_unlocked() {
        return Redirect::to("/signin").into_response();
    }
    if super::welcome::ask_once(&state).await {
        return Redirect::to("/welcome/country?next=%2F").into_response();
    }
    Redirect::to("/").into_response()
}

async fn recover_page(State(state): State<AppState>) -> Response {
    render(&RecoverPage {
        chrome: Chrome::new(&state, "Recovery", ""),
        form: FormData::default(),
        error: None,
    })
}

async fn recover(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    Form(mut form): Form,
) -> Response {
    let client = client(info);
    let words = Zeroizing::new(form.take("words").unwrap_or_default());
    let username = form.value("username").trim().to_owned();
    let result = match new_passphrase(&mut form, "passphrase", "passphrase2") {
        Ok(passphrase) => state.recover(&client, username, words, passphrase).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(new) => with_cookie(Redirect::to("/").into_response(), &client, &new.secret),
        Err(err) => {
            let mut response = render_with(
                err.status(),
                &RecoverPage {
                    chrome: Chrome::new(&state, "Recovery", ""),
                    form,
                    error: Some(err.to_string()),
                },
            );
            err.add_retry_after(&mut response);
            response
        }
    }
}

async fn signout(State(state): State<AppState>, info: Option<axum::Extension<ClientInfo>>) -> Response {
    let client = client(info);
    state.lock();
    let response = Redirect::to("/signin?signed_out=1").into_response();
    with_cookie(response, &client, "")
}

async fn account_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let q = FormData::from_query(query.as_deref());
    let notice =
        q.checked("changed").then_some("Your passphrase is changed. Your recovery words stay the same.");
    account_view(&state, notice, None)
}

fn account_view(state: &AppState, notice: Option<&'static str>, error: Option<&WebError>) -> Response {
    let page = AccountPage {
        chrome: Chrome::new(state, "Your account", "account"),
        username: state.account_name().unwrap_or_default(),
        notice,
        error: error.map(ToString::to_string),
    };
    let mut response = render_with(error.map_or(axum::http::StatusCode::OK, WebError::status), &page);
    if let Some(err) = error {
        err.add_retry_after(&mut response);
    }
    response
}

async fn change_passphrase(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    Form(mut form): Form,
) -> Response {
    let client = client(info);
    let old = Passphrase::new(form.take("old").unwrap_or_default());
    let result = match new_passphrase(&mut form, "new", "new2") {
        Ok(new) => state.change_passphrase(&client, old, new).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Redirect::to("/account?changed=1").into_response(),
        Err(err) => account_view(&state, None, Some(&err)),
    }
}

/// The same JSON export as `thaw export`, as a download.
async fn export(State(state): State<AppState>) -> Response {
    state.export_account().await.unwrap_or_else(|err| crate::error::PageError(err).into_response())
}

async fn delete(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    Form(mut form): Form,
) -> Response {
    let client = client(info);
    let passphrase = Zeroizing::new(form.take("passphrase").unwrap_or_default());
    if !form.checked("sure") {
        let err = WebError::BadInput("To delete your account, tick the box that says you're sure.".into());
        return account_view(&state, None, Some(&err));
    }
    match state.delete_account(&client, Passphrase::new(passphrase.to_string())).await {
        Ok(()) => {
            let response = render(&DeletedPage { chrome: Chrome::bare_page("Account deleted") });
            with_cookie(response, &client, "")
        }
        Err(err) => account_view(&state, None, Some(&err)),
    }
}
