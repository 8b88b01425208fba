//! The command line for questionnaires, crisis lines and the safety plan (clap definitions,
//! used by `cli.rs`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::ListArgs;

#[derive(Debug, Subcommand)]
pub enum AssessCmd {
    /// The PHQ-9: nine questions about signs of depression over the last two weeks.
    #[command(alias = "phq-9")]
    Phq9(AssessArgs),
    /// The GAD-7: seven questions about worry and tension over the last two weeks.
    #[command(alias = "gad-7")]
    Gad7(AssessArgs),
    /// The WHO-5: five statements about your well-being over the last two weeks.
    #[command(alias = "who-5")]
    Who5(AssessArgs),
    /// Your earlier answers, newest first, with the change since the time before.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Your answers in order, separated by commas (PHQ-9 and GAD-7: 0 to 3; WHO-5: 0 to 5).
    /// Without it, Thaw asks one question at a time.
    #[arg(long, value_name = "N,N,...", allow_hyphen_values = true)]
    pub answers: Option<String>,
    /// PHQ-9 and GAD-7: how difficult the problems made daily life, 0 (not difficult at all) to
    /// 3 (extremely difficult).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub difficulty: Option<String>,
    /// Which country's crisis lines to show if they're needed (two letters, like GB).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// When you answered, for back-filling (2025-03-05 or 2025-03-05T07:40:00+01:00).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct CrisisArgs {
    /// Which country's lines to show (two letters, like GB). Default: your `country` setting,
    /// then your locale (LANG), else an international directory.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SafetyCmd {
    /// Replace your safety plan with one written in a TOML file ("-" reads standard input).
    Set {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Show your safety plan.
    Show,
    /// Write or change your safety plan in your editor (no plaintext copy is left on disk).
    Edit,
}
