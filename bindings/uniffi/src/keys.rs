//! Keys: [`SigningKey`], [`VerifyingKey`] and [`KeySet`], each bound to one algorithm at
//! construction exactly as in the core (`jwt_core::SigningKey` etc.). Import from PEM,
//! DER, JWK or raw secrets; generate; export public JWKs, JWK sets, PEM; thumbprints.

use std::sync::Arc;

use crate::Algorithm;
use crate::error::{JwtError, guard};

/// A private key (or HMAC secret) bound to one algorithm. Immutable; share freely.
#[derive(Debug, uniffi::Object)]
pub struct SigningKey(pub(crate) jwt_core::SigningKey);

#[uniffi::export]
impl SigningKey {
    /// An HMAC secret. Shorter than the hash output fails with `weak_key`.
    #[uniffi::constructor]
    pub fn hmac(alg: Algorithm, secret: Vec<u8>) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::SigningKey::hmac(alg, &secret)?))))
    }

    /// A private key from PEM (PKCS#8, PKCS#1 RSA, SEC1 EC).
    #[uniffi::constructor]
    pub fn from_pem(alg: Algorithm, pem: String) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::SigningKey::from_pem(alg, pem)?))))
    }

    /// A private key from DER (PKCS#8, PKCS#1 RSA, SEC1 EC).
    #[uniffi::constructor]
    pub fn from_der(alg: Algorithm, der: Vec<u8>) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::SigningKey::from_der(alg, &der)?))))
    }

    /// A private JWK (or an `oct` JWK). `alg` is taken from the JWK, or from `alg` when
    /// the JWK has none; the two must agree. `use`/`key_ops` must allow signing.
    #[uniffi::constructor(default(alg = None))]
    pub fn from_jwk(jwk_json: String, alg: Option<Algorithm>) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let jwk = jwt_core::Jwk::from_json(jwk_json)?;
            Ok(Arc::new(Self(jwt_core::SigningKey::from_jwk(&jwk, alg)?)))
        })
    }

    /// A fresh random key for `alg` (RSA keys are 2048 bits).
    #[uniffi::constructor]
    pub fn generate(alg: Algorithm) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::SigningKey::generate(alg)?))))
    }

    /// The same key with a `kid`.
    pub fn with_kid(&self, kid: String) -> Arc<Self> {
        Arc::new(Self(self.0.clone().with_kid(kid)))
    }

    /// The same key with its RFC 7638 thumbprint as `kid`.
    pub fn with_thumbprint_kid(&self) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(self.0.clone().with_thumbprint_kid()?))))
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> Algorithm {
        self.0.algorithm()
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    /// The public half (for HMAC, the same secret as a verifying key).
    pub fn verifying_key(&self) -> Arc<VerifyingKey> {
        Arc::new(VerifyingKey(self.0.verifying_key()))
    }

    /// The public JWK as JSON (with `alg`, `use: sig` and `kid` when set). HMAC keys fail
    /// with `invalid_argument`: a secret has no public half.
    pub fn public_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_public_jwk()?.to_json()))
    }

    /// The private JWK as JSON. Handle with care: it contains the secret.
    pub fn private_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_private_jwk()?.to_json()))
    }

    /// The private key as PKCS#8 PEM. Handle with care: it contains the secret.
    pub fn private_key_pem(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_pkcs8_pem()?.to_string()))
    }

    /// The public key as SPKI PEM.
    pub fn public_key_pem(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.public_key_pem()?))
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url).
    pub fn thumbprint(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.thumbprint()?))
    }
}

/// A public key (or HMAC secret) bound to one algorithm. Immutable; share freely.
#[derive(Debug, uniffi::Object)]
pub struct VerifyingKey(pub(crate) jwt_core::VerifyingKey);

