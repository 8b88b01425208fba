//! Sync routes (docs/SYNC.md): the changes since a cursor, and conditional pushes. Both go
//! through thaw-app's server side of the protocol; the client side is `thaw sync`.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::routing::{get, post};
use thaw_app::sync::{BATCH, ChangesPage, MAX_BATCH, PushReply, PushRequest};

use super::{Api, ApiJson};
use crate::error::{ApiError, WebError};
use crate::forms::FormData;
use crate::state::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.route("/api/v1/sync/changes", &["GET"], get(changes)).route(
        "/api/v1/sync/push",
        &["POST"],
        post(push),
    )
}

/// `since` (a cursor, default 0) and `limit` (1 to 1000, default 500).
fn page_query(query: Option<&str>) -> Result<(u64, usize), WebError> {
    let q = FormData::from_query(query);
    if let Some((name, _)) = q.fields().iter().find(|(k, _)| !matches!(k.as_str(), "since" | "limit")) {
        return Err(WebError::BadInput(format!("Unknown query parameter \"{name}\". Use since and limit.")));
    }
    let since = match q.text("since") {
        Some(s) => s.parse::<u64>().map_err(|_| {
            WebError::BadInput(format!(
                "since must be a cursor from an earlier answer (a whole number); \"{s}\" isn't."
            ))
        })?,
        None => 0,
    };
    let limit = match q.text("limit") {
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=MAX_BATCH).contains(n)).ok_or_else(|| {
            WebError::BadInput(format!("limit must be a whole number from 1 to {MAX_BATCH}; \"{l}\" isn't."))
        })?,
        None => BATCH,
    };
    Ok((since, limit))
}

#[utoipa::path(
    get,
    path = "/api/v1/sync/changes",
    operation_id = "sync_changes",
    summary = "Changes since a cursor, oldest first",
    description = "Each record's current version, or its tombstone when it was deleted (docs/SYNC.md).",
    params(
        ("since" = Option<u64>, Query, description = "A cursor from an earlier answer; 0 or left out for everything"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "Changes per page (default 500)"),
    ),
    responses(
        (status = 200, description = "One page of changes", body = ChangesPage),
        (status = 422, description = "A cursor, limit or parameter that can't be used", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn changes(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<ChangesPage>, ApiError> {
    let (since, limit) = page_query(query.as_deref())?;
    Ok(Json(state.with_app(move |app| Ok(app.sync_changes(since, limit)?)).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/sync/push",
    operation_id = "sync_push",
    summary = "Write a batch of changes",
    description = "Each change is written only if its record hasn't changed on the server after `base` \
(docs/SYNC.md). The batch is written in one transaction.",
    request_body = PushRequest,
    responses(
        (status = 200, description = "One outcome per change, in order", body = PushReply),
        (status = 422, description = "Not a batch of changes, or more than 1000", body = super::doc::ErrorBody),
    ),
)]
pub(super) async fn push(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushReply>, ApiError> {
    if request.changes.len() > MAX_BATCH {
        return Err(WebError::BadInput(format!(
            "A push takes at most {MAX_BATCH} changes; this one had {}. Send them in smaller batches.",
            request.changes.len()
        ))
        .into());
    }
    Ok(Json(state.with_app(move |app| Ok(app.sync_push(&request)?)).await?))
}
