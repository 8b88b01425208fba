//! `/`: a gentle start: check in, what you named today, what you recorded lately.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use thaw_core::{RecordKind, Timestamp};
use thaw_store::ListQuery;

use crate::error::PageError;
use crate::state::AppState;
use crate::view::{Chrome, Row, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    today: Vec<Row>,
    recent: Vec<Row>,
}

/// The start of the person's day in their time zone.
pub(crate) fn start_of_today(state: &AppState) -> Option<Timestamp> {
    let today = Timestamp::now().date_in(state.tz());
    let zoned = today.to_zoned(state.tz().clone()).ok()?;
    Some(Timestamp::from_jiff(zoned.timestamp()))
}

async fn home(State(state): State<AppState>) -> Result<Response, PageError> {
    let from = start_of_today(&state);
    let (today, recent) = state
        .with_store(move |store| {
            let today = store.list(&ListQuery {
                kinds: vec![RecordKind::Checkin],
                from,
                to: None,
                limit: Some(20),
                newest_first: true,
            })?;
            // Everything lately, except the check-ins already listed under today.
            let mut recent = store.list(&ListQuery {
                kinds: vec![
                    RecordKind::Journal,
                    RecordKind::Reaction,
                    RecordKind::Release,
                    RecordKind::Activity,
                    RecordKind::Checkin,
                ],
                limit: Some(8 + today.len()),
                newest_first: true,
                ..ListQuery::default()
            })?;
            recent.retain(|r| !today.iter().any(|t| t.id == r.id));
            recent.truncate(8);
            Ok((today, recent))
        })
        .await?;
    let rows = |records: Vec<thaw_core::Record>| records.iter().map(|r| Row::new(r, &state)).collect();
    Ok(render(&HomePage {
        chrome: Chrome::new(&state, "Home", "home"),
        today: rows(today),
        recent: rows(recent),
    }))
}
