//! Insights: the person's own pattern over a window of days — emotional range, moments of
//! release, reaction styles, what activities do, medication events and questionnaire totals on the
//! same timeline. Pure functions over records; the method is described in `docs/INSIGHTS.md`.
//!
//! Nothing here is a clinical score. The figures describe what a person recorded, so they can see
//! it change and talk it over; they never rate, label or compare the person.

mod patterns;
mod range;
mod series;
mod timeline;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

pub use patterns::{
    ActivityEffects, ActivityKindEffect, ReactionPatterns, StyleCount, activity_effects, reaction_patterns,
};
pub use range::{
    EmotionalRange, FamilyCount, MapPoint, Quadrant, ReleaseCounts, Spread, WordCount, checkin_point,
    checkin_points, emotional_range,
};
pub use series::{PeriodPoint, period_series};
pub use timeline::{
    ItemNine, MedicationEvent, MedicationNow, MedicationTimeline, QuestionnairePoint, QuestionnaireTrend,
    medication_timeline, questionnaire_trends,
};

use crate::{CoreError, Record, Timestamp, Vocabulary};

/// The window insights look at when none is given: the last 14 days, today included.
pub const DEFAULT_DAYS: i64 = 14;

/// A span of whole local days, `from` to `to` inclusive, and the instants it covers
/// (`start` at or before a record's time, `end` strictly after it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub from: Date,
    pub to: Date,
    #[serde(skip)]
    pub start: Timestamp,
    #[serde(skip)]
    pub end: Timestamp,
    #[serde(skip)]
    tz: TimeZone,
}

impl Window {
    /// The days `from` to `to`, both included, in the time zone `tz`.
    pub fn new(from: Date, to: Date, tz: &TimeZone) -> Result<Window, CoreError> {
        if from > to {
            return Err(CoreError::Invalid(format!(
                "The start date ({from}) must be on or before the end date ({to})."
            )));
        }
        let start = day_start(from, tz)?;
        let end = day_start(to.tomorrow().map_err(|_| bad_date(to))?, tz)?;
        Ok(Window { from, to, start, end, tz: tz.clone() })
    }

    /// `days` days ending with `to` (included).
    pub fn ending(to: Date, days: i64, tz: &TimeZone) -> Result<Window, CoreError> {
        let from = to.checked_sub(jiff::Span::new().days(days.max(1) - 1)).map_err(|_| bad_date(to))?;
        Window::new(from, to, tz)
    }

    /// Whether a record made at `at` falls inside.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.start <= at && at < self.end
    }

    /// How many days it covers.
    pub fn days(&self) -> i64 {
        i64::from((self.to - self.from).get_days()) + 1
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// The local date of an instant, in the window's time zone.
    pub fn date_of(&self, at: Timestamp) -> Date {
        at.date_in(&self.tz)
    }

    /// How long each period of the series is, in days: a week for windows up to 16 weeks, otherwise
    /// 14 days; longer only when that would still make more than [`MAX_PERIODS`] periods.
    pub fn period_days(&self) -> i64 {
        let days = self.days();
        let base = if days <= 16 * 7 { 7 } else { 14 };
        let mut len = base;
        for candidate in [28, 91, 182, 364] {
            if ceil_div(days, len) <= MAX_PERIODS {
                break;
            }
            len = candidate;
        }
        len.max(ceil_div(days, MAX_PERIODS))
    }

    /// The window cut into consecutive periods of [`Window::period_days`] days, oldest first. They are
    /// counted back from the last day, so the latest period is always whole; the earliest may be
    /// shorter.
    pub fn periods(&self) -> Vec<Window> {
        let len = self.period_days();
        let mut out = Vec::new();
        let mut to = self.to;
        loop {
            let from = to.checked_sub(jiff::Span::new().days(len - 1)).unwrap_or(self.from).max(self.from);
            match Window::new(from, to, &self.tz) {
                Ok(w) => out.push(w),
                Err(_) => break,
            }
            if from <= self.from {
                break;
            }
            match from.yesterday() {
                Ok(d) => to = d,
                Err(_) => break,
            }
        }
        out.reverse();
        out
    }
}

/// At most this many periods in a series, however long the window.
pub const MAX_PERIODS: i64 = 300;

/// `a / b` rounded up, for positive numbers.
fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}

fn bad_date(d: Date) -> CoreError {
    CoreError::BadDate { input: d.to_string() }
}

fn day_start(d: Date, tz: &TimeZone) -> Result<Timestamp, CoreError> {
    let zoned = d.to_zoned(tz.clone()).map_err(|_| bad_date(d))?;
    Ok(Timestamp::from_jiff(zoned.timestamp()))
}

/// Everything Insights shows for one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub from: Date,
    pub to: Date,
    pub days: i64,
    pub emotional_range: EmotionalRange,
    pub reactions: ReactionPatterns,
    pub activities: ActivityEffects,
    pub medications: MedicationTimeline,
    pub questionnaires: Vec<QuestionnaireTrend>,
    /// How long each period of `series` is, in days.
    pub period_days: i64,
    pub series: Vec<PeriodPoint>,
}

