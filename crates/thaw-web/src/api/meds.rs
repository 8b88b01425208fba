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
use crate::state::AppState;
use thaw_app::AppError;
use thaw_app::meds::{MedEventInput, MedView, MedicationInput};

pub(super) fn routes(api: Api) -> Api {
    api.route("/api/v1/medications", &["GET", "POST"], get(list).post(add))
        .route("/api/v1/medications/{id}", &["GET"], get(one))
        .route("/api/v1/medications/{id}/events", &["POST"], post(change))
        .route("/api/v1/medication-info/{id}", &["GET"], get(info))
}

async fn list(State(state): State<AppState>) -> Result<Json<Vec<MedView>>, ApiError> {
    let states = state.with_app(|app| Ok(app.medicines()?)).await?;
    Ok(Json(states.into_iter().map(MedView::new).collect()))
}

async fn one(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, ApiError> {
    match state.with_app(move |app| Ok(app.medicine(&id))).await? {
        Ok(m) => Ok(Json(MedView::new(m)).into_response()),
        // Not on the list: a 404, with the message saying how to add it.
        Err(e @ AppError::NotOnList { .. }) => {
            Ok(json_error(StatusCode::NOT_FOUND, &WebError::from(e).to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

async fn add(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<MedicationInput>,
) -> Result<Response, ApiError> {
    match state.with_app(move |app| Ok(app.add_medicine(&input))).await? {
        Ok(added) => Ok(created(added.record)),
        Err(AppError::LikelyTypo { typed, near }) => Ok(json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!(
                "Thaw doesn't know \"{typed}\". Did you mean {near}? If \"{typed}\" is right, send \"as_typed\": \
                 true to keep it just as typed."
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

async fn change(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<MedEventInput>,
) -> Result<Response, ApiError> {
    let record = state.with_app(move |app| Ok(app.change_medicine(&id, &input)?)).await?;
    Ok(created(record))
}

async fn info(IdPath(name): IdPath) -> Response {
    match thaw_app::meds::info(&name) {
        Ok(view) => Json(view).into_response(),
        Err(e) => {
            let near = match &e {
                AppError::UnknownMedicine { near, .. } => near.clone(),
                _ => Vec::new(),
            };
            let message = WebError::from(e).to_string();
            (StatusCode::NOT_FOUND, Json(serde_json::json!({ "error": message, "did_you_mean": near })))
                .into_response()
        }
    }
}
