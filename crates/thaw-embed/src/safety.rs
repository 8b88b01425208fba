//! The risk check, in two layers:
//!
//! - the **phrase layer**: `thaw_core::safety::risk` (content/risk_phrases.toml), always on;
//! - the **semantic layer**: each sentence compared by meaning with Thaw's own short exemplars
//!   (content/risk_exemplars.toml) of risk and of benign look-alikes, when the model is loaded.
//!
//! Either layer is enough for a hit. When the model can't be loaded the phrase layer works alone
//! and [`RiskCheck::model_available`] says so, so the caller can mention it once.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use thaw_core::safety::risk::{About, risk_phrases};

use crate::{EmbedError, Embedding, Model, sentences};

/// Benign kinds that may set aside a phrase-layer hit. Never "low-but-safe" (low mood next to a
/// risk phrase is no reason to stay quiet) nor "negated" (the phrase layer reads negation itself,
/// and embeddings barely tell "I want to die" from "I don't want to die").
const VETO_KINDS: &[&str] = &["others-loss", "prevention-news", "resolved-past", "idiom"];

const EXEMPLARS_TOML: &str = include_str!("../../../content/risk_exemplars.toml");

/// Which layer found a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Phrase,
    Semantic,
}

/// One hit. Names the kind of risk, never the words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskHit {
    pub layer: Layer,
    /// A phrase group of risk_phrases.toml (`wish-to-die` …) or a risk kind of
    /// risk_exemplars.toml (`plan-means` …).
    pub kind: String,
    /// Whose distress it is about, as far as simple rules can tell.
    pub about: About,
    /// For semantic hits: which sentence (0-based, in [`sentences::split`] order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<usize>,
    /// For semantic hits: the similarity to the nearest risk meaning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RiskCheck {
    pub hits: Vec<RiskHit>,
    /// Whether the phrase layer found anything.
    pub phrase: bool,
    /// Whether the semantic layer found anything.
    pub semantic: bool,
    /// Whether the semantic layer ran (false: the model isn't installed, failed, or was busy).
    pub model_available: bool,
    /// Whether the semantic layer was skipped because the model stayed busy with other texts for
    /// the whole wait of its gate ([`crate::gate`]): the phrase layer answered alone.
    pub model_busy: bool,
}

impl RiskCheck {
    /// Whether anything was found (so crisis resources should be shown).
    pub fn is_hit(&self) -> bool {
        !self.hits.is_empty()
    }

    /// Whether some hit is about the writer (otherwise all are about someone else).
    pub fn about_writer(&self) -> bool {
        self.hits.iter().any(|h| h.about == About::Writer)
    }

    /// The kinds found, sorted, without repeats.
    pub fn kinds(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.hits.iter().map(|h| h.kind.as_str()).collect();
        k.sort_unstable();
        k.dedup();
        k
    }
}

/// When a sentence counts, from [thresholds] in risk_exemplars.toml.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub risk: f32,
    pub margin: f32,
    pub strong: f32,
    /// A phrase-layer hit is set aside when the model is loaded and its sentence is at least this
    /// much closer to a benign meaning of a resolving kind (someone else's loss, prevention and
    /// news, a resolved past, an idiom) than to any risk meaning.
    pub veto: f32,
    /// The trained model's threshold (from `[model]`; not read from `[thresholds]`).
    #[serde(skip)]
    pub model_threshold: f32,
    /// A phrase-layer hit is also set aside when the trained model gives its sentence a
    /// probability under this (from `[model]`'s `phrase_floor`; 0 sets nothing aside).
    #[serde(skip)]
    pub model_floor: f32,
    /// The second opinion's threshold (from `[second]`; see [`Exemplars::second`]).
    #[serde(skip)]
    pub second_threshold: f32,
}

impl Thresholds {
    /// Whether a sentence with these scores counts as risk language: the trained model's
    /// decision when there is one, else the similarity thresholds.
    pub fn fires(&self, s: &SentenceScore) -> bool {
        match s.prob {
            // The second opinion can only add a sentence, never take one away.
            Some(p) => p >= self.model_threshold || s.second.is_some_and(|q| q >= self.second_threshold),
            None => s.risk >= self.strong || (s.risk >= self.risk && s.risk - s.benign >= self.margin),
        }
    }

