//! Verification: [`Verifier`], keys plus validation rules built once (`jwt_core::Verifier`).
//!
//! The rules arrive once, as a [`VerifierRules`] object (declared here, typed in the
//! generated `index.d.ts`; the JS layer maps jsonwebtoken's and fast-jwt's option names
//! onto it). A verified token goes back as the claims' JSON text: one string, one
//! `JSON.parse` on the JS side.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::key::KeySet;
use crate::{Result, arg_err, js_err, rejection};

/// The validation rules of a [`Verifier`]; every member optional, absent means
/// jwt-core's default (see `jwt_core::Validation`).
#[napi(object, js_name = "VerifierRules")]
#[derive(Debug, Default)]
pub struct Options {
    /// The accepted algorithms (intersected with the keys' algorithms).
    pub algorithms: Option<Vec<String>>,
    /// Accepted issuers, compared exactly; `iss` is then required.
    pub issuer: Option<Vec<String>>,
    /// Accepted audiences, compared exactly; `aud` is then required.
    pub audience: Option<Vec<String>>,
    /// The required subject.
    pub subject: Option<String>,
    /// Clock skew tolerated for `exp`, `nbf` and `iat`, in seconds.
    pub leeway: Option<u32>,
    /// Claims that must be present (replaces the default `["exp"]`).
    pub required_claims: Option<Vec<String>>,
    /// The largest accepted age of `iat`, in seconds.
    pub max_age: Option<u32>,
    /// The required `typ` header (case-insensitive, `application/` ignored).
    pub typ: Option<String>,
    /// `crit` header extensions understood.
    pub critical: Option<Vec<String>>,
    /// Claims that must equal these values exactly.
    pub claims_equal: Option<Map<String, Value>>,
    /// Check `exp` (default true).
    pub validate_exp: Option<bool>,
    /// Check `nbf` (default true).
    pub validate_nbf: Option<bool>,
    /// Refuse an `iat` in the future (default true).
    pub validate_iat: Option<bool>,
    /// Do not check `aud` at all (for callers that check it themselves).
    #[napi(js_name = "skipAudience")]
    pub insecure_skip_audience: Option<bool>,
    /// The largest token accepted, in bytes.
    pub max_token_bytes: Option<u32>,
}

/// The rules as the core's [`jwt_core::ValidationSpec`]: the option-to-validation
/// mapping is the core's (`ValidationSpec::build`), this only renames members.
fn validation(o: Options, kid_policy: jwt_core::KidPolicy) -> Result<jwt_core::Validation> {
    let mut spec = jwt_core::ValidationSpec::default();
    spec.algorithms = o.algorithms;
    spec.issuer = o.issuer.map(Into::into);
    spec.audience = o.audience.map(Into::into);
    spec.subject = o.subject;
    spec.leeway = o.leeway.map(u64::from);
    spec.required_claims = o.required_claims;
    spec.max_age = o.max_age.map(u64::from);
    spec.typ = o.typ;
    spec.critical = o.critical;
    spec.claims_equal = o.claims_equal;
    spec.verify_exp = o.validate_exp;
    spec.verify_nbf = o.validate_nbf;
    spec.verify_iat = o.validate_iat;
    spec.verify_aud = o.insecure_skip_audience.map(|skip| !skip);
    spec.kid_policy = Some(kid_policy);
    spec.limits = o.max_token_bytes.map(|n| jwt_core::Limits {
        max_token_bytes: n as usize,
        ..jwt_core::Limits::default()
    });
    spec.build().map_err(js_err)
}

/// The core verifier (a struct so that the JWE module reaches it by name).
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) verifier: jwt_core::Verifier,
}

/// What one verification returns: the claims' JSON, or `[header, claims]` when complete.
fn verify_text(
    v: &Inner,
    token: &str,
    now: Option<i64>,
    complete: bool,
) -> std::result::Result<String, jwt_core::Error> {
    // The raw path: the claims' JSON text as verified, without a second parse.
    let data = match now {
        Some(now) => v.verifier.verify_raw_at(token, now),
        None => v.verifier.verify_raw(token),
    }?;
    if complete {
        Ok(format!("[{},{}]", data.header.to_json(), data.claims))
    } else {
        Ok(data.claims)
    }
}

