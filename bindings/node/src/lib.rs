//! The native half of `@jwt-core/node`: thin napi-rs newtypes over jwt-core.
//!
//! The JavaScript half (`jwt.cjs`) holds the jsonwebtoken/fast-jwt option names and the
//! error classes; every JOSE decision is made by jwt-core. Two rules keep calls cheap:
//!
//! - the verified claims come back as their JSON text, one string for one `JSON.parse`,
//!   never property by property; option objects (`#[napi(object)]`, typed in the
//!   generated `index.d.ts`) are read once, when a verifier is built;
//! - anything expensive (parsing keys, the validation rules, the header prefix) is done
//!   once in a constructor and reused by every call.
//!
//! Errors are thrown as JS `Error`s whose `code` is the core's stable code
//! ([`Code`], set by napi-rs) and whose message is the core's; the JS layer maps the code
//! to its error classes without reading the message. No panic crosses the boundary:
//! napi-rs turns one into a JS exception, and nothing here unwraps on input.
//!
//! Modules mirror the core: [`key`] (keys and key sets), [`sign`], [`verify`], [`jwe`],
//! [`jwks`] (the remote JWK set refresh policy).

#![deny(missing_docs)]

pub mod jwe;
pub mod jwks;
pub mod key;
pub mod sign;
pub mod verify;

use napi::{Env, JsError};
use napi_derive::napi;

/// A jwt-core error code as the status of a napi error: napi-rs throws the error with
/// this string as its `code` property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code(pub &'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

/// What the exported functions return: on failure a JS `Error` with the core's `code`.
pub type Result<T> = std::result::Result<T, napi::Error<Code>>;

/// A core error as a napi error: `code` the stable code, the message the core's.
pub(crate) fn js_err(e: jwt_core::Error) -> napi::Error<Code> {
    napi::Error::new(Code(e.code()), e.to_string())
}

/// An `invalid_argument` error raised by the binding itself (bad option values).
pub(crate) fn arg_err(msg: impl std::fmt::Display) -> napi::Error<Code> {
    js_err(jwt_core::Error::InvalidArgument(msg.to_string()))
}

/// A core error as the value an async task rejects with (the same JS `Error`, `code` set).
pub(crate) fn rejection(env: Env, e: jwt_core::Error) -> napi::Error {
    napi::Error::from(JsError::from(js_err(e)).into_unknown(env))
}

/// Parse an algorithm name (`none` in any spelling is `unsupported_algorithm`).
pub(crate) fn parse_alg(name: &str) -> Result<jwt_core::Algorithm> {
    name.parse().map_err(js_err)
}

/// Every stable error code of jwt-core, with its one-line description, in a stable order.
#[napi]
pub fn error_codes() -> Vec<Vec<String>> {
    jwt_core::Error::ALL_CODES
        .iter()
        .map(|(c, d)| vec![(*c).to_owned(), (*d).to_owned()])
        .collect()
}

/// The header and claims of a compact JWT, NOT verified, as the JSON text
/// `[header, claims]`. Strict parsing still applies (errors carry codes).
#[napi]
pub fn decode_unverified(token: String) -> Result<String> {
    let t = jwt_core::unverified::decode(&token).map_err(js_err)?;
    let claims = serde_json::to_string(&t.claims).map_err(arg_err)?;
    Ok(format!("[{},{}]", t.header.to_json(), claims))
}

/// The largest JWK set document jwt-core parses (bytes): a remote set's body is read
/// only up to this size.
#[napi]
pub fn max_jwks_bytes() -> u32 {
    jwt_core::MAX_JWKS_BYTES as u32
}
