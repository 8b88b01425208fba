//! Printing: plain text for people, stable JSON for scripts (documented in docs/CLI.md).

use anyhow::Result;
use serde::Serialize;
use thaw_core::Record;

use crate::session::Clock;
use crate::terminal::clean;

pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// One line per record: local time, short id, summary.
pub fn record_lines(records: &[Record], clock: &Clock, empty: &str) {
    if records.is_empty() {
        println!("{empty}");
        return;
    }
    for r in records {
        println!("{}  {}  {}", r.at.display_in(&clock.tz), r.id.short(), clean(&r.body.summary()));
    }
}

/// A record list: JSON array or lines.
pub fn records(records: &[Record], as_json: bool, clock: &Clock, empty: &str) -> Result<()> {
    if as_json {
        json(records)
    } else {
        record_lines(records, clock, empty);
        Ok(())
    }
}

/// After saving: the record with its `follow_up` as JSON, or a short confirmation.
pub fn saved(saved: &thaw_app::Saved, as_json: bool, message: &str) -> Result<()> {
    if as_json {
        json(saved)
    } else {
        println!("{} (id {})", clean(message), saved.record.id.short());
        Ok(())
    }
}
