//! The model gate: how much of the machine the encoder may take.
//!
//! The encoder is the one costly thing Thaw does on a save (tens to hundreds of milliseconds of
//! CPU for a journal entry). A server that lets every save run it at once hands all its cores to
//! the model, and then everything — reads included — waits behind it. So:
//!
//! - at most [`GateConfig::slots`] encodes of a person's text run at once (by default the cores
//!   less one, at least one), and all of the model's work runs on a thread pool of that size, so
//!   the other cores stay free for reads, other saves and the database;
//! - a text that needs the encoder waits for a slot at most [`GateConfig::wait`] (by default
//!   [`DEFAULT_WAIT`]); when the wait is over the encoder is skipped for it: the risk check
//!   answers with the phrase layer alone (never no check), and word suggestions are none. A text
//!   that clearly couldn't get a slot in time — the texts already waiting would take longer than
//!   the wait, at the encoder's recent pace — is let through at once rather than made to wait for
//!   nothing. Each skip is counted ([`Busy`]), without anything about the text or the person, so a
//!   server can tell its operator.
//!
//! One process with one save at a time (the CLI) never waits and never skips: a slot is always
//! free when nothing else is encoding. Sentences the model has just encoded are kept
//! ([`crate::Model::encode_sentences`]) and need no slot.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::EmbedError;

/// How long a text waits for a free slot by default before the encoder is skipped for it.
pub const DEFAULT_WAIT: Duration = Duration::from_millis(1500);

/// The size of the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateConfig {
    /// Encodes at once, and threads the model computes on (at least one).
    pub slots: usize,
    /// The longest a text waits for a slot.
    pub wait: Duration,
}

impl Default for GateConfig {
    /// The cores less one (at least one), and [`DEFAULT_WAIT`].
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        GateConfig { slots: cores.saturating_sub(1).max(1), wait: DEFAULT_WAIT }
    }
}

impl GateConfig {
    /// Every core for the model: for a process that saves one person's text at a time and does
    /// nothing else meanwhile (the CLI), where leaving a core free would only make the one save
    /// wait longer.
    pub fn one_process() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        GateConfig { slots: cores, wait: DEFAULT_WAIT }
    }
}

/// What the gate turned away since the model loaded: counts only, never a text or a person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Busy {
    /// Risk checks that ran with the phrase layer alone because the model was busy.
    pub checks: u64,
    /// Word suggestions that found none because the model was busy.
    pub suggestions: u64,
}

impl Busy {
    /// What happened after `earlier` (a reading of the same counters).
    pub fn since(self, earlier: Busy) -> Busy {
        Busy {
            checks: self.checks.saturating_sub(earlier.checks),
            suggestions: self.suggestions.saturating_sub(earlier.suggestions),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.checks == 0 && self.suggestions == 0
    }

    /// The line for a server's operator about the skips in `period` (e.g. "the last minute"),
    /// or `None` when there were none. Counts only.
    pub fn log_line(&self, period: &str) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let plural =
            |n: u64, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
        let mut parts = Vec::new();
        if self.checks > 0 {
            parts.push(format!(
                "{} checked by the phrase layer alone",
                plural(self.checks, "text was", "texts were")
            ));
        }
        if self.suggestions > 0 {
            parts
                .push(format!("{} got no word suggestions", plural(self.suggestions, "request", "requests")));
        }
        Some(format!(
            "the on-device model was busy: {} in {period}. Every save was kept and checked for risk phrases; docs/HOSTED.md has how to size for it",
            parts.join(", and ")
        ))
    }
}

/// The gate of one loaded model.
pub(crate) struct Gate {
    config: GateConfig,
    /// Slots taken, and texts waiting for one.
    taken: Mutex<Queue>,
    freed: Condvar,
    /// How long a slot was held lately (a moving average, in microseconds; 0 before the first).
    pace_us: AtomicU64,
    /// The threads the model computes on (`slots` of them); `None` if they couldn't be started,
    /// and then the model computes on the caller's thread and candle's own pool.
    pool: Option<rayon::ThreadPool>,
    checks: AtomicU64,
    suggestions: AtomicU64,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate").field("config", &self.config).finish()
    }
}

#[derive(Debug, Default)]
struct Queue {
    taken: usize,
    waiting: usize,
}

/// A slot, given back when dropped.
pub(crate) struct Permit<'g> {
    gate: &'g Gate,
    since: Instant,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let held = u64::try_from(self.since.elapsed().as_micros()).unwrap_or(u64::MAX);
        let pace = self.gate.pace_us.load(Ordering::Relaxed);
        let pace = if pace == 0 { held } else { pace - pace / 8 + held / 8 };
        self.gate.pace_us.store(pace.max(1), Ordering::Relaxed);
        let mut q = self.gate.taken.lock().unwrap_or_else(PoisonError::into_inner);
        q.taken = q.taken.saturating_sub(1);
        drop(q);
        self.gate.freed.notify_one();
    }
}

