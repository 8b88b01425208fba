//! The Markdown export: the journal and the notes of every other record as one readable
//! document, oldest first, one heading per local date.
//!
//! Journal entries show their title, tags, feelings and body (the body's own headings are
//! demoted below the document's). Other records show their one-line summary and every text field
//! that holds a phrase (a note, a situation, a reflection, a place …), read from the record's JSON
//! so new kinds appear without changes here.

use jiff::tz::TimeZone;
use thaw_core::{Record, RecordBody};

use super::ordered::Ordered;
use super::{ExportMeta, sorted, type_of};

/// The whole document.
pub fn markdown(records: &[Record], tz: &TimeZone, meta: &ExportMeta) -> String {
    let records = sorted(records.to_vec());
    // Blocks are separated by one blank line.
    let mut blocks: Vec<String> = vec![
        "# Thaw journal".to_owned(),
        format!(
            "Exported {} (Thaw {}): {} {}, oldest first. Times are in {}.",
            meta.exported_at.display_in(tz),
            meta.app_version,
            records.len(),
            if records.len() == 1 { "record" } else { "records" },
            tz.iana_name().unwrap_or("your time zone"),
        ),
    ];
    let mut day = None;
    for record in &records {
        let zoned = record.at.as_jiff().to_zoned(tz.clone());
        if day != Some(zoned.date()) {
            day = Some(zoned.date());
            blocks.push(format!("## {}", zoned.strftime("%Y-%m-%d, %A")));
        }
        let time = zoned.strftime("%H:%M").to_string();
        match &record.body {
            RecordBody::Journal(entry) => {
                let star = if entry.starred { " \u{2605}" } else { "" };
                blocks.push(format!("### {time} \u{b7} {}{star}", one_line(&entry.title)));
                let mut meta = Vec::new();
                if !entry.tags.is_empty() {
                    let tags: Vec<String> = entry.tags.iter().map(|t| format!("#{t}")).collect();
                    meta.push(format!("Tags: {}", tags.join(" ")));
                }
                if !entry.emotions.is_empty() {
                    meta.push(format!("Feelings: {}", entry.emotions.join(", ")));
                }
                if let Some(prompt) = &entry.prompt {
                    meta.push(format!("Prompt: {}", one_line(prompt)));
                }
                if !meta.is_empty() {
                    blocks.push(format!("*{}*", meta.join(" \u{b7} ")));
                }
                if !entry.body.trim().is_empty() {
                    blocks.push(demote_headings(entry.body.trim()));
                }
            }
            other => {
                let summary = one_line(&other.summary());
                blocks.push(format!("### {time} \u{b7} {}: {summary}", label(type_of(record))));
                for (key, text) in text_fields(record) {
                    // What the one-line summary already shows in full needn't be repeated.
                    if !summary.contains(&one_line(&text)) {
                        blocks.push(format!("**{}:** {}", field_label(&key), text.trim()));
                    }
                }
            }
        }
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// A readable name for a record type.
fn label(kind: &str) -> String {
    match kind {
        "checkin" => "Check-in".to_owned(),
        "release" => "Moment of release".to_owned(),
        "person" => "Someone you trust".to_owned(),
        other => field_label(other),
    }
}

/// `how_it_went` → `How it went`.
fn field_label(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Top-level text fields that hold a phrase rather than a single id-like word: what a person
/// wrote. Single words (kinds, styles) are in the summary already.
fn text_fields(record: &Record) -> Vec<(String, String)> {
    let Ok(Ordered::Object(fields)) = Ordered::of(record) else { return Vec::new() };
    fields
        .into_iter()
        .filter(|(key, _)| !matches!(key.as_str(), "id" | "type" | "at" | "created_at" | "updated_at"))
        .filter_map(|(key, value)| match value {
            Ordered::Scalar(serde_json::Value::String(s)) if s.trim().contains(char::is_whitespace) => {
                Some((key, s))
            }
            _ => None,
        })
        .collect()
}

/// Moves the body's Markdown headings three levels down (`# A` → `#### A`, at most six), outside
/// fenced code blocks, so they sit below the document's date and entry headings.
fn demote_headings(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 16);
    let mut fence: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = match fence {
                Some(open) if open == marker => None,
                None => Some(marker),
                keep => keep,
            };
            out.push_str(line);
        } else if fence.is_none() && is_heading(line) {
            let level = line.chars().take_while(|c| *c == '#').count();
            let rest = &line[level..];
            out.push_str(&"#".repeat((level + 3).min(6)));
            out.push_str(rest);
        } else {
            out.push_str(line);
        }
    }
    out
}

fn is_heading(line: &str) -> bool {
    let level = line.chars().take_while(|c| *c == '#').count();
    (1..=6).contains(&level) && line[level..].chars().next().is_none_or(|c| c == ' ' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_demoted_outside_code() {
        let body = "# Big\ntext #not\n```\n# code\n```\n###### deep\n#nospace";
        assert_eq!(demote_headings(body), "#### Big\ntext #not\n```\n# code\n```\n###### deep\n#nospace");
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(field_label("how_it_went"), "How it went");
        assert_eq!(label("checkin"), "Check-in");
        assert_eq!(label("medication"), "Medication");
    }
}
