//! A throwaway PostgreSQL cluster for tests and benchmarks (feature `testing`).
//!
//! [`TestCluster::start`] runs `initdb` into a temporary directory (as the `postgres` OS user when
//! the caller is root, since initdb refuses root), starts the server with `pg_ctl` listening only
//! on a Unix socket inside that directory, and creates two roles: `thaw_owner` (owns the schema,
//! runs migrations) and `thaw_app` (logs in for the server: no superuser, no BYPASSRLS, not the
//! owner). [`TestCluster::database`] makes a fresh database per test, migrated and granted.
//! Dropping the cluster stops it and removes the directory; a watchdog process does the same if
//! the test process dies first (a `static` cluster is never dropped).
//!
//! The binaries are found through `THAW_PG_BINDIR`, else the newest `/usr/lib/postgresql/*/bin`,
//! else `PATH`. On Debian: `apt-get install postgresql-15` (or `postgresql`).

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, NoTls};

/// Role that owns the schema.
pub const OWNER_ROLE: &str = "thaw_owner";
/// Role the server logs in as.
pub const APP_ROLE: &str = "thaw_app";
/// Bootstrap superuser (used only by the harness itself, e.g. for `pg_dump`).
pub const SUPERUSER: &str = "postgres";

/// Something about the throwaway cluster failed; the text says what and includes the tool's
/// output (no secrets: the cluster uses trust authentication on a private socket).
#[derive(Debug, thiserror::Error)]
#[error("test PostgreSQL cluster: {0}")]
pub struct ClusterError(String);

impl From<io::Error> for ClusterError {
    fn from(e: io::Error) -> Self {
        ClusterError(e.to_string())
    }
}

impl From<postgres::Error> for ClusterError {
    fn from(e: postgres::Error) -> Self {
        ClusterError(e.to_string())
    }
}

/// A running throwaway cluster.
#[derive(Debug)]
pub struct TestCluster {
    root: PathBuf,
    bindir: PathBuf,
    port: u16,
    /// The OS user the server runs as, when the caller is root.
    run_as: Option<(u32, u32)>,
    next_db: AtomicU32,
}

/// One database in the cluster, migrated, with the app role granted.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    pub name: String,
    /// Connect as the app role (what the server uses).
    pub app_url: String,
    /// Connect as the schema owner.
    pub owner_url: String,
    /// Connect as the superuser (bypasses row-level security: for inspection only).
    pub super_url: String,
}

impl TestCluster {
    /// Starts a cluster. `fsync` stays off: fast, and nothing here must survive a power cut.
    pub fn start() -> Result<Self, ClusterError> {
        Self::start_with(false)
    }

