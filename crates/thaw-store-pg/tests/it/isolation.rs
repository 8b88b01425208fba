//! Two accounts never see, change or find each other's records: in the code (every statement
//! names the account) and in the database (row-level security), each checked on its own.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, NoTls};
use proptest::prelude::*;
use thaw_core::RecordId;
use thaw_core::ids::IdRef;
use thaw_store::{ListQuery, SearchQuery, Store, StoreError};

use super::*;

fn search(store: &PgStore, text: &str) -> Vec<RecordId> {
    store
        .search(&SearchQuery { text: text.into(), kinds: vec![], limit: 100 })
        .unwrap()
        .into_iter()
        .map(|h| h.record.id)
        .collect()
}

#[test]
fn neither_account_sees_changes_or_finds_the_others_records() {
    let (_db, backend) = backend();
    let (_, _, a) = account(&backend, "ada");
    let (_, _, b) = account(&backend, "bo");
    let a_records = every_kind("shared");
    a.insert_many(&a_records).unwrap();
    let b_entry = journal("shared words and bosecret", 4);
    b.insert(&b_entry).unwrap();
    // The same record id may exist in both accounts without touching the other's.
    let mut twin = a_records[1].clone();
    if let RecordBody::Journal(j) = &mut twin.body {
        j.body = "bo's own copy".into();
    }
    b.insert(&twin).unwrap();
    a.set_setting("country", &serde_json::json!("GB")).unwrap();
    b.set_setting("safety_plan", &serde_json::json!({"reasons": ["bo"]})).unwrap();

    // list, count
    assert_eq!(a.list(&ListQuery::default()).unwrap().len(), 10);
    assert_eq!(b.list(&ListQuery::default()).unwrap().len(), 2);
    assert_eq!(a.count(None).unwrap(), 10);
    assert_eq!(b.count(Some(thaw_core::RecordKind::Journal)).unwrap(), 2);
    // get, resolve
    assert_eq!(a.get(b_entry.id).unwrap(), None);
    assert_eq!(b.get(a_records[0].id).unwrap(), None);
    assert_eq!(b.get(twin.id).unwrap(), Some(twin.clone()));
    assert_eq!(a.get(twin.id).unwrap(), Some(a_records[1].clone()));
    let short = IdRef::parse(&b_entry.id.short()).unwrap();
    assert!(matches!(a.resolve(&short, None), Err(StoreError::NotFound(_))));
    assert_eq!(b.resolve(&short, None).unwrap(), b_entry.id);
    let whole = IdRef::parse(&a_records[0].id.to_string()).unwrap();
    assert!(matches!(b.resolve(&whole, None), Err(StoreError::NotFound(_))));
    // search
    assert!(search(&a, "bosecret").is_empty());
    assert_eq!(search(&b, "bosecret"), vec![b_entry.id]);
    let mut found = search(&b, "shared");
    found.sort();
    let mut expected = vec![twin.id, b_entry.id]; // twin's title came from every_kind
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(search(&a, "shared").len(), 8, "every kind with text");
    assert!(search(&b, "note").is_empty());
    // update, delete
    let mut theirs = b_entry.clone();
    theirs.updated_at = Timestamp::now();
    assert!(matches!(a.update(&theirs), Err(StoreError::NotFound(_))));
    assert!(matches!(a.delete(b_entry.id), Err(StoreError::NotFound(_))));
    assert!(matches!(b.insert(&b_entry), Err(StoreError::Duplicate(_))));
    assert_eq!(b.get(b_entry.id).unwrap(), Some(b_entry.clone()));
    // settings
    assert_eq!(a.setting("safety_plan").unwrap(), None);
    assert_eq!(b.setting("country").unwrap(), None);
    b.remove_setting("country").unwrap();
    assert_eq!(a.setting("country").unwrap(), Some(serde_json::json!("GB")));
    assert_eq!(a.settings().unwrap().len(), 1);
    assert_eq!(b.settings().unwrap().len(), 1);
}

fn message(err: &postgres::Error) -> String {
    err.as_db_error().map_or_else(|| err.to_string(), |d| d.message().to_owned())
}

