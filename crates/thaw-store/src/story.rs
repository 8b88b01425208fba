//! The conformance story: one long sequence of what a person does, which every [`Store`]
//! implementation must pass (SQLite now, PostgreSQL later). Call [`run`] on an empty store.

use thaw_core::ids::IdRef;
use thaw_core::{
    Absence, Activity, ActivityKind, CheckIn, Felt, Intensity, JournalEntry, Person, Reaction, ReactionStyle,
    Record, RecordBody, RecordKind, Release, ReleaseKind, Timestamp,
};

use crate::{Applied, Change, Changed, Cursor, ListQuery, SearchQuery, Store, StoreError, Tombstone};

fn at(day: u32) -> Timestamp {
    Timestamp::from_millis(1_735_732_800_000 + i64::from(day) * 86_400_000).expect("fixed date is valid")
}

fn rec(body: RecordBody, day: u32) -> Record {
    Record::new(body, Some(at(day)), at(day))
}

fn ensure(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(format!("story failed: {what}")) }
}

/// Runs the story; returns a description of the first step that failed.
pub fn run(store: &dyn Store) -> Result<(), String> {
    let e = |err: StoreError| format!("store error: {err}");
    let i = |n: u8| Intensity::new(n).expect("constant intensity");
    ensure(store.count(None).map_err(e)? == 0, "starts empty")?;

    // Day 0: a check-in, a journal entry.
    let felt = |w: &str, n| Felt { word: w.to_owned(), intensity: Some(i(n)) };
    let checkin = rec(
        RecordBody::Checkin(
            CheckIn::new(
                vec![felt("hurt", 6), felt("tired", 4)],
                vec!["tight-chest".into()],
                Some("after the call"),
                true,
                None,
            )
            .map_err(|x| x.to_string())?,
        ),
        0,
    );
    store.insert(&checkin).map_err(e)?;
    ensure(matches!(store.insert(&checkin), Err(StoreError::Duplicate(_))), "duplicate insert is refused")?;
    let journal = rec(
        RecordBody::Journal(
            JournalEntry::new(
                "Sunday",
                "The lake was grey and I felt nothing much.",
                &["weekend".into()],
                vec![],
            )
            .map_err(|x| x.to_string())?,
        ),
        0,
    );
    store.insert(&journal).map_err(e)?;

    // Day 1-3: one of every other kind.
    let reaction = rec(
        RecordBody::Reaction(
            Reaction::new(
                "Bad news at work",
                i(7),
                vec![ReactionStyle::Humour, ReactionStyle::KeptBusy],
                vec!["scared".into()],
                None,
            )
            .map_err(|x| x.to_string())?,
        ),
        1,
    );
    let activity = rec(
        RecordBody::Activity(
            Activity::new(ActivityKind::Painting, 45, Some("kitchen table"), i(3), i(6), None)
                .map_err(|x| x.to_string())?,
        ),
        2,
    );
    let release = rec(
        RecordBody::Release(
            Release::new(ReleaseKind::TearedUp, i(4), Some("an old song"), Some(i(7)), Some(activity.id))
                .map_err(|x| x.to_string())?,
        ),
        2,
    );
    let person = rec(
        RecordBody::Person(
            Person::new("Robin", Some("phone"), Some("good listener")).map_err(|x| x.to_string())?,
        ),
        3,
    );
    let numb = rec(
        RecordBody::Checkin(
            CheckIn::new(vec![], vec![], None, false, Some(Absence::Nothing)).map_err(|x| x.to_string())?,
        ),
        3,
    );
    let added = store
        .insert_many(&[
            reaction.clone(),
            activity.clone(),
            release.clone(),
            person.clone(),
            numb.clone(),
            checkin.clone(),
        ])
        .map_err(e)?;
    ensure(added == 5, "insert_many adds new records and skips existing ids")?;
    ensure(store.count(None).map_err(e)? == 7, "seven records")?;
    ensure(store.count(Some(RecordKind::Checkin)).map_err(e)? == 2, "two check-ins")?;

    // Reading back is exact.
    ensure(store.get(release.id).map_err(e)?.as_ref() == Some(&release), "get returns the same record")?;
    let all = store.list(&ListQuery::default()).map_err(e)?;
    ensure(
        all.len() == 7 && all.first().map(|r| r.id) == Some(checkin.id),
        "list is oldest first by default",
    )?;
    let recent =
        store.list(&ListQuery { limit: Some(2), newest_first: true, ..ListQuery::default() }).map_err(e)?;
    ensure(recent.len() == 2 && recent[0].at == at(3), "newest first with a limit")?;
    let window =
        store.list(&ListQuery { from: Some(at(1)), to: Some(at(3)), ..ListQuery::default() }).map_err(e)?;
    ensure(window.len() == 3, "from is inclusive, to is exclusive")?;
    let checkins = store.list(&ListQuery::kind(RecordKind::Checkin)).map_err(e)?;
    ensure(checkins.len() == 2 && checkins[0].id == numb.id, "filter by kind, newest first")?;

    // Ids resolve from a prefix.
    let prefix = IdRef::parse(&person.id.to_string()).map_err(|x| x.to_string())?;
    ensure(store.resolve(&prefix, None).map_err(e)? == person.id, "a full id resolves")?;
    ensure(store.resolve(&prefix, Some(RecordKind::Journal)).is_err(), "resolve honours the kind")?;
    let none = IdRef::parse("ffffffffffff").map_err(|x| x.to_string())?;
    ensure(matches!(store.resolve(&none, None), Err(StoreError::NotFound(_))), "unknown prefix is NotFound")?;

    // Search finds words in every kind, by prefix, case-insensitively; operators are inert.
    let search = |text: &str| store.search(&SearchQuery { text: text.into(), kinds: vec![], limit: 50 });
    ensure(search("lake").map_err(e)?.len() == 1, "search finds a journal word")?;
    ensure(search("LAK").map_err(e)?.len() == 1, "search matches word prefixes")?;
    ensure(
        search("kitchen").map_err(e)?.first().map(|h| h.record.id) == Some(activity.id),
        "search finds an activity place",
    )?;
    ensure(search("listener").map_err(e)?.len() == 1, "search finds a person's note")?;
    ensure(search("old song").map_err(e)?.len() == 1, "all words must match")?;
    ensure(search("song banana").map_err(e)?.is_empty(), "a missing word means no match")?;
    ensure(
        search("\"NEAR( OR * -").map_err(e)?.is_empty() || search("\"NEAR( OR * -").is_ok(),
        "operators don't break search",
    )?;
    ensure(search("").map_err(e)?.is_empty(), "empty search finds nothing")?;
    let only = store
        .search(&SearchQuery { text: "hurt".into(), kinds: vec![RecordKind::Journal], limit: 10 })
        .map_err(e)?;
    ensure(only.is_empty(), "search honours kinds")?;

    // Update re-indexes; delete removes from list and search.
    let mut edited = journal.clone();
    if let RecordBody::Journal(j) = &mut edited.body {
        j.body = "The sea was loud and I cried a little.".into();
    }
    edited.updated_at = at(5);
    store.update(&edited).map_err(e)?;
    ensure(
        search("lake").map_err(e)?.is_empty() && search("sea").map_err(e)?.len() == 1,
        "update re-indexes",
    )?;
    ensure(store.get(journal.id).map_err(e)? == Some(edited.clone()), "update is stored")?;
    store.delete(reaction.id).map_err(e)?;
    ensure(store.get(reaction.id).map_err(e)?.is_none(), "deleted record is gone")?;
    ensure(search("news").map_err(e)?.is_empty(), "deleted record leaves search")?;
    ensure(matches!(store.delete(reaction.id), Err(StoreError::NotFound(_))), "deleting twice is NotFound")?;

    // Settings round-trip.
    store.set_setting("country", &serde_json::json!("GB")).map_err(e)?;
    store.set_setting("country", &serde_json::json!("IE")).map_err(e)?;
    ensure(store.setting("country").map_err(e)? == Some(serde_json::json!("IE")), "settings overwrite")?;
    ensure(store.settings().map_err(e)?.len() == 1, "settings list")?;
    store.remove_setting("country").map_err(e)?;
    ensure(store.setting("country").map_err(e)?.is_none(), "settings remove")?;

    changes(store, reaction.id)
}

