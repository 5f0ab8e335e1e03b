//! Process-global handle map (plugin-abi.md §1.2).
//!
//! A handle is a `u64` id cast to a pointer, never a real address, so a stale or forged handle
//! is detected by a map lookup instead of being dereferenced. Ids start at 1 and are never reused
//! within the process, so a shut-down handle stays invalid forever.
//!
//! A `BTreeMap` behind an `RwLock` is enough: the map holds a handful of entries, lookups take
//! the uncontended read lock and need no hashing, and both can be built in a `static` initializer.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use crate::instance::Instance;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static HANDLES: RwLock<BTreeMap<u64, Arc<Instance>>> = RwLock::new(BTreeMap::new());

/// Publishes an instance and returns its new id (only successful inits consume ids).
pub fn register(instance: Instance) -> u64 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    HANDLES
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, Arc::new(instance));
    id
}

/// The instance for `id`. The `Arc` keeps it alive for the duration of a call even if another
/// thread shuts it down meanwhile.
pub fn get(id: u64) -> Option<Arc<Instance>> {
    // Poisoning cannot leave the map half-updated (insert/remove are single operations), and
    // the non-panic-wrapped exports must not panic, so a poisoned lock is simply used.
    HANDLES
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&id)
        .cloned()
}

pub fn remove(id: u64) -> Option<Arc<Instance>> {
    HANDLES
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id)
}
