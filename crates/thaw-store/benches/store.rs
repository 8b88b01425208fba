//! Store benchmarks: add one record (durable commit) and full-text search, on an encrypted vault
//! with a few thousand journal entries. Whole-process figures come from `bench/cli.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use thaw_core::{JournalEntry, Record, RecordBody, Timestamp};
use thaw_store::{SearchQuery, Store, VaultDir};
use thaw_vault::{KdfParams, Passphrase};

const WORDS: &[&str] = &[
    "lake", "grey", "tired", "mother", "work", "walk", "music", "rain", "quiet", "heavy", "sleep", "friend",
    "call", "coffee", "train", "window", "garden", "letter", "song", "winter",
];

fn entry(i: usize) -> Record {
    let body: Vec<&str> = (0..120).map(|j| WORDS[(i * 7 + j * 13) % WORDS.len()]).collect();
    let journal =
        JournalEntry::new(&format!("Entry {i}"), &body.join(" "), &[], vec![]).expect("valid entry");
    Record::new(RecordBody::Journal(journal), None, Timestamp::now())
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = VaultDir::new(dir.path().join("vault"));
    let params = KdfParams::new(1024, 1, 1).expect("small params for benchmarks");
    let (store, _recovery) =
        vault.create(&Passphrase::new("benchmark passphrase".into()), params).expect("vault");
    let records: Vec<Record> = (0..5_000).map(entry).collect();
    store.insert_many(&records).expect("seed");

    c.bench_function("insert one journal entry (durable)", |b| {
        let mut i = 10_000;
        b.iter(|| {
            i += 1;
            store.insert(&entry(i)).expect("insert");
        });
    });
    c.bench_function("search two words in 5k entries", |b| {
        b.iter(|| {
            let q = SearchQuery { text: "lake winter".into(), kinds: vec![], limit: 50 };
            store.search(&q).expect("search")
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
