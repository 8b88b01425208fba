//! Errors a person can cause by what they type. Every message says what went wrong and what to do.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoreError {
    #[error("\"{word}\" isn't in the feelings list yet.{}", suggestion_text(.suggestions))]
    UnknownEmotion { word: String, suggestions: Vec<String> },

    #[error("\"{input}\" isn't a body sensation Thaw knows.{}", suggestion_text(.suggestions))]
    UnknownSensation { input: String, suggestions: Vec<String> },

    #[error("{what} must be a whole number from {min} to {max}; \"{input}\" isn't.")]
    OutOfRange { what: &'static str, input: String, min: u32, max: u32 },

    #[error(
        "\"{input}\" isn't a date Thaw understands. Use a date like 2025-03-05 or a date and time like 2025-03-05T07:40:00+01:00."
    )]
    BadDate { input: String },

    #[error("\"{input}\" isn't a known {what}. Try one of: {}.", .choices.join(", "))]
    UnknownChoice { what: &'static str, input: String, choices: Vec<String> },

    #[error("{what} can't be empty.")]
    Empty { what: &'static str },

    #[error(
        "{what} has an invisible control character in it (such as an escape or a text-direction mark). Please type it again without it."
    )]
    ControlCharacter { what: &'static str },

    #[error("{what} is too long ({len} characters); the limit is {max}.")]
    TooLong { what: &'static str, len: usize, max: usize },

    #[error(
        "\"{input}\" isn't a record id. Use the id shown by a list command (the first 8 characters are enough)."
    )]
    BadId { input: String },

    /// A check-in with no feeling named and neither "nothing" nor "can't tell".
    #[error(
        "Name at least one feeling, or say that you feel nothing or can't tell. All three are fine answers."
    )]
    NoFeeling,

    /// A reaction with no way of reacting chosen.
    #[error("Pick at least one way you reacted, for example shrugged off, humour or felt it.")]
    NoReactionStyle,

    /// A medicine entry that sets a dose but has none.
    #[error("Please add the dose and its unit. It's on the box or the pharmacy label.")]
    DoseNeeded,

    /// A difficulty answer for a questionnaire that has no difficulty question.
    #[error("The {instrument} has no question about difficulty, so it takes no answer for it.")]
    NoDifficultyQuestion { instrument: String },

    /// A questionnaire's answers that don't fit it: `problem` says what, the rest what fits.
    #[error("{problem} The {instrument} needs {needed} answers, each a whole number from 0 to {max}.")]
    Answers { problem: String, instrument: String, needed: usize, max: u8 },

    /// A reminder with no day of the week chosen.
    #[error("Choose at least one day, like mon, wed, fri.")]
    NoDays,

    /// Something looked up by its name or id that isn't there.
    #[error("{}", missing_text(*.what, .input, .near))]
    NotFound { what: Missing, input: String, near: Vec<String> },

    #[error("{0}")]
    Invalid(String),
}

/// What [`CoreError::NotFound`] looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    GuidePage,
    Prompt,
    SelfCheckQuestion,
}

fn missing_text(what: Missing, input: &str, near: &[String]) -> String {
    let head = match what {
        Missing::GuidePage => format!("There's no guide page called \"{input}\"."),
        Missing::Prompt => format!("There's no prompt \"{input}\"."),
        Missing::SelfCheckQuestion => format!("\"{input}\" isn't a question in the self-check."),
    };
    match near {
        [] => head,
        [one] => format!("{head} Did you mean \"{one}\"?"),
        many => format!("{head} Did you mean one of: {}?", many.join(", ")),
    }
}

fn suggestion_text(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" Did you mean \"{one}\"?"),
        many => format!(" Did you mean one of: {}?", many.join(", ")),
    }
}
