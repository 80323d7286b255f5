//! perfgate's hand-written Node-API binding, and the few OS calls the probe needs (`sys` below),
//! shared by the two addons of the repository: the probe (`native/`, crate `perfgate-native`)
//! and the reference workload's kernels (`workload/native/`, crate `perfgate-workload`).
//!
//! This crate is where the `unsafe` of both addons lives (each of them has
//! `#![deny(unsafe_code)]`; the workload's SIMD kernel is the one documented exception). There
//! are no `napi`/`napi-derive` crates (crates.io is not reachable, DESIGN.md section 3): the
//! `napi_*` functions are declared by hand and left undefined in the cdylib; Node resolves them
//! when it loads the `.node` file (each addon's build.rs passes `-undefined dynamic_lookup` on
//! macOS; GNU ld needs nothing). An addon declares its entry point with [`napi_module!`], naming
//! the function that registers its exports:
//!
//! ```ignore
//! // lib.rs of an addon (a cdylib that depends on perfgate-napi)
//! use perfgate_napi::{register, Env, Value};
//!
//! fn register_all<'a>(env: &'a Env, exports: Value<'a>) -> Result<(), String> {
//!     register(env, exports, "countByte", scan::count_byte)
//! }
//!
//! perfgate_napi::napi_module!(register_all);
//! ```
//!
//! # Safe API for exported functions
//!
//! An exported function is an ordinary safe Rust function of type [`Callback`]; it reads its
//! arguments from [`CallArgs`], builds its result with [`Env`], and returns `Err(message)` to
//! throw a JavaScript `Error` (a panic becomes an `Error` too, it never unwinds into Node):
//!
//! ```ignore
//! // workload/native/src/scan.rs
//! use perfgate_napi::{CallArgs, Env, Js, JsResult};
//!
//! /// countByte(text: string, byte: number): { count: number, firstAt: number | null }
//! pub fn count_byte<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
//!     let text = args.arg_string(0)?;
//!     let byte = args.arg_u32(1)?;
//!     let byte = u8::try_from(byte).map_err(|_| format!("argument 1: {byte} is not a byte"))?;
//!     let count = text.bytes().filter(|&b| b == byte).count();
//!     let first = text.bytes().position(|b| b == byte); // Option<usize>: None becomes null
//!     env.create_js(&Js::object([("count", Js::from(count)), ("firstAt", Js::from(first))]))
//! }
//!
//! // lib.rs: `mod scan;` with the other modules, and in `register_all`:
//! //     register(env, exports, "countByte", scan::count_byte)?;
//! ```
//!
//! (The same example sits, compiled, in `mod example` at the end of this file.)
//!
//! - Arguments, `CallArgs<'a>` (errors name the argument index; a missing argument is
//!   `undefined`): `len`, `arg(i) -> Value`, `is_undefined(i)`, `arg_f64`, `arg_u32`, `arg_i64`,
//!   `arg_usize`, `arg_string`, `arg_string_array`, `arg_f32_array` (`Float32Array` →
//!   `Vec<f32>`), `arg_f64_array`, `arg_bytes` (`Uint8Array`/`Buffer` → `Vec<u8>`). Typed arrays
//!   are copied: the result never aliases memory JavaScript can change.
//! - Values, `Env`: `create_undefined`, `create_null`, `create_bool`, `create_f64`,
//!   `create_string`, `create_object`, `create_array(len)`, `create_f32_array`,
//!   `create_f64_array`, `create_js(&Js)` (a JSON-like tree, see [`Js`]); `set_property`,
//!   `set_element`, `get_element`, `array_length`, `is_array`, `type_of`; readers `value_f64`,
//!   `value_string`, `value_string_array`, `value_f32_array`, `value_f64_array`, `value_bytes`
//!   (for values found inside objects).
//! - A [`Value<'a>`] is valid for the current call only; the lifetime enforces it.
//!
//! Only what an addon of this repository calls is here: add a wrapper with its first caller.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_void, CString};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

// ---------------------------------------------------------------------------------------------
// Raw Node-API declarations (js_native_api.h / node_api.h), Node-API version 1 functions only.

type napi_env = *mut c_void;
type napi_value = *mut c_void;
type napi_callback_info = *mut c_void;
type napi_status = c_int;
type napi_callback = Option<unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value>;

const NAPI_OK: napi_status = 0;

// napi_typedarray_type
const TA_INT8: c_int = 0;
const TA_UINT8: c_int = 1;
const TA_UINT8_CLAMPED: c_int = 2;
const TA_INT16: c_int = 3;
const TA_UINT16: c_int = 4;
const TA_INT32: c_int = 5;
const TA_UINT32: c_int = 6;
const TA_FLOAT32: c_int = 7;
const TA_FLOAT64: c_int = 8;
const TA_BIGINT64: c_int = 9;
const TA_BIGUINT64: c_int = 10;

#[repr(C)]
struct napi_extended_error_info {
    error_message: *const c_char,
    engine_reserved: *mut c_void,
    engine_error_code: u32,
    error_code: napi_status,
}

