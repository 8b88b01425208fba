//! `thaw search`: full-text search across everything written.

use anyhow::Result;
use serde::Serialize;
use thaw_core::{Record, RecordKind};

use super::Ctx;
use super::journal::search_query;
use crate::cli::SearchArgs;
use crate::output;

#[derive(Serialize)]
struct Hit<'a> {
    #[serde(flatten)]
    record: &'a Record,
    snippet: &'a str,
}

pub fn run(ctx: &Ctx, args: &SearchArgs) -> Result<()> {
    run_kinds(ctx, &args.query.join(" "), &[], args.limit)
}

pub fn run_kinds(ctx: &Ctx, text: &str, kinds: &[RecordKind], limit: usize) -> Result<()> {
    let store = ctx.open()?;
    let hits = store.search(&search_query(text, kinds, limit))?;
    if ctx.json {
        let out: Vec<Hit<'_>> = hits.iter().map(|h| Hit { record: &h.record, snippet: &h.snippet }).collect();
        return output::json(&out);
    }
    if hits.is_empty() {
        println!("Nothing found for \"{}\".", crate::terminal::clean(text.trim()));
        return Ok(());
    }
    for h in &hits {
        println!(
            "{}  {}  {:<8}  {}",
            h.record.at.display_in(&ctx.clock.tz),
            h.record.id.short(),
            h.record.kind().as_str(),
            crate::terminal::clean(&h.record.body.summary())
        );
        println!("    {}", crate::terminal::clean(&h.snippet));
    }
    Ok(())
}
