//! Typed JWE keys: [`EncryptionKey`] (what a sender holds) and [`DecryptionKey`] (what a
//! recipient holds), each bound to one [`KeyAlgorithm`] when it is made.
//!
//! A key never changes algorithm: an `A128KW` key cannot be used for `A128GCMKW`, an
//! ECDH key cannot be used as a symmetric secret, whatever a token's header says. A
//! `dir` key may additionally be bound to one [`ContentEncryption`]; its size always has
//! to fit the `enc` it is used with.

use std::fmt;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::alg::{ContentEncryption, EcdhCurve, KeyAlgorithm, KeyKind};
use super::crypto::{EcdhPrivate, EcdhPublic, Secret, random_secret};
#[cfg(feature = "aws-lc")]
use super::rsa::{RsaPrivate, RsaPublic};
use crate::error::{Error, Result};
use crate::json::b64_encode;
use crate::jwk::Jwk;

/// Default PBKDF2 iteration count when encrypting with a password (OWASP 2023 guidance
/// for PBKDF2-HMAC-SHA256).
pub const DEFAULT_PBES2_ITERATIONS: u32 = 600_000;
/// Smallest `p2c` this crate will produce (RFC 7518 4.8.1.2 recommends at least 1000).
pub const MIN_PBES2_ITERATIONS: u32 = 1000;

#[derive(Clone)]
pub(crate) enum Private {
    Secret(Secret),
    Password(Secret),
    Ecdh(EcdhPrivate),
    #[cfg(feature = "aws-lc")]
    Rsa(RsaPrivate),
}

#[derive(Clone)]
pub(crate) enum Public {
    Secret(Secret),
    Password {
        password: Secret,
        p2c: u32,
    },
    Ecdh(EcdhPublic),
    #[cfg(feature = "aws-lc")]
    Rsa(RsaPublic),
}

/// A recipient's key: decrypts JWEs made for one key management algorithm.
#[derive(Clone)]
pub struct DecryptionKey {
    pub(crate) alg: KeyAlgorithm,
    pub(crate) enc: Option<ContentEncryption>,
    pub(crate) kid: Option<String>,
    pub(crate) material: Private,
}

/// A sender's key: encrypts JWEs for one recipient with one key management algorithm.
/// For ECDH-ES it is the recipient's public key; otherwise the shared secret or password.
#[derive(Clone)]
pub struct EncryptionKey {
    pub(crate) alg: KeyAlgorithm,
    pub(crate) enc: Option<ContentEncryption>,
    pub(crate) kid: Option<String>,
    pub(crate) material: Public,
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("alg", &self.alg)
            .field("enc", &self.enc)
            .field("kid", &self.kid)
            .field("material", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("EncryptionKey");
        d.field("alg", &self.alg)
            .field("enc", &self.enc)
            .field("kid", &self.kid);
        match &self.material {
            Public::Ecdh(p) => d.field("curve", &p.curve),
            _ => d.field("material", &"<redacted>"),
        };
        d.finish()
    }
}

/// `alg` must be an RSA-OAEP algorithm.
#[cfg(feature = "aws-lc")]
fn rsa_alg(alg: KeyAlgorithm) -> Result<()> {
    if alg.key_kind() == KeyKind::Rsa {
        Ok(())
    } else {
        Err(Error::KeyAlgorithmMismatch(format!(
            "{alg} is not an RSA algorithm"
        )))
    }
}

