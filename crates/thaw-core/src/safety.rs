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

/// The gentle words right after the answers of a questionnaire that call for support (PHQ-9
/// item 9 above 0), or `None`. Edges show them first, with the crisis lines and the safety plan.
pub fn assessment_message(assessment: &Assessment) -> Option<Vec<String>> {
    if !needs_resources(assessment) {
        return None;
    }
    let often = assessment.item9().unwrap_or(0) >= 2;
    Some(vec![
        "Thank you for answering that honestly. You said that thoughts of being better off dead, or of hurting yourself, have come up lately.".to_owned(),
        if often {
            "They have been around often, and that is a lot to carry on your own. Please think about talking to someone today. These services are free and confidential:"
        } else {
            "Thoughts like these can ease, and you don't have to carry them alone. If you'd like to talk to someone, these services are free and confidential:"
        }
        .to_owned(),
    ])
}

/// The sentence that ends a questionnaire's support: the answer is worth telling the doctor.
pub const TELL_DOCTOR: &str = "It can help to tell your doctor about this answer too.";

/// The gentle words after saving text with risk language, or `None`. The text itself is never
/// quoted back, and the words never accuse: a false alarm must read as care.
pub fn text_message(matches: &[RiskMatch]) -> Option<&'static str> {
    if matches.is_empty() {
        return None;
    }
    Some(if matches.iter().any(|m| m.about == About::Writer) {
        "What you wrote sounds really heavy. It's saved, just as you wrote it. If you'd like to talk to someone, these services are free and confidential:"
    } else {
        "What you wrote mentions someone going through something very hard. It's saved, just as you wrote it. If you're worried about them, or about yourself, these services can help:"
    })
}

/// Whether an edit brought in risk language the earlier text didn't have (so resources are
/// shown once per entry, not on every save of it).
pub fn new_risk(before: &[RiskMatch], after: &[RiskMatch]) -> Vec<RiskMatch> {
    after.iter().filter(|m| !before.iter().any(|b| b.phrase == m.phrase)).cloned().collect()
}

/// The line shown after a check-in while the most recent PHQ-9 had item 9 above 0.
pub const CHECKIN_REMINDER: &str = "On your last PHQ-9 you mentioned some very hard thoughts. If they're still around, support is one step away.";

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
    fn support_words_follow_item9() {
        let often = assessment_message(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 2])).expect("item 9 = 2").join(" ");
        assert!(often.contains("today"), "more frequent thoughts, a little more urgency: {often}");
        let sometimes = assessment_message(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 1])).expect("item 9 = 1").join(" ");
        assert!(!sometimes.contains("today"), "{sometimes}");
        assert!(assessment_message(&phq9([3, 3, 3, 3, 3, 3, 3, 3, 0])).is_none());
    }
}
