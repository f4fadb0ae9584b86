//! [`SigningKey`]: private (or secret) keys bound to one algorithm: import from PEM, DER
//! and JWK, generation, signing, private and public export.

use std::fmt;
use std::sync::Arc;

use crate::backend::signature::{self as rsig, KeyPair as _};
use zeroize::Zeroizing;

use super::mldsa::MlDsaSigner;
use super::policy::{
    MIN_RSA_BITS, bind_kind, check_hmac, check_rebind, check_rsa_size, jwk_algorithm,
};
use super::verifying::VerifyInner;
use super::{VerifyingKey, crypto_err, ec_point_from_jwk, ring_hmac, rng};
use crate::alg::{Algorithm, Curve, KeyFamily};
use crate::backend::Ed25519Signer;
use crate::der::{self, KeyKind};
use crate::error::{Error, Result};
use crate::json;
use crate::jwk::Jwk;
use crate::material::HmacPolicy;

/// The 32-byte seed of a PKCS#8 Ed25519 key the backend has already accepted.
fn ed25519_seed(pkcs8: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let (_, inner) = der::parse_pkcs8(pkcs8)?;
    let seed: [u8; 32] = der::Reader::new(inner)
        .read(der::TAG_OCTET_STRING)?
        .try_into()
        .map_err(|_| Error::invalid_key("Ed25519 private keys are 32 bytes"))?;
    Ok(Zeroizing::new(seed))
}
/// A private (or secret) key bound to one algorithm, ready to sign.
///
/// Cheap to clone (the parsed key is shared).
#[derive(Clone)]
pub struct SigningKey {
    alg: Algorithm,
    kid: Option<String>,
    inner: Arc<SignInner>,
}

// aws-lc-rs's HMAC key holds AWS-LC's whole HMAC context (~1.2 KB); the enum already
// lives behind one `Arc` per key, so boxing it would only add a pointer chase to every
// HMAC signature.
#[allow(clippy::large_enum_variant)]
enum SignInner {
    Hmac {
        key: crate::backend::hmac::Key,
        secret: Zeroizing<Vec<u8>>,
    },
    Rsa {
        pair: rsig::RsaKeyPair,
        pkcs8: Zeroizing<Vec<u8>>,
    },
    Ecdsa {
        pair: rsig::EcdsaKeyPair,
        pkcs8: Zeroizing<Vec<u8>>,
    },
    P521 {
        key: p521::ecdsa::SigningKey,
        pkcs8: Zeroizing<Vec<u8>>,
    },
    K256 {
        key: k256::ecdsa::SigningKey,
        pkcs8: Zeroizing<Vec<u8>>,
    },
    Ed25519 {
        pair: rsig::Ed25519KeyPair,
        pkcs8: Zeroizing<Vec<u8>>,
        /// The same key for signing, from the fastest Ed25519 of the backend (see
        /// `backend::Ed25519Signer`); `pair` still parses and checks it.
        fast: Ed25519Signer,
    },
    /// ML-DSA-44/65/87 (aws-lc builds only; see `key::mldsa`).
    MlDsa(MlDsaSigner),
}
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("material", &"<redacted>")
            .finish()
    }
}
fn ring_ecdsa_signing(c: Curve) -> &'static rsig::EcdsaSigningAlgorithm {
    match c {
        Curve::P384 => &rsig::ECDSA_P384_SHA384_FIXED_SIGNING,
        _ => &rsig::ECDSA_P256_SHA256_FIXED_SIGNING,
    }
}
impl SigningKey {
    /// An HMAC key (HS256/384/512) from raw secret bytes.
    ///
    /// Refuses secrets shorter than the hash output (RFC 7518 3.2) with
    /// [`Error::WeakKey`], and anything that looks like asymmetric key material with
    /// [`Error::KeyAlgorithmMismatch`].
    pub fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Self> {
        Self::hmac_with_policy(alg, secret, HmacPolicy::Refuse)
    }