    /// Whether a phrase-layer hit in a sentence with these scores is set aside: the sentence is
    /// clearly closer to a resolving look-alike than to any risk meaning, or the trained model is
    /// sure enough that it is safe ("kms if I have to sit through one more meeting").
    pub fn vetoes(&self, s: &SentenceScore) -> bool {
        (VETO_KINDS.contains(&s.benign_kind.as_str()) && s.benign - s.risk >= self.veto)
            || s.prob.is_some_and(|p| p < self.model_floor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    id: String,
    sentences: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExemplarFile {
    version: u32,
    thresholds: Thresholds,
    risk: Vec<Group>,
    benign: Vec<Group>,
    model: Option<ModelSection>,
    second: Option<ModelSection>,
}

/// The `[model]` section: a logistic model over similarity features, trained on the dev half
/// (`cargo run -p thaw-embed --example eval --release -- --train` writes it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSection {
    /// [`exemplar_fingerprint`] of the exemplars it was trained with.
    exemplars: String,
    threshold: f32,
    /// Under this probability a sentence's phrase-layer hit is set aside (0: never).
    #[serde(default)]
    phrase_floor: f32,
    bias: f32,
    /// The weights of the sentence's own vector (`vector:0` …), when the model has them.
    #[serde(default)]
    vector: Vec<f32>,
    /// The weights of the sentence's earlier layers (`layer1:0` … `layer5:383`), when it has them.
    #[serde(default)]
    depth: Vec<f32>,
    /// The weights of the text's context (`context:0` …), when it has them.
    #[serde(default)]
    context: Vec<f32>,
    weights: std::collections::BTreeMap<String, f32>,
}

/// The shipped exemplars: (kind, sentence) for risk and for benign, and the thresholds.
#[derive(Debug, Clone)]
pub struct Exemplars {
    pub version: u32,
    pub thresholds: Thresholds,
    pub risk: Vec<(String, String)>,
    pub benign: Vec<(String, String)>,
    /// The trained sentence model, when the file has one for these exemplars.
    pub linear: Option<Linear>,
    /// A second opinion (`[second]`), when the file has one: a model that also reads the
    /// sentence's text around it. A sentence counts when either model says so, so calm company
    /// can never talk the check out of what the sentence says alone.
    pub second: Option<Linear>,
    /// Whether the file's `[model]` or `[second]` was trained with other exemplars (then it isn't
    /// used).
    pub stale_model: bool,
}

impl Exemplars {
    /// Parses and checks an exemplar file.
    pub fn parse(text: &str) -> Result<Exemplars, String> {
        let f: ExemplarFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let t = f.thresholds;
        if !(0.0..=1.0).contains(&t.risk)
            || !(0.0..=1.0).contains(&t.strong)
            || !(0.0..=1.0).contains(&t.margin)
        {
            return Err("thresholds must be between 0 and 1".to_owned());
        }
        let flat = |groups: Vec<Group>| -> Result<Vec<(String, String)>, String> {
            let mut out = Vec::new();
            for g in groups {
                if g.sentences.is_empty() {
                    return Err(format!("group \"{}\" is empty", g.id));
                }
                out.extend(g.sentences.into_iter().map(|s| (g.id.clone(), s)));
            }
            Ok(out)
        };
        let risk = flat(f.risk)?;
        let benign = flat(f.benign)?;
        if risk.is_empty() || benign.is_empty() {
            return Err("both risk and benign meanings are needed".to_owned());
        }
        let mut ex = Exemplars {
            version: f.version,
            thresholds: t,
            risk,
            benign,
            linear: None,
            second: None,
            stale_model: false,
        };
        if let Some(m) = f.model {
            ex.linear = ex.read_model("model", m)?;
            ex.stale_model |= ex.linear.is_none();
        }
        if let Some(m) = f.second {
            ex.second = ex.read_model("second", m)?;
            ex.stale_model |= ex.second.is_none();
        }
        Ok(ex)
    }

    /// A trained model section (`[model]`, `[second]`) as a [`Linear`]; `None` when it was
    /// trained with other exemplars (then it isn't used).
    fn read_model(&self, section: &str, m: ModelSection) -> Result<Option<Linear>, String> {
        let names = crate::learn::feature_names(self);
        if let Some(unknown) = m.weights.keys().find(|k| !names.contains(k)) {
            return Err(format!("[{section}.weights] has an unknown feature \"{unknown}\""));
        }
        if !(0.0..=1.0).contains(&m.threshold) || !(0.0..=1.0).contains(&m.phrase_floor) {
            return Err(format!("[{section}] threshold and phrase_floor must be between 0 and 1"));
        }
        for (key, list, len) in [
            ("vector", &m.vector, crate::DIM),
            ("depth", &m.depth, crate::DEPTH),
            ("context", &m.context, crate::learn::CONTEXT),
        ] {
            if !list.is_empty() && list.len() != len {
                return Err(format!("[{section}] {key} must have {len} weights"));
            }
        }
        if m.exemplars != exemplar_fingerprint(self) {
            return Ok(None);
        }
        // The listed weights follow the names' order: the vector's, the depth's, then the
        // context's (missing ones 0).
        let listed: Vec<f32> = [(&m.vector, crate::DIM), (&m.depth, crate::DEPTH)]
            .into_iter()
            .chain([(&m.context, crate::learn::CONTEXT)])
            .flat_map(|(list, len)| (0..len).map(|i| list.get(i).copied().unwrap_or(0.0)))
            .collect();
        let first_listed = names.len() - listed.len();
        let weights = names
            .iter()
            .enumerate()
            .map(|(i, n)| match i.checked_sub(first_listed) {
                Some(j) => listed[j],
                None => m.weights.get(n).copied().unwrap_or(0.0),
            })
            .collect();
        Ok(Some(Linear { bias: m.bias, weights, threshold: m.threshold, phrase_floor: m.phrase_floor }))
    }
}

/// A fingerprint of the exemplar sentences and their kinds (hex), so a trained model is used only
/// with the exemplars it was trained with.
pub fn exemplar_fingerprint(ex: &Exemplars) -> String {
    let mut parts: Vec<&[u8]> = Vec::new();
    for (kind, sentence) in ex.risk.iter().chain(&ex.benign) {
        parts.push(kind.as_bytes());
        parts.push(sentence.as_bytes());
    }
    format!("{:016x}", crate::cache::fingerprint(&parts, ex.risk.len()))
}

/// A logistic model over a sentence's similarity features ([`crate::learn::features`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub bias: f32,
    /// One weight per feature, in [`crate::learn::feature_names`] order.
    pub weights: Vec<f32>,
    /// A sentence counts when its probability is at least this.
    pub threshold: f32,
    /// A phrase-layer hit in a sentence whose probability is under this is set aside (chosen by
    /// cross-validation on dev, like the threshold; 0 sets nothing aside).
    pub phrase_floor: f32,
}

impl Linear {
    /// The probability that a sentence with these features is risk language.
    pub fn prob(&self, features: &[f32]) -> f32 {
        let z = self.bias + self.weights.iter().zip(features).map(|(w, x)| w * x).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// The exemplars shipped with Thaw.
pub fn exemplars() -> &'static Exemplars {
    static EX: OnceLock<Exemplars> = OnceLock::new();
    EX.get_or_init(|| {
        Exemplars::parse(EXEMPLARS_TOML).expect("content/risk_exemplars.toml is valid (unit test)")
    })
}

/// How close one sentence is to the nearest risk and benign meanings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceScore {
    pub risk: f32,
    pub risk_kind: String,
    pub benign: f32,
    pub benign_kind: String,
    /// The trained model's probability (when the exemplar file has a current `[model]`).
    pub prob: Option<f32>,
    /// The second opinion's probability (when the file has a current `[second]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second: Option<f32>,
}

/// The semantic layer: the model and the embedded exemplars.
#[derive(Debug)]
pub struct Semantic {
    model: Arc<Model>,
    risk: Vec<Embedding>,
    benign: Vec<Embedding>,
    thresholds: Thresholds,
    linear: Option<Linear>,
    /// The second opinion ([`Exemplars::second`]).
    second: Option<Linear>,
    /// The dev half's labelled sentences, neighbours for the trained model (empty without one).
    /// Their vectors are moved into `table`.
    pool: crate::learn::DevPool,
    /// Every meaning and neighbour a sentence is compared with, one row each: the risk
    /// exemplars, the benign exemplars, then the pool's sentences. A text's similarities are then
    /// one matrix product (a 2,000-character entry against the ~7,000 neighbours: about 20 ms
    /// pair by pair on two cores, a few as a product).
    table: Table,
}

/// For each of `vectors`, its highest similarity to any of `against` (all of length 1), as one
/// matrix product.
pub(crate) fn nearest_similarity(
    vectors: &[&Embedding],
    against: &[Embedding],
) -> Result<Vec<f32>, EmbedError> {
    if vectors.is_empty() || against.is_empty() {
        return Ok(vec![f32::MIN; vectors.len()]);
    }
    let table = Table::build(&against.iter().collect::<Vec<_>>())?;
    let q = Table::build(vectors)?;
    let run = || -> candle_core::Result<Vec<f32>> { q.rows.matmul(&table.rows.t()?)?.max(1)?.to_vec1() };
    run().map_err(|e| EmbedError::Run(e.to_string()))
}

/// The comparison matrix of [`Semantic`].
#[derive(Debug)]
struct Table {
    rows: candle_core::Tensor,
}

impl Table {
    /// One matrix of `vectors`, in order.
    fn build(vectors: &[&Embedding]) -> Result<Table, EmbedError> {
        let flat: Vec<f32> = vectors.iter().flat_map(|v| v.iter()).copied().collect();
        let rows =
            candle_core::Tensor::from_vec(flat, (vectors.len(), crate::DIM), &candle_core::Device::Cpu)
                .map_err(|e| EmbedError::Run(e.to_string()))?;
        Ok(Table { rows })
    }

