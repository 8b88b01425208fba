//! thaw-report: the summary model, charts, every rendering, and FHIR checked by an independent
//! validator.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod build;
mod charts;
mod fhir;
mod fixture;
mod pages;
mod pdf;
