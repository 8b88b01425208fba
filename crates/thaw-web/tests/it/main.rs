//! Server tests: the real server on port 0 with a fresh vault, driven over HTTP like a browser
//! (cookie, forms, CSRF token) or a script (bearer token, JSON).

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod api;
mod edit;
mod fuzz_api;
mod harness;
mod hosted;
mod installable;
mod meds;
mod openapi;
mod pages;
mod security;
mod selfcheck;
mod snapshots;
mod sync;
mod understanding;
mod visit;
