//! The questions Thaw asks on a terminal, answered through a pseudo-terminal as a person would
//! type them: a wrong answer is asked again and loses nothing, `y` + Enter is one answer, and a
//! too-short passphrase is refused before it is asked for a second time.

use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

use crate::harness::{PASS, Thaw};

/// `thaw` on the slave side of a new pseudo-terminal; what it writes is collected in the
/// background.
struct Term {
    child: Child,
    master: std::fs::File,
    seen: Arc<Mutex<Vec<u8>>>,
    /// How much of `seen` earlier `expect` calls have used.
    used: usize,
}

impl Term {
    fn spawn(t: &Thaw, args: &[&str]) -> Term {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = std::fs::OpenOptions::new().read(true).write(true).open(name.to_str().unwrap()).unwrap();
        let size = rustix::termios::Winsize { ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0 };
        rustix::termios::tcsetwinsize(&slave, size).unwrap();
        std::fs::create_dir_all(t.home.path().join("tmp")).unwrap();
        let mut cmd = t.command(args);
        cmd.env("TERM", "xterm")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        let child = cmd.spawn().unwrap();
        let master = std::fs::File::from(master);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (mut reader, sink) = (master.try_clone().unwrap(), Arc::clone(&seen));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends when the child closes the terminal (an error here is that end).
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        drop(cmd);
        Term { child, master, seen, used: 0 }
    }

    /// Everything shown so far, without colours and cursor movements.
    fn screen(&self) -> String {
        plain(&String::from_utf8_lossy(&self.seen.lock().unwrap()))
    }

    /// Waits (up to 20 s) until `text` shows after what earlier calls waited for.
    #[track_caller]
    fn expect(&mut self, text: &str) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if let Some(at) = screen.get(self.used..).and_then(|rest| rest.find(text)) {
                self.used += at + text.len();
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "never saw {text:?}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `keys` (a pause first, so that the question is ready for them).
    fn send(&mut self, keys: &str) {
        std::thread::sleep(Duration::from_millis(80));
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Waits for the command to end and returns its exit code.
    fn finish(mut self) -> (i32, String) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return (status.code().unwrap_or(-1), self.screen());
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("thaw didn't finish; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `text` without ANSI escape sequences.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                // Parameters, then one final letter.
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() || d == '~' {
                        break;
                    }
                }
            } else {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

const DOWN: &str = "\u{1b}[B";

#[test]
fn a_wrong_intensity_is_asked_again_and_nothing_is_lost() {
    let (t, _) = Thaw::init();
    let mut term = Term::spawn(&t, &["checkin"]);
    term.expect("How would you like to start?");
    term.send("\r"); // Pick from a family of feelings.
    term.expect("Which family feels closest?");
    term.send("\r"); // Sad, low, hurt.
    term.expect("Which words fit?");
    term.send(" "); // The first word.
    term.send(DOWN);
    term.send(" "); // And the second.
    term.send("\r");
    term.expect("How strong is");
    term.send("7\r");
    term.expect("How strong is");
    term.send("15\r");
    term.expect("0 to 10"); // The problem, said plainly.
    term.send("\u{15}"); // Ctrl-U clears the line, as in any shell.
    term.send("4\r");
    term.expect("Notice anything in your body?");
    term.send("y");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!term.screen().contains("Where do you notice it?"), "y alone doesn't answer yet");
    term.send("\r");
    term.expect("Where do you notice it?");
    term.send(" \r");
    term.expect("Anything to add?");
    term.send("a slow morning\r");
    term.expect("Did you?");
    term.send("n\r");
    let (code, screen) = term.finish();
    assert_eq!(code, 0, "{screen}");
    let list = t.run(&["checkin", "list", "--json"]).ok().json();
    let text = list.to_string();
    assert!(text.contains("\"intensity\":7") && text.contains("\"intensity\":4"), "{text}");
    assert!(text.contains("\"body\":[\""), "the body answer was kept: {text}");
    assert!(text.contains("a slow morning"), "{text}");
}

#[test]
fn a_short_passphrase_is_refused_before_it_is_asked_twice() {
    let mut t = Thaw::new();
    t.passphrase = None;
    let mut term = Term::spawn(&t, &["init"]);
    term.expect("New passphrase");
    term.send("short\r");
    term.expect("at least 8 characters");
    let screen = term.screen();
    assert!(!screen.contains("Once more"), "not asked twice for a passphrase it won't take:\n{screen}");
    term.expect("New passphrase");
    term.send(&format!("{PASS}\r"));
    term.expect("Once more, to be sure");
    term.send(&format!("{PASS}\r"));
    // After the recovery words, init asks (once, skippably) for the country.
    term.expect("Country");
    term.send("skip\r");
    let (code, screen) = term.finish();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("recovery words"), "{screen}");
    assert!(t.vault().join("vault.db").exists() || t.vault().exists());
}
