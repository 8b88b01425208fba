//! SVG charts, written by hand: the map of check-ins on the pleasantness × energy plane, the range
//! timeline with medication changes marked, how often feelings were hard to reach, and
//! questionnaire totals over their published bands.
//!
//! Each chart is drawn for the size it is shown at. [`Layout::Wide`] fills a desktop page or the
//! width of an A4 page; [`Layout::Narrow`] is drawn for a phone, 320 units wide, so that at a
//! 390 px wide screen no text is smaller than 12 CSS px (every text is at least
//! [`Layout::min_font`] units, and the chart is never shown wider than its units). Pages show one
//! or the other by the screen's width (see `html::chart_pair`); the PDF uses the wide one.
//!
//! Output is deterministic (fixed layout, coordinates to one decimal) so that snapshot tests can
//! hold it, uses only a generic font family, escapes every piece of text (askama's HTML escaper,
//! the same one the pages use), and carries a `<title>` and `<desc>` for screen readers.

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
const PLUM: &str = "#8a4f7d";
const FONT: &str = "font-family=\"sans-serif\"";

/// The size a chart is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A desktop page or an A4 page: 680 units wide.
    Wide,
    /// A phone: 320 units wide, larger text, the map's panels two by two.
    Narrow,
}

impl Layout {
    /// The chart's width in units.
    pub fn width(self) -> f64 {
        match self {
            Layout::Wide => 680.0,
            Layout::Narrow => 320.0,
        }
    }

    /// The smallest text in the chart, in units.
    pub fn min_font(self) -> f64 {
        match self {
            Layout::Wide => 12.0,
            Layout::Narrow => 13.0,
        }
    }

    /// Headings inside the chart.
    fn title_font(self) -> f64 {
        self.min_font() + 1.0
    }

    /// The suffix of element ids, so that both layouts can be on one page.
    fn id_suffix(self) -> &'static str {
        match self {
            Layout::Wide => "",
            Layout::Narrow => "-narrow",
        }
    }
}

/// Escapes text for SVG and HTML, with askama's HTML escaper.
pub fn escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html).map(|s| s.to_string()).unwrap_or_default()
}

/// A coordinate with one decimal and no negative zero.
fn c(x: f64) -> String {
    let t = format!("{x:.1}");
    if t == "-0.0" { "0.0".to_owned() } else { t }
}

/// About how wide a text is at `size` (generic sans-serif averages a little over half an em).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// Room for a short label of digits and signs that must never be cut, whatever the font: wide
/// sans-serif faces (DejaVu Sans, the default on many Linux systems) give digits 0.64 em and "%"
/// 0.95 em, well above [`text_width`]'s average.
fn label_room(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.75
}

