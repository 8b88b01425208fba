//! content/medications.toml: the table that turns "Zoloft" into sertraline, SSRI, N06AB06.

use std::collections::HashSet;

use thaw_core::meds::{medications, name_key};

/// Medicines whose ATC code sits outside N06A, with the reason.
const ATC_EXCEPTIONS: &[(&str, &str)] = &[(
    "selegiline",
    "its human ATC code is under anti-Parkinson drugs (N04BD01); the patch is used for depression",
)];

/// Medicines that share another entry's ATC code, with the reason.
const SHARED_ATC: &[(&str, &str)] =
    &[("low-dose doxepin", "the same substance as doxepin, at the small doses used for sleep (Silenor)")];

/// `^N06A[A-Z]\d{2}$`, without a regex dependency.
fn is_n06a(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 7
        && code.starts_with("N06A")
        && b[4].is_ascii_uppercase()
        && b[5..].iter().all(u8::is_ascii_digit)
}

#[test]
fn at_least_40_medicines_each_with_a_class_and_an_atc_code() {
    let t = medications();
    assert!(t.medicines().len() >= 40, "{} medicines", t.medicines().len());
    for m in t.medicines() {
        assert!(t.class(&m.class).is_some(), "{}: class {}", m.generic, m.class);
        let exception = ATC_EXCEPTIONS.iter().any(|(g, _)| *g == m.generic);
        assert!(is_n06a(&m.atc) || exception, "{}: ATC {} isn't N06A", m.generic, m.atc);
        if exception {
            assert!(m.atc_unverified, "{}: an exception is marked as not checked", m.generic);
        }
    }
}

#[test]
fn every_name_leads_to_one_medicine() {
    let t = medications();
    let mut keys = HashSet::new();
    let mut atcs = HashSet::new();
    for m in t.medicines() {
        for name in m.names() {
            assert!(keys.insert(name_key(name)), "\"{name}\" is used twice");
            assert_eq!(t.lookup(name).map(|x| x.generic.as_str()), Some(m.generic.as_str()), "{name}");
        }
        let shared = SHARED_ATC.iter().any(|(g, _)| *g == m.generic);
        assert!(atcs.insert(m.atc.clone()) || shared, "ATC {} used twice", m.atc);
    }
}

#[test]
fn flags_follow_the_publications_and_every_note_warns_against_stopping_alone() {
    let t = medications();
    // Flagged where a publication describes blunting with the group, or it acts on serotonin
    // like an SSRI; not where we found no study (tetracyclics, MAOIs) or at sleep doses.
    for id in ["ssri", "snri", "tca", "serotonin_modulator"] {
        let c = t.class(id).unwrap_or_else(|| panic!("class {id}"));
        assert!(c.blunting_reported, "{id} is flagged");
    }
    for id in ["tetracyclic", "maoi", "sleep_doxepin"] {
        assert!(!t.class(id).unwrap().blunting_reported, "{id} isn't flagged without a source");
    }
    for c in t.classes() {
        assert!(c.note.contains("withdrawal"), "{}: the note mentions withdrawal effects", c.id);
        assert!(c.note.contains("prescriber"), "{}: changes are made with the prescriber", c.id);
        assert!(c.prescriber_question.ends_with('?'), "{}: the question is a question", c.id);
        assert!(t.medicines().iter().any(|m| m.class == c.id), "{} has medicines", c.id);
        let text = format!("{} {}", c.note, c.prescriber_question).to_lowercase();
        let advice = ["you should stop", "reduce your dose", "switch to", "increase your dose"];
        for phrase in advice {
            assert!(!text.contains(phrase), "{}: reads like advice ({phrase})", c.id);
        }
        // Notes are shown to people: they cite publications, never a placeholder.
        for placeholder in ["seed article", "consumer health article", "todo", "citation needed", "(source)"]
        {
            assert!(!text.contains(placeholder), "{}: \"{placeholder}\" in a note people see", c.id);
        }
        // No note ranks one group above the others: the evidence doesn't (clinical.md §4.2).
        assert!(!text.contains("more often with"), "{}: compares groups", c.id);
    }
}

#[test]
fn serotonergic_and_sleep_dose_medicines_sit_in_the_right_groups() {
    let t = medications();
    for (typed, class) in [
        ("vilazodone", "serotonin_modulator"),
        ("Viibryd", "serotonin_modulator"),
        ("Trintellix", "serotonin_modulator"),
        ("Silenor", "sleep_doxepin"),
        ("doxepin for sleep", "sleep_doxepin"),
        ("Sinequan", "tca"),
        ("doxepin", "tca"),
    ] {
        assert_eq!(t.lookup(typed).map(|m| m.class.as_str()), Some(class), "{typed}");
    }
}

#[test]
fn well_known_names_resolve() {
    let t = medications();
    for (typed, generic, class, atc) in [
        ("Zoloft", "sertraline", "ssri", "N06AB06"),
        ("prozac", "fluoxetine", "ssri", "N06AB03"),
        ("Cymbalta", "duloxetine", "snri", "N06AX21"),
        ("Efexor XL", "venlafaxine", "snri", "N06AX16"),
        ("Remeron", "mirtazapine", "tetracyclic", "N06AX11"),
        ("Wellbutrin XL", "bupropion", "atypical", "N06AX12"),
        ("dothiepin", "dosulepin", "tca", "N06AA16"),
    ] {
        let m = t.lookup(typed).unwrap_or_else(|| panic!("{typed}"));
        assert_eq!((m.generic.as_str(), m.class.as_str(), m.atc.as_str()), (generic, class, atc), "{typed}");
    }
}
