//! Thaw's own JSON export (and the content of a backup). Records keep their ids, so importing the
//! same export twice adds nothing the second time.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use thaw_core::{Record, Timestamp};

use super::{ImportPlan, Source};
use crate::ImportError;
use crate::export::{EXPORT_FORMAT, EXPORT_VERSION, ThawExport};
use crate::json_path::{self, At};

/// Reads and checks a whole export. Every record must be one this version of Thaw knows.
pub fn parse_document(text: &str) -> Result<ThawExport, ImportError> {
    if text.starts_with(crate::backup::AGE_MAGIC) {
        return Err(ImportError::format(
            "This is an encrypted Thaw backup. Use `thaw restore FILE` to make a new vault from it.",
        ));
    }
    let root: Value = json_path::parse(text, "read as a Thaw export")?;
    let root = At::root(&root);
    let not_thaw = || {
        ImportError::format(format!(
            "This JSON isn't a Thaw export: its \"format\" field should be \"{EXPORT_FORMAT}\". To bring in \
             another app's data, use `thaw import jrnl|daylio|pixels|dayone FILE`."
        ))
    };
    root.object().map_err(|_| not_thaw())?;
    let format = root.get("format").ok_or_else(not_thaw)?;
    if format.str()? != EXPORT_FORMAT {
        return Err(not_thaw());
    }
    let version_at = root.require("version")?;
    let version = version_at
        .value
        .as_u64()
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| *v >= 1)
        .ok_or_else(|| version_at.error("expected a schema version number like 1"))?;
    if version > EXPORT_VERSION {
        return Err(version_at.error(format!(
            "this export was written by a newer version of Thaw (schema {version}; this version reads up to \
             {EXPORT_VERSION}). Please update Thaw and try again."
        )));
    }
    let exported_at_at = root.require("exported_at")?;
    let exported_at = Timestamp::deserialize(exported_at_at.value)
        .map_err(|_| exported_at_at.error("expected a date and time like 2025-03-05T07:40:00Z"))?;
    let app_version = root.opt_str("app_version")?.unwrap_or_default().to_owned();
    let vocabulary_version = match root.get("vocabulary_version") {
        Some(v) => v
            .value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| v.error("expected a whole number"))?,
        None => 0,
    };
    let mut settings = BTreeMap::new();
    if let Some(s) = root.get("settings") {
        for (key, value) in s.object()? {
            settings.insert(key.clone(), value.clone());
        }
    }
    let mut records = Vec::new();
    for item in root.require("records")?.items()? {
        // Strings Thaw itself would have refused (control characters; text-direction marks in
        // short fields) are cleaned rather than failing the whole file.
        let mut value = item.value.clone();
        sanitise_strings(&mut value);
        let record = Record::deserialize(&value).map_err(|e| {
            let mut message = e.to_string();
            if message.contains("unknown variant") {
                message.push_str(". This export may come from a newer version of Thaw; please update Thaw.");
            }
            item.error(message)
        })?;
        records.push(record);
    }
    Ok(ThawExport {
        format: EXPORT_FORMAT.to_owned(),
        version,
        exported_at,
        app_version,
        vocabulary_version,
        settings,
        records,
    })
}

/// A plan from an export: its records (same ids) and its settings.
pub fn parse(text: &str) -> Result<ImportPlan, ImportError> {
    plan_of(parse_document(text)?)
}

/// A plan from an export already read (a backup being restored).
pub fn plan_of(export: ThawExport) -> Result<ImportPlan, ImportError> {
    let mut plan = ImportPlan::new(Source::Thaw);
    plan.records = export.records;
    plan.settings = export.settings.into_iter().collect();
    Ok(plan.finish())
}

/// Cleans every string in a record's JSON as [`thaw_core::text::sanitise`] does; strings of up to
/// 200 characters without a line break count as one-line fields (titles, names, words).
fn sanitise_strings(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let one_line = !s.contains('\n') && s.chars().count() <= thaw_core::record::MAX_SHORT;
            let (clean, changed) = thaw_core::text::sanitise(s, one_line);
            if changed {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sanitise_strings),
        Value::Object(map) => map.values_mut().for_each(sanitise_strings),
        _ => {}
    }
}
