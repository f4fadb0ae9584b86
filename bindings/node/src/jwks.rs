//! [`JwksRefresh`]: the core's sans-IO refresh policy of a remote JWK set
//! (`jwt_core::JwksRefresh`), driven from JavaScript with JavaScript's own `fetch` and
//! clock. When to fetch (cache lifetime, the unknown-`kid` cooldown, backoff after
//! failures, how long the last good set stays usable) is decided here, by the core only.

use napi_derive::napi;

use crate::key::{KeySet, jwks_default_algs};
use crate::{Result, arg_err, js_err};

/// The timings of a [`JwksRefresh`] in milliseconds; absent members keep the core's
/// defaults (`jwt_core::JwksRefreshPolicy`).
#[napi(object, js_name = "JwksRefreshOptions")]
#[derive(Debug, Default)]
pub struct Options {
    /// A fetched set is fresh this long (default 10 min).
    pub max_age_ms: Option<f64>,
    /// Least time between fetches caused by an unknown `kid` (default 30 s).
    pub cooldown_ms: Option<f64>,
    /// Wait after the first failed fetch, doubling per failure (default 1 s).
    pub initial_backoff_ms: Option<f64>,
    /// The longest wait after failed fetches (default 5 min).
    pub max_backoff_ms: Option<f64>,
    /// How long past `maxAgeMs` the last good set is still used while fetches fail
    /// (default 24 h; a negative value: without end).
    pub max_stale_ms: Option<f64>,
    /// An outstanding fetch not reported within this long is taken as abandoned (30 s).
    pub fetch_timeout_ms: Option<f64>,
}

fn ms(value: f64, name: &str) -> Result<u64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value.floor() as u64)
    } else {
        Err(arg_err(format_args!(
            "{name} must be a non-negative number of milliseconds"
        )))
    }
}

fn policy(o: Options) -> Result<jwt_core::JwksRefreshPolicy> {
    let mut p = jwt_core::JwksRefreshPolicy::default();
    let set = |target: &mut u64, v: Option<f64>, name: &str| -> Result<()> {
        if let Some(v) = v {
            *target = ms(v, name)?;
        }
        Ok(())
    };
    set(&mut p.max_age_ms, o.max_age_ms, "maxAgeMs")?;
    set(&mut p.cooldown_ms, o.cooldown_ms, "cooldownMs")?;
    set(
        &mut p.initial_backoff_ms,
        o.initial_backoff_ms,
        "initialBackoffMs",
    )?;
    set(&mut p.max_backoff_ms, o.max_backoff_ms, "maxBackoffMs")?;
    set(
        &mut p.fetch_timeout_ms,
        o.fetch_timeout_ms,
        "fetchTimeoutMs",
    )?;
    match o.max_stale_ms {
        Some(v) if v < 0.0 => p.max_stale_ms = None,
        Some(v) => p.max_stale_ms = Some(ms(v, "maxStaleMs")?),
        None => {}
    }
    Ok(p)
}

/// One remote JWK set's refresh state (the last good keys and the fetch history). The
/// caller asks [`JwksRefresh::before_verify`] / [`JwksRefresh::on_unknown_kid`], fetches
/// when told `"fetch"`, and reports with [`JwksRefresh::fetched_json`] or
/// [`JwksRefresh::fetch_failed`]. `nowMs`: milliseconds from any origin that does not go
/// backwards (`Date.now()`, or a test clock).
#[napi]
#[derive(Debug)]
pub struct JwksRefresh {
    inner: jwt_core::JwksRefresh,
}

fn now(now_ms: f64) -> Result<u64> {
    ms(now_ms, "nowMs")
}

/// A decision as its name: `"use"`, `"fetch"` or `"unavailable"`.
fn decision(d: jwt_core::JwksDecision) -> String {
    match d {
        jwt_core::JwksDecision::Use => "use",
        jwt_core::JwksDecision::Fetch => "fetch",
        _ => "unavailable",
    }
    .to_owned()
}

#[napi]
impl JwksRefresh {
    /// No keys yet: the first `beforeVerify` says `"fetch"`.
    #[napi(constructor)]
    pub fn new(options: Option<Options>) -> Result<Self> {
        Ok(JwksRefresh {
            inner: jwt_core::JwksRefresh::new(policy(options.unwrap_or_default())?),
        })
    }

    /// Before verifying: `"use"` the keys, `"fetch"` the set (then report), or
    /// `"unavailable"` (no usable set, and backing off or a fetch is outstanding).
    #[napi]
    pub fn before_verify(&mut self, now_ms: f64) -> Result<String> {
        Ok(decision(self.inner.before_verify(now(now_ms)?)))
    }

    /// The token names a `kid` the set lacks: `"fetch"` unless the cooldown since the last
    /// fetch, a backoff or an outstanding fetch forbids it.
    #[napi]
    pub fn on_unknown_kid(&mut self, now_ms: f64) -> Result<String> {
        Ok(decision(self.inner.on_unknown_kid(now(now_ms)?)))
    }

    /// True when a set younger than `maxAgeMs` is held (what a synchronous verify, which
    /// cannot fetch, may use). Changes nothing.
    #[napi]
    pub fn is_fresh(&self, now_ms: f64) -> Result<bool> {
        Ok(self.inner.is_fresh(now(now_ms)?))
    }

    /// Report a fetched JWK set document; keys without `alg` are bound to `defaultAlgs`
    /// (absent: every asymmetric algorithm). A document that does not parse, or holds no
    /// usable key, is a failed fetch (the last good keys stay) and its error is thrown.
    #[napi]
    pub fn fetched_json(
        &mut self,
        now_ms: f64,
        body: String,
        default_algs: Option<Vec<String>>,
    ) -> Result<()> {
        let algs = jwks_default_algs(default_algs)?;
        self.inner
            .fetched_json(now(now_ms)?, body.as_bytes(), &algs)
            .map_err(js_err)
    }

    /// Report a failed fetch (network error, HTTP status, body over the size cap): the
    /// keys stay, and no fetch is asked for until the backoff has passed.
    #[napi]
    pub fn fetch_failed(&mut self, now_ms: f64, message: String) -> Result<()> {
        self.inner
            .fetch_failed(now(now_ms)?, jwt_core::Error::KeyNotFound(message));
        Ok(())
    }

    /// True when [`JwksRefresh::keys`] would give keys at `nowMs` (without building them).
    #[napi]
    pub fn usable(&self, now_ms: f64) -> Result<bool> {
        Ok(self.inner.keys(now(now_ms)?).is_some())
    }

    /// The last good keys if they may still be used at `nowMs` (fresh, or stale by no
    /// more than `maxStaleMs`); `null` otherwise. A new `KeySet` each call: rebuild only
    /// when `generation` changes.
    #[napi]
    pub fn keys(&self, now_ms: f64) -> Result<Option<KeySet>> {
        Ok(self
            .inner
            .keys(now(now_ms)?)
            .map(|k| KeySet { inner: k.clone() }))
    }

    /// Counts successful fetches.
    #[napi(getter)]
    pub fn generation(&self) -> f64 {
        self.inner.generation() as f64
    }

    /// Consecutive failed fetches.
    #[napi(getter)]
    pub fn failures(&self) -> u32 {
        self.inner.failures()
    }
}
