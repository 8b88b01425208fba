//! Experiment only (nothing here is used by the check): writes every sentence that can fire of
//! every risk case, and the exemplars, with the shipped similarity features and the encoder's
//! layer vectors, to a folder, for quick comparisons of readers outside Rust
//! (`examples/readers.py`, numpy and scikit-learn). How "Read in its text" in docs/SAFETY.md was
//! found.
//!
//! cargo run -p thaw-embed --example dump --release -- OUT_DIR
//!
//! OUT_DIR gets `x.f32` (one row per sentence, then per exemplar: 27 similarity features with
//! the sentence's own case left out of the neighbours, the same with its whole dev file left out,
//! then the mean-pooled vectors after the embeddings and each of the six layers and the max-pooled
//! last layer, 384 each; little-endian f32), `rows.tsv` (kind, case, sentence, risky, training
//! row) and `cases.tsv` (case, group, risky, phrase layer's decision, kind, sentences).

use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;
use thaw_embed::safety::{Layer, Semantic};
use thaw_embed::{DIM, Embedding, Model, SafetyNet, eval, learn, safety::phrase_marks, sentences};

fn main() {
    let out = std::env::args().nth(1).expect("OUT_DIR");
    let model = Arc::new(Model::find_and_load(None).expect("model"));
    let sem = Semantic::new(model.clone()).expect("semantic");
    let ex = thaw_embed::safety::exemplars();
    let (risk_v, benign_v) = sem.exemplar_vectors();
    let pool = learn::dev_pool(&model, risk_v).expect("pool");
    let phrase_sem = Semantic::new(model.clone()).expect("semantic");
    let mut t = phrase_sem.thresholds();
    t.model_floor = 0.0;
    let phrase_net = SafetyNet::with_semantic(phrase_sem.with_thresholds(t));
    let named = learn::feature_names(ex)
        .iter()
        .filter(|n| !n.starts_with("vector:") && !n.starts_with("layer"))
        .count();

    let dev = eval::risk_cases("dev");
    let src = eval::risk_sources("dev");
    // (case, group)
    let mut cases: Vec<(eval::RiskCase, String)> =
        dev.iter().cloned().zip(src.iter().map(|f| format!("dev{f}"))).collect();
    for s in eval::risk_splits().into_iter().filter(|s| s != "dev") {
        for c in eval::risk_cases(&s) {
            cases.push((c, s.clone()));
        }
    }
    let ndev = dev.len();
    let mut texts: Vec<String> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new();
    let mut case_meta = std::fs::File::create(format!("{out}/cases.tsv")).expect("file");
    for (ci, (c, g)) in cases.iter().enumerate() {
        let parts = sentences::split(&c.text);
        let (denied, affirmed) = phrase_marks(&c.text, &parts);
        for (i, p) in parts.iter().enumerate() {
            if !denied[i] || affirmed[i] {
                texts.push((*p).to_owned());
                owner.push((ci, i));
            }
        }
        let check = phrase_net.check(&c.text);
        let phrase = check.hits.iter().any(|h| h.layer == Layer::Phrase);
        writeln!(
            case_meta,
            "{ci}\t{g}\t{}\t{}\t{}\t{}",
            u8::from(c.risk),
            u8::from(phrase),
            c.kind,
            parts.len()
        )
        .expect("write");
    }
    let ex_texts: Vec<String> = ex.risk.iter().chain(&ex.benign).map(|(_, t)| t.clone()).collect();
    eprintln!("{} cases, {} sentences, {} exemplars; encoding…", cases.len(), texts.len(), ex_texts.len());
    let started = std::time::Instant::now();
    let all: Vec<&str> = texts.iter().chain(&ex_texts).map(String::as_str).collect();
    let mut layers = Vec::new();
    for chunk in all.chunks(2000) {
        layers.extend(model.embed_layers(chunk).expect("encodes"));
    }
    eprintln!("encoded in {:?}", started.elapsed());
    let vec_of = |l: &[Vec<f32>]| -> Embedding {
        let mut v = [0f32; DIM];
        v.copy_from_slice(&l[6][..DIM]);
        v
    };
    let depth_of = |l: &[Vec<f32>]| -> Vec<f32> { (1..=5).flat_map(|k| l[k].iter().copied()).collect() };
    // Which sentence of a risky case is its training row: the closest to a risk meaning.
    let mut closest: std::collections::HashMap<usize, (usize, f32)> = Default::default();
    for (r, &(ci, _)) in owner.iter().enumerate() {
        if cases[ci].0.risk {
            let v = vec_of(&layers[r]);
            let m = risk_v.iter().map(|e| learn::dot(&v, e)).fold(f32::MIN, f32::max);
            let e = closest.entry(ci).or_insert((r, m));
            if m > e.1 {
                *e = (r, m);
            }
        }
    }
    let group: Vec<&str> = cases.iter().map(|(_, g)| g.as_str()).collect();
    let rows: Vec<Vec<f32>> = (0..owner.len())
        .into_par_iter()
        .map(|r| {
            let (ci, _) = owner[r];
            let l = &layers[r];
            let (v, d) = (vec_of(l), depth_of(l));
            let reading = learn::Reading { vector: &v, depth: &d, context: &[] };
            let own = learn::sentence_features(ex, &reading, risk_v, benign_v, &pool, |c| c == ci);
            let g = group[ci];
            let by_group = if ci < ndev {
                learn::sentence_features(ex, &reading, risk_v, benign_v, &pool, |c| group[c] == g)
            } else {
                own.clone()
            };
            let mut row = own[..named].to_vec();
            row.extend_from_slice(&by_group[..named]);
            for layer in &l[..8] {
                row.extend_from_slice(layer);
            }
            row
        })
        .collect();
    let depth_ex: Vec<Vec<f32>> = layers[owner.len()..].iter().map(|l| depth_of(l)).collect();
    let ex_rows = learn::exemplar_features(ex, risk_v, benign_v, &depth_ex, &pool, |_| false);
    let mut x = std::io::BufWriter::new(std::fs::File::create(format!("{out}/x.f32")).expect("file"));
    let mut meta = std::fs::File::create(format!("{out}/rows.tsv")).expect("file");
    let put = |x: &mut std::io::BufWriter<std::fs::File>, row: &[f32]| {
        for f in row {
            x.write_all(&f.to_le_bytes()).expect("write");
        }
    };
    for (r, row) in rows.iter().enumerate() {
        let (ci, si) = owner[r];
        let train = ci < ndev && (!cases[ci].0.risk || closest.get(&ci).map(|c| c.0) == Some(r));
        writeln!(meta, "s\t{ci}\t{si}\t{}\t{}", u8::from(cases[ci].0.risk), u8::from(train)).expect("write");
        put(&mut x, row);
    }
    for (i, (f, risky)) in ex_rows.iter().enumerate() {
        let l = &layers[owner.len() + i];
        let mut row = f[..named].to_vec();
        row.extend_from_slice(&f[..named]);
        for layer in &l[..8] {
            row.extend_from_slice(layer);
        }
        writeln!(meta, "e\t-1\t{i}\t{}\t1", u8::from(*risky)).expect("write");
        put(&mut x, &row);
    }
    eprintln!("named {named}, dims {}", 2 * named + 8 * DIM);
}
