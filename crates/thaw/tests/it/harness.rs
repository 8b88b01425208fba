use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub const PASS: &str = "a calm lake at dawn";

/// A fresh home and vault for one test.
pub struct Thaw {
    pub home: tempfile::TempDir,
    pub passphrase: Option<String>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "expected success\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn fails(self, code: i32) -> Self {
        assert_eq!(self.code, code, "expected exit {code}\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }
}

impl Thaw {
    pub fn new() -> Self {
        Self { home: tempfile::tempdir().expect("temp dir"), passphrase: Some(PASS.to_owned()) }
    }

    /// A new vault, created with `thaw init --json`; returns the recovery words.
    pub fn init() -> (Self, String) {
        let t = Self::new();
        let run = t.run(&["init", "--json"]).ok();
        let words = run.json()["recovery_key"].as_str().expect("recovery_key").to_owned();
        (t, words)
    }

    pub fn vault(&self) -> PathBuf {
        self.home.path().join("vault")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_thaw"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("THAW_VAULT", self.vault())
            .env("TZ", "UTC")
            .env("TMPDIR", self.home.path().join("tmp"))
            // No on-device model unless a test asks for it (`model_dir()`), so that tests behave
            // the same wherever the binary and the model happen to be.
            .env("THAW_MODEL_DIR", self.home.path().join("no-model"))
            .stdin(Stdio::null());
        if let Some(p) = &self.passphrase {
            cmd.env("THAW_PASSPHRASE", p);
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        std::fs::create_dir_all(self.home.path().join("tmp")).expect("tmp");
        finish(self.command(args).output().expect("run thaw"))
    }

    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        std::fs::create_dir_all(self.home.path().join("tmp")).expect("tmp");
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        finish(cmd.output().expect("run thaw"))
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn thaw");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        finish(child.wait_with_output().expect("wait"))
    }

    /// Like [`Thaw::run_stdin`], with extra environment variables.
    pub fn run_stdin_env(&self, args: &[&str], input: &str, env: &[(&str, &str)]) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn thaw");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        finish(child.wait_with_output().expect("wait"))
    }

    /// Every file of the vault, except the WAL index (`thaw.db-shm`): that is SQLite's shared
    /// memory, rebuilt by each process that opens the database, and holds no records.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = files_under(&self.vault());
        files.retain(|path, _| !path.ends_with("thaw.db-shm"));
        files
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.insert(path, bytes);
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The on-device model (scripts/fetch-model puts it in models/; THAW_MODEL_DIR points elsewhere),
/// for `run_with(…, &[("THAW_MODEL_DIR", …)])`.
pub fn model_dir() -> String {
    let dir = std::env::var("THAW_MODEL_DIR")
        .ok()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("{}/../../models/all-minilm-l6-v2", env!("CARGO_MANIFEST_DIR")));
    assert!(
        Path::new(&dir).join("model.safetensors").is_file(),
        "These tests need the on-device model: run scripts/fetch-model first (looked in {dir})"
    );
    warm_model_cache(&dir);
    dir
}

/// On a fresh clone the model folder has no cache yet, and the first `thaw` process that loads
/// the model embeds Thaw's own material (the exemplars, the labelled dev sentences, the
/// vocabulary: about 20 s of a release build on two cores). Tests that start several such
/// processes at once would each do it, in parallel, and time out; so this test binary does it
/// once, first, and every process after it reads the cache.
fn warm_model_cache(dir: &str) {
    static WARM: std::sync::Once = std::sync::Once::new();
    WARM.call_once(|| {
        let u = thaw_embed::Understanding::in_dir(Path::new(dir));
        assert!(u.prepare(), "the on-device model in {dir} did not load");
        u.suggest("a quiet evening, a bit flat", &[]).expect("the vocabulary embeds");
    });
}
