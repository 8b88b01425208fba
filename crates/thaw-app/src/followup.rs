//! Safety follow-ups, decided once for every edge: after a save of free text with risk language,
//! after a questionnaire whose PHQ-9 item 9 is above 0, and after a check-in while the most recent
//! PHQ-9 had item 9 above 0. A [`FollowUp`] holds what to show — the gentle words, the crisis lines
//! for the person's country, their safety plan — and each edge renders it first, above anything
//! else it prints. In JSON it is the `follow_up` field (`null` when nothing is shown).

use serde::Serialize;
use thaw_core::safety::{self, CrisisResources, SafetyPlan, crisis_for};
use thaw_core::{Assessment, Record, RecordBody, RecordKind};
use thaw_store::ListQuery;

use crate::App;

/// Why support is shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// What was just written holds risk language.
    RiskInText,
    /// The PHQ-9 just answered has item 9 above 0.
    Phq9Item9,
    /// A check-in while the most recent PHQ-9 had item 9 above 0.
    Phq9Reminder,
}

/// What to show a person right after a save, before anything else.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    pub reason: Reason,
    /// The gentle words, a paragraph each. Never a quote of what was written.
    pub message: Vec<String>,
    /// The country whose lines these are (`null`: none known; then every listed country's main
    /// line and the international directory).
    pub country: Option<String>,
    pub crisis: CrisisResources<'static>,
    /// The person's safety plan, when they have written one.
    pub safety_plan: Option<SafetyPlan>,
    /// Whether to add that it can help to tell their doctor.
    pub tell_doctor: bool,
}

impl FollowUp {
    /// The sentence about telling the doctor, when it applies.
    pub fn tell_doctor_words(&self) -> Option<&'static str> {
        self.tell_doctor.then_some(safety::TELL_DOCTOR)
    }
}

impl App<'_> {
    /// Support with the person's crisis lines and plan. Reading the plan or the country must never
    /// hide help: a problem there falls back to the lines without them.
    fn support(&self, reason: Reason, message: Vec<String>, tell_doctor: bool) -> FollowUp {
        let country = self.country(None);
        FollowUp {
            reason,
            message,
            crisis: crisis_for(country.as_deref()),
            country,
            safety_plan: crate::settings::plan(self.store).ok().flatten(),
            tell_doctor,
        }
    }

    /// After saving `text` (which replaced `before`, for an edit): support when it holds risk
    /// language that the earlier text didn't, so an entry brings it once, not on every save.
    pub fn follow_up_for_text(&self, text: &str, before: Option<&str>) -> Option<FollowUp> {
        if text.trim().is_empty() {
            return None;
        }
        let found = self.risk.scan(text);
        // Nothing found: nothing new either, and the earlier text needn't be read (with the model,
        // that saves an encode, and a second wait when the model is busy).
        if found.is_empty() {
            return None;
        }
        let new = match before {
            Some(old) => safety::new_risk(&self.risk.scan(old), &found),
            None => found,
        };
        let message = safety::text_message(&new)?;
        Some(self.support(Reason::RiskInText, vec![message.to_owned()], false))
    }

    /// After saving `record` (replacing `before`, for an edit): risk language in its text, or for
    /// a new check-in the reminder while the latest PHQ-9 had item 9 above 0.
    pub fn follow_up_for_record(&self, record: &Record, before: Option<&Record>) -> Option<FollowUp> {
        let old = before.map(|b| b.body.search_text());
        if let Some(f) = self.follow_up_for_text(&record.body.search_text(), old.as_deref()) {
            return Some(f);
        }
        if before.is_none() && record.kind() == RecordKind::Checkin && self.reminder_due() {
            return Some(self.support(
                Reason::Phq9Reminder,
                vec![safety::CHECKIN_REMINDER.to_owned()],
                false,
            ));
        }
        None
    }

    /// After a questionnaire: support right after the answers when PHQ-9 item 9 is above 0.
    pub fn follow_up_for_assessment(&self, assessment: &Assessment) -> Option<FollowUp> {
        let message = safety::assessment_message(assessment)?;
        Some(self.support(Reason::Phq9Item9, message, true))
    }

    /// Whether the most recent PHQ-9 had item 9 above 0. A vault that can't be read says no: the
    /// reminder is a kindness, not the only way to help (the crisis link is on every screen).
    pub fn reminder_due(&self) -> bool {
        // Every check-in asks, so read only the newest questionnaires first: the latest PHQ-9 is
        // nearly always among them (they're taken every few weeks); all of them only if not.
        const RECENT: usize = 16;
        let due = |records: &[thaw_core::Record]| {
            let assessments: Vec<&thaw_core::instruments::Assessment> = records
                .iter()
                .filter_map(|r| match &r.body {
                    RecordBody::Assessment(a) => Some(a),
                    _ => None,
                })
                .collect();
            let found = assessments.iter().any(|a| a.instrument == "phq9");
            (found, safety::reminder_due(assessments))
        };
        let query = ListQuery { limit: Some(RECENT), ..ListQuery::kind(RecordKind::Assessment) };
        let Ok(recent) = self.store.list(&query) else { return false };
        let (found, answer) = due(&recent);
        if found || recent.len() < RECENT {
            return answer;
        }
        let Ok(all) = self.store.list(&ListQuery::kind(RecordKind::Assessment)) else { return false };
        due(&all).1
    }
}
