//! Prints recall and precision of the risk check (phrase layer, semantic layer, combined) and the
//! top-5 hit rate of "words that might fit" against a keyword baseline, for every split in
//! `crates/thaw-embed/eval/` (dev, the held-out test half, and any split added later, such as
//! "fresh"), plus the later dev material (`*-dev2.jsonl`) on its own.
//!
//! cargo run -p thaw-embed --example eval --release [-- --misses] [-- --grid]
//!
//! `--misses` lists the dev cases the check gets wrong (never those of other splits: they are held
//! out); `--grid` tries other thresholds on the dev half; `--baseline` also reports the similarity
//! thresholds without the trained model; `--train` cross-validates the sentence model on dev and
//! writes it into content/risk_exemplars.toml (src/learn.rs); `--dev` shows the dev figures only.

use std::sync::Arc;

use thaw_embed::eval::{
    RiskReport, SuggestCase, evaluate_risk, evaluate_suggest, risk_cases, risk_dev2_cases, risk_dev3_cases,
    risk_splits, suggest_cases, suggest_dev2_cases, suggest_dev3_cases, suggest_splits,
};
use thaw_embed::safety::{Semantic, Thresholds};
use thaw_embed::{Model, SafetyNet, Suggester};

fn pct(x: f64) -> String {
    format!("{:5.1}%", x * 100.0)
}

fn print_risk(split: &str, r: &RiskReport) {
    println!("risk check, {split} ({} cases):", r.cases);
    for (name, c) in [("phrase", r.phrase), ("semantic", r.semantic), ("combined", r.combined)] {
        println!(
            "  {name:<9} recall {}  precision {}  false alarms {}  (tp {} fp {} fn {} tn {})",
            pct(c.recall()),
            pct(c.precision()),
            pct(c.false_alarm_rate()),
            c.tp,
            c.fp,
            c.fn_,
            c.tn
        );
    }
}

