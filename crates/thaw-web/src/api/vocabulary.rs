//! The feelings vocabulary (with the person's own words) and the body sensations.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use thaw_core::vocab::Family;

use crate::app::vocabulary as load;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) async fn vocabulary(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let vocab = state.with_store(|s| load(s)).await?;
    let families: Vec<Value> =
        Family::ALL.iter().map(|f| json!({ "id": f.id(), "title": f.title() })).collect();
    Ok(Json(json!({
        "version": vocab.version(),
        "families": families,
        "emotions": vocab.emotions(),
        "body": vocab.sensations(),
    })))
}
