//! Settings a person can change, kept in the vault's settings table: their names and the rules for
//! their values. The edges (CLI, web app) read and write them through the store; the rules live here
//! so every edge accepts exactly the same values.

use crate::CoreError;

/// Which country's crisis lines to show: two letters (ISO 3166-1 alpha-2, like GB or US).
pub const COUNTRY: &str = "country";

/// The gentle daily reminder, if one is wanted: `{"time": "20:00", "days": ["mon", …]}` (see
/// [`crate::reminder::Reminder`]). Absent when there is none.
pub const REMINDER: &str = "reminder";

/// Minutes without activity after which the web app locks the vault again.
pub const IDLE_LOCK_MINUTES: &str = "idle_lock_minutes";

/// Checks a country someone typed (ISO 3166-1 code, alias or name): the one rule lives in
/// [`crate::safety::crisis::parse_country`].
pub use crate::safety::crisis::parse_country;

/// How long the web app waits, idle, before locking the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IdleLock(u32);

impl IdleLock {
    pub const MIN_MINUTES: u32 = 1;
    /// Four hours: long enough for a slow evening of writing, short enough that an unattended
    /// computer doesn't stay open all night.
    pub const MAX_MINUTES: u32 = 240;
    pub const DEFAULT: IdleLock = IdleLock(15);

    pub fn from_minutes(minutes: u32) -> Result<Self, CoreError> {
        if (Self::MIN_MINUTES..=Self::MAX_MINUTES).contains(&minutes) {
            Ok(Self(minutes))
        } else {
            Err(Self::out_of_range(&minutes.to_string()))
        }
    }

    /// Parses typed minutes ("15").
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        input.trim().parse::<u32>().map_err(|_| Self::out_of_range(input.trim())).and_then(Self::from_minutes)
    }

    /// Reads a stored setting; anything unusable falls back to the default.
    pub fn from_setting(value: Option<&serde_json::Value>) -> Self {
        value
            .and_then(serde_json::Value::as_u64)
            .and_then(|m| u32::try_from(m).ok())
            .and_then(|m| Self::from_minutes(m).ok())
            .unwrap_or(Self::DEFAULT)
    }

    pub fn minutes(self) -> u32 {
        self.0
    }

    pub fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.0) * 60)
    }

    fn out_of_range(input: &str) -> CoreError {
        CoreError::OutOfRange {
            what: "Minutes before locking",
            input: input.to_owned(),
            min: Self::MIN_MINUTES,
            max: Self::MAX_MINUTES,
        }
    }
}

impl Default for IdleLock {
    fn default() -> Self {
        Self::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_iso_codes() {
        assert_eq!(parse_country(" gb ").unwrap(), "GB");
        assert_eq!(parse_country("UK").unwrap(), "GB");
        for bad in ["", "G", "XX", "G1", "éé"] {
            assert!(parse_country(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn idle_lock_range_and_fallback() {
        assert_eq!(IdleLock::parse("15").unwrap().minutes(), 15);
        assert!(IdleLock::parse("0").is_err());
        assert!(IdleLock::parse("241").is_err());
        assert!(IdleLock::parse("soon").is_err());
        assert!(IdleLock::parse("99999999999999999999").is_err());
        assert_eq!(IdleLock::from_setting(Some(&serde_json::json!(30))).minutes(), 30);
        assert_eq!(IdleLock::from_setting(Some(&serde_json::json!("x"))), IdleLock::DEFAULT);
        assert_eq!(IdleLock::from_setting(Some(&serde_json::json!(-5))), IdleLock::DEFAULT);
        assert_eq!(IdleLock::from_setting(None), IdleLock::DEFAULT);
    }
}
