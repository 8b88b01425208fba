//! An open-loop, fixed-rate load generator for `thaw host` (`bench/host-load.sh`).
//!
//! It signs in the seeded `benchNNNN` accounts (`POST /api/v1/sessions`, one bearer token each),
//! then sends a mixed load at RATE requests per second for each phase: 70 % reads (home page,
//! journal page, one journal entry, search, the insights API) and 30 % writes (check-ins and
//! journal entries), each to a random signed-in account. Requests are scheduled on a fixed clock
//! and handed to a pool of worker threads; a request's latency runs from the moment it was
//! *due*, so a slow server can't hide its queue (no coordinated omission).
//!
//! Phases: `steady`, then `flood-one` (the same load while 16 clients send sign-ins as fast as
//! they can from one address: wrong passphrases, unknown names, and some right ones) and
//! `flood-many` (the same, each sign-in from a different address through `X-Forwarded-For`,
//! which needs `thaw host --behind-proxy`; the addresses are documentation-only ranges and go
//! nowhere: everything is sent to the loopback server). Prints one markdown table per phase,
//! with the server's resident memory and CPU time (from /proc of `--pid`).
//!
//! `cargo run --release -p thaw --example host_load -- --url http://127.0.0.1:PORT --pid PID
//!  [--accounts 1000] [--rate 300] [--duration 60] [--phases steady,flood-one,flood-many]`
//!
//! Every loop is bounded in time; the generator stops by itself.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use thaw_core::sample::Rng;
use ureq::Agent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Route {
    Home,
    JournalList,
    JournalEntry,
    Search,
    Insights,
    Checkin,
    JournalWrite,
}

impl Route {
    fn name(self) -> &'static str {
        match self {
            Route::Home => "GET / (home page)",
            Route::JournalList => "GET /journal (page)",
            Route::JournalEntry => "GET /journal/{id} (page)",
            Route::Search => "POST /api/v1/search",
            Route::Insights => "GET /api/v1/insights",
            Route::Checkin => "POST /api/v1/checkins",
            Route::JournalWrite => "POST /api/v1/journal",
        }
    }
}

/// The mix, in percent.
const MIX: &[(Route, u64)] = &[
    (Route::Home, 15),
    (Route::JournalList, 15),
    (Route::JournalEntry, 15),
    (Route::Search, 10),
    (Route::Insights, 15),
    (Route::Checkin, 20),
    (Route::JournalWrite, 10),
];

const SEARCH_WORDS: &[&str] =
    &["tired", "rain", "station", "quiet", "mother", "walked", "numb", "grey", "kitchen", "slept"];
const FEELINGS: &[&str] = &["tired", "numb", "sad", "worn out", "hurt", "calm", "flat", "lonely"];
const WORKERS: usize = 96;
const FLOOD_CLIENTS: usize = 16;

struct Account {
    token: String,
    journal_ids: Vec<String>,
}

struct Job {
    due: Instant,
    route: Route,
    account: usize,
    /// Which of the account's journal ids, or which search word / feeling.
    pick: usize,
}

#[derive(Default)]
struct Samples {
    /// Latency in microseconds of each answered request, by route.
    by_route: BTreeMap<Route, Vec<u64>>,
    errors: BTreeMap<Route, usize>,
    codes: BTreeMap<u16, usize>,
}

struct Args {
    url: String,
    pid: Option<u32>,
    accounts: usize,
    rate: u64,
    duration: u64,
    phases: Vec<String>,
}

fn args() -> Result<Args> {
    let mut a = Args {
        url: String::new(),
        pid: None,
        accounts: 1000,
        rate: 300,
        duration: 60,
        phases: vec!["steady".into(), "flood-one".into(), "flood-many".into()],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => a.url = value.trim_end_matches('/').to_owned(),
            "--pid" => a.pid = Some(value.parse()?),
            "--accounts" => a.accounts = value.parse()?,
            "--rate" => a.rate = value.parse()?,
            "--duration" => a.duration = value.parse()?,
            "--phases" => a.phases = value.split(',').map(str::to_owned).collect(),
            other => bail!("unknown option {other}"),
        }
    }
    if a.url.is_empty() {
        bail!("--url http://127.0.0.1:PORT is required");
    }
    if a.rate == 0 || a.duration == 0 || a.duration > 3600 {
        bail!("--rate must be positive and --duration 1 to 3600 seconds");
    }
    Ok(a)
}

fn agent() -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections(512)
        .max_idle_connections_per_host(512)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Sends one request; returns the status code (0 when the connection failed).
