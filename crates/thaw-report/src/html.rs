//! The summary as one self-contained HTML page: inline CSS and SVG, no scripts, no links to
//! anything outside the file, and print styles for A4.

use std::fmt::Write as _;

use thaw_core::instrument;

use crate::charts::{self, Layout, escape};
use crate::{Summary, words};

const CSS: &str = "\
:root{color-scheme:light;--ink:#24292f;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--note:#fff8e6;--noteline:#d9b45a}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);line-height:1.45;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:1.6rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1rem 0 .4rem}
p{margin:.35rem 0}
.period{font-size:1.1rem;font-weight:600}
.muted,.meta{color:var(--muted);font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.95rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.date{white-space:nowrap}
dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.4rem 0}
dl.figures dt{font-weight:600}
dl.figures dd{margin:0}
.item9{background:var(--note);border-left:4px solid var(--noteline);padding:.5rem .75rem;margin:.6rem 0}
.item9 p{margin:.2rem 0}
.charts{display:flex;flex-wrap:wrap;gap:1rem;margin:.6rem 0}
figure{margin:.5rem 0}
svg{max-width:100%;height:auto}
.chart-narrow{display:none}
@media (max-width:40rem){.chart-wide{display:none}.chart-narrow{display:block}}
ol.questions li{margin:.25rem 0}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@page{size:A4;margin:14mm}
@media print{
  body{font-size:10pt}
  main{max-width:none;padding:0}
  h2{break-after:avoid}
  figure,table,.item9,dl.figures{break-inside:avoid}
  a{color:inherit;text-decoration:none}
  .chart-wide{display:block}.chart-narrow{display:none}
}
";

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

/// The whole page.
pub fn render(s: &Summary) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let period = words::period(s);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{} · {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
        words::TITLE,
        escape(&period)
    );
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"period\">{}</p>\n<p>{}</p>\n<p class=\"meta\">Made on {}.</p>\n</header>\n",
        words::TITLE,
        escape(&period),
        escape(words::NOT_A_DIAGNOSIS),
        s.generated_date()
    );
    medicines(&mut out, s);
    questionnaires(&mut out, s);
    range(&mut out, s);
    patterns(&mut out, s);
    selfcheck(&mut out, s);
    questions(&mut out, s);
    out.push_str("<section id=\"how-to-read\">\n<h2>How to read this</h2>\n<ul>\n");
    for line in words::HOW_TO_READ {
        let _ = writeln!(out, "<li>{}</li>", escape(line));
    }
    out.push_str("</ul>\n</section>\n<footer>\n");
    let _ = writeln!(out, "<p>{}</p>", escape(words::SOURCE_NOTE));
    for t in &s.insights.questionnaires {
        if let Ok(inst) = instrument(&t.instrument) {
            let _ = writeln!(out, "<p>{}</p>", escape(&inst.copyright));
        }
    }
    out.push_str("</footer>\n</main>\n</body>\n</html>\n");
    out
}

fn medicines(out: &mut String, s: &Summary) {
    let m = &s.insights.medications;
    out.push_str("<section id=\"medicines\">\n<h2>Medicines</h2>\n");
    if m.at_end.is_empty() {
        out.push_str("<p>No medicines recorded.</p>\n</section>\n");
        return;
    }
    let _ = writeln!(out, "<p class=\"muted\">As of {}.</p>", s.window.to);
    out.push_str("<table>\n<thead><tr><th>Medicine</th><th>Where it stands</th></tr></thead>\n<tbody>\n");
    for med in &m.at_end {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&words::med_name(&med.name, med.class.as_deref())),
            escape(&words::med_status(med, s))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if m.events.is_empty() {
        out.push_str("<p>No changes during this period.</p>\n");
    } else {
        out.push_str("<h3>Changes during this period</h3>\n<table>\n<thead><tr><th>Date</th><th>Medicine</th><th>Change</th><th>Note</th></tr></thead>\n<tbody>\n");
        for (i, e) in m.events.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td>{} <span class=\"muted\">({})</span></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                e.date,
                i + 1,
                escape(&e.name),
                escape(&words::med_event(e)),
                escape(e.note.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tbody>\n</table>\n<p class=\"muted\">The numbers match the markers on the timeline below.</p>\n");
    }
    if m.taken > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{} noted as taken.</p>",
            words::count(m.taken, "dose", "doses")
        );
    }
    out.push_str("</section>\n");
}

