//! The summary as one self-contained HTML page: inline CSS and SVG, no scripts, no links to
//! anything outside the file, and print styles for A4.

use askama::Template;
use thaw_core::instrument;

use crate::charts::{self, Layout};
use crate::{Summary, words};

/// The inline SVG for HTML: HTML gives `<svg>` its namespace, so the attribute is left out (and
/// with it the only URL-looking text in the page).
fn inline(svg: String) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// A chart drawn twice, for a wide page and for a phone; CSS shows the one that fits the screen
/// (`.chart-wide`, `.chart-narrow`), and print shows the wide one.
pub fn chart_pair(wide: String, narrow: String) -> String {
    format!(
        "<div class=\"chart-wide\">{}</div><div class=\"chart-narrow\">{}</div>",
        inline(wide),
        inline(narrow)
    )
}

/// The range timeline of `s`, both sizes.
pub fn timeline_figure(s: &Summary) -> String {
    let draw = |layout| {
        charts::range_timeline(
            &s.insights.series,
            &s.insights.medications.events,
            s.window.from,
            s.window.to,
            "range-timeline",
            layout,
        )
    };
    chart_pair(draw(Layout::Wide), draw(Layout::Narrow))
}

/// How often feelings were hard to reach, per period, both sizes.
pub fn absence_figure(s: &Summary) -> String {
    let draw = |layout| {
        charts::absence_trend(&s.insights.series, s.window.from, s.window.to, "absence-trend", layout)
    };
    chart_pair(draw(Layout::Wide), draw(Layout::Narrow))
}

/// The map of check-ins, both sizes.
pub fn map_figure(s: &Summary) -> String {
    chart_pair(
        charts::emotion_map(&s.map_panels, "emotion-map", Layout::Wide),
        charts::emotion_map(&s.map_panels, "emotion-map", Layout::Narrow),
    )
}

/// One medicine change, as a table row.
struct EventRow {
    date: String,
    name: String,
    change: String,
    note: String,
}

/// The page's template (`templates/summary.html`): every text goes through askama's HTML escaper;
/// only the charts, which escape their own text, are inserted as they are.
#[derive(Template)]
#[template(path = "summary.html")]
struct Page<'a> {
    title: &'static str,
    period: String,
    not_a_diagnosis: &'static str,
    made_on: String,
    as_of: String,
    meds: Vec<(String, String)>,
    med_events: Vec<EventRow>,
    taken: Option<String>,
    questionnaire_rows: Vec<[String; 5]>,
    earlier: Option<String>,
    item9_note: &'static str,
    item9: Vec<String>,
    trend_charts: Vec<String>,
    figures: Vec<(&'static str, String)>,
    timeline: String,
    absence: String,
    map: String,
    pattern_lines: Vec<String>,
    styles: Vec<(&'static str, usize)>,
    activities: Vec<String>,
    selfcheck: String,
    questions: &'a [String],
    how_to_read: &'static [&'static str],
    source_note: &'static str,
    copyrights: Vec<String>,
}

/// The whole page.
pub fn render(s: &Summary) -> String {
    let m = &s.insights.medications;
    let trends = &s.insights.questionnaires;
    let (questionnaire_rows, hidden) = words::questionnaire_rows(s);
    let page = Page {
        title: words::TITLE,
        period: words::period(s),
        not_a_diagnosis: words::NOT_A_DIAGNOSIS,
        made_on: s.generated_date().to_string(),
        as_of: s.window.to.to_string(),
        meds: m
            .at_end
            .iter()
            .map(|med| (words::med_name(&med.name, med.class.as_deref()), words::med_status(med, s)))
            .collect(),
        med_events: m
            .events
            .iter()
            .map(|e| EventRow {
                date: e.date.to_string(),
                name: e.name.clone(),
                change: words::med_event(e),
                note: e.note.clone().unwrap_or_default(),
            })
            .collect(),
        taken: (m.taken > 0).then(|| format!("{} noted as taken.", words::count(m.taken, "dose", "doses"))),
        questionnaire_rows,
        earlier: (hidden > 0).then(|| words::earlier_questionnaires(hidden)),
        item9_note: words::ITEM9_NOTE,
        item9: trends.iter().flat_map(|t| &t.item9).map(words::item9_line).collect(),
        trend_charts: trends
            .iter()
            .map(|t| {
                let id = format!("trend-{}", t.instrument);
                inline(charts::questionnaire_trend(t, s.window.from, s.window.to, &id))
            })
            .collect(),
        figures: range_figures(s),
        timeline: timeline_figure(s),
        absence: absence_figure(s),
        map: map_figure(s),
        pattern_lines: pattern_lines(s),
        styles: s.insights.reactions.styles.iter().map(|st| (st.label, st.count)).collect(),
        activities: s.insights.activities.kinds.iter().map(words::activity).collect(),
        selfcheck: selfcheck_line(s),
        questions: &s.questions,
        how_to_read: words::HOW_TO_READ,
        source_note: words::SOURCE_NOTE,
        copyrights: trends
            .iter()
            .filter_map(|t| instrument(&t.instrument).ok())
            .map(|i| i.copyright.clone())
            .collect(),
    };
    // Rendering into a String can't fail: every value is plain text.
    page.render().unwrap_or_default()
}

