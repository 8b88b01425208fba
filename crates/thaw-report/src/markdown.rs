//! The summary as Markdown (CommonMark with pipe tables). Charts are left to the HTML and PDF
//! versions; their figures are all here as text.

use std::fmt::Write as _;

use thaw_core::instrument;

use crate::html::{pattern_lines, range_figures, selfcheck_line};
use crate::{Summary, words};

/// Escapes text a person typed so that it reads as plain text, also inside a table cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The period table lists at most this many periods, the latest.
pub const MAX_SERIES_ROWS: usize = 26;

pub fn render(s: &Summary) -> String {
    let mut out = String::with_capacity(8 * 1024);
    let _ = writeln!(out, "# {}\n", words::TITLE);
    let _ = writeln!(out, "**{}**\n", words::period(s));
    let _ = writeln!(out, "{}\n", words::NOT_A_DIAGNOSIS);
    let _ = writeln!(out, "Made on {}.\n", s.generated_date());

    out.push_str("## Medicines\n\n");
    let m = &s.insights.medications;
    if m.at_end.is_empty() {
        out.push_str("No medicines recorded.\n\n");
    } else {
        let _ = writeln!(out, "As of {}:\n", s.window.to);
        out.push_str("| Medicine | Where it stands |\n|---|---|\n");
        for med in &m.at_end {
            let _ = writeln!(
                out,
                "| {} | {} |",
                escape(&words::med_name(&med.name, med.class.as_deref())),
                escape(&words::med_status(med, s))
            );
        }
        out.push('\n');
        if m.events.is_empty() {
            out.push_str("No changes during this period.\n\n");
        } else {
            out.push_str(
                "Changes during this period:\n\n| Date | Medicine | Change | Note |\n|---|---|---|---|\n",
            );
            for e in &m.events {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    e.date,
                    escape(&e.name),
                    escape(&words::med_event(e)),
                    escape(e.note.as_deref().unwrap_or(""))
                );
            }
            out.push('\n');
        }
        if m.taken > 0 {
            let _ = writeln!(out, "{} noted as taken.\n", words::count(m.taken, "dose", "doses"));
        }
    }

    out.push_str("## Questionnaires\n\n");
    let trends = &s.insights.questionnaires;
    if trends.is_empty() {
        out.push_str("No questionnaires taken during this period.\n\n");
    } else {
        out.push_str("| Date | Questionnaire | Total | Published range | Change since the previous one |\n|---|---|---:|---|---:|\n");
        let (rows, hidden) = words::questionnaire_rows(s);
        for [date, name, total, band, change] in &rows {
            let _ = writeln!(out, "| {date} | {name} | {total} | {band} | {change} |");
        }
        if hidden > 0 {
            let _ = writeln!(out, "\n{}", words::earlier_questionnaires(hidden));
        }
        out.push('\n');
        let nines: Vec<_> = trends.iter().flat_map(|t| &t.item9).collect();
        if !nines.is_empty() {
            let _ = writeln!(out, "> {}", words::ITEM9_NOTE);
            for i in nines {
                let _ = writeln!(out, ">\n> **{}**", words::item9_line(i));
            }
            out.push('\n');
        }
    }

    out.push_str("## Emotional range\n\n");
    for (name, value) in range_figures(s) {
        let _ = writeln!(out, "- **{}:** {}", name, escape(&value));
    }
    out.push('\n');
    let series = &s.insights.series;
    if !series.is_empty() {
        out.push_str(
            "| Period | Check-ins | Different feelings | Moments of release |\n|---|---:|---:|---:|\n",
        );
        for p in series {
            let _ = writeln!(
                out,
                "| {} – {} | {} | {} | {} |",
                p.from, p.to, p.checkins, p.distinct_emotions, p.releases
            );
        }
        out.push('\n');
        let unit = if s.insights.period_days == 7 { "week" } else { "period" };
        let _ = writeln!(out, "How often feelings were hard to reach, per {unit}:\n");
        out.push_str("| Period | Check-ins | \"Nothing\" or \"can't tell\" | Numb, flat, empty and similar words |\n|---|---:|---:|---:|\n");
        for p in series {
            let share = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), words::percent);
            let _ = writeln!(
                out,
                "| {} – {} | {} | {} | {} |",
                p.from,
                p.to,
                p.checkins,
                share(p.absence_answer_share),
                share(p.absence_word_share)
            );
        }
        out.push('\n');
    }
    out.push_str("The charts (the map of check-ins and the timeline with medicine changes) are in the HTML and PDF versions.\n\n");

    out.push_str("## Reactions and activities\n\n");
    for line in pattern_lines(s) {
        let _ = writeln!(out, "{line}\n");
    }
    if !s.insights.reactions.styles.is_empty() {
        out.push_str("Ways of reacting:\n\n");
        for st in &s.insights.reactions.styles {
            let _ = writeln!(out, "- {}: {}", st.label, st.count);
        }
        out.push('\n');
    }
    if !s.insights.activities.kinds.is_empty() {
        out.push_str("Activities:\n\n");
        for k in &s.insights.activities.kinds {
            let _ = writeln!(out, "- {}", words::activity(k));
        }
        out.push('\n');
    }

    out.push_str("## Self-check: possible reasons\n\n");
    let _ = writeln!(out, "{}\n", selfcheck_line(s));

    out.push_str("## Questions for this visit\n\n");
    if s.questions.is_empty() {
        out.push_str("None added.\n\n");
    } else {
        for (i, q) in s.questions.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, escape(q));
        }
        out.push('\n');
    }

    out.push_str("## How to read this\n\n");
    for line in words::HOW_TO_READ {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(out, "\n{}", words::SOURCE_NOTE);
    for t in trends {
        if let Ok(inst) = instrument(&t.instrument) {
            let _ = writeln!(out, "\n{}", inst.copyright);
        }
    }
    out
}
