//! The window of days for `/insights` and `/report` (and their API routes), the visit summary built
//! by thaw-report, and its downloads. The same choices as `thaw insights` and `thaw report`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use thaw_core::insights::Window;
use thaw_report::{Summary, fhir, html, markdown, pdf};

use crate::error::WebError;

pub(crate) use thaw_app::window::{INSIGHT_DAYS, REPORT_DAYS};

/// The window from `from` and `to`, as thaw-app picks it for every edge.
pub(crate) fn window(
    tz: &jiff::tz::TimeZone,
    from: Option<&str>,
    to: Option<&str>,
    default_days: i64,
) -> Result<Window, WebError> {
    Ok(thaw_app::window::window(&thaw_app::Clock::new(tz), from, to, default_days)?)
}

/// The summary for `window`, read through the application layer with the person's clock (journal
/// text is never read).
pub(crate) fn summary(app: &thaw_app::App, window: &Window) -> Result<Summary, WebError> {
    Ok(app.summary(window)?)
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
