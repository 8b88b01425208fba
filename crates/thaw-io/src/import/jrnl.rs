//! jrnl: its JSON export (`jrnl --format json`) and its plain-text journal file.
//!
//! Text: each entry starts on a line `[2025-03-05 07:40] Title. Body…` (also `07:40:00 AM`,
//! `07:40 PM`, or a bare date, which jrnl reads as 09:00). The title is the first sentence of that
//! line; the rest of the line and the following lines, up to the next entry, are the body. A
//! trailing ` *` (or a `* ` right after the date) marks a starred entry. `@tags` anywhere in the
//! text become tags without the `@`.
//!
//! Both forms derive the same record id for the same entry (date and minute, title, body), so a
//! journal imported once as text and once as JSON isn't doubled.

use jiff::civil::{Date, Time};
use serde_json::Value;
use thaw_core::RecordBody;

use super::text::{at_tags, local, parse_clock, parse_ymd, split_first_sentence};
use super::{Context, ImportPlan, ImportReport, Source, derive_id, journal_entry, located, record};
use crate::ImportError;
use crate::json_path::{self, At};

/// jrnl's time for entries written with a date only.
const DEFAULT_TIME: (i8, i8) = (9, 0);

/// Reads either form: JSON when the file starts with `{`, the text journal otherwise.
pub fn parse(text: &str, ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // jrnl v3 files start with "JRNLv3"; v2 is a bare Fernet token (base64 of 0x80 …).
    if text.starts_with("JRNLv") || text.starts_with("gAAAAA") {
        return Err(ImportError::format(
            "This jrnl journal is encrypted. Export it first with `jrnl --format json > journal.json` and \
             import that file.",
        ));
    }
    if text.trim_start().starts_with('{') { parse_json(text, ctx) } else { parse_text(text, ctx) }
}

/// One entry before it becomes a record.
struct Draft {
    at: String,
    date: Date,
    time: Time,
    title: String,
    body: String,
    tags: Vec<String>,
    starred: bool,
}

fn add(plan: &mut ImportPlan, draft: Draft, ctx: &Context<'_>) -> Result<(), ImportError> {
    let Draft { at, date, time, title, body, tags, starred } = draft;
    let when = local(date, time, ctx.tz)
        .ok_or_else(|| located(&at, format!("{date} {time} can't be placed in your time zone")))?;
    let minute = format!("{date} {}", time.strftime("%H:%M"));
    let id = derive_id(Source::Jrnl, &[&minute, title.trim(), body.trim()]);
    for tag in &tags {
        plan.report.mapped(format!("tag @{tag}"), format!("tag {}", tag.trim_start_matches('#')));
    }
    if starred {
        plan.report.mapped("starred entries", "starred");
    }
    let entry = journal_entry(&title, body.trim(), &tags, starred, &mut plan.report, &at)?;
    plan.records.push(record(id, when, RecordBody::Journal(entry)));
    Ok(())
}

/// The plain-text journal.
pub fn parse_text(text: &str, ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
    let mut plan = ImportPlan::new(Source::Jrnl);
    let mut current: Option<(Draft, Vec<&str>)> = None;
    let mut finished: Vec<(Draft, Vec<&str>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i as u64 + 1;
        match header(line) {
            Header::Entry { date, time, rest } => {
                if let Some(done) = current.take() {
                    finished.push(done);
                }
                let (head, starred) = star(rest);
                let (title, first_body) = split_first_sentence(head);
                let draft = Draft {
                    at: format!("line {number}"),
                    date,
                    time,
                    title: title.to_owned(),
                    body: String::new(),
                    tags: Vec::new(),
                    starred,
                };
                current = Some((draft, if first_body.is_empty() { Vec::new() } else { vec![first_body] }));
            }
            Header::BadDate(blob) => {
                return Err(ImportError::line(
                    number,
                    format!(
                        "\"[{}]\" starts an entry, but that isn't a date and time Thaw understands. \
                         jrnl writes them like [2025-03-05 07:40] or [2025-03-05 07:40:00 PM].",
                        blob.chars().take(40).collect::<String>()
                    ),
                ));
            }
            Header::None => match current.as_mut() {
                Some((_, lines)) => lines.push(line),
                None if line.trim().is_empty() => {}
                None => {
                    return Err(ImportError::line(
                        number,
                        "a jrnl journal starts with an entry line like \"[2025-03-05 07:40] Title\"; this \
                         line comes before any entry. If your jrnl uses another date format, export it with \
                         `jrnl --format json` and import that file.",
                    ));
                }
            },
        }
    }
    finished.extend(current);
    if finished.is_empty() {
        return Err(ImportError::format(
            "No jrnl entries found. Entries start with a line like \"[2025-03-05 07:40] Title\".",
        ));
    }
    for (mut draft, lines) in finished {
        draft.body = lines.join("\n").trim().to_owned();
        draft.tags = at_tags(&format!("{}\n{}", draft.title, draft.body));
        add(&mut plan, draft, ctx)?;
    }
    Ok(plan.finish())
}

