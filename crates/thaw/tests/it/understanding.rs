//! The on-device model in the CLI: the semantic layer of the risk check on every save of free
//! text, loaded only when there is free text; the phrase layer alone (said once) without it; and
//! `thaw suggest`. Tests that use the model need it on disk (scripts/fetch-model).

use crate::harness::{Thaw, model_dir};

/// Risk language the phrase list doesn't know: only the semantic layer catches it.
const ONLY_SEMANTIC: &str = "I've been collecting my tablets instead of taking them.";
const ONLY_SEMANTIC_NOTE: &str = "Honestly everyone would cope fine if I just wasn't here.";
const NOTE_SAID: &str = "on-device language model isn't installed";

fn with_model(t: &Thaw, args: &[&str]) -> crate::harness::Run {
    t.run_with(args, &[("THAW_MODEL_DIR", &model_dir())])
}

#[test]
fn the_phrase_list_alone_misses_these() {
    for text in [ONLY_SEMANTIC, ONLY_SEMANTIC_NOTE] {
        assert!(thaw_core::safety::risk::scan(text).is_empty(), "{text}");
    }
}

#[test]
fn risk_only_the_model_understands_brings_support_on_every_kind_of_save() {
    let (t, _) = Thaw::init();
    t.run(&["config", "set", "country", "GB"]).ok();
    let run = with_model(&t, &["journal", "add", "--title", "Thursday", "--body", ONLY_SEMANTIC]).ok();
    assert!(run.stdout.contains("Samaritans: call 116 123"), "{}", run.stdout);
    assert!(run.stdout.find("Samaritans").unwrap() < run.stdout.find("Saved to your journal.").unwrap());
    assert!(!run.stdout.contains("tablets"), "never quoted back: {}", run.stdout);
    assert!(!run.stderr.contains(NOTE_SAID), "{}", run.stderr);

    let run = with_model(&t, &["checkin", "--feel", "numb", "--note", ONLY_SEMANTIC_NOTE, "--json"]).ok();
    assert_eq!(run.json()["follow_up"]["reason"], "risk_in_text", "{}", run.stdout);
    assert!(run.stderr.contains("116 123"), "{}", run.stderr);

    // Ordinary days stay quiet.
    let run = with_model(
        &t,
        &["journal", "add", "--title", "Walk", "--body", "A long walk by the river. Soup after.", "--json"],
    )
    .ok();
    assert!(run.json()["follow_up"].is_null(), "{}", run.stdout);
}

#[test]
fn without_the_model_the_phrase_layer_still_works_and_says_so_once() {
    let (t, _) = Thaw::init();
    t.run(&["config", "set", "country", "GB"]).ok();
    // Saves without free text never look for the model, so there is nothing to say yet.
    let run = t.run(&["checkin", "--feel", "numb"]).ok();
    assert!(!run.stderr.contains(NOTE_SAID), "{}", run.stderr);
    let run = t.run(&["journal", "add", "--title", "Only a title", "--body", ""]).ok();
    assert!(!run.stderr.contains(NOTE_SAID), "{}", run.stderr);

    let run =
        t.run(&["journal", "add", "--title", "Tuesday", "--body", "Some days I just want to die."]).ok();
    assert!(run.stdout.contains("Samaritans"), "the phrase layer caught it: {}", run.stdout);
    assert!(run.stderr.contains(NOTE_SAID) && run.stderr.contains("scripts/fetch-model"), "{}", run.stderr);
    // Once, not on every save.
    let run = t.run(&["checkin", "--feel", "numb", "--note", "I want to kill myself"]).ok();
    assert!(run.stdout.contains("Samaritans"), "{}", run.stdout);
    assert!(!run.stderr.contains(NOTE_SAID), "said once already: {}", run.stderr);
    // What only the model understands isn't caught without it (and nothing breaks).
    let run = t.run(&["journal", "add", "--title", "Thursday", "--body", ONLY_SEMANTIC, "--json"]).ok();
    assert!(run.json()["follow_up"].is_null());
}

#[test]
fn suggest_offers_a_few_words_best_first() {
    let (t, _) = Thaw::init();
    let text = "I couldn't feel anything at the funeral. Everyone was crying and I was just blank.";
    let run = with_model(&t, &["suggest", "--json", text]).ok();
    let words = run.json();
    let words = words.as_array().expect("an array");
    assert!(!words.is_empty() && words.len() <= 5, "{words:?}");
    let scores: Vec<f64> = words.iter().map(|w| w["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|s| s[0] >= s[1]), "best first: {scores:?}");
    let vocab = thaw_core::vocab::vocabulary();
    assert!(words.iter().all(|w| vocab.lookup(w["word"].as_str().unwrap()).is_some()), "{words:?}");

    // From standard input, as text: the words with their meanings, under a question.
    let run = t.run_stdin_env(&["suggest"], text, &[("THAW_MODEL_DIR", &model_dir())]).ok();
    insta::assert_snapshot!("suggest_text", run.stdout);
    // A word's meaning may say "what you feel"; the offer never says "you feel X".
    let said = run.stdout.to_lowercase().replace("what you feel", "");
    assert!(!said.contains("you feel"), "never tells anyone what they feel");
}

#[test]
fn suggest_includes_the_persons_own_words() {
    let (t, _) = Thaw::init();
    t.run(&[
        "words",
        "add",
        "underwater",
        "--family",
        "numb",
        "--meaning",
        "Everything muffled and slow, as if far below the surface.",
    ])
    .ok();
    let run = with_model(
        &t,
        &["suggest", "--json", "Everything sounds muffled and slow, like I'm below the surface."],
    )
    .ok();
    let words: Vec<String> =
        run.json().as_array().unwrap().iter().map(|w| w["word"].as_str().unwrap().to_owned()).collect();
    assert!(words.contains(&"underwater".to_owned()), "{words:?}");
}

#[test]
fn suggest_says_what_to_do_when_it_cant() {
    let (t, _) = Thaw::init();
    let run = with_model(&t, &["suggest", "  ... "]).fails(2);
    assert!(run.stderr.contains("Write a sentence or two"), "{}", run.stderr);
    let run = t.run(&["suggest", "I felt flat all day."]).fails(1);
    assert!(run.stderr.contains("scripts/fetch-model"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}
