//! `thaw selfcheck`: the possible-reasons self-check.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::ListArgs;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SelfcheckCmd {
    #[command(subcommand)]
    pub sub: Option<SelfcheckSub>,
    /// Print an answers file to fill in (then use --answers-file).
    #[arg(long, conflicts_with = "answers_file")]
    pub template: bool,
    /// Take the self-check from a filled-in answers file ("-" reads standard input).
    #[arg(long, value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SelfcheckSub {
    /// List your past self-checks, newest first.
    List(ListArgs),
    /// Show a past self-check in full, every area that may apply unfolded.
    Show {
        /// The id (or its first few characters) that `thaw selfcheck list` shows.
        id: String,
    },
}
