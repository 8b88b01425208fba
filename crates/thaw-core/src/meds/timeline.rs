//! A medicine's timeline and where it stands now, derived from the events a person recorded.
//!
//! Events are replayed in the order they happened (`at`, then when they were written). A new event
//! is checked against that replay before it is saved, so "paused" can't come before "started" and
//! a back-dated entry can't contradict later ones. Reading is forgiving: a timeline imported from
//! elsewhere that breaks these rules still shows, as well as it can.

use std::fmt;

use serde::Serialize;

use super::{Dose, DoseUnit, MedEvent, MedEventKind, medications, name_key};
use crate::{Record, RecordBody, RecordId, Timestamp};

/// Where a medicine stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MedStatus {
    /// Being taken now.
    Active,
    Paused,
    Stopped,
}

impl MedStatus {
    pub fn id(self) -> &'static str {
        match self {
            MedStatus::Active => "active",
            MedStatus::Paused => "paused",
            MedStatus::Stopped => "stopped",
        }
    }
}

impl fmt::Display for MedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One medicine on the person's list, as its events add up.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MedicationState {
    /// The generic name when known, otherwise the name as first typed.
    pub name: String,
    pub generic: Option<String>,
    pub class: Option<String>,
    pub atc: Option<String>,
    pub status: MedStatus,
    /// The latest dose recorded.
    pub dose: Option<Dose>,
    pub unit: Option<DoseUnit>,
    /// When it was first started.
    pub started: Timestamp,
    /// When the current status began (the latest start, pause or stop).
    pub since: Timestamp,
    pub last_taken: Option<Timestamp>,
    /// Its events, oldest first.
    pub events: Vec<Record>,
    #[serde(skip)]
    key: String,
}

impl MedicationState {
    /// "50 mg", if a dose is known.
    pub fn amount(&self) -> Option<String> {
        Some(self.unit?.amount(self.dose?))
    }

    fn from_first(record: &Record, event: &MedEvent, key: String) -> MedicationState {
        let status = match event.event {
            MedEventKind::Paused => MedStatus::Paused,
            MedEventKind::Stopped => MedStatus::Stopped,
            _ => MedStatus::Active,
        };
        // The table may know a name that was typed before it did.
        let known = medications().lookup(&event.name);
        MedicationState {
            name: known.map(|m| m.generic.clone()).unwrap_or_else(|| event.name.clone()),
            generic: known.map(|m| m.generic.clone()).or_else(|| event.generic.clone()),
            class: known.map(|m| m.class.clone()).or_else(|| event.class.clone()),
            atc: known.map(|m| m.atc.clone()).or_else(|| event.atc.clone()),
            status,
            dose: event.dose,
            unit: event.unit,
            started: record.at,
            since: record.at,
            last_taken: (event.event == MedEventKind::Taken).then_some(record.at),
            events: vec![record.clone()],
            key,
        }
    }
}

/// Why an event doesn't fit the timeline at its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conflict {
    NotStarted,
    AlreadyTaking,
    AlreadyPaused,
    AlreadyStopped,
    NotTaking(MedStatus),
}

/// Medication records in the order they happened.
fn in_order(records: &[Record]) -> Vec<(&Record, &MedEvent)> {
    let mut events: Vec<(&Record, &MedEvent)> = records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Medication(e) => Some((r, e)),
            _ => None,
        })
        .collect();
    events.sort_by_key(|(r, _)| (r.at, r.created_at, r.id));
    events
}

