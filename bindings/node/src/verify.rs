//! Verification: [`Verifier`], keys plus validation rules built once (`jwt_core::Verifier`).
//!
//! The rules arrive once, as a [`VerifierRules`] object (declared here, typed in the
//! generated `index.d.ts`; the JS layer maps jsonwebtoken's and fast-jwt's option names
//! onto it). A verified token goes back as the claims' JSON text: one string, one
//! `JSON.parse` on the JS side.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::key::KeySet;
use crate::{Result, arg_err, js_err, parse_alg, rejection};

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

fn validation(o: Options) -> Result<jwt_core::Validation> {
    let mut v = jwt_core::Validation::new();
    if let Some(a) = o.algorithms {
        let algs = a.iter().map(|s| parse_alg(s)).collect::<Result<Vec<_>>>()?;
        v = v.algorithms(&algs);
    }
    if let Some(i) = o.issuer {
        v = v.issuers(i);
    }
    if let Some(a) = o.audience {
        v = v.audiences(a);
    }
    if let Some(s) = o.subject {
        v = v.subject(s);
    }
    if let Some(l) = o.leeway {
        v = v.leeway(l.into());
    }
    if let Some(r) = o.required_claims {
        v = v.required_claims(r);
    }
    if let Some(m) = o.max_age {
        v = v.max_age(m.into());
    }
    if let Some(t) = o.typ {
        v = v.typ(t);
    }
    if let Some(c) = o.critical {
        v = v.critical(c);
    }
    for (name, value) in o.claims_equal.unwrap_or_default() {
        v = v.claim_equals(name, value);
    }
    if let Some(b) = o.validate_exp {
        v = v.validate_exp(b);
    }
    if let Some(b) = o.validate_nbf {
        v = v.validate_nbf(b);
    }
    if let Some(b) = o.validate_iat {
        v = v.validate_iat(b);
    }
    if o.insecure_skip_audience == Some(true) {
        v = v.insecure_skip_audience();
    }
    if let Some(n) = o.max_token_bytes {
        let mut limits = v.get_limits();
        limits.max_token_bytes = n as usize;
        v = v.limits(limits);
    }
    Ok(v)
}

/// A verifier for ONE caller-supplied key that, like jsonwebtoken, accepts a token whatever
/// its `kid` names: the core only lets a `kid` select among keys with that `kid`, so for a
/// token with a `kid` the key is re-bound to it (alg binding unchanged) and the verifier
/// for that `kid` is kept. A `kid` can only ever select the caller's one key.
#[derive(Debug)]
struct AnyKid {
    keys: Vec<jwt_core::VerifyingKey>,
    validation: jwt_core::Validation,
    by_kid: Mutex<HashMap<String, Arc<jwt_core::Verifier>>>,
}

const MAX_KIDS: usize = 64;

impl AnyKid {
    fn for_kid(&self, kid: &str) -> std::result::Result<Arc<jwt_core::Verifier>, jwt_core::Error> {
        let mut map = self.by_kid.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = map.get(kid) {
            return Ok(Arc::clone(v));
        }
        let keys: Vec<_> = self.keys.iter().map(|k| k.clone().with_kid(kid)).collect();
        let v = Arc::new(jwt_core::Verifier::new(keys, self.validation.clone())?);
        if map.len() >= MAX_KIDS {
            map.clear();
        }
        map.insert(kid.to_owned(), Arc::clone(&v));
        Ok(v)
    }
}

/// Keys plus rules, and the optional any-`kid` fallback.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) verifier: jwt_core::Verifier,
    any_kid: Option<AnyKid>,
}

fn verify_data(
    v: &Inner,
    token: &str,
    now: Option<i64>,
) -> std::result::Result<jwt_core::TokenData<String>, jwt_core::Error> {
    // The raw path: the claims' JSON text as verified, without a second parse.
    let run = |v: &jwt_core::Verifier| match now {
        Some(now) => v.verify_raw_at(token, now),
        None => v.verify_raw(token),
    };
    match (run(&v.verifier), &v.any_kid) {
        (Err(jwt_core::Error::KeyNotFound(msg)), Some(any)) => {
            match jwt_core::unverified::header(token)?.kid {
                Some(kid) => run(&*any.for_kid(&kid)?),
                None => Err(jwt_core::Error::KeyNotFound(msg)),
            }
        }
        (r, _) => r,
    }
}

/// What one verification returns: the claims' JSON, or `[header, claims]` when complete.
fn verify_text(
    v: &Inner,
    token: &str,
    now: Option<i64>,
    complete: bool,
) -> std::result::Result<String, jwt_core::Error> {
    let data = verify_data(v, token, now)?;
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
    /// A verifier over `keys` with the rules in `options`. With `anyKid`, a token whose
    /// `kid` matches no key is checked against the keys re-bound to its `kid` (for one
    /// caller-supplied key, as jsonwebtoken does; never for key sets).
    #[napi(constructor)]
    pub fn new(keys: &KeySet, options: Option<Options>, any_kid: Option<bool>) -> Result<Self> {
        let opts = options.unwrap_or_default();
        let validation = validation(opts)?;
        let verifier =
            jwt_core::Verifier::new(keys.inner.clone(), validation.clone()).map_err(js_err)?;
        let any_kid = any_kid.unwrap_or(false).then(|| AnyKid {
            keys: keys.inner.keys().to_vec(),
            validation,
            by_kid: Mutex::new(HashMap::new()),
        });
        Ok(Verifier {
            inner: Arc::new(Inner { verifier, any_kid }),
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
