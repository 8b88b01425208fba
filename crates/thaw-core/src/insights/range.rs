//! Emotional range: how many different feelings were named, how widely check-ins spread over the
//! pleasantness × energy plane, how strong they were, how often the answer was "nothing" or "can't
//! tell", and how many moments of release there were.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Window, round, share};
use crate::record::{Absence, CheckIn, Record, RecordBody, ReleaseKind};
use crate::vocab::Family;
use crate::{Timestamp, Vocabulary};

/// How often one word was named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordCount {
    pub word: String,
    /// `None` for a word the vocabulary no longer has (a personal word removed since).
    pub family: Option<Family>,
    pub count: usize,
}

/// How often words of one family were named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FamilyCount {
    pub family: Family,
    pub count: usize,
}

/// The four quarters of the plane. A point on an axis counts as pleasant or higher-energy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quadrant {
    PleasantHighEnergy,
    UnpleasantHighEnergy,
    UnpleasantLowEnergy,
    PleasantLowEnergy,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [
        Quadrant::PleasantHighEnergy,
        Quadrant::UnpleasantHighEnergy,
        Quadrant::UnpleasantLowEnergy,
        Quadrant::PleasantLowEnergy,
    ];

    pub fn of(valence: f64, energy: f64) -> Quadrant {
        match (valence >= 0.0, energy >= 0.0) {
            (true, true) => Quadrant::PleasantHighEnergy,
            (false, true) => Quadrant::UnpleasantHighEnergy,
            (false, false) => Quadrant::UnpleasantLowEnergy,
            (true, false) => Quadrant::PleasantLowEnergy,
        }
    }

    /// Words for the quarter, for chart labels.
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::PleasantHighEnergy => "pleasant, more energy",
            Quadrant::UnpleasantHighEnergy => "unpleasant, more energy",
            Quadrant::UnpleasantLowEnergy => "unpleasant, less energy",
            Quadrant::PleasantLowEnergy => "pleasant, less energy",
        }
    }
}

/// Where one check-in sits on the plane: the average position of the words it named.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MapPoint {
    pub at: Timestamp,
    pub valence: f64,
    pub energy: f64,
}

/// How widely check-ins spread over the plane. See docs/INSIGHTS.md for why this measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    /// How many check-ins had a place on the plane.
    pub points: usize,
    /// Their average position.
    pub centre_valence: f64,
    pub centre_energy: f64,
    /// Standard deviation of pleasantness and of energy (population, 0 for one check-in).
    pub valence_sd: f64,
    pub energy_sd: f64,
    /// Root-mean-square distance from the average position: √(valence_sd² + energy_sd²).
    pub distance: f64,
    /// How many of the four quarters of the plane at least one check-in reached.
    pub quadrants: usize,
}

/// Moments of release, in all and by kind (kind ids as keys, only kinds that happened).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ReleaseCounts {
    pub total: usize,
    pub by_kind: BTreeMap<String, usize>,
}

impl ReleaseCounts {
    fn add(&mut self, kind: ReleaseKind) {
        self.total += 1;
        *self.by_kind.entry(kind.id().to_owned()).or_default() += 1;
    }
}

/// The emotional range of a window: see docs/INSIGHTS.md for what each figure means and doesn't.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmotionalRange {
    pub checkins: usize,
    /// Different words named in check-ins.
    pub distinct_emotions: usize,
    /// Each word named, most often first.
    pub words: Vec<WordCount>,
    /// Words named per family, in the vocabulary's family order; families never named are left out.
    pub families: Vec<FamilyCount>,
    /// `None` when no check-in named a word Thaw can place.
    pub spread: Option<Spread>,
    /// Average of the intensities given with words (0–10); `None` when none was given.
    pub mean_intensity: Option<f64>,
    /// Check-ins answered "I feel nothing".
    pub nothing: usize,
    /// Check-ins answered "I can't tell" (with or without a guess).
    pub cant_tell: usize,
    /// (nothing + can't tell) / check-ins.
    pub absence_answer_share: Option<f64>,
    /// Of all words named, the share from the absence family (numb, flat, empty …).
    pub absence_word_share: Option<f64>,
    pub releases: ReleaseCounts,
}

/// A check-in's place on the plane: the mean of its words' coordinates (words the vocabulary
/// doesn't know are left out). `None` for "nothing" or "can't tell" without words.
pub fn checkin_point(checkin: &CheckIn, vocab: &Vocabulary) -> Option<(f64, f64)> {
    let coords: Vec<(f64, f64)> = checkin
        .emotions
        .iter()
        .filter_map(|f| vocab.lookup(&f.word))
        .map(|e| (e.valence, e.energy))
        .collect();
    if coords.is_empty() {
        return None;
    }
    let n = coords.len() as f64;
    let v = coords.iter().map(|c| c.0).sum::<f64>() / n;
    let e = coords.iter().map(|c| c.1).sum::<f64>() / n;
    Some((round(v, 3), round(e, 3)))
}

