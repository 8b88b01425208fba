//! `/insights`: your own pattern over a window of days (the last 14 unless you choose), as
//! `thaw insights` shows it: the emotional-range figures, the range timeline with medicine changes
//! marked, the map of check-ins on the pleasantness × energy plane, and questionnaire totals over
//! their published bands. Figures and charts come from thaw-core's insights and thaw-report's
//! `html` and `charts`; each chart has a title and description, and the same numbers as a table.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use thaw_report::{Summary, charts, html, words};

use crate::error::{PageError, WebError};
use crate::forms::FormData;
use crate::state::AppState;
use crate::view::{Chrome, render_with};
use crate::visit::{INSIGHT_DAYS, summary, window};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/insights", get(show))
}

/// One period of the timeline, as a table row.
struct PeriodRow {
    from: String,
    to: String,
    checkins: usize,
    distinct: usize,
    releases: usize,
    /// Shares of "nothing"/"can't tell" answers and of numb-family words, or a dash.
    absent_answers: String,
    absent_words: String,
}

struct TrendView {
    name: String,
    /// The chart (SVG drawn by thaw-report; every text in it is escaped there).
    svg: String,
    /// (date, total, range, change)
    points: Vec<(String, String, String, String)>,
    item9: Vec<String>,
}

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    chrome: Chrome,
    from: String,
    to: String,
    period: String,
    error: Option<String>,
    figures: Vec<(&'static str, String)>,
    period_unit: String,
    timeline_svg: String,
    /// How often feelings were hard to reach, per period (both sizes, as `timeline_svg`).
    absence_svg: String,
    map_svg: String,
    periods: Vec<PeriodRow>,
    patterns: Vec<String>,
    styles: Vec<(&'static str, usize)>,
    activities: Vec<String>,
    med_changes: Vec<(String, String, String)>,
    trends: Vec<TrendView>,
    item9_note: &'static str,
}

/// SVG inside HTML needs no namespace attribute (thaw-report's `html` does the same).
pub(super) fn inline(svg: String) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

fn view(state: &AppState, s: &Summary, error: Option<String>) -> InsightsPage {
    let i = &s.insights;
    let trends = i
        .questionnaires
        .iter()
        .map(|t| TrendView {
            name: t.name.clone(),
            svg: inline(charts::questionnaire_trend(
                t,
                s.window.from,
                s.window.to,
                &format!("trend-{}", t.instrument),
            )),
            points: t
                .points
                .iter()
                .map(|p| {
                    let total = match p.percentage {
                        Some(pct) => format!("{} of {} ({pct}%)", p.total, t.max_total),
                        None => format!("{} of {}", p.total, t.max_total),
                    };
                    let change = p.change.map_or("first one".to_owned(), words::change);
                    (p.date.to_string(), total, p.band_name.clone(), change)
                })
                .collect(),
            item9: t.item9.iter().map(words::item9_line).collect(),
        })
        .collect();
    InsightsPage {
        chrome: Chrome::new(state, "Your pattern", "insights"),
        from: s.window.from.to_string(),
        to: s.window.to.to_string(),
        period: words::period(s),
        error,
        figures: html::range_figures(s),
        period_unit: if i.period_days == 7 { "Week".to_owned() } else { format!("{} days", i.period_days) },
        timeline_svg: html::timeline_figure(s),
        absence_svg: html::absence_figure(s),
        map_svg: html::map_figure(s),
        periods: i
            .series
            .iter()
            .map(|p| PeriodRow {
                from: p.from.to_string(),
                to: p.to.to_string(),
                checkins: p.checkins,
                distinct: p.distinct_emotions,
                releases: p.releases,
                absent_answers: p.absence_answer_share.map_or_else(|| "–".to_owned(), words::percent),
                absent_words: p.absence_word_share.map_or_else(|| "–".to_owned(), words::percent),
            })
            .collect(),
        patterns: html::pattern_lines(s),
        styles: i.reactions.styles.iter().map(|st| (st.label, st.count)).collect(),
        activities: i.activities.kinds.iter().map(words::activity).collect(),
        med_changes: i
            .medications
            .events
            .iter()
            .map(|e| (e.date.to_string(), e.name.clone(), words::med_event(e)))
            .collect(),
        trends,
        item9_note: words::ITEM9_NOTE,
    }
}

async fn show(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q = FormData::from_query(query.as_deref());

    let (win, error) = match window(state.tz(), q.get("from"), q.get("to"), INSIGHT_DAYS) {
        Ok(w) => (w, None),
        Err(WebError::BadInput(m)) => (window(state.tz(), None, None, INSIGHT_DAYS)?, Some(m)),
        Err(e) => return Err(e.into()),
    };
    let s = state.with_app(move |app| summary(app, &win)).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut page = view(&state, &s, error);
    if page.error.is_some() {
        // Keep what was typed in the date fields, so it can be corrected.
        page.from = q.value("from").to_owned();
        page.to = q.value("to").to_owned();
    }
    Ok(render_with(status, &page))
}
