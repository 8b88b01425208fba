//! `thaw remind`: a gentle daily reminder, only if the person asks for one. The setting lives in
//! the vault; what it becomes outside it holds no private content: a calendar file in the vault
//! folder (`reminder.ics`, for any phone or calendar) and, on Linux, a systemd user timer and
//! service that show a desktop notification. Missing a day is never mentioned.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use serde::Serialize;
use thaw_core::reminder::Reminder;
use thaw_core::settings::REMINDER;
use thaw_store::Store;

use super::Ctx;
use crate::cli::RemindCmd;

#[derive(Serialize)]
struct Shown {
    time: Option<String>,
    days: Vec<String>,
    /// The calendar file's path, while there is a reminder.
    ics: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, cmd: RemindCmd) -> Result<()> {
    let store = ctx.open()?;
    match cmd {
        RemindCmd::Set { time, days } => {
            let reminder = Reminder::parse(&time, days.as_deref())?;
            store.set_setting(REMINDER, &serde_json::to_value(&reminder)?)?;
            let ics = write_ics(ctx, &reminder)?;
            let desktop = desktop_timer(&reminder);
            if ctx.json {
                return show(ctx, store.as_ref());
            }
            println!("A gentle reminder, {}.", reminder.describe());
            println!("For your phone or calendar: import {}", ics.display());
            match desktop {
                Desktop::On => println!("On this computer, a notification will come at that time."),
                Desktop::UnitsOnly(why) => println!("{why}"),
                Desktop::NotLinux => {}
            }
            println!("If a day goes by without it, that's fine. `thaw remind off` stops it.");
            Ok(())
        }
        RemindCmd::Off => {
            store.remove_setting(REMINDER)?;
            let _ = std::fs::remove_file(ics_path(ctx));
            remove_desktop_timer();
            if ctx.json {
                return show(ctx, store.as_ref());
            }
            println!("No more reminders. `thaw remind set 20:00` brings one back whenever you like.");
            Ok(())
        }
        RemindCmd::Show => show(ctx, store.as_ref()),
    }
}

fn current(store: &dyn Store) -> Result<Option<Reminder>> {
    Ok(match store.setting(REMINDER)? {
        Some(v) => Some(serde_json::from_value(v).context("the reminder setting can't be read")?),
        None => None,
    })
}

fn show(ctx: &Ctx, store: &dyn Store) -> Result<()> {
    let reminder = current(store)?;
    if ctx.json {
        return crate::output::json(&Shown {
            time: reminder.as_ref().map(|r| r.time.clone()),
            days: reminder.as_ref().map(|r| r.days.clone()).unwrap_or_default(),
            ics: reminder.as_ref().map(|_| ics_path(ctx)),
        });
    }
    match reminder {
        Some(r) => {
            println!("A gentle reminder, {}.", r.describe());
            println!("Calendar file: {}", ics_path(ctx).display());
        }
        None => println!("No reminder. If you'd like one: thaw remind set 20:00 [--days mon,wed,fri]"),
    }
    Ok(())
}

fn ics_path(ctx: &Ctx) -> PathBuf {
    ctx.vault.root().join("reminder.ics")
}

fn write_ics(ctx: &Ctx, r: &Reminder) -> Result<PathBuf> {
    let now = ctx.clock.now.as_jiff();
    let today = now.to_zoned(ctx.clock.tz.clone()).date().strftime("%Y%m%d").to_string();
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let path = ics_path(ctx);
    std::fs::write(&path, r.ics(&today, &stamp))
        .with_context(|| format!("couldn't write the calendar file {}", path.display()))?;
    Ok(path)
}

enum Desktop {
    /// The timer is on.
    On,
    /// The unit files are written but couldn't be started; says why and how.
    UnitsOnly(String),
    NotLinux,
}

/// `~/.config/systemd/user` (or under `$XDG_CONFIG_HOME`).
fn units_dir() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(config.join("systemd").join("user"))
}

/// A program on the PATH.
fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(program)).find(|p| p.is_file())
}

/// `systemctl --user …` with only what it needs from our environment (never a passphrase).
fn systemctl(args: &[&str]) -> bool {
    let Some(program) = which("systemctl") else { return false };
    let mut cmd = Command::new(program);
    cmd.arg("--user").args(args).env_clear().stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    for key in ["PATH", "HOME", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"] {
        if let Some(v) = std::env::var_os(key) {
            cmd.env(key, v);
        }
    }
    cmd.status().is_ok_and(|s| s.success())
}

fn desktop_timer(r: &Reminder) -> Desktop {
    if !cfg!(target_os = "linux") {
        return Desktop::NotLinux;
    }
    let Some(dir) = units_dir() else {
        return Desktop::UnitsOnly(
            "The calendar file is ready; a desktop notification needs a home folder.".into(),
        );
    };
    let notify =
        which("notify-send").map_or("/usr/bin/env notify-send".to_owned(), |p| p.display().to_string());
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("thaw-reminder.service"), Reminder::systemd_service(&notify)))
        .and_then(|()| std::fs::write(dir.join("thaw-reminder.timer"), r.systemd_timer()));
    if written.is_err() {
        return Desktop::UnitsOnly(format!(
            "The calendar file is ready; the desktop timer couldn't be written in {}.",
            dir.display()
        ));
    }
    if systemctl(&["daemon-reload"]) && systemctl(&["enable", "--now", "thaw-reminder.timer"]) {
        if which("notify-send").is_none() {
            return Desktop::UnitsOnly(
                "The timer is on; desktop notifications also need notify-send (on Debian or Ubuntu: \
                 sudo apt install libnotify-bin)."
                    .into(),
            );
        }
        Desktop::On
    } else {
        Desktop::UnitsOnly(format!(
            "The desktop timer is written in {} but couldn't be started here. In your desktop session: \
             systemctl --user enable --now thaw-reminder.timer",
            dir.display()
        ))
    }
}

fn remove_desktop_timer() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let _ = systemctl(&["disable", "--now", "thaw-reminder.timer"]);
    if let Some(dir) = units_dir() {
        let _ = std::fs::remove_file(dir.join("thaw-reminder.timer"));
        let _ = std::fs::remove_file(dir.join("thaw-reminder.service"));
        let _ = systemctl(&["daemon-reload"]);
    }
}
