//! When may a remote JWK set be fetched again: the rule, without the HTTP.
//!
//! Python, Node, Kotlin/Swift apps and the reference service each fetch an issuer's JWK
//! set with their own HTTP client; *when* to fetch is the same decision everywhere, so it
//! lives here as a small state machine ([`JwksRefresh`]) that the caller drives with its
//! own clock (milliseconds from any origin that does not go backwards) and reports fetch
//! outcomes to. Nothing here performs I/O, sleeps or reads a clock.
//!
//! The rules, after panva/jose's remote JWK set and PyJWKClient's most upvoted
//! complaint (a failed refresh emptied its cache):
//!
//! * **Cache lifetime** ([`JwksRefreshPolicy::max_age_ms`]): a set older than this is
//!   refetched before it is used again.
//! * **Unknown `kid`** ([`JwksRefresh::on_unknown_kid`]): an issuer may have rotated its
//!   keys, so a token naming a `kid` the set lacks triggers a refetch, at most once per
//!   [`cooldown_ms`](JwksRefreshPolicy::cooldown_ms): attacker-chosen `kid`s cannot make
//!   the verifier hammer the issuer.
//! * **Negative caching with exponential backoff**: after a failed fetch, no fetch is
//!   attempted for [`initial_backoff_ms`](JwksRefreshPolicy::initial_backoff_ms), doubling
//!   with each consecutive failure up to [`max_backoff_ms`](JwksRefreshPolicy::max_backoff_ms).
//! * **Keep the last good set**: a failed fetch (network error, bad document, a set with
//!   no usable key) never replaces the keys; they stay in use for up to
//!   [`max_stale_ms`](JwksRefreshPolicy::max_stale_ms) past their lifetime.
//! * **One fetch at a time**: while a fetch is outstanding no other is asked for (it is
//!   given up after [`fetch_timeout_ms`](JwksRefreshPolicy::fetch_timeout_ms)).
//!
//! ```
//! use jwt_core::{Algorithm, JwksDecision, JwksRefresh, JwksRefreshPolicy, SigningKey, KeySet};
//! # let issuer = SigningKey::generate(Algorithm::ES256)?.with_kid("k1");
//! # let fetch = || KeySet::from(issuer.verifying_key()).to_public_jwks().map(|s| s.to_json());
//! let mut jwks = JwksRefresh::new(JwksRefreshPolicy::default());
//! let now_ms = 0;
//! if jwks.before_verify(now_ms) == JwksDecision::Fetch {
//!     match fetch() {     // your HTTP client
//!         Ok(body) => jwks.fetched_json(now_ms, body.as_bytes(), &[])?,
//!         Err(e) => jwks.fetch_failed(now_ms, e),
//!     }
//! }
//! let keys = jwks.keys(now_ms).expect("a usable set");
//! assert_eq!(keys.len(), 1);
//! # Ok::<(), jwt_core::Error>(())
//! ```

use crate::alg::Algorithm;
use crate::error::{Error, Result};
use crate::verify::KeySet;

fn no_usable_key() -> Error {
    Error::KeyNotFound("the fetched JWK set holds no usable signature key".into())
}

/// The timings of a [`JwksRefresh`], in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JwksRefreshPolicy {
    /// A fetched set is fresh this long; then it is refetched before use. Default 10 min.
    pub max_age_ms: u64,
    /// Least time between fetches caused by an unknown `kid`. Default 30 s.
    pub cooldown_ms: u64,
    /// Wait after the first failed fetch; doubles per consecutive failure. Default 1 s.
    pub initial_backoff_ms: u64,
    /// The longest wait after failed fetches. Default 5 min.
    pub max_backoff_ms: u64,
    /// How long past `max_age_ms` the last good set is still used while fetches fail;
    /// `None`: without end. Default 24 h (a key the issuer revoked stays trusted at most
    /// this long during an outage).
    pub max_stale_ms: Option<u64>,
    /// An outstanding fetch not reported within this long is taken as abandoned.
    /// Default 30 s.
    pub fetch_timeout_ms: u64,
}

