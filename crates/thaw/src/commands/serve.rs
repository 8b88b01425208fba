//! `thaw serve`: the local web app. Prints its link as the first line on standard output, opens the
//! browser unless `--no-open`, and runs until Ctrl-C. The vault starts locked: it is unlocked in the
//! browser, never from THAW_PASSPHRASE or the CLI's unlock cache.
//!
//! The browser is opened through a private launch file (as notebook servers do): a page in a fresh
//! owner-only folder in $XDG_RUNTIME_DIR that moves on to a one-time link. The launcher's arguments
//! hold only that file's path, because other users of the machine can read every program's
//! arguments.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result};

use super::Ctx;
use crate::cli::ServeArgs;
use crate::session;

/// The program that opens the browser, instead of `xdg-open` (tests use a stand-in). It gets one
/// argument: the path of the launch file.
pub const BROWSER_ENV: &str = "THAW_BROWSER";

pub fn run(ctx: &Ctx, args: &ServeArgs) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let mut config = thaw_web::WebConfig::new(ctx.vault.clone());
    config.port = args.port;
    config.tz = ctx.clock.tz.clone();
    let open = !args.no_open;
    let mut launch_dir: Option<tempfile::TempDir> = None;
    thaw_web::serve_blocking(config, |launch| {
        let mut out = std::io::stdout().lock();
        // Scripts and tests read this first line; keep it exactly the link.
        let _ = writeln!(out, "{}", launch.url);
        let _ = out.flush();
        eprintln!("Thaw is open at the link above, for you only. Press Ctrl+C to stop it.");
        if open {
            launch_dir = open_browser(&launch.open_url);
        }
    })?;
    // The launch file goes with its folder (its code is spent or expired by now anyway).
    drop(launch_dir);
    eprintln!("Stopped. Your vault is locked.");
    Ok(())
}

/// Opens the one-time link with the desktop's browser, through a launch file; if that fails, the
/// printed link still works. Returns the launch file's folder, removed when dropped.
fn open_browser(url: &str) -> Option<tempfile::TempDir> {
    let made = launch_file(url);
    let (dir, file) = match made {
        Ok(made) => made,
        Err(_) => {
            eprintln!("Couldn't prepare the browser here. Open the link above in yours.");
            return None;
        }
    };
    let mut command = match std::env::var(BROWSER_ENV).ok().filter(|b| !b.trim().is_empty()) {
        // Through the shell, so a launcher given with arguments ("firefox --new-window") works.
        Some(browser) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("{browser} \"$1\"")).arg("thaw-browser").arg(&file);
            c
        }
        None => {
            let mut c = Command::new("xdg-open");
            c.arg(&file);
            c
        }
    };
    let started = command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    match started {
        // Reap it when it's done, so it doesn't linger as a zombie while Thaw runs.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("Couldn't open a browser here. Open the link above in yours."),
    }
    Some(dir)
}

/// Writes `open.html` (mode 0600) in a fresh folder (mode 0700) under $XDG_RUNTIME_DIR, or the
/// temporary folder when there is none: a page that moves on to `url` at once.
fn launch_file(url: &str) -> Result<(tempfile::TempDir, PathBuf)> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new().prefix("thaw-open-").tempdir_in(&base).context("a private folder")?;
    let path = dir.path().join("open.html");
    write_private(&path, &launch_page(url)).context("the launch file")?;
    Ok((dir, path))
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// The launch page: a refresh to the one-time link, and the link itself for a browser that
/// doesn't follow refreshes. The link holds only URL-safe characters.
fn launch_page(url: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\"><title>Opening Thaw</title></head>\
         <body><p><a href=\"{url}\">Open Thaw</a></p></body></html>\n"
    )
}
