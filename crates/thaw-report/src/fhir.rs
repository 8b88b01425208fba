//! The summary's questionnaires as FHIR R4: a `collection` Bundle with, for each PHQ-9 and GAD-7
//! taken in the window, a QuestionnaireResponse (LOINC item codes as `linkId`, LOINC answer codes)
//! and an Observation of its total score derived from it.
//!
//! WHO-5 has no LOINC code (reference/clinical.md §1.3) and is left out; the other renderings
//! show it. Entries refer to each other by `urn:uuid` full URLs; the QuestionnaireResponse's uuid
//! is the record's id and the Observation's is derived from it, so the same data always gives the
//! same Bundle.

use serde_json::{Value, json};
use thaw_core::insights::QuestionnairePoint;
use thaw_core::instrument;
use thaw_core::instruments::Instrument;
use uuid::Uuid;

use crate::Summary;

/// LOINC's canonical URL for a questionnaire panel, as LOINC publishes its FHIR Questionnaires.
pub fn questionnaire_url(panel: &str) -> String {
    format!("http://loinc.org/q/{panel}")
}

const LOINC: &str = "http://loinc.org";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

/// Instruments the Bundle includes: those with a LOINC panel and total-score code.
pub fn exported(inst: &Instrument) -> bool {
    inst.codes.system == LOINC && inst.codes.panel.is_some() && inst.codes.total.is_some()
}

/// The Observation's id: the response's id with its second half turned over, as a version-8 UUID.
fn observation_uuid(response: Uuid) -> Uuid {
    let mut bytes = *response.as_bytes();
    for (b, k) in bytes[8..].iter_mut().zip(*b"thaw-obs") {
        *b ^= k;
    }
    uuid::Builder::from_bytes(bytes)
        .with_variant(uuid::Variant::RFC4122)
        .with_version(uuid::Version::Custom)
        .into_uuid()
}

/// The Bundle for the summary's window.
pub fn bundle(s: &Summary) -> Value {
    let mut entries = Vec::new();
    let mut points: Vec<(&QuestionnairePoint, &Instrument)> = s
        .insights
        .questionnaires
        .iter()
        .filter_map(|t| instrument(&t.instrument).ok().filter(|i| exported(i)).map(|i| (t, i)))
        .flat_map(|(t, i)| t.points.iter().map(move |p| (p, i)))
        .collect();
    points.sort_by_key(|(p, _)| (p.at, p.id));
    for (point, inst) in points {
        let response_id = point.id.as_uuid();
        let observation_id = observation_uuid(response_id);
        entries.push(json!({
            "fullUrl": format!("urn:uuid:{response_id}"),
            "resource": questionnaire_response(point, inst, response_id),
        }));
        entries.push(json!({
            "fullUrl": format!("urn:uuid:{observation_id}"),
            "resource": observation(point, inst, response_id, observation_id),
        }));
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": s.generated.rfc3339(),
        "entry": entries,
    })
}

fn questionnaire_response(p: &QuestionnairePoint, inst: &Instrument, id: Uuid) -> Value {
    let mut items: Vec<Value> = Vec::new();
    for (item, &value) in inst.items.iter().zip(&p.answers) {
        let Some(link) = &item.code else { continue };
        items.push(json!({
            "linkId": link,
            "text": item.text,
            "answer": [{ "valueCoding": answer_coding(inst, item, value) }],
        }));
    }
    if let (Some(d), Some(v)) = (&inst.difficulty, p.difficulty)
        && let Some(link) = &d.code
        && let Some(answer) = d.answers.iter().find(|a| a.value == v)
        && let Some(code) = &answer.code
    {
        items.push(json!({
            "linkId": link,
            "text": d.text,
            "answer": [{ "valueCoding": { "system": LOINC, "code": code, "display": answer.label } }],
        }));
    }
    if let Some(total) = &inst.codes.total {
        items.push(json!({
            "linkId": total,
            "text": format!("{} total score", inst.short_name),
            "answer": [{ "valueInteger": p.total }],
        }));
    }
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": id.to_string(),
        "questionnaire": questionnaire_url(inst.codes.panel.as_deref().unwrap_or_default()),
        "status": "completed",
        "authored": p.at.rfc3339(),
        "item": items,
    })
}

/// The LOINC answer code for a value. The display is LOINC's answer text, which matches the printed
/// label for the shared answer list; an item with codes of its own gets no display rather than a
/// possibly different one.
fn answer_coding(inst: &Instrument, item: &thaw_core::instruments::Item, value: u8) -> Value {
    if let Some(code) = item.answer_codes.get(usize::from(value)) {
        return json!({ "system": LOINC, "code": code });
    }
    match inst.answers.iter().find(|a| a.value == value) {
        Some(a) => match &a.code {
            Some(code) => json!({ "system": LOINC, "code": code, "display": a.label }),
            None => json!({ "display": a.label }),
        },
        None => json!({ "display": value.to_string() }),
    }
}

fn observation(p: &QuestionnairePoint, inst: &Instrument, response: Uuid, id: Uuid) -> Value {
    json!({
        "resourceType": "Observation",
        "id": id.to_string(),
        "status": "final",
        "category": [{ "coding": [{ "system": CATEGORY, "code": "survey", "display": "Survey" }] }],
        "code": {
            "coding": [{ "system": LOINC, "code": inst.codes.total.as_deref().unwrap_or_default() }],
            "text": format!("{} total score", inst.short_name),
        },
        "effectiveDateTime": p.at.rfc3339(),
        "valueInteger": p.total,
        "derivedFrom": [{ "reference": format!("urn:uuid:{response}") }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observation_ids_are_stable_and_distinct() {
        let r = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        let a = observation_uuid(r);
        assert_eq!(a, observation_uuid(r));
        assert_ne!(a, r);
        assert_eq!(a.get_version_num(), 8);
    }

    #[test]
    fn only_loinc_coded_questionnaires_are_exported() {
        assert!(exported(instrument("phq9").unwrap()));
        assert!(exported(instrument("gad7").unwrap()));
        assert!(!exported(instrument("who5").unwrap()));
    }
}
