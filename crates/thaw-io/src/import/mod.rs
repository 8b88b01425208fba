//! Importers. Each is a pure parser from the text of another app's export to an [`ImportPlan`]:
//! the records it would add, and a report of what was mapped and what could not be (nothing is
//! dropped silently). [`apply`] then writes the plan through the [`Store`] trait in one
//! transaction, skipping records that are already there.
//!
//! Record ids are derived from the source (a hash of the importer's name and the entry's own
//! content, put in a UUID with version 8), so importing the same file twice adds nothing the
//! second time. Thaw's own export keeps its ids.

pub mod daylio;
pub mod dayone;
pub mod jrnl;
pub mod moods;
pub mod pixels;
mod text;
pub mod thaw;

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use thaw_core::record::{MAX_BODY, MAX_NOTE, MAX_SHORT};
use thaw_core::{CheckIn, CoreError, JournalEntry, Record, RecordBody, RecordId, Timestamp, Vocabulary};
use thaw_store::{Store, StoreError};

use crate::ImportError;

/// What every importer needs besides the file: the feelings vocabulary (the shipped words plus
/// the person's own) and the time zone that dates without one are read in.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub vocab: &'a Vocabulary,
    pub tz: &'a TimeZone,
}

/// The apps Thaw imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// jrnl: its JSON export (`jrnl --format json`) or its plain-text journal file.
    Jrnl,
    /// Daylio: the CSV export.
    Daylio,
    /// Pixels (Year in Pixels): the JSON backup/export.
    Pixels,
    /// Day One: `Journal.json` from the zipped JSON export.
    DayOne,
    /// Thaw's own JSON export.
    Thaw,
}

impl Source {
    pub const ALL: [Source; 5] = [Source::Jrnl, Source::Daylio, Source::Pixels, Source::DayOne, Source::Thaw];

    /// The name used on the command line and in reports.
    pub fn id(self) -> &'static str {
        match self {
            Source::Jrnl => "jrnl",
            Source::Daylio => "daylio",
            Source::Pixels => "pixels",
            Source::DayOne => "dayone",
            Source::Thaw => "thaw",
        }
    }

    /// The app's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Source::Jrnl => "jrnl",
            Source::Daylio => "Daylio",
            Source::Pixels => "Pixels",
            Source::DayOne => "Day One",
            Source::Thaw => "a Thaw export",
        }
    }

    /// Parses a whole file. Nothing is written; a malformed file is an error naming its line or
    /// field.
    pub fn parse(self, text: &str, ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
        check_not_binary(self, text)?;
        match self {
            Source::Jrnl => jrnl::parse(text, ctx),
            Source::Daylio => daylio::parse(text, ctx),
            Source::Pixels => pixels::parse(text, ctx),
            Source::DayOne => dayone::parse(text, ctx),
            Source::Thaw => thaw::parse(text),
        }
    }
}

/// Spots the common mix-ups (a zip, an encrypted backup) before a parser reports a confusing
/// syntax error.
fn check_not_binary(source: Source, text: &str) -> Result<(), ImportError> {
    if text.starts_with("PK\u{3}\u{4}") {
        let hint = match source {
            Source::DayOne => "Unzip the Day One export and import the Journal.json inside it.",
            Source::Daylio => "That looks like a .daylio backup (a zip); export CSV from Daylio instead.",
            _ => "Unzip it first and import the file inside.",
        };
        return Err(ImportError::format(format!("This file is a zip archive. {hint}")));
    }
    if text.starts_with(crate::backup::AGE_MAGIC) {
        return Err(ImportError::format(
            "This is an encrypted Thaw backup. Use `thaw restore FILE` to make a new vault from it.",
        ));
    }
    Ok(())
}

/// One kind of mapping and how often it happened: mood "rad" → joyful (12×).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    pub from: String,
    pub to: String,
    pub count: usize,
}

/// Something that could not be mapped, why, how often, and where it was first seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    pub what: String,
    pub why: String,
    pub count: usize,
    /// Where it first appeared: `line 12` or `entries[3]`.
    pub first_at: String,
}

/// What an import did, or would do. Serialized as the `--json` output of `thaw import`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The importer: `jrnl`, `daylio`, `pixels`, `dayone`, `thaw`.
    pub source: String,
    /// New records per type: after [`apply`], those written; in a plan, those it holds.
    pub imported: BTreeMap<String, usize>,
    /// Settings written (Thaw exports only).
    pub settings_imported: usize,
    pub mapped: Vec<Mapped>,
    pub unmapped: Vec<Unmapped>,
    /// Records already in the vault (an earlier import of the same file), or repeated within
    /// the file, which were not added again.
    pub skipped_duplicates: usize,
}

impl ImportReport {
    fn new(source: Source) -> Self {
        Self { source: source.id().to_owned(), ..Self::default() }
    }

