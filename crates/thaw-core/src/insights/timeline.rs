//! Medication events and questionnaire totals on the same timeline as the rest of the insights.

use jiff::civil::Date;
use serde::Serialize;

use super::Window;
use crate::Timestamp;
use crate::instruments::{Assessment, instruments};
use crate::meds::{MedEventKind, MedStatus, current_medications};
use crate::record::{Record, RecordBody};

/// One change on a medicine's timeline (started, dose changed, paused, stopped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedicationEvent {
    pub at: Timestamp,
    pub date: Date,
    pub name: String,
    pub class: Option<String>,
    pub event: MedEventKind,
    /// "50 mg", when the event sets a dose.
    pub amount: Option<String>,
    pub note: Option<String>,
}

/// A medicine as it stood at the end of the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedicationNow {
    pub name: String,
    pub generic: Option<String>,
    pub class: Option<String>,
    pub atc: Option<String>,
    pub status: MedStatus,
    pub amount: Option<String>,
    pub started: Timestamp,
    pub since: Timestamp,
}

/// Medicines over a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedicationTimeline {
    /// Changes inside the window, oldest first ("taken" notes are counted, not listed).
    pub events: Vec<MedicationEvent>,
    /// "Taken" notes inside the window.
    pub taken: usize,
    /// Every medicine recorded up to the end of the window, as it stood then: taken first, then
    /// paused, then stopped.
    pub at_end: Vec<MedicationNow>,
}

/// Medication events in `window`, and where each medicine stood at its end.
pub fn medication_timeline(records: &[Record], window: &Window) -> MedicationTimeline {
    let until: Vec<Record> = records
        .iter()
        .filter(|r| r.at < window.end && matches!(r.body, RecordBody::Medication(_)))
        .cloned()
        .collect();
    let mut events = Vec::new();
    let mut taken = 0;
    let mut in_window: Vec<&Record> = until.iter().filter(|r| window.contains(r.at)).collect();
    in_window.sort_by_key(|r| (r.at, r.created_at, r.id));
    for record in in_window {
        let RecordBody::Medication(e) = &record.body else { continue };
        if e.event == MedEventKind::Taken {
            taken += 1;
            continue;
        }
        events.push(MedicationEvent {
            at: record.at,
            date: window.date_of(record.at),
            name: crate::meds::medications()
                .lookup(&e.name)
                .map_or_else(|| e.name.clone(), |m| m.generic.clone()),
            class: e.class.clone(),
            event: e.event,
            amount: e.amount(),
            note: e.note.clone(),
        });
    }
    let at_end = current_medications(&until)
        .into_iter()
        .map(|s| MedicationNow {
            amount: s.amount(),
            name: s.name,
            generic: s.generic,
            class: s.class,
            atc: s.atc,
            status: s.status,
            started: s.started,
            since: s.since,
        })
        .collect();
    MedicationTimeline { events, taken, at_end }
}

/// One questionnaire taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionnairePoint {
    pub at: Timestamp,
    pub date: Date,
    pub total: u32,
    /// The band's id and published name.
    pub band: String,
    pub band_name: String,
    /// WHO-5: the total × 4.
    pub percentage: Option<u32>,
    /// Total minus the previous total of the same questionnaire, looking back before the window too.
    pub change: Option<i64>,
    /// The answers, one per question.
    pub answers: Vec<u8>,
    pub difficulty: Option<u8>,
    /// The record's id (for exports that refer to it).
    pub id: crate::RecordId,
}

/// PHQ-9 item 9 answered above 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemNine {
    pub at: Timestamp,
    pub date: Date,
    pub value: u8,
    /// The answer as printed on the form ("Several days").
    pub label: String,
}

/// One questionnaire's totals over a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionnaireTrend {
    /// `phq9`, `gad7`, `who5`.
    pub instrument: String,
    /// `PHQ-9`.
    pub name: String,
    pub max_total: u32,
    /// Oldest first.
    pub points: Vec<QuestionnairePoint>,
    /// The latest total in the window minus the first one in it (`None` with fewer than two).
    pub change_in_window: Option<i64>,
    /// PHQ-9 only: every item 9 answer above 0 in the window, oldest first.
    pub item9: Vec<ItemNine>,
}

