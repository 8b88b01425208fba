//! Crisis resources after a PHQ-9 are shown if and only if item 9 is above 0 — checked for every
//! one of the 4^9 = 262,144 possible answer sets, against the very function whose lines the CLI
//! prints. The PHQ-2 (items 1–2) and the total play no part.

use thaw_core::instrument;
use thaw_core::safety::{assessment_message, crisis_for, needs_resources};

#[test]
fn resources_are_shown_exactly_when_item_9_is_above_zero() {
    let phq9 = instrument("phq9").unwrap();
    let gb = crisis_for(Some("GB")).text();
    assert!(gb.iter().any(|l| l.contains("Samaritans") && l.contains("116 123")), "{gb:?}");
    assert!(gb.iter().any(|l| l == "If you are in immediate danger, call 999."), "{gb:?}");
    let mut shown = 0u32;
    let mut answers = [0u8; 9];
    for n in 0u32..4u32.pow(9) {
        let mut rest = n;
        for a in answers.iter_mut() {
            *a = (rest % 4) as u8;
            rest /= 4;
        }
        let assessment = phq9.score(&answers, None).unwrap();
        let message = assessment_message(&assessment);
        let expected = answers[8] > 0;
        assert_eq!(needs_resources(&assessment), expected, "{answers:?}");
        assert_eq!(message.is_some(), expected, "{answers:?}");
        if expected {
            shown += 1;
        }
    }
    assert_eq!(shown, 3 * 4u32.pow(8), "every answer set with item 9 above 0");
}

#[test]
fn other_questionnaires_never_show_resources_on_their_own() {
    for id in ["gad7", "who5"] {
        let inst = instrument(id).unwrap();
        let worst = vec![if id == "who5" { 0 } else { 3 }; inst.items.len()];
        let a = inst.score(&worst, None).unwrap();
        assert!(!needs_resources(&a) && assessment_message(&a).is_none(), "{id}");
    }
}

#[test]
fn unknown_countries_get_the_international_directory() {
    let phq9 = instrument("phq9").unwrap();
    let a = phq9.score(&[0, 0, 0, 0, 0, 0, 0, 0, 1], None).unwrap();
    for country in [None, Some("XX"), Some("zz")] {
        assert!(assessment_message(&a).is_some());
        let lines = crisis_for(country).text().join("\n");
        assert!(lines.contains("https://findahelpline.com"), "{country:?}: {lines}");
        assert!(lines.contains("call your local emergency number"), "{country:?}: {lines}");
    }
}
