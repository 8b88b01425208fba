//! Medicines (`thaw med`): the list with each medicine's state and timeline, adding one, noting a
//! change, and what Thaw's table knows about a name.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::records::created;
use super::{Api, ApiJson, IdPath};
use crate::error::{ApiError, WebError, json_error};
use crate::input::Clock;
use crate::medicine::{Added, MedEventInput, MedView, MedicationInput};
use crate::state::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.route("/api/v1/medications", &["GET", "POST"], get(list).post(add))
        .route("/api/v1/medications/{id}", &["GET"], get(one))
        .route("/api/v1/medications/{id}/events", &["POST"], post(change))
        .route("/api/v1/medication-info/{id}", &["GET"], get(info))
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<MedView>>, ApiError> {
    let states = state.with_store(crate::medicine::list).await?;
    Ok(Json(states.into_iter().map(MedView::new).collect()))
}

async fn one(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, ApiError> {
    match state.with_store(move |s| crate::medicine::find(s, &id)).await {
        Ok(m) => Ok(Json(MedView::new(m)).into_response()),
        // Not on the list: a 404, with the message saying how to add it.
        Err(WebError::BadInput(m)) => Ok(json_error(StatusCode::NOT_FOUND, &m)),
        Err(e) => Err(e.into()),
    }
}

async fn add(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<MedicationInput>,
) -> Result<Response, ApiError> {
    let clock = Clock::new(state.tz());
    let added = state.with_store(move |s| crate::medicine::add(s, &input, &clock)).await?;
    match added {
        Added::Saved { record, .. } => Ok(created(record)),
        Added::DidYouMean { typed, near } => Ok(json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!(
                "Thaw doesn't know \"{typed}\". Did you mean {near}? If \"{typed}\" is right, send \"as_typed\": \
                 true to keep it just as typed."
            ),
        )),
    }
}

async fn change(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<MedEventInput>,
) -> Result<Response, ApiError> {
    let clock = Clock::new(state.tz());
    let record = state.with_store(move |s| crate::medicine::change(s, &id, &input, &clock)).await?;
    Ok(created(record))
}

async fn info(IdPath(name): IdPath) -> Response {
    match crate::medicine::info(&name) {
        Ok(view) => Json(view).into_response(),
        Err((message, near)) => {
            (StatusCode::NOT_FOUND, Json(serde_json::json!({ "error": message, "did_you_mean": near })))
                .into_response()
        }
    }
}
