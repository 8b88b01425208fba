//! The account lifecycle: sign-up, sign-in, wrong passphrases, recovery, passphrase change,
//! deletion.

use postgres::{Client, NoTls};
use thaw_store::{ListQuery, Store};
use thaw_store_pg::AccountError;

use super::*;

#[test]
fn signing_in_again_reads_what_was_written() {
    let (_db, backend) = backend();
    let (session, _, store) = account(&backend, "Robin");
    assert_eq!(session.username(), "robin");
    let entry = journal("words that must come back", 1);
    store.insert(&entry).unwrap();
    store.set_setting("country", &serde_json::json!("IE")).unwrap();
    drop(store);
    drop(session);
    let again = backend.sign_in(" ROBIN ", &pass("a good long passphrase")).unwrap();
    let store = backend.store_for(&again);
    assert_eq!(store.get(entry.id).unwrap(), Some(entry));
    assert_eq!(store.setting("country").unwrap(), Some(serde_json::json!("IE")));
    assert!(!format!("{again:?}").contains("passphrase"));
}

#[test]
fn a_wrong_passphrase_and_an_unknown_name_get_the_same_clear_refusal() {
    let (_db, backend) = backend();
    account(&backend, "sam");
    let wrong = backend.sign_in("sam", &pass("not the passphrase")).unwrap_err();
    let unknown = backend.sign_in("nobody", &pass("a good long passphrase")).unwrap_err();
    assert!(matches!(wrong, AccountError::WrongCredentials), "{wrong:?}");
    assert!(matches!(unknown, AccountError::WrongCredentials), "{unknown:?}");
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert!(wrong.to_string().contains("try again"));
    // A refused sign-in changed nothing: the right passphrase still works.
    backend.sign_in("sam", &pass("a good long passphrase")).unwrap();
}

#[test]
fn sign_up_refuses_taken_names_bad_names_and_short_passphrases() {
    let (_db, backend) = backend();
    account(&backend, "alex");
    let taken = backend.create_account("ALEX", &pass("another long passphrase")).unwrap_err();
    assert!(matches!(taken, AccountError::UsernameTaken), "{taken:?}");
    for bad in ["", "a", "has space", "semi;colon", &"x".repeat(65)] {
        let err = backend.create_account(bad, &pass("a good long passphrase")).unwrap_err();
        assert!(matches!(err, AccountError::BadUsername), "{bad:?}: {err:?}");
    }
    let short = backend.create_account("kim", &pass("short")).unwrap_err();
    assert!(matches!(short, AccountError::WeakPassphrase), "{short:?}");
    // Names in other scripts and e-mail-like names are fine.
    backend.create_account("zoë.m@example.org", &pass("a good long passphrase")).unwrap();
    backend.create_account("Дарья", &pass("a good long passphrase")).unwrap();
}

#[test]
fn recovery_words_open_the_account_and_set_a_new_passphrase() {
    let (_db, backend) = backend();
    let (_, recovery, store) = account(&backend, "jo");
    let entry = journal("still here after recovery", 2);
    store.insert(&entry).unwrap();
    let words = recovery.dangerously_expose_words();
    assert_eq!(words.split(' ').count(), 24);

    let session = backend.recover("jo", &words, &pass("a brand new passphrase")).unwrap();
    assert_eq!(backend.store_for(&session).get(entry.id).unwrap(), Some(entry.clone()));
    assert!(matches!(
        backend.sign_in("jo", &pass("a good long passphrase")),
        Err(AccountError::WrongCredentials)
    ));
    backend.sign_in("jo", &pass("a brand new passphrase")).unwrap();
    // The words still work after being used.
    backend.recover("jo", &words, &pass("a third passphrase")).unwrap();

    // Another account's words, and words that can't be read.
    let (_, other, _) = account(&backend, "kit");
    let err = backend.recover("jo", &other.dangerously_expose_words(), &pass("yet another one")).unwrap_err();
    assert!(matches!(err, AccountError::WrongRecoveryWords), "{err:?}");
    let err = backend.recover("nobody", &words, &pass("yet another one")).unwrap_err();
    assert!(matches!(err, AccountError::WrongRecoveryWords), "{err:?}");
    let err = backend.recover("jo", "apple banana", &pass("yet another one")).unwrap_err();
    assert!(matches!(err, AccountError::UnreadableRecoveryWords(_)), "{err:?}");
    backend.sign_in("jo", &pass("a third passphrase")).unwrap();
}

#[test]
fn changing_the_passphrase_keeps_records_and_recovery_words() {
    let (_db, backend) = backend();
    let (session, recovery, store) = account(&backend, "lee");
    let entry = journal("kept through the change", 3);
    store.insert(&entry).unwrap();
    let err = backend
        .change_passphrase("lee", &pass("wrong old passphrase"), &pass("new passphrase 1"))
        .unwrap_err();
    assert!(matches!(err, AccountError::WrongCredentials));
    let err = backend.change_passphrase("lee", &pass("a good long passphrase"), &pass("short")).unwrap_err();
    assert!(matches!(err, AccountError::WeakPassphrase));
    backend.change_passphrase("lee", &pass("a good long passphrase"), &pass("new passphrase 1")).unwrap();
    // The session signed in before the change still works.
    assert_eq!(store.count(None).unwrap(), 1);
    assert_eq!(session.username(), "lee");
    assert!(backend.sign_in("lee", &pass("a good long passphrase")).is_err());
    let again = backend.sign_in("lee", &pass("new passphrase 1")).unwrap();
    assert_eq!(backend.store_for(&again).get(entry.id).unwrap(), Some(entry));
    backend.recover("lee", &recovery.dangerously_expose_words(), &pass("after the change")).unwrap();
}

#[test]
fn deleting_an_account_leaves_nothing_of_it() {
    let (db, backend) = backend();
    let (gone, _, store) = account(&backend, "leaving");
    let (_, _, stays) = account(&backend, "staying");
    store.insert_many(&every_kind("farewell")).unwrap();
    store.set_setting("country", &serde_json::json!("GB")).unwrap();
    stays.insert(&journal("not mine to lose", 1)).unwrap();
    let id = gone.account_id().as_uuid();

    let err = backend.delete_account("leaving", &pass("not the passphrase")).unwrap_err();
    assert!(matches!(err, AccountError::WrongCredentials));
    assert_eq!(store.count(None).unwrap(), 10, "a refused deletion deletes nothing");
    backend.delete_account("leaving", &pass("a good long passphrase")).unwrap();

    // Seen with row-level security out of the way: not a row, not a wrapped key.
    let mut su = Client::connect(&db.super_url, NoTls).unwrap();
    for table in ["records", "settings"] {
        let n: i64 = su
            .query_one(&format!("SELECT count(*) FROM {table} WHERE account_id = $1"), &[&id])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table}");
    }
    let n: i64 = su
        .query_one("SELECT count(*) FROM accounts WHERE id = $1 OR username = 'leaving'", &[&id])
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    // The old session's store finds nothing and can't write.
    assert_eq!(store.count(None).unwrap(), 0);
    assert!(store.insert(&journal("after the end", 2)).is_err());
    assert!(matches!(
        backend.sign_in("leaving", &pass("a good long passphrase")),
        Err(AccountError::WrongCredentials)
    ));
    // The other account is untouched, and the name is free again.
    assert_eq!(stays.list(&ListQuery::default()).unwrap().len(), 1);
    let (_, _, fresh) = account(&backend, "leaving");
    assert_eq!(fresh.count(None).unwrap(), 0);
}
