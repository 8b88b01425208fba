//! Accounts and sessions of a hosted server (`thaw host`): sign up, sign in, sign out, passphrase
//! change, recovery, export and deletion. Each calls the same flow as its page (in `hosted.rs`),
//! so both edges share the checks and the waits after wrong secrets. On the local app (`thaw
//! serve`) these answer 403: it has one vault and no accounts.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use thaw_vault::Passphrase;

use super::ApiJson;
use crate::error::{ApiError, WebError};
use crate::hosted::ClientInfo;
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAccount {
    /// 2 to 64 letters, digits or . _ - @ + (case doesn't matter).
    username: String,
    /// At least 8 characters.
    passphrase: String,
    /// The invitation code, when sign-up is by invitation.
    #[serde(default)]
    invite: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SignIn {
    username: String,
    passphrase: String,
}

fn client(info: Option<axum::Extension<ClientInfo>>) -> ClientInfo {
    info.map_or(ClientInfo { https: false, address: None }, |i| i.0)
}

/// `POST /api/v1/accounts` → 201 `{"recovery_key": "24 words"}`, shown once. Signing in is a
/// separate step (`POST /api/v1/sessions`).
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    operation_id = "create_account",
    summary = "Make an account (thaw host)",
    description = "Only on a hosted server (`thaw host`), under its sign-up policy: open, by invitation \
(send the code from `thaw host invite` as `invite`; it works once) or closed. The recovery words are \
in this answer only: they are the one way back in if the passphrase is forgotten, so keep them \
somewhere safe. Making an account doesn't sign in: use POST /api/v1/sessions. On `thaw serve` this \
answers 403.",
    request_body = NewAccount,
    security(()),
    responses(
        (status = 201, description = "Made", body = super::doc::RecoveryKey),
        (status = 403, description = "Sign-up is closed, or the invitation is missing, unknown, used or expired (or this is `thaw serve`)", body = super::doc::ErrorBody),
        (status = 409, description = "That username is taken", body = super::doc::ErrorBody),
        (status = 422, description = "The wrong shape, a username that can't be one, or a passphrase under 8 characters", body = super::doc::ErrorBody),
        (status = 429, description = "Too many failed tries from this address: try again after Retry-After seconds", body = super::doc::ErrorBody),
        (status = 503, description = "Too many sign-ins are waiting: try again after Retry-After seconds", body = super::doc::ErrorBody),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    ApiJson(body): ApiJson<NewAccount>,
) -> Result<Response, ApiError> {
    let client = client(info);
    let (session, words) =
        state.sign_up(&client, body.username, Passphrase::new(body.passphrase), body.invite).await?;
    // The API's sign-up doesn't keep the session it made: a client signs in when it is ready.
    if let Some(hosted) = state.hosted() {
        hosted.end_session(&session.session);
    }
    let body = json!({ "recovery_key": words.as_str() });
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

/// `POST /api/v1/sessions` → 201 `{"token": "…"}`, for `Authorization: Bearer TOKEN`.
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    summary = "Sign in (thaw host)",
    description = "Only on a hosted server (`thaw host`). An unknown username and a wrong passphrase get \
the same answer. Failed tries bring growing waits, per account and per address (429 with \
Retry-After). On `thaw serve` this answers 403.",
    request_body = SignIn,
    security(()),
    responses(
        (status = 201, description = "Signed in", body = super::doc::SessionToken),
        (status = 403, description = "This is `thaw serve`, which has no accounts, or the request came from another site", body = super::doc::ErrorBody),
        (status = 401, description = "That username and passphrase don't match an account", body = super::doc::ErrorBody),
        (status = 422, description = "The wrong shape", body = super::doc::ErrorBody),
        (status = 429, description = "Too many failed tries for this account or from this address: try again after Retry-After seconds", body = super::doc::ErrorBody),
        (status = 503, description = "Too many sign-ins are waiting: try again after Retry-After seconds", body = super::doc::ErrorBody),
    )
)]
pub(super) async fn sign_in(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    if body.username.trim().is_empty() || body.passphrase.is_empty() {
        return Err(WebError::BadInput("Please send a username and a passphrase.".into()).into());
    }
    let client = client(info);
    let session = state.sign_in(&client, body.username, Passphrase::new(body.passphrase)).await?;
    let body = json!({ "token": session.secret.as_str(), "idle_lock_minutes": session.idle_minutes() });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `DELETE /api/v1/sessions`: signs this session out (its keys leave the server's memory).
#[utoipa::path(
    delete,
    path = "/api/v1/sessions",
    summary = "Sign out (thaw host)",
    description = "Ends this session: its keys leave the server's memory and the token stops working. \
On `thaw serve` this answers 403 (lock with POST /api/v1/lock instead).",
    responses(
        (status = 204, description = "Signed out"),
        (status = 403, description = "This is `thaw serve`, which has no accounts", body = super::doc::ErrorBody),
    )
)]
pub(super) async fn sign_out(State(state): State<AppState>) -> Result<StatusCode, ApiError> {
    if !state.is_hosted() {
        return Err(WebError::Forbidden(
            "This Thaw runs on one computer with one vault, so it has no accounts. To lock it, use POST /api/v1/lock."
                .into(),
        )
        .into());
    }
    state.lock();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPassphrase {
    /// The passphrase now.
    passphrase: String,
    /// At least 8 characters.
    new_passphrase: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Recovery {
    username: String,
    /// The 24 recovery words shown at sign-up, separated by spaces.
    recovery_key: String,
    /// At least 8 characters.
    new_passphrase: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirm {
    /// The account's passphrase, to be sure it's its owner.
    passphrase: String,
}

const WAIT_429: &str =
    "Too many wrong tries for this account or from this address: try again after Retry-After seconds";
const WAIT_503: &str = "Too many passphrase checks are waiting: try again after Retry-After seconds";

#[utoipa::path(
    put,
    path = "/api/v1/account/passphrase",
    operation_id = "change_passphrase",
    summary = "Change the passphrase (thaw host)",
    description = "Re-wraps the account's key under a new passphrase; the records stay as they are and \
the recovery words stay valid. The same flow as the account page. The passphrase now is checked \
first, with the same growing waits as signing in. On `thaw serve` this answers 403.",
    request_body = NewPassphrase,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "No session, or the passphrase now isn't right", body = super::doc::ErrorBody),
        (status = 403, description = "This is `thaw serve`, which has no accounts, or the request came from another site", body = super::doc::ErrorBody),
        (status = 422, description = "The wrong shape, or a new passphrase shorter than 8 characters", body = super::doc::ErrorBody),
        (status = 429, description = WAIT_429, body = super::doc::ErrorBody),
        (status = 503, description = WAIT_503, body = super::doc::ErrorBody),
    )
)]
/// `PUT /api/v1/account/passphrase` `{"passphrase", "new_passphrase"}` → 204. The same flow as
/// the account page: the passphrase now is checked (with the waits of signing in), the records
/// stay as they are, the recovery words stay valid.
pub(super) async fn change_passphrase(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    ApiJson(body): ApiJson<NewPassphrase>,
) -> Result<StatusCode, ApiError> {
    let client = client(info);
    state
        .change_passphrase(&client, Passphrase::new(body.passphrase), Passphrase::new(body.new_passphrase))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/api/v1/recovery",
    operation_id = "recover",
    summary = "Recover with the recovery words (thaw host)",
    description = "The 24 recovery words shown at sign-up open the account and set a new passphrase; \
every other session of the account ends, and this answers a new session. The same flow as the \
recovery page. Wrong words bring the same growing waits as a wrong passphrase. On `thaw serve` \
this answers 403 (use `thaw recover`).",
    request_body = Recovery,
    security(()),
    responses(
        (status = 201, description = "Recovered and signed in", body = super::doc::SessionToken),
        (status = 403, description = "The words don't open this account, this is `thaw serve`, or the request came from another site", body = super::doc::ErrorBody),
        (status = 422, description = "The wrong shape, or a new passphrase shorter than 8 characters", body = super::doc::ErrorBody),
        (status = 429, description = WAIT_429, body = super::doc::ErrorBody),
        (status = 503, description = WAIT_503, body = super::doc::ErrorBody),
    )
)]
/// `POST /api/v1/recovery` `{"username", "recovery_key", "new_passphrase"}` → 201 `{"token"}`:
/// the same flow as the recovery page. Every other session of the account ends.
pub(super) async fn recover(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    ApiJson(body): ApiJson<Recovery>,
) -> Result<Response, ApiError> {
    let client = client(info);
    let words = zeroize::Zeroizing::new(body.recovery_key);
    let session = state.recover(&client, body.username, words, Passphrase::new(body.new_passphrase)).await?;
    let body = json!({ "token": session.secret.as_str(), "idle_lock_minutes": session.idle_minutes() });
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/account/export",
    operation_id = "export_account",
    summary = "Export everything (thaw host)",
    description = "Every record and setting of the signed-in account, as the same JSON `thaw export` \
writes (and `thaw import` reads). It isn't encrypted. The same flow as the account page's download. \
On `thaw serve` this answers 403 (use `thaw export`).",
    responses(
        (status = 200, description = "The export (docs/EXPORT.md), with Content-Disposition: attachment", body = Object),
        (status = 401, description = "No session (signed out, or it idled out)", body = super::doc::ErrorBody),
        (status = 403, description = "This is `thaw serve`, which has no accounts", body = super::doc::ErrorBody),
    )
)]
/// `GET /api/v1/account/export`: everything, as the same JSON `thaw export` writes.
pub(super) async fn export(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(state.export_account().await?)
}

