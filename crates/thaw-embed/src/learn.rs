//! The semantic layer's sentence model: a logistic regression over similarity features (how close
//! a sentence is to the risk meanings, to the benign look-alikes and to the labelled dev
//! sentences, overall and per kind) and over what the encoder makes of the sentence itself (its
//! vector, its earlier layers) and of its whole text (the context), trained on the dev half of
//! the evaluation set and on the exemplars themselves (each compared with the others, never with
//! itself). k-fold cross-validation on dev says how it does on text it wasn't trained on, and
//! chooses the regularisation that keeps thousands of weights from learning the dev half by
//! heart.
//!
//! `cargo run -p thaw-embed --example eval --release -- --train` runs the cross-validation, prints
//! its figures and writes the weights into content/risk_exemplars.toml (`[model]`); with
//! `--sets deep,context --bury --union --write-union` (what ships) also the second opinion
//! (`[second]`, see [`crate::safety::Exemplars::second`]).

use crate::safety::{Exemplars, Linear, phrase_marks};
use crate::{EmbedError, Embedding, eval::RiskCase};

/// The features' names, in the order of [`features`] (the keys of `[model.weights]`).
pub fn feature_names(ex: &Exemplars) -> Vec<String> {
    let mut out: Vec<String> =
        ["risk-max", "risk-top3", "benign-max", "benign-top3", "margin", "margin-top3"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
    out.extend(kinds(&ex.risk).into_iter().map(|k| format!("risk:{k}")));
    out.extend(kinds(&ex.benign).into_iter().map(|k| format!("benign:{k}")));
    out.extend(
        ["dev-risky-max", "dev-risky-top3", "dev-safe-max", "dev-safe-top3", "dev-margin"].map(String::from),
    );
    out.extend(NEIGHBOUR_FEATURES.map(String::from));
    out.extend((0..crate::DIM).map(|i| format!("{VECTOR_PREFIX}{i}")));
    out.extend(depth_names());
    out.extend((0..CONTEXT).map(|i| format!("{CONTEXT_PREFIX}{i}")));
    out
}

/// The prefix of the context's features (2026-12-03, "Read in its text" in docs/SAFETY.md):
/// the mean over the text's sentences of their vector and depth ([`context`]), the same for every
/// sentence of one text.
pub const CONTEXT_PREFIX: &str = "context:";

/// How many numbers a [`context`] has: a vector and a depth.
pub const CONTEXT: usize = crate::DIM + crate::DEPTH;

/// What the sentence model reads of a sentence itself: its vector, its [`crate::Depth`] and the
/// [`context`] of its text (an empty depth or context reads as 0).
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    pub vector: &'a Embedding,
    pub depth: &'a [f32],
    pub context: &'a [f32],
}

/// A text's context: the mean over its sentences that can fire of each one's vector followed by
/// its depth (a missing depth counts as 0). Empty when no sentence is given.
pub fn context<'a>(sentences: impl IntoIterator<Item = (&'a Embedding, &'a [f32])>) -> Vec<f32> {
    let mut sum = vec![0f32; CONTEXT];
    let mut n = 0usize;
    for (v, depth) in sentences {
        sum[..crate::DIM].iter_mut().zip(v).for_each(|(s, x)| *s += x);
        if depth.len() == crate::DEPTH {
            sum[crate::DIM..].iter_mut().zip(depth).for_each(|(s, x)| *s += x);
        }
        n += 1;
    }
    if n == 0 {
        return Vec::new();
    }
    sum.iter_mut().for_each(|s| *s /= n as f32);
    sum
}

/// The names of a sentence's [`crate::Depth`] as features ("layer1:0" … "layer5:383").
fn depth_names() -> impl Iterator<Item = String> {
    crate::DEPTH_LAYERS.flat_map(|l| (0..crate::DIM).map(move |i| format!("{DEPTH_PREFIX}{l}:{i}")))
}

/// The prefix of the earlier layers' features (2026-12-02, "The same reader, read deeper" in
/// docs/SAFETY.md): the sentence's vector after layers 1 to 5, beside the last layer's.
pub const DEPTH_PREFIX: &str = "layer";

/// The names of the sentence's own vector as features ("vector:0" … "vector:383"): a linear probe
/// beside the similarities (2026-12-02), for the directions of meaning no exemplar or neighbour
/// stands for on its own.
pub const VECTOR_PREFIX: &str = "vector:";

/// The wider neighbourhood features (2026-12-02): the mean of the ten nearest risky and safe dev
/// sentences, and the similarity-weighted share of risky ones among the ten nearest of either.
pub const NEIGHBOUR_FEATURES: [&str; 3] = ["dev-risky-top10", "dev-safe-top10", "dev-vote10"];

