//! What can go wrong moving data in and out. Messages say what happened and what to do; they name
//! the line (CSV, text) or the field (JSON path) of a bad input, and never quote journal text
//! beyond the few characters needed to find the spot.

use thaw_store::StoreError;
use thiserror::Error;

/// A file that can't be imported. Nothing is written when parsing fails.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportError {
    /// A problem on one line of a CSV or text file (lines count from 1).
    #[error("line {line}: {message}")]
    Line { line: u64, message: String },

    /// A problem at one place in a JSON file, named by its path (`entries[3].date`).
    #[error("{path}: {message}")]
    Field { path: String, message: String },

    /// The file as a whole is not what the chosen importer reads.
    #[error("{0}")]
    Format(String),
}

impl ImportError {
    pub(crate) fn line(line: u64, message: impl Into<String>) -> Self {
        Self::Line { line, message: message.into() }
    }

    pub(crate) fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Field { path: path.into(), message: message.into() }
    }

    pub(crate) fn format(message: impl Into<String>) -> Self {
        Self::Format(message.into())
    }
}

/// An export that could not be written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("Couldn't write the export: {0}")]
    Io(#[from] std::io::Error),

    #[error("Couldn't write the CSV file: {0}")]
    Csv(String),

    #[error("A record couldn't be turned into JSON: {0}")]
    Json(String),
}

impl From<csv::Error> for ExportError {
    fn from(err: csv::Error) -> Self {
        match err.into_kind() {
            csv::ErrorKind::Io(io) => ExportError::Io(io),
            other => ExportError::Csv(format!("{other:?}")),
        }
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(err: serde_json::Error) -> Self {
        if err.is_io() {
            ExportError::Io(std::io::Error::other(err.to_string()))
        } else {
            ExportError::Json(err.to_string())
        }
    }
}

/// A backup that could not be written or read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum BackupError {
    #[error("The backup passphrase is not correct. Nothing was changed. Check it and try again.")]
    WrongPassphrase,

    #[error("This file isn't a Thaw backup ({0}). Nothing was changed.")]
    NotABackup(String),

    #[error(
        "The backup file is damaged or incomplete ({0}). Nothing was changed. Try another copy of your backup."
    )]
    Damaged(String),

    #[error("The backup opened, but its content can't be read: {0}")]
    Content(#[from] ImportError),

    #[error(transparent)]
    Export(#[from] ExportError),

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("Couldn't read or write the backup file: {0}")]
    Io(#[from] std::io::Error),
}
