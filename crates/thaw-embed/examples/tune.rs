//! Experiment: fine-tuning MiniLM's last layer(s) for the risk check, against a logistic head on
//! the frozen vector, with the newest writer's dev cases held out (cross-writer).
//!
//! `cargo run -p thaw-embed --example tune --release -- [LAYERS] [LR] [EPOCHS]`

use std::sync::Arc;

use candle_core::{D, DType, Device, Tensor, Var};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use thaw_embed::eval::{risk_cases, risk_sources};
use thaw_embed::safety::{Semantic, phrase_marks};
use thaw_embed::{Model, SafetyNet};

const EPS: f64 = 1e-12;
const HEADS: usize = 12;

struct TLayer {
    w: std::collections::HashMap<&'static str, Var>,
}

fn lin(x: &Tensor, w: &Tensor, b: &Tensor) -> candle_core::Result<Tensor> {
    x.broadcast_matmul(&w.t()?)?.broadcast_add(b)
}

fn norm(x: &Tensor, w: &Tensor, b: &Tensor) -> candle_core::Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let xc = x.broadcast_sub(&mean)?;
    let var = xc.sqr()?.mean_keepdim(D::Minus1)?;
    let xn = xc.broadcast_div(&(var + EPS)?.sqrt()?)?;
    xn.broadcast_mul(w)?.broadcast_add(b)
}

impl TLayer {
    fn g(&self, k: &str) -> &Tensor {
        self.w[k].as_tensor()
    }
    fn forward(&self, x: &Tensor, bias: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, len, hidden) = x.dims3()?;
        let hd = hidden / HEADS;
        let split = |t: Tensor| -> candle_core::Result<Tensor> {
            t.reshape((batch, len, HEADS, hd))?.transpose(1, 2)?.contiguous()
        };
        let q = split(lin(x, self.g("query"), self.g("query.bias"))?)?;
        let k = split(lin(x, self.g("key"), self.g("key.bias"))?)?;
        let v = split(lin(x, self.g("value"), self.g("value.bias"))?)?;
        let scores = (q.matmul(&k.t()?.contiguous()?)? * (1.0 / (hd as f64).sqrt()))?.broadcast_add(bias)?;
        let max = scores.max_keepdim(D::Minus1)?.detach();
        let e = scores.broadcast_sub(&max)?.exp()?;
        let probs = e.broadcast_div(&e.sum_keepdim(D::Minus1)?)?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((batch, len, hidden))?;
        let attended = norm(
            &(lin(&ctx, self.g("attn_out"), self.g("attn_out.bias"))? + x)?,
            self.g("attn_norm"),
            self.g("attn_norm.bias"),
        )?;
        let inner = lin(&attended, self.g("intermediate"), self.g("intermediate.bias"))?.gelu_erf()?;
        norm(
            &(lin(&inner, self.g("output"), self.g("output.bias"))? + attended)?,
            self.g("out_norm"),
            self.g("out_norm.bias"),
        )
    }
}

/// Pads token states into one batch: `[batch, len, 384]`, mask `[batch, len]`.
fn pad(states: &[&Tensor]) -> candle_core::Result<(Tensor, Tensor)> {
    let len = states.iter().map(|s| s.dims()[0]).max().unwrap_or(1);
    let dev = Device::Cpu;
    let mut rows = Vec::new();
    let mut mask = Vec::new();
    for s in states {
        let n = s.dims()[0];
        if n < len {
            rows.push(Tensor::cat(&[*s, &Tensor::zeros((len - n, 384), DType::F32, &dev)?], 0)?);
        } else {
            rows.push((*s).clone());
        }
        mask.extend(std::iter::repeat_n(1f32, n));
        mask.extend(std::iter::repeat_n(0f32, len - n));
    }
    Ok((Tensor::stack(&rows, 0)?, Tensor::from_vec(mask, (states.len(), len), &dev)?))
}