/// Totals per questionnaire taken in `window`, in Thaw's questionnaire order; questionnaires not
/// taken in the window are left out.
pub fn questionnaire_trends(records: &[Record], window: &Window) -> Vec<QuestionnaireTrend> {
    let mut all: Vec<(&Record, &Assessment)> = records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Assessment(a) => Some((r, a)),
            _ => None,
        })
        .collect();
    all.sort_by_key(|(r, _)| (r.at, r.created_at, r.id));
    let mut trends = Vec::new();
    for inst in instruments() {
        let mine: Vec<&(&Record, &Assessment)> =
            all.iter().filter(|(_, a)| a.instrument == inst.id).collect();
        let mut points = Vec::new();
        let mut item9 = Vec::new();
        for (i, (record, a)) in mine.iter().enumerate() {
            if !window.contains(record.at) {
                continue;
            }
            let previous = i.checked_sub(1).map(|p| mine[p].1);
            let date = window.date_of(record.at);
            if let Some(v) = a.item9().filter(|v| *v > 0) {
                item9.push(ItemNine {
                    at: record.at,
                    date,
                    value: v,
                    label: inst.answer_label(v).unwrap_or("?").to_owned(),
                });
            }
            let band = inst.band_for(a.total);
            points.push(QuestionnairePoint {
                at: record.at,
                date,
                total: a.total,
                band: band.id.clone(),
                band_name: band.name.clone(),
                percentage: a.percentage,
                change: previous.and_then(|p| a.change_since(p)),
                answers: a.answers.clone(),
                difficulty: a.difficulty,
                id: record.id,
            });
        }
        if points.is_empty() {
            continue;
        }
        let change_in_window = match (points.first(), points.last()) {
            (Some(f), Some(l)) if points.len() > 1 => Some(i64::from(l.total) - i64::from(f.total)),
            _ => None,
        };
        trends.push(QuestionnaireTrend {
            instrument: inst.id.clone(),
            name: inst.short_name.clone(),
            max_total: inst.max_total(),
            points,
            change_in_window,
            item9,
        });
    }
    trends
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::instrument;
    use crate::meds::{Dose, DoseUnit, MedEvent, medications};

    fn assess(n: u128, at: &str, id: &str, answers: &[u8]) -> Record {
        record(n, at, RecordBody::Assessment(instrument(id).unwrap().score(answers, None).unwrap()))
    }

    fn med(n: u128, at: &str, name: &str, kind: MedEventKind, dose: Option<&str>) -> Record {
        let d = dose.map(|d| (Dose::parse(d, DoseUnit::Mg).unwrap(), DoseUnit::Mg));
        let e = MedEvent::new(medications().identify(name).unwrap(), kind, d, None).unwrap();
        record(n, at, RecordBody::Medication(e))
    }

    #[test]
    fn totals_change_since_the_previous_one_even_before_the_window() {
        let w = window("2025-03-01", "2025-03-31");
        let records = vec![
            assess(1, "2025-02-10T09:00:00Z", "phq9", &[1, 1, 1, 1, 1, 1, 1, 1, 0]), // 8, before
            assess(2, "2025-03-05T09:00:00Z", "phq9", &[2, 2, 1, 1, 1, 1, 1, 1, 1]), // 11
            assess(3, "2025-03-05T10:00:00Z", "gad7", &[1, 1, 1, 1, 1, 1, 1]),       // 7
            assess(4, "2025-03-19T09:00:00Z", "phq9", &[1, 1, 1, 1, 1, 1, 1, 0, 2]), // 9
            assess(5, "2025-04-02T09:00:00Z", "phq9", &[0; 9]),                      // after
        ];
        let t = questionnaire_trends(&records, &w);
        assert_eq!(t.len(), 2, "phq9 and gad7; who5 wasn't taken");
        let phq = &t[0];
        assert_eq!(phq.name, "PHQ-9");
        let totals: Vec<(u32, Option<i64>)> = phq.points.iter().map(|p| (p.total, p.change)).collect();
        assert_eq!(totals, [(11, Some(3)), (9, Some(-2))]);
        assert_eq!(phq.points[0].band, "moderate");
        assert_eq!(phq.points[1].band_name, "mild");
        assert_eq!(phq.change_in_window, Some(-2));
        let nine: Vec<(String, u8, &str)> =
            phq.item9.iter().map(|i| (i.date.to_string(), i.value, i.label.as_str())).collect();
        assert_eq!(
            nine,
            [("2025-03-05".into(), 1, "Several days"), ("2025-03-19".into(), 2, "More than half the days")]
        );
        let gad = &t[1];
        assert_eq!((gad.points.len(), gad.points[0].change, gad.change_in_window), (1, None, None));
        assert!(gad.item9.is_empty());
        assert!(questionnaire_trends(&records, &window("2024-01-01", "2024-01-31")).is_empty());
    }

    #[test]
    fn medication_events_in_the_window_and_the_state_at_its_end() {
        use MedEventKind::*;
        let w = window("2025-03-01", "2025-03-31");
        let records = vec![
            med(1, "2025-02-01T09:00:00Z", "Zoloft", Started, Some("50")),
            med(2, "2025-03-10T09:00:00Z", "sertraline", DoseChanged, Some("100")),
            med(3, "2025-03-11T09:00:00Z", "sertraline", Taken, None),
            med(4, "2025-03-12T09:00:00Z", "sertraline", Taken, None),
            med(5, "2025-03-20T09:00:00Z", "bupropion", Started, Some("150")),
            med(6, "2025-04-05T09:00:00Z", "sertraline", Stopped, None), // after the window
        ];
        let m = medication_timeline(&records, &w);
        let events: Vec<(String, &str, MedEventKind, Option<&str>)> = m
            .events
            .iter()
            .map(|e| (e.date.to_string(), e.name.as_str(), e.event, e.amount.as_deref()))
            .collect();
        assert_eq!(
            events,
            [
                ("2025-03-10".into(), "sertraline", DoseChanged, Some("100 mg")),
                ("2025-03-20".into(), "bupropion", Started, Some("150 mg")),
            ]
        );
        assert_eq!(m.taken, 2);
        let now: Vec<(&str, MedStatus, Option<&str>)> =
            m.at_end.iter().map(|s| (s.name.as_str(), s.status, s.amount.as_deref())).collect();
        assert_eq!(
            now,
            [
                ("bupropion", MedStatus::Active, Some("150 mg")),
                ("sertraline", MedStatus::Active, Some("100 mg"))
            ]
        );
        let empty = medication_timeline(&[], &w);
        assert!(empty.events.is_empty() && empty.at_end.is_empty() && empty.taken == 0);
    }
}
