//! The `napi_*` symbols are left undefined in the cdylib and resolved by Node when it loads the
//! `.node` file. GNU ld accepts that for shared libraries by default; Apple's linker needs to be
//! told to look them up at load time.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_VENDOR").as_deref() == Ok("apple") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-undefined,dynamic_lookup");
    }
}
