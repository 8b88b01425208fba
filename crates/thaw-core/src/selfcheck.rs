//! The "possible reasons" self-check, loaded from `content/selfcheck.toml` (embedded at compile
//! time): its areas and questions, scoring (an area may apply when any answer reaches its
//! threshold), the answers file people can fill in, and the result a person keeps.
//!
//! It is not a diagnosis and has no score: the result only lists areas worth a closer look.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::closest;
use crate::wrap::wrap;
use crate::{CoreError, Missing};

const SELFCHECK_TOML: &str = include_str!("../../../content/selfcheck.toml");

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
}

/// One reason area, with its questions and what to do if it may apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: String,
    pub title: String,
    /// Asks about painful experiences: announced first, skippable as a whole.
    pub sensitive: bool,
    pub announcement: String,
    /// The lowest answer at which the area may apply.
    pub threshold: u8,
    pub explanation: String,
    pub next_steps: Vec<String>,
    /// Feature ids (see [`crate::features`]).
    pub features: Vec<String>,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

/// The whole self-check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheck {
    pub version: u32,
    pub intro: String,
    /// Labels for the answers 0, 1, 2, ….
    pub scale: Vec<String>,
    pub not_a_diagnosis: String,
    pub none_apply: String,
    #[serde(rename = "area")]
    pub areas: Vec<Area>,
}

/// Answers by question id; `None` is a skipped question.
pub type Answers = BTreeMap<String, Option<u8>>;

/// A finished self-check, as kept in the vault: every question's answer (or that it was skipped)
/// and the ids of the areas that may apply.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheckResult {
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, Option<u8>>))]
    pub answers: Answers,
    pub areas: Vec<String>,
}

impl SelfCheckResult {
    /// One line for lists: "may apply: Medication, Worry about being judged".
    pub fn summary(&self) -> String {
        if self.areas.is_empty() {
            return "no area stood out".to_owned();
        }
        let check = selfcheck();
        let titles: Vec<&str> =
            self.areas.iter().map(|id| check.area(id).map_or(id.as_str(), |a| a.title.as_str())).collect();
        format!("may apply: {}", titles.join(", "))
    }
}

/// How many areas a result shows in full; the others that may apply are folded away, so a tired
/// person meets two or three things to think about, not eight.
pub const STAND_OUT: usize = 3;

/// How strongly an area's answers point at it, for ranking: the highest answer first, then how
/// many answers reached the area's threshold, then the sum of the answers (all on the same 0–3
/// scale, so areas with more questions don't win by size alone: the count and sum only break
/// ties between equal highest answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Strength {
    top: u8,
    reached: usize,
    /// The sum of the answers, scaled by the number answered (per-mille mean).
    mean: u32,
}

impl Strength {
    fn of(area: &Area, answers: &Answers) -> Strength {
        let given: Vec<u8> =
            area.questions.iter().filter_map(|q| answers.get(&q.id).copied().flatten()).collect();
        let top = given.iter().copied().max().unwrap_or(0);
        let reached = given.iter().filter(|v| **v >= area.threshold).count();
        let sum: u32 = given.iter().map(|v| u32::from(*v)).sum();
        let n = u32::try_from(given.len()).unwrap_or(u32::MAX).max(1);
        Strength { top, reached, mean: sum * 1000 / n }
    }
}

/// The self-check shipped with Thaw.
pub fn selfcheck() -> &'static SelfCheck {
    static CHECK: OnceLock<SelfCheck> = OnceLock::new();
    CHECK.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug, not user input.
        SelfCheck::parse(SELFCHECK_TOML).expect("content/selfcheck.toml is valid (schema test)")
    })
}

