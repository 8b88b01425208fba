//! Speed of the on-device model (docs/PERFORMANCE.md): loading, a check-in note, a 2,000-character
//! journal entry through the whole risk check, and suggestions. Needs the model
//! (scripts/fetch-model); without it, prints why and measures nothing.
//!
//! cargo bench -p thaw-embed --bench embed

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use thaw_embed::{Model, SafetyNet, Suggester};

const NOTE: &str = "Tired after work, a bit flat. Couldn't really tell what I felt.";

fn entry() -> String {
    thaw_embed::eval::sample_entry()
}

fn benches(c: &mut Criterion) {
    let dir = match thaw_embed::find_model_dir(None) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("skipping the model benchmarks: {e}");
            return;
        }
    };
    c.bench_function("load", |b| b.iter(|| Model::load(&dir).expect("model loads")));
    let model = Arc::new(Model::load(&dir).expect("model loads"));
    let net = SafetyNet::with_model(model.clone());
    let suggester = Suggester::new(model.clone(), thaw_core::vocab::vocabulary()).expect("vocabulary embeds");
    let entry = entry();
    // Each check is a first look at its text: the kept sentence vectors are forgotten first.
    c.bench_function("embed check-in note", |b| b.iter(|| model.embed(&[NOTE]).expect("embeds")));
    c.bench_function("risk check: check-in note", |b| {
        b.iter(|| {
            model.forget_recent();
            net.check(NOTE)
        })
    });
    c.bench_function("risk check: 2,000-character entry", |b| {
        b.iter(|| {
            model.forget_recent();
            net.check(&entry)
        })
    });
    c.bench_function("suggest: check-in note", |b| {
        b.iter(|| {
            model.forget_recent();
            suggester.suggest(NOTE, &[]).expect("suggests")
        })
    });
    // A save that checks the text and then offers words for it: one encode between them.
    c.bench_function("risk check + suggestions: 2,000-character entry", |b| {
        b.iter(|| {
            model.forget_recent();
            let check = net.check(&entry);
            (check, suggester.suggest(&entry, &[]).expect("suggests"))
        })
    });
    c.bench_function("risk check: empty text", |b| b.iter(|| net.check("   ")));
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(group);
