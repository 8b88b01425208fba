//! Shared by the pages that show a form and the records made with it.

use thaw_core::RecordKind;
use thaw_store::ListQuery;

use crate::error::WebError;
use crate::state::AppState;
use crate::view::Row;

/// The latest records of one kind, as rows.
pub(super) async fn latest(state: &AppState, kind: RecordKind, limit: usize) -> Result<Vec<Row>, WebError> {
    let records = state
        .with_store(move |s| Ok(s.list(&ListQuery { limit: Some(limit), ..ListQuery::kind(kind) })?))
        .await?;
    Ok(records.iter().map(|r| Row::new(r, state)).collect())
}