/// Applies one event; on a conflict the state is left as it was (apart from listing the event).
fn apply(states: &mut Vec<MedicationState>, record: &Record, event: &MedEvent) -> Option<Conflict> {
    let key = event.key();
    let Some(state) = states.iter_mut().find(|s| s.key == key) else {
        states.push(MedicationState::from_first(record, event, key));
        return (event.event != MedEventKind::Started).then_some(Conflict::NotStarted);
    };
    state.events.push(record.clone());
    use MedEventKind as K;
    use MedStatus as S;
    match (state.status, event.event) {
        (S::Active, K::Started) => return Some(Conflict::AlreadyTaking),
        (S::Paused | S::Stopped, K::Started) => {
            state.status = S::Active;
            state.since = record.at;
            state.dose = event.dose;
            state.unit = event.unit;
        }
        (S::Stopped, K::DoseChanged | K::Paused | K::Taken) => return Some(Conflict::NotTaking(S::Stopped)),
        (S::Active | S::Paused, K::DoseChanged) => {
            state.dose = event.dose;
            state.unit = event.unit;
        }
        (S::Active, K::Paused) => {
            state.status = S::Paused;
            state.since = record.at;
        }
        (S::Paused, K::Paused) => return Some(Conflict::AlreadyPaused),
        (S::Active | S::Paused, K::Stopped) => {
            state.status = S::Stopped;
            state.since = record.at;
        }
        (S::Stopped, K::Stopped) => return Some(Conflict::AlreadyStopped),
        (S::Active, K::Taken) => state.last_taken = Some(record.at),
        (S::Paused, K::Taken) => return Some(Conflict::NotTaking(S::Paused)),
    }
    None
}

/// Replays the events; returns the states and the events that didn't fit.
fn replay(events: &[(&Record, &MedEvent)]) -> (Vec<MedicationState>, Vec<(RecordId, Conflict)>) {
    let mut states = Vec::new();
    let mut conflicts = Vec::new();
    for (record, event) in events {
        if let Some(c) = apply(&mut states, record, event) {
            conflicts.push((record.id, c));
        }
    }
    (states, conflicts)
}

/// Every medicine the person has recorded, with where it stands: those taken now first, then
/// paused, then stopped; by name within each.
pub fn current_medications(records: &[Record]) -> Vec<MedicationState> {
    let (mut states, _) = replay(&in_order(records));
    states.sort_by(|a, b| {
        a.status.cmp(&b.status).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    states
}

/// The medicine on the person's list that a typed name means: the same medicine in Thaw's table
/// (a brand finds its generic), or the same name as typed.
pub fn find_on_list<'a>(states: &'a [MedicationState], typed: &str) -> Option<&'a MedicationState> {
    let key = match medications().lookup(typed) {
        Some(med) => name_key(&med.generic),
        None => name_key(typed),
    };
    states.iter().find(|s| s.key == key)
}

/// When `find_on_list` finds nothing: up to two names on the list that look like what was typed
/// (its generic name when it is a brand), for a "Did you mean …?".
pub fn near_on_list<'a>(states: &'a [MedicationState], typed: &str) -> Vec<&'a str> {
    let name = medications().lookup(typed).map_or(typed, |m| m.generic.as_str()).trim();
    let folded: Vec<String> = states.iter().map(|s| s.name.to_lowercase()).collect();
    crate::text::closest(name, folded.iter().map(String::as_str), 2)
        .iter()
        .filter_map(|hit| folded.iter().position(|f| f == hit).map(|i| states[i].name.as_str()))
        .collect()
}

/// What a change to a medicine would clash with: neutral words and the way forward, which each
/// edge turns into its own hint (a command to type, a form on the page).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct TimelineProblem {
    /// The medicine's name as the list shows it.
    pub medicine: String,
    pub kind: TimelineProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineProblemKind {
    /// The medicine starts later than the date given.
    NotYetThen,
    /// The medicine isn't on the list at all.
    NotOnList,
    /// Started again while already taken.
    AlreadyTaking,
    AlreadyPaused,
    AlreadyStopped,
    /// A dose or a dose taken while it was paused or stopped.
    NotTaking(MedStatus),
    /// Fits at its place but contradicts a later entry.
    ClashesLater,
    /// Not a medication entry.
    NotAMedicine,
}

/// What the person might do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Look at the timeline and check the date.
    SeeTimeline,
    /// Add the medicine (again) with its dose.
    AddMedicine,
    /// Note a new dose instead.
    NewDose,
}

