//! `thaw dev`: sample data and write loops for benchmarks and the crash harness (hidden).

use std::io::Write;

use anyhow::Result;
use thaw_core::sample::Generator;
use thaw_core::{CheckIn, Felt, Record, RecordBody};

use super::Ctx;
use crate::cli::DevCmd;

pub fn run(ctx: &Ctx, cmd: DevCmd) -> Result<()> {
    match cmd {
        DevCmd::Seed { records, seed, years } => seed_vault(ctx, records, seed, years),
        DevCmd::WriteLoop { count, note } => write_loop(ctx, count, &note),
    }
}

fn seed_vault(ctx: &Ctx, records: usize, seed: u64, years: u32) -> Result<()> {
    let store = ctx.open()?;
    let mut batch = Vec::with_capacity(5_000);
    let mut added = 0;
    for record in Generator::new(seed, records, years, ctx.clock.now) {
        batch.push(record);
        if batch.len() == 5_000 {
            added += store.insert_many(&batch)?;
            batch.clear();
        }
    }
    added += store.insert_many(&batch)?;
    println!("Added {added} sample records.");
    Ok(())
}

fn write_loop(ctx: &Ctx, count: usize, note: &str) -> Result<()> {
    let store = ctx.open()?;
    let stdout = std::io::stdout();
    for i in 0..count {
        let felt = vec![Felt { word: "calm".into(), intensity: None }];
        let checkin = CheckIn::new(felt, vec![], Some(&format!("{note} {i}")), false, None)?;
        let record = Record::new(RecordBody::Checkin(checkin), None, thaw_core::Timestamp::now());
        store.insert(&record)?;
        // Acknowledge only after the commit returned: this line is the promise the harness checks.
        let mut out = stdout.lock();
        writeln!(out, "ack {}", record.id)?;
        out.flush()?;
    }
    Ok(())
}
