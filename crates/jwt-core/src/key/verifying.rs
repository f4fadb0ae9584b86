//! [`VerifyingKey`]: public (or secret, for HMAC) keys bound to one algorithm: import
//! from PEM, DER, certificates, raw points and JWK, verification, public export.

use std::fmt;
use std::sync::Arc;

use crate::backend::signature as rsig;
use zeroize::Zeroizing;

use super::mldsa::MlDsaVerifier;
use super::policy::{
    bind_kind, check_family, check_hmac, check_rebind, check_rsa_size, jwk_algorithm,
};
use super::{SigningKey, ec_jwk, ec_point_from_jwk, ring_hmac};
use crate::alg::{Algorithm, Curve, KeyFamily, MlDsaLevel};
use crate::backend::{Ed25519Verifier, PublicKey};
use crate::der::{self, KeyKind};
use crate::error::{Error, Result};
use crate::json;
use crate::jwk::Jwk;
use crate::material::HmacPolicy;

/// A public (or secret, for HMAC) key bound to one algorithm, ready to verify.
///
/// Cheap to clone (the parsed key is shared).
#[derive(Clone)]
pub struct VerifyingKey {
    pub(super) alg: Algorithm,
    pub(super) kid: Option<String>,
    pub(super) inner: Arc<VerifyInner>,
}

/// The parsed public key (or secret); [`SigningKey::verifying_key`] builds one too.
// aws-lc-rs's HMAC key holds AWS-LC's whole HMAC context (~1.2 KB); the enum already
// lives behind one `Arc` per key, so boxing it would only add a pointer chase to every
// HMAC signature.
#[allow(clippy::large_enum_variant)]
pub(super) enum VerifyInner {
    Hmac {
        key: crate::backend::hmac::Key,
        secret: Zeroizing<Vec<u8>>,
    },
    /// PKCS#1 RSAPublicKey DER (what the backend takes) bound to the key's padding and
    /// hash, plus n and e for export.
    Rsa {
        key: PublicKey,
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// Uncompressed SEC1 point (P-256, P-384 via the backend).
    Ecdsa { curve: Curve, key: PublicKey },
    P521 {
        key: p521::ecdsa::VerifyingKey,
        point: Vec<u8>,
    },
    K256 {
        key: k256::ecdsa::VerifyingKey,
        point: Vec<u8>,
    },
    Ed25519 {
        public: [u8; 32],
        /// The fastest Ed25519 of the backend (see `backend::Ed25519Verifier`).
        fast: Ed25519Verifier,
    },
    /// ML-DSA-44/65/87 (aws-lc builds only; see `key::mldsa`).
    MlDsa(MlDsaVerifier),
}
impl VerifyInner {
    /// An RSA public key (PKCS#1 DER) bound to `alg`'s padding and hash.
    pub(super) fn rsa(alg: Algorithm, der: Vec<u8>, n: Vec<u8>, e: Vec<u8>) -> Self {
        let params: &'static rsig::RsaParameters = match alg {
            Algorithm::RS256 => &rsig::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::RS384 => &rsig::RSA_PKCS1_2048_8192_SHA384,
            Algorithm::RS512 => &rsig::RSA_PKCS1_2048_8192_SHA512,
            Algorithm::PS256 => &rsig::RSA_PSS_2048_8192_SHA256,
            Algorithm::PS384 => &rsig::RSA_PSS_2048_8192_SHA384,
            _ => &rsig::RSA_PSS_2048_8192_SHA512,
        };
        VerifyInner::Rsa {
            key: PublicKey::new(params, der),
            n,
            e,
        }
    }

    /// A P-256 or P-384 public point (JWS signatures are fixed-length r||s).
    pub(super) fn ecdsa(curve: Curve, point: Vec<u8>) -> Self {
        let alg: &'static rsig::EcdsaVerificationAlgorithm = match curve {
            Curve::P384 => &rsig::ECDSA_P384_SHA384_FIXED,
            _ => &rsig::ECDSA_P256_SHA256_FIXED,
        };
        VerifyInner::Ecdsa {
            curve,
            key: PublicKey::new(alg, point),
        }
    }
}
impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("VerifyingKey");
        d.field("alg", &self.alg).field("kid", &self.kid);
        if self.alg.is_symmetric() {
            d.field("material", &"<redacted>");
        }
        d.finish()
    }
}
impl VerifyingKey {
    /// An HMAC verification key from raw secret bytes. Refuses secrets shorter than the
    /// hash output ([`Error::WeakKey`]); see [`VerifyingKey::hmac_allow_short`].
    pub fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Self> {
        Self::hmac_inner(alg, secret, false)
    }

