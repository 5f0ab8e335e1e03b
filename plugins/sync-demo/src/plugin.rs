//! The plugin object handed out by `plugin_create` and its start/stop hooks.

use crate::config::PluginConfig;
use crate::error::PluginError;
use crate::logging::{self, Level, TARGET};

/// What `plugin_create` boxes. It carries no state of its own: per-instance state lives in
/// `Instance`, which takes ownership of this object in `plugin_init`.
#[derive(Debug)]
pub struct SyncDemo {
    name: &'static str,
}

impl SyncDemo {
    pub fn new() -> Self {
        SyncDemo {
            name: env!("CARGO_PKG_NAME"),
        }
    }

    /// Runs synchronously inside `plugin_init`. `data.fail_start: true` makes start-up fail so
    /// hosts can exercise `plugin_init` returning NULL after the callback was registered.
    pub fn on_start(&self, config: &PluginConfig<'_>) -> Result<(), PluginError> {
        if config.fail_start()? {
            return Err(PluginError::InitializationFailed(
                "fail_start requested by config".to_owned(),
            ));
        }
        logging::log_fmt(Level::Info, TARGET, format_args!("{} started", self.name));
        Ok(())
    }

    pub fn on_stop(&self) {
        logging::log_fmt(Level::Info, TARGET, format_args!("{} stopped", self.name));
    }

    pub fn name(&self) -> &'static str {
        self.name
    }
}
