//! Accounts and sessions of a hosted server (`thaw host`): sign up, sign in, sign out. On the
//! local app (`thaw serve`) these answer 403: it has one vault and no accounts.

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