fn pooled(layers: &[TLayer], x: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let (batch, len, _) = x.dims3()?;
    let bias = ((mask.ones_like()? - mask)? * -10_000.0)?.reshape((batch, 1, 1, len))?;
    let mut h = x.clone();
    for l in layers {
        h = l.forward(&h, &bias)?;
    }
    let m = mask.unsqueeze(2)?;
    let mean = h.broadcast_mul(&m)?.sum(1)?.broadcast_div(&m.sum(1)?)?;
    let n = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?;
    mean.broadcast_div(&n)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n_layers: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    let lr: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5e-5);
    let epochs: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(4);
    let held_file: Option<usize> = args.get(4).and_then(|a| a.parse().ok());
    let dir = std::env::var("THAW_MODEL_DIR").expect("THAW_MODEL_DIR");
    let model = Arc::new(Model::load(std::path::Path::new(&dir)).expect("model"));
    let sem = Semantic::new(model.clone()).expect("exemplars").with_linear(None);
    let (risk, _) = sem.exemplar_vectors();
    let phrase_net = SafetyNet::with_semantic(Semantic::new(model.clone()).expect("exemplars"));
    let dev = risk_cases("dev");
    let source = risk_sources("dev");
    let held_src = held_file.unwrap_or(source.iter().copied().max().unwrap_or(0));
    let texts: Vec<&str> = dev.iter().map(|c| c.text.as_str()).collect();
    let encoded = model.embed_shipped_sentences("dev-pool", &texts).expect("encodes");
    // (case, sentence text, label, in_pool)
    let mut train: Vec<(String, bool)> = Vec::new();
    let mut held: Vec<(usize, String)> = Vec::new();
    let mut pool = thaw_embed::learn::DevPool::default();
    let mut held_vecs: Vec<thaw_embed::Embedding> = Vec::new();
    for (ci, (case, (parts, vs))) in dev.iter().zip(&encoded).enumerate() {
        let (denied, affirmed) = phrase_marks(&case.text, parts);
        let ok: Vec<usize> = (0..parts.len()).filter(|&i| !denied[i] || affirmed[i]).collect();
        let closest = if case.risk {
            let m =
                |i: usize| risk.iter().map(|e| thaw_embed::learn::dot(&vs[i], e)).fold(f32::MIN, f32::max);
            ok.iter().map(|&i| (i, m(i))).max_by(|a, b| a.1.total_cmp(&b.1)).map(|(i, _)| i)
        } else {
            None
        };
        for &i in &ok {
            if source[ci] == held_src {
                held.push((ci, parts[i].to_owned()));
                held_vecs.push(vs[i]);
            } else if !case.risk || Some(i) == closest {
                train.push((parts[i].to_owned(), case.risk));
                pool.vectors.push(vs[i]);
                pool.risky.push(case.risk);
                pool.case.push(ci);
            }
        }
    }
    let held_cases: Vec<usize> = (0..dev.len()).filter(|&c| source[c] == held_src).collect();
    let phrase: Vec<bool> = dev.iter().map(|c| phrase_net.check(&c.text).phrase).collect();
    eprintln!(
        "train sentences {}, held-out cases {} ({} sentences)",
        train.len(),
        held_cases.len(),
        held.len()
    );
    let mut probe_p: Vec<f32> = Vec::new();
    {
        // The shipped kind of model: the probe over similarities and the vector, with the held-out
        // writer's sentences never neighbours.
        use thaw_embed::learn::{exemplar_features, feature_signs, fit_weighted, sentence_features};
        let ex = thaw_embed::safety::exemplars();
        let (risk, benign) = sem.exemplar_vectors();
        let mut rows = exemplar_features(ex, risk, benign, &pool, |_| false);
        for (k, v) in pool.vectors.iter().enumerate() {
            let c = pool.case[k];
            rows.push((sentence_features(ex, v, risk, benign, &pool, |c2| c2 == c), dev[c].risk));
        }
        let xs: Vec<Vec<f32>> = rows.iter().map(|r| r.0.clone()).collect();
        let ys: Vec<bool> = rows.iter().map(|r| r.1).collect();
        for l2 in [0.1f32, 0.2] {
            let lin = fit_weighted(&xs, &ys, l2, 0.5, 1.0, &feature_signs(ex));
            let p: Vec<f32> = held_vecs
                .iter()
                .map(|v| lin.prob(&sentence_features(ex, v, risk, benign, &pool, |_| false)))
                .collect();
            report_cases(&dev, &held, &held_cases, &phrase, &p, &format!("probe l2 {l2}"));
            if l2 == 0.1 {
                probe_p = p;
            }
        }
        if n_layers == 0 {
            return;
        }
    }
    let upto = 6 - n_layers;
    let t0 = std::time::Instant::now();
    let tr_texts: Vec<&str> = train.iter().map(|t| t.0.as_str()).collect();
    let tr_states = model.states_upto(&tr_texts, upto).expect("states");
    let ho_texts: Vec<&str> = held.iter().map(|t| t.1.as_str()).collect();
    let ho_states = model.states_upto(&ho_texts, upto).expect("states");
    eprintln!("states in {:?}", t0.elapsed());
    let layers: Vec<TLayer> = (upto..6)
        .map(|i| TLayer {
            w: model
                .layer_weights(i)
                .into_iter()
                .map(|(k, t)| (k, Var::from_tensor(&t).expect("var")))
                .collect(),
        })
        .collect();
    let dev_cpu = Device::Cpu;
    let head_w = Var::from_tensor(&Tensor::zeros((384, 1), DType::F32, &dev_cpu).unwrap()).unwrap();
    let head_b = Var::from_tensor(&Tensor::zeros(1, DType::F32, &dev_cpu).unwrap()).unwrap();
    let layer_vars: Vec<Var> = layers.iter().flat_map(|l| l.w.values().cloned()).collect();
    let mut opt_layers =
        AdamW::new(layer_vars, ParamsAdamW { lr, weight_decay: 0.01, ..Default::default() }).unwrap();
    let mut opt_head = AdamW::new(
        vec![head_w.clone(), head_b.clone()],
        ParamsAdamW { lr: 1e-2, weight_decay: 0.0, ..Default::default() },
    )
    .unwrap();
    let batch = 32;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let probs = |layers: &[TLayer]| -> Vec<f32> {
        let mut out = vec![0f32; held.len()];
        let mut idx: Vec<usize> = (0..held.len()).collect();
        idx.sort_by_key(|&i| ho_states[i].dims()[0]);
        for chunk in idx.chunks(64) {
            let st: Vec<&Tensor> = chunk.iter().map(|&i| &ho_states[i]).collect();
            let (x, m) = pad(&st).unwrap();
            let v = pooled(layers, &x, &m).unwrap();
            let z = v.matmul(head_w.as_tensor()).unwrap().broadcast_add(head_b.as_tensor()).unwrap();
            let z: Vec<f32> = z.flatten_all().unwrap().to_vec1().unwrap();
            for (&i, z) in chunk.iter().zip(z) {
                out[i] = 1.0 / (1.0 + (-z).exp());
            }
        }
        out
    };
    let report = |p: &[f32], label: &str| report_cases(&dev, &held, &held_cases, &phrase, p, label);
    for epoch in 0..epochs {
        // First epoch: the head alone (so the layers start from a sensible head).
        for i in (1..order.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut total = 0f64;
        for chunk in order.chunks(batch) {
            let st: Vec<&Tensor> = chunk.iter().map(|&i| &tr_states[i]).collect();
            let (x, m) = pad(&st).unwrap();
            let y: Vec<f32> = chunk.iter().map(|&i| if train[i].1 { 1.0 } else { 0.0 }).collect();
            let y = Tensor::from_vec(y, (chunk.len(), 1), &dev_cpu).unwrap();
            let v = if epoch == 0 {
                pooled(&layers, &x, &m).unwrap().detach()
            } else {
                pooled(&layers, &x, &m).unwrap()
            };
            let z = v.matmul(head_w.as_tensor()).unwrap().broadcast_add(head_b.as_tensor()).unwrap();
            // log(1 + e^z) - y z
            let loss = ((z.exp().unwrap() + 1.0).unwrap().log().unwrap() - (&y * &z).unwrap())
                .unwrap()
                .mean_all()
                .unwrap();
            total += f64::from(loss.to_scalar::<f32>().unwrap());
            let grads = loss.backward().unwrap();
            opt_head.step(&grads).unwrap();
            if epoch > 0 {
                opt_layers.step(&grads).unwrap();
            }
        }
        println!("epoch {epoch}: loss {:.4} ({:?})", total / (order.len() / batch) as f64, t0.elapsed());
        let tuned = probs(&layers);
        report(&tuned, &format!("epoch {epoch} held-out file {}", held_src + 1));
        let mean: Vec<f32> = tuned.iter().zip(&probe_p).map(|(a, b)| (a + b) / 2.0).collect();
        report(&mean, &format!("epoch {epoch} tuned+probe mean"));
    }
}

