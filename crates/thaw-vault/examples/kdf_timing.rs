//! Measures one unlock (one Argon2id run plus unwrapping) with the default parameters.
//!
//! Run in release mode, as users will: `cargo run --release -p thaw-vault --example kdf_timing`.
//! Optional arguments `m_cost_kib t_cost p_cost` try other parameters.

use std::time::{Duration, Instant};

use thaw_vault::{KdfParams, KeyFile, Passphrase, VaultError};

fn main() -> Result<(), VaultError> {
    let args: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let params = match args.as_slice() {
        [m, t, p] => KdfParams::new(*m, *t, *p)?,
        _ => KdfParams::default(),
    };
    let passphrase = Passphrase::new("a passphrase used only for timing".into());
    let (file, _, _) = KeyFile::create(&passphrase, params)?;
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let key = file.unlock(&passphrase);
            let elapsed = start.elapsed();
            key.map(|_| elapsed)
        })
        .collect::<Result<_, _>>()?;
    times.sort();
    println!(
        "m_cost_kib={} t_cost={} p_cost={}: median {:?} (min {:?}, max {:?}) over {} unlocks",
        params.m_cost_kib(),
        params.t_cost(),
        params.p_cost(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
    Ok(())
}
