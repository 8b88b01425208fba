//! `thaw report`: a visit summary as PDF, HTML, Markdown or FHIR R4, and the questions for it.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::json;
use thaw_report::{fhir, html, markdown, pdf};

use super::Ctx;
use super::insights::window;
use crate::cli::{QuestionsCmd, ReportArgs, ReportCmd, ReportFormat, ReportSub};
use crate::{exit, output, resources};

/// A visit summary covers the last 90 days unless --from/--to say otherwise.
pub const DEFAULT_DAYS: i64 = thaw_app::window::REPORT_DAYS;

const NOT_ENCRYPTED: &str =
    "This file is not encrypted: keep it somewhere private, and delete it when you no longer need it.";

pub fn run(ctx: &Ctx, cmd: ReportCmd) -> Result<()> {
    match cmd.sub {
        Some(ReportSub::Questions(q)) => questions_cmd(ctx, q),
        None => make(ctx, cmd.make),
    }
}

fn make(ctx: &Ctx, args: ReportArgs) -> Result<()> {
    let (Some(format), Some(path)) = (args.format, args.output) else {
        return Err(exit::bad_input(
            "Say which format and where to save it, like: thaw report --format pdf -o summary.pdf",
        ));
    };
    let window = window(ctx, args.from.as_deref(), args.to.as_deref(), DEFAULT_DAYS)?;
    if path.exists() && !args.force {
        return Err(exit::bad_input(format!(
            "{} already exists, so nothing was written. Choose another name, or add --force to replace it.",
            path.display()
        )));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(exit::bad_input(format!(
            "The folder {} doesn't exist. Nothing was written.",
            folder.display()
        )));
    }
    let store = ctx.open()?;
    let summary = ctx.app(store.as_ref()).summary(&window)?;
    let bytes = match format {
        ReportFormat::Pdf => pdf::render(&summary)?,
        ReportFormat::Html => html::render(&summary).into_bytes(),
        ReportFormat::Md => markdown::render(&summary).into_bytes(),
        ReportFormat::Fhir => {
            let mut text = serde_json::to_string_pretty(&fhir::bundle(&summary))?;
            text.push('\n');
            text.into_bytes()
        }
    };
    save(&path, &folder, &bytes, args.force)?;
    let name = match format {
        ReportFormat::Pdf => "PDF",
        ReportFormat::Html => "web page",
        ReportFormat::Md => "Markdown",
        ReportFormat::Fhir => "FHIR R4 JSON",
    };
    if ctx.json {
        output::json(&json!({
            "path": path.display().to_string(),
            "format": format!("{format:?}").to_lowercase(),
            "from": summary.window.from,
            "to": summary.window.to,
            "bytes": bytes.len(),
        }))?;
        eprintln!("{NOT_ENCRYPTED}");
    } else {
        println!(
            "Saved the visit summary for {} ({name}) to {}.",
            thaw_report::words::period(&summary),
            path.display()
        );
        println!("{NOT_ENCRYPTED}");
    }
    Ok(())
}

/// Writes the whole file next to its final place, then moves it there: never a half-written file,
/// and (without --force) never over a file that appeared meanwhile.
fn save(path: &Path, folder: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".thaw-report-")
        .tempfile_in(folder)
        .with_context(|| format!("Couldn't write in {}", folder.display()))?;
    tmp.write_all(bytes).context("Couldn't write the report (is the disk full?)")?;
    tmp.as_file().sync_all().context("Couldn't write the report (is the disk full?)")?;
    if force {
        tmp.persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("Couldn't save {}", path.display()))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exit::bad_input(format!(
                    "{} already exists, so nothing was written. Choose another name, or add --force to replace it.",
                    path.display()
                ))
            } else {
                anyhow::Error::new(e.error).context(format!("Couldn't save {}", path.display()))
            }
        })?;
    }
    Ok(())
}

fn questions_cmd(ctx: &Ctx, cmd: QuestionsCmd) -> Result<()> {
    let store = ctx.open()?;
    match cmd {
        QuestionsCmd::Add { text } => {
            let text = text.join(" ");
            let app = ctx.app(store.as_ref());
            let (n, follow_up) = app.add_question(&text)?;
            resources::print_follow_up(follow_up.as_ref(), ctx.json);
            if ctx.json {
                output::json(&serde_json::json!({ "questions": app.questions()?, "follow_up": follow_up }))?;
            } else {
                println!("Added as question {n}. Every visit summary ends with your questions.");
            }
        }
        QuestionsCmd::List => {
            let all = ctx.app(store.as_ref()).questions()?;
            if ctx.json {
                return output::json(&all);
            }
            if all.is_empty() {
                println!("No questions yet. Add one with `thaw report questions add TEXT`.");
            }
            for (i, q) in all.iter().enumerate() {
                println!("{:>2}. {}", i + 1, crate::terminal::clean(q));
            }
        }
        QuestionsCmd::Remove { number } => {
            let app = ctx.app(store.as_ref());
            let removed = app.remove_question(&number)?;
            if ctx.json {
                output::json(&app.questions()?)?;
            } else {
                println!("Removed: {}", crate::terminal::clean(&removed));
            }
        }
    }
    Ok(())
}