fn questionnaires(out: &mut String, s: &Summary) {
    let trends = &s.insights.questionnaires;
    out.push_str("<section id=\"questionnaires\">\n<h2>Questionnaires</h2>\n");
    if trends.is_empty() {
        out.push_str("<p>No questionnaires taken during this period.</p>\n</section>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th>Date</th><th>Questionnaire</th><th class=\"num\">Total</th><th>Published range</th><th class=\"num\">Change since the previous one</th></tr></thead>\n<tbody>\n");
    let (rows, hidden) = words::questionnaire_rows(s);
    for [date, name, total, band, change] in &rows {
        let _ = writeln!(
            out,
            "<tr><td class=\"date\">{date}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            escape(name),
            escape(total),
            escape(band),
            escape(change)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if hidden > 0 {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", escape(&words::earlier_questionnaires(hidden)));
    }
    let nines: Vec<_> = trends.iter().flat_map(|t| &t.item9).collect();
    if !nines.is_empty() {
        out.push_str("<div class=\"item9\">\n");
        let _ = writeln!(out, "<p>{}</p>", escape(words::ITEM9_NOTE));
        for i in nines {
            let _ = writeln!(out, "<p><strong>{}</strong></p>", escape(&words::item9_line(i)));
        }
        out.push_str("</div>\n");
    }
    out.push_str("<div class=\"charts\">\n");
    for t in trends {
        let id = format!("trend-{}", t.instrument);
        let svg = charts::questionnaire_trend(t, s.window.from, s.window.to, &id);
        let _ = writeln!(out, "<figure>{}</figure>", inline(svg));
    }
    out.push_str("</div>\n</section>\n");
}

fn range(out: &mut String, s: &Summary) {
    out.push_str("<section id=\"emotional-range\">\n<h2>Emotional range</h2>\n<dl class=\"figures\">\n");
    for (name, value) in range_figures(s) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(&value));
    }
    out.push_str("</dl>\n");
    let _ = writeln!(out, "<figure>{}</figure>", timeline_figure(s));
    let _ = writeln!(out, "<figure>{}</figure>", absence_figure(s));
    let _ = writeln!(out, "<figure>{}</figure>", map_figure(s));
    out.push_str("</section>\n");
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

fn patterns(out: &mut String, s: &Summary) {
    let p = &s.insights.reactions;
    let a = &s.insights.activities;
    out.push_str("<section id=\"patterns\">\n<h2>Reactions and activities</h2>\n");
    for line in pattern_lines(s) {
        let _ = writeln!(out, "<p>{}</p>", escape(&line));
    }
    if !p.styles.is_empty() {
        out.push_str("<table>\n<thead><tr><th>Way of reacting</th><th class=\"num\">Times</th></tr></thead>\n<tbody>\n");
        for st in &p.styles {
            let _ =
                writeln!(out, "<tr><td>{}</td><td class=\"num\">{}</td></tr>", escape(st.label), st.count);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !a.kinds.is_empty() {
        out.push_str("<ul>\n");
        for k in &a.kinds {
            let _ = writeln!(out, "<li>{}</li>", escape(&words::activity(k)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
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

fn selfcheck(out: &mut String, s: &Summary) {
    out.push_str("<section id=\"selfcheck\">\n<h2>Self-check: possible reasons</h2>\n");
    let _ = writeln!(out, "<p>{}</p>", escape(&selfcheck_line(s)));
    out.push_str("</section>\n");
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

fn questions(out: &mut String, s: &Summary) {
    out.push_str("<section id=\"questions\">\n<h2>Questions for this visit</h2>\n");
    if s.questions.is_empty() {
        out.push_str("<p>None added.</p>\n");
    } else {
        out.push_str("<ol class=\"questions\">\n");
        for q in &s.questions {
            let _ = writeln!(out, "<li>{}</li>", escape(q));
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}
