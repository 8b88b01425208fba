//! Safety: crisis lines, risk language in free text, the safety plan, and the decisions about
//! when to show them (PRODUCT.md C10; docs/SAFETY.md).
//!
//! The decisions are pure functions returning the lines an edge prints, so that what a person
//! sees can be tested exhaustively: resources are shown after a PHQ-9 if and only if item 9 is
//! above 0, and never depend on the PHQ-2.

pub mod crisis;
pub mod plan;
pub mod risk;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer};

use crate::instruments::Assessment;
pub use crisis::{CrisisLine, CrisisResources, crisis_directory, crisis_for};
pub use plan::SafetyPlan;
pub use risk::{About, RiskMatch};

/// Whether a completed questionnaire calls for crisis resources: PHQ-9 item 9 above 0.
pub fn needs_resources(assessment: &Assessment) -> bool {
    assessment.item9().is_some_and(|answer| answer > 0)
}

/// What to show right after the answers of a questionnaire: nothing, or a calm message, the
/// crisis lines and the person's safety plan (or how to write one).
pub fn assessment_followup(
    assessment: &Assessment,
    resources: &CrisisResources,
    plan: Option<&SafetyPlan>,
) -> Vec<String> {
    if !needs_resources(assessment) {
        return Vec::new();
    }
    let often = assessment.item9().unwrap_or(0) >= 2;
    let mut out = vec![
        "Thank you for answering that honestly. You said that thoughts of being better off dead, or of hurting yourself, have come up lately.".to_owned(),
        if often {
            "They have been around often, and that is a lot to carry on your own. Please think about talking to someone today. These services are free and confidential:"
        } else {
            "Thoughts like these can ease, and you don't have to carry them alone. If you'd like to talk to someone, these services are free and confidential:"
        }
        .to_owned(),
        String::new(),
    ];
    out.extend(resources.text());
    out.push(String::new());
    match plan.filter(|p| !p.is_empty()) {
        Some(plan) => {
            out.push("Your safety plan:".to_owned());
            out.extend(plan.text().into_iter().map(|l| format!("  {l}")));
        }
        None => out.push(
            "When you feel up to it, a safety plan can help in hard moments: `thaw safety edit` walks you through one."
                .to_owned(),
        ),
    }
    out.push("It can help to tell your doctor about this answer too.".to_owned());
    out
}

/// What to show after saving text with risk language: nothing, or a short gentle message and
/// the crisis lines. The text itself is never quoted back.
pub fn text_followup(matches: &[RiskMatch], resources: &CrisisResources, has_plan: bool) -> Vec<String> {
    if matches.is_empty() {
        return Vec::new();
    }
    let about_writer = matches.iter().any(|m| m.about == About::Writer);
    let mut out = vec![
        if about_writer {
            "What you wrote sounds really heavy. It's saved, just as you wrote it. If you'd like to talk to someone, these services are free and confidential:"
        } else {
            "What you wrote mentions someone going through something very hard. It's saved, just as you wrote it. If you're worried about them, or about yourself, these services can help:"
        }
        .to_owned(),
        String::new(),
    ];
    out.extend(resources.text());
    if has_plan {
        out.push("Your safety plan is there too: `thaw safety show`.".to_owned());
    }
    out
}

/// Whether an edit brought in risk language the earlier text didn't have (so resources are
/// shown once per entry, not on every save of it).
pub fn new_risk(before: &[RiskMatch], after: &[RiskMatch]) -> Vec<RiskMatch> {
    after.iter().filter(|m| !before.iter().any(|b| b.phrase == m.phrase)).cloned().collect()
}

/// The line shown after a check-in while the most recent PHQ-9 had item 9 above 0.
pub const CHECKIN_REMINDER: &str = "On your last PHQ-9 you mentioned some very hard thoughts. If they're still around, support is one step away: `thaw crisis`.";

/// Whether check-ins should carry [`CHECKIN_REMINDER`]: the most recent PHQ-9 among
/// `newest_first` had item 9 above 0. A newer PHQ-9 with item 9 at 0 ends the reminders.
pub fn reminder_due<'a>(newest_first: impl IntoIterator<Item = &'a Assessment>) -> bool {
    newest_first.into_iter().find(|a| a.instrument == "phq9").is_some_and(needs_resources)
}

/// TOML dates arrive as TOML date-times; content dates must be plain dates.
pub(crate) fn toml_date<'de, D: Deserializer<'de>>(de: D) -> Result<Date, D::Error> {
    use serde::de::Error;
    let value = toml::value::Datetime::deserialize(de)?;
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => {
            Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(D::Error::custom)
        }
        _ => Err(D::Error::custom("must be a date like 2026-11-25")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instruments::instrument;

    fn phq9(answers: [u8; 9]) -> Assessment {
        instrument("phq9").unwrap().score(&answers, None).unwrap()
    }

    #[test]
    fn reminders_follow_the_latest_phq9_only() {
        let positive = phq9([0, 0, 0, 0, 0, 0, 0, 0, 1]);
        let clear = phq9([3, 3, 3, 3, 3, 3, 3, 3, 0]);
        let who5 = instrument("who5").unwrap().score(&[0; 5], None).unwrap();
        assert!(reminder_due([&who5, &positive, &clear]));
        assert!(!reminder_due([&clear, &positive]));
        assert!(!reminder_due([&who5]));
        assert!(!reminder_due([]));
    }

    #[test]
    fn a_plan_is_shown_when_there_is_one() {
        let gb = crisis_for(Some("GB"));
        let plan = SafetyPlan { reasons: vec!["my niece".into()], ..SafetyPlan::default() };
        let lines = assessment_followup(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 2]), &gb, Some(&plan)).join("\n");
        assert!(lines.contains("Your safety plan:") && lines.contains("my niece"), "{lines}");
        assert!(lines.contains("today"), "more frequent thoughts, a little more urgency: {lines}");
        let lines = assessment_followup(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 1]), &gb, None).join("\n");
        assert!(lines.contains("thaw safety edit"), "{lines}");
    }
}
