//! Prints recall and precision of the risk check (phrase layer, semantic layer, combined) and the
//! top-5 hit rate of "words that might fit" against a keyword baseline, for every split in
//! `crates/thaw-embed/eval/` (dev, the held-out test half, and any split added later, such as
//! "fresh"), plus each later writer's dev material (`*-dev2.jsonl` … `*-dev4.jsonl`) on its own.
//!
//! cargo run -p thaw-embed --example eval --release [-- --misses] [-- --grid]
//!
//! `--misses` lists the dev cases the check gets wrong (never those of other splits: they are held
//! out); `--grid` tries other thresholds on the dev half; `--baseline` also reports the similarity
//! thresholds without the trained model; `--train` cross-validates the sentence model on dev and
//! writes it into content/risk_exemplars.toml (src/learn.rs; `--dry` only prints, `--cv-misses`
//! lists the dev cases it gets wrong under cross-validation, `--setting SET,L2,WEIGHT,THRESHOLD`
//! writes another setting than the chosen one, `--probe` tries only the set with the sentence's
//! own vector, `--deep` only the one with its earlier layers too, `--context` only the one with its
//! text's context too (an experiment: not tried by default, see `--buried`), `--sets deep,context`
//! those named; `--bury` also trains each risky sentence among calm company; `--union` with
//! `--sets deep,context` cross-validates the context model as a second opinion beside the deep
//! one, each pair of thresholds, and `--write-union` writes the chosen pair as `[model]` and
//! `[second]`); `--buried` checks
//! whether risky texts the check flags alone are still flagged between two calm ones; `--suggest-cv` cross-validates the votes of the nearest labelled texts for the
//! word suggestions; `--file N --kinds` and `--file N --misses` break one dev file down (N = 1
//! for risk-dev2.jsonl, 2 for dev3 … 5 for dev6); `--dev` shows the dev figures only, `--only
//! SPLIT` one split alone (a new set measured once, without showing the others).

use std::sync::Arc;