/// Splits `text` at spaces into lines of at most `width` units at `size`.
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if !current.is_empty() && text_width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `Mar 3`, or `Mar 2025` when the chart spans more than about ten months.
fn short_date(d: Date, long: bool) -> String {
    if long { d.strftime("%b %Y").to_string() } else { d.strftime("%b %-d").to_string() }
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

/// Text turned a quarter to the left (reading upwards), anchored at (x, y).
fn text_up(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, fill: &str, content: &str) {
    let _ = write!(
        out,
        "<text transform=\"translate({},{}) rotate(-90)\" font-size=\"{size}\" text-anchor=\"{anchor}\" \
         fill=\"{fill}\">{}</text>",
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

/// The horizontal scale of the charts over periods: the window from `left`, `plot_w` wide.
struct TimeAxis {
    from: Date,
    span: f64,
    left: f64,
    plot_w: f64,
    /// More than about ten months: dates are written as month and year.
    long: bool,
}

impl TimeAxis {
    fn new(from: Date, to: Date, left: f64, plot_w: f64) -> TimeAxis {
        let span = (day_offset(from, to) + 1.0).max(1.0);
        TimeAxis { from, span, left, plot_w, long: span > 300.0 }
    }

    fn x(&self, d: Date) -> f64 {
        self.left + day_offset(self.from, d).clamp(0.0, self.span) / self.span * self.plot_w
    }

    /// Where a period's bar starts and ends.
    fn period(&self, p: &PeriodPoint) -> (f64, f64) {
        (self.x(p.from), self.x(p.to.tomorrow().unwrap_or(p.to)))
    }

    /// The date under each period (every `step`-th when they are too narrow for one each), and
    /// whether they are turned to read upwards.
    fn labels(&self, series: &[PeriodPoint], size: f64) -> (Vec<(f64, String)>, bool, f64) {
        let labels: Vec<(f64, String)> = series
            .iter()
            .map(|p| {
                let (x0, x1) = self.period(p);
                ((x0 + x1) / 2.0, short_date(p.from, self.long))
            })
            .collect();
        let per = self.plot_w / series.len().max(1) as f64;
        let widest = labels.iter().map(|(_, t)| text_width(t, size)).fold(0.0, f64::max);
        if widest + 6.0 <= per {
            return (labels, false, size + 6.0);
        }
        let step = ((size * 1.2) / per).ceil().max(1.0) as usize;
        // Keep the latest period's date: it is the one a person looks for first.
        let last = labels.len().saturating_sub(1);
        let kept =
            labels.into_iter().enumerate().filter(|(i, _)| (last - i).is_multiple_of(step)).map(|(_, l)| l);
        (kept.collect(), true, widest + 8.0)
    }

    /// The height [`TimeAxis::draw_labels`] takes under the axis.
    fn labels_height(&self, series: &[PeriodPoint], size: f64) -> f64 {
        self.labels(series, size).2
    }

    fn draw_labels(&self, out: &mut String, series: &[PeriodPoint], axis_y: f64, size: f64) {
        let (labels, turned, _) = self.labels(series, size);
        for (x, label) in labels {
            line(out, x, axis_y, x, axis_y + 3.0, MUTED, "");
            if turned {
                text_up(out, x + size * 0.35, axis_y + 5.0, size, "end", MUTED, &label);
            } else {
                text(out, x, axis_y + size + 3.0, size, "middle", MUTED, &label);
            }
        }
    }
}

/// "week" or "14 days": what one bar stands for.
fn period_unit(series: &[PeriodPoint]) -> String {
    let period = series.first().map_or(7, |p| p.days.max(1));
    if series.len() > 1 && series.iter().skip(1).all(|p| p.days == 7) {
        "week".to_owned()
    } else {
        format!("{} days", series.get(1).map_or(period, |p| p.days))
    }
}

/// Writes `title` wrapped to `width` from (x, y) down; returns the y under its last line.
fn heading(out: &mut String, x: f64, y: f64, width: f64, size: f64, title: &str) -> f64 {
    let mut y = y;
    for l in wrap(title, size, width) {
        y += size + 2.0;
        text(out, x, y, size, "start", INK, &l);
    }
    y
}

/// More points than this in one panel are drawn as grouped dots, sized by how many fall together.
pub const MAP_DOT_LIMIT: usize = 300;

/// The map of check-ins on the pleasantness × energy plane, one panel per part of the window: in a
/// row on a wide page, two by two on a phone. The axes are named outside each square (more energy
/// above, less below, unpleasant left, pleasant right), so no label covers a dot.
pub fn emotion_map(panels: &[MapPanel], id: &str, layout: Layout) -> String {
    let id = format!("{id}{}", layout.id_suffix());
    let n = panels.len().max(1);
    let cols = match layout {
        Layout::Wide => n,
        Layout::Narrow => n.min(2),
    };
    let rows = n.div_ceil(cols);
    let (font, title_font) = (layout.min_font(), layout.title_font());
    let width = layout.width();
    // Around each square: a side label's band left and right, above and below.
    let band = font + 5.0;
    let gap = 12.0;
    let cell_w = (width - (cols as f64 - 1.0) * gap) / cols as f64;
    let size = (cell_w - 2.0 * band).min(200.0);
    let cell_pad = (cell_w - size - 2.0 * band) / 2.0;
    let header = title_font + font + 10.0;
    let cell_h = header + size + 2.0 * band + 8.0;
    let height = rows as f64 * cell_h;
    let total: usize = panels.iter().map(|p| p.points.len()).sum();
    let long = panels.first().zip(panels.last()).is_some_and(|(a, b)| day_offset(a.from, b.to) > 300.0);
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
    open(&mut out, &id, width, height, "Check-ins on the map of pleasantness and energy", &desc);
    for (i, panel) in panels.iter().enumerate() {
        let (col, row) = (i % cols, i / cols);
        let x0 = col as f64 * (cell_w + gap) + cell_pad + band;
        let y0 = row as f64 * cell_h + header + band;
        let _ = write!(out, "<g transform=\"translate({},{})\">", c(x0), c(y0));
        let label = if panel.from == panel.to {
            short_date(panel.from, long)
        } else {
            format!("{} – {}", short_date(panel.from, long), short_date(panel.to, long))
        };
        text(&mut out, size / 2.0, -band - font - 6.0, title_font, "middle", INK, &label);
        text(
            &mut out,
            size / 2.0,
            -band - 3.0,
            font,
            "middle",
            MUTED,
            &words::count(panel.points.len(), "check-in", "check-ins"),
        );
        rect(&mut out, 0.0, 0.0, size, size, &format!("fill=\"#f6f8fa\" stroke=\"{GRID}\""));
        line(&mut out, size / 2.0, 0.0, size / 2.0, size, GRID, " stroke-dasharray=\"3 3\"");
        line(&mut out, 0.0, size / 2.0, size, size / 2.0, GRID, " stroke-dasharray=\"3 3\"");
        text(&mut out, size / 2.0, -4.0, font, "middle", MUTED, "more energy");
        text(&mut out, size / 2.0, size + font + 1.0, font, "middle", MUTED, "less energy");
        text_up(&mut out, -4.0, size / 2.0, font, "middle", MUTED, "unpleasant");
        let _ = write!(
            out,
            "<text transform=\"translate({},{}) rotate(90)\" font-size=\"{font}\" text-anchor=\"middle\" \
             fill=\"{MUTED}\">pleasant</text>",
            c(size + 4.0),
            c(size / 2.0)
        );
        let place = |v: f64, e: f64| {
            ((v.clamp(-1.0, 1.0) + 1.0) / 2.0 * size, (1.0 - e.clamp(-1.0, 1.0)) / 2.0 * size)
        };
        if panel.points.len() <= MAP_DOT_LIMIT {
            for (v, e) in &panel.points {
                let (x, y) = place(*v, *e);
                let _ = write!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{BLUE}\" fill-opacity=\"0.55\"/>",
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
    out.push_str("</svg>");
    out
}

/// More medication markers than this are numbered but only the first ones are listed in the chart;
/// the report's table lists them all.
pub const MARKER_LEGEND_LIMIT: usize = 8;

/// Different feelings named and moments of release per period, with medication changes marked
/// and a date under every period (every few, when there are too many to fit).
pub fn range_timeline(
    series: &[PeriodPoint],
    meds: &[MedicationEvent],
    from: Date,
    to: Date,
    id: &str,
    layout: Layout,
) -> String {
    let id = format!("{id}{}", layout.id_suffix());
    let (font, title_font, width) = (layout.min_font(), layout.title_font(), layout.width());
    let (left, right) = (font * 2.2, 8.0);
    let plot_w = width - left - right;
    let axis = TimeAxis::new(from, to, left, plot_w);
    let (upper_h, lower_h) = match layout {
        Layout::Wide => (84.0, 36.0),
        Layout::Narrow => (120.0, 52.0),
    };
    let max_words = series.iter().map(|p| p.distinct_emotions).max().unwrap_or(0).max(4) as f64;
    let max_rel = series.iter().map(|p| p.releases).max().unwrap_or(0).max(2) as f64;
    let total_rel: usize = series.iter().map(|p| p.releases).sum();
    let checkins: usize = series.iter().map(|p| p.checkins).sum();
    let per = period_unit(series);
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
    let mut out = String::with_capacity(8192 + series.len() * 300);
    let mut y =
        heading(&mut out, 0.0, 0.0, width, title_font, &format!("Different feelings named, per {per}"));
    // Medication markers sit in a row above the bars.
    let marker_r = font * 0.6 + 1.0;
    let marker_y = y + 4.0 + marker_r;
    let top = if meds.is_empty() { y + 8.0 } else { marker_y + marker_r + 4.0 };
    let upper_base = top + upper_h;
    y = heading(
        &mut out,
        0.0,
        upper_base + 8.0,
        width,
        title_font,
        &format!("Moments of release, per {per}"),
    );
    let lower_top = y + 8.0;
    let axis_y = lower_top + lower_h;
    for (base, h, max) in [(top, upper_h, max_words), (lower_top, lower_h, max_rel)] {
        let ticks: Vec<f64> = if max <= 4.0 {
            (0..=max as i64).map(|t| t as f64).collect()
        } else {
            vec![0.0, (max / 2.0).round(), max]
        };
        // Fewer ticks when the panel is too short for each to have its line of text.
        let ticks: Vec<f64> = if h / max < font && ticks.len() > 2 { vec![0.0, max] } else { ticks };
        for t in ticks {
            let ty = base + h - t / max * h;
            line(&mut out, left, ty, width - right, ty, GRID, "");
            text(&mut out, left - 5.0, ty + font * 0.35, font, "end", MUTED, &words::num(t));
        }
    }
    for p in series {
        let (x0, x1) = axis.period(p);
        let w = (x1 - x0 - 1.0).max(0.5);
        if p.distinct_emotions > 0 {
            let h = p.distinct_emotions as f64 / max_words * upper_h;
            rect(&mut out, x0 + 0.5, upper_base - h, w, h, &format!("fill=\"{BLUE}\" fill-opacity=\"0.75\""));
        }
        if p.releases > 0 {
            let h = p.releases as f64 / max_rel * lower_h;
            rect(&mut out, x0 + 0.5, axis_y - h, w, h, &format!("fill=\"{TEAL}\" fill-opacity=\"0.8\""));
        }
    }
    if checkins == 0 {
        text(
            &mut out,
            left + plot_w / 2.0,
            top + upper_h / 2.0,
            font,
            "middle",
            MUTED,
            "No check-ins in this period",
        );
    }
    // Medication changes: numbered dashed lines across both panels.
    for (i, m) in meds.iter().enumerate() {
        let mx = axis.x(m.date) + 0.5 * plot_w / axis.span;
        line(
            &mut out,
            mx,
            marker_y + marker_r,
            mx,
            axis_y,
            AMBER,
            " stroke-dasharray=\"4 3\" stroke-width=\"1.2\"",
        );
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#fff\" stroke=\"{AMBER}\"/>",
            c(mx),
            c(marker_y),
            c(marker_r)
        );
        text(&mut out, mx, marker_y + font * 0.35, font, "middle", AMBER, &(i + 1).to_string());
    }
    line(&mut out, left, axis_y, width - right, axis_y, MUTED, "");
    axis.draw_labels(&mut out, series, axis_y, font);
    let mut y = axis_y + axis.labels_height(series, font) + 4.0;
    let legend: Vec<String> = meds
        .iter()
        .take(MARKER_LEGEND_LIMIT)
        .enumerate()
        .map(|(i, m)| format!("{}  {}  {}: {}", i + 1, m.date, m.name, words::med_event(m)))
        .chain(
            (meds.len() > MARKER_LEGEND_LIMIT)
                .then(|| format!("… and {} more, listed under Medicines", meds.len() - MARKER_LEGEND_LIMIT)),
        )
        .collect();
    // On a wide page the list runs in two columns, down the first and then the second.
    let cols = if layout == Layout::Wide && legend.len() > 2 { 2 } else { 1 };
    let col_w = width / cols as f64;
    let per_col = legend.len().div_ceil(cols);
    let legend_top = y;
    for (k, entries) in legend.chunks(per_col.max(1)).enumerate() {
        y = legend_top;
        for entry in entries {
            for l in wrap(entry, font, col_w - 8.0) {
                y += font + 3.0;
                text(&mut out, k as f64 * col_w, y, font, "start", AMBER, &l);
            }
        }
    }
    let mut y = y.max(legend_top);
    if cols == 2 {
        // The first column may be the longer one.
        let first: usize = legend.iter().take(per_col).map(|e| wrap(e, font, col_w - 8.0).len()).sum();
        y = y.max(legend_top + first as f64 * (font + 3.0));
    }
    out.push_str("</svg>");
    let mut svg = String::with_capacity(out.len() + 1024);
    open(&mut svg, &id, width, y + 6.0, "Emotional range and moments of release over time", &desc);
    svg.push_str(&out);
    svg
}

/// Per period, how often feelings were hard to reach: the share of check-ins answered "nothing" or
/// "can't tell" (a solid line with dots) and the share of the words named that come from the numb,
/// flat and empty family (a dashed line with squares). A period without check-ins leaves a gap.
pub fn absence_trend(series: &[PeriodPoint], from: Date, to: Date, id: &str, layout: Layout) -> String {
    let id = format!("{id}{}", layout.id_suffix());
    let (font, title_font, width) = (layout.min_font(), layout.title_font(), layout.width());
    // The axis labels ("100%") sit 5 units left of the plot and must fit in full.
    let (left, right) = (label_room(&words::percent(1.0), font) + 7.0, 10.0);
    let plot_w = width - left - right;
    let axis = TimeAxis::new(from, to, left, plot_w);
    let plot_h = match layout {
        Layout::Wide => 72.0,
        Layout::Narrow => 140.0,
    };
    let per = period_unit(series);
    let pct = |v: Option<f64>| v.map_or_else(|| "no check-ins".to_owned(), words::percent);
    let detail: Vec<String> = series
        .iter()
        .filter(|p| p.checkins > 0)
        .map(|p| {
            format!(
                "{}: {} of check-ins, {} of words",
                p.from,
                pct(p.absence_answer_share),
                p.absence_word_share.map_or_else(|| "no words".to_owned(), words::percent)
            )
        })
        .collect();
    let desc = format!(
        "Per {per}, from {from} to {to}: the share of check-ins answered \"nothing\" or \"can't tell\" \
         (solid line), and the share of the words named that are numb, flat, empty or similar (dashed \
         line). {}",
        if detail.is_empty() {
            "No check-ins in this period.".to_owned()
        } else if detail.len() <= 40 {
            format!("{}.", detail.join("; "))
        } else {
            format!("{} with check-ins.", words::count(detail.len(), "period", "periods"))
        }
    );
    let mut out = String::with_capacity(4096 + series.len() * 200);
    let mut y = heading(
        &mut out,
        0.0,
        0.0,
        width,
        title_font,
        &format!("How often feelings were hard to reach, per {per}"),
    );
    // The legend: one line each, the mark drawn as on the chart.
    let legend = [
        (INK, "", "circle", "Answered \"nothing\" or \"can't tell\""),
        (PLUM, " stroke-dasharray=\"5 3\"", "square", "Numb, flat, empty and similar words"),
    ];
    for (colour, dash, mark, label) in legend {
        y += font + 6.0;
        let my = y - font * 0.35;
        line(&mut out, 0.0, my, 22.0, my, colour, &format!(" stroke-width=\"2\"{dash}"));
        marker(&mut out, mark, 11.0, my, colour);
        text(&mut out, 28.0, y, font, "start", INK, label);
    }
    let top = y + font + 2.0;
    let base = top + plot_h;
    let yv = |v: f64| base - v.clamp(0.0, 1.0) * plot_h;
    for t in [0.0, 0.5, 1.0] {
        let ty = yv(t);
        line(&mut out, left, ty, width - right, ty, GRID, "");
        text(&mut out, left - 5.0, ty + font * 0.35, font, "end", MUTED, &words::percent(t));
    }
    let mid = |p: &PeriodPoint| {
        let (x0, x1) = axis.period(p);
        (x0 + x1) / 2.0
    };
    let lines: [(&str, &str, &str, Share); 2] = [
        (INK, "", "circle", |p| p.absence_answer_share),
        (PLUM, " stroke-dasharray=\"5 3\"", "square", |p| p.absence_word_share),
    ];
    for (colour, dash, mark, value) in lines {
        // Consecutive periods with a value make one stretch of line.
        let mut stretch: Vec<(f64, f64)> = Vec::new();
        let mut stretches = Vec::new();
        for p in series {
            match value(p) {
                Some(v) => stretch.push((mid(p), yv(v))),
                None => stretches.push(std::mem::take(&mut stretch)),
            }
        }
        stretches.push(stretch);
        for s in stretches.iter().filter(|s| s.len() > 1) {
            let pts: Vec<String> = s.iter().map(|(a, b)| format!("{},{}", c(*a), c(*b))).collect();
            let _ = write!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>",
                pts.join(" ")
            );
        }
        // Markers for each period while they stay apart; a long series is clearer as lines alone
        // (a period standing alone between gaps keeps its marker).
        let apart = plot_w / series.len().max(1) as f64 >= 9.0;
        for s in &stretches {
            if apart || s.len() == 1 {
                for (px, py) in s {
                    marker(&mut out, mark, *px, *py, colour);
                }
            }
        }
    }
    if detail.is_empty() {
        text(
            &mut out,
            left + plot_w / 2.0,
            top + plot_h / 2.0,
            font,
            "middle",
            MUTED,
            "No check-ins in this period",
        );
    }
    line(&mut out, left, base, width - right, base, MUTED, "");
    axis.draw_labels(&mut out, series, base, font);
    let height = base + axis.labels_height(series, font) + 6.0;
    out.push_str("</svg>");
    let mut svg = String::with_capacity(out.len() + 1024);
    open(&mut svg, &id, width, height, "How often feelings were hard to reach, over time", &desc);
    svg.push_str(&out);
    svg
}

/// Which share of a period a line draws.
type Share = fn(&PeriodPoint) -> Option<f64>;

/// A dot or a small square centred on (x, y).
fn marker(out: &mut String, mark: &str, x: f64, y: f64, colour: &str) {
    if mark == "square" {
        rect(
            out,
            x - 3.5,
            y - 3.5,
            7.0,
            7.0,
            &format!("fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"1.5\""),
        );
    } else {
        let _ = write!(out, "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{colour}\"/>", c(x), c(y));
    }
}

/// One questionnaire's totals over the window, drawn over its published bands. One size serves
/// every place it is shown (side by side on a wide page, one under another on a phone): 320 units
/// wide with phone-sized text.
pub fn questionnaire_trend(trend: &QuestionnaireTrend, from: Date, to: Date, id: &str) -> String {
    let layout = Layout::Narrow;
    let (font, title_font, width) = (layout.min_font(), layout.title_font(), layout.width());
    let height = 200.0;
    let (left, right, top, bottom) = (font * 2.2, 132.0, title_font + 12.0, font + 10.0);
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
    let scale = if trend.instrument == "who5" { " (0–25, higher is better)" } else { "" };
    text(&mut out, 0.0, title_font + 2.0, title_font, "start", INK, &format!("{}{scale}", trend.name));
    let long = span > 300.0;
    for (i, b) in bands.iter().enumerate() {
        let y0 = y((f64::from(b.max) + 0.5).min(max));
        let y1 = y((f64::from(b.min) - 0.5).max(0.0));
        let opacity = 0.05 + 0.05 * i as f64;
        rect(&mut out, left, y0, plot_w, y1 - y0, &format!("fill=\"{BLUE}\" fill-opacity=\"{opacity:.2}\""));
        // The band's name beside it, on as many lines as its height and the margin allow.
        let name = b.name.split(" (").next().unwrap_or(&b.name);
        let mut lines = wrap(name, font, right - 6.0);
        lines.push(format!("{}–{}", b.min, b.max));
        if lines.len() == 2 && text_width(&lines.join(" "), font) <= right - 6.0 {
            lines = vec![lines.join(" ")];
        }
        let room = ((y1 - y0) / font).floor() as usize;
        if room == 0 {
            continue;
        }
        if lines.len() > room {
            // Keep the range on the last line that fits.
            let range = lines.pop().unwrap_or_default();
            lines.truncate(room.saturating_sub(1));
            if let Some(last) = lines.last_mut() {
                last.push_str(" …");
            }
            lines.push(range);
            lines.truncate(room);
        }
        let lx = left + plot_w + 5.0;
        let first = (y0 + y1) / 2.0 - (lines.len() as f64 - 1.0) * font / 2.0 + font * 0.35;
        for (k, l) in lines.iter().enumerate() {
            text(&mut out, lx, first + k as f64 * font, font, "start", MUTED, l);
        }
    }
    for t in [0.0, max] {
        text(&mut out, left - 4.0, y(t) + font * 0.35, font, "end", MUTED, &words::num(t));
    }
    line(&mut out, left, top + plot_h, left + plot_w, top + plot_h, MUTED, "");
    let coords: Vec<(f64, f64)> = trend.points.iter().map(|p| (x(p.date), y(f64::from(p.total)))).collect();
    if coords.len() > 1 {
        let pts: Vec<String> = coords.iter().map(|(a, b)| format!("{},{}", c(*a), c(*b))).collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"1.5\"/>",
            pts.join(" ")
        );
    }
    let label_points = trend.points.len() <= 6;
    for (p, (px, py)) in trend.points.iter().zip(&coords) {
        let _ = write!(out, "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{INK}\"/>", c(*px), c(*py));
        if label_points {
            text(&mut out, *px, py - 7.0, font, "middle", INK, &p.total.to_string());
        }
    }
    text(&mut out, left, height - 6.0, font, "start", MUTED, &short_date(from, long));
    text(&mut out, left + plot_w, height - 6.0, font, "end", MUTED, &short_date(to, long));
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<a & \"b\" 'c'>"), "&#60;a &#38; &#34;b&#34; &#39;c&#39;&#62;");
        assert_eq!(c(-0.01), "0.0");
    }

    #[test]
    fn long_text_wraps_at_spaces() {
        assert_eq!(wrap("one two three", 10.0, 30.0), ["one", "two", "three"]);
        assert_eq!(wrap("one two", 10.0, 1000.0), ["one two"]);
        assert_eq!(short_date("2025-03-03".parse().unwrap(), false), "Mar 3");
        assert_eq!(short_date("2025-03-03".parse().unwrap(), true), "Mar 2025");
    }
}
