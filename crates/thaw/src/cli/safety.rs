//! The command line for questionnaires, crisis lines and the safety plan (clap definitions,
//! used by `cli.rs`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::ListArgs;

/// `thaw assess ID` for every questionnaire in Thaw's instruments table (`content/instruments/`),
/// and `thaw assess list`. The subcommands come from the table, so a new questionnaire needs no
/// change here.
#[derive(Debug)]
pub enum AssessCmd {
    Take { instrument: &'static str, args: AssessArgs },
    List(ListArgs),
}

impl clap::FromArgMatches for AssessCmd {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        match matches.subcommand() {
            Some(("list", sub)) => Ok(AssessCmd::List(ListArgs::from_arg_matches(sub)?)),
            Some((name, sub)) => match thaw_core::instruments::instruments().iter().find(|i| i.id == name) {
                Some(inst) => Ok(AssessCmd::Take {
                    instrument: inst.id.as_str(),
                    args: AssessArgs::from_arg_matches(sub)?,
                }),
                None => Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand)),
            },
            None => Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand)),
        }
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Subcommand for AssessCmd {
    fn augment_subcommands(mut cmd: clap::Command) -> clap::Command {
        for inst in thaw_core::instruments::instruments() {
            // "phq9" is also reached as "phq-9".
            let dashed: String = match inst.id.find(|c: char| c.is_ascii_digit()) {
                Some(i) => format!("{}-{}", &inst.id[..i], &inst.id[i..]),
                None => inst.id.clone(),
            };
            let sub = clap::Command::new(inst.id.as_str())
                .about(format!("The {}: {}", inst.short_name, inst.about))
                .alias(dashed);
            cmd = cmd.subcommand(AssessArgs::augment_args(sub));
        }
        cmd.subcommand(ListArgs::augment_args(
            clap::Command::new("list")
                .about("Your earlier answers, newest first, with the change since the time before."),
        ))
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        name == "list" || thaw_core::instruments::instruments().iter().any(|i| i.id == name)
    }
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
