//! `thaw`: the command line. Edges only: parse, call the core and the store, print.

mod cli;
mod commands;
mod editor;
mod exit;
mod output;
mod prompt;
mod session;
mod terminal;

use clap::Parser;

fn main() {
    harden_process();
    let cli = cli::Cli::parse();
    let code = match commands::run(cli) {
        Ok(()) => 0,
        Err(err) => exit::report(&err),
    };
    std::process::exit(code);
}

/// Files Thaw creates are readable by their owner only, and a crash never writes a core dump that
/// could hold decrypted text or keys.
fn harden_process() {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let none = rustix::process::Rlimit { current: Some(0), maximum: Some(0) };
    // Best effort: lowering our own limit is always allowed, but don't fail if the OS refuses.
    let _ = rustix::process::setrlimit(rustix::process::Resource::Core, none);
}
