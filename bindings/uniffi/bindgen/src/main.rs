//! `uniffi-bindgen`, pinned to the workspace's uniffi version.
//!
//! `cargo xtask codegen --only kotlin` builds it together with `jwt-core-uniffi` in one
//! cargo invocation and runs it in library mode against the built cdylib.

fn main() {
    uniffi::uniffi_bindgen_main()
}