    /// Starts a cluster; with `durable`, commits wait for the disk as in production (for
    /// benchmarks).
    pub fn start_with(durable: bool) -> Result<Self, ClusterError> {
        let bindir = bindir()?;
        let run_as = if rustix::process::geteuid().is_root() { Some(postgres_user()?) } else { None };
        let root = tempfile::Builder::new().prefix("thaw-pg-").tempdir()?.keep();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o700))?;
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&root, Some(uid), Some(gid))?;
        }
        let port = free_port()?;
        let cluster = Self { root, bindir, port, run_as, next_db: AtomicU32::new(0) };
        cluster.watchdog()?;
        cluster.init(durable)?;
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The directory holding the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL for `user` and `dbname` over the Unix socket.
    pub fn url(&self, user: &str, dbname: &str) -> String {
        format!("host={} port={} user={user} dbname={dbname}", self.root.display(), self.port)
    }

    /// The directory of the PostgreSQL programs in use (`pg_dump`, `psql`, …).
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    fn tool(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bindir.join(name));
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd.current_dir(&self.root).stdin(Stdio::null());
        cmd
    }

    fn init(&self, durable: bool) -> Result<(), ClusterError> {
        let data = self.data();
        run(self
            .tool("initdb")
            .args(["-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-locale", "-N", "-D"])
            .arg(&data))?;
        let mut opts = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -p {} -c max_connections=200 \
             -c shared_buffers=64MB",
            self.root.display(),
            self.port
        );
        if !durable {
            opts.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        run(self
            .tool("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(self.root.join("server.log"))
            .args(["-o", &opts, "start"]))?;
        let mut su = Client::connect(&self.url(SUPERUSER, "postgres"), NoTls)?;
        su.batch_execute(&format!(
            "CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
             CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;"
        ))?;
        Ok(())
    }

    /// A fresh empty database owned by [`OWNER_ROLE`], with no schema yet.
    pub fn empty_database(&self) -> Result<TestDatabase, ClusterError> {
        let n = self.next_db.fetch_add(1, Ordering::Relaxed);
        let name = format!("thaw_test_{n}");
        let mut su = Client::connect(&self.url(SUPERUSER, "postgres"), NoTls)?;
        su.batch_execute(&format!("CREATE DATABASE {name} OWNER {OWNER_ROLE}"))?;
        drop(su);
        // PostgreSQL 15 no longer lets every role create tables in `public`; the owner may.
        let mut su = Client::connect(&self.url(SUPERUSER, &name), NoTls)?;
        su.batch_execute(&format!("ALTER SCHEMA public OWNER TO {OWNER_ROLE}"))?;
        Ok(TestDatabase {
            app_url: self.url(APP_ROLE, &name),
            owner_url: self.url(OWNER_ROLE, &name),
            super_url: self.url(SUPERUSER, &name),
            name,
        })
    }

    /// A fresh database, migrated by the owner, with the app role granted row access.
    pub fn database(&self) -> Result<TestDatabase, ClusterError> {
        let db = self.empty_database()?;
        crate::PgBackend::migrate(&db.owner_url, Some(APP_ROLE)).map_err(|e| ClusterError(e.to_string()))?;
        Ok(db)
    }

    /// `pg_dump` of a whole database (schema and data, plain SQL), as the superuser.
    pub fn dump(&self, db: &TestDatabase) -> Result<Vec<u8>, ClusterError> {
        let out = run(self.tool("pg_dump").args(["-h"]).arg(&self.root).args([
            "-p",
            &self.port.to_string(),
            "-U",
            SUPERUSER,
            "--no-owner",
            &db.name,
        ]))?;
        Ok(out.stdout)
    }

    /// The server's log so far (for diagnosing a failed test).
    pub fn server_log(&self) -> String {
        fs::read_to_string(self.root.join("server.log")).unwrap_or_default()
    }

    /// A shell process that waits for this process to end, then stops the server and removes
    /// the directory: cleanup even when `Drop` never runs.
    fn watchdog(&self) -> Result<(), ClusterError> {
        let script = r#"while [ -d "/proc/$1" ]; do sleep 1; done
"$2/pg_ctl" -D "$3/data" -m immediate stop >/dev/null 2>&1
rm -rf "$3""#;
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script, "thaw-pg-watchdog"])
            .arg(std::process::id().to_string())
            .arg(&self.bindir)
            .arg(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so a Ctrl-C aimed at the tests doesn't stop the cleanup.
            .process_group(0);
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd.spawn()?;
        Ok(())
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        let _ = self
            .tool("pg_ctl")
            .args(["-D"])
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn run(cmd: &mut Command) -> Result<Output, ClusterError> {
    let out = cmd.stderr(Stdio::piped()).stdout(Stdio::piped()).output()?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(ClusterError(format!(
            "{:?} failed ({}): {}{}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// `THAW_PG_BINDIR`, else the newest `/usr/lib/postgresql/<version>/bin` with `initdb`, else the
/// directory of `initdb` on `PATH`.
fn bindir() -> Result<PathBuf, ClusterError> {
    if let Some(dir) = std::env::var_os("THAW_PG_BINDIR") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).find(|d| d.join("initdb").exists()).ok_or_else(|| {
        ClusterError(
            "PostgreSQL's initdb was not found: install PostgreSQL (Debian: apt-get install \
             postgresql-15) or set THAW_PG_BINDIR"
                .into(),
        )
    })
}

/// Uid and gid of the `postgres` OS user (from /etc/passwd).
fn postgres_user() -> Result<(u32, u32), ClusterError> {
    let passwd = fs::read_to_string("/etc/passwd")?;
    passwd
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.first() == Some(&"postgres") && f.len() > 3)
                .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))?
        })
        .ok_or_else(|| {
            ClusterError("running as root, but there is no `postgres` OS user to run initdb as".into())
        })
}

/// A port number no one listens on now. The server only uses it to name its socket file (no
/// TCP), but a free one keeps a `psql -p` in a debugging session unambiguous.
fn free_port() -> Result<u16, ClusterError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}
