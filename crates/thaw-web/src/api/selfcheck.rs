//! The self-check (`thaw selfcheck`): its questions, saving answers, and past results.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use thaw_core::selfcheck::{Answers, selfcheck};
use thaw_core::{Record, RecordKind};

use super::records::find;
use super::{Api, ApiJson, IdPath, list_query};
use crate::error::{ApiError, WebError};
use crate::state::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.route("/api/v1/selfcheck", &["GET"], get(questions))
        .route("/api/v1/selfchecks", &["GET", "POST"], get(list).post(take))
        .route("/api/v1/selfchecks/{id}", &["GET"], get(one))
}

/// The self-check itself: intro, scale, areas with their questions.
#[utoipa::path(
    get,
    path = "/api/v1/selfcheck",
    operation_id = "selfcheck_questions",
    summary = "The self-check's questions",
    description = "Its introduction, the answer scale, and the areas with their questions (areas that \
touch on sensitive things are marked, and say so before their questions).",
    responses((status = 200, description = "The self-check", body = Object)),
)]
pub(super) async fn questions() -> Response {
    let check = selfcheck();
    Json(serde_json::json!({
        "intro": check.intro,
        "scale": check.scale,
        "not_a_diagnosis": check.not_a_diagnosis,
        "areas": check.areas.iter().map(|a| serde_json::json!({
            "id": a.id,
            "title": a.title,
            "sensitive": a.sensitive,
            "announcement": a.announcement,
            "questions": a.questions,
        })).collect::<Vec<_>>(),
    }))
    .into_response()
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelfCheckInput {
    /// Question id (from GET /api/v1/selfcheck) → 0 to 3, or null to skip it. Questions left out
    /// are skipped too.
    #[schema(value_type = std::collections::BTreeMap<String, Option<u8>>)]
    pub answers: Answers,
}

fn view(record: &Record) -> Result<serde_json::Value, WebError> {
    let v = thaw_app::selfcheck::view(record).ok_or(WebError::NotFound)?;
    serde_json::to_value(v).map_err(|e| WebError::Internal(e.to_string()))
}

#[utoipa::path(
    post,
    path = "/api/v1/selfchecks",
    operation_id = "add_selfcheck",
    summary = "Take the self-check",
    description = "Saves your answers and answers with the areas that may apply. Not a diagnosis.",
    request_body = SelfCheckInput,
    responses(
        (status = 201, description = "Saved: the result", body = thaw_app::selfcheck::ResultView),
        (status = 422, description = "Not saved: an unknown question, an answer outside 0 to 3, or every question skipped", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn take(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SelfCheckInput>,
) -> Result<Response, ApiError> {
    let record = state.with_app(move |app| Ok(app.save_selfcheck(&input.answers)?)).await?;
    let location = format!("/api/v1/selfchecks/{}", record.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(view(&record)?)).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/selfchecks",
    operation_id = "list_selfchecks",
    summary = "Your past self-check results, newest first",
    params(super::doc::ListParams),
    responses(
        (status = 200, description = "The results", body = [thaw_app::selfcheck::ResultView]),
        (status = 422, description = "A date or a limit that can't be used; the message says which", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = list_query(&state, RecordKind::SelfCheck, query.as_deref())?;
    let records = state.with_store(move |s| Ok(s.list(&query)?)).await?;
    let views = records.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(views).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/selfchecks/{id}",
    operation_id = "get_selfcheck",
    summary = "One self-check result",
    params(super::doc::IdParam),
    responses(
        (status = 200, description = "The result", body = thaw_app::selfcheck::ResultView),
        (status = 400, description = "More than one record ends with those characters: send more of the id", body = super::doc::ErrorBody),
        (status = 404, description = "No such result", body = super::doc::ErrorBody),
        (status = 422, description = "That isn't a record id", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn one(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, ApiError> {
    let record = find(&state, RecordKind::SelfCheck, &id).await?;
    Ok(Json(view(&record)?).into_response())
}
