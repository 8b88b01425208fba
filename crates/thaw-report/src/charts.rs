//! SVG charts, written by hand: the map of check-ins on the pleasantness × energy plane, the range
//! timeline with medication changes marked, and questionnaire totals over their published bands.
//!
//! Output is deterministic (fixed layout, coordinates to one decimal) so that snapshot tests can
//! hold it, uses only a generic font family, escapes every piece of text, and carries a `<title>`
//! and `<desc>` for screen readers. The same SVG goes into the HTML page and the PDF.

use std::fmt::Write as _;

use jiff::civil::Date;
use thaw_core::insights::{MedicationEvent, PeriodPoint, Quadrant, QuestionnaireTrend};
use thaw_core::instrument;

use crate::MapPanel;
use crate::words;

const INK: &str = "#24292f";
const MUTED: &str = "#57606a";
const GRID: &str = "#d0d7de";
const BLUE: &str = "#3b6ea5";
const TEAL: &str = "#2f7f73";
const AMBER: &str = "#9a6a1f";
const FONT: &str = "font-family=\"sans-serif\"";

/// Escapes text for SVG and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal and no negative zero.
fn c(x: f64) -> String {
    let t = format!("{x:.1}");
    if t == "-0.0" { "0.0".to_owned() } else { t }
}

fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" {FONT}>\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc),
        w = c(width),
        h = c(height),
        id = escape(id),
    );
}

fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, fill: &str, content: &str) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
        c(x),
        c(y),
        escape(content)
    );
}

fn line(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"{extra}/>",
        c(x1),
        c(y1),
        c(x2),
        c(y2)
    );
}

fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
    let _ =
        write!(out, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>", c(x), c(y), c(w), c(h));
}

/// Days from `from` to `date` (may be negative).
fn day_offset(from: Date, date: Date) -> f64 {
    f64::from((date - from).get_days())
}

/// More points than this in one panel are drawn as grouped dots, sized by how many fall together.
pub const MAP_DOT_LIMIT: usize = 300;