#[uniffi::export]
impl VerifyingKey {
    /// An HMAC secret. Shorter than the hash output fails with `weak_key`; an RSA/EC/OKP
    /// public key offered as a secret fails with `key_algorithm_mismatch`.
    #[uniffi::constructor]
    pub fn hmac(alg: Algorithm, secret: Vec<u8>) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::VerifyingKey::hmac(alg, &secret)?))))
    }

    /// An HMAC secret shorter than the hash output, accepted on purpose (legacy tokens).
    #[uniffi::constructor]
    pub fn hmac_allow_short(alg: Algorithm, secret: Vec<u8>) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            Ok(Arc::new(Self(jwt_core::VerifyingKey::hmac_allow_short(
                alg, &secret,
            )?)))
        })
    }

    /// A public key from PEM (SPKI, PKCS#1 RSA; a private key PEM gives its public half).
    #[uniffi::constructor]
    pub fn from_pem(alg: Algorithm, pem: String) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::VerifyingKey::from_pem(alg, pem)?))))
    }

    /// A public key from DER.
    #[uniffi::constructor]
    pub fn from_der(alg: Algorithm, der: Vec<u8>) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::VerifyingKey::from_der(alg, &der)?))))
    }

    /// A public key from raw bytes (an uncompressed EC point, 32 Ed25519 bytes).
    #[uniffi::constructor]
    pub fn from_public_bytes(alg: Algorithm, public: Vec<u8>) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            Ok(Arc::new(Self(jwt_core::VerifyingKey::from_public_bytes(
                alg, &public,
            )?)))
        })
    }

    /// A key from a JWK. `alg` is taken from the JWK, or from `alg` when the JWK has none;
    /// the two must agree. `use`/`key_ops` must allow verification; `kid` is kept.
    #[uniffi::constructor(default(alg = None))]
    pub fn from_jwk(jwk_json: String, alg: Option<Algorithm>) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let jwk = jwt_core::Jwk::from_json(jwk_json)?;
            Ok(Arc::new(Self(jwt_core::VerifyingKey::from_jwk(&jwk, alg)?)))
        })
    }

    /// The same key with a `kid`.
    pub fn with_kid(&self, kid: String) -> Arc<Self> {
        Arc::new(Self(self.0.clone().with_kid(kid)))
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> Algorithm {
        self.0.algorithm()
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    /// The public JWK as JSON. HMAC keys fail with `invalid_argument`.
    pub fn to_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_jwk()?.to_json()))
    }

    /// The public key as SPKI PEM.
    pub fn to_pem(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_pem()?))
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url).
    pub fn thumbprint(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.thumbprint()?))
    }
}

/// The keys a verifier may use; a token's `kid` selects among them, and never selects a
/// key of another algorithm.
#[derive(Debug, uniffi::Object)]
pub struct KeySet(pub(crate) jwt_core::KeySet);

#[uniffi::export]
impl KeySet {
    /// A set of these keys, in order.
    #[uniffi::constructor]
    pub fn new(keys: Vec<Arc<VerifyingKey>>) -> Arc<Self> {
        Arc::new(Self(
            keys.iter().map(|k| k.0.clone()).collect::<Vec<_>>().into(),
        ))
    }

    /// From a JWK set document. A JWK without `alg` is bound to each of `default_algs`
    /// that fits its type (or, for EC and Ed25519, to the one its curve implies).
    /// Encryption keys and unknown key types are skipped; a broken key is an error.
    #[uniffi::constructor(default(default_algs = []))]
    pub fn from_jwks(
        jwks_json: String,
        default_algs: Vec<Algorithm>,
    ) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            Ok(Arc::new(Self(jwt_core::KeySet::from_jwks_json(
                jwks_json,
                &default_algs,
            )?)))
        })
    }

    /// Number of keys.
    pub fn size(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// The keys.
    pub fn keys(&self) -> Vec<Arc<VerifyingKey>> {
        self.0
            .keys()
            .iter()
            .map(|k| Arc::new(VerifyingKey(k.clone())))
            .collect()
    }

    /// The public JWK set (`{"keys": [...]}`) of the asymmetric keys; HMAC keys are left
    /// out.
    pub fn to_public_jwks(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_public_jwks()?.to_json()))
    }
}

/// The RFC 7638 thumbprint of a JWK given as JSON.
#[uniffi::export]
pub fn jwk_thumbprint(jwk_json: String) -> Result<String, JwtError> {
    guard(|| Ok(jwt_core::Jwk::from_json(jwk_json)?.thumbprint()?))
}
