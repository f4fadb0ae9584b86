//! jwt-core for Kotlin (JVM, Android) and Swift (iOS, macOS), through uniffi.
//!
//! A thin door: every type here wraps a jwt-core type, every function calls one core
//! function, and every failure is a [`JwtError`] carrying the core's stable `code`.
//! There is no JOSE logic in this crate.
//!
//! The generated Kotlin lives in package `dev.jwtcore`, the Swift module is `JwtCore`
//! (see `uniffi.toml`). Modules mirror the core's: [`keys`], [`claims`], [`sign`], [`verify`],
//! [`unverified`], [`jwe`], [`error`]; [`fast`] is the JVM's fast path of `verify`.
//!
//! No panic crosses the boundary: every exported function runs inside
//! [`error::guard`], which turns a panic into `JwtError::Internal` with code
//! `internal_error` (and uniffi's own panic handling would catch anything else).

pub mod claims;
pub mod error;
pub mod fast;
pub mod jwe;
pub mod keys;
pub mod sign;
pub mod unverified;
pub mod verify;

pub use error::JwtError;

uniffi::setup_scaffolding!();

/// A JWS signature algorithm: the core's own enum, exported through its `uniffi` feature
/// (in the `jwt_core` uniffi namespace; Kotlin `dev.jwtcore.core`, aliased back to
/// `dev.jwtcore.Algorithm`).
pub use jwt_core::Algorithm;

/// Parse a registered algorithm name (`"ES256"`). `none` in any spelling and unknown
/// names fail with code `unsupported_algorithm`.
#[uniffi::export]
pub fn algorithm_from_name(name: String) -> Result<Algorithm, JwtError> {
    error::guard(|| Ok(name.parse::<jwt_core::Algorithm>()?))
}

/// The registered name of an algorithm (`"ES256"`).
#[uniffi::export]
pub fn algorithm_name(alg: Algorithm) -> String {
    alg.as_str().to_owned()
}

/// Every stable error code the core can return, in the core's order, plus this
/// binding's `internal_error`.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    jwt_core::Error::ALL_CODES
        .iter()
        .map(|(c, _)| (*c).to_owned())
        .chain([error::INTERNAL_ERROR.to_owned()])
        .collect()
}

/// The current time in seconds since the epoch, as the core sees it.
#[uniffi::export]
pub fn now_seconds() -> i64 {
    jwt_core::now()
}
