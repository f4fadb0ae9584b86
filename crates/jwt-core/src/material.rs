//! "What a user passes as a key", turned into typed keys once, in one place.
//!
//! PyJWT's `decode(token, key, algorithms=...)`, jsonwebtoken's `verify(token,
//! secretOrPublicKey)`, the CLI's `--key file` and the service's configuration all take
//! key material of unknown form: a secret, PEM (public, private or a certificate), DER, a
//! JWK, a JWK set or an OpenSSH public-key line. [`KeySet::from_material`] (verifying) and
//! [`SigningKey::from_material`] (signing) tell the form from the content, never from
//! the token, and bind the key to each *allowed* algorithm it fits, so no binding has to
//! decide that again.
//!
//! The form decides the family: material that is asymmetric in any spelling is never an
//! HMAC secret (the guard in `key_guard`), and a secret is only ever bound to HMAC
//! algorithms. The HMAC minimum length (RFC 7518 3.2) is the caller's [`HmacPolicy`], so
//! that each binding can mirror its peer: refuse (this crate's default), warn (PyJWT's
//! `InsecureKeyLengthWarning`) or allow (jsonwebtoken).

use std::fmt;

use serde_json::Value;

use crate::alg::{Algorithm, KeyFamily};
use crate::der;
use crate::error::{Error, Result};
use crate::jwk::{Jwk, JwkSet, MAX_JWKS_BYTES};
use crate::key::{SigningKey, VerifyingKey};
use crate::verify::KeySet;

/// What to do with an HMAC secret shorter than the hash output (RFC 7518 3.2).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum HmacPolicy {
    /// Refuse it with [`Error::WeakKey`] (the default).
    #[default]
    Refuse,
    /// Accept it and report a [`KeyWarning::ShortHmacSecret`], which a binding turns into
    /// its peer's warning (PyJWT's `InsecureKeyLengthWarning`).
    Warn,
    /// Accept it silently (jsonwebtoken's behaviour).
    Allow,
}

/// The form key material was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum MaterialForm {
    /// Raw bytes: an HMAC secret.
    Secret,
    /// PEM: a public key, a private key (its public half verifies) or an X.509
    /// certificate (its SubjectPublicKeyInfo; validity dates are not a key check).
    Pem,
    /// DER: SubjectPublicKeyInfo, PKCS#1, PKCS#8, SEC1 or an X.509 certificate.
    Der,
    /// One JWK (JSON text).
    Jwk,
    /// A JWK set (JSON text with `keys`).
    Jwks,
    /// An OpenSSH public-key line (`ssh-ed25519 AAAA... comment`).
    OpenSsh,
}

impl MaterialForm {
    /// The stable name (`"secret"`, `"pem"`, `"der"`, `"jwk"`, `"jwks"`, `"openssh"`).
    pub fn as_str(self) -> &'static str {
        match self {
            MaterialForm::Secret => "secret",
            MaterialForm::Pem => "pem",
            MaterialForm::Der => "der",
            MaterialForm::Jwk => "jwk",
            MaterialForm::Jwks => "jwks",
            MaterialForm::OpenSsh => "openssh",
        }
    }

    /// True for the forms that hold an asymmetric key (everything but a secret; a JWK or
    /// JWK set may hold either).
    pub fn is_asymmetric(self) -> bool {
        matches!(
            self,
            MaterialForm::Pem | MaterialForm::Der | MaterialForm::OpenSsh
        )
    }

    /// Recognise the form of `material` by its content.
    pub fn of(material: &[u8]) -> MaterialForm {
        MaterialForm::recognise(material).0
    }

    /// [`MaterialForm::of`], with the JSON object a JWK was recognised by (so that the
    /// load does not parse it a second time).
    fn recognise(material: &[u8]) -> (MaterialForm, Option<serde_json::Map<String, Value>>) {
        let trimmed = material.trim_ascii();
        if trimmed.starts_with(b"-----BEGIN") {
            return (MaterialForm::Pem, None);
        }
        if crate::openssh::looks_like_line(trimmed) {
            return (MaterialForm::OpenSsh, None);
        }
        if crate::key_guard::is_der_key(material) {
            return (MaterialForm::Der, None);
        }
        if trimmed.starts_with(b"{") {
            if trimmed.len() > MAX_JWKS_BYTES {
                return (MaterialForm::Jwks, None); // parsing it reports the size
            }
            if let Ok(m) = crate::json::parse_object(trimmed, crate::json::DEFAULT_MAX_DEPTH) {
                if m.get("keys").is_some_and(|k| k.is_array()) && !m.contains_key("kty") {
                    return (MaterialForm::Jwks, None);
                }
                if m.get("kty").is_some_and(|k| k.is_string()) {
                    return (MaterialForm::Jwk, Some(m));
                }
            }
        }
        (MaterialForm::Secret, None)
    }
}

