//! Insights (`thaw insights --json`), the visit summary as a file (`thaw report`), and the
//! questions for the visit (`thaw report questions`).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};

use super::{Api, ApiJson, IdPath};
use crate::error::{ApiError, WebError};
use crate::forms::FormData;
use crate::state::AppState;
use crate::visit::{Format, INSIGHT_DAYS, REPORT_DAYS, download, render, summary, window};

pub(super) fn routes(api: Api) -> Api {
    api.route("/api/v1/insights", &["GET"], get(insights))
        .route("/api/v1/report", &["GET"], get(report))
        .route("/api/v1/report/questions", &["GET", "POST"], get(list_questions).post(add_question))
        .route("/api/v1/report/questions/{id}", &["DELETE"], delete(remove_question))
}

/// Only these query parameters are known; anything else is named back.
fn query(raw: Option<&str>, known: &[&str]) -> Result<FormData, WebError> {
    let q = FormData::from_query(raw);
    if let Some((name, _)) = q.fields().iter().find(|(k, _)| !known.contains(&k.as_str())) {
        return Err(WebError::BadInput(format!(
            "Unknown query parameter \"{name}\". Use {}.",
            known.join(", ")
        )));
    }
    Ok(q)
}

async fn insights(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q = query(raw.as_deref(), &["from", "to"])?;
    let win = window(state.tz(), q.get("from"), q.get("to"), INSIGHT_DAYS)?;
    let s = state.with_app(move |app| summary(app, &win)).await?;
    Ok(Json(s.insights).into_response())
}

async fn report(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let q = query(raw.as_deref(), &["format", "from", "to"])?;
    let format = Format::parse(q.value("format"))?;
    let win = window(state.tz(), q.get("from"), q.get("to"), REPORT_DAYS)?;
    let (bytes, win) = state
        .with_app(move |app| {
            let s = summary(app, &win)?;
            Ok((render(&s, format)?, win))
        })
        .await?;
    Ok(download(bytes, format, &win))
}

/// A question to add.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionInput {
    pub text: String,
}

async fn list_questions(State(state): State<AppState>) -> Result<Response, ApiError> {
    let all = state.with_app(|app| Ok(app.questions()?)).await?;
    Ok(Json(all).into_response())
}

async fn add_question(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> Result<Response, ApiError> {
    let added = state
        .with_app(move |app| {
            let (_, follow_up) = app.add_question(&input.text)?;
            Ok(serde_json::json!({ "questions": app.questions()?, "follow_up": follow_up }))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

async fn remove_question(State(state): State<AppState>, IdPath(n): IdPath) -> Result<Response, ApiError> {
    let all = state
        .with_app(move |app| {
            app.remove_question(&n)?;
            Ok(app.questions()?)
        })
        .await?;
    Ok(Json(all).into_response())
}
