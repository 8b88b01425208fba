//! Schema tests for the content files shipped with Thaw.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod guide;
mod medications;
mod selfcheck;
mod vocabulary;
mod writing;