impl TimelineProblem {
    /// The neutral sentence: what clashes.
    pub fn message(&self) -> String {
        let name = &self.medicine;
        match self.kind {
            TimelineProblemKind::NotYetThen => format!("{name} wasn't on your list yet at that time."),
            TimelineProblemKind::NotOnList => format!("{name} isn't on your medicine list yet."),
            TimelineProblemKind::AlreadyTaking => {
                format!("{name} is already on your list as something you take.")
            }
            TimelineProblemKind::AlreadyPaused => format!("{name} is already paused on your list."),
            TimelineProblemKind::AlreadyStopped => {
                format!("{name} is already marked as stopped on your list.")
            }
            TimelineProblemKind::NotTaking(status) => {
                let status = if status == MedStatus::Paused { "paused" } else { "stopped" };
                format!("{name} is {status} on your list at that time.")
            }
            TimelineProblemKind::ClashesLater => {
                format!("That would clash with a later entry for {name} on your timeline.")
            }
            TimelineProblemKind::NotAMedicine => {
                "Only medication entries belong on a medicine's timeline.".to_owned()
            }
        }
    }

    /// The way forward an edge should word.
    pub fn next_step(&self) -> Option<NextStep> {
        match self.kind {
            TimelineProblemKind::NotYetThen | TimelineProblemKind::ClashesLater => {
                Some(NextStep::SeeTimeline)
            }
            TimelineProblemKind::NotOnList | TimelineProblemKind::NotTaking(_) => Some(NextStep::AddMedicine),
            TimelineProblemKind::AlreadyTaking => Some(NextStep::NewDose),
            _ => None,
        }
    }
}

