//! Benchmark helper: copies a vault's database to an UNENCRYPTED SQLite file with
//! `sqlcipher_export`, so Thaw's search can be compared with a bare FTS5 query on the same data
//! (the floor). For sample data made by `thaw dev seed` only — never run it on a real vault.
//!
//! Usage: THAW_PASSPHRASE=… cargo run --release -p thaw-store --example plain_copy -- VAULT_DIR OUT.db

use std::process::ExitCode;

use thaw_store::VaultDir;
use thaw_vault::Passphrase;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(vault), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: plain_copy VAULT_DIR OUT.db (THAW_PASSPHRASE set)");
        return ExitCode::from(2);
    };
    let pass = Passphrase::new(std::env::var("THAW_PASSPHRASE").unwrap_or_default());
    let dir = VaultDir::new(vault);
    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
        let key = dir.load_keyfile()?.unlock(&pass)?;
        let conn = rusqlite::Connection::open(dir.db_path())?;
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_pragma_value().as_str()))?;
        let _ = std::fs::remove_file(out);
        conn.execute("ATTACH DATABASE ?1 AS plaintext KEY ''", [out])?;
        conn.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))?;
        conn.execute_batch("DETACH DATABASE plaintext;")?;
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plain_copy: {e}");
            ExitCode::FAILURE
        }
    }
}
