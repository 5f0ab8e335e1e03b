//! Test-only call counters reported by the `stats` handler.
//!
//! They let host tests prove that calls are serialized (`max_in_flight`), which threads make them
//! (`calling_threads`) and that every returned buffer is freed (`live_buffers`, kept in
//! `buffers`). Every `plugin_call`/`plugin_call_raw` that reaches a valid handle pays for them,
//! so the fast path is three relaxed atomic operations plus one thread-local compare.

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread::{self, ThreadId};

/// Source of tokens identifying one "generation" of a `CallStats` (unique across instances and
/// resets, so a stale thread-local can never be mistaken for a current registration).
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Token of the generation this thread last registered itself in. Threads that keep calling
    /// the same instance therefore touch the mutex-protected set only once.
    static REGISTERED_IN: Cell<u64> = const { Cell::new(0) };
}

#[derive(Debug)]
pub struct CallStats {
    calls: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    token: AtomicU64,
    threads: Mutex<HashSet<ThreadId>>,
}

/// Values as seen from inside a call; the caller's own call is still counted in them.
#[derive(Debug, Clone, Copy)]
pub struct Snapshot {
    pub calls: u64,
    pub in_flight: u64,
    pub max_in_flight: u64,
    pub calling_threads: u64,
}

/// Marks one call as in flight until dropped (also during unwinding after a panic).
#[must_use]
pub struct InFlight<'s> {
    stats: &'s CallStats,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.stats.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl CallStats {
    pub fn new() -> Self {
        CallStats {
            calls: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
            token: AtomicU64::new(NEXT_TOKEN.fetch_add(1, Ordering::Relaxed)),
            threads: Mutex::new(HashSet::new()),
        }
    }

    pub fn enter(&self) -> InFlight<'_> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.max_in_flight.fetch_max(now, Ordering::Relaxed);
        let token = self.token.load(Ordering::Acquire);
        REGISTERED_IN.with(|registered| {
            if registered.get() != token {
                self.lock_threads().insert(thread::current().id());
                registered.set(token);
            }
        });
        InFlight { stats: self }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            calls: self.calls.load(Ordering::Relaxed),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            max_in_flight: self.max_in_flight.load(Ordering::Relaxed),
            calling_threads: self.lock_threads().len() as u64,
        }
    }

    /// Starts a new generation: calls and threads from 0, the maximum from the current load.
    /// Calls racing with a reset may be attributed to either generation.
    pub fn reset(&self) {
        let mut threads = self.lock_threads();
        threads.clear();
        self.token.store(
            NEXT_TOKEN.fetch_add(1, Ordering::Relaxed),
            Ordering::Release,
        );
        self.calls.store(0, Ordering::Relaxed);
        self.max_in_flight
            .store(self.in_flight.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// Poisoning is ignored: a set of ids stays consistent, and a poisoned lock must not turn
    /// every later call on the instance into a panic.
    fn lock_threads(&self) -> std::sync::MutexGuard<'_, HashSet<ThreadId>> {
        self.threads.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