    /// [`SigningKey::hmac`] with the caller's rule for secrets shorter than the hash
    /// output: [`HmacPolicy::Refuse`] is [`SigningKey::hmac`]; `Warn` and `Allow` sign
    /// with them (jsonwebtoken and fast-jwt do; a binding that warns compares the length
    /// with [`Algorithm::hmac_min_key_len`] itself, a key carries no warnings). Empty
    /// secrets and asymmetric key material in any spelling are refused under every policy.
    ///
    /// ```
    /// use jwt_core::{Algorithm, HmacPolicy, SigningKey};
    /// let err = SigningKey::hmac_with_policy(Algorithm::HS256, b"secret", HmacPolicy::Refuse).unwrap_err();
    /// assert_eq!(err.code(), "weak_key");
    /// let key = SigningKey::hmac_with_policy(Algorithm::HS256, b"secret", HmacPolicy::Allow)?;
    /// assert_eq!(key.algorithm(), Algorithm::HS256);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn hmac_with_policy(alg: Algorithm, secret: &[u8], policy: HmacPolicy) -> Result<Self> {
        check_hmac(alg, secret, policy != HmacPolicy::Refuse)?;
        Ok(Self::from_inner(
            alg,
            SignInner::Hmac {
                key: crate::backend::hmac::Key::new(ring_hmac(alg), secret),
                secret: Zeroizing::new(secret.to_vec()),
            },
        ))
    }

    /// A private key from PEM (`PRIVATE KEY` PKCS#8, `RSA PRIVATE KEY` PKCS#1 or
    /// `EC PRIVATE KEY` SEC1), bound to `alg`.
    pub fn from_pem(alg: Algorithm, pem: impl AsRef<[u8]>) -> Result<Self> {
        Self::pem_as(Some(alg), pem.as_ref())
    }

    /// [`SigningKey::from_pem`] bound to `alg`, or (none) to the first algorithm of the
    /// key's own family: the one parse `SigningKey::from_material` rebinds from.
    pub(crate) fn pem_as(alg: Option<Algorithm>, pem: &[u8]) -> Result<Self> {
        let blocks = der::parse_pem(pem)?;
        for b in &blocks {
            let der = Zeroizing::new(b.der.clone());
            match b.label.as_str() {
                "PRIVATE KEY" => return Self::from_pkcs8(alg, &der),
                "RSA PRIVATE KEY" => return Self::from_pkcs1(alg, &der),
                "EC PRIVATE KEY" => return Self::from_sec1(alg, &der),
                "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE" => {
                    return Err(Error::invalid_key("a public key cannot sign"));
                }
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(Error::invalid_key(
                        "encrypted private keys are not supported",
                    ));
                }
                _ => continue,
            }
        }
        Err(Error::invalid_key("no private key PEM block found"))
    }

    /// A private key from DER: PKCS#8, or PKCS#1 (RSA) / SEC1 (EC) by `alg`'s family.
    pub fn from_der(alg: Algorithm, der_bytes: &[u8]) -> Result<Self> {
        Self::der_as(Some(alg), der_bytes)
    }

    /// [`SigningKey::from_der`] bound to `alg`, or (none) to the key's own family (then
    /// PKCS#1 and SEC1 are told apart by their structure).
    pub(crate) fn der_as(alg: Option<Algorithm>, der_bytes: &[u8]) -> Result<Self> {
        if der::parse_pkcs8(der_bytes).is_ok() {
            return Self::from_pkcs8(alg, der_bytes);
        }
        match alg.map(Algorithm::family) {
            Some(KeyFamily::Rsa) => Self::from_pkcs1(alg, der_bytes),
            Some(KeyFamily::Ec(_)) => Self::from_sec1(alg, der_bytes),
            Some(KeyFamily::Hmac) => Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use SigningKey::hmac".into(),
            )),
            Some(KeyFamily::Ed25519) => Err(Error::invalid_key("expected a PKCS#8 Ed25519 key")),
            Some(KeyFamily::MlDsa(_)) => Err(Error::invalid_key("expected a PKCS#8 ML-DSA key")),
            None if der::parse_rsa_private(der_bytes).is_ok() => Self::from_pkcs1(None, der_bytes),
            None if der::parse_sec1(der_bytes).is_ok() => Self::from_sec1(None, der_bytes),
            None => Err(Error::invalid_key(
                "expected PKCS#8, PKCS#1 or SEC1 private key DER",
            )),
        }
    }

    /// The same key bound to `alg` of its family, without parsing it again (the parsed
    /// key is shared; RSA padding and hash follow the bound algorithm at signing).
    /// [`Error::KeyAlgorithmMismatch`] when `alg` is of another family.
    pub(crate) fn rebind(&self, alg: Algorithm) -> Result<Self> {
        if alg == self.alg {
            return Ok(self.clone());
        }
        check_rebind(self.alg, alg)?;
        Ok(SigningKey {
            alg,
            kid: self.kid.clone(),
            inner: Arc::clone(&self.inner),
        })
    }

    fn from_pkcs1(alg: impl Into<Option<Algorithm>>, pkcs1: &[u8]) -> Result<Self> {
        let alg = bind_kind(alg.into(), KeyKind::Rsa)?;
        Self::from_pkcs8(alg, &Zeroizing::new(der::build_pkcs8(KeyKind::Rsa, pkcs1)))
    }

    fn from_sec1(alg: impl Into<Option<Algorithm>>, sec1: &[u8]) -> Result<Self> {
        let alg = alg.into();
        let (d, curve, public) = der::parse_sec1(sec1)?;
        let curve = match (curve, alg.map(Algorithm::family)) {
            (Some(c), _) => c,
            (None, Some(KeyFamily::Ec(c))) => c,
            (None, _) => return Err(Error::invalid_key("SEC1 key without curve")),
        };
        let alg = bind_kind(alg, KeyKind::Ec(curve))?;
        Self::from_ec_scalar(alg, curve, d, public)
    }

    /// PKCS#8 is the canonical form every asymmetric key is kept in.
    fn from_pkcs8(alg: impl Into<Option<Algorithm>>, pkcs8: &[u8]) -> Result<Self> {
        let (kind, inner) = der::parse_pkcs8(pkcs8)?;
        let alg = bind_kind(alg.into(), kind)?;
        let keep = || Zeroizing::new(pkcs8.to_vec());
        let inner = match kind {
            KeyKind::Rsa => {
                let parts = der::parse_rsa_private(inner)?;
                check_rsa_size(parts[0])?;
                let pair = rsig::RsaKeyPair::from_pkcs8(pkcs8)
                    .map_err(|e| Error::invalid_key(format_args!("RSA private key: {e}")))?;
                SignInner::Rsa {
                    pair,
                    pkcs8: keep(),
                }
            }
            KeyKind::Ec(c @ (Curve::P256 | Curve::P384)) => {
                let (d, _, public) = der::parse_sec1(inner)?;
                if public.is_none() || der::pkcs8_has_explicit_curve(pkcs8) {
                    // ring wants the public point inside and a named curve; rebuild.
                    return Self::from_ec_scalar(alg, c, d, public);
                }
                let pair = crate::backend::ecdsa_from_pkcs8(ring_ecdsa_signing(c), pkcs8)?;
                SignInner::Ecdsa {
                    pair,
                    pkcs8: keep(),
                }
            }
            KeyKind::Ec(c) => {
                let (d, _, public) = der::parse_sec1(inner)?;
                return Self::from_ec_scalar(alg, c, d, public);
            }
            KeyKind::Ed25519 => {
                let pair = rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
                    .map_err(|e| Error::invalid_key(format_args!("Ed25519 private key: {e}")))?;
                let seed = ed25519_seed(pkcs8)?;
                let fast = Ed25519Signer::from_seed(&seed)?;
                // Keep the RFC 8410 v1 form (seed only): ring generates v2 with the public
                // key attached, which some readers (Python `cryptography` 50) refuse.
                let v1 = der::build_pkcs8(
                    KeyKind::Ed25519,
                    &der::tlv(der::TAG_OCTET_STRING, &seed[..]),
                );
                SignInner::Ed25519 {
                    fast,
                    pair,
                    pkcs8: Zeroizing::new(v1),
                }
            }
            KeyKind::MlDsa(l) => SignInner::MlDsa(MlDsaSigner::from_pkcs8_inner(l, inner)?),
        };
        Ok(Self::from_inner(alg, inner))
    }

    /// An EC key from its private scalar; `public`, when given, must match it.
    fn from_ec_scalar(alg: Algorithm, c: Curve, d: &[u8], public: Option<&[u8]>) -> Result<Self> {
        let len = c.coordinate_len();
        if d.len() > len {
            return Err(Error::invalid_key("EC private scalar too long"));
        }
        let mut padded = Zeroizing::new(vec![0u8; len]);
        padded[len - d.len()..].copy_from_slice(d);
        let bad = |_| Error::invalid_key("invalid EC private scalar");
        let (inner, point) = match c {
            Curve::P521 => {
                let key = p521::ecdsa::SigningKey::from_slice(&padded).map_err(bad)?;
                let point = p521::ecdsa::VerifyingKey::from(&key)
                    .to_sec1_point(false)
                    .as_bytes()
                    .to_vec();
                (None, Some((SignInnerEc::P521(key), point)))
            }
            Curve::Secp256k1 => {
                let key = k256::ecdsa::SigningKey::from_slice(&padded).map_err(bad)?;
                let point = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
                (None, Some((SignInnerEc::K256(key), point)))
            }
            Curve::P256 | Curve::P384 => {
                let public = public.ok_or_else(|| {
                    Error::invalid_key("P-256/P-384 private keys must include the public point")
                })?;
                let pkcs8 = Zeroizing::new(der::build_pkcs8(
                    KeyKind::Ec(c),
                    &der::build_sec1(&padded, public),
                ));
                let pair = crate::backend::ecdsa_from_pkcs8(ring_ecdsa_signing(c), &pkcs8)?;
                (Some(SignInner::Ecdsa { pair, pkcs8 }), None)
            }
        };
        let inner = match (inner, point) {
            (Some(i), _) => i,
            (None, Some((ec, point))) => {
                if let Some(p) = public {
                    if p != point.as_slice() {
                        return Err(Error::invalid_key(
                            "EC public point does not match the private key",
                        ));
                    }
                }
                let pkcs8 = Zeroizing::new(der::build_pkcs8(
                    KeyKind::Ec(c),
                    &der::build_sec1(&padded, &point),
                ));
                match ec {
                    SignInnerEc::P521(key) => SignInner::P521 { key, pkcs8 },
                    SignInnerEc::K256(key) => SignInner::K256 { key, pkcs8 },
                }
            }
            (None, None) => return Err(Error::invalid_key("EC key")),
        };
        Ok(Self::from_inner(alg, inner))
    }

    /// A key from a private JWK (or an `oct` JWK for HMAC).
    ///
    /// `alg` is taken from the JWK, or from `requested` when the JWK has none; the two
    /// must agree. `use` and `key_ops` must allow signing. The JWK's `kid` is kept.
    /// An `oct` secret shorter than the hash output is refused ([`Error::WeakKey`]); see
    /// [`SigningKey::from_jwk_with_policy`].
    pub fn from_jwk(jwk: &Jwk, requested: Option<Algorithm>) -> Result<Self> {
        Self::from_jwk_with_policy(jwk, requested, HmacPolicy::Refuse)
    }

    /// [`SigningKey::from_jwk`] with the rule for an `oct` secret shorter than the hash
    /// output, as [`SigningKey::hmac_with_policy`] has it: for a binding whose peer signs
    /// with short secrets in every spelling, a JWK included. Every other check (`alg`,
    /// `use`, `key_ops`, an empty `k`, key material as a secret) applies under any policy.
    ///
    /// ```
    /// use jwt_core::{HmacPolicy, Jwk, SigningKey};
    /// let jwk = Jwk::from_json(r#"{"kty":"oct","alg":"HS256","k":"c2VjcmV0"}"#)?;
    /// assert_eq!(SigningKey::from_jwk(&jwk, None).unwrap_err().code(), "weak_key");
    /// let key = SigningKey::from_jwk_with_policy(&jwk, None, HmacPolicy::Allow)?;
    /// assert_eq!(key.algorithm().as_str(), "HS256");
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn from_jwk_with_policy(
        jwk: &Jwk,
        requested: Option<Algorithm>,
        policy: HmacPolicy,
    ) -> Result<Self> {
        let alg = jwk_algorithm(jwk, requested)?;
        jwk.check_usage("sign")?;
        let key = match alg.family() {
            KeyFamily::Hmac => {
                Self::hmac_with_policy(alg, &Zeroizing::new(jwk.bytes("k")?), policy)?
            }
            KeyFamily::Rsa => {
                let n = jwk.bytes("n")?;
                let e = jwk.bytes("e")?;
                let mut parts: Vec<Zeroizing<Vec<u8>>> = Vec::new();
                for m in ["d", "p", "q", "dp", "dq", "qi"] {
                    parts.push(jwk.opt_bytes(m)?.ok_or_else(|| {
                        Error::invalid_key(format_args!("RSA private JWK needs `{m}` (CRT form)"))
                    })?);
                }
                if jwk.as_map().contains_key("oth") {
                    return Err(Error::invalid_key("multi-prime RSA keys are not supported"));
                }
                let pkcs1 = Zeroizing::new(der::build_rsa_private([
                    &n, &e, &parts[0], &parts[1], &parts[2], &parts[3], &parts[4], &parts[5],
                ]));
                Self::from_pkcs1(alg, &pkcs1)?
            }
            KeyFamily::Ec(c) => {
                let d = jwk
                    .opt_bytes("d")?
                    .ok_or_else(|| Error::invalid_key("a public JWK cannot sign"))?;
                if d.len() != c.coordinate_len() {
                    return Err(Error::invalid_key("EC `d` has the wrong length"));
                }
                let point = ec_point_from_jwk(jwk, c)?;
                Self::from_ec_scalar(alg, c, &d, Some(&point))?
            }
            KeyFamily::Ed25519 => {
                let d = jwk
                    .opt_bytes("d")?
                    .ok_or_else(|| Error::invalid_key("a public JWK cannot sign"))?;
                let x = jwk.bytes("x")?;
                let pair = rsig::Ed25519KeyPair::from_seed_and_public_key(&d, &x)
                    .map_err(|e| Error::invalid_key(format_args!("Ed25519 JWK: {e}")))?;
                // Keep a PKCS#8 v1 form for export.
                let pkcs8 = Zeroizing::new(der::build_pkcs8(
                    KeyKind::Ed25519,
                    &der::tlv(der::TAG_OCTET_STRING, &d),
                ));
                let fast = Ed25519Signer::from_seed(&*ed25519_seed(&pkcs8)?)?;
                Self::from_inner(alg, SignInner::Ed25519 { pair, pkcs8, fast })
            }
            KeyFamily::MlDsa(l) => {
                let seed = jwk
                    .opt_bytes("priv")?
                    .ok_or_else(|| Error::invalid_key("a public JWK cannot sign"))?;
                let public = jwk.bytes("pub")?;
                let key = MlDsaSigner::from_seed(l, &seed)?;
                // RFC 9964 7.4: a `pub` that is not the seed's is a tampered or mixed-up key.
                if key.public() != public.as_slice() {
                    return Err(Error::invalid_key(
                        "AKP `pub` is not the public key of `priv`",
                    ));
                }
                Self::from_inner(alg, SignInner::MlDsa(key))
            }
        };
        Ok(match jwk.kid() {
            Some(kid) => key.with_kid(kid),
            None => key,
        })
    }

    /// Generate a fresh key for `alg`: 2048-bit RSA, the algorithm's curve, or a random
    /// HMAC secret as long as the hash output.
    pub fn generate(alg: Algorithm) -> Result<Self> {
        let rng = rng();
        match alg.family() {
            KeyFamily::Hmac => {
                let len = alg.hmac_min_key_len().unwrap_or(64);
                let mut secret = Zeroizing::new(vec![0u8; len]);
                crate::backend::rand::SecureRandom::fill(&rng, &mut secret)
                    .map_err(|_| crypto_err("random generator"))?;
                Self::hmac(alg, &secret)
            }
            KeyFamily::Rsa => Self::generate_rsa(alg),
            KeyFamily::Ec(c @ (Curve::P256 | Curve::P384)) => {
                let doc = rsig::EcdsaKeyPair::generate_pkcs8(ring_ecdsa_signing(c), &rng)
                    .map_err(|_| crypto_err("EC key generation"))?;
                Self::from_pkcs8(alg, doc.as_ref())
            }
            KeyFamily::Ec(c) => {
                let len = c.coordinate_len();
                loop {
                    let mut d = Zeroizing::new(vec![0u8; len]);
                    crate::backend::rand::SecureRandom::fill(&rng, &mut d)
                        .map_err(|_| crypto_err("random generator"))?;
                    if c == Curve::P521 {
                        d[0] &= 0x01; // 521 bits
                    }
                    match Self::from_ec_scalar(alg, c, &d, None) {
                        Ok(k) => return Ok(k),
                        Err(_) => continue, // zero or >= n: vanishingly rare, draw again
                    }
                }
            }
            KeyFamily::Ed25519 => {
                let doc = rsig::Ed25519KeyPair::generate_pkcs8(&rng)
                    .map_err(|_| crypto_err("Ed25519 key generation"))?;
                Self::from_pkcs8(alg, doc.as_ref())
            }
            KeyFamily::MlDsa(l) => Ok(Self::from_inner(
                alg,
                SignInner::MlDsa(MlDsaSigner::generate(l)?),
            )),
        }
    }

    #[cfg(feature = "aws-lc")]
    fn generate_rsa(alg: Algorithm) -> Result<Self> {
        let pkcs8 = crate::backend::rsa_generate_pkcs8(MIN_RSA_BITS)
            .ok_or_else(|| crypto_err("RSA key generation"))?;
        Self::from_pkcs8(alg, &pkcs8)
    }

    #[cfg(all(feature = "rsa-generate", not(feature = "aws-lc")))]
    fn generate_rsa(alg: Algorithm) -> Result<Self> {
        use rsa::pkcs1::EncodeRsaPrivateKey as _;
        let mut rng = rsa::rand_core::UnwrapErr(getrandom_rng::SysRng);
        let key = rsa::PrivateKey::new(&mut rng, MIN_RSA_BITS)
            .map_err(|_| crypto_err("RSA key generation"))?;
        let der = key
            .to_pkcs1_der()
            .map_err(|_| crypto_err("RSA key encoding"))?;
        Self::from_pkcs1(alg, der.as_bytes())
    }

    #[cfg(not(any(feature = "rsa-generate", feature = "aws-lc")))]
    fn generate_rsa(_alg: Algorithm) -> Result<Self> {
        Err(Error::InvalidArgument(
            "RSA key generation needs the `rsa-generate` feature".into(),
        ))
    }

    fn from_inner(alg: Algorithm, inner: SignInner) -> Self {
        SigningKey {
            alg,
            kid: None,
            inner: Arc::new(inner),
        }
    }

    /// The same key with a `kid` (placed in the header of tokens it signs).
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The same key with its `kid` set to its RFC 7638 thumbprint.
    pub fn with_thumbprint_kid(self) -> Result<Self> {
        let t = self.thumbprint()?;
        Ok(self.with_kid(t))
    }

    /// The algorithm this key is bound to.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Sign `msg`, giving the JWS signature bytes (r||s for ECDSA).
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>> {
        match &*self.inner {
            SignInner::Hmac { key, .. } => {
                Ok(crate::backend::hmac::sign(key, msg).as_ref().to_vec())
            }
            SignInner::Rsa { pair, .. } => {
                let padding: &dyn rsig::RsaEncoding = match self.alg {
                    Algorithm::RS256 => &rsig::RSA_PKCS1_SHA256,
                    Algorithm::RS384 => &rsig::RSA_PKCS1_SHA384,
                    Algorithm::RS512 => &rsig::RSA_PKCS1_SHA512,
                    Algorithm::PS256 => &rsig::RSA_PSS_SHA256,
                    Algorithm::PS384 => &rsig::RSA_PSS_SHA384,
                    _ => &rsig::RSA_PSS_SHA512,
                };
                let mut sig = vec![0u8; pair.public_key().modulus_len()];
                pair.sign(padding, &rng(), msg, &mut sig)
                    .map_err(|_| crypto_err("RSA signing"))?;
                Ok(sig)
            }
            SignInner::Ecdsa { pair, .. } => pair
                .sign(&rng(), msg)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| crypto_err("ECDSA signing")),
            SignInner::P521 { key, .. } => {
                use p521::ecdsa::signature::Signer as _;
                let sig: p521::ecdsa::Signature =
                    key.try_sign(msg).map_err(|_| crypto_err("ECDSA signing"))?;
                Ok(sig.to_bytes().to_vec())
            }
            SignInner::K256 { key, .. } => {
                use k256::ecdsa::signature::Signer as _;
                let sig: k256::ecdsa::Signature =
                    key.try_sign(msg).map_err(|_| crypto_err("ECDSA signing"))?;
                Ok(sig.to_bytes().to_vec())
            }
            SignInner::Ed25519 { fast, .. } => Ok(fast.sign(msg)?.to_vec()),
            SignInner::MlDsa(key) => key.sign(msg),
        }
    }

    /// The PKCS#8 DER of an RSA key (for RSA-OAEP JWE keys, which reuse this import).
    #[cfg(feature = "aws-lc")]
    pub(crate) fn rsa_pkcs8(&self) -> Option<&[u8]> {
        match &*self.inner {
            SignInner::Rsa { pkcs8, .. } => Some(pkcs8),
            _ => None,
        }
    }

    /// Sign `out`, a JWS signing input, and append `.` and the base64url signature (the
    /// token fast path: no allocation for HMAC, P-256/P-384 and Ed25519).
    pub(crate) fn sign_b64_into(&self, out: &mut String) -> Result<()> {
        fn push(out: &mut String, sig: &[u8]) {
            out.push('.');
            json::b64_encode_into(sig, out);
        }
        match &*self.inner {
            SignInner::Hmac { key, .. } => {
                let tag = crate::backend::hmac::sign(key, out.as_bytes());
                push(out, tag.as_ref());
            }
            SignInner::Ecdsa { pair, .. } => {
                let sig = pair
                    .sign(&rng(), out.as_bytes())
                    .map_err(|_| crypto_err("ECDSA signing"))?;
                push(out, sig.as_ref());
            }
            SignInner::Ed25519 { fast, .. } => {
                let sig = fast.sign(out.as_bytes())?;
                push(out, &sig);
            }
            _ => {
                let sig = self.sign(out.as_bytes())?;
                push(out, &sig);
            }
        }
        Ok(())
    }

    /// The matching verifying key (for HMAC, the same secret), with the same `kid`.
    pub fn verifying_key(&self) -> VerifyingKey {
        let inner = match &*self.inner {
            SignInner::Hmac { key, secret } => VerifyInner::Hmac {
                key: key.clone(),
                secret: secret.clone(),
            },
            SignInner::Rsa { pair, .. } => {
                let der = pair.public_key().as_ref().to_vec();
                let (n, e) = der::parse_rsa_public(&der)
                    .map(|(n, e)| (n.to_vec(), e.to_vec()))
                    .unwrap_or_default();
                VerifyInner::rsa(self.alg, der, n, e)
            }
            SignInner::Ecdsa { pair, .. } => {
                VerifyInner::ecdsa(self.alg.family_curve(), pair.public_key().as_ref().to_vec())
            }
            SignInner::P521 { key, .. } => {
                let vk = p521::ecdsa::VerifyingKey::from(key);
                let point = vk.to_sec1_point(false).as_bytes().to_vec();
                VerifyInner::P521 { key: vk, point }
            }
            SignInner::K256 { key, .. } => {
                let vk = *key.verifying_key();
                let point = vk.to_sec1_point(false).as_bytes().to_vec();
                VerifyInner::K256 { key: vk, point }
            }
            SignInner::Ed25519 { pair, fast, .. } => {
                let mut public = [0u8; 32];
                public.copy_from_slice(pair.public_key().as_ref());
                VerifyInner::Ed25519 {
                    public,
                    fast: fast.verifier(&public),
                }
            }
            SignInner::MlDsa(key) => VerifyInner::MlDsa(key.verifier()),
        };
        VerifyingKey {
            alg: self.alg,
            kid: self.kid.clone(),
            inner: Arc::new(inner),
        }
    }

    /// The public JWK (for HMAC keys: an error, a secret has no public half).
    pub fn to_public_jwk(&self) -> Result<Jwk> {
        if self.alg.is_symmetric() {
            return Err(Error::InvalidArgument(
                "an HMAC key has no public JWK".into(),
            ));
        }
        self.verifying_key().to_jwk()
    }

    /// The private JWK, including secret members. Handle with care.
    pub fn to_private_jwk(&self) -> Result<Jwk> {
        let mut m = match &*self.inner {
            SignInner::Hmac { secret, .. } => {
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "oct".into());
                m.insert("k".into(), json::b64_encode(&secret[..]).into());
                m
            }
            SignInner::Rsa { pkcs8, .. } => {
                let (_, pkcs1) = der::parse_pkcs8(pkcs8)?;
                let p = der::parse_rsa_private(pkcs1)?;
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "RSA".into());
                for (name, v) in ["n", "e", "d", "p", "q", "dp", "dq", "qi"].iter().zip(p) {
                    m.insert((*name).into(), json::b64_encode(v).into());
                }
                m
            }
            SignInner::Ecdsa { pkcs8, .. }
            | SignInner::P521 { pkcs8, .. }
            | SignInner::K256 { pkcs8, .. } => {
                let (_, sec1) = der::parse_pkcs8(pkcs8)?;
                let (d, _, _) = der::parse_sec1(sec1)?;
                let mut m = self.verifying_key().to_jwk()?.as_map().clone();
                let c = self.alg.family_curve();
                let mut padded = Zeroizing::new(vec![0u8; c.coordinate_len()]);
                let l = padded.len();
                padded[l - d.len()..].copy_from_slice(d);
                m.insert("d".into(), json::b64_encode(&padded[..]).into());
                m
            }
            SignInner::Ed25519 { pkcs8, pair, .. } => {
                let (_, inner) = der::parse_pkcs8(pkcs8)?;
                let seed = der::Reader::new(inner).read(der::TAG_OCTET_STRING)?;
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "OKP".into());
                m.insert("crv".into(), "Ed25519".into());
                m.insert(
                    "x".into(),
                    json::b64_encode(pair.public_key().as_ref()).into(),
                );
                m.insert("d".into(), json::b64_encode(seed).into());
                m
            }
            SignInner::MlDsa(key) => {
                let mut m = super::mldsa::public_jwk(key.public());
                m.insert("priv".into(), json::b64_encode(key.seed()).into());
                m
            }
        };
        m.insert("alg".into(), self.alg.as_str().into());
        m.insert("use".into(), "sig".into());
        if let Some(kid) = &self.kid {
            m.insert("kid".into(), kid.clone().into());
        }
        Jwk::from_map(m)
    }

    /// The private key as PKCS#8 PEM (`PRIVATE KEY`). Not available for HMAC keys.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        let pkcs8 = match &*self.inner {
            SignInner::Hmac { .. } => {
                return Err(Error::InvalidArgument(
                    "HMAC secrets have no PEM form".into(),
                ));
            }
            SignInner::Rsa { pkcs8, .. }
            | SignInner::Ecdsa { pkcs8, .. }
            | SignInner::P521 { pkcs8, .. }
            | SignInner::K256 { pkcs8, .. }
            | SignInner::Ed25519 { pkcs8, .. } => pkcs8,
            SignInner::MlDsa(key) => {
                return Ok(Zeroizing::new(der::to_pem("PRIVATE KEY", &key.pkcs8())));
            }
        };
        Ok(Zeroizing::new(der::to_pem("PRIVATE KEY", pkcs8)))
    }

    /// The public key as SPKI PEM (`PUBLIC KEY`).
    pub fn public_key_pem(&self) -> Result<String> {
        self.verifying_key().to_pem()
    }

    /// RFC 7638 thumbprint of the public key (of the secret, for HMAC).
    pub fn thumbprint(&self) -> Result<String> {
        match &*self.inner {
            SignInner::Hmac { .. } => self.to_private_jwk()?.thumbprint(),
            _ => self.verifying_key().to_jwk()?.thumbprint(),
        }
    }
}
enum SignInnerEc {
    P521(p521::ecdsa::SigningKey),
    K256(k256::ecdsa::SigningKey),
}
impl Algorithm {
    fn family_curve(self) -> Curve {
        match self.family() {
            KeyFamily::Ec(c) => c,
            _ => Curve::P256,
        }
    }
}
#[cfg(all(feature = "rsa-generate", not(feature = "aws-lc")))]
mod getrandom_rng {
    //! An OS random source for the `rsa` crate's key generation, backed by ring.
    use rsa::rand_core::{TryCryptoRng, TryRng};

    pub(super) struct SysRng;

    impl TryRng for SysRng {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            let mut b = [0u8; 4];
            fill(&mut b);
            Ok(u32::from_le_bytes(b))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            let mut b = [0u8; 8];
            fill(&mut b);
            Ok(u64::from_le_bytes(b))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            fill(dst);
            Ok(())
        }
    }

    impl TryCryptoRng for SysRng {}

    fn fill(dst: &mut [u8]) {
        // The OS generator failing is not recoverable for key generation; ring reports it
        // as an error we cannot carry through rand_core's infallible path, so retry.
        let rng = crate::backend::rand::SystemRandom::new();
        while crate::backend::rand::SecureRandom::fill(&rng, dst).is_err() {}
    }
}
