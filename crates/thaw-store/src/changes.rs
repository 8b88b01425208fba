//! Change tracking, for sync (docs/SYNC.md): every write gets the next number of the store's
//! change sequence, deletions leave tombstones, and a batch of changes can be applied on the
//! condition that nothing it touches changed after a given cursor.

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

/// Whether `change` would leave a store as it is, given the record's current state there
/// (`None`: no record and no tombstone). What [`crate::Store::apply`] calls unchanged.
pub fn is_same(current: Option<&Change>, change: &Change) -> bool {
    match (current, change) {
        (Some(Change::Put { record: now }), Change::Put { record }) => now == record,
        (None | Some(Change::Delete { .. }), Change::Delete { .. }) => true,
        _ => false,
    }
}
