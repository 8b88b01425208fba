//! The PDF: made from the fixture, read back with poppler's pdftotext, pdfinfo and pdffonts.
//! Set THAW_KEEP_PDF=DIR to keep the file (and `pdftoppm -r 60 -png` it to look at the pages).

use std::path::Path;
use std::process::Command;

use crate::fixture;

fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} isn't available ({e}). Install poppler-utils (apt-get install poppler-utils), as .ci/run does.")
    });
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_pdf_holds_the_summary_on_one_to_three_pages_with_fonts_embedded() {
    let bytes = thaw_report::pdf::render(&fixture::summary()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("THAW_KEEP_PDF");
    let folder = keep.as_deref().map(Path::new).unwrap_or(dir.path());
    let path = folder.join("summary.pdf");
    std::fs::write(&path, &bytes).unwrap();

    let info = poppler("pdfinfo", &[path.as_os_str()]);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count: {info}"));
    assert!((1..=3).contains(&pages), "{pages} pages");
    assert!(info.contains("595.") && info.contains("841."), "A4: {info}");

    let fonts = poppler("pdffonts", &[path.as_os_str()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        // Columns: name type encoding emb sub uni object ID.
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols.len() >= 6 && cols[cols.len() - 5] == "yes", "font not embedded: {row}");
    }

    let text = poppler("pdftotext", &[path.as_os_str(), std::ffi::OsStr::new("-")]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Visit summary",
        "2025-03-01 to 2025-03-28 (28 days)",
        "sertraline (SSRI)",
        "dose changed to 100 mg",
        "PHQ-9",
        "11 of 27",
        "7 of 27",
        "Item 9 answered \"Several days\" on 2025-03-05",
        "Could the dose be part of why I can't cry?",
        "Is it <normal> to feel \"flat\" & tired in the mornings?",
        "not a diagnosis",
        "Different feelings named",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn ten_years_of_generated_data_still_fit_on_three_pages() {
    use thaw_core::sample::Generator;
    let end = fixture::ts("2026-11-20T12:00:00Z");
    let records: Vec<_> = Generator::new(5, 30_000, 10, end).collect();
    let to = end.date_in(&jiff::tz::TimeZone::UTC);
    let window = thaw_core::insights::Window::ending(to, 3_650, &jiff::tz::TimeZone::UTC).unwrap();
    let questions = vec!["A question".to_owned(); 5];
    let s = thaw_report::Summary::from_records(&records, &window, thaw_core::vocabulary(), end, questions);
    assert!(s.insights.questionnaires.iter().map(|t| t.points.len()).sum::<usize>() > 40);
    let bytes = thaw_report::pdf::render(&s).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("THAW_KEEP_PDF");
    let path = keep.as_deref().map(Path::new).unwrap_or(dir.path()).join("ten.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let info = poppler("pdfinfo", &[path.as_os_str()]);
    let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!((1..=3).contains(&pages), "{pages} pages");
    let text = poppler("pdftotext", &[path.as_os_str(), std::ffi::OsStr::new("-")]);
    assert!(text.contains("earlier ones are in the charts"), "{text}");
}