    /// Each vector's similarity to every row (dot products: all have length 1).
    fn similarities(&self, vectors: &[Embedding]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let q = Table::build(&vectors.iter().collect::<Vec<_>>())?;
        let run = || -> candle_core::Result<Vec<Vec<f32>>> { q.rows.matmul(&self.rows.t()?)?.to_vec2() };
        run().map_err(|e| EmbedError::Run(e.to_string()))
    }
}

impl Semantic {
    /// Embeds the shipped exemplars (kept in the model folder's cache after the first time).
    pub fn new(model: Arc<Model>) -> Result<Semantic, EmbedError> {
        let ex = exemplars();
        let risk_texts: Vec<&str> = ex.risk.iter().map(|(_, s)| s.as_str()).collect();
        let benign_texts: Vec<&str> = ex.benign.iter().map(|(_, s)| s.as_str()).collect();
        let risk = model.embed_shipped("risk", &risk_texts)?;
        let benign = model.embed_shipped("benign", &benign_texts)?;
        let mut thresholds = ex.thresholds;
        thresholds.model_threshold = ex.linear.as_ref().map_or(0.5, |l| l.threshold);
        thresholds.model_floor = ex.linear.as_ref().map_or(0.0, |l| l.phrase_floor);
        thresholds.second_threshold = ex.second.as_ref().map_or(1.0, |l| l.threshold);
        let mut pool = if ex.linear.is_some() {
            crate::learn::dev_pool(&model, &risk)?
        } else {
            crate::learn::DevPool::default()
        };
        let vectors = std::mem::take(&mut pool.vectors);
        let table = Table::build(&risk.iter().chain(&benign).chain(&vectors).collect::<Vec<_>>())?;
        let (linear, second) = (ex.linear.clone(), ex.second.clone());
        Ok(Semantic { model, risk, benign, thresholds, linear, second, pool, table })
    }

