//! Reaction styles and what expressive activities seem to do: counts and averages of what the
//! person recorded, without judging any style or activity.

use serde::Serialize;

use super::{Window, round, share};
use crate::Timestamp;
use crate::record::{ActivityKind, ReactionStyle, Record, RecordBody};

/// How often one reaction style was noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StyleCount {
    pub style: ReactionStyle,
    pub label: &'static str,
    pub count: usize,
    /// Whether this style lets a feeling through (felt it, talked, cried).
    pub lets_feeling_through: bool,
}

/// Reaction styles in a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReactionPatterns {
    /// Reactions noted.
    pub reactions: usize,
    /// Each style noted at least once, most often first (ties in the order Thaw lists styles).
    pub styles: Vec<StyleCount>,
    /// Of all styles noted (a reaction can have several), the share that let a feeling through.
    pub lets_through_share: Option<f64>,
}

/// The reaction styles of the records in `window`.
pub fn reaction_patterns(records: &[Record], window: &Window) -> ReactionPatterns {
    patterns_of(records.iter().filter(|r| window.contains(r.at)))
}

pub(crate) fn patterns_of<'a>(records: impl Iterator<Item = &'a Record>) -> ReactionPatterns {
    let mut counts = vec![0usize; ReactionStyle::ALL.len()];
    let mut reactions = 0;
    for record in records {
        if let RecordBody::Reaction(r) = &record.body {
            reactions += 1;
            for style in &r.styles {
                if let Some(i) = ReactionStyle::ALL.iter().position(|s| s == style) {
                    counts[i] += 1;
                }
            }
        }
    }
    let mut styles: Vec<StyleCount> = ReactionStyle::ALL
        .iter()
        .zip(&counts)
        .filter(|(_, c)| **c > 0)
        .map(|(s, &count)| StyleCount {
            style: *s,
            label: s.label(),
            count,
            lets_feeling_through: s.lets_feeling_through(),
        })
        .collect();
    // Stable: equal counts keep the order of ReactionStyle::ALL.
    styles.sort_by_key(|s| std::cmp::Reverse(s.count));
    let noted: usize = counts.iter().sum();
    let through: usize = styles.iter().filter(|s| s.lets_feeling_through).map(|s| s.count).sum();
    ReactionPatterns { reactions, styles, lets_through_share: share(through, noted) }
}

/// What one kind of activity did, on average.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityKindEffect {
    pub kind: ActivityKind,
    pub label: &'static str,
    pub count: usize,
    pub total_minutes: u64,
    /// Average of how strongly feelings were felt before and after (0–10).
    pub mean_before: f64,
    pub mean_after: f64,
    /// Average of after − before: above 0 means feelings were felt more strongly afterwards.
    pub mean_change: f64,
    /// How many of these activities had a moment of release within 24 hours after them.
    pub followed_by_release: usize,
}

/// Activities in a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityEffects {
    pub activities: usize,
    /// One entry per kind done, most often first.
    pub kinds: Vec<ActivityKindEffect>,
    /// Moments of release that came within 24 hours after any activity (each counted once).
    pub releases_within_24h: usize,
}

/// How long after an activity a release still counts as following it.
pub const RELEASE_WINDOW_HOURS: i64 = 24;

