//! Validated questionnaires: PHQ-9 (with PHQ-2), GAD-7 (with GAD-2) and WHO-5, loaded from
//! `content/instruments/*.toml` (embedded at compile time), and their scoring.
//!
//! The wording, answer labels and bands are the published instruments' and live in the content
//! files with their copyright lines and codes; this module only loads, checks and scores them.
//! A score is a screening range to talk over with a professional, never a diagnosis.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::text::normalise;

const FILES: [&str; 3] = [
    include_str!("../../../content/instruments/phq9.toml"),
    include_str!("../../../content/instruments/gad7.toml"),
    include_str!("../../../content/instruments/who5.toml"),
];

/// One answer a question can have: its value (what it scores) and its printed label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: u8,
    pub label: String,
    /// LOINC answer code (`LA…`), for the FHIR export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// One scored question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub text: String,
    /// LOINC code of the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Answer codes for this question when they differ from the instrument's (one per answer,
    /// in value order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answer_codes: Vec<String>,
}

/// The unscored question about how difficult the problems made daily life (PHQ-9 item 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difficulty {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(rename = "answer")]
    pub answers: Vec<AnswerOption>,
}

/// A published score range, with a sentence in our words about what it may mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub id: String,
    pub min: u32,
    pub max: u32,
    /// The published name of the range ("mild").
    pub name: String,
    pub meaning: String,
}

/// Codes for the instrument as a whole, for the FHIR export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codes {
    pub system: String,
    #[serde(default)]
    pub panel: Option<String>,
    #[serde(default)]
    pub total: Option<String>,
}

/// The two-item short form made of the first two questions (PHQ-2, GAD-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoItem {
    pub name: String,
    #[serde(default)]
    pub total_code: Option<String>,
}

/// A questionnaire as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub version: u32,
    /// `phq9`, `gad7`, `who5`.
    pub id: String,
    pub name: String,
    /// `PHQ-9`.
    pub short_name: String,
    /// One sentence in our words about what it asks.
    pub about: String,
    /// The instruction printed above the questions.
    pub stem: String,
    /// A sentence of ours shown before the questions, on every edge, when one of them needs a
    /// word of warning (the PHQ-9's question about thoughts of death).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The attribution line that must be shown with it.
    pub copyright: String,
    pub source: String,
    /// WHO-5: the raw score times this is the percentage.
    #[serde(default)]
    pub percentage_factor: Option<u32>,
    pub codes: Codes,
    #[serde(default)]
    pub two_item: Option<TwoItem>,
    #[serde(rename = "answer")]
    pub answers: Vec<AnswerOption>,
    #[serde(rename = "item")]
    pub items: Vec<Item>,
    #[serde(default)]
    pub difficulty: Option<Difficulty>,
    #[serde(rename = "band")]
    pub bands: Vec<Band>,
}

/// A completed questionnaire, as stored in a record (`"type": "assessment"`). The total, band,
/// percentage and two-item total are worked out once, when it is taken, and kept with it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// `phq9`, `gad7` or `who5`.
    pub instrument: String,
    /// One value per question, in order.
    pub answers: Vec<u8>,
    /// The unscored difficulty question, when answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<u8>,
    pub total: u32,
    /// The band's id (`mild`, `lower` …).
    pub band: String,
    /// WHO-5: the total × 4, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<u32>,
    /// PHQ-2 / GAD-2: the sum of the first two answers, 0–6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_item_total: Option<u32>,
}

impl Assessment {
    /// The instrument it was taken with, if Thaw still ships it.
    pub fn instrument(&self) -> Option<&'static Instrument> {
        instrument(&self.instrument).ok()
    }

    /// The PHQ-9's ninth answer (thoughts of being better off dead or of self-harm); `None` for
    /// other instruments.
    pub fn item9(&self) -> Option<u8> {
        (self.instrument == "phq9").then(|| self.answers.get(8).copied()).flatten()
    }

    /// The difference from an earlier total of the same instrument.
    pub fn change_since(&self, earlier: &Assessment) -> Option<i64> {
        (earlier.instrument == self.instrument).then(|| i64::from(self.total) - i64::from(earlier.total))
    }

    /// The score as people see it: the WHO-5 as a percentage ("60%"), others as the total ("12").
    pub fn shown_score(&self) -> String {
        match self.percentage {
            Some(p) => format!("{p}%"),
            None => self.total.to_string(),
        }
    }

    /// The change from an earlier result in the unit [`Self::shown_score`] uses: percentage
    /// points for the WHO-5, points of the total otherwise. `None` for another instrument.
    pub fn shown_change_since(&self, earlier: &Assessment) -> Option<i64> {
        if earlier.instrument != self.instrument {
            return None;
        }
        match (self.percentage, earlier.percentage) {
            (Some(now), Some(then)) => Some(i64::from(now) - i64::from(then)),
            _ => self.change_since(earlier),
        }
    }

    /// The change in words, in the unit shown: "12 points more than last time" (WHO-5
    /// percentages), "5 more than last time", "no change". The one place this is worded, so a
    /// percentage is never set beside a raw-score difference.
    pub fn change_words_since(&self, earlier: &Assessment) -> String {
        let diff = self.shown_change_since(earlier).unwrap_or(0);
        let unit = if self.percentage.is_some() { " points" } else { "" };
        match diff {
            0 => "no change".to_owned(),
            d if d > 0 => format!("{d}{unit} more than last time"),
            d => format!("{}{unit} less than last time", -d),
        }
    }

    /// A one-line description for lists: "PHQ-9 7/27 · mild".
    pub fn summary(&self) -> String {
        match self.instrument() {
            Some(inst) => {
                let band =
                    inst.bands.iter().find(|b| b.id == self.band).map_or(self.band.as_str(), |b| &b.name);
                let pct = self.percentage.map(|p| format!(" ({p}%)")).unwrap_or_default();
                format!("{} {}/{}{pct} · {band}", inst.short_name, self.total, inst.max_total())
            }
            None => format!("{} {} · {}", self.instrument, self.total, self.band),
        }
    }
}