/// Check a symmetric secret's size against `alg` (and `enc` for `dir`).
fn check_symmetric(alg: KeyAlgorithm, enc: Option<ContentEncryption>, secret: &[u8]) -> Result<()> {
    match alg.key_kind() {
        KeyKind::Symmetric => {}
        _ => {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "{alg} does not use a shared secret"
            )));
        }
    }
    let ok = match (alg.wrap_key_len(), enc) {
        (Some(n), _) => secret.len() == n,
        (None, Some(e)) => secret.len() == e.key_len(),
        (None, None) => ContentEncryption::ALL
            .iter()
            .any(|e| e.key_len() == secret.len()),
    };
    if ok {
        Ok(())
    } else {
        let want = match (alg.wrap_key_len(), enc) {
            (Some(n), _) => n.to_string(),
            (None, Some(e)) => e.key_len().to_string(),
            (None, None) => "16, 24, 32, 48 or 64".into(),
        };
        Err(Error::InvalidKey(format!(
            "{alg}{} needs a {want}-byte key, got {} bytes",
            enc.map(|e| format!(" with {e}")).unwrap_or_default(),
            secret.len()
        )))
    }
}

/// Check that `enc` fits a key bound to `alg`/`bound` with `secret_len` bytes (for `dir`).
pub(crate) fn check_enc(
    alg: KeyAlgorithm,
    bound: Option<ContentEncryption>,
    dir_len: Option<usize>,
    enc: ContentEncryption,
) -> Result<()> {
    if let Some(b) = bound {
        if b != enc {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "the key is bound to {b}, not {enc}"
            )));
        }
    }
    if let (KeyAlgorithm::Dir, Some(n)) = (alg, dir_len) {
        if n != enc.key_len() {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "a {n}-byte `dir` key cannot be used with {enc} ({} bytes)",
                enc.key_len()
            )));
        }
    }
    Ok(())
}

/// `alg` (and, for a `dir` key, `enc`) from a JWK and the caller's request. RFC 7520
/// writes a `dir` key's content encryption algorithm in the JWK's `alg` (e.g. `A128GCM`);
/// that is accepted and binds the key to it.
fn jwk_algorithm(
    jwk: &Jwk,
    requested: Option<KeyAlgorithm>,
) -> Result<(KeyAlgorithm, Option<ContentEncryption>)> {
    let declared = match jwk.alg() {
        None => None,
        Some(a) => match a.parse::<ContentEncryption>() {
            Ok(enc) => Some((KeyAlgorithm::Dir, Some(enc))),
            Err(_) => Some((a.parse::<KeyAlgorithm>()?, None)),
        },
    };
    let (alg, enc) = match (declared, requested) {
        (Some((a, _)), Some(b)) if a != b => {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "JWK is for {a}, requested {b}"
            )));
        }
        (Some(d), _) => d,
        (None, Some(a)) => (a, None),
        (None, None) => {
            return Err(Error::InvalidArgument(
                "the JWK has no `alg`; say which key management algorithm it is for".into(),
            ));
        }
    };
    let fits = match alg.key_kind() {
        KeyKind::Symmetric | KeyKind::Password => jwk.kty() == "oct",
        KeyKind::Ecdh => jwk
            .crv()
            .and_then(|c| EcdhCurve::from_jwk(jwk.kty(), c))
            .is_some(),
        #[cfg(feature = "aws-lc")]
        KeyKind::Rsa => jwk.kty() == "RSA",
    };
    if !fits {
        return Err(Error::KeyAlgorithmMismatch(format!(
            "a `{}` JWK{} cannot be used with {alg}",
            crate::error::truncate(jwk.kty(), 8),
            jwk.crv()
                .map(|c| format!(" on {}", crate::error::truncate(c, 16)))
                .unwrap_or_default()
        )));
    }
    Ok((alg, enc))
}

/// `use` must be `enc` if present; `key_ops`, if present, must include one of `ops`.
fn check_usage(jwk: &Jwk, ops: &[&str]) -> Result<()> {
    if let Some(u) = jwk.key_use() {
        if u != "enc" {
            return Err(Error::KeyUsageNotAllowed(format!(
                "JWK `use` is `{}`",
                crate::error::truncate(u, 16)
            )));
        }
    }
    if let Some(Value::Array(list)) = jwk.as_map().get("key_ops") {
        if !list
            .iter()
            .any(|o| o.as_str().is_some_and(|o| ops.contains(&o)))
        {
            return Err(Error::KeyUsageNotAllowed(format!(
                "JWK `key_ops` includes none of {}",
                ops.join(", ")
            )));
        }
    }
    Ok(())
}

