//! The sync engine between two vaults and a "server" that is a third store, reached through the
//! same server-side flows the API routes call.

use std::collections::BTreeSet;

use proptest::prelude::*;
use thaw_app::sync::{
    BATCH, CONFLICT_MARK, ChangesPage, PushReply, PushRequest, Remote, RemoteError, StoreRemote, SyncReport,
};
use thaw_app::{App, Clock};
use thaw_core::{JournalEntry, Person, Record, RecordBody, RecordId, Timestamp};
use thaw_store::{Cursor, ListQuery, SqliteStore, Store};

use super::vault;

const SERVER: &str = "https://thaw.example";
const USER: &str = "sam";

fn at(minute: i64) -> Timestamp {
    Timestamp::from_millis(1_780_000_000_000 + minute * 60_000).unwrap()
}

fn app(store: &SqliteStore) -> App<'_> {
    App::new(store, Clock::fixed(at(0), jiff::tz::TimeZone::UTC))
}

fn sync(store: &SqliteStore, server: &SqliteStore) -> SyncReport {
    app(store).sync(&mut StoreRemote(server), SERVER, USER).unwrap()
}

fn entry(title: &str, body: &str, minute: i64) -> Record {
    Record::new(RecordBody::Journal(JournalEntry::new(title, body, &[], vec![]).unwrap()), None, at(minute))
}

fn edited(record: &Record, body: &str, minute: i64) -> Record {
    let mut r = record.clone();
    if let RecordBody::Journal(j) = &mut r.body {
        j.body = body.into();
    }
    r.updated_at = at(minute);
    r
}

fn records(store: &dyn Store) -> Vec<Record> {
    let mut all = store.list(&ListQuery::default()).unwrap();
    all.sort_by_key(|r| r.id);
    all
}

fn bodies(store: &dyn Store) -> BTreeSet<String> {
    records(store)
        .into_iter()
        .filter_map(|r| match r.body {
            RecordBody::Journal(j) => Some(j.body),
            _ => None,
        })
        .collect()
}

#[test]
fn two_vaults_converge_and_edits_and_deletions_travel_both_ways() {
    let (_a, a) = vault();
    let (_b, b) = vault();
    let (_s, server) = vault();
    let first = entry("Monday", "grey lake", 1);
    let second = entry("Tuesday", "long walk", 2);
    a.insert_many(&[first.clone(), second.clone()]).unwrap();
    let person = Record::new(RecordBody::Person(Person::new("Robin", None, None).unwrap()), None, at(3));
    b.insert(&person).unwrap();

    assert_eq!(sync(&a, &server), SyncReport { pushed: 2, pulled: 0, conflicts: 0 });
    assert_eq!(sync(&b, &server), SyncReport { pushed: 1, pulled: 2, conflicts: 0 });
    assert_eq!(sync(&a, &server).pulled, 1);
    assert_eq!(records(&a), records(&b));
    assert_eq!(records(&a), records(&server));

    // B edits one entry and deletes the other; A deletes the person.
    b.update(&edited(&first, "grey lake, then sun", 10)).unwrap();
    b.delete(second.id).unwrap();
    a.delete(person.id).unwrap();
    sync(&b, &server);
    sync(&a, &server);
    sync(&b, &server);
    assert_eq!(records(&a), records(&b));
    assert_eq!(bodies(&a), BTreeSet::from(["grey lake, then sun".to_owned()]));
    assert!(a.get(person.id).unwrap().is_none() && b.get(person.id).unwrap().is_none());

    // Running it again changes nothing anywhere.
    let cursors = (a.cursor().unwrap(), b.cursor().unwrap(), server.cursor().unwrap());
    assert_eq!(sync(&a, &server), SyncReport::default());
    assert_eq!(sync(&b, &server), SyncReport::default());
    assert_eq!(cursors, (a.cursor().unwrap(), b.cursor().unwrap(), server.cursor().unwrap()));
    let state = app(&a).sync_state().unwrap().unwrap();
    assert_eq!((state.server.as_str(), state.username.as_str()), (SERVER, USER));
    assert_eq!(state.last_synced, Some(at(0)));
}

