//! `thaw export`: everything as JSON, CSV per kind, or a Markdown journal. Plaintext by the
//! person's explicit choice, so it says so once, gently.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use thaw_io::export::{csv_tables, markdown};
use thaw_io::{ExportMeta, ThawExport};

use super::Ctx;
use crate::cli::{ExportArgs, ExportFormat};
use crate::{exit, output};

pub fn run(ctx: &Ctx, args: &ExportArgs) -> Result<()> {
    // Check where it goes before asking for the passphrase.
    let files: Vec<PathBuf> = match args.format {
        ExportFormat::Json | ExportFormat::Md => {
            check_target(&args.output, args.force)?;
            vec![args.output.clone()]
        }
        ExportFormat::Csv => {
            if args.output.exists() && !args.output.is_dir() {
                return Err(exit::bad_input(format!(
                    "{} is a file; a CSV export needs a folder. Nothing was written. Choose a folder name with -o.",
                    args.output.display()
                )));
            }
            Vec::new()
        }
    };
    let store = ctx.open()?;
    let export = ctx.app(store.as_ref()).export()?;
    let meta = ExportMeta { exported_at: export.exported_at, app_version: export.app_version.clone() };
    let written = match args.format {
        ExportFormat::Json => {
            write_atomically(&args.output, args.force, |w| Ok(export.write_json(w).map(|_| ())?))?;
            files
        }
        ExportFormat::Md => {
            let text = markdown(&export.records, &ctx.clock.tz, &meta);
            write_atomically(&args.output, args.force, |w| Ok(w.write_all(text.as_bytes())?))?;
            files
        }
        ExportFormat::Csv => write_csv(&args.output, args.force, &export, ctx)?,
    };
    let records = export.records.len();
    if ctx.json {
        let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        output::json(&serde_json::json!({
            "format": format_id(args.format),
            "path": args.output.display().to_string(),
            "records": records,
            "files": files,
        }))?;
    } else if matches!(args.format, ExportFormat::Csv) {
        let names: Vec<String> =
            written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        if names.is_empty() {
            println!("Your vault has no records yet, so {} is empty.", args.output.display());
        } else {
            println!(
                "Exported {records} {} to {} in {}.",
                plural(records, "record", "records"),
                names.join(", "),
                args.output.display()
            );
        }
    } else {
        println!("Exported {records} {} to {}.", plural(records, "record", "records"), args.output.display());
    }
    eprintln!(
        "A gentle reminder: this export isn't encrypted, so anyone who can open it can read it. For an encrypted copy, use `thaw backup`."
    );
    Ok(())
}

fn format_id(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Json => "json",
        ExportFormat::Csv => "csv",
        ExportFormat::Md => "md",
    }
}

pub(super) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn write_csv(dir: &Path, force: bool, export: &ThawExport, ctx: &Ctx) -> Result<Vec<PathBuf>> {
    let tables = csv_tables(&export.records, &ctx.clock.tz)?;
    let paths: Vec<PathBuf> = tables.iter().map(|t| dir.join(t.file_name())).collect();
    if !force {
        let existing: Vec<String> =
            paths.iter().filter(|p| p.exists()).map(|p| p.display().to_string()).collect();
        if !existing.is_empty() {
            return Err(exit::bad_input(format!(
                "{} already {}. Nothing was written. Choose another folder, or add --force to replace {}.",
                existing.join(", "),
                if existing.len() == 1 { "exists" } else { "exist" },
                if existing.len() == 1 { "it" } else { "them" },
            )));
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("couldn't create the folder {}", dir.display()))?;
    for (table, path) in tables.iter().zip(&paths) {
        write_atomically(path, force, |w| Ok(table.write(w).map(|_| ())?))?;
    }
    Ok(paths)
}

/// Refuses an existing file unless `force`, and a folder that isn't there.
pub(super) fn check_target(path: &Path, force: bool) -> Result<()> {
    if path.is_dir() {
        return Err(exit::bad_input(format!(
            "{} is a folder. Nothing was written. Give a file name with -o.",
            path.display()
        )));
    }
    if path.exists() && !force {
        return Err(exit::bad_input(format!(
            "{} already exists. Nothing was written. Choose another name, or add --force to replace it.",
            path.display()
        )));
    }
    let parent = parent_of(path);
    if !parent.is_dir() {
        return Err(exit::bad_input(format!(
            "The folder {} doesn't exist. Nothing was written. Create it first, or choose another place.",
            parent.display()
        )));
    }
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes a file completely or not at all: into a new file beside it (owner-only, by the umask),
/// synced, then renamed into place. Without `force`, an existing file is never replaced.
pub(super) fn write_atomically(
    path: &Path,
    force: bool,
    fill: impl FnOnce(&mut BufWriter<&mut std::fs::File>) -> Result<()>,
) -> Result<()> {
    let parent = parent_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(".thaw-")
        .tempfile_in(&parent)
        .with_context(|| format!("couldn't write in {}", parent.display()))?;
    {
        let mut writer = BufWriter::new(tmp.as_file_mut());
        fill(&mut writer)?;
        writer.flush()?;
    }
    tmp.as_file().sync_all()?;
    let persisted =
        if force { tmp.persist(path).map(|_| ()) } else { tmp.persist_noclobber(path).map(|_| ()) };
    persisted.map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            exit::bad_input(format!(
                "{} already exists. Nothing was written. Choose another name, or add --force to replace it.",
                path.display()
            ))
        } else {
            anyhow::Error::new(e.error).context(format!("couldn't write {}", path.display()))
        }
    })
}