    /// Notes a mapping; repeated mappings are counted once.
    pub(crate) fn mapped(&mut self, from: impl Into<String>, to: impl Into<String>) {
        let (from, to) = (from.into(), to.into());
        match self.mapped.iter_mut().find(|m| m.from == from && m.to == to) {
            Some(m) => m.count += 1,
            None => self.mapped.push(Mapped { from, to, count: 1 }),
        }
    }

    /// Notes something that could not be mapped; repeats are counted, the first place kept.
    pub(crate) fn unmapped(
        &mut self,
        what: impl Into<String>,
        why: impl Into<String>,
        at: impl Into<String>,
    ) {
        let (what, why) = (what.into(), why.into());
        match self.unmapped.iter_mut().find(|u| u.what == what && u.why == why) {
            Some(u) => u.count += 1,
            None => self.unmapped.push(Unmapped { what, why, count: 1, first_at: at.into() }),
        }
    }

    /// Total new records.
    pub fn total(&self) -> usize {
        self.imported.values().sum()
    }
}

/// Parsed, checked, not yet written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub records: Vec<Record>,
    /// Settings to add (Thaw exports only): a key already set in the vault keeps its value.
    pub settings: Vec<(String, Value)>,
    pub report: ImportReport,
}

impl ImportPlan {
    fn new(source: Source) -> Self {
        Self { records: Vec::new(), settings: Vec::new(), report: ImportReport::new(source) }
    }

    /// Sorts the records, drops exact repeats within the file (counted as skipped duplicates),
    /// and counts what the plan holds per type.
    fn finish(mut self) -> Self {
        let records = crate::export::sorted(std::mem::take(&mut self.records));
        let mut seen: BTreeMap<RecordId, usize> = BTreeMap::new();
        for record in records {
            match seen.get(&record.id) {
                Some(&i) if self.records[i] == record => self.report.skipped_duplicates += 1,
                Some(_) => self.report.unmapped(
                    format!("record {}", record.id),
                    "another record in the file has the same id; the first one was kept",
                    format!("id {}", record.id),
                ),
                None => {
                    seen.insert(record.id, self.records.len());
                    self.records.push(record);
                }
            }
        }
        self.report.imported = count_by_type(&self.records);
        self
    }
}

fn count_by_type(records: &[Record]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in records {
        *counts.entry(crate::export::type_of(r).to_owned()).or_insert(0) += 1;
    }
    counts
}

/// Writes a plan: records already in the vault are skipped, the rest are added in one
/// transaction (all or nothing); then settings the vault doesn't have yet. Returns the report
/// with what was actually written.
pub fn apply(store: &dyn Store, plan: ImportPlan) -> Result<ImportReport, StoreError> {
    let mut report = plan.report;
    let mut new = Vec::with_capacity(plan.records.len());
    for record in plan.records {
        if store.get(record.id)?.is_some() {
            report.skipped_duplicates += 1;
        } else {
            new.push(record);
        }
    }
    let added = store.insert_many(&new)?;
    // Another writer may have added some of the same ids in between; insert_many skipped them.
    report.skipped_duplicates += new.len() - added.min(new.len());
    report.imported = count_by_type(&new);
    for (key, value) in plan.settings {
        match store.setting(&key)? {
            None => {
                store.set_setting(&key, &value)?;
                report.settings_imported += 1;
            }
            Some(current) if current == value => {}
            Some(_) => report.unmapped(
                format!("setting \"{key}\""),
                "your vault already has a different value; yours was kept",
                format!("settings.{key}"),
            ),
        }
    }
    Ok(report)
}

/// A record id derived from where an entry came from, so re-importing the same entry gives the
/// same id: SHA-256 over the importer's name and the entry's identifying parts (each
/// length-prefixed), the first 16 bytes as a UUID with version 8.
pub(crate) fn derive_id(source: Source, parts: &[&str]) -> RecordId {
    let mut hash = Sha256::new();
    hash.update(b"thaw-import-v1\0");
    hash.update(source.id().as_bytes());
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    RecordId::from_uuid(uuid::Builder::from_custom_bytes(bytes).into_uuid())
}

/// A record that happened at `at` and was written then (imports keep the source's times).
pub(crate) fn record(id: RecordId, at: Timestamp, body: RecordBody) -> Record {
    Record { id, at, created_at: at, updated_at: at, body }
}