    /// Like [`VerifyingKey::hmac`] but accepts secrets shorter than the hash output, for
    /// verifying tokens from legacy issuers. Signing with such secrets stays refused.
    pub fn hmac_allow_short(alg: Algorithm, secret: &[u8]) -> Result<Self> {
        Self::hmac_inner(alg, secret, true)
    }

    /// [`VerifyingKey::hmac`] with the caller's rule for secrets shorter than the hash
    /// output: [`HmacPolicy::Refuse`] is [`VerifyingKey::hmac`], `Warn` and `Allow`
    /// accept them ([`VerifyingKey::hmac_allow_short`]); a key carries no warnings
    /// (`KeySet::from_material` reports them). The one place a binding's "allow short
    /// secrets" option becomes a key.
    ///
    /// ```
    /// use jwt_core::{Algorithm, HmacPolicy, VerifyingKey};
    /// let err = VerifyingKey::hmac_with_policy(Algorithm::HS256, b"secret", HmacPolicy::Refuse).unwrap_err();
    /// assert_eq!(err.code(), "weak_key");
    /// let key = VerifyingKey::hmac_with_policy(Algorithm::HS256, b"secret", HmacPolicy::Warn)?;
    /// assert_eq!(key.algorithm(), Algorithm::HS256);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn hmac_with_policy(alg: Algorithm, secret: &[u8], policy: HmacPolicy) -> Result<Self> {
        Self::hmac_inner(alg, secret, policy != HmacPolicy::Refuse)
    }

    fn hmac_inner(alg: Algorithm, secret: &[u8], allow_short: bool) -> Result<Self> {
        check_hmac(alg, secret, allow_short)?;
        Ok(Self::from_inner(
            alg,
            VerifyInner::Hmac {
                key: crate::backend::hmac::Key::new(ring_hmac(alg), secret),
                secret: Zeroizing::new(secret.to_vec()),
            },
        ))
    }

    /// A public key from PEM (`PUBLIC KEY` SPKI, `RSA PUBLIC KEY` PKCS#1 or an X.509
    /// `CERTIFICATE`, whose SubjectPublicKeyInfo is used; its signature, chain and
    /// validity dates are not checked). A private key PEM is also accepted: its public
    /// half is used. An OpenSSH public-key line is accepted too
    /// ([`VerifyingKey::from_openssh`]), as PyJWT does.
    pub fn from_pem(alg: Algorithm, pem: impl AsRef<[u8]>) -> Result<Self> {
        Self::pem_as(Some(alg), pem.as_ref())
    }

    /// [`VerifyingKey::from_pem`] bound to `alg`, or (none) to the first algorithm of
    /// the key's own family: the one parse `KeySet::from_material` rebinds from.
    pub(crate) fn pem_as(alg: Option<Algorithm>, pem: &[u8]) -> Result<Self> {
        if crate::openssh::looks_like_line(pem) {
            return Self::openssh_as(alg, pem);
        }
        let blocks = der::parse_pem(pem)?;
        for b in &blocks {
            match b.label.as_str() {
                "PUBLIC KEY" => return Self::from_spki(alg, &b.der),
                "RSA PUBLIC KEY" => {
                    return Self::from_rsa_public(bind_kind(alg, KeyKind::Rsa)?, &b.der);
                }
                "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
                    return Ok(SigningKey::pem_as(alg, pem)?.verifying_key());
                }
                "CERTIFICATE" => {
                    return Self::from_spki(alg, crate::x509::certificate_spki(&b.der)?);
                }
                _ => continue,
            }
        }
        Err(Error::invalid_key("no public key PEM block found"))
    }

    /// A public key from DER: SubjectPublicKeyInfo, an X.509 certificate (its
    /// SubjectPublicKeyInfo is used; validity dates are not a key check), or PKCS#1
    /// RSAPublicKey for RSA.
    pub fn from_der(alg: Algorithm, der_bytes: &[u8]) -> Result<Self> {
        Self::der_as(Some(alg), der_bytes)
    }

    /// [`VerifyingKey::from_der`] bound to `alg`, or (none) to the key's own family.
    pub(crate) fn der_as(alg: Option<Algorithm>, der_bytes: &[u8]) -> Result<Self> {
        if alg.is_some_and(Algorithm::is_symmetric) {
            return Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use VerifyingKey::hmac".into(),
            ));
        }
        if der::parse_spki(der_bytes).is_ok() {
            return Self::from_spki(alg, der_bytes);
        }
        if alg.is_none_or(|a| a.family() == KeyFamily::Rsa)
            && der::parse_rsa_public(der_bytes).is_ok()
        {
            return Self::from_rsa_public(bind_kind(alg, KeyKind::Rsa)?, der_bytes);
        }
        if let Ok(spki) = crate::x509::certificate_spki(der_bytes) {
            return Self::from_spki(alg, spki);
        }
        Err(Error::invalid_key("expected SubjectPublicKeyInfo DER"))
    }

    /// The same key bound to `alg` of its family, without parsing it again (an RSA key
    /// takes `alg`'s padding and hash; the other families share the parsed key).
    /// [`Error::KeyAlgorithmMismatch`] when `alg` is of another family.
    pub(crate) fn rebind(&self, alg: Algorithm) -> Result<Self> {
        if alg == self.alg {
            return Ok(self.clone());
        }
        check_rebind(self.alg, alg)?;
        let inner = match &*self.inner {
            VerifyInner::Rsa { key, n, e } => Arc::new(VerifyInner::rsa(
                alg,
                key.bytes().to_vec(),
                n.clone(),
                e.clone(),
            )),
            _ => Arc::clone(&self.inner),
        };
        Ok(VerifyingKey {
            alg,
            kid: self.kid.clone(),
            inner,
        })
    }

    /// A public key from raw parts: the uncompressed SEC1 point for EC, the 32-byte key
    /// for Ed25519, the FIPS 204 encoded public key (the AKP `pub`) for ML-DSA.
    pub fn from_public_bytes(alg: Algorithm, public: &[u8]) -> Result<Self> {
        match alg.family() {
            KeyFamily::Ec(c) => Self::from_ec_point(alg, c, public),
            KeyFamily::Ed25519 => Self::from_ed25519(alg, public),
            KeyFamily::MlDsa(l) => Self::from_mldsa(alg, l, public),
            KeyFamily::Rsa => Self::from_rsa_public(alg, public),
            KeyFamily::Hmac => Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use VerifyingKey::hmac".into(),
            )),
        }
    }

    fn from_spki(alg: impl Into<Option<Algorithm>>, spki: &[u8]) -> Result<Self> {
        let (kind, bits) = der::parse_spki(spki)?;
        let alg = bind_kind(alg.into(), kind)?;
        match kind {
            KeyKind::Rsa => Self::from_rsa_public(alg, bits),
            KeyKind::Ec(c) => Self::from_ec_point(alg, c, bits),
            KeyKind::Ed25519 => Self::from_ed25519(alg, bits),
            KeyKind::MlDsa(l) => Self::from_mldsa(alg, l, bits),
        }
    }

    fn from_mldsa(alg: Algorithm, level: MlDsaLevel, public: &[u8]) -> Result<Self> {
        check_family(alg, KeyKind::MlDsa(level))?;
        Ok(Self::from_inner(
            alg,
            VerifyInner::MlDsa(MlDsaVerifier::new(level, public)?),
        ))
    }

    fn from_rsa_public(alg: Algorithm, pkcs1: &[u8]) -> Result<Self> {
        check_family(alg, KeyKind::Rsa)?;
        let (n, e) = der::parse_rsa_public(pkcs1)?;
        Self::from_rsa_parts(alg, n, e)
    }

    fn from_rsa_parts(alg: Algorithm, n: &[u8], e: &[u8]) -> Result<Self> {
        check_rsa_size(n)?;
        let skip = n.iter().take_while(|b| **b == 0).count();
        let n = &n[skip..];
        let skip = e.iter().take_while(|b| **b == 0).count();
        let e = &e[skip..];
        if e.is_empty() || e.len() > 4 || e[e.len() - 1] & 1 == 0 || (e.len() == 1 && e[0] < 3) {
            return Err(Error::invalid_key("unsupported RSA public exponent"));
        }
        Ok(Self::from_inner(
            alg,
            VerifyInner::rsa(alg, der::build_rsa_public(n, e), n.to_vec(), e.to_vec()),
        ))
    }

    fn from_ec_point(alg: Algorithm, c: Curve, point: &[u8]) -> Result<Self> {
        check_family(alg, KeyKind::Ec(c))?;
        let len = c.coordinate_len();
        if point.len() != 1 + 2 * len || point[0] != 4 {
            return Err(Error::invalid_key(
                "EC public keys must be uncompressed points",
            ));
        }
        let bad = |_| Error::invalid_key("EC point is not on the curve");
        let inner = match c {
            Curve::P256 | Curve::P384 => {
                // The backend checks the point is on the curve (an off-curve point never
                // verifies anything).
                VerifyInner::ecdsa(c, point.to_vec())
            }
            Curve::P521 => VerifyInner::P521 {
                key: p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?,
                point: point.to_vec(),
            },
            Curve::Secp256k1 => VerifyInner::K256 {
                key: k256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(bad)?,
                point: point.to_vec(),
            },
        };
        Ok(Self::from_inner(alg, inner))
    }

    fn from_ed25519(alg: Algorithm, public: &[u8]) -> Result<Self> {
        check_family(alg, KeyKind::Ed25519)?;
        let public: [u8; 32] = public
            .try_into()
            .map_err(|_| Error::invalid_key("Ed25519 public keys are 32 bytes"))?;
        let fast = Ed25519Verifier::new(&public);
        Ok(Self::from_inner(alg, VerifyInner::Ed25519 { public, fast }))
    }

    /// A key from a JWK. Public JWKs are the norm; a private JWK is accepted and only its
    /// public members are used (for `oct`, the secret).
    ///
    /// `alg` is taken from the JWK, or from `requested` when the JWK has none; the two
    /// must agree. `use` and `key_ops` must allow verification. The JWK's `kid` is kept.
    pub fn from_jwk(jwk: &Jwk, requested: Option<Algorithm>) -> Result<Self> {
        Self::from_jwk_with(jwk, requested, false)
    }

    /// [`VerifyingKey::from_jwk`], accepting a short `oct` secret when `allow_short` (the
    /// caller's HMAC policy, see `KeySet::from_material`).
    pub(crate) fn from_jwk_with(
        jwk: &Jwk,
        requested: Option<Algorithm>,
        allow_short: bool,
    ) -> Result<Self> {
        let alg = jwk_algorithm(jwk, requested)?;
        jwk.check_usage("verify")?;
        let key = match alg.family() {
            KeyFamily::Hmac => {
                Self::hmac_inner(alg, &Zeroizing::new(jwk.bytes("k")?), allow_short)?
            }
            KeyFamily::Rsa => Self::from_rsa_parts(alg, &jwk.bytes("n")?, &jwk.bytes("e")?)?,
            KeyFamily::Ec(c) => Self::from_ec_point(alg, c, &ec_point_from_jwk(jwk, c)?)?,
            KeyFamily::Ed25519 => Self::from_ed25519(alg, &jwk.bytes("x")?)?,
            KeyFamily::MlDsa(l) => Self::from_mldsa(alg, l, &jwk.bytes("pub")?)?,
        };
        Ok(match jwk.kid() {
            Some(kid) => key.with_kid(kid),
            None => key,
        })
    }

    fn from_inner(alg: Algorithm, inner: VerifyInner) -> Self {
        VerifyingKey {
            alg,
            kid: None,
            inner: Arc::new(inner),
        }
    }

    /// The same key with a `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The PKCS#1 RSAPublicKey DER of an RSA key (for RSA-OAEP JWE keys).
    #[cfg(feature = "aws-lc")]
    pub(crate) fn rsa_pkcs1(&self) -> Option<&[u8]> {
        match &*self.inner {
            VerifyInner::Rsa { key, .. } => Some(key.bytes()),
            _ => None,
        }
    }

    /// For an HMAC key, the secret's length in bytes (for the short-secret warning).
    pub(crate) fn hmac_secret_len(&self) -> Option<usize> {
        match &*self.inner {
            VerifyInner::Hmac { secret, .. } => Some(secret.len()),
            _ => None,
        }
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Check a JWS signature over `msg`. Any failure, including a signature of the wrong
    /// length or a DER-encoded ECDSA signature, is [`Error::InvalidSignature`].
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<()> {
        let ok = match &*self.inner {
            VerifyInner::Hmac { key, .. } => crate::backend::hmac::verify(key, msg, sig).is_ok(),
            VerifyInner::Rsa { key, .. } | VerifyInner::Ecdsa { key, .. } => key.verify(msg, sig),
            VerifyInner::P521 { key, .. } => {
                use p521::ecdsa::signature::Verifier as _;
                sig.len() == 132
                    && p521::ecdsa::Signature::from_slice(sig)
                        .is_ok_and(|s| key.verify(msg, &s).is_ok())
            }
            VerifyInner::K256 { key, .. } => {
                use k256::ecdsa::signature::Verifier as _;
                // JWS does not require low-S; normalise so both encodings of a valid
                // signature verify, as ECDSA itself defines.
                sig.len() == 64
                    && k256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| {
                        let s = s.normalize_s();
                        key.verify(msg, &s).is_ok()
                    })
            }
            VerifyInner::Ed25519 { fast, .. } => fast.verify(msg, sig),
            VerifyInner::MlDsa(key) => key.verify(msg, sig),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidSignature)
        }
    }

    /// The public JWK with `kty`, key members, `alg`, `use: sig` and `kid` (if any).
    /// Never contains private members. HMAC keys have no public JWK: an error.
    pub fn to_jwk(&self) -> Result<Jwk> {
        let mut m = match &*self.inner {
            VerifyInner::Hmac { .. } => {
                return Err(Error::InvalidArgument(
                    "an HMAC key has no public JWK".into(),
                ));
            }
            VerifyInner::Rsa { n, e, .. } => {
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "RSA".into());
                m.insert("n".into(), json::b64_encode(n).into());
                m.insert("e".into(), json::b64_encode(e).into());
                m
            }
            VerifyInner::Ecdsa { curve, key } => ec_jwk(*curve, key.bytes())?,
            VerifyInner::P521 { point, .. } => ec_jwk(Curve::P521, point)?,
            VerifyInner::K256 { point, .. } => ec_jwk(Curve::Secp256k1, point)?,
            VerifyInner::Ed25519 { public, .. } => {
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "OKP".into());
                m.insert("crv".into(), "Ed25519".into());
                m.insert("x".into(), json::b64_encode(public).into());
                m
            }
            VerifyInner::MlDsa(key) => super::mldsa::public_jwk(key.public()),
        };
        m.insert("alg".into(), self.alg.as_str().into());
        m.insert("use".into(), "sig".into());
        if let Some(kid) = &self.kid {
            m.insert("kid".into(), kid.clone().into());
        }
        Jwk::from_map(m)
    }

    /// The public key as SPKI PEM (`PUBLIC KEY`).
    pub fn to_pem(&self) -> Result<String> {
        let (kind, public): (KeyKind, &[u8]) = match &*self.inner {
            VerifyInner::Hmac { .. } => {
                return Err(Error::InvalidArgument(
                    "HMAC secrets have no PEM form".into(),
                ));
            }
            VerifyInner::Rsa { key, .. } => (KeyKind::Rsa, key.bytes()),
            VerifyInner::Ecdsa { curve, key } => (KeyKind::Ec(*curve), key.bytes()),
            VerifyInner::P521 { point, .. } => (KeyKind::Ec(Curve::P521), point),
            VerifyInner::K256 { point, .. } => (KeyKind::Ec(Curve::Secp256k1), point),
            VerifyInner::Ed25519 { public, .. } => (KeyKind::Ed25519, public),
            VerifyInner::MlDsa(key) => (KeyKind::MlDsa(key.level()), key.public()),
        };
        Ok(der::to_pem("PUBLIC KEY", &der::build_spki(kind, public)))
    }

    /// RFC 7638 thumbprint (base64url SHA-256).
    pub fn thumbprint(&self) -> Result<String> {
        match &*self.inner {
            VerifyInner::Hmac { secret, .. } => {
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "oct".into());
                m.insert("k".into(), json::b64_encode(&secret[..]).into());
                Jwk::from_map(m)?.thumbprint()
            }
            _ => self.to_jwk()?.thumbprint(),
        }
    }
}
