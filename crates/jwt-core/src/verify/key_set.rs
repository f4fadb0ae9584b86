//! [`KeySet`]: the keys a verifier may use, and how a token's header selects them
//! ([`KidPolicy`]).

use crate::alg::Algorithm;
use crate::error::{Error, Result, truncate};
use crate::header::Header;
use crate::jwk::JwkSet;
use crate::key::{SigningKey, VerifyingKey};
use crate::material::HmacPolicy;

/// How a token's `kid` header selects keys from a [`KeySet`] (see [`KeySet::select`]).
///
/// Whatever the policy, a key only ever checks tokens of the one algorithm it is bound
/// to; the policy only decides whether the token's `kid` may narrow or miss.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum KidPolicy {
    /// A token with a `kid` is checked only by keys with that `kid`; a token without one
    /// by every key bound to its algorithm. The right rule for a JWK set from an issuer.
    #[default]
    Strict,
    /// What PyJWT and jsonwebtoken users expect of "the key I passed": a token whose
    /// `kid` names a key is checked by that key (as [`Strict`](KidPolicy::Strict)); when
    /// no key has the token's `kid`, keys *without* a `kid` may check it, and so may every
    /// key of a set that holds one key (all its keys share one `kid`, as the keys one
    /// piece of material gives for several algorithms do).
    Lenient,
}

impl KidPolicy {
    /// The stable name (`"strict"`, `"lenient"`), as in a [`ValidationSpec`](crate::ValidationSpec).
    pub fn as_str(self) -> &'static str {
        match self {
            KidPolicy::Strict => "strict",
            KidPolicy::Lenient => "lenient",
        }
    }
}

/// The keys a verifier may use, each bound to one algorithm.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    keys: Vec<VerifyingKey>,
}

