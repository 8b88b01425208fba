//! A small, fixed vault's worth of records (ids and times set by hand) and the summary of March 2025.

use jiff::tz::TimeZone;
use thaw_core::insights::Window;
use thaw_core::meds::{Dose, DoseUnit, MedEvent, MedEventKind, medications};
use thaw_core::selfcheck::selfcheck;
use thaw_core::{
    Absence, Activity, ActivityKind, CheckIn, Felt, Intensity, Reaction, ReactionStyle, Record, RecordBody,
    RecordId, Release, ReleaseKind, Timestamp, instrument, vocabulary,
};
use thaw_report::Summary;

pub fn ts(text: &str) -> Timestamp {
    Timestamp::from_jiff(text.parse().unwrap())
}

pub fn record(n: u128, at: &str, body: RecordBody) -> Record {
    let at = ts(at);
    let id = RecordId::from_uuid(uuid::Uuid::from_u128(0x0195_0000_0000_7000_8000_0000_0000_0000 + n));
    Record { id, at, created_at: at, updated_at: at, body }
}

fn felt(words: &[(&str, u8)]) -> Vec<Felt> {
    words
        .iter()
        .map(|(w, i)| Felt { word: (*w).to_owned(), intensity: Some(Intensity::new(*i).unwrap()) })
        .collect()
}

fn checkin(n: u128, at: &str, words: &[(&str, u8)]) -> Record {
    record(n, at, RecordBody::Checkin(CheckIn::new(felt(words), vec![], None, false, None).unwrap()))
}

fn absent(n: u128, at: &str, a: Absence) -> Record {
    record(n, at, RecordBody::Checkin(CheckIn::new(vec![], vec![], None, false, Some(a)).unwrap()))
}

fn release(n: u128, at: &str, kind: ReleaseKind) -> Record {
    let r =
        Release::new(kind, Intensity::new(5).unwrap(), None, Some(Intensity::new(6).unwrap()), None).unwrap();
    record(n, at, RecordBody::Release(r))
}

fn reaction(n: u128, at: &str, styles: &[ReactionStyle]) -> Record {
    let r = Reaction::new("A hard phone call", Intensity::new(6).unwrap(), styles.to_vec(), vec![], None)
        .unwrap();
    record(n, at, RecordBody::Reaction(r))
}

fn activity(n: u128, at: &str, kind: ActivityKind, before: u8, after: u8) -> Record {
    let a = Activity::new(
        kind,
        40,
        Some("the park"),
        Intensity::new(before).unwrap(),
        Intensity::new(after).unwrap(),
        None,
    )
    .unwrap();
    record(n, at, RecordBody::Activity(a))
}

fn med(n: u128, at: &str, name: &str, kind: MedEventKind, dose: Option<&str>, note: Option<&str>) -> Record {
    let d = dose.map(|d| (Dose::parse(d, DoseUnit::Mg).unwrap(), DoseUnit::Mg));
    let e = MedEvent::new(medications().identify(name).unwrap(), kind, d, note).unwrap();
    record(n, at, RecordBody::Medication(e))
}

fn assess(n: u128, at: &str, id: &str, answers: &[u8], difficulty: Option<u8>) -> Record {
    record(n, at, RecordBody::Assessment(instrument(id).unwrap().score(answers, difficulty).unwrap()))
}

/// Everything a month of use might hold, plus a little before it.
pub fn records() -> Vec<Record> {
    use ReactionStyle::*;
    let mut answers = std::collections::BTreeMap::new();
    for q in selfcheck().questions() {
        answers.insert(q.id.clone(), None);
    }
    answers.insert("medication-1".to_owned(), Some(3));
    let check = selfcheck().result(&answers).unwrap();
    vec![
        med(1, "2025-01-15T09:00:00Z", "Zoloft", MedEventKind::Started, Some("50"), None),
        assess(2, "2025-02-20T09:00:00Z", "phq9", &[2, 2, 2, 1, 1, 1, 1, 1, 0], Some(1)),
        record(3, "2025-02-25T09:00:00Z", RecordBody::SelfCheck(check)),
        checkin(10, "2025-03-01T08:00:00Z", &[("numb", 3)]),
        absent(11, "2025-03-02T21:00:00Z", Absence::Nothing),
        checkin(12, "2025-03-03T08:00:00Z", &[("flat", 2), ("tired", 4)]),
        assess(13, "2025-03-05T09:00:00Z", "phq9", &[2, 2, 1, 1, 1, 1, 1, 1, 1], Some(1)),
        assess(14, "2025-03-05T09:10:00Z", "gad7", &[1, 2, 1, 1, 0, 1, 1], None),
        assess(15, "2025-03-05T09:20:00Z", "who5", &[2, 2, 1, 1, 2], None),
        reaction(16, "2025-03-06T18:00:00Z", &[ShruggedOff, Humour]),
        absent(17, "2025-03-07T08:00:00Z", Absence::CantTell),
        med(
            18,
            "2025-03-10T09:00:00Z",
            "sertraline",
            MedEventKind::DoseChanged,
            Some("100"),
            Some("after the review"),
        ),
        med(19, "2025-03-11T09:00:00Z", "sertraline", MedEventKind::Taken, None, None),
        checkin(20, "2025-03-12T08:00:00Z", &[("sad", 5), ("lonely", 4)]),
        activity(21, "2025-03-14T17:00:00Z", ActivityKind::Walking, 2, 5),
        release(22, "2025-03-15T09:00:00Z", ReleaseKind::TearedUp),
        checkin(23, "2025-03-16T08:00:00Z", &[("hurt", 6), ("calm", 3)]),
        reaction(24, "2025-03-18T19:00:00Z", &[FeltIt, Talked]),
        activity(25, "2025-03-20T17:00:00Z", ActivityKind::Music, 3, 6),
        checkin(26, "2025-03-21T08:00:00Z", &[("relieved", 6), ("proud", 4)]),
        release(27, "2025-03-21T10:00:00Z", ReleaseKind::Cried),
        assess(28, "2025-03-26T09:00:00Z", "phq9", &[1, 1, 1, 1, 1, 1, 1, 0, 0], Some(0)),
        checkin(29, "2025-03-27T08:00:00Z", &[("content", 5), ("anxious", 3)]),
        release(30, "2025-03-28T20:00:00Z", ReleaseKind::Laughed),
    ]
}

pub fn window() -> Window {
    Window::new("2025-03-01".parse().unwrap(), "2025-03-28".parse().unwrap(), &TimeZone::UTC).unwrap()
}

pub fn questions() -> Vec<String> {
    vec![
        "Could the dose be part of why I can't cry?".to_owned(),
        "Is it <normal> to feel \"flat\" & tired in the mornings?".to_owned(),
    ]
}

pub fn summary() -> Summary {
    Summary::from_records(&records(), &window(), vocabulary(), ts("2025-03-29T10:00:00Z"), questions())
}
