//! Host log callback, global log level and the panic hook (plugin-abi.md §1.6, §2.5).
//!
//! Like the reference, both the callback and the level are single process-global slots per loaded
//! library: the last non-NULL callback passed to `plugin_init` wins, any `plugin_shutdown` clears
//! it, and every init or `plugin_set_log_level` changes the level for all instances. Both slots are
//! plain atomics so that checking "is this level enabled" costs one relaxed load.

use std::any::Any;
use std::ffi::{c_char, CStr};
use std::fmt;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU8, Ordering};
use std::sync::Once;

/// `void (*)(uint8_t level, const char* target, const uint8_t* msg, size_t msg_len)`.
/// `target` is NUL-terminated; `msg` is not. Both are valid only during the call.
pub type LogCallback =
    unsafe extern "C" fn(level: u8, target: *const c_char, message: *const u8, message_len: usize);

/// Target for lifecycle and handler messages (the crate name, as a tracing target would be).
pub const TARGET: &CStr = c"sync_demo";
const PANIC_TARGET: &CStr = c"sync_demo::panic";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    Off = 5,
}

impl Level {
    /// `plugin_set_log_level` semantics: anything above 5 means Off.
    pub fn from_u8(value: u8) -> Level {
        match value {
            0 => Level::Trace,
            1 => Level::Debug,
            2 => Level::Info,
            3 => Level::Warn,
            4 => Level::Error,
            _ => Level::Off,
        }
    }

    /// Case-insensitive level name, `off` included.
    pub fn from_name(name: &str) -> Option<Level> {
        const NAMES: [(&str, Level); 6] = [
            ("trace", Level::Trace),
            ("debug", Level::Debug),
            ("info", Level::Info),
            ("warn", Level::Warn),
            ("error", Level::Error),
            ("off", Level::Off),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, level)| level)
    }
}

/// The stored callback as a data pointer (NULL = none); fn pointers cannot live in atomics directly.
static CALLBACK: AtomicPtr<()> = AtomicPtr::new(ptr::null_mut());
static LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);

/// A NULL callback leaves the current one in place (reference callback-manager behaviour).
pub fn register_callback(callback: Option<LogCallback>) {
    if let Some(cb) = callback {
        CALLBACK.store(cb as *mut (), Ordering::Release);
    }
}

pub fn clear_callback() {
    CALLBACK.store(ptr::null_mut(), Ordering::Release);
}

pub fn set_level(level: Level) {
    LEVEL.store(level as u8, Ordering::Relaxed);
}

pub fn enabled(level: Level) -> bool {
    level != Level::Off && level as u8 >= LEVEL.load(Ordering::Relaxed)
}

/// Sends one message to the host if `level` passes the filter and a callback is registered.
/// Returns whether the callback was invoked.
pub fn log(level: Level, target: &CStr, message: &str) -> bool {
    if !enabled(level) {
        return false;
    }
    let raw = CALLBACK.load(Ordering::Acquire);
    if raw.is_null() {
        return false;
    }
    // SAFETY: non-null values of CALLBACK only ever come from a `LogCallback` in
    // `register_callback`. The host guarantees the function stays callable while registered.
    unsafe {
        let callback = std::mem::transmute::<*mut (), LogCallback>(raw);
        callback(
            level as u8,
            target.as_ptr(),
            message.as_ptr(),
            message.len(),
        );
    }
    true
}

/// Like [`log`] but only formats the message when it will actually be delivered.
pub fn log_fmt(level: Level, target: &CStr, args: fmt::Arguments<'_>) {
    if enabled(level) && !CALLBACK.load(Ordering::Relaxed).is_null() {
        match args.as_str() {
            Some(s) => log(level, target, s),
            None => log(level, target, &args.to_string()),
        };
    }
}

/// The text of a panic payload (`panic!` produces `&str` or `String`).
pub fn panic_text(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Routes panic reports to the host log instead of stderr. The hook belongs to this library's
/// own copy of std, so it only sees panics raised in plugin code. Installed once per library.
pub fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = panic_text(info.payload()).unwrap_or("Box<dyn Any>");
            match info.location() {
                Some(loc) => log_fmt(
                    Level::Error,
                    PANIC_TARGET,
                    format_args!(
                        "PANIC: Panic at {}:{}:{}: {message}",
                        loc.file(),
                        loc.line(),
                        loc.column()
                    ),
                ),
                None => log_fmt(Level::Error, PANIC_TARGET, format_args!("PANIC: {message}")),
            }
        }));
    });
}
