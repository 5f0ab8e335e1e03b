//! Result structs returned by value across the ABI, and their release (plugin-abi.md §2.1, §2.2).
//!
//! Every non-empty result is a leaked Rust allocation that only this library can free, so the
//! `live_buffers` counter (reported by the `stats` handler) tracks allocations handed out and not
//! yet returned; host tests use it to prove they free every buffer exactly once.

use std::ffi::c_void;
use std::mem::{size_of, ManuallyDrop};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicI64, Ordering};

/// Signed so that a double free by a host shows up as a negative count instead of wrapping.
static LIVE_BUFFERS: AtomicI64 = AtomicI64::new(0);

pub fn live_buffers() -> i64 {
    LIVE_BUFFERS.load(Ordering::Relaxed)
}

/// JSON transport result: `{ uint8_t* data; size_t len; size_t capacity; uint32_t error_code; }`.
#[repr(C)]
#[derive(Debug)]
pub struct FfiBuffer {
    pub data: *mut u8,
    pub len: usize,
    pub capacity: usize,
    pub error_code: u32,
}

/// Binary transport result: `{ uint32_t error_code; uint32_t len; uint32_t capacity; void* data; }`.
#[repr(C)]
#[derive(Debug)]
pub struct RbResponse {
    pub error_code: u32,
    pub len: u32,
    pub capacity: u32,
    pub data: *mut c_void,
}

// The layouts are the ABI; fail the build rather than a host at run time.
const _: () = assert!(size_of::<FfiBuffer>() == 32 && std::mem::align_of::<FfiBuffer>() == 8);
const _: () =
    assert!(size_of::<RbResponse>() == 24 && std::mem::offset_of!(RbResponse, data) == 16);

impl FfiBuffer {
    /// Leaks `bytes` into the buffer; `plugin_free_buffer` rebuilds the same `Vec`.
    pub fn from_vec(bytes: Vec<u8>, error_code: u32) -> Self {
        let mut bytes = ManuallyDrop::new(bytes);
        if bytes.capacity() > 0 {
            LIVE_BUFFERS.fetch_add(1, Ordering::Relaxed);
        }
        FfiBuffer {
            data: bytes.as_mut_ptr(),
            len: bytes.len(),
            capacity: bytes.capacity(),
            error_code,
        }
    }

    /// Plain-text framework error (no envelope, no NUL terminator).
    pub fn text(error_code: u32, message: &str) -> Self {
        FfiBuffer::from_vec(message.as_bytes().to_vec(), error_code)
    }

    /// # Safety
    /// `buf` is NULL or points to a struct returned by `plugin_call` (or a copy that has not been
    /// freed through another copy).
    pub unsafe fn free(buf: *mut FfiBuffer) {
        // SAFETY: guaranteed by the caller; NULL is handled by `as_mut`.
        let Some(buf) = (unsafe { buf.as_mut() }) else {
            return;
        };
        if !buf.data.is_null() && buf.capacity > 0 {
            // SAFETY: data/len/capacity are exactly what `from_vec` leaked.
            drop(unsafe { Vec::from_raw_parts(buf.data, buf.len, buf.capacity) });
            LIVE_BUFFERS.fetch_sub(1, Ordering::Relaxed);
        }
        // Zeroing makes a second free of the same struct a no-op; error_code stays readable.
        buf.data = ptr::null_mut();
        buf.len = 0;
        buf.capacity = 0;
    }
}

impl RbResponse {
    /// Success: the handler's bytes. Allocated as a boxed slice so capacity == len, which keeps
    /// `capacity` representable in 32 bits whenever `len` is, and lets `rb_response_free`
    /// rebuild the exact same allocation (no alignment mismatch, unlike the reference).
    pub fn ok(bytes: Vec<u8>) -> Self {
        match u32::try_from(bytes.len()) {
            Ok(_) => RbResponse::from_boxed(0, bytes.into_boxed_slice()),
            Err(_) => RbResponse::error(12, "FFI error: response larger than 4 GiB"),
        }
    }

    /// Error: the message plus a NUL terminator, which is counted in `len` (reference behaviour).
    pub fn error(error_code: u32, message: &str) -> Self {
        let mut bytes = Vec::with_capacity(message.len() + 1);
        bytes.extend_from_slice(message.as_bytes());
        bytes.push(0);
        RbResponse::from_boxed(error_code, bytes.into_boxed_slice())
    }

    fn from_boxed(error_code: u32, bytes: Box<[u8]>) -> Self {
        let len = bytes.len() as u32; // callers guarantee it fits
        if len == 0 {
            // Empty output: nothing allocated, dangling non-NULL data (as in the reference).
            return RbResponse {
                error_code,
                len: 0,
                capacity: 0,
                data: NonNull::<u8>::dangling().as_ptr().cast(),
            };
        }
        LIVE_BUFFERS.fetch_add(1, Ordering::Relaxed);
        let data = Box::into_raw(bytes).cast::<u8>();
        RbResponse {
            error_code,
            len,
            capacity: len,
            data: data.cast(),
        }
    }

    /// # Safety
    /// `resp` is NULL or points to a struct returned by `plugin_call_raw` (not yet freed).
    pub unsafe fn free(resp: *mut RbResponse) {
        // SAFETY: guaranteed by the caller; NULL is handled by `as_mut`.
        let Some(resp) = (unsafe { resp.as_mut() }) else {
            return;
        };
        if !resp.data.is_null() && resp.capacity > 0 {
            // SAFETY: success and error buffers are both boxed byte slices of `capacity` (== len)
            // bytes, which is the allocation a Vec with that length and capacity describes.
            drop(unsafe {
                Vec::from_raw_parts(
                    resp.data.cast::<u8>(),
                    resp.capacity as usize,
                    resp.capacity as usize,
                )
            });
            LIVE_BUFFERS.fetch_sub(1, Ordering::Relaxed);
        }
        resp.data = ptr::null_mut();
        resp.len = 0;
        resp.capacity = 0;
    }
}
