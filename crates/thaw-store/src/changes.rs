//! Change tracking, for sync (docs/SYNC.md): every write gets the next number of the store's
//! change sequence, deletions leave tombstones, and a batch of changes can be applied on the
//! condition that nothing it touches changed after a given cursor.
//!
//! The rules are written here once, as pure functions: [`decide`] is what every backend's
//! [`crate::Store::apply`] does with one change (write it, or not: unchanged or a conflict), and
//! [`resolve`] is what a syncing device does with one change pulled from the other side (take it,
//! keep its own, or keep both). Property tests of both are in `tests/it/changes.rs`.

use serde::{Deserialize, Serialize};
use thaw_core::{Record, RecordId, RecordKind, Timestamp};

/// A position in a store's change sequence: the number of the latest change seen. Every insert,
/// update and delete takes the next number, so "everything after cursor c" is exactly what
/// changed since a reader was at c. 0 is before the first change. Numbers only grow; they are
/// local to one store (a vault and an account each have their own).
pub type Cursor = u64;

/// What is left of a deleted record: which record it was and when it went. No content.
/// Tombstones are kept for good (docs/SYNC.md: a device may come back after years, and one is a
/// few dozen bytes); a record written again under the same id replaces its tombstone.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: RecordId,
    pub kind: RecordKind,
    pub deleted_at: Timestamp,
}

/// One change to one record: its new version, or its deletion.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Put { record: Record },
    Delete { tombstone: Tombstone },
}

impl Change {
    pub fn id(&self) -> RecordId {
        match self {
            Change::Put { record } => record.id,
            Change::Delete { tombstone } => tombstone.id,
        }
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            Change::Put { record } => record.kind(),
            Change::Delete { tombstone } => tombstone.kind,
        }
    }

    /// The record, unless this is a deletion.
    pub fn record(&self) -> Option<&Record> {
        match self {
            Change::Put { record } => Some(record),
            Change::Delete { .. } => None,
        }
    }
}

/// A change as the store holds it: with the cursor it was given.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    #[cfg_attr(feature = "openapi", schema(value_type = u64))]
    pub cursor: Cursor,
    #[serde(flatten)]
    pub change: Change,
}

/// What became of one change given to [`crate::Store::apply`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Applied {
    /// Written, under this cursor.
    Written {
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        cursor: Cursor,
    },
    /// The store already held exactly this (the same record, or the record was already deleted or
    /// never existed): nothing was written. Sending a change twice lands here the second time.
    Unchanged,
    /// The record changed after the given cursor (its current change is at `current`): nothing
    /// was written.
    Conflict {
        #[cfg_attr(feature = "openapi", schema(value_type = u64))]
        current: Cursor,
    },
}

/// What [`crate::Store::apply`] did with a batch, all in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyReport {
    /// The store's cursor just before the batch: nothing else was written between it and the
    /// batch's own changes.
    pub before: Cursor,
    /// The store's cursor just after the batch.
    pub after: Cursor,
    /// One outcome per change, in order.
    pub outcomes: Vec<Applied>,
}

/// What [`crate::Store::apply`] does with one change. Backends only carry it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    /// The store already holds exactly this: nothing to write ([`Applied::Unchanged`]).
    Unchanged,
    /// The record changed after the caller's cursor: nothing written ([`Applied::Conflict`]).
    Conflict { current: Cursor },
    /// Write the record as a new row: there was none, or a tombstone that it replaces.
    Insert(&'a Record),
    /// Replace the record's row.
    Update(&'a Record),
    /// Remove the record's row and leave this tombstone.
    Delete(&'a Tombstone),
}

/// Decides what [`crate::Store::apply`] does with `change`, given the record's current version in
/// the store (`None`: no row and no tombstone), the caller's condition (`unchanged_since`: write
/// only if the record hasn't changed after this cursor) and the store's cursor when the batch
/// began (`batch_start`: changes the batch itself made after it are never conflicts, so a batch
/// may touch one record twice).
///
/// - A change the store already holds exactly is [`Decision::Unchanged`] whatever the condition:
///   sending a batch again is harmless (idempotent re-apply).
/// - Otherwise, a record changed after `unchanged_since` (and before the batch) is a
///   [`Decision::Conflict`]: the caller hasn't seen that version, so it can't overwrite it.
/// - Otherwise the change is written: a put inserts (or replaces a tombstone) or updates, a
///   deletion of a live record deletes it.
pub fn decide<'a>(
    current: Option<&Changed>,
    change: &'a Change,
    unchanged_since: Option<Cursor>,
    batch_start: Cursor,
) -> Decision<'a> {
    if is_same(current.map(|c| &c.change), change) {
        return Decision::Unchanged;
    }
    if let (Some(since), Some(now)) = (unchanged_since, current)
        && now.cursor > since
        && now.cursor <= batch_start
    {
        return Decision::Conflict { current: now.cursor };
    }
    match (current.map(|c| &c.change), change) {
        (Some(Change::Put { .. }), Change::Put { record }) => Decision::Update(record),
        (None | Some(Change::Delete { .. }), Change::Put { record }) => Decision::Insert(record),
        // A deletion of something already gone is `is_same`, above.
        (_, Change::Delete { tombstone }) => Decision::Delete(tombstone),
    }
}

