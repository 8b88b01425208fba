use thaw_core::CoreError;
use thaw_core::meds::timeline::TimelineProblem;
use thaw_report::ReportError;
use thaw_store::StoreError;

/// What can stop a flow. Neutral: each variant says what happened, in structured form where an
/// edge needs to add its own way forward (a command to type, a form on the page).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Something typed doesn't pass thaw-core's checks; the message says what to change.
    #[error(transparent)]
    Core(#[from] CoreError),

    #[error(transparent)]
    Store(StoreError),

    /// A change to a medicine that doesn't fit its timeline.
    #[error("{}", .0.message())]
    Timeline(TimelineProblem),

    /// A medicine that isn't on the person's list (the names on the list that are close to it).
    #[error("{name} isn't on your medicine list yet.{}", did_you_mean(.near))]
    NotOnList { name: String, near: Vec<String> },

    /// A name Thaw doesn't know that looks like a misspelling of one it does. Nothing was saved.
    #[error("Thaw doesn't know \"{typed}\". Did you mean {near}?")]
    LikelyTypo { typed: String, near: String },

    /// A medicine name Thaw's table doesn't know (close names, if any).
    #[error("Thaw doesn't know \"{name}\".{}", did_you_mean(.near))]
    UnknownMedicine { name: String, near: Vec<String> },

    /// A dose is needed and wasn't given in full.
    #[error(
        "Please add the dose and its unit, like 50 mg. It's on the box or the pharmacy label. Units: {units}."
    )]
    DoseNeeded { units: String },

    /// The record asked for doesn't exist (any more).
    #[error("There's nothing here. It may have been deleted.")]
    NotFound,

    /// A start date after the end date of a window.
    #[error("The start ({from}) must be on or before the end ({to}).")]
    WindowBackwards { from: jiff::civil::Date, to: jiff::civil::Date },

    /// A window longer than anyone has recorded.
    #[error("That's more than a hundred years. Please choose a shorter period.")]
    WindowTooLong,

    /// The list of visit questions is full.
    #[error("You already have {max} questions, which is as many as Thaw keeps. Remove one first.")]
    TooManyQuestions { max: usize },

    /// No visit question has this number (`count` are on the list).
    #[error("{}", no_such_question(.input, *.count))]
    NoSuchQuestion { input: String, count: usize },

    /// A file to import that can't be read as the app it says it's from. Nothing was changed.
    #[error("It can't be imported as {source_name}. Nothing was changed. {problem}")]
    Import { source_name: &'static str, problem: String },

    /// Building a summary or a rendering failed for a reason that isn't the person's input.
    #[error("{0}")]
    Report(String),
}

fn no_such_question(input: &str, count: usize) -> String {
    let valid = match count {
        0 => "There are no questions on your list yet.".to_owned(),
        1 => "The only question is number 1.".to_owned(),
        len => format!("Use a number from 1 to {len}."),
    };
    format!("\"{input}\" isn't a question number. {valid}")
}

fn did_you_mean(near: &[String]) -> String {
    if near.is_empty() { String::new() } else { format!(" Did you mean {}?", near.join(" or ")) }
}

impl AppError {
    pub(crate) fn damaged(what: impl Into<String>) -> Self {
        AppError::Store(StoreError::Damaged(what.into()))
    }

    /// Whether the person can fix this by changing what they sent (a 4xx, exit code 2).
    pub fn is_bad_input(&self) -> bool {
        match self {
            AppError::Store(s) => matches!(s, StoreError::NotFound(_) | StoreError::Ambiguous(_)),
            AppError::Report(_) => false,
            _ => true,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Store(s) => AppError::Store(s),
            ReportError::Core(c) => AppError::Core(c),
            ReportError::Questions(q) => AppError::damaged(format!("the visit questions can't be read: {q}")),
            ReportError::TooManyQuestions { max } => AppError::TooManyQuestions { max },
            ReportError::NoSuchQuestion { input, count } => AppError::NoSuchQuestion { input, count },
            other => AppError::Report(other.to_string()),
        }
    }
}