fn jwk_curve(jwk: &Jwk) -> Result<EcdhCurve> {
    jwk.crv()
        .and_then(|c| EcdhCurve::from_jwk(jwk.kty(), c))
        .ok_or_else(|| Error::invalid_key("unsupported ECDH curve"))
}

fn jwk_public(jwk: &Jwk, curve: EcdhCurve) -> Result<EcdhPublic> {
    let x = jwk.bytes("x")?;
    let y = if curve == EcdhCurve::X25519 {
        None
    } else {
        Some(jwk.bytes("y")?)
    };
    EcdhPublic::from_coordinates(curve, &x, y.as_deref())
}

pub(crate) fn public_jwk_map(p: &EcdhPublic) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("kty".into(), p.curve.jwk_kty().into());
    m.insert("crv".into(), p.curve.jwk_name().into());
    let (x, y) = p.coordinates();
    m.insert("x".into(), b64_encode(x).into());
    if let Some(y) = y {
        m.insert("y".into(), b64_encode(y).into());
    }
    m
}

impl DecryptionKey {
    /// A shared secret for `A128KW`..`A256KW`, `A128GCMKW`..`A256GCMKW` (exactly 16, 24
    /// or 32 bytes) or `dir` (16, 24, 32, 48 or 64 bytes; the size must match the `enc`
    /// of each token). Other sizes give [`Error::InvalidKey`].
    pub fn symmetric(alg: KeyAlgorithm, secret: &[u8]) -> Result<Self> {
        check_symmetric(alg, None, secret)?;
        Ok(DecryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Private::Secret(Zeroizing::new(secret.to_vec())),
        })
    }

    /// A `dir` key bound to one content encryption algorithm.
    pub fn dir(enc: ContentEncryption, secret: &[u8]) -> Result<Self> {
        check_symmetric(KeyAlgorithm::Dir, Some(enc), secret)?;
        Ok(DecryptionKey::symmetric(KeyAlgorithm::Dir, secret)?.with_enc(enc))
    }

    /// A password for `PBES2-*`. The decrypter still refuses PBES2 unless it was enabled
    /// with an iteration cap ([`super::DecryptOptions::allow_pbes2`]).
    pub fn password(alg: KeyAlgorithm, password: &[u8]) -> Result<Self> {
        if !alg.is_pbes2() {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "{alg} does not use a password"
            )));
        }
        if password.is_empty() {
            return Err(Error::WeakKey("empty password".into()));
        }
        Ok(DecryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Private::Password(Zeroizing::new(password.to_vec())),
        })
    }

    /// A static ECDH private key from its scalar (`d`, big-endian, exactly the curve's
    /// size; for X25519 the 32-byte private key).
    pub fn ecdh(alg: KeyAlgorithm, curve: EcdhCurve, d: &[u8]) -> Result<Self> {
        if alg.key_kind() != KeyKind::Ecdh {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "{alg} is not an ECDH algorithm"
            )));
        }
        Ok(DecryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Private::Ecdh(EcdhPrivate::from_scalar(curve, d)?),
        })
    }

    #[cfg(feature = "aws-lc")]
    fn rsa(alg: KeyAlgorithm, key: RsaPrivate) -> Result<Self> {
        rsa_alg(alg)?;
        Ok(DecryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Private::Rsa(key),
        })
    }

    /// An RSA private key for `RSA-OAEP` / `RSA-OAEP-256` from PEM (`PRIVATE KEY` or
    /// `RSA PRIVATE KEY`), with the same rules as [`crate::SigningKey::from_pem`]: at
    /// least 2048 bits, no ROCA modulus. Feature `aws-lc` only.
    #[cfg(feature = "aws-lc")]
    pub fn rsa_from_pem(alg: KeyAlgorithm, pem: impl AsRef<[u8]>) -> Result<Self> {
        rsa_alg(alg)?;
        DecryptionKey::rsa(alg, RsaPrivate::from_pem(pem.as_ref())?)
    }

    /// An RSA private key from DER (PKCS#8 or PKCS#1). Feature `aws-lc` only.
    #[cfg(feature = "aws-lc")]
    pub fn rsa_from_der(alg: KeyAlgorithm, der: &[u8]) -> Result<Self> {
        rsa_alg(alg)?;
        DecryptionKey::rsa(alg, RsaPrivate::from_der(der)?)
    }

    /// A fresh 2048-bit RSA key for `RSA-OAEP` / `RSA-OAEP-256`. Feature `aws-lc` only.
    #[cfg(feature = "aws-lc")]
    pub fn generate_rsa(alg: KeyAlgorithm) -> Result<Self> {
        rsa_alg(alg)?;
        DecryptionKey::rsa(alg, RsaPrivate::generate()?)
    }

    /// A fresh random key for a symmetric algorithm (`A*KW`, `A*GCMKW`; for `dir` use
    /// [`DecryptionKey::generate_dir`]).
    pub fn generate(alg: KeyAlgorithm) -> Result<Self> {
        let n = alg
            .wrap_key_len()
            .filter(|_| alg.key_kind() == KeyKind::Symmetric)
            .ok_or_else(|| {
                Error::InvalidArgument(format!("cannot generate a {alg} key this way"))
            })?;
        DecryptionKey::symmetric(alg, &random_secret(n)?)
    }

    /// A fresh random `dir` key for `enc`.
    pub fn generate_dir(enc: ContentEncryption) -> Result<Self> {
        DecryptionKey::dir(enc, &random_secret(enc.key_len())?)
    }

    /// A fresh ECDH key pair on `curve` for an `ECDH-ES*` algorithm.
    pub fn generate_ecdh(alg: KeyAlgorithm, curve: EcdhCurve) -> Result<Self> {
        if alg.key_kind() != KeyKind::Ecdh {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "{alg} is not an ECDH algorithm"
            )));
        }
        Ok(DecryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Private::Ecdh(EcdhPrivate::generate(curve)?),
        })
    }

    /// A fresh key for any key management algorithm that has one to generate: the one
    /// entry point the bindings' `generate` calls. `dir` needs `enc` (the key's size is
    /// `enc`'s); `ECDH-ES*` takes `curve` (P-256 when `None`); `RSA-OAEP*` (feature
    /// `aws-lc`) makes a 2048-bit key; the key-wrapping algorithms a random secret of their
    /// size. `enc`, when given, also binds the other keys to that content encryption;
    /// `curve` is ignored outside ECDH. PBES2 passwords are chosen, not generated:
    /// [`Error::InvalidArgument`].
    pub fn generate_for(
        alg: KeyAlgorithm,
        enc: Option<ContentEncryption>,
        curve: Option<EcdhCurve>,
    ) -> Result<Self> {
        let key = match alg.key_kind() {
            _ if alg == KeyAlgorithm::Dir => {
                let enc =
                    enc.ok_or_else(|| Error::InvalidArgument("a `dir` key needs `enc`".into()))?;
                return DecryptionKey::generate_dir(enc);
            }
            KeyKind::Ecdh => DecryptionKey::generate_ecdh(alg, curve.unwrap_or(EcdhCurve::P256))?,
            #[cfg(feature = "aws-lc")]
            KeyKind::Rsa => DecryptionKey::generate_rsa(alg)?,
            KeyKind::Symmetric | KeyKind::Password => DecryptionKey::generate(alg)?,
        };
        Ok(match enc {
            Some(enc) => key.with_enc(enc),
            None => key,
        })
    }

    /// The JWK a sender needs to encrypt to this key: the public JWK of an ECDH or RSA
    /// key, the private (secret) JWK of a shared-secret key, which senders and recipient
    /// hold alike.
    pub fn sender_jwk(&self) -> Result<Jwk> {
        match &self.material {
            Private::Secret(_) | Private::Password(_) => self.to_private_jwk(),
            _ => self.to_public_jwk(),
        }
    }

    /// A key from a private JWK (`oct` with `k`, `EC` P-256/P-384/P-521 or `OKP` X25519
    /// with `d`). `alg` comes from the JWK or `requested` (they must agree); `use` must be
    /// `enc` and `key_ops`, if present, must allow decryption. The `kid` is kept.
    pub fn from_jwk(jwk: &Jwk, requested: Option<KeyAlgorithm>) -> Result<Self> {
        let (alg, enc) = jwk_algorithm(jwk, requested)?;
        check_usage(jwk, &["decrypt", "unwrapKey", "deriveKey", "deriveBits"])?;
        let mut key = match alg.key_kind() {
            KeyKind::Symmetric => DecryptionKey::symmetric(alg, &Zeroizing::new(jwk.bytes("k")?))?,
            KeyKind::Password => DecryptionKey::password(alg, &Zeroizing::new(jwk.bytes("k")?))?,
            KeyKind::Ecdh => {
                let curve = jwk_curve(jwk)?;
                let d = jwk
                    .opt_bytes("d")?
                    .ok_or_else(|| Error::invalid_key("a public JWK cannot decrypt"))?;
                let key = DecryptionKey::ecdh(alg, curve, &d)?;
                // The public members, when present, must be this key's.
                if jwk.as_map().contains_key("x") {
                    let claimed = jwk_public(jwk, curve)?;
                    if let Private::Ecdh(p) = &key.material {
                        if p.public() != claimed {
                            return Err(Error::invalid_key("JWK `x`/`y` do not match `d`"));
                        }
                    }
                }
                key
            }
            #[cfg(feature = "aws-lc")]
            KeyKind::Rsa => DecryptionKey::rsa(alg, RsaPrivate::from_jwk(jwk)?)?,
        };
        if let Some(enc) = enc {
            check_symmetric(
                alg,
                Some(enc),
                match &key.material {
                    Private::Secret(s) => s,
                    _ => &[],
                },
            )?;
            key = key.with_enc(enc);
        }
        Ok(match jwk.kid() {
            Some(kid) => key.with_kid(kid),
            None => key,
        })
    }

    /// The same key with a `kid` (selects it among a decrypter's keys; written into the
    /// header by the matching [`EncryptionKey`]).
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The same key, only usable with `enc`.
    pub fn with_enc(mut self, enc: ContentEncryption) -> Self {
        self.enc = Some(enc);
        self
    }

    /// The key management algorithm the key is bound to.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.alg
    }

    /// The content encryption algorithm the key is bound to, if any.
    pub fn content_encryption(&self) -> Option<ContentEncryption> {
        self.enc
    }

    /// The key id.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The ECDH curve, for ECDH keys.
    pub fn curve(&self) -> Option<EcdhCurve> {
        match &self.material {
            Private::Ecdh(k) => Some(k.curve()),
            _ => None,
        }
    }

    /// The sender's side of this key: the public key for ECDH, the same secret otherwise
    /// (password keys get [`DEFAULT_PBES2_ITERATIONS`]).
    pub fn encryption_key(&self) -> EncryptionKey {
        let material = match &self.material {
            Private::Secret(s) => Public::Secret(s.clone()),
            Private::Password(p) => Public::Password {
                password: p.clone(),
                p2c: DEFAULT_PBES2_ITERATIONS,
            },
            Private::Ecdh(k) => Public::Ecdh(k.public()),
            #[cfg(feature = "aws-lc")]
            Private::Rsa(k) => Public::Rsa(k.public()),
        };
        EncryptionKey {
            alg: self.alg,
            enc: self.enc,
            kid: self.kid.clone(),
            material,
        }
    }

    /// The public JWK of an ECDH (or RSA) key (with `alg`, `use: enc` and `kid`), to hand
    /// to senders. Symmetric and password keys have no public form: [`Error::InvalidArgument`].
    pub fn to_public_jwk(&self) -> Result<Jwk> {
        self.encryption_key().to_public_jwk()
    }

    /// The private JWK (contains secret material: store it like a password).
    pub fn to_private_jwk(&self) -> Result<Jwk> {
        let mut m = match &self.material {
            Private::Secret(s) | Private::Password(s) => {
                let mut m = Map::new();
                m.insert("kty".into(), "oct".into());
                m.insert("k".into(), b64_encode(&**s).into());
                m
            }
            Private::Ecdh(k) => {
                let mut m = public_jwk_map(&k.public());
                m.insert("d".into(), b64_encode(&*k.scalar()?).into());
                m
            }
            #[cfg(feature = "aws-lc")]
            Private::Rsa(k) => k.jwk_members()?,
        };
        let alg = match (self.alg, self.enc) {
            (KeyAlgorithm::Dir, Some(enc)) => enc.as_str(),
            (a, _) => a.as_str(),
        };
        m.insert("alg".into(), alg.into());
        m.insert("use".into(), "enc".into());
        if let Some(kid) = &self.kid {
            m.insert("kid".into(), kid.clone().into());
        }
        Jwk::from_map(m)
    }

    pub(crate) fn dir_len(&self) -> Option<usize> {
        match &self.material {
            Private::Secret(s) => Some(s.len()),
            _ => None,
        }
    }
}