extern "C" {
    fn napi_get_last_error_info(
        env: napi_env,
        result: *mut *const napi_extended_error_info,
    ) -> napi_status;
    fn napi_is_exception_pending(env: napi_env, result: *mut bool) -> napi_status;
    fn napi_throw_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;

    fn napi_get_undefined(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_get_null(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_get_boolean(env: napi_env, value: bool, result: *mut napi_value) -> napi_status;
    fn napi_create_double(env: napi_env, value: f64, result: *mut napi_value) -> napi_status;
    fn napi_create_string_utf8(
        env: napi_env,
        str: *const c_char,
        length: usize,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_create_object(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_create_array_with_length(
        env: napi_env,
        length: usize,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_create_arraybuffer(
        env: napi_env,
        byte_length: usize,
        data: *mut *mut c_void,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_create_typedarray(
        env: napi_env,
        kind: c_int,
        length: usize,
        arraybuffer: napi_value,
        byte_offset: usize,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_create_function(
        env: napi_env,
        utf8name: *const c_char,
        length: usize,
        cb: napi_callback,
        data: *mut c_void,
        result: *mut napi_value,
    ) -> napi_status;

    fn napi_set_named_property(
        env: napi_env,
        object: napi_value,
        utf8name: *const c_char,
        value: napi_value,
    ) -> napi_status;
    fn napi_set_element(
        env: napi_env,
        object: napi_value,
        index: u32,
        value: napi_value,
    ) -> napi_status;
    fn napi_get_element(
        env: napi_env,
        object: napi_value,
        index: u32,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_get_array_length(env: napi_env, value: napi_value, result: *mut u32) -> napi_status;
    fn napi_is_array(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    fn napi_typeof(env: napi_env, value: napi_value, result: *mut c_int) -> napi_status;

    fn napi_get_value_double(env: napi_env, value: napi_value, result: *mut f64) -> napi_status;
    fn napi_get_value_string_utf8(
        env: napi_env,
        value: napi_value,
        buf: *mut c_char,
        bufsize: usize,
        result: *mut usize,
    ) -> napi_status;
    fn napi_is_typedarray(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    fn napi_get_typedarray_info(
        env: napi_env,
        typedarray: napi_value,
        kind: *mut c_int,
        length: *mut usize,
        data: *mut *mut c_void,
        arraybuffer: *mut napi_value,
        byte_offset: *mut usize,
    ) -> napi_status;

    fn napi_get_cb_info(
        env: napi_env,
        cbinfo: napi_callback_info,
        argc: *mut usize,
        argv: *mut napi_value,
        this_arg: *mut napi_value,
        data: *mut *mut c_void,
    ) -> napi_status;
}

// ---------------------------------------------------------------------------------------------
// Safe API.

/// The JavaScript environment of the current call (or of module registration).
/// Neither `Send` nor `Sync`: Node-API handles belong to the JS thread.
pub struct Env {
    raw: napi_env,
    _not_send: PhantomData<*mut ()>,
}

/// A JavaScript value, valid while `'a` (the current call) lasts.
#[derive(Clone, Copy)]
pub struct Value<'a> {
    raw: napi_value,
    _env: PhantomData<&'a Env>,
}

/// What an exported function returns: a value, or the message of the `Error` to throw.
pub type JsResult<'a> = Result<Value<'a>, String>;

/// An exported function: see the module documentation.
pub type Callback = for<'a> fn(&'a Env, &CallArgs<'a>) -> JsResult<'a>;

/// The result of `typeof`, as Node-API reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Symbol,
    Object,
    Function,
    External,
    BigInt,
}

impl ValueType {
    /// The name `typeof` would print (`null` for null).
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Undefined => "undefined",
            ValueType::Null => "null",
            ValueType::Boolean => "boolean",
            ValueType::Number => "number",
            ValueType::String => "string",
            ValueType::Symbol => "symbol",
            ValueType::Object => "object",
            ValueType::Function => "function",
            ValueType::External => "external",
            ValueType::BigInt => "bigint",
        }
    }
}

/// A JSON-like tree turned into JavaScript values in one call by [`Env::create_js`]. Object keys
/// keep their order.
#[derive(Clone, Debug, PartialEq)]
pub enum Js {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Js>),
    Obj(Vec<(String, Js)>),
    F32Array(Vec<f32>),
    F64Array(Vec<f64>),
}

impl Js {
    /// `Js::object([("a", Js::from(1.0)), ("b", Js::from("x"))])`
    pub fn object<K: Into<String>, I: IntoIterator<Item = (K, Js)>>(fields: I) -> Js {
        Js::Obj(fields.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    /// `Js::array(values.iter().map(|&v| Js::from(v)))`
    pub fn array<I: IntoIterator<Item = Js>>(items: I) -> Js {
        Js::Arr(items.into_iter().collect())
    }
}

impl From<bool> for Js {
    fn from(v: bool) -> Js {
        Js::Bool(v)
    }
}
impl From<f64> for Js {
    fn from(v: f64) -> Js {
        Js::Num(v)
    }
}
impl From<f32> for Js {
    fn from(v: f32) -> Js {
        Js::Num(f64::from(v))
    }
}
impl From<u32> for Js {
    fn from(v: u32) -> Js {
        Js::Num(f64::from(v))
    }
}
impl From<i32> for Js {
    fn from(v: i32) -> Js {
        Js::Num(f64::from(v))
    }
}
/// Exact up to 2^53.
impl From<u64> for Js {
    fn from(v: u64) -> Js {
        Js::Num(v as f64)
    }
}
/// Exact up to 2^53.
impl From<i64> for Js {
    fn from(v: i64) -> Js {
        Js::Num(v as f64)
    }
}
/// Exact up to 2^53.
impl From<usize> for Js {
    fn from(v: usize) -> Js {
        Js::Num(v as f64)
    }
}
impl From<&str> for Js {
    fn from(v: &str) -> Js {
        Js::Str(v.to_owned())
    }
}
impl From<String> for Js {
    fn from(v: String) -> Js {
        Js::Str(v)
    }
}
impl<T: Into<Js>> From<Option<T>> for Js {
    fn from(v: Option<T>) -> Js {
        v.map_or(Js::Null, Into::into)
    }
}
impl<T: Into<Js>> From<Vec<T>> for Js {
    fn from(v: Vec<T>) -> Js {
        Js::Arr(v.into_iter().map(Into::into).collect())
    }
}

fn c_string(s: &str) -> Result<CString, String> {
    CString::new(s).map_err(|_| format!("name {s:?} contains a NUL byte"))
}

fn typed_array_name(kind: c_int) -> &'static str {
    match kind {
        TA_INT8 => "Int8Array",
        TA_UINT8 => "Uint8Array",
        TA_UINT8_CLAMPED => "Uint8ClampedArray",
        TA_INT16 => "Int16Array",
        TA_UINT16 => "Uint16Array",
        TA_INT32 => "Int32Array",
        TA_UINT32 => "Uint32Array",
        TA_FLOAT32 => "Float32Array",
        TA_FLOAT64 => "Float64Array",
        TA_BIGINT64 => "BigInt64Array",
        TA_BIGUINT64 => "BigUint64Array",
        _ => "typed array",
    }
}

impl Env {
    fn from_raw(raw: napi_env) -> Env {
        Env {
            raw,
            _not_send: PhantomData,
        }
    }

    fn value(&self, raw: napi_value) -> Value<'_> {
        Value {
            raw,
            _env: PhantomData,
        }
    }

    /// Turns a Node-API status into `Err("<what>: <Node's message>")`.
    fn check(&self, status: napi_status, what: &str) -> Result<(), String> {
        if status == NAPI_OK {
            return Ok(());
        }
        let mut info: *const napi_extended_error_info = ptr::null();
        // SAFETY: valid env and out-pointer; must run right after the failing call, as it does.
        let got = unsafe { napi_get_last_error_info(self.raw, &mut info) };
        let message = if got == NAPI_OK && !info.is_null() {
            // SAFETY: Node returns a pointer to its static per-env error record.
            let msg = unsafe { (*info).error_message };
            if msg.is_null() {
                String::new()
            } else {
                // SAFETY: Node's error messages are static NUL-terminated strings.
                unsafe { std::ffi::CStr::from_ptr(msg) }
                    .to_string_lossy()
                    .into_owned()
            }
        } else {
            String::new()
        };
        Err(if message.is_empty() {
            format!("{what} failed (napi status {status})")
        } else {
            format!("{what}: {message} (napi status {status})")
        })
    }

    /// Calls a Node-API function that produces one `napi_value`.
    fn make(
        &self,
        what: &str,
        f: impl FnOnce(napi_env, *mut napi_value) -> napi_status,
    ) -> JsResult<'_> {
        let mut out: napi_value = ptr::null_mut();
        let status = f(self.raw, &mut out);
        self.check(status, what)?;
        Ok(self.value(out))
    }

    fn exception_pending(&self) -> bool {
        let mut pending = false;
        // SAFETY: valid env and out-pointer.
        let status = unsafe { napi_is_exception_pending(self.raw, &mut pending) };
        status == NAPI_OK && pending
    }

    /// Like `check`, for readers: a failure on a value of the wrong type says
    /// "expected <what>, got <typeof>".
    fn expect(&self, status: napi_status, what: &str, value: Value<'_>) -> Result<(), String> {
        if status == NAPI_OK {
            return Ok(());
        }
        let detail = self.check(status, what).unwrap_err();
        if self.exception_pending() {
            return Err(detail);
        }
        match self.type_of(value) {
            Ok(t) => Err(format!("expected {what}, got {}", t.name())),
            Err(_) => Err(detail),
        }
    }

    /// Throws `Error(message)` unless a JavaScript exception is already pending (then that one
    /// propagates, e.g. from a getter that threw while an argument was read).
    fn throw(&self, message: &str) {
        if self.exception_pending() {
            return;
        }
        let msg = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
        // SAFETY: valid env, NUL-terminated message, null code is allowed.
        unsafe { napi_throw_error(self.raw, ptr::null(), msg.as_ptr()) };
    }

    // -- creating values ------------------------------------------------------------------

    pub fn create_undefined(&self) -> JsResult<'_> {
        // SAFETY (all `make` closures below): valid env and out-pointer; pointer arguments
        // point into live Rust data for the duration of the call.
        self.make("napi_get_undefined", |e, out| unsafe {
            napi_get_undefined(e, out)
        })
    }

    pub fn create_null(&self) -> JsResult<'_> {
        self.make("napi_get_null", |e, out| unsafe { napi_get_null(e, out) })
    }

    pub fn create_bool(&self, v: bool) -> JsResult<'_> {
        self.make("napi_get_boolean", |e, out| unsafe {
            napi_get_boolean(e, v, out)
        })
    }

    pub fn create_f64(&self, v: f64) -> JsResult<'_> {
        self.make("napi_create_double", |e, out| unsafe {
            napi_create_double(e, v, out)
        })
    }

    pub fn create_string(&self, s: &str) -> JsResult<'_> {
        self.make("napi_create_string_utf8", |e, out| unsafe {
            napi_create_string_utf8(e, s.as_ptr().cast::<c_char>(), s.len(), out)
        })
    }

    pub fn create_object(&self) -> JsResult<'_> {
        self.make("napi_create_object", |e, out| unsafe {
            napi_create_object(e, out)
        })
    }

    /// An array of `len` holes, to fill with [`Env::set_element`].
    pub fn create_array(&self, len: usize) -> JsResult<'_> {
        self.make("napi_create_array_with_length", |e, out| unsafe {
            napi_create_array_with_length(e, len, out)
        })
    }

    /// A new typed array of `kind` holding a copy of `bytes` (`bytes.len()` = `len` elements).
    fn create_typed_array(&self, kind: c_int, len: usize, bytes: &[u8]) -> JsResult<'_> {
        let mut data: *mut c_void = ptr::null_mut();
        let buffer = self.make("napi_create_arraybuffer", |e, out| unsafe {
            napi_create_arraybuffer(e, bytes.len(), &mut data, out)
        })?;
        if !bytes.is_empty() {
            if data.is_null() {
                return Err("napi_create_arraybuffer returned no memory".to_owned());
            }
            // SAFETY: Node allocated `bytes.len()` bytes at `data` for the new, unshared buffer;
            // the regions cannot overlap.
            unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), data.cast::<u8>(), bytes.len()) };
        }
        self.make("napi_create_typedarray", |e, out| unsafe {
            napi_create_typedarray(e, kind, len, buffer.raw, 0, out)
        })
    }

    /// A new `Float32Array` holding a copy of `values`.
    pub fn create_f32_array(&self, values: &[f32]) -> JsResult<'_> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
        self.create_typed_array(TA_FLOAT32, values.len(), &bytes)
    }

    /// A new `Float64Array` holding a copy of `values`.
    pub fn create_f64_array(&self, values: &[f64]) -> JsResult<'_> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
        self.create_typed_array(TA_FLOAT64, values.len(), &bytes)
    }

    /// Builds a whole JSON-like tree.
    pub fn create_js(&self, js: &Js) -> JsResult<'_> {
        match js {
            Js::Undefined => self.create_undefined(),
            Js::Null => self.create_null(),
            Js::Bool(b) => self.create_bool(*b),
            Js::Num(n) => self.create_f64(*n),
            Js::Str(s) => self.create_string(s),
            Js::Arr(items) => {
                let arr = self.create_array(items.len())?;
                for (i, item) in items.iter().enumerate() {
                    let index =
                        u32::try_from(i).map_err(|_| "array longer than 2^32-1".to_owned())?;
                    let value = self.create_js(item)?;
                    self.set_element(arr, index, value)?;
                }
                Ok(arr)
            }
            Js::Obj(fields) => {
                let obj = self.create_object()?;
                for (name, item) in fields {
                    let value = self.create_js(item)?;
                    self.set_property(obj, name, value)?;
                }
                Ok(obj)
            }
            Js::F32Array(values) => self.create_f32_array(values),
            Js::F64Array(values) => self.create_f64_array(values),
        }
    }

    // -- objects and arrays ---------------------------------------------------------------

    pub fn set_property<'a>(
        &'a self,
        object: Value<'a>,
        name: &str,
        value: Value<'a>,
    ) -> Result<(), String> {
        let cname = c_string(name)?;
        // SAFETY: valid env and handles, NUL-terminated name.
        let status =
            unsafe { napi_set_named_property(self.raw, object.raw, cname.as_ptr(), value.raw) };
        self.check(status, &format!("setting property {name:?}"))
    }

    pub fn set_element<'a>(
        &'a self,
        array: Value<'a>,
        index: u32,
        value: Value<'a>,
    ) -> Result<(), String> {
        // SAFETY: valid env and handles.
        let status = unsafe { napi_set_element(self.raw, array.raw, index, value.raw) };
        self.check(status, &format!("setting element {index}"))
    }

    pub fn get_element<'a>(&'a self, array: Value<'a>, index: u32) -> JsResult<'a> {
        self.make(&format!("reading element {index}"), |e, out| unsafe {
            napi_get_element(e, array.raw, index, out)
        })
    }

    pub fn is_array(&self, value: Value<'_>) -> Result<bool, String> {
        let mut result = false;
        // SAFETY: valid env, handle and out-pointer.
        let status = unsafe { napi_is_array(self.raw, value.raw, &mut result) };
        self.check(status, "napi_is_array")?;
        Ok(result)
    }

    pub fn array_length(&self, array: Value<'_>) -> Result<u32, String> {
        let mut len = 0u32;
        // SAFETY: valid env, handle and out-pointer.
        let status = unsafe { napi_get_array_length(self.raw, array.raw, &mut len) };
        self.expect(status, "an array", array)?;
        Ok(len)
    }

    pub fn type_of(&self, value: Value<'_>) -> Result<ValueType, String> {
        let mut t: c_int = -1;
        // SAFETY: valid env, handle and out-pointer.
        let status = unsafe { napi_typeof(self.raw, value.raw, &mut t) };
        self.check(status, "napi_typeof")?;
        Ok(match t {
            0 => ValueType::Undefined,
            1 => ValueType::Null,
            2 => ValueType::Boolean,
            3 => ValueType::Number,
            4 => ValueType::String,
            5 => ValueType::Symbol,
            6 => ValueType::Object,
            7 => ValueType::Function,
            8 => ValueType::External,
            9 => ValueType::BigInt,
            other => return Err(format!("napi_typeof returned unknown type {other}")),
        })
    }

    // -- reading values -------------------------------------------------------------------

    pub fn value_f64(&self, value: Value<'_>) -> Result<f64, String> {
        let mut v = 0.0f64;
        // SAFETY: valid env, handle and out-pointer.
        let status = unsafe { napi_get_value_double(self.raw, value.raw, &mut v) };
        self.expect(status, "a number", value)?;
        Ok(v)
    }

    pub fn value_string(&self, value: Value<'_>) -> Result<String, String> {
        let mut len = 0usize;
        // SAFETY: a null buffer asks for the UTF-8 length (without the NUL).
        let status = unsafe {
            napi_get_value_string_utf8(self.raw, value.raw, ptr::null_mut(), 0, &mut len)
        };
        self.expect(status, "a string", value)?;
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        // SAFETY: `buf` has room for `len` bytes and the NUL Node writes after them.
        let status = unsafe {
            napi_get_value_string_utf8(
                self.raw,
                value.raw,
                buf.as_mut_ptr().cast::<c_char>(),
                buf.len(),
                &mut written,
            )
        };
        self.check(status, "expected a string")?;
        buf.truncate(written.min(len));
        Ok(String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    pub fn value_string_array(&self, value: Value<'_>) -> Result<Vec<String>, String> {
        if !self.is_array(value)? {
            return Err(format!(
                "expected an array of strings, got {}",
                self.type_of(value)?.name()
            ));
        }
        let len = self.array_length(value)?;
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len {
            let item = self.get_element(value, i)?;
            out.push(
                self.value_string(item)
                    .map_err(|e| format!("element {i}: {e}"))?,
            );
        }
        Ok(out)
    }

    /// Copies the bytes of a typed array of kind `want` (or `also`); returns them with the
    /// element count.
    fn typed_array_bytes(
        &self,
        value: Value<'_>,
        want: c_int,
        also: Option<c_int>,
    ) -> Result<(Vec<u8>, usize), String> {
        let mut is_ta = false;
        // SAFETY: valid env, handle and out-pointer.
        let status = unsafe { napi_is_typedarray(self.raw, value.raw, &mut is_ta) };
        self.check(status, "napi_is_typedarray")?;
        if !is_ta {
            let got = match self.type_of(value)? {
                ValueType::Object if self.is_array(value)? => "array",
                t => t.name(),
            };
            return Err(format!("expected a {}, got {got}", typed_array_name(want)));
        }
        let mut kind: c_int = -1;
        let mut len = 0usize;
        let mut data: *mut c_void = ptr::null_mut();
        let mut buffer: napi_value = ptr::null_mut();
        let mut offset = 0usize;
        // SAFETY: valid env and handle; all out-pointers are live locals.
        let status = unsafe {
            napi_get_typedarray_info(
                self.raw,
                value.raw,
                &mut kind,
                &mut len,
                &mut data,
                &mut buffer,
                &mut offset,
            )
        };
        self.check(status, "napi_get_typedarray_info")?;
        if kind != want && Some(kind) != also {
            return Err(format!(
                "expected a {}, got a {}",
                typed_array_name(want),
                typed_array_name(kind)
            ));
        }
        let elem = match kind {
            TA_INT8 | TA_UINT8 | TA_UINT8_CLAMPED => 1,
            TA_INT16 | TA_UINT16 => 2,
            TA_INT32 | TA_UINT32 | TA_FLOAT32 => 4,
            _ => 8,
        };
        if len == 0 || data.is_null() {
            return Ok((Vec::new(), 0));
        }
        let byte_len = len
            .checked_mul(elem)
            .ok_or_else(|| "typed array too large".to_owned())?;
        // SAFETY: Node reports `data` (already adjusted by the byte offset) as the start of
        // `len` elements of `elem` bytes that the argument keeps alive during this call. No
        // JavaScript runs while the bytes are copied; a u8 view has no alignment requirement.
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), byte_len) }.to_vec();
        Ok((bytes, len))
    }

    /// A copy of a `Float32Array`'s elements.
    pub fn value_f32_array(&self, value: Value<'_>) -> Result<Vec<f32>, String> {
        let (bytes, _) = self.typed_array_bytes(value, TA_FLOAT32, None)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    /// A copy of a `Float64Array`'s elements.
    pub fn value_f64_array(&self, value: Value<'_>) -> Result<Vec<f64>, String> {
        let (bytes, _) = self.typed_array_bytes(value, TA_FLOAT64, None)?;
        Ok(bytes
            .chunks_exact(8)
            .map(|c| f64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect())
    }

    /// A copy of a `Uint8Array`'s (or `Buffer`'s) bytes.
    pub fn value_bytes(&self, value: Value<'_>) -> Result<Vec<u8>, String> {
        let (bytes, _) = self.typed_array_bytes(value, TA_UINT8, Some(TA_UINT8_CLAMPED))?;
        Ok(bytes)
    }
}

/// The arguments of the current call. Reading a missing argument gives `undefined` (so the
/// typed readers report "expected a ..."); every error names the argument's index.
pub struct CallArgs<'a> {
    env: &'a Env,
    argv: Vec<napi_value>,
}