impl fmt::Display for MaterialForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something about accepted key material that a binding should tell its user.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyWarning {
    /// An HMAC secret shorter than the hash output was accepted under
    /// [`HmacPolicy::Warn`].
    ShortHmacSecret {
        /// The algorithm it was bound to.
        alg: Algorithm,
        /// Its length in bytes.
        len: usize,
        /// The minimum length for `alg` (the hash output).
        min: usize,
    },
}

impl KeyWarning {
    /// A stable snake_case code (`"short_hmac_secret"`).
    pub fn code(&self) -> &'static str {
        match self {
            KeyWarning::ShortHmacSecret { .. } => "short_hmac_secret",
        }
    }
}

impl fmt::Display for KeyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyWarning::ShortHmacSecret { alg, len, min } => write!(
                f,
                "the HMAC key is {len} bytes long, which is below the minimum recommended \
                 length of {min} bytes for {alg} (RFC 7518 3.2)"
            ),
        }
    }
}

/// The outcome of [`KeySet::from_material`]: the keys, the form they came from, and what
/// to warn about.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoadedKeys {
    /// One key per allowed algorithm the material fits (for a JWK set, per usable JWK).
    pub keys: KeySet,
    /// What the material was.
    pub form: MaterialForm,
    /// Warnings under [`HmacPolicy::Warn`]; empty otherwise.
    pub warnings: Vec<KeyWarning>,
}

impl From<LoadedKeys> for KeySet {
    fn from(l: LoadedKeys) -> KeySet {
        l.keys
    }
}

fn names(algs: &[Algorithm]) -> String {
    algs.iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The algorithms of `family`.
fn family_algs(family: KeyFamily) -> Vec<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .filter(|a| a.family() == family)
        .collect()
}

fn ambiguous(family: KeyFamily) -> Error {
    let (what, algs) = match family {
        KeyFamily::Hmac => ("a secret", family_algs(family)),
        _ => ("an RSA key", family_algs(family)),
    };
    Error::InvalidArgument(format!(
        "{what} fits {}: say which algorithm it is for",
        names(&algs)
    ))
}

/// Keep the first error, preferring one that says the material is broken over one that
/// says it is of another family.
fn remember(first: &mut Option<Error>, e: Error) {
    let replace = match first {
        None => true,
        Some(Error::KeyAlgorithmMismatch(_)) => !matches!(e, Error::KeyAlgorithmMismatch(_)),
        Some(_) => false,
    };
    if replace {
        *first = Some(e);
    }
}

/// A key parsed once and bound to its family's first algorithm, which can be bound to
/// the other algorithms of its family without parsing the material again.
trait Parsed: Sized {
    fn algorithm(&self) -> Algorithm;
    fn rebind(&self, alg: Algorithm) -> Result<Self>;
}

impl Parsed for VerifyingKey {
    fn algorithm(&self) -> Algorithm {
        VerifyingKey::algorithm(self)
    }
    fn rebind(&self, alg: Algorithm) -> Result<Self> {
        VerifyingKey::rebind(self, alg)
    }
}

impl Parsed for SigningKey {
    fn algorithm(&self) -> Algorithm {
        SigningKey::algorithm(self)
    }
    fn rebind(&self, alg: Algorithm) -> Result<Self> {
        SigningKey::rebind(self, alg)
    }
}