use thaw_embed::eval::{
    RISK_FILES, RiskReport, SuggestCase, evaluate_risk, evaluate_suggest, risk_cases, risk_file_cases,
    risk_sources, risk_splits, suggest_cases, suggest_file_cases, suggest_sources, suggest_splits,
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
    if args.iter().any(|a| a == "--suggest-cv") {
        suggest_cv(&model);
        return;
    }
    if args.iter().any(|a| a == "--train") {
        train(&model, !args.iter().any(|a| a == "--no-pool"));
        return;
    }
    // `--dev`: only the dev half (so that working on dev doesn't keep showing held-out figures).
    // `--only SPLIT`: that split alone (a new set measured once, without showing the others).
    let dev_only = args.iter().any(|a| a == "--dev");
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let shown = |split: &String| match &only {
        Some(o) => split == o,
        None => !dev_only || split == "dev",
    };
    let net = SafetyNet::with_model(model.clone());
    if args_has("--buried") {
        buried(&net, &model, shown);
        return;
    }
    if args.iter().any(|a| a == "--baseline") {
        // The similarity thresholds alone, without the trained model (for comparison).
        let sem = Semantic::new(model.clone()).expect("exemplars embed").with_linear(None);
        let plain = SafetyNet::with_semantic(sem);
        for split in risk_splits().into_iter().filter(shown) {
            print_risk(&format!("{split}, thresholds only"), &evaluate_risk(&plain, &risk_cases(&split)));
        }
        print_risk("dev2, thresholds only", &evaluate_risk(&plain, &risk_file_cases(1)));
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
    // Each later writer's dev material alone; `--kinds` and `--misses --file N` look closer.
    let file = args.iter().position(|a| a == "--file").and_then(|i| args.get(i + 1)?.parse::<usize>().ok());
    for (f, name) in RISK_FILES.iter().enumerate().skip(1) {
        let cases = risk_file_cases(f);
        let r = evaluate_risk(&net, &cases);
        print_risk(&format!("dev, {name} only"), &r);
        if file == Some(f) {
            if args_has("--kinds") {
                print_kinds(&net, &cases);
            }
            if misses {
                for m in &r.missed {
                    println!("    {name} missed: {m}");
                }
                for m in &r.false_alarms {
                    println!("    {name} false alarm: {m}");
                }
            }
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
    for f in 1..RISK_FILES.len() {
        let r = report(&format!("dev, file {} only", f + 1), &suggest_file_cases(f));
        if misses && file == Some(f) {
            for m in &r.missed {
                println!("    file {} missed: {m}", f + 1);
            }
        }
    }
}

/// `--train`: 10-fold cross-validation of the sentence model on the dev half, then the model
/// trained on all of dev written into content/risk_exemplars.toml. `--no-pool` leaves the dev
/// sentences out as neighbours (to compare). Also printed for each setting: each file's part of
/// dev, and the newest writer's cases scored by a model trained on the other writers' cases only,
/// with only their sentences as neighbours (a cross-writer figure, closer to text nobody here wrote).
fn train(model: &Arc<Model>, use_pool: bool) {
    use thaw_embed::eval::Counts;
    use thaw_embed::learn::{
        CONTEXT_PREFIX, DEPTH_PREFIX, DevPool, NEIGHBOUR_FEATURES, Reading, VECTOR_PREFIX, context,
        dev_sentences, exemplar_features, feature_names, feature_signs, fit_many, sentence_features,
        write_model,
    };
    const FOLDS: usize = 10;
    let ex = thaw_embed::safety::exemplars();
    let sem = Semantic::new(model.clone()).expect("exemplars embed").with_linear(None);
    let (risk, benign) = sem.exemplar_vectors();
    // The phrase layer with the similarity veto only: the floor under which the trained model sets
    // a phrase hit aside is chosen below, on out-of-fold probabilities.
    let phrase_sem = Semantic::new(model.clone()).expect("exemplars embed");
    let mut no_floor = phrase_sem.thresholds();
    no_floor.model_floor = 0.0;
    let phrase_net = SafetyNet::with_semantic(phrase_sem.with_thresholds(no_floor));
    let dev = risk_cases("dev");
    let source = risk_sources("dev");
    let newest = RISK_FILES.len() - 1;
    let sents = dev_sentences(model, risk, &dev).expect("encodes");
    // The earlier layers of every dev sentence and exemplar (not kept in a file: a few minutes,
    // for training only).
    let started = std::time::Instant::now();
    let depth_of = |texts: &[&str]| -> Vec<thaw_embed::Depth> {
        model.embed_deep(texts).expect("encodes").into_iter().map(|(_, d)| d).collect()
    };
    let dev_parts: Vec<Vec<&str>> = dev.iter().map(|c| thaw_embed::sentences::split(&c.text)).collect();
    let sent_texts: Vec<&str> = sents.iter().map(|(c, si, _, _)| dev_parts[*c][*si]).collect();
    let sent_depth = depth_of(&sent_texts);
    let ex_texts: Vec<&str> = ex.risk.iter().chain(&ex.benign).map(|(_, t)| t.as_str()).collect();
    let ex_depth = depth_of(&ex_texts);
    eprintln!("earlier layers of {} sentences: {:.0?}", sent_texts.len() + ex_texts.len(), started.elapsed());
    // Each dev case's context: over its sentences that can fire (those `dev_sentences` gives).
    let mut case_sents: Vec<Vec<usize>> = vec![Vec::new(); dev.len()];
    for (k, (c, ..)) in sents.iter().enumerate() {
        case_sents[*c].push(k);
    }
    let contexts: Vec<Vec<f32>> =
        case_sents.iter().map(|ks| context(ks.iter().map(|&k| (&sents[k].2, &sent_depth[k][..])))).collect();
    let mut pool = DevPool::default();
    if use_pool {
        for (c, _, v, in_pool) in &sents {
            if *in_pool {
                pool.vectors.push(*v);
                pool.risky.push(dev[*c].risk);
                pool.case.push(*c);
            }
        }
    }
    // The phrase layer's decision (with the similarity veto, which doesn't depend on the trained
    // model), and the sentences it found risk words in.
    let phrase_sentences: Vec<Vec<usize>> = dev
        .iter()
        .map(|c| {
            let check = phrase_net.check(&c.text);
            check
                .hits
                .iter()
                .filter(|h| h.layer == thaw_embed::safety::Layer::Phrase)
                .filter_map(|h| h.sentence)
                .collect()
        })
        .collect();
    let phrase: Vec<bool> = phrase_sentences.iter().map(|s| !s.is_empty()).collect();
    // Rows for training without the cases `out_of` holds, the buried copies of its risky rows
    // (`--bury`, read by the context set only), and features of the held cases' sentences (with
    // the left-out cases' sentences never neighbours).
    type Row = (Vec<f32>, bool);
    type Rows = (Vec<Row>, Vec<Row>, Vec<(usize, usize, Vec<f32>)>);
    // `--bury`: each risky training sentence also once more with its text between two safe dev
    // texts (its context the mean over all three), so that calm company never reads as a reason
    // to set a risky sentence aside (eval --buried measures that).
    let bury = args_has("--bury");
    let calm: Vec<usize> = (0..dev.len()).filter(|&c| !dev[c].risk && !case_sents[c].is_empty()).collect();
    let buried_context = |c: usize, out_of: &dyn Fn(usize) -> bool| -> Vec<f32> {
        let mut company =
            calm.iter().cycle().skip((3 * c) % calm.len().max(1)).filter(|&&k| !out_of(k)).take(2);
        let (a, b) = (company.next().copied(), company.next().copied());
        let ks = [Some(c), a, b].into_iter().flatten().flat_map(|k| case_sents[k].iter());
        context(ks.map(|&k| (&sents[k].2, &sent_depth[k][..])))
    };
    let prepare = |out_of: &dyn Fn(usize) -> bool| -> Rows {
        let mut rows = exemplar_features(ex, risk, benign, &ex_depth, &pool, out_of);
        let (mut buried, mut held) = (Vec::new(), Vec::new());
        for ((c, si, v, in_pool), deep) in sents.iter().zip(&sent_depth) {
            let own = Reading { vector: v, depth: deep, context: &contexts[*c] };
            if out_of(*c) {
                held.push((*c, *si, sentence_features(ex, &own, risk, benign, &pool, out_of)));
            } else if *in_pool {
                let f = sentence_features(ex, &own, risk, benign, &pool, |c2| out_of(c2) || c2 == *c);
                if bury && dev[*c].risk {
                    let mut among_calm = f.clone();
                    let at = among_calm.len() - thaw_embed::learn::CONTEXT;
                    among_calm[at..].copy_from_slice(&buried_context(*c, out_of));
                    buried.push((among_calm, true));
                }
                rows.push((f, dev[*c].risk));
            }
        }
        (rows, buried, held)
    };
    let folds: Vec<Rows> = (0..FOLDS).map(|f| prepare(&|c: usize| c % FOLDS == f)).collect();
    let cross: Rows = prepare(&|c: usize| source[c] == newest);
    let names = feature_names(ex);
    // Which features a set leaves out: "narrow" the wider neighbourhood, the vector, the depth
    // and the context, "wide" the vector, the depth and the context, "probe" the depth and the
    // context, "deep" the context, "context" nothing.
    let masked = |set: &str| -> Vec<bool> {
        names
            .iter()
            .map(|n| {
                (n.starts_with(CONTEXT_PREFIX) && set != "context")
                    || (n.starts_with(DEPTH_PREFIX) && !matches!(set, "deep" | "context"))
                    || (n.starts_with(VECTOR_PREFIX) && !matches!(set, "probe" | "deep" | "context"))
                    || (set == "narrow" && NEIGHBOUR_FEATURES.contains(&n.as_str()))
            })
            .collect()
    };
    // Fits every (l2, recall weight) of `settings` on the features the mask keeps, at once; a
    // left-out feature gets weight 0.
    let signs = feature_signs(ex);
    // Only the context set reads the buried copies (for the others they would only repeat rows).
    let fit_rows = |(rows, buried, _): &Rows, set: &str, mask: &[bool], settings: &[(f32, f32)]| {
        let rows: Vec<&Row> = rows.iter().chain(if set == "context" { &buried[..] } else { &[] }).collect();
        let xs: Vec<Vec<f32>> = rows
            .iter()
            .map(|r| r.0.iter().zip(mask).filter(|(_, m)| !**m).map(|(x, _)| *x).collect())
            .collect();
        let ys: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let kept: Vec<i8> = signs.iter().zip(mask).filter(|(_, m)| !**m).map(|(s, _)| *s).collect();
        fit_many(&xs, &ys, settings, &kept)
            .into_iter()
            .map(|mut lin| {
                let mut kept = lin.weights.into_iter();
                lin.weights =
                    mask.iter().map(|m| if *m { 0.0 } else { kept.next().unwrap_or(0.0) }).collect();
                lin
            })
            .collect::<Vec<_>>()
    };
    // (toward targets, set, l2, recall weight, threshold)
    // Every point tried: (toward targets, combined recall, set, l2, recall weight, threshold).
    let mut tried: Vec<(f64, f64, &str, f32, f32, f32)> = Vec::new();
    // Each setting (features, l2, recall weight) with its lines, one per threshold.
    type Curve<'a> = ((&'a str, f32, f32), Vec<String>);
    let mut curves: Vec<Curve> = Vec::new();
    const SETS: [&str; 5] = ["narrow", "wide", "probe", "deep", "context"];
    // `--sets deep,context` tries those alone.
    let chosen_sets: Vec<&str> = std::env::args()
        .skip_while(|a| a != "--sets")
        .nth(1)
        .map(|v| SETS.iter().copied().filter(|s| v.split(',').any(|x| x == *s)).collect())
        .unwrap_or_default();
    let sets: &[&str] = if !chosen_sets.is_empty() {
        &chosen_sets
    } else if args_has("--deep") {
        &["deep"]
    } else if args_has("--context") {
        &["context"]
    } else if args_has("--probe") {
        &["probe"]
    } else if args_has("--narrow") {
        &["narrow"]
    } else {
        // Not "context" unless asked for: it reads better on average but loses risky lines hidden
        // in calm entries (`--buried`; docs/SAFETY.md, "Read in its text").
        &SETS[..4]
    };
    let l2s_of = |set: &str| -> &[f32] {
        match set {
            "deep" => &[0.05, 0.1, 0.2, 0.5, 1.0],
            "context" => &[0.2, 0.5, 1.0, 2.0, 4.0],
            "probe" => &[0.05, 0.1, 0.2, 0.5],
            _ => &[0.001, 0.01, 0.05],
        }
    };
    const WEIGHTS: [f32; 3] = [1.0, 1.5, 2.0];
    let settings_of = |set: &str| -> Vec<(f32, f32)> {
        l2s_of(set).iter().flat_map(|&l2| WEIGHTS.map(|rw| (l2, rw))).collect()
    };
    // Every fold's models (and the newest-writer one's last), all settings of a set fitted together.
    let mut fitted: std::collections::HashMap<&str, Vec<Vec<thaw_embed::safety::Linear>>> =
        Default::default();
    for &set in sets {
        let started = std::time::Instant::now();
        let (mask, settings) = (masked(set), settings_of(set));
        let per_fold: Vec<_> =
            folds.iter().chain([&cross]).map(|rows| fit_rows(rows, set, &mask, &settings)).collect();
        eprintln!(
            "{set}: {} folds × {} settings fitted in {:.0?}",
            per_fold.len(),
            settings.len(),
            started.elapsed()
        );
        fitted.insert(set, per_fold);
    }
    let model_of = |set: &str, fold: usize, l2: f32, rw: f32| -> thaw_embed::safety::Linear {
        let at = settings_of(set).iter().position(|s| *s == (l2, rw)).expect("a setting tried");
        fitted[set][fold][at].clone()
    };
    if args_has("--union") {
        let chosen = union_grid(
            &dev,
            &phrase,
            &|set, l2, rw| {
                let mut oof = vec![0f32; dev.len()];
                for (f, (_, _, held)) in folds.iter().enumerate() {
                    let lin = model_of(set, f, l2, rw);
                    for (c, _, f) in held {
                        oof[*c] = oof[*c].max(lin.prob(f));
                    }
                }
                oof
            },
            &|set| settings_of(set),
        );
        // `--write-union`: the deep model (`--primary`, else the shipped setting, at 0.70) and the
        // chosen context one as its second opinion, both fitted on all of dev (the second with the
        // buried copies under `--bury`).
        if !args_has("--write-union") {
            return;
        }
        let Some((sl2, srw, t2)) = chosen else { return };
        let (pl2, prw) = primary_setting();
        let t1 = 0.70;
        let all = prepare(&|_| false);
        let mut first = fit_rows(&all, "deep", &masked("deep"), &[(pl2, prw)]).remove(0);
        first.threshold = t1;
        let mut second = fit_rows(&all, "context", &masked("context"), &[(sl2, srw)]).remove(0);
        second.threshold = t2;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/risk_exemplars.toml");
        let text = std::fs::read_to_string(&path).expect("reads the exemplar file");
        let note = format!(
            "Two logistic models over a sentence's features, trained on the dev half of\ncrates/thaw-embed/eval ({} cases in {} files) and the exemplars; a sentence counts when\neither says so. [model]: the similarities (to the exemplars and the dev half's sentences),\nthe sentence's own vector and its earlier layers; L2 {pl2}, the risky class weighted {prw}\ntimes, threshold {t1}. [second]: the same and its text's context (the mean of the text's\nsentences){}; L2 {sl2}, weight {srw}, threshold {t2}. Chosen by {FOLDS}-fold\ncross-validation on dev (`--train --sets deep,context --bury --union`).",
            dev.len(),
            RISK_FILES.len(),
            if bury { ", trained with each risky sentence also among calm company" } else { "" },
        );
        std::fs::write(&path, write_model(&text, ex, &first, Some(&second), &note))
            .expect("writes the exemplar file");
        println!("wrote {}", path.display());
        return;
    }
    for &set in sets {
        for &l2 in l2s_of(set) {
            for rw in WEIGHTS {
                // Out-of-fold probability of each dev case (its most likely sentence).
                let mut oof = vec![0f32; dev.len()];
                for (f, (_, _, held)) in folds.iter().enumerate() {
                    let lin = model_of(set, f, l2, rw);
                    for (c, _, f) in held {
                        oof[*c] = oof[*c].max(lin.prob(f));
                    }
                }
                let mut xw = vec![0f32; dev.len()];
                let lin = model_of(set, FOLDS, l2, rw);
                for (c, _, f) in &cross.2 {
                    xw[*c] = xw[*c].max(lin.prob(f));
                }
                let mut lines = Vec::new();
                let mut local: Option<(f64, String)> = None;
                for t in (10..=85).step_by(5).map(|t| t as f32 / 100.0) {
                    let (mut c, mut s, mut cx) = (Counts::default(), Counts::default(), Counts::default());
                    let mut parts = vec![Counts::default(); RISK_FILES.len()];
                    for (i, case) in dev.iter().enumerate() {
                        c.add(case.risk, phrase[i] || oof[i] >= t);
                        s.add(case.risk, oof[i] >= t);
                        parts[source[i]].add(case.risk, phrase[i] || oof[i] >= t);
                        if source[i] == newest {
                            cx.add(case.risk, phrase[i] || xw[i] >= t);
                        }
                    }
                    let parts: Vec<String> = parts
                        .iter()
                        .enumerate()
                        .skip(1)
                        .map(|(f, p)| format!("file {} {} / {}", f + 1, pct(p.recall()), pct(p.precision())))
                        .collect();
                    // How close to both targets at once (recall 95%, precision 90%): 1.0 meets both.
                    let f2 = (c.recall() / 0.95).min(c.precision() / 0.90);
                    let line = format!(
                        "cv {set} l2 {l2:.3} recall-weight {rw:.1} threshold {t:.2}: combined {} / {}  semantic {} / {}  toward targets {f2:.3}  ({}; newest writer cross-writer {} / {})",
                        pct(c.recall()),
                        pct(c.precision()),
                        pct(s.recall()),
                        pct(s.precision()),
                        parts.join("; "),
                        pct(cx.recall()),
                        pct(cx.precision()),
                    );
                    if local.as_ref().is_none_or(|b| f2 > b.0) {
                        local = Some((f2, line.clone()));
                    }
                    lines.push(line);
                    tried.push((f2, c.recall(), set, l2, rw, t));
                }
                if let Some((_, line)) = local {
                    println!("{line}");
                }
                curves.push(((set, l2, rw), lines));
            }
        }
    }
    // The point closest to both targets; among those within 0.005 of it (the same, at this many
    // cases), the one that misses the fewest risky cases.
    let top = tried.iter().map(|p| p.0).fold(f64::MIN, f64::max);
    let (f2, _, mut set, mut l2, mut rw, mut t) =
        *tried.iter().filter(|p| p.0 >= top - 0.005).max_by(|a, b| a.1.total_cmp(&b.1)).expect("a setting");
    // `--setting SET,L2,WEIGHT,THRESHOLD` writes another point of the table (to compare by hand).
    if let Some(v) = std::env::args().skip_while(|a| a != "--setting").nth(1) {
        let p: Vec<&str> = v.split(',').collect();
        if let [s2, a, b, c] = p[..] {
            set = match s2 {
                "narrow" => "narrow",
                "probe" => "probe",
                "deep" => "deep",
                "context" => "context",
                _ => "wide",
            };
            l2 = a.parse().unwrap_or(l2);
            rw = b.parse().unwrap_or(rw);
            t = c.parse().unwrap_or(t);
        }
    }
    println!("the chosen setting's curve:");
    for line in curves.iter().filter(|c| c.0 == (set, l2, rw)).flat_map(|c| &c.1) {
        println!("  {line}");
    }
    // `--threshold T` overrides the chosen threshold (to write a recall-leaning point of the curve).
    let t = std::env::args()
        .skip_while(|a| a != "--threshold")
        .nth(1)
        .and_then(|v| v.parse::<f32>().ok())
        .unwrap_or(t);
    println!(
        "chosen: {set} features, l2 {l2}, recall weight {rw}, threshold {t} (cross-validated, toward targets {f2:.3})"
    );
    // The out-of-fold probability of each sentence under the chosen setting, for the phrase floor:
    // a phrase hit is set aside when the model gives its sentence less than the floor.
    let mask = masked(set);
    let mut oof_sentence: std::collections::HashMap<(usize, usize), f32> = Default::default();
    for (f, (_, _, held)) in folds.iter().enumerate() {
        let lin = if fitted.contains_key(set) {
            model_of(set, f, l2, rw)
        } else {
            fit_rows(&folds[f], set, &mask, &[(l2, rw)]).remove(0)
        };
        for (c, si, f) in held {
            oof_sentence.insert((*c, *si), lin.prob(f));
        }
    }
    let mut oof = vec![0f32; dev.len()];
    for (&(c, _), &p) in &oof_sentence {
        oof[c] = oof[c].max(p);
    }
    let phrase_kept = |i: usize, floor: f32| {
        phrase_sentences[i].iter().any(|si| oof_sentence.get(&(i, *si)).is_none_or(|p| *p >= floor))
    };
    let mut floors: Vec<(f64, f64, f32)> = Vec::new();
    println!("the phrase floor (a phrase hit set aside under it), at the chosen setting:");
    for floor in (0..=12).map(|f| f as f32 * 0.05) {
        let (mut c, mut parts) = (Counts::default(), vec![Counts::default(); RISK_FILES.len()]);
        let mut set_aside = (0, 0);
        for (i, case) in dev.iter().enumerate() {
            let kept = phrase_kept(i, floor);
            if phrase[i] && !kept && oof[i] < t {
                if case.risk { set_aside.0 += 1 } else { set_aside.1 += 1 }
            }
            c.add(case.risk, kept || oof[i] >= t);
            parts[source[i]].add(case.risk, kept || oof[i] >= t);
        }
        let f2 = (c.recall() / 0.95).min(c.precision() / 0.90);
        let parts: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(f, p)| format!("file {} {} / {}", f + 1, pct(p.recall()), pct(p.precision())))
            .collect();
        println!(
            "  floor {floor:.2}: combined {} / {}  toward targets {f2:.3}  (cases no longer flagged: {} risky, {} safe; {})",
            pct(c.recall()),
            pct(c.precision()),
            set_aside.0,
            set_aside.1,
            parts.join("; ")
        );
        floors.push((f2, c.recall(), floor));
    }
    // The same rule as for the setting: closest to both targets, the fewest misses among equals.
    let best = floors.iter().map(|p| p.0).fold(f64::MIN, f64::max);
    let floor = floors
        .iter()
        .filter(|p| p.0 >= best - 0.005)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.total_cmp(&a.2)))
        .map_or(0.0, |p| p.2);
    let floor = std::env::args()
        .skip_while(|a| a != "--floor")
        .nth(1)
        .and_then(|v| v.parse::<f32>().ok())
        .unwrap_or(floor);
    println!("chosen phrase floor: {floor}");
    if args_has("--cv-misses") {
        // The dev cases the chosen setting gets wrong under cross-validation (dev only).
        for (i, case) in dev.iter().enumerate() {
            let said = phrase_kept(i, floor) || oof[i] >= t;
            if said != case.risk {
                let what = if case.risk { "cv missed" } else { "cv false alarm" };
                println!("    {what} [{} {:.2}]: {}", case.kind, oof[i], case.text);
            }
        }
    }
    if args_has("--dry") {
        return;
    }
    let mut lin = fit_rows(&prepare(&|_| false), set, &mask, &[(l2, rw)]).remove(0);
    lin.threshold = t;
    lin.phrase_floor = floor;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/risk_exemplars.toml");
    let text = std::fs::read_to_string(&path).expect("reads the exemplar file");
    let what = match set {
        "narrow" => "the similarities alone",
        "wide" => "the similarities and the wider neighbourhood",
        "probe" => "the similarities, the wider neighbourhood and the sentence's own vector",
        "deep" => {
            "the similarities, the wider neighbourhood, the sentence's own vector and its earlier layers"
        }
        _ => {
            "the similarities, the wider neighbourhood, the sentence's own vector, its earlier layers and its text's context"
        }
    };
    let note = format!(
        "Logistic model over similarity features (to the exemplars above and to the dev half's\nsentences), trained on the dev half of crates/thaw-embed/eval ({} cases in {} files) and the\nexemplars; features ({set}: {what}), L2 {l2}, the risky class weighted {rw} times and\nthreshold {t} chosen by {FOLDS}-fold cross-validation on dev, as the setting closest to both\ntargets (recall 95%, precision 90%), the one missing fewest risky cases among equals; then\nthe phrase floor {floor} (a phrase hit whose sentence the model gives less is set aside) by\nthe same rule.",
        dev.len(),
        RISK_FILES.len()
    );
    std::fs::write(&path, write_model(&text, ex, &lin, None, &note)).expect("writes the exemplar file");
    println!("wrote {}", path.display());
}

