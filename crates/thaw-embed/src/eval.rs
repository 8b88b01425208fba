//! The evaluation sets in `eval/` and how they are scored (docs/SAFETY.md, "How well the risk
//! check works"). `eval/risk.jsonl`: labelled sentences and short entries; `eval/suggest.jsonl`:
//! short texts with the vocabulary words a person might pick; `eval/risk-dev2.jsonl` and
//! `eval/suggest-dev2.jsonl`: more dev cases, written later from new kinds of writing;
//! `eval/risk-dev3.jsonl`, `eval/suggest-dev3.jsonl` and the `-dev4` … `-dev10` pairs:
//! dev cases from later writers (none saw any exemplar, phrase, case or code). Each case
//! belongs to a split: "dev" (used to choose exemplars, thresholds and the weights), "test" (held
//! out: only reported) or any other name (a set written later, such as "fresh": only reported).
//! Reports go over every split present ([`splits`]), so a new one needs no code change.

use serde::Deserialize;
use thaw_core::vocab::Vocabulary;

use crate::suggest::{Suggester, keyword_baseline};
use crate::{EmbedError, SafetyNet};

const RISK_JSONL: &[&str] = &[
    include_str!("../eval/risk.jsonl"),
    include_str!("../eval/risk-dev2.jsonl"),
    include_str!("../eval/risk-dev3.jsonl"),
    include_str!("../eval/risk-dev4.jsonl"),
    include_str!("../eval/risk-dev5.jsonl"),
    include_str!("../eval/risk-dev6.jsonl"),
    include_str!("../eval/risk-dev7.jsonl"),
    include_str!("../eval/risk-dev8.jsonl"),
    include_str!("../eval/risk-dev9.jsonl"),
    include_str!("../eval/risk-dev10.jsonl"),
];
const SUGGEST_JSONL: &[&str] = &[
    include_str!("../eval/suggest.jsonl"),
    include_str!("../eval/suggest-dev2.jsonl"),
    include_str!("../eval/suggest-dev3.jsonl"),
    include_str!("../eval/suggest-dev4.jsonl"),
    include_str!("../eval/suggest-dev5.jsonl"),
    include_str!("../eval/suggest-dev6.jsonl"),
    include_str!("../eval/suggest-dev7.jsonl"),
    include_str!("../eval/suggest-dev8.jsonl"),
    include_str!("../eval/suggest-dev9.jsonl"),
    include_str!("../eval/suggest-dev10.jsonl"),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskCase {
    pub text: String,
    /// Whether crisis resources should follow (for the writer, or worry for someone else now).
    pub risk: bool,
    /// What sort of case it is (`plan`, `idiom`, `long` …), for the report.
    pub kind: String,
    pub about: String,
    pub split: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestCase {
    pub text: String,
    pub words: Vec<String>,
    pub split: String,
}

fn parse<T: for<'de> Deserialize<'de>>(files: &[&str]) -> Vec<T> {
    files
        .iter()
        .enumerate()
        .flat_map(|(f, text)| {
            text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(move |(i, l)| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("eval file {f}, line {}: {e}", i + 1))
            })
        })
        .collect()
}

/// The risk cases of one split ("dev", "test", any other split in the files, or "all").
pub fn risk_cases(split: &str) -> Vec<RiskCase> {
    parse::<RiskCase>(RISK_JSONL).into_iter().filter(|c| split == "all" || c.split == split).collect()
}

/// The suggestion cases of one split ("dev", "test", any other split in the files, or "all").
pub fn suggest_cases(split: &str) -> Vec<SuggestCase> {
    parse::<SuggestCase>(SUGGEST_JSONL).into_iter().filter(|c| split == "all" || c.split == split).collect()
}

/// The names of the evaluation files, in the order they are read: the first set, then the dev
/// material of later writers (each measured as unseen material before anything was tuned on it).
pub const RISK_FILES: [&str; 10] = [
    "risk.jsonl",
    "risk-dev2.jsonl",
    "risk-dev3.jsonl",
    "risk-dev4.jsonl",
    "risk-dev5.jsonl",
    "risk-dev6.jsonl",
    "risk-dev7.jsonl",
    "risk-dev8.jsonl",
    "risk-dev9.jsonl",
    "risk-dev10.jsonl",
];

/// The risk cases of one file alone (an index into [`RISK_FILES`]).
pub fn risk_file_cases(file: usize) -> Vec<RiskCase> {
    RISK_JSONL.get(file).map(|f| parse::<RiskCase>(&[f])).unwrap_or_default()
}

/// The suggestion cases of one file alone (the same order: suggest.jsonl, suggest-dev2.jsonl …).
pub fn suggest_file_cases(file: usize) -> Vec<SuggestCase> {
    SUGGEST_JSONL.get(file).map(|f| parse::<SuggestCase>(&[f])).unwrap_or_default()
}