/// Checks that `new` fits the timeline in `records` at its place, and doesn't contradict anything
/// recorded after it.
pub fn check_new_event(records: &[Record], new: &Record) -> Result<(), TimelineProblem> {
    let RecordBody::Medication(event) = &new.body else {
        return Err(TimelineProblem { medicine: String::new(), kind: TimelineProblemKind::NotAMedicine });
    };
    let before = in_order(records);
    let (_, old_conflicts) = replay(&before);
    let mut with_new = before;
    with_new.push((new, event));
    with_new.sort_by_key(|(r, _)| (r.at, r.created_at, r.id));
    let (_, conflicts) = replay(&with_new);
    let problem = |kind| Err(TimelineProblem { medicine: event.name.clone(), kind });
    if let Some((_, conflict)) = conflicts.iter().find(|(id, _)| *id == new.id) {
        let later_start = with_new
            .iter()
            .any(|(r, e)| r.at > new.at && e.key() == event.key() && e.event == MedEventKind::Started);
        return problem(match conflict {
            Conflict::NotStarted if later_start => TimelineProblemKind::NotYetThen,
            Conflict::NotStarted => TimelineProblemKind::NotOnList,
            Conflict::AlreadyTaking => TimelineProblemKind::AlreadyTaking,
            Conflict::AlreadyPaused => TimelineProblemKind::AlreadyPaused,
            Conflict::AlreadyStopped => TimelineProblemKind::AlreadyStopped,
            Conflict::NotTaking(status) => TimelineProblemKind::NotTaking(*status),
        });
    }
    if conflicts.len() > old_conflicts.len() {
        return problem(TimelineProblemKind::ClashesLater);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meds::{MedIdentity, MedTable};

    fn at(day: u32) -> Timestamp {
        let ts: jiff::Timestamp = format!("2025-03-{day:02}T12:00:00Z").parse().unwrap();
        Timestamp::from_jiff(ts)
    }

    fn id(name: &str) -> MedIdentity {
        let t: &MedTable = medications();
        t.identify(name).unwrap()
    }

    fn event(name: &str, kind: MedEventKind, dose: Option<&str>, day: u32) -> Record {
        let d = dose.map(|d| (Dose::parse(d, DoseUnit::Mg).unwrap(), DoseUnit::Mg));
        let e = MedEvent::new(id(name), kind, d, None).unwrap();
        Record::new(RecordBody::Medication(e), Some(at(day)), at(day))
    }

    #[test]
    fn state_follows_the_events_in_the_order_they_happened() {
        use MedEventKind::*;
        let records = vec![
            // Written out of order on purpose: the timeline goes by when things happened.
            event("sertraline", DoseChanged, Some("100"), 10),
            event("Zoloft", Started, Some("50"), 1),
            event("sertraline", Taken, None, 11),
            event("Prozac", Started, Some("20"), 2),
            event("fluoxetine", Paused, None, 5),
            event("Lithium", Started, Some("400"), 3),
            event("lithium", Stopped, None, 8),
        ];
        let states = current_medications(&records);
        let names: Vec<&str> = states.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["sertraline", "fluoxetine", "Lithium"], "active, paused, stopped");
        let s = &states[0];
        assert_eq!(s.status, MedStatus::Active);
        assert_eq!(s.amount().as_deref(), Some("100 mg"));
        assert_eq!(s.class.as_deref(), Some("ssri"));
        assert_eq!(s.started, at(1));
        assert_eq!(s.since, at(1), "a dose change doesn't change the status");
        assert_eq!(s.last_taken, Some(at(11)));
        assert_eq!(s.events.len(), 3);
        assert_eq!(states[1].status, MedStatus::Paused);
        assert_eq!(states[1].since, at(5));
        assert_eq!(states[2].status, MedStatus::Stopped);
        assert_eq!(states[2].class, None, "unknown names have no class");
        assert!(find_on_list(&states, "ZOLOFT").is_some_and(|s| s.name == "sertraline"));
        assert!(find_on_list(&states, "lithium").is_some());
        assert!(find_on_list(&states, "citalopram").is_none());
    }

    #[test]
    fn restarting_after_a_pause_or_stop_makes_it_active_again() {
        use MedEventKind::*;
        let records = vec![
            event("sertraline", Started, Some("50"), 1),
            event("sertraline", Stopped, None, 4),
            event("sertraline", Started, Some("25"), 9),
        ];
        let s = &current_medications(&records)[0];
        assert_eq!((s.status, s.started, s.since), (MedStatus::Active, at(1), at(9)));
        assert_eq!(s.amount().as_deref(), Some("25 mg"));
    }

    #[test]
    fn new_events_must_fit_the_timeline() {
        use MedEventKind::*;
        let mut records = vec![event("sertraline", Started, Some("50"), 5)];
        let check = |records: &[Record], r: &Record| check_new_event(records, r).map_err(|e| e.to_string());
        let err = check(&records, &event("citalopram", Paused, None, 6)).unwrap_err();
        assert!(
            err.contains("isn't on your medicine list") && !err.contains("thaw med"),
            "neutral words, no command: {err}"
        );
        let err = check(&records, &event("sertraline", Stopped, None, 2)).unwrap_err();
        assert!(err.contains("wasn't on your list yet"), "{err}");
        let err = check(&records, &event("Zoloft", Started, Some("50"), 6)).unwrap_err();
        assert!(err.contains("already on your list as something you take"), "{err}");
        let problem = check_new_event(&records, &event("Zoloft", Started, Some("50"), 6)).unwrap_err();
        assert_eq!(problem.next_step(), Some(NextStep::NewDose));
        assert!(check(&records, &event("sertraline", DoseChanged, Some("75"), 6)).is_ok());
        records.push(event("sertraline", Paused, None, 7));
        assert!(
            check(&records, &event("sertraline", Paused, None, 8)).unwrap_err().contains("already paused")
        );
        assert!(check(&records, &event("sertraline", Taken, None, 8)).unwrap_err().contains("paused"));
        assert!(check(&records, &event("sertraline", Taken, None, 6)).is_ok(), "taken before the pause");
        records.push(event("sertraline", Stopped, None, 9));
        assert!(check(&records, &event("sertraline", Stopped, None, 10)).unwrap_err().contains("already"));
        // Back-dating a stop before the later pause would contradict it.
        let err = check(&records, &event("sertraline", Stopped, None, 6)).unwrap_err();
        assert!(err.contains("clash with a later entry"), "{err}");
        assert!(check(&records, &event("sertraline", Started, Some("25"), 10)).is_ok(), "restart");
    }

    #[test]
    fn an_imported_timeline_that_breaks_the_rules_still_shows() {
        use MedEventKind::*;
        let records = vec![event("sertraline", Stopped, None, 3), event("sertraline", Stopped, None, 4)];
        let states = current_medications(&records);
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].status, MedStatus::Stopped);
        assert_eq!(states[0].events.len(), 2);
    }
}
