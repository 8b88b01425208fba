//! The window cut into periods (weeks or 14 days), with the range figures of each: the line the
//! timeline chart draws.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::Window;
use super::patterns::patterns_of;
use super::range::range_of;
use crate::Vocabulary;
use crate::record::{Record, RecordBody};

/// The figures of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodPoint {
    pub from: Date,
    pub to: Date,
    /// Days in the period (the earliest one may be shorter than the rest).
    pub days: i64,
    pub checkins: usize,
    pub distinct_emotions: usize,
    pub mean_intensity: Option<f64>,
    /// Root-mean-square distance of check-ins from their centre on the plane.
    pub spread: Option<f64>,
    pub absence_answer_share: Option<f64>,
    pub absence_word_share: Option<f64>,
    pub releases: usize,
    pub reactions: usize,
    /// Reaction style id → how often it was noted; styles not noted are left out.
    pub styles: BTreeMap<String, usize>,
    pub lets_through_share: Option<f64>,
}

/// The periods of `window`, oldest first, each with its figures.
pub fn period_series(records: &[Record], window: &Window, vocab: &Vocabulary) -> Vec<PeriodPoint> {
    let periods = window.periods();
    let starts: Vec<_> = periods.iter().map(|p| p.start).collect();
    let mut buckets: Vec<Vec<&Record>> = vec![Vec::new(); periods.len()];
    for record in records {
        let relevant =
            matches!(record.body, RecordBody::Checkin(_) | RecordBody::Release(_) | RecordBody::Reaction(_));
        if !relevant || !window.contains(record.at) {
            continue;
        }
        // The last period starting at or before the record.
        let i = starts.partition_point(|s| *s <= record.at);
        if let Some(bucket) = i.checked_sub(1).and_then(|i| buckets.get_mut(i)) {
            bucket.push(record);
        }
    }
    periods
        .iter()
        .zip(&buckets)
        .map(|(period, bucket)| {
            let range = range_of(bucket.iter().copied(), vocab);
            let reactions = patterns_of(bucket.iter().copied());
            PeriodPoint {
                from: period.from,
                to: period.to,
                days: period.days(),
                checkins: range.checkins,
                distinct_emotions: range.distinct_emotions,
                mean_intensity: range.mean_intensity,
                spread: range.spread.as_ref().map(|s| s.distance),
                absence_answer_share: range.absence_answer_share,
                absence_word_share: range.absence_word_share,
                releases: range.releases.total,
                reactions: reactions.reactions,
                styles: reactions.styles.iter().map(|s| (s.style.id().to_owned(), s.count)).collect(),
                lets_through_share: reactions.lets_through_share,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::record::{Absence, Intensity, Reaction, ReactionStyle, Release, ReleaseKind};
    use crate::vocabulary;

    #[test]
    fn each_period_has_its_own_figures_and_empty_ones_stay_empty() {
        let w = window("2025-03-01", "2025-03-21");
        let release = Release::new(ReleaseKind::Moved, Intensity::new(3).unwrap(), None, None, None).unwrap();
        let reaction = Reaction::new(
            "call",
            Intensity::new(5).unwrap(),
            vec![ReactionStyle::Talked, ReactionStyle::Humour],
            vec![],
            None,
        )
        .unwrap();
        let records = vec![
            checkin(1, "2025-03-01T08:00:00Z", &[("sad", Some(4))]),
            checkin(2, "2025-03-07T23:59:00Z", &[("sad", Some(6)), ("calm", None)]),
            absent(3, "2025-03-16T08:00:00Z", Absence::Nothing),
            record(4, "2025-03-15T08:00:00Z", RecordBody::Release(release)),
            record(5, "2025-03-21T20:00:00Z", RecordBody::Reaction(reaction)),
        ];
        let s = period_series(&records, &w, vocabulary());
        assert_eq!(s.len(), 3);
        let first = &s[0];
        assert_eq!(
            (first.from.to_string(), first.to.to_string(), first.days),
            ("2025-03-01".into(), "2025-03-07".into(), 7)
        );
        assert_eq!((first.checkins, first.distinct_emotions, first.mean_intensity), (2, 2, Some(5.0)));
        assert_eq!(first.releases, 0);
        // Second period: nothing at all.
        let empty = &s[1];
        assert_eq!((empty.checkins, empty.distinct_emotions, empty.releases, empty.reactions), (0, 0, 0, 0));
        assert_eq!((empty.mean_intensity, empty.spread, empty.absence_answer_share), (None, None, None));
        assert!(empty.styles.is_empty());
        let third = &s[2];
        assert_eq!((third.checkins, third.absence_answer_share, third.releases), (1, Some(1.0), 1));
        assert_eq!((third.reactions, third.lets_through_share), (1, Some(0.5)));
        assert_eq!(third.styles.get("talked"), Some(&1));
    }
}
