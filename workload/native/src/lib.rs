//! The reference workload's native kernels (DESIGN.md section 9): the Rust twins of
//! workload/src/{scan,config,vector}.ts, a Node-API module of its own, std only. perfgate's
//! Action never builds this crate; `npm run build:native` does, for this repository's suites.
//!
//! The Node-API binding is perfgate's (`native/napi`, `perfgate_napi`), where its `unsafe`
//! lives; `#![deny(unsafe_code)]` keeps this crate safe Rust. The one exception is
//! `vector.rs`'s `kernel` module: `std::arch` SIMD intrinsics are `unsafe` by definition, so each
//! kernel is an `unsafe fn` called only after a run-time CPU feature check, with its SAFETY
//! comment, under a local `#[allow(unsafe_code)]`.

#![deny(unsafe_code)]

pub mod scan;
// The one `unsafe` exception: vector.rs's `kernel` (std::arch SIMD intrinsics behind run-time
// feature checks, each with its SAFETY comment).
pub mod vector;
pub mod yaml;

use perfgate_napi::{register, Env, Value};

/// Builds the module's exports (see workload/src/native.ts for their TypeScript types).
pub fn register_all<'a>(env: &'a Env, exports: Value<'a>) -> Result<(), String> {
    register(env, exports, "scanDirectory", scan::js_scan_directory)?;
    register(env, exports, "scanFiles", scan::js_scan_files)?;
    register(env, exports, "scanTexts", scan::js_scan_texts)?;
    register(env, exports, "scanRuleIds", scan::js_scan_rule_ids)?;
    register(env, exports, "parseConfigJson", yaml::js_parse_config_json)?;
    register(
        env,
        exports,
        "parseConfigValues",
        yaml::js_parse_config_values,
    )?;
    register(env, exports, "vectorIndexCreate", vector::js_index_create)?;
    register(env, exports, "vectorIndexFree", vector::js_index_free)?;
    register(env, exports, "vectorTopK", vector::js_top_k)?;
    register(env, exports, "vectorDotAll", vector::js_dot_all)?;
    register(env, exports, "vectorDot", vector::js_dot)?;
    register(env, exports, "vectorCosine", vector::js_cosine)?;
    register(env, exports, "vectorSimd", vector::js_simd)?;
    Ok(())
}

perfgate_napi::napi_module!(register_all);
