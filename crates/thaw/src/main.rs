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
    take_secrets_from_environment();
    let cli = cli::Cli::parse();
    let code = match commands::run(cli) {
        Ok(()) => 0,
        Err(err) => exit::report(&err),
    };
    std::process::exit(code);
}

/// Reads the `THAW_*` secrets (THAW_PASSPHRASE …) once and removes them from the environment, so
/// no program Thaw starts ($EDITOR, the browser launcher, `sh`) inherits them.
///
/// Removing rather than `Command::env_remove` at each spawn: one place covers every child,
/// including ones added later. It must happen here, first thing, while the process has one thread.
fn take_secrets_from_environment() {
    session::remember_env_secrets();
    for name in session::SECRET_ENV {
        #[allow(unsafe_code)]
        // SAFETY: `remove_var` is unsound only if another thread reads or writes the environment at
        // the same time. This runs at the top of `main`, before clap, the tokio runtime or any
        // other code that could start a thread, so the process has exactly one thread.
        unsafe {
            std::env::remove_var(name);
        }
    }
}

/// Files Thaw creates are readable by their owner only, a crash never writes a core dump that
/// could hold decrypted text or keys, and other processes of the same user can't attach a
/// debugger or read this one's memory (not dumpable: /proc/PID/mem, environ and ptrace are
/// refused to them).
fn harden_process() {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let none = rustix::process::Rlimit { current: Some(0), maximum: Some(0) };
    // Best effort: lowering our own limit is always allowed, but don't fail if the OS refuses.
    let _ = rustix::process::setrlimit(rustix::process::Resource::Core, none);
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_process_is_not_dumpable_after_hardening() {
        super::harden_process();
        assert_eq!(
            rustix::process::dumpable_behavior().ok(),
            Some(rustix::process::DumpableBehavior::NotDumpable),
            "other processes of the same user must not be able to attach or read our memory"
        );
    }
}
