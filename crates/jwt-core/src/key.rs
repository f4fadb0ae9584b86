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

use std::fmt;
use std::sync::Arc;

use ring::signature::{self as rsig, KeyPair as _};
use zeroize::Zeroizing;

use crate::alg::{Algorithm, Curve, KeyFamily};
use crate::der::{self, KeyKind};
use crate::error::{Error, Result};
use crate::json;
use crate::jwk::Jwk;

/// The ed25519-dalek signing key for a PKCS#8 Ed25519 key ring has already accepted.
fn ed25519_signer(pkcs8: &[u8]) -> Result<ed25519_dalek::SigningKey> {
    let (_, inner) = der::parse_pkcs8(pkcs8)?;
    let seed: &[u8; 32] = der::Reader::new(inner)
        .read(der::TAG_OCTET_STRING)?
        .try_into()
        .map_err(|_| Error::invalid_key("Ed25519 private keys are 32 bytes"))?;
    Ok(ed25519_dalek::SigningKey::from_bytes(seed))
}

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

fn rng() -> ring::rand::SystemRandom {
    ring::rand::SystemRandom::new()
}

fn crypto_err(what: &str) -> Error {
    Error::Crypto(what.to_owned())
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

enum SignInner {
    Hmac {
        key: ring::hmac::Key,
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
        /// The same key for signing: ed25519-dalek signs 2-3x faster than ring here (the
        /// signature is deterministic, so identical); ring still parses and checks it.
        fast: ed25519_dalek::SigningKey,
    },
}

/// A public (or secret, for HMAC) key bound to one algorithm, ready to verify.
///
/// Cheap to clone (the parsed key is shared).
#[derive(Clone)]
pub struct VerifyingKey {
    alg: Algorithm,
    kid: Option<String>,
    inner: Arc<VerifyInner>,
}

enum VerifyInner {
    Hmac {
        key: ring::hmac::Key,
        secret: Zeroizing<Vec<u8>>,
    },
    /// PKCS#1 RSAPublicKey DER (what ring takes), plus n and e for export.
    Rsa {
        der: Vec<u8>,
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// Uncompressed SEC1 point (P-256, P-384 via ring).
    Ecdsa { curve: Curve, point: Vec<u8> },
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
        /// ed25519-dalek verifies ~1.3x faster than ring here, with the same rules
        /// (RFC 8032 cofactorless equation, canonical `s`, `R` compared as encoded).
        /// `None` when `public` is not a curve point: then nothing verifies, as with ring.
        fast: Option<ed25519_dalek::VerifyingKey>,
    },
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

fn ring_ecdsa_signing(c: Curve) -> &'static rsig::EcdsaSigningAlgorithm {
    match c {
        Curve::P384 => &rsig::ECDSA_P384_SHA384_FIXED_SIGNING,
        _ => &rsig::ECDSA_P256_SHA256_FIXED_SIGNING,
    }
}

fn ring_hmac(alg: Algorithm) -> ring::hmac::Algorithm {
    match alg {
        Algorithm::HS384 => ring::hmac::HMAC_SHA384,
        Algorithm::HS512 => ring::hmac::HMAC_SHA512,
        _ => ring::hmac::HMAC_SHA256,
    }
}

fn kind_family(kind: KeyKind) -> KeyFamily {
    match kind {
        KeyKind::Rsa => KeyFamily::Rsa,
        KeyKind::Ec(c) => KeyFamily::Ec(c),
        KeyKind::Ed25519 => KeyFamily::Ed25519,
    }
}

fn check_family(alg: Algorithm, kind: KeyKind) -> Result<()> {
    if alg.family() == kind_family(kind) {
        Ok(())
    } else {
        Err(Error::KeyAlgorithmMismatch(format!(
            "{} key cannot be used with {alg}",
            match kind {
                KeyKind::Rsa => "an RSA",
                KeyKind::Ec(c) => c.jwk_name(),
                KeyKind::Ed25519 => "an Ed25519",
            }
        )))
    }
}

/// Refuse "secrets" that are really asymmetric key material, in any spelling
/// (see `key_guard`).
fn check_not_asymmetric(secret: &[u8]) -> Result<()> {
    match crate::key_guard::detect(secret) {
        Some(spelling) => Err(Error::KeyAlgorithmMismatch(format!(
            "asymmetric key material ({}) cannot be used as an HMAC secret",
            spelling.describe()
        ))),
        None => Ok(()),
    }
}

fn check_hmac(alg: Algorithm, secret: &[u8], allow_short: bool) -> Result<()> {
    let min = alg
        .hmac_min_key_len()
        .ok_or_else(|| Error::KeyAlgorithmMismatch(format!("{alg} is not an HMAC algorithm")))?;
    check_not_asymmetric(secret)?;
    if secret.is_empty() || (!allow_short && secret.len() < min) {
        return Err(Error::WeakKey(format!(
            "{alg} needs a secret of at least {min} bytes, got {}",
            secret.len()
        )));
    }
    Ok(())
}

fn rsa_bits(n: &[u8]) -> usize {
    let skip = n.iter().take_while(|b| **b == 0).count();
    let n = &n[skip..];
    match n.first() {
        None => 0,
        Some(b) => n.len() * 8 - b.leading_zeros() as usize,
    }
}

fn check_rsa_size(n: &[u8]) -> Result<()> {
    let bits = rsa_bits(n);
    if bits < MIN_RSA_BITS {
        return Err(Error::WeakKey(format!(
            "RSA keys must have at least {MIN_RSA_BITS} bits, got {bits}"
        )));
    }
    if bits > 8192 {
        return Err(Error::invalid_key(
            "RSA keys over 8192 bits are not supported",
        ));
    }
    if has_roca_fingerprint(n) {
        return Err(Error::WeakKey(
            "RSA modulus has the ROCA fingerprint (CVE-2017-15361): its factors are recoverable"
                .into(),
        ));
    }
    Ok(())
}

/// The ROCA detector (Nemec et al., CCS 2017): moduli from the vulnerable Infineon
/// generator are, modulo each small prime p below, in the subgroup generated by 65537.
/// A random modulus passes all 38 tests with negligible probability.
fn has_roca_fingerprint(n: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];
    PRIMES.iter().all(|&p| {
        let r = n
            .iter()
            .fold(0u32, |acc, b| (acc * 256 + u32::from(*b)) % p);
        let g = 65537 % p;
        let mut x = 1;
        loop {
            if x == r {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                return false;
            }
        }
    })
}

