//! Daylio: the CSV export, `full_date,date,weekday,time,mood,activities,note_title,note` (older
//! exports: `year,date,weekday,time,mood,activities,note` with dates like "March 27").
//!
//! Each row becomes a check-in at its local date and time:
//! - the mood label becomes a feelings word when it is one (or a synonym, or one of your own
//!   words), else the five default labels map to gentle words (see [`super::moods`]); any other
//!   label is reported, kept in the note, and the check-in is marked "can't tell";
//! - expressive activities (exercise, walking, painting, music, singing, dancing, writing and
//!   their usual names) also become activity records; Daylio doesn't record how long they took or
//!   how strongly you felt before and after, so they get 30 minutes and 5 → 5 as placeholders,
//!   said in their note and in the report;
//! - other activities, the note title and the note (HTML turned into text) go in the check-in's
//!   note, where search finds them.

use jiff::civil::Date;
use thaw_core::{Absence, Activity, ActivityKind, CheckIn, Felt, Intensity, RecordBody, RecordId};

use super::moods::word_for_label;
use super::text::{html_to_text, local, parse_clock, parse_ymd};
use super::{Context, ImportPlan, Source, checkin_with_note, derive_id, record};
use crate::ImportError;

/// Placeholders for what Daylio doesn't record about an activity.
pub const PLACEHOLDER_MINUTES: u32 = 30;
pub const PLACEHOLDER_FEELING: u8 = 5;

struct Columns {
    full_date: Option<usize>,
    year: Option<usize>,
    date: Option<usize>,
    time: usize,
    mood: usize,
    activities: Option<usize>,
    note_title: Option<usize>,
    note: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord) -> Result<Self, ImportError> {
        let names: Vec<String> =
            header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
        let col = |name: &str| names.iter().position(|n| n == name);
        let missing = |what: &str| {
            ImportError::line(
                1,
                format!(
                    "this doesn't look like a Daylio CSV export: there is no \"{what}\" column. The first line \
                     should name the columns, like full_date,date,weekday,time,mood,activities,note_title,note"
                ),
            )
        };
        let columns = Columns {
            full_date: col("full_date"),
            year: col("year"),
            date: col("date"),
            time: col("time").ok_or_else(|| missing("time"))?,
            mood: col("mood").ok_or_else(|| missing("mood"))?,
            activities: col("activities"),
            note_title: col("note_title"),
            note: col("note"),
        };
        if columns.full_date.is_none() && (columns.year.is_none() || columns.date.is_none()) {
            return Err(missing("full_date"));
        }
        Ok(columns)
    }
}

/// One row's identifying text, for its record ids.
struct RowKey {
    parts: Vec<String>,
}

impl RowKey {
    fn id(&self, extra: &[&str]) -> RecordId {
        let mut parts: Vec<&str> = self.parts.iter().map(String::as_str).collect();
        parts.extend_from_slice(extra);
        derive_id(Source::Daylio, &parts)
    }
}

pub fn parse(text: &str, ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(csv_error)?.clone();
    let columns = Columns::find(&header)?;
    let mut plan = ImportPlan::new(Source::Daylio);
    let mut rows = 0;
    for result in reader.records() {
        let row = result.map_err(csv_error)?;
        let line = row.position().map_or(0, csv::Position::line);
        let at = format!("line {line}");
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows += 1;
        import_row(&row, line, &at, &columns, ctx, &mut plan)?;
    }
    if rows == 0 {
        return Err(ImportError::format("This Daylio export has no entries (only its header line)."));
    }
    Ok(plan.finish())
}

