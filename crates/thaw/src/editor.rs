//! Editing text in $VISUAL / $EDITOR without leaving plaintext on disk.
//!
//! The text goes into a fresh owner-only folder on a memory-backed file system (tmpfs:
//! $XDG_RUNTIME_DIR or /dev/shm), never on disk. The file is overwritten and the folder removed as
//! soon as the editor exits, whatever happened. If no such folder exists, Thaw refuses rather than
//! write the text to disk.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::exit;

/// Linux's magic numbers for memory-backed file systems.
const TMPFS_MAGIC: i64 = 0x0102_1994;
const RAMFS_MAGIC: i64 = 0x8584_58f6;

fn is_memory_backed(path: &Path) -> bool {
    rustix::fs::statfs(path).is_ok_and(|s| {
        #[allow(clippy::unnecessary_cast)] // f_type is i32 or i64 depending on the platform
        let kind = s.f_type as i64;
        kind == TMPFS_MAGIC || kind == RAMFS_MAGIC
    })
}

/// A private memory-backed folder to edit in, if the system has one.
fn memory_dir() -> Option<PathBuf> {
    let candidates =
        [std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from), Some(PathBuf::from("/dev/shm"))];
    candidates.into_iter().flatten().find(|p| p.is_dir() && is_memory_backed(p))
}

/// Which editor the person chose: $VISUAL, then $EDITOR.
pub fn editor_command() -> Option<String> {
    ["VISUAL", "EDITOR"].iter().filter_map(|v| std::env::var(v).ok()).find(|v| !v.trim().is_empty())
}

/// Lines that start with this are notes for the person (a prompt, how to cancel) and are never
/// saved.
pub const NOTE: &str = "#:";

/// Opens `initial` in the person's editor, with `notes` above it as lines starting with [`NOTE`],
/// and returns what they saved without those lines.
pub fn edit_with_notes(initial: &str, notes: &[String]) -> Result<String> {
    let mut text = String::new();
    for note in notes {
        for line in thaw_core::wrap::wrap(note, 74) {
            text.push_str(&format!("{NOTE} {line}\n"));
        }
    }
    if !notes.is_empty() {
        text.push('\n');
    }
    text.push_str(initial);
    Ok(without_notes(&edit(&text)?))
}

/// The text without the note lines.
pub fn without_notes(text: &str) -> String {
    text.lines().filter(|l| !l.starts_with(NOTE)).collect::<Vec<_>>().join("\n")
}

/// Reads the text typed on the terminal until Ctrl-D, after saying how.
pub fn type_in_terminal(notes: &[String]) -> Result<String> {
    use std::io::Read;
    let mut err = std::io::stderr();
    for note in notes {
        for line in thaw_core::wrap::wrap(note, 76) {
            let _ = writeln!(err, "{line}");
        }
    }
    let _ = writeln!(
        err,
        "Write here, as many lines as you like. When you're done, press Enter and then Ctrl-D.\n\
         (Ctrl-C stops without saving. To use an editor instead, set $EDITOR.)\n"
    );
    let mut text = String::new();
    std::io::stdin().lock().read_to_string(&mut text).context("couldn't read what you typed")?;
    Ok(text)
}

/// Opens `initial` in the person's editor and returns what they saved.
pub fn edit(initial: &str) -> Result<String> {
    // The default `vi` needs a terminal; started by a script with none, it would wait forever.
    let editor = match editor_command() {
        Some(e) => e,
        None if std::io::IsTerminal::is_terminal(&std::io::stdin()) => "vi".to_owned(),
        None => {
            return Err(exit::fail(
                exit::BAD_INPUT,
                "There's no terminal to open an editor in, and neither $VISUAL nor $EDITOR is set. \
                 Give the text with --body, or pipe it in.",
            ));
        }
    };
    let base = memory_dir().ok_or_else(|| {
        exit::fail(
            exit::FAILED,
            "There's no private in-memory folder here (XDG_RUNTIME_DIR or /dev/shm), so Thaw won't put your \
             text in a temporary file on disk. Use --body instead, or pipe the text in.",
        )
    })?;
    let dir = tempfile::Builder::new()
        .prefix("thaw-edit-")
        .tempdir_in(&base)
        .context("couldn't make a private folder")?;
    let path = dir.path().join("entry.md");
    let result = run_editor(&editor, &path, initial);
    // Overwrite before removing, so not even freed memory pages keep the text.
    if let Ok(meta) = fs::metadata(&path)
        && let Ok(mut f) = fs::OpenOptions::new().write(true).open(&path)
    {
        let _ = f.write_all(&vec![0u8; usize::try_from(meta.len()).unwrap_or(0)]);
    }
    drop(dir);
    result
}

fn run_editor(editor: &str, path: &Path, initial: &str) -> Result<String> {
    fs::write(path, initial).context("couldn't prepare the text for editing")?;
    // Run through the shell so editors given with arguments ("code --wait") work.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("thaw-editor")
        .arg(path)
        .status()
        .with_context(|| format!("couldn't start the editor ({editor})"))?;
    // The shell's answer when the command doesn't exist (127) or can't be run (126).
    if matches!(status.code(), Some(126 | 127)) {
        return Err(exit::fail(
            exit::BAD_INPUT,
            format!(
                "Thaw couldn't start your editor (\"{editor}\", from $VISUAL or $EDITOR). Check that it's \
                 installed, or unset $VISUAL and $EDITOR to type the text right here. Nothing was changed."
            ),
        ));
    }
    if !status.success() {
        return Err(exit::fail(exit::FAILED, "The editor didn't finish cleanly, so nothing was changed."));
    }
    fs::read_to_string(path).context("couldn't read the edited text (is it UTF-8?)")
}
