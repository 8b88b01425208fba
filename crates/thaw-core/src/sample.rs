//! Deterministic sample data: years of plausible records from a seed, for benchmarks, load tests
//! and reliability harnesses (`thaw dev seed`). Never shown to a person as their own data.
//!
//! Besides check-ins, journal entries and the other moments, it makes questionnaires (about 250 in
//! the reference 100,000 records) and one medication timeline that follows the rules of
//! `meds::check_new_event` (a medicine started, its dose changed, paused, started again, stopped,
//! and others started after it).

use uuid::Builder;

use crate::meds::{Dose, DoseUnit, MedEvent, MedEventKind, medications};

use crate::record::{
    Absence, Activity, ActivityKind, CheckIn, Felt, Intensity, JournalEntry, Person, Reaction, ReactionStyle,
    Record, RecordBody, Release, ReleaseKind,
};
use crate::{RecordId, Timestamp, vocabulary};

/// SplitMix64: tiny, fast, and the same sequence on every platform and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Skewed towards small indexes, like word frequencies.
    pub fn skewed(&mut self, n: usize) -> usize {
        let r = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        ((r * r * r) * n as f64) as usize % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn intensity(&mut self) -> Intensity {
        Intensity::new(self.below(11) as u8).unwrap_or(Intensity::ZERO)
    }
}

const WORDS: &str = "the and to a i of it was that in my me but so not is just felt feel like day today \
    work home time again still really think know about after before when what with all out up then now \
    she he they we her him them mum dad sister brother friend partner children dog walk rain sun morning \
    evening night sleep tired coffee tea breakfast train bus office meeting email call phone message \
    lake sea park garden window kitchen bed couch book music song film news doctor pills appointment \
    therapy talked quiet heavy numb flat empty grey cold warm light dark slow fast small big little \
    nothing something everything anything maybe perhaps somehow tried wanted needed couldn't didn't \
    wasn't can't cry tears laugh smiled shouted hugged remembered forgot noticed wrote read watched \
    listened cooked cleaned shopping bills money tomorrow yesterday weekend holiday birthday christmas \
    winter spring summer autumn snow wind river hill road city town village station school college \
    grandmother grandfather funeral wedding letter photo memory old new first last long short";

/// How much of each kind, per 100,000 records (the reference data set of PRODUCT.md §7).
#[derive(Debug, Clone, Copy)]
pub struct Mix {
    pub journal: u32,
    pub checkin: u32,
    pub reaction: u32,
    pub activity: u32,
    pub release: u32,
    pub person: u32,
    pub assessment: u32,
}

impl Default for Mix {
    fn default() -> Self {
        Self {
            journal: 30_000,
            checkin: 45_750,
            reaction: 10_000,
            activity: 8_000,
            release: 5_950,
            person: 50,
            assessment: 250,
        }
    }
}

/// Generates `count` records spread over `years` ending at `end`, oldest first.
pub struct Generator {
    rng: Rng,
    words: Vec<&'static str>,
    mix: Mix,
    count: usize,
    made: usize,
    start_ms: i64,
    step_ms: i64,
    /// The medication timeline, oldest first, and how much of it has been given out.
    meds: Vec<(i64, MedEvent)>,
    next_med: usize,
}

/// The medication timeline as fractions of the span: (when, medicine, event, dose in mg).
const MED_PLAN: &[(f64, &str, MedEventKind, Option<&str>)] = &[
    (0.03, "sertraline", MedEventKind::Started, Some("50")),
    (0.12, "sertraline", MedEventKind::DoseChanged, Some("100")),
    (0.30, "sertraline", MedEventKind::DoseChanged, Some("150")),
    (0.45, "sertraline", MedEventKind::Paused, None),
    (0.48, "sertraline", MedEventKind::Started, Some("100")),
    (0.62, "sertraline", MedEventKind::DoseChanged, Some("50")),
    (0.66, "sertraline", MedEventKind::Stopped, None),
    (0.70, "bupropion", MedEventKind::Started, Some("150")),
    (0.80, "bupropion", MedEventKind::DoseChanged, Some("300")),
    (0.90, "mirtazapine", MedEventKind::Started, Some("15")),
];

fn med_plan(rng: &mut Rng, start_ms: i64, span_ms: i64) -> Vec<(i64, MedEvent)> {
    MED_PLAN
        .iter()
        .filter_map(|(at, name, kind, dose)| {
            let identity = medications().identify(name).ok()?;
            let dose = match dose {
                Some(d) => Some((Dose::parse(d, DoseUnit::Mg).ok()?, DoseUnit::Mg)),
                None => None,
            };
            let event = MedEvent::new(identity, *kind, dose, None).ok()?;
            // Up to a day either way, so that events don't all fall at the same time of day.
            let jitter = rng.below(2 * 86_400_000) as i64 - 86_400_000;
            Some((start_ms + (span_ms as f64 * at) as i64 + jitter, event))
        })
        .collect()
}