impl SelfCheck {
    /// Parses and checks a self-check file.
    pub fn parse(text: &str) -> Result<SelfCheck, String> {
        let check: SelfCheck = toml::from_str(text).map_err(|e| e.to_string())?;
        if check.scale.len() < 2 {
            return Err("the scale needs at least two answers".to_owned());
        }
        let mut ids: Vec<&str> = Vec::new();
        for area in &check.areas {
            if ids.contains(&area.id.as_str()) {
                return Err(format!("area \"{}\" appears twice", area.id));
            }
            ids.push(&area.id);
            if !(1..=3).contains(&area.questions.len()) {
                return Err(format!("area \"{}\" needs one to three questions", area.id));
            }
            if area.sensitive && area.announcement.trim().is_empty() {
                return Err(format!("sensitive area \"{}\" needs an announcement", area.id));
            }
            if area.threshold == 0 || usize::from(area.threshold) >= check.scale.len() {
                return Err(format!(
                    "area \"{}\": threshold must be between 1 and the top of the scale",
                    area.id
                ));
            }
            if area.next_steps.is_empty() {
                return Err(format!("area \"{}\" needs next steps", area.id));
            }
            if let Some(f) = area.features.iter().find(|f| crate::features::feature(f).is_none()) {
                return Err(format!("area \"{}\": unknown feature \"{f}\"", area.id));
            }
            for q in &area.questions {
                if ids.contains(&q.id.as_str()) {
                    return Err(format!("question id \"{}\" is used twice", q.id));
                }
                if !q.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                    return Err(format!(
                        "question id \"{}\" must be lowercase letters, digits and hyphens",
                        q.id
                    ));
                }
                ids.push(&q.id);
            }
        }
        Ok(check)
    }

    /// The highest answer on the scale.
    pub fn max_answer(&self) -> u8 {
        u8::try_from(self.scale.len() - 1).unwrap_or(u8::MAX)
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.areas.iter().flat_map(|a| &a.questions)
    }

    /// "0 = Not at all, 1 = A little, …".
    pub fn scale_text(&self) -> String {
        self.scale
            .iter()
            .enumerate()
            .map(|(i, label)| format!("{i} = {label}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Areas that may apply: any answer at or above the area's threshold. Skipped questions count
    /// for nothing. Ranked: the areas that stand out most come first (see [`Strength`]); equal
    /// ones keep the content's order.
    pub fn score(&self, answers: &Answers) -> Vec<&Area> {
        let mut applying: Vec<(&Area, Strength)> = self
            .areas
            .iter()
            .filter_map(|a| {
                let strength = Strength::of(a, answers);
                (strength.top >= a.threshold).then_some((a, strength))
            })
            .collect();
        // Stable: equal strengths stay in the content's order.
        applying.sort_by_key(|a| std::cmp::Reverse(a.1));
        applying.into_iter().map(|(a, _)| a).collect()
    }

    /// The areas of a saved result, ranked as [`SelfCheck::score`] ranks them (results saved
    /// before ranking existed kept the content's order). Ids the content no longer has are left
    /// out.
    pub fn ranked(&self, result: &SelfCheckResult) -> Vec<&Area> {
        let mut areas: Vec<(&Area, Strength)> = result
            .areas
            .iter()
            .filter_map(|id| self.area(id))
            .map(|a| (a, Strength::of(a, &result.answers)))
            .collect();
        areas.sort_by_key(|a| std::cmp::Reverse(a.1));
        areas.into_iter().map(|(a, _)| a).collect()
    }

    /// Checks the answers and scores them. Every question appears in the result; those not
    /// answered are skipped. At least one must be answered.
    pub fn result(&self, answers: &Answers) -> Result<SelfCheckResult, CoreError> {
        let mut all = Answers::new();
        for (id, value) in answers {
            self.check_answer(id, *value)?;
        }
        for q in self.questions() {
            all.insert(q.id.clone(), answers.get(&q.id).copied().flatten());
        }
        if all.values().all(Option::is_none) {
            return Err(CoreError::Invalid(
                "Every question was skipped, so there's nothing to look at yet. Answer at least one (0 to 3) \
                 whenever you feel like it."
                    .to_owned(),
            ));
        }
        let areas = self.score(&all).into_iter().map(|a| a.id.clone()).collect();
        Ok(SelfCheckResult { answers: all, areas })
    }

    fn check_answer(&self, id: &str, value: Option<u8>) -> Result<(), CoreError> {
        if !self.questions().any(|q| q.id == id) {
            return Err(self.unknown_question(id));
        }
        if let Some(v) = value
            && v > self.max_answer()
        {
            return Err(self.out_of_range(id, &v.to_string()));
        }
        Ok(())
    }

    fn unknown_question(&self, key: &str) -> CoreError {
        let near = closest(key, self.questions().map(|q| q.id.as_str()), 1);
        CoreError::NotFound { what: Missing::SelfCheckQuestion, input: key.to_owned(), near }
    }

    fn out_of_range(&self, key: &str, value: &str) -> CoreError {
        CoreError::Invalid(format!(
            "The answer to \"{key}\" must be a whole number from 0 to {} (or \"\" to skip it); {value} isn't. \
             The scale: {}.",
            self.max_answer(),
            self.scale_text()
        ))
    }

    /// Reads an answers file (TOML, one key per question id; see [`SelfCheck::template`]). Empty
    /// strings are skipped questions. Errors name the key.
    pub fn parse_answers(&self, text: &str) -> Result<Answers, CoreError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            CoreError::Invalid(format!(
                "The answers file isn't in the expected form ({}). `thaw selfcheck --template` prints one to fill in.",
                e.message().trim_end_matches('.')
            ))
        })?;
        let mut answers = Answers::new();
        for (key, value) in &table {
            if !self.questions().any(|q| q.id == *key) {
                return Err(self.unknown_question(key));
            }
            let answer = match value {
                toml::Value::Integer(n) => Some(
                    u8::try_from(*n)
                        .ok()
                        .filter(|v| *v <= self.max_answer())
                        .ok_or_else(|| self.out_of_range(key, &n.to_string()))?,
                ),
                toml::Value::String(s) if s.trim().is_empty() => None,
                toml::Value::String(s) => Some(
                    s.trim()
                        .parse::<u8>()
                        .ok()
                        .filter(|v| *v <= self.max_answer())
                        .ok_or_else(|| self.out_of_range(key, &format!("\"{s}\"")))?,
                ),
                other => return Err(self.out_of_range(key, &format!("a {}", other.type_str()))),
            };
            answers.insert(key.clone(), answer);
        }
        Ok(answers)
    }

    /// An answers file to fill in: every question as a key with its text as a comment above it,
    /// the scale explained, sensitive areas announced.
    pub fn template(&self) -> String {
        let comment = |out: &mut String, text: &str| {
            for line in wrap(text, 76) {
                out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
            }
        };
        let mut out = String::new();
        comment(&mut out, "Thaw self-check: possible reasons it's hard to cry or to feel.");
        comment(&mut out, &self.intro);
        out.push_str("#\n");
        comment(&mut out, &format!("Answer each question with a number: {}.", self.scale_text()));
        comment(&mut out, "To skip a question, leave it as \"\". Skipping is always fine.");
        comment(&mut out, "When you're done: thaw selfcheck --answers-file THIS-FILE");
        for area in &self.areas {
            out.push_str(&format!("\n# ---- {}\n", area.title));
            if area.sensitive {
                comment(&mut out, &format!("Optional. {}", area.announcement));
            }
            for q in &area.questions {
                comment(&mut out, &q.text);
                out.push_str(&format!("{} = \"\"\n", q.id));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, Option<u8>)]) -> Answers {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn an_area_may_apply_when_any_answer_reaches_its_threshold() {
        let c = selfcheck();
        let r = c.result(&answers(&[("medication-1", Some(2)), ("shame-stigma-1", Some(1))])).unwrap();
        assert_eq!(r.areas, ["medication"]);
        let r = c.result(&answers(&[("anxiety-judgement-3", Some(3)), ("medical-1", Some(2))])).unwrap();
        assert_eq!(r.areas, ["anxiety-judgement", "medical"], "in the content's order");
        let r = c.result(&answers(&[("medication-1", Some(1)), ("medication-2", Some(1))])).unwrap();
        assert!(r.areas.is_empty(), "below the threshold");
        assert_eq!(r.summary(), "no area stood out");
    }

    #[test]
    fn areas_are_ranked_by_how_strongly_they_were_answered() {
        let c = selfcheck();
        let r = c
            .result(&answers(&[
                ("medication-1", Some(2)),
                ("childhood-1", Some(3)),
                ("anxiety-judgement-1", Some(2)),
                ("anxiety-judgement-2", Some(2)),
                ("medical-1", Some(2)),
            ]))
            .unwrap();
        assert_eq!(r.areas[0], "childhood", "the only 3 comes first");
        assert_eq!(r.areas[1], "anxiety-judgement", "two answers at the threshold beat one");
        assert_eq!(&r.areas[2..], ["medication", "medical"], "ties keep the content's order");
        assert_eq!(c.ranked(&r).iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), r.areas);
        // A result saved in the content's order is ranked when read.
        let mut old = r.clone();
        old.areas.sort_by_key(|id| c.areas.iter().position(|a| &a.id == id));
        assert_eq!(c.ranked(&old).iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), r.areas);
    }

    #[test]
    fn answering_a_little_everywhere_flags_nothing() {
        let c = selfcheck();
        let all: Answers = c.questions().map(|q| (q.id.clone(), Some(1))).collect();
        assert!(c.result(&all).unwrap().areas.is_empty());
    }

    #[test]
    fn skipped_questions_are_kept_as_skipped_and_count_for_nothing() {
        let c = selfcheck();
        let r = c.result(&answers(&[("childhood-1", None), ("medical-3", Some(3))])).unwrap();
        assert_eq!(r.answers.len(), c.questions().count(), "every question has an entry");
        assert_eq!(r.answers["childhood-1"], None);
        assert_eq!(r.answers["trauma-loss-1"], None);
        assert_eq!(r.answers["medical-3"], Some(3));
        assert_eq!(r.areas, ["medical"]);
        assert_eq!(r.summary(), "may apply: Health conditions");
        assert!(c.result(&answers(&[("childhood-1", None)])).is_err(), "all skipped");
        assert!(c.result(&Answers::new()).is_err());
    }

    #[test]
    fn bad_answers_name_their_key() {
        let c = selfcheck();
        let err = c.result(&answers(&[("medication-9", Some(1))])).unwrap_err().to_string();
        assert!(err.contains("\"medication-9\"") && err.contains("medication-"), "{err}");
        let err = c.result(&answers(&[("medication-1", Some(4))])).unwrap_err().to_string();
        assert!(err.contains("\"medication-1\"") && err.contains("0 to 3"), "{err}");
    }

    #[test]
    fn answers_files_parse_numbers_digits_and_blanks() {
        let c = selfcheck();
        let a = c.parse_answers("medication-1 = 2\nmedical-1 = \"3\"\nchildhood-1 = \"\"\n").unwrap();
        assert_eq!(a, answers(&[("medication-1", Some(2)), ("medical-1", Some(3)), ("childhood-1", None)]));
        for (bad, key) in [
            ("medication-1 = 4", "medication-1"),
            ("medication-1 = -1", "medication-1"),
            ("medication-1 = 1.5", "medication-1"),
            ("medication-1 = \"lots\"", "medication-1"),
            ("medication-1 = true", "medication-1"),
            ("medicaton-1 = 1", "medicaton-1"),
        ] {
            let err = c.parse_answers(bad).unwrap_err().to_string();
            assert!(err.contains(&format!("\"{key}\"")), "{bad}: {err}");
        }
        assert!(c.parse_answers("this is not toml").is_err());
    }

    #[test]
    fn the_template_parses_back_as_all_skipped() {
        let c = selfcheck();
        let t = c.template();
        let a = c.parse_answers(&t).unwrap();
        assert_eq!(a.len(), c.questions().count());
        assert!(a.values().all(Option::is_none));
        for q in c.questions() {
            assert!(t.contains(&format!("{} = \"\"", q.id)));
        }
        assert!(t.contains("0 = Not at all"));
        assert!(t.lines().all(|l| l.chars().count() <= 80), "comments are wrapped");
    }
}
