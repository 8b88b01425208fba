//! thaw-io against real encrypted vaults: importers on fixture files (tests/fixtures), export
//! round trips as property tests, backups.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod backup;
mod export;
mod importers;
mod roundtrip;
mod support;