/// What the activities in `window` did, and the releases (also in `window`) that followed them.
pub fn activity_effects(records: &[Record], window: &Window) -> ActivityEffects {
    let mut releases: Vec<Timestamp> = records
        .iter()
        .filter(|r| window.contains(r.at) && matches!(r.body, RecordBody::Release(_)))
        .map(|r| r.at)
        .collect();
    releases.sort();
    let after = |at: Timestamp| -> Option<Timestamp> {
        Timestamp::from_millis(at.as_millis() + RELEASE_WINDOW_HOURS * 3_600_000)
    };
    // The releases in (at, at + 24 h].
    let following = |at: Timestamp| -> std::ops::Range<usize> {
        let lo = releases.partition_point(|r| *r <= at);
        let hi = match after(at) {
            Some(limit) => releases.partition_point(|r| *r <= limit),
            None => releases.len(),
        };
        lo..hi.max(lo)
    };
    struct Acc {
        count: usize,
        minutes: u64,
        before: u64,
        after: u64,
        followed: usize,
    }
    let mut acc: Vec<Acc> = ActivityKind::ALL
        .iter()
        .map(|_| Acc { count: 0, minutes: 0, before: 0, after: 0, followed: 0 })
        .collect();
    let mut counted = vec![false; releases.len()];
    let mut activities = 0;
    for record in records.iter().filter(|r| window.contains(r.at)) {
        let RecordBody::Activity(a) = &record.body else { continue };
        activities += 1;
        let Some(i) = ActivityKind::ALL.iter().position(|k| *k == a.kind) else { continue };
        let slot = &mut acc[i];
        slot.count += 1;
        slot.minutes += u64::from(a.minutes);
        slot.before += u64::from(a.before.get());
        slot.after += u64::from(a.after.get());
        let range = following(record.at);
        if !range.is_empty() {
            slot.followed += 1;
        }
        for seen in &mut counted[range] {
            *seen = true;
        }
    }
    let mut kinds: Vec<ActivityKindEffect> = ActivityKind::ALL
        .iter()
        .zip(&acc)
        .filter(|(_, a)| a.count > 0)
        .map(|(kind, a)| {
            let n = a.count as f64;
            ActivityKindEffect {
                kind: *kind,
                label: kind.label(),
                count: a.count,
                total_minutes: a.minutes,
                mean_before: round(a.before as f64 / n, 2),
                mean_after: round(a.after as f64 / n, 2),
                mean_change: round((a.after as f64 - a.before as f64) / n, 2),
                followed_by_release: a.followed,
            }
        })
        .collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.count));
    ActivityEffects { activities, kinds, releases_within_24h: counted.iter().filter(|c| **c).count() }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::record::{Activity, Intensity, Reaction, Release, ReleaseKind};

    fn reaction(n: u128, at: &str, styles: &[ReactionStyle]) -> Record {
        let r =
            Reaction::new("something", Intensity::new(6).unwrap(), styles.to_vec(), vec![], None).unwrap();
        record(n, at, RecordBody::Reaction(r))
    }

    fn activity(n: u128, at: &str, kind: ActivityKind, before: u8, after: u8) -> Record {
        let a = Activity::new(
            kind,
            30,
            None,
            Intensity::new(before).unwrap(),
            Intensity::new(after).unwrap(),
            None,
        )
        .unwrap();
        record(n, at, RecordBody::Activity(a))
    }

    fn release(n: u128, at: &str) -> Record {
        let r = Release::new(ReleaseKind::Cried, Intensity::new(5).unwrap(), None, None, None).unwrap();
        record(n, at, RecordBody::Release(r))
    }

    #[test]
    fn styles_are_counted_and_the_share_that_lets_feelings_through() {
        use ReactionStyle::*;
        let w = window("2025-03-01", "2025-03-14");
        let records = vec![
            reaction(1, "2025-03-02T10:00:00Z", &[Humour, KeptBusy]),
            reaction(2, "2025-03-03T10:00:00Z", &[Humour]),
            reaction(3, "2025-03-04T10:00:00Z", &[FeltIt, Talked]),
            reaction(4, "2025-02-04T10:00:00Z", &[Cried]), // outside
        ];
        let p = reaction_patterns(&records, &w);
        assert_eq!(p.reactions, 3);
        let got: Vec<(ReactionStyle, usize)> = p.styles.iter().map(|s| (s.style, s.count)).collect();
        assert_eq!(got, [(Humour, 2), (KeptBusy, 1), (FeltIt, 1), (Talked, 1)]);
        assert_eq!(p.lets_through_share, Some(0.4), "2 of 5 styles noted");
        let empty = reaction_patterns(&[], &w);
        assert_eq!((empty.reactions, empty.styles.len(), empty.lets_through_share), (0, 0, None));
    }

    #[test]
    fn activity_changes_and_releases_within_a_day() {
        use ActivityKind::*;
        let w = window("2025-03-01", "2025-03-14");
        let records = vec![
            activity(1, "2025-03-02T10:00:00Z", Walking, 2, 5),
            activity(2, "2025-03-05T10:00:00Z", Walking, 4, 4),
            activity(3, "2025-03-06T18:00:00Z", Music, 6, 3),
            // 20 hours after the first walk: follows it.
            release(4, "2025-03-03T06:00:00Z"),
            // 25 hours after the second walk, and before the music: follows nothing.
            release(5, "2025-03-06T11:00:00Z"),
            // 16 hours after the music.
            release(6, "2025-03-07T10:00:00Z"),
            // Long after everything.
            release(7, "2025-03-12T10:00:00Z"),
        ];
        let e = activity_effects(&records, &w);
        assert_eq!(e.activities, 3);
        let walk = &e.kinds[0];
        assert_eq!((walk.kind, walk.count, walk.total_minutes), (Walking, 2, 60));
        // Before 2 and 4 → 3; after 5 and 4 → 4.5; changes +3 and 0 → +1.5.
        assert_eq!((walk.mean_before, walk.mean_after, walk.mean_change), (3.0, 4.5, 1.5));
        assert_eq!(walk.followed_by_release, 1, "only the first walk");
        let music = &e.kinds[1];
        assert_eq!((music.mean_change, music.followed_by_release), (-3.0, 1));
        // Releases 4 (after walk 1) and 6 (after the music).
        assert_eq!(e.releases_within_24h, 2);
        let empty = activity_effects(&[], &w);
        assert_eq!((empty.activities, empty.kinds.len(), empty.releases_within_24h), (0, 0, 0));
    }
}