fn verify_one(v: &Inner, token: &str, now: Option<i64>, complete: bool) -> Result<String> {
    verify_text(v, token, now, complete).map_err(js_err)
}

pub(crate) fn seconds(now: Option<f64>) -> Result<Option<i64>> {
    match now {
        Some(n) if !n.is_finite() || n < 0.0 => Err(arg_err(
            "the clock must be a non-negative number of seconds",
        )),
        Some(n) => Ok(Some(n.floor() as i64)),
        None => Ok(None),
    }
}

/// Keys plus validation rules, built once and reused for every token.
#[napi]
#[derive(Debug)]
pub struct Verifier {
    pub(crate) inner: Arc<Inner>,
}

#[napi]
impl Verifier {
    /// A verifier over `keys` with the rules in `options`. With `anyKid`, the core's
    /// lenient `kid` policy (`KidPolicy::Lenient`): a token whose `kid` matches no key is
    /// checked by keys without a `kid` and by a set of one key (one caller-supplied key,
    /// as jsonwebtoken does; never for key sets).
    #[napi(constructor)]
    pub fn new(keys: &KeySet, options: Option<Options>, any_kid: Option<bool>) -> Result<Self> {
        let policy = if any_kid.unwrap_or(false) {
            jwt_core::KidPolicy::Lenient
        } else {
            jwt_core::KidPolicy::Strict
        };
        let validation = validation(options.unwrap_or_default(), policy)?;
        let verifier = jwt_core::Verifier::new(keys.inner.clone(), validation).map_err(js_err)?;
        Ok(Verifier {
            inner: Arc::new(Inner { verifier }),
        })
    }

    /// The algorithms this verifier accepts.
    #[napi]
    pub fn algorithms(&self) -> Vec<String> {
        self.inner
            .verifier
            .algorithms()
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect()
    }

    /// Verify a compact JWT; returns the claims as JSON text. `now` (seconds since the
    /// epoch) replaces the clock.
    #[napi]
    pub fn verify(&self, token: String, now: Option<f64>) -> Result<String> {
        verify_one(&self.inner, &token, seconds(now)?, false)
    }

    /// Verify a compact JWT; returns `[header, claims]` as JSON text.
    #[napi]
    pub fn verify_complete(&self, token: String, now: Option<f64>) -> Result<String> {
        verify_one(&self.inner, &token, seconds(now)?, true)
    }

    /// Verify a compact JWS with an arbitrary payload (no claims checks); returns the
    /// payload bytes. `b64: false` (RFC 7797) only when `b64` is declared critical.
    #[napi]
    pub fn verify_jws(&self, token: String) -> Result<Buffer> {
        Ok(self
            .inner
            .verifier
            .verify_jws(&token)
            .map_err(js_err)?
            .payload
            .into())
    }

    /// [`Verifier::verify`] (or `verify_complete`) on the libuv thread pool.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn verify_async(
        &self,
        token: String,
        now: Option<f64>,
        complete: Option<bool>,
    ) -> Result<AsyncTask<VerifyTask>> {
        Ok(AsyncTask::new(VerifyTask {
            verifier: Arc::clone(&self.inner),
            token,
            now: seconds(now)?,
            complete: complete.unwrap_or(false),
        }))
    }
}

/// The work of [`Verifier::verify_async`].
#[derive(Debug)]
pub struct VerifyTask {
    verifier: Arc<Inner>,
    token: String,
    now: Option<i64>,
    complete: bool,
}

impl Task for VerifyTask {
    type Output = std::result::Result<String, jwt_core::Error>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(verify_text(
            &self.verifier,
            &self.token,
            self.now,
            self.complete,
        ))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        output.map_err(|e| rejection(env, e))
    }
}