impl Generator {
    pub fn new(seed: u64, count: usize, years: u32, end: Timestamp) -> Self {
        let span = i64::from(years.max(1)) * 365 * 86_400_000;
        let start_ms = end.as_millis() - span;
        let mut rng = Rng::new(seed);
        let meds = med_plan(&mut rng, start_ms, span);
        Self {
            rng,
            words: WORDS.split_whitespace().collect(),
            mix: Mix::default(),
            count,
            made: 0,
            start_ms,
            step_ms: span / count.max(1) as i64,
            meds,
            next_med: 0,
        }
    }

    fn text(&mut self, words: usize) -> String {
        let mut out = String::with_capacity(words * 6);
        for i in 0..words {
            let w = self.words[self.rng.skewed(self.words.len())];
            if i > 0 {
                out.push(if self.rng.chance(7) { '\n' } else { ' ' });
            }
            out.push_str(w);
            if self.rng.chance(8) {
                out.push('.');
            }
        }
        out
    }

    fn emotion(&mut self) -> String {
        let all = vocabulary().emotions();
        all[self.rng.skewed(all.len())].word.clone()
    }

    fn body(&mut self) -> Option<RecordBody> {
        let m = self.mix;
        let total = m.journal + m.checkin + m.reaction + m.activity + m.release + m.person + m.assessment;
        let mut pick = self.rng.below(total as usize) as u32;
        let weights = [m.journal, m.checkin, m.reaction, m.activity, m.release, m.person, m.assessment];
        let mut kind = weights.len() - 1;
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                kind = i;
                break;
            }
            pick -= w;
        }
        let body = if kind == 0 {
            // About 2,300 characters on average: 30,000 entries make the ~70 MB of §7.
            let n = 250 + self.rng.below(300);
            let title_words = 3 + self.rng.below(4);
            let title = self.text(title_words);
            let body = self.text(n);
            let tag_count = self.rng.below(3);
            let tags: Vec<String> =
                (0..tag_count).map(|_| self.words[self.rng.below(40)].to_owned()).collect();
            RecordBody::Journal(JournalEntry::new(&title, &body, &tags, vec![]).ok()?)
        } else if kind == 1 {
            if self.rng.chance(12) {
                let absence = if self.rng.chance(50) { Absence::Nothing } else { Absence::CantTell };
                RecordBody::Checkin(CheckIn::new(vec![], vec![], None, false, Some(absence)).ok()?)
            } else {
                let n = 1 + self.rng.below(3);
                let felt: Vec<Felt> = (0..n)
                    .map(|_| Felt { word: self.emotion(), intensity: Some(self.rng.intensity()) })
                    .collect();
                let note = if self.rng.chance(40) { Some(self.text(12)) } else { None };
                let said = self.rng.chance(30);
                RecordBody::Checkin(CheckIn::new(felt, vec![], note.as_deref(), said, None).ok()?)
            }
        } else if kind == 2 {
            let styles = vec![ReactionStyle::ALL[self.rng.below(ReactionStyle::ALL.len())]];
            let situation = self.text(10);
            let felt = vec![self.emotion()];
            let level = self.rng.intensity();
            RecordBody::Reaction(Reaction::new(&situation, level, styles, felt, None).ok()?)
        } else if kind == 3 {
            let kind = ActivityKind::ALL[self.rng.below(ActivityKind::ALL.len())];
            let minutes = 10 + self.rng.below(80) as u32;
            let (before, after) = (self.rng.intensity(), self.rng.intensity());
            RecordBody::Activity(Activity::new(kind, minutes, Some("home"), before, after, None).ok()?)
        } else if kind == 4 {
            let kind = ReleaseKind::ALL[self.rng.below(ReleaseKind::ALL.len())];
            let before = self.text(8);
            let (level, relief) = (self.rng.intensity(), self.rng.intensity());
            RecordBody::Release(Release::new(kind, level, Some(&before), Some(relief), None).ok()?)
        } else if kind == 5 {
            let name = format!("Person {}", self.rng.below(1000));
            RecordBody::Person(Person::new(&name, Some("phone"), None).ok()?)
        } else {
            RecordBody::Assessment(self.assessment()?)
        };
        Some(body)
    }
}