/// The emotional-range figures as (name, value) lines, shared by every rendering.
pub fn range_figures(s: &Summary) -> Vec<(&'static str, String)> {
    let r = &s.insights.emotional_range;
    let mut lines = vec![("Check-ins", r.checkins.to_string())];
    lines.push(("Different feelings named", r.distinct_emotions.to_string()));
    if !r.words.is_empty() {
        let top: Vec<String> = r.words.iter().take(8).map(|w| format!("{} ({})", w.word, w.count)).collect();
        lines.push(("Named most often", top.join(", ")));
    }
    if let Some(sp) = &r.spread {
        lines.push(("Where feelings sat on the map", words::spread(sp.distance, sp.quadrants)));
    }
    if let Some(m) = r.mean_intensity {
        lines.push(("Average intensity", format!("{} of 10", words::num(m))));
    }
    if let Some(share) = r.absence_answer_share {
        lines.push((
            "\"Nothing\" or \"can't tell\"",
            format!(
                "{} of check-ins ({} nothing, {} can't tell)",
                words::percent(share),
                r.nothing,
                r.cant_tell
            ),
        ));
    }
    if let Some(share) = r.absence_word_share {
        lines.push((
            "Numb, flat, empty and similar words",
            format!("{} of the words named", words::percent(share)),
        ));
    }
    let kinds: Vec<String> = r
        .releases
        .by_kind
        .iter()
        .map(|(k, n)| {
            let label = thaw_core::ReleaseKind::parse(k).map_or(k.clone(), |kind| kind.label().to_owned());
            format!("{label} {n}")
        })
        .collect();
    let releases = if kinds.is_empty() {
        "none noted".to_owned()
    } else {
        format!("{} ({})", r.releases.total, kinds.join(", "))
    };
    lines.push(("Moments of release", releases));
    lines
}

/// The sentences about reactions and activities, shared by every rendering.
pub fn pattern_lines(s: &Summary) -> Vec<String> {
    let p = &s.insights.reactions;
    let a = &s.insights.activities;
    let mut lines = Vec::new();
    if p.reactions == 0 {
        lines.push("No reactions noted during this period.".to_owned());
    } else {
        lines.push(format!(
            "{} noted.",
            words::count(p.reactions, "reaction to an intense moment", "reactions to intense moments")
        ));
        if let Some(l) = words::lets_through(p) {
            lines.push(l);
        }
    }
    if a.activities == 0 {
        lines.push("No expressive activities noted during this period.".to_owned());
    } else {
        lines.push(format!(
            "{} noted; {} came within a day after one.",
            words::count(a.activities, "activity", "activities"),
            words::count(a.releases_within_24h, "moment of release", "moments of release")
        ));
    }
    lines
}

/// One sentence about the latest self-check.
pub fn selfcheck_line(s: &Summary) -> String {
    match &s.selfcheck {
        None => "No self-check taken yet.".to_owned(),
        Some(c) if c.areas.is_empty() => format!("Latest, on {}: no area stood out.", c.date),
        Some(c) => {
            let titles: Vec<&str> = c.areas.iter().map(|(_, t)| t.as_str()).collect();
            format!("Latest, on {}: areas that may apply — {}.", c.date, titles.join("; "))
        }
    }
}
