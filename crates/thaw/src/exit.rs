//! Exit codes that mean something, and error messages without secrets.

use thaw_app::AppError;
use thaw_core::meds::timeline::NextStep;
use thaw_core::{CoreError, Missing};
use thaw_report::ReportError;
use thaw_store::StoreError;
use thaw_vault::VaultError;

pub const FAILED: i32 = 1;
pub const BAD_INPUT: i32 = 2;
pub const WRONG_SECRET: i32 = 3;
pub const DAMAGED: i32 = 4;
pub const LOCKED: i32 = 5;
pub const NO_VAULT: i32 = 6;
pub const TOO_NEW: i32 = 7;

/// An error the CLI raises itself, with its exit code.
#[derive(Debug)]
pub struct Exit {
    pub code: i32,
    pub message: String,
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

pub fn fail(code: i32, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Exit { code, message: message.into() })
}

pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    fail(BAD_INPUT, message)
}

fn vault_code(err: &VaultError) -> i32 {
    match err {
        VaultError::WrongPassphrase | VaultError::WrongRecoveryKey => WRONG_SECRET,
        VaultError::InvalidRecoveryKey(_) => BAD_INPUT,
        VaultError::KeyFileMissing(_) | VaultError::KeyFileDamaged(_) => DAMAGED,
        VaultError::KeyFileTooNew { .. } => TOO_NEW,
        _ => FAILED,
    }
}

fn store_code(e: &StoreError) -> i32 {
    match e {
        StoreError::NotFound(_) | StoreError::Ambiguous(_) => BAD_INPUT,
        StoreError::Damaged(_) => DAMAGED,
        StoreError::TooNew { .. } => TOO_NEW,
        StoreError::NoVault(_) => NO_VAULT,
        StoreError::Vault(v) => vault_code(v),
        _ => FAILED,
    }
}

fn app_code(e: &AppError) -> i32 {
    match e {
        AppError::Store(s) => store_code(s),
        AppError::Report(_) => FAILED,
        _ => BAD_INPUT,
    }
}

/// A name as a person would type it in a command: quoted when it has spaces.
fn typed(name: &str) -> String {
    if name.contains(char::is_whitespace) || name.contains('\'') {
        format!("\"{name}\"")
    } else {
        name.to_owned()
    }
}

/// thaw-app's neutral message, with the way forward worded for a terminal.
fn app_words(e: &AppError) -> String {
    const DOSE: &str = "--dose N --unit U";
    match e {
        AppError::Timeline(p) => {
            let name = typed(&p.medicine);
            let hint = match p.next_step() {
                Some(NextStep::SeeTimeline) => " Check the date with `thaw med list`.".to_owned(),
                Some(NextStep::AddMedicine) => {
                    format!(" To record that it's taken again: `thaw med add {name} {DOSE}`.")
                }
                Some(NextStep::NewDose) => {
                    format!(" To record a new dose, use `thaw med dose {name} {DOSE}`.")
                }
                None => String::new(),
            };
            format!("{e}{hint}")
        }
        AppError::NotOnList { name, .. } => {
            format!("{e} To add it: `thaw med add {} {DOSE}`. `thaw med list` shows your list.", typed(name))
        }
        AppError::LikelyTypo { typed: t, .. } => {
            format!("{e} If \"{t}\" is right, add --as-typed to keep it just as you typed it.")
        }
        AppError::UnknownMedicine { name, near } => format!(
            "{e} You can still keep any medicine on your list: `thaw med add {} {DOSE}{}`.",
            typed(name),
            if near.is_empty() { "" } else { " --as-typed" }
        ),
        AppError::DoseNeeded { units } => format!(
            "Please add the dose and its unit, like --dose 50 --unit mg. It's on the box or the pharmacy label. Units: {units}."
        ),
        AppError::TooManyQuestions { .. } => {
            format!(
                "{e} `thaw report questions list` numbers them; `thaw report questions remove N` takes one off."
            )
        }
        AppError::NoSuchQuestion { count, .. } if *count > 1 => {
            format!("{e} `thaw report questions list` shows them.")
        }
        AppError::WindowBackwards { from, to } => {
            format!("--from ({from}) must be on or before --to ({to}, today unless given).")
        }
        AppError::Core(c) => core_words(c),
        other => other.to_string(),
    }
}

/// thaw-core's neutral message, with the way forward worded for a terminal.
fn core_words(e: &CoreError) -> String {
    let hint = match e {
        CoreError::NoFeeling => {
            " Use --feel WORD (for example --feel hurt:6), --nothing or --cant-tell.".to_owned()
        }
        CoreError::NoReactionStyle => " Use --style once or more.".to_owned(),
        CoreError::DoseNeeded => " Use --dose and --unit, like --dose 50 --unit mg.".to_owned(),
        CoreError::NoDifficultyQuestion { .. } => " Leave out --difficulty.".to_owned(),
        CoreError::Answers { needed, .. } => {
            let example: Vec<&str> = (0..*needed).map(|i| if i % 3 == 1 { "1" } else { "0" }).collect();
            format!(" Separate them with commas, like --answers {}.", example.join(","))
        }
        CoreError::NoDays => " Or leave --days out for every day.".to_owned(),
        CoreError::UnknownEmotion { suggestions, .. } if suggestions.is_empty() => {
            " Run `thaw words` to see the list, or add your own with `thaw words add`.".to_owned()
        }
        CoreError::NotFound { what, .. } => match what {
            Missing::GuidePage => " `thaw guide` lists them all.",
            Missing::Prompt => " `thaw prompt --all` lists them with their ids.",
            Missing::SelfCheckQuestion => " `thaw selfcheck --template` prints every question with its key.",
        }
        .to_owned(),
        _ => String::new(),
    };
    format!("{e}{hint}")
}

/// Any error in a chain, worded for a terminal where thaw-app or thaw-core raised it.
fn words(cause: &(dyn std::error::Error + 'static)) -> String {
    if let Some(e) = cause.downcast_ref::<AppError>() {
        app_words(e)
    } else if let Some(e) = cause.downcast_ref::<CoreError>() {
        core_words(e)
    } else if let Some(ReportError::Core(e)) = cause.downcast_ref::<ReportError>() {
        core_words(e)
    } else {
        cause.to_string()
    }
}

pub fn code_of(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Exit>() {
            return e.code;
        }
        if let Some(e) = cause.downcast_ref::<AppError>() {
            return app_code(e);
        }
        if cause.downcast_ref::<CoreError>().is_some() {
            return BAD_INPUT;
        }
        if let Some(e) = cause.downcast_ref::<VaultError>() {
            return vault_code(e);
        }
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return store_code(e);
        }
        if let Some(e) = cause.downcast_ref::<ReportError>() {
            return match e {
                ReportError::Core(_) => BAD_INPUT,
                ReportError::Store(s) => store_code(s),
                ReportError::Questions(_) => DAMAGED,
                ReportError::TooManyQuestions { .. } | ReportError::NoSuchQuestion { .. } => BAD_INPUT,
                _ => FAILED,
            };
        }
    }
    FAILED
}

/// Prints the error chain plainly and returns the exit code.
pub fn report(err: &anyhow::Error) -> i32 {
    let mut message = words(err.as_ref());
    for cause in err.chain().skip(1) {
        let text = words(cause);
        if !message.contains(&text) {
            message.push_str(&format!("\n  {text}"));
        }
    }
    // Messages may quote what someone typed or imported: no escape sequence reaches the terminal.
    eprintln!("thaw: {}", crate::terminal::clean(&message));
    code_of(err)
}