/// Asymmetric material, parsed once (`parse`, the family read from the key, never
/// probed), bound to every allowed algorithm of its family; the others are passed over.
/// With no algorithms, the key itself, unless its family has several (RSA). `parse` is
/// told the algorithm when only one asymmetric algorithm is allowed (a SEC1 key without
/// curve takes its curve, a PKCS#1 or SEC1 DER its family from it).
fn bind_asymmetric<K: Parsed>(
    material: &[u8],
    algorithms: &[Algorithm],
    parse: impl FnOnce(Option<Algorithm>) -> Result<K>,
) -> Result<Vec<K>> {
    if algorithms.is_empty() {
        let key = parse(None)?;
        if key.algorithm().family() == KeyFamily::Rsa {
            return Err(ambiguous(KeyFamily::Rsa));
        }
        return Ok(vec![key]);
    }
    let mut asymmetric = algorithms.iter().filter(|a| !a.is_symmetric());
    let hint = match (asymmetric.next(), asymmetric.next()) {
        (Some(&only), None) => Some(only),
        _ => None,
    };
    let mut first = None;
    let mut guard_asked = false;
    let mut parse = Some(parse);
    let mut parsed: Option<K> = None;
    let mut keys = Vec::new();
    for &alg in algorithms {
        if alg.is_symmetric() {
            // Asymmetric material is never a secret: the guard says so in its words
            // (once: its answer is the material's, whichever HMAC algorithm asks).
            if !guard_asked {
                guard_asked = true;
                if let Err(e) = VerifyingKey::hmac(alg, material) {
                    remember(&mut first, e);
                }
            }
            continue;
        }
        if let Some(parse) = parse.take() {
            match parse(hint) {
                Ok(k) => parsed = Some(k),
                Err(e) => remember(&mut first, e),
            }
        }
        if let Some(key) = &parsed {
            match key.rebind(alg) {
                Ok(k) => keys.push(k),
                Err(e) => remember(&mut first, e),
            }
        }
    }
    if keys.is_empty() {
        return Err(first.unwrap_or_else(|| Error::invalid_key("no key")));
    }
    Ok(keys)
}

/// A DER key for verification: public forms directly, private forms through their
/// public half.
fn verifying_der(alg: Option<Algorithm>, der_bytes: &[u8]) -> Result<VerifyingKey> {
    let private = der::parse_pkcs8(der_bytes).is_ok()
        || der::parse_rsa_private(der_bytes).is_ok()
        || der::parse_sec1(der_bytes).is_ok();
    if private {
        SigningKey::der_as(alg, der_bytes).map(|k| k.verifying_key())
    } else {
        VerifyingKey::der_as(alg, der_bytes)
    }
}

fn not_a_key(material: &[u8]) -> Error {
    use crate::key_guard::Spelling;
    match crate::key_guard::detect(material) {
        Some(spelling @ (Spelling::Base64 | Spelling::Hex)) => Error::invalid_key(format_args!(
            "the material is {}: decode it to PEM or DER first",
            spelling.describe()
        )),
        Some(spelling) => Error::invalid_key(format_args!(
            "an unsupported form of key material ({})",
            spelling.describe()
        )),
        None => Error::invalid_key(
            "not PEM, DER, a JWK, a JWK set or an OpenSSH public key (and a secret fits only HMAC algorithms)",
        ),
    }
}

impl KeySet {
    /// Turn key material of any form (see [`MaterialForm`]) into verifying keys for the
    /// allowed `algorithms`: one key per allowed algorithm the material fits; algorithms
    /// of another family are passed over. With no algorithms, the one the material
    /// implies (an EC or Ed25519 key's, a JWK's `alg`); an RSA key or a secret then is
    /// [`Error::InvalidArgument`] (it fits several, and choosing would be guessing).
    ///
    /// A secret shorter than an allowed HMAC algorithm's minimum follows `hmac`. Errors:
    /// [`Error::KeyAlgorithmMismatch`] when the material fits none of the algorithms
    /// (an RSA public key with only `HS256` allowed: the algorithm-confusion attack),
    /// [`Error::InvalidKey`] when it cannot be parsed, [`Error::WeakKey`],
    /// [`Error::KeyNotFound`] for a JWK set with no usable key.
    ///
    /// ```
    /// use jwt_core::{Algorithm, HmacPolicy, KeySet, MaterialForm, SigningKey};
    /// let pem = SigningKey::generate(Algorithm::ES256)?.public_key_pem()?;
    /// let loaded = KeySet::from_material(pem.as_bytes(), &[Algorithm::ES256, Algorithm::HS256], HmacPolicy::Refuse)?;
    /// assert_eq!((loaded.form, loaded.keys.len()), (MaterialForm::Pem, 1));
    ///
    /// // The public key is never an HMAC secret, whatever the caller allows.
    /// let err = KeySet::from_material(pem.as_bytes(), &[Algorithm::HS256], HmacPolicy::Allow).unwrap_err();
    /// assert_eq!(err.code(), "key_algorithm_mismatch");
    ///
    /// // A short secret: refused, or accepted with a warning for the binding to raise.
    /// let short = b"secret";
    /// assert_eq!(KeySet::from_material(short, &[Algorithm::HS256], HmacPolicy::Refuse).unwrap_err().code(), "weak_key");
    /// let loaded = KeySet::from_material(short, &[Algorithm::HS256], HmacPolicy::Warn)?;
    /// assert_eq!(loaded.warnings[0].code(), "short_hmac_secret");
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn from_material(
        material: &[u8],
        algorithms: &[Algorithm],
        hmac: HmacPolicy,
    ) -> Result<LoadedKeys> {
        KeySet::load(material, algorithms, hmac, false)
    }

