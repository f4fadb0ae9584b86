//! The one error type of the bindings: [`JwtError`], one case per family, each carrying
//! the core's stable `code` (see `jwt_core::Error::code`) and a human message.
//!
//! Kotlin sees `JwtException` (a sealed exception class with subclasses `Token`,
//! `Signature`, `Key`, `Claims`, `Usage`, `Internal`), Swift sees `JwtError` (an `Error`
//! enum). Both get a `.code` on the base type from a small hand-written extension next to
//! the generated code.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The code of a panic caught at the boundary. Not a core code: it means a bug here.
pub const INTERNAL_ERROR: &str = "internal_error";

/// Every failure, grouped by family. `code` is the core's stable code; `detail` is for
/// humans and may change. Messages never contain key material.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum JwtError {
    /// The token itself is unacceptable before any key is tried (core kinds `size`,
    /// `malformed`, `unsupported`): size, structure, base64url, JSON, duplicate members,
    /// header members, claims of the wrong shape, `alg` (including `none`), `enc`, `crit`.
    Token { code: String, detail: String },
    /// No key could check the token, or the signature (or JWE tag) is wrong (kinds
    /// `algorithm`, `key_not_found`, `signature`): `invalid_signature`,
    /// `algorithm_not_allowed`, `key_not_found`, `decryption_failed`.
    Signature { code: String, detail: String },
    /// Key material is unusable (kind `key`): `invalid_key`, `key_algorithm_mismatch`,
    /// `weak_key`, `key_usage_not_allowed`.
    Key { code: String, detail: String },
    /// The signature is good but the claims are not (kinds `expired`, `not_yet_valid`,
    /// `claim`): expiry, not-before, issued-at, max age, issuer, audience, subject, `typ`,
    /// required and exact-value claims.
    Claims { code: String, detail: String },
    /// The caller asked for something invalid, or serialization/crypto failed (kinds
    /// `argument`, `serialization`, `internal`): `invalid_argument`,
    /// `serialization_failed`, `crypto_failure`.
    Usage { code: String, detail: String },
    /// A bug: a panic was caught at the boundary (code `internal_error`).
    Internal { code: String, detail: String },
}

impl JwtError {
    /// The stable code.
    pub fn code(&self) -> &str {
        match self {
            JwtError::Token { code, .. }
            | JwtError::Signature { code, .. }
            | JwtError::Key { code, .. }
            | JwtError::Claims { code, .. }
            | JwtError::Usage { code, .. }
            | JwtError::Internal { code, .. } => code,
        }
    }

    /// The human-readable detail.
    pub fn detail(&self) -> &str {
        match self {
            JwtError::Token { detail, .. }
            | JwtError::Signature { detail, .. }
            | JwtError::Key { detail, .. }
            | JwtError::Claims { detail, .. }
            | JwtError::Usage { detail, .. }
            | JwtError::Internal { detail, .. } => detail,
        }
    }
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.detail(), self.code())
    }
}

impl std::error::Error for JwtError {}

impl From<jwt_core::Error> for JwtError {
    /// The one table of this binding: the core's [`jwt_core::ErrorKind`] picks the family.
    fn from(e: jwt_core::Error) -> Self {
        use jwt_core::ErrorKind as K;
        let code = e.code().to_owned();
        let detail = e.to_string();
        match e.kind() {
            K::Size | K::Malformed | K::Unsupported => JwtError::Token { code, detail },
            K::Algorithm | K::KeyNotFound | K::Signature => JwtError::Signature { code, detail },
            K::Key => JwtError::Key { code, detail },
            K::Expired | K::NotYetValid | K::Claim => JwtError::Claims { code, detail },
            // argument, serialization, internal, and any kind a future core adds (the
            // core's enum is non-exhaustive).
            _ => JwtError::Usage { code, detail },
        }
    }
}

/// An `invalid_argument` error raised by the binding itself (e.g. a JSON option that is
/// not an object), with the core's code.
pub(crate) fn invalid_argument(msg: impl Into<String>) -> JwtError {
    jwt_core::Error::InvalidArgument(msg.into()).into()
}

/// Run `f`, turning a panic into `JwtError::Internal` so that no panic unwinds into the
/// JVM or Swift. The panic message is kept; it never contains key material because the
/// core never formats key material.
pub fn guard<T>(f: impl FnOnce() -> Result<T, JwtError>) -> Result<T, JwtError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(JwtError::Internal {
                code: INTERNAL_ERROR.to_owned(),
                detail: format!("internal error (a bug in jwt-core, please report): {what}"),
            })
        }
    }
}

/// Panics on purpose inside [`guard`]: lets the Kotlin and Swift tests prove that a Rust
/// panic arrives as a `JwtError` with code `internal_error` and the process survives.
/// Not part of the API; do not call it.
#[uniffi::export]
pub fn testing_panic_is_caught() -> Result<(), JwtError> {
    guard(|| panic!("deliberate panic from testing_panic_is_caught"))
}
