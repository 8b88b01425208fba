//! The summary as a PDF: A4, charts included, fonts embedded, drawn with krilla (and krilla-svg for
//! the charts) through the small page layout in [`layout`]. It says the same things, in the same
//! words, as the HTML and Markdown versions.
//!
//! Why not typst: typst as a library was tried first and is the richer layout engine, but it added
//! far more than the project's limit of about six minutes to a debug build on two cores (measured in
//! docs/PERFORMANCE.md); krilla is the PDF writer typst itself uses, without the typesetting system.

mod layout;

use thaw_core::instrument;

use self::layout::{Face, Flow, INK, MUTED};
use crate::charts::Layout;
use crate::html::{pattern_lines, range_figures, selfcheck_line};
use crate::{ReportError, Summary, charts, words};

/// The medicine-change table lists at most this many, the latest.
pub const MAX_MED_ROWS: usize = 8;

/// The PDF's bytes.
pub fn render(s: &Summary) -> Result<Vec<u8>, ReportError> {
    let mut f = Flow::new()?;
    let period = words::period(s);
    f.paragraph(words::TITLE, Face::Bold, 18.0, INK);
    f.paragraph(&period, Face::Bold, 12.0, INK);
    f.paragraph(
        &format!("{} Made on {}.", words::NOT_A_DIAGNOSIS, s.generated_date()),
        Face::Regular,
        9.5,
        MUTED,
    );

    medicines(&mut f, s);
    questionnaires(&mut f, s)?;

    f.heading("Emotional range", 120.0);
    let rows: Vec<Vec<String>> = range_figures(s).into_iter().map(|(k, v)| vec![k.to_owned(), v]).collect();
    f.table(&[0.3, 0.7], None, &rows, 9.5);
    let timeline = charts::range_timeline(
        &s.insights.series,
        &s.insights.medications.events,
        s.window.from,
        s.window.to,
        "timeline",
        Layout::Wide,
    );
    f.figures(&[&timeline], 1.0)?;
    let absence =
        charts::absence_trend(&s.insights.series, s.window.from, s.window.to, "absence", Layout::Wide);
    f.figures(&[&absence], 1.0)?;
    // The map: as wide as the page when it has four panels, narrower with fewer.
    let map = charts::emotion_map(&s.map_panels, "map", Layout::Wide);
    let share = if s.map_panels.len() >= 3 { 0.66 } else { 0.5 };
    f.figures(&[&map], share)?;

    f.heading("Reactions and activities", 40.0);
    for line in pattern_lines(s) {
        f.paragraph(&line, Face::Regular, 9.5, INK);
    }
    // One line rather than a table, so that a long period still fits on three pages.
    let styles: Vec<String> =
        s.insights.reactions.styles.iter().map(|st| format!("{} {}", st.label, st.count)).collect();
    if !styles.is_empty() {
        f.paragraph(&format!("Ways of reacting noted: {}.", styles.join(", ")), Face::Regular, 9.5, INK);
    }
    let activities: Vec<String> = s.insights.activities.kinds.iter().map(words::activity).collect();
    if !activities.is_empty() {
        f.bullets(&activities, false);
    }

    f.heading("Self-check: possible reasons", 20.0);
    f.paragraph(&selfcheck_line(s), Face::Regular, 9.5, INK);

    f.heading("Questions for this visit", 30.0);
    if s.questions.is_empty() {
        f.paragraph("None added.", Face::Regular, 9.5, INK);
    } else {
        f.bullets(&s.questions, true);
    }

    f.heading("How to read this", 40.0);
    let how: Vec<String> = words::HOW_TO_READ.iter().map(|l| (*l).to_owned()).collect();
    f.bullets(&how, false);
    f.paragraph(words::SOURCE_NOTE, Face::Regular, 7.5, MUTED);
    for t in &s.insights.questionnaires {
        if let Ok(inst) = instrument(&t.instrument) {
            f.paragraph(&inst.copyright, Face::Regular, 7.5, MUTED);
        }
    }
    f.finish(&format!("{} · {period}", words::TITLE), &format!("Thaw · {period} · not a diagnosis"))
}