/// Every instrument shipped with Thaw, in a fixed order.
pub fn instruments() -> &'static [Instrument] {
    static ALL: OnceLock<Vec<Instrument>> = OnceLock::new();
    ALL.get_or_init(|| {
        // Compiled in and checked by the schema tests: failing here is a build bug.
        FILES
            .iter()
            .map(|text| Instrument::parse(text).expect("content/instruments/*.toml are valid (schema test)"))
            .collect()
    })
}

/// Finds an instrument by id or short name, ignoring case and dashes ("PHQ-9", "phq9").
pub fn instrument(id: &str) -> Result<&'static Instrument, CoreError> {
    let wanted = normalise(id).replace(['-', ' ', '_'], "");
    instruments().iter().find(|i| i.id == wanted).ok_or_else(|| CoreError::UnknownChoice {
        what: "questionnaire",
        input: id.trim().to_owned(),
        choices: instruments().iter().map(|i| i.id.clone()).collect(),
    })
}

impl Instrument {
    /// Parses and checks an instrument file.
    pub fn parse(text: &str) -> Result<Instrument, String> {
        let inst: Instrument = toml::from_str(text).map_err(|e| e.to_string())?;
        inst.check()?;
        Ok(inst)
    }

    fn check(&self) -> Result<(), String> {
        let id = &self.id;
        if self.items.is_empty() {
            return Err(format!("{id}: no items"));
        }
        for field in [&self.name, &self.short_name, &self.about, &self.stem, &self.copyright, &self.source] {
            if field.trim().is_empty() {
                return Err(format!("{id}: every text field must be filled in"));
            }
        }
        check_answers(id, &self.answers)?;
        if let Some(d) = &self.difficulty {
            check_answers(id, &d.answers)?;
        }
        for (n, item) in self.items.iter().enumerate() {
            if item.text.trim().is_empty() {
                return Err(format!("{id}: item {} has no text", n + 1));
            }
            if !item.answer_codes.is_empty() && item.answer_codes.len() != self.answers.len() {
                return Err(format!("{id}: item {} needs one answer code per answer", n + 1));
            }
        }
        if self.two_item.is_some() && self.items.len() < 2 {
            return Err(format!("{id}: a two-item form needs at least two items"));
        }
        // Bands must cover every possible total exactly once, in order.
        let mut next = 0;
        for band in &self.bands {
            if band.min != next || band.max < band.min {
                return Err(format!("{id}: band {} should start at {next} and not end before it", band.id));
            }
            next = band.max + 1;
        }
        if next != self.max_total() + 1 {
            return Err(format!("{id}: the bands must end at the highest total, {}", self.max_total()));
        }
        Ok(())
    }

    /// The highest value a single answer can have.
    pub fn max_answer(&self) -> u8 {
        self.answers.iter().map(|a| a.value).max().unwrap_or(0)
    }

    /// The highest possible total.
    pub fn max_total(&self) -> u32 {
        u32::from(self.max_answer()) * self.items.len() as u32
    }

    /// The label printed for an answer value.
    pub fn answer_label(&self, value: u8) -> Option<&str> {
        self.answers.iter().find(|a| a.value == value).map(|a| a.label.as_str())
    }

    /// The answers in the order the form prints them.
    pub fn answers_as_printed(&self) -> &[AnswerOption] {
        &self.answers
    }

    /// The band a total falls in.
    pub fn band_for(&self, total: u32) -> &Band {
        // The schema check guarantees the bands cover 0..=max_total; clamp anything above.
        self.bands
            .iter()
            .find(|b| (b.min..=b.max).contains(&total))
            .unwrap_or_else(|| self.bands.last().expect("an instrument has at least one band (schema check)"))
    }

