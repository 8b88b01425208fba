//! PostgreSQL store benchmarks against a throwaway cluster with durable commits (fsync on):
//! insert, list and search for one account among others, each with the sample generator's mix
//! of records. Run: `cargo bench -p thaw-store-pg --features testing --bench pg`.
//!
//! `THAW_PG_BENCH_ACCOUNTS` (default 10) and `THAW_PG_BENCH_RECORDS` (default 5000 per account)
//! set the size. Seeding time is printed before the measurements.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use thaw_core::sample::Generator;
use thaw_core::{CheckIn, Felt, Intensity, JournalEntry, Record, RecordBody, RecordKind, Timestamp};
use thaw_store::{ListQuery, SearchQuery, Store};
use thaw_store_pg::testing::{APP_ROLE, TestCluster};
use thaw_store_pg::{PgBackend, PgOptions};
use thaw_vault::{KdfParams, Passphrase};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn journal(i: usize) -> Record {
    let text = format!("Entry {i}: the lake was grey and quiet, and I walked to the station in the rain.");
    Record::new(
        RecordBody::Journal(JournalEntry::new("Evening", &text, &[], vec![]).expect("entry")),
        None,
        Timestamp::now(),
    )
}

fn checkin() -> Record {
    let felt = Felt { word: "tired".into(), intensity: Intensity::new(4).ok() };
    Record::new(
        RecordBody::Checkin(
            CheckIn::new(vec![felt], vec![], Some("after work"), false, None).expect("check-in"),
        ),
        None,
        Timestamp::now(),
    )
}

fn bench(c: &mut Criterion) {
    let accounts = env("THAW_PG_BENCH_ACCOUNTS", 10).max(1);
    let per_account = env("THAW_PG_BENCH_RECORDS", 5_000);
    let cluster = TestCluster::start_with(true).expect("a throwaway PostgreSQL cluster");
    let db = cluster.empty_database().expect("database");
    PgBackend::migrate(&db.owner_url, Some(APP_ROLE)).expect("migrate");
    let options = PgOptions { kdf: KdfParams::new(1024, 1, 1).expect("params"), ..PgOptions::default() };
    let backend = PgBackend::connect_with(&db.app_url, options).expect("connect");
    let pass = || Passphrase::new("benchmark passphrase".into());

    let started = Instant::now();
    let mut stores = Vec::new();
    for a in 0..accounts {
        let (session, _) = backend.create_account(&format!("person{a}"), &pass()).expect("account");
        let store = backend.store_for(&session);
        let records: Vec<Record> = Generator::new(a as u64 + 1, per_account, 1, Timestamp::now()).collect();
        for chunk in records.chunks(500) {
            store.insert_many(chunk).expect("seed");
        }
        stores.push(store);
    }
    let seeded = started.elapsed();
    // As autovacuum would have by now on a live server: statistics for the planner (without
    // them it may scan every row of an account for a rare pair of words).
    postgres::Client::connect(&db.super_url, postgres::NoTls)
        .and_then(|mut su| su.batch_execute("ANALYZE"))
        .expect("analyze");
    // Reads are measured on the first account; writes go to the second, so that what the
    // measurements add doesn't change what the reads find.
    let store = &stores[0];
    let writer = stores.get(1).unwrap_or(store);
    let journals = store.count(Some(RecordKind::Journal)).expect("count");
    eprintln!(
        "seeded {accounts} accounts × {per_account} records in {:.1} s ({:.0} records/s); the measured account has {journals} journal entries",
        seeded.as_secs_f64(),
        (accounts * per_account) as f64 / seeded.as_secs_f64()
    );

    let mut g = c.benchmark_group("pg");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    let mut i = 0;
    g.bench_function("insert one check-in (durable)", |b| {
        b.iter(|| writer.insert(&checkin()).expect("insert"))
    });
    g.bench_function("insert one journal entry (durable)", |b| {
        b.iter(|| {
            i += 1;
            writer.insert(&journal(i)).expect("insert")
        })
    });
    g.bench_function("get one record", |b| {
        let id = store.list(&ListQuery { limit: Some(1), ..ListQuery::default() }).expect("list")[0].id;
        b.iter(|| store.get(id).expect("get"))
    });
    g.bench_function("list the newest 20 journal entries", |b| {
        let q = ListQuery { limit: Some(20), ..ListQuery::kind(RecordKind::Journal) };
        b.iter(|| store.list(&q).expect("list"))
    });
    let now = Timestamp::now().as_millis();
    let q = ListQuery {
        from: Timestamp::from_millis(now - 90 * 86_400_000),
        ..ListQuery::kind(RecordKind::Checkin)
    };
    eprintln!("90 days hold {} check-ins", store.list(&q).expect("list").len());
    for text in ["lake", "gr", "grandmother funeral", "winter river"] {
        let q = SearchQuery { text: text.into(), kinds: vec![], limit: 10_000 };
        eprintln!("\"{text}\" matches {} records", store.search(&q).expect("search").len());
    }
    g.bench_function("list 90 days of check-ins", |b| b.iter(|| store.list(&q).expect("list")));
    for text in ["lake", "gr", "grandmother funeral", "winter river"] {
        g.bench_function(format!("search \"{text}\" (50 newest)"), |b| {
            let q = SearchQuery { text: text.into(), kinds: vec![], limit: 50 };
            b.iter(|| store.search(&q).expect("search"))
        });
    }
    g.bench_function("count", |b| b.iter(|| store.count(None).expect("count")));
    g.finish();

    let mut g = c.benchmark_group("pg-accounts");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    let real = PgBackend::connect(&db.app_url).expect("connect with default Argon2id");
    real.create_account("argon", &pass()).expect("account");
    g.bench_function("sign in (Argon2id 128 MiB, t = 3)", |b| {
        b.iter(|| real.sign_in("argon", &pass()).expect("sign in"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
