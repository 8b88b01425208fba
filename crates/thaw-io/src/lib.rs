//! Thaw's data in and out.
//!
//! - [`export`]: the complete JSON export (a versioned schema, documented in `docs/EXPORT.md`),
//!   one CSV file per record kind, and the journal as one Markdown document.
//! - [`backup`]: the JSON export streamed into an age file protected by a passphrase (scrypt),
//!   and reading it back for `thaw restore`.
//! - [`import`]: pure parsers for jrnl (JSON and plain text), Daylio (CSV), Day One (JSON),
//!   Pixels (JSON) and Thaw's own export, each producing an [`import::ImportPlan`] with a report
//!   of what was mapped and what could not be; then [`import::apply`] writes the plan through the
//!   [`Store`](thaw_store::Store) trait in one transaction.
//!
//! Everything here is generic over [`Record`](thaw_core::Record) and its serde JSON, so new record
//! kinds flow through export, backup and the Thaw importer without changes here.

pub mod backup;
mod error;
pub mod export;
pub mod import;
mod json_path;

pub use age::secrecy::SecretString;
pub use error::{BackupError, ExportError, ImportError};
pub use export::{EXPORT_FORMAT, EXPORT_VERSION, ExportMeta, ThawExport};
pub use import::{ImportPlan, ImportReport, Source, apply};
