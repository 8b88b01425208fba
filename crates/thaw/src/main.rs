//! `thaw`: the command line. Edges only: parse, call the core and the store, print.

mod cli;
mod commands;
mod editor;
mod exit;
mod output;
mod prompt;
mod resources;
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
    // A file-size limit (ulimit -f) must surface as a "disk full" error that rolls back cleanly,
    // not as SIGXFSZ killing the process mid-write.
    #[allow(unsafe_code)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code; it is sound
    // at any point, and we do it before any thread is started.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        // Like other command-line tools, end quietly when the reader of our output goes away
        // (`thaw journal list | head`) instead of panicking on a broken pipe.
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
