//! The summary read through the Store trait from a real (encrypted) vault, and the questions list.

use thaw_core::vocabulary;
use thaw_report::{Summary, questions};
use thaw_store::{Store, VaultDir};
use thaw_vault::{KdfParams, Passphrase};

use crate::fixture;

pub fn vault() -> (tempfile::TempDir, thaw_store::SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let vault = VaultDir::new(dir.path().join("v"));
    let params = KdfParams::new(1024, 1, 1).unwrap();
    let (store, _) = vault.create(&Passphrase::new("report tests".into()), params).unwrap();
    (dir, store)
}

#[test]
fn building_from_a_store_gives_the_same_summary_as_from_the_records() {
    let (_dir, store) = vault();
    let mut records = fixture::records();
    // A journal entry is never read into a summary.
    let journal = thaw_core::JournalEntry::new("Private", "words only for me", &[], vec![]).unwrap();
    records.push(fixture::record(99, "2025-03-09T10:00:00Z", thaw_core::RecordBody::Journal(journal)));
    store.insert_many(&records).unwrap();
    for q in fixture::questions() {
        questions::add(&store, &q).unwrap();
    }
    let built = Summary::build(&store, &fixture::window(), vocabulary(), fixture::ts("2025-03-29T10:00:00Z"))
        .unwrap();
    assert_eq!(built, fixture::summary());
    assert!(!thaw_report::html::render(&built).contains("words only for me"));
}

#[test]
fn questions_are_added_listed_and_removed_by_number() {
    let (_dir, store) = vault();
    assert!(questions::load(&store).unwrap().is_empty());
    assert_eq!(questions::add(&store, "  First?  ").unwrap(), 1);
    assert_eq!(questions::add(&store, "Second?").unwrap(), 2);
    assert_eq!(questions::load(&store).unwrap(), ["First?", "Second?"]);
    assert!(questions::add(&store, "   ").is_err());
    assert!(questions::add(&store, &"x".repeat(questions::MAX_LEN + 1)).is_err());
    for bad in ["0", "3", "two", ""] {
        let err = questions::remove(&store, bad).unwrap_err().to_string();
        assert!(err.contains("isn't a question number"), "{bad}: {err}");
    }
    assert_eq!(questions::remove(&store, "1").unwrap(), "First?");
    assert_eq!(questions::load(&store).unwrap(), ["Second?"]);
    questions::remove(&store, "1").unwrap();
    assert_eq!(store.setting(questions::KEY).unwrap(), None, "an empty list leaves no setting");
}
