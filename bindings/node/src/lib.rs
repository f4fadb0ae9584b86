//! The native half of `@jwt-core/node`: thin napi-rs newtypes over jwt-core.
//!
//! The JavaScript half (`jwt.cjs`) holds the jsonwebtoken/fast-jwt option names and the
//! error classes; every JOSE decision is made by jwt-core. Two rules keep calls cheap:
//!
//! - objects cross the boundary as JSON text: the verified claims come back as one string
//!   for one `JSON.parse`, options go in as one string parsed once when a verifier is
//!   built, never property by property per call;
//! - anything expensive (parsing keys, the validation rules, the header prefix) is done
//!   once in a constructor and reused by every call.
//!
//! Errors are thrown as `Error("<code>: <message>")`; the JS layer splits off the stable
//! jwt-core code and rethrows the matching error class. No panic crosses the boundary:
//! napi-rs turns one into a JS exception, and nothing here unwraps on input.
//!
//! Modules mirror the core: [`key`] (keys and key sets), [`sign`], [`verify`], [`jwe`].

#![deny(missing_docs)]

pub mod jwe;
pub mod key;
pub mod sign;
pub mod verify;

use napi::Status;
use napi_derive::napi;

/// Turn a core error into a JS exception whose message starts with the stable code.
pub(crate) fn js_err(e: jwt_core::Error) -> napi::Error {
    napi::Error::new(Status::GenericFailure, format!("{}: {}", e.code(), e))
}

/// An `invalid_argument` error raised by the binding itself (bad option values).
pub(crate) fn arg_err(msg: impl std::fmt::Display) -> napi::Error {
    js_err(jwt_core::Error::InvalidArgument(msg.to_string()))
}

/// Parse an algorithm name (`none` in any spelling is `unsupported_algorithm`).
pub(crate) fn parse_alg(name: &str) -> napi::Result<jwt_core::Algorithm> {
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
pub fn decode_unverified(token: String) -> napi::Result<String> {
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