fn report_cases(
    dev: &[thaw_embed::eval::RiskCase],
    held: &[(usize, String)],
    held_cases: &[usize],
    phrase: &[bool],
    p: &[f32],
    label: &str,
) {
    let mut case_p = std::collections::HashMap::new();
    for ((c, _), p) in held.iter().zip(p) {
        let e = case_p.entry(*c).or_insert(0f32);
        *e = e.max(*p);
    }
    let mut best = (0f64, String::new());
    let mut all = Vec::new();
    for t in (10..=90).step_by(5).map(|t| t as f32 / 100.0) {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for &c in held_cases {
            let said = phrase[c] || case_p.get(&c).copied().unwrap_or(0.0) >= t;
            match (dev[c].risk, said) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
        let r = tp as f64 / (tp + fn_).max(1) as f64;
        let pr = tp as f64 / (tp + fp).max(1) as f64;
        let f2 = (r / 0.95).min(pr / 0.90);
        let line = format!("t {t:.2}: {:.1} / {:.1} (toward {f2:.3})", r * 100.0, pr * 100.0);
        all.push(format!("{:.1}/{:.1}", r * 100.0, pr * 100.0));
        if f2 > best.0 {
            best = (f2, line);
        }
    }
    println!("{label}: best {}  [curve t=.10..: {}]", best.1, all.join(" "));
}