#[test]
fn a_record_changed_on_both_sides_keeps_both_texts() {
    let (_a, a) = vault();
    let (_b, b) = vault();
    let (_s, server) = vault();
    let shared = entry("Sunday", "first draft", 1);
    a.insert(&shared).unwrap();
    sync(&a, &server);
    sync(&b, &server);
    a.update(&edited(&shared, "written on the laptop", 5)).unwrap();
    b.update(&edited(&shared, "written on the phone", 6)).unwrap();
    assert_eq!(sync(&a, &server).conflicts, 0);
    assert_eq!(sync(&b, &server).conflicts, 1);
    sync(&a, &server);
    assert_eq!(records(&a), records(&b));
    assert_eq!(records(&a), records(&server));
    // The later edit (the phone's) stays under the id; the laptop's is a marked copy.
    let kept = a.get(shared.id).unwrap().unwrap();
    assert!(matches!(&kept.body, RecordBody::Journal(j) if j.body == "written on the phone"));
    let copy = records(&a).into_iter().find(|r| r.id != shared.id).unwrap();
    let RecordBody::Journal(j) = &copy.body else { panic!("the copy is a journal entry") };
    assert_eq!(j.body, "written on the laptop");
    assert_eq!(j.title, format!("Sunday {CONFLICT_MARK}"));
    assert_eq!(sync(&b, &server), SyncReport::default());
}

#[test]
fn the_older_side_keeps_its_copy_too_when_it_syncs_second() {
    let (_a, a) = vault();
    let (_b, b) = vault();
    let (_s, server) = vault();
    let shared = entry("Sunday", "first draft", 1);
    a.insert(&shared).unwrap();
    sync(&a, &server);
    sync(&b, &server);
    a.update(&edited(&shared, "the newer words", 9)).unwrap();
    b.update(&edited(&shared, "the older words", 4)).unwrap();
    sync(&a, &server);
    assert_eq!(sync(&b, &server).conflicts, 1);
    sync(&a, &server);
    assert_eq!(records(&a), records(&b));
    assert_eq!(bodies(&a), BTreeSet::from(["the newer words".to_owned(), "the older words".to_owned()]));
    assert!(
        matches!(&a.get(shared.id).unwrap().unwrap().body, RecordBody::Journal(j) if j.body == "the newer words")
    );
}

#[test]
fn an_edit_wins_over_a_deletion_on_either_side() {
    for deleter_first in [true, false] {
        let (_a, a) = vault();
        let (_b, b) = vault();
        let (_s, server) = vault();
        let shared = entry("Thursday", "draft", 1);
        a.insert(&shared).unwrap();
        sync(&a, &server);
        sync(&b, &server);
        a.delete(shared.id).unwrap();
        b.update(&edited(&shared, "kept words", 5)).unwrap();
        if deleter_first {
            sync(&a, &server);
            sync(&b, &server);
        } else {
            sync(&b, &server);
            sync(&a, &server);
        }
        sync(&a, &server);
        sync(&b, &server);
        assert_eq!(bodies(&a), BTreeSet::from(["kept words".to_owned()]), "deleter first: {deleter_first}");
        assert_eq!(records(&a), records(&b));
        assert_eq!(records(&a), records(&server));
    }
}

/// Counts requests, and can fail like a dropped connection: before the server sees a request,
/// or after the server applied it but before the answer arrives.
struct Flaky<'a> {
    inner: StoreRemote<'a>,
    calls: usize,
    fail_at: Option<(usize, bool)>,
}

impl Remote for Flaky<'_> {
    fn changes(&mut self, since: Cursor, limit: usize) -> Result<ChangesPage, RemoteError> {
        self.calls += 1;
        match self.fail_at {
            Some((n, after)) if n == self.calls => {
                if after {
                    let _ = self.inner.changes(since, limit)?;
                }
                Err(RemoteError::Unreachable("dropped".into()))
            }
            _ => self.inner.changes(since, limit),
        }
    }

    fn push(&mut self, request: &PushRequest) -> Result<PushReply, RemoteError> {
        self.calls += 1;
        match self.fail_at {
            Some((n, after)) if n == self.calls => {
                if after {
                    let _ = self.inner.push(request)?;
                }
                Err(RemoteError::Unreachable("dropped".into()))
            }
            _ => self.inner.push(request),
        }
    }
}