#[test]
fn row_level_security_alone_hides_other_accounts() {
    let (db, backend) = backend();
    let (sa, _, a) = account(&backend, "ann");
    let (sb, _, b) = account(&backend, "ben");
    a.insert_many(&[journal("one", 1), journal("two", 2)]).unwrap();
    b.insert(&journal("three", 3)).unwrap();
    a.set_setting("country", &serde_json::json!("IE")).unwrap();
    let (ida, idb) = (sa.account_id().to_string(), sb.account_id().to_string());

    // The server's role, with no account set: nothing, whatever the query forgets.
    let mut app = Client::connect(&db.app_url, NoTls).unwrap();
    for table in ["records", "settings", "accounts"] {
        let n: i64 = app.query_one(&format!("SELECT count(*) FROM {table}"), &[]).unwrap().get(0);
        assert_eq!(n, 0, "{table} without thaw.account");
    }
    // With one account set, a query without a filter sees that account only.
    let mut tx = app.transaction().unwrap();
    tx.execute("SELECT set_config('thaw.account', $1, true)", &[&ida]).unwrap();
    let n: i64 = tx.query_one("SELECT count(*) FROM records", &[]).unwrap().get(0);
    assert_eq!(n, 2);
    let n: i64 = tx
        .query_one("SELECT count(*) FROM records WHERE account_id = $1::text::uuid", &[&idb])
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    let n: i64 = tx.query_one("SELECT count(*) FROM accounts", &[]).unwrap().get(0);
    assert_eq!(n, 1);
    // An unfiltered update touches only this account's rows.
    let touched = tx.execute("UPDATE records SET at = at", &[]).unwrap();
    assert_eq!(touched, 2);
    let deleted = tx.execute("DELETE FROM settings", &[]).unwrap();
    assert_eq!(deleted, 1);
    tx.rollback().unwrap();
    // Writing a row for another account is refused.
    let mut tx = app.transaction().unwrap();
    tx.execute("SELECT set_config('thaw.account', $1, true)", &[&ida]).unwrap();
    let err = tx
        .execute(
            "INSERT INTO settings (account_id, key, sealed) VALUES ($1::text::uuid, 'x', '\\x00')",
            &[&idb],
        )
        .unwrap_err();
    assert!(message(&err).contains("row-level security"), "{err:?}");
    drop(tx);
    // The setting is transaction-local: after the transaction, nothing again.
    let n: i64 = app.query_one("SELECT count(*) FROM records", &[]).unwrap().get(0);
    assert_eq!(n, 0);
    // The server's role can't switch the policies off.
    let err = app.batch_execute("ALTER TABLE records DISABLE ROW LEVEL SECURITY").unwrap_err();
    assert!(message(&err).contains("must be owner"), "{err:?}");
    let err = app.batch_execute("ALTER TABLE records NO FORCE ROW LEVEL SECURITY").unwrap_err();
    assert!(message(&err).contains("must be owner"), "{err:?}");
}

/// One step of a generated history on two accounts.
#[derive(Debug, Clone)]
enum Op {
    Insert {
        who: usize,
        word: usize,
    },
    Update {
        who: usize,
        nth: usize,
        word: usize,
    },
    Delete {
        who: usize,
        nth: usize,
    },
    /// Uses one of the other account's record ids: get, update and delete must find nothing.
    Reach {
        who: usize,
        nth: usize,
    },
    Set {
        who: usize,
        key: usize,
        value: u8,
    },
    Unset {
        who: usize,
        key: usize,
    },
}

const WORDS: [&str; 4] = ["river", "lantern", "meadow", "pebble"];
const KEYS: [&str; 3] = ["country", "safety_plan", "personal_words"];

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..2;
    prop_oneof![
        3 => (who.clone(), 0usize..4).prop_map(|(who, word)| Op::Insert { who, word }),
        1 => (who.clone(), 0usize..8, 0usize..4).prop_map(|(who, nth, word)| Op::Update { who, nth, word }),
        1 => (who.clone(), 0usize..8).prop_map(|(who, nth)| Op::Delete { who, nth }),
        2 => (who.clone(), 0usize..8).prop_map(|(who, nth)| Op::Reach { who, nth }),
        1 => (who.clone(), 0usize..3, any::<u8>()).prop_map(|(who, key, value)| Op::Set { who, key, value }),
        1 => (who, 0usize..3).prop_map(|(who, key)| Op::Unset { who, key }),
    ]
}

