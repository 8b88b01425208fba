use thaw_core::{CoreError, Timestamp};

/// Now, and the time zone dates are read in.
#[derive(Debug, Clone)]
pub struct Clock {
    pub now: Timestamp,
    pub tz: jiff::tz::TimeZone,
}

impl Clock {
    /// Now, in `tz`.
    pub fn new(tz: &jiff::tz::TimeZone) -> Self {
        Self { now: Timestamp::now(), tz: tz.clone() }
    }

    /// A fixed moment (tests, reference data).
    pub fn fixed(now: Timestamp, tz: jiff::tz::TimeZone) -> Self {
        Self { now, tz }
    }

    /// The system clock in the system's time zone.
    pub fn system() -> Self {
        Self { now: Timestamp::now(), tz: jiff::tz::TimeZone::system() }
    }

    /// When a record happened, as typed (`2025-03-05`, or a date and time); empty means now.
    pub fn at(&self, input: Option<&str>) -> Result<Option<Timestamp>, CoreError> {
        input
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| thaw_core::time::parse_at(s, &self.tz, self.now))
            .transpose()
    }

    pub fn today(&self) -> jiff::civil::Date {
        self.now.date_in(&self.tz)
    }
}
