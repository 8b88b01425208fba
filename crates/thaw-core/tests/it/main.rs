//! Schema tests for the content files shipped with Thaw.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod crisis_lines;
mod guide;
mod instruments;
mod item9;
mod medications;
mod parsers;
mod risk_phrases;
mod selfcheck;
mod vocabulary;
mod writing;