impl EncryptionKey {
    /// A shared secret; the same rules as [`DecryptionKey::symmetric`].
    pub fn symmetric(alg: KeyAlgorithm, secret: &[u8]) -> Result<Self> {
        Ok(DecryptionKey::symmetric(alg, secret)?.encryption_key())
    }

    /// A `dir` key bound to one content encryption algorithm.
    pub fn dir(enc: ContentEncryption, secret: &[u8]) -> Result<Self> {
        Ok(DecryptionKey::dir(enc, secret)?.encryption_key())
    }

    /// A password for `PBES2-*` with `iterations` PBKDF2 rounds (at least
    /// [`MIN_PBES2_ITERATIONS`]; [`DEFAULT_PBES2_ITERATIONS`] is a good choice). The
    /// recipient must allow at least as many.
    pub fn password(alg: KeyAlgorithm, password: &[u8], iterations: u32) -> Result<Self> {
        if iterations < MIN_PBES2_ITERATIONS {
            return Err(Error::WeakKey(format!(
                "PBES2 needs at least {MIN_PBES2_ITERATIONS} iterations"
            )));
        }
        let mut k = DecryptionKey::password(alg, password)?.encryption_key();
        if let Public::Password { p2c, .. } = &mut k.material {
            *p2c = iterations;
        }
        Ok(k)
    }

