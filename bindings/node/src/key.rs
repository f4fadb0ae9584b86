//! Keys: [`KeySet`] (verification keys, each bound to one algorithm) and key generation.
//!
//! The JS layer turns whatever the caller passed (a string, a Buffer, a JWK object, a
//! `crypto.KeyObject`) into one of these typed entry points; nothing here guesses a key's
//! family from its bytes: the algorithm is always given, and jwt-core refuses material of
//! another family (`key_algorithm_mismatch`).

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::{Result, js_err, parse_alg};

/// Verification keys, each bound to one algorithm (`jwt_core::KeySet`).
#[napi]
#[derive(Debug, Default)]
pub struct KeySet {
    pub(crate) inner: jwt_core::KeySet,
}

fn with_kid(k: jwt_core::VerifyingKey, kid: Option<String>) -> jwt_core::VerifyingKey {
    match kid {
        Some(kid) => k.with_kid(kid),
        None => k,
    }
}

#[napi]
impl KeySet {
    /// An empty key set.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Add an HMAC secret for `alg`. Secrets shorter than the hash output are refused
    /// (`weak_key`) unless `allowShort` (verification of legacy tokens only).
    #[napi]
    pub fn add_secret(
        &mut self,
        alg: String,
        secret: Buffer,
        kid: Option<String>,
        allow_short: Option<bool>,
    ) -> Result<()> {
        let alg = parse_alg(&alg)?;
        let key = if allow_short.unwrap_or(false) {
            jwt_core::VerifyingKey::hmac_allow_short(alg, &secret)
        } else {
            jwt_core::VerifyingKey::hmac(alg, &secret)
        }
        .map_err(js_err)?;
        self.inner.push(with_kid(key, kid));
        Ok(())
    }

    /// Add a public key from PEM (SPKI or PKCS#1; a private key PEM gives its public half).
    #[napi]
    pub fn add_pem(&mut self, alg: String, pem: String, kid: Option<String>) -> Result<()> {
        let key = jwt_core::VerifyingKey::from_pem(parse_alg(&alg)?, pem).map_err(js_err)?;
        self.inner.push(with_kid(key, kid));
        Ok(())
    }

    /// Add a public key from DER (SubjectPublicKeyInfo, or PKCS#1 for RSA).
    #[napi]
    pub fn add_der(&mut self, alg: String, der: Buffer, kid: Option<String>) -> Result<()> {
        let key = jwt_core::VerifyingKey::from_der(parse_alg(&alg)?, &der).map_err(js_err)?;
        self.inner.push(with_kid(key, kid));
        Ok(())
    }

    /// Add a key from a JWK (JSON text). Its `alg`, `use`, `key_ops` and `kid` apply;
    /// `alg` is used when the JWK has none (the two must agree).
    #[napi]
    pub fn add_jwk(&mut self, jwk: String, alg: Option<String>) -> Result<()> {
        let jwk = jwt_core::Jwk::from_json(jwk).map_err(js_err)?;
        let alg = alg.as_deref().map(parse_alg).transpose()?;
        let key = jwt_core::VerifyingKey::from_jwk(&jwk, alg).map_err(js_err)?;
        self.inner.push(key);
        Ok(())
    }

    /// Add every usable signature key of a JWK set (JSON text); a JWK without `alg` is
    /// bound to each of `defaultAlgs` that fits it. Returns how many keys were added.
    #[napi]
    pub fn add_jwks(&mut self, jwks: String, default_algs: Vec<String>) -> Result<u32> {
        let algs = default_algs
            .iter()
            .map(|a| parse_alg(a))
            .collect::<Result<Vec<_>>>()?;
        let set = jwt_core::KeySet::from_jwks_json(jwks, &algs).map_err(js_err)?;
        let n = set.len();
        for k in set.keys() {
            self.inner.push(k.clone());
        }
        Ok(n as u32)
    }

    /// Number of keys.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    /// The distinct algorithms of the keys, in order of first appearance.
    #[napi]
    pub fn algorithms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for k in self.inner.keys() {
            let a = k.algorithm().as_str();
            if !out.iter().any(|x| x == a) {
                out.push(a.to_owned());
            }
        }
        out
    }

    /// The public JWK set of the asymmetric keys, as JSON text.
    #[napi]
    pub fn to_public_jwks(&self) -> Result<String> {
        Ok(self.inner.to_public_jwks().map_err(js_err)?.to_json())
    }
}

/// Every asymmetric algorithm, in the order [`key_algorithms`] reports them.
const ASYMMETRIC: &[&str] = &[
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "ES256K",
    "EdDSA", "Ed25519",
];

/// The algorithms the core accepts the PEM `pem` for: as a signing key when `private`,
/// else as a verification key (SPKI, PKCS#1, X.509 certificate). The core's
/// `KeySet::from_material` decides (the form from the content, each allowed algorithm
/// the key fits, the most specific error when none does); a private key is then loaded
/// for signing too, so a public key or an encrypted one is refused as it would be later.
#[napi]
pub fn key_algorithms(pem: String, private: bool) -> Result<Vec<String>> {
    let all = ASYMMETRIC
        .iter()
        .map(|a| parse_alg(a))
        .collect::<Result<Vec<_>>>()?;
    let loaded =
        jwt_core::KeySet::from_material(pem.as_bytes(), &all, jwt_core::HmacPolicy::Refuse)
            .map_err(js_err)?;
    let mut fits: Vec<jwt_core::Algorithm> = Vec::new();
    for k in loaded.keys.keys() {
        if !fits.contains(&k.algorithm()) {
            fits.push(k.algorithm());
        }
    }
    match fits.first() {
        Some(&first) if private => {
            jwt_core::SigningKey::from_material(pem.as_bytes(), Some(first)).map_err(js_err)?;
        }
        _ => {}
    }
    Ok(fits.iter().map(|a| a.as_str().to_owned()).collect())
}

/// A fresh key for `alg`: `[privateJwk, publicJwk]` as JSON text (for HMAC the two are the
/// same `oct` JWK). The JWK carries `alg` and an RFC 7638 thumbprint `kid`.
#[napi]
pub fn generate_key(alg: String) -> Result<Vec<String>> {
    let key = jwt_core::SigningKey::generate(parse_alg(&alg)?)
        .and_then(|k| k.with_thumbprint_kid())
        .map_err(js_err)?;
    let private = key.to_private_jwk().map_err(js_err)?.to_json();
    let public = if key.algorithm().is_symmetric() {
        private.clone()
    } else {
        key.to_public_jwk().map_err(js_err)?.to_json()
    };
    Ok(vec![private, public])
}
