//! Migrations from an empty database, idempotence, and the roles the backend accepts.

use postgres::{Client, NoTls};
use thaw_store::{Store, StoreError};
use thaw_store_pg::testing::APP_ROLE;

use super::*;

fn versions(url: &str) -> Vec<i32> {
    let mut c = Client::connect(url, NoTls).unwrap();
    c.query("SELECT version FROM schema_migrations ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn migrations_run_from_an_empty_database_once() {
    let db = cluster().empty_database().unwrap();
    let latest = thaw_store_pg::schema_latest();
    assert_eq!(PgBackend::migrate(&db.owner_url, Some(APP_ROLE)).unwrap(), latest);
    // A restart (or a second server) applies nothing twice.
    assert_eq!(PgBackend::migrate(&db.owner_url, Some(APP_ROLE)).unwrap(), latest);
    let expected: Vec<i32> = (1..=i32::try_from(latest).unwrap()).collect();
    assert_eq!(versions(&db.super_url), expected);
    let backend = PgBackend::connect_with(&db.app_url, options()).unwrap();
    assert_eq!(backend.schema_version().unwrap(), latest);
    let (_, _, store) = account(&backend, "first");
    thaw_store::story::run(&store).unwrap();
}

#[test]
fn servers_starting_together_migrate_once() {
    let db = cluster().empty_database().unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = db.owner_url.clone();
            std::thread::spawn(move || PgBackend::migrate(&url, Some(APP_ROLE)))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    assert_eq!(versions(&db.super_url).len(), thaw_store_pg::schema_latest() as usize);
}

#[test]
fn one_role_setups_migrate_at_connect_and_are_still_bound_by_row_security() {
    // The owner connecting as the server: allowed, because the tables FORCE row-level security.
    let db = cluster().empty_database().unwrap();
    let backend = PgBackend::connect_with(&db.owner_url, options()).unwrap();
    let (_, _, store) = account(&backend, "solo");
    store.insert(&journal("owner-run server", 1)).unwrap();
    let mut owner = Client::connect(&db.owner_url, NoTls).unwrap();
    let n: i64 = owner.query_one("SELECT count(*) FROM records", &[]).unwrap().get(0);
    assert_eq!(n, 0, "the owner without thaw.account set sees no rows");
    // A second connect finds the schema current.
    PgBackend::connect_with(&db.owner_url, options()).unwrap();
}

#[test]
fn the_app_role_cannot_migrate_and_says_what_to_do() {
    let db = cluster().empty_database().unwrap();
    let err = PgBackend::connect_with(&db.app_url, options()).unwrap_err();
    assert!(err.to_string().contains("run the migrations as the schema's owner"), "{err}");
    let no_migrate = PgOptions { migrate: false, ..options() };
    let err = PgBackend::connect_with(&db.owner_url, no_migrate).unwrap_err();
    assert!(err.to_string().contains("version 0"), "{err}");
}

#[test]
fn a_role_that_bypasses_row_security_is_refused() {
    let db = cluster().database().unwrap();
    let err = PgBackend::connect_with(&db.super_url, options()).unwrap_err();
    assert!(err.to_string().contains("bypasses row-level security"), "{err}");
}

#[test]
fn a_newer_schema_is_refused() {
    let db = cluster().database().unwrap();
    let mut su = Client::connect(&db.super_url, NoTls).unwrap();
    su.execute("INSERT INTO schema_migrations (version) VALUES (99)", &[]).unwrap();
    let err = PgBackend::connect_with(&db.app_url, options()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err:?}");
    let err = PgBackend::migrate(&db.owner_url, None).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err:?}");
}

#[test]
fn an_unreadable_url_is_a_clear_error() {
    let err = PgBackend::connect("postgresql://[not a url").unwrap_err();
    assert!(err.to_string().contains("database URL can't be read"), "{err}");
}

#[test]
fn a_version_2_database_gains_change_tracking_with_every_record_as_one_change() {
    use thaw_store::{Change, Tombstone};
    let (db, backend) = backend();
    let (_s1, _, a) = account(&backend, "before");
    let (_s2, _, b) = account(&backend, "other");
    let records = vec![journal("first words", 1), journal("second words", 2), journal("third words", 3)];
    a.insert_many(&records).unwrap();
    b.insert(&journal("someone else's", 1)).unwrap();
    drop((a, b));
    // Back to what schema 2 looked like: no change numbers, tombstones or counters.
    {
        let mut su = Client::connect(&db.super_url, NoTls).unwrap();
        su.batch_execute(
            "DROP TABLE tombstones; DROP TABLE change_counters; ALTER TABLE records DROP COLUMN rev;
             DELETE FROM schema_migrations WHERE version > 2;",
        )
        .unwrap();
    }
    assert_eq!(PgBackend::migrate(&db.owner_url, Some(APP_ROLE)).unwrap(), thaw_store_pg::schema_latest());
    let session = backend.sign_in("before", &pass("a good long passphrase")).unwrap();
    let a = backend.store_for(&session);
    let changes = a.changes_since(0, 100).unwrap();
    let sent: Vec<&thaw_core::Record> = changes.iter().filter_map(|c| c.change.record()).collect();
    assert_eq!(sent, records.iter().collect::<Vec<_>>(), "every record of the account, in the order written");
    let cursor = a.cursor().unwrap();
    assert_eq!(Some(cursor), changes.last().map(|c| c.cursor));
    a.delete(records[0].id).unwrap();
    let after = a.changes_since(cursor, 10).unwrap();
    assert_eq!(after.len(), 1);
    assert!(after[0].cursor > cursor);
    assert!(
        matches!(&after[0].change, Change::Delete { tombstone: Tombstone { id, .. } } if *id == records[0].id)
    );
}