/// Every check-in in the window that has a place on the plane, oldest first.
pub fn checkin_points(records: &[Record], window: &Window, vocab: &Vocabulary) -> Vec<MapPoint> {
    let mut points: Vec<MapPoint> = records
        .iter()
        .filter(|r| window.contains(r.at))
        .filter_map(|r| match &r.body {
            RecordBody::Checkin(c) => {
                checkin_point(c, vocab).map(|(valence, energy)| MapPoint { at: r.at, valence, energy })
            }
            _ => None,
        })
        .collect();
    points.sort_by_key(|p| p.at);
    points
}

/// The emotional range of the records in `window`.
pub fn emotional_range(records: &[Record], window: &Window, vocab: &Vocabulary) -> EmotionalRange {
    range_of(records.iter().filter(|r| window.contains(r.at)), vocab)
}

/// The emotional range of these records (already chosen by time).
pub(crate) fn range_of<'a>(records: impl Iterator<Item = &'a Record>, vocab: &Vocabulary) -> EmotionalRange {
    let mut checkins = 0;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut families: BTreeMap<Family, usize> = BTreeMap::new();
    let mut named = 0usize;
    let mut absence_words = 0usize;
    let mut intensities: (u64, u64) = (0, 0);
    let (mut nothing, mut cant_tell) = (0, 0);
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut releases = ReleaseCounts::default();
    for record in records {
        match &record.body {
            RecordBody::Checkin(c) => {
                checkins += 1;
                match c.absence {
                    Some(Absence::Nothing) => nothing += 1,
                    Some(Absence::CantTell) => cant_tell += 1,
                    None => {}
                }
                for felt in &c.emotions {
                    named += 1;
                    *counts.entry(felt.word.as_str()).or_default() += 1;
                    if let Some(e) = vocab.lookup(&felt.word) {
                        *families.entry(e.family).or_default() += 1;
                        if e.family == Family::Absence {
                            absence_words += 1;
                        }
                    }
                    if let Some(i) = felt.intensity {
                        intensities.0 += u64::from(i.get());
                        intensities.1 += 1;
                    }
                }
                if let Some(p) = checkin_point(c, vocab) {
                    points.push(p);
                }
            }
            RecordBody::Release(r) => releases.add(r.kind),
            _ => {}
        }
    }
    let mut words: Vec<WordCount> = counts
        .iter()
        .map(|(w, &count)| WordCount {
            word: (*w).to_owned(),
            family: vocab.lookup(w).map(|e| e.family),
            count,
        })
        .collect();
    words.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    EmotionalRange {
        checkins,
        distinct_emotions: counts.len(),
        words,
        families: Family::ALL
            .iter()
            .filter_map(|f| families.get(f).map(|&count| FamilyCount { family: *f, count }))
            .collect(),
        spread: spread(&points),
        mean_intensity: (intensities.1 > 0).then(|| round(intensities.0 as f64 / intensities.1 as f64, 2)),
        nothing,
        cant_tell,
        absence_answer_share: share(nothing + cant_tell, checkins),
        absence_word_share: share(absence_words, named),
        releases,
    }
}