/// Change tracking: cursors, tombstones, changes in order, conditional batches. Runs after the
/// story above, which left six records and one deletion (`deleted`).
fn changes(store: &dyn Store, deleted: thaw_core::RecordId) -> Result<(), String> {
    let e = |err: StoreError| format!("store error: {err}");
    let all = |store: &dyn Store| store.changes_since(0, 1000);
    let start = store.cursor().map_err(e)?;
    let history = all(store).map_err(e)?;
    ensure(history.len() == 7, "every record and the tombstone are changes")?;
    ensure(history.windows(2).all(|w| w[0].cursor < w[1].cursor), "changes come in cursor order")?;
    ensure(history.last().map(|c| c.cursor) == Some(start), "the cursor is the latest change's")?;
    ensure(
        history.iter().any(|c| {
            matches!(&c.change, Change::Delete { tombstone } if tombstone.id == deleted
            && tombstone.kind == RecordKind::Reaction)
        }),
        "a deletion leaves a tombstone with its id and kind",
    )?;
    ensure(store.changes_since(start, 10).map_err(e)?.is_empty(), "nothing after the latest cursor")?;
    let paged = store.changes_since(0, 3).map_err(e)?;
    ensure(paged.len() == 3 && paged[..] == history[..3], "changes come in pages of the limit")?;

    // Every write takes the next cursor, and only the touched record moves.
    let mut person = history
        .iter()
        .find_map(|c| c.change.record().filter(|r| r.kind() == RecordKind::Person).cloned())
        .ok_or("story failed: the person is a change")?;
    if let RecordBody::Person(p) = &mut person.body {
        p.note = Some("calls on Sundays".into());
    }
    store.update(&person).map_err(e)?;
    let after_update = store.changes_since(start, 10).map_err(e)?;
    ensure(
        after_update.len() == 1
            && after_update[0].cursor > start
            && after_update[0].change.record() == Some(&person),
        "an update is one change after the cursor",
    )?;
    let newer = rec(RecordBody::Person(Person::new("Alex", None, None).map_err(|x| x.to_string())?), 9);
    ensure(
        store.insert_many(std::slice::from_ref(&person)).map_err(e)? == 0
            && store.cursor().map_err(e)? == after_update[0].cursor,
        "a skipped insert changes nothing",
    )?;

    // Applying: a new record, the same again, a conditional write that lost, a deletion.
    let mark = store.cursor().map_err(e)?;
    let report = store.apply(&[Change::Put { record: newer.clone() }], Some(mark)).map_err(e)?;
    ensure(
        report.before == mark
            && matches!(report.outcomes[..], [Applied::Written { cursor }] if cursor > mark)
            && report.after > mark,
        "apply writes a new record under the next cursor",
    )?;
    ensure(store.get(newer.id).map_err(e)?.as_ref() == Some(&newer), "an applied record reads back")?;
    ensure(
        store.search(&SearchQuery { text: "alex".into(), kinds: vec![], limit: 5 }).map_err(e)?.len() == 1,
        "an applied record is searchable",
    )?;
    let again = store.apply(&[Change::Put { record: newer.clone() }], Some(0)).map_err(e)?;
    ensure(
        again.outcomes == [Applied::Unchanged] && again.after == again.before,
        "applying the same record again writes nothing, whatever the cursor",
    )?;
    let mut edited = newer.clone();
    if let RecordBody::Person(p) = &mut edited.body {
        p.note = Some("from the other phone".into());
    }
    let stale = store.apply(&[Change::Put { record: edited.clone() }], Some(mark)).map_err(e)?;
    ensure(
        matches!(stale.outcomes[..], [Applied::Conflict { current }] if current == report.after),
        "a write based on an old cursor is a conflict",
    )?;
    ensure(store.get(newer.id).map_err(e)?.as_ref() == Some(&newer), "a conflict writes nothing")?;
    let gone = Tombstone { id: newer.id, kind: RecordKind::Person, deleted_at: at(10) };
    let removed = store
        .apply(
            &[Change::Put { record: edited.clone() }, Change::Delete { tombstone: gone.clone() }],
            Some(report.after),
        )
        .map_err(e)?;
    ensure(
        matches!(removed.outcomes[..], [Applied::Written { .. }, Applied::Written { .. }]),
        "a batch applies its changes in order",
    )?;
    ensure(store.get(newer.id).map_err(e)?.is_none(), "an applied deletion removes the record")?;
    let version: Vec<Changed> =
        store.versions(&[newer.id, deleted, thaw_core::RecordId::new()]).map_err(e)?;
    ensure(
        version.len() == 2
            && version[0].change == Change::Delete { tombstone: gone.clone() }
            && version[0].cursor == removed.after,
        "versions gives each known id's record or tombstone",
    )?;
    let twice = store.apply(&[Change::Delete { tombstone: gone }], Some(0)).map_err(e)?;
    ensure(twice.outcomes == [Applied::Unchanged], "deleting a deleted record changes nothing")?;
    let never = Tombstone { id: thaw_core::RecordId::new(), kind: RecordKind::Journal, deleted_at: at(10) };
    let never = store.apply(&[Change::Delete { tombstone: never }], None).map_err(e)?;
    ensure(never.outcomes == [Applied::Unchanged], "deleting an unknown record writes nothing")?;

    // A record written again under a deleted id comes back, and its tombstone goes.
    let back = store.apply(&[Change::Put { record: edited.clone() }], Some(removed.after)).map_err(e)?;
    ensure(matches!(back.outcomes[..], [Applied::Written { .. }]), "a deleted record can come back")?;
    let tail: Vec<Changed> = store.changes_since(removed.after, 10).map_err(e)?;
    ensure(
        tail.len() == 1 && tail[0].change.record() == Some(&edited),
        "the record replaces its tombstone in the changes",
    )?;
    let last: Cursor = store.cursor().map_err(e)?;
    ensure(last == back.after, "the cursor follows every write")?;
    Ok(())
}