/// The similarity-weighted share of risky sentences among the `k` nearest of both sets.
fn vote(risky: &[f32], safe: &[f32], k: usize) -> f32 {
    let mut all: Vec<(f32, bool)> =
        risky.iter().map(|s| (*s, true)).chain(safe.iter().map(|s| (*s, false))).collect();
    top_first(&mut all, k, |a, b| b.0.total_cmp(&a.0));
    all.truncate(k);
    let total: f32 = all.iter().map(|(s, _)| s.max(0.0)).sum();
    if total <= 0.0 {
        return 0.5;
    }
    all.iter().filter(|(_, r)| *r).map(|(s, _)| s.max(0.0)).sum::<f32>() / total
}

fn kinds(set: &[(String, String)]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for (k, _) in set {
        if !out.contains(&k.as_str()) {
            out.push(k);
        }
    }
    out
}

fn top_mean(sims: &[f32], k: usize) -> f32 {
    let mut v: Vec<f32> = sims.to_vec();
    top_first(&mut v, k, |a, b| b.total_cmp(a));
    v.truncate(k);
    if v.is_empty() { 0.0 } else { v.iter().sum::<f32>() / v.len() as f32 }
}

/// Puts the `k` first of `v` by `order` at its front, in that order (the rest after them in no
/// order): the same front as a full sort, without sorting thousands of neighbours for ten.
fn top_first<T>(v: &mut [T], k: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering + Copy) {
    if k == 0 || v.is_empty() {
        return;
    }
    if k < v.len() {
        v.select_nth_unstable_by(k - 1, order);
    }
    let k = k.min(v.len());
    v[..k].sort_by(order);
}

fn kind_max(set: &[(String, String)], sims: &[f32]) -> Vec<f32> {
    kinds(set)
        .into_iter()
        .map(|k| {
            set.iter().zip(sims).filter(|((kind, _), _)| kind == k).map(|(_, s)| *s).fold(0f32, f32::max)
        })
        .collect()
}

/// A sentence's features from its similarities to each risk and each benign exemplar (in
/// [`Exemplars`] order) and to the labelled dev sentences (`risky`, `safe`: the [`DevPool`]; empty
/// when there is none), then what it reads of the sentence itself (`own`: its vector, its earlier
/// layers and its text's context, all 0 when empty). A similarity of `f32::NAN` is left out (an
/// exemplar compared with itself).
pub fn features(
    ex: &Exemplars,
    own: &Reading,
    risk: &[f32],
    benign: &[f32],
    risky: &[f32],
    safe: &[f32],
) -> Vec<f32> {
    let clean = |s: &[f32]| s.iter().map(|x| if x.is_nan() { 0.0 } else { *x }).collect::<Vec<f32>>();
    let (risk, benign) = (clean(risk), clean(benign));
    let rmax = risk.iter().copied().fold(0f32, f32::max);
    let bmax = benign.iter().copied().fold(0f32, f32::max);
    let (r3, b3) = (top_mean(&risk, 3), top_mean(&benign, 3));
    let mut out = vec![rmax, r3, bmax, b3, rmax - bmax, r3 - b3];
    out.extend(kind_max(&ex.risk, &risk));
    out.extend(kind_max(&ex.benign, &benign));
    let pmax = risky.iter().copied().fold(0f32, f32::max);
    let smax = safe.iter().copied().fold(0f32, f32::max);
    out.extend([pmax, top_mean(risky, 3), smax, top_mean(safe, 3), pmax - smax]);
    out.extend([top_mean(risky, 10), top_mean(safe, 10), vote(risky, safe, 10)]);
    out.extend_from_slice(own.vector);
    for (part, len) in [(own.depth, crate::DEPTH), (own.context, CONTEXT)] {
        if part.len() == len {
            out.extend_from_slice(part);
        } else {
            out.extend(std::iter::repeat_n(0.0, len));
        }
    }
    out
}

/// The dev half's sentences, labelled, as neighbours for the sentence model: for a safe case
/// every sentence that can fire (see [`eligible`]), for a risky case the one of those closest to a
/// risk meaning (a long risky entry is risky because of one sentence).
#[derive(Debug, Default)]
pub struct DevPool {
    pub vectors: Vec<Embedding>,
    pub risky: Vec<bool>,
    /// The dev case each sentence comes from (index into `eval::risk_cases("dev")`).
    pub case: Vec<usize>,
}

