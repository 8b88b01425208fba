//! The window of days that insights and the visit summary cover, and the summary itself: the same
//! defaults, limits and reading for every edge.

use jiff::civil::Date;
use thaw_core::insights::Window;
use thaw_report::Summary;

use crate::{App, AppError, Clock};

/// A visit summary covers the last 90 days unless the person chooses.
pub const REPORT_DAYS: i64 = 90;
/// Insights look at the last 14 days unless the person chooses.
pub const INSIGHT_DAYS: i64 = thaw_core::insights::DEFAULT_DAYS;
/// The longest window: a hundred years is more than anyone has recorded.
pub const MAX_DAYS: i64 = 36_525;

/// The window from `from` and `to` (dates, both included; empty means not given): `default_days`
/// ending today when neither is given; `from` alone runs to today; `to` alone looks back
/// `default_days`. At most [`MAX_DAYS`].
pub fn window(
    clock: &Clock,
    from: Option<&str>,
    to: Option<&str>,
    default_days: i64,
) -> Result<Window, AppError> {
    let parse = |d: Option<&str>| -> Result<Option<Date>, AppError> {
        Ok(d.map(str::trim).filter(|d| !d.is_empty()).map(thaw_core::time::parse_date).transpose()?)
    };
    let tz = &clock.tz;
    let to_date = parse(to)?.unwrap_or_else(|| clock.today());
    let window = match parse(from)? {
        Some(from_date) => {
            if from_date > to_date {
                return Err(AppError::WindowBackwards { from: from_date, to: to_date });
            }
            Window::new(from_date, to_date, tz)?
        }
        None => Window::ending(to_date, default_days, tz)?,
    };
    if window.days() > MAX_DAYS {
        return Err(AppError::WindowTooLong);
    }
    Ok(window)
}

impl App<'_> {
    /// [`window`] on this app's clock.
    pub fn window(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        default_days: i64,
    ) -> Result<Window, AppError> {
        window(&self.clock, from, to, default_days)
    }

    /// The summary of `window`: the moments in it, and the questionnaires, medicines and
    /// self-checks up to its end. Journal text is never read.
    pub fn summary(&self, window: &Window) -> Result<Summary, AppError> {
        let vocab = self.vocabulary()?;
        Ok(Summary::build(self.store, window, &vocab, self.clock.now)?)
    }
}

impl App<'_> {
    /// Adds a question for the next visit; returns its number and the follow-up for its text.
    pub fn add_question(&self, text: &str) -> Result<(usize, Option<crate::FollowUp>), AppError> {
        let n = thaw_report::questions::add(self.store, text)?;
        Ok((n, self.follow_up_for_text(text, None)))
    }

    /// The visit questions, in order (numbered from 1 where shown).
    pub fn questions(&self) -> Result<Vec<String>, AppError> {
        Ok(thaw_report::questions::load(self.store)?)
    }

    /// Removes question number `n` (from 1, as typed); returns its text.
    pub fn remove_question(&self, n: &str) -> Result<String, AppError> {
        Ok(thaw_report::questions::remove(self.store, n)?)
    }
}
