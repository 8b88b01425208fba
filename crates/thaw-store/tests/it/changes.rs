//! The sync rules, once for every backend (`thaw_store::changes`): what `Store::apply` does with a
//! change ([`decide`]) and what a syncing device does with a pulled one ([`resolve`]). Properties
//! over generated states, then the same rules through a real SQLite store.

use proptest::prelude::*;
use thaw_core::{JournalEntry, Record, RecordBody, RecordId, RecordKind, Timestamp};
use thaw_store::{
    Applied, Change, Changed, Cursor, Decision, Resolution, Store, Tombstone, decide, is_same, newer, resolve,
};

fn at(minute: i64) -> Timestamp {
    Timestamp::from_millis(1_780_000_000_000 + minute * 60_000).unwrap()
}

/// The one record id these properties are about.
fn the_id() -> RecordId {
    RecordId::from_uuid(uuid_of(7))
}

fn uuid_of(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n)
}

/// A version of the record: a journal entry with one of a few texts, edited at one of a few
/// minutes (so ties happen).
fn put() -> impl Strategy<Value = Change> {
    (0..4usize, 0..3i64).prop_map(|(text, minute)| {
        let body = ["grey lake", "blue lake", "a long walk", "nothing much"][text];
        let entry = JournalEntry::new("Sunday", body, &[], vec![]).unwrap();
        let mut record = Record::new(RecordBody::Journal(entry), Some(at(0)), at(0));
        record.id = the_id();
        record.updated_at = at(minute);
        Change::Put { record }
    })
}

fn delete() -> impl Strategy<Value = Change> {
    (0..3i64).prop_map(|minute| Change::Delete {
        tombstone: Tombstone { id: the_id(), kind: RecordKind::Journal, deleted_at: at(minute) },
    })
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![3 => put(), 1 => delete()]
}

/// A store's current version of the record: none, or a change at a cursor.
fn current() -> impl Strategy<Value = Option<Changed>> {
    proptest::option::of((1..20u64, change()).prop_map(|(cursor, change)| Changed { cursor, change }))
}

/// What a store holds after carrying out `decision` (as a change at `cursor`).
fn carry_out(current: Option<Changed>, decision: Decision<'_>, cursor: Cursor) -> Option<Changed> {
    match decision {
        Decision::Unchanged | Decision::Conflict { .. } => current,
        Decision::Insert(record) | Decision::Update(record) => {
            Some(Changed { cursor, change: Change::Put { record: record.clone() } })
        }
        Decision::Delete(tombstone) => {
            Some(Changed { cursor, change: Change::Delete { tombstone: tombstone.clone() } })
        }
    }
}

fn text(change: &Change) -> Option<String> {
    match change {
        Change::Put { record: Record { body: RecordBody::Journal(j), .. } } => Some(j.body.clone()),
        _ => None,
    }
}

/// What a device ends with after resolving `theirs` against `mine`: the version under the id
/// (`None`: deleted) and the conflict copy's text, if any.
fn outcome(mine: &Change, theirs: &Change) -> (Option<String>, Option<String>) {
    let dirty = Changed { cursor: 10, change: mine.clone() };
    match resolve(Some(&dirty), theirs, 5) {
        Resolution::Same | Resolution::KeepMine => (text(mine), None),
        Resolution::Take => (text(theirs), None),
        Resolution::TakeAndCopyMine(copy) => (text(theirs), Some(text_of(copy))),
        Resolution::KeepMineAndCopyTheirs(copy) => (text(mine), Some(text_of(copy))),
    }
}

fn text_of(record: &Record) -> String {
    text(&Change::Put { record: record.clone() }).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Idempotent re-apply: once a change is written, applying it again is `Unchanged`, whatever
    /// cursor the caller gives; and a store already holding it never writes it.
    #[test]
    fn applying_a_change_again_changes_nothing(
        now in current(),
        change in change(),
        since in proptest::option::of(0..25u64),
        start in 0..25u64,
    ) {
        let decision = decide(now.as_ref(), &change, since, start);
        if is_same(now.as_ref().map(|c| &c.change), &change) {
            prop_assert_eq!(decision, Decision::Unchanged);
        }
        let after = carry_out(now.clone(), decision, 30);
        if !matches!(decision, Decision::Conflict { .. }) {
            for since in [None, Some(0), Some(29), Some(30)] {
                prop_assert_eq!(decide(after.as_ref(), &change, since, 30), Decision::Unchanged);
            }
        }
    }

    /// A conditional write is refused exactly when the record changed after the caller's base
    /// (and before this batch): the caller hasn't seen that version, so it must not be overwritten.
    /// Otherwise the store ends holding the change.
    #[test]
    fn a_record_changed_since_the_base_is_a_conflict(
        now in current(),
        change in change(),
        since in proptest::option::of(0..25u64),
        start in 0..25u64,
    ) {
        let decision = decide(now.as_ref(), &change, since, start);
        let same = is_same(now.as_ref().map(|c| &c.change), &change);
        let changed_since = match (&now, since) {
            (Some(c), Some(s)) => c.cursor > s && c.cursor <= start,
            _ => false,
        };
        prop_assert_eq!(matches!(decision, Decision::Conflict { .. }), !same && changed_since);
        if let Decision::Conflict { current } = decision {
            prop_assert_eq!(Some(current), now.as_ref().map(|c| c.cursor));
        }
        if !same && !changed_since {
            let after = carry_out(now.clone(), decision, 30);
            prop_assert!(is_same(after.as_ref().map(|c| &c.change), &change), "{:?} then {:?}", now, decision);
            // An update only over a live record; an insert only where there is none.
            let live = matches!(now, Some(Changed { change: Change::Put { .. }, .. }));
            let fits = match decision {
                Decision::Update(_) => live,
                Decision::Insert(_) => !live,
                _ => true,
            };
            prop_assert!(fits, "{:?} over {:?}", decision, now);
        }
    }

    /// Edited on both sides: both texts survive, the newer under the record's id, and both
    /// devices (whichever pulls the other's version) end the same.
    #[test]
    fn the_newer_edit_wins_and_the_other_is_kept_as_a_copy(mine in put(), theirs in put()) {
        let (Change::Put { record: a }, Change::Put { record: b }) = (&mine, &theirs) else { unreachable!() };
        let here = outcome(&mine, &theirs);
        let there = outcome(&theirs, &mine);
        if a == b {
            prop_assert_eq!(here, (text(&mine), None));
        } else {
            prop_assert_eq!(&here, &there, "both devices decide the same");
            let (winner, loser) = if newer(a, b) { (&mine, &theirs) } else { (&theirs, &mine) };
            prop_assert_eq!(here, (text(winner), text(loser)));
            // The later edit wins (equal times: a fixed order, checked above to agree).
            if a.updated_at != b.updated_at {
                prop_assert_eq!(newer(a, b), a.updated_at > b.updated_at);
            }
            prop_assert!(newer(a, b) != newer(b, a));
        }
    }

    /// An edit beats a deletion, on whichever side each was made.
    #[test]
    fn an_edit_beats_a_deletion(edit in put(), gone in delete()) {
        prop_assert_eq!(outcome(&edit, &gone), (text(&edit), None));
        prop_assert_eq!(outcome(&gone, &edit), (text(&edit), None));
    }

    /// Changed only on the server (or the same on both): taken as is, deletions included.
    #[test]
    fn a_change_made_only_on_the_other_side_is_taken(mine in proptest::option::of(change()), theirs in change()) {
        let clean = mine.map(|change| Changed { cursor: 3, change });
        let r = resolve(clean.as_ref(), &theirs, 5);
        if is_same(clean.as_ref().map(|c| &c.change), &theirs) {
            prop_assert_eq!(r, Resolution::Same);
        } else {
            prop_assert_eq!(r, Resolution::Take);
        }
    }
}

