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
async fn questions() -> Response {
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

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelfCheckInput {
    /// Question id → 0–3, or null when skipped. Questions left out are skipped.
    pub answers: Answers,
}

fn view(record: &Record) -> Result<serde_json::Value, WebError> {
    let v = thaw_app::selfcheck::view(record).ok_or(WebError::NotFound)?;
    serde_json::to_value(v).map_err(|e| WebError::Internal(e.to_string()))
}

async fn take(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SelfCheckInput>,
) -> Result<Response, ApiError> {
    let record = state.with_app(move |app| Ok(app.save_selfcheck(&input.answers)?)).await?;
    let location = format!("/api/v1/selfchecks/{}", record.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(view(&record)?)).into_response())
}

async fn list(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let query = list_query(&state, RecordKind::SelfCheck, query.as_deref())?;
    let records = state.with_store(move |s| Ok(s.list(&query)?)).await?;
    let views = records.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(views).into_response())
}

async fn one(State(state): State<AppState>, IdPath(id): IdPath) -> Result<Response, ApiError> {
    let record = find(&state, RecordKind::SelfCheck, &id).await?;
    Ok(Json(view(&record)?).into_response())
}