/// Every sentence of every dev case that can fire: (case, the sentence's place in the case's
/// sentences, vector, whether it is the case's pool sentence). Sentences in which the phrase
/// layer saw risk words denied (and none affirmed) are left out, as the check never lets them
/// fire.
pub fn dev_sentences(
    model: &crate::Model,
    risk: &[Embedding],
    cases: &[RiskCase],
) -> Result<Vec<(usize, usize, Embedding, bool)>, EmbedError> {
    use rayon::prelude::*;
    let texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
    let encoded = model.embed_shipped_sentences("dev-pool", &texts)?;
    // This runs as every process sets up the check: the phrase layer over every dev text on both
    // cores, and each risky sentence's nearest risk meaning in one matrix product.
    let fire: Vec<Vec<bool>> = cases
        .par_iter()
        .zip(&encoded)
        .map(|(case, (parts, _))| crate::safety::can_fire(phrase_marks(&case.text, parts)))
        .collect();
    let mut out = Vec::new();
    for (ci, (vs, fire)) in encoded.iter().map(|(_, vs)| vs).zip(&fire).enumerate() {
        out.extend((0..vs.len()).filter(|&i| fire[i]).map(|i| (ci, i, vs[i], !cases[ci].risk)));
    }
    // Only a risky case needs its sentence closest to a risk meaning (a long risky entry is
    // risky because of one sentence): that one joins the pool.
    let risky: Vec<usize> = (0..out.len()).filter(|&k| cases[out[k].0].risk).collect();
    let nearest =
        crate::safety::nearest_similarity(&risky.iter().map(|&k| &out[k].2).collect::<Vec<_>>(), risk)?;
    let mut closest: Vec<Option<(usize, f32)>> = vec![None; cases.len()];
    for (&k, &sim) in risky.iter().zip(&nearest) {
        let best = &mut closest[out[k].0];
        // The first of equals, as the sentences come in order.
        if best.is_none_or(|(_, b)| sim > b) {
            *best = Some((k, sim));
        }
    }
    for (k, _) in closest.into_iter().flatten() {
        out[k].3 = true;
    }
    Ok(out)
}

/// The pool the check uses: every dev case's pool sentences.
pub fn dev_pool(model: &crate::Model, risk: &[Embedding]) -> Result<DevPool, EmbedError> {
    let cases = crate::eval::risk_cases("dev");
    let mut pool = DevPool::default();
    for (ci, _, v, in_pool) in dev_sentences(model, risk, &cases)? {
        if in_pool {
            pool.vectors.push(v);
            pool.risky.push(cases[ci].risk);
            pool.case.push(ci);
        }
    }
    Ok(pool)
}

/// Similarities of `v` to the pool's risky and safe sentences, leaving out those for which
/// `skip(case)` holds.
pub fn pool_sims(v: &Embedding, pool: &DevPool, skip: impl Fn(usize) -> bool) -> (Vec<f32>, Vec<f32>) {
    let (mut risky, mut safe) = (Vec::new(), Vec::new());
    for ((p, &r), &c) in pool.vectors.iter().zip(&pool.risky).zip(&pool.case) {
        if skip(c) {
            continue;
        }
        // Both have length 1: the dot product is the cosine.
        let s = dot(v, p);
        if r { risky.push(s) } else { safe.push(s) }
    }
    (risky, safe)
}

/// The dot product of two embeddings (the cosine, as both have length 1), in eight lanes so that
/// the compiler can use vector instructions: it runs against every dev sentence on every check.
pub fn dot(a: &Embedding, b: &Embedding) -> f32 {
    let mut acc = [0f32; 8];
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum()
}

/// The direction each feature may push (in [`feature_names`] order): `1` only towards risk,
/// `-1` only away from it, `0` either way (the sentence's own vector). Being closer to a risk
/// meaning or a risky dev sentence never lowers the probability, and being closer to a benign
/// meaning or a safe dev sentence never raises it (2026-12-02): without this the fit, with many
/// safe near-twins of risky sentences among the neighbours, used nearness to safe sentences as a
/// sign of a dark subject, so a sentence close to a known-safe one scored riskier.
pub fn feature_signs(ex: &Exemplars) -> Vec<i8> {
    feature_names(ex)
        .iter()
        .map(|n| {
            if n.starts_with(VECTOR_PREFIX) || n.starts_with(DEPTH_PREFIX) || n.starts_with(CONTEXT_PREFIX) {
                0
            } else if n.starts_with("benign") || n.starts_with("dev-safe") {
                -1
            } else {
                1
            }
        })
        .collect()
}

/// Fits a logistic regression (L2-regularised, classes weighted to balance, on standardised
/// features; deterministic). `threshold` is stored as given.
pub fn fit(xs: &[Vec<f32>], ys: &[bool], l2: f32, threshold: f32) -> Linear {
    fit_weighted(xs, ys, l2, threshold, 1.0, &[])
}