/// Resolve the algorithm of a JWK against the caller's request.
fn jwk_algorithm(jwk: &Jwk, requested: Option<Algorithm>) -> Result<Algorithm> {
    let declared = jwk.alg().map(str::parse::<Algorithm>).transpose()?;
    let alg = match (declared, requested) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "JWK is for {a}, requested {b}"
            )));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => match (jwk.kty(), jwk.crv().and_then(Curve::from_jwk_name)) {
            ("EC", Some(c)) => c.algorithm(),
            ("OKP", _) if jwk.crv() == Some("Ed25519") => Algorithm::EdDSA,
            _ => {
                return Err(Error::InvalidArgument(
                    "the JWK has no `alg`; say which algorithm it is for".into(),
                ));
            }
        },
    };
    // The key type must fit the algorithm.
    let fits = match alg.family() {
        KeyFamily::Hmac => jwk.kty() == "oct",
        KeyFamily::Rsa => jwk.kty() == "RSA",
        KeyFamily::Ec(c) => jwk.kty() == "EC" && jwk.crv() == Some(c.jwk_name()),
        KeyFamily::Ed25519 => jwk.kty() == "OKP" && jwk.crv() == Some("Ed25519"),
    };
    if !fits {
        return Err(Error::KeyAlgorithmMismatch(format!(
            "a `{}` JWK{} cannot be used with {alg}",
            crate::alg::truncate(jwk.kty(), 8),
            jwk.crv()
                .map(|c| format!(" on {}", crate::alg::truncate(c, 16)))
                .unwrap_or_default()
        )));
    }
    Ok(alg)
}

