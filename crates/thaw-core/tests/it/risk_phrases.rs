//! content/risk_phrases.toml: what must and must not count as risk language. Any change to the
//! phrase list adds the case that prompted it here (docs/SAFETY.md).

use thaw_core::safety::risk::{About, RiskPhrases, risk_phrases, scan};

/// Clear expressions of risk: each must be recognised.
const MUST_MATCH: &[&str] = &[
    "I want to die",
    "Sometimes I just want to die.",
    "i wanna die",
    "I want to kill myself",
    "I've been thinking about ending my life",
    "Everyone would be better off without me",
    "I'd be better off dead",
    "There is no reason to live",
    "I have nothing to live for",
    "I keep wanting to hurt myself",
    "I feel suicidal again",
    "thoughts of suicide all week",
    "I don't want to be here anymore",
    "i dont want to be here any more",
    "I DON\u{2019}T WANT TO LIVE",
    "I wish I was dead",
    "I'm not sure why, but I want to die",
    "I don't think I want to die, but I don't want to live either",
    "Some days I want to end it all",
    "I've thought about taking my own life",
    "I started to self-harm again",
    "My life is not worth living",
    "I can't go on living like this",
    "Part of me wants to go to sleep and never wake up again",
    "No one would care if I killed myself",
    "I no longer want to live",
    // Phrase list v2: slang and misspellings, methods, not waking up, burden, staying safe.
    "honestly might kms",
    "gonna unalive myself tbh",
    "thinking about sewerslide again",
    "i feel so suicidial",
    "I've been stockpiling pills",
    "I thought about taking an overdose",
    "I want to jump off the bridge",
    "I wrote a suicide note",
    "I hope I don't wake up tomorrow",
    "I wish I could go to sleep and never wake up",
    "I'm just a burden to everyone",
    "Nobody would miss me",
    "I can't keep myself safe tonight",
    "I cut myself again",
    "I'm so tired of being alive",
    "I don't deserve to live",
    // Negation that must not cancel: contractions before the risky words, and words that turn
    // the sentence around.
    "I can't stop thinking about killing myself",
    "I can't help wanting to die",
    "I don't know why I want to die",
    "I shouldn't want to die, but I do",
    "I know I shouldn't think about suicide",
    "Why can't I just die",
    "I can't see the point in living",
    // Phrase list v4: slang and text-speak, envying the dead, self-harm on purpose.
    "ctb this weekend maybe",
    "mentally drafting my self-deletion",
    "evry1 wud b better off w/o me",
    "i want to sh so bad",
    "I burned myself on purpose last night",
    "I keep envying the dead",
    "honestly jealous of the dead",
    // Phrase list v5: a bare "no" that is the writer going on, and "no one" are no answers.
    "I want to die. No, I really mean it this time",
    "I want to kill myself. No one would notice",
    "suicidal thoughts: yes, most of the day",
    // Phrase list v6: a reported "no" the writer takes back.
    "The nurse asked if I'd thought about ending my life. I said no, but that wasn't true",
    "asked if i had thoughts of killing myself. i said no. i lied",
    "I want to kill myself. I said no to the group but I need help",
    "I think about hurting myself and I said no to help",
    "the nurse asked about thoughts of killing myself and i said no but i lied",
];

/// Everyday language, idioms, negations: none may be recognised.
const MUST_NOT_MATCH: &[&str] = &[
    "I could kill for a coffee",
    "this deadline is killing me",
    "the plant died",
    "I don't want to die",
    "I do not want to die, I want to get better",
    "I'm not suicidal, just exhausted",
    "I'm not really suicidal",
    "I would never hurt myself",
    "I'm not going to kill myself",
    "I don't ever want to hurt myself again",
    "I have no plans to hurt myself",
    "I nearly died laughing at that film",
    "My phone battery died again",
    "I'm dying to see the new exhibition",
    "That joke killed me",
    "I'm dead tired",
    "I want to live a quieter life",
    "We talked about ending the project",
    "I'm killing it at work",
    "She's dead set on moving",
    "I hurt my back lifting boxes",
    "I accidentally hurt myself on the stairs",
    "I hurt myself playing football",
    "Kill the lights, please",
    "Life is worth living",
    "I don't want to live in London",
    "We were killing ourselves laughing",
    "I was killing myself laughing",
    "Die Hard is on tonight",
    // Phrase list v2: others' loss, prevention and news, everyday cuts and sleep.
    "Her dad died by suicide last year",
    "I read an article about suicide prevention",
    "The charity raises money for suicide awareness",
    "I cut myself shaving",
    "I burned myself on the oven tray",
    "I never wake up before my alarm",
    "I don't want to die, I want things to change",
    "I'm not going to kill myself",
    "I want to end things with my boyfriend",
    "I'm cutting back on coffee",
    // Phrase list v3: recovery milestones, medicine leaflets, questions about spotting risk.
    "Day 40 without self-harm, I put a sticker on the calendar",
    "Three months free from self harm",
    "The leaflet says it can cause suicidal thoughts in young people",
    "How can I tell if someone is suicidal?",
    // Phrase list v4: learning the warning signs.
    "We learned the warning signs of suicide at the staff training",
    "How do I know if my friend is suicidal?",
    "I burned myself on the kettle",
    "I wont be in tomorrow, dentist",
    // Phrase list v5: symptom logs and reported questions answered no, "zero".
    "Sleep 5. Suicidal thoughts: none today. Anxiety high",
    "Self-harm: nil this week",
    "Therapist asked if I'd had any thoughts of ending my life. Honestly, no. Just flat.",
    "Zero thoughts of harming myself, the GP asked twice",
    "Therapist asked if I'm having thoughts of suicide. Honestly no. Just empty.",
    "On the first aid course we learned to ask 'are you thinking about suicide' straight out",
    // Phrase list v6: the writer reports answering no.
    "I was asked if I had thoughts of ending my life. I said no.",
    "GP asked about thoughts of killing myself, I told her no, not for years",
    "They asked if I'd thought about hurting myself. I answered no.",
    "My GP asked whether I have thoughts of hurting myself and I said no, honestly.",
];

