//! Every word in content/emotions.toml follows the rules the app relies on.

use std::collections::HashSet;

use thaw_core::vocab::Family;
use thaw_core::vocabulary;

#[test]
fn at_least_120_words_in_every_family() {
    let v = vocabulary();
    assert!(v.emotions().len() >= 120, "{} words", v.emotions().len());
    for f in Family::ALL {
        assert!(v.in_family(f).count() >= 10, "family {f} has too few words");
    }
}

#[test]
fn every_word_is_well_formed() {
    let mut seen = HashSet::new();
    let mut points = HashSet::new();
    for e in vocabulary().emotions() {
        thaw_core::vocab::check_emotion(e).unwrap_or_else(|msg| panic!("{msg}"));
        assert!(seen.insert(e.word.clone()), "duplicate word {}", e.word);
        for s in &e.synonyms {
            assert!(seen.insert(s.clone()), "synonym {s} of {} is used twice", e.word);
        }
        assert!(e.meaning.ends_with('.'), "{}: a meaning is a sentence", e.word);
        assert!(e.meaning.chars().count() <= 90, "{}: meaning too long", e.word);
        assert!(
            points.insert(((e.valence * 100.0) as i64, (e.energy * 100.0) as i64)),
            "{} shares its point",
            e.word
        );
    }
}

#[test]
fn coordinates_agree_with_families() {
    for e in vocabulary().emotions() {
        let ok = match e.family {
            Family::Joyful => e.valence > 0.3,
            Family::Sad | Family::Scared | Family::Mad => e.valence < 0.0,
            Family::Peaceful => e.valence > 0.0 && e.energy < 0.0,
            Family::Powerful => e.valence > 0.0 && e.energy >= 0.0,
            Family::Absence => (-0.5..=0.1).contains(&e.valence) && e.energy < -0.2,
        };
        assert!(ok, "{} ({}) sits at ({}, {})", e.word, e.family, e.valence, e.energy);
    }
}

#[test]
fn words_people_use_when_numb_are_there() {
    let v = vocabulary();
    for w in ["numb", "flat", "empty", "blank", "detached", "disconnected", "angry", "sad", "hurt", "tired"] {
        assert!(v.lookup(w).is_some(), "{w} missing");
    }
    assert!(
        v.lookup("nothing").is_none() && v.lookup("can't tell").is_none(),
        "those are answers, not words"
    );
    assert_eq!(
        v.lookup("Exhausted").map(|e| e.word.as_str()),
        Some("drained"),
        "synonyms lead to their word"
    );
}

#[test]
fn body_sensations_are_unique_and_cover_the_body() {
    let v = vocabulary();
    assert!(v.sensations().len() >= 25);
    let mut ids = HashSet::new();
    let mut regions = HashSet::new();
    for s in v.sensations() {
        assert!(ids.insert(&s.id), "duplicate sensation {}", s.id);
        assert!(s.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", s.id);
        regions.insert(s.region.as_str());
    }
    for r in ["head", "face", "throat", "chest", "stomach", "arms-hands", "legs-feet", "whole-body", "none"] {
        assert!(regions.contains(r), "no sensation in {r}");
    }
    assert!(v.resolve_sensation("Nothing at all").is_ok());
}

#[test]
fn the_plane_finds_nearby_words() {
    let v = vocabulary();
    let low_unpleasant = v.nearest(-0.7, -0.7, 5);
    assert!(low_unpleasant.iter().all(|e| e.valence < 0.0 && e.energy < 0.0));
    let high_pleasant = v.nearest(0.8, 0.8, 5);
    assert!(high_pleasant.iter().all(|e| e.valence > 0.0 && e.energy > 0.0));
}
