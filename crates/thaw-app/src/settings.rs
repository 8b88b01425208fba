//! Typed settings: each key declared once, with the type of its value. Every edge reads and
//! writes settings through [`get`], [`set`] and [`remove`], so a key is never a string literal
//! at an edge and a value is always checked against its type.

use serde::Serialize;
use serde::de::DeserializeOwned;
use thaw_core::safety::SafetyPlan;
use thaw_core::settings::IdleLock;
use thaw_core::vocab::Emotion;
use thaw_store::Store;

use crate::AppError;

/// A setting kept in the vault: its key and the type of its value.
pub trait Setting {
    const KEY: &'static str;
    type Value: Serialize + DeserializeOwned;
}

/// Which country's crisis lines to show: an ISO 3166-1 alpha-2 code (GB, US …).
pub struct Country;
impl Setting for Country {
    const KEY: &'static str = thaw_core::settings::COUNTRY;
    type Value = String;
}

/// Whether the person was already asked for their country (asked once, kindly, never again).
pub struct CountryAsked;
impl Setting for CountryAsked {
    const KEY: &'static str = "country_asked";
    type Value = bool;
}

/// Minutes without activity after which the web app locks the vault.
pub struct IdleLockMinutes;
impl Setting for IdleLockMinutes {
    const KEY: &'static str = thaw_core::settings::IDLE_LOCK_MINUTES;
    type Value = u32;
}

/// The person's safety plan.
pub struct Plan;
impl Setting for Plan {
    const KEY: &'static str = "safety_plan";
    type Value = SafetyPlan;
}

/// Feeling words the person added to the vocabulary.
pub struct PersonalWords;
impl Setting for PersonalWords {
    const KEY: &'static str = "personal_words";
    type Value = Vec<Emotion>;
}

/// The person's questions for their next visit.
pub struct VisitQuestions;
impl Setting for VisitQuestions {
    const KEY: &'static str = thaw_report::questions::KEY;
    type Value = Vec<String>;
}

/// A setting's value, or `None` when it was never set.
pub fn get<S: Setting>(store: &dyn Store) -> Result<Option<S::Value>, AppError> {
    match store.setting(S::KEY)? {
        None => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(|e| AppError::damaged(format!("the setting \"{}\" can't be read: {e}", S::KEY))),
    }
}

pub fn set<S: Setting>(store: &dyn Store, value: &S::Value) -> Result<(), AppError> {
    let json = serde_json::to_value(value)
        .map_err(|e| AppError::Report(format!("the setting \"{}\" can't be written: {e}", S::KEY)))?;
    Ok(store.set_setting(S::KEY, &json)?)
}

pub fn remove<S: Setting>(store: &dyn Store) -> Result<(), AppError> {
    Ok(store.remove_setting(S::KEY)?)
}

/// The idle lock, falling back to its default when unset or unusable.
pub fn idle_lock(store: &dyn Store) -> Result<IdleLock, AppError> {
    Ok(IdleLock::from_setting(store.setting(IdleLockMinutes::KEY)?.as_ref()))
}

/// The person's safety plan, when it has something in it.
pub fn plan(store: &dyn Store) -> Result<Option<SafetyPlan>, AppError> {
    Ok(get::<Plan>(store)?.filter(|p| !p.is_empty()))
}
