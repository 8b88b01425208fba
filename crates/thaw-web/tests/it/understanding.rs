//! The on-device model in the web app: the semantic layer of the risk check behind every save
//! (pages and API), "words that might fit" on the check-in and journal pages and at
//! `POST /api/v1/suggest`, and the phrase layer alone when the model isn't there. The tests with
//! the model need it on disk (scripts/fetch-model).

use serde_json::json;

use crate::harness::{Client, start, start_full, with_model, without_model};

/// Risk language the phrase list doesn't know: only the semantic layer catches it.
const ONLY_SEMANTIC: &str = "I've been collecting my tablets instead of taking them.";
const SUPPORT: &str = "Support, if you want it";

fn follow(c: &Client, r: crate::harness::Resp) -> crate::harness::Resp {
    assert_eq!(r.status, 303, "{}", r.body);
    c.get(r.header("location").unwrap())
}

#[test]
fn risk_only_the_model_understands_brings_support_on_pages_and_in_the_api() {
    assert!(thaw_core::safety::risk::scan(ONLY_SEMANTIC).is_empty(), "the phrase list alone misses it");
    let s = start_full(None, with_model());
    let c = Client::unlocked(&s);
    let page =
        follow(&c, c.form("/journal", &[("title", "Thursday"), ("body", ONLY_SEMANTIC)])).status(200).body;
    assert!(page.contains(SUPPORT) && page.contains("href=\"/crisis\""), "{page}");
    let page = follow(&c, c.form("/checkin", &[("word", "numb"), ("note", ONLY_SEMANTIC)])).status(200).body;
    assert!(page.contains(SUPPORT), "{page}");

    let api = Client::script(&s);
    let rec =
        api.post_json("/api/v1/journal", &json!({ "title": "t", "body": ONLY_SEMANTIC })).status(201).json();
    assert_eq!(rec["follow_up"]["reason"], "risk_in_text", "{rec}");
    let rec = api
        .post_json("/api/v1/journal", &json!({ "title": "t", "body": "Soup and a film tonight." }))
        .status(201)
        .json();
    assert!(rec["follow_up"].is_null(), "{rec}");
}

#[test]
fn without_the_model_the_phrase_layer_still_brings_support() {
    let s = start_full(None, without_model());
    let api = Client::script(&s);
    let rec = api
        .post_json("/api/v1/journal", &json!({ "title": "t", "body": "Some nights I just want to die." }))
        .status(201)
        .json();
    assert_eq!(rec["follow_up"]["reason"], "risk_in_text", "{rec}");
    let rec =
        api.post_json("/api/v1/journal", &json!({ "title": "t", "body": ONLY_SEMANTIC })).status(201).json();
    assert!(rec["follow_up"].is_null(), "{rec}");
    // Suggestions say why there are none.
    let r = api.post_json("/api/v1/suggest", &json!({ "text": "I felt flat all day." })).status(200).json();
    assert_eq!(r["suggestions"], json!([]));
    assert!(r["note"].as_str().unwrap().contains("scripts/fetch-model"), "{r}");
    let c = Client::unlocked(&s);
    let page = c
        .form("/journal", &[("title", "t"), ("body", "I felt flat all day."), ("suggest", "1")])
        .status(200)
        .text();
    assert!(page.contains("language model isn't installed"), "{page}");
}

