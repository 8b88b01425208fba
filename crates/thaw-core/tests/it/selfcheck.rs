//! content/selfcheck.toml: eight areas, one to three questions each, sensitive ones announced.

use std::collections::HashSet;

use thaw_core::features::feature;
use thaw_core::selfcheck::selfcheck;

#[test]
fn the_eight_reason_areas_are_there() {
    let c = selfcheck();
    let ids: Vec<&str> = c.areas.iter().map(|a| a.id.as_str()).collect();
    for id in [
        "shame-stigma",
        "medication",
        "gender-norms",
        "childhood",
        "long-held-troubles",
        "anxiety-judgement",
        "trauma-loss",
        "medical",
    ] {
        assert!(ids.contains(&id), "area {id}");
    }
    assert_eq!(c.scale.len(), 4);
    assert!(c.not_a_diagnosis.contains("not a diagnosis"));
}

#[test]
fn every_area_is_complete() {
    let c = selfcheck();
    let mut question_ids = HashSet::new();
    for a in &c.areas {
        assert!((1..=3).contains(&a.questions.len()), "{}: {} questions", a.id, a.questions.len());
        assert!(usize::from(a.threshold) < c.scale.len() && a.threshold > 0, "{}", a.id);
        assert!(!a.explanation.trim().is_empty() && !a.next_steps.is_empty(), "{}", a.id);
        // Explanations are shown to people: they cite publications, never a placeholder.
        let text = a.explanation.to_lowercase();
        for p in thaw_core::guide::PLACEHOLDER_SOURCES {
            assert!(!text.contains(p), "{}: \"{p}\" in an explanation people see", a.id);
        }
        assert!(!a.features.is_empty(), "{}: points to a feature", a.id);
        for f in &a.features {
            assert!(feature(f).is_some(), "{}: unknown feature {f}", a.id);
        }
        for q in &a.questions {
            assert!(question_ids.insert(q.id.clone()), "question {} twice", q.id);
            assert!(q.text.ends_with('?'), "{} is a question", q.id);
        }
        if a.sensitive {
            assert!(!a.announcement.trim().is_empty(), "{}: sensitive areas are announced", a.id);
            assert!(a.announcement.contains("skip"), "{}: the announcement says it can be skipped", a.id);
        }
    }
    for id in ["childhood", "trauma-loss"] {
        assert!(c.area(id).is_some_and(|a| a.sensitive), "{id} is sensitive");
    }
}

#[test]
fn the_medication_area_never_advises_a_change() {
    let a = selfcheck().area("medication").expect("medication area");
    let text = a.next_steps.join(" ");
    assert!(text.contains("withdrawal") && text.contains("prescriber"), "{text}");
}

mod ranking {
    use proptest::prelude::*;
    use thaw_core::selfcheck::{Answers, selfcheck};

    fn any_answers() -> impl Strategy<Value = Answers> {
        let ids: Vec<String> = selfcheck().questions().map(|q| q.id.clone()).collect();
        proptest::collection::vec(proptest::option::of(0u8..=3), ids.len())
            .prop_map(move |values| ids.iter().cloned().zip(values).collect())
    }

    fn top(answers: &Answers, area: &thaw_core::selfcheck::Area) -> u8 {
        area.questions.iter().filter_map(|q| answers.get(&q.id).copied().flatten()).max().unwrap_or(0)
    }

    proptest! {
        /// Ranking changes the order, never which areas may apply; the highest answers come first.
        #[test]
        fn ranking_keeps_the_same_areas_strongest_first(answers in any_answers()) {
            let c = selfcheck();
            let Ok(result) = c.result(&answers) else { return Ok(()) };
            let mut ranked = result.areas.clone();
            let mut by_rule: Vec<String> = c
                .areas
                .iter()
                .filter(|a| top(&answers, a) >= a.threshold)
                .map(|a| a.id.clone())
                .collect();
            ranked.sort();
            by_rule.sort();
            prop_assert_eq!(ranked, by_rule);
            let tops: Vec<u8> =
                result.areas.iter().map(|id| top(&answers, c.area(id).unwrap())).collect();
            prop_assert!(tops.windows(2).all(|w| w[0] >= w[1]), "{:?}", tops);
        }
    }
}
