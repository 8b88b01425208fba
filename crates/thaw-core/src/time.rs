//! Moments in time: every record has one, and people can set it (`--at`) to back-fill.
//!
//! Stored as UTC instants; shown in the person's own time zone. A bare date means noon on that
//! day in the person's time zone, so that a back-filled record stays on the day it was meant for
//! in every time zone within twelve hours of theirs, and sorts in the middle of that day.

use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// An instant, stored in UTC with RFC 3339 text in JSON, to the millisecond (what every store
/// keeps, so a record reads back exactly as it was written).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = DateTime))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "jiff::Timestamp", into = "jiff::Timestamp")]
pub struct Timestamp(jiff::Timestamp);

impl From<jiff::Timestamp> for Timestamp {
    fn from(ts: jiff::Timestamp) -> Self {
        Self::from_jiff(ts)
    }
}

impl From<Timestamp> for jiff::Timestamp {
    fn from(ts: Timestamp) -> Self {
        ts.0
    }
}

impl Timestamp {
    pub fn now() -> Self {
        Self::from_jiff(jiff::Timestamp::now())
    }

    /// Truncates to whole milliseconds.
    pub fn from_jiff(ts: jiff::Timestamp) -> Self {
        Self(jiff::Timestamp::from_millisecond(ts.as_millisecond()).unwrap_or(ts))
    }

    pub fn as_jiff(&self) -> jiff::Timestamp {
        self.0
    }

    /// Milliseconds since the Unix epoch, for indexes and ordering.
    pub fn as_millis(&self) -> i64 {
        self.0.as_millisecond()
    }

    pub fn from_millis(ms: i64) -> Option<Self> {
        jiff::Timestamp::from_millisecond(ms).ok().map(Self)
    }

    /// The local calendar date of this instant in `tz`.
    pub fn date_in(&self, tz: &TimeZone) -> Date {
        self.0.to_zoned(tz.clone()).date()
    }

    /// A short local form for people: `2025-03-05 07:40`.
    pub fn display_in(&self, tz: &TimeZone) -> String {
        self.0.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// RFC 3339 in UTC, with whole seconds when there are no fractions.
    pub fn rfc3339(&self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How far into the future a typed time may lie: clocks drift and time zones confuse, but a record
/// dated next week is a typo.
const FUTURE_SLACK_HOURS: i64 = 24;

/// Parses what a person types for `--at`: an RFC 3339 date-time (`2025-03-05T07:40:00Z`,
/// `2025-03-05T07:40:00+01:00`), a local date-time (`2025-03-05T07:40`, `2025-03-05 07:40`), or a
/// date (`2025-03-05`, meaning noon that day in `tz`).
pub fn parse_at(input: &str, tz: &TimeZone, now: Timestamp) -> Result<Timestamp, CoreError> {
    let text = input.trim();
    let bad = || CoreError::BadDate { input: input.to_owned() };
    if text.is_empty() {
        return Err(bad());
    }
    // A bare date must be tried first: jiff would also read it as a date-time at midnight.
    let has_time = text.contains(['T', 't', ' ']);
    let ts = if !has_time && let Ok(date) = text.parse::<Date>() {
        date.to_datetime(Time::constant(12, 0, 0, 0)).to_zoned(tz.clone()).map_err(|_| bad())?.timestamp()
    } else if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        ts
    } else if has_time && let Ok(dt) = text.replacen(' ', "T", 1).parse::<DateTime>() {
        dt.to_zoned(tz.clone()).map_err(|_| bad())?.timestamp()
    } else {
        return Err(bad());
    };
    let limit = now.0.checked_add(jiff::SignedDuration::from_hours(FUTURE_SLACK_HOURS)).map_err(|_| bad())?;
    if ts > limit {
        return Err(CoreError::Invalid(format!(
            "\"{input}\" is in the future. Records can be dated today or earlier."
        )));
    }
    Ok(Timestamp::from_jiff(ts))
}

/// Parses a calendar date for ranges (`--from`, `--to`).
pub fn parse_date(input: &str) -> Result<Date, CoreError> {
    input.trim().parse::<Date>().map_err(|_| CoreError::BadDate { input: input.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp("2026-01-10T12:00:00Z".parse().unwrap())
    }

    #[test]
    fn accepts_the_documented_forms() {
        let tz = TimeZone::fixed(jiff::tz::offset(1));
        let cases = [
            ("2025-03-05T07:40:00Z", "2025-03-05T07:40:00Z"),
            ("2025-03-05T07:40:00+01:00", "2025-03-05T06:40:00Z"),
            ("2025-03-05T07:40", "2025-03-05T06:40:00Z"),
            ("2025-03-05 07:40", "2025-03-05T06:40:00Z"),
            ("2025-03-05", "2025-03-05T11:00:00Z"),
            ("  2025-03-05  ", "2025-03-05T11:00:00Z"),
        ];
        for (input, want) in cases {
            let got = parse_at(input, &tz, now()).unwrap();
            assert_eq!(got.rfc3339(), want, "{input}");
        }
    }

    #[test]
    fn rejects_nonsense_and_the_far_future() {
        let tz = TimeZone::UTC;
        for bad in ["", "yesterday", "2025-13-01", "2025-02-30", "05/03/2025", "2026-01-20"] {
            assert!(parse_at(bad, &tz, now()).is_err(), "{bad}");
        }
        assert!(parse_at("2026-01-11", &tz, now()).is_ok(), "tomorrow noon is within the slack");
    }

    #[test]
    fn a_date_stays_on_its_day() {
        for hours in [-11, -5, 0, 5, 11] {
            let tz = TimeZone::fixed(jiff::tz::offset(hours));
            let ts = parse_at("2025-03-05", &tz, now()).unwrap();
            assert_eq!(ts.date_in(&tz).to_string(), "2025-03-05");
            assert_eq!(ts.date_in(&TimeZone::UTC).to_string(), "2025-03-05");
        }
    }
}