    /// The same layer with other thresholds (for evaluation).
    pub fn with_thresholds(mut self, t: Thresholds) -> Semantic {
        self.thresholds = t;
        self
    }

    /// The same layer with another trained model, or none (the similarity thresholds alone), for
    /// training and evaluation.
    pub fn with_linear(mut self, linear: Option<Linear>) -> Semantic {
        if let Some(l) = &linear {
            self.thresholds.model_threshold = l.threshold;
            self.thresholds.model_floor = l.phrase_floor;
        }
        self.linear = linear;
        self
    }

    /// The same layer with another second opinion, or none (for training and evaluation).
    pub fn with_second(mut self, second: Option<Linear>) -> Semantic {
        if let Some(l) = &second {
            self.thresholds.second_threshold = l.threshold;
        }
        self.second = second;
        self
    }

    /// The second opinion in use, if any.
    pub fn second(&self) -> Option<&Linear> {
        self.second.as_ref()
    }

    /// The trained model in use, if any.
    pub fn linear(&self) -> Option<&Linear> {
        self.linear.as_ref()
    }

    /// The embedded exemplars: (risk, benign), in [`Exemplars`] order.
    pub fn exemplar_vectors(&self) -> (&[Embedding], &[Embedding]) {
        (&self.risk, &self.benign)
    }

    /// The model.
    pub fn model(&self) -> &Arc<Model> {
        &self.model
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// The scores of each sentence of `text`, with the sentence.
    pub fn scores<'t>(&self, text: &'t str) -> Result<Vec<(&'t str, SentenceScore)>, EmbedError> {
        let parts = sentences::split(text);
        let scores = self.score_parts(text, &parts)?;
        Ok(parts.into_iter().zip(scores).collect())
    }

    fn score_parts(&self, text: &str, parts: &[&str]) -> Result<Vec<SentenceScore>, EmbedError> {
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let (vectors, depth): (Vec<Embedding>, Vec<crate::Depth>) =
            self.model.embed_deep(parts)?.into_iter().unzip();
        self.score_vectors(&vectors, &depth, &can_fire(phrase_marks(text, parts)))
    }

