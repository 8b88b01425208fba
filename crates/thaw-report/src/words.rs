//! What the summary says, in one place for every rendering: headings, notes and the small
//! formatters that turn figures into calm, plain phrases.

use thaw_core::insights::{ActivityKindEffect, ItemNine, MedicationEvent, MedicationNow, ReactionPatterns};
use thaw_core::meds::{MedEventKind, MedStatus, medications};

use crate::Summary;

pub const TITLE: &str = "Visit summary";

/// Under the title.
pub const NOT_A_DIAGNOSIS: &str = "What was recorded in Thaw over this period, to help a conversation with a \
     professional. It is not a diagnosis. The figures about feelings are a personal pattern to compare \
     with itself over time, never clinical scores.";

/// "How to read this", one item per line.
pub const HOW_TO_READ: &[&str] = &[
    "Feelings named: how many different feeling words were used in check-ins. More can mean a wider range of feelings was within reach; fewer can mean things felt flatter.",
    "The map places each check-in by how pleasant and how energetic its feelings were. \"Close together\" means they stayed in much the same place; \"spread out\" means they moved around.",
    "\"Nothing\" and \"can't tell\" are real answers. How often they were given, and how many words were numb, flat, empty or similar, show how often feelings were hard to reach.",
    "Moments of release are times of crying, tearing up, laughing hard, feeling moved and the like, as they were noted.",
    "Questionnaire totals are shown with the ranges their authors published: screening tools for a professional to read alongside everything else. Every PHQ-9 item 9 answer above \"Not at all\" is listed.",
    "Nothing here advises about medicines; changes are shown only to see them next to everything else.",
];

/// Where the numbers in the report come from.
pub const SOURCE_NOTE: &str = "Made by Thaw on this computer, from the person's own records only.";

/// How far apart check-ins sat on the map, in words: `close together, in 1 of its 4 quarters`.
/// `distance` is the root-mean-square distance from their centre (0 to about 1.4).
pub fn spread(distance: f64, quarters: usize) -> String {
    let how = if distance < 0.2 {
        "close together"
    } else if distance < 0.45 {
        "somewhat spread out"
    } else {
        "widely spread out"
    };
    let quarters = if quarters == 1 {
        "in 1 of its 4 quarters".to_owned()
    } else if quarters >= 4 {
        "across all 4 of its quarters".to_owned()
    } else {
        format!("across {quarters} of its 4 quarters")
    };
    format!("{how}, {quarters}")
}

/// `2025-03-01 to 2025-03-14 (14 days)`.
pub fn period(s: &Summary) -> String {
    let days = s.window.days();
    let unit = if days == 1 { "day" } else { "days" };
    format!("{} to {} ({days} {unit})", s.window.from, s.window.to)
}

/// A figure without trailing zeros: `4.5`, `3`, `0.33`.
pub fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0".to_owned() } else { text.to_owned() }
}

/// A share as a percentage: `40%`.
pub fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

/// A change with its sign: `+3`, `-2`, `no change`.
pub fn change(diff: i64) -> String {
    match diff {
        0 => "no change".to_owned(),
        d if d > 0 => format!("+{d}"),
        d => format!("-{}", -d),
    }
}

/// The calm line for an item 9 answer: `Item 9 answered "Several days" on 2025-03-05`.
pub fn item9_line(i: &ItemNine) -> String {
    format!("Item 9 answered \"{}\" on {}", i.label, i.date)
}

/// Said once above the item 9 lines.
pub const ITEM9_NOTE: &str = "PHQ-9 item 9 asks about thoughts of being better off dead or of self-harm. Each \
     answer above \"Not at all\" is listed so that it can be talked about.";

/// "SSRI" for a class id.
pub fn class_short(class: Option<&str>) -> Option<String> {
    class.and_then(|c| medications().class(c)).map(|c| c.short.clone())
}

/// `sertraline (SSRI)`.
pub fn med_name(name: &str, class: Option<&str>) -> String {
    match class_short(class) {
        Some(short) => format!("{name} ({short})"),
        None => name.to_owned(),
    }
}

