//! Unlock, lock and status.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use thaw_vault::Passphrase;

use super::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnlockBody {
    passphrase: String,
}

fn status_body(state: &AppState) -> Value {
    let unlocked = state.is_unlocked();
    let mut body = json!({ "unlocked": unlocked });
    if unlocked {
        body["idle_lock_minutes"] = json!(state.idle().as_secs().div_ceil(60));
    }
    body
}

pub(super) async fn status(State(state): State<AppState>) -> Json<Value> {
    Json(status_body(&state))
}

pub(super) async fn unlock(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<UnlockBody>,
) -> Result<Json<Value>, ApiError> {
    if body.passphrase.is_empty() {
        return Err(crate::error::WebError::BadInput("The passphrase is empty.".into()).into());
    }
    state.unlock(Passphrase::new(body.passphrase)).await?;
    Ok(Json(status_body(&state)))
}

pub(super) async fn lock(State(state): State<AppState>) -> Json<Value> {
    state.lock();
    Json(status_body(&state))
}