#[utoipa::path(
    delete,
    path = "/api/v1/account",
    operation_id = "delete_account",
    summary = "Delete the account (thaw host)",
    description = "Deletes the signed-in account for good: its wrapped keys, every record and setting, \
in one transaction; every session of it ends. The same flow as the account page. The passphrase is \
checked first, with the same growing waits as signing in. On `thaw serve` this answers 403.",
    request_body = Confirm,
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No session, or the passphrase isn't right", body = super::doc::ErrorBody),
        (status = 403, description = "This is `thaw serve`, which has no accounts, or the request came from another site", body = super::doc::ErrorBody),
        (status = 422, description = "The wrong shape", body = super::doc::ErrorBody),
        (status = 429, description = WAIT_429, body = super::doc::ErrorBody),
        (status = 503, description = WAIT_503, body = super::doc::ErrorBody),
    )
)]
/// `DELETE /api/v1/account` `{"passphrase"}` → 204: the account, its wrapped keys and every
/// record, for good, after the passphrase is checked; every session of it ends.
pub(super) async fn delete(
    State(state): State<AppState>,
    info: Option<axum::Extension<ClientInfo>>,
    ApiJson(body): ApiJson<Confirm>,
) -> Result<StatusCode, ApiError> {
    let client = client(info);
    state.delete_account(&client, Passphrase::new(body.passphrase)).await?;
    Ok(StatusCode::NO_CONTENT)
}