/// Each account's records carry its own tag word as well as a shared one.
fn tagged(who: usize, word: usize, day: i64) -> Record {
    journal(&format!("{} tag{who} and {}", ["alpha", "beta"][who], WORDS[word]), day)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn generated_histories_stay_apart(ops in proptest::collection::vec(op(), 1..30)) {
        static DB: OnceLock<(TestDatabase, PgBackend)> = OnceLock::new();
        static N: AtomicU32 = AtomicU32::new(0);
        let (_, backend) = DB.get_or_init(super::backend);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let stores = [account(backend, &format!("a{n}")).2, account(backend, &format!("b{n}")).2];
        let mut model: [BTreeMap<RecordId, Record>; 2] = [BTreeMap::new(), BTreeMap::new()];
        let mut settings: [BTreeMap<String, serde_json::Value>; 2] = [BTreeMap::new(), BTreeMap::new()];
        for (step, op) in ops.iter().enumerate() {
            let day = i64::try_from(step).unwrap();
            match *op {
                Op::Insert { who, word } => {
                    let r = tagged(who, word, day);
                    stores[who].insert(&r).unwrap();
                    model[who].insert(r.id, r);
                }
                Op::Update { who, nth, word } => {
                    if let Some(old) = model[who].values().nth(nth).cloned() {
                        let mut r = tagged(who, word, day);
                        r.id = old.id;
                        stores[who].update(&r).unwrap();
                        model[who].insert(r.id, r);
                    }
                }
                Op::Delete { who, nth } => {
                    if let Some(id) = model[who].keys().nth(nth).copied() {
                        stores[who].delete(id).unwrap();
                        model[who].remove(&id);
                    }
                }
                Op::Reach { who, nth } => {
                    if let Some(theirs) = model[1 - who].values().nth(nth).cloned() {
                        prop_assert_eq!(stores[who].get(theirs.id).unwrap(), None);
                        prop_assert!(matches!(stores[who].update(&theirs), Err(StoreError::NotFound(_))));
                        prop_assert!(matches!(stores[who].delete(theirs.id), Err(StoreError::NotFound(_))));
                        let short = IdRef::parse(&theirs.id.short()).unwrap();
                        prop_assert!(stores[who].resolve(&short, None).is_err());
                    }
                }
                Op::Set { who, key, value } => {
                    let v = serde_json::json!(value);
                    stores[who].set_setting(KEYS[key], &v).unwrap();
                    settings[who].insert(KEYS[key].to_owned(), v);
                }
                Op::Unset { who, key } => {
                    stores[who].remove_setting(KEYS[key]).unwrap();
                    settings[who].remove(KEYS[key]);
                }
            }
        }
        for who in 0..2 {
            let store = &stores[who];
            let mut listed: Vec<RecordId> = store.list(&ListQuery::default()).unwrap().iter().map(|r| r.id).collect();
            listed.sort();
            let expected: Vec<RecordId> = model[who].keys().copied().collect();
            prop_assert_eq!(&listed, &expected);
            for r in model[who].values() {
                prop_assert_eq!(store.get(r.id).unwrap(), Some(r.clone()));
            }
            prop_assert_eq!(store.count(None).unwrap(), model[who].len() as u64);
            let other_tag = format!("tag{}", 1 - who);
            prop_assert!(search(store, &other_tag).is_empty());
            prop_assert!(search(store, ["beta", "alpha"][who]).is_empty());
            let mut found = search(store, "and");
            found.sort();
            prop_assert_eq!(found, expected);
            let own: Vec<(String, serde_json::Value)> = settings[who].clone().into_iter().collect();
            prop_assert_eq!(store.settings().unwrap(), own);
        }
    }
}
