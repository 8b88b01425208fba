//! CLI integration tests: the real `thaw` binary, run in temporary folders like a person would.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod harness;
mod journal;
mod records;
mod vault;
mod web;