impl Default for JwksRefreshPolicy {
    fn default() -> Self {
        JwksRefreshPolicy {
            max_age_ms: 10 * 60 * 1000,
            cooldown_ms: 30 * 1000,
            initial_backoff_ms: 1000,
            max_backoff_ms: 5 * 60 * 1000,
            max_stale_ms: Some(24 * 60 * 60 * 1000),
            fetch_timeout_ms: 30 * 1000,
        }
    }
}

/// What the caller should do now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwksDecision {
    /// Verify with [`JwksRefresh::keys`] as they are.
    Use,
    /// Fetch the set, then report with [`JwksRefresh::fetched`] (or
    /// [`fetched_json`](JwksRefresh::fetched_json)) or [`JwksRefresh::fetch_failed`]. Until
    /// then [`JwksRefresh::keys`] still gives the last good set, if it may be used: a
    /// caller may verify with it meanwhile, or wait for the fetch.
    Fetch,
    /// There is no usable set and no fetch may be made now (backing off after failures,
    /// or another fetch is outstanding): fail the verification with
    /// [`JwksRefresh::last_error`] (or `key_not_found`), or wait `retry_in_ms`.
    Unavailable {
        /// When a fetch may be made, or the outstanding one is given up.
        retry_in_ms: u64,
    },
}

/// The state of one remote JWK set: the last good keys and the fetch history. Pure: see
/// the module docs. Wrap it in a mutex to share it between threads.
#[derive(Clone, Debug)]
pub struct JwksRefresh {
    policy: JwksRefreshPolicy,
    keys: Option<KeySet>,
    fetched_at: u64,
    generation: u64,
    /// The last fetch attempt (asked for), successful or not.
    last_attempt: Option<u64>,
    in_flight_since: Option<u64>,
    failures: u32,
    retry_at: u64,
    last_error: Option<Error>,
}

