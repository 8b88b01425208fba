//! Changing a record that was already saved (reactions, moments of release, activities, people):
//! the page's own form, filled from the record, sent back to `/{page}/{id}/edit`. The record is
//! rebuilt through the same input as a new one (so thaw-core checks it the same way) and saved in
//! place: same id, same creation time, a new `updated_at`.

use thaw_core::ids::IdRef;
use thaw_core::{Record, RecordKind, Timestamp};

use crate::error::WebError;
use crate::state::AppState;

/// The record of `kind` with this id (or the id's last characters); anything else is a 404.
pub(super) async fn find(state: &AppState, kind: RecordKind, id: &str) -> Result<Record, WebError> {
    let prefix = IdRef::parse(id).map_err(|_| WebError::NotFound)?;
    state
        .with_store(move |s| {
            let id = s.resolve(&prefix, Some(kind))?;
            s.get(id)?.ok_or(WebError::NotFound)
        })
        .await
}

/// Saves `new` in place of `old` through thaw-app, which decides the follow-up for what the
/// change brought in.
pub(super) fn replace(
    app: &thaw_app::App,
    old: &Record,
    mut new: Record,
) -> Result<thaw_app::Saved, thaw_app::AppError> {
    new.id = old.id;
    app.update(new)
}

/// A time as a `datetime-local` field holds it, in the person's time zone.
pub(super) fn local_input(ts: Timestamp, state: &AppState) -> String {
    ts.as_jiff().to_zoned(state.tz().clone()).strftime("%Y-%m-%dT%H:%M").to_string()
}
