//! Full-text search. POST, so the words never appear in an address (addresses end up in browser
//! history and in the logs of anything in between).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use thaw_core::{Record, RecordKind};
use thaw_store::SearchQuery;

use super::ApiJson;
use crate::error::{ApiError, WebError};
use crate::state::AppState;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchBody {
    /// Words; all must appear, each matching the start of a word.
    q: String,
    /// Only these kinds of record (default: all).
    #[serde(default)]
    #[schema(value_type = Vec<RecordKind>)]
    kinds: Vec<String>,
    /// At most this many (default 50).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1000)]
    limit: Option<u64>,
}

/// A record with the piece of text that matched: the CLI's `thaw search --json` shape.
#[derive(Serialize, ToSchema)]
pub(super) struct Hit {
    #[serde(flatten)]
    record: Record,
    snippet: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/search",
    summary = "Search everything you wrote",
    description = "All the words must appear. POST keeps the words out of addresses and history.",
    request_body = SearchBody,
    responses(
        (status = 200, description = "What matched, best first", body = [Hit]),
        (status = 422, description = "A kind of record or a limit that can't be used", body = super::doc::ErrorBody),
    )
)]
pub(super) async fn search(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SearchBody>,
) -> Result<Json<Vec<Hit>>, ApiError> {
    let kinds = body
        .kinds
        .iter()
        .map(|k| {
            RecordKind::parse(k).ok_or_else(|| {
                WebError::BadInput(format!(
                    "\"{k}\" isn't a record kind. Use: {}.",
                    RecordKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let limit = match body.limit {
        None => 50,
        Some(n @ 1..=1000) => n as usize,
        Some(n) => return Err(WebError::BadInput(format!("limit must be from 1 to 1000; {n} isn't.")).into()),
    };
    let query = SearchQuery { text: body.q, kinds, limit };
    let hits = state.with_store(move |s| Ok(s.search(&query)?)).await?;
    Ok(Json(hits.into_iter().map(|h| Hit { record: h.record, snippet: h.snippet }).collect()))
}
