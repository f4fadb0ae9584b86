//! Verification: [`Validation`] options, [`KeySet`], and the reusable [`Verifier`].
//!
//! The order of checks is fixed and cheap-first: size limits, structure, header, allowed
//! algorithm, key selection, signature, and only then the payload and the claims. Nothing
//! in the payload is looked at before the signature is known to be good.

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::alg::{Algorithm, truncate};
use crate::claims::{RegisteredClaims, now, scan_payload};
use crate::error::{Error, Result};
use crate::header::{Header, typ_matches};
use crate::json;
use crate::jwk::JwkSet;
use crate::key::VerifyingKey;

/// Size and shape limits, checked before any decoding or cryptographic work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest token (or JWS JSON document) in bytes. Default 1 MiB.
    pub max_token_bytes: usize,
    /// Largest decoded header in bytes. Default 8 KiB.
    pub max_header_bytes: usize,
    /// Deepest JSON nesting in header or claims. Default 32.
    pub max_json_depth: usize,
    /// Most keys tried for a token without `kid`. Default 8.
    pub max_key_candidates: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_token_bytes: 1024 * 1024,
            max_header_bytes: 8 * 1024,
            max_json_depth: json::DEFAULT_MAX_DEPTH,
            max_key_candidates: 8,
        }
    }
}

/// A caller-supplied check run after every built-in check passed, e.g. a `jti` denylist.
/// Return `Err(reason)` to reject the token with [`Error::ClaimRejected`].
pub type ClaimCheck =
    Arc<dyn Fn(&Header, &RegisteredClaims) -> std::result::Result<(), String> + Send + Sync>;

/// What a token must satisfy. Built once, reused for every token.
///
/// Defaults: `exp` required and checked, `nbf` and `iat` checked when present, no leeway,
/// a token with an `aud` claim rejected unless an audience is configured (RFC 7519
/// 4.1.3), `crit` extensions rejected unless declared.
#[derive(Clone)]
pub struct Validation {
    pub(crate) algorithms: Option<Vec<Algorithm>>,
    pub(crate) leeway: i64,
    pub(crate) required: Vec<String>,
    pub(crate) validate_exp: bool,
    pub(crate) validate_nbf: bool,
    pub(crate) validate_iat: bool,
    pub(crate) issuers: Option<Vec<String>>,
    pub(crate) audiences: Option<Vec<String>>,
    pub(crate) skip_audience: bool,
    pub(crate) subject: Option<String>,
    pub(crate) max_age: Option<i64>,
    pub(crate) typ: Option<String>,
    pub(crate) crit: Vec<String>,
    pub(crate) exact: Map<String, Value>,
    pub(crate) check: Option<ClaimCheck>,
    pub(crate) limits: Limits,
}