/// For each case of `risk_cases(split)`, the file it comes from (which writer).
pub fn risk_sources(split: &str) -> Vec<usize> {
    (0..RISK_JSONL.len())
        .flat_map(|f| risk_file_cases(f).into_iter().filter(|c| c.split == split).map(move |_| f))
        .collect()
}

/// For each case of `suggest_cases(split)`, the file it comes from.
pub fn suggest_sources(split: &str) -> Vec<usize> {
    (0..SUGGEST_JSONL.len())
        .flat_map(|f| suggest_file_cases(f).into_iter().filter(|c| c.split == split).map(move |_| f))
        .collect()
}

/// The splits present in the files: "dev" first, "test" next, then any others in the order they
/// first appear (a set appended later, such as "fresh").
pub fn splits(cases: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in cases {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    let rank = |s: &String| match s.as_str() {
        "dev" => 0,
        "test" => 1,
        _ => 2,
    };
    out.sort_by_key(rank);
    out
}

/// The splits of the risk set.
pub fn risk_splits() -> Vec<String> {
    splits(risk_cases("all").into_iter().map(|c| c.split))
}

/// The splits of the suggestion set.
pub fn suggest_splits() -> Vec<String> {
    splits(suggest_cases("all").into_iter().map(|c| c.split))
}

/// A confusion count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    pub fn add(&mut self, truth: bool, said: bool) {
        match (truth, said) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Share of the safe cases that were flagged.
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Per-layer results on one split.
#[derive(Debug, Clone, Default)]
pub struct RiskReport {
    pub cases: usize,
    pub phrase: Counts,
    pub semantic: Counts,
    pub combined: Counts,
    /// Risk cases nothing flagged.
    pub missed: Vec<String>,
    /// Safe cases that were flagged.
    pub false_alarms: Vec<String>,
    /// Whether each case was flagged, in order.
    pub flagged: Vec<bool>,
}

/// Runs the whole check over the cases.
pub fn evaluate_risk(net: &SafetyNet, cases: &[RiskCase]) -> RiskReport {
    let mut r = RiskReport { cases: cases.len(), ..RiskReport::default() };
    for c in cases {
        let check = net.check(&c.text);
        r.phrase.add(c.risk, check.phrase);
        r.semantic.add(c.risk, check.semantic);
        r.combined.add(c.risk, check.is_hit());
        r.flagged.push(check.is_hit());
        if c.risk && !check.is_hit() {
            r.missed.push(c.text.clone());
        }
        if !c.risk && check.is_hit() {
            let why: Vec<String> = check
                .hits
                .iter()
                .map(|h| {
                    format!(
                        "{:?}:{}{}",
                        h.layer,
                        h.kind,
                        h.score.map(|s| format!(" {s:.2}")).unwrap_or_default()
                    )
                })
                .collect();
            r.false_alarms.push(format!("{} [{}]", c.text, why.join(", ")));
        }
    }
    r
}

/// Whether a risky text the check flags on its own is still flagged inside a calm entry.
#[derive(Debug, Clone, Default)]
pub struct Buried {
    /// Risky texts flagged alone.
    pub risky: usize,
    /// Of those, still flagged between two calm texts.
    pub kept: usize,
    /// The risky texts lost that way.
    pub lost: Vec<String>,
    /// Entries of three calm texts together (as many as `risky`) that were flagged.
    pub calm_flagged: usize,
}

impl Buried {
    pub fn kept_rate(&self) -> f64 {
        if self.risky == 0 { 1.0 } else { self.kept as f64 / self.risky as f64 }
    }
    pub fn calm_rate(&self) -> f64 {
        if self.risky == 0 { 0.0 } else { self.calm_flagged as f64 / self.risky as f64 }
    }
}

/// Each risky case `report` says was flagged alone, placed between two safe cases of the same
/// split that were not (a line break between the three), is checked again; and, as many times,
/// three such safe cases together. A person who hides one heavy line in an ordinary day's entry
/// must get the same answer as one who writes only that line. At most `limit` risky cases, spread
/// evenly over the split.
pub fn evaluate_buried(net: &SafetyNet, cases: &[RiskCase], report: &RiskReport, limit: usize) -> Buried {
    evaluate_buried_from(net, cases, report, report, limit)
}

/// [`evaluate_buried`] with the risky texts to bury taken from another report (`risky_from`: for
/// example the check's first opinion alone, which reads each sentence on its own, so that calm
/// company must never take away what it flags); the calm company still from `calm_from`.
pub fn evaluate_buried_from(
    net: &SafetyNet,
    cases: &[RiskCase],
    calm_from: &RiskReport,
    risky_from: &RiskReport,
    limit: usize,
) -> Buried {
    let flagged = |r: &RiskReport, i: usize| r.flagged.get(i).copied().unwrap_or(false);
    let calm: Vec<&str> = cases
        .iter()
        .enumerate()
        .filter(|(i, c)| !c.risk && !flagged(calm_from, *i))
        .map(|(_, c)| c.text.as_str())
        .collect();
    let mut risky: Vec<&str> = cases
        .iter()
        .enumerate()
        .filter(|(i, c)| c.risk && flagged(risky_from, *i))
        .map(|(_, c)| c.text.as_str())
        .collect();
    let limit = limit.max(1);
    if risky.len() > limit {
        let step = risky.len() as f64 / limit as f64;
        risky = (0..limit).map(|k| risky[(k as f64 * step) as usize]).collect();
    }
    let mut out = Buried::default();
    if calm.len() < 3 {
        return out;
    }
    let n = calm.len();
    for (i, r) in risky.iter().enumerate() {
        out.risky += 1;
        let (a, b, c) = (calm[(3 * i) % n], calm[(3 * i + 1) % n], calm[(3 * i + 2) % n]);
        if net.check(&format!("{a}\n{r}\n{b}")).is_hit() {
            out.kept += 1;
        } else {
            out.lost.push((*r).to_owned());
        }
        if net.check(&format!("{a}\n{b}\n{c}")).is_hit() {
            out.calm_flagged += 1;
        }
    }
    out
}

/// Top-5 hit rate: the share of cases where at least one of the person's words is offered.
#[derive(Debug, Clone, Default)]
pub struct SuggestReport {
    pub cases: usize,
    pub model_hits: usize,
    pub baseline_hits: usize,
    pub missed: Vec<String>,
}

impl SuggestReport {
    pub fn model_rate(&self) -> f64 {
        ratio(self.model_hits, self.cases)
    }
    pub fn baseline_rate(&self) -> f64 {
        ratio(self.baseline_hits, self.cases)
    }
}

/// Scores the suggester and the keyword baseline on the cases.
pub fn evaluate_suggest(
    suggester: &Suggester,
    vocabulary: &Vocabulary,
    cases: &[SuggestCase],
) -> Result<SuggestReport, EmbedError> {
    let mut r = SuggestReport { cases: cases.len(), ..SuggestReport::default() };
    for c in cases {
        // A dev text is never its own neighbour (leave-one-out on dev; no change elsewhere).
        let offered = suggester.suggest_unseen(&c.text, &[], &|_| false)?;
        if offered.iter().any(|s| c.words.contains(&s.word)) {
            r.model_hits += 1;
        } else {
            let words: Vec<&str> = offered.iter().map(|s| s.word.as_str()).collect();
            r.missed.push(format!("{} → {} (wanted {})", c.text, words.join(", "), c.words.join(", ")));
        }
        if keyword_baseline(&c.text, vocabulary).iter().any(|w| c.words.contains(w)) {
            r.baseline_hits += 1;
        }
    }
    Ok(r)
}

/// For the benchmarks and the probe: a 2,000-character entry of 40 different sentences (none repeated: repeated sentences are
/// encoded once, which would flatter the figure).
pub fn sample_entry() -> String {
    let sentences = [
        "Today started slowly and I stayed in bed longer than I meant to.",
        "The light through the curtains was grey and the flat was cold.",
        "I made coffee and forgot about it until it was cold too.",
        "Work was a blur of emails and I kept losing my train of thought.",
        "My manager asked for the report again and I said it was nearly done.",
        "It isn't nearly done, and I don't know why I said that.",
        "At lunch I walked to the park and sat on a bench for a while.",
        "There were ducks arguing over a crust of bread.",
        "A child laughed at them and I noticed I didn't smile.",
        "I used to love that park in the autumn.",
        "Back at my desk I read the same paragraph four times.",
        "Around three I felt a heaviness behind my eyes.",
        "Not tears exactly, more like weather that never arrives.",
        "My sister called in the evening and we talked about our mum.",
        "She is worried about the hospital appointment next week.",
        "I said the right things, I think, but I felt far away.",
        "After the call I sat in the kitchen without turning the light on.",
        "Then I made soup from the vegetables that were going soft.",
        "Chopping helped, the rhythm of it.",
        "I watched an old film we used to watch as kids.",
        "There is a scene near the end that always got me.",
        "Tonight it didn't, and that scared me a little.",
        "I wrote a list of things to do tomorrow.",
        "Call the GP about the new tablets.",
        "Answer Sam's message from last week.",
        "Go outside before noon, even just to the corner shop.",
        "My therapist says small things count.",
        "I'm trying to believe her.",
        "The neighbours are playing music through the wall.",
        "It's a song I know but can't name.",
        "I might look it up tomorrow.",
        "Bed soon, with the window open a crack.",
        "Maybe the cold air will help me sleep.",
        "Earlier the bus was late and I stood in the drizzle for twenty minutes.",
        "A woman next to me was on the phone to her daughter, laughing.",
        "I tried to remember the last time I laughed like that.",
        "The supermarket had run out of the bread I like.",
        "I bought the other one and it was fine.",
        "On the way home I noticed the first Christmas lights on our street.",
        "They looked pretty, I could see that, even if I couldn't feel it.",
    ];
    let mut text = sentences.join(" ");
    text.truncate(2000);
    text
}