/// All insights for `window`. `records` may hold anything, in any order, from any time: each part
/// picks what it needs (questionnaire changes and medication states look at earlier records too).
pub fn insights(records: &[Record], window: &Window, vocab: &Vocabulary) -> Insights {
    Insights {
        from: window.from,
        to: window.to,
        days: window.days(),
        emotional_range: emotional_range(records, window, vocab),
        reactions: reaction_patterns(records, window),
        activities: activity_effects(records, window),
        medications: medication_timeline(records, window),
        questionnaires: questionnaire_trends(records, window),
        period_days: window.period_days(),
        series: period_series(records, window, vocab),
    }
}

/// Rounds a figure for display and JSON, so that output is stable and free of float noise.
pub(crate) fn round(value: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    let r = (value * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

/// `part / whole`, or `None` when there is nothing to divide.
pub(crate) fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round(part as f64 / whole as f64, 3))
}

#[cfg(test)]
pub(crate) mod test_support {
    use jiff::tz::TimeZone;

    use crate::record::{Absence, CheckIn, Felt, Intensity, Record, RecordBody};
    use crate::{RecordId, Timestamp};

    pub fn ts(text: &str) -> Timestamp {
        Timestamp::from_jiff(text.parse().expect("timestamp"))
    }

    pub fn date(text: &str) -> jiff::civil::Date {
        text.parse().expect("date")
    }

    pub fn window(from: &str, to: &str) -> super::Window {
        super::Window::new(date(from), date(to), &TimeZone::UTC).expect("window")
    }

    /// A record at `at` with an id made from `n`, so tests are repeatable.
    pub fn record(n: u128, at: &str, body: RecordBody) -> Record {
        let at = ts(at);
        Record { id: RecordId::from_uuid(uuid::Uuid::from_u128(n)), at, created_at: at, updated_at: at, body }
    }

    pub fn checkin(n: u128, at: &str, words: &[(&str, Option<u8>)]) -> Record {
        let felt = words
            .iter()
            .map(|(w, i)| Felt {
                word: (*w).to_owned(),
                intensity: i.map(|v| Intensity::new(v).expect("0-10")),
            })
            .collect();
        record(n, at, RecordBody::Checkin(CheckIn::new(felt, vec![], None, false, None).expect("check-in")))
    }

    pub fn absent(n: u128, at: &str, absence: Absence) -> Record {
        record(
            n,
            at,
            RecordBody::Checkin(CheckIn::new(vec![], vec![], None, false, Some(absence)).expect("ok")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;

    #[test]
    fn a_window_covers_whole_local_days() {
        let w = window("2025-03-01", "2025-03-14");
        assert_eq!(w.days(), 14);
        assert!(w.contains(ts("2025-03-01T00:00:00Z")));
        assert!(w.contains(ts("2025-03-14T23:59:59Z")));
        assert!(!w.contains(ts("2025-03-15T00:00:00Z")));
        assert!(!w.contains(ts("2025-02-28T23:59:59Z")));
        let tz = TimeZone::fixed(jiff::tz::offset(2));
        let w = Window::new(date("2025-03-01"), date("2025-03-01"), &tz).unwrap();
        assert_eq!(w.start, ts("2025-02-28T22:00:00Z"));
        assert_eq!(w.end, ts("2025-03-01T22:00:00Z"));
        assert!(Window::new(date("2025-03-02"), date("2025-03-01"), &tz).is_err());
        let w = Window::ending(date("2025-03-14"), DEFAULT_DAYS, &TimeZone::UTC).unwrap();
        assert_eq!((w.from, w.to), (date("2025-03-01"), date("2025-03-14")));
    }

    #[test]
    fn periods_count_back_from_the_last_day() {
        let w = window("2025-03-01", "2025-03-14");
        let p: Vec<(String, String)> =
            w.periods().iter().map(|p| (p.from.to_string(), p.to.to_string())).collect();
        assert_eq!(
            p,
            [("2025-03-01".into(), "2025-03-07".into()), ("2025-03-08".into(), "2025-03-14".into())]
        );
        // Ten days: the first week is cut short, the latest is whole.
        let w = window("2025-03-05", "2025-03-14");
        let p = w.periods();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].from, p[0].to, p[0].days()), (date("2025-03-05"), date("2025-03-07"), 3));
        assert_eq!(p[1].days(), 7);
        // A year: 14-day periods; ten years: still 14 days; a century: longer.
        assert_eq!(window("2024-01-01", "2024-12-31").period_days(), 14);
        assert_eq!(window("2015-01-01", "2024-12-31").period_days(), 14);
        let century = window("1925-01-01", "2024-12-31");
        assert!(century.periods().len() as i64 <= MAX_PERIODS);
        let one = window("2025-03-05", "2025-03-05");
        assert_eq!(one.periods().len(), 1);
    }

    #[test]
    fn rounding_drops_float_noise_and_negative_zero() {
        assert_eq!(round(0.1 + 0.2, 3), 0.3);
        assert_eq!(round(-0.0001, 3).to_string(), "0");
        assert_eq!(share(1, 3), Some(0.333));
        assert_eq!(share(1, 0), None);
    }
}
