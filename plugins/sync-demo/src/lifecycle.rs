//! `plugin_init` and `plugin_shutdown` (plugin-abi.md §1.3), step for step like the reference
//! minus the Tokio runtime: handlers run synchronously on the calling thread.

use std::panic::{self, AssertUnwindSafe};

use crate::binary;
use crate::config::PluginConfig;
use crate::instance::{Instance, State};
use crate::logging::{self, Level, LogCallback, TARGET};
use crate::plugin::SyncDemo;
use crate::registry;

/// Returns the new handle id, or 0 on any failure (including a panic).
///
/// # Safety
/// `plugin` is NULL or an unconsumed pointer from `plugin_create`; `config` is NULL or valid for
/// `config_len` bytes during the call.
pub unsafe fn init(
    plugin: *mut SyncDemo,
    config: *const u8,
    config_len: usize,
    callback: Option<LogCallback>,
) -> u64 {
    // SAFETY: forwarded caller guarantees.
    panic::catch_unwind(AssertUnwindSafe(|| unsafe {
        init_unwinding(plugin, config, config_len, callback)
    }))
    .unwrap_or(0)
}

/// # Safety
/// As for [`init`].
unsafe fn init_unwinding(
    plugin: *mut SyncDemo,
    config: *const u8,
    config_len: usize,
    callback: Option<LogCallback>,
) -> u64 {
    if plugin.is_null() {
        return 0;
    }
    let config = if config.is_null() || config_len == 0 {
        PluginConfig::default()
    } else {
        // SAFETY: non-NULL and valid for config_len bytes per the caller contract.
        let bytes = unsafe { std::slice::from_raw_parts(config, config_len) };
        match PluginConfig::parse(bytes) {
            Ok(config) => config,
            Err(e) => {
                // The ABI has no error channel for init; the reference also reports on stderr.
                // The plugin object is deliberately not consumed here (reference behaviour).
                eprintln!("Failed to parse config: {e}");
                return 0;
            }
        }
    };

    logging::register_callback(callback);
    logging::set_level(config.log_level);
    logging::install_panic_hook();

    // From here on the plugin object is consumed, even if start-up fails.
    // SAFETY: a live pointer from `plugin_create` (Box::into_raw) per the caller contract.
    let plugin = *unsafe { Box::from_raw(plugin) };

    if config.worker_threads == Some(0) {
        // The reference's runtime builder rejects zero workers; keep that observable behaviour.
        logging::log(
            Level::Error,
            TARGET,
            "Failed to create runtime: worker_threads must be greater than 0",
        );
        return 0;
    }

    let instance = Instance::new(plugin, config.max_concurrent_ops);
    instance.set_state(State::Starting);
    if let Err(e) = instance.plugin().on_start(&config) {
        // The callback stays registered, exactly like the reference (hazard noted in §1.3).
        instance.set_state(State::Failed);
        logging::log_fmt(
            Level::Error,
            TARGET,
            format_args!("{} failed to start: {e}", instance.plugin().name()),
        );
        return 0;
    }
    binary::register_handlers();
    instance.set_state(State::Active);
    registry::register(instance)
}

/// Stops and unregisters the instance; false for an unknown id or a panic.
pub fn shutdown(handle_id: u64) -> bool {
    panic::catch_unwind(|| shutdown_unwinding(handle_id)).unwrap_or(false)
}

fn shutdown_unwinding(handle_id: u64) -> bool {
    // Removing first makes the handle invalid at once, even when the result is false.
    let Some(instance) = registry::remove(handle_id) else {
        return false;
    };
    let stopped = loop {
        match instance.state() {
            State::Active => {
                // CAS so that a panic racing with shutdown (forcing Failed) is not overwritten.
                if instance.transition(State::Active, State::Stopping) {
                    instance.plugin().on_stop();
                    instance.set_state(State::Stopped);
                    break true;
                }
            }
            State::Stopped | State::Failed => break true,
            State::Installed | State::Starting | State::Stopping => break false,
        }
    };
    // Reference behaviour: any shutdown clears the library-wide callback, even if other
    // instances remain. Calls still in flight keep the instance alive through their `Arc`.
    logging::clear_callback();
    binary::clear_handlers();
    stopped
}
