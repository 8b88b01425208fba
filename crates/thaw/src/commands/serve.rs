//! `thaw serve`: the local web app. Prints its link as the first line on standard output, opens the
//! browser unless `--no-open`, and runs until Ctrl-C. The vault starts locked: it is unlocked in the
//! browser, never from THAW_PASSPHRASE or the CLI's unlock cache.

use std::io::Write;
use std::process::{Command, Stdio};

use anyhow::Result;

use super::Ctx;
use crate::cli::ServeArgs;
use crate::session;

pub fn run(ctx: &Ctx, args: &ServeArgs) -> Result<()> {
    session::require_vault(&ctx.vault)?;
    let mut config = thaw_web::WebConfig::new(ctx.vault.clone());
    config.port = args.port;
    config.tz = ctx.clock.tz.clone();
    let open = !args.no_open;
    thaw_web::serve_blocking(config, |launch| {
        let mut out = std::io::stdout().lock();
        // Scripts and tests read this first line; keep it exactly the link.
        let _ = writeln!(out, "{}", launch.url);
        let _ = out.flush();
        eprintln!("Thaw is open at the link above, for you only. Press Ctrl+C to stop it.");
        if open {
            open_browser(&launch.open_url);
        }
    })?;
    eprintln!("Stopped. Your vault is locked.");
    Ok(())
}

/// Opens the one-time link with the desktop's browser; if that fails, the printed link still works.
fn open_browser(url: &str) {
    let started = Command::new("xdg-open")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match started {
        // Reap it when it's done, so it doesn't linger as a zombie while Thaw runs.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("Couldn't open a browser here. Open the link above in yours."),
    }
}
