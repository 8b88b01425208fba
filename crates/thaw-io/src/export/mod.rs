//! Exports: the complete JSON document (re-importable without loss), CSV per record kind, and a
//! Markdown journal. Everything reads through the [`Store`] trait and works on the serde JSON of
//! whole records, so new record kinds are exported without changes here.

mod csv_table;
mod markdown;
mod ordered;

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thaw_core::{Record, Timestamp};
use thaw_store::{ListQuery, Store, StoreError};

use crate::ExportError;

pub use csv_table::{CsvTable, csv_tables};
pub use markdown::markdown;

/// The `format` field of every Thaw export.
pub const EXPORT_FORMAT: &str = "thaw-export";
/// The schema version this build writes and the newest it reads. Raised only when a change would
/// make older Thaw versions misread a file; adding fields does not raise it.
pub const EXPORT_VERSION: u32 = 1;

/// What the caller knows that the store doesn't: when, and which Thaw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportMeta {
    pub exported_at: Timestamp,
    pub app_version: String,
}

/// The complete content of a vault, as written to `thaw export --format json` and inside every
/// backup. Documented in `docs/EXPORT.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThawExport {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// The schema version, [`EXPORT_VERSION`] for files this build writes.
    pub version: u32,
    pub exported_at: Timestamp,
    /// The Thaw version that wrote the file.
    pub app_version: String,
    /// The version of the feelings vocabulary the words in the records come from.
    #[serde(default)]
    pub vocabulary_version: u32,
    /// Every setting in the vault, by key (personal words, country, …).
    pub settings: BTreeMap<String, Value>,
    /// Every record of every kind, oldest first (by `at`, then `id`).
    pub records: Vec<Record>,
}

impl ThawExport {
    /// Reads everything from the store.
    pub fn from_store(store: &dyn Store, meta: &ExportMeta) -> Result<Self, StoreError> {
        let query = ListQuery { kinds: Vec::new(), from: None, to: None, limit: None, newest_first: false };
        let records = sorted(store.list(&query)?);
        let settings = store.settings()?.into_iter().collect();
        Ok(Self {
            format: EXPORT_FORMAT.to_owned(),
            version: EXPORT_VERSION,
            exported_at: meta.exported_at,
            app_version: meta.app_version.clone(),
            vocabulary_version: thaw_core::vocabulary().version(),
            settings,
            records,
        })
    }

    /// Writes the document as pretty-printed JSON with a final newline. Streams: no copy of the
    /// whole text is built in memory (the backup writes straight into the encrypting writer).
    pub fn write_json<W: Write>(&self, mut out: W) -> Result<W, ExportError> {
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        Ok(out)
    }
}

/// Records in export order: by `at`, then by id, so the same vault always exports the same way.
pub fn sorted(mut records: Vec<Record>) -> Vec<Record> {
    records.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    records
}

/// A record's `type` as in its JSON (`checkin`, `journal`, …).
pub(crate) fn type_of(record: &Record) -> &'static str {
    record.kind().as_str()
}