impl<'a> CallArgs<'a> {
    pub fn len(&self) -> usize {
        self.argv.len()
    }

    pub fn is_empty(&self) -> bool {
        self.argv.is_empty()
    }

    /// Argument `i` as a raw value (`undefined` when missing).
    pub fn arg(&self, i: usize) -> JsResult<'a> {
        match self.argv.get(i) {
            Some(&raw) => Ok(self.env.value(raw)),
            None => self.env.create_undefined(),
        }
    }

    fn with<T>(
        &self,
        i: usize,
        read: impl FnOnce(&'a Env, Value<'a>) -> Result<T, String>,
    ) -> Result<T, String> {
        let value = self.arg(i)?;
        read(self.env, value).map_err(|e| format!("argument {i}: {e}"))
    }

    /// True when argument `i` is missing or `undefined` (for optional arguments).
    pub fn is_undefined(&self, i: usize) -> Result<bool, String> {
        Ok(self.with(i, |env, v| env.type_of(v))? == ValueType::Undefined)
    }

    pub fn arg_f64(&self, i: usize) -> Result<f64, String> {
        self.with(i, |env, v| env.value_f64(v))
    }

    /// An integral number in 0..=2^32-1.
    pub fn arg_u32(&self, i: usize) -> Result<u32, String> {
        let x = self.arg_f64(i)?;
        if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) {
            Ok(x as u32)
        } else {
            Err(format!(
                "argument {i}: expected an integer from 0 to 2^32-1, got {x}"
            ))
        }
    }

    /// An integral number in the safe-integer range (|x| <= 2^53-1).
    pub fn arg_i64(&self, i: usize) -> Result<i64, String> {
        let x = self.arg_f64(i)?;
        const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
        if x.fract() == 0.0 && (-MAX_SAFE..=MAX_SAFE).contains(&x) {
            Ok(x as i64)
        } else {
            Err(format!("argument {i}: expected a safe integer, got {x}"))
        }
    }

    /// A non-negative integral number (a count or an index).
    pub fn arg_usize(&self, i: usize) -> Result<usize, String> {
        let x = self.arg_i64(i)?;
        usize::try_from(x)
            .map_err(|_| format!("argument {i}: expected a non-negative integer, got {x}"))
    }

    pub fn arg_string(&self, i: usize) -> Result<String, String> {
        self.with(i, |env, v| env.value_string(v))
    }

    pub fn arg_string_array(&self, i: usize) -> Result<Vec<String>, String> {
        self.with(i, |env, v| env.value_string_array(v))
    }

    /// A copy of a `Float32Array` argument.
    pub fn arg_f32_array(&self, i: usize) -> Result<Vec<f32>, String> {
        self.with(i, |env, v| env.value_f32_array(v))
    }

    /// A copy of a `Float64Array` argument.
    pub fn arg_f64_array(&self, i: usize) -> Result<Vec<f64>, String> {
        self.with(i, |env, v| env.value_f64_array(v))
    }

    /// A copy of a `Uint8Array` or `Buffer` argument.
    pub fn arg_bytes(&self, i: usize) -> Result<Vec<u8>, String> {
        self.with(i, |env, v| env.value_bytes(v))
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// The C entry point of every exported function: `data` carries the Rust [`Callback`].
unsafe extern "C" fn trampoline(raw_env: napi_env, info: napi_callback_info) -> napi_value {
    let env = Env::from_raw(raw_env);
    let mut argc = 0usize;
    let mut data: *mut c_void = ptr::null_mut();
    // SAFETY: valid env and callback info from Node; a null argv with argc 0 only asks for the
    // count and the data pointer.
    let status = unsafe {
        napi_get_cb_info(
            raw_env,
            info,
            &mut argc,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut data,
        )
    };
    if let Err(e) = env.check(status, "napi_get_cb_info") {
        env.throw(&e);
        return ptr::null_mut();
    }
    let mut argv: Vec<napi_value> = vec![ptr::null_mut(); argc];
    if argc > 0 {
        let mut n = argc;
        // SAFETY: `argv` has room for `n` handles.
        let status = unsafe {
            napi_get_cb_info(
                raw_env,
                info,
                &mut n,
                argv.as_mut_ptr(),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if let Err(e) = env.check(status, "napi_get_cb_info") {
            env.throw(&e);
            return ptr::null_mut();
        }
    }
    if data.is_null() {
        env.throw("perfgate native: function registered without a callback");
        return ptr::null_mut();
    }
    // SAFETY: `register` stored exactly a `Callback` (a fn pointer, same size as a data
    // pointer) as this function's data.
    let callback = unsafe { std::mem::transmute::<*mut c_void, Callback>(data) };
    let args = CallArgs { env: &env, argv };
    match catch_unwind(AssertUnwindSafe(|| callback(&env, &args).map(|v| v.raw))) {
        Ok(Ok(value)) => value,
        Ok(Err(message)) => {
            env.throw(&message);
            ptr::null_mut()
        }
        Err(payload) => {
            env.throw(&format!(
                "perfgate native: panic: {}",
                panic_message(payload.as_ref())
            ));
            ptr::null_mut()
        }
    }
}

/// Adds `exports[name] = function` calling `f`.
pub fn register<'a>(
    env: &'a Env,
    exports: Value<'a>,
    name: &str,
    f: Callback,
) -> Result<(), String> {
    let cname = c_string(name)?;
    let data = f as *mut c_void;
    let func = env.make(&format!("creating function {name}"), |e, out| unsafe {
        napi_create_function(e, cname.as_ptr(), name.len(), Some(trampoline), data, out)
    })?;
    env.set_property(exports, name, func)
}

/// What [`napi_module!`] calls: registers an addon's exports with `register_all`, turning an
/// error or a panic into a JavaScript exception.
///
/// # Safety
///
/// `raw_env` and `exports` must be the arguments Node passed to `napi_register_module_v1`.
#[doc(hidden)]
pub unsafe fn init_module(
    raw_env: *mut c_void,
    exports: *mut c_void,
    register_all: for<'a> fn(&'a Env, Value<'a>) -> Result<(), String>,
) -> *mut c_void {
    let env = Env::from_raw(raw_env);
    let exports_value = env.value(exports);
    match catch_unwind(AssertUnwindSafe(|| register_all(&env, exports_value))) {
        Ok(Ok(())) => exports,
        Ok(Err(message)) => {
            env.throw(&format!("perfgate native: registration failed: {message}"));
            ptr::null_mut()
        }
        Err(payload) => {
            env.throw(&format!(
                "perfgate native: panic during registration: {}",
                panic_message(payload.as_ref())
            ));
            ptr::null_mut()
        }
    }
}

/// Declares an addon's Node-API entry points, found by symbol when Node loads the `.node` file:
/// `napi_register_module_v1` (calls `$register_all(env, exports)`) and
/// `node_api_module_get_api_version_v1` (the Node-API version the binding is written against;
/// Node 20+ asks for it). Use it once, in the addon's lib.rs.
#[macro_export]
macro_rules! napi_module {
    ($register_all:path) => {
        /// Node-API's module entry point.
        // `no_mangle` counts as unsafe code: Node looks these functions up by name.
        ///
        /// # Safety
        ///
        /// Only Node calls it, with its environment and the module's exports object.
        #[allow(unsafe_code)]
        #[no_mangle]
        pub unsafe extern "C" fn napi_register_module_v1(
            raw_env: *mut ::std::ffi::c_void,
            exports: *mut ::std::ffi::c_void,
        ) -> *mut ::std::ffi::c_void {
            // SAFETY: the caller (Node) passes the arguments `init_module` requires.
            unsafe { $crate::init_module(raw_env, exports, $register_all) }
        }

        /// The Node-API version this addon is written against.
        #[allow(unsafe_code)]
        #[no_mangle]
        pub extern "C" fn node_api_module_get_api_version_v1() -> i32 {
            8
        }
    };
}

// ---------------------------------------------------------------------------------------------
// OS calls: clocks, getrusage, perf_event_open. Declared by hand (no `libc` crate).

pub mod sys {
    use std::ffi::c_long;
    #[cfg(unix)]
    use std::ffi::{c_int, c_void};
    use std::io;

    #[cfg(unix)]
    #[repr(C)]
    #[derive(Default)]
    struct Timespec {
        tv_sec: c_long,
        tv_nsec: c_long,
    }

    #[cfg(unix)]
    #[repr(C)]
    #[derive(Default)]
    struct Timeval {
        tv_sec: c_long,
        #[cfg(target_vendor = "apple")]
        tv_usec: i32,
        #[cfg(not(target_vendor = "apple"))]
        tv_usec: c_long,
    }

    #[cfg(unix)]
    #[repr(C)]
    #[derive(Default)]
    struct RawRusage {
        ru_utime: Timeval,
        ru_stime: Timeval,
        ru_maxrss: c_long,
        ru_ixrss: c_long,
        ru_idrss: c_long,
        ru_isrss: c_long,
        ru_minflt: c_long,
        ru_majflt: c_long,
        ru_nswap: c_long,
        ru_inblock: c_long,
        ru_oublock: c_long,
        ru_msgsnd: c_long,
        ru_msgrcv: c_long,
        ru_nsignals: c_long,
        ru_nvcsw: c_long,
        ru_nivcsw: c_long,
    }

    #[cfg(unix)]
    extern "C" {
        fn clock_gettime(clock: c_int, tp: *mut Timespec) -> c_int;
        fn getrusage(who: c_int, usage: *mut RawRusage) -> c_int;
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    extern "C" {
        fn syscall(number: c_long, ...) -> c_long;
        fn ioctl(fd: c_int, request: std::ffi::c_ulong, ...) -> c_int;
        fn read(fd: c_int, buf: *mut c_void, count: usize) -> isize;
        fn close(fd: c_int) -> c_int;
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    const CLOCK_MONOTONIC: c_int = 1;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const CLOCK_THREAD_CPUTIME_ID: c_int = 3;
    #[cfg(target_vendor = "apple")]
    const CLOCK_MONOTONIC: c_int = 6;
    #[cfg(target_vendor = "apple")]
    const CLOCK_THREAD_CPUTIME_ID: c_int = 16;
    #[cfg(target_os = "freebsd")]
    const CLOCK_MONOTONIC: c_int = 4;
    #[cfg(target_os = "freebsd")]
    const CLOCK_THREAD_CPUTIME_ID: c_int = 14;

    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_vendor = "apple",
        target_os = "freebsd"
    ))]
    fn clock_ns(clock: c_int, name: &str) -> io::Result<u64> {
        let mut ts = Timespec::default();
        // SAFETY: `ts` is a live, correctly laid out timespec.
        if unsafe { clock_gettime(clock, &mut ts) } != 0 {
            let e = io::Error::last_os_error();
            return Err(io::Error::new(
                e.kind(),
                format!("clock_gettime({name}): {e}"),
            ));
        }
        Ok(ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
    }

    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_vendor = "apple",
        target_os = "freebsd"
    )))]
    fn clock_ns(_clock: i32, name: &str) -> io::Result<u64> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("{name} is not supported on this platform"),
        ))
    }
    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_vendor = "apple",
        target_os = "freebsd"
    )))]
    const CLOCK_MONOTONIC: i32 = 0;
    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_vendor = "apple",
        target_os = "freebsd"
    )))]
    const CLOCK_THREAD_CPUTIME_ID: i32 = 0;

    /// `CLOCK_MONOTONIC`, nanoseconds.
    pub fn monotonic_ns() -> io::Result<u64> {
        clock_ns(CLOCK_MONOTONIC, "CLOCK_MONOTONIC")
    }

    /// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), nanoseconds.
    pub fn thread_cpu_ns() -> io::Result<u64> {
        clock_ns(CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID")
    }

    /// `getrusage(RUSAGE_SELF)` in plain units.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Rusage {
        pub max_rss_bytes: u64,
        pub minor_faults: u64,
        pub major_faults: u64,
        pub voluntary_context_switches: u64,
        pub involuntary_context_switches: u64,
        pub user_cpu_ns: u64,
        pub system_cpu_ns: u64,
    }

    /// A count from the kernel as u64 (a negative value, which never happens, reads as 0).
    #[cfg(unix)]
    fn n<T: TryInto<u64>>(v: T) -> u64 {
        v.try_into().unwrap_or(0)
    }

    #[cfg(unix)]
    pub fn rusage_self() -> io::Result<Rusage> {
        const RUSAGE_SELF: c_int = 0;
        // ru_maxrss is KiB on Linux and the BSDs, bytes on macOS.
        #[cfg(target_vendor = "apple")]
        const MAXRSS_UNIT: u64 = 1;
        #[cfg(not(target_vendor = "apple"))]
        const MAXRSS_UNIT: u64 = 1024;
        let mut ru = RawRusage::default();
        // SAFETY: `ru` is a live, correctly laid out struct rusage.
        if unsafe { getrusage(RUSAGE_SELF, &mut ru) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let ns = |t: &Timeval| n(t.tv_sec) * 1_000_000_000 + n(t.tv_usec) * 1_000;
        Ok(Rusage {
            max_rss_bytes: n(ru.ru_maxrss) * MAXRSS_UNIT,
            minor_faults: n(ru.ru_minflt),
            major_faults: n(ru.ru_majflt),
            voluntary_context_switches: n(ru.ru_nvcsw),
            involuntary_context_switches: n(ru.ru_nivcsw),
            user_cpu_ns: ns(&ru.ru_utime),
            system_cpu_ns: ns(&ru.ru_stime),
        })
    }

    #[cfg(not(unix))]
    pub fn rusage_self() -> io::Result<Rusage> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "getrusage is not supported on this platform",
        ))
    }

    // perf_event_open(2) syscall numbers.
    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        target_arch = "x86_64"
    ))]
    const SYS_PERF_EVENT_OPEN: Option<c_long> = Some(298);
    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        any(target_arch = "aarch64", target_arch = "riscv64")
    ))]
    const SYS_PERF_EVENT_OPEN: Option<c_long> = Some(241);
    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        not(any(
            target_arch = "x86_64",
            target_arch = "aarch64",
            target_arch = "riscv64"
        ))
    ))]
    const SYS_PERF_EVENT_OPEN: Option<c_long> = None;

    /// The first 64 bytes of `struct perf_event_attr` (PERF_ATTR_SIZE_VER0); the kernel treats
    /// the fields after them as zero.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[repr(C)]
    struct PerfEventAttr {
        kind: u32,
        size: u32,
        config: u64,
        sample_period: u64,
        sample_type: u64,
        read_format: u64,
        flags: u64,
        wakeup_events: u32,
        bp_type: u32,
        config1: u64,
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    mod perf {
        pub const TYPE_HARDWARE: u32 = 0;
        pub const COUNT_HW_INSTRUCTIONS: u64 = 1;
        pub const FLAG_DISABLED: u64 = 1 << 0;
        pub const FLAG_EXCLUDE_KERNEL: u64 = 1 << 5;
        pub const FLAG_EXCLUDE_HV: u64 = 1 << 6;
        pub const FLAG_FD_CLOEXEC: std::ffi::c_ulong = 1 << 3;
        // _IO('$', n): the same on x86_64, aarch64 and riscv64.
        pub const IOC_ENABLE: std::ffi::c_ulong = 0x2400;
        pub const IOC_DISABLE: std::ffi::c_ulong = 0x2401;
        pub const IOC_RESET: std::ffi::c_ulong = 0x2403;
    }

    /// A hardware instruction counter for the calling thread (user space only), owning its
    /// perf_event file descriptor (closed on drop).
    #[derive(Debug)]
    pub struct PerfCounter {
        #[cfg_attr(not(any(target_os = "linux", target_os = "android")), allow(dead_code))]
        fd: i32,
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    impl PerfCounter {
        /// `perf_event_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS)` for this thread,
        /// created disabled, with `exclude_kernel` and `exclude_hv`.
        pub fn open_instructions() -> io::Result<PerfCounter> {
            let Some(number) = SYS_PERF_EVENT_OPEN else {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "perf_event_open: no syscall number for this CPU architecture",
                ));
            };
            let attr = PerfEventAttr {
                kind: perf::TYPE_HARDWARE,
                size: std::mem::size_of::<PerfEventAttr>() as u32,
                config: perf::COUNT_HW_INSTRUCTIONS,
                sample_period: 0,
                sample_type: 0,
                read_format: 0,
                flags: perf::FLAG_DISABLED | perf::FLAG_EXCLUDE_KERNEL | perf::FLAG_EXCLUDE_HV,
                wakeup_events: 0,
                bp_type: 0,
                config1: 0,
            };
            let (pid, cpu, group_fd): (c_long, c_long, c_long) = (0, -1, -1);
            // SAFETY: `attr` is a live perf_event_attr whose `size` matches its layout; every
            // variadic argument is passed as a full `long`, as syscall(2) reads them.
            let fd = unsafe {
                syscall(
                    number,
                    &attr as *const PerfEventAttr,
                    pid,
                    cpu,
                    group_fd,
                    perf::FLAG_FD_CLOEXEC,
                )
            };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(PerfCounter { fd: fd as i32 })
        }

        /// The file descriptor, used as the handle JavaScript holds.
        pub fn fd(&self) -> i32 {
            self.fd
        }

        fn ioctl(&self, request: std::ffi::c_ulong) -> io::Result<()> {
            // SAFETY: `fd` is the perf_event descriptor this value owns; these requests take
            // no pointer argument.
            if unsafe { ioctl(self.fd, request, 0 as std::ffi::c_ulong) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }

        /// Zeroes the count and starts counting.
        pub fn reset_and_enable(&self) -> io::Result<()> {
            self.ioctl(perf::IOC_RESET)?;
            self.ioctl(perf::IOC_ENABLE)
        }

        pub fn disable(&self) -> io::Result<()> {
            self.ioctl(perf::IOC_DISABLE)
        }

        /// The current count.
        pub fn read(&self) -> io::Result<u64> {
            let mut count = 0u64;
            // SAFETY: reads at most 8 bytes into the live `count`.
            let n = unsafe {
                read(
                    self.fd,
                    (&mut count as *mut u64).cast::<c_void>(),
                    std::mem::size_of::<u64>(),
                )
            };
            match n {
                8 => Ok(count),
                n if n < 0 => Err(io::Error::last_os_error()),
                n => Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("perf_event read returned {n} bytes"),
                )),
            }
        }
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    impl Drop for PerfCounter {
        fn drop(&mut self) {
            // SAFETY: closes the descriptor this value owns, exactly once.
            unsafe { close(self.fd) };
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    impl PerfCounter {
        pub fn open_instructions() -> io::Result<PerfCounter> {
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!(
                    "perf_event_open needs Linux (this is {}/{})",
                    std::env::consts::OS,
                    std::env::consts::ARCH
                ),
            ))
        }
        pub fn fd(&self) -> i32 {
            self.fd
        }
        pub fn reset_and_enable(&self) -> io::Result<()> {
            Err(io::ErrorKind::Unsupported.into())
        }
        pub fn disable(&self) -> io::Result<()> {
            Err(io::ErrorKind::Unsupported.into())
        }
        pub fn read(&self) -> io::Result<u64> {
            Err(io::ErrorKind::Unsupported.into())
        }
    }
}

/// The example of the module documentation, kept compiling (it needs Node to run).
#[cfg(test)]
#[allow(dead_code)]
mod example {
    use super::{register, CallArgs, Env, Js, JsResult, Value};

    /// countByte(text: string, byte: number): { count: number, firstAt: number | null }
    pub fn count_byte<'a>(env: &'a Env, args: &CallArgs<'a>) -> JsResult<'a> {
        let text = args.arg_string(0)?;
        let byte = args.arg_u32(1)?;
        let byte = u8::try_from(byte).map_err(|_| format!("argument 1: {byte} is not a byte"))?;
        let count = text.bytes().filter(|&b| b == byte).count();
        let first = text.bytes().position(|b| b == byte);
        env.create_js(&Js::object([
            ("count", Js::from(count)),
            ("firstAt", Js::from(first)),
        ]))
    }

    fn register_all<'a>(env: &'a Env, exports: Value<'a>) -> Result<(), String> {
        register(env, exports, "countByte", count_byte)
    }
}
