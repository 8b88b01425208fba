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
    let base = "Today started slowly and I stayed in bed longer than I meant to. \
                Work was a blur of emails and I kept losing my train of thought. \
                At lunch I walked to the park and sat on a bench for a while. \
                My sister called in the evening and we talked about our mum. \
                I made soup and watched an old film, which helped a little. ";
    let mut text = String::new();
    while text.len() < 2000 {
        text.push_str(base);
    }
    text.truncate(2000);
    text
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
    c.bench_function("embed check-in note", |b| b.iter(|| model.embed(&[NOTE]).expect("embeds")));
    c.bench_function("risk check: check-in note", |b| b.iter(|| net.check(NOTE)));
    c.bench_function("risk check: 2,000-character entry", |b| b.iter(|| net.check(&entry)));
    c.bench_function("suggest: check-in note", |b| {
        b.iter(|| suggester.suggest(NOTE, &[]).expect("suggests"))
    });
    c.bench_function("risk check: empty text", |b| b.iter(|| net.check("   ")));
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(group);
