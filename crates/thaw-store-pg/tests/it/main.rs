//! The PostgreSQL store against a throwaway cluster: the conformance story, isolation between
//! accounts (in code and by row-level security), no plaintext in a dump, and the account
//! lifecycle.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod accounts;
mod isolation;
mod plaintext;
mod schema;

use std::sync::OnceLock;

use thaw_store_pg::testing::{TestCluster, TestDatabase};
use thaw_store_pg::{AccountSession, PgBackend, PgOptions, PgStore};
use thaw_vault::{KdfParams, Passphrase, RecoveryKey};

/// One cluster for the whole test binary (a database per test); stopped by its watchdog when
/// the binary exits.
fn cluster() -> &'static TestCluster {
    static CLUSTER: OnceLock<TestCluster> = OnceLock::new();
    CLUSTER.get_or_init(|| TestCluster::start().unwrap_or_else(|e| panic!("{e}")))
}

fn options() -> PgOptions {
    PgOptions { pool_size: 4, kdf: KdfParams::new(1024, 1, 1).unwrap(), ..PgOptions::default() }
}

/// A fresh migrated database and a backend connected to it as the app role.
fn backend() -> (TestDatabase, PgBackend) {
    let db = cluster().database().unwrap_or_else(|e| panic!("{e}"));
    let backend = PgBackend::connect_with(&db.app_url, options()).unwrap();
    (db, backend)
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text.into())
}

/// A new account and its store.
fn account(backend: &PgBackend, name: &str) -> (AccountSession, RecoveryKey, PgStore) {
    let (session, recovery) = backend.create_account(name, &pass("a good long passphrase")).unwrap();
    let store = backend.store_for(&session);
    (session, recovery, store)
}

#[test]
fn postgres_passes_the_story() {
    let (_db, backend) = backend();
    let (_session, _recovery, store) = account(&backend, "story");
    thaw_store::story::run(&store).unwrap_or_else(|e| panic!("{e}"));
}