/// Carries out a batch for [`crate::Store::apply`], inside the backend's one transaction: for each
/// change, reads the record's current version (`read`), [`decide`]s, and has `write` carry the
/// decision out, returning the store's cursor after the write. The loop every backend shares;
/// a backend only says how to read a version and how to write (both get `ctx`, its transaction).
///
/// # Errors
///
/// The first error of `read` or `write`; the caller's transaction then rolls the batch back.
pub fn apply_each<C, E>(
    ctx: &mut C,
    changes: &[Change],
    unchanged_since: Option<Cursor>,
    batch_start: Cursor,
    mut read: impl FnMut(&mut C, RecordId) -> Result<Option<Changed>, E>,
    mut write: impl FnMut(&mut C, Decision<'_>) -> Result<Cursor, E>,
) -> Result<Vec<Applied>, E> {
    let mut outcomes = Vec::with_capacity(changes.len());
    for change in changes {
        let current = read(ctx, change.id())?;
        outcomes.push(match decide(current.as_ref(), change, unchanged_since, batch_start) {
            Decision::Unchanged => Applied::Unchanged,
            Decision::Conflict { current } => Applied::Conflict { current },
            decision => Applied::Written { cursor: write(ctx, decision)? },
        });
    }
    Ok(outcomes)
}

/// What a syncing device does with one change pulled from the server ([`resolve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// This device already holds exactly that: nothing to do.
    Same,
    /// Write the pulled change here as it is.
    Take,
    /// Keep this device's version (an edit, where the server deleted the record): it is pushed
    /// next, bringing the record back on the server.
    KeepMine,
    /// Both sides edited, the server's version is the newer: write it, and keep this device's
    /// version (given) as a conflict copy.
    TakeAndCopyMine(&'a Record),
    /// Both sides edited, this device's version is the newer: keep it, and keep the server's
    /// version (given) as a conflict copy.
    KeepMineAndCopyTheirs(&'a Record),
}

/// Decides what a pulled change (`theirs`) does on this device, given this device's current
/// version of the record (`mine`) and its push cursor (`pushed`: a local change after it hasn't
/// reached the server yet, so the record changed on both sides since they last agreed).
///
/// - The same on both sides: nothing to do.
/// - Changed only on the server: take it (edits and deletions travel).
/// - Deleted here, edited there, or edited here, deleted there: **the edit is kept**.
/// - Edited on both sides: **both are kept**; the newer ([`newer`]) under the record's id, the
///   other as a conflict copy. Every device decides the same, whichever syncs first.
pub fn resolve<'a>(mine: Option<&'a Changed>, theirs: &'a Change, pushed: Cursor) -> Resolution<'a> {
    if is_same(mine.map(|m| &m.change), theirs) {
        return Resolution::Same;
    }
    let Some(mine) = mine.filter(|m| m.cursor > pushed) else {
        return Resolution::Take;
    };
    match (&mine.change, theirs) {
        (Change::Delete { .. }, _) => Resolution::Take,
        (Change::Put { .. }, Change::Delete { .. }) => Resolution::KeepMine,
        (Change::Put { record: mine }, Change::Put { record: theirs }) => {
            if newer(theirs, mine) {
                Resolution::TakeAndCopyMine(mine)
            } else {
                Resolution::KeepMineAndCopyTheirs(theirs)
            }
        }
    }
}

/// Whether `a` wins over `b` when both are edits of one record: the one edited later
/// (`updated_at`); on a tie, a fixed order of their contents, so every device decides the same.
pub fn newer(a: &Record, b: &Record) -> bool {
    match a.updated_at.cmp(&b.updated_at) {
        std::cmp::Ordering::Equal => {
            serde_json::to_vec(a).unwrap_or_default() > serde_json::to_vec(b).unwrap_or_default()
        }
        other => other.is_gt(),
    }
}

/// Whether `change` would leave a store as it is, given the record's current state there
/// (`None`: no record and no tombstone). What [`crate::Store::apply`] calls unchanged.
pub fn is_same(current: Option<&Change>, change: &Change) -> bool {
    match (current, change) {
        (Some(Change::Put { record: now }), Change::Put { record }) => now == record,
        (None | Some(Change::Delete { .. }), Change::Delete { .. }) => true,
        _ => false,
    }
}
