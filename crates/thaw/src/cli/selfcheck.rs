//! `thaw selfcheck`: the possible-reasons self-check.

use std::path::PathBuf;

use clap::Args;

use super::ListOnly;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SelfcheckCmd {
    #[command(subcommand)]
    pub list: Option<ListOnly>,
    /// Print an answers file to fill in (then use --answers-file).
    #[arg(long, conflicts_with = "answers_file")]
    pub template: bool,
    /// Take the self-check from a filled-in answers file ("-" reads standard input).
    #[arg(long, value_name = "FILE")]
    pub answers_file: Option<PathBuf>,
}
