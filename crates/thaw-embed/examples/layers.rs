//! Experiment (nothing here is used by the check): would the encoder's earlier layers, read beside
//! the last layer's mean-pooled vector the check uses, help a linear reader tell risky sentences
//! from safe ones? They cost nothing at run time: the encoder computes them on the way.
//!
//! A ridge regression (closed form, so it can be fitted once per fold and setting) on the sentences
//! the check trains on: every sentence of a safe dev case, and the one closest to a risk meaning of
//! a risky one. A case scores its highest sentence; no phrase layer. Leave-one-writer-out over the
//! dev files, then trained on all of dev and read on every other split (test, fresh…).
//!
//! cargo run -p thaw-embed --example layers --release                  # the vectors alone
//! cargo run -p thaw-embed --example layers --release -- --with-shipped  # beside the shipped features
//!
//! Figures: docs/SAFETY.md, "The same reader, read deeper".

use std::collections::BTreeMap;
use std::sync::Arc;

use candle_core::{Device, Tensor};
use rayon::prelude::*;
use thaw_embed::{DIM, Embedding, Model, eval, learn, safety::Semantic, safety::phrase_marks, sentences};

struct Row {
    case: usize,
    layers: Vec<Vec<f32>>,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn feats(layers: &[Vec<f32>], set: &[usize]) -> Vec<f32> {
    let mut out = Vec::with_capacity(set.len() * 384 + 1);
    out.push(1.0);
    for &l in set {
        out.extend_from_slice(&layers[l]);
    }
    out
}

fn gram(rows: &[Vec<f32>], ys: &[f32]) -> candle_core::Result<(Vec<f64>, Vec<f64>)> {
    let d = rows.first().map_or(0, Vec::len);
    let flat: Vec<f32> = rows.iter().flatten().copied().collect();
    let x = Tensor::from_vec(flat, (rows.len(), d), &Device::Cpu)?;
    let xt = x.t()?.contiguous()?;
    let y = Tensor::from_vec(ys.to_vec(), (rows.len(), 1), &Device::Cpu)?;
    let wide = |t: Tensor| -> candle_core::Result<Vec<f64>> {
        Ok(t.flatten_all()?.to_vec1::<f32>()?.into_iter().map(f64::from).collect())
    };
    Ok((wide(xt.matmul(&x)?)?, wide(xt.matmul(&y)?)?))
}

/// Solves (G + λ·diag(0,1,…,1)) w = h by Cholesky.
fn solve(g: &[f64], h: &[f64], lambda: f64) -> Vec<f64> {
    let d = h.len();
    let mut a = g.to_vec();
    for i in 1..d {
        a[i * d + i] += lambda;
    }
    a[0] += 1e-6;
    // Cholesky in place (lower).
    for j in 0..d {
        let mut s = a[j * d + j];
        for k in 0..j {
            s -= a[j * d + k] * a[j * d + k];
        }
        let l = s.max(1e-12).sqrt();
        a[j * d + j] = l;
        let (head, tail) = a.split_at_mut((j + 1) * d);
        let rowj = &head[j * d..j * d + j];
        for i in j + 1..d {
            let row = &mut tail[(i - j - 1) * d..(i - j - 1) * d + d];
            let mut s = row[j];
            for k in 0..j {
                s -= row[k] * rowj[k];
            }
            row[j] = s / l;
        }
    }
    let mut z = h.to_vec();
    for i in 0..d {
        let mut s = z[i];
        for k in 0..i {
            s -= a[i * d + k] * z[k];
        }
        z[i] = s / a[i * d + i];
    }
    for i in (0..d).rev() {
        let mut s = z[i];
        for k in i + 1..d {
            s -= a[k * d + i] * z[k];
        }
        z[i] = s / a[i * d + i];
    }
    z
}

struct Metrics {
    auc: f64,
    p_at_r90: f64,
    p_at_r95: f64,
    r_at_p80: f64,
}

fn metrics(scores: &[(f64, bool)]) -> Metrics {
    let mut v = scores.to_vec();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let pos = v.iter().filter(|x| x.1).count() as f64;
    let neg = v.len() as f64 - pos;
    let (mut tp, mut fp) = (0f64, 0f64);
    let (mut p90, mut p95, mut r80) = (0f64, 0f64, 0f64);
    let mut auc = 0f64;
    for (_, y) in &v {
        if *y {
            tp += 1.0;
        } else {
            fp += 1.0;
            auc += tp;
        }
        let (r, p) = (tp / pos, tp / (tp + fp));
        if r >= 0.90 && p90 == 0.0 {
            p90 = p;
        }
        if r >= 0.95 && p95 == 0.0 {
            p95 = p;
        }
        if p >= 0.80 {
            r80 = r80.max(r);
        }
    }
    Metrics { auc: auc / (pos * neg), p_at_r90: p90, p_at_r95: p95, r_at_p80: r80 }
}

fn at_threshold(scores: &[(f64, bool)], t: f64) -> (f64, f64) {
    let tp = scores.iter().filter(|s| s.1 && s.0 >= t).count() as f64;
    let fp = scores.iter().filter(|s| !s.1 && s.0 >= t).count() as f64;
    let pos = scores.iter().filter(|s| s.1).count() as f64;
    (tp / pos, if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 })
}