#[test]
fn clear_risk_language_is_recognised() {
    assert!(MUST_MATCH.len() >= 15);
    for text in MUST_MATCH {
        let found = scan(text);
        assert!(!found.is_empty(), "should match: {text}");
    }
}

#[test]
fn everyday_language_is_left_alone() {
    assert!(MUST_NOT_MATCH.len() >= 15);
    for text in MUST_NOT_MATCH {
        let found = scan(text);
        assert!(found.is_empty(), "should not match: {text} → {found:?}");
    }
}

#[test]
fn other_peoples_words_are_flagged_gently() {
    for text in [
        "My friend said she wanted to die",
        "My brother is suicidal and I don't know what to do",
        "He told me he wants to kill himself",
        "My sister says she wants to end her life",
    ] {
        let found = scan(text);
        assert!(!found.is_empty(), "{text}");
        assert!(found.iter().all(|m| m.about == About::Others), "{text}: {found:?}");
    }
    let mine = scan("I want to die");
    assert_eq!(mine[0].about, About::Writer);
    let mixed = scan("She wants to die. Honestly, so do I: I want to die too.");
    assert!(mixed.iter().any(|m| m.about == About::Writer) && mixed.iter().any(|m| m.about == About::Others));
}

#[test]
fn matches_name_the_group_never_the_words() {
    let found = scan("I want to kill myself");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].phrase, "end-life");
}

#[test]
fn the_list_covers_the_brief() {
    let phrases: Vec<String> = risk_phrases().patterns().map(|(_, p)| p).collect();
    for needed in [
        "want to die",
        "kill myself",
        "end my life",
        "better off dead",
        "no reason to live",
        "hurt myself",
        "suicide",
        "suicidal",
        "do not want to be here anymore",
    ] {
        assert!(phrases.iter().any(|p| p == needed), "missing {needed}");
    }
    assert!(risk_phrases().reviewed_on() >= jiff::civil::date(2026, 11, 25));
}

#[test]
fn bad_phrase_files_are_refused() {
    let base = |patterns: &str, exceptions: &str| {
        format!(
            "version = 1\nreviewed_on = 2026-11-25\n[negation]\nwindow = 3\nnegators = [\"not\"]\nfillers = []\nboundaries = []\nothers = []\nself_words = [\"i\"]\n[[phrase]]\nid = \"x\"\npatterns = [{patterns}]\n{exceptions}"
        )
    };
    assert!(RiskPhrases::parse(&base("\"want to die\"", "")).is_ok());
    assert!(RiskPhrases::parse(&base("\"Want To Die\"", "")).unwrap_err().contains("normal form"));
    assert!(RiskPhrases::parse(&base("\"don't\"", "")).unwrap_err().contains("normal form"));
    assert!(RiskPhrases::parse(&base("\"a c\", \"a c\"", "")).unwrap_err().contains("twice"));
    let useless = "[[exception]]\nwhy = \"x\"\npatterns = [\"nothing here\"]";
    assert!(RiskPhrases::parse(&base("\"want to die\"", useless)).unwrap_err().contains("does nothing"));
    assert!(RiskPhrases::parse(&base("\"want to die\"", "colour = 1")).is_err(), "unknown keys");
}

#[test]
fn long_texts_are_scanned_quickly_enough() {
    let page = "An ordinary day, nothing much to say about it. ".repeat(20_000);
    let text = format!("{page}I want to die.{page}");
    let started = std::time::Instant::now();
    assert_eq!(scan(&text).len(), 1);
    assert!(started.elapsed().as_secs() < 5, "a 2 MB entry took {:?}", started.elapsed());
}

proptest::proptest! {
    #[test]
    fn any_text_is_scanned_without_panicking(text in "\\PC{0,400}") {
        let _ = scan(&text);
    }

    #[test]
    fn any_plan_file_is_read_or_refused_without_panicking(text in "\\PC{0,300}") {
        let _ = thaw_core::safety::SafetyPlan::from_toml(&text);
    }
}

#[test]
fn negated_matches_are_kept_apart_for_the_semantic_layer() {
    let marked = risk_phrases().scan_marked("I don't want to die. I want to die.");
    assert_eq!(marked.iter().filter(|(_, negated)| *negated).count(), 1);
    assert_eq!(marked.iter().filter(|(_, negated)| !negated).count(), 1);
    assert_eq!(scan("I don't want to die. I want to die.").len(), 1);
}

#[test]
fn the_subject_of_a_sentence() {
    let r = risk_phrases();
    assert_eq!(r.subject_of("I keep collecting tablets"), About::Writer);
    assert_eq!(r.subject_of("My best friend has been collecting tablets"), About::Others);
    assert_eq!(r.subject_of("She says nobody would miss her"), About::Others);
    assert_eq!(r.subject_of("Nobody would miss me"), About::Writer);
}
