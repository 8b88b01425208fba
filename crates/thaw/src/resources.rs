//! Crisis resources at the edges: which country to show, the person's safety plan, and the
//! gentle follow-ups after saving text or a check-in. The decisions are `thaw_core::safety`'s;
//! this module reads what they need from the vault and prints their lines.
//!
//! Nothing here can fail a command: the record is already saved when these run, so any problem
//! reading the vault falls back to the international directory rather than hiding help.

use anyhow::Result;
use thaw_core::safety::crisis::{country_from_locale, parse_country};
use thaw_core::safety::{self, SafetyPlan, crisis_for};
use thaw_core::{Assessment, Record, RecordBody, RecordKind};
use thaw_store::{ListQuery, Store, StoreError};

/// The settings key of the safety plan (stored encrypted in the vault, like every setting).
pub const PLAN_KEY: &str = "safety_plan";

/// The country from the locale: LC_ALL, then LC_MESSAGES, then LANG (`en_GB.UTF-8` → GB).
pub fn locale_country() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .and_then(|locale| country_from_locale(&locale))
}

/// The country whose crisis lines to show: `--country`, else the `country` setting, else the
/// locale. `None` means the international directory.
pub fn country(flag: Option<&str>, store: Option<&dyn Store>) -> Result<Option<String>> {
    if let Some(flag) = flag {
        return Ok(Some(parse_country(flag)?));
    }
    let setting = store
        .and_then(|s| s.setting("country").ok().flatten())
        .and_then(|v| v.as_str().and_then(|c| parse_country(c).ok()));
    Ok(setting.or_else(locale_country))
}

/// The person's safety plan, if they have written one.
pub fn plan(store: &dyn Store) -> Result<Option<SafetyPlan>> {
    match store.setting(PLAN_KEY)? {
        None => Ok(None),
        Some(value) => {
            let plan: SafetyPlan = serde_json::from_value(value)
                .map_err(|e| StoreError::Damaged(format!("the safety plan can't be read: {e}")))?;
            Ok(Some(plan))
        }
    }
}

/// Prints follow-up lines after a blank line: on standard output, or on standard error when the
/// output is JSON (so scripts still get clean JSON, and a person still sees the message).
pub fn print_lines(lines: &[String], json: bool) {
    if lines.is_empty() {
        return;
    }
    let text = format!("\n{}", lines.join("\n"));
    if json {
        eprintln!("{text}");
    } else {
        println!("{text}");
    }
}

/// After saving a record with free text: if it holds risk language that `before` (the earlier
/// version of an edited record) didn't, show crisis resources once. Returns whether it did.
pub fn after_write(store: &dyn Store, record: &Record, before: Option<&Record>, json: bool) -> bool {
    let found = safety::risk::scan(&record.body.search_text());
    let new = match before {
        Some(old) => safety::new_risk(&safety::risk::scan(&old.body.search_text()), &found),
        None => found,
    };
    if new.is_empty() {
        return false;
    }
    let country = country(None, Some(store)).ok().flatten();
    let has_plan = plan(store).ok().flatten().is_some_and(|p| !p.is_empty());
    print_lines(&safety::text_followup(&new, &crisis_for(country.as_deref()), has_plan), json);
    true
}

/// After saving text that isn't a record (a question for a visit): the same gentle resources when
/// it holds risk language.
pub fn after_text(store: &dyn Store, text: &str, json: bool) {
    let found = safety::risk::scan(text);
    if found.is_empty() {
        return;
    }
    let country = country(None, Some(store)).ok().flatten();
    let has_plan = plan(store).ok().flatten().is_some_and(|p| !p.is_empty());
    print_lines(&safety::text_followup(&found, &crisis_for(country.as_deref()), has_plan), json);
}

/// After a check-in: resources for risk language in its note, or else the short reminder while
/// the most recent PHQ-9 had item 9 above 0.
pub fn after_checkin(store: &dyn Store, record: &Record, json: bool) {
    if after_write(store, record, None, json) {
        return;
    }
    let Ok(records) = store.list(&ListQuery::kind(RecordKind::Assessment)) else { return };
    let assessments = records.iter().filter_map(|r| match &r.body {
        RecordBody::Assessment(a) => Some(a),
        _ => None,
    });
    if safety::reminder_due(assessments) {
        print_lines(&[safety::CHECKIN_REMINDER.to_owned()], json);
    }
}

/// The earlier assessments of one instrument, newest first (for "since last time").
pub fn assessments_of<'a>(
    records: &'a [Record],
    instrument: &'a str,
) -> impl Iterator<Item = (&'a Record, &'a Assessment)> {
    records.iter().filter_map(move |r| match &r.body {
        RecordBody::Assessment(a) if a.instrument == instrument => Some((r, a)),
        _ => None,
    })
}
