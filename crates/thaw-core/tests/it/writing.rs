//! content/prompts.toml and content/starters.toml, and the new record kinds in JSON.

use std::collections::HashSet;

use thaw_core::meds::{Dose, DoseUnit, MedEventKind, medications};
use thaw_core::people::starters;
use thaw_core::prompts::prompts;
use thaw_core::selfcheck::selfcheck;
use thaw_core::{Conversation, Intensity, MedEvent, Record, RecordBody, RecordKind, Timestamp};

#[test]
fn at_least_40_prompts_in_groups_with_unique_ids() {
    let p = prompts();
    assert!(p.all().count() >= 40, "{} prompts", p.all().count());
    assert!(p.groups.len() >= 6);
    let mut ids = HashSet::new();
    for (g, prompt) in p.all() {
        assert!(ids.insert(prompt.id.clone()), "{} twice", prompt.id);
        assert!(prompt.id.starts_with(&format!("{}-", g.id)), "{} is named after its group", prompt.id);
        assert!(prompt.text.chars().count() <= 300, "{}: short", prompt.id);
    }
    for group in ["noticing", "reactions", "memories", "grief", "fears", "talking"] {
        assert!(p.group(group).is_ok(), "{group}");
    }
    let heavy = p.all().filter(|(_, pr)| pr.is_heavy()).count();
    assert!(heavy >= 3, "the heavier prompts carry a warning");
    for (_, pr) in p.all().filter(|(_, pr)| pr.is_heavy()) {
        assert!(pr.warning.contains("stop"), "{}: the warning offers a way out", pr.id);
    }
}

#[test]
fn starters_cover_every_level_of_openness() {
    let s = starters();
    let ids: Vec<&str> = s.levels.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["light", "medium", "open"]);
    for l in &s.levels {
        assert!(l.starters.len() >= 4, "{}: {} starters", l.id, l.starters.len());
        let unique: HashSet<&String> = l.starters.iter().collect();
        assert_eq!(unique.len(), l.starters.len(), "{}: no repeats", l.id);
    }
    assert!(s.levels.iter().flat_map(|l| &l.starters).any(|l| l.contains("can't cry")));
}

#[test]
fn new_record_kinds_round_trip_through_json() {
    let now = Timestamp::now();
    let id = medications().identify("Zoloft").unwrap();
    let dose = Dose::parse("37.5", DoseUnit::Mg).unwrap();
    let med = MedEvent::new(id, MedEventKind::Started, Some((dose, DoseUnit::Mg)), Some("morning")).unwrap();
    let check = selfcheck().result(&[("medication-1".to_owned(), Some(3))].into_iter().collect()).unwrap();
    let talk = Conversation::new("Robin", None, "phone", Some(Intensity::new(6).unwrap()), None).unwrap();
    for (body, kind, tag) in [
        (RecordBody::Medication(med), RecordKind::Medication, "medication"),
        (RecordBody::SelfCheck(check), RecordKind::SelfCheck, "selfcheck"),
        (RecordBody::Conversation(talk), RecordKind::Conversation, "conversation"),
    ] {
        let rec = Record::new(body, None, now);
        assert_eq!(rec.kind(), kind);
        assert_eq!(kind.as_str(), tag);
        assert_eq!(RecordKind::parse(tag), Some(kind));
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(json["type"], tag);
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(back, rec);
    }
    let med_json = serde_json::to_value(Record::new(
        RecordBody::Medication(
            MedEvent::new(medications().identify("sertraline").unwrap(), MedEventKind::Paused, None, None)
                .unwrap(),
        ),
        None,
        now,
    ))
    .unwrap();
    assert_eq!(med_json["generic"], "sertraline");
    assert_eq!(med_json["class"], "ssri");
    assert_eq!(med_json["atc"], "N06AB06");
    assert_eq!(med_json["event"], "paused");
}
