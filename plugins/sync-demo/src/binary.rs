//! Binary transport handlers for `plugin_call_raw`, selected by message id.
//!
//! Message 1 is hello-plugin's `bench.small` (plugin-abi.md §7.2) so binary benchmarks do the
//! same work as the reference. Structs are (de)serialized field by field in little-endian order
//! instead of transmuting `#[repr(C)]` types: the request pointer carries no alignment guarantee.

use crate::error::PluginError;
use std::sync::atomic::{AtomicBool, Ordering};

/// Answers nothing at once: the native call with no work in it, for measuring a host's own hand-off.
pub const MSG_NOOP: u32 = 0;
pub const MSG_BENCH_SMALL: u32 = 1;
/// Test hook: panics, to check code 11 and the Failed state on the binary path.
pub const MSG_PANIC: u32 = 99;

/// `SmallRequestRaw`: version u8 @0, reserved [u8; 3] @1, key [u8; 64] @4, key_len u32 @68,
/// flags u32 @72.
const REQUEST_SIZE: usize = 76;
/// `SmallResponseRaw`: version u8 @0, reserved [u8; 3] @1, value [u8; 64] @4, value_len u32 @68,
/// ttl_seconds u32 @72, cache_hit u8 @76, reserved [u8; 3] @77.
const RESPONSE_SIZE: usize = 80;
const VERSION: u8 = 1;
const KEY_CAPACITY: usize = 64;
const VALUE_CAPACITY: usize = 64;
const VALUE_PREFIX: &[u8] = b"value_for_";
const TTL_SECONDS: u32 = 3600;

/// Whether the handlers are registered. Like the reference's process-global handler map (plugin-abi.md
/// §1.4), registration happens at each successful `plugin_init` and any `plugin_shutdown` clears it for
/// every instance of this loaded copy; one flag gives that behaviour without a map lookup per call.
static REGISTERED: AtomicBool = AtomicBool::new(false);

/// Registers the handlers, as a reference plugin's `on_start` does.
pub fn register_handlers() {
    REGISTERED.store(true, Ordering::Release);
}

/// Clears the handlers of every instance in this copy, as the reference's `plugin_shutdown` does.
pub fn clear_handlers() {
    REGISTERED.store(false, Ordering::Release);
}

/// `None` when no handler is registered for `message_id`.
pub fn dispatch(message_id: u32, request: &[u8]) -> Option<Result<Vec<u8>, PluginError>> {
    if !REGISTERED.load(Ordering::Acquire) {
        return None;
    }
    match message_id {
        MSG_NOOP => Some(Ok(Vec::new())),
        MSG_BENCH_SMALL => Some(bench_small(request)),
        MSG_PANIC => panic!("binary panic requested"),
        _ => None,
    }
}

fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[offset..offset + 4]);
    u32::from_le_bytes(word)
}

/// Looks up `value_for_<key>` (truncated to 64 bytes); `cache_hit` echoes bit 0 of `flags`.
/// Longer requests are accepted and the excess ignored, like the reference's size check.
fn bench_small(request: &[u8]) -> Result<Vec<u8>, PluginError> {
    if request.len() < REQUEST_SIZE {
        return Err(PluginError::Handler("Request too small".to_owned()));
    }
    if request[0] != VERSION {
        return Err(PluginError::Handler("Unsupported version".to_owned()));
    }
    let key_len = read_u32(request, 68) as usize;
    if key_len > KEY_CAPACITY {
        return Err(PluginError::Handler(
            "Key length exceeds 64 bytes".to_owned(),
        ));
    }
    let key = &request[4..4 + key_len];
    let flags = read_u32(request, 72);

    let mut response = vec![0u8; RESPONSE_SIZE];
    response[0] = VERSION;
    let value = VALUE_PREFIX.iter().chain(key).take(VALUE_CAPACITY);
    let mut value_len = 0;
    for (slot, &byte) in response[4..4 + VALUE_CAPACITY].iter_mut().zip(value) {
        *slot = byte;
        value_len += 1;
    }
    response[68..72].copy_from_slice(&(value_len as u32).to_le_bytes());
    response[72..76].copy_from_slice(&TTL_SECONDS.to_le_bytes());
    response[76] = u8::from(flags & 1 == 1);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(version: u8, key: &[u8], key_len: u32, flags: u32) -> Vec<u8> {
        let mut req = vec![0u8; REQUEST_SIZE];
        req[0] = version;
        req[4..4 + key.len()].copy_from_slice(key);
        req[68..72].copy_from_slice(&key_len.to_le_bytes());
        req[72..76].copy_from_slice(&flags.to_le_bytes());
        req
    }

    #[test]
    fn answers_noop_with_nothing_once_registered() {
        register_handlers();
        assert_eq!(dispatch(MSG_NOOP, b"anything").unwrap().unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn answers_bench_small() {
        let resp = bench_small(&request(1, b"bench_key", 9, 1)).unwrap();
        assert_eq!(resp.len(), RESPONSE_SIZE);
        assert_eq!(resp[0], 1);
        assert_eq!(&resp[4..23], b"value_for_bench_key");
        assert_eq!(read_u32(&resp, 68), 19);
        assert_eq!(read_u32(&resp, 72), 3600);
        assert_eq!(resp[76], 1);
    }

    #[test]
    fn truncates_long_values() {
        let resp = bench_small(&request(1, &[b'k'; 64], 64, 0)).unwrap();
        assert_eq!(read_u32(&resp, 68), 64);
        assert_eq!(&resp[4..14], VALUE_PREFIX);
        assert_eq!(resp[76], 0);
    }

    #[test]
    fn rejects_bad_requests() {
        let short = bench_small(&[1u8; 75]).unwrap_err();
        assert_eq!(short.to_string(), "handler error: Request too small");
        assert_eq!(
            bench_small(&request(2, b"", 0, 0)).unwrap_err().to_string(),
            "handler error: Unsupported version"
        );
        assert_eq!(bench_small(&request(1, b"", 65, 0)).unwrap_err().code(), 7);
    }
}