impl Gate {
    pub(crate) fn new(config: GateConfig) -> Gate {
        let config = GateConfig { slots: config.slots.max(1), ..config };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.slots)
            .thread_name(|i| format!("thaw-model-{i}"))
            .build()
            .ok();
        Gate {
            config,
            taken: Mutex::new(Queue::default()),
            freed: Condvar::new(),
            pace_us: AtomicU64::new(0),
            pool,
            checks: AtomicU64::new(0),
            suggestions: AtomicU64::new(0),
        }
    }

    pub(crate) fn config(&self) -> GateConfig {
        self.config
    }

    /// A slot, waiting for one at most the configured time ([`EmbedError::Busy`] after it, or
    /// at once when the texts already waiting would take longer than that at the recent pace).
    pub(crate) fn enter(&self) -> Result<Permit<'_>, EmbedError> {
        let deadline = Instant::now().checked_add(self.config.wait);
        let mut q = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        if q.taken >= self.config.slots {
            // Slots free up at about `slots` per `pace`; this text would be served after the
            // ones waiting before it.
            let pace = Duration::from_micros(self.pace_us.load(Ordering::Relaxed));
            let ahead = u32::try_from(q.waiting / self.config.slots + 1).unwrap_or(u32::MAX);
            if pace.saturating_mul(ahead) > self.config.wait {
                return Err(EmbedError::Busy);
            }
        }
        q.waiting += 1;
        while q.taken >= self.config.slots {
            let left = deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(Instant::now()));
            if left.is_zero() {
                q.waiting -= 1;
                return Err(EmbedError::Busy);
            }
            q = self.freed.wait_timeout(q, left).unwrap_or_else(PoisonError::into_inner).0;
        }
        q.waiting -= 1;
        q.taken += 1;
        Ok(Permit { gate: self, since: Instant::now() })
    }

    /// Slots taken right now.
    #[cfg(test)]
    pub(crate) fn taken(&self) -> usize {
        self.taken.lock().unwrap_or_else(PoisonError::into_inner).taken
    }

    /// Runs `work` on the model's threads.
    pub(crate) fn compute<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    pub(crate) fn skipped_check(&self) {
        self.checks.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn skipped_suggestion(&self) {
        self.suggestions.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn busy(&self) -> Busy {
        Busy {
            checks: self.checks.load(Ordering::Relaxed),
            suggestions: self.suggestions.load(Ordering::Relaxed),
        }
    }
}

/// Slots held on purpose (tests: as if other texts were being encoded). Given back when dropped.
#[doc(hidden)]
pub struct Held<'g> {
    _permits: Vec<Permit<'g>>,
}

impl Gate {
    pub(crate) fn hold(&self, n: usize) -> Result<Held<'_>, EmbedError> {
        let mut held = Vec::with_capacity(n);
        for _ in 0..n {
            held.push(self.enter()?);
        }
        Ok(Held { _permits: held })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_slot_is_taken_at_once_and_a_full_gate_answers_busy_after_the_wait() {
        let gate = Gate::new(GateConfig { slots: 2, wait: Duration::from_millis(20) });
        let a = gate.enter().expect("first slot");
        let b = gate.enter().expect("second slot");
        assert_eq!(gate.taken(), 2);
        let started = Instant::now();
        assert!(matches!(gate.enter(), Err(EmbedError::Busy)));
        assert!(started.elapsed() >= Duration::from_millis(20));
        drop(a);
        let c = gate.enter().expect("a slot given back is free again");
        drop((b, c));
        assert_eq!(gate.taken(), 0);
    }

    #[test]
    fn a_text_that_couldnt_be_served_in_time_is_let_through_at_once() {
        let gate = Gate::new(GateConfig { slots: 1, wait: Duration::from_secs(30) });
        // The encoder has lately held its slot for a minute per text: no point waiting 30 s.
        gate.pace_us.store(60_000_000, Ordering::Relaxed);
        let _held = gate.hold(1).expect("slot");
        let started = Instant::now();
        assert!(matches!(gate.enter(), Err(EmbedError::Busy)));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_waiting_text_gets_the_slot_given_back() {
        let gate = std::sync::Arc::new(Gate::new(GateConfig { slots: 1, wait: Duration::from_secs(30) }));
        let held = gate.hold(1).expect("slot");
        let waiter = {
            let gate = gate.clone();
            std::thread::spawn(move || gate.enter().map(|_| ()).is_ok())
        };
        std::thread::sleep(Duration::from_millis(30));
        drop(held);
        assert!(waiter.join().expect("no panic"));
    }

    #[test]
    fn with_no_wait_a_lone_caller_is_never_turned_away() {
        let gate = Gate::new(GateConfig { slots: 1, wait: Duration::ZERO });
        for _ in 0..100 {
            let p = gate.enter().expect("nothing else holds the slot");
            assert_eq!(gate.compute(|| 2 + 2), 4);
            drop(p);
        }
        assert_eq!(gate.busy(), Busy::default());
    }

    #[test]
    fn the_log_line_counts_and_says_nothing_else() {
        assert_eq!(Busy::default().log_line("the last minute"), None);
        let line = Busy { checks: 3, suggestions: 1 }.log_line("the last minute").expect("a line");
        assert!(line.contains("3 texts were checked by the phrase layer alone"), "{line}");
        assert!(line.contains("1 request got no word suggestions"), "{line}");
        let later = Busy { checks: 5, suggestions: 1 };
        assert_eq!(later.since(Busy { checks: 3, suggestions: 1 }), Busy { checks: 2, suggestions: 0 });
    }
}