/// The threshold at which `scores` first reach recall `r`.
fn threshold_for_recall(scores: &[(f64, bool)], r: f64) -> f64 {
    let mut v = scores.to_vec();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let pos = v.iter().filter(|x| x.1).count() as f64;
    let mut tp = 0.0;
    for (s, y) in &v {
        if *y {
            tp += 1.0;
        }
        if tp / pos >= r {
            return *s;
        }
    }
    f64::MIN
}

fn main() {
    let model = Arc::new(Model::find_and_load(None).expect("model"));
    let sem = Semantic::new(model.clone()).expect("semantic");
    let risk_ex: Vec<Vec<f32>> = sem.exemplar_vectors().0.iter().map(|e| e.to_vec()).collect();

    let dev = eval::risk_cases("dev");
    let dev_src = eval::risk_sources("dev");
    let blind_splits: Vec<String> = eval::risk_splits().into_iter().filter(|s| s != "dev").collect();
    let mut cases: Vec<(eval::RiskCase, String)> =
        dev.iter().cloned().zip(dev_src.iter().map(|f| format!("dev:{f}"))).collect();
    for s in &blind_splits {
        for c in eval::risk_cases(s) {
            cases.push((c, s.clone()));
        }
    }
    // Eligible sentences of every case.
    let mut texts: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (ci, (c, _)) in cases.iter().enumerate() {
        let parts = sentences::split(&c.text);
        let (denied, affirmed) = phrase_marks(&c.text, &parts);
        for (i, p) in parts.iter().enumerate() {
            if !denied[i] || affirmed[i] {
                texts.push((*p).to_owned());
                owner.push(ci);
            }
        }
    }
    eprintln!("{} cases, {} sentences; encoding…", cases.len(), texts.len());
    let t = std::time::Instant::now();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut layers = Vec::new();
    for chunk in refs.chunks(2000) {
        layers.extend(model.embed_layers(chunk).expect("encodes"));
    }
    eprintln!("encoded in {:?}", t.elapsed());
    let rows: Vec<Row> = owner.iter().zip(layers).map(|(&case, layers)| Row { case, layers }).collect();

    // Training rows: every sentence of a safe dev case; the one closest to a risk meaning of a
    // risky one.
    let mut by_case: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (ri, r) in rows.iter().enumerate() {
        by_case.entry(r.case).or_default().push(ri);
    }
    let mut train: Vec<(usize, bool, String)> = Vec::new(); // row, label, group
    for (&ci, ris) in &by_case {
        let (c, group) = &cases[ci];
        if !group.starts_with("dev:") {
            continue;
        }
        if c.risk {
            let best = ris
                .iter()
                .max_by(|a, b| {
                    let m = |r: usize| {
                        risk_ex.iter().map(|e| dot(&rows[r].layers[6], e)).fold(f32::MIN, f32::max)
                    };
                    m(**a).total_cmp(&m(**b))
                })
                .copied();
            if let Some(b) = best {
                train.push((b, true, group.clone()));
            }
        } else {
            for &r in ris {
                train.push((r, false, group.clone()));
            }
        }
    }
    let groups: Vec<String> = {
        let mut g: Vec<String> = train.iter().map(|t| t.2.clone()).collect();
        g.sort();
        g.dedup();
        g
    };
    eprintln!("{} training rows in {} writer groups", train.len(), groups.len());
    if std::env::args().any(|a| a == "--with-shipped") {
        with_shipped(&model, &sem, &cases, &rows, &by_case, &train, &groups);
        return;
    }

    let sets: Vec<(&str, Vec<usize>)> = vec![
        ("last (shipped vector)", vec![6]),
        ("last + layer 3", vec![6, 3]),
        ("last + layer 4", vec![6, 4]),
        ("last + layers 2, 4", vec![6, 2, 4]),
        ("layers 1-6", vec![1, 2, 3, 4, 5, 6]),
        ("last + max-pooled last", vec![6, 7]),
        ("last + emb + max", vec![6, 0, 7]),
    ];
    println!(
        "feature set | λ | dev LOWO: AUC, P@R90, P@R95, R@P80 | blind pooled: AUC, P@R90, P@R95, R@P80 | blind at dev R95 threshold: R, P"
    );
    for (name, set) in &sets {
        let t = std::time::Instant::now();
        // Per-group grams.
        let mut per_group: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
        for g in &groups {
            let xs: Vec<Vec<f32>> =
                train.iter().filter(|t| &t.2 == g).map(|t| feats(&rows[t.0].layers, set)).collect();
            let ys: Vec<f32> =
                train.iter().filter(|t| &t.2 == g).map(|t| if t.1 { 1.0 } else { 0.0 }).collect();
            per_group.insert(g.clone(), gram(&xs, &ys).expect("the sums of one group"));
        }
        let d = set.len() * 384 + 1;
        let sum = |skip: Option<&str>| {
            let mut g = vec![0f64; d * d];
            let mut h = vec![0f64; d];
            for (k, (gg, hh)) in &per_group {
                if Some(k.as_str()) == skip {
                    continue;
                }
                g.iter_mut().zip(gg).for_each(|(a, b)| *a += b);
                h.iter_mut().zip(hh).for_each(|(a, b)| *a += b);
            }
            (g, h)
        };
        let score_case = |w: &[f64], ci: usize| -> f64 {
            by_case.get(&ci).map_or(f64::MIN, |ris| {
                ris.iter()
                    .map(|&r| {
                        feats(&rows[r].layers, set).iter().zip(w).map(|(x, w)| f64::from(*x) * w).sum::<f64>()
                    })
                    .fold(f64::MIN, f64::max)
            })
        };
        for lambda in [0.3, 1.0, 3.0] {
            let mut oof: Vec<(f64, bool)> = Vec::new();
            for g in &groups {
                let (gm, h) = sum(Some(g));
                let w = solve(&gm, &h, lambda);
                for (ci, (c, grp)) in cases.iter().enumerate() {
                    if grp == g {
                        oof.push((score_case(&w, ci), c.risk));
                    }
                }
            }
            let (gm, h) = sum(None);
            let w = solve(&gm, &h, lambda);
            let blind: Vec<(f64, bool)> = cases
                .iter()
                .enumerate()
                .filter(|(_, (_, g))| !g.starts_with("dev:"))
                .map(|(ci, (c, _))| (score_case(&w, ci), c.risk))
                .collect();
            let (m, b) = (metrics(&oof), metrics(&blind));
            let thr = threshold_for_recall(&oof, 0.95);
            let (br, bp) = at_threshold(&blind, thr);
            println!(
                "{name} | {lambda} | {:.3}, {:.1}, {:.1}, {:.1} | {:.3}, {:.1}, {:.1}, {:.1} | {:.1}, {:.1}",
                m.auc,
                m.p_at_r90 * 100.0,
                m.p_at_r95 * 100.0,
                m.r_at_p80 * 100.0,
                b.auc,
                b.p_at_r90 * 100.0,
                b.p_at_r95 * 100.0,
                b.r_at_p80 * 100.0,
                br * 100.0,
                bp * 100.0
            );
        }
        eprintln!("  ({name}: {:?})", t.elapsed());
    }
}

