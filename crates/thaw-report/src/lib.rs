//! The visit summary: one [`Summary`] built from a [`thaw_store::Store`] for a window of days, and
//! its renderings — self-contained HTML, Markdown, a PDF (krilla, fonts embedded) and FHIR R4 JSON —
//! with SVG charts drawn here. Knows nothing of HTTP or the command line.
//!
//! Everything here describes what the person recorded, for a conversation with a professional. It
//! is not a diagnosis, never rates the person, and never advises about medicines.

pub mod charts;
pub mod fhir;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod questions;
mod summary;
pub mod words;

pub use summary::{MapPanel, SelfCheckSummary, Summary};

use thiserror::Error;

/// What can go wrong making a report. Messages say what to do.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] thaw_store::StoreError),

    #[error(transparent)]
    Core(#[from] thaw_core::CoreError),

    #[error(
        "The PDF couldn't be made ({0}). Nothing was written. Please report this; the HTML format works meanwhile."
    )]
    Pdf(String),

    #[error("The list of questions for your visit can't be read ({0}).")]
    Questions(String),

    /// The list is full.
    #[error("You already have {max} questions, which is as many as Thaw keeps. Remove one first.")]
    TooManyQuestions { max: usize },

    /// No question has this number (`count` questions are on the list).
    #[error("\"{input}\" isn't a question number. {}", questions::numbers(*count))]
    NoSuchQuestion { input: String, count: usize },
}
