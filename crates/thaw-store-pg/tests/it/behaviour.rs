//! Behaviour that must match the SQLite store beyond the story: search order and limits (checked
//! against a real SQLite vault on generated histories), long words, failed operations, and the
//! connection pool after errors.

use proptest::prelude::*;
use thaw_core::RecordId;
use thaw_store::{ListQuery, SearchQuery, SqliteStore, Store, StoreError, VaultDir};

use super::*;

const WORDS: [&str; 10] =
    ["lake", "river", "garden", "winter", "quiet", "rain", "song", "book", "lantern", "meadow"];

fn sqlite() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let vault = VaultDir::new(dir.path().join("v"));
    let (store, _) = vault.create(&pass("differential test"), KdfParams::new(1024, 1, 1).unwrap()).unwrap();
    (dir, store)
}

fn ids(hits: &[thaw_store::SearchHit]) -> Vec<(RecordId, String)> {
    hits.iter().map(|h| (h.record.id, h.snippet.clone())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The same records in both stores (written in a generated order, happening at generated
    /// times, some edited and some deleted) give the same search results, in the same order,
    /// with the same snippets, for every limit.
    #[test]
    fn search_and_list_agree_with_sqlite(
        entries in proptest::collection::vec((proptest::collection::vec(0usize..10, 1..6), 0i64..30), 1..25),
        edits in proptest::collection::vec((0usize..25, 0usize..10), 0..5),
        deletes in proptest::collection::vec(0usize..25, 0..3),
        queries in proptest::collection::vec((0usize..10, 1usize..7, 0usize..10, 1usize..12), 1..6),
    ) {
        static DB: OnceLock<(TestDatabase, PgBackend)> = OnceLock::new();
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let (_, backend) = DB.get_or_init(super::backend);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pg = account(backend, &format!("diff{n}")).2;
        let (_dir, lite) = sqlite();
        let mut records: Vec<Record> = entries
            .iter()
            .map(|(words, day)| journal(&words.iter().map(|w| WORDS[*w]).collect::<Vec<_>>().join(" "), *day))
            .collect();
        for r in &records {
            pg.insert(r).unwrap();
            lite.insert(r).unwrap();
        }
        for (i, w) in &edits {
            if let Some(r) = records.get_mut(*i) {
                if let RecordBody::Journal(j) = &mut r.body {
                    j.body = format!("{} {}", j.body, WORDS[*w]);
                }
                pg.update(r).unwrap();
                lite.update(r).unwrap();
            }
        }
        for i in &deletes {
            if let Some(r) = records.get(*i) {
                let (a, b) = (pg.delete(r.id).is_ok(), lite.delete(r.id).is_ok());
                prop_assert_eq!(a, b);
            }
        }
        for (w, len, w2, limit) in &queries {
            let prefix: String = WORDS[*w].chars().take(*len).collect();
            for text in [prefix.clone(), format!("{prefix} {}", WORDS[*w2]), prefix.to_uppercase()] {
                let q = SearchQuery { text: text.clone(), kinds: vec![], limit: *limit };
                let (a, b) = (pg.search(&q).unwrap(), lite.search(&q).unwrap());
                prop_assert_eq!(ids(&a), ids(&b), "search {:?} limit {}", text, limit);
            }
        }
        for newest_first in [false, true] {
            let q = ListQuery { limit: Some(7), newest_first, ..ListQuery::default() };
            prop_assert_eq!(pg.list(&q).unwrap(), lite.list(&q).unwrap());
        }
    }
}

#[test]
fn words_longer_than_the_index_are_checked_against_the_text() {
    let (_db, backend) = backend();
    let (_, _, store) = account(&backend, "longwords");
    let wanted = journal("an extraordinarily quiet evening", 1);
    let others = journal("extraordinariness of it all", 2);
    store.insert_many(&[wanted.clone(), others.clone()]).unwrap();
    // Many newer rows the index lets through but the text check refuses: the search keeps going
    // past them to find the older real match.
    let decoys: Vec<Record> = (0..40).map(|d| journal("extraordinarinesses everywhere", 10 + d)).collect();
    store.insert_many(&decoys).unwrap();
    let q = |text: &str, limit| SearchQuery { text: text.into(), kinds: vec![], limit };
    let hits = store.search(&q("extraordinarily", 2)).unwrap();
    assert_eq!(hits.iter().map(|h| h.record.id).collect::<Vec<_>>(), vec![wanted.id]);
    assert_eq!(hits[0].snippet, "t an extraordinarily quiet evening"); // title "t", then the body
    assert_eq!(store.search(&q("extraordinar", 100)).unwrap().len(), 42);
    assert_eq!(store.search(&q("Extraordinariness", 100)).unwrap().len(), 41, "a prefix of the decoys too");
    // Accents are folded in both directions.
    store.insert(&journal("Café au lait, naïve hope", 3)).unwrap();
    assert_eq!(store.search(&q("cafe naive", 5)).unwrap().len(), 1);
    assert_eq!(store.search(&q("CAFÉ", 5)).unwrap().len(), 1);
}

#[test]
fn a_failed_operation_changes_nothing_and_leaves_the_pool_usable() {
    let db = cluster().database().unwrap();
    // One connection, so every operation reuses the one a failure happened on.
    let backend = PgBackend::connect_with(&db.app_url, PgOptions { pool_size: 1, ..options() }).unwrap();
    let (_, _, a) = account(&backend, "first");
    let (_, _, b) = account(&backend, "second");
    let entry = journal("kept as it was", 1);
    a.insert(&entry).unwrap();
    assert!(matches!(a.insert(&entry), Err(StoreError::Duplicate(_))));
    let before = a.count(None).unwrap();
    let fresh = journal("not saved either", 3);
    let mut as_reaction = every_kind("x").remove(2);
    as_reaction.id = entry.id;
    // Updating a record with another kind's body is refused, and nothing changes.
    let err = a.update(&as_reaction).unwrap_err();
    assert!(err.to_string().contains("is a journal"), "{err}");
    assert_eq!(a.get(entry.id).unwrap(), Some(entry.clone()));
    assert!(matches!(b.update(&entry), Err(StoreError::NotFound(_))));
    // insert_many skips ids that exist.
    assert_eq!(a.insert_many(&[fresh.clone(), entry.clone()]).unwrap(), 1);
    assert_eq!(a.count(None).unwrap(), before + 1);
    // The other account, on the same connection afterwards, sees only its own.
    assert_eq!(b.count(None).unwrap(), 0);
    assert_eq!(b.list(&ListQuery::default()).unwrap(), vec![]);
}

#[test]
fn a_url_asking_for_tls_is_refused_rather_than_sent_in_the_clear() {
    let db = cluster().database().unwrap();
    let err = PgBackend::connect_with(&format!("{} sslmode=require", db.app_url), options()).unwrap_err();
    assert!(err.to_string().contains("PostgreSQL could not be reached"), "{err}");
}
