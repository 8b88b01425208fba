//! `thaw serve` and the CLI writing to one vault at the same moment: every request and command
//! succeeds, every acknowledged write is stored exactly once, and the vault stays healthy.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::Thaw;
use crate::web::{Serve, serve};

/// Writes through each edge; `THAW_SERVE_RACE_WRITES` scales both (default 120 API and 30 CLI
/// writes; the CLI count is a quarter of the API count because each command is a process).
fn counts() -> (usize, usize) {
    let api: usize =
        std::env::var("THAW_SERVE_RACE_WRITES").ok().and_then(|v| v.parse().ok()).unwrap_or(120).max(4);
    (api, (api / 4).max(2))
}

/// An acknowledged write: its edge, the text that marks it, and the id the edge gave back.
#[derive(Debug, Clone)]
struct Ack {
    kind: &'static str,
    marker: String,
    id: String,
}

fn api_writes(s: &Serve, n: usize, failures: &AtomicU64) -> Vec<Ack> {
    let mut acks = Vec::new();
    for i in 0..n {
        let marker = format!("api-write-{i}");
        let (kind, path, body) = if i % 2 == 0 {
            (
                "checkin",
                "/api/v1/checkins",
                json!({ "emotions": [{ "word": "hurt", "intensity": 4 }], "note": marker }),
            )
        } else {
            ("journal", "/api/v1/journal", json!({ "title": marker, "body": "written through the API" }))
        };
        let (status, record) = s.post(path, &body);
        if status != 201 {
            failures.fetch_add(1, Ordering::Relaxed);
            eprintln!("API write {i} answered {status}: {record}");
            continue;
        }
        acks.push(Ack { kind, marker, id: record["id"].as_str().expect("id").to_owned() });
    }
    acks
}

fn cli_writes(t: &Thaw, m: usize, failures: &AtomicU64) -> Vec<Ack> {
    let mut acks = Vec::new();
    for i in 0..m {
        let marker = format!("cli-write-{i}");
        let (kind, run) = if i % 2 == 0 {
            ("checkin", t.run(&["checkin", "--feel", "numb", "--note", &marker, "--json"]))
        } else {
            (
                "journal",
                t.run(&["journal", "add", "--title", &marker, "--body", "typed in a terminal", "--json"]),
            )
        };
        if run.code != 0 {
            failures.fetch_add(1, Ordering::Relaxed);
            eprintln!("CLI write {i} exited {}: {}", run.code, run.stderr);
            continue;
        }
        acks.push(Ack { kind, marker, id: run.json()["id"].as_str().expect("id").to_owned() });
    }
    acks
}

/// How many records of each kind carry each marker (the note of a check-in, a journal title).
fn tally(checkins: &Value, journal: &Value) -> BTreeMap<(String, String), (usize, Vec<String>)> {
    let mut seen: BTreeMap<(String, String), (usize, Vec<String>)> = BTreeMap::new();
    for (kind, list, field) in [("checkin", checkins, "note"), ("journal", journal, "title")] {
        for r in list.as_array().expect("array") {
            if let Some(marker) = r[field].as_str() {
                let e = seen.entry((kind.to_owned(), marker.to_owned())).or_default();
                e.0 += 1;
                e.1.push(r["id"].as_str().expect("id").to_owned());
            }
        }
    }
    seen
}

#[test]
fn serve_and_cli_write_at_the_same_time_and_lose_nothing() {
    let (api_n, cli_m) = counts();
    let (t, _) = Thaw::init();
    // The unlock cache (when the kernel keyring is there) spares each command the key derivation,
    // so commands come fast enough to meet the server's writes; THAW_PASSPHRASE stays as fallback.
    let cached = t.run(&["unlock", "--for", "30m"]).code == 0;
    let s = serve(&t);
    s.unlock();
    let failures = AtomicU64::new(0);
    let reads = AtomicU64::new(0);
    let bad_reads = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let (api_acks, cli_acks, api_time, cli_time) = std::thread::scope(|scope| {
        let api = scope.spawn(|| {
            let t0 = Instant::now();
            let acks = api_writes(&s, api_n, &failures);
            (acks, t0.elapsed())
        });
        let cli = scope.spawn(|| {
            let t0 = Instant::now();
            let acks = cli_writes(&t, cli_m, &failures);
            (acks, t0.elapsed())
        });
        // Reads through the API while both write: they must keep answering too.
        let reader = scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let (status, _) = s.get("/api/v1/checkins?limit=20");
                reads.fetch_add(1, Ordering::Relaxed);
                if status != 200 {
                    bad_reads.fetch_add(1, Ordering::Relaxed);
                    eprintln!("a read during the writes answered {status}");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let (api_acks, api_time) = api.join().expect("API thread");
        let (cli_acks, cli_time) = cli.join().expect("CLI thread");
        done.store(true, Ordering::Relaxed);
        reader.join().expect("reader");
        (api_acks, cli_acks, api_time, cli_time)
    });
    let wall = started.elapsed();
    eprintln!(
        "serve+CLI race: {} API writes in {:.1}s, {} CLI commands in {:.1}s (unlock cache: {cached}), \
         {} reads, wall {:.1}s, failed writes {}, failed reads {}",
        api_acks.len(),
        api_time.as_secs_f64(),
        cli_acks.len(),
        cli_time.as_secs_f64(),
        reads.load(Ordering::Relaxed),
        wall.as_secs_f64(),
        failures.load(Ordering::Relaxed),
        bad_reads.load(Ordering::Relaxed),
    );
    // No retries anywhere: a busy vault surfacing as an error (503, exit 1) fails the test.
    assert_eq!(failures.load(Ordering::Relaxed), 0, "every write must succeed the first time");
    assert_eq!(bad_reads.load(Ordering::Relaxed), 0, "every read must succeed");
    assert_eq!(api_acks.len(), api_n);
    assert_eq!(cli_acks.len(), cli_m);

    let acks: Vec<&Ack> = api_acks.iter().chain(&cli_acks).collect();
    let by_cli = tally(
        &t.run(&["checkin", "list", "--json"]).ok().json(),
        &t.run(&["journal", "list", "--json"]).ok().json(),
    );
    let by_api = tally(&s.json("/api/v1/checkins"), &s.json("/api/v1/journal"));
    for (edge, seen) in [("CLI", &by_cli), ("API", &by_api)] {
        assert_eq!(seen.len(), acks.len(), "{edge} lists exactly the acknowledged writes: {seen:?}");
        for ack in &acks {
            let key = (ack.kind.to_owned(), ack.marker.clone());
            let (count, ids) = seen.get(&key).unwrap_or_else(|| panic!("{edge} lost {ack:?}"));
            assert_eq!(*count, 1, "{edge}: {ack:?} stored once");
            assert_eq!(ids, &vec![ack.id.clone()], "{edge}: {ack:?} under the id it was acknowledged with");
        }
    }
    drop(s);
    t.run(&["check"]).ok();
    if cached {
        let _ = t.run(&["lock"]);
    }
}
