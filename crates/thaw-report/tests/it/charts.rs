//! The SVG charts, held by snapshots (their text is deterministic).

use thaw_core::insights::Window;
use thaw_report::charts::Layout;
use thaw_report::{MapPanel, charts};

use crate::fixture;

#[test]
fn the_map_the_timeline_and_the_trends_are_stable() {
    let s = fixture::summary();
    insta::assert_snapshot!("emotion_map", charts::emotion_map(&s.map_panels, "map", Layout::Wide));
    insta::assert_snapshot!("emotion_map_narrow", charts::emotion_map(&s.map_panels, "map", Layout::Narrow));
    for (name, layout) in [("range_timeline", Layout::Wide), ("range_timeline_narrow", Layout::Narrow)] {
        let timeline = charts::range_timeline(
            &s.insights.series,
            &s.insights.medications.events,
            s.window.from,
            s.window.to,
            "timeline",
            layout,
        );
        insta::assert_snapshot!(name, timeline);
    }
    for (name, layout) in [("absence_trend", Layout::Wide), ("absence_trend_narrow", Layout::Narrow)] {
        let svg = charts::absence_trend(&s.insights.series, s.window.from, s.window.to, "absence", layout);
        insta::assert_snapshot!(name, svg);
    }
    for t in &s.insights.questionnaires {
        insta::assert_snapshot!(
            format!("trend_{}", t.instrument),
            charts::questionnaire_trend(t, s.window.from, s.window.to, "trend")
        );
    }
}

#[test]
fn charts_are_accessible_and_escape_text() {
    let s = fixture::summary();
    let svg = charts::range_timeline(
        &s.insights.series,
        &s.insights.medications.events,
        s.window.from,
        s.window.to,
        "a<b",
        Layout::Wide,
    );
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"a&#60;b-title\">"));
    assert!(svg.contains("<desc id=\"a&#60;b-desc\">") && svg.contains("sertraline: dose changed to 100 mg"));
    assert!(!svg.contains("a<b"));
    assert_eq!(svg.matches("<svg").count(), 1);
    assert!(svg.ends_with("</svg>"));
}

#[test]
fn an_empty_period_still_draws_calmly() {
    let w =
        Window::new("2025-06-01".parse().unwrap(), "2025-06-14".parse().unwrap(), &jiff::tz::TimeZone::UTC)
            .unwrap();
    let s = thaw_report::Summary::from_records(
        &[],
        &w,
        thaw_core::vocabulary(),
        fixture::ts("2025-06-15T00:00:00Z"),
        vec![],
    );
    let timeline = charts::range_timeline(&s.insights.series, &[], w.from, w.to, "t", Layout::Narrow);
    assert!(timeline.contains("No check-ins in this period"), "{timeline}");
    let absence = charts::absence_trend(&s.insights.series, w.from, w.to, "a", Layout::Narrow);
    assert!(absence.contains("No check-ins in this period"), "{absence}");
    assert_eq!(absence.matches("<polyline").count(), 0);
    let map = charts::emotion_map(&s.map_panels, "m", Layout::Narrow);
    assert!(map.contains("0 check-ins in all"), "{map}");
    assert_eq!(map.matches("<circle").count(), 0);
}

#[test]
fn years_of_checkins_are_grouped_into_few_dots() {
    let points: Vec<(f64, f64)> =
        (0..5_000).map(|i| (((i % 41) as f64 / 20.0) - 1.0, ((i % 37) as f64 / 18.0) - 1.0)).collect();
    let panel = MapPanel { from: "2020-01-01".parse().unwrap(), to: "2024-12-31".parse().unwrap(), points };
    let svg = charts::emotion_map(&[panel], "m", Layout::Wide);
    let dots = svg.matches("<circle").count();
    assert!(dots > 10 && dots <= 21 * 21, "{dots} dots");
    assert!(svg.contains("5000 check-ins"));
}

/// Every `font-size` in a chart, in its own units.
fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"").skip(1).filter_map(|rest| rest.split('"').next()?.parse().ok()).collect()
}

/// The chart's width in units, from its viewBox.
fn view_width(svg: &str) -> f64 {
    let vb = svg.split("viewBox=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
    vb.split(' ').nth(2).unwrap().parse().unwrap()
}

#[test]
fn on_a_phone_no_text_is_smaller_than_12_px() {
    // At 390 px wide, a page leaves at least 300 px for a chart; a chart is never shown wider
    // than its own units, so text of `size` units shows at `size × min(1, 300 / width)` px.
    let s = fixture::summary();
    let long = thaw_core::insights::Window::new(
        "2025-01-01".parse().unwrap(),
        "2025-12-31".parse().unwrap(),
        &jiff::tz::TimeZone::UTC,
    )
    .unwrap();
    let year = thaw_report::Summary::from_records(
        &fixture::records(),
        &long,
        thaw_core::vocabulary(),
        fixture::ts("2026-01-01T00:00:00Z"),
        vec![],
    );
    for s in [&s, &year] {
        let mut svgs = vec![
            charts::emotion_map(&s.map_panels, "m", Layout::Narrow),
            charts::range_timeline(
                &s.insights.series,
                &s.insights.medications.events,
                s.window.from,
                s.window.to,
                "t",
                Layout::Narrow,
            ),
            charts::absence_trend(&s.insights.series, s.window.from, s.window.to, "a", Layout::Narrow),
        ];
        svgs.extend(
            s.insights
                .questionnaires
                .iter()
                .map(|t| charts::questionnaire_trend(t, s.window.from, s.window.to, "q")),
        );
        for svg in svgs {
            let scale = (300.0 / view_width(&svg)).min(1.0);
            let smallest = font_sizes(&svg).into_iter().fold(f64::MAX, f64::min);
            assert!(smallest * scale >= 12.0, "{smallest} units at {scale}: {svg}");
        }
    }
}

#[test]
fn every_week_has_its_date_under_it() {
    let s = fixture::summary();
    for layout in [Layout::Wide, Layout::Narrow] {
        let svg = charts::range_timeline(&s.insights.series, &[], s.window.from, s.window.to, "t", layout);
        for d in ["Mar 1", "Mar 8", "Mar 15", "Mar 22"] {
            assert!(svg.contains(&format!(">{d}</text>")), "{d} in {svg}");
        }
    }
}

#[test]
fn the_map_names_its_axes_outside_the_squares_and_goes_two_by_two_on_a_phone() {
    let s = fixture::summary();
    assert_eq!(s.map_panels.len(), 4);
    let narrow = charts::emotion_map(&s.map_panels, "m", Layout::Narrow);
    let wide = charts::emotion_map(&s.map_panels, "m", Layout::Wide);
    // Four panels: in one row on a wide page (the same y), two rows on a phone.
    let rows = |svg: &str| {
        let mut ys: Vec<String> = svg
            .split("<g transform=\"translate(")
            .skip(1)
            .filter_map(|r| r.split(')').next()?.split(',').nth(1).map(str::to_owned))
            .collect();
        ys.dedup();
        ys.sort();
        ys.dedup();
        ys.len()
    };
    assert_eq!((rows(&wide), rows(&narrow)), (1, 2));
    for svg in [&narrow, &wide] {
        assert_eq!(svg.matches(">more energy<").count(), 4);
        assert_eq!(svg.matches(">unpleasant<").count(), 4);
        assert!(!svg.contains("unpleasant, less energy<"), "no corner label inside a square");
    }
}