    /// The scores of sentences already encoded (`depth`: each one's [`crate::Depth`], as
    /// [`Model::encode_sentences`] gives it; missing ones count as 0). `can_fire` says which
    /// sentences the check may let fire (not those whose risk words the phrase layer saw denied,
    /// see [`phrase_marks`]; missing ones may): the text's context is read over those.
    pub fn score_vectors(
        &self,
        vectors: &[Embedding],
        depth: &[crate::Depth],
        can_fire: &[bool],
    ) -> Result<Vec<SentenceScore>, EmbedError> {
        if vectors.is_empty() {
            return Ok(Vec::new());
        }
        let ex = exemplars();
        // Only a model with context weights reads the context.
        let reads_context = [&self.linear, &self.second].into_iter().flatten().any(|l| {
            l.weights.len() >= crate::learn::CONTEXT
                && l.weights[l.weights.len() - crate::learn::CONTEXT..].iter().any(|w| *w != 0.0)
        });
        let context = if reads_context {
            crate::learn::context(
                vectors
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| can_fire.get(*i).copied().unwrap_or(true))
                    .map(|(i, v)| (v, depth.get(i).map_or(&[][..], |d| &d[..]))),
            )
        } else {
            Vec::new()
        };
        let (r_len, b_len) = (self.risk.len(), self.benign.len());
        let rows = self.table.similarities(vectors)?;
        Ok(vectors
            .iter()
            .zip(&rows)
            .enumerate()
            .map(|(i, (v, row))| {
                // The table's rows: risk meanings, benign meanings, then the pool's sentences.
                let (rs, rest) = row.split_at(r_len);
                let (bs, pool) = rest.split_at(b_len);
                let (ri, r) = best(rs);
                let (bi, b) = best(bs);
                let features = self.linear.as_ref().map(|_| {
                    let (mut risky, mut safe) = (Vec::new(), Vec::new());
                    for (s, &is_risky) in pool.iter().zip(&self.pool.risky) {
                        if is_risky { risky.push(*s) } else { safe.push(*s) }
                    }
                    let deep = depth.get(i).map_or(&[][..], |d| &d[..]);
                    let own = crate::learn::Reading { vector: v, depth: deep, context: &context };
                    crate::learn::features(ex, &own, rs, bs, &risky, &safe)
                });
                let prob_of = |l: &Option<Linear>| Some(l.as_ref()?.prob(features.as_ref()?));
                SentenceScore {
                    risk: r,
                    risk_kind: ex.risk[ri].0.clone(),
                    benign: b,
                    benign_kind: ex.benign[bi].0.clone(),
                    prob: prob_of(&self.linear),
                    second: prob_of(&self.second),
                }
            })
            .collect())
    }
}

fn best(sims: &[f32]) -> (usize, f32) {
    sims.iter().copied().enumerate().fold((0, f32::MIN), |a, b| if b.1 > a.1 { b } else { a })
}

/// For each sentence of `text` (`parts`, slices of it): whether the phrase layer saw risk words
/// denied in it ("I don't want to die") and whether it saw them affirmed.
pub fn phrase_marks(text: &str, parts: &[&str]) -> (Vec<bool>, Vec<bool>) {
    marks_of(&risk_phrases().scan_marked(text), text, parts)
}

/// Which sentences the check may let fire, from [`phrase_marks`]: not those whose risk words the
/// phrase layer saw denied, unless it also saw risk words affirmed there.
pub fn can_fire((denied, affirmed): (Vec<bool>, Vec<bool>)) -> Vec<bool> {
    denied.iter().zip(&affirmed).map(|(d, a)| !d || *a).collect()
}

/// [`phrase_marks`] from the phrase layer's marks already found in `text`.
fn marks_of(
    marked: &[(thaw_core::safety::risk::RiskMatch, bool)],
    text: &str,
    parts: &[&str],
) -> (Vec<bool>, Vec<bool>) {
    let first_words = sentence_first_words(text, parts);
    let sentence_of = |word: usize| first_words.iter().rposition(|&f| f <= word).unwrap_or(0);
    let mut denied = vec![false; parts.len()];
    let mut affirmed = vec![false; parts.len()];
    for (m, negated) in marked {
        let i = sentence_of(m.word);
        if i < parts.len() {
            if *negated {
                denied[i] = true;
            } else {
                affirmed[i] = true;
            }
        }
    }
    (denied, affirmed)
}

/// The whole risk check: the phrase layer always, the semantic layer when the model loaded.
#[derive(Debug)]
pub struct SafetyNet {
    semantic: Option<Semantic>,
    unavailable: Option<EmbedError>,
}