fn store() -> (tempfile::TempDir, thaw_store::SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let vault = thaw_store::VaultDir::new(dir.path().join("v"));
    let params = thaw_vault::KdfParams::new(1024, 1, 1).unwrap();
    let (store, _) = vault.create(&thaw_vault::Passphrase::new("changes passphrase".into()), params).unwrap();
    (dir, store)
}

/// A batch over a few records: versions and deletions, some records touched twice.
fn batch() -> impl Strategy<Value = Vec<(usize, Change)>> {
    proptest::collection::vec((0..4usize, change()), 1..12)
}

fn with_id(n: usize, base: u128, change: &Change) -> Change {
    let id = RecordId::from_uuid(uuid_of(base * 16 + n as u128));
    match change.clone() {
        Change::Put { mut record } => {
            record.id = id;
            Change::Put { record }
        }
        Change::Delete { mut tombstone } => {
            tombstone.id = id;
            Change::Delete { tombstone }
        }
    }
}

/// The rules through the real store: a batch sent twice changes nothing the second time
/// (every outcome `unchanged`, no new cursor); a batch conditioned on a base older than a
/// record's last change is refused for that record only.
#[test]
fn the_sqlite_store_applies_a_batch_once_however_often_it_is_sent() {
    let (_dir, store) = store();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let case = std::cell::Cell::new(0u128);
    runner
        .run(&(batch(), batch()), |(first, second)| {
            case.set(case.get() + 1);
            let first: Vec<Change> = first.iter().map(|(n, c)| with_id(*n, case.get(), c)).collect();
            let second: Vec<Change> = second.iter().map(|(n, c)| with_id(*n, case.get(), c)).collect();
            let base = store.cursor().unwrap();
            let once = store.apply(&first, Some(base)).unwrap();
            prop_assert!(once.outcomes.iter().all(|o| !matches!(o, Applied::Conflict { .. })), "{:?}", once);
            let cursor = store.cursor().unwrap();
            let feed = store.changes_since(base, 1000).unwrap();
            // Resent, with any base: nothing new. (Within a batch the last change of a record
            // wins, so only the final version of each record is "the same"; resend those.)
            let mut last = std::collections::HashMap::new();
            for c in &first {
                last.insert(c.id(), c.clone());
            }
            let finals: Vec<Change> = last.into_values().collect();
            for since in [None, Some(0), Some(base), Some(cursor)] {
                let again = store.apply(&finals, since).unwrap();
                prop_assert!(again.outcomes.iter().all(|o| *o == Applied::Unchanged), "{:?}", again);
                prop_assert_eq!(store.cursor().unwrap(), cursor);
            }
            prop_assert_eq!(store.changes_since(base, 1000).unwrap(), feed);
            // A second device that saw only `base` changes what the first batch didn't touch,
            // and is refused for what it did (unless it sends exactly what is there).
            let touched: std::collections::HashSet<RecordId> = once
                .outcomes
                .iter()
                .zip(&first)
                .filter(|(o, _)| matches!(o, Applied::Written { .. }))
                .map(|(_, c)| c.id())
                .collect();
            let stale = store.apply(&second, Some(base)).unwrap();
            for (o, c) in stale.outcomes.iter().zip(&second) {
                if touched.contains(&c.id()) {
                    prop_assert!(
                        matches!(o, Applied::Conflict { .. } | Applied::Unchanged),
                        "{:?} {:?}",
                        o,
                        c
                    );
                } else {
                    prop_assert!(!matches!(o, Applied::Conflict { .. }), "{:?} {:?}", o, c);
                }
            }
            Ok(())
        })
        .unwrap();
}
