//! Key files: PEM, DER, a JWK, a JWK set or an OpenSSH public key, told apart and bound
//! to algorithms by jwt-core (`KeySet::from_material`, `SigningKey::from_material`):
//! from the caller (`--alg`) or from the key itself, never from the token. This module
//! only reads files and words the errors for a command line.

use std::path::Path;

use jwt_core::{
    Algorithm, Error, HmacPolicy, Jwk, JwkSet, KeySet, MaterialForm, SigningKey, VerifyingKey,
};
use zeroize::Zeroizing;

use crate::{Context, Failure};

/// A key file's bytes and the form jwt-core recognised.
pub struct KeyFile {
    /// The exact bytes.
    pub bytes: Zeroizing<Vec<u8>>,
    /// What they are (never [`MaterialForm::Secret`]: secrets go in `--secret-file`).
    pub form: MaterialForm,
}

/// Read a key file; a file that holds no key form is an error (not a secret).
pub fn read(path: &Path) -> Result<KeyFile, Failure> {
    let bytes = crate::read_file(path)?;
    let form = MaterialForm::of(&bytes);
    if form == MaterialForm::Secret {
        return Err(Error::InvalidKey(
            "not PEM, DER, a JWK, a JWK set or an OpenSSH public key (an HMAC secret goes in --secret-file)"
                .into(),
        ))
        .context(format!("reading key file {}", path.display()));
    }
    Ok(KeyFile { bytes, form })
}

/// The core's error for `path`, except that "this key fits several algorithms" without
/// `--alg` is a usage error (exit 2): choosing for the caller would be guessing.
fn key_error(path: &Path, form: MaterialForm, no_alg: bool, e: Error) -> Failure {
    match e {
        Error::InvalidArgument(why) if no_alg && form.is_asymmetric() => {
            Failure::Usage(format!("{}: {why} (say which with --alg)", path.display()))
        }
        e => Failure::Core {
            context: format!("reading key file {}", path.display()),
            error: e,
        },
    }
}

/// A signing key from a private PEM, DER or JWK file.
pub fn signing_key(path: &Path, alg: Option<Algorithm>) -> Result<SigningKey, Failure> {
    let f = read(path)?;
    SigningKey::from_material(&f.bytes, alg).map_err(|e| key_error(path, f.form, alg.is_none(), e))
}

/// An HMAC key from a secret file's exact bytes.
pub fn secret_key(path: &Path, alg: Algorithm) -> Result<SigningKey, Failure> {
    let secret = crate::read_file(path)?;
    SigningKey::hmac(alg, &secret).context(format!("secret file {}", path.display()))
}

/// The verifying keys a file yields for the requested algorithms.
///
/// With `lenient`, a key that fits none of the requested algorithms is bound to what it
/// implies instead (`jwt jwks a.pem rsa.pem --alg RS256`: the `--alg` is for the RSA
/// key), and a JWK set keeps every usable key; otherwise a misfit is an error (`jwt
/// verify --key ec.pem --alg RS256`).
pub fn verifying_keys(
    path: &Path,
    requested: &[Algorithm],
    lenient: bool,
) -> Result<Vec<VerifyingKey>, Failure> {
    let f = read(path)?;
    if lenient && f.form == MaterialForm::Jwks {
        let ctx = format!("reading key file {}", path.display());
        let set = JwkSet::from_json(&f.bytes[..]).context(&ctx)?;
        return keys_from_set(&set, requested, &ctx);
    }
    let load = |algs: &[Algorithm]| KeySet::from_material(&f.bytes, algs, HmacPolicy::Refuse);
    let loaded = match load(requested) {
        Err(Error::KeyAlgorithmMismatch(_)) if lenient && !requested.is_empty() => load(&[]),
        r => r,
    }
    .map_err(|e| key_error(path, f.form, requested.is_empty(), e))?;
    Ok(loaded.keys.keys().to_vec())
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

/// A public key from a key file for display (`thumbprint`): any algorithm of its family
/// will do, since none matters.
pub fn any_verifying_key(path: &Path) -> Result<Thumbprintable, Failure> {
    let ctx = format!("reading key file {}", path.display());
    let f = read(path)?;
    match f.form {
        MaterialForm::Jwk => Ok(Thumbprintable::Jwk(
            Jwk::from_json(&f.bytes[..]).context(ctx)?,
        )),
        MaterialForm::Jwks => Err(Error::InvalidArgument(
            "expected one key, got a JWK set".into(),
        ))
        .context(ctx),
        form => {
            let loaded = KeySet::from_material(&f.bytes, &Algorithm::ALL, HmacPolicy::Refuse)
                .map_err(|e| key_error(path, form, false, e))?;
            Ok(Thumbprintable::Key(loaded.keys.keys()[0].clone()))
        }
    }
}

/// A key whose RFC 7638 thumbprint can be computed.
pub enum Thumbprintable {
    /// Parsed from PEM, DER or an OpenSSH line.
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
