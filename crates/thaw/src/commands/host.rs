//! `thaw host`: Thaw for many people over PostgreSQL (thaw-web's hosted mode over
//! thaw-store-pg). Prints the address it serves as the first line on standard output and runs
//! until Ctrl-C or SIGTERM. `thaw host invite` prints an invitation code; `thaw host migrate`
//! brings the schema up to date as its owner.
//!
//! Database URLs may hold passwords, so they are read from the environment (taken out of it at
//! start-up, like the passphrases) or from a file; `--database-url` works but is visible in `ps`.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result};
use thaw_store_pg::{PgBackend, PgOptions};

use crate::cli::{DatabaseArgs, HostArgs, HostCmd};
use crate::exit;
use crate::session::{self, DATABASE_URL_ENV, OWNER_DATABASE_URL_ENV};

pub fn run(args: &HostArgs) -> Result<()> {
    match &args.command {
        Some(HostCmd::Invite { database, days }) => invite(database, *days),
        Some(HostCmd::Migrate { owner_url_file, app_role }) => migrate(owner_url_file.as_deref(), app_role),
        None => serve(args),
    }
}

/// The first line of `path`, trimmed.
fn url_from_file(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("couldn't read {}", path.display()))?;
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default().to_owned();
    if line.is_empty() {
        return Err(exit::bad_input(format!(
            "{} is empty; put the database URL on its first line.",
            path.display()
        )));
    }
    Ok(line)
}

fn database_url(args: &DatabaseArgs) -> Result<String> {
    if let Some(url) = &args.database_url {
        return Ok(url.clone());
    }
    if let Some(path) = &args.database_url_file {
        return url_from_file(path);
    }
    if let Some(url) = session::env_secret(DATABASE_URL_ENV) {
        return Ok(url.dangerously_expose().to_owned());
    }
    Err(exit::bad_input(format!(
        "Which database? Set {DATABASE_URL_ENV} (or use --database-url-file FILE), for example \
         {DATABASE_URL_ENV}=postgresql://thaw_app@%2Frun%2Fpostgresql/thaw"
    )))
}

fn connect(args: &DatabaseArgs) -> Result<PgBackend> {
    let url = database_url(args)?;
    // Migrations run at start when this role may run them; otherwise an older schema is an
    // error that names `thaw host migrate`.
    let backend = PgBackend::connect_with(&url, PgOptions::default()).map_err(|e| {
        let text = e.to_string();
        if text.contains("run the migrations") {
            anyhow::anyhow!("{text}\n  As the schema's owner: {OWNER_DATABASE_URL_ENV}=… thaw host migrate")
        } else {
            anyhow::anyhow!("couldn't open the database: {text}")
        }
    })?;
    Ok(backend)
}

fn serve(args: &HostArgs) -> Result<()> {
    if args.database.database_url.is_some() {
        eprintln!(
            "thaw host: note that --database-url is visible to other users of this machine; \
             {DATABASE_URL_ENV} or --database-url-file keep it private."
        );
    }
    let backend = connect(&args.database)?;
    let mut config = thaw_web::HostConfig::new(backend);
    config.listen = args.listen;
    config.signup = args.signup;
    config.behind_proxy = args.behind_proxy;
    config.idle = Duration::from_secs(u64::from(args.idle_minutes) * 60);
    config.tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(thaw_web::TlsFiles { cert: cert.clone(), key: key.clone() }),
        _ => None,
    };
    config.locale_country = thaw_web::WebConfig::locale_country_from_env();
    let signup = args.signup;
    thaw_web::host_blocking(config, |url| {
        let mut out = std::io::stdout().lock();
        // Scripts and tests read this first line; keep it exactly the address.
        let _ = writeln!(out, "{url}");
        let _ = out.flush();
        let policy = match signup {
            thaw_web::Signup::Open => "anyone can make an account",
            thaw_web::Signup::Invite => "accounts by invitation (thaw host invite)",
            thaw_web::Signup::Closed => "no new accounts",
        };
        eprintln!("Thaw is serving at the address above ({policy}). Press Ctrl+C to stop it.");
    })?;
    eprintln!("Stopped. Every session has ended.");
    Ok(())
}

fn invite(database: &DatabaseArgs, days: u32) -> Result<()> {
    let backend = connect(database)?;
    let code = backend
        .create_invitation(Duration::from_secs(u64::from(days) * 24 * 3600))
        .map_err(|e| anyhow::anyhow!("couldn't make an invitation: {e}"))?;
    println!("{code}");
    let plural = if days == 1 { "" } else { "s" };
    eprintln!("An invitation code: it works once, for {days} day{plural}. Thaw keeps only a hash of it.");
    Ok(())
}

fn migrate(owner_url_file: Option<&Path>, app_role: &str) -> Result<()> {
    let url = match owner_url_file {
        Some(path) => url_from_file(path)?,
        None => match session::env_secret(OWNER_DATABASE_URL_ENV) {
            Some(url) => url.dangerously_expose().to_owned(),
            None => {
                return Err(exit::bad_input(format!(
                    "Set {OWNER_DATABASE_URL_ENV} to the schema owner's URL (or use --owner-url-file FILE)."
                )));
            }
        },
    };
    let version =
        PgBackend::migrate(&url, Some(app_role)).map_err(|e| anyhow::anyhow!("the migration failed: {e}"))?;
    println!("The database schema is at version {version}; {app_role} may read and write rows.");
    Ok(())
}