    /// [`KeySet::from_material`] one allowed algorithm at a time: the keys for every
    /// algorithm the material fits, an algorithm that refuses it passed over (an RSA key
    /// with `ES256` among the allowed, a 32-byte secret with `HS512` under
    /// [`HmacPolicy::Refuse`]). The most specific error when none fits. A JWK set is
    /// loaded as [`KeySet::from_material`] loads it. This is "the algorithms this key
    /// fits" for a binding whose peer takes a key first and algorithms later (jsonwebtoken).
    /// The material is parsed once, whatever the number of algorithms.
    ///
    /// ```
    /// use jwt_core::{Algorithm, HmacPolicy, KeySet};
    /// let fits = KeySet::fitting(&[7u8; 32], &Algorithm::ALL, HmacPolicy::Refuse)?;
    /// assert_eq!(fits.keys.keys()[0].algorithm(), Algorithm::HS256);
    /// assert_eq!(fits.keys.len(), 1); // HS384 and HS512 need longer secrets
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn fitting(
        material: &[u8],
        algorithms: &[Algorithm],
        hmac: HmacPolicy,
    ) -> Result<LoadedKeys> {
        KeySet::load(material, algorithms, hmac, true)
    }

    /// The one load both share: the material parsed once, then bound to the allowed
    /// algorithms. `each`: a secret is bound to every HMAC algorithm it fits, the others
    /// passed over (`fitting`), instead of failing on the first that refuses it.
    fn load(
        material: &[u8],
        algorithms: &[Algorithm],
        hmac: HmacPolicy,
        each: bool,
    ) -> Result<LoadedKeys> {
        let (form, object) = MaterialForm::recognise(material);
        let allow_short = hmac != HmacPolicy::Refuse;
        let keys: Vec<VerifyingKey> = match form {
            MaterialForm::Pem | MaterialForm::OpenSsh => {
                bind_asymmetric(material, algorithms, |a| VerifyingKey::pem_as(a, material))?
            }
            MaterialForm::Der => {
                bind_asymmetric(material, algorithms, |a| verifying_der(a, material))?
            }
            MaterialForm::Jwk => {
                let jwk = match object {
                    Some(m) => Jwk::from_map(m)?,
                    None => Jwk::from_json(material)?,
                };
                jwk_keys(&jwk, algorithms, allow_short)?
            }
            MaterialForm::Jwks => {
                let set =
                    KeySet::from_jwks_with(&JwkSet::from_json(material)?, algorithms, allow_short)?;
                let keys: Vec<VerifyingKey> = set
                    .keys()
                    .iter()
                    .filter(|k| algorithms.is_empty() || algorithms.contains(&k.algorithm()))
                    .cloned()
                    .collect();
                if keys.is_empty() {
                    return Err(Error::KeyNotFound(format!(
                        "the JWK set holds no signature key usable with {}",
                        if algorithms.is_empty() {
                            "any algorithm (RSA and oct keys without `alg` need one)".to_owned()
                        } else {
                            names(algorithms)
                        }
                    )));
                }
                keys
            }
            MaterialForm::Secret => {
                let hmac_algs: Vec<Algorithm> = algorithms
                    .iter()
                    .copied()
                    .filter(|a| a.is_symmetric())
                    .collect();
                if algorithms.is_empty() {
                    // A key in an encoded spelling is refused as such, not as ambiguous.
                    return match VerifyingKey::hmac_allow_short(Algorithm::HS256, material) {
                        Err(e @ Error::KeyAlgorithmMismatch(_)) => Err(e),
                        _ => Err(ambiguous(KeyFamily::Hmac)),
                    };
                }
                if hmac_algs.is_empty() {
                    return Err(not_a_key(material));
                }
                let hmac_key = |a| VerifyingKey::hmac_with_policy(a, material, hmac);
                if !each {
                    hmac_algs.into_iter().map(hmac_key).collect::<Result<_>>()?
                } else {
                    // Every allowed algorithm on its own: one the secret does not fit
                    // (too short for HS512, an RSA name) is passed over.
                    let mut first = None;
                    let mut keys = Vec::new();
                    for &a in algorithms {
                        match if a.is_symmetric() {
                            hmac_key(a)
                        } else {
                            Err(not_a_key(material))
                        } {
                            Ok(k) => keys.push(k),
                            Err(e) => remember(&mut first, e),
                        }
                    }
                    if keys.is_empty() {
                        return Err(first.unwrap_or_else(|| Error::invalid_key("no key")));
                    }
                    keys
                }
            }
        };
        let warnings = if hmac == HmacPolicy::Warn {
            short_secrets(&keys)
        } else {
            Vec::new()
        };
        Ok(LoadedKeys {
            keys: keys.into(),
            form,
            warnings,
        })
    }
}

