//! [`Validation`]: what a token must satisfy (algorithms, time claims, issuer, audience,
//! subject, `typ`, `crit`, exact claims, a custom check) and the [`Limits`] checked first.

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::alg::Algorithm;
use crate::claims::RegisteredClaims;
use crate::error::{Error, Result};
use crate::header::Header;
use crate::json;

use super::KidPolicy;

/// Size and shape limits, checked before any decoding or cryptographic work.
///
/// As a [`ValidationSpec`](crate::ValidationSpec) member, absent fields keep their
/// defaults and unknown ones are an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
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
    pub(crate) kid_policy: KidPolicy,
    pub(crate) clock: Option<i64>,
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
            .field("kid_policy", &self.kid_policy)
            .field("clock", &self.clock)
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
            kid_policy: KidPolicy::Strict,
            clock: None,
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
    /// How the token's `kid` selects keys (default [`KidPolicy::Strict`]).
    pub fn kid_policy(mut self, policy: KidPolicy) -> Self {
        self.kid_policy = policy;
        self
    }
    /// Check time claims as of `now` (seconds since the epoch) instead of the system
    /// clock, in [`Verifier::verify`](crate::Verifier::verify) and
    /// [`Verifier::verify_raw`](crate::Verifier::verify_raw) (jsonwebtoken's
    /// `clockTimestamp`; tests). `verify_at` still takes its own time.
    pub fn clock(mut self, now: i64) -> Self {
        self.clock = Some(now);
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

    pub(super) fn needs_full_claims(&self) -> bool {
        !self.exact.is_empty()
            || self
                .required
                .iter()
                .any(|n| !["exp", "nbf", "iat", "iss", "sub", "aud", "jti"].contains(&n.as_str()))
    }

    pub(super) fn check_full_claims(&self, payload: &[u8]) -> Result<()> {
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
