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
        Term::spawn_with(t, args, &[])
    }

    fn spawn_with(t: &Thaw, args: &[&str], env: &[(&str, &str)]) -> Term {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = std::fs::OpenOptions::new().read(true).write(true).open(name.to_str().unwrap()).unwrap();
        let size = rustix::termios::Winsize { ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0 };
        rustix::termios::tcsetwinsize(&slave, size).unwrap();
        std::fs::create_dir_all(t.home.path().join("tmp")).unwrap();
        let mut cmd = t.command(args);
        cmd.envs(env.iter().copied());
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

    /// Waits for `text`, then for the end.
    fn finish_after(&mut self, text: &str) -> (i32, String) {
        let start = Instant::now();
        while !self.screen().contains(text) && self.child.try_wait().unwrap().is_none() {
            assert!(start.elapsed() < Duration::from_secs(20), "never saw {text:?}:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(20));
        }
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return (status.code().unwrap_or(-1), self.screen());
            }
            assert!(start.elapsed() < Duration::from_secs(30), "didn't finish:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(20));
        }
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

#[test]
fn without_an_editor_the_entry_is_typed_right_here_and_the_prompt_is_shown_not_saved() {
    let (t, _) = Thaw::init();
    let mut term = Term::spawn(&t, &["journal", "add", "--title", "Typed", "--prompt", "noticing-1"]);
    term.expect("Your prompt:");
    term.expect("Ctrl-D");
    term.send("a first line\r");
    term.send("and a second\r");
    term.send("\u{4}"); // Ctrl-D at the start of a line ends the text.
    term.expect("Saved to your journal.");
    let (code, screen) = term.finish();
    assert_eq!(code, 0, "{screen}");
    let entries = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(entries[0]["body"], "a first line\nand a second", "{entries}");
    assert_eq!(entries[0]["prompt"], "noticing-1");

    // Ctrl-D straight away: nothing is saved, and that's said kindly.
    let mut term = Term::spawn(&t, &["journal", "add", "--title", "Empty"]);
    term.expect("Ctrl-D");
    term.send("\u{4}");
    term.expect("Nothing was written, so nothing was saved.");
    let (code, _) = term.finish();
    assert_eq!(code, 0);
    assert_eq!(t.run(&["journal", "list", "--json"]).ok().json().as_array().unwrap().len(), 1);
}

#[test]
fn an_editor_that_doesnt_exist_is_a_clear_message_and_saves_nothing() {
    let (t, _) = Thaw::init();
    let mut term =
        Term::spawn_with(&t, &["journal", "add", "--title", "Lost"], &[("EDITOR", "no-such-editor-here")]);
    term.expect("couldn't start your editor");
    let (code, screen) = term.finish();
    assert_eq!(code, 2, "{screen}");
    assert!(screen.contains("unset $VISUAL and $EDITOR"), "{screen}");
    assert!(t.run(&["journal", "list", "--json"]).ok().json().as_array().unwrap().is_empty());
}

#[test]
fn in_the_editor_the_prompt_sits_on_top_and_an_emptied_file_saves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let (t, _) = Thaw::init();
    let copy = t.home.path().join("what-the-editor-saw");
    let writes = t.home.path().join("writes.sh");
    std::fs::write(&writes, format!("#!/bin/sh\ncp \"$1\" {}\necho 'my answer' >> \"$1\"\n", copy.display()))
        .unwrap();
    let empties = t.home.path().join("empties.sh");
    std::fs::write(&empties, "#!/bin/sh\n: > \"$1\"\n").unwrap();
    for f in [&writes, &empties] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let mut term = Term::spawn_with(
        &t,
        &["journal", "add", "--title", "With a prompt", "--prompt", "noticing-1"],
        &[("VISUAL", writes.to_str().unwrap())],
    );
    let (code, screen) = term.finish_after("Saved to your journal.");
    assert_eq!(code, 0, "{screen}");
    if screen.contains("in-memory folder") {
        return; // This machine has no memory-backed folder; Thaw refuses to write the text to disk.
    }
    let seen = std::fs::read_to_string(&copy).unwrap();
    assert!(seen.starts_with("#: Your prompt:"), "{seen}");
    assert!(seen.contains("#: Lines starting with #: are not saved"), "{seen}");
    let entries = t.run(&["journal", "list", "--json"]).ok().json();
    assert_eq!(entries[0]["body"], "my answer", "the notes aren't saved: {entries}");

    let mut term = Term::spawn_with(
        &t,
        &["journal", "add", "--title", "Emptied"],
        &[("VISUAL", empties.to_str().unwrap())],
    );
    let (code, screen) = term.finish_after("Nothing was written");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(t.run(&["journal", "list", "--json"]).ok().json().as_array().unwrap().len(), 1);
}
