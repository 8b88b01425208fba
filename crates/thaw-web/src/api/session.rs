//! Unlock, lock and status.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use thaw_vault::Passphrase;
use utoipa::ToSchema;

use super::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct UnlockBody {
    passphrase: String,
}

/// Whether the vault is open.
#[derive(Serialize, ToSchema)]
pub(super) struct Status {
    unlocked: bool,
    /// Minutes of quiet before the vault locks itself (only while it is unlocked).
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_lock_minutes: Option<u64>,
}

fn status_body(state: &AppState) -> Status {
    let unlocked = state.is_unlocked();
    Status { unlocked, idle_lock_minutes: unlocked.then(|| state.idle().as_secs().div_ceil(60)) }
}

#[utoipa::path(
    get,
    path = "/api/v1/status",
    summary = "Whether the vault is unlocked",
    responses((status = 200, description = "Whether it is unlocked", body = Status))
)]
pub(super) async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(status_body(&state))
}

#[utoipa::path(
    post,
    path = "/api/v1/unlock",
    summary = "Unlock the vault with your passphrase",
    request_body = UnlockBody,
    responses(
        (status = 200, description = "Unlocked", body = Status),
        (status = 403, description = "That passphrase didn't open the vault (nothing changed), or the request came from another site", body = super::doc::ErrorBody),
        (status = 422, description = "No passphrase, or an empty one", body = super::doc::ErrorBody),
        (status = 429, description = "Several wrong passphrases in a row: try again after Retry-After seconds (nothing was tried)", body = super::doc::ErrorBody),
    )
)]
pub(super) async fn unlock(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<UnlockBody>,
) -> Result<Json<Status>, ApiError> {
    if body.passphrase.is_empty() {
        return Err(crate::error::WebError::BadInput("The passphrase is empty.".into()).into());
    }
    state.unlock(Passphrase::new(body.passphrase)).await?;
    Ok(Json(status_body(&state)))
}

#[utoipa::path(
    post,
    path = "/api/v1/lock",
    summary = "Lock the vault now",
    responses((status = 200, description = "Locked", body = Status))
)]
pub(super) async fn lock(State(state): State<AppState>) -> Json<Status> {
    state.lock();
    Json(status_body(&state))
}
