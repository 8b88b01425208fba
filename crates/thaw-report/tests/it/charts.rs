//! The SVG charts, held by snapshots (their text is deterministic).

use thaw_core::insights::Window;
use thaw_report::{MapPanel, charts};

use crate::fixture;

#[test]
fn the_map_the_timeline_and_the_trends_are_stable() {
    let s = fixture::summary();
    insta::assert_snapshot!("emotion_map", charts::emotion_map(&s.map_panels, "map"));
    let timeline = charts::range_timeline(
        &s.insights.series,
        &s.insights.medications.events,
        s.window.from,
        s.window.to,
        "timeline",
    );
    insta::assert_snapshot!("range_timeline", timeline);
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
    );
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"a&lt;b-title\">"));
    assert!(svg.contains("<desc id=\"a&lt;b-desc\">") && svg.contains("sertraline: dose changed to 100 mg"));
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
    let timeline = charts::range_timeline(&s.insights.series, &[], w.from, w.to, "t");
    assert!(timeline.contains("No check-ins in this period"), "{timeline}");
    let map = charts::emotion_map(&s.map_panels, "m");
    assert!(map.contains("0 check-ins in all"), "{map}");
    assert_eq!(map.matches("<circle").count(), 0);
}

#[test]
fn years_of_checkins_are_grouped_into_few_dots() {
    let points: Vec<(f64, f64)> =
        (0..5_000).map(|i| (((i % 41) as f64 / 20.0) - 1.0, ((i % 37) as f64 / 18.0) - 1.0)).collect();
    let panel = MapPanel { from: "2020-01-01".parse().unwrap(), to: "2024-12-31".parse().unwrap(), points };
    let svg = charts::emotion_map(&[panel], "m");
    let dots = svg.matches("<circle").count();
    assert!(dots > 10 && dots <= 21 * 21, "{dots} dots");
    assert!(svg.contains("5000 check-ins"));
}
