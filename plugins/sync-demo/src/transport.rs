//! The two call paths behind `plugin_call` (JSON) and `plugin_call_raw` (binary): argument
//! checks, response envelopes and panic containment, with the results of plugin-abi.md §1.3.

use std::any::Any;
use std::ffi::{c_char, c_void, CStr};
use std::panic::{self, AssertUnwindSafe};

use crate::binary;
use crate::buffers::{FfiBuffer, RbResponse};
use crate::error::PluginError;
use crate::handlers;
use crate::instance::{Instance, State};
use crate::json;
use crate::logging::{self, Level, TARGET};
use crate::registry;

const SUCCESS_PREFIX: &[u8] = br#"{"status":"success","payload":"#;
/// Headroom so small payloads (echo) fit the first allocation.
const PAYLOAD_HEADROOM: usize = 48;

/// # Safety
/// `type_tag` is NULL or a NUL-terminated string; `request` is NULL or valid for `request_len`
/// bytes; both stay valid for the duration of the call.
pub unsafe fn call_json(
    handle_id: u64,
    type_tag: *const c_char,
    request: *const u8,
    request_len: usize,
) -> FfiBuffer {
    contained(
        handle_id,
        // SAFETY: forwarded caller guarantees.
        || unsafe { call_json_unwinding(handle_id, type_tag, request, request_len) },
        |text| FfiBuffer::text(11, text),
    )
}

/// # Safety
/// As for [`call_json`].
unsafe fn call_json_unwinding(
    handle_id: u64,
    type_tag: *const c_char,
    request: *const u8,
    request_len: usize,
) -> FfiBuffer {
    let Some(instance) = registry::get(handle_id) else {
        return FfiBuffer::text(1, "Invalid handle");
    };
    let _in_flight = instance.stats.enter();
    if type_tag.is_null() {
        return FfiBuffer::text(4, "Type tag is null");
    }
    // SAFETY: non-NULL and NUL-terminated per the caller contract.
    let Ok(type_tag) = unsafe { CStr::from_ptr(type_tag) }.to_str() else {
        return FfiBuffer::text(4, "Invalid type tag encoding");
    };
    // SAFETY: per the caller contract.
    let request = unsafe { request_bytes(request, request_len) };
    match handle_json(&instance, type_tag, request) {
        Ok(envelope) => FfiBuffer::from_vec(envelope, 0),
        Err(e) => FfiBuffer::from_vec(error_envelope(&e), e.code()),
    }
}

fn handle_json(
    instance: &Instance,
    type_tag: &str,
    request: &[u8],
) -> Result<Vec<u8>, PluginError> {
    instance.require_active()?;
    let _permit = instance.try_acquire()?;
    let mut envelope = Vec::with_capacity(SUCCESS_PREFIX.len() + request.len() + PAYLOAD_HEADROOM);
    envelope.extend_from_slice(SUCCESS_PREFIX);
    handlers::dispatch(instance, type_tag, request, &mut envelope)?;
    envelope.push(b'}');
    Ok(envelope)
}

/// `{"status":"error","error_code":N,"error_message":"..."}` in the reference's field order.
fn error_envelope(error: &PluginError) -> Vec<u8> {
    let message = error.to_string();
    let mut out = Vec::with_capacity(message.len() + 64);
    out.extend_from_slice(br#"{"status":"error","error_code":"#);
    json::write_u64(&mut out, u64::from(error.code()));
    out.extend_from_slice(br#","error_message":"#);
    json::write_str(&mut out, &message);
    out.push(b'}');
    out
}

/// # Safety
/// `request` is NULL or points to `request_size` readable bytes for the duration of the call.
pub unsafe fn call_raw(
    handle_id: u64,
    message_id: u32,
    request: *const c_void,
    request_size: usize,
) -> RbResponse {
    contained(
        handle_id,
        // SAFETY: forwarded caller guarantees.
        || unsafe { call_raw_unwinding(handle_id, message_id, request, request_size) },
        |text| RbResponse::error(11, text),
    )
}

/// # Safety
/// As for [`call_raw`].
unsafe fn call_raw_unwinding(
    handle_id: u64,
    message_id: u32,
    request: *const c_void,
    request_size: usize,
) -> RbResponse {
    let Some(instance) = registry::get(handle_id) else {
        return RbResponse::error(1, "Invalid handle");
    };
    let _in_flight = instance.stats.enter();
    if instance.state() != State::Active {
        return RbResponse::error(1, "Plugin not in Active state");
    }
    // SAFETY: per the caller contract.
    let request = unsafe { request_bytes(request.cast(), request_size) };
    match binary::dispatch(message_id, request) {
        Some(Ok(response)) => RbResponse::ok(response),
        Some(Err(e)) => RbResponse::error(e.code(), &e.to_string()),
        None => RbResponse::error(6, &format!("Unknown message ID: {message_id}")),
    }
}

/// NULL or zero length means an empty request.
///
/// # Safety
/// `data` is NULL or valid for `len` bytes for the returned lifetime.
unsafe fn request_bytes<'r>(data: *const u8, len: usize) -> &'r [u8] {
    if data.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: per the function contract.
        unsafe { std::slice::from_raw_parts(data, len) }
    }
}

/// After a caught panic: the instance (if the handle is still registered) can no longer be
/// trusted, so it is forced to Failed and refuses further calls. Returns the error text.
/// Runs one call path with its panics contained, for both transports (as regex-capi's `ffi_fn!` does for
/// its functions): a panic marks the instance Failed and becomes the transport's code-11 answer.
fn contained<R>(handle_id: u64, call: impl FnOnce() -> R, on_panic: impl FnOnce(&str) -> R) -> R {
    panic::catch_unwind(AssertUnwindSafe(call))
        .unwrap_or_else(|payload| on_panic(&contain_panic(handle_id, payload)))
}

fn contain_panic(handle_id: u64, payload: Box<dyn Any + Send>) -> String {
    let message = match logging::panic_text(payload.as_ref()) {
        Some(text) => format!("Plugin panicked: {text}"),
        None => "Plugin panicked with unknown payload".to_owned(),
    };
    if let Some(instance) = registry::get(handle_id) {
        instance.set_state(State::Failed);
        logging::log_fmt(
            Level::Warn,
            TARGET,
            format_args!("Plugin handle {handle_id} marked as failed due to panic"),
        );
    }
    message
}
