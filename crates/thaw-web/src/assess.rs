//! Taking a questionnaire, shared by the page and the API: score with thaw-core, save the
//! Assessment record, find the last one of the same questionnaire, and ask thaw-core's
//! `assessment_followup` (the CLI's own function) whether crisis resources come right after the
//! answers.

use thaw_core::instruments::Instrument;
use thaw_core::safety::{SafetyPlan, assessment_followup, crisis_for};
use thaw_core::{Assessment, Record, RecordBody, RecordKind, Timestamp};
use thaw_store::{ListQuery, Store};

use crate::crisis::safety_plan;
use crate::error::WebError;

/// A questionnaire just saved, with what the result page shows.
pub(crate) struct Taken {
    pub record: Record,
    pub assessment: Assessment,
    /// The last one of the same questionnaire before this one: (when, answers).
    pub previous: Option<(Timestamp, Assessment)>,
    /// thaw-core's follow-up lines: empty, or the calm message, the lines and the plan.
    pub followup: Vec<String>,
    pub plan: Option<SafetyPlan>,
}

/// Scores the answers (thaw-core checks them), saves the record and works out the follow-up.
pub(crate) fn take(
    store: &dyn Store,
    inst: &Instrument,
    answers: &[u8],
    difficulty: Option<u8>,
    at: Option<Timestamp>,
    now: Timestamp,
    country: Option<&str>,
) -> Result<Taken, WebError> {
    let assessment = inst.score(answers, difficulty)?;
    let when = at.unwrap_or(now);
    let history = store.list(&ListQuery::kind(RecordKind::Assessment))?;
    let previous = history.iter().find_map(|r| match &r.body {
        RecordBody::Assessment(a) if a.instrument == inst.id && r.at <= when => Some((r.at, a.clone())),
        _ => None,
    });
    let record = Record::new(RecordBody::Assessment(assessment.clone()), at, now);
    store.insert(&record)?;
    // The record is saved: a plan that can't be read must not hide the crisis lines.
    let plan = safety_plan(store).ok().flatten();
    let followup = assessment_followup(&assessment, &crisis_for(country), plan.as_ref());
    Ok(Taken { record, assessment, previous, followup, plan })
}

/// "3 more than last time", "no change".
pub(crate) fn change_words(diff: i64) -> String {
    match diff {
        0 => "no change".to_owned(),
        d if d > 0 => format!("{d} more than last time"),
        d => format!("{} less than last time", -d),
    }
}