fn ec_point_from_jwk(jwk: &Jwk, c: Curve) -> Result<Vec<u8>> {
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

fn ec_jwk(c: Curve, point: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>> {
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

impl SigningKey {
    /// An HMAC key (HS256/384/512) from raw secret bytes.
    ///
    /// Refuses secrets shorter than the hash output (RFC 7518 3.2) with
    /// [`Error::WeakKey`], and anything that looks like asymmetric key material with
    /// [`Error::KeyAlgorithmMismatch`].
    pub fn hmac(alg: Algorithm, secret: &[u8]) -> Result<Self> {
        check_hmac(alg, secret, false)?;
        Ok(Self::from_inner(
            alg,
            SignInner::Hmac {
                key: ring::hmac::Key::new(ring_hmac(alg), secret),
                secret: Zeroizing::new(secret.to_vec()),
            },
        ))
    }

    /// A private key from PEM (`PRIVATE KEY` PKCS#8, `RSA PRIVATE KEY` PKCS#1 or
    /// `EC PRIVATE KEY` SEC1), bound to `alg`.
    pub fn from_pem(alg: Algorithm, pem: impl AsRef<[u8]>) -> Result<Self> {
        let blocks = der::parse_pem(pem.as_ref())?;
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
        if der::parse_pkcs8(der_bytes).is_ok() {
            return Self::from_pkcs8(alg, der_bytes);
        }
        match alg.family() {
            KeyFamily::Rsa => Self::from_pkcs1(alg, der_bytes),
            KeyFamily::Ec(_) => Self::from_sec1(alg, der_bytes),
            KeyFamily::Hmac => Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use SigningKey::hmac".into(),
            )),
            KeyFamily::Ed25519 => Err(Error::invalid_key("expected a PKCS#8 Ed25519 key")),
        }
    }

    fn from_pkcs1(alg: Algorithm, pkcs1: &[u8]) -> Result<Self> {
        check_family(alg, KeyKind::Rsa)?;
        Self::from_pkcs8(alg, &Zeroizing::new(der::build_pkcs8(KeyKind::Rsa, pkcs1)))
    }

    fn from_sec1(alg: Algorithm, sec1: &[u8]) -> Result<Self> {
        let (d, curve, public) = der::parse_sec1(sec1)?;
        let curve = match (curve, alg.family()) {
            (Some(c), _) => c,
            (None, KeyFamily::Ec(c)) => c,
            (None, _) => return Err(Error::invalid_key("SEC1 key without curve")),
        };
        check_family(alg, KeyKind::Ec(curve))?;
        Self::from_ec_scalar(alg, curve, d, public)
    }

    /// PKCS#8 is the canonical form every asymmetric key is kept in.
    fn from_pkcs8(alg: Algorithm, pkcs8: &[u8]) -> Result<Self> {
        let (kind, inner) = der::parse_pkcs8(pkcs8)?;
        check_family(alg, kind)?;
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
                let pair = rsig::EcdsaKeyPair::from_pkcs8(ring_ecdsa_signing(c), pkcs8, &rng())
                    .map_err(|e| Error::invalid_key(format_args!("EC private key: {e}")))?;
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
                let fast = ed25519_signer(pkcs8)?;
                // Keep the RFC 8410 v1 form (seed only): ring generates v2 with the public
                // key attached, which some readers (Python `cryptography` 50) refuse.
                let v1 = der::build_pkcs8(
                    KeyKind::Ed25519,
                    &der::tlv(der::TAG_OCTET_STRING, fast.as_bytes()),
                );
                SignInner::Ed25519 {
                    fast,
                    pair,
                    pkcs8: Zeroizing::new(v1),
                }
            }
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
                let pair = rsig::EcdsaKeyPair::from_pkcs8(ring_ecdsa_signing(c), &pkcs8, &rng())
                    .map_err(|e| Error::invalid_key(format_args!("EC private key: {e}")))?;
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
    pub fn from_jwk(jwk: &Jwk, requested: Option<Algorithm>) -> Result<Self> {
        let alg = jwk_algorithm(jwk, requested)?;
        jwk.check_usage("sign")?;
        let key = match alg.family() {
            KeyFamily::Hmac => Self::hmac(alg, &Zeroizing::new(jwk.bytes("k")?))?,
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
                let fast = ed25519_signer(&pkcs8)?;
                Self::from_inner(alg, SignInner::Ed25519 { pair, pkcs8, fast })
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
                ring::rand::SecureRandom::fill(&rng, &mut secret)
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
                    ring::rand::SecureRandom::fill(&rng, &mut d)
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
        }
    }

    #[cfg(feature = "rsa-generate")]
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

    #[cfg(not(feature = "rsa-generate"))]
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
            SignInner::Hmac { key, .. } => Ok(ring::hmac::sign(key, msg).as_ref().to_vec()),
            SignInner::Rsa { pair, .. } => {
                let padding: &dyn rsig::RsaEncoding = match self.alg {
                    Algorithm::RS256 => &rsig::RSA_PKCS1_SHA256,
                    Algorithm::RS384 => &rsig::RSA_PKCS1_SHA384,
                    Algorithm::RS512 => &rsig::RSA_PKCS1_SHA512,
                    Algorithm::PS256 => &rsig::RSA_PSS_SHA256,
                    Algorithm::PS384 => &rsig::RSA_PSS_SHA384,
                    _ => &rsig::RSA_PSS_SHA512,
                };
                let mut sig = vec![0u8; pair.public().modulus_len()];
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
            SignInner::Ed25519 { fast, .. } => {
                Ok(ed25519_dalek::Signer::sign(fast, msg).to_bytes().to_vec())
            }
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
                let tag = ring::hmac::sign(key, out.as_bytes());
                push(out, tag.as_ref());
            }
            SignInner::Ecdsa { pair, .. } => {
                let sig = pair
                    .sign(&rng(), out.as_bytes())
                    .map_err(|_| crypto_err("ECDSA signing"))?;
                push(out, sig.as_ref());
            }
            SignInner::Ed25519 { fast, .. } => {
                let sig = ed25519_dalek::Signer::sign(fast, out.as_bytes());
                push(out, &sig.to_bytes());
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
                let der = pair.public().as_ref().to_vec();
                let (n, e) = der::parse_rsa_public(&der)
                    .map(|(n, e)| (n.to_vec(), e.to_vec()))
                    .unwrap_or_default();
                VerifyInner::Rsa { der, n, e }
            }
            SignInner::Ecdsa { pair, .. } => VerifyInner::Ecdsa {
                curve: self.alg.family_curve(),
                point: pair.public_key().as_ref().to_vec(),
            },
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
                    fast: Some(fast.verifying_key()),
                }
            }
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

    fn hmac_inner(alg: Algorithm, secret: &[u8], allow_short: bool) -> Result<Self> {
        check_hmac(alg, secret, allow_short)?;
        Ok(Self::from_inner(
            alg,
            VerifyInner::Hmac {
                key: ring::hmac::Key::new(ring_hmac(alg), secret),
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
        if crate::openssh::looks_like_line(pem.as_ref()) {
            return Self::from_openssh(alg, pem);
        }
        let blocks = der::parse_pem(pem.as_ref())?;
        for b in &blocks {
            match b.label.as_str() {
                "PUBLIC KEY" => return Self::from_spki(alg, &b.der),
                "RSA PUBLIC KEY" => return Self::from_rsa_public(alg, &b.der),
                "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
                    return Ok(SigningKey::from_pem(alg, pem.as_ref())?.verifying_key());
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
        if alg.is_symmetric() {
            return Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use VerifyingKey::hmac".into(),
            ));
        }
        if der::parse_spki(der_bytes).is_ok() {
            return Self::from_spki(alg, der_bytes);
        }
        if alg.family() == KeyFamily::Rsa && der::parse_rsa_public(der_bytes).is_ok() {
            return Self::from_rsa_public(alg, der_bytes);
        }
        if let Ok(spki) = crate::x509::certificate_spki(der_bytes) {
            return Self::from_spki(alg, spki);
        }
        Err(Error::invalid_key("expected SubjectPublicKeyInfo DER"))
    }

    /// A public key from raw parts: the uncompressed SEC1 point for EC, the 32-byte key
    /// for Ed25519.
    pub fn from_public_bytes(alg: Algorithm, public: &[u8]) -> Result<Self> {
        match alg.family() {
            KeyFamily::Ec(c) => Self::from_ec_point(alg, c, public),
            KeyFamily::Ed25519 => Self::from_ed25519(alg, public),
            KeyFamily::Rsa => Self::from_rsa_public(alg, public),
            KeyFamily::Hmac => Err(Error::KeyAlgorithmMismatch(
                "HMAC keys are raw secrets; use VerifyingKey::hmac".into(),
            )),
        }
    }

    fn from_spki(alg: Algorithm, spki: &[u8]) -> Result<Self> {
        let (kind, bits) = der::parse_spki(spki)?;
        check_family(alg, kind)?;
        match kind {
            KeyKind::Rsa => Self::from_rsa_public(alg, bits),
            KeyKind::Ec(c) => Self::from_ec_point(alg, c, bits),
            KeyKind::Ed25519 => Self::from_ed25519(alg, bits),
        }
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
            VerifyInner::Rsa {
                der: der::build_rsa_public(n, e),
                n: n.to_vec(),
                e: e.to_vec(),
            },
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
                // ring checks the point is on the curve at every verification (an
                // off-curve point never verifies anything).
                VerifyInner::Ecdsa {
                    curve: c,
                    point: point.to_vec(),
                }
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
        let fast = ed25519_dalek::VerifyingKey::from_bytes(&public).ok();
        Ok(Self::from_inner(alg, VerifyInner::Ed25519 { public, fast }))
    }

    /// A key from a JWK. Public JWKs are the norm; a private JWK is accepted and only its
    /// public members are used (for `oct`, the secret).
    ///
    /// `alg` is taken from the JWK, or from `requested` when the JWK has none; the two
    /// must agree. `use` and `key_ops` must allow verification. The JWK's `kid` is kept.
    pub fn from_jwk(jwk: &Jwk, requested: Option<Algorithm>) -> Result<Self> {
        let alg = jwk_algorithm(jwk, requested)?;
        jwk.check_usage("verify")?;
        let key = match alg.family() {
            KeyFamily::Hmac => Self::hmac(alg, &Zeroizing::new(jwk.bytes("k")?))?,
            KeyFamily::Rsa => Self::from_rsa_parts(alg, &jwk.bytes("n")?, &jwk.bytes("e")?)?,
            KeyFamily::Ec(c) => Self::from_ec_point(alg, c, &ec_point_from_jwk(jwk, c)?)?,
            KeyFamily::Ed25519 => Self::from_ed25519(alg, &jwk.bytes("x")?)?,
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

    /// The key id, if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Check a JWS signature over `msg`. Any failure, including a signature of the wrong
    /// length or a DER-encoded ECDSA signature, is [`Error::InvalidSignature`].
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> Result<()> {
        let ok = match &*self.inner {
            VerifyInner::Hmac { key, .. } => ring::hmac::verify(key, msg, sig).is_ok(),
            VerifyInner::Rsa { der, .. } => {
                let params: &rsig::RsaParameters = match self.alg {
                    Algorithm::RS256 => &rsig::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::RS384 => &rsig::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::RS512 => &rsig::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::PS256 => &rsig::RSA_PSS_2048_8192_SHA256,
                    Algorithm::PS384 => &rsig::RSA_PSS_2048_8192_SHA384,
                    _ => &rsig::RSA_PSS_2048_8192_SHA512,
                };
                rsig::UnparsedPublicKey::new(params, der)
                    .verify(msg, sig)
                    .is_ok()
            }
            VerifyInner::Ecdsa { curve, point } => {
                let alg: &rsig::EcdsaVerificationAlgorithm = match curve {
                    Curve::P384 => &rsig::ECDSA_P384_SHA384_FIXED,
                    _ => &rsig::ECDSA_P256_SHA256_FIXED,
                };
                rsig::UnparsedPublicKey::new(alg, point)
                    .verify(msg, sig)
                    .is_ok()
            }
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
            VerifyInner::Ed25519 { fast, .. } => fast.as_ref().is_some_and(|key| {
                ed25519_dalek::Signature::from_slice(sig)
                    .is_ok_and(|s| ed25519_dalek::Verifier::verify(key, msg, &s).is_ok())
            }),
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
            VerifyInner::Ecdsa { curve, point } => ec_jwk(*curve, point)?,
            VerifyInner::P521 { point, .. } => ec_jwk(Curve::P521, point)?,
            VerifyInner::K256 { point, .. } => ec_jwk(Curve::Secp256k1, point)?,
            VerifyInner::Ed25519 { public, .. } => {
                let mut m = serde_json::Map::new();
                m.insert("kty".into(), "OKP".into());
                m.insert("crv".into(), "Ed25519".into());
                m.insert("x".into(), json::b64_encode(public).into());
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

    /// The public key as SPKI PEM (`PUBLIC KEY`).
    pub fn to_pem(&self) -> Result<String> {
        let (kind, public): (KeyKind, &[u8]) = match &*self.inner {
            VerifyInner::Hmac { .. } => {
                return Err(Error::InvalidArgument(
                    "HMAC secrets have no PEM form".into(),
                ));
            }
            VerifyInner::Rsa { der, .. } => (KeyKind::Rsa, der),
            VerifyInner::Ecdsa { curve, point } => (KeyKind::Ec(*curve), point),
            VerifyInner::P521 { point, .. } => (KeyKind::Ec(Curve::P521), point),
            VerifyInner::K256 { point, .. } => (KeyKind::Ec(Curve::Secp256k1), point),
            VerifyInner::Ed25519 { public, .. } => (KeyKind::Ed25519, public),
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

#[cfg(feature = "rsa-generate")]
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
        let rng = ring::rand::SystemRandom::new();
        while ring::rand::SecureRandom::fill(&rng, dst).is_err() {}
    }
}