enum Header<'a> {
    Entry { date: Date, time: Time, rest: &'a str },
    BadDate(&'a str),
    None,
}

/// `[date time] rest`: jrnl's entry line. A bracket that doesn't hold something date-like is
/// ordinary text; one that looks like a date but isn't one is an error.
fn header(line: &str) -> Header<'_> {
    let Some(inner) = line.strip_prefix('[') else { return Header::None };
    let Some(close) = inner.find(']') else { return Header::None };
    let (blob, after) = (&inner[..close], &inner[close + 1..]);
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return Header::None;
    }
    let date_like =
        blob.len() >= 5 && blob.as_bytes()[..4].iter().all(u8::is_ascii_digit) && blob.as_bytes()[4] == b'-';
    if !date_like {
        return Header::None;
    }
    match date_time(blob) {
        Some((date, time)) => Header::Entry { date, time, rest: after.trim() },
        None => Header::BadDate(blob),
    }
}

fn date_time(blob: &str) -> Option<(Date, Time)> {
    let blob = blob.trim();
    let split = blob.find([' ', 'T']);
    let (date, time) = match split {
        Some(i) => (&blob[..i], blob[i + 1..].trim()),
        None => (blob, ""),
    };
    let date = parse_ymd(date)?;
    let time = if time.is_empty() {
        Time::new(DEFAULT_TIME.0, DEFAULT_TIME.1, 0, 0).ok()?
    } else {
        parse_clock(time)?
    };
    Some((date, time))
}

/// jrnl's star: the entry line ends with `*` (jrnl then trims spaces and stars from both ends),
/// or, in some versions, a `*` comes right after the date.
fn star(rest: &str) -> (&str, bool) {
    let trimmed = rest.trim();
    if trimmed.ends_with('*') {
        (trimmed.trim_matches([' ', '*']), true)
    } else if let Some(after) = trimmed.strip_prefix("* ") {
        (after.trim(), true)
    } else {
        (trimmed, false)
    }
}

/// The JSON export: `{"tags": {…}, "entries": [{"title", "body", "date", "time", "tags",
/// "starred"}]}`.
pub fn parse_json(text: &str, ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
    let root: Value = json_path::parse(text, "read as a jrnl JSON export")?;
    let root = At::root(&root);
    root.object()?;
    let entries = root.get("entries").ok_or_else(|| {
        ImportError::format(
            "This JSON has no \"entries\" list, so it isn't a jrnl export (`jrnl --format json`).",
        )
    })?;
    let mut plan = ImportPlan::new(Source::Jrnl);
    for entry in entries.items()? {
        entry.object()?;
        let title = entry.require("title")?.str()?.to_owned();
        let body = entry.opt_str("body")?.unwrap_or_default().trim().to_owned();
        let date_at = entry.require("date")?;
        let date = parse_ymd(date_at.str()?).ok_or_else(|| {
            date_at.error(format!(
                "expected a date like 2025-03-05, found \"{}\"",
                clip(date_at.str().unwrap_or(""))
            ))
        })?;
        let time = match entry.get("time") {
            Some(t) => parse_clock(t.str()?).ok_or_else(|| {
                t.error(format!("expected a time like 07:40, found \"{}\"", clip(t.str().unwrap_or(""))))
            })?,
            None => {
                Time::new(DEFAULT_TIME.0, DEFAULT_TIME.1, 0, 0).map_err(|e| entry.error(e.to_string()))?
            }
        };
        let tags = match entry.get("tags") {
            Some(_) => entry
                .opt_str_list("tags")?
                .iter()
                .map(|t| t.trim().trim_start_matches('@').to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
            None => at_tags(&format!("{title}\n{body}")),
        };
        let starred = entry.opt_bool("starred")?;
        let draft = Draft { at: entry.path().to_owned(), date, time, title, body, tags, starred };
        add(&mut plan, draft, ctx)?;
    }
    unused_metadata(&root, &mut plan.report);
    Ok(plan.finish())
}

/// jrnl's tag counts are recomputed from the entries; say so only if they disagree.
fn unused_metadata(root: &At<'_>, report: &mut ImportReport) {
    if let Some(tags) = root.get("tags")
        && let Some(map) = tags.value.as_object()
    {
        for name in map.keys() {
            let bare = name.trim_start_matches('@').to_lowercase();
            if !report.mapped.iter().any(|m| m.from == format!("tag @{bare}")) {
                report.unmapped(
                    format!("tag {name}"),
                    "listed in the file's tag counts but on no entry",
                    "tags",
                );
            }
        }
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert!(matches!(header("[2025-03-05 07:40] Title"), Header::Entry { .. }));
        assert!(matches!(header("[2025-03-05 07:40:00 PM] Title"), Header::Entry { .. }));
        assert!(matches!(header("[2025-03-05] Title"), Header::Entry { .. }));
        assert!(matches!(header("[2025-03-05 07:40]"), Header::Entry { .. }));
        assert!(matches!(header("[2025-02-30 07:40] Title"), Header::BadDate(_)));
        assert!(matches!(header("[x] done"), Header::None));
        assert!(matches!(header("[2025-03-05 07:40]Title"), Header::None));
        assert!(matches!(header("no bracket"), Header::None));
        assert!(matches!(header("[2025-"), Header::None));
    }

    #[test]
    fn stars() {
        assert_eq!(star("Title *"), ("Title", true));
        assert_eq!(star("* Title"), ("Title", true));
        assert_eq!(star("Title"), ("Title", false));
        assert_eq!(star("*"), ("", true));
    }
}