#[test]
fn batches_of_many_records_and_a_sync_cut_off_anywhere_ends_the_same() {
    let many: Vec<Record> =
        (0..(BATCH * 2 + 37)).map(|i| entry("day", &format!("entry {i}"), i as i64)).collect();
    // An uninterrupted run: how many requests it takes.
    let (_a, a) = vault();
    let (_s, server) = vault();
    a.insert_many(&many).unwrap();
    let mut remote = Flaky { inner: StoreRemote(&server), calls: 0, fail_at: None };
    app(&a).sync(&mut remote, SERVER, USER).unwrap();
    let total = remote.calls;
    assert!((4..=8).contains(&total), "{total} requests for {} records", many.len());
    let expected = records(&server);
    assert_eq!(expected.len(), many.len());

    // Cut off at every request, before and after the server acted, then run again.
    for n in 1..=total {
        for after in [false, true] {
            let (_a, a) = vault();
            let (_b, b) = vault();
            let (_s, server) = vault();
            a.insert_many(&many).unwrap();
            let mut remote = Flaky { inner: StoreRemote(&server), calls: 0, fail_at: Some((n, after)) };
            assert!(app(&a).sync(&mut remote, SERVER, USER).is_err());
            sync(&a, &server);
            sync(&b, &server);
            assert_eq!(records(&server), expected, "cut at {n} (after: {after})");
            assert_eq!(records(&b), expected);
            assert_eq!(sync(&a, &server), SyncReport::default());
        }
    }
}

#[test]
fn another_server_or_account_starts_again_without_duplicates() {
    let (_a, a) = vault();
    let (_s, one) = vault();
    let (_t, two) = vault();
    a.insert(&entry("x", "words", 1)).unwrap();
    sync(&a, &one);
    app(&a).sync(&mut StoreRemote(&two), "https://other.example", USER).unwrap();
    assert_eq!(records(&two), records(&a));
    assert_eq!(app(&a).sync_state().unwrap().unwrap().server, "https://other.example");
}

/// One step of a random history on two devices.
#[derive(Debug, Clone)]
enum Op {
    Add { device: usize },
    Edit { device: usize, pick: usize },
    Delete { device: usize, pick: usize },
    Sync { device: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let device = 0..2usize;
    prop_oneof![
        3 => device.clone().prop_map(|device| Op::Add { device }),
        3 => (device.clone(), any::<usize>()).prop_map(|(device, pick)| Op::Edit { device, pick }),
        1 => (device.clone(), any::<usize>()).prop_map(|(device, pick)| Op::Delete { device, pick }),
        2 => device.prop_map(|device| Op::Sync { device }),
    ]
}

fn text_of(r: &Record) -> Option<String> {
    match &r.body {
        RecordBody::Journal(j) => Some(j.body.clone()),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any interleaving of edits, deletions and syncs on two devices ends, after a final round of
    /// syncs, with both devices and the server holding the same records; and no sync loses text
    /// its device wrote since its last sync.
    #[test]
    fn random_histories_converge_and_lose_no_unsynced_text(ops in proptest::collection::vec(op(), 1..40)) {
        let (_a, a) = vault();
        let (_b, b) = vault();
        let (_s, server) = vault();
        let devices = [&a, &b];
        // Texts written (added or edited) on each device since its last sync.
        let mut unsynced: [BTreeSet<String>; 2] = Default::default();
        let mut minute = 0i64;
        for (n, op) in ops.iter().enumerate() {
            minute += 1;
            match *op {
                Op::Add { device } => {
                    let text = format!("added {n} on {device}");
                    devices[device].insert(&entry("t", &text, minute)).unwrap();
                    unsynced[device].insert(text);
                }
                Op::Edit { device, pick } => {
                    let all = records(devices[device]);
                    if all.is_empty() { continue; }
                    let target = &all[pick % all.len()];
                    let text = format!("edit {n} on {device}");
                    devices[device].update(&edited(target, &text, minute)).unwrap();
                    if let Some(old) = text_of(target) { unsynced[device].remove(&old); }
                    unsynced[device].insert(text);
                }
                Op::Delete { device, pick } => {
                    let all = records(devices[device]);
                    if all.is_empty() { continue; }
                    let target = &all[pick % all.len()];
                    devices[device].delete(target.id).unwrap();
                    if let Some(old) = text_of(target) { unsynced[device].remove(&old); }
                }
                Op::Sync { device } => {
                    sync(devices[device], &server);
                    let after = bodies(devices[device]);
                    for text in &unsynced[device] {
                        prop_assert!(after.contains(text), "sync lost {text:?} on device {device}");
                    }
                    unsynced[device].clear();
                }
            }
        }
        for _ in 0..2 {
            sync(&a, &server);
            sync(&b, &server);
        }
        prop_assert_eq!(records(&a), records(&b));
        prop_assert_eq!(records(&a), records(&server));
        let ids: BTreeSet<RecordId> = records(&a).iter().map(|r| r.id).collect();
        prop_assert_eq!(ids.len(), records(&a).len());
        prop_assert_eq!(sync(&a, &server), SyncReport::default());
    }
}
