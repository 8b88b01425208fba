//! Starts a throwaway PostgreSQL cluster with one migrated database, prints its connection URLs
//! (the app role's first), and keeps it until Enter is pressed or stdin closes; then stops it and
//! removes its files. For trying `thaw host` or a load test by hand:
//!
//! `cargo run -p thaw-store-pg --features testing --example pg_cluster`

use std::io::BufRead;

use thaw_store_pg::testing::TestCluster;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let durable = std::env::args().any(|a| a == "--durable");
    let cluster = TestCluster::start_with(durable)?;
    let db = cluster.database()?;
    println!("{}", db.app_url);
    println!("owner: {}", db.owner_url);
    println!("superuser: {}", db.super_url);
    println!("psql: {}/psql \"{}\"", cluster.bindir().display(), db.app_url);
    eprintln!("Press Enter to stop the cluster and remove its files.");
    let _ = std::io::stdin().lock().lines().next();
    Ok(())
}
