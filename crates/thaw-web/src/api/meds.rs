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

#[utoipa::path(
    get,
    path = "/api/v1/medications",
    operation_id = "list_medications",
    summary = "Your medicines",
    description = "Each with where it stands and its timeline: the ones you take now first, then \
paused, then stopped.",
    responses((status = 200, description = "Your medicines", body = [MedView])),
)]
pub(super) async fn list(State(state): State<AppState>) -> Result<Json<Vec<MedView>>, ApiError> {
    let states = state.with_app(|app| Ok(app.medicines()?)).await?;
    Ok(Json(states.into_iter().map(MedView::new).collect()))
}

#[utoipa::path(
    get,
    path = "/api/v1/medications/{id}",
    operation_id = "get_medication",
    summary = "One medicine on your list",
    params(("id" = String, Path, description = "The medicine: its name as on your list (or a brand of it), or the `id` the list gives")),
    responses(
        (status = 200, description = "The medicine", body = MedView),
        (status = 404, description = "It isn't on your list; the message says how to add it", body = super::doc::ErrorBody),
        (status = 422, description = "That isn't a name", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn one(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, ApiError> {
    match state.with_app(move |app| Ok(app.medicine(&id))).await? {
        Ok(m) => Ok(Json(MedView::new(m)).into_response()),
        // Not on the list: a 404, with the message saying how to add it.
        Err(e @ AppError::NotOnList { .. }) => {
            Ok(json_error(StatusCode::NOT_FOUND, &WebError::from(e).to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/medications",
    operation_id = "add_medication",
    summary = "Add a medicine (or start one on your list again)",
    description = "Saves a `started` medication record. The name is looked up in Thaw's table (a brand \
such as Zoloft becomes sertraline, with its group and ATC code). A name Thaw doesn't know is kept \
as typed; one that looks like a typo of a known medicine is refused with \"Did you mean …?\" unless \
`as_typed` is true. This is never advice.",
    request_body = MedicationInput,
    responses(
        (status = 201, description = "Saved: the new record", body = thaw_core::Record),
        (status = 422, description = "Not saved: no dose or unit, a dose out of range, a likely typo, or a date that doesn't fit the timeline; the message says what to change", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn add(
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

#[utoipa::path(
    post,
    path = "/api/v1/medications/{id}/events",
    operation_id = "add_medication_event",
    summary = "Note a change to a medicine",
    description = "A new dose, a pause, a stop, a dose taken, or starting again.",
    params(("id" = String, Path, description = "The medicine: its name as on your list (or a brand of it), or the `id` the list gives")),
    request_body = MedEventInput,
    responses(
        (status = 201, description = "Saved: the new record", body = thaw_core::Record),
        (status = 422, description = "Not saved: it isn't on your list, the change doesn't fit the timeline, or a dose is missing; the message says what to change", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn change(
    State(state): State<AppState>,
    IdPath(id): IdPath,
    ApiJson(input): ApiJson<MedEventInput>,
) -> Result<Response, ApiError> {
    let record = state.with_app(move |app| Ok(app.change_medicine(&id, &input)?)).await?;
    Ok(created(record))
}

/// A name Thaw's table doesn't know, with close ones.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct UnknownMedicine {
    /// What to do, in plain words.
    error: String,
    /// Names in the table close to the one asked about.
    did_you_mean: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/medication-info/{id}",
    operation_id = "medication_info",
    summary = "What Thaw's table knows about a medicine",
    description = "Its names, its group and ATC code, the group's neutral note and a question you could \
ask your prescriber. Information to talk it through, never advice.",
    params(("id" = String, Path, description = "A generic name, another name or a brand")),
    responses(
        (status = 200, description = "What Thaw knows", body = thaw_app::meds::InfoView),
        (status = 404, description = "Thaw doesn't know the name; `did_you_mean` lists close ones", body = UnknownMedicine),
        (status = 422, description = "That isn't a name", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn info(IdPath(name): IdPath) -> Response {
    match thaw_app::meds::info(&name) {
        Ok(view) => Json(view).into_response(),
        Err(e) => {
            let near = match &e {
                AppError::UnknownMedicine { near, .. } => near.clone(),
                _ => Vec::new(),
            };
            let message = WebError::from(e).to_string();
            (StatusCode::NOT_FOUND, Json(UnknownMedicine { error: message, did_you_mean: near }))
                .into_response()
        }
    }
}
