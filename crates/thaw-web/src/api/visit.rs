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

#[utoipa::path(
    get,
    path = "/api/v1/insights",
    summary = "Your own pattern over a stretch of days",
    description = "By default the last 14 days: the range of feelings, how you reacted, what activities \
did, medicine changes, questionnaire trends and the day-by-day series, as `thaw insights --json` \
(docs/INSIGHTS.md).",
    params(
        ("from" = Option<String>, Query, format = Date, description = "The first day (your local date, included)"),
        ("to" = Option<String>, Query, format = Date, description = "The last day (your local date, included); today if left out"),
    ),
    responses(
        (status = 200, description = "The insights", body = Object),
        (status = 422, description = "A date that can't be used, `from` after `to`, or an unknown parameter", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn insights(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = query(raw.as_deref(), &["from", "to"])?;
    let win = window(state.tz(), q.get("from"), q.get("to"), INSIGHT_DAYS)?;
    let s = state.with_app(move |app| summary(app, &win)).await?;
    Ok(Json(s.insights).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/report",
    summary = "The visit summary as a file",
    description = "By default the last 90 days, answered as a download (`Content-Disposition: \
attachment`). The file isn't encrypted: keep it somewhere private.",
    params(
        ("format" = String, Query, description = "pdf, html, md (Markdown) or fhir (an R4 Bundle with the PHQ-9 and GAD-7)"),
        ("from" = Option<String>, Query, format = Date, description = "The first day (your local date, included)"),
        ("to" = Option<String>, Query, format = Date, description = "The last day (your local date, included); today if left out"),
    ),
    responses(
        (status = 200, description = "The file", content(
            (Vec<u8> = "application/pdf"),
            (String = "text/html"),
            (String = "text/markdown"),
            (Object = "application/fhir+json"),
        )),
        (status = 422, description = "No format or an unknown one, a date that can't be used, `from` after `to`, or an unknown parameter", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn report(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
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
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionInput {
    /// At most 1,000 characters.
    pub text: String,
}

/// The questions after one was added, and the follow-up for its words.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct QuestionAdded {
    questions: Vec<String>,
    /// Support to show first when the question's words call for it; `null` otherwise.
    follow_up: Option<thaw_app::FollowUp>,
}

#[utoipa::path(
    get,
    path = "/api/v1/report/questions",
    summary = "Your questions for the visit, in order",
    responses((status = 200, description = "The questions", body = [String])),
)]
pub(super) async fn list_questions(State(state): State<AppState>) -> Result<Response, ApiError> {
    let all = state.with_app(|app| Ok(app.questions()?)).await?;
    Ok(Json(all).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/report/questions",
    summary = "Add a question for the visit",
    description = "At most 1,000 characters, and at most 50 questions.",
    request_body = QuestionInput,
    responses(
        (status = 201, description = "Added: all your questions, with `follow_up`", body = QuestionAdded),
        (status = 422, description = "Not added: it's empty or too long, or the list is full", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn add_question(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> Result<Response, ApiError> {
    let added = state
        .with_app(move |app| {
            let (_, follow_up) = app.add_question(&input.text)?;
            Ok(QuestionAdded { questions: app.questions()?, follow_up })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

#[utoipa::path(
    delete,
    path = "/api/v1/report/questions/{id}",
    summary = "Remove a question",
    params(("id" = String, Path, description = "The question's number, from 1, as the list is ordered")),
    responses(
        (status = 200, description = "Removed: the questions left", body = [String]),
        (status = 422, description = "That isn't a number on the list", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn remove_question(
    State(state): State<AppState>,
    IdPath(n): IdPath,
) -> Result<Response, ApiError> {
    let all = state
        .with_app(move |app| {
            app.remove_question(&n)?;
            Ok(app.questions()?)
        })
        .await?;
    Ok(Json(all).into_response())
}