fn send(
    agent: &Agent,
    url: &str,
    method: &str,
    token: Option<&str>,
    forwarded: Option<&str>,
    body: Option<&Value>,
) -> u16 {
    let auth = token.map(|t| format!("Bearer {t}"));
    let result = match method {
        "GET" => {
            let mut r = agent.get(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        }
        "DELETE" => {
            let mut r = agent.delete(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            r.call()
        }
        _ => {
            let mut r = agent.post(url);
            if let Some(a) = &auth {
                r = r.header("Authorization", a);
            }
            if let Some(f) = forwarded {
                r = r.header("X-Forwarded-For", f);
            }
            r.send_json(body.cloned().unwrap_or(Value::Null))
        }
    };
    match result {
        Ok(mut response) => {
            // Read the whole answer, as a client would.
            let _ = response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec();
            response.status().as_u16()
        }
        Err(_) => 0,
    }
}

fn sign_in(agent: &Agent, base: &str, name: &str, pass: &str) -> Result<String> {
    let mut response = agent
        .post(format!("{base}/api/v1/sessions"))
        .send_json(json!({ "username": name, "passphrase": pass }))
        .context("sign-in")?;
    let status = response.status().as_u16();
    let body: Value = response.body_mut().read_json().context("sign-in answer")?;
    if status != 201 {
        bail!("sign-in of {name} answered {status}: {body}");
    }
    body["token"].as_str().map(str::to_owned).ok_or_else(|| anyhow!("no token in {body}"))
}

fn journal_ids(agent: &Agent, base: &str, token: &str) -> Result<Vec<String>> {
    let mut response = agent
        .get(format!("{base}/api/v1/journal?limit=20"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()?;
    let body: Value = response.body_mut().with_config().limit(64 * 1024 * 1024).read_json()?;
    Ok(body
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default())
}

fn sign_in_all(base: &str, count: usize) -> Result<Vec<Account>> {
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<(usize, Account)>> = Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::new();
        for _ in 0..4 {
            handles.push(scope.spawn(|| -> Result<()> {
                let agent = agent();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return Ok(());
                    }
                    let token =
                        sign_in(&agent, base, &format!("bench{i:04}"), &format!("bench passphrase {i}"))?;
                    let journal_ids = journal_ids(&agent, base, &token)?;
                    out.lock().map_err(|_| anyhow!("lock"))?.push((i, Account { token, journal_ids }));
                }
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow!("a sign-in thread panicked"))??;
        }
        Ok(())
    })?;
    let mut accounts = out.into_inner().map_err(|_| anyhow!("lock"))?;
    accounts.sort_by_key(|(i, _)| *i);
    eprintln!("signed in {count} accounts in {:.1} s", started.elapsed().as_secs_f64());
    Ok(accounts.into_iter().map(|(_, a)| a).collect())
}

fn journal_text(rng: &mut Rng) -> String {
    const WORDS: &[&str] = &[
        "today", "the", "lake", "was", "grey", "and", "quiet", "I", "walked", "to", "station", "in", "rain",
        "felt", "nothing", "much", "tired", "after", "work", "called", "my", "sister", "kitchen", "slept",
    ];
    let n = 60 + rng.below(120);
    (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" ")
}

fn run_job(agent: &Agent, base: &str, accounts: &[Account], job: &Job, rng: &mut Rng) -> u16 {
    let account = &accounts[job.account];
    let token = Some(account.token.as_str());
    match job.route {
        Route::Home => send(agent, &format!("{base}/"), "GET", token, None, None),
        Route::JournalList => send(agent, &format!("{base}/journal"), "GET", token, None, None),
        Route::JournalEntry => match account.journal_ids.get(job.pick % account.journal_ids.len().max(1)) {
            Some(id) => send(agent, &format!("{base}/journal/{id}"), "GET", token, None, None),
            None => send(agent, &format!("{base}/journal"), "GET", token, None, None),
        },
        Route::Search => {
            let q = SEARCH_WORDS[job.pick % SEARCH_WORDS.len()];
            send(
                agent,
                &format!("{base}/api/v1/search"),
                "POST",
                token,
                None,
                Some(&json!({ "q": q, "limit": 20 })),
            )
        }
        Route::Insights => send(agent, &format!("{base}/api/v1/insights"), "GET", token, None, None),
        Route::Checkin => {
            let word = FEELINGS[job.pick % FEELINGS.len()];
            let body = json!({ "emotions": [{ "word": word, "intensity": (job.pick % 11) as i64 }], "note": "after work" });
            send(agent, &format!("{base}/api/v1/checkins"), "POST", token, None, Some(&body))
        }
        Route::JournalWrite => {
            let body = json!({ "title": "Evening", "body": journal_text(rng) });
            send(agent, &format!("{base}/api/v1/journal"), "POST", token, None, Some(&body))
        }
    }
}

fn pick_route(rng: &mut Rng) -> Route {
    let mut roll = rng.below(100) as u64;
    for (route, weight) in MIX {
        if roll < *weight {
            return *route;
        }
        roll -= weight;
    }
    Route::Home
}

/// The server's resident memory (KiB) and CPU time (clock ticks, user + system).
fn proc_stats(pid: Option<u32>) -> Option<(u64, u64)> {
    let pid = pid?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
    let cpu = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some((rss, cpu))
}

#[derive(Default)]
struct FloodStats {
    codes: BTreeMap<u16, usize>,
    latencies: Vec<u64>,
}

/// One flood client: sign-ins back to back until `stop`. A third wrong passphrases for the
/// flood accounts, a third unknown names, a third right passphrases (signed out again at once).
fn flood_client(base: &str, n: usize, many: bool, stop: &AtomicBool, stats: &Mutex<FloodStats>) {
    let agent = agent();
    let mut rng = Rng::new(0xf100d + n as u64);
    while !stop.load(Ordering::Relaxed) {
        let f = rng.below(4);
        let (name, pass) = match rng.below(3) {
            0 => (format!("flood{f}"), format!("wrong passphrase {}", rng.below(1_000_000))),
            1 => (format!("nobody{}", rng.below(1_000_000_000)), "some passphrase".to_owned()),
            _ => (format!("flood{f}"), format!("flood passphrase {f}")),
        };
        let forwarded = if many {
            // Documentation-only IPv6 prefix (2001:db8::/32), a different /64 each time.
            Some(format!("2001:db8:{:x}:{:x}::1", rng.below(0xffff), rng.below(0xffff)))
        } else {
            Some("2001:db8::1".to_owned())
        };
        let started = Instant::now();
        let mut response = match agent
            .post(format!("{base}/api/v1/sessions"))
            .header("X-Forwarded-For", forwarded.as_deref().unwrap_or(""))
            .send_json(json!({ "username": name, "passphrase": pass }))
        {
            Ok(r) => r,
            Err(_) => {
                if let Ok(mut s) = stats.lock() {
                    *s.codes.entry(0).or_default() += 1;
                }
                continue;
            }
        };
        let code = response.status().as_u16();
        let body: Value = response.body_mut().read_json().unwrap_or(Value::Null);
        let micros = started.elapsed().as_micros() as u64;
        if code == 201
            && let Some(token) = body["token"].as_str()
        {
            send(&agent, &format!("{base}/api/v1/sessions"), "DELETE", Some(token), None, None);
        }
        if let Ok(mut s) = stats.lock() {
            *s.codes.entry(code).or_default() += 1;
            s.latencies.push(micros);
        }
        if code == 429 || code == 503 {
            // A real attacker would ignore Retry-After; a short pause keeps this client from
            // spinning on answers that cost the server almost nothing.
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn percentile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}

fn phase(args: &Args, accounts: &Arc<Vec<Account>>, name: &str) -> Result<()> {
    let flood = match name {
        "steady" => None,
        "flood-one" => Some(false),
        "flood-many" => Some(true),
        other => bail!("unknown phase {other}"),
    };
    let base = args.url.clone();
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    let samples = Arc::new(Mutex::new(Samples::default()));
    let mut workers = Vec::new();
    for w in 0..WORKERS {
        let rx = Arc::clone(&rx);
        let samples = Arc::clone(&samples);
        let accounts = Arc::clone(accounts);
        let base = base.clone();
        workers.push(std::thread::spawn(move || {
            let agent = agent();
            let mut rng = Rng::new(w as u64 + 7);
            loop {
                let job = match rx.lock() {
                    Ok(r) => match r.recv() {
                        Ok(job) => job,
                        Err(_) => return,
                    },
                    Err(_) => return,
                };
                let code = run_job(&agent, &base, &accounts, &job, &mut rng);
                let micros = job.due.elapsed().as_micros() as u64;
                if let Ok(mut s) = samples.lock() {
                    *s.codes.entry(code).or_default() += 1;
                    if (200..300).contains(&code) {
                        s.by_route.entry(job.route).or_default().push(micros);
                    } else {
                        *s.errors.entry(job.route).or_default() += 1;
                    }
                }
            }
        }));
    }

    let stop_flood = Arc::new(AtomicBool::new(false));
    let flood_stats = Arc::new(Mutex::new(FloodStats::default()));
    let mut flooders = Vec::new();
    if let Some(many) = flood {
        for n in 0..FLOOD_CLIENTS {
            let (base, stop, stats) = (base.clone(), Arc::clone(&stop_flood), Arc::clone(&flood_stats));
            flooders.push(std::thread::spawn(move || flood_client(&base, n, many, &stop, &stats)));
        }
    }

    let before = proc_stats(args.pid);
    let mut peak_rss = before.map_or(0, |b| b.0);
    let interval = Duration::from_nanos(1_000_000_000 / args.rate);
    let total = args.rate * args.duration;
    let mut rng = Rng::new(42 + name.len() as u64);
    let start = Instant::now() + Duration::from_millis(50);
    let mut last_sample = Instant::now();
    for k in 0..total {
        let due = start + interval * u32::try_from(k).unwrap_or(u32::MAX);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        let job = Job {
            due,
            route: pick_route(&mut rng),
            account: rng.below(accounts.len()),
            pick: rng.below(1 << 20),
        };
        tx.send(job).map_err(|_| anyhow!("the workers stopped"))?;
        if last_sample.elapsed() >= Duration::from_millis(500) {
            last_sample = Instant::now();
            if let Some((rss, _)) = proc_stats(args.pid) {
                peak_rss = peak_rss.max(rss);
            }
        }
    }
    let sent_for = start.elapsed();
    drop(tx);
    stop_flood.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let after = proc_stats(args.pid);
    for f in flooders {
        let _ = f.join();
    }

    let samples = samples.lock().map_err(|_| anyhow!("lock"))?;
    println!();
    println!(
        "### {name}: {} req/s for {} s{}",
        args.rate,
        args.duration,
        match flood {
            None => String::new(),
            Some(false) =>
                format!(", while {FLOOD_CLIENTS} clients flood POST /api/v1/sessions from one address"),
            Some(true) => format!(
                ", while {FLOOD_CLIENTS} clients flood POST /api/v1/sessions, each try from a new address"
            ),
        }
    );
    println!();
    println!("| route | requests | p50 | p90 | p99 | max | errors |");
    println!("|---|---|---|---|---|---|---|");
    let mut all = Vec::new();
    let mut answered = 0;
    for (route, _) in MIX {
        let mut v = samples.by_route.get(route).cloned().unwrap_or_default();
        v.sort_unstable();
        all.extend_from_slice(&v);
        answered += v.len();
        let errors = samples.errors.get(route).copied().unwrap_or(0);
        println!(
            "| {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {errors} |",
            route.name(),
            v.len() + errors,
            percentile(&v, 0.5),
            percentile(&v, 0.9),
            percentile(&v, 0.99),
            percentile(&v, 1.0)
        );
    }
    all.sort_unstable();
    let errors: usize = samples.errors.values().sum();
    println!(
        "| **all** | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {errors} |",
        answered + errors,
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    println!();
    println!(
        "Sent {} requests in {:.1} s ({:.0} req/s); status codes {:?}.",
        total,
        sent_for.as_secs_f64(),
        total as f64 / sent_for.as_secs_f64(),
        samples.codes
    );
    if let (Some((_, cpu0)), Some((rss, cpu1))) = (before, after) {
        let hz = 100.0; // CLK_TCK on Linux
        let cpu_s = (cpu1.saturating_sub(cpu0)) as f64 / hz;
        println!(
            "thaw host: VmRSS {} MB at the end, peak seen {} MB; CPU {:.1} s ({:.2} ms per request of the load).",
            rss / 1024,
            peak_rss.max(rss) / 1024,
            cpu_s,
            cpu_s * 1000.0 / total as f64
        );
    }
    if flood.is_some() {
        let mut f = flood_stats.lock().map_err(|_| anyhow!("lock"))?;
        f.latencies.sort_unstable();
        println!(
            "Flood: {} sign-ins answered, status codes {:?}; their latency p50 {:.0} ms, p99 {:.0} ms.",
            f.latencies.len(),
            f.codes,
            percentile(&f.latencies, 0.5),
            percentile(&f.latencies, 0.99)
        );
    }
    Ok(())
}

fn main() -> Result<()> {
    let args = args()?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average before: {}", load.trim());
    let accounts = Arc::new(sign_in_all(&args.url, args.accounts)?);
    if let Some((rss, _)) = proc_stats(args.pid) {
        println!(
            "thaw host with {} accounts signed in, before the load: VmRSS {} MB",
            accounts.len(),
            rss / 1024
        );
    }
    for name in &args.phases {
        phase(&args, &accounts, name)?;
        // Let the server settle (sign-in queues drain) between phases.
        std::thread::sleep(Duration::from_secs(3));
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average after: {}", load.trim());
    Ok(())
}