/// The title Thaw can keep, and the body: an empty title becomes "Untitled"; one longer than a
/// title may be is shortened, with the whole of it kept at the top of the body.
pub(crate) fn fit_title(title: &str, body: &str, report: &mut ImportReport) -> (String, String) {
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        report.mapped("an entry without a title", "titled \u{201c}Untitled\u{201d}");
        return ("Untitled".to_owned(), body.to_owned());
    }
    if one_line.chars().count() <= MAX_SHORT {
        return (one_line, body.to_owned());
    }
    report.mapped(
        format!("a title longer than {MAX_SHORT} characters"),
        "shortened; the whole title starts the body",
    );
    let short: String = one_line.chars().take(MAX_SHORT - 1).collect();
    let body =
        if body.trim().is_empty() { title.trim().to_owned() } else { format!("{}\n\n{body}", title.trim()) };
    (format!("{}\u{2026}", short.trim_end()), body)
}

/// What the report says when an import dropped characters validation refuses (docs/EXPORT.md).
pub(crate) const INVISIBLE: &str = "invisible control characters (escapes, text-direction marks)";
pub(crate) const REMOVED: &str = "removed; the rest of the text is kept";

/// A journal entry from parts, after [`fit_title`]; tags Thaw can't keep (over 50 characters) are
/// reported and left out (their text stays in the entry).
pub(crate) fn journal_entry(
    title: &str,
    body: &str,
    tags: &[String],
    starred: bool,
    report: &mut ImportReport,
    at: &str,
) -> Result<JournalEntry, ImportError> {
    let (title, title_changed) = thaw_core::text::sanitise(title, true);
    let (body, body_changed) = thaw_core::text::sanitise(body, false);
    if title_changed || body_changed {
        report.mapped(INVISIBLE, REMOVED);
    }
    let (title, body) = fit_title(&title, &body, report);
    if body.chars().count() > MAX_BODY {
        return Err(located(
            at,
            format!(
                "this entry is longer than {MAX_BODY} characters, more than Thaw keeps in one entry; split it in two and import again"
            ),
        ));
    }
    let mut kept = Vec::new();
    for tag in tags {
        match thaw_core::record::normalise_tags(std::slice::from_ref(tag)) {
            Ok(t) => kept.extend(t),
            Err(_) => report.unmapped(
                format!("tag \"{tag}\""),
                "longer than 50 characters; its text stays in the entry",
                at,
            ),
        }
    }
    let mut entry =
        JournalEntry::new(&title, &body, &kept, Vec::new()).map_err(|e| located(at, e.to_string()))?;
    entry.starred = starred;
    Ok(entry)
}

/// A check-in with a note. A note longer than a check-in keeps becomes a journal entry of its own
/// titled `overflow_title`, and the check-in's note points to it.
pub(crate) fn checkin_with_note(
    checkin: CheckIn,
    note: &str,
    overflow_title: &str,
    report: &mut ImportReport,
) -> Result<(CheckIn, Option<JournalEntry>), CoreError> {
    let (note, changed) = thaw_core::text::sanitise(note, false);
    if changed {
        report.mapped(INVISIBLE, REMOVED);
    }
    let note = note.trim();
    let mut checkin = checkin;
    if note.chars().count() <= MAX_NOTE {
        checkin.note = (!note.is_empty()).then(|| note.to_owned());
        return Ok((checkin, None));
    }
    let title = overflow_title;
    report.mapped(format!("a note longer than {MAX_NOTE} characters"), "a journal entry at the same time");
    let entry = JournalEntry::new(title, note, &[], Vec::new())?;
    checkin.note = Some(format!("The full note is in the journal entry \u{201c}{title}\u{201d}."));
    Ok((checkin, Some(entry)))
}

/// An error at a place given as `line 12` or a JSON path.
pub(crate) fn located(at: &str, message: impl Into<String>) -> ImportError {
    match at.strip_prefix("line ").and_then(|n| n.parse::<u64>().ok()) {
        Some(line) => ImportError::line(line, message),
        None => ImportError::field(at, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_version_8_and_unambiguous() {
        let a = derive_id(Source::Jrnl, &["2025-03-05 07:40", "Title", "Body"]);
        assert_eq!(a, derive_id(Source::Jrnl, &["2025-03-05 07:40", "Title", "Body"]));
        assert_eq!(a.as_uuid().get_version_num(), 8);
        assert_ne!(a, derive_id(Source::Jrnl, &["2025-03-05 07:40", "TitleB", "ody"]));
        assert_ne!(a, derive_id(Source::Daylio, &["2025-03-05 07:40", "Title", "Body"]));
    }

    #[test]
    fn long_titles_are_kept_in_the_body() {
        let mut report = ImportReport::default();
        let long = "word ".repeat(60);
        let (title, body) = fit_title(&long, "rest", &mut report);
        assert_eq!(title.chars().count(), MAX_SHORT);
        assert!(body.starts_with(long.trim()) && body.ends_with("rest"));
        assert_eq!(report.mapped.len(), 1);
        let (title, _) = fit_title("  ", "", &mut report);
        assert_eq!(title, "Untitled");
    }
}
