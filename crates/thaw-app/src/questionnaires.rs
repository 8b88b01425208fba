//! Taking a questionnaire: score it (thaw-core checks the answers), find the last one of the same
//! questionnaire, save it, and decide the follow-up — support first when PHQ-9 item 9 is above 0.

use serde::Serialize;
use thaw_core::instruments::Instrument;
use thaw_core::{Assessment, Record, RecordBody, RecordKind, Timestamp};
use thaw_store::ListQuery;

use crate::{App, AppError, FollowUp};

/// A questionnaire just saved.
#[derive(Debug, Clone)]
pub struct Taken {
    pub instrument: &'static Instrument,
    pub record: Record,
    pub assessment: Assessment,
    /// The last one of the same questionnaire before this one: (when, answers).
    pub previous: Option<(Timestamp, Assessment)>,
    pub follow_up: Option<FollowUp>,
}

impl Taken {
    /// The change since the previous one (the total's difference, as `change` has always been).
    pub fn change(&self) -> Option<i64> {
        self.previous.as_ref().and_then(|(_, p)| self.assessment.change_since(p))
    }

    /// What the CLI's `--json` and the API answer.
    pub fn view(&self) -> TakenView<'_> {
        let band = self.instrument.band_for(self.assessment.total);
        TakenView {
            record: &self.record,
            name: &self.instrument.short_name,
            max_total: self.instrument.max_total(),
            band_name: &band.name,
            band_meaning: &band.meaning,
            item9: self.assessment.item9(),
            change: self.change(),
            previous: self.previous.as_ref().map(|(at, p)| Previous {
                at: *at,
                total: p.total,
                percentage: p.percentage,
            }),
            follow_up: self.follow_up.as_ref(),
            copyright: &self.instrument.copyright,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize)]
pub struct Previous {
    pub at: Timestamp,
    pub total: u32,
    pub percentage: Option<u32>,
}

/// A saved questionnaire as JSON: the record plus its range, the change and the follow-up.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = AssessmentResult))]
#[derive(Debug, Serialize)]
pub struct TakenView<'a> {
    #[serde(flatten)]
    pub record: &'a Record,
    pub name: &'a str,
    pub max_total: u32,
    pub band_name: &'a str,
    pub band_meaning: &'a str,
    pub item9: Option<u8>,
    pub change: Option<i64>,
    pub previous: Option<Previous>,
    pub follow_up: Option<&'a FollowUp>,
    pub copyright: &'a str,
}

/// A saved questionnaire with the change since the one before it of the same kind.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    #[serde(flatten)]
    pub record: Record,
    pub change: Option<i64>,
    pub item9: Option<u8>,
    /// The one before it, for wording the change.
    #[serde(skip)]
    pub earlier: Option<Assessment>,
}

impl App<'_> {
    /// Saves `assessment` (already scored) taken `at` (a date typed, or now).
    pub fn take(
        &self,
        instrument: &'static Instrument,
        assessment: Assessment,
        at: Option<&str>,
    ) -> Result<Taken, AppError> {
        let at = self.clock.at(at)?;
        let when = at.unwrap_or(self.clock.now);
        let history = self.store.list(&ListQuery::kind(RecordKind::Assessment))?;
        let previous = history.iter().find_map(|r| match &r.body {
            RecordBody::Assessment(a) if a.instrument == instrument.id && r.at <= when => {
                Some((r.at, a.clone()))
            }
            _ => None,
        });
        let record = Record::new(RecordBody::Assessment(assessment.clone()), at, self.clock.now);
        self.store.insert(&record)?;
        let follow_up = self.follow_up_for_assessment(&assessment);
        Ok(Taken { instrument, record, assessment, previous, follow_up })
    }

    /// Scores answers and saves them.
    pub fn take_answers(
        &self,
        instrument: &'static Instrument,
        answers: &[u8],
        difficulty: Option<u8>,
        at: Option<&str>,
    ) -> Result<Taken, AppError> {
        let assessment = instrument.score(answers, difficulty)?;
        self.take(instrument, assessment, at)
    }

    /// Every questionnaire in `query`'s range, newest first, each with the change since the one
    /// before it (worked out over the whole history).
    pub fn questionnaire_history(&self, query: &ListQuery) -> Result<Vec<HistoryRow>, AppError> {
        let all = self.store.list(&ListQuery {
            kinds: vec![RecordKind::Assessment],
            newest_first: false,
            ..ListQuery::default()
        })?;
        let mut rows = Vec::new();
        for (i, record) in all.iter().enumerate() {
            let RecordBody::Assessment(a) = &record.body else { continue };
            let earlier = all[..i].iter().rev().find_map(|r| match &r.body {
                RecordBody::Assessment(p) if p.instrument == a.instrument => Some(p),
                _ => None,
            });
            rows.push(HistoryRow {
                change: earlier.and_then(|p| a.change_since(p)),
                item9: a.item9(),
                earlier: earlier.cloned(),
                record: record.clone(),
            });
        }
        rows.retain(|r| {
            query.from.is_none_or(|f| r.record.at >= f) && query.to.is_none_or(|t| r.record.at < t)
        });
        rows.reverse();
        if let Some(limit) = query.limit {
            rows.truncate(limit);
        }
        Ok(rows)
    }
}
