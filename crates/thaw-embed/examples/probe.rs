//! One process the way `thaw journal add` would use the model: load it, set up the risk check
//! and the suggestions (exemplars and vocabulary from the cache after the first run), then check
//! and suggest for a 2,000-character entry. Prints each step's time; bench/embed.sh runs it under
//! /usr/bin/time for the peak memory.
//!
//! cargo run -p thaw-embed --example probe --release

use std::sync::Arc;
use std::time::Instant;

use thaw_embed::{Model, SafetyNet, Suggester, cosine};

fn main() {
    if std::env::args().any(|a| a == "--print-entry") {
        // For bench/embed-cli.sh: the same entry, for a whole `thaw journal add`.
        print!("{}", thaw_embed::eval::sample_entry());
        return;
    }
    let t = Instant::now();
    let model = match Model::find_and_load(None) {
        Ok(m) => Arc::new(m),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("load model ({}): {:?}{}", model.dir().display(), t.elapsed(), memory());
    let texts =
        ["I feel numb and I cannot cry.", "I feel emotionally flat and empty.", "The train leaves at noon."];
    let e = model.embed(&texts).expect("embeds");
    println!("cos(numb, flat) = {:.4}  cos(numb, train) = {:.4}", cosine(&e[0], &e[1]), cosine(&e[0], &e[2]));
    let t = Instant::now();
    let net = SafetyNet::with_model(model.clone());
    println!("risk check ready (exemplars): {:?}{}", t.elapsed(), memory());
    let t = Instant::now();
    let suggester = Suggester::new(model.clone(), thaw_core::vocab::vocabulary()).expect("vocabulary embeds");
    println!("suggestions ready (vocabulary): {:?}{}", t.elapsed(), memory());
    let note = "Tired after work, a bit flat. Couldn't really tell what I felt.";
    let t = Instant::now();
    let check = net.check(note);
    println!("check-in note, risk check: {:?} (hit: {})", t.elapsed(), check.is_hit());
    let entry = thaw_embed::eval::sample_entry();
    let t = Instant::now();
    let check = net.check(&entry);
    println!(
        "2,000-character entry ({} sentences), risk check: {:?} (hit: {}){}",
        thaw_embed::sentences::split(&entry).len(),
        t.elapsed(),
        check.is_hit(),
        memory()
    );
    let t = Instant::now();
    let words = suggester.suggest(&entry, &[]).expect("suggests");
    let list: Vec<&str> = words.iter().map(|w| w.word.as_str()).collect();
    println!(
        "2,000-character entry, suggestions after the check (sentences shared): {:?} ({})",
        t.elapsed(),
        list.join(", ")
    );
    model.forget_recent();
    let t = Instant::now();
    let _ = suggester.suggest(&entry, &[]).expect("suggests");
    println!("2,000-character entry, suggestions alone: {:?}", t.elapsed());
}

/// This process's resident memory now and at its peak so far (Linux; empty elsewhere).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().trim_end_matches(" kB").trim().to_owned())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!("  [resident {} MB, peak {} MB]", kb_to_mb(&now), kb_to_mb(&peak)),
        _ => String::new(),
    }
}

fn kb_to_mb(kb: &str) -> u64 {
    kb.parse::<u64>().unwrap_or(0) / 1024
}