impl KeySet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a key.
    pub fn push(&mut self, key: VerifyingKey) {
        self.keys.push(key);
    }

    /// The keys.
    pub fn keys(&self) -> &[VerifyingKey] {
        &self.keys
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Build from a JWK set. A JWK with `alg` is bound to it; one without `alg` is bound
    /// to each of `default_algs` that fits its type (e.g. an RSA JWK without `alg` and
    /// `default_algs = [RS256]` gives an RS256 key), or, for EC and Ed25519, to the one
    /// algorithm its curve implies. Keys for encryption (`use: enc`), of unknown type or
    /// that fit no algorithm are skipped, as RFC 7517 5 asks; a key that is present but
    /// broken is an error.
    pub fn from_jwks(set: &JwkSet, default_algs: &[Algorithm]) -> Result<Self> {
        Self::from_jwks_with(set, default_algs, false)
    }

    /// [`KeySet::from_jwks`], accepting short `oct` secrets when `allow_short`.
    pub(crate) fn from_jwks_with(
        set: &JwkSet,
        default_algs: &[Algorithm],
        allow_short: bool,
    ) -> Result<Self> {
        let members = Self::jwks_members(set, default_algs, allow_short, false)?;
        Ok(KeySet {
            keys: members.into_iter().map(|(_, k, _)| k).collect(),
        })
    }

    /// The rules of [`KeySet::from_jwks`], member by member, for a binding that keeps one
    /// object per JWK (PyJWT's `PyJWKSet`): each usable member's index in `set.keys` with
    /// its key, in order (a member without `alg` may give several, one per fitting
    /// default algorithm). One parse: the binding builds its objects from these.
    ///
    /// With `skip_broken`, a member that is present but broken (bad key material, a weak
    /// key) is skipped, as PyJWT skips it, instead of failing the set; a secret (`oct`,
    /// private) member is usable only if it also signs, and its [`SigningKey`] is given
    /// (short `oct` secrets too when `allow_short`); the set may then not mix secret and
    /// public keys among its *usable* members. Without
    /// it, this is exactly [`KeySet::from_jwks`] (no member may mix, a broken one is an
    /// error). `allow_short` accepts `oct` secrets shorter than the hash.
    ///
    /// ```
    /// use jwt_core::{Algorithm, JwkSet, KeySet, SigningKey};
    /// let key = SigningKey::generate(Algorithm::ES256)?.with_kid("a");
    /// let good = key.to_public_jwk()?.to_json();
    /// let text = format!(r#"{{"keys": [{{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}}, {good}]}}"#);
    /// let set = JwkSet::from_json(&text)?;
    /// assert!(KeySet::from_jwks(&set, &[]).is_err()); // the broken member fails the set
    /// let members = KeySet::jwks_members(&set, &[], false, true)?;
    /// assert_eq!(members.len(), 1);
    /// assert_eq!((members[0].0, members[0].1.algorithm()), (1, Algorithm::ES256));
    /// assert!(members[0].2.is_none()); // a public member: no signing key
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn jwks_members(
        set: &JwkSet,
        default_algs: &[Algorithm],
        allow_short: bool,
        skip_broken: bool,
    ) -> Result<Vec<(usize, VerifyingKey, Option<SigningKey>)>> {
        // A set mixing secrets (oct, private keys) with public keys is a published secret
        // or a confused configuration: refuse it (Wycheproof `MixedKeySet`).
        let mixed = |secret: bool, public: bool| {
            if secret && public {
                return Err(Error::invalid_key(
                    "a JWK set must not mix secret (oct or private) keys with public keys",
                ));
            }
            Ok(())
        };
        if !skip_broken {
            mixed(
                set.keys.iter().any(|k| k.is_private()),
                set.keys.iter().any(|k| !k.is_private()),
            )?;
        }
        let mut keys = Vec::new();
        for (index, jwk) in set.keys.iter().enumerate() {
            if jwk.key_use().is_some_and(|u| u != "sig") {
                continue;
            }
            if !matches!(jwk.kty(), "RSA" | "EC" | "OKP" | "oct" | "AKP") {
                continue;
            }
            let candidates: Vec<Option<Algorithm>> = if jwk.alg().is_some() {
                vec![None]
            } else {
                let fitting: Vec<_> = default_algs
                    .iter()
                    .filter(|a| a.jwk_kty() == jwk.kty())
                    .map(|a| Some(*a))
                    .collect();
                if fitting.is_empty() {
                    vec![None]
                } else {
                    fitting
                }
            };
            for req in candidates {
                match VerifyingKey::from_jwk_with(jwk, req, allow_short) {
                    Ok(k) if skip_broken && jwk.is_private() => {
                        // a member whose private part is broken is skipped
                        if let Ok(s) = signing_key(jwk, k.algorithm(), allow_short) {
                            keys.push((index, k, Some(s)));
                        }
                    }
                    Ok(k) => keys.push((index, k, None)),
                    // Keys for algorithms we do not implement, without enough
                    // information to bind them, or whose key_ops exclude verification
                    // (RFC 7517 5: keys meant for something else) are skipped.
                    Err(
                        Error::UnsupportedAlgorithm(_)
                        | Error::InvalidArgument(_)
                        | Error::KeyUsageNotAllowed(_),
                    ) => {}
                    Err(Error::KeyAlgorithmMismatch(_)) if req.is_some() => {}
                    Err(_) if skip_broken => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if skip_broken {
            let secret = |m: &(usize, VerifyingKey, Option<SigningKey>)| m.2.is_some();
            mixed(keys.iter().any(secret), keys.iter().any(|m| !secret(m)))?;
        }
        Ok(keys)
    }

    /// Parse a JWK set document and build from it (see [`KeySet::from_jwks`]).
    pub fn from_jwks_json(text: impl AsRef<[u8]>, default_algs: &[Algorithm]) -> Result<Self> {
        Self::from_jwks(&JwkSet::from_json(text)?, default_algs)
    }

    /// The public JWK set of these keys (HMAC keys are left out).
    pub fn to_public_jwks(&self) -> Result<JwkSet> {
        let mut out = JwkSet::default();
        for k in &self.keys {
            if !k.algorithm().is_symmetric() {
                out.keys.push(k.to_jwk()?);
            }
        }
        Ok(out)
    }

    /// True when every key has the same `kid` (or none has one): the keys one piece of
    /// material gave, for one or several algorithms.
    fn is_one_key(&self) -> bool {
        self.keys.windows(2).all(|w| w[0].kid() == w[1].kid())
    }

    /// The keys that may check a token with this header, in order, at most `limit` of
    /// them: under [`KidPolicy::Strict`] those with the token's `kid` (every key when the
    /// token has none), bound to the header's algorithm; [`KidPolicy::Lenient`] widens a
    /// `kid` that names no key as its docs say.
    ///
    /// Errors: [`Error::KeyNotFound`] when no key may check the token,
    /// [`Error::AlgorithmNotAllowed`] when the key with the token's `kid` is bound to
    /// another algorithm.
    ///
    /// ```
    /// # use jwt_core::*;
    /// let key = SigningKey::hmac(Algorithm::HS256, &[7u8; 32])?.verifying_key();
    /// let set = KeySet::from(key);
    /// let mut header = Header::new(Algorithm::HS256);
    /// header.kid = Some("rotated-away".into());
    /// assert_eq!(set.select(&header, KidPolicy::Strict, 8).unwrap_err().code(), "key_not_found");
    /// assert_eq!(set.select(&header, KidPolicy::Lenient, 8)?.len(), 1);
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn select<'a>(
        &'a self,
        header: &Header,
        policy: KidPolicy,
        limit: usize,
    ) -> Result<Vec<&'a VerifyingKey>> {
        match &header.kid {
            Some(kid) => {
                let with_kid: Vec<_> = self
                    .keys
                    .iter()
                    .filter(|k| k.kid() == Some(kid.as_str()))
                    .collect();
                if with_kid.is_empty() && policy == KidPolicy::Lenient {
                    let one = self.is_one_key();
                    let fit: Vec<_> = self
                        .keys
                        .iter()
                        .filter(|k| {
                            k.algorithm().same_signature(header.alg) && (one || k.kid().is_none())
                        })
                        .take(limit)
                        .collect();
                    if !fit.is_empty() {
                        return Ok(fit);
                    }
                }
                if with_kid.is_empty() {
                    return Err(Error::KeyNotFound(format!(
                        "no key with kid `{}`",
                        truncate(kid, 64)
                    )));
                }
                let fit: Vec<_> = with_kid
                    .into_iter()
                    .filter(|k| k.algorithm().same_signature(header.alg))
                    .take(limit)
                    .collect();
                if fit.is_empty() {
                    return Err(Error::AlgorithmNotAllowed(format!(
                        "{} (the key with this kid is for another algorithm)",
                        header.alg
                    )));
                }
                Ok(fit)
            }
            None => {
                let fit: Vec<_> = self
                    .keys
                    .iter()
                    .filter(|k| k.algorithm().same_signature(header.alg))
                    .take(limit)
                    .collect();
                if fit.is_empty() {
                    return Err(Error::KeyNotFound(format!("no key for {}", header.alg)));
                }
                Ok(fit)
            }
        }
    }
}

impl From<VerifyingKey> for KeySet {
    fn from(k: VerifyingKey) -> Self {
        KeySet { keys: vec![k] }
    }
}

impl From<Vec<VerifyingKey>> for KeySet {
    fn from(keys: Vec<VerifyingKey>) -> Self {
        KeySet { keys }
    }
}

/// The signing key of a secret JWK set member bound to `alg` (a short `oct` secret only
/// when `allow_short`).
fn signing_key(jwk: &crate::jwk::Jwk, alg: Algorithm, allow_short: bool) -> Result<SigningKey> {
    match SigningKey::from_jwk(jwk, Some(alg)) {
        Err(Error::WeakKey(_)) if allow_short && jwk.kty() == "oct" => {
            let secret = zeroize::Zeroizing::new(jwk.bytes("k")?);
            let key = SigningKey::hmac_with_policy(alg, &secret, HmacPolicy::Allow)?;
            Ok(match jwk.kid() {
                Some(kid) => key.with_kid(kid),
                None => key,
            })
        }
        other => other,
    }
}
