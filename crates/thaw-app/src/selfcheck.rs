//! The self-check: saving a result and the one JSON view of it every edge answers with.

use serde::Serialize;
use thaw_core::features::feature;
use thaw_core::selfcheck::{Answers, Area, STAND_OUT, selfcheck};
use thaw_core::{Record, RecordBody};

use crate::{App, AppError};

/// An area that may apply.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct AreaView {
    pub id: &'static str,
    pub title: &'static str,
    pub explanation: &'static str,
    pub next_steps: &'static [String],
    pub features: &'static [String],
    /// The commands for those features.
    pub commands: Vec<&'static str>,
    /// One of the first few that stand out most: shown in full; the others are folded away.
    pub stands_out: bool,
}

/// A saved self-check as `thaw selfcheck --json` prints it and the API answers it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SelfCheckView))]
#[derive(Debug, Serialize)]
pub struct ResultView {
    pub id: String,
    pub at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, Option<u8>>))]
    pub answers: Answers,
    pub areas: Vec<AreaView>,
    pub not_a_diagnosis: &'static str,
}

/// The areas of a result, those that stand out most first (ids the content no longer has are
/// left out). The first [`STAND_OUT`] are shown in full; the rest are folded away.
pub fn applying(record: &Record) -> Vec<&'static Area> {
    match &record.body {
        RecordBody::SelfCheck(result) => selfcheck().ranked(result),
        _ => Vec::new(),
    }
}

/// [`applying`], split into the areas shown in full and those folded away.
pub fn standing_out(record: &Record) -> (Vec<&'static Area>, Vec<&'static Area>) {
    let mut first = applying(record);
    let rest = first.split_off(first.len().min(STAND_OUT));
    (first, rest)
}

/// The view of a self-check record; `None` for any other kind.
pub fn view(record: &Record) -> Option<ResultView> {
    let RecordBody::SelfCheck(result) = &record.body else { return None };
    Some(ResultView {
        id: record.id.to_string(),
        at: record.at.rfc3339(),
        answers: result.answers.clone(),
        areas: applying(record)
            .into_iter()
            .enumerate()
            .map(|(i, a)| AreaView {
                id: &a.id,
                title: &a.title,
                explanation: &a.explanation,
                next_steps: &a.next_steps,
                features: &a.features,
                commands: a.features.iter().filter_map(|f| feature(f)).map(|f| f.command).collect(),
                stands_out: i < STAND_OUT,
            })
            .collect(),
        not_a_diagnosis: &selfcheck().not_a_diagnosis,
    })
}

impl App<'_> {
    /// Scores the answers (thaw-core checks them) and saves the result.
    pub fn save_selfcheck(&self, answers: &Answers) -> Result<Record, AppError> {
        let result = selfcheck().result(answers)?;
        let record = Record::new(RecordBody::SelfCheck(result), None, self.clock.now);
        self.store.insert(&record)?;
        Ok(record)
    }
}