impl fmt::Debug for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validation")
            .field("algorithms", &self.algorithms)
            .field("leeway", &self.leeway)
            .field("required", &self.required)
            .field("issuers", &self.issuers)
            .field("audiences", &self.audiences)
            .field("subject", &self.subject)
            .field("max_age", &self.max_age)
            .field("typ", &self.typ)
            .field("crit", &self.crit)
            .field("custom_check", &self.check.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Validation {
    fn default() -> Self {
        Validation {
            algorithms: None,
            leeway: 0,
            required: vec!["exp".into()],
            validate_exp: true,
            validate_nbf: true,
            validate_iat: true,
            issuers: None,
            audiences: None,
            skip_audience: false,
            subject: None,
            max_age: None,
            typ: None,
            crit: Vec::new(),
            exact: Map::new(),
            check: None,
            limits: Limits::default(),
        }
    }
}

impl Validation {
    /// The safe defaults (see the type's docs).
    pub fn new() -> Self {
        Self::default()
    }
    /// Restrict the accepted algorithms (intersected with the keys' algorithms).
    pub fn algorithms(mut self, algs: &[Algorithm]) -> Self {
        self.algorithms = Some(algs.to_vec());
        self
    }
    /// Clock skew tolerated for `exp`, `nbf` and `iat`, in seconds.
    pub fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds.min(i64::MAX as u64) as i64;
        self
    }
    /// Claims that must be present (replaces the default `["exp"]`). Pass an empty list
    /// to accept tokens without `exp`.
    pub fn required_claims<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.required = names.into_iter().map(Into::into).collect();
        self
    }
    /// Turn the `exp` check on or off (it stays required unless removed from
    /// [`Validation::required_claims`]).
    pub fn validate_exp(mut self, on: bool) -> Self {
        self.validate_exp = on;
        self
    }
    /// Turn the `nbf` check on or off.
    pub fn validate_nbf(mut self, on: bool) -> Self {
        self.validate_nbf = on;
        self
    }
    /// Turn the future-`iat` check on or off.
    pub fn validate_iat(mut self, on: bool) -> Self {
        self.validate_iat = on;
        self
    }
    /// Accept exactly this issuer.
    pub fn issuer(self, iss: impl Into<String>) -> Self {
        self.issuers([iss])
    }
    /// Accept any of these issuers (exact comparison).
    pub fn issuers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, iss: I) -> Self {
        self.issuers = Some(iss.into_iter().map(Into::into).collect());
        self
    }
    /// Require this audience.
    pub fn audience(self, aud: impl Into<String>) -> Self {
        self.audiences([aud])
    }
    /// Require one of these audiences (exact comparison).
    pub fn audiences<I: IntoIterator<Item = S>, S: Into<String>>(mut self, aud: I) -> Self {
        self.audiences = Some(aud.into_iter().map(Into::into).collect());
        self
    }
    /// Do not check `aud` at all. Only for verifiers that check it themselves.
    pub fn insecure_skip_audience(mut self) -> Self {
        self.skip_audience = true;
        self
    }
    /// Require this subject.
    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self
    }
    /// Reject tokens whose `iat` is older than this many seconds (requires `iat`).
    pub fn max_age(mut self, seconds: u64) -> Self {
        self.max_age = Some(seconds.min(i64::MAX as u64) as i64);
        self
    }
    /// Require this `typ` header (case-insensitive, `application/` prefix ignored).
    pub fn typ(mut self, typ: impl Into<String>) -> Self {
        self.typ = Some(typ.into());
        self
    }
    /// Declare `crit` header extensions the caller understands (e.g. `b64`).
    pub fn critical<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.crit = names.into_iter().map(Into::into).collect();
        self
    }
    /// Require a claim to equal `value` exactly.
    pub fn claim_equals(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.exact.insert(name.into(), value.into());
        self
    }
    /// Run a custom check after the built-in ones (e.g. a `jti` denylist lookup).
    pub fn check<F>(mut self, f: F) -> Self
    where
        F: Fn(&Header, &RegisteredClaims) -> std::result::Result<(), String>
            + Send
            + Sync
            + 'static,
    {
        self.check = Some(Arc::new(f));
        self
    }
    /// Replace the size limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// The limits in force.
    pub fn get_limits(&self) -> Limits {
        self.limits
    }

    /// Check the registered claims at time `now` (seconds since the epoch).
    pub fn check_claims(&self, c: &RegisteredClaims, now: i64) -> Result<()> {
        for name in &self.required {
            let present = match name.as_str() {
                "exp" => c.exp.is_some(),
                "nbf" => c.nbf.is_some(),
                "iat" => c.iat.is_some(),
                "iss" => c.iss.is_some(),
                "sub" => c.sub.is_some(),
                "aud" => c.aud.is_some(),
                "jti" => c.jti.is_some(),
                _ => true, // non-registered names are checked against the full claims
            };
            if !present {
                return Err(Error::MissingClaim(name.clone()));
            }
        }
        let leeway = self.leeway;
        if self.validate_exp {
            if let Some(exp) = c.exp {
                if now >= exp.saturating_add(leeway) {
                    return Err(Error::Expired);
                }
            }
        }
        if self.validate_nbf {
            if let Some(nbf) = c.nbf {
                if now.saturating_add(leeway) < nbf {
                    return Err(Error::NotYetValid);
                }
            }
        }
        if self.validate_iat {
            if let Some(iat) = c.iat {
                if iat > now.saturating_add(leeway) {
                    return Err(Error::IssuedInFuture);
                }
            }
        }
        if let Some(max_age) = self.max_age {
            let iat = c.iat.ok_or_else(|| Error::MissingClaim("iat".into()))?;
            if now.saturating_sub(iat) > max_age.saturating_add(leeway) {
                return Err(Error::TooOld);
            }
        }
        if let Some(issuers) = &self.issuers {
            let iss = c
                .iss
                .as_deref()
                .ok_or_else(|| Error::MissingClaim("iss".into()))?;
            if !issuers.iter().any(|i| i == iss) {
                return Err(Error::InvalidIssuer);
            }
        }
        if !self.skip_audience {
            match (&self.audiences, &c.aud) {
                (Some(want), Some(have)) => {
                    if !want.iter().any(|w| have.contains(w)) {
                        return Err(Error::InvalidAudience);
                    }
                }
                (Some(_), None) => return Err(Error::MissingClaim("aud".into())),
                (None, Some(_)) => return Err(Error::InvalidAudience),
                (None, None) => {}
            }
        }
        if let Some(sub) = &self.subject {
            if c.sub.as_deref() != Some(sub.as_str()) {
                return Err(Error::InvalidSubject);
            }
        }
        Ok(())
    }

    fn needs_full_claims(&self) -> bool {
        !self.exact.is_empty()
            || self
                .required
                .iter()
                .any(|n| !["exp", "nbf", "iat", "iss", "sub", "aud", "jti"].contains(&n.as_str()))
    }

    fn check_full_claims(&self, payload: &[u8]) -> Result<()> {
        let m: Map<String, Value> = serde_json::from_slice(payload)
            .map_err(|e| Error::malformed(format_args!("payload: {e}")))?;
        for name in &self.required {
            if !m.contains_key(name) {
                return Err(Error::MissingClaim(name.clone()));
            }
        }
        for (name, want) in &self.exact {
            match m.get(name) {
                None => return Err(Error::MissingClaim(name.clone())),
                Some(v) if v != want => {
                    return Err(Error::invalid_claim(
                        name,
                        "does not have the required value",
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(())
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
        // A set mixing secrets (oct, private keys) with public keys is a published secret
        // or a confused configuration: refuse it (Wycheproof `MixedKeySet`).
        let secret = set.keys.iter().any(|k| k.is_private());
        if secret && set.keys.iter().any(|k| !k.is_private()) {
            return Err(Error::invalid_key(
                "a JWK set must not mix secret (oct or private) keys with public keys",
            ));
        }
        let mut keys = Vec::new();
        for jwk in &set.keys {
            if jwk.key_use().is_some_and(|u| u != "sig") {
                continue;
            }
            if !matches!(jwk.kty(), "RSA" | "EC" | "OKP" | "oct") {
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
                match VerifyingKey::from_jwk(jwk, req) {
                    Ok(k) => keys.push(k),
                    // Keys for algorithms we do not implement, without enough
                    // information to bind them, or whose key_ops exclude verification
                    // (RFC 7517 5: keys meant for something else) are skipped.
                    Err(
                        Error::UnsupportedAlgorithm(_)
                        | Error::InvalidArgument(_)
                        | Error::KeyUsageNotAllowed(_),
                    ) => {}
                    Err(Error::KeyAlgorithmMismatch(_)) if req.is_some() => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(KeySet { keys })
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

    /// Keys that may check a token with this header, in order: those with a matching
    /// `kid` (when the header has one), bound to the header's algorithm.
    fn select<'a>(&'a self, header: &Header, limit: usize) -> Result<Vec<&'a VerifyingKey>> {
        match &header.kid {
            Some(kid) => {
                let with_kid: Vec<_> = self
                    .keys
                    .iter()
                    .filter(|k| k.kid() == Some(kid.as_str()))
                    .collect();
                if with_kid.is_empty() {
                    return Err(Error::KeyNotFound(format!(
                        "no key with kid `{}`",
                        truncate(kid, 64)
                    )));
                }
                let fit: Vec<_> = with_kid
                    .into_iter()
                    .filter(|k| k.algorithm() == header.alg)
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
                    .filter(|k| k.algorithm() == header.alg)
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

/// A verified token.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenData<T> {
    /// The header.
    pub header: Header,
    /// The registered claims, type-checked.
    pub registered: RegisteredClaims,
    /// The claims, deserialized into the caller's type.
    pub claims: T,
}

/// A verified JWS with an arbitrary payload (no claims checks were made).
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedJws {
    /// The header (for the JSON serializations: protected and unprotected joined).
    pub header: Header,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// Keys plus validation rules, built once and reused: the fast path.
///
/// ```
/// use jwt_core::{Algorithm, Claims, Signer, SigningKey, Validation, Verifier};
/// use std::time::Duration;
/// let key = SigningKey::generate(Algorithm::ES256)?;
/// let token = Signer::new(key.clone())?
///     .sign(&Claims::empty().issuer("me").expires_in(Duration::from_secs(60)))?;
/// let verifier = Verifier::new(key.verifying_key(), Validation::new().issuer("me"))?;
/// let data = verifier.verify::<serde_json::Value>(&token)?;
/// assert_eq!(data.claims["iss"], "me");
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: KeySet,
    allowed: Vec<Algorithm>,
    validation: Validation,
    /// Shared by clones: they have the same keys and rules.
    headers: Arc<HeaderCache>,
}

/// Headers of tokens that already passed verification, keyed by their exact encoded
/// bytes, so that the header JSON of a token is parsed and checked once, not per token
/// (most issuers send one or two distinct headers). Entries are added only after a
/// signature verified, so untrusted input cannot fill the cache; the cache is bounded
/// (no eviction: once full, other headers take the normal path) and lock-free to read.
/// A hit gives exactly what parsing those bytes and checking them against this
/// verifier's (immutable) rules gave before.
#[derive(Default)]
struct HeaderCache {
    slots: [OnceLock<(Box<[u8]>, Header)>; HEADER_CACHE_SLOTS],
}

const HEADER_CACHE_SLOTS: usize = 8;
/// Longer encoded headers are never cached.
const HEADER_CACHE_MAX_LEN: usize = 512;

impl HeaderCache {
    fn get(&self, header_b64: &[u8]) -> Option<&Header> {
        for slot in &self.slots {
            match slot.get() {
                Some((k, h)) if **k == *header_b64 => return Some(h),
                Some(_) => {}
                // Slots fill in order: the first empty one ends the search.
                None => return None,
            }
        }
        None
    }

    fn insert(&self, header_b64: &[u8], header: &Header) {
        if header_b64.len() > HEADER_CACHE_MAX_LEN {
            return;
        }
        for slot in &self.slots {
            if slot.get().is_none() {
                let _ = slot.set((header_b64.into(), header.clone()));
            }
            // Filled now, by us or by a racing thread.
            if slot.get().is_some_and(|(k, _)| **k == *header_b64) {
                return;
            }
        }
    }
}

impl fmt::Debug for HeaderCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.slots.iter().filter(|s| s.get().is_some()).count();
        write!(f, "HeaderCache({n}/{HEADER_CACHE_SLOTS})")
    }
}

impl Verifier {
    /// A verifier over `keys` with `validation`. The accepted algorithms are the keys'
    /// algorithms, narrowed by [`Validation::algorithms`] if set; an empty result is an
    /// error.
    pub fn new(keys: impl Into<KeySet>, validation: Validation) -> Result<Self> {
        let keys = keys.into();
        let mut allowed: Vec<Algorithm> = keys.keys.iter().map(|k| k.algorithm()).collect();
        if let Some(want) = &validation.algorithms {
            allowed.retain(|a| want.contains(a));
        }
        allowed.sort();
        allowed.dedup();
        if allowed.is_empty() {
            return Err(Error::InvalidArgument(
                "no key fits the allowed algorithms".into(),
            ));
        }
        Ok(Verifier {
            keys,
            allowed,
            validation,
            headers: Arc::default(),
        })
    }

    /// The algorithms this verifier accepts.
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.allowed
    }

    /// The validation rules.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The keys.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Verify a compact JWT now, returning its header and claims.
    pub fn verify<T: DeserializeOwned>(&self, token: &str) -> Result<TokenData<T>> {
        self.verify_at(token, now())
    }

    /// Verify a compact JWT as of `now` (seconds since the epoch).
    pub fn verify_at<T: DeserializeOwned>(&self, token: &str, now: i64) -> Result<TokenData<T>> {
        self.with_payload_buffer(|buf| {
            let (header, payload) = self.verify_jwt_into(token, buf)?;
            // One pass (typed claims, registered claims, strict JSON together) when it
            // succeeds; otherwise the two passes, which decide the error.
            let depth = self.validation.limits.max_json_depth;
            if let Some((claims, raw)) = crate::onepass::claims::<T>(payload, depth) {
                let registered = raw.into_typed()?;
                self.check_registered(&header, payload, &registered, now)?;
                return Ok(TokenData {
                    header,
                    registered,
                    claims,
                });
            }
            let registered = self.check_payload(&header, payload, now)?;
            let claims =
                serde_json::from_slice(payload).map_err(|e| Error::ClaimsShape(e.to_string()))?;
            Ok(TokenData {
                header,
                registered,
                claims,
            })
        })
    }

    /// Verify a compact JWT now, returning the claims as the payload's JSON text (exactly
    /// the decoded payload, already checked to be one strict JSON object). The same
    /// checks as [`Verifier::verify`], minus the second parse into a Rust type: the fast
    /// path for callers that hand the JSON on (the language bindings).
    pub fn verify_raw(&self, token: &str) -> Result<TokenData<String>> {
        self.verify_raw_at(token, now())
    }

    /// [`Verifier::verify_raw`] as of `now` (seconds since the epoch).
    pub fn verify_raw_at(&self, token: &str, now: i64) -> Result<TokenData<String>> {
        self.with_payload_buffer(|buf| {
            let (header, payload) = self.verify_jwt_into(token, buf)?;
            let registered = self.check_payload(&header, payload, now)?;
            // Already validated as UTF-8 by the strict scan; this only re-checks.
            let claims = std::str::from_utf8(payload)
                .map_err(|_| Error::malformed("the payload is not UTF-8"))?
                .to_owned();
            Ok(TokenData {
                header,
                registered,
                claims,
            })
        })
    }

    /// Run `f` with this thread's reusable payload buffer (one allocation less per
    /// token; claims are not key material).
    fn with_payload_buffer<R>(&self, f: impl FnOnce(&mut Vec<u8>) -> Result<R>) -> Result<R> {
        thread_local! {
            static PAYLOAD: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        PAYLOAD.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                let result = f(&mut buf);
                if buf.capacity() > 64 * 1024 {
                    *buf = Vec::new(); // do not keep a large token's memory
                }
                result
            }
            // Re-entered (a claim check verifying another token): a fresh buffer.
            Err(_) => f(&mut Vec::new()),
        })
    }

    /// Signature and header checks of a compact JWT; returns the header and the decoded
    /// payload (in `buf`).
    fn verify_jwt_into<'a>(
        &self,
        token: &'a str,
        buf: &'a mut Vec<u8>,
    ) -> Result<(Header, &'a [u8])> {
        let (header, payload) = self.verify_compact_into(token.as_bytes(), None, buf)?;
        if !header.payload_is_b64() {
            return Err(Error::InvalidHeader(
                "a JWT payload must be base64url-encoded".into(),
            ));
        }
        Ok((header, payload))
    }

    /// The claims checks over a verified payload: strict JSON object, registered claims
    /// typed and validated, full-claims rules, the caller's hook.
    fn check_payload(&self, header: &Header, payload: &[u8], now: i64) -> Result<RegisteredClaims> {
        let v = &self.validation;
        let registered = scan_payload(payload, v.limits.max_json_depth)?.into_typed()?;
        self.check_registered(header, payload, &registered, now)?;
        Ok(registered)
    }

    /// The checks after the payload's JSON is known to be strict.
    fn check_registered(
        &self,
        header: &Header,
        payload: &[u8],
        registered: &RegisteredClaims,
        now: i64,
    ) -> Result<()> {
        let v = &self.validation;
        v.check_claims(registered, now)?;
        if v.needs_full_claims() {
            v.check_full_claims(payload)?;
        }
        if let Some(check) = &v.check {
            check(header, registered).map_err(Error::ClaimRejected)?;
        }
        Ok(())
    }

    /// Verify a compact JWS with an arbitrary payload (no claims checks). Supports
    /// `b64: false` (RFC 7797) when `b64` is declared in [`Validation::critical`].
    pub fn verify_jws(&self, token: &str) -> Result<VerifiedJws> {
        let mut buf = Vec::new();
        let (header, payload) = self.verify_compact_into(token.as_bytes(), None, &mut buf)?;
        let payload = payload.to_vec();
        Ok(VerifiedJws { header, payload })
    }

    /// Verify a compact JWS with a detached payload (`header..signature`, RFC 7515
    /// appendix F).
    pub fn verify_detached(&self, token: &str, payload: &[u8]) -> Result<VerifiedJws> {
        let mut buf = Vec::new();
        let (header, _) = self.verify_compact_into(token.as_bytes(), Some(payload), &mut buf)?;
        Ok(VerifiedJws {
            header,
            payload: payload.to_vec(),
        })
    }

    /// Core of compact verification. Returns the header and the decoded payload (in
    /// `buf`, or the detached/unencoded payload itself).
    fn verify_compact_into<'a>(
        &self,
        token: &'a [u8],
        detached: Option<&'a [u8]>,
        buf: &'a mut Vec<u8>,
    ) -> Result<(Header, &'a [u8])> {
        let limits = &self.validation.limits;
        if token.len() > limits.max_token_bytes {
            return Err(Error::TooLarge {
                what: "token",
                size: token.len(),
                limit: limits.max_token_bytes,
            });
        }
        let d1 = memchr(token, 0).ok_or_else(|| Error::malformed("expected three segments"))?;
        let d2 =
            memchr(token, d1 + 1).ok_or_else(|| Error::malformed("expected three segments"))?;
        if memchr(token, d2 + 1).is_some() {
            return Err(Error::malformed(
                "expected three segments (five is JWE, not JWS)",
            ));
        }
        let header_b64 = &token[..d1];
        let payload_part = &token[d1 + 1..d2];
        let sig_b64 = &token[d2 + 1..];
        let cached = self.headers.get(header_b64);
        let header = match cached {
            Some(h) => h.clone(),
            None => self.decode_header(header_b64)?,
        };
        if sig_b64.len() > 2048 {
            return Err(Error::malformed("signature too long"));
        }
        // Signatures up to RSA-4096 decode on the stack.
        let mut sig_buf = [0u8; 512];
        let sig_vec;
        let sig: &[u8] = match json::b64_decode_slice(sig_b64, &mut sig_buf)? {
            Some(n) => &sig_buf[..n],
            None => {
                sig_vec = json::b64_decode(sig_b64)?;
                &sig_vec
            }
        };
        let signing_input: Vec<u8>;
        let (input, payload): (&[u8], &[u8]) = match (detached, header.payload_is_b64()) {
            (None, true) => {
                json::b64_decode_into(payload_part, buf)?;
                (&token[..d2], &buf[..])
            }
            (None, false) => {
                if !std::str::from_utf8(payload_part).is_ok_and(|p| !p.contains('.')) {
                    return Err(Error::malformed(
                        "an unencoded payload in compact form must not contain `.`",
                    ));
                }
                (&token[..d2], payload_part)
            }
            (Some(p), b64) => {
                if !payload_part.is_empty() {
                    return Err(Error::malformed(
                        "a detached JWS has an empty payload segment",
                    ));
                }
                let mut s = Vec::with_capacity(header_b64.len() + 1 + p.len() * 4 / 3 + 4);
                s.extend_from_slice(header_b64);
                s.push(b'.');
                if b64 {
                    s.extend_from_slice(json::b64_encode(p).as_bytes());
                } else {
                    s.extend_from_slice(p);
                }
                signing_input = s;
                (&signing_input[..], p)
            }
        };
        self.check_signature(&header, input, sig)?;
        if cached.is_none() {
            self.headers.insert(header_b64, &header);
        }
        Ok((header, payload))
    }

    fn decode_header(&self, header_b64: &[u8]) -> Result<Header> {
        let limits = &self.validation.limits;
        if header_b64.len() / 4 * 3 > limits.max_header_bytes {
            return Err(Error::TooLarge {
                what: "header",
                size: header_b64.len() / 4 * 3,
                limit: limits.max_header_bytes,
            });
        }
        let raw = json::b64_decode(header_b64)?;
        let header = Header::from_json(&raw, limits.max_json_depth)?;
        self.check_header(&header)?;
        Ok(header)
    }

    fn check_header(&self, header: &Header) -> Result<()> {
        header.check_crit(&self.validation.crit)?;
        if let Some(want) = &self.validation.typ {
            match &header.typ {
                Some(t) if typ_matches(t, want) => {}
                Some(t) => return Err(Error::InvalidType(format!("`{}`", truncate(t, 32)))),
                None => return Err(Error::InvalidType("`typ` is missing".into())),
            }
        }
        if !self.allowed.contains(&header.alg) {
            return Err(Error::AlgorithmNotAllowed(header.alg.to_string()));
        }
        Ok(())
    }

    fn check_signature(&self, header: &Header, input: &[u8], sig: &[u8]) -> Result<()> {
        // The usual single key that fits: no candidate list to build (same outcome).
        if let [key] = self.keys.keys() {
            if key.algorithm() == header.alg
                && self.validation.limits.max_key_candidates > 0
                && header
                    .kid
                    .as_deref()
                    .is_none_or(|kid| key.kid() == Some(kid))
            {
                return key.verify(input, sig);
            }
        }
        let candidates = self
            .keys
            .select(header, self.validation.limits.max_key_candidates)?;
        for key in candidates {
            if key.verify(input, sig).is_ok() {
                return Ok(());
            }
        }
        Err(Error::InvalidSignature)
    }

    /// Verify a JWS in the JSON serialization (flattened or general, RFC 7515 7.2). For
    /// the general form the first signature that verifies with an allowed key wins.
    /// Header members may not appear both protected and unprotected; `crit` and `b64`
    /// must be protected.
    pub fn verify_json(&self, doc: &str) -> Result<VerifiedJws> {
        self.verify_json_inner(doc, None)
    }

    /// [`Verifier::verify_json`] with a detached payload.
    pub fn verify_json_detached(&self, doc: &str, payload: &[u8]) -> Result<VerifiedJws> {
        self.verify_json_inner(doc, Some(payload))
    }

    fn verify_json_inner(&self, doc: &str, detached: Option<&[u8]>) -> Result<VerifiedJws> {
        let limits = &self.validation.limits;
        if doc.len() > limits.max_token_bytes {
            return Err(Error::TooLarge {
                what: "token",
                size: doc.len(),
                limit: limits.max_token_bytes,
            });
        }
        let mut m = json::parse_object(doc.as_bytes(), limits.max_json_depth)?;
        let payload_field = match (m.remove("payload"), detached) {
            (Some(Value::String(p)), None) => Some(p),
            (None, Some(_)) => None,
            (Some(_), Some(_)) => {
                return Err(Error::malformed("payload is both detached and present"));
            }
            _ => return Err(Error::malformed("`payload` must be a string")),
        };
        let sigs: Vec<Map<String, Value>> = match m.remove("signatures") {
            Some(Value::Array(a)) => {
                if m.contains_key("signature")
                    || m.contains_key("protected")
                    || m.contains_key("header")
                {
                    return Err(Error::malformed(
                        "general JWS JSON must not carry flattened members",
                    ));
                }
                if a.is_empty() {
                    return Err(Error::malformed("`signatures` is empty"));
                }
                a.into_iter()
                    .map(|s| match s {
                        Value::Object(o) => Ok(o),
                        _ => Err(Error::malformed("signature entries must be objects")),
                    })
                    .collect::<Result<_>>()?
            }
            Some(_) => return Err(Error::malformed("`signatures` must be an array")),
            None => vec![m],
        };
        let mut last_err = Error::InvalidSignature;
        for s in sigs.iter().take(limits.max_key_candidates.max(1)) {
            match self.verify_json_signature(s, payload_field.as_deref(), detached) {
                Ok(v) => return Ok(v),
                Err(e) => last_err = e,
            }
        }
        Err(last_err)
    }

    fn verify_json_signature(
        &self,
        s: &Map<String, Value>,
        payload_field: Option<&str>,
        detached: Option<&[u8]>,
    ) -> Result<VerifiedJws> {
        let protected_b64 = match s.get("protected") {
            Some(Value::String(p)) => p.as_str(),
            None => "",
            Some(_) => return Err(Error::malformed("`protected` must be a string")),
        };
        let sig_b64 = match s.get("signature") {
            Some(Value::String(p)) => p.as_str(),
            _ => return Err(Error::malformed("`signature` must be a string")),
        };
        let mut joint = if protected_b64.is_empty() {
            Map::new()
        } else {
            let raw = json::b64_decode(protected_b64)?;
            if raw.len() > self.validation.limits.max_header_bytes {
                return Err(Error::TooLarge {
                    what: "header",
                    size: raw.len(),
                    limit: self.validation.limits.max_header_bytes,
                });
            }
            json::parse_object(&raw, self.validation.limits.max_json_depth)?
        };
        match s.get("header") {
            None => {}
            Some(Value::Object(u)) => {
                for (k, v) in u {
                    if k == "crit" || k == "b64" {
                        return Err(Error::InvalidHeader(format!(
                            "`{k}` must be integrity protected"
                        )));
                    }
                    if joint.insert(k.clone(), v.clone()).is_some() {
                        return Err(Error::InvalidHeader(format!(
                            "`{}` is both protected and unprotected",
                            truncate(k, 32)
                        )));
                    }
                }
            }
            Some(_) => return Err(Error::malformed("`header` must be an object")),
        }
        let header = Header::from_map(joint)?;
        self.check_header(&header)?;
        let sig = json::b64_decode(sig_b64)?;
        let (input, payload) = match (payload_field, detached) {
            (Some(p), _) => {
                let payload = if header.payload_is_b64() {
                    json::b64_decode(p)?
                } else {
                    p.as_bytes().to_vec()
                };
                (format!("{protected_b64}.{p}").into_bytes(), payload)
            }
            (None, Some(p)) => {
                let mut input = format!("{protected_b64}.").into_bytes();
                if header.payload_is_b64() {
                    input.extend_from_slice(json::b64_encode(p).as_bytes());
                } else {
                    input.extend_from_slice(p);
                }
                (input, p.to_vec())
            }
            (None, None) => return Err(Error::malformed("no payload")),
        };
        self.check_signature(&header, &input, &sig)?;
        Ok(VerifiedJws { header, payload })
    }
}

/// The first `.` at or after `from`. Tested 32 bytes at a time (a test without an early
/// exit, which the compiler turns into a few vector instructions), then located: a
/// byte-at-a-time search was 8% of an HS256 verification.
fn memchr(hay: &[u8], from: usize) -> Option<usize> {
    let mut chunks = hay[from..].chunks_exact(32);
    let mut offset = from;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |found, b| found | (*b == b'.')) {
            return chunk.iter().position(|b| *b == b'.').map(|p| p + offset);
        }
        offset += 32;
    }
    chunks
        .remainder()
        .iter()
        .position(|b| *b == b'.')
        .map(|p| p + offset)
}

#[cfg(test)]
mod tests {
    use super::memchr;

    #[test]
    fn memchr_finds_every_dot_position() {
        for len in [0usize, 1, 31, 32, 33, 64, 65, 100] {
            for dot in 0..len {
                let mut hay = vec![b'a'; len];
                hay[dot] = b'.';
                for from in 0..=len {
                    let want = if from <= dot { Some(dot) } else { None };
                    assert_eq!(memchr(&hay, from), want, "len {len} dot {dot} from {from}");
                }
            }
            assert_eq!(memchr(&vec![b'a'; len], 0), None);
        }
    }
}
