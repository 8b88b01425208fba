//! Prints recall and precision of the risk check (phrase layer, semantic layer, combined) and the
//! top-5 hit rate of "words that might fit" against a keyword baseline, on the dev and the
//! held-out test halves of `crates/thaw-embed/eval/`.
//!
//! cargo run -p thaw-embed --example eval --release [-- --misses] [-- --grid]
//!
//! `--misses` lists the dev cases the check gets wrong (never the test ones: the test half is
//! held out); `--grid` tries other thresholds on the dev half.

use std::sync::Arc;

use thaw_embed::eval::{RiskReport, evaluate_risk, evaluate_suggest, risk_cases, suggest_cases};
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = match Model::find_and_load(None) {
        Ok(m) => Arc::new(m),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let net = SafetyNet::with_model(model.clone());
    for split in ["dev", "test"] {
        let r = evaluate_risk(&net, &risk_cases(split));
        print_risk(split, &r);
        if split == "dev" && args.iter().any(|a| a == "--misses") {
            for m in &r.missed {
                println!("    missed: {m}");
            }
            for m in &r.false_alarms {
                println!("    false alarm: {m}");
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
                    let t = Thresholds { risk, margin, strong, veto };
                    let sem = Semantic::new(model.clone()).expect("exemplars embed").with_thresholds(t);
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
    for split in ["dev", "test"] {
        let r = evaluate_suggest(&suggester, vocabulary, &suggest_cases(split)).expect("suggests");
        println!(
            "words that might fit, {split} ({} texts): top-5 hit rate {} (keyword baseline {})",
            r.cases,
            pct(r.model_rate()),
            pct(r.baseline_rate())
        );
        if split == "dev" && args.iter().any(|a| a == "--misses") {
            for m in &r.missed {
                println!("    missed: {m}");
            }
        }
    }
}