impl JwksRefresh {
    /// No keys yet: the first [`JwksRefresh::before_verify`] says [`JwksDecision::Fetch`].
    pub fn new(policy: JwksRefreshPolicy) -> Self {
        JwksRefresh {
            policy,
            keys: None,
            fetched_at: 0,
            generation: 0,
            last_attempt: None,
            in_flight_since: None,
            failures: 0,
            retry_at: 0,
            last_error: None,
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &JwksRefreshPolicy {
        &self.policy
    }

    /// Before verifying a token: fetch when there is no set or it is older than
    /// `max_age_ms`, unless backing off or a fetch is outstanding.
    pub fn before_verify(&mut self, now_ms: u64) -> JwksDecision {
        if self.is_fresh(now_ms) {
            return JwksDecision::Use;
        }
        self.fetch_unless_blocked(now_ms)
    }

    /// True when there is a set younger than `max_age_ms`: what
    /// [`JwksRefresh::before_verify`] would use without fetching. A query, for a caller
    /// that cannot fetch now (a synchronous verify).
    pub fn is_fresh(&self, now_ms: u64) -> bool {
        self.keys.is_some() && now_ms.saturating_sub(self.fetched_at) < self.policy.max_age_ms
    }

    /// The token names a `kid` the set lacks (verification failed with
    /// `key_not_found`): fetch, if the cooldown since the last fetch has passed and no
    /// backoff or outstanding fetch forbids it; otherwise [`JwksDecision::Use`] (the
    /// token stays unverifiable) or [`JwksDecision::Unavailable`] when there is no set.
    pub fn on_unknown_kid(&mut self, now_ms: u64) -> JwksDecision {
        let cooling = self
            .last_attempt
            .is_some_and(|t| now_ms.saturating_sub(t) < self.policy.cooldown_ms);
        if cooling {
            return self.use_or_unavailable(now_ms, self.cooldown_end());
        }
        self.fetch_unless_blocked(now_ms)
    }

    /// Report a successful fetch. A set with no usable key counts as a failed fetch
    /// (`key_not_found`): it never replaces the last good keys.
    pub fn fetched(&mut self, now_ms: u64, keys: KeySet) {
        if keys.is_empty() {
            self.fetch_failed(now_ms, no_usable_key());
            return;
        }
        self.keys = Some(keys);
        self.fetched_at = now_ms;
        self.generation += 1;
        self.in_flight_since = None;
        self.failures = 0;
        self.retry_at = 0;
        self.last_error = None;
    }

    /// Report a fetched JWK set document: parsed with [`KeySet::from_jwks_json`] (keys
    /// without `alg` bound to `default_algs`), then [`JwksRefresh::fetched`]; a document
    /// that does not parse is a failed fetch, and its error is returned too.
    pub fn fetched_json(
        &mut self,
        now_ms: u64,
        body: &[u8],
        default_algs: &[Algorithm],
    ) -> Result<()> {
        match KeySet::from_jwks_json(body, default_algs) {
            Ok(keys) if !keys.is_empty() => {
                self.fetched(now_ms, keys);
                Ok(())
            }
            Ok(_) => {
                self.fetch_failed(now_ms, no_usable_key());
                Err(no_usable_key())
            }
            Err(e) => {
                self.fetch_failed(now_ms, e.clone());
                Err(e)
            }
        }
    }

    /// Report a failed fetch (`error` is kept for [`JwksRefresh::last_error`]): the keys
    /// stay, and no fetch is asked for until the backoff has passed.
    pub fn fetch_failed(&mut self, now_ms: u64, error: Error) {
        self.in_flight_since = None;
        self.failures = self.failures.saturating_add(1);
        let doublings = (self.failures - 1).min(32);
        let backoff = self
            .policy
            .initial_backoff_ms
            .saturating_mul(1u64 << doublings)
            .min(self.policy.max_backoff_ms);
        self.retry_at = now_ms.saturating_add(backoff);
        self.last_error = Some(error);
    }

    /// The last good keys, if they may still be used at `now_ms` (fresh, or stale by no
    /// more than `max_stale_ms`).
    pub fn keys(&self, now_ms: u64) -> Option<&KeySet> {
        let keys = self.keys.as_ref()?;
        let age = now_ms.saturating_sub(self.fetched_at);
        match self.policy.max_stale_ms {
            Some(extra) if age > self.policy.max_age_ms.saturating_add(extra) => None,
            _ => Some(keys),
        }
    }

    /// Counts successful fetches: when it changes, rebuild verifiers from
    /// [`JwksRefresh::keys`].
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The error of the last fetch, if it failed.
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// Consecutive failed fetches.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    fn cooldown_end(&self) -> u64 {
        self.last_attempt
            .unwrap_or(0)
            .saturating_add(self.policy.cooldown_ms)
    }

    fn use_or_unavailable(&self, now_ms: u64, until: u64) -> JwksDecision {
        if self.keys(now_ms).is_some() {
            JwksDecision::Use
        } else {
            JwksDecision::Unavailable {
                retry_in_ms: until.saturating_sub(now_ms),
            }
        }
    }

    /// Ask for a fetch unless one is outstanding or the backoff forbids it.
    fn fetch_unless_blocked(&mut self, now_ms: u64) -> JwksDecision {
        if let Some(since) = self.in_flight_since {
            let until = since.saturating_add(self.policy.fetch_timeout_ms);
            if now_ms < until {
                return self.use_or_unavailable(now_ms, until);
            }
            // Abandoned: the caller never reported; ask again.
        }
        if self.failures > 0 && now_ms < self.retry_at {
            return self.use_or_unavailable(now_ms, self.retry_at);
        }
        self.in_flight_since = Some(now_ms);
        self.last_attempt = Some(now_ms);
        JwksDecision::Fetch
    }
}