/// [`fit`] with the risky class weighted `recall_weight` times its balanced weight (above 1: a
/// missed risky sentence costs more than a false alarm), and each weight kept to the direction
/// `signs` gives it (see [`feature_signs`]; a feature without an entry is free).
pub fn fit_weighted(
    xs: &[Vec<f32>],
    ys: &[bool],
    l2: f32,
    threshold: f32,
    recall_weight: f32,
    signs: &[i8],
) -> Linear {
    let mut fits = fit_many(xs, ys, &[(l2, recall_weight)], signs);
    let mut lin =
        fits.pop().unwrap_or(Linear { bias: 0.0, weights: Vec::new(), threshold, phrase_floor: 0.0 });
    lin.threshold = threshold;
    lin
}

/// How many steps [`fit_many`] takes at most; it stops sooner once no weight moves.
const STEPS: usize = 1500;

/// [`fit_weighted`] for several settings (L2, recall weight) on the same rows at once, threshold
/// 0.5. The loss of each is the class-weighted mean log loss plus `l2 / 2 · |w|²` (the bias free),
/// minimised by accelerated projected gradient descent (FISTA with adaptive restart; step 1/L from
/// the largest eigenvalue of the rows' covariance, so it cannot diverge however many correlated
/// features there are). The two products with the row matrix per step are matrix products over
/// all settings together: with 2,300 features and 7,000 rows a whole cross-validation is minutes,
/// where a loop per row and setting took over an hour.
pub fn fit_many(xs: &[Vec<f32>], ys: &[bool], settings: &[(f32, f32)], signs: &[i8]) -> Vec<Linear> {
    let n = xs.len();
    let d = xs.first().map_or(0, Vec::len);
    let blank = || Linear { bias: 0.0, weights: vec![0.0; d], threshold: 0.5, phrase_floor: 0.0 };
    if n == 0 || d == 0 || settings.is_empty() {
        return settings.iter().map(|_| blank()).collect();
    }
    match fit_many_tensors(xs, ys, settings, signs) {
        Ok(fits) => fits,
        // Only a failed allocation gets here; an untrained model says so by saying nothing.
        Err(_) => settings.iter().map(|_| blank()).collect(),
    }
}

