//! The subset of rustbridge's `PluginError` this plugin can produce. Codes and `Display` texts
//! are part of the ABI (plugin-abi.md §3.2): hosts surface them verbatim.

use std::fmt;

use crate::instance::State;
use crate::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginError {
    /// Code 1.
    InvalidState { expected: State, actual: State },
    /// Code 2. Only logged: a failed `on_start` makes `plugin_init` return NULL.
    InitializationFailed(String),
    /// Code 5.
    Serialization(String),
    /// Code 6.
    UnknownMessageType(String),
    /// Code 7.
    Handler(String),
    /// Code 13.
    TooManyRequests,
}

impl PluginError {
    pub fn code(&self) -> u32 {
        match self {
            PluginError::InvalidState { .. } => 1,
            PluginError::InitializationFailed(_) => 2,
            PluginError::Serialization(_) => 5,
            PluginError::UnknownMessageType(_) => 6,
            PluginError::Handler(_) => 7,
            PluginError::TooManyRequests => 13,
        }
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PluginError::InvalidState { expected, actual } => {
                write!(
                    f,
                    "invalid lifecycle state: expected {expected}, got {actual}"
                )
            }
            PluginError::InitializationFailed(s) => write!(f, "initialization failed: {s}"),
            PluginError::Serialization(s) => write!(f, "serialization error: {s}"),
            PluginError::UnknownMessageType(s) => write!(f, "unknown message type: {s}"),
            PluginError::Handler(s) => write!(f, "handler error: {s}"),
            PluginError::TooManyRequests => {
                f.write_str("too many concurrent requests (limit exceeded)")
            }
        }
    }
}

impl std::error::Error for PluginError {}

/// Malformed or ill-typed request JSON is a serialization error, as with serde's `?`.
impl From<json::Error> for PluginError {
    fn from(e: json::Error) -> Self {
        PluginError::Serialization(e.to_string())
    }
}
