//! Seeds a hosted Thaw database for the load benchmark (`bench/host-load.sh`): ACCOUNTS accounts
//! named `bench0000`, `bench0001`, … with RECORDS records each spread over the last year (the
//! sample generator of `thaw dev seed`, one seed per account), written straight through
//! `thaw-store-pg` (`insert_many` in batches of 500, one transaction each), plus a few `flood0…`
//! accounts with the server's real Argon2id parameters for the sign-in flood.
//!
//! The bench accounts' key files use cheap Argon2id parameters (8 MiB, t = 1) so that seeding
//! and signing 1,000 people in before the load takes seconds rather than many minutes; the
//! server still unwraps each account's own key file at sign-in. The flood accounts and unknown
//! names cost the real 128 MiB, t = 3.
//!
//! Resumable: finished accounts are listed in DONE_FILE and skipped; an account that was cut
//! off half-way is signed in to and continued from its record count.
//!
//! `THAW_DATABASE_URL=... cargo run --release -p thaw-store-pg --example host_seed -- ACCOUNTS RECORDS DONE_FILE [THREADS]`

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

fn lock_err<T>(_: T) -> Box<dyn std::error::Error + Send + Sync> {
    "a lock was poisoned".into()
}

use thaw_core::Timestamp;
use thaw_core::sample::Generator;
use thaw_store::Store;
use thaw_store_pg::{AccountError, PgBackend, PgOptions};
use thaw_vault::{KdfParams, Passphrase};

/// Accounts with the real Argon2id parameters, for the sign-in flood.
const FLOOD_ACCOUNTS: usize = 4;
const BATCH: usize = 500;

fn bench_name(i: usize) -> String {
    format!("bench{i:04}")
}

fn bench_pass(i: usize) -> Passphrase {
    Passphrase::new(format!("bench passphrase {i}"))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err(
            "usage: host_seed ACCOUNTS RECORDS DONE_FILE [THREADS] (THAW_DATABASE_URL in the environment)"
                .into(),
        );
    }
    let accounts: usize = args[0].parse()?;
    let records: usize = args[1].parse()?;
    let done_file = args[2].clone();
    let threads: usize = args.get(3).map(|t| t.parse()).transpose()?.unwrap_or(2).max(1);
    let url = std::env::var("THAW_DATABASE_URL").map_err(|_| "set THAW_DATABASE_URL")?;

    let done: HashSet<String> =
        std::fs::read_to_string(&done_file).unwrap_or_default().lines().map(str::to_owned).collect();
    let cheap = PgOptions {
        kdf: KdfParams::new(8 * 1024, 1, 1)?,
        pool_size: threads as u32 + 1,
        ..PgOptions::default()
    };
    let real = PgOptions { pool_size: 2, ..PgOptions::default() };
    let backend = PgBackend::connect_with(&url, cheap)?;
    let real_backend = PgBackend::connect_with(&url, real)?;
    let log = Arc::new(Mutex::new(OpenOptions::new().create(true).append(true).open(&done_file)?));
    let started = Instant::now();

    // The flood accounts: no records, real key derivation.
    for f in 0..FLOOD_ACCOUNTS {
        let name = format!("flood{f}");
        if done.contains(&name) {
            continue;
        }
        match real_backend.create_account(&name, &Passphrase::new(format!("flood passphrase {f}"))) {
            Ok(_) | Err(AccountError::UsernameTaken) => {}
            Err(e) => return Err(Box::new(e)),
        }
        writeln!(log.lock().map_err(lock_err)?, "{name}")?;
    }

    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let skipped = AtomicUsize::new(0);
    let end = Timestamp::now();
    std::thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::new();
        for _ in 0..threads {
            handles.push(scope.spawn(|| -> Result<()> {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= accounts {
                        return Ok(());
                    }
                    let name = bench_name(i);
                    if done.contains(&name) {
                        skipped.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let session = match backend.create_account(&name, &bench_pass(i)) {
                        Ok((session, _words)) => session,
                        Err(AccountError::UsernameTaken) => backend.sign_in(&name, &bench_pass(i))?,
                        Err(e) => return Err(Box::new(e)),
                    };
                    let store = backend.store_for(&session);
                    let have = usize::try_from(store.count(None)?).unwrap_or(0);
                    let batch: Vec<_> = Generator::new(i as u64 + 1, records, 1, end).skip(have).collect();
                    for chunk in batch.chunks(BATCH) {
                        store.insert_many(chunk)?;
                    }
                    written.fetch_add(batch.len(), Ordering::Relaxed);
                    writeln!(log.lock().map_err(lock_err)?, "{name}")?;
                    if i % 50 == 49 {
                        let s = started.elapsed().as_secs_f64();
                        let w = written.load(Ordering::Relaxed);
                        eprintln!(
                            "  {} accounts, {w} records in {s:.0} s ({:.0} records/s)",
                            i + 1,
                            w as f64 / s
                        );
                    }
                }
            }));
        }
        for h in handles {
            h.join().map_err(|_| "a seeding thread panicked")??;
        }
        Ok(())
    })?;
    let s = started.elapsed().as_secs_f64();
    let w = written.load(Ordering::Relaxed);
    println!(
        "seeded {w} records into {} accounts in {s:.1} s ({:.0} records/s); {} accounts were already done",
        accounts - skipped.load(Ordering::Relaxed),
        w as f64 / s.max(0.001),
        skipped.load(Ordering::Relaxed)
    );
    Ok(())
}
