//! The feelings vocabulary (with the person's own words) and the body sensations.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use thaw_core::vocab::{Emotion, Family, Sensation};
use utoipa::ToSchema;

use crate::app::vocabulary as load;
use crate::error::ApiError;
use crate::state::AppState;

/// The words Thaw knows for feelings, with yours, and the body sensations.
#[derive(Serialize, ToSchema)]
pub(super) struct VocabularyView {
    version: u32,
    families: Vec<FamilyView>,
    emotions: Vec<Emotion>,
    body: Vec<Sensation>,
}

/// A family of feeling words.
#[derive(Serialize, ToSchema)]
pub(super) struct FamilyView {
    id: &'static str,
    title: &'static str,
}

#[utoipa::path(
    get,
    path = "/api/v1/vocabulary",
    summary = "The feeling words (with your own) and the body sensations",
    responses((status = 200, description = "The vocabulary", body = VocabularyView))
)]
pub(super) async fn vocabulary(State(state): State<AppState>) -> Result<Json<VocabularyView>, ApiError> {
    let vocab = state.with_store(|s| load(s)).await?;
    Ok(Json(VocabularyView {
        version: vocab.version(),
        families: Family::ALL.iter().map(|f| FamilyView { id: f.id(), title: f.title() }).collect(),
        emotions: vocab.emotions().to_vec(),
        body: vocab.sensations().to_vec(),
    }))
}