/// The map of check-ins on the pleasantness × energy plane, one panel per part of the window.
pub fn emotion_map(panels: &[MapPanel], id: &str) -> String {
    let n = panels.len().max(1) as f64;
    let size = if panels.len() <= 2 { 200.0 } else { 150.0 };
    let (gap, margin, top, bottom) = (18.0, 10.0, 34.0, 30.0);
    let width = n * size + (n - 1.0) * gap + 2.0 * margin;
    let height = top + size + bottom;
    let total: usize = panels.iter().map(|p| p.points.len()).sum();
    let desc_parts: Vec<String> = panels
        .iter()
        .map(|p| {
            let mut q = [0usize; 4];
            for (v, e) in &p.points {
                if let Some(i) = Quadrant::ALL.iter().position(|x| *x == Quadrant::of(*v, *e)) {
                    q[i] += 1;
                }
            }
            let mut parts: Vec<String> = Quadrant::ALL
                .iter()
                .zip(q)
                .filter(|(_, k)| *k > 0)
                .map(|(quad, k)| format!("{k} {}", quad.label()))
                .collect();
            if parts.is_empty() {
                parts.push("none".to_owned());
            }
            format!(
                "{} to {}: {} ({})",
                p.from,
                p.to,
                words::count(p.points.len(), "check-in", "check-ins"),
                parts.join(", ")
            )
        })
        .collect();
    let desc = format!(
        "Each dot is a check-in, placed by how pleasant (left to right) and how energetic (bottom to top) \
         its feelings were. {} in all. {}.",
        words::count(total, "check-in", "check-ins"),
        desc_parts.join("; ")
    );
    let mut out = String::with_capacity(4096 + total * 60);
    open(&mut out, id, width, height, "Check-ins on the map of pleasantness and energy", &desc);
    for (i, panel) in panels.iter().enumerate() {
        let x0 = margin + i as f64 * (size + gap);
        let _ = write!(out, "<g transform=\"translate({},{})\">", c(x0), c(top));
        let label = if panel.from == panel.to {
            panel.from.to_string()
        } else {
            format!("{} – {}", panel.from, panel.to)
        };
        text(&mut out, size / 2.0, -20.0, 10.0, "middle", INK, &label);
        text(
            &mut out,
            size / 2.0,
            -8.0,
            9.0,
            "middle",
            MUTED,
            &words::count(panel.points.len(), "check-in with words", "check-ins with words"),
        );
        rect(&mut out, 0.0, 0.0, size, size, &format!("fill=\"#f6f8fa\" stroke=\"{GRID}\""));
        line(&mut out, size / 2.0, 0.0, size / 2.0, size, GRID, " stroke-dasharray=\"3 3\"");
        line(&mut out, 0.0, size / 2.0, size, size / 2.0, GRID, " stroke-dasharray=\"3 3\"");
        let corners = [
            (4.0, 11.0, "start", Quadrant::UnpleasantHighEnergy),
            (size - 4.0, 11.0, "end", Quadrant::PleasantHighEnergy),
            (4.0, size - 15.0, "start", Quadrant::UnpleasantLowEnergy),
            (size - 4.0, size - 15.0, "end", Quadrant::PleasantLowEnergy),
        ];
        for (x, y, anchor, quad) in corners {
            let (a, b) = quad.label().split_once(", ").unwrap_or((quad.label(), ""));
            text(&mut out, x, y, 7.5, anchor, MUTED, a);
            text(&mut out, x, y + 9.0, 7.5, anchor, MUTED, b);
        }
        let place = |v: f64, e: f64| {
            ((v.clamp(-1.0, 1.0) + 1.0) / 2.0 * size, (1.0 - e.clamp(-1.0, 1.0)) / 2.0 * size)
        };
        if panel.points.len() <= MAP_DOT_LIMIT {
            for (v, e) in &panel.points {
                let (x, y) = place(*v, *e);
                let _ = write!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{BLUE}\" fill-opacity=\"0.55\"/>",
                    c(x),
                    c(y)
                );
            }
        } else {
            // Group onto a 0.1 grid so that years of check-ins stay a light drawing.
            let mut cells: std::collections::BTreeMap<(i32, i32), usize> = std::collections::BTreeMap::new();
            for (v, e) in &panel.points {
                let key =
                    ((v.clamp(-1.0, 1.0) * 10.0).round() as i32, (e.clamp(-1.0, 1.0) * 10.0).round() as i32);
                *cells.entry(key).or_default() += 1;
            }
            let most = cells.values().copied().max().unwrap_or(1) as f64;
            for ((v, e), k) in cells {
                let (x, y) = place(f64::from(v) / 10.0, f64::from(e) / 10.0);
                let r = 1.5 + 6.5 * (k as f64 / most).sqrt();
                let _ = write!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{BLUE}\" fill-opacity=\"0.5\"/>",
                    c(x),
                    c(y),
                    c(r)
                );
            }
        }
        out.push_str("</g>");
    }
    text(
        &mut out,
        width / 2.0,
        height - 10.0,
        8.5,
        "middle",
        MUTED,
        "left to right: less to more pleasant · bottom to top: less to more energy",
    );
    out.push_str("</svg>");
    out
}

/// More medication markers than this are numbered but only the first ones are listed in the chart;
/// the report's table lists them all.
pub const MARKER_LEGEND_LIMIT: usize = 8;

