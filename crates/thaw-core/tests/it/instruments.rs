//! The questionnaires: published wording, attribution, codes, and scoring against the published
//! bands at every edge.

use proptest::prelude::*;
use thaw_core::instruments::{Instrument, instrument, instruments};

fn answers_for(inst: &Instrument, total: u32) -> Vec<u8> {
    let max = u32::from(inst.max_answer());
    let mut left = total;
    inst.items
        .iter()
        .map(|_| {
            let v = left.min(max);
            left -= v;
            v as u8
        })
        .collect()
}

fn band_at(id: &str, total: u32) -> String {
    let inst = instrument(id).unwrap();
    let answers = answers_for(inst, total);
    let a = inst.score(&answers, None).unwrap();
    assert_eq!(a.total, total);
    a.band
}

#[test]
fn only_the_free_instruments_are_shipped() {
    let ids: Vec<&str> = instruments().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["phq9", "gad7", "who5"], "ODQ, TAS-20 and C-SSRS are not free to embed");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/instruments");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["gad7.toml", "phq9.toml", "who5.toml"]);
}

#[test]
fn phq9_is_the_published_form() {
    let p = instrument("phq9").unwrap();
    assert_eq!(
        p.stem,
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    );
    assert_eq!(p.items.len(), 9);
    assert_eq!(p.items[0].text, "Little interest or pleasure in doing things");
    assert_eq!(p.items[1].text, "Feeling down, depressed, or hopeless");
    assert_eq!(
        p.items[8].text,
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    );
    let labels: Vec<&str> = p.answers.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Not at all", "Several days", "More than half the days", "Nearly every day"]);
    let d = p.difficulty.as_ref().expect("item 10");
    assert!(d.text.starts_with("If you checked off any problems, how difficult have these problems made it"));
    let labels: Vec<&str> = d.answers.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Not difficult at all", "Somewhat difficult", "Very difficult", "Extremely difficult"]
    );
    assert!(p.copyright.contains("Pfizer") && p.copyright.contains("No permission required"));
    assert_eq!(p.two_item.as_ref().unwrap().name, "PHQ-2");
}

#[test]
fn phq9_carries_its_loinc_codes() {
    let p = instrument("phq9").unwrap();
    assert_eq!(p.codes.system, "http://loinc.org");
    assert_eq!(p.codes.panel.as_deref(), Some("44249-1"));
    assert_eq!(p.codes.total.as_deref(), Some("44261-6"));
    let items: Vec<&str> = p.items.iter().map(|i| i.code.as_deref().unwrap()).collect();
    assert_eq!(
        items,
        ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
    );
    let answers: Vec<&str> = p.answers.iter().map(|a| a.code.as_deref().unwrap()).collect();
    assert_eq!(answers, ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]);
    let d = p.difficulty.as_ref().unwrap();
    assert_eq!(d.code.as_deref(), Some("69722-7"));
    let answers: Vec<&str> = d.answers.iter().map(|a| a.code.as_deref().unwrap()).collect();
    assert_eq!(answers, ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"]);
    assert_eq!(p.two_item.as_ref().unwrap().total_code.as_deref(), Some("55758-7"));
}

#[test]
fn gad7_is_the_published_form() {
    let g = instrument("gad7").unwrap();
    assert_eq!(g.stem, "Over the last 2 weeks, how often have you been bothered by the following problems?");
    assert_eq!(g.items.len(), 7);
    assert_eq!(g.items[1].text, "Not being able to stop or control worrying");
    assert_eq!(g.codes.panel.as_deref(), Some("69737-5"));
    assert_eq!(g.codes.total.as_deref(), Some("70274-6"));
    let items: Vec<&str> = g.items.iter().map(|i| i.code.as_deref().unwrap()).collect();
    assert_eq!(items, ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]);
    assert!(g.difficulty.is_some());
    assert!(g.copyright.contains("Pfizer"));
    assert_eq!(g.two_item.as_ref().unwrap().name, "GAD-2");
}

#[test]
fn who5_is_the_published_form_and_names_its_source() {
    let w = instrument("who5").unwrap();
    assert_eq!(w.items.len(), 5);
    assert_eq!(w.items[0].text, "I have felt cheerful and in good spirits");
    assert_eq!(w.items[4].text, "My daily life has been filled with things that interest me");
    let scale: Vec<(u8, &str)> = w.answers.iter().map(|a| (a.value, a.label.as_str())).collect();
    assert_eq!(
        scale,
        [
            (5, "All of the time"),
            (4, "Most of the time"),
            (3, "More than half of the time"),
            (2, "Less than half of the time"),
            (1, "Some of the time"),
            (0, "At no time"),
        ]
    );
    for needed in [
        "Psychiatric Research Unit",
        "Mental Health Centre North Zealand",
        "WHO Collaborating Centre",
        "source must be mentioned",
    ] {
        assert!(w.copyright.contains(needed), "WHO-5 attribution lacks {needed}");
    }
    assert!(w.difficulty.is_none() && w.two_item.is_none());
    assert_eq!(w.percentage_factor, Some(4));
}

#[test]
fn every_instrument_has_an_attribution_and_gentle_bands() {
    for inst in instruments() {
        assert!(!inst.copyright.is_empty() && !inst.source.is_empty(), "{}", inst.id);
        for band in &inst.bands {
            let m = band.meaning.to_lowercase();
            assert!(band.meaning.ends_with('.'), "{}: {}", inst.id, band.id);
            for label in ["you have", "you are depressed", "disorder", "diagnos"] {
                assert!(!m.contains(label), "{} band {} labels the person: {label}", inst.id, band.id);
            }
        }
    }
}