#[test]
fn the_api_suggests_a_few_words_best_first() {
    let s = start_full(None, with_model());
    let api = Client::script(&s);
    let r = api
        .post_json(
            "/api/v1/suggest",
            &json!({ "text": "I couldn't feel anything at the funeral. Everyone cried and I was blank." }),
        )
        .status(200)
        .json();
    let words = r["suggestions"].as_array().unwrap();
    assert!(!words.is_empty() && words.len() <= 5, "{r}");
    assert!(r.get("note").is_none(), "{r}");
    let scores: Vec<f64> = words.iter().map(|w| w["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|p| p[0] >= p[1]), "{scores:?}");
    let vocab = thaw_core::vocab::vocabulary();
    assert!(words.iter().all(|w| vocab.lookup(w["word"].as_str().unwrap()).is_some()), "{r}");
    // Nothing to go on: no words. The wrong shape: a clear 422. Nothing was saved.
    let r = api.post_json("/api/v1/suggest", &json!({ "text": " 12 … " })).status(200).json();
    assert_eq!(r["suggestions"], json!([]));
    api.post_json("/api/v1/suggest", &json!({ "words": "x" })).status(422);
    assert_eq!(api.get("/api/v1/journal").json().as_array().unwrap().len(), 0);
    // The vault must be open (personal words live there).
    let locked = start();
    Client::bearer(&locked).post_json("/api/v1/suggest", &json!({ "text": "flat" })).status(423);
}

#[test]
fn check_in_and_journal_pages_offer_words_without_javascript() {
    let s = start_full(None, with_model());
    let c = Client::unlocked(&s);
    let note = "Everyone was laughing at dinner and I felt nothing at all, just blank and far away.";
    // The check-in's last step, asked for words: the same step again, the note kept, the words
    // offered unticked.
    let page = c
        .form("/checkin/sentence", &[("absence", "cant-tell"), ("note", note), ("suggest", "1")])
        .status(200)
        .text();
    assert!(page.contains("Might any of these words fit?"), "{page}");
    assert!(page.contains(note), "the note is kept: {page}");
    let offered: Vec<String> = page
        .split("name=\"word\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert!(!offered.is_empty() && offered.len() <= 5, "{page}");
    assert!(page.contains(&format!("name=\"word\" value=\"{}\">", offered[0])), "unticked: {page}");
    // Ticking one adds it to the check-in; "I can't quite tell" stays honest.
    let saved =
        follow(&c, c.form("/checkin", &[("absence", "cant-tell"), ("note", note), ("word", &offered[0])]))
            .status(200)
            .text();
    assert!(saved.contains(&format!("I can't quite tell, but I may feel {}.", offered[0])), "{saved}");

    // The journal form, asked for words: nothing is saved, the text is kept.
    let page = c
        .form("/journal", &[("title", "Dinner"), ("body", note), ("feel", ""), ("suggest", "1")])
        .status(200)
        .text();
    assert!(page.contains("Might any of these words fit?") && page.contains(note), "{page}");
    assert!(page.contains("name=\"feel\" value=\""), "{page}");
    assert_eq!(Client::script(&s).get("/api/v1/journal").json().as_array().unwrap().len(), 0);
}

/// A model of its own (the other tests' model is never held), behind a gate of one slot that
/// doesn't wait at all: whenever another text is being encoded, a save gets the phrase layer alone.
fn impatient_model() -> std::sync::Arc<thaw_embed::Understanding> {
    let u = thaw_embed::Understanding::in_dir(&crate::harness::model_dir())
        .with_gate(thaw_embed::GateConfig { slots: 1, wait: std::time::Duration::ZERO });
    assert!(u.load(), "These tests need the on-device model: run scripts/fetch-model first");
    std::sync::Arc::new(u)
}

#[test]
fn while_the_model_is_busy_saves_are_kept_and_still_checked_for_phrases() {
    let u = impatient_model();
    let s = start_full(None, u.clone());
    let api = Client::script(&s);
    {
        // As if someone else's entry were being encoded on the only slot.
        let _held = u.hold_slots(1).expect("the slot");
        let rec = api
            .post_json("/api/v1/journal", &json!({ "title": "t", "body": "Some nights I just want to die." }))
            .status(201)
            .json();
        assert_eq!(rec["follow_up"]["reason"], "risk_in_text", "{rec}");
        // What only the model would have understood goes unseen this time: the save is kept.
        let rec = api
            .post_json("/api/v1/journal", &json!({ "title": "t", "body": ONLY_SEMANTIC }))
            .status(201)
            .json();
        assert!(rec["follow_up"].is_null(), "{rec}");
        let r =
            api.post_json("/api/v1/suggest", &json!({ "text": "I felt flat all day." })).status(200).json();
        assert_eq!(r["suggestions"], json!([]));
        assert_eq!(r["note"], thaw_embed::BUSY_NOTE, "{r}");
        assert_eq!(u.busy(), thaw_embed::Busy { checks: 2, suggestions: 1 });
    }
    let rec =
        api.post_json("/api/v1/journal", &json!({ "title": "t", "body": ONLY_SEMANTIC })).status(201).json();
    assert_eq!(rec["follow_up"]["reason"], "risk_in_text", "{rec}");
    assert_eq!(u.busy().checks, 2);
}

#[test]
fn many_journal_saves_at_once_are_all_kept_and_reads_are_answered() {
    let u = impatient_model();
    let s = start_full(None, u.clone());
    std::thread::scope(|scope| {
        let saves: Vec<_> = (0..12)
            .map(|t| {
                let s = &s;
                scope.spawn(move || {
                    let api = Client::script(s);
                    for i in 0..3 {
                        let body = format!(
                            "Day {t}-{i}. The lake was grey and quiet after work. I walked to the station in the rain. Some nights I just want to die."
                        );
                        let rec =
                            api.post_json("/api/v1/journal", &json!({ "title": "t", "body": body })).status(201).json();
                        // The phrase layer always answers, busy model or not.
                        assert_eq!(rec["follow_up"]["reason"], "risk_in_text", "{rec}");
                    }
                })
            })
            .collect();
        let reads = scope.spawn(|| {
            let api = Client::script(&s);
            for _ in 0..20 {
                api.get("/api/v1/journal?limit=5").status(200);
                api.get("/api/v1/insights").status(200);
            }
        });
        for h in saves {
            h.join().expect("every save succeeded");
        }
        reads.join().expect("every read was answered");
    });
    let listed = Client::script(&s).get("/api/v1/journal").status(200).json();
    assert_eq!(listed.as_array().map_or(0, Vec::len), 36, "every save was kept");
    eprintln!("the busy model left {} of 36 checks to the phrase layer alone", u.busy().checks);
}
