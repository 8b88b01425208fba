//! The SQLite store against the conformance story, plus what only the encrypted vault must do.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use thaw_core::{JournalEntry, Record, RecordBody, Timestamp};
use thaw_store::{SqliteStore, Store, StoreError, VaultDir};
use thaw_vault::{DataKey, KdfParams, Passphrase};

mod changes;

fn small() -> KdfParams {
    KdfParams::new(1024, 1, 1).expect("params")
}

fn new_vault() -> (tempfile::TempDir, VaultDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = VaultDir::new(dir.path().join("v"));
    let (store, _) = vault.create(&Passphrase::new("story passphrase".into()), small()).expect("create");
    (dir, vault, store)
}

#[test]
fn sqlite_passes_the_story() {
    let (_dir, _vault, store) = new_vault();
    thaw_store::story::run(&store).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn reopening_with_the_unwrapped_key_sees_the_same_records() {
    let (_dir, vault, store) = new_vault();
    let entry = JournalEntry::new("t", "persisted words", &[], vec![]).unwrap();
    let rec = Record::new(RecordBody::Journal(entry), None, Timestamp::now());
    store.insert(&rec).unwrap();
    drop(store);
    let key = vault.load_keyfile().unwrap().unlock(&Passphrase::new("story passphrase".into())).unwrap();
    let store = vault.open(&key).unwrap();
    assert_eq!(store.get(rec.id).unwrap(), Some(rec));
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn a_different_key_cannot_read_the_database() {
    let (_dir, vault, store) = new_vault();
    drop(store);
    let other = DataKey::generate().unwrap();
    assert!(matches!(vault.open(&other), Err(StoreError::Damaged(_))));
}

#[test]
fn a_newer_schema_is_refused_without_changes() {
    let (_dir, vault, store) = new_vault();
    drop(store);
    let key = vault.load_keyfile().unwrap().unlock(&Passphrase::new("story passphrase".into())).unwrap();
    {
        let conn = rusqlite::Connection::open(vault.db_path()).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA key = \"{}\"; PRAGMA user_version = 99;",
            key.sqlcipher_pragma_value().as_str()
        ))
        .unwrap();
    }
    let before = std::fs::read(vault.db_path()).unwrap();
    match vault.open(&key) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(std::fs::read(vault.db_path()).unwrap(), before);
}

#[test]
fn a_truncated_database_is_reported_as_damaged() {
    let (_dir, vault, store) = new_vault();
    for i in 0..50 {
        let entry = JournalEntry::new(&format!("t{i}"), &"words ".repeat(200), &[], vec![]).unwrap();
        store.insert(&Record::new(RecordBody::Journal(entry), None, Timestamp::now())).unwrap();
    }
    drop(store);
    let key = vault.load_keyfile().unwrap().unlock(&Passphrase::new("story passphrase".into())).unwrap();
    let bytes = std::fs::read(vault.db_path()).unwrap();
    std::fs::write(vault.db_path(), &bytes[..bytes.len() / 2]).unwrap();
    let result = vault.open(&key).and_then(|s| {
        let problems = s.integrity_check()?;
        s.list(&thaw_store::ListQuery::default())?;
        if problems.is_empty() { Ok(()) } else { Err(StoreError::Damaged(problems.join("; "))) }
    });
    assert!(matches!(result, Err(StoreError::Damaged(_))), "{result:?}");
}

#[test]
fn creating_over_an_existing_vault_is_refused() {
    let (_dir, vault, store) = new_vault();
    drop(store);
    let again = vault.create(&Passphrase::new("another passphrase".into()), small());
    assert!(matches!(again, Err(StoreError::VaultExists(_))));
}

#[test]
fn a_version_1_vault_gains_the_moments_index_and_lists_the_same_records() {
    use thaw_core::{Person, RecordKind};
    use thaw_store::ListQuery;
    let (_dir, vault, store) = new_vault();
    let journal = Record::new(
        RecordBody::Journal(JournalEntry::new("t", "long words", &[], vec![]).unwrap()),
        None,
        Timestamp::now(),
    );
    let person =
        Record::new(RecordBody::Person(Person::new("Sam", None, None).unwrap()), None, Timestamp::now());
    store.insert(&journal).unwrap();
    store.insert(&person).unwrap();
    drop(store);
    let key = vault.load_keyfile().unwrap().unlock(&Passphrase::new("story passphrase".into())).unwrap();
    let pragma = format!("PRAGMA key = \"{}\";", key.sqlcipher_pragma_value().as_str());
    let indexes = || -> Vec<String> {
        let conn = rusqlite::Connection::open(vault.db_path()).unwrap();
        conn.execute_batch(&pragma).unwrap();
        let mut stmt =
            conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert!(indexes().contains(&"records_moments".to_owned()));
    {
        // Back to what a vault made by the first release looks like.
        let conn = rusqlite::Connection::open(vault.db_path()).unwrap();
        conn.execute_batch(&format!(
            "{pragma} DROP INDEX records_moments; {UNDO_3} PRAGMA user_version = 1;"
        ))
        .unwrap();
    }
    assert!(!indexes().contains(&"records_moments".to_owned()));
    let store = vault.open(&key).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    let list = |kinds: Vec<RecordKind>| {
        store.list(&ListQuery { kinds, from: None, to: None, limit: None, newest_first: false }).unwrap()
    };
    assert_eq!(list(vec![RecordKind::Person]), vec![person.clone()]);
    assert_eq!(list(vec![RecordKind::Journal, RecordKind::Person]), vec![journal.clone(), person.clone()]);
    assert_eq!(list(vec![]).len(), 2);
    assert!(store.integrity_check().unwrap().is_empty());
    drop(store);
    assert!(indexes().contains(&"records_moments".to_owned()));
}

/// Takes a vault back from schema 3 to what schema 2 looked like (no change tracking).
const UNDO_3: &str = "DROP INDEX records_rev; ALTER TABLE records DROP COLUMN rev;
    DROP TABLE tombstones; DROP TABLE change_counter;";

#[test]
fn a_version_2_vault_gains_change_tracking_with_every_record_as_one_change() {
    use thaw_core::Person;
    use thaw_store::{Change, Tombstone};
    let (_dir, vault, store) = new_vault();
    let people: Vec<Record> = (0..5)
        .map(|i| {
            Record::new(
                RecordBody::Person(Person::new(&format!("Sam {i}"), None, None).unwrap()),
                None,
                Timestamp::now(),
            )
        })
        .collect();
    store.insert_many(&people).unwrap();
    drop(store);
    let key = vault.load_keyfile().unwrap().unlock(&Passphrase::new("story passphrase".into())).unwrap();
    {
        let conn = rusqlite::Connection::open(vault.db_path()).unwrap();
        let pragma = format!("PRAGMA key = \"{}\";", key.sqlcipher_pragma_value().as_str());
        conn.execute_batch(&format!("{pragma} {UNDO_3} PRAGMA user_version = 2;")).unwrap();
    }
    let store = vault.open(&key).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    let changes = store.changes_since(0, 100).unwrap();
    let sent: Vec<&Record> = changes.iter().filter_map(|c| c.change.record()).collect();
    assert_eq!(sent, people.iter().collect::<Vec<_>>(), "every record, in the order written");
    assert_eq!(store.cursor().unwrap(), 5);
    // Writing goes on from there.
    store.delete(people[0].id).unwrap();
    let after = store.changes_since(5, 100).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].cursor, 6);
    assert!(
        matches!(&after[0].change, Change::Delete { tombstone: Tombstone { id, .. } } if *id == people[0].id)
    );
    assert!(store.integrity_check().unwrap().is_empty());
}