#[test]
fn phq9_bands_at_every_edge() {
    for (total, band) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately-severe"),
        (19, "moderately-severe"),
        (20, "severe"),
        (27, "severe"),
    ] {
        assert_eq!(band_at("phq9", total), band, "PHQ-9 total {total}");
    }
}

#[test]
fn gad7_bands_at_every_edge() {
    for (total, band) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ] {
        assert_eq!(band_at("gad7", total), band, "GAD-7 total {total}");
    }
}

#[test]
fn who5_bands_and_percentages_at_every_edge() {
    let w = instrument("who5").unwrap();
    for (raw, pct, band) in [
        (0, 0, "much-lower"),
        (7, 28, "much-lower"),
        (8, 32, "lower"),
        (12, 48, "lower"),
        (13, 52, "not-lower"),
        (25, 100, "not-lower"),
    ] {
        let a = w.score(&answers_for(w, raw), None).unwrap();
        assert_eq!((a.total, a.percentage, a.band.as_str()), (raw, Some(pct), band), "WHO-5 raw {raw}");
    }
}

#[test]
fn two_item_totals_are_the_first_two_answers() {
    let a = instrument("phq9").unwrap().score(&[3, 2, 1, 1, 1, 1, 1, 1, 0], None).unwrap();
    assert_eq!(a.two_item_total, Some(5));
    let a = instrument("gad7").unwrap().score(&[0, 3, 3, 3, 3, 3, 3], None).unwrap();
    assert_eq!(a.two_item_total, Some(3));
    let a = instrument("who5").unwrap().score(&[5; 5], None).unwrap();
    assert_eq!(a.two_item_total, None);
}

#[test]
fn assessments_round_trip_through_json() {
    let a = instrument("who5").unwrap().score(&[3, 2, 1, 0, 5], None).unwrap();
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["total"], 11);
    assert_eq!(json["percentage"], 44);
    assert_eq!(json["band"], "lower");
    assert_eq!(serde_json::from_value::<thaw_core::Assessment>(json).unwrap(), a);
}

fn any_answers() -> impl Strategy<Value = (usize, Vec<u8>)> {
    (0..instruments().len()).prop_flat_map(|i| {
        let inst = &instruments()[i];
        (Just(i), proptest::collection::vec(0..=inst.max_answer(), inst.items.len()))
    })
}

proptest! {
    #[test]
    fn scores_stay_in_range((i, answers) in any_answers()) {
        let inst = &instruments()[i];
        let a = inst.score(&answers, None).unwrap();
        prop_assert!(a.total <= inst.max_total());
        prop_assert!(inst.band_index(&a.band).is_some());
        if let Some(p) = a.percentage {
            prop_assert!(p <= 100);
        }
        if let Some(t) = a.two_item_total {
            prop_assert!(t <= 6);
        }
    }

    #[test]
    fn raising_one_answer_never_lowers_the_score_or_band((i, answers) in any_answers(), pick in 0usize..9) {
        let inst = &instruments()[i];
        let at = pick % answers.len();
        prop_assume!(answers[at] < inst.max_answer());
        let before = inst.score(&answers, None).unwrap();
        let mut raised = answers.clone();
        raised[at] += 1;
        let after = inst.score(&raised, None).unwrap();
        prop_assert_eq!(after.total, before.total + 1);
        prop_assert!(inst.band_index(&after.band) >= inst.band_index(&before.band));
    }

    #[test]
    fn out_of_range_answers_are_refused((i, answers) in any_answers(), pick in 0usize..9, over in 1u8..=250) {
        let inst = &instruments()[i];
        let mut bad = answers.clone();
        let at = pick % bad.len();
        bad[at] = inst.max_answer().saturating_add(over);
        prop_assert!(inst.score(&bad, None).is_err());
        let mut short = answers.clone();
        short.pop();
        prop_assert!(inst.score(&short, None).is_err());
    }
}

/// The change since last time is said in the unit shown: WHO-5 percentages compare as
/// percentage points ("60% (12 points more)"), never as the raw-score difference (3).
#[test]
fn change_since_last_time_uses_the_unit_shown() {
    let who5 = thaw_core::instrument("who5").unwrap();
    let before = who5.score(&[2, 2, 2, 2, 4], None).unwrap();
    let now = who5.score(&[3, 3, 3, 2, 4], None).unwrap();
    assert_eq!((before.shown_score(), now.shown_score()), ("48%".to_owned(), "60%".to_owned()));
    assert_eq!(now.shown_change_since(&before), Some(12));
    assert_eq!(now.change_words_since(&before), "12 points more than last time");
    assert_eq!(before.change_words_since(&now), "12 points less than last time");
    let phq9 = thaw_core::instrument("phq9").unwrap();
    let a = phq9.score(&[2, 1, 1, 1, 1, 1, 0, 0, 0], None).unwrap();
    let b = phq9.score(&[2, 2, 2, 2, 1, 1, 1, 1, 0], None).unwrap();
    assert_eq!(b.change_words_since(&a), "5 more than last time");
    assert_eq!(a.change_words_since(&a), "no change");
    assert_eq!(b.shown_change_since(&now), None, "another questionnaire");
}