/// The spread of points on the plane; `None` without points.
pub(crate) fn spread(points: &[(f64, f64)]) -> Option<Spread> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    let cv = points.iter().map(|p| p.0).sum::<f64>() / n;
    let ce = points.iter().map(|p| p.1).sum::<f64>() / n;
    let var_v = points.iter().map(|p| (p.0 - cv).powi(2)).sum::<f64>() / n;
    let var_e = points.iter().map(|p| (p.1 - ce).powi(2)).sum::<f64>() / n;
    let mut quadrants: Vec<Quadrant> = points.iter().map(|p| Quadrant::of(p.0, p.1)).collect();
    quadrants.sort();
    quadrants.dedup();
    Some(Spread {
        points: points.len(),
        centre_valence: round(cv, 3),
        centre_energy: round(ce, 3),
        valence_sd: round(var_v.sqrt(), 3),
        energy_sd: round(var_e.sqrt(), 3),
        distance: round((var_v + var_e).sqrt(), 3),
        quadrants: quadrants.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::record::{Intensity, Release};
    use crate::vocabulary;

    fn release(n: u128, at: &str, kind: ReleaseKind) -> Record {
        let r = Release::new(kind, Intensity::new(5).unwrap(), None, None, None).unwrap();
        record(n, at, RecordBody::Release(r))
    }

    #[test]
    fn an_empty_window_has_nothing_to_show_and_no_divisions_by_zero() {
        let w = window("2025-03-01", "2025-03-14");
        // A record outside the window doesn't count.
        let records = vec![checkin(1, "2025-02-20T10:00:00Z", &[("sad", Some(5))])];
        let r = emotional_range(&records, &w, vocabulary());
        assert_eq!(r.checkins, 0);
        assert_eq!(r.distinct_emotions, 0);
        assert!(r.words.is_empty() && r.families.is_empty());
        assert_eq!(r.spread, None);
        assert_eq!(r.mean_intensity, None);
        assert_eq!((r.absence_answer_share, r.absence_word_share), (None, None));
        assert_eq!(r.releases, ReleaseCounts::default());
    }

    #[test]
    fn a_single_checkin_has_no_spread_but_a_place() {
        let w = window("2025-03-01", "2025-03-14");
        // sad (-0.6, -0.3) and tired (-0.3, -0.7): the check-in sits at (-0.45, -0.5).
        let records = vec![checkin(1, "2025-03-05T10:00:00Z", &[("sad", Some(6)), ("tired", Some(3))])];
        let r = emotional_range(&records, &w, vocabulary());
        assert_eq!(r.checkins, 1);
        assert_eq!(r.distinct_emotions, 2);
        assert_eq!(r.mean_intensity, Some(4.5));
        let s = r.spread.unwrap();
        assert_eq!((s.points, s.centre_valence, s.centre_energy), (1, -0.45, -0.5));
        assert_eq!((s.valence_sd, s.energy_sd, s.distance, s.quadrants), (0.0, 0.0, 0.0, 1));
        assert_eq!(r.families, [FamilyCount { family: Family::Sad, count: 2 }]);
        assert_eq!(r.absence_answer_share, Some(0.0));
        assert_eq!(r.absence_word_share, Some(0.0));
        let points = checkin_points(&records, &w, vocabulary());
        assert_eq!(points.len(), 1);
        assert_eq!((points[0].valence, points[0].energy), (-0.45, -0.5));
    }

    #[test]
    fn range_figures_match_a_hand_computation() {
        let w = window("2025-03-01", "2025-03-14");
        let records = vec![
            // calm (0.55, -0.55), intensity 4
            checkin(1, "2025-03-02T09:00:00Z", &[("calm", Some(4))]),
            // angry (-0.7, 0.7), intensity 8; numb (-0.25, -0.7), no intensity → (-0.475, 0)
            checkin(2, "2025-03-03T09:00:00Z", &[("angry", Some(8)), ("numb", None)]),
            // numb alone (-0.25, -0.7), intensity 2
            checkin(3, "2025-03-04T09:00:00Z", &[("numb", Some(2))]),
            absent(4, "2025-03-05T09:00:00Z", Absence::Nothing),
            absent(5, "2025-03-06T09:00:00Z", Absence::CantTell),
            release(6, "2025-03-07T09:00:00Z", ReleaseKind::TearedUp),
            release(7, "2025-03-08T09:00:00Z", ReleaseKind::TearedUp),
            release(8, "2025-03-09T09:00:00Z", ReleaseKind::Laughed),
        ];
        let r = emotional_range(&records, &w, vocabulary());
        assert_eq!(r.checkins, 5);
        assert_eq!(r.distinct_emotions, 3, "calm, angry, numb");
        assert_eq!(r.words[0], WordCount { word: "numb".into(), family: Some(Family::Absence), count: 2 });
        // Intensities 4, 8, 2 → 14 / 3.
        assert_eq!(r.mean_intensity, Some(4.67));
        assert_eq!((r.nothing, r.cant_tell), (1, 1));
        assert_eq!(r.absence_answer_share, Some(0.4), "2 of 5 check-ins");
        assert_eq!(r.absence_word_share, Some(0.5), "numb twice of 4 words named");
        // Points: (0.55, -0.55), (-0.475, 0), (-0.25, -0.7).
        // Centre: v = -0.175 / 3 = -0.0583, e = -1.25 / 3 = -0.4167.
        // Var v = (0.6083² + 0.4167² + 0.1917²) / 3 = (0.37007 + 0.17361 + 0.03674) / 3 = 0.19347
        // Var e = (0.1333² + 0.4167² + 0.2833²) / 3 = (0.01778 + 0.17361 + 0.08028) / 3 = 0.09056
        let s = r.spread.unwrap();
        assert_eq!((s.centre_valence, s.centre_energy), (-0.058, -0.417));
        assert_eq!((s.valence_sd, s.energy_sd), (0.44, 0.301));
        assert_eq!(s.distance, 0.533, "√(0.19347 + 0.09056)");
        assert_eq!(s.quadrants, 3, "pleasant-low, unpleasant-high (energy 0 counts as high), unpleasant-low");
        assert_eq!(r.releases.total, 3);
        assert_eq!(r.releases.by_kind["teared-up"], 2);
        assert_eq!(r.releases.by_kind["laughed"], 1);
    }

    #[test]
    fn words_the_vocabulary_lost_still_count_but_have_no_place() {
        let w = window("2025-03-01", "2025-03-14");
        let records = vec![checkin(1, "2025-03-02T09:00:00Z", &[("wobbly-inside", Some(3))])];
        let r = emotional_range(&records, &w, vocabulary());
        assert_eq!(r.distinct_emotions, 1);
        assert_eq!(r.words[0].family, None);
        assert_eq!(r.spread, None);
    }
}