/// `--buried`: does a risky text the check flags alone still get flagged inside a calm entry
/// ([`thaw_embed::eval::evaluate_buried`])? Also those its first opinion flags alone (reading each
/// sentence on its own: calm company must never take them away). `--misses` lists dev's lost ones.
fn buried(net: &SafetyNet, model: &Arc<Model>, shown: impl Fn(&String) -> bool) {
    let first =
        SafetyNet::with_semantic(Semantic::new(model.clone()).expect("exemplars embed").with_second(None));
    // Dev only with `--dev` (its 3,805 cases take minutes).
    for split in risk_splits().into_iter().filter(|s| shown(s) && (s != "dev" || args_has("--dev"))) {
        let cases = risk_cases(&split);
        let report = evaluate_risk(net, &cases);
        let b = thaw_embed::eval::evaluate_buried(net, &cases, &report, usize::MAX);
        let risky = cases.iter().filter(|c| c.risk).count();
        println!(
            "buried, {split}: {} of {} risky texts still flagged between two calm ones ({}; {} of all {risky} risky texts, {} alone); three calm texts together flagged {} times ({})",
            b.kept,
            b.risky,
            pct(b.kept_rate()),
            pct(b.kept as f64 / risky.max(1) as f64),
            pct(b.risky as f64 / risky.max(1) as f64),
            b.calm_flagged,
            pct(b.calm_rate())
        );
        if net.semantic().is_some_and(|s| s.second().is_some()) {
            let alone = evaluate_risk(&first, &cases);
            let f = thaw_embed::eval::evaluate_buried_from(net, &cases, &report, &alone, usize::MAX);
            println!(
                "  of those the first opinion flags alone: {} of {} still flagged ({})",
                f.kept,
                f.risky,
                pct(f.kept_rate())
            );
            if args_has("--misses") && split == "dev" {
                for r in &f.lost {
                    println!("    lost (first opinion): {r}");
                }
            }
        }
        if args_has("--misses") && split == "dev" {
            for r in &b.lost {
                println!("    lost: {r}");
            }
        }
    }
}

