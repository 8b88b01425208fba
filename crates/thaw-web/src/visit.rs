//! The window of days for `/insights` and `/report` (and their API routes), the visit summary built
//! by thaw-report, and its downloads. The same choices as `thaw insights` and `thaw report`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use thaw_core::Timestamp;
use thaw_core::insights::Window;
use thaw_report::{ReportError, Summary, fhir, html, markdown, pdf};
use thaw_store::Store;

use crate::error::WebError;

/// A visit summary covers the last 90 days unless the person chooses.
pub(crate) const REPORT_DAYS: i64 = 90;
/// Insights look at the last 14 days unless the person chooses.
pub(crate) const INSIGHT_DAYS: i64 = thaw_core::insights::DEFAULT_DAYS;
/// The longest window: a hundred years is more than anyone has recorded.
const MAX_DAYS: i64 = 36_525;

impl From<ReportError> for WebError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Store(s) => s.into(),
            ReportError::Core(c) => c.into(),
            other => WebError::Internal(other.to_string()),
        }
    }
}

/// The window from `from` and `to` (dates, both included): `default_days` ending today when neither
/// is given; `from` alone runs to today; `to` alone looks back `default_days`.
pub(crate) fn window(
    tz: &jiff::tz::TimeZone,
    now: Timestamp,
    from: Option<&str>,
    to: Option<&str>,
    default_days: i64,
) -> Result<Window, WebError> {
    let parse = |what: &str, d: Option<&str>| -> Result<Option<Date>, WebError> {
        match d.map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(None),
            Some(d) => d.parse::<Date>().map(Some).map_err(|_| {
                WebError::BadInput(format!(
                    "\"{d}\" isn't a date Thaw can read for \"{what}\". Use the form 2025-03-05 (year, month, day)."
                ))
            }),
        }
    };
    let to_date = parse("to", to)?.unwrap_or_else(|| now.date_in(tz));
    let window = match parse("from", from)? {
        Some(from_date) => {
            if from_date > to_date {
                return Err(WebError::BadInput(format!(
                    "The start ({from_date}) must be on or before the end ({to_date}). Swap them, or leave the \
                     end empty for today."
                )));
            }
            Window::new(from_date, to_date, tz)?
        }
        None => Window::ending(to_date, default_days, tz)?,
    };
    if window.days() > MAX_DAYS {
        return Err(WebError::BadInput(
            "That's more than a hundred years. Please choose a shorter period.".to_owned(),
        ));
    }
    Ok(window)
}

/// The summary for `window`, read through the store (journal text is never read).
pub(crate) fn summary(store: &dyn Store, window: &Window) -> Result<Summary, WebError> {
    let vocab = crate::vocab::vocabulary(store)?;
    Ok(Summary::build(store, window, &vocab, Timestamp::now())?)
}

/// The four download formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Pdf,
    Html,
    Md,
    Fhir,
}

impl Format {
    pub(crate) fn parse(text: &str) -> Result<Format, WebError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(Format::Pdf),
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Md),
            "fhir" => Ok(Format::Fhir),
            "" => Err(WebError::BadInput("Choose a format: pdf, html, md or fhir.".to_owned())),
            other => Err(WebError::BadInput(format!(
                "\"{other}\" isn't a format Thaw makes. Choose pdf, html, md or fhir."
            ))),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Html => "text/html; charset=utf-8",
            Format::Md => "text/markdown; charset=utf-8",
            Format::Fhir => "application/fhir+json; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Md => "md",
            Format::Fhir => "fhir.json",
        }
    }
}

/// The summary in one format.
pub(crate) fn render(summary: &Summary, format: Format) -> Result<Vec<u8>, WebError> {
    Ok(match format {
        Format::Pdf => pdf::render(summary)?,
        Format::Html => html::render(summary).into_bytes(),
        Format::Md => markdown::render(summary).into_bytes(),
        Format::Fhir => {
            let mut text = serde_json::to_string_pretty(&fhir::bundle(summary))
                .map_err(|e| WebError::Internal(format!("the FHIR bundle: {e}")))?;
            text.push('\n');
            text.into_bytes()
        }
    })
}

/// The file as a download: `thaw-visit-summary-FROM-to-TO.EXT`.
pub(crate) fn download(bytes: Vec<u8>, format: Format, window: &Window) -> Response {
    let name = format!("thaw-visit-summary-{}-to-{}.{}", window.from, window.to, format.extension());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(format.content_type())),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