/// `started, 50 mg` / `dose changed to 100 mg` / `paused`.
pub fn med_event(e: &MedicationEvent) -> String {
    match (e.event, e.amount.as_deref()) {
        (MedEventKind::Started, Some(a)) => format!("started, {a}"),
        (MedEventKind::DoseChanged, Some(a)) => format!("dose changed to {a}"),
        (MedEventKind::Started, None) => "started".to_owned(),
        (MedEventKind::DoseChanged, None) => "dose changed".to_owned(),
        (MedEventKind::Paused, _) => "paused".to_owned(),
        (MedEventKind::Stopped, _) => "stopped".to_owned(),
        (MedEventKind::Taken, _) => "taken".to_owned(),
    }
}

/// `taking, 100 mg, since 2025-02-01`.
pub fn med_status(m: &MedicationNow, s: &Summary) -> String {
    let since = s.window.date_of(m.since);
    match m.status {
        MedStatus::Active => match &m.amount {
            Some(a) => format!("taking, {a} (since {})", s.window.date_of(m.started)),
            None => format!("taking (since {})", s.window.date_of(m.started)),
        },
        MedStatus::Paused => format!("paused since {since}"),
        MedStatus::Stopped => format!("stopped on {since}"),
    }
}

/// `Felt it, talked or cried: 40% of the ways of reacting noted (2 of 5).`
pub fn lets_through(p: &ReactionPatterns) -> Option<String> {
    let share = p.lets_through_share?;
    let noted: usize = p.styles.iter().map(|s| s.count).sum();
    let through: usize = p.styles.iter().filter(|s| s.lets_feeling_through).map(|s| s.count).sum();
    Some(format!(
        "Felt it, talked about it or cried: {} of the ways of reacting noted ({through} of {noted}).",
        percent(share)
    ))
}

/// `walking, 2 times: felt 3 before and 4.5 after on average (+1.5); 1 followed by a release within a day`.
pub fn activity(a: &ActivityKindEffect) -> String {
    let times = if a.count == 1 { "once".to_owned() } else { format!("{} times", a.count) };
    let diff = a.mean_change;
    let sign = if diff > 0.0 { "+" } else { "" };
    format!(
        "{}, {times}: felt {} before and {} after on average ({sign}{}); {} followed by a moment of release within a day",
        a.label,
        num(a.mean_before),
        num(a.mean_after),
        num(diff),
        a.followed_by_release
    )
}

/// The questionnaire table shows at most this many rows, the latest; the charts show them all.
pub const MAX_QUESTIONNAIRE_ROWS: usize = 8;

/// The questionnaires taken in the window as table rows (date, questionnaire, total, published range,
/// change since the previous one), oldest first: the latest [`MAX_QUESTIONNAIRE_ROWS`], and how many
/// earlier ones are left out of the table.
pub fn questionnaire_rows(s: &Summary) -> (Vec<[String; 5]>, usize) {
    let mut rows: Vec<_> =
        s.insights.questionnaires.iter().flat_map(|t| t.points.iter().map(move |p| (p, t))).collect();
    rows.sort_by_key(|(p, _)| (p.at, p.id));
    let hidden = rows.len().saturating_sub(MAX_QUESTIONNAIRE_ROWS);
    let shown = rows
        .into_iter()
        .skip(hidden)
        .map(|(p, t)| {
            let total = match p.percentage {
                Some(pct) => format!("{} of {} ({pct}%)", p.total, t.max_total),
                None => format!("{} of {}", p.total, t.max_total),
            };
            [
                p.date.to_string(),
                t.name.clone(),
                total,
                p.band_name.clone(),
                p.change.map_or("first one".to_owned(), change),
            ]
        })
        .collect();
    (shown, hidden)
}

/// Under a table that leaves earlier questionnaires out.
pub fn earlier_questionnaires(hidden: usize) -> String {
    format!(
        "The latest {MAX_QUESTIONNAIRE_ROWS} are listed; {} are in the charts below (and in the FHIR export).",
        count(hidden, "earlier one", "earlier ones")
    )
}

/// Plural helper: `1 check-in`, `3 check-ins`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_plainly() {
        assert_eq!(num(4.5), "4.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(0.333), "0.33");
        assert_eq!(num(-0.001), "0");
        assert_eq!(percent(0.4), "40%");
        assert_eq!(change(3), "+3");
        assert_eq!(change(-2), "-2");
        assert_eq!(change(0), "no change");
        assert_eq!(count(1, "check-in", "check-ins"), "1 check-in");
        assert_eq!(spread(0.11, 1), "close together, in 1 of its 4 quarters");
        assert_eq!(spread(0.5, 4), "widely spread out, across all 4 of its quarters");
    }
}
