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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewAccount {
    username: String,
    passphrase: String,
    #[serde(default)]
    invite: Option<String>,
}

#[derive(Deserialize)]
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewPassphrase {
    /// The passphrase now.
    passphrase: String,
    new_passphrase: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Recovery {
    username: String,
    /// The 24 recovery words shown at sign-up.
    recovery_key: String,
    new_passphrase: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirm {
    passphrase: String,
}

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

/// `GET /api/v1/account/export`: everything, as the same JSON `thaw export` writes.
pub(super) async fn export(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(state.export_account().await?)
}

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
