//! CLI integration tests: the real `thaw` binary, run in temporary folders like a person would.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod assess;
mod comforts;
mod harness;
mod host;
mod io;
mod journal;
mod learn;
mod meds;
mod parity;
mod pty;
mod records;
mod reliability;
mod report;
mod safety;
mod secrets;
mod selfcheck;
mod sync;
mod synchost;
mod talk;
mod understanding;
mod vault;
mod web;
