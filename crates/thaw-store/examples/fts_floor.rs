//! Benchmark helper: the floor for search — one process that opens an unencrypted copy of the
//! database (see `plain_copy`) and runs the same FTS5 query Thaw runs, printing the number of hits.
//! Same SQLite build as Thaw (bundled SQLCipher, no key), so the difference to `thaw search` is what
//! encryption, key handling and Thaw's layers cost.
//!
//! Usage: cargo run --release -p thaw-store --example fts_floor -- PLAIN.db WORD...

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((db, words)) = args.split_first() else {
        eprintln!("usage: fts_floor PLAIN.db WORD...");
        return ExitCode::from(2);
    };
    let query: Vec<String> = words.iter().map(|w| format!("\"{}\"*", w.replace('"', "\"\""))).collect();
    let result = (|| -> rusqlite::Result<usize> {
        let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut stmt = conn.prepare(
            "SELECT r.id, r.at, r.created_at, r.updated_at, r.body FROM records_fts f
             JOIN records r ON r.seq = f.rowid WHERE records_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT 50",
        )?;
        let rows = stmt.query_map([query.join(" ")], |r| r.get::<_, String>(4))?;
        let mut n = 0;
        for row in rows {
            row?;
            n += 1;
        }
        Ok(n)
    })();
    match result {
        Ok(n) => {
            println!("{n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fts_floor: {e}");
            ExitCode::FAILURE
        }
    }
}
