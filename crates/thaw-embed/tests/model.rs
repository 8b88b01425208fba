//! Tests with the real model. They need it on disk: run scripts/fetch-model once (CI does).
//! The phrase layer's own tests (crates/thaw-core/tests/it/risk_phrases.rs and the unit tests
//! here) run without it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use thaw_core::vocab::{Emotion, Family, vocabulary};
use thaw_embed::eval::{evaluate_risk, evaluate_suggest, risk_cases, suggest_cases};
use thaw_embed::{DIM, Layer, Model, SafetyNet, Suggester, cosine};

fn model_dir() -> PathBuf {
    std::env::var_os(thaw_embed::MODEL_DIR_ENV).filter(|d| !d.is_empty()).map(PathBuf::from).unwrap_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models").join(thaw_embed::MODEL_NAME),
    )
}

fn model() -> Arc<Model> {
    static MODEL: OnceLock<Arc<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| match Model::load(&model_dir()) {
            Ok(m) => Arc::new(m),
            Err(e) => panic!(
                "These tests need the on-device language model: run scripts/fetch-model first (or set THAW_MODEL_DIR). {e}"
            ),
        })
        .clone()
}

fn net() -> &'static SafetyNet {
    static NET: OnceLock<SafetyNet> = OnceLock::new();
    NET.get_or_init(|| SafetyNet::with_model(model()))
}

fn suggester() -> &'static Suggester {
    static S: OnceLock<Suggester> = OnceLock::new();
    S.get_or_init(|| Suggester::new(model(), vocabulary()).expect("the vocabulary embeds"))
}

