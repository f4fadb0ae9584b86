//! `JwksRefresh`: the core's sans-IO JWK set refresh policy ([`jwt_core::JwksRefresh`]),
//! driven by `jwt_core.PyJWKClient` / `AsyncPyJWKClient` with their own HTTP and clock;
//! and `_jwk_set_members`, a JWK set document read once by the core for `PyJWKSet`.
//!
//! The state sits behind a mutex held only inside each call: the fetch itself happens in
//! Python between calls, never under it.

use std::sync::Mutex;

use jwt_core::{Algorithm, Error, JwkSet, JwksDecision, JwksRefresh, JwksRefreshPolicy, KeySet};
use pyo3::prelude::*;

use crate::error::OrPyErr;
use crate::key::{PySigningKey, PyVerifyingKey};
use crate::verify::key_set;

/// When to fetch a remote JWK set again (the core's `JwksRefresh`). Times are
/// milliseconds on the caller's monotonic clock.
#[derive(Debug)]
#[pyclass(name = "JwksRefresh", module = "jwt_core._jwt_core", frozen)]
pub struct PyJwksRefresh(Mutex<JwksRefresh>);

fn decision(d: JwksDecision) -> (&'static str, u64) {
    match d {
        JwksDecision::Use => ("use", 0),
        JwksDecision::Fetch => ("fetch", 0),
        JwksDecision::Unavailable { retry_in_ms } => ("unavailable", retry_in_ms),
        _ => ("unavailable", 0),
    }
}

impl PyJwksRefresh {
    fn with<T>(&self, f: impl FnOnce(&mut JwksRefresh) -> T) -> T {
        let mut state = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut state)
    }
}

#[pymethods]
impl PyJwksRefresh {
    #[new]
    #[pyo3(signature = (
        *, max_age_ms = 600_000, cooldown_ms = 30_000, initial_backoff_ms = 1000,
        max_backoff_ms = 300_000, max_stale_ms = Some(86_400_000), fetch_timeout_ms = 30_000,
    ))]
    fn new(
        max_age_ms: u64,
        cooldown_ms: u64,
        initial_backoff_ms: u64,
        max_backoff_ms: u64,
        max_stale_ms: Option<u64>,
        fetch_timeout_ms: u64,
    ) -> Self {
        Self(Mutex::new(JwksRefresh::new(JwksRefreshPolicy {
            max_age_ms,
            cooldown_ms,
            initial_backoff_ms,
            max_backoff_ms,
            max_stale_ms,
            fetch_timeout_ms,
        })))
    }

    /// Before using the set: `("use", 0)`, `("fetch", 0)` (the caller fetches, then reports
    /// with `fetched` or `fetch_failed`) or `("unavailable", retry_in_ms)`.
    fn before_verify(&self, now_ms: u64) -> (&'static str, u64) {
        decision(self.with(|s| s.before_verify(now_ms)))
    }

    /// A token names a `kid` the set lacks: the same answers as `before_verify`.
    fn on_unknown_kid(&self, now_ms: u64) -> (&'static str, u64) {
        decision(self.with(|s| s.on_unknown_kid(now_ms)))
    }

    /// Report a successful fetch: the set's keys (native key objects). A set with no key
    /// counts as a failed fetch (`key_not_found`, raised).
    fn fetched(&self, now_ms: u64, keys: &Bound<'_, PyAny>) -> PyResult<()> {
        let set = key_set(keys, &[])?;
        let empty = set.is_empty();
        self.with(|s| s.fetched(now_ms, set));
        if empty {
            return Err(Error::KeyNotFound(
                "the fetched JWK set holds no usable signature key".into(),
            ))
            .py();
        }
        Ok(())
    }

    /// Report a failed fetch: the last good set stays, fetches back off.
    fn fetch_failed(&self, now_ms: u64, message: &str) {
        let e = Error::KeyNotFound(format!("fetching the JWK set failed: {message}"));
        self.with(|s| s.fetch_failed(now_ms, e));
    }

    /// Whether the last good set may still be used at `now_ms` (fresh, or stale within
    /// `max_stale_ms`).
    fn has_keys(&self, now_ms: u64) -> bool {
        self.with(|s| s.keys(now_ms).is_some())
    }

    /// Successful fetches so far.
    #[getter]
    fn generation(&self) -> u64 {
        self.with(|s| s.generation())
    }

    /// Consecutive failed fetches.
    #[getter]
    fn failures(&self) -> u32 {
        self.with(|s| s.failures())
    }
}

/// A JWK set document (JSON text) read once by the core, as PyJWT's `PyJWKSet` reads one:
/// for each usable member, `(index in keys, algorithm, key)`, the key a `SigningKey` for
/// a secret (`oct`, private) member and a `VerifyingKey` otherwise. The core's rules
/// decide which members are usable (`KeySet::jwks_members`: members that are not JWKs,
/// encryption keys, unknown types or algorithms and broken material are skipped; an RSA
/// member without `alg` is RS256, PyJWT's default; an `oct` member without `alg` is not
/// usable; the usable members may not mix secret and public keys). Short `oct` secrets
/// pass (PyJWT warns when they are used).
#[pyfunction]
pub fn _jwk_set_members<'py>(
    py: Python<'py>,
    text: &str,
) -> PyResult<Vec<(usize, &'static str, Bound<'py, PyAny>)>> {
    let (set, from) = JwkSet::from_json_skipping_invalid(text).py()?;
    let members = KeySet::jwks_members(&set, &[Algorithm::RS256], true, true).py()?;
    let mut out = Vec::with_capacity(members.len());
    for (i, verifying, signing) in members {
        let a = verifying.algorithm();
        let key = match signing {
            Some(s) => Bound::new(py, PySigningKey(s))?.into_any(),
            None => Bound::new(py, PyVerifyingKey(verifying))?.into_any(),
        };
        out.push((from[i], a.as_str(), key));
    }
    Ok(out)
}
