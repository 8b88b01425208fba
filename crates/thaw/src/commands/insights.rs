//! `thaw insights`: the person's own pattern over a window of days (docs/INSIGHTS.md).

use anyhow::Result;
use thaw_core::insights::Window;

use super::Ctx;
use crate::cli::InsightsArgs;
use crate::output;

/// The window from --from/--to, as thaw-app picks it for every edge.
pub fn window(ctx: &Ctx, from: Option<&str>, to: Option<&str>, default_days: i64) -> Result<Window> {
    Ok(thaw_app::window::window(&ctx.clock, from, to, default_days)?)
}

pub fn run(ctx: &Ctx, args: &InsightsArgs) -> Result<()> {
    let window = window(ctx, args.from.as_deref(), args.to.as_deref(), thaw_app::window::INSIGHT_DAYS)?;
    let store = ctx.open()?;
    let summary = ctx.app(store.as_ref()).summary(&window)?;
    if ctx.json {
        return output::json(&summary.insights);
    }
    print!("{}", text(&summary));
    Ok(())
}

/// The terminal version: short sections, plain words, no colour needed.
fn text(s: &thaw_report::Summary) -> String {
    use std::fmt::Write as _;
    use thaw_report::{html, words};
    let i = &s.insights;
    let mut out = String::new();
    let _ = writeln!(out, "Your own pattern, {}\n", words::period(s));
    let _ = writeln!(out, "Feelings");
    for (name, value) in html::range_figures(s) {
        let _ = writeln!(out, "  {name}: {value}");
    }
    let unit = if i.period_days == 7 { "Week".to_owned() } else { format!("{} days", i.period_days) };
    if i.series.len() > 1 {
        let _ = writeln!(
            out,
            "\n{unit} by {}: different feelings named, and moments of release",
            unit.to_lowercase()
        );
        let most = i.series.iter().map(|p| p.distinct_emotions).max().unwrap_or(0).max(1);
        for p in i.series.iter().rev().take(26).rev() {
            let bar = "#".repeat((p.distinct_emotions * 20).div_ceil(most).min(20));
            let _ = writeln!(
                out,
                "  {} to {}  {:>3} {:<20}  {} release{}",
                p.from,
                p.to,
                p.distinct_emotions,
                bar,
                p.releases,
                if p.releases == 1 { "" } else { "s" }
            );
        }
        if i.series.len() > 26 {
            let _ = writeln!(out, "  (the latest 26 of {}; `--json` has them all)", i.series.len());
        }
    }
    let _ = writeln!(out, "\nReactions and activities");
    for line in html::pattern_lines(s) {
        let _ = writeln!(out, "  {line}");
    }
    for st in &i.reactions.styles {
        let _ = writeln!(out, "    {}: {}", st.label, st.count);
    }
    for k in &i.activities.kinds {
        let _ = writeln!(out, "    {}", words::activity(k));
    }
    if !i.medications.events.is_empty() {
        let _ = writeln!(out, "\nMedicine changes");
        for e in &i.medications.events {
            let _ = writeln!(out, "  {}  {}: {}", e.date, e.name, words::med_event(e));
        }
    }
    if !i.questionnaires.is_empty() {
        let _ = writeln!(out, "\nQuestionnaires");
        for t in &i.questionnaires {
            let totals: Vec<String> = t.points.iter().map(|p| format!("{} on {}", p.total, p.date)).collect();
            let _ = writeln!(out, "  {}: {}", t.name, totals.join(", "));
            for nine in &t.item9 {
                let _ = writeln!(out, "  {}", words::item9_line(nine));
            }
        }
    }
    let _ = writeln!(
        out,
        "\nThis is your own pattern, to notice how it changes; it isn't a score. \
         `thaw report` makes a summary to bring to a visit."
    );
    out
}