fn fit_many_tensors(
    xs: &[Vec<f32>],
    ys: &[bool],
    settings: &[(f32, f32)],
    signs: &[i8],
) -> candle_core::Result<Vec<Linear>> {
    use candle_core::{Device, Tensor};
    let (n, d, k) = (xs.len(), xs[0].len(), settings.len());
    let nf = n as f64;
    // Standardise (in f64: a feature's spread can be small beside its mean).
    let mut mean = vec![0f64; d];
    let mut sd = vec![0f64; d];
    for x in xs {
        for (m, v) in mean.iter_mut().zip(x) {
            *m += f64::from(*v) / nf;
        }
    }
    for x in xs {
        for ((s, v), m) in sd.iter_mut().zip(x).zip(&mean) {
            *s += (f64::from(*v) - m).powi(2) / nf;
        }
    }
    sd.iter_mut().for_each(|s| *s = s.sqrt().max(1e-4));
    let mut flat = Vec::with_capacity(n * d);
    for x in xs {
        flat.extend(x.iter().zip(&mean).zip(&sd).map(|((v, m), s)| ((f64::from(*v) - m) / s) as f32));
    }
    let z = Tensor::from_vec(flat, (n, d), &Device::Cpu)?;
    let zt = z.t()?.contiguous()?;
    let pos = ys.iter().filter(|y| **y).count().max(1) as f32;
    let neg = (n as f32 - pos).max(1.0);
    // Each row's weight under each setting, row-major (n × k).
    let cw: Vec<f32> = ys
        .iter()
        .flat_map(|&y| {
            settings
                .iter()
                .map(move |&(_, rw)| if y { rw * n as f32 / (2.0 * pos) } else { n as f32 / (2.0 * neg) })
        })
        .collect();
    // The largest eigenvalue of ZᵀZ/n (the bias's column of ones adds at most 1), by power iteration.
    let mut v = Tensor::ones((d, 1), candle_core::DType::F32, &Device::Cpu)?;
    let mut top = 1f32;
    for _ in 0..60 {
        let w = zt.matmul(&z.matmul(&v)?)?;
        let norm = w.sqr()?.sum_all()?.to_scalar::<f32>()?.sqrt();
        let len = v.sqr()?.sum_all()?.to_scalar::<f32>()?.sqrt();
        top = norm / len.max(1e-12) / n as f32;
        v = (w / f64::from(norm.max(1e-12)))?;
    }
    // A logistic loss curves at most 1/4; the class weights scale it; 10% for the estimate.
    let lip: Vec<f32> = settings
        .iter()
        .map(|&(l2, rw)| {
            let wmax = (rw * n as f32 / (2.0 * pos)).max(n as f32 / (2.0 * neg));
            1.1 * (0.25 * wmax * (top + 1.0)) + l2
        })
        .collect();
    let project = |w: &mut [f32]| {
        for (i, row) in w.chunks_exact_mut(k).enumerate() {
            match signs.get(i) {
                Some(1) => row.iter_mut().for_each(|x| *x = x.max(0.0)),
                Some(-1) => row.iter_mut().for_each(|x| *x = x.min(0.0)),
                _ => {}
            }
        }
    };
    // Weights d × k (row-major), biases k; `x` the iterate, `y` the look-ahead point.
    let (mut xw, mut xb) = (vec![0f32; d * k], vec![0f32; k]);
    let (mut yw, mut yb) = (xw.clone(), xb.clone());
    let mut t = vec![1f32; k];
    for _ in 0..STEPS {
        let logits =
            z.matmul(&Tensor::from_slice(&yw, (d, k), &Device::Cpu)?)?.flatten_all()?.to_vec1::<f32>()?;
        let mut r = vec![0f32; n * k];
        let mut gb = vec![0f32; k];
        for i in 0..n {
            let y = f32::from(u8::from(ys[i]));
            for j in 0..k {
                let p = 1.0 / (1.0 + (-(logits[i * k + j] + yb[j])).exp());
                let g = (p - y) * cw[i * k + j] / n as f32;
                r[i * k + j] = g;
                gb[j] += g;
            }
        }
        let gw = zt.matmul(&Tensor::from_vec(r, (n, k), &Device::Cpu)?)?.flatten_all()?.to_vec1::<f32>()?;
        let mut moved = 0f32;
        let mut nw = vec![0f32; d * k];
        for (i, (out, (g, y))) in nw.iter_mut().zip(gw.iter().zip(&yw)).enumerate() {
            let j = i % k;
            *out = y - (g + settings[j].0 * y) / lip[j];
        }
        project(&mut nw);
        let nb: Vec<f32> = (0..k).map(|j| yb[j] - gb[j] / lip[j]).collect();
        for j in 0..k {
            // Adaptive restart: momentum that points uphill is dropped.
            let mut uphill = (nb[j] - xb[j]) * (yb[j] - nb[j]);
            for i in 0..d {
                uphill += (nw[i * k + j] - xw[i * k + j]) * (yw[i * k + j] - nw[i * k + j]);
            }
            let t_next = if uphill > 0.0 { 1.0 } else { (1.0 + (1.0 + 4.0 * t[j] * t[j]).sqrt()) / 2.0 };
            let beta = if uphill > 0.0 { 0.0 } else { (t[j] - 1.0) / t_next };
            t[j] = t_next;
            for i in 0..d {
                let at = i * k + j;
                moved = moved.max((nw[at] - xw[at]).abs());
                yw[at] = nw[at] + beta * (nw[at] - xw[at]);
            }
            moved = moved.max((nb[j] - xb[j]).abs());
            yb[j] = nb[j] + beta * (nb[j] - xb[j]);
        }
        xw = nw;
        xb = nb;
        if moved < 1e-6 {
            break;
        }
    }
    // Back to the raw features: w·(x − m)/s + b.
    Ok((0..k)
        .map(|j| {
            let weights: Vec<f32> = (0..d).map(|i| (f64::from(xw[i * k + j]) / sd[i]) as f32).collect();
            let bias =
                f64::from(xb[j]) - weights.iter().zip(&mean).map(|(w, m)| f64::from(*w) * m).sum::<f64>();
            Linear { bias: bias as f32, weights, threshold: 0.5, phrase_floor: 0.0 }
        })
        .collect())
}

/// A sentence's features given what is read of it, the exemplars' vectors, the pool and which
/// pool cases to leave out.
pub fn sentence_features(
    ex: &Exemplars,
    own: &Reading,
    risk: &[Embedding],
    benign: &[Embedding],
    pool: &DevPool,
    skip: impl Fn(usize) -> bool,
) -> Vec<f32> {
    let v = own.vector;
    let rs: Vec<f32> = risk.iter().map(|e| crate::cosine(v, e)).collect();
    let bs: Vec<f32> = benign.iter().map(|e| crate::cosine(v, e)).collect();
    let (pr, ps) = pool_sims(v, pool, skip);
    features(ex, own, &rs, &bs, &pr, &ps)
}