fn medicines(f: &mut Flow, s: &Summary) {
    let m = &s.insights.medications;
    f.heading("Medicines", 40.0);
    if m.at_end.is_empty() {
        f.paragraph("No medicines recorded.", Face::Regular, 9.5, INK);
        return;
    }
    f.paragraph(&format!("As of {}.", s.window.to), Face::Italic, 9.0, MUTED);
    let rows: Vec<Vec<String>> = m
        .at_end
        .iter()
        .map(|med| vec![words::med_name(&med.name, med.class.as_deref()), words::med_status(med, s)])
        .collect();
    f.table(&[0.4, 0.6], Some(&["Medicine", "Where it stands"]), &rows, 9.5);
    if m.events.is_empty() {
        f.paragraph("No changes during this period.", Face::Regular, 9.5, INK);
    } else {
        f.paragraph("Changes during this period (numbered as on the timeline):", Face::Bold, 9.5, INK);
        // The latest ones; the timeline marks them all, numbered the same way.
        let skip = m.events.len().saturating_sub(MAX_MED_ROWS);
        let rows: Vec<Vec<String>> = m
            .events
            .iter()
            .enumerate()
            .skip(skip)
            .map(|(i, e)| {
                vec![
                    format!("{} ({})", e.date, i + 1),
                    e.name.clone(),
                    words::med_event(e),
                    e.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        f.table(&[0.2, 0.2, 0.25, 0.35], Some(&["Date", "Medicine", "Change", "Note"]), &rows, 9.0);
        if skip > 0 {
            let earlier = words::count(skip, "earlier change is", "earlier changes are");
            f.paragraph(
                &format!("The latest {MAX_MED_ROWS} are listed; {earlier} marked on the timeline."),
                Face::Regular,
                9.0,
                MUTED,
            );
        }
    }
    if m.taken > 0 {
        f.paragraph(
            &format!("{} noted as taken.", words::count(m.taken, "dose", "doses")),
            Face::Regular,
            9.0,
            MUTED,
        );
    }
}

fn questionnaires(f: &mut Flow, s: &Summary) -> Result<(), ReportError> {
    let trends = &s.insights.questionnaires;
    f.heading("Questionnaires", 40.0);
    if trends.is_empty() {
        f.paragraph("No questionnaires taken during this period.", Face::Regular, 9.5, INK);
        return Ok(());
    }
    let (rows, hidden) = words::questionnaire_rows(s);
    let rows: Vec<Vec<String>> = rows.into_iter().map(Vec::from).collect();
    f.table(
        &[0.15, 0.15, 0.17, 0.33, 0.2],
        Some(&["Date", "Questionnaire", "Total", "Published range", "Change since previous"]),
        &rows,
        9.0,
    );
    if hidden > 0 {
        f.paragraph(&words::earlier_questionnaires(hidden), Face::Regular, 9.0, MUTED);
    }
    let nines: Vec<(String, bool)> =
        trends.iter().flat_map(|t| &t.item9).map(|i| (words::item9_line(i), true)).collect();
    if !nines.is_empty() {
        let mut lines = vec![(words::ITEM9_NOTE.to_owned(), false)];
        lines.extend(nines);
        f.note(&lines);
    }
    let svgs: Vec<String> = trends
        .iter()
        .map(|t| {
            charts::questionnaire_trend(t, s.window.from, s.window.to, &format!("trend-{}", t.instrument))
        })
        .collect();
    // Side by side in one row (three at most), so that a long period still fits on three pages.
    // Each chart is drawn with phone-sized text, so even at a third of the page its smallest text
    // is about 6.5 pt, and 10 pt at half.
    for row in svgs.chunks(3) {
        let refs: Vec<&str> = row.iter().map(String::as_str).collect();
        f.figures(&refs, 1.0 / refs.len().max(2) as f32)?;
    }
    Ok(())
}