/// The keys of one JWK for the allowed algorithms.
fn jwk_keys(jwk: &Jwk, algorithms: &[Algorithm], allow_short: bool) -> Result<Vec<VerifyingKey>> {
    if let Some(declared) = jwk.alg() {
        let declared: Algorithm = declared.parse()?;
        if !algorithms.is_empty() && !algorithms.contains(&declared) {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "the JWK is for {declared}, which is not among the allowed algorithms ({})",
                names(algorithms)
            )));
        }
        return Ok(vec![VerifyingKey::from_jwk_with(jwk, None, allow_short)?]);
    }
    if algorithms.is_empty() {
        return Ok(vec![VerifyingKey::from_jwk_with(jwk, None, allow_short)?]);
    }
    let mut keys: Vec<VerifyingKey> = Vec::new();
    let mut first = None;
    for &a in algorithms {
        // An asymmetric JWK is decoded once: the next algorithm of its family rebinds it.
        let parsed = keys
            .iter()
            .find(|k| !a.is_symmetric() && k.algorithm().family() == a.family());
        let key = match parsed {
            Some(k) => k.rebind(a),
            None => VerifyingKey::from_jwk_with(jwk, Some(a), allow_short),
        };
        match key {
            Ok(k) => keys.push(k),
            Err(e) => remember(&mut first, e),
        }
    }
    match first {
        Some(e) if keys.is_empty() => Err(e),
        _ => Ok(keys),
    }
}

fn short_secrets(keys: &[VerifyingKey]) -> Vec<KeyWarning> {
    keys.iter()
        .filter_map(|k| {
            let len = k.hmac_secret_len()?;
            let min = k.algorithm().hmac_min_key_len()?;
            (len < min).then_some(KeyWarning::ShortHmacSecret {
                alg: k.algorithm(),
                len,
                min,
            })
        })
        .collect()
}

impl SigningKey {
    /// Turn private key material of any form (a secret, PEM, DER or a private JWK) into a
    /// signing key for `alg`. Without `alg`, the algorithm the key implies (an EC or
    /// Ed25519 key's, a JWK's `alg`); an RSA key or a secret then is
    /// [`Error::InvalidArgument`]. Secrets follow [`SigningKey::hmac`] (no short ones:
    /// this crate never makes a weak token).
    ///
    /// ```
    /// use jwt_core::{Algorithm, SigningKey};
    /// let pem = SigningKey::generate(Algorithm::EdDSA)?.to_pkcs8_pem()?;
    /// assert_eq!(SigningKey::from_material(pem.as_bytes(), None)?.algorithm(), Algorithm::EdDSA);
    /// let hs = SigningKey::from_material(&[7u8; 32], Some(Algorithm::HS256))?;
    /// assert_eq!(hs.algorithm(), Algorithm::HS256);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn from_material(material: &[u8], alg: Option<Algorithm>) -> Result<SigningKey> {
        let algs: Vec<Algorithm> = alg.into_iter().collect();
        let one = |mut keys: Vec<SigningKey>| Ok(keys.remove(0));
        match MaterialForm::of(material) {
            MaterialForm::Pem => one(bind_asymmetric(material, &algs, |a| {
                SigningKey::pem_as(a, material)
            })?),
            MaterialForm::Der => one(bind_asymmetric(material, &algs, |a| {
                SigningKey::der_as(a, material)
            })?),
            MaterialForm::Jwk => SigningKey::from_jwk(&Jwk::from_json(material)?, alg),
            MaterialForm::Jwks => Err(Error::InvalidArgument(
                "a JWK set cannot sign: pass one private JWK".into(),
            )),
            MaterialForm::OpenSsh => Err(Error::invalid_key("an OpenSSH public key cannot sign")),
            MaterialForm::Secret => match alg {
                Some(a) if a.is_symmetric() => SigningKey::hmac(a, material),
                Some(_) => Err(not_a_key(material)),
                None => match SigningKey::hmac(Algorithm::HS256, material) {
                    Err(e @ Error::KeyAlgorithmMismatch(_)) => Err(e),
                    _ => Err(ambiguous(KeyFamily::Hmac)),
                },
            },
        }
    }
}