/// The exemplars as training sentences, each compared with all the others but not itself
/// (`depth`: the risk exemplars' depths, then the benign ones'). Each is a text of one sentence,
/// so its context is itself.
pub fn exemplar_features(
    ex: &Exemplars,
    risk: &[Embedding],
    benign: &[Embedding],
    depth: &[crate::Depth],
    pool: &DevPool,
    skip: impl Fn(usize) -> bool + Copy,
) -> Vec<(Vec<f32>, bool)> {
    let mut out = Vec::new();
    for (is_risk, set, offset) in [(true, risk, 0), (false, benign, risk.len())] {
        for (i, v) in set.iter().enumerate() {
            let deep = depth.get(offset + i).map_or(&[][..], |d| &d[..]);
            let sims = |other: &[Embedding], same: bool| -> Vec<f32> {
                other
                    .iter()
                    .enumerate()
                    .map(|(j, e)| if same && i == j { f32::NAN } else { crate::cosine(v, e) })
                    .collect()
            };
            let rs = sims(risk, is_risk);
            let bs = sims(benign, !is_risk);
            let (pr, ps) = pool_sims(v, pool, skip);
            let ctx = context([(v, deep)]);
            let own = Reading { vector: v, depth: deep, context: &ctx };
            out.push((features(ex, &own, &rs, &bs, &pr, &ps), is_risk));
        }
    }
    out
}

/// The line that starts the written `[model]` section (everything after it is rewritten).
pub const MODEL_MARKER: &str = "\n# ---- [model]";

/// Writes a trained model (and its second opinion, when there is one: see
/// [`Exemplars::second`]) into the text of content/risk_exemplars.toml: everything from the line
/// [`MODEL_MARKER`] on is replaced.
pub fn write_model(
    toml_text: &str,
    ex: &Exemplars,
    linear: &Linear,
    second: Option<&Linear>,
    note: &str,
) -> String {
    let keep = match toml_text.find(MODEL_MARKER) {
        Some(i) => &toml_text[..i + 1],
        None => toml_text,
    };
    let mut out = keep.trim_end().to_owned();
    out.push('\n');
    out.push_str(MODEL_MARKER);
    out.push_str(" — written by `cargo run -p thaw-embed --example eval --release -- --train …`;\n");
    for line in note.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    write_section(&mut out, "model", ex, linear);
    if let Some(second) = second {
        out.push('\n');
        write_section(&mut out, "second", ex, second);
    }
    out
}

