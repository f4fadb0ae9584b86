//! `uniffi-bindgen-swift`, pinned to the workspace's uniffi version.
//!
//! The Swift sources and headers of every uniffi crate in the library (the bindings and
//! the core's own enums) with ONE modulemap naming all the headers, so the XCFramework
//! holds a single `JwtCoreFFI` C module. Run by `cargo xtask codegen --only kotlin`.

fn main() {
    uniffi::uniffi_bindgen_swift()
}