impl SafetyNet {
    /// Looks for the model (see the crate docs for where) and sets up both layers; when the model
    /// can't be loaded, the phrase layer alone, with the reason kept for [`SafetyNet::unavailable`].
    pub fn load(data_dir: Option<&std::path::Path>) -> SafetyNet {
        match Model::find_and_load(data_dir) {
            Ok(model) => SafetyNet::with_model(Arc::new(model)),
            Err(e) => SafetyNet::phrase_only(Some(e)),
        }
    }

    /// Both layers over an already loaded model (share it with a [`crate::Suggester`]).
    pub fn with_model(model: Arc<Model>) -> SafetyNet {
        match Semantic::new(model) {
            Ok(s) => SafetyNet { semantic: Some(s), unavailable: None },
            Err(e) => SafetyNet::phrase_only(Some(e)),
        }
    }

    /// The phrase layer alone; `reason` says why the model isn't there.
    pub fn phrase_only(reason: Option<EmbedError>) -> SafetyNet {
        SafetyNet { semantic: None, unavailable: reason }
    }

    /// A net over a given semantic layer (for evaluation with other thresholds).
    pub fn with_semantic(semantic: Semantic) -> SafetyNet {
        SafetyNet { semantic: Some(semantic), unavailable: None }
    }

    /// Whether the semantic layer is on.
    pub fn model_available(&self) -> bool {
        self.semantic.is_some()
    }

    /// Why the semantic layer is off (to be said once, not on every save).
    pub fn unavailable(&self) -> Option<&EmbedError> {
        self.unavailable.as_ref()
    }

    pub fn semantic(&self) -> Option<&Semantic> {
        self.semantic.as_ref()
    }

    /// Checks `text`. Text without a letter returns at once, without touching the model.
    ///
    /// With the model: each sentence is scored; a sentence close to a risk meaning is a semantic
    /// hit unless the phrase layer saw it deny the risk ("I don't want to die"); a phrase hit is
    /// set aside only when its sentence is clearly closer to a resolving look-alike (see
    /// [`Thresholds::vetoes`]).
    pub fn check(&self, text: &str) -> RiskCheck {
        let mut out = RiskCheck { model_available: self.semantic.is_some(), ..RiskCheck::default() };
        if !text.chars().any(char::is_alphabetic) {
            return out;
        }
        let marked = risk_phrases().scan_marked(text);
        let semantic = self.semantic.as_ref().and_then(|sem| {
            // Shared with word suggestions for the same text: one run of the encoder per save.
            let encoded = match sem.model.encode_sentences(text) {
                Ok(e) => e,
                Err(EmbedError::Busy) => {
                    // Never no check: the phrase layer answers alone, and the skip is counted.
                    sem.model.skipped_check();
                    out.model_busy = true;
                    return None;
                }
                Err(_) => return None,
            };
            let parts = encoded.parts(text);
            let can_fire = can_fire(marks_of(&marked, text, &parts));
            let scores = sem.score_vectors(&encoded.vectors, &encoded.depth, &can_fire).ok()?;
            Some((sem, parts, can_fire, scores))
        });
        let Some((sem, parts, can_fire, scores)) = semantic else {
            out.model_available = false;
            out.hits = marked
                .into_iter()
                .filter(|(_, negated)| !negated)
                .map(|(m, _)| RiskHit {
                    layer: Layer::Phrase,
                    kind: m.phrase,
                    about: m.about,
                    sentence: None,
                    score: None,
                })
                .collect();
            out.phrase = !out.hits.is_empty();
            return out;
        };
        let first_words = sentence_first_words(text, &parts);
        let sentence_of = |word: usize| first_words.iter().rposition(|&f| f <= word).unwrap_or(0);
        for (m, negated) in &marked {
            let i = sentence_of(m.word);
            if *negated {
                continue;
            }
            if scores.get(i).is_some_and(|s| sem.thresholds.vetoes(s)) {
                continue;
            }
            out.hits.push(RiskHit {
                layer: Layer::Phrase,
                kind: m.phrase.clone(),
                about: m.about,
                sentence: Some(i),
                score: None,
            });
        }
        out.phrase = !out.hits.is_empty();
        for (i, (part, s)) in parts.iter().zip(&scores).enumerate() {
            if sem.thresholds.fires(s) && can_fire.get(i).copied().unwrap_or(true) {
                out.semantic = true;
                out.hits.push(RiskHit {
                    layer: Layer::Semantic,
                    kind: s.risk_kind.clone(),
                    about: risk_phrases().subject_of(part),
                    sentence: Some(i),
                    score: Some(s.risk),
                });
            }
        }
        out
    }
}

