//! `thaw insights` and `thaw report`: your own pattern, and a summary to bring to a visit.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Args)]
pub struct InsightsArgs {
    /// The first day to look at (YYYY-MM-DD; default: 13 days before --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last day to look at (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ReportCmd {
    #[command(subcommand)]
    pub sub: Option<ReportSub>,
    #[command(flatten)]
    pub make: ReportArgs,
}

#[derive(Debug, Subcommand)]
pub enum ReportSub {
    /// Your own questions for the visit; every summary ends with them.
    #[command(subcommand)]
    Questions(QuestionsCmd),
}

#[derive(Debug, Subcommand)]
pub enum QuestionsCmd {
    /// Add a question.
    Add {
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Show your questions, numbered.
    List,
    /// Remove question number N (as `list` shows it).
    Remove {
        #[arg(value_name = "N")]
        number: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A printable PDF (A4, one to three pages, charts included).
    Pdf,
    /// One self-contained web page (prints well too).
    Html,
    /// Markdown text.
    #[value(alias = "markdown")]
    Md,
    /// FHIR R4 JSON (questionnaires), for clinical systems.
    Fhir,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The first day of the period (YYYY-MM-DD; default: 89 days before --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The last day of the period (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long, value_enum, required = true)]
    pub format: Option<ReportFormat>,
    /// Where to save it. The file is not encrypted.
    #[arg(short = 'o', long = "output", value_name = "FILE", required = true)]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}