/// Per kind of case (dev material only): how many were flagged, by either layer.
fn print_kinds(net: &SafetyNet, cases: &[thaw_embed::eval::RiskCase]) {
    let mut kinds: std::collections::BTreeMap<(bool, &str), (usize, usize)> = Default::default();
    for c in cases {
        let e = kinds.entry((c.risk, c.kind.as_str())).or_default();
        e.0 += 1;
        if net.check(&c.text).is_hit() {
            e.1 += 1;
        }
    }
    for ((risk, kind), (n, flagged)) in kinds {
        let what = if risk { "risky" } else { "safe " };
        println!("    {what} {kind:<12} {flagged:>3} of {n:>3} flagged");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let misses = args.iter().any(|a| a == "--misses");
    let model = match Model::find_and_load(None) {
        Ok(m) => Arc::new(m),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if args.iter().any(|a| a == "--train") {
        train(&model, !args.iter().any(|a| a == "--no-pool"));
        return;
    }
    // `--dev`: only the dev half (so that working on dev doesn't keep showing held-out figures).
    let dev_only = args.iter().any(|a| a == "--dev");
    let shown = |split: &String| !dev_only || split == "dev";
    let net = SafetyNet::with_model(model.clone());
    if args.iter().any(|a| a == "--baseline") {
        // The similarity thresholds alone, without the trained model (for comparison).
        let sem = Semantic::new(model.clone()).expect("exemplars embed").with_linear(None);
        let plain = SafetyNet::with_semantic(sem);
        for split in risk_splits().into_iter().filter(shown) {
            print_risk(&format!("{split}, thresholds only"), &evaluate_risk(&plain, &risk_cases(&split)));
        }
        print_risk("dev2, thresholds only", &evaluate_risk(&plain, &risk_dev2_cases()));
    }
    for split in risk_splits().into_iter().filter(shown) {
        let r = evaluate_risk(&net, &risk_cases(&split));
        print_risk(&split, &r);
        if split == "dev" && misses {
            for m in &r.missed {
                println!("    missed: {m}");
            }
            for m in &r.false_alarms {
                println!("    false alarm: {m}");
            }
        }
    }
    print_risk("dev, later material only (risk-dev2.jsonl)", &evaluate_risk(&net, &risk_dev2_cases()));
    let r3 = evaluate_risk(&net, &risk_dev3_cases());
    print_risk("dev, third writer only (risk-dev3.jsonl)", &r3);
    if args_has("--kinds") {
        print_kinds(&net, &risk_dev3_cases());
    }
    if misses && args_has("--dev3") {
        for m in &r3.missed {
            println!("    dev3 missed: {m}");
        }
        for m in &r3.false_alarms {
            println!("    dev3 false alarm: {m}");
        }
    }
    if args.iter().any(|a| a == "--grid") {
        let dev = risk_cases("dev");
        let base = Semantic::new(model.clone()).expect("exemplars embed").thresholds();
        for risk in [0.44f32, 0.48, 0.52, 0.56] {
            for margin in [0.0f32, 0.03, 0.06] {
                for (strong, veto) in [
                    (0.66f32, base.veto),
                    (0.72, base.veto),
                    (0.80, base.veto),
                    (base.strong, 0.0),
                    (base.strong, 0.1),
                    (base.strong, 1.0),
                ] {
                    let t = Thresholds { risk, margin, strong, veto, ..base };
                    let sem = Semantic::new(model.clone())
                        .expect("exemplars embed")
                        .with_thresholds(t)
                        .with_linear(None);
                    let r = evaluate_risk(&SafetyNet::with_semantic(sem), &dev);
                    let c = r.combined;
                    println!(
                        "grid risk {risk:.2} margin {margin:.2} strong {strong:.2} veto {veto:.2}: combined recall {} precision {}  semantic recall {} precision {}",
                        pct(c.recall()),
                        pct(c.precision()),
                        pct(r.semantic.recall()),
                        pct(r.semantic.precision())
                    );
                }
            }
        }
    }
    let vocabulary = thaw_core::vocab::vocabulary();
    let suggester = Suggester::new(model, vocabulary).expect("vocabulary embeds");
    let report = |name: &str, cases: &[SuggestCase]| {
        let r = evaluate_suggest(&suggester, vocabulary, cases).expect("suggests");
        println!(
            "words that might fit, {name} ({} texts): top-5 hit rate {} (keyword baseline {})",
            r.cases,
            pct(r.model_rate()),
            pct(r.baseline_rate())
        );
        r
    };
    for split in suggest_splits().into_iter().filter(shown) {
        let r = report(&split, &suggest_cases(&split));
        if split == "dev" && misses {
            for m in &r.missed {
                println!("    missed: {m}");
            }
        }
    }
    report("dev, later material only (suggest-dev2.jsonl)", &suggest_dev2_cases());
    let r3 = report("dev, third writer only (suggest-dev3.jsonl)", &suggest_dev3_cases());
    if misses && args_has("--dev3") {
        for m in &r3.missed {
            println!("    dev3 missed: {m}");
        }
    }
}

/// `--train`: 10-fold cross-validation of the sentence model on the dev half, then the model
/// trained on all of dev written into content/risk_exemplars.toml. `--no-pool` leaves the dev
/// sentences out as neighbours (to compare).
fn train(model: &Arc<Model>, use_pool: bool) {
    use thaw_embed::eval::Counts;
    use thaw_embed::learn::{DevPool, dev_sentences, exemplar_features, fit, sentence_features, write_model};
    const FOLDS: usize = 10;
    let ex = thaw_embed::safety::exemplars();
    let sem = Semantic::new(model.clone()).expect("exemplars embed").with_linear(None);
    let (risk, benign) = sem.exemplar_vectors();
    let phrase_net = SafetyNet::with_semantic(Semantic::new(model.clone()).expect("exemplars embed"));
    let dev = risk_cases("dev");
    let first_dev2 = dev.len() - risk_dev2_cases().len();
    let sents = dev_sentences(model, risk, &dev).expect("encodes");
    let mut pool = DevPool::default();
    if use_pool {
        for (c, v, in_pool) in &sents {
            if *in_pool {
                pool.vectors.push(*v);
                pool.risky.push(dev[*c].risk);
                pool.case.push(*c);
            }
        }
    }
    // The phrase layer's decision (with the veto, which doesn't depend on the trained model).
    let phrase: Vec<bool> = dev.iter().map(|c| phrase_net.check(&c.text).phrase).collect();
    // Rows for training without `fold` (None: all), and features of the held-out sentences.
    let prepare = |fold: Option<usize>| {
        let out_of = |c: usize| Some(c % FOLDS) == fold;
        let mut rows = exemplar_features(ex, risk, benign, &pool, out_of);
        let mut held = Vec::new();
        for (c, v, in_pool) in &sents {
            if out_of(*c) {
                held.push((*c, sentence_features(ex, v, risk, benign, &pool, out_of)));
            } else if *in_pool {
                let f = sentence_features(ex, v, risk, benign, &pool, |c2| out_of(c2) || c2 == *c);
                rows.push((f, dev[*c].risk));
            }
        }
        (rows, held)
    };
    let folds: Vec<_> = (0..FOLDS).map(|f| prepare(Some(f))).collect();
    let mut best: Option<(f64, f32, f32)> = None;
    let mut table = Vec::new();
    for l2 in [0.001f32, 0.01, 0.05] {
        // Out-of-fold probability of each dev case (its most likely sentence).
        let mut oof = vec![0f32; dev.len()];
        for (rows, held) in &folds {
            let xs: Vec<Vec<f32>> = rows.iter().map(|r| r.0.clone()).collect();
            let ys: Vec<bool> = rows.iter().map(|r| r.1).collect();
            let lin = fit(&xs, &ys, l2, 0.5);
            for (c, f) in held {
                oof[*c] = oof[*c].max(lin.prob(f));
            }
        }
        for t in (20..=80).step_by(5).map(|t| t as f32 / 100.0) {
            let (mut c, mut s, mut c2) = (Counts::default(), Counts::default(), Counts::default());
            for (i, case) in dev.iter().enumerate() {
                c.add(case.risk, phrase[i] || oof[i] >= t);
                s.add(case.risk, oof[i] >= t);
                if i >= first_dev2 {
                    c2.add(case.risk, phrase[i] || oof[i] >= t);
                }
            }
            // How close to both targets at once (recall 95%, precision 90%): 1.0 meets both.
            let f2 = (c.recall() / 0.95).min(c.precision() / 0.90);
            table.push(format!(
                "cv l2 {l2:.3} threshold {t:.2}: combined recall {} precision {}  semantic recall {} precision {}  toward targets {:.3}  (dev2 part: combined recall {} precision {})",
                pct(c.recall()),
                pct(c.precision()),
                pct(s.recall()),
                pct(s.precision()),
                f2,
                pct(c2.recall()),
                pct(c2.precision()),
            ));
            if best.is_none_or(|b| f2 > b.0) {
                best = Some((f2, l2, t));
            }
        }
    }
    for line in &table {
        println!("{line}");
    }
    let (f2, l2, t) = best.expect("a setting");
    println!("chosen: l2 {l2} threshold {t} (cross-validated, toward targets {f2:.3})");
    if args_has("--dry") {
        return;
    }
    let (rows, _) = prepare(None);
    let xs: Vec<Vec<f32>> = rows.iter().map(|r| r.0.clone()).collect();
    let ys: Vec<bool> = rows.iter().map(|r| r.1).collect();
    let lin = fit(&xs, &ys, l2, t);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/risk_exemplars.toml");
    let text = std::fs::read_to_string(&path).expect("reads the exemplar file");
    let note = format!(
        "Logistic model over similarity features (to the exemplars above and to the dev half's\nsentences), trained on the dev half of crates/thaw-embed/eval ({} cases) and the exemplars;\nL2 {l2} and threshold {t} chosen by {FOLDS}-fold cross-validation on dev, as the setting closest\nto both targets (recall 95%, precision 90%).",
        dev.len()
    );
    std::fs::write(&path, write_model(&text, ex, &lin, &note)).expect("writes the exemplar file");
    println!("wrote {}", path.display());
}

fn args_has(flag: &str) -> bool {
    std::env::args().any(|a| a == flag)
}
