//! Key files: PEM, a JWK, or a JWK set, told apart by their content, and bound to
//! algorithms the way jwt-core requires: from the caller (`--alg`) or from the key
//! itself, never from the token.

use std::path::Path;

use jwt_core::{Algorithm, Error, Jwk, JwkSet, KeySet, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::{Context, Failure};

/// What a key file holds.
pub enum KeyFile {
    /// PEM text (one or more blocks).
    Pem(Zeroizing<Vec<u8>>),
    /// One JWK.
    Jwk(Jwk),
    /// A JWK set.
    Jwks(JwkSet),
}

/// Read and classify a key file.
pub fn read(path: &Path) -> Result<KeyFile, Failure> {
    let bytes = crate::read_file(path)?;
    let ctx = format!("reading key file {}", path.display());
    let text = bytes.trim_ascii_start();
    if text.starts_with(b"-----BEGIN") {
        return Ok(KeyFile::Pem(bytes));
    }
    if text.starts_with(b"{") {
        // Peek at the members to tell a set from a key; the core then parses strictly.
        let peek: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(text)
            .map_err(|e| Error::InvalidKey(format!("not valid JSON: {e}")))
            .context(&ctx)?;
        if peek.contains_key("keys") && !peek.contains_key("kty") {
            return JwkSet::from_json(text).context(&ctx).map(KeyFile::Jwks);
        }
        return Jwk::from_json(text).context(&ctx).map(KeyFile::Jwk);
    }
    Err(Error::InvalidKey(
        "not a PEM file, a JWK or a JWK set (DER files: convert with `openssl pkey -outform PEM`)"
            .into(),
    ))
    .context(ctx)
}

/// One algorithm per key family: which of these a PEM key parses with tells its family.
const PROBES: [Algorithm; 6] = [
    Algorithm::RS256,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::ES512,
    Algorithm::ES256K,
    Algorithm::EdDSA,
];

/// The family probe a PEM key parses with, via `parse` (signing or verifying).
fn probe<T>(
    path: &Path,
    parse: impl Fn(Algorithm) -> jwt_core::Result<T>,
) -> Result<(Algorithm, T), Failure> {
    let mut first_err = None;
    for alg in PROBES {
        match parse(alg) {
            Ok(k) => return Ok((alg, k)),
            Err(Error::KeyAlgorithmMismatch(_)) => {}
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    Err(first_err.unwrap_or_else(|| Error::InvalidKey("a key of an unsupported type".into())))
        .context(format!("reading key file {}", path.display()))
}

/// The algorithms a key of `probe`'s family is used with: those of `requested` that fit,
/// or the one its curve implies. An RSA key without `--alg` is a usage error: RSA fits
/// six algorithms and choosing for the caller would be guessing.
fn algorithms_for(
    path: &Path,
    probe: Algorithm,
    requested: &[Algorithm],
) -> Result<Vec<Algorithm>, Failure> {
    let fitting: Vec<Algorithm> = Algorithm::ALL
        .into_iter()
        .filter(|a| a.family() == probe.family())
        .collect();
    if !requested.is_empty() {
        let chosen: Vec<Algorithm> = requested
            .iter()
            .copied()
            .filter(|a| fitting.contains(a))
            .collect();
        if chosen.is_empty() {
            let names: Vec<&str> = requested.iter().map(|a| a.as_str()).collect();
            return Err(Error::KeyAlgorithmMismatch(format!(
                "it holds {} key, which cannot be used with {}",
                match probe.jwk_kty() {
                    "EC" => "an EC",
                    "OKP" => "an Ed25519",
                    _ => "an RSA",
                },
                names.join(", ")
            )))
            .context(format!("key file {}", path.display()));
        }
        return Ok(chosen);
    }
    if fitting.len() == 1 {
        return Ok(fitting);
    }
    let names: Vec<&str> = fitting.iter().map(|a| a.as_str()).collect();
    Err(Failure::Usage(format!(
        "{} holds an RSA key, which fits {}: say which with --alg",
        path.display(),
        names.join(", ")
    )))
}

/// A signing key from a private PEM or JWK file.
pub fn signing_key(path: &Path, alg: Option<Algorithm>) -> Result<SigningKey, Failure> {
    let ctx = format!("reading key file {}", path.display());
    match read(path)? {
        KeyFile::Pem(pem) => match alg {
            Some(alg) => SigningKey::from_pem(alg, &pem[..]).context(ctx),
            None => {
                let (probe, key) = probe(path, |a| SigningKey::from_pem(a, &pem[..]))?;
                algorithms_for(path, probe, &[])?;
                Ok(key)
            }
        },
        KeyFile::Jwk(jwk) => SigningKey::from_jwk(&jwk, alg).context(ctx),
        KeyFile::Jwks(_) => Err(Failure::Usage(format!(
            "{} is a JWK set; pass one private JWK (or PEM) to sign",
            path.display()
        ))),
    }
}

/// An HMAC key from a secret file's exact bytes.
pub fn secret_key(path: &Path, alg: Algorithm) -> Result<SigningKey, Failure> {
    let secret = crate::read_file(path)?;
    SigningKey::hmac(alg, &secret).context(format!("secret file {}", path.display()))
}

/// The verifying keys a file yields for the requested algorithms.
///
/// With `lenient`, requested algorithms of another family than the key's are ignored
/// (`jwt jwks a.pem rsa.pem --alg RS256`: the `--alg` is for the RSA key); otherwise
/// they are an error (`jwt verify --key ec.pem --alg RS256`).
pub fn verifying_keys(
    path: &Path,
    requested: &[Algorithm],
    lenient: bool,
) -> Result<Vec<VerifyingKey>, Failure> {
    let ctx = format!("reading key file {}", path.display());
    match read(path)? {
        KeyFile::Pem(pem) => {
            let (probe, _) = probe(path, |a| VerifyingKey::from_pem(a, &pem[..]))?;
            let requested: Vec<Algorithm> = if lenient {
                requested
                    .iter()
                    .copied()
                    .filter(|a| a.family() == probe.family())
                    .collect()
            } else {
                requested.to_vec()
            };
            algorithms_for(path, probe, &requested)?
                .into_iter()
                .map(|a| VerifyingKey::from_pem(a, &pem[..]).context(&ctx))
                .collect()
        }
        KeyFile::Jwk(jwk) => {
            let fitting: Vec<Algorithm> = requested
                .iter()
                .copied()
                .filter(|a| a.jwk_kty() == jwk.kty())
                .collect();
            if jwk.alg().is_some() || requested.is_empty() || (lenient && fitting.is_empty()) {
                return Ok(vec![VerifyingKey::from_jwk(&jwk, None).context(ctx)?]);
            }
            if fitting.is_empty() {
                return Err(Error::KeyAlgorithmMismatch(format!(
                    "a `{}` JWK fits none of the --alg values",
                    jwk.kty()
                )))
                .context(ctx);
            }
            fitting
                .into_iter()
                .map(|a| VerifyingKey::from_jwk(&jwk, Some(a)).context(&ctx))
                .collect()
        }
        KeyFile::Jwks(set) => keys_from_set(&set, requested, &ctx),
    }
}

/// Keys from a JWK set; an error when none is usable for signatures.
pub fn keys_from_set(
    set: &JwkSet,
    requested: &[Algorithm],
    ctx: &str,
) -> Result<Vec<VerifyingKey>, Failure> {
    let keys = KeySet::from_jwks(set, requested).context(ctx)?;
    if keys.is_empty() {
        return Err(Error::KeyNotFound(
            "the JWK set holds no signature key usable with these algorithms (RSA keys without `alg` need --alg)".into(),
        ))
        .context(ctx);
    }
    Ok(keys.keys().to_vec())
}

/// A public key from a PEM or JWK file for display (`jwks`, `thumbprint`): the
/// family's probe algorithm suffices when no algorithm matters.
pub fn any_verifying_key(path: &Path) -> Result<Thumbprintable, Failure> {
    let ctx = format!("reading key file {}", path.display());
    match read(path)? {
        KeyFile::Pem(pem) => {
            let (_, key) = probe(path, |a| VerifyingKey::from_pem(a, &pem[..]))?;
            Ok(Thumbprintable::Key(key))
        }
        KeyFile::Jwk(jwk) => Ok(Thumbprintable::Jwk(jwk)),
        KeyFile::Jwks(_) => Err(Error::InvalidArgument(
            "expected one key (PEM or JWK), got a JWK set".into(),
        ))
        .context(ctx),
    }
}

/// A key whose RFC 7638 thumbprint can be computed.
pub enum Thumbprintable {
    /// Parsed from PEM.
    Key(VerifyingKey),
    /// A JWK as given (private members are ignored by the thumbprint).
    Jwk(Jwk),
}

impl Thumbprintable {
    /// The thumbprint and the key type.
    pub fn thumbprint(&self) -> jwt_core::Result<(String, String)> {
        match self {
            Thumbprintable::Key(k) => Ok((k.thumbprint()?, k.algorithm().jwk_kty().to_owned())),
            Thumbprintable::Jwk(j) => Ok((j.thumbprint()?, j.kty().to_owned())),
        }
    }
}
