//! One initialised plugin instance: lifecycle state, concurrency limiter and call statistics.

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};

use crate::error::PluginError;
use crate::plugin::SyncDemo;
use crate::stats::CallStats;

/// Lifecycle states; the discriminants are the `plugin_get_state` codes (plugin-abi.md §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum State {
    Installed = 0,
    Starting = 1,
    Active = 2,
    Stopping = 3,
    Stopped = 4,
    Failed = 5,
}

impl State {
    fn from_u8(value: u8) -> State {
        match value {
            0 => State::Installed,
            1 => State::Starting,
            2 => State::Active,
            3 => State::Stopping,
            4 => State::Stopped,
            _ => State::Failed,
        }
    }
}

/// The names appear in `invalid lifecycle state: expected Active, got <State>`.
impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Installed => "Installed",
            State::Starting => "Starting",
            State::Active => "Active",
            State::Stopping => "Stopping",
            State::Stopped => "Stopped",
            State::Failed => "Failed",
        })
    }
}

pub struct Instance {
    plugin: SyncDemo,
    state: AtomicU8,
    limiter: Limiter,
    pub stats: CallStats,
}

impl Instance {
    pub fn new(plugin: SyncDemo, max_concurrent_ops: usize) -> Self {
        Instance {
            plugin,
            state: AtomicU8::new(State::Installed as u8),
            limiter: Limiter::new(max_concurrent_ops),
            stats: CallStats::new(),
        }
    }

    pub fn plugin(&self) -> &SyncDemo {
        &self.plugin
    }

    pub fn state(&self) -> State {
        State::from_u8(self.state.load(Ordering::Acquire))
    }

    pub fn set_state(&self, state: State) {
        self.state.store(state as u8, Ordering::Release);
    }

    /// Atomically moves `from` -> `to`; fails if another thread changed the state meanwhile
    /// (e.g. a concurrent panic forcing Failed during shutdown).
    pub fn transition(&self, from: State, to: State) -> bool {
        self.state
            .compare_exchange(from as u8, to as u8, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    pub fn require_active(&self) -> Result<(), PluginError> {
        match self.state() {
            State::Active => Ok(()),
            actual => Err(PluginError::InvalidState {
                expected: State::Active,
                actual,
            }),
        }
    }

    /// Admission for one JSON call (binary calls bypass the limiter, as in the reference).
    pub fn try_acquire(&self) -> Result<Permit<'_>, PluginError> {
        self.limiter.try_acquire()
    }

    pub fn rejected_count(&self) -> u64 {
        self.limiter.rejected.load(Ordering::Relaxed)
    }
}

/// Non-blocking counting semaphore for `max_concurrent_ops` (0 = unlimited).
struct Limiter {
    max: usize,
    active: AtomicUsize,
    rejected: AtomicU64,
}

/// Holds one limiter slot until dropped (also when the handler panics).
#[must_use]
pub struct Permit<'l> {
    slot: Option<&'l AtomicUsize>,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if let Some(active) = self.slot {
            active.fetch_sub(1, Ordering::Release);
        }
    }
}

impl Limiter {
    fn new(max: usize) -> Self {
        Limiter {
            max,
            active: AtomicUsize::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    fn try_acquire(&self) -> Result<Permit<'_>, PluginError> {
        if self.max == 0 {
            return Ok(Permit { slot: None });
        }
        // A CAS loop rather than fetch_add-then-undo: a request that is about to be rejected must
        // never briefly occupy a slot and cause a spurious rejection of another request.
        let mut current = self.active.load(Ordering::Relaxed);
        loop {
            if current >= self.max {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                return Err(PluginError::TooManyRequests);
            }
            match self.active.compare_exchange_weak(
                current,
                current + 1,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return Ok(Permit {
                        slot: Some(&self.active),
                    })
                }
                Err(actual) => current = actual,
            }
        }
    }
}
