//! Visit-summary benchmarks (PRODUCT.md §7: PDF over one year < 300 ms, over ten years < 1 s), on
//! encrypted vaults filled with the reference mix of generated records (`thaw_core::sample`):
//! 10,000 records for one year, 100,000 for ten. Each iteration reads the summary through the
//! Store trait and renders it. Results: docs/PERFORMANCE.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::tz::TimeZone;
use thaw_core::insights::Window;
use thaw_core::sample::Generator;
use thaw_core::{Timestamp, vocabulary};
use thaw_report::{Summary, html, pdf};
use thaw_store::{Store, VaultDir};
use thaw_vault::{KdfParams, Passphrase};

fn end() -> Timestamp {
    Timestamp::from_jiff("2026-11-20T12:00:00Z".parse().expect("timestamp"))
}

fn seeded(records: usize, years: u32) -> (tempfile::TempDir, thaw_store::SqliteStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = VaultDir::new(dir.path().join("vault"));
    let params = KdfParams::new(1024, 1, 1).expect("small params for benchmarks");
    let (store, _) = vault.create(&Passphrase::new("benchmark passphrase".into()), params).expect("vault");
    let all: Vec<_> = Generator::new(1, records, years, end()).collect();
    for chunk in all.chunks(5_000) {
        store.insert_many(chunk).expect("seed");
    }
    (dir, store)
}

fn window(days: i64) -> Window {
    let to = end().date_in(&TimeZone::UTC);
    Window::ending(to, days, &TimeZone::UTC).expect("window")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("visit summary");
    group.sample_size(10).measurement_time(Duration::from_secs(15)).warm_up_time(Duration::from_secs(2));
    for (name, records, years, days) in [("one year", 10_000, 1, 365), ("ten years", 100_000, 10, 3_650)] {
        let (_dir, store) = seeded(records, years);
        let w = window(days);
        group.bench_function(format!("pdf, {name} (read + render)"), |b| {
            b.iter(|| {
                let s = Summary::build(&store, &w, vocabulary(), end()).expect("summary");
                black_box(pdf::render(&s).expect("pdf"))
            });
        });
        group.bench_function(format!("html, {name} (read + render)"), |b| {
            b.iter(|| {
                let s = Summary::build(&store, &w, vocabulary(), end()).expect("summary");
                black_box(html::render(&s))
            });
        });
        group.bench_function(format!("read only, {name}"), |b| {
            b.iter(|| black_box(Summary::build(&store, &w, vocabulary(), end()).expect("summary")));
        });
        drop(store);
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
