//! Where Thaw keeps records: the [`Store`] trait, its SQLite + SQLCipher implementation, and the
//! vault directory that ties the encrypted database to its key file.
//!
//! No SQL or driver type crosses the trait: edges speak in `thaw-core` records.

mod changes;
mod error;
mod migrations;
mod sqlite;
#[cfg(feature = "story")]
pub mod story;
mod vault_dir;

use thaw_core::ids::IdRef;
use thaw_core::{Record, RecordId, RecordKind, Timestamp};

pub use changes::{
    Applied, ApplyReport, Change, Changed, Cursor, Decision, Resolution, Tombstone, apply_each, decide,
    is_same, newer, resolve,
};
pub use error::StoreError;
pub use sqlite::SqliteStore;
pub use vault_dir::{LoosePermission, Settled, VaultDir};

/// Which records to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Only these kinds; empty means every kind.
    pub kinds: Vec<RecordKind>,
    /// Records at or after this instant.
    pub from: Option<Timestamp>,
    /// Records strictly before this instant.
    pub to: Option<Timestamp>,
    pub limit: Option<usize>,
    /// Oldest first when false.
    pub newest_first: bool,
}

impl ListQuery {
    pub fn kind(kind: RecordKind) -> Self {
        Self { kinds: vec![kind], newest_first: true, ..Self::default() }
    }
}

/// A full-text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the person typed: words, each matched as a word prefix, all must appear.
    pub text: String,
    /// Only these kinds; empty means every kind.
    pub kinds: Vec<RecordKind>,
    pub limit: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub record: Record,
    /// A short piece of the text around the first match.
    pub snippet: String,
}

/// Records in, records out. Every implementation must pass `story::run` (feature `story`).
///
/// Writes are durable when they return `Ok`: a confirmed record survives a crash or power cut.
pub trait Store: Send + Sync {
    /// Adds a new record. Fails with [`StoreError::Duplicate`] if its id exists.
    fn insert(&self, record: &Record) -> Result<(), StoreError>;
    /// Adds many records in one transaction, skipping ids that already exist; returns how many
    /// were added. All or nothing.
    fn insert_many(&self, records: &[Record]) -> Result<usize, StoreError>;
    /// Replaces an existing record (same id and kind).
    fn update(&self, record: &Record) -> Result<(), StoreError>;
    /// Removes a record and its search entry.
    fn delete(&self, id: RecordId) -> Result<(), StoreError>;
    fn get(&self, id: RecordId) -> Result<Option<Record>, StoreError>;
    /// Finds the one record whose id starts with `prefix` (optionally of one kind).
    fn resolve(&self, prefix: &IdRef, kind: Option<RecordKind>) -> Result<RecordId, StoreError>;
    fn list(&self, query: &ListQuery) -> Result<Vec<Record>, StoreError>;
    fn count(&self, kind: Option<RecordKind>) -> Result<u64, StoreError>;
    /// The most recently written matches, newest first by when they happened. (Ranking every match
    /// by relevance costs time in proportion to the number of matches; a journal search is read
    /// newest first, like jrnl's.)
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError>;
    fn setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError>;
    fn set_setting(&self, key: &str, value: &serde_json::Value) -> Result<(), StoreError>;
    fn remove_setting(&self, key: &str) -> Result<(), StoreError>;
    /// Every setting, sorted by key.
    fn settings(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError>;

    // Change tracking, for sync (docs/SYNC.md). Every insert, update and delete above takes the
    // next [`Cursor`]; a delete leaves a [`Tombstone`]. Settings are not tracked.

    /// The cursor of the latest change (0 when nothing was ever written).
    fn cursor(&self) -> Result<Cursor, StoreError>;
    /// Up to `limit` changes after `cursor`, oldest first: each record's current version or its
    /// tombstone, at the cursor of its latest change (earlier versions are not kept).
    fn changes_since(&self, cursor: Cursor, limit: usize) -> Result<Vec<Changed>, StoreError>;
    /// The current state of each of `ids` that the store has a record or a tombstone for, in the
    /// order of `ids`.
    fn versions(&self, ids: &[RecordId]) -> Result<Vec<Changed>, StoreError>;
    /// Applies `changes` in one transaction. A change the store already reflects is
    /// [`Applied::Unchanged`]. With `unchanged_since`, any other change whose record (or
    /// tombstone) changed after that cursor (other than earlier in this batch) is an
    /// [`Applied::Conflict`] and is not written — the
    /// check and the write are atomic, so two writers can't both win. A deletion of a record the
    /// store never had writes nothing.
    fn apply(&self, changes: &[Change], unchanged_since: Option<Cursor>) -> Result<ApplyReport, StoreError>;
}

/// Opens a person's store once their data key is known: how an edge gets a `Box<dyn Store>`
/// without naming the backend (the SQLite vault folder here; other backend crates implement it
/// too).
pub trait OpenStore {
    fn open_store(&self, key: &thaw_vault::DataKey) -> Result<Box<dyn Store>, StoreError>;
}

impl OpenStore for VaultDir {
    fn open_store(&self, key: &thaw_vault::DataKey) -> Result<Box<dyn Store>, StoreError> {
        Ok(Box::new(self.open(key)?))
    }
}

/// Builds a short snippet of `text` around the first place any of `terms` starts a word.
pub fn snippet(text: &str, terms: &[String], width: usize) -> String {
    let lower = text.to_lowercase();
    let hit = terms
        .iter()
        .filter_map(|t| lower.find(&t.to_lowercase()))
        .min()
        .filter(|_| lower.len() == text.len());
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    match hit {
        Some(byte) => {
            let chars_before = text[..byte].chars().count();
            let start = chars_before.saturating_sub(width / 3);
            let piece: String = text.chars().skip(start).take(width).collect();
            let mut out = flat(&piece);
            if start > 0 {
                out.insert(0, '…');
            }
            if start + width < text.chars().count() {
                out.push('…');
            }
            out
        }
        None => {
            let piece: String = text.chars().take(width).collect();
            let mut out = flat(&piece);
            if text.chars().count() > width {
                out.push('…');
            }
            out
        }
    }
}

/// Splits what a person typed into search terms: words of letters and digits.
pub fn search_terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|t| t.trim_matches('\'').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}