    /// The position of a band, lowest totals first.
    pub fn band_index(&self, id: &str) -> Option<usize> {
        self.bands.iter().position(|b| b.id == id)
    }

    fn bad_answers(&self, problem: String) -> CoreError {
        CoreError::Answers {
            problem,
            instrument: self.short_name.clone(),
            needed: self.items.len(),
            max: self.max_answer(),
        }
    }

    /// Parses what a person typed for `--answers`: numbers separated by commas (or spaces).
    pub fn parse_answers(&self, input: &str) -> Result<Vec<u8>, CoreError> {
        let parts: Vec<&str> =
            input.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).collect();
        let mut answers = Vec::with_capacity(parts.len());
        for part in parts {
            let value: u8 =
                part.parse().map_err(|_| self.bad_answers(format!("\"{part}\" isn't a number.")))?;
            answers.push(value);
        }
        self.check_answers(&answers)?;
        Ok(answers)
    }

    fn check_answers(&self, answers: &[u8]) -> Result<(), CoreError> {
        if answers.len() != self.items.len() {
            return Err(self.bad_answers(format!("You gave {} answers.", answers.len())));
        }
        if let Some((n, v)) = answers.iter().enumerate().find(|(_, v)| **v > self.max_answer()) {
            return Err(self.bad_answers(format!("Answer {} is {v}, which is out of range.", n + 1)));
        }
        Ok(())
    }

    /// Scores a set of answers: total, band, percentage (WHO-5) and two-item total.
    pub fn score(&self, answers: &[u8], difficulty: Option<u8>) -> Result<Assessment, CoreError> {
        self.check_answers(answers)?;
        let difficulty = match (difficulty, &self.difficulty) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(CoreError::NoDifficultyQuestion { instrument: self.short_name.clone() });
            }
            (Some(v), Some(d)) => {
                let max = d.answers.iter().map(|a| a.value).max().unwrap_or(0);
                if v > max {
                    return Err(CoreError::OutOfRange {
                        what: "The difficulty answer",
                        input: v.to_string(),
                        min: 0,
                        max: u32::from(max),
                    });
                }
                Some(v)
            }
        };
        let total: u32 = answers.iter().map(|&a| u32::from(a)).sum();
        Ok(Assessment {
            instrument: self.id.clone(),
            answers: answers.to_vec(),
            difficulty,
            total,
            band: self.band_for(total).id.clone(),
            percentage: self.percentage_factor.map(|f| total * f),
            two_item_total: self
                .two_item
                .as_ref()
                .map(|_| answers.iter().take(2).map(|&a| u32::from(a)).sum()),
        })
    }
}

/// Answer values must be 0, 1, 2 … with no gaps or repeats (in any printed order).
fn check_answers(id: &str, answers: &[AnswerOption]) -> Result<(), String> {
    let mut values: Vec<u8> = answers.iter().map(|a| a.value).collect();
    values.sort_unstable();
    if values.is_empty() || values.iter().enumerate().any(|(i, &v)| usize::from(v) != i) {
        return Err(format!("{id}: answer values must run 0, 1, 2 … without gaps"));
    }
    if answers.iter().any(|a| a.label.trim().is_empty()) {
        return Err(format!("{id}: every answer needs a label"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_instruments_by_any_spelling() {
        assert_eq!(instrument("PHQ-9").unwrap().id, "phq9");
        assert_eq!(instrument("gad7").unwrap().id, "gad7");
        assert_eq!(instrument(" Who-5 ").unwrap().id, "who5");
        assert!(instrument("odq").is_err());
    }

    #[test]
    fn bad_answers_say_how_many_and_the_range() {
        let phq9 = instrument("phq9").unwrap();
        for bad in [
            "0,1,2",
            "0,1,2,3,0,1,2,3,0,1",
            "0,1,2,3,0,1,2,3,4",
            "0,1,x,3,0,1,2,3,0",
            "",
            "-1,0,0,0,0,0,0,0,0",
        ] {
            let msg = phq9.parse_answers(bad).unwrap_err().to_string();
            assert!(msg.contains("9 answers") && msg.contains("0 to 3"), "{bad}: {msg}");
        }
        assert_eq!(phq9.parse_answers("0, 1,2 3,0,1,2,3,0").unwrap(), vec![0, 1, 2, 3, 0, 1, 2, 3, 0]);
        let who5 = instrument("who5").unwrap();
        let msg = who5.parse_answers("5,5,5,5,6").unwrap_err().to_string();
        assert!(msg.contains("5 answers") && msg.contains("0 to 5"), "{msg}");
    }

    #[test]
    fn difficulty_is_checked_but_not_scored() {
        let phq9 = instrument("phq9").unwrap();
        let a = phq9.score(&[1; 9], Some(3)).unwrap();
        assert_eq!((a.total, a.difficulty), (9, Some(3)));
        assert!(phq9.score(&[1; 9], Some(4)).is_err());
        assert!(instrument("who5").unwrap().score(&[1; 5], Some(0)).is_err());
    }
}
