//! perfgate's native probe: a Node-API module, std only (DESIGN.md section 3). It gives the gate
//! what JavaScript cannot: a thread CPU-time clock, getrusage, and hardware instruction counts.
//!
//! No `unsafe` here: the Node-API binding and the OS calls live in the shared binding crate
//! (`native/napi`, `perfgate_napi`); `#![deny(unsafe_code)]` keeps this crate safe Rust, except
//! for `valgrind`, the valgrind client requests (inline assembly), which allows it for itself.

#![deny(unsafe_code)]

pub mod probe;
pub mod valgrind;

use perfgate_napi::{register, Env, Value};

/// Builds the module's exports; Node calls it (through the entry point `napi_module!` declares)
/// once per JavaScript environment (main thread or worker) that loads the addon. The `Probe` of
/// native/index.d.ts is built on these in native/index.js.
pub fn register_all<'a>(env: &'a Env, exports: Value<'a>) -> Result<(), String> {
    register(env, exports, "version", probe::version)?;
    register(env, exports, "monotonicNs", probe::monotonic_ns)?;
    register(env, exports, "threadCpuNs", probe::thread_cpu_ns)?;
    register(env, exports, "rusage", probe::rusage)?;
    register(
        env,
        exports,
        "instructionsAvailable",
        probe::instructions_available,
    )?;
    register(env, exports, "instructionsStart", probe::instructions_start)?;
    register(env, exports, "instructionsStop", probe::instructions_stop)?;
    register(env, exports, "valgrindRunning", probe::valgrind_running)?;
    register(
        env,
        exports,
        "callgrindInstrument",
        probe::callgrind_instrument,
    )?;
    register(env, exports, "callgrindCollect", probe::callgrind_collect)?;
    register(env, exports, "callgrindDump", probe::callgrind_dump)?;
    Ok(())
}

perfgate_napi::napi_module!(register_all);
