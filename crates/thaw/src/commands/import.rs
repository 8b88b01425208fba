//! `thaw import APP FILE`: read the whole file, check it, then add everything in one transaction
//! and say what was mapped and what wasn't. A bad file changes nothing.

use std::path::Path;

use anyhow::Result;
use thaw_io::ImportReport;
use thaw_io::import::Source;

use super::Ctx;
use super::export::plural;
use crate::cli::{ImportArgs, ImportFrom};
use crate::{exit, output};

pub fn run(ctx: &Ctx, args: &ImportArgs) -> Result<()> {
    let source = match args.from {
        ImportFrom::Jrnl => Source::Jrnl,
        ImportFrom::Daylio => Source::Daylio,
        ImportFrom::Pixels => Source::Pixels,
        ImportFrom::Dayone => Source::DayOne,
        ImportFrom::Thaw => Source::Thaw,
    };
    let text = read_text(&args.file)?;
    let store = ctx.open()?;
    let report = match ctx.app(store.as_ref()).import(source, &text) {
        Err(thaw_app::AppError::Import { source_name, problem }) => {
            return Err(exit::bad_input(format!(
                "{} can't be imported as {source_name}. Nothing was changed.\n  {problem}",
                args.file.display(),
            )));
        }
        other => other?,
    };
    if ctx.json {
        return output::json(&report);
    }
    print_report(&report, source, &args.file);
    Ok(())
}

/// The file as UTF-8 text; a byte-order mark is dropped, anything else not UTF-8 is named by line.
pub(super) fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| exit::bad_input(format!("Can't read {}: {e}. Nothing was changed.", path.display())))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            if bytes.starts_with(thaw_io::backup::AGE_MAGIC.as_bytes()) {
                return Err(exit::bad_input(format!(
                    "{} is an encrypted Thaw backup. Use `thaw restore {}` to make a new vault from it. Nothing was changed.",
                    path.display(),
                    path.display()
                )));
            }
            if bytes.starts_with(b"PK\x03\x04") {
                return Err(exit::bad_input(format!(
                    "{} is a zip archive. Unzip it and import the file inside (for Day One, Journal.json). Nothing was changed.",
                    path.display()
                )));
            }
            let valid = e.utf8_error().valid_up_to();
            let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            Err(exit::bad_input(format!(
                "{} isn't UTF-8 text (line {line}). If it's an encrypted jrnl journal, export it with \
                 `jrnl --format json` first; otherwise save it as UTF-8 and try again. Nothing was changed.",
                path.display()
            )))
        }
    }
}

fn kind_name(kind: &str, n: usize) -> String {
    let (one, many) = match kind {
        "checkin" => ("check-in", "check-ins"),
        "journal" => ("journal entry", "journal entries"),
        "reaction" => ("reaction", "reactions"),
        "activity" => ("activity", "activities"),
        "release" => ("moment of release", "moments of release"),
        "person" => ("person", "people"),
        other => return format!("{n} {other} {}", plural(n, "record", "records")),
    };
    format!("{n} {}", plural(n, one, many))
}

fn print_report(report: &ImportReport, source: Source, file: &Path) {
    let added: Vec<String> = report.imported.iter().map(|(k, n)| kind_name(k, *n)).collect();
    if added.is_empty() {
        println!("Nothing new from {} ({}).", source.name(), file.display());
    } else {
        println!("Imported from {} ({}): {}.", source.name(), file.display(), added.join(", "));
    }
    if report.settings_imported > 0 {
        println!("Settings added: {}.", report.settings_imported);
    }
    if report.skipped_duplicates > 0 {
        println!(
            "Already in your vault, so not added again: {} {}.",
            report.skipped_duplicates,
            plural(report.skipped_duplicates, "record", "records")
        );
    }
    if added.is_empty() {
        return;
    }
    if !report.mapped.is_empty() {
        println!("\nHow things were brought in:");
        for m in &report.mapped {
            println!("  {} \u{2192} {}{}", m.from, m.to, times(m.count));
        }
    }
    if !report.unmapped.is_empty() {
        println!("\nWhat couldn't be brought in as it was:");
        for u in &report.unmapped {
            println!("  {}{} (first at {}): {}", u.what, times(u.count), u.first_at, u.why);
        }
    }
}

fn times(count: usize) -> String {
    if count > 1 { format!(" ({count}\u{d7})") } else { String::new() }
}
