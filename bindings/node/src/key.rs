//! Keys: [`KeySet`] (verification keys, each bound to one algorithm) and key generation.
//!
//! The JS layer turns whatever the caller passed (a string, a Buffer, a JWK object, a
//! `crypto.KeyObject`) into one of these typed entry points; nothing here guesses a key's
//! family from its bytes: the algorithm is always given, and jwt-core refuses material of
//! another family (`key_algorithm_mismatch`).

use napi::Either;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::{Result, js_err, parse_alg};

/// Verification keys, each bound to one algorithm (`jwt_core::KeySet`).
#[napi]
#[derive(Debug, Default)]
pub struct KeySet {
    pub(crate) inner: jwt_core::KeySet,
}

/// The core's HMAC length policy for the JS layer's `allowShort` flag: the peers
/// (jsonwebtoken, fast-jwt) accept short secrets silently (`Allow`); no flag is the
/// core's default (`Refuse`). The one place the binding maps the flag.
pub(crate) fn hmac_policy(allow_short: bool) -> jwt_core::HmacPolicy {
    if allow_short {
        jwt_core::HmacPolicy::Allow
    } else {
        jwt_core::HmacPolicy::Refuse
    }
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
        let key = jwt_core::VerifyingKey::hmac_with_policy(
            parse_alg(&alg)?,
            &secret,
            hmac_policy(allow_short.unwrap_or(false)),
        )
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

    /// Add key material of any form (see [`key_info`]) once per allowed algorithm it
    /// fits (`algorithms` absent: every algorithm the core knows); an algorithm that
    /// refuses it is passed over, and the most specific error is thrown when none fits.
    /// `kid` names every key added (a JWK's own `kid` otherwise). Secrets shorter than
    /// the hash output are refused (`weak_key`) unless `allowShort`. Returns how many
    /// keys were added.
    #[napi]
    pub fn add_material(
        &mut self,
        material: Either<String, Buffer>,
        algorithms: Option<Vec<String>>,
        kid: Option<String>,
        allow_short: Option<bool>,
    ) -> Result<u32> {
        let loaded = jwt_core::KeySet::fitting(
            material_bytes(&material),
            &allowed(algorithms)?,
            hmac_policy(allow_short.unwrap_or(false)),
        )
        .map_err(js_err)?;
        let n = loaded.keys.len();
        for k in loaded.keys.keys() {
            self.inner.push(with_kid(k.clone(), kid.clone()));
        }
        Ok(n as u32)
    }

    /// Add every usable signature key of a JWK set (JSON text); a JWK without `alg` is
    /// bound to each of `defaultAlgs` that fits it (absent: every asymmetric algorithm;
    /// an `oct` key needs its own `alg`). Returns how many keys were added.
    #[napi]
    pub fn add_jwks(&mut self, jwks: String, default_algs: Option<Vec<String>>) -> Result<u32> {
        let algs = jwks_default_algs(default_algs)?;
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

/// Every signature algorithm this build of the core can use (`Algorithm::ALL` filtered by
/// `is_available`), in the core's stable order: a new algorithm appears here by itself.
fn all_algorithms() -> Vec<jwt_core::Algorithm> {
    jwt_core::Algorithm::ALL
        .iter()
        .copied()
        .filter(|a| a.is_available())
        .collect()
}

/// The algorithms named, or (none named) every one this build can use.
fn allowed(names: Option<Vec<String>>) -> Result<Vec<jwt_core::Algorithm>> {
    match names {
        Some(names) => names.iter().map(|a| parse_alg(a)).collect(),
        None => Ok(all_algorithms()),
    }
}

/// The algorithms a JWK set member without `alg` is bound to: the ones named, or (none
/// named) every asymmetric one (an `oct` key must name its own).
pub(crate) fn jwks_default_algs(names: Option<Vec<String>>) -> Result<Vec<jwt_core::Algorithm>> {
    match names {
        Some(_) => allowed(names),
        None => Ok(all_algorithms()
            .into_iter()
            .filter(|a| !a.is_symmetric())
            .collect()),
    }
}

/// Key material as bytes: a string is its UTF-8.
fn material_bytes(material: &Either<String, Buffer>) -> &[u8] {
    match material {
        Either::A(s) => s.as_bytes(),
        Either::B(b) => b,
    }
}

/// What the core makes of key material (see [`key_info`]).
#[napi(object)]
#[derive(Debug, Default)]
pub struct KeyInfo {
    /// `"secret"`, `"public"` or `"private"` (asked for as a signing key, and one).
    pub kind: String,
    /// The form the material was recognised as (`"secret"`, `"pem"`, `"der"`, `"jwk"`,
    /// `"jwks"`, `"openssh"`).
    pub form: String,
    /// Every algorithm the key fits, in the core's order (never chosen by a token).
    pub algorithms: Vec<String>,
    /// node:crypto's `asymmetricKeyType` for the key's family (`"rsa"`, `"ec"`,
    /// `"ed25519"`); absent for a secret.
    pub key_type: Option<String>,
    /// node:crypto's `namedCurve` of an EC key (`"prime256v1"`, `"secp384r1"`, ...).
    pub named_curve: Option<String>,
}

/// node:crypto's names for a key family: `(asymmetricKeyType, namedCurve)`.
fn node_names(family: jwt_core::KeyFamily) -> (Option<&'static str>, Option<&'static str>) {
    use jwt_core::{Curve, KeyFamily, MlDsaLevel};
    match family {
        KeyFamily::Rsa => (Some("rsa"), None),
        KeyFamily::Ec(c) => (
            Some("ec"),
            Some(match c {
                Curve::P256 => "prime256v1",
                Curve::P384 => "secp384r1",
                Curve::P521 => "secp521r1",
                Curve::Secp256k1 => "secp256k1",
            }),
        ),
        KeyFamily::Ed25519 => (Some("ed25519"), None),
        // Node 24's names for its own ML-DSA KeyObjects.
        KeyFamily::MlDsa(level) => (
            Some(match level {
                MlDsaLevel::MlDsa44 => "ml-dsa-44",
                MlDsaLevel::MlDsa65 => "ml-dsa-65",
                MlDsaLevel::MlDsa87 => "ml-dsa-87",
            }),
            None,
        ),
        KeyFamily::Hmac => (None, None),
    }
}

/// One signature algorithm this build can use (see [`algorithm_table`]).
#[napi(object)]
#[derive(Debug)]
pub struct AlgorithmEntry {
    /// The JOSE name (`"ES256"`, `"ML-DSA-65"`, ...).
    pub name: String,
    /// `"secret"` (HMAC) or `"asymmetric"`.
    pub kind: String,
    /// node:crypto's `asymmetricKeyType` of its keys; absent for HMAC.
    pub key_type: Option<String>,
    /// node:crypto's `namedCurve` of its EC keys.
    pub named_curve: Option<String>,
}

/// Every signature algorithm this build of the core can use, in the core's order, with
/// the names node:crypto gives its keys: the JS layer's algorithm lists come from here.
#[napi]
pub fn algorithm_table() -> Vec<AlgorithmEntry> {
    all_algorithms()
        .into_iter()
        .map(|a| {
            let (t, c) = node_names(a.family());
            AlgorithmEntry {
                name: a.as_str().to_owned(),
                kind: if a.is_symmetric() {
                    "secret"
                } else {
                    "asymmetric"
                }
                .to_owned(),
                key_type: t.map(str::to_owned),
                named_curve: c.map(str::to_owned),
            }
        })
        .collect()
}

/// What the core makes of key material of any form (a secret, PEM, DER, a JWK as JSON
/// text, a JWK set, an OpenSSH line): every algorithm it fits (the core's
/// `KeySet::fitting`, short secrets allowed: the length policy is the caller's when it
/// binds the key), its kind and family. With `private`, the material must also load as a
/// signing key (a public key or an encrypted one is refused as it would be later).
#[napi]
pub fn key_info(material: Either<String, Buffer>, private: bool) -> Result<KeyInfo> {
    let bytes = material_bytes(&material);
    let loaded = jwt_core::KeySet::fitting(bytes, &all_algorithms(), jwt_core::HmacPolicy::Allow)
        .map_err(js_err)?;
    let mut info = KeyInfo {
        form: loaded.form.as_str().to_owned(),
        ..KeyInfo::default()
    };
    for k in loaded.keys.keys() {
        let a = k.algorithm().as_str();
        if !info.algorithms.iter().any(|x| x == a) {
            info.algorithms.push(a.to_owned());
        }
    }
    let first = loaded.keys.keys().first().map(|k| k.algorithm());
    info.kind = match first {
        Some(a) if a.is_symmetric() => "secret",
        Some(a) if private => {
            jwt_core::SigningKey::from_material(bytes, Some(a)).map_err(js_err)?;
            "private"
        }
        _ => "public",
    }
    .to_owned();
    if let Some(a) = first {
        let (t, c) = node_names(a.family());
        info.key_type = t.map(str::to_owned);
        info.named_curve = c.map(str::to_owned);
    }
    Ok(info)
}

/// The algorithms of [`key_info`].
#[napi]
pub fn key_algorithms(material: Either<String, Buffer>, private: bool) -> Result<Vec<String>> {
    Ok(key_info(material, private)?.algorithms)
}

/// The kind of key an algorithm needs: `"secret"` (HMAC) or `"asymmetric"`; `null` for
/// `none` and names the core does not know.
#[napi]
pub fn algorithm_key_kind(alg: String) -> Option<String> {
    let alg: jwt_core::Algorithm = alg.parse().ok()?;
    Some(
        if alg.is_symmetric() {
            "secret"
        } else {
            "asymmetric"
        }
        .to_owned(),
    )
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