/// Different feelings named and moments of release per period, with medication changes marked.
pub fn range_timeline(
    series: &[PeriodPoint],
    meds: &[MedicationEvent],
    from: Date,
    to: Date,
    id: &str,
) -> String {
    let (width, left, right) = (680.0, 40.0, 12.0);
    let plot_w = width - left - right;
    let (top, upper_h, gap, lower_h) = (26.0, 110.0, 30.0, 46.0);
    let legend_lines = meds.len().min(MARKER_LEGEND_LIMIT) + usize::from(meds.len() > MARKER_LEGEND_LIMIT);
    let axis_y = top + upper_h + gap + lower_h;
    let height = axis_y + 22.0 + legend_lines as f64 * 13.0 + if legend_lines > 0 { 6.0 } else { 0.0 };
    let span = (day_offset(from, to) + 1.0).max(1.0);
    let x = |d: Date| left + day_offset(from, d).clamp(0.0, span) / span * plot_w;
    let max_words = series.iter().map(|p| p.distinct_emotions).max().unwrap_or(0).max(4) as f64;
    let max_rel = series.iter().map(|p| p.releases).max().unwrap_or(0).max(2) as f64;
    let total_rel: usize = series.iter().map(|p| p.releases).sum();
    let checkins: usize = series.iter().map(|p| p.checkins).sum();
    let period = series.first().map_or(7, |p| p.days.max(1));
    let per = if series.len() > 1 && series.iter().skip(1).all(|p| p.days == 7) {
        "week".to_owned()
    } else {
        format!("{} days", series.get(1).map_or(period, |p| p.days))
    };
    let words_range = match (
        series.iter().map(|p| p.distinct_emotions).min(),
        series.iter().map(|p| p.distinct_emotions).max(),
    ) {
        (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
        _ => "none".to_owned(),
    };
    let med_desc: Vec<String> =
        meds.iter().map(|m| format!("{} {}: {}", m.date, m.name, words::med_event(m))).collect();
    let desc = format!(
        "Bars: different feelings named per {per} ({words_range}), from {from} to {to}, over {}. Lower bars: \
         moments of release per {per}, {total_rel} in all.{}",
        words::count(checkins, "check-in", "check-ins"),
        if med_desc.is_empty() {
            String::new()
        } else {
            format!(" Medication changes marked: {}.", med_desc.join("; "))
        }
    );
    let mut out = String::with_capacity(8192 + series.len() * 200);
    open(&mut out, id, width, height, "Emotional range and moments of release over time", &desc);
    text(&mut out, left, 12.0, 10.0, "start", INK, &format!("Different feelings named, per {per}"));
    text(&mut out, left, top + upper_h + 20.0, 10.0, "start", INK, &format!("Moments of release, per {per}"));
    // Axes and gridlines.
    for (base, h, max) in [(top, upper_h, max_words), (top + upper_h + gap, lower_h, max_rel)] {
        let ticks: Vec<f64> = if max <= 4.0 {
            (0..=max as i64).map(|t| t as f64).collect()
        } else {
            vec![0.0, (max / 2.0).round(), max]
        };
        for t in ticks {
            let y = base + h - t / max * h;
            line(&mut out, left, y, width - right, y, GRID, "");
            text(&mut out, left - 5.0, y + 3.0, 8.0, "end", MUTED, &words::num(t));
        }
    }
    for p in series {
        let (x0, x1) = (x(p.from), x(p.to.tomorrow().unwrap_or(p.to)));
        let w = (x1 - x0 - 1.0).max(0.5);
        if p.distinct_emotions > 0 {
            let h = p.distinct_emotions as f64 / max_words * upper_h;
            rect(
                &mut out,
                x0 + 0.5,
                top + upper_h - h,
                w,
                h,
                &format!("fill=\"{BLUE}\" fill-opacity=\"0.75\""),
            );
        }
        if p.releases > 0 {
            let base = top + upper_h + gap + lower_h;
            let h = p.releases as f64 / max_rel * lower_h;
            rect(&mut out, x0 + 0.5, base - h, w, h, &format!("fill=\"{TEAL}\" fill-opacity=\"0.8\""));
        }
    }
    if checkins == 0 {
        text(
            &mut out,
            left + plot_w / 2.0,
            top + upper_h / 2.0,
            10.0,
            "middle",
            MUTED,
            "No check-ins in this period",
        );
    }
    // Medication changes: numbered dashed lines across both panels.
    for (i, m) in meds.iter().enumerate() {
        let mx = x(m.date) + 0.5 * plot_w / span;
        line(&mut out, mx, top - 4.0, mx, axis_y, AMBER, " stroke-dasharray=\"4 3\" stroke-width=\"1.2\"");
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"#fff\" stroke=\"{AMBER}\"/>",
            c(mx),
            c(top - 10.0)
        );
        text(&mut out, mx, top - 7.0, 7.5, "middle", AMBER, &(i + 1).to_string());
    }
    line(&mut out, left, axis_y, width - right, axis_y, MUTED, "");
    text(&mut out, left, axis_y + 13.0, 8.5, "start", MUTED, &from.to_string());
    text(&mut out, width - right, axis_y + 13.0, 8.5, "end", MUTED, &to.to_string());
    let mut y = axis_y + 30.0;
    for (i, m) in meds.iter().take(MARKER_LEGEND_LIMIT).enumerate() {
        let label = format!("{}  {}  {}: {}", i + 1, m.date, m.name, words::med_event(m));
        text(&mut out, left, y, 8.5, "start", AMBER, &label);
        y += 13.0;
    }
    if meds.len() > MARKER_LEGEND_LIMIT {
        let more = meds.len() - MARKER_LEGEND_LIMIT;
        text(&mut out, left, y, 8.5, "start", AMBER, &format!("… and {more} more, listed under Medicines"));
    }
    out.push_str("</svg>");
    out
}