impl Generator {
    /// A PHQ-9 (most often), GAD-7 or WHO-5 with plausible answers; PHQ-9 item 9 is now and then 1.
    fn assessment(&mut self) -> Option<crate::Assessment> {
        let roll = self.rng.below(100);
        let id = if roll < 45 {
            "phq9"
        } else if roll < 80 {
            "gad7"
        } else {
            "who5"
        };
        let inst = crate::instrument(id).ok()?;
        let level = self.rng.below(usize::from(inst.max_answer()) + 1);
        let mut answers: Vec<u8> = (0..inst.items.len())
            .map(|_| {
                let nudge = self.rng.below(3) as i64 - 1;
                (level as i64 + nudge).clamp(0, i64::from(inst.max_answer())) as u8
            })
            .collect();
        if id == "phq9" {
            answers[8] = u8::from(self.rng.chance(8));
        }
        let difficulty = inst.difficulty.as_ref().map(|_| self.rng.below(4) as u8);
        inst.score(&answers, difficulty).ok()
    }
}

impl Iterator for Generator {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while self.made < self.count {
            let ms = self.start_ms + self.made as i64 * self.step_ms + self.rng.below(60_000) as i64;
            self.made += 1;
            let due = self.meds.get(self.next_med).is_some_and(|(at, _)| *at <= ms);
            let body = if due {
                self.next_med += 1;
                Some(RecordBody::Medication(self.meds[self.next_med - 1].1.clone()))
            } else {
                self.body()
            };
            let Some(body) = body else { continue };
            let at = Timestamp::from_millis(ms)?;
            let mut random = [0u8; 10];
            random.copy_from_slice(&self.rng.next_u64().to_le_bytes().repeat(2)[..10]);
            let id = RecordId::from_uuid(Builder::from_unix_timestamp_millis(ms as u64, &random).into_uuid());
            return Some(Record { id, at, created_at: at, updated_at: at, body });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_records() {
        let end = Timestamp::from_millis(1_760_000_000_000).unwrap();
        let a: Vec<Record> = Generator::new(7, 500, 1, end).collect();
        let b: Vec<Record> = Generator::new(7, 500, 1, end).collect();
        assert_eq!(a, b);
        assert!(a.len() >= 495);
        assert!(a.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
        let c: Vec<Record> = Generator::new(8, 500, 1, end).collect();
        assert_ne!(a, c);
    }

    #[test]
    fn questionnaires_and_a_medication_timeline_that_fits_its_rules() {
        let end = Timestamp::from_millis(1_760_000_000_000).unwrap();
        let records: Vec<Record> = Generator::new(3, 100_000, 10, end).collect();
        let assessments = records.iter().filter(|r| matches!(r.body, RecordBody::Assessment(_))).count();
        assert!((200..300).contains(&assessments), "{assessments} questionnaires");
        let item9 = records
            .iter()
            .filter(|r| matches!(&r.body, RecordBody::Assessment(a) if a.item9().is_some_and(|v| v > 0)))
            .count();
        assert!(item9 > 0 && item9 < assessments / 4, "{item9} with item 9 above 0");
        let meds: Vec<&Record> =
            records.iter().filter(|r| matches!(r.body, RecordBody::Medication(_))).collect();
        assert_eq!(meds.len(), MED_PLAN.len());
        let mut so_far: Vec<Record> = Vec::new();
        for m in meds {
            crate::meds::check_new_event(&so_far, m).unwrap_or_else(|e| panic!("{e}"));
            so_far.push(m.clone());
        }
        let states = crate::meds::current_medications(&so_far);
        let names: Vec<&str> = states.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["bupropion", "mirtazapine", "sertraline"]);
        // One year works the same way.
        let year: Vec<Record> = Generator::new(3, 10_000, 1, end).collect();
        assert_eq!(
            year.iter().filter(|r| matches!(r.body, RecordBody::Medication(_))).count(),
            MED_PLAN.len()
        );
    }

    #[test]
    fn journal_entries_are_about_the_reference_size() {
        let end = Timestamp::from_millis(1_760_000_000_000).unwrap();
        let journals: Vec<usize> = Generator::new(1, 3_000, 1, end)
            .filter_map(|r| match r.body {
                RecordBody::Journal(j) => Some(j.body.len()),
                _ => None,
            })
            .collect();
        let mean = journals.iter().sum::<usize>() / journals.len();
        assert!((1_800..3_000).contains(&mean), "mean journal body {mean} bytes");
        assert!((700..1_100).contains(&journals.len()), "{} journal entries of 3000", journals.len());
    }
}