#[test]
fn embeddings_are_unit_length_and_follow_meaning() {
    let m = model();
    let texts =
        ["I feel numb and I cannot cry.", "I feel emotionally flat and empty.", "The train leaves at noon."];
    let e = m.embed(&texts).expect("embeds");
    assert_eq!(e.len(), 3);
    for v in &e {
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    // The same figures as sentence-transformers' all-MiniLM-L6-v2 (measured with candle's own BERT).
    assert!((cosine(&e[0], &e[1]) - 0.52).abs() < 0.02, "{}", cosine(&e[0], &e[1]));
    assert!(cosine(&e[0], &e[2]).abs() < 0.05, "{}", cosine(&e[0], &e[2]));
    // Batching (with padding) gives the same vectors as one at a time.
    let alone = m.embed_one(texts[2]).expect("embeds");
    assert!(cosine(&alone, &e[2]) > 0.9999);
    assert_eq!(alone.len(), DIM);
    assert_eq!(
        m.tokenizer().tokenize("I can't feel ANYTHING… kms"),
        ["i", "can", "'", "t", "feel", "anything", "…", "km", "##s"]
    );
}

#[test]
fn a_very_long_text_is_cut_not_refused() {
    let long = "I walked to the shop and back again. ".repeat(200);
    assert!(model().embed_one(&long).is_ok());
}

#[test]
fn risk_language_without_the_phrases_is_caught() {
    for text in [
        "I've been collecting my tablets instead of taking them.",
        "Honestly everyone would cope fine if I just wasn't here.",
        "I keep hoping I won't wake up in the morning.",
    ] {
        let check = net().check(text);
        assert!(check.is_hit() && check.model_available, "{text}: {check:?}");
        assert!(check.hits.iter().any(|h| h.layer == Layer::Semantic), "{text}: {check:?}");
    }
}

#[test]
fn look_alikes_are_left_alone() {
    for text in
        ["This commute is killing me.", "I'm dying to see the new film.", "We had a lovely walk by the sea."]
    {
        let check = net().check(text);
        assert!(!check.is_hit(), "{text}: {check:?}");
    }
}

#[test]
fn empty_text_never_touches_the_model() {
    // A model of its own: the shared one runs for the other tests at the same time.
    let own = Arc::new(Model::load(&model_dir()).expect("the model loads"));
    let net = SafetyNet::with_model(own.clone());
    let suggester = Suggester::new(own.clone(), vocabulary()).expect("the vocabulary embeds");
    let before = own.runs();
    for text in ["", "   ", "\n\n", "2026-12-01", "...!?"] {
        let check = net.check(text);
        assert!(!check.is_hit() && check.model_available);
    }
    assert!(suggester.suggest("  \n", &[]).expect("no model needed").is_empty());
    assert_eq!(own.runs(), before, "the model ran on empty text");
}

#[test]
fn a_missing_model_leaves_the_phrase_layer_working() {
    let net = SafetyNet::phrase_only(Model::load(std::path::Path::new("/nonexistent/model")).err());
    assert!(!net.model_available());
    let why = net.unavailable().expect("a reason").to_string();
    assert!(why.contains("scripts/fetch-model"), "{why}");
    let check = net.check("I want to kill myself");
    assert!(check.is_hit() && check.phrase && !check.model_available);
}

#[test]
fn the_risk_check_meets_its_targets() {
    let dev = evaluate_risk(net(), &risk_cases("dev"));
    let test = evaluate_risk(net(), &risk_cases("test"));
    for (name, r) in [("dev", &dev), ("test (held out)", &test)] {
        println!(
            "{name}: phrase recall {:.3} precision {:.3}; semantic recall {:.3} precision {:.3}; combined recall {:.3} precision {:.3}",
            r.phrase.recall(),
            r.phrase.precision(),
            r.semantic.recall(),
            r.semantic.precision(),
            r.combined.recall(),
            r.combined.precision()
        );
    }
    assert!(risk_cases("all").len() >= 500);
    // The targets, on the half the exemplars and thresholds were chosen on.
    assert!(dev.combined.recall() >= 0.95, "dev recall {:.3}: {:#?}", dev.combined.recall(), dev.missed);
    assert!(
        dev.combined.precision() >= 0.90,
        "dev precision {:.3}: {:#?}",
        dev.combined.precision(),
        dev.false_alarms
    );
    // The held-out half: figures in docs/SAFETY.md; these floors only stop a change from making
    // it worse than measured (exemplars v2: recall 0.901, precision 0.886).
    assert!(test.combined.recall() >= 0.88, "held-out recall {:.3}", test.combined.recall());
    assert!(test.combined.precision() >= 0.86, "held-out precision {:.3}", test.combined.precision());
    // Each layer adds something the other misses.
    assert!(dev.combined.recall() > dev.phrase.recall() && dev.combined.recall() > dev.semantic.recall());
}

#[test]
fn suggestions_beat_the_keyword_baseline() {
    let vocab = vocabulary();
    let dev = evaluate_suggest(suggester(), vocab, &suggest_cases("dev")).expect("suggests");
    let test = evaluate_suggest(suggester(), vocab, &suggest_cases("test")).expect("suggests");
    println!(
        "suggestions top-5: dev {:.3} (baseline {:.3}), held out {:.3} (baseline {:.3})",
        dev.model_rate(),
        dev.baseline_rate(),
        test.model_rate(),
        test.baseline_rate()
    );
    assert!(suggest_cases("all").len() >= 200);
    assert!(dev.model_rate() >= 0.85, "dev {:.3}", dev.model_rate());
    // Held out: measured 0.743 when written; a floor against regressions.
    assert!(test.model_rate() >= 0.70, "held out {:.3}", test.model_rate());
    assert!(test.model_rate() > test.baseline_rate() + 0.4);
}

#[test]
fn suggestions_are_few_ordered_and_can_be_personal() {
    let s =
        suggester().suggest("Work was long and I felt nothing all day, just grey.", &[]).expect("suggests");
    assert!(!s.is_empty() && s.len() <= 5);
    assert!(s.windows(2).all(|w| w[0].score >= w[1].score));
    let words = thaw_core::vocab::vocabulary();
    assert!(s.iter().all(|x| words.lookup(&x.word).is_some()));
    let mine = Emotion {
        word: "underwater".to_owned(),
        family: Family::Absence,
        meaning: "Everything is muffled and slow, as if far below the surface.".to_owned(),
        valence: -0.4,
        energy: -0.6,
        synonyms: vec![],
    };
    let s = suggester()
        .suggest("Everything sounds muffled and slow, like I'm below the surface.", &[mine])
        .expect("suggests");
    assert!(s.iter().any(|x| x.word == "underwater"), "{s:?}");
}