fn import_row(
    row: &csv::StringRecord,
    line: u64,
    at: &str,
    columns: &Columns,
    ctx: &Context<'_>,
    plan: &mut ImportPlan,
) -> Result<(), ImportError> {
    let field = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or("").trim();
    let date = row_date(field(columns.full_date), field(columns.year), field(columns.date), line)?;
    let time_text = field(Some(columns.time));
    let time = parse_clock(time_text).ok_or_else(|| {
        ImportError::line(
            line,
            format!("\"{}\" in the time column isn't a time like 21:05 or 9:05 pm", clip(time_text)),
        )
    })?;
    let when = local(date, time, ctx.tz)
        .ok_or_else(|| ImportError::line(line, format!("{date} {time} can't be placed in your time zone")))?;
    let mood = field(Some(columns.mood));
    let activities: Vec<&str> =
        field(columns.activities).split('|').map(str::trim).filter(|a| !a.is_empty()).collect();
    let note_title = html_to_text(field(columns.note_title));
    let note = html_to_text(field(columns.note));
    let key = RowKey {
        parts: vec![
            date.to_string(),
            time.strftime("%H:%M").to_string(),
            mood.to_owned(),
            activities.join("|"),
            note_title.clone(),
            note.clone(),
        ],
    };

    let mut note_parts: Vec<String> = Vec::new();
    if !note_title.is_empty() {
        note_parts.push(note_title.clone());
    }
    if !note.is_empty() {
        note_parts.push(note);
    }
    let (emotions, absence) = match (mood.is_empty(), word_for_label(ctx.vocab, mood)) {
        (true, _) => {
            plan.report.unmapped(
                "a row without a mood",
                "the check-in is marked \u{201c}can't tell\u{201d}",
                at,
            );
            (Vec::new(), Some(Absence::CantTell))
        }
        (false, Some(word)) => {
            plan.report.mapped(format!("mood \"{mood}\""), word.clone());
            (vec![Felt { word, intensity: None }], None)
        }
        (false, None) => {
            plan.report.unmapped(
                format!("mood \"{mood}\""),
                "no matching feelings word; kept in the note and the check-in is marked \u{201c}can't tell\u{201d} \
                 (add it with `thaw words add` before importing to map it)",
                at,
            );
            note_parts.push(format!("Daylio mood: {mood}"));
            (Vec::new(), Some(Absence::CantTell))
        }
    };

    let mut other_activities = Vec::new();
    for name in &activities {
        match expressive(name) {
            Some(kind) => {
                plan.report.mapped(
                    format!("activity \"{name}\""),
                    format!("activity: {} (30 minutes and 5 \u{2192} 5 are placeholders)", kind.id()),
                );
                let activity =
                    placeholder_activity(kind).map_err(|e| ImportError::line(line, e.to_string()))?;
                let id = key.id(&["activity", &name.to_lowercase()]);
                plan.records.push(record(id, when, RecordBody::Activity(activity)));
            }
            None => {
                plan.report.mapped(format!("activity \"{name}\""), "kept in the check-in's note");
                other_activities.push(*name);
            }
        }
    }
    if !other_activities.is_empty() {
        note_parts.push(format!("Activities: {}", other_activities.join(", ")));
    }

    let checkin = CheckIn::new(emotions, Vec::new(), None, false, absence)
        .map_err(|e| ImportError::line(line, e.to_string()))?;
    let overflow_title =
        if note_title.is_empty() { format!("Daylio note, {date}") } else { note_title.clone() };
    let title: String = overflow_title.chars().take(thaw_core::record::MAX_SHORT).collect();
    let (checkin, journal) = checkin_with_note(checkin, &note_parts.join("\n\n"), &title, &mut plan.report)
        .map_err(|e| ImportError::line(line, e.to_string()))?;
    if let Some(entry) = journal {
        plan.records.push(record(key.id(&["note"]), when, RecordBody::Journal(entry)));
    }
    plan.records.push(record(key.id(&[]), when, RecordBody::Checkin(checkin)));
    Ok(())
}

/// An expressive activity kind, if the Daylio activity names one (not "other").
fn expressive(name: &str) -> Option<ActivityKind> {
    ActivityKind::parse(name).ok().filter(|k| *k != ActivityKind::Other)
}

fn placeholder_activity(kind: ActivityKind) -> Result<Activity, thaw_core::CoreError> {
    let feeling = Intensity::new(PLACEHOLDER_FEELING)?;
    Activity::new(
        kind,
        PLACEHOLDER_MINUTES,
        None,
        feeling,
        feeling,
        Some(
            "Imported from Daylio, which doesn't record how long an activity took or how strongly you felt \
             before and after: 30 minutes and 5 \u{2192} 5 are placeholders.",
        ),
    )
}

fn row_date(full: &str, year: &str, day: &str, line: u64) -> Result<Date, ImportError> {
    if !full.is_empty() {
        return parse_ymd(full).ok_or_else(|| {
            ImportError::line(
                line,
                format!("\"{}\" in the full_date column isn't a date like 2021-03-27", clip(full)),
            )
        });
    }
    let bad = || {
        ImportError::line(
            line,
            format!(
                "\"{} {}\" isn't a date Thaw understands (like year 2021 and date \"March 27\")",
                clip(year),
                clip(day)
            ),
        )
    };
    let year: i16 = year.parse().map_err(|_| bad())?;
    let (month, day) = month_day(day).ok_or_else(bad)?;
    Date::new(year, month, day).map_err(|_| bad())
}

/// "March 27", "27 March", "Mar 27".
fn month_day(text: &str) -> Option<(i8, i8)> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let words: Vec<String> = text.split_whitespace().map(|w| w.trim_matches(',').to_lowercase()).collect();
    let [a, b] = words.as_slice() else { return None };
    let month_of =
        |w: &str| MONTHS.iter().position(|m| w.starts_with(m) && w.len() >= 3).map(|i| i as i8 + 1);
    let day_of = |w: &str| w.parse::<i8>().ok();
    month_of(a).zip(day_of(b)).or_else(|| month_of(b).zip(day_of(a)))
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

fn csv_error(err: csv::Error) -> ImportError {
    let line = err.position().map_or(1, csv::Position::line);
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "this row has {len} fields but the header has {expected_len}. A note with a comma or a line break \
             must be inside double quotes, as Daylio writes it."
        ),
        csv::ErrorKind::Utf8 { .. } => "this line isn't UTF-8 text".to_owned(),
        other => format!("this line can't be read as CSV ({other:?})"),
    };
    ImportError::line(line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_style_dates() {
        assert_eq!(month_day("March 27"), Some((3, 27)));
        assert_eq!(month_day("27 mar"), Some((3, 27)));
        assert_eq!(month_day("Smarch 27"), None);
        assert!(row_date("", "2021", "February 30", 2).is_err());
        assert_eq!(row_date("", "2021", "February 3", 2).unwrap().to_string(), "2021-02-03");
    }

    #[test]
    fn expressive_activities() {
        for name in [
            "sport", "Gym", "running", "walk", "painting", "drawing", "art", "music", "guitar", "piano",
            "singing", "dancing", "writing",
        ] {
            assert!(expressive(name).is_some(), "{name}");
        }
        for name in ["work", "movies / tv", "other", "reading"] {
            assert!(expressive(name).is_none(), "{name}");
        }
    }
}