/// One model section (`[model]` or `[second]`) with its weights.
fn write_section(out: &mut String, section: &str, ex: &Exemplars, linear: &Linear) {
    out.push_str(&format!(
        "[{section}]\nexemplars = \"{}\"\nthreshold = {:.3}\n",
        crate::safety::exemplar_fingerprint(ex),
        linear.threshold,
    ));
    if linear.phrase_floor > 0.0 {
        out.push_str(&format!("phrase_floor = {:.3}\n", linear.phrase_floor));
    }
    out.push_str(&format!("bias = {:.4}\n", linear.bias));
    let names = feature_names(ex);
    let (listed, named): (Vec<_>, Vec<_>) = names.iter().zip(&linear.weights).partition(|(n, _)| {
        n.starts_with(VECTOR_PREFIX) || n.starts_with(DEPTH_PREFIX) || n.starts_with(CONTEXT_PREFIX)
    });
    let of = |prefix: &str| -> Vec<(&String, &f32)> {
        listed.iter().filter(|(n, _)| n.starts_with(prefix)).copied().collect()
    };
    for (key, list) in
        [("vector", of(VECTOR_PREFIX)), ("depth", of(DEPTH_PREFIX)), ("context", of(CONTEXT_PREFIX))]
    {
        if list.iter().any(|(_, w)| **w != 0.0) {
            // The weights of the sentence's own vector (its earlier layers, its text's context),
            // in order, eight to a line.
            out.push_str(&format!("{key} = [\n"));
            for row in list.chunks(8) {
                let row: Vec<String> = row.iter().map(|(_, w)| format!("{w:.4}")).collect();
                out.push_str(&format!("  {},\n", row.join(", ")));
            }
            out.push_str("]\n");
        }
    }
    out.push_str(&format!("\n[{section}.weights]\n"));
    for (name, w) in named {
        out.push_str(&format!("\"{name}\" = {w:.4}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writing_the_model_keeps_the_exemplars() {
        let text = include_str!("../../../content/risk_exemplars.toml");
        let ex = crate::safety::exemplars();
        let lin = ex.linear.clone().expect("a model");
        let again = write_model(text, ex, &lin, None, "note");
        let back = Exemplars::parse(&again).expect("still valid");
        assert_eq!(back.risk, ex.risk);
        assert_eq!(back.benign, ex.benign);
        assert_eq!(write_model(&again, ex, &lin, None, "note"), again, "rewriting is stable");
        // The phrase floor goes into the file and comes back.
        let floored = Linear { phrase_floor: 0.15, ..lin.clone() };
        let back = Exemplars::parse(&write_model(text, ex, &floored, None, "note")).expect("still valid");
        assert_eq!(back.linear.expect("the model").phrase_floor, 0.15);
        // So does a second opinion that reads the text around a sentence, weights and all.
        let mut second = Linear { threshold: 0.8, ..lin.clone() };
        let n = second.weights.len();
        second.weights[n - CONTEXT] = 0.25;
        second.weights[n - 1] = -0.5;
        let with = write_model(text, ex, &lin, Some(&second), "note");
        let back = Exemplars::parse(&with).expect("still valid");
        assert!(!back.stale_model);
        assert_eq!(back.linear.as_ref(), Some(&lin), "the first model is untouched");
        let read = back.second.expect("the second opinion");
        assert_eq!(read.threshold, 0.8);
        assert_eq!((read.weights[n - CONTEXT], read.weights[n - 1]), (0.25, -0.5));
        assert_eq!(read.weights.len(), n);
        assert_eq!(write_model(&with, ex, &lin, Some(&second), "note"), with, "rewriting is stable");
    }

    #[test]
    fn fitting_separates_a_simple_rule() {
        let xs: Vec<Vec<f32>> = (0..40).map(|i| vec![i as f32 / 40.0, ((i * 7) % 5) as f32]).collect();
        let ys: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let l = fit(&xs, &ys, 0.001, 0.5);
        let right = xs.iter().zip(&ys).filter(|(x, y)| (l.prob(x) >= 0.5) == **y).count();
        assert!(right >= 38, "{right}");
        assert!(l.weights[0] > 0.0);
    }

    #[test]
    fn a_weight_kept_to_its_direction_never_crosses_zero() {
        // The second feature only marks the negative class, but is forbidden to lower the score.
        let xs: Vec<Vec<f32>> =
            (0..40).map(|i| vec![i as f32 / 40.0, if i < 20 { 1.0 } else { 0.0 }]).collect();
        let ys: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let free = fit_weighted(&xs, &ys, 0.001, 0.5, 1.0, &[]);
        assert!(free.weights[1] < 0.0, "{:?}", free.weights);
        let kept = fit_weighted(&xs, &ys, 0.001, 0.5, 1.0, &[1, 1]);
        assert!(kept.weights[1] >= 0.0 && kept.weights[0] > 0.0, "{:?}", kept.weights);
        let right = xs.iter().zip(&ys).filter(|(x, y)| (kept.prob(x) >= 0.5) == **y).count();
        assert!(right >= 36, "the first feature alone still separates: {right}");
    }

    #[test]
    fn many_copies_of_one_feature_neither_diverge_nor_stop_the_fit() {
        // 300 near-copies of the informative feature (a layer's 384 correlated dimensions): plain
        // gradient descent at a fixed rate blew up on these; the step from the eigenvalue doesn't.
        let xs: Vec<Vec<f32>> = (0..200)
            .map(|i| {
                let base = (i % 100) as f32 / 100.0;
                (0..300).map(|j| base + ((i * 31 + j * 17) % 13) as f32 * 0.002).collect()
            })
            .collect();
        let ys: Vec<bool> = (0..200).map(|i| i % 100 >= 50).collect();
        let fits = fit_many(&xs, &ys, &[(0.01, 1.0), (0.5, 2.0)], &[]);
        assert_eq!(fits.len(), 2);
        for l in &fits {
            assert!(l.bias.is_finite() && l.weights.iter().all(|w| w.is_finite()));
            let right = xs.iter().zip(&ys).filter(|(x, y)| (l.prob(x) >= 0.5) == **y).count();
            assert!(right >= 190, "{right}");
        }
        // The same setting alone gives the same model as among others.
        let alone = fit_weighted(&xs, &ys, 0.5, 0.5, 2.0, &[]);
        let apart = xs.iter().map(|x| (alone.prob(x) - fits[1].prob(x)).abs()).fold(0f32, f32::max);
        assert!(apart < 1e-3, "{apart}");
    }

    #[test]
    fn the_fit_reaches_the_minimum() {
        // At the minimum of the penalised loss its gradient vanishes (no sign limits here).
        let xs: Vec<Vec<f32>> =
            (0..60).map(|i| vec![(i % 7) as f32, ((i * 5) % 11) as f32 / 3.0, (i % 2) as f32]).collect();
        let ys: Vec<bool> = (0..60).map(|i| (i % 7) + (i % 2) * 3 > 4).collect();
        let l2 = 0.05f32;
        let lin = fit_weighted(&xs, &ys, l2, 0.5, 1.0, &[]);
        // The gradient in standardised units: Σ cw·(p − y)·z / n + l2·w_std.
        let n = xs.len() as f32;
        let pos = ys.iter().filter(|y| **y).count() as f32;
        for f in 0..3 {
            let m = xs.iter().map(|x| x[f]).sum::<f32>() / n;
            let s = (xs.iter().map(|x| (x[f] - m).powi(2)).sum::<f32>() / n).sqrt();
            let g: f32 = xs
                .iter()
                .zip(&ys)
                .map(|(x, &y)| {
                    let cw = if y { n / (2.0 * pos) } else { n / (2.0 * (n - pos)) };
                    cw * (lin.prob(x) - f32::from(u8::from(y))) * (x[f] - m) / s
                })
                .sum::<f32>()
                / n;
            let w_std = lin.weights[f] * s;
            assert!((g + l2 * w_std).abs() < 1e-3, "feature {f}: {}", g + l2 * w_std);
        }
    }

    #[test]
    fn the_shipped_model_keeps_every_weight_to_its_direction() {
        let ex = crate::safety::exemplars();
        assert!(ex.linear.is_some(), "a model");
        for lin in ex.linear.iter().chain(&ex.second) {
            for ((name, w), sign) in feature_names(ex).iter().zip(&lin.weights).zip(feature_signs(ex)) {
                assert!(f32::from(sign) * w >= 0.0, "{name} = {w} against its direction {sign}");
            }
        }
    }

    #[test]
    fn the_top_few_are_those_a_full_sort_puts_first() {
        let v: Vec<f32> = (0..500).map(|i| ((i * 7919) % 1000) as f32 / 1000.0).collect();
        let mut sorted = v.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        for k in [0, 1, 3, 10, 499, 500, 600] {
            let mut w = v.clone();
            top_first(&mut w, k, |a, b| b.total_cmp(a));
            let k = k.min(v.len());
            assert_eq!(w[..k], sorted[..k], "k {k}");
            let want = if k == 0 { 0.0 } else { sorted[..k].iter().sum::<f32>() / k as f32 };
            assert_eq!(top_mean(&v, k), want);
        }
    }

    #[test]
    fn features_follow_the_names() {
        let ex = crate::safety::exemplars();
        let rs = vec![0.3; ex.risk.len()];
        let mut bs = vec![0.2; ex.benign.len()];
        bs[0] = f32::NAN;
        let mut v = [0f32; crate::DIM];
        v[3] = 0.25;
        let mut depth = vec![0f32; crate::DEPTH];
        depth[crate::DIM + 2] = 0.5;
        let mut ctx = vec![0f32; CONTEXT];
        ctx[CONTEXT - 1] = 0.125;
        let own = Reading { vector: &v, depth: &depth, context: &ctx };
        let f = features(ex, &own, &rs, &bs, &[0.5, 0.4], &[]);
        assert_eq!(f.len(), feature_names(ex).len());
        let names = feature_names(ex);
        let at = |n: &str| names.iter().position(|x| x == n).expect("a feature");
        assert!((f[at("dev-margin")] - 0.5).abs() < 1e-6);
        assert!((f[at("dev-vote10")] - 1.0).abs() < 1e-6, "only risky neighbours");
        assert!((f[0] - 0.3).abs() < 1e-6 && (f[4] - 0.1).abs() < 1e-6);
        assert!((f[at("vector:3")] - 0.25).abs() < 1e-6 && f[at("vector:4")] == 0.0);
        assert!((f[at("layer2:2")] - 0.5).abs() < 1e-6 && f[at("layer1:2")] == 0.0);
        assert!(
            (f[at(&format!("context:{}", CONTEXT - 1))] - 0.125).abs() < 1e-6 && f[at("context:0")] == 0.0
        );
        // Without a depth or a context (a model trained before them), their features are 0,
        // never missing.
        let bare = Reading { vector: &v, depth: &[], context: &[] };
        let f = features(ex, &bare, &rs, &bs, &[], &[]);
        assert_eq!(f.len(), names.len());
        assert!(f[at("layer2:2")] == 0.0 && f[at(&format!("context:{}", CONTEXT - 1))] == 0.0);
    }

    #[test]
    fn a_context_is_the_mean_of_its_sentences() {
        let (mut a, mut b) = ([0f32; crate::DIM], [0f32; crate::DIM]);
        a[0] = 1.0;
        b[1] = 1.0;
        let mut deep = vec![0f32; crate::DEPTH];
        deep[7] = 0.5;
        let c = context([(&a, &deep[..]), (&b, &[][..])]);
        assert_eq!(c.len(), CONTEXT);
        assert_eq!((c[0], c[1], c[2]), (0.5, 0.5, 0.0));
        assert_eq!(c[crate::DIM + 7], 0.25, "a missing depth counts as 0");
        assert!(context(std::iter::empty()).is_empty());
    }
}
