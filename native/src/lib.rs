//! perfgate's native addon: a Node-API module, std only (DESIGN.md section 3).
//!
//! Every `unsafe` of the binding lives in `napi.rs` (the hand-written Node-API binding and the OS
//! calls, in its `sys` submodule); `#![deny(unsafe_code)]` keeps the rest of the crate safe Rust.
//! The one exception is `vector.rs`'s `kernel` module: `std::arch` SIMD intrinsics are `unsafe` by
//! definition, so each kernel is an `unsafe fn` called only after a run-time CPU feature check,
//! with its SAFETY comment, under a local `#[allow(unsafe_code)]`. See the documentation at the
//! top of `napi.rs` for the safe API that exported functions use.

#![deny(unsafe_code)]

#[allow(unsafe_code)]
pub mod napi;
pub mod probe;
// Workload kernels (DESIGN.md section 9): declare each module here, e.g. `mod scan;`.
pub mod scan;
// The one other `unsafe`: vector.rs's `kernel` (std::arch SIMD intrinsics behind run-time
// feature checks, each with its SAFETY comment).
pub mod vector;
pub mod yaml;

use napi::{register, Env, Value};

/// Builds the module's exports; Node calls it (through `napi::napi_register_module_v1`) once
/// per JavaScript environment (main thread or worker) that loads the addon.
pub fn register_all<'a>(env: &'a Env, exports: Value<'a>) -> Result<(), String> {
    // The probe: the `Probe` of native/index.d.ts is built on these in native/index.js.
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

    // Workload kernels (section 9): one line each, e.g.
    // register(env, exports, "scanLines", scan::scan_lines)?;
    register(env, exports, "scanDirectory", scan::js_scan_directory)?;
    register(env, exports, "scanFiles", scan::js_scan_files)?;
    register(env, exports, "scanTexts", scan::js_scan_texts)?;
    register(env, exports, "scanRuleIds", scan::js_scan_rule_ids)?;
    register(env, exports, "parseConfigJson", yaml::js_parse_config_json)?;
    register(env, exports, "parseConfigValues", yaml::js_parse_config_values)?;
    register(env, exports, "vectorIndexCreate", vector::js_index_create)?;
    register(env, exports, "vectorIndexFree", vector::js_index_free)?;
    register(env, exports, "vectorTopK", vector::js_top_k)?;
    register(env, exports, "vectorDotAll", vector::js_dot_all)?;
    register(env, exports, "vectorDot", vector::js_dot)?;
    register(env, exports, "vectorCosine", vector::js_cosine)?;
    register(env, exports, "vectorSimd", vector::js_simd)?;

    Ok(())
}
