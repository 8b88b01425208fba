//! `/`: a gentle start: check in, the week at a glance (check-ins, words named, moments of
//! release, with a warm word for the latest release), what you named today, what you recorded
//! lately.

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
    week: Week,
    today: Vec<Row>,
    recent: Vec<Row>,
}

/// The last seven days, today included.
#[derive(Default)]
struct Week {
    checkins: usize,
    /// Different words named, most often first (at most eight).
    words: Vec<String>,
    /// How many check-ins were "nothing" or "can't tell".
    absent: usize,
    releases: usize,
    /// The latest moment of release, said warmly: "You teared up on Tuesday."
    latest_release: Option<String>,
}

impl Week {
    fn of(records: &[thaw_core::Record], state: &AppState) -> Week {
        use thaw_core::RecordBody;
        let mut week = Week::default();
        let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        let today = Timestamp::now().date_in(state.tz());
        for r in records {
            match &r.body {
                RecordBody::Checkin(c) => {
                    week.checkins += 1;
                    week.absent += usize::from(c.absence.is_some());
                    for f in &c.emotions {
                        *counts.entry(f.word.clone()).or_default() += 1;
                    }
                }
                RecordBody::Release(rel) => {
                    week.releases += 1;
                    // Newest first: the first one seen is the latest.
                    if week.latest_release.is_none() {
                        let day = r.at.date_in(state.tz());
                        let when = if day == today {
                            "today".to_owned()
                        } else if today.yesterday().is_ok_and(|y| y == day) {
                            "yesterday".to_owned()
                        } else {
                            format!("on {}", day.strftime("%A"))
                        };
                        week.latest_release = Some(match rel.kind {
                            thaw_core::ReleaseKind::Other => format!("You noted a moment of release {when}."),
                            kind => format!("You {} {when}.", kind.label()),
                        });
                    }
                }
                _ => {}
            }
        }
        let mut words: Vec<(String, usize)> = counts.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        week.words = words.into_iter().take(8).map(|(w, _)| w).collect();
        week
    }
}

/// The start of the person's day in their time zone.
pub(crate) fn start_of_today(state: &AppState) -> Option<Timestamp> {
    let today = Timestamp::now().date_in(state.tz());
    let zoned = today.to_zoned(state.tz().clone()).ok()?;
    Some(Timestamp::from_jiff(zoned.timestamp()))
}

/// The start of the day six days ago: the last seven days, today included.
fn start_of_week(state: &AppState) -> Option<Timestamp> {
    let day = Timestamp::now().date_in(state.tz()).checked_sub(jiff::Span::new().days(6)).ok()?;
    let zoned = day.to_zoned(state.tz().clone()).ok()?;
    Some(Timestamp::from_jiff(zoned.timestamp()))
}

async fn home(State(state): State<AppState>) -> Result<Response, PageError> {
    let from = start_of_today(&state);
    let week_from = start_of_week(&state);
    let (week, today, recent) = state
        .with_store(move |store| {
            let week = store.list(&ListQuery {
                kinds: vec![RecordKind::Checkin, RecordKind::Release],
                from: week_from,
                to: None,
                limit: None,
                newest_first: true,
            })?;
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
            Ok((week, today, recent))
        })
        .await?;
    let week = Week::of(&week, &state);
    let rows = |records: Vec<thaw_core::Record>| records.iter().map(|r| Row::new(r, &state)).collect();
    Ok(render(&HomePage {
        chrome: Chrome::new(&state, "Home", "home"),
        week,
        today: rows(today),
        recent: rows(recent),
    }))
}
