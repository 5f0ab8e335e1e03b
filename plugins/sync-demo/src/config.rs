//! `PluginConfig`, the JSON passed to `plugin_init` (plugin-abi.md §4.1).

use crate::error::PluginError;
use crate::json::{self, Value};
use crate::logging::Level;

/// Matches the reference default and the Java `PluginConfig` default.
const DEFAULT_MAX_CONCURRENT_OPS: usize = 1000;

#[derive(Debug)]
pub struct PluginConfig<'a> {
    /// Plugin-specific settings (`null` when absent), interpreted by `SyncDemo::on_start`.
    pub data: Value<'a>,
    /// Only validated: there is no async runtime to size, calls run on the caller's thread.
    /// `Some(0)` still fails init, because the reference runtime builder rejects it.
    pub worker_threads: Option<usize>,
    pub log_level: Level,
    /// Per-instance limit on simultaneous `plugin_call`s; 0 = unlimited.
    pub max_concurrent_ops: usize,
}

impl Default for PluginConfig<'_> {
    fn default() -> Self {
        PluginConfig {
            data: Value::Null,
            worker_threads: None,
            log_level: Level::Info,
            max_concurrent_ops: DEFAULT_MAX_CONCURRENT_OPS,
        }
    }
}

impl<'a> PluginConfig<'a> {
    /// Strict like the serde-derived original: unknown keys are ignored, but every known key
    /// must have the right type (`init_params`, any type, and `shutdown_timeout_ms`, unused by
    /// the reference too, are checked and dropped).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, json::Error> {
        let root = json::parse(bytes)?;
        let fields = root.as_struct("PluginConfig")?;
        let mut config = PluginConfig::default();
        if let Some(data) = fields.optional("data")? {
            config.data = data.clone();
        }
        fields.optional("init_params")?;
        if let Some(value) = fields.optional("worker_threads")? {
            // Option<usize> in the original: explicit null means "not set".
            if *value != Value::Null {
                config.worker_threads = Some(value.as_usize()?);
            }
        }
        if let Some(value) = fields.optional("log_level")? {
            // Unknown level names fall back to info; only a non-string is an error.
            config.log_level = Level::from_name(value.as_str()?).unwrap_or(Level::Info);
        }
        if let Some(value) = fields.optional("max_concurrent_ops")? {
            config.max_concurrent_ops = value.as_usize()?;
        }
        if let Some(value) = fields.optional("shutdown_timeout_ms")? {
            value.as_u64()?;
        }
        Ok(config)
    }

    /// `data.fail_start`; absent or `data` not an object means false.
    pub fn fail_start(&self) -> Result<bool, PluginError> {
        let Value::Object(_) = &self.data else {
            return Ok(false);
        };
        let flag = self
            .data
            .as_struct("SyncDemoConfig")
            .and_then(|fields| {
                fields
                    .optional("fail_start")?
                    .map(Value::as_bool)
                    .transpose()
            })
            .map_err(|e| {
                PluginError::InitializationFailed(format!("invalid data.fail_start: {e}"))
            })?;
        Ok(flag.unwrap_or(false))
    }
}
