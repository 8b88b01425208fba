//! The vocabulary a person sees: the shipped words plus their own.
//!
//! Same rule and settings key as the CLI (`crates/thaw/src/session.rs`); when a shared home for it
//! exists in `thaw-store`, both edges should call that instead.

use thaw_core::Vocabulary;
use thaw_core::vocab::Emotion;
use thaw_store::{Store, StoreError};

/// Personal vocabulary words kept in the vault's settings (the CLI's `thaw words add`).
pub(crate) const PERSONAL_WORDS: &str = "personal_words";

pub(crate) fn vocabulary(store: &dyn Store) -> Result<Vocabulary, StoreError> {
    let base = thaw_core::vocabulary();
    let personal: Vec<Emotion> = match store.setting(PERSONAL_WORDS)? {
        Some(v) => {
            serde_json::from_value(v).map_err(|e| StoreError::Damaged(format!("personal words: {e}")))?
        }
        None => Vec::new(),
    };
    if personal.is_empty() {
        return Ok(base.clone());
    }
    base.with_personal(&personal).map_err(|e| StoreError::Damaged(format!("personal words: {e}")))
}