/// `--train --sets deep,context --union [--bury] [--write-union]`: the primary setting (`--primary L2,WEIGHT` of
/// the deep set, else 0.5 and 1.5, the shipped one) with each context setting as a second opinion
/// that can only add: a dev case counts as flagged when the phrase layer, the primary or the
/// second fires, every pair of thresholds, out of fold. Prints the best pairs toward the targets
/// and the choice.
fn union_grid(
    dev: &[thaw_embed::eval::RiskCase],
    phrase: &[bool],
    oof_of: &dyn Fn(&'static str, f32, f32) -> Vec<f32>,
    settings_of: &dyn Fn(&str) -> Vec<(f32, f32)>,
) -> Option<(f32, f32, f32)> {
    use thaw_embed::eval::Counts;
    let (pl2, prw) = primary_setting();
    let first = oof_of("deep", pl2, prw);
    let grid: Vec<f32> = (30..=95).step_by(5).map(|t| t as f32 / 100.0).collect();
    let counts = |second: &[f32], t1: f32, t2: f32| {
        let mut c = Counts::default();
        for (i, case) in dev.iter().enumerate() {
            c.add(case.risk, phrase[i] || first[i] >= t1 || second[i] >= t2);
        }
        c
    };
    let alone = counts(&vec![0.0; dev.len()], 0.70, 2.0);
    println!(
        "primary deep l2 {pl2} weight {prw} alone at 0.70: {} / {}",
        pct(alone.recall()),
        pct(alone.precision())
    );
    // (toward targets, recall, line, (t1, l2, weight, t2))
    type Point = (f64, f64, String, (f32, f32, f32, f32));
    let mut best: Vec<Point> = Vec::new();
    for (l2, rw) in settings_of("context") {
        let second = oof_of("context", l2, rw);
        for &t1 in grid.iter().chain([&2.0]) {
            for &t2 in &grid {
                let c = counts(&second, t1, t2);
                let f2 = (c.recall() / 0.95).min(c.precision() / 0.90);
                best.push((
                    f2,
                    c.recall(),
                    format!(
                        "union: primary from {t1:.2} or context l2 {l2} weight {rw} from {t2:.2}: {} / {}  toward targets {f2:.3}",
                        pct(c.recall()),
                        pct(c.precision())
                    ),
                    (t1, l2, rw, t2),
                ));
            }
        }
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, _, line, _) in best.iter().take(15) {
        println!("{line}");
    }
    // The best pairs with the primary at each of its thresholds.
    let at = |t1: f32| best.iter().filter(move |b| (b.3.0 - t1).abs() < 1e-6);
    for t1 in [0.70, 0.75, 0.80, 2.0] {
        for (_, _, line, _) in at(t1).take(3) {
            println!("{line}");
        }
    }
    // The choice: the primary at its own threshold (0.70), so that nothing it flags alone is ever
    // lost among calm company; the second setting and threshold closest to both targets, the one
    // missing fewest risky cases among equals (the rule `--train` uses).
    let at_own: Vec<_> = at(0.70).collect();
    let top = at_own.iter().map(|b| b.0).fold(f64::MIN, f64::max);
    let chosen = at_own.iter().filter(|b| b.0 >= top - 0.005).max_by(|a, b| a.1.total_cmp(&b.1))?;
    println!("chosen: {}", chosen.2);
    let (_, l2, rw, t2) = chosen.3;
    Some((l2, rw, t2))
}

/// `--primary L2,WEIGHT`: the deep setting the union starts from (else the shipped one).
fn primary_setting() -> (f32, f32) {
    std::env::args()
        .skip_while(|a| a != "--primary")
        .nth(1)
        .and_then(|v| {
            let (a, b) = v.split_once(',')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .unwrap_or((0.5, 1.5))
}

fn args_has(flag: &str) -> bool {
    std::env::args().any(|a| a == flag)
}

/// `--suggest-cv`: how much the words of the nearest labelled dev texts add to the ranking, by
/// 10-fold cross-validation on the dev texts (each tenth ranked with the other nine tenths as
/// neighbours), for several blends; and the newest writer's texts with only the other writers'
/// texts as neighbours.
fn suggest_cv(model: &Arc<Model>) {
    use thaw_embed::suggest::Blend;
    const FOLDS: usize = 10;
    let vocabulary = thaw_core::vocab::vocabulary();
    let suggester = Suggester::new(model.clone(), vocabulary).expect("vocabulary embeds");
    let pool = suggester.pool();
    let dev = suggest_cases("dev");
    let source = suggest_sources("dev");
    let newest = source.iter().copied().max().unwrap_or(0);
    let vectors: Vec<Vec<thaw_embed::Embedding>> =
        dev.iter().map(|c| model.embed(&thaw_embed::sentences::split(&c.text)).expect("embeds")).collect();
    let mut blends = vec![Blend { k: 0, weight: 0.0, temperature: 0.0 }];
    for temperature in [0.0f32, 0.1, 0.05, 0.2] {
        for k in [5usize, 10, 20, 30, 40] {
            for weight in [0.2f32, 0.3, 0.5, 0.7, 0.85, 1.0] {
                blends.push(Blend { k, weight, temperature });
            }
        }
    }
    for blend in blends {
        let (mut hits, mut cross) = (0usize, 0usize);
        let mut parts = vec![(0usize, 0usize); newest + 1];
        for (i, (c, v)) in dev.iter().zip(&vectors).enumerate() {
            let fold = |p: usize| pool.case[p] % FOLDS == i % FOLDS;
            let hit = |skip: &dyn Fn(usize) -> bool| {
                let s = suggester.rank(&c.text, v, &[], blend, skip).expect("ranks");
                s.iter().any(|x| c.words.contains(&x.word))
            };
            parts[source[i]].1 += 1;
            if hit(&fold) {
                hits += 1;
                parts[source[i]].0 += 1;
            }
            if source[i] == newest && hit(&|p: usize| source[pool.case[p]] == newest) {
                cross += 1;
            }
        }
        let n_newest = parts[newest].1.max(1);
        let parts: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(f, (h, n))| format!("file {} {}", f + 1, pct(*h as f64 / (*n).max(1) as f64)))
            .collect();
        println!(
            "suggest cv k {:>2} weight {:.2} temperature {:.2}: dev-CV top-5 {} ({} texts; {})  newest writer with the other writers' texts only {}",
            blend.k,
            blend.weight,
            blend.temperature,
            pct(hits as f64 / dev.len() as f64),
            dev.len(),
            parts.join(", "),
            pct(cross as f64 / n_newest as f64),
        );
    }
}