/// The second question: beside the features the shipped model already has (similarities to the
/// exemplars and to the dev pool's sentences, and the last layer's vector), do layers 1–5 still
/// add? Each fold's features are computed with the held-out writer's cases out of the pool.
fn with_shipped(
    model: &Model,
    sem: &Semantic,
    cases: &[(eval::RiskCase, String)],
    rows: &[Row],
    by_case: &BTreeMap<usize, Vec<usize>>,
    train: &[(usize, bool, String)],
    groups: &[String],
) {
    let ex = thaw_embed::safety::exemplars();
    let (risk_v, benign_v) = sem.exemplar_vectors();
    let pool = learn::dev_pool(model, risk_v).expect("the dev pool");
    let group_of: Vec<&str> = cases.iter().map(|(_, g)| g.as_str()).collect();
    let feat = |r: usize, skip: &(dyn Fn(usize) -> bool + Sync)| -> Vec<f32> {
        let mut v: Embedding = [0f32; DIM];
        v.copy_from_slice(&rows[r].layers[6][..DIM]);
        // The shipped features end with the earlier layers 1-5 (learn::features).
        let depth: Vec<f32> = (1..=5).flat_map(|l| rows[r].layers[l].iter().copied()).collect();
        // Without the context (2026-12-03), as when this experiment was run.
        let own = learn::Reading { vector: &v, depth: &depth, context: &[] };
        let mut f = learn::sentence_features(ex, &own, risk_v, benign_v, &pool, skip);
        f.truncate(f.len() - learn::CONTEXT);
        f
    };
    let d_all = feat(0, &|_| false).len();
    let d_shipped = d_all - 5 * DIM;
    let lambdas = [100.0, 1000.0, 3000.0];
    // (set, λ) → out-of-fold case scores; then the blind scores.
    let mut oof: BTreeMap<(usize, usize), Vec<(f64, bool)>> = BTreeMap::new();
    let mut blind: BTreeMap<(usize, usize), Vec<(f64, bool)>> = BTreeMap::new();
    let fit_and_score = |tr: &[(Vec<f32>, bool)],
                         scored: &[(usize, Vec<f32>)],
                         d: usize|
     -> Vec<Vec<(usize, f64)>> {
        // Standardise on the training rows.
        let n = tr.len() as f64;
        let mut mean = vec![0f64; d];
        let mut sd = vec![0f64; d];
        for (x, _) in tr {
            for i in 0..d {
                mean[i] += f64::from(x[i]) / n;
            }
        }
        for (x, _) in tr {
            for i in 0..d {
                sd[i] += (f64::from(x[i]) - mean[i]).powi(2) / n;
            }
        }
        sd.iter_mut().for_each(|s| *s = s.sqrt().max(1e-6));
        let z = |x: &[f32]| -> Vec<f32> {
            std::iter::once(1.0).chain((0..d).map(|i| ((f64::from(x[i]) - mean[i]) / sd[i]) as f32)).collect()
        };
        let xs: Vec<Vec<f32>> = tr.iter().map(|(x, _)| z(x)).collect();
        let ys: Vec<f32> = tr.iter().map(|(_, y)| if *y { 1.0 } else { 0.0 }).collect();
        let (g, h) = gram(&xs, &ys).expect("the sums");
        let zs: Vec<(usize, Vec<f32>)> = scored.iter().map(|(c, x)| (*c, z(x))).collect();
        lambdas
            .iter()
            .map(|&l| {
                let w = solve(&g, &h, l);
                zs.iter().map(|(c, x)| (*c, x.iter().zip(&w).map(|(a, b)| f64::from(*a) * b).sum())).collect()
            })
            .collect()
    };
    let collect_cases = |scores: Vec<(usize, f64)>| -> Vec<(f64, bool)> {
        let mut best: BTreeMap<usize, f64> = BTreeMap::new();
        for (c, s) in scores {
            let e = best.entry(c).or_insert(f64::MIN);
            *e = e.max(s);
        }
        best.into_iter().map(|(c, s)| (s, cases[c].0.risk)).collect()
    };
    for g in groups.iter().map(String::as_str).chain(std::iter::once("blind")) {
        let t = std::time::Instant::now();
        let held = |c: usize| group_of.get(c) == Some(&g);
        let tr: Vec<(Vec<f32>, bool)> = train
            .par_iter()
            .filter(|t| t.2 != g)
            .map(|(r, y, _)| {
                let own = rows[*r].case;
                (feat(*r, &|c| c == own || held(c)), *y)
            })
            .collect();
        let scored_cases: Vec<usize> = by_case
            .keys()
            .copied()
            .filter(|&c| if g == "blind" { !group_of[c].starts_with("dev:") } else { group_of[c] == g })
            .collect();
        let scored: Vec<(usize, Vec<f32>)> = scored_cases
            .par_iter()
            .flat_map_iter(|c| by_case[c].iter().map(move |&r| (*c, r)))
            .map(|(c, r)| (c, feat(r, &|p| held(p))))
            .collect();
        for (set, d) in [(0usize, d_shipped), (1, d_all)] {
            let tr_d: Vec<(Vec<f32>, bool)> = tr.iter().map(|(x, y)| (x[..d].to_vec(), *y)).collect();
            let sc_d: Vec<(usize, Vec<f32>)> = scored.iter().map(|(c, x)| (*c, x[..d].to_vec())).collect();
            for (li, scores) in fit_and_score(&tr_d, &sc_d, d).into_iter().enumerate() {
                let target = if g == "blind" { &mut blind } else { &mut oof };
                target.entry((set, li)).or_default().extend(collect_cases(scores));
            }
        }
        eprintln!("  fold {g}: {:?}", t.elapsed());
    }
    // Cases with no sentence that can fire count as not flagged.
    let pad = |mut v: Vec<(f64, bool)>, dev: bool| {
        for (c, (case, grp)) in cases.iter().enumerate() {
            if grp.starts_with("dev:") == dev && !by_case.contains_key(&c) {
                v.push((f64::MIN, case.risk));
            }
        }
        v
    };
    println!(
        "feature set | λ | dev LOWO: AUC, P@R90, P@R95, R@P80 | blind pooled: AUC, P@R90, P@R95, R@P80 | blind at dev R95 threshold: R, P"
    );
    for set in 0..2 {
        for (li, l) in lambdas.iter().enumerate() {
            let o = pad(oof[&(set, li)].clone(), true);
            let b = pad(blind[&(set, li)].clone(), false);
            let (m, bm) = (metrics(&o), metrics(&b));
            let (br, bp) = at_threshold(&b, threshold_for_recall(&o, 0.95));
            println!(
                "{} | {l} | {:.3}, {:.1}, {:.1}, {:.1} | {:.3}, {:.1}, {:.1}, {:.1} | {:.1}, {:.1}  ({} / {} cases)",
                ["shipped features", "shipped + layers 1-5"][set],
                m.auc,
                m.p_at_r90 * 100.0,
                m.p_at_r95 * 100.0,
                m.r_at_p80 * 100.0,
                bm.auc,
                bm.p_at_r90 * 100.0,
                bm.p_at_r95 * 100.0,
                bm.r_at_p80 * 100.0,
                br * 100.0,
                bp * 100.0,
                o.len(),
                b.len()
            );
        }
    }
}
