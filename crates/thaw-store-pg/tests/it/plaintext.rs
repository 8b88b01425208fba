//! The database holds ciphertext: no marker written through any record kind or setting shows up in
//! `pg_dump` or in the cluster's files; rows moved between accounts, records, kinds or times fail
//! to decrypt.

use postgres::{Client, NoTls};
use thaw_core::RecordId;
use thaw_store::{ListQuery, SearchQuery, Store, StoreError};

use super::*;

/// Assembled at run time, so the test binary's own bytes don't hold it whole.
fn marker() -> String {
    ["quill", "fjord", "pgmarker"].concat()
}

/// Every file under `dir` holding `needle`.
fn files_with(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && contains(&bytes, needle)
            {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}

#[test]
fn no_marker_reaches_the_database_or_its_dump() {
    let m = marker();
    let (db, backend) = backend();
    let passphrase = "the passphrase itself is private";
    let (session, recovery, store) = {
        let (s, r) = backend.create_account("marked", &pass(passphrase)).unwrap();
        let store = backend.store_for(&s);
        (s, r, store)
    };
    let records = every_kind(&m);
    store.insert(&records[0]).unwrap();
    store.insert_many(&records[1..]).unwrap();
    let mut edited = records[1].clone();
    if let RecordBody::Journal(j) = &mut edited.body {
        j.body = format!("{m} edited body");
    }
    store.update(&edited).unwrap();
    store.set_setting("safety_plan", &serde_json::json!({ "reasons": [format!("{m} reason")] })).unwrap();
    store.set_setting("personal_words", &serde_json::json!([{ "word": format!("{m}word") }])).unwrap();
    // (Setting keys are names the application chooses, stored as they are: no marker in them.)
    store.set_setting("country", &serde_json::json!(format!("{m}land"))).unwrap();
    let hits = store.search(&SearchQuery { text: m.clone(), kinds: vec![], limit: 50 }).unwrap();
    assert_eq!(hits.len(), 8, "the marker is searchable in every kind with text");
    backend.change_passphrase("marked", &pass(passphrase), &pass("a second private passphrase")).unwrap();

    // The check on the scan: an export made from the store holds the marker.
    let export = serde_json::to_vec(&store.list(&ListQuery::default()).unwrap()).unwrap();
    assert!(contains(&export, &m), "the export holds the marker");

    let mut su = Client::connect(&db.super_url, NoTls).unwrap();
    su.batch_execute("CHECKPOINT").unwrap();
    let dump = cluster().dump(&db).unwrap();
    assert!(contains(&dump, "COPY public.records"), "the dump holds the records table");
    assert!(contains(&dump, "marked"), "the dump holds the (visible) username");
    for secret in [
        m.as_str(),
        passphrase,
        "a second private passphrase",
        recovery.dangerously_expose_words().as_str(),
        "sertraline",
        "tight-chest",
    ] {
        assert!(!contains(&dump, secret), "the dump holds {secret:?}");
    }
    // Nor do the cluster's files: tables, indexes, the write-ahead log.
    assert_eq!(files_with(cluster().socket_dir(), &m), Vec::<String>::new());
    drop(session);
}

/// Row surgery as a superuser would do it.
fn surgery(db: &TestDatabase, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) {
    let mut su = Client::connect(&db.super_url, NoTls).unwrap();
    assert_eq!(su.execute(sql, params).unwrap(), 1, "{sql}");
}

fn damaged<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Damaged(_)))
}

#[test]
fn rows_moved_between_records_accounts_kinds_or_times_fail_to_decrypt() {
    let (db, backend) = backend();
    let (sa, _, a) = account(&backend, "amy");
    let (sb, _, b) = account(&backend, "bea");
    let (x, y) = (journal("x words", 1), journal("y words", 2));
    a.insert_many(&[x.clone(), y.clone()]).unwrap();
    let checkin = every_kind("c").remove(0);
    a.insert(&checkin).unwrap();
    a.set_setting("country", &serde_json::json!("GB")).unwrap();
    a.set_setting("safety_plan", &serde_json::json!({"reasons": ["mine"]})).unwrap();
    let (ida, idb) = (sa.account_id().as_uuid(), sb.account_id().as_uuid());
    let uuid = |r: RecordId| r.as_uuid();

    // x's ciphertext copied over y's.
    surgery(
        &db,
        "UPDATE records SET sealed = (SELECT sealed FROM records WHERE account_id = $1 AND id = $2)
         WHERE account_id = $1 AND id = $3",
        &[&ida, &uuid(x.id), &uuid(y.id)],
    );
    assert!(damaged(a.get(y.id)));
    assert_eq!(a.get(x.id).unwrap(), Some(x.clone()), "the source row is still fine");

    // x's whole row copied into the other account.
    surgery(
        &db,
        "INSERT INTO records (account_id, id, kind, at, sealed, tokens, rev)
         SELECT $2, id, kind, at, sealed, tokens, rev FROM records WHERE account_id = $1 AND id = $3",
        &[&ida, &idb, &uuid(x.id)],
    );
    assert!(damaged(b.get(x.id)));
    // The stolen row's tokens don't match the other account's search key either.
    assert!(b.search(&SearchQuery { text: "words".into(), kinds: vec![], limit: 10 }).unwrap().is_empty());

    // A changed kind or time.
    surgery(
        &db,
        "UPDATE records SET kind = 'reaction' WHERE account_id = $1 AND id = $2",
        &[&ida, &uuid(checkin.id)],
    );
    assert!(damaged(a.get(checkin.id)));
    surgery(&db, "UPDATE records SET at = at + 1 WHERE account_id = $1 AND id = $2", &[&ida, &uuid(x.id)]);
    assert!(damaged(a.get(x.id)));

    // Settings swapped between keys, or copied to another account.
    surgery(
        &db,
        "UPDATE settings SET sealed = (SELECT sealed FROM settings WHERE account_id = $1 AND key = 'safety_plan')
         WHERE account_id = $1 AND key = 'country'",
        &[&ida],
    );
    assert!(damaged(a.setting("country")));
    surgery(
        &db,
        "INSERT INTO settings (account_id, key, sealed)
         SELECT $2, key, sealed FROM settings WHERE account_id = $1 AND key = 'safety_plan'",
        &[&ida, &idb],
    );
    assert!(damaged(b.setting("safety_plan")));
    assert_eq!(a.setting("safety_plan").unwrap(), Some(serde_json::json!({"reasons": ["mine"]})));
}
