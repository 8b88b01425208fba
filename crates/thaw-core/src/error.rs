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

    #[error("{0}")]
    Invalid(String),
}

fn suggestion_text(suggestions: &[String]) -> String {
    match suggestions {
        [] => " Run `thaw words` to see the list, or add your own with `thaw words add`.".to_owned(),
        [one] => format!(" Did you mean \"{one}\"?"),
        many => format!(" Did you mean one of: {}?", many.join(", ")),
    }
}
