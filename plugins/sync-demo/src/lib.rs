//! `sync-demo`: the ringbridge sample plugin.
//!
//! It exports the rustbridge 0.7 plugin C ABI (see `plugin-abi.md`) reimplemented with `std`
//! only: no rustbridge crate, no Tokio, no serde. Calls run synchronously on the host's thread.
//! Besides the tutorial handlers (`echo`, `sleep`) it offers test handlers (`fail`, `panic`,
//! `log`, `large`, `stats`, `stats.reset`) and binary message 1 (`bench.small`), which let the
//! Java host's tests and benchmarks exercise every corner of the ABI.
//!
//! This file holds only the exported symbols; each delegates to a module. Functions that the
//! reference wraps in `catch_unwind` are wrapped in their modules; the others cannot panic.
//! Handles are ids (see `registry`), converted with address-only casts since they are never
//! dereferenced.

mod binary;
mod buffers;
mod config;
mod error;
mod handlers;
mod instance;
mod json;
mod lifecycle;
mod logging;
mod plugin;
mod registry;
mod stats;
mod transport;

use std::ffi::{c_char, c_void};
use std::ptr;

pub use buffers::{FfiBuffer, RbResponse};
pub use logging::LogCallback;

use logging::Level;
use plugin::SyncDemo;

/// Reserved async completion callback type; the async exports are stubs that never call it.
pub type CompletionCallback = unsafe extern "C" fn(
    context: *mut c_void,
    request_id: u64,
    data: *const u8,
    len: usize,
    error_code: u32,
);

fn handle_id(handle: *mut c_void) -> u64 {
    handle.addr() as u64
}

/// Creates the plugin object. The caller owns it and must pass it to `plugin_init` exactly once.
#[no_mangle]
pub extern "C" fn plugin_create() -> *mut c_void {
    Box::into_raw(Box::new(SyncDemo::new())).cast()
}

/// Starts an instance and returns its handle, or NULL on failure.
///
/// # Safety
/// `plugin_ptr` is NULL or an unconsumed `plugin_create` result; `config_json` is NULL or valid
/// for `config_len` bytes; `log_callback` (nullable) must stay callable while registered.
#[no_mangle]
pub unsafe extern "C" fn plugin_init(
    plugin_ptr: *mut c_void,
    config_json: *const u8,
    config_len: usize,
    log_callback: Option<LogCallback>,
) -> *mut c_void {
    // SAFETY: forwarded caller guarantees.
    let id = unsafe { lifecycle::init(plugin_ptr.cast(), config_json, config_len, log_callback) };
    ptr::without_provenance_mut(id as usize)
}

/// Handles one JSON request. The result must be released with `plugin_free_buffer`.
///
/// # Safety
/// `type_tag` is NULL or NUL-terminated; `request` is NULL or valid for `request_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn plugin_call(
    handle: *mut c_void,
    type_tag: *const c_char,
    request: *const u8,
    request_len: usize,
) -> FfiBuffer {
    // SAFETY: forwarded caller guarantees.
    unsafe { transport::call_json(handle_id(handle), type_tag, request, request_len) }
}

/// Releases a `plugin_call` result and zeroes its pointer fields; NULL is a no-op.
///
/// # Safety
/// `buffer` is NULL or points to a `plugin_call` result not freed through another copy.
#[no_mangle]
pub unsafe extern "C" fn plugin_free_buffer(buffer: *mut FfiBuffer) {
    // SAFETY: forwarded caller guarantees.
    unsafe { FfiBuffer::free(buffer) }
}

/// Stops the instance and invalidates the handle. False for an unknown handle.
#[no_mangle]
pub extern "C" fn plugin_shutdown(handle: *mut c_void) -> bool {
    lifecycle::shutdown(handle_id(handle))
}

/// Lifecycle state code 0..=5, or 255 for an invalid (e.g. shut-down) handle.
#[no_mangle]
pub extern "C" fn plugin_get_state(handle: *mut c_void) -> u8 {
    registry::get(handle_id(handle)).map_or(255, |instance| instance.state() as u8)
}

/// Sets the library-wide log level (values above 5 mean Off); ignored for an invalid handle.
#[no_mangle]
pub extern "C" fn plugin_set_log_level(handle: *mut c_void, level: u8) {
    if registry::get(handle_id(handle)).is_some() {
        logging::set_level(Level::from_u8(level));
    }
}

/// JSON calls rejected by `max_concurrent_ops` since init; 0 for an invalid handle.
#[no_mangle]
pub extern "C" fn plugin_get_rejected_count(handle: *mut c_void) -> u64 {
    registry::get(handle_id(handle)).map_or(0, |instance| instance.rejected_count())
}

/// Handles one binary request. The result must be released with `rb_response_free`.
///
/// # Safety
/// `request` is NULL or valid for `request_size` bytes.
#[no_mangle]
pub unsafe extern "C" fn plugin_call_raw(
    handle: *mut c_void,
    message_id: u32,
    request: *const c_void,
    request_size: usize,
) -> RbResponse {
    // SAFETY: forwarded caller guarantees.
    unsafe { transport::call_raw(handle_id(handle), message_id, request, request_size) }
}

/// Releases a `plugin_call_raw` result and zeroes its pointer fields; NULL is a no-op.
///
/// # Safety
/// `response` is NULL or points to a `plugin_call_raw` result not freed through another copy.
#[no_mangle]
pub unsafe extern "C" fn rb_response_free(response: *mut RbResponse) {
    // SAFETY: forwarded caller guarantees.
    unsafe { RbResponse::free(response) }
}

/// Reserved by the ABI; like the reference, a stub that returns 0 and never calls `callback`.
#[no_mangle]
pub extern "C" fn plugin_call_async(
    _handle: *mut c_void,
    _type_tag: *const c_char,
    _request: *const u8,
    _request_len: usize,
    _callback: Option<CompletionCallback>,
    _context: *mut c_void,
) -> u64 {
    0
}

/// Reserved by the ABI; like the reference, a stub that always returns false.
#[no_mangle]
pub extern "C" fn plugin_cancel_async(_handle: *mut c_void, _request_id: u64) -> bool {
    false
}
