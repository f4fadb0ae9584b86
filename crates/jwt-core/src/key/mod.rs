//! Typed keys, each bound to exactly one [`Algorithm`] when it is made.
//!
//! There is no "a key" that a token's header could reinterpret: a [`VerifyingKey`] made
//! for `RS256` holds an RSA public key and can only ever check `RS256` signatures, so
//! the classic confusion attack (an RSA public key used as an HMAC secret) has nothing to
//! work with. [`SigningKey::hmac`] and [`VerifyingKey::hmac`] additionally refuse secrets
//! that look like asymmetric key material (PEM, DER, SSH, a JWK), whatever format they
//! arrive in.
//!
//! Secret material is held in zeroizing buffers and never appears in `Debug` output or in
//! error messages.
//!
//! The module is split along its seams: [`signing`] holds [`SigningKey`] (import,
//! generation, signing, private export), [`verifying`] holds [`VerifyingKey`] (import,
//! verification, public export), and [`policy`] the rules every key passes whatever its
//! form (family fit, HMAC secret length and the public-key-as-secret guard, RSA size and
//! ROCA, a JWK's `alg` against the caller's). What both key types share (the random
//! source, the HMAC digest choice, EC points in JWKs) is below.

use crate::alg::{Algorithm, Curve};
use crate::error::{Error, Result};
use crate::json;
use crate::jwk::Jwk;

mod mldsa;
mod policy;
mod signing;
mod verifying;

pub use policy::MIN_RSA_BITS;
pub use signing::SigningKey;
pub use verifying::VerifyingKey;

pub(super) fn rng() -> crate::backend::rand::SystemRandom {
    crate::backend::rand::SystemRandom::new()
}

pub(super) fn crypto_err(what: &str) -> Error {
    Error::Crypto(what.to_owned())
}
pub(super) fn ring_hmac(alg: Algorithm) -> crate::backend::hmac::Algorithm {
    match alg {
        Algorithm::HS384 => crate::backend::hmac::HMAC_SHA384,
        Algorithm::HS512 => crate::backend::hmac::HMAC_SHA512,
        _ => crate::backend::hmac::HMAC_SHA256,
    }
}
pub(super) fn ec_point_from_jwk(jwk: &Jwk, c: Curve) -> Result<Vec<u8>> {
    let x = jwk.bytes("x")?;
    let y = jwk.bytes("y")?;
    let len = c.coordinate_len();
    if x.len() != len || y.len() != len {
        return Err(Error::invalid_key(format_args!(
            "{} coordinates must be {len} bytes",
            c.jwk_name()
        )));
    }
    let mut p = Vec::with_capacity(1 + 2 * len);
    p.push(4);
    p.extend_from_slice(&x);
    p.extend_from_slice(&y);
    Ok(p)
}
pub(super) fn ec_jwk(c: Curve, point: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>> {
    let len = c.coordinate_len();
    if point.len() != 1 + 2 * len || point[0] != 4 {
        return Err(Error::invalid_key("EC point is not uncompressed"));
    }
    let mut m = serde_json::Map::new();
    m.insert("kty".into(), "EC".into());
    m.insert("crv".into(), c.jwk_name().into());
    m.insert("x".into(), json::b64_encode(&point[1..1 + len]).into());
    m.insert("y".into(), json::b64_encode(&point[1 + len..]).into());
    Ok(m)
}
