//! Day One: `Journal.json` from the zipped JSON export,
//! `{"metadata": …, "entries": [{"uuid", "creationDate", "modifiedDate", "text", "tags", "starred",
//! "timeZone", "location", "weather", "photos", …}]}`.
//!
//! Each entry with text becomes a journal entry: the first line is the title (a leading `#` and
//! Day One's backslash escapes removed), the rest is the Markdown body; tags and the star are kept;
//! `creationDate` is when it happened, `modifiedDate` when it last changed. Photos, videos, audio,
//! PDFs, location and weather are reported as not imported (references to photos stay in the text
//! where Day One put them).

use serde_json::Value;
use thaw_core::{RecordBody, Timestamp};

use super::{Context, ImportPlan, Source, derive_id, journal_entry};
use crate::ImportError;
use crate::json_path::{self, At};

/// Attachments and metadata Thaw doesn't keep, and how to describe them.
const NOT_KEPT: [(&str, &str); 6] = [
    ("photos", "photos"),
    ("videos", "videos"),
    ("audios", "audio recordings"),
    ("pdfAttachments", "PDF attachments"),
    ("location", "a location"),
    ("weather", "weather"),
];

pub fn parse(text: &str, _ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
    let root: Value = json_path::parse(text, "read as a Day One export")?;
    let root = At::root(&root);
    root.object()?;
    let entries = root.get("entries").ok_or_else(|| {
        ImportError::format(
            "This JSON has no \"entries\" list, so it isn't a Day One export. Import the Journal.json from \
             inside Day One's zipped JSON export.",
        )
    })?;
    let mut plan = ImportPlan::new(Source::DayOne);
    for entry in entries.items()? {
        entry.object()?;
        let created = timestamp(&entry.require("creationDate")?)?;
        let modified = match entry.get("modifiedDate") {
            Some(m) => timestamp(&m)?.max(created),
            None => created,
        };
        for (key, what) in NOT_KEPT {
            let present = entry.get(key).is_some_and(|v| match v.value {
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !o.is_empty(),
                _ => true,
            });
            if present {
                plan.report.unmapped(
                    format!("entries with {what}"),
                    "Thaw keeps the text only; references to photos stay in the text",
                    entry.path(),
                );
            }
        }
        let text = entry.opt_str("text")?.unwrap_or_default().replace("\r\n", "\n");
        if text.trim().is_empty() {
            plan.report.unmapped("an entry without text", "there was no text to import", entry.path());
            continue;
        }
        let (title, body) = split_title(&text);
        let tags: Vec<String> = entry.opt_str_list("tags")?;
        for tag in &tags {
            plan.report.mapped(format!("tag \"{tag}\""), "tag");
        }
        let starred = entry.opt_bool("starred")?;
        if starred {
            plan.report.mapped("starred entries", "starred");
        }
        let uuid = entry.opt_str("uuid")?.unwrap_or_default();
        let id = if uuid.is_empty() {
            derive_id(Source::DayOne, &[&created.rfc3339(), &text])
        } else {
            derive_id(Source::DayOne, &[uuid])
        };
        let journal = journal_entry(&title, &body, &tags, starred, &mut plan.report, entry.path())?;
        plan.records.push(thaw_core::Record {
            id,
            at: created,
            created_at: created,
            updated_at: modified,
            body: RecordBody::Journal(journal),
        });
    }
    Ok(plan.finish())
}

fn timestamp(at: &At<'_>) -> Result<Timestamp, ImportError> {
    let text = at.str()?;
    text.trim().parse::<jiff::Timestamp>().map(Timestamp::from_jiff).map_err(|_| {
        at.error(format!(
            "expected a date and time like 2025-03-05T07:40:00Z, found \"{}\"",
            text.chars().take(40).collect::<String>()
        ))
    })
}

/// The first non-empty line (without `#` and Day One's escapes) and the rest.
fn split_title(text: &str) -> (String, String) {
    let text = text.trim_start();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let title = unescape(first.trim().trim_start_matches('#').trim());
    (title, rest.trim().to_owned())
}

/// Day One writes Markdown with punctuation escaped (`Hello\.`); a title is plain text.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_the_first_line() {
        assert_eq!(
            split_title("# A day\\. Really\\!\n\nBody *here*"),
            ("A day. Really!".into(), "Body *here*".into())
        );
        assert_eq!(split_title("\n\nJust one line"), ("Just one line".into(), String::new()));
        assert_eq!(unescape("a\\\\b\\x"), "a\\b\\x");
    }
}
