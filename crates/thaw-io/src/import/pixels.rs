//! Pixels (Year in Pixels): its JSON export, a list of days
//! `[{"date": "2025-3-5", "type": "Mood", "scores": [4], "notes": "…",
//!   "tags": [{"type": "Emotions", "entries": ["happy"]}]}]`.
//!
//! Each day becomes a check-in at noon local time (Pixels records days, not times). Scores 1–5 map
//! to the same gentle words as Daylio's default moods (5 joyful … 1 heavy) and are also kept in the
//! note; "Emotions" tags that are feelings words (or synonyms, or your own words) are added;
//! other emotion names and every other tag group go in the note and the report.

use jiff::civil::Time;
use serde_json::Value;
use thaw_core::{Absence, CheckIn, Felt, RecordBody};

use super::moods::word_for_score;
use super::text::{local, parse_ymd};
use super::{Context, ImportPlan, Source, checkin_with_note, derive_id, record};
use crate::ImportError;
use crate::json_path::{self, At};

pub fn parse(text: &str, ctx: &Context<'_>) -> Result<ImportPlan, ImportError> {
    let root: Value = json_path::parse(text, "read as a Pixels export")?;
    let root = At::root(&root);
    // The export is a list of days; also accept an object holding that list under "pixels" or
    // "entries", in case a version wraps it.
    let days = if root.value.is_array() {
        root.clone()
    } else {
        root.object()?;
        root.get("pixels").or_else(|| root.get("entries")).ok_or_else(|| {
            ImportError::format("This JSON isn't a Pixels export: it should be a list of days like [{\"date\": \"2025-3-5\", \"scores\": [4], …}].")
        })?
    };
    let noon = Time::new(12, 0, 0, 0).map_err(|e| ImportError::format(e.to_string()))?;
    let mut plan = ImportPlan::new(Source::Pixels);
    let mut seen_dates: Vec<(jiff::civil::Date, usize)> = Vec::new();
    for day in days.items()? {
        day.object()?;
        let date_at = day.require("date")?;
        let date = parse_ymd(date_at.str()?).ok_or_else(|| {
            date_at.error(format!(
                "expected a date like 2025-3-5, found \"{}\"",
                date_at.str().unwrap_or("").chars().take(40).collect::<String>()
            ))
        })?;
        let when = local(date, noon, ctx.tz)
            .ok_or_else(|| date_at.error(format!("{date} can't be placed in your time zone")))?;
        let occurrence = match seen_dates.iter_mut().find(|(d, _)| *d == date) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                seen_dates.push((date, 0));
                0
            }
        };
        let kind = day.opt_str("type")?.unwrap_or("Mood");
        let notes = day.opt_str("notes")?.unwrap_or_default().trim().to_owned();

        let mut words: Vec<Felt> = Vec::new();
        let mut note_lines: Vec<String> = Vec::new();
        let add_word = |words: &mut Vec<Felt>, word: String| {
            if !words.iter().any(|f| f.word == word) {
                words.push(Felt { word, intensity: None });
            }
        };
        let mut scores = Vec::new();
        if let Some(list) = day.get("scores") {
            for score_at in list.items()? {
                let score = score_at.value.as_i64().ok_or_else(|| {
                    score_at.error(format!(
                        "expected a whole number score, found {}",
                        json_path::kind(score_at.value)
                    ))
                })?;
                scores.push(score.to_string());
                match (kind.eq_ignore_ascii_case("mood"), word_for_score(ctx.vocab, score)) {
                    (true, Some(word)) => {
                        plan.report.mapped(format!("score {score}"), word.clone());
                        add_word(&mut words, word);
                    }
                    (true, None) => plan.report.unmapped(
                        format!("score {score}"),
                        "Pixels scores go from 1 to 5; kept in the note",
                        score_at.path(),
                    ),
                    (false, _) => plan.report.unmapped(
                        format!("a \"{kind}\" score"),
                        "not a mood score; kept in the note",
                        score_at.path(),
                    ),
                }
            }
        }
        if !scores.is_empty() {
            let label = if kind.eq_ignore_ascii_case("mood") {
                "Pixels score".to_owned()
            } else {
                format!("Pixels {kind} score")
            };
            note_lines.push(format!("{label}: {} (of 5)", scores.join(", ")));
        }
        if let Some(groups) = day.get("tags") {
            for group in groups.items()? {
                group.object()?;
                let group_name = group.opt_str("type")?.unwrap_or("Tags").to_owned();
                let entries = group.opt_str_list("entries")?;
                let is_emotions = group_name.eq_ignore_ascii_case("emotions");
                let mut kept = Vec::new();
                for name in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
                    match (is_emotions, ctx.vocab.lookup(name)) {
                        (true, Some(emotion)) => {
                            plan.report.mapped(format!("emotion \"{name}\""), emotion.word.clone());
                            add_word(&mut words, emotion.word.clone());
                        }
                        (true, None) => {
                            plan.report.unmapped(
                                format!("emotion \"{name}\""),
                                "not a feelings word Thaw knows; kept in the note (add it with `thaw words add` \
                                 before importing to map it)",
                                group.path(),
                            );
                            kept.push(name.to_owned());
                        }
                        (false, _) => {
                            plan.report
                                .mapped(format!("{group_name} \"{name}\""), "kept in the check-in's note");
                            kept.push(name.to_owned());
                        }
                    }
                }
                if !kept.is_empty() {
                    note_lines.push(format!("{group_name}: {}", kept.join(", ")));
                }
            }
        }
        let absence = if words.is_empty() {
            plan.report.unmapped(
                "a day without a mood score or known emotion",
                "the check-in is marked \u{201c}can't tell\u{201d}",
                day.path(),
            );
            Some(Absence::CantTell)
        } else {
            None
        };
        let mut note = notes;
        if !note_lines.is_empty() {
            if !note.is_empty() {
                note.push_str("\n\n");
            }
            note.push_str(&note_lines.join("\n"));
        }
        let date_text = date.to_string();
        let id = derive_id(Source::Pixels, &[&date_text, &occurrence.to_string()]);
        let checkin =
            CheckIn::new(words, Vec::new(), None, false, absence).map_err(|e| day.error(e.to_string()))?;
        let (checkin, journal) =
            checkin_with_note(checkin, &note, &format!("Pixels note, {date_text}"), &mut plan.report)
                .map_err(|e| day.error(e.to_string()))?;
        if let Some(entry) = journal {
            let jid = derive_id(Source::Pixels, &[&date_text, &occurrence.to_string(), "note"]);
            plan.records.push(record(jid, when, RecordBody::Journal(entry)));
        }
        plan.records.push(record(id, when, RecordBody::Checkin(checkin)));
    }
    Ok(plan.finish())
}
