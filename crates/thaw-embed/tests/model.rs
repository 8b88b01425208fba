//! Tests with the real model. They need it on disk: run scripts/fetch-model once (CI does).
//! The phrase layer's own tests (crates/thaw-core/tests/it/risk_phrases.rs and the unit tests
//! here) run without it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use thaw_core::vocab::{Emotion, Family, vocabulary};
use thaw_embed::eval::{
    evaluate_buried, evaluate_buried_from, evaluate_risk, evaluate_suggest, risk_cases, risk_splits,
    suggest_cases, suggest_splits,
};
use thaw_embed::{
    Busy, DIM, EmbedError, GateConfig, Layer, Model, SafetyNet, Suggester, Understanding, cosine,
};

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

/// The check with its first opinion only (each sentence read on its own, no second opinion).
fn first_opinion() -> &'static SafetyNet {
    static NET: OnceLock<SafetyNet> = OnceLock::new();
    NET.get_or_init(|| {
        let sem = thaw_embed::safety::Semantic::new(model()).expect("the exemplars embed");
        SafetyNet::with_semantic(sem.with_second(None))
    })
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
fn a_line_is_never_silenced_by_the_line_before() {
    // The first line ends in a negation ("didn't", "can't"); the next one is another thought.
    for text in [
        "told her I feel numb and she didn't freak out\nI want to die",
        "the numbness is like a jumper I can't take off\nI keep hoping I won't wake up in the morning.",
    ] {
        let check = net().check(text);
        assert!(check.is_hit(), "{text}: {check:?}");
        assert!(
            check.hits.iter().any(|h| h.layer == Layer::Semantic && h.sentence == Some(1)),
            "{text}: {check:?}"
        );
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
fn kept_sentences_are_never_shared_between_accounts() {
    // A model of its own, so that only this test's encodes are counted.
    let own = Arc::new(Model::load(&model_dir()).expect("the model loads"));
    let text = "The kettle clicked off and I stood there a while.";
    let encodes = |scope: Option<&str>| {
        let before = own.runs();
        let encoded = thaw_embed::with_cache_scope(scope, || own.encode_sentences(text)).expect("encodes");
        (own.runs() - before, encoded.vectors)
    };
    let (first, alice) = encodes(Some("alice"));
    assert_eq!(first, 1, "a new sentence runs the encoder");
    assert_eq!(encodes(Some("alice")).0, 0, "the same account's sentence is kept");
    // Another account writing the very same sentence gets no head start from alice's save.
    let (again, bob) = encodes(Some("bob"));
    assert_eq!(again, 1, "another account's sentence is never found kept");
    assert_eq!(alice, bob, "the meaning itself doesn't depend on who wrote it");
    assert_eq!(encodes(None).0, 1, "nor does the unscoped (local) cache see it");
    assert_eq!(encodes(None).0, 0);
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
fn a_first_preparation_is_announced_once_and_never_again() {
    // A model folder of its own (links to the real files), so its cache starts empty.
    let dir = tempfile::tempdir().unwrap();
    for file in ["config.json", "vocab.txt", "model.safetensors"] {
        std::os::unix::fs::symlink(model_dir().join(file).canonicalize().unwrap(), dir.path().join(file))
            .unwrap();
    }
    let said = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let load = || {
        let m = Model::load(dir.path()).expect("loads");
        let counter = said.clone();
        m.set_notice(Arc::new(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }));
        m
    };
    let texts = ["numb again", "a quiet walk by the river"];
    let first = load();
    first.embed_shipped("notice-test", &texts).unwrap();
    first.embed_shipped("notice-test-2", &texts).unwrap();
    assert_eq!(said.load(std::sync::atomic::Ordering::Relaxed), 1, "said once, however much is prepared");
    // The next process finds the files: nothing to announce.
    load().embed_shipped("notice-test", &texts).unwrap();
    assert_eq!(said.load(std::sync::atomic::Ordering::Relaxed), 1);
}

/// What the held-out splits must reach (figures in docs/SAFETY.md): (split, recall, precision).
/// The targets (recall 95%, precision 90%) where they are met, else a floor at the measured level
/// so a change can't quietly make it worse. A split not listed here (such as "fresh", appended
/// later) is printed, not asserted, until it has been measured.
const RISK_FLOORS: &[(&str, f64, f64)] = &[
    // Measured 0.967 / 0.900 with the first sentence model (2026-12-01), 0.967 / 0.880 with the
    // one trained on three writers' dev cases (2026-12-02: three more false alarms there, for 13
    // points more recall on the fresh set below), 0.950 / 0.878 with the linear probe and the fifth
    // writer's dev material (2026-12-02, later), 0.983 / 0.862 with two more writers' dev material
    // (dev5, dev6): the recall target, and a floor just under the measured precision; the same
    // with dev7 and dev8 and the weights kept to their directions (2026-12-02, morning); 0.983 /
    // 0.875 with dev9 and dev10 (figures of speech next to people who mean them, afternoon);
    // 0.975 / 0.887 reading the encoder's earlier layers too (evening: one miss more, three false
    // alarms fewer); 0.975 / 0.881 with the second opinion (2026-12-03: one false alarm more).
    ("test", 0.95, 0.88),
    // The fresh set, written blind (its writer never saw an exemplar, the phrase list or the other
    // cases): 0.707 / 0.783 at first, 0.839 / 0.807 on 2026-12-02, 0.856 / 0.776 with the linear
    // probe (three more false alarms here, four fewer on fresh2), still under the targets. A floor
    // at the measured level, so that nothing makes it quietly worse; the figure to raise.
    // Then 0.845 / 0.799 with dev5 and dev6, 0.839 / 0.807 with dev7 and dev8, 0.822 / 0.808 with
    // dev9 and dev10, 0.839 / 0.816 reading the earlier layers too, 0.856 / 0.801 with the second
    // opinion that reads the text around a sentence (2026-12-03).
    ("fresh", 0.85, 0.80),
    // A second blind set (fresh2), by a writer who saw nothing of the check: 0.701 / 0.821 with
    // the model of 2026-12-01, then 0.876 / 0.807 with the one above, which was trained without
    // ever seeing it — the honest figure for that change; 0.887 / 0.840 with the linear probe,
    // 0.870 / 0.842 with dev5 and dev6, 0.842 / 0.832 with dev7 and dev8, 0.825 / 0.839 with dev9
    // and dev10, 0.864 / 0.864 reading the earlier layers too, 0.893 / 0.868 with the second opinion.
    ("fresh2", 0.89, 0.86),
    // A third blind set (fresh3, a fifth writer), measured once with the same model: 0.844 / 0.801;
    // 0.919 / 0.822 once the same writer's dev material (risk-dev4) was trained on — partly the
    // writer's style learnt, so fresh and fresh2 are the fairer figures; 0.882 / 0.828 with dev5
    // and dev6, 0.866 / 0.843 with dev7 and dev8, 0.860 / 0.865 with dev9 and dev10, 0.882 / 0.859
    // reading the earlier layers too (two more found, three more false alarms), 0.914 / 0.859 with
    // the second opinion.
    ("fresh3", 0.91, 0.85),
    // A fourth blind set (fresh4, 493 cases by a sixth writer: nurses, soldiers, gamers, carers,
    // dialects, dictation …): 0.800 / 0.682 with the model before dev5 and dev6 (written to the
    // same brief by two other writers), 0.814 / 0.746 after, 0.782 / 0.745 with dev7 and dev8
    // (the threshold cross-validation chose sits a little further towards precision), 0.777 /
    // 0.774 with dev9 and dev10, 0.768 / 0.782 reading the earlier layers too (one fewer found,
    // four fewer false alarms), 0.805 / 0.776 with the second opinion (eight more found, four
    // more false alarms).
    ("fresh4", 0.80, 0.77),
    // A fifth blind set (fresh5, 360 cases by a ninth writer: people who work with death, hunters,
    // terminal illness, debt, new parents, prayer, the bereaved by suicide …): 0.769 / 0.728 with
    // the model before dev7 and dev8 (written by two other writers to briefs with its voices),
    // 0.756 / 0.771 after, 0.762 / 0.767 with dev9 and dev10, 0.794 / 0.794 reading the earlier
    // layers too, 0.838 / 0.779 with the second opinion.
    ("fresh5", 0.83, 0.77),
    // A sixth blind set (fresh6, 308 cases by a fourteenth writer: "I want to die", "kms", "I'd
    // rather die than…" as figures of speech about exams, traffic and group chats, next to the
    // same words meant): 0.759 / 0.698 with the model before dev9 and dev10 (written to the same
    // theme by two other writers), 0.759 / 0.717 after, 0.796 / 0.762 reading the earlier layers too,
    // 0.854 / 0.765 with the second opinion.
    ("fresh6", 0.85, 0.76),
];
/// Risky texts hidden in an ordinary day's entry: each placed between two calm texts of its split
/// (`eval::evaluate_buried`, forty a split here; `cargo run -p thaw-embed --example eval --release
/// -- --buried` runs them all). Calm company must never take away what the check's first opinion
/// (each sentence read on its own) and the phrase layer flag alone: all of those stay flagged
/// (BURIED_FIRST). Of everything the whole check flags alone, BURIED_KEPT at least stay flagged:
/// the second opinion reads the text around a sentence, so some of what it adds alone may not
/// survive calm company (on 2026-12-03, 94.8-100% of everything flagged in the full run, and never
/// fewer texts than the first opinion flags alone; 85-100% in the samples of forty here). Calm texts put three together must be flagged BURIED_CALM
/// at most. History: reading each sentence in its text as the only model lost 30-37% of risky
/// texts this way on the blind sets, 13-19% when trained among calm company (docs/SAFETY.md, "Read
/// in its text"), so it only ever adds, as the second opinion ("A second opinion").
const BURIED_FIRST: f64 = 1.0;
const BURIED_KEPT: f64 = 0.8;
const BURIED_CALM: f64 = 0.03;

/// (split, top-5 hit rate): floors at the measured level (the target is 85%). The dev figure is
/// leave-one-out: a dev text is never its own neighbour among the labelled texts that vote.
const SUGGEST_FLOORS: &[(&str, f64)] = &[
    // 2026-12-02, with the votes of the nearest labelled dev texts: 0.821 on dev (340 texts, three
    // writers), 0.838 held out (0.743 before), 0.679 on the blind fresh set (0.636 before; keyword
    // baseline 0.114). Later on 2026-12-02, with the fifth writer's texts among the voters (510 dev
    // texts) and the blend chosen again by dev-CV (k 20, weight 0.85, temperature 0.2): dev 0.775,
    // test 0.819 (two texts fewer), fresh 0.701, fresh2 0.823, fresh3 0.737.
    // With dev5 and dev6 among the voters (880 dev texts) and the weight 0.7: dev 0.790, test
    // 0.857 (the target), fresh 0.766, fresh2 0.829, fresh3 0.789, fresh4 0.691 (0.663 before).
    // With dev7 and dev8 (1,142 dev texts; same blend): dev 0.764, test 0.867, fresh 0.793, fresh2
    // 0.863, fresh3 0.794, fresh4 0.724, fresh5 0.667 (0.644 before).
    // With dev9 and dev10 (1,344 dev texts; same blend): dev 0.781, test 0.867, fresh 0.772, fresh2
    // 0.869, fresh3 0.771, fresh4 0.762, fresh5 0.727, fresh6 0.743 (0.733 before).
    ("dev", 0.77),
    ("test", 0.85),
    ("fresh", 0.77),
    // The second blind set: 0.606 before the votes, 0.754 with them, 0.823 with the blend above.
    ("fresh2", 0.85),
    // The third blind set: 0.714, then 0.737, then 0.789, 0.794, 0.771.
    ("fresh3", 0.77),
    ("fresh4", 0.76),
    ("fresh5", 0.72),
    ("fresh6", 0.74),
];

#[test]
fn the_risk_check_meets_its_targets() {
    assert!(risk_cases("all").len() >= 500);
    for split in risk_splits() {
        let r = evaluate_risk(net(), &risk_cases(&split));
        println!(
            "{split} ({} cases): phrase recall {:.3} precision {:.3}; semantic recall {:.3} precision {:.3}; combined recall {:.3} precision {:.3}",
            r.cases,
            r.phrase.recall(),
            r.phrase.precision(),
            r.semantic.recall(),
            r.semantic.precision(),
            r.combined.recall(),
            r.combined.precision()
        );
        if split == "dev" {
            // The half the exemplars and the sentence model were made with (the model also uses
            // dev's sentences as neighbours, so this is nearly a memory test: the honest dev figure
            // is the cross-validated one, `--train` in the eval example). The recall target, and a
            // floor under the measured precision: 0.852 with 2,321 cases from six files, where the
            // regularisation chosen by cross-validation no longer lets the model learn dev by heart
            // (0.933 with 1,411 cases); 0.927 / 0.811 with 3,091 cases from eight files, 0.925 /
            // 0.797 with 3,805 from ten (dev9 and dev10 are figures of speech, the hardest to
            // tell apart); 0.911 / 0.814 reading the earlier layers too (cross-validation chose
            // four times the regularisation, so dev is learnt less by heart): floors.
            assert!(r.combined.recall() >= 0.91, "dev recall {:.3}: {:#?}", r.combined.recall(), r.missed);
            assert!(
                r.combined.precision() >= 0.81,
                "dev precision {:.3}: {:#?}",
                r.combined.precision(),
                r.false_alarms
            );
            assert!(r.combined.recall() > r.phrase.recall() && r.combined.recall() >= r.semantic.recall());
        } else if let Some(&(_, recall, precision)) = RISK_FLOORS.iter().find(|f| f.0 == split) {
            // Held out: never the case texts, only the figures.
            assert!(r.combined.recall() >= recall, "{split} recall {:.3}", r.combined.recall());
            assert!(r.combined.precision() >= precision, "{split} precision {:.3}", r.combined.precision());
            // The same risky texts hidden in an ordinary day's entry are still flagged, and calm
            // texts put together don't become alarming.
            // Forty a split (the whole of them: `eval --buried`, minutes).
            let cases = risk_cases(&split);
            let b = evaluate_buried(net(), &cases, &r, 40);
            let f = evaluate_buried_from(net(), &cases, &r, &evaluate_risk(first_opinion(), &cases), 40);
            println!(
                "  buried: {} of {} still flagged ({:.3}), of the first opinion's {} of {}; three calm texts together flagged {:.3}",
                b.kept,
                b.risky,
                b.kept_rate(),
                f.kept,
                f.risky,
                b.calm_rate()
            );
            assert!(
                f.kept_rate() >= BURIED_FIRST,
                "{split}: only {:.3} of the risky texts the first opinion flags alone still flagged among calm ones",
                f.kept_rate()
            );
            assert!(
                b.kept_rate() >= BURIED_KEPT,
                "{split}: only {:.3} of risky texts still flagged among calm ones",
                b.kept_rate()
            );
            assert!(
                b.calm_rate() <= BURIED_CALM,
                "{split}: calm texts together flagged {:.3}",
                b.calm_rate()
            );
        }
    }
}

#[test]
fn suggestions_beat_the_keyword_baseline() {
    let vocab = vocabulary();
    assert!(suggest_cases("all").len() >= 200);
    for split in suggest_splits() {
        let r = evaluate_suggest(suggester(), vocab, &suggest_cases(&split)).expect("suggests");
        println!(
            "suggestions top-5, {split} ({} texts): {:.3} (keyword baseline {:.3})",
            r.cases,
            r.model_rate(),
            r.baseline_rate()
        );
        if let Some(&(_, floor)) = SUGGEST_FLOORS.iter().find(|f| f.0 == split) {
            assert!(r.model_rate() >= floor, "{split} {:.3}", r.model_rate());
            assert!(r.model_rate() > r.baseline_rate() + 0.4, "{split}: no better than the keyword baseline");
        }
    }
}

#[test]
fn words_the_person_denies_are_not_offered() {
    for (text, denied) in [
        ("I don't feel angry, just tired.", "angry"),
        ("I wasn't scared during the scan, just bored.", "scared"),
        ("Not sad exactly, more like nothing at all.", "sad"),
    ] {
        let s = suggester().suggest(text, &[]).expect("suggests");
        assert!(!s.is_empty() && s.iter().all(|x| x.word != denied), "{text}: {s:?}");
    }
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

/// A model of its own (its gate isn't shared with the other tests), behind a gate of one slot.
fn gated(wait: Duration) -> Understanding {
    let u = Understanding::in_dir(&model_dir()).with_gate(GateConfig { slots: 1, wait });
    assert!(u.load(), "These tests need the on-device language model: run scripts/fetch-model first");
    u
}

#[test]
fn a_busy_model_leaves_the_check_to_the_phrase_layer_and_counts_it() {
    let u = gated(Duration::from_millis(50));
    let phrase = "Some days I just want to die.";
    let meaning_only = "I've been collecting my tablets instead of taking them.";
    {
        // As if another save were being encoded on the only slot.
        let _held = u.hold_slots(1).expect("the one slot");
        let check = u.check(phrase);
        assert!(check.is_hit() && check.phrase, "the phrase layer still answers: {check:?}");
        assert!(check.model_busy && !check.model_available && !check.semantic, "{check:?}");
        let check = u.check(meaning_only);
        assert!(check.model_busy && !check.semantic, "{check:?}");
        assert!(matches!(u.suggest("I felt flat and far away all day.", &[]), Err(EmbedError::Busy)));
        assert_eq!(u.busy(), Busy { checks: 2, suggestions: 1 });
    }
    // With the slot given back, the same text gets both layers again, and nothing more is counted.
    let check = u.check(meaning_only);
    assert!(check.is_hit() && check.semantic && check.model_available && !check.model_busy, "{check:?}");
    assert!(!u.suggest("I felt flat and far away all day.", &[]).expect("words").is_empty());
    assert_eq!(u.busy(), Busy { checks: 2, suggestions: 1 });
}

#[test]
fn one_text_at_a_time_never_waits_or_skips_even_without_any_wait() {
    // The CLI: one save per process, its check and then its words, one after the other.
    let u = gated(Duration::ZERO);
    for (i, text) in [
        "Tired after work, a bit flat.",
        "I keep hoping I won't wake up in the morning.",
        "The lake was grey and quiet.",
    ]
    .iter()
    .enumerate()
    {
        let check = u.check(text);
        assert!(check.model_available && !check.model_busy, "{i}: {check:?}");
        assert!(u.suggest(text, &[]).is_ok(), "{i}");
    }
    assert!(u.check("I keep hoping I won't wake up in the morning.").semantic);
    assert_eq!(u.busy(), Busy::default());
}

#[test]
fn many_saves_at_once_all_get_a_check_and_each_skip_is_counted() {
    // Real contention: eight threads, one slot, no wait. Every check answers; a text with a risk
    // phrase is always caught (by the phrase layer when the model was busy).
    let u = std::sync::Arc::new(gated(Duration::ZERO));
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let u = u.clone();
            std::thread::spawn(move || {
                (0..3)
                    .map(|i| {
                        let text =
                            format!("Entry {t}-{i}: the bus was late again. Some days I just want to die.");
                        let check = u.check(&text);
                        assert!(check.is_hit() && check.phrase, "{check:?}");
                        assert!(check.model_busy != check.model_available, "{check:?}");
                        u64::from(check.model_busy)
                    })
                    .sum::<u64>()
            })
        })
        .collect();
    let skipped: u64 = handles.into_iter().map(|h| h.join().expect("no panic")).sum();
    assert_eq!(u.busy().checks, skipped);
    assert_eq!(u.gate().slots, 1);
}