/// For each sentence (a slice of `text`), the index of its first word among the words of the
/// whole text, as `thaw_core::safety::risk::tokens` counts them.
pub(crate) fn sentence_first_words(text: &str, parts: &[&str]) -> Vec<usize> {
    let base = text.as_ptr() as usize;
    let mut out = Vec::with_capacity(parts.len());
    let (mut counted_to, mut words) = (0usize, 0usize);
    for p in parts {
        let start = (p.as_ptr() as usize).saturating_sub(base).min(text.len());
        if let Some(between) = text.get(counted_to..start) {
            words += thaw_core::safety::risk::tokens(between).len();
            counted_to = start;
        }
        out.push(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cosine;

    #[test]
    fn the_shipped_exemplars_parse() {
        let ex = exemplars();
        assert!(ex.risk.len() >= 50 && ex.benign.len() >= 50);
        let t = ex.thresholds;
        assert!(t.risk < t.strong && t.margin >= 0.0);
    }

    #[test]
    fn the_shipped_sentence_model_matches_the_exemplars() {
        let ex = exemplars();
        assert!(
            !ex.stale_model,
            "content/risk_exemplars.toml's [model] or [second] was trained with other exemplars: run `cargo run -p thaw-embed --example eval --release -- --train --sets deep,context --bury --union --write-union`"
        );
        assert!(ex.linear.is_some(), "a trained [model]");
        for lin in ex.linear.iter().chain(&ex.second) {
            assert_eq!(lin.weights.len(), crate::learn::feature_names(ex).len());
            assert!(lin.weights.iter().all(|w| w.is_finite()) && lin.bias.is_finite());
        }
    }

    #[test]
    fn thresholds_need_a_margin_unless_strong() {
        let t = Thresholds {
            risk: 0.5,
            margin: 0.05,
            strong: 0.8,
            veto: 0.05,
            model_threshold: 0.5,
            model_floor: 0.0,
            second_threshold: 1.0,
        };
        let s = |risk, benign| SentenceScore {
            risk,
            risk_kind: String::new(),
            benign,
            benign_kind: String::new(),
            prob: None,
            second: None,
        };
        assert!(t.fires(&s(0.6, 0.5)));
        assert!(!t.fires(&s(0.6, 0.58)), "too close to a look-alike");
        assert!(!t.fires(&s(0.45, 0.1)), "not close enough to any risk meaning");
        assert!(t.fires(&s(0.85, 0.9)), "strong");
    }

    #[test]
    fn the_one_product_gives_the_similarities_pair_by_pair_would() {
        // Unit vectors in a few directions, as the model's are.
        let unit = |seed: usize| -> Embedding {
            let mut v = [0f32; crate::DIM];
            for (i, x) in v.iter_mut().enumerate() {
                *x = ((i * 7 + seed * 13) % 17) as f32 - 8.0;
            }
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.map(|x| x / n)
        };
        let risk: Vec<Embedding> = (0..3).map(unit).collect();
        let benign: Vec<Embedding> = (3..5).map(unit).collect();
        let pool: Vec<Embedding> = (5..9).map(unit).collect();
        let table =
            Table::build(&risk.iter().chain(&benign).chain(&pool).collect::<Vec<_>>()).expect("built");
        let queries: Vec<Embedding> = (9..12).map(unit).collect();
        let rows = table.similarities(&queries).expect("a product");
        for (q, row) in queries.iter().zip(&rows) {
            let want: Vec<f32> = risk.iter().chain(&benign).chain(&pool).map(|e| cosine(q, e)).collect();
            assert_eq!(row.len(), want.len());
            assert!(row.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-5), "{row:?} vs {want:?}");
        }
    }

    #[test]
    fn a_phrase_hit_is_set_aside_only_where_the_model_is_sure_it_is_safe() {
        let t = Thresholds {
            risk: 0.5,
            margin: 0.05,
            strong: 0.8,
            veto: 0.05,
            model_threshold: 0.6,
            model_floor: 0.2,
            second_threshold: 1.0,
        };
        let s = |prob| SentenceScore {
            risk: 0.6,
            risk_kind: String::new(),
            benign: 0.3,
            benign_kind: "idiom".to_owned(),
            prob,
            second: None,
        };
        assert!(t.vetoes(&s(Some(0.1))), "under the floor");
        assert!(!t.vetoes(&s(Some(0.2))) && !t.vetoes(&s(Some(0.5))), "at or over the floor");
        assert!(!t.vetoes(&s(None)), "without the trained model only the similarity veto applies");
        let no_floor = Thresholds { model_floor: 0.0, ..t };
        assert!(!no_floor.vetoes(&s(Some(0.0))));
    }

    #[test]
    fn the_second_opinion_only_adds() {
        let t = Thresholds {
            risk: 0.5,
            margin: 0.05,
            strong: 0.8,
            veto: 0.05,
            model_threshold: 0.7,
            model_floor: 0.0,
            second_threshold: 0.8,
        };
        let s = |prob, second| SentenceScore {
            risk: 0.6,
            risk_kind: String::new(),
            benign: 0.3,
            benign_kind: String::new(),
            prob: Some(prob),
            second,
        };
        assert!(t.fires(&s(0.75, Some(0.1))), "calm company can't take a sentence away");
        assert!(t.fires(&s(0.75, None)));
        assert!(t.fires(&s(0.2, Some(0.85))), "the text around a sentence can add it");
        assert!(!t.fires(&s(0.2, Some(0.75))) && !t.fires(&s(0.69, None)));
    }

    #[test]
    fn the_phrase_layer_works_without_the_model() {
        let net = SafetyNet::phrase_only(None);
        let hit = net.check("honestly i want to kms");
        assert!(hit.is_hit() && hit.phrase && !hit.semantic && !hit.model_available);
        assert!(hit.about_writer());
        let quiet = net.check("Lovely walk by the river today.");
        assert!(!quiet.is_hit());
        assert!(!net.check("").is_hit() && !net.check("   \n 12 ").is_hit());
    }

    #[test]
    fn no_calm_line_silences_the_next() {
        // A day's entry, then one heavy line: whatever the line before ends with ("she didn't
        // freak out", "a jumper I can't take off"), the next line is read on its own.
        let net = SafetyNet::phrase_only(None);
        let lines = ["want to die", "I want to kill myself", "i'm going to end my life tonight"];
        for line in lines {
            assert!(net.check(line).is_hit(), "{line}");
        }
        for calm in crate::eval::risk_cases("all").iter().filter(|c| !c.risk) {
            for line in lines {
                let text = format!("{}\n{line}", calm.text);
                // Held-out texts are never shown, not even here.
                let shown = if calm.split == "dev" { text.as_str() } else { "(a held-out text)" };
                assert!(net.check(&text).is_hit(), "silenced by the line before ({}): {shown}", calm.split);
            }
        }
    }

    #[test]
    fn bad_exemplar_files_are_refused() {
        let base = "version = 1\n[thresholds]\nrisk = 0.5\nmargin = 0.1\nstrong = 0.8\nveto = 0.05\n";
        assert!(
            Exemplars::parse(&format!(
                "{base}[[risk]]\nid = \"a\"\nsentences = [\"x\"]\n[[benign]]\nid = \"b\"\nsentences = [\"y\"]"
            ))
            .is_ok()
        );
        assert!(
            Exemplars::parse(&format!(
                "{base}[[risk]]\nid = \"a\"\nsentences = []\n[[benign]]\nid = \"b\"\nsentences = [\"y\"]"
            ))
            .is_err()
        );
        assert!(
            Exemplars::parse(&format!("{base}[[risk]]\nid = \"a\"\nsentences = [\"x\"]\nbenign = []"))
                .is_err()
        );
        let groups =
            "[[risk]]\nid = \"a\"\nsentences = [\"x\"]\n[[benign]]\nid = \"b\"\nsentences = [\"y\"]\n";
        let model = |floor: &str| {
            format!(
                "{base}{groups}[model]\nexemplars = \"0\"\nthreshold = 0.5\nphrase_floor = {floor}\nbias = 0.0\n[model.weights]\n"
            )
        };
        assert!(Exemplars::parse(&model("0.2")).is_ok());
        assert!(Exemplars::parse(&model("1.5")).is_err(), "a floor over 1 would set every phrase hit aside");
        // Listed weights of the wrong length are refused, whatever the list.
        for (key, len) in
            [("vector", crate::DIM), ("depth", crate::DEPTH), ("context", crate::learn::CONTEXT)]
        {
            let with = |n: usize| {
                model("0").replace("bias = 0.0\n", &format!("bias = 0.0\n{key} = {:?}\n", vec![0.5; n]))
            };
            assert!(Exemplars::parse(&with(len)).is_ok(), "{key} of {len}");
            let err = Exemplars::parse(&with(len - 1)).expect_err("one weight short");
            assert!(err.contains(key), "{err}");
        }
    }
}