/// One questionnaire's totals over the window, drawn over its published bands.
pub fn questionnaire_trend(trend: &QuestionnaireTrend, from: Date, to: Date, id: &str) -> String {
    let (width, height) = (330.0, 176.0);
    let (left, right, top, bottom) = (28.0, 92.0, 24.0, 26.0);
    let (plot_w, plot_h) = (width - left - right, height - top - bottom);
    let max = f64::from(trend.max_total.max(1));
    let y = |v: f64| top + plot_h - v.clamp(0.0, max) / max * plot_h;
    let span = (day_offset(from, to) + 1.0).max(1.0);
    let x = |d: Date| left + (day_offset(from, d).clamp(0.0, span - 1.0) + 0.5) / span * plot_w;
    let bands = instrument(&trend.instrument).map(|i| i.bands.clone()).unwrap_or_default();
    let band_desc: Vec<String> = bands.iter().map(|b| format!("{} {}–{}", b.name, b.min, b.max)).collect();
    let points_desc: Vec<String> =
        trend.points.iter().map(|p| format!("{} on {}", p.total, p.date)).collect();
    let desc = format!(
        "{} totals from {from} to {to}: {}. Shaded bands, as published: {}.",
        trend.name,
        points_desc.join(", "),
        band_desc.join(", ")
    );
    let mut out = String::with_capacity(4096);
    open(&mut out, id, width, height, &format!("{} totals over time", trend.name), &desc);
    let scale = if trend.instrument == "who5" { " (raw 0–25; higher is better)" } else { "" };
    text(&mut out, left, 13.0, 10.0, "start", INK, &format!("{}{scale}", trend.name));
    for (i, b) in bands.iter().enumerate() {
        let y0 = y((f64::from(b.max) + 0.5).min(max));
        let y1 = y((f64::from(b.min) - 0.5).max(0.0));
        let opacity = 0.05 + 0.05 * i as f64;
        rect(&mut out, left, y0, plot_w, y1 - y0, &format!("fill=\"{BLUE}\" fill-opacity=\"{opacity:.2}\""));
        if y1 - y0 >= 9.0 {
            // WHO-5 names carry their percentage in brackets; the axis already shows the range.
            let name = b.name.split(" (").next().unwrap_or(&b.name);
            let label = format!("{name} {}–{}", b.min, b.max);
            let (lx, mid) = (left + plot_w + 4.0, (y0 + y1) / 2.0);
            // About 22 characters fit in the margin; a longer name goes on two lines when the
            // band is tall enough, so no label is cut off at the edge.
            if label.chars().count() > 22 && y1 - y0 >= 18.0 {
                text(&mut out, lx, mid - 1.0, 7.5, "start", MUTED, name);
                text(&mut out, lx, mid + 8.0, 7.5, "start", MUTED, &format!("{}–{}", b.min, b.max));
            } else {
                text(&mut out, lx, mid + 3.0, 7.5, "start", MUTED, &label);
            }
        }
    }
    for t in [0.0, max] {
        text(&mut out, left - 4.0, y(t) + 3.0, 8.0, "end", MUTED, &words::num(t));
    }
    line(&mut out, left, top + plot_h, left + plot_w, top + plot_h, MUTED, "");
    let coords: Vec<(f64, f64)> = trend.points.iter().map(|p| (x(p.date), y(f64::from(p.total)))).collect();
    if coords.len() > 1 {
        let pts: Vec<String> = coords.iter().map(|(a, b)| format!("{},{}", c(*a), c(*b))).collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"1.2\"/>",
            pts.join(" ")
        );
    }
    let label_points = trend.points.len() <= 12;
    for (p, (px, py)) in trend.points.iter().zip(&coords) {
        let _ = write!(out, "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{INK}\"/>", c(*px), c(*py));
        if label_points {
            text(&mut out, *px, py - 6.0, 8.0, "middle", INK, &p.total.to_string());
        }
    }
    text(&mut out, left, height - 8.0, 8.5, "start", MUTED, &from.to_string());
    text(&mut out, left + plot_w, height - 8.0, 8.5, "end", MUTED, &to.to_string());
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<a & \"b\" 'c'>"), "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;");
        assert_eq!(c(-0.01), "0.0");
    }
}
