//! `thaw people talked`: logging a conversation.

use clap::Args;

#[derive(Debug, Args)]
pub struct TalkedArgs {
    /// Their name, as on your list (`thaw people list`).
    #[arg(required = true, num_args = 1.., value_name = "NAME")]
    pub name: Vec<String>,
    /// How you talked: phone, in person, text, video …
    #[arg(long, value_name = "HOW")]
    pub how: String,
    /// How it went, 0 (badly) to 10 (really well).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub went: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// When it was (2025-03-05, or a date and time).
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
}
