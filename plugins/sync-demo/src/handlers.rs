//! JSON message handlers, selected by type tag.
//!
//! Each handler appends its payload JSON to `out` (which already holds the start of the success
//! envelope) so a response costs one allocation. Payload object keys are written in alphabetical
//! order, the order the reference produces. Request parsing follows serde's derive semantics:
//! unknown fields are ignored, missing or ill-typed ones are serialization errors (code 5).

use std::thread;
use std::time::Duration;

use crate::buffers;
use crate::error::PluginError;
use crate::instance::Instance;
use crate::json::{self, ObjectWriter, Value};
use crate::logging::{self, Level, TARGET};

/// Upper bound for `large`, so a typo cannot make the plugin allocate unbounded memory.
pub const MAX_LARGE_SIZE: u64 = 64 * 1024 * 1024;
/// Upper bound for `log.threads`.
pub const MAX_LOG_THREADS: u64 = 64;

pub fn dispatch(
    instance: &Instance,
    type_tag: &str,
    request: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), PluginError> {
    match type_tag {
        "echo" => echo(request, out),
        "sleep" => sleep(request, out),
        "fail" => fail(request),
        "panic" => raise_panic(request),
        "log" => log(request, out),
        "large" => large(request, out),
        "stats" => stats(instance, out),
        "stats.reset" => stats_reset(instance, out),
        other => Err(PluginError::UnknownMessageType(other.to_owned())),
    }
}

/// `{"message": string}` -> `{"length": <UTF-8 byte length>, "message": string}`.
fn echo(request: &[u8], out: &mut Vec<u8>) -> Result<(), PluginError> {
    let root = json::parse(request)?;
    let message = root
        .as_struct("EchoRequest")?
        .required("message")?
        .as_str()?;
    let mut obj = ObjectWriter::new(out);
    obj.u64("length", message.len() as u64)
        .str("message", message);
    obj.finish();
    Ok(())
}

/// `{"duration_ms": u64}` -> `{"slept_ms": u64}`; blocks the calling thread.
fn sleep(request: &[u8], out: &mut Vec<u8>) -> Result<(), PluginError> {
    let root = json::parse(request)?;
    let duration_ms = root
        .as_struct("SleepRequest")?
        .required("duration_ms")?
        .as_u64()?;
    thread::sleep(Duration::from_millis(duration_ms));
    let mut obj = ObjectWriter::new(out);
    obj.u64("slept_ms", duration_ms);
    obj.finish();
    Ok(())
}

/// `{"message": string}` -> handler error (code 7) carrying that message.
fn fail(request: &[u8]) -> Result<(), PluginError> {
    let root = json::parse(request)?;
    let message = root
        .as_struct("FailRequest")?
        .required("message")?
        .as_str()?;
    Err(PluginError::Handler(message.to_owned()))
}

/// `{"message"?: string}` -> panics, which the ABI layer turns into code 11 + state Failed.
fn raise_panic(request: &[u8]) -> Result<(), PluginError> {
    let root = json::parse(request)?;
    let message = match root.as_struct("PanicRequest")?.optional("message")? {
        Some(value) => value.as_str()?,
        None => "panic requested",
    };
    panic!("{message}");
}

/// `{"level": name, "message": string, "threads"?: n}` -> `{"emitted": n}`.
///
/// Logs once from the calling thread and once from each of `threads` new native threads, so a
/// host can test callbacks arriving on threads it has never seen. `emitted` counts the callback
/// invocations actually made (0 for a filtered level or when no callback is registered).
fn log(request: &[u8], out: &mut Vec<u8>) -> Result<(), PluginError> {
    let root = json::parse(request)?;
    let fields = root.as_struct("LogRequest")?;
    let level = parse_level(fields.required("level")?)?;
    let message = fields.required("message")?.as_str()?;
    let threads = match fields.optional("threads")? {
        Some(value) => value.as_u64()?,
        None => 0,
    };
    if threads > MAX_LOG_THREADS {
        return Err(PluginError::Handler(format!(
            "threads must be at most {MAX_LOG_THREADS}"
        )));
    }

    let mut emitted = u64::from(logging::log(level, TARGET, message));
    thread::scope(|scope| -> Result<(), PluginError> {
        // Spawn all first, then join, so the callbacks really overlap.
        let mut spawned = Vec::with_capacity(threads as usize);
        for i in 0..threads {
            let handle = thread::Builder::new()
                .name(format!("sync-demo-log-{i}"))
                .spawn_scoped(scope, move || logging::log(level, TARGET, message))
                .map_err(|e| PluginError::Handler(format!("cannot spawn log thread: {e}")))?;
            spawned.push(handle);
        }
        for handle in spawned {
            match handle.join() {
                Ok(invoked) => emitted += u64::from(invoked),
                // Re-raise on the calling thread so it is reported like any handler panic.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        Ok(())
    })?;

    let mut obj = ObjectWriter::new(out);
    obj.u64("emitted", emitted);
    obj.finish();
    Ok(())
}

/// Like a serde enum with lowercase variants (case-insensitive here, as for config levels).
fn parse_level(value: &Value<'_>) -> Result<Level, PluginError> {
    let name = value.as_str()?;
    match Level::from_name(name) {
        Some(level) if level != Level::Off => Ok(level),
        _ => Err(PluginError::Serialization(format!(
            "unknown variant `{name}`, expected one of `trace`, `debug`, `info`, `warn`, `error`"
        ))),
    }
}

/// `{"size": n}` -> `{"data": "<n times 'x'>"}` for testing large buffers.
fn large(request: &[u8], out: &mut Vec<u8>) -> Result<(), PluginError> {
    let root = json::parse(request)?;
    let size = root.as_struct("LargeRequest")?.required("size")?.as_u64()?;
    if size > MAX_LARGE_SIZE {
        return Err(PluginError::Handler(format!(
            "size must be at most {MAX_LARGE_SIZE}"
        )));
    }
    let size = size as usize;
    out.reserve(size + 16);
    let mut obj = ObjectWriter::new(out);
    obj.raw("data", |out| {
        out.push(b'"');
        out.resize(out.len() + size, b'x');
        out.push(b'"');
    });
    obj.finish();
    Ok(())
}

/// The request is ignored (send `{}`). The calls and in_flight figures exclude this call;
/// calling_threads and max_in_flight include it.
fn stats(instance: &Instance, out: &mut Vec<u8>) -> Result<(), PluginError> {
    let snapshot = instance.stats.snapshot();
    let mut obj = ObjectWriter::new(out);
    obj.u64("calling_threads", snapshot.calling_threads)
        .u64("calls", snapshot.calls.saturating_sub(1))
        .u64("in_flight", snapshot.in_flight.saturating_sub(1))
        // The buffer carrying this response is created after this point, so it is not counted.
        .i64("live_buffers", buffers::live_buffers())
        .u64("max_in_flight", snapshot.max_in_flight);
    obj.finish();
    Ok(())
}

/// The request is ignored; returns `{}`.
fn stats_reset(instance: &Instance, out: &mut Vec<u8>) -> Result<(), PluginError> {
    instance.stats.reset();
    ObjectWriter::new(out).finish();
    Ok(())
}
