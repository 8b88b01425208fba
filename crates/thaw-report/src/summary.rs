//! The visit summary's model: everything the renderings show, read once through the `Store` trait.

use jiff::civil::Date;
use serde::Serialize;
use thaw_core::insights::{Insights, Window, checkin_points, insights};
use thaw_core::selfcheck::selfcheck;
use thaw_core::{Record, RecordBody, RecordKind, Timestamp, Vocabulary};
use thaw_store::{ListQuery, Store};

use crate::{ReportError, questions};

/// Check-ins of one part of the window, for the map of the plane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapPanel {
    pub from: Date,
    pub to: Date,
    /// (pleasantness, energy) of each check-in, oldest first.
    pub points: Vec<(f64, f64)>,
}

/// The latest self-check up to the end of the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelfCheckSummary {
    pub date: Date,
    /// (id, title) of the areas that may apply, in the self-check's order.
    pub areas: Vec<(String, String)>,
}

/// One visit summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// When it was made.
    pub generated: Timestamp,
    pub window: Window,
    pub insights: Insights,
    /// The window in up to four equal parts, oldest first.
    pub map_panels: Vec<MapPanel>,
    pub selfcheck: Option<SelfCheckSummary>,
    /// The person's own questions for the visit.
    pub questions: Vec<String>,
}

/// Most map panels: one per quarter of a long window.
pub const MAX_PANELS: i64 = 4;

impl Summary {
    /// Reads what the summary needs for `window` from `store`: the moments inside it, and the
    /// questionnaires, medicines and self-checks up to its end (for changes and current states).
    /// Journal entries are not read: their text never goes into a summary.
    pub fn build(
        store: &dyn Store,
        window: &Window,
        vocab: &Vocabulary,
        now: Timestamp,
    ) -> Result<Summary, ReportError> {
        let mut records = store.list(&ListQuery {
            kinds: vec![RecordKind::Checkin, RecordKind::Reaction, RecordKind::Activity, RecordKind::Release],
            from: Some(window.start),
            to: Some(window.end),
            limit: None,
            newest_first: false,
        })?;
        records.extend(store.list(&ListQuery {
            kinds: vec![RecordKind::Assessment, RecordKind::Medication, RecordKind::SelfCheck],
            from: None,
            to: Some(window.end),
            limit: None,
            newest_first: false,
        })?);
        let questions = questions::load(store)?;
        Ok(Summary::from_records(&records, window, vocab, now, questions))
    }

    /// The summary of `records` (pure: what [`Summary::build`] does once it has read them).
    pub fn from_records(
        records: &[Record],
        window: &Window,
        vocab: &Vocabulary,
        now: Timestamp,
        questions: Vec<String>,
    ) -> Summary {
        Summary {
            generated: now,
            window: window.clone(),
            insights: insights(records, window, vocab),
            map_panels: map_panels(records, window, vocab),
            selfcheck: latest_selfcheck(records, window),
            questions,
        }
    }

    /// The local date it was made.
    pub fn generated_date(&self) -> Date {
        self.window.date_of(self.generated)
    }
}

/// The window cut into up to four parts of (nearly) equal length, each with its check-ins.
fn map_panels(records: &[Record], window: &Window, vocab: &Vocabulary) -> Vec<MapPanel> {
    let days = window.days();
    let parts = days.clamp(1, MAX_PANELS);
    let mut panels = Vec::new();
    let mut from = window.from;
    for i in 0..parts {
        // Part i ends after round((i + 1) * days / parts) days.
        let end_offset = ((i + 1) * days) / parts;
        let Ok(to) = window.from.checked_add(jiff::Span::new().days(end_offset - 1)) else { break };
        let Ok(part) = Window::new(from, to, window.tz()) else { break };
        let points =
            checkin_points(records, &part, vocab).into_iter().map(|p| (p.valence, p.energy)).collect();
        panels.push(MapPanel { from, to, points });
        match to.tomorrow() {
            Ok(next) => from = next,
            Err(_) => break,
        }
    }
    // A short window makes one panel per day at most; fewer than 7 days read better as one.
    if days < 7 && panels.len() > 1 {
        let points = panels.iter().flat_map(|p| p.points.clone()).collect();
        return vec![MapPanel { from: window.from, to: window.to, points }];
    }
    panels
}

fn latest_selfcheck(records: &[Record], window: &Window) -> Option<SelfCheckSummary> {
    let latest = records
        .iter()
        .filter(|r| r.at < window.end)
        .filter_map(|r| match &r.body {
            RecordBody::SelfCheck(s) => Some((r, s)),
            _ => None,
        })
        .max_by_key(|(r, _)| (r.at, r.created_at, r.id))?;
    let check = selfcheck();
    Some(SelfCheckSummary {
        date: window.date_of(latest.0.at),
        areas: latest
            .1
            .areas
            .iter()
            .map(|id| (id.clone(), check.area(id).map_or_else(|| id.clone(), |a| a.title.clone())))
            .collect(),
    })
}