    /// A recipient's ECDH public key from its coordinates (`x`, and `y` for the NIST
    /// curves). A point that is not on the curve gives [`Error::InvalidKey`].
    pub fn ecdh(alg: KeyAlgorithm, curve: EcdhCurve, x: &[u8], y: Option<&[u8]>) -> Result<Self> {
        if alg.key_kind() != KeyKind::Ecdh {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "{alg} is not an ECDH algorithm"
            )));
        }
        Ok(EncryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Public::Ecdh(EcdhPublic::from_coordinates(curve, x, y)?),
        })
    }

    /// A recipient's RSA public key for `RSA-OAEP` / `RSA-OAEP-256` from PEM (`PUBLIC KEY`,
    /// `RSA PUBLIC KEY` or a certificate), as [`crate::VerifyingKey::from_pem`] reads it.
    /// Feature `aws-lc` only.
    #[cfg(feature = "aws-lc")]
    pub fn rsa_from_pem(alg: KeyAlgorithm, pem: impl AsRef<[u8]>) -> Result<Self> {
        rsa_alg(alg)?;
        Ok(EncryptionKey::rsa(alg, RsaPublic::from_pem(pem.as_ref())?))
    }

    /// A recipient's RSA public key from DER (SPKI or PKCS#1). Feature `aws-lc` only.
    #[cfg(feature = "aws-lc")]
    pub fn rsa_from_der(alg: KeyAlgorithm, der: &[u8]) -> Result<Self> {
        rsa_alg(alg)?;
        Ok(EncryptionKey::rsa(alg, RsaPublic::from_der(der)?))
    }

    #[cfg(feature = "aws-lc")]
    fn rsa(alg: KeyAlgorithm, key: RsaPublic) -> Self {
        EncryptionKey {
            alg,
            enc: None,
            kid: None,
            material: Public::Rsa(key),
        }
    }

    /// The recipient's RSA public key as SPKI PEM (RSA-OAEP keys only).
    #[cfg(feature = "aws-lc")]
    pub fn rsa_public_pem(&self) -> Result<String> {
        match &self.material {
            Public::Rsa(k) => k.to_pem(),
            _ => Err(Error::InvalidArgument("not an RSA key".into())),
        }
    }

    /// A key from a JWK: a recipient's public `EC`/`OKP` key for `ECDH-ES*` (a private
    /// JWK is accepted; only its public members are used), or an `oct` secret. `alg`
    /// comes from the JWK or `requested`; `use` must be `enc`; `key_ops`, if present,
    /// must allow encryption. The `kid` is kept and written into headers.
    pub fn from_jwk(jwk: &Jwk, requested: Option<KeyAlgorithm>) -> Result<Self> {
        let (alg, enc) = jwk_algorithm(jwk, requested)?;
        check_usage(jwk, &["encrypt", "wrapKey", "deriveKey", "deriveBits"])?;
        let mut key = match alg.key_kind() {
            KeyKind::Symmetric => EncryptionKey::symmetric(alg, &Zeroizing::new(jwk.bytes("k")?))?,
            KeyKind::Password => EncryptionKey::password(
                alg,
                &Zeroizing::new(jwk.bytes("k")?),
                DEFAULT_PBES2_ITERATIONS,
            )?,
            KeyKind::Ecdh => {
                let curve = jwk_curve(jwk)?;
                EncryptionKey {
                    alg,
                    enc: None,
                    kid: None,
                    material: Public::Ecdh(jwk_public(jwk, curve)?),
                }
            }
            #[cfg(feature = "aws-lc")]
            KeyKind::Rsa => EncryptionKey::rsa(alg, RsaPublic::from_jwk(jwk)?),
        };
        if let Some(enc) = enc {
            if let Public::Secret(s) = &key.material {
                check_symmetric(alg, Some(enc), s)?;
            }
            key = key.with_enc(enc);
        }
        Ok(match jwk.kid() {
            Some(kid) => key.with_kid(kid),
            None => key,
        })
    }

    /// The same key with a `kid`, written into every header it produces.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// The same key, only usable with `enc`.
    pub fn with_enc(mut self, enc: ContentEncryption) -> Self {
        self.enc = Some(enc);
        self
    }

    /// The key management algorithm the key is bound to.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.alg
    }

    /// The key id.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The public JWK of an ECDH (or RSA) recipient key.
    pub fn to_public_jwk(&self) -> Result<Jwk> {
        let mut m = match &self.material {
            Public::Ecdh(p) => public_jwk_map(p),
            #[cfg(feature = "aws-lc")]
            Public::Rsa(k) => k.jwk_members()?,
            _ => {
                return Err(Error::InvalidArgument(
                    "only ECDH and RSA keys have a public JWK".into(),
                ));
            }
        };
        m.insert("alg".into(), self.alg.as_str().into());
        m.insert("use".into(), "enc".into());
        if let Some(kid) = &self.kid {
            m.insert("kid".into(), kid.clone().into());
        }
        Jwk::from_map(m)
    }

    pub(crate) fn dir_len(&self) -> Option<usize> {
        match &self.material {
            Public::Secret(s) => Some(s.len()),
            _ => None,
        }
    }
}
