//! The sans-IO JWK set refresh policy, driven by a fake clock (plain milliseconds: the
//! policy reads no clock, so nothing is mocked) and fake fetch outcomes.

mod common;

use common::key;
use jwt_core::{Algorithm, Error, JwksDecision, JwksRefresh, JwksRefreshPolicy, KeySet};

use JwksDecision::*;

const SEC: u64 = 1000;

fn policy() -> JwksRefreshPolicy {
    JwksRefreshPolicy {
        max_age_ms: 600 * SEC,
        cooldown_ms: 30 * SEC,
        initial_backoff_ms: SEC,
        max_backoff_ms: 60 * SEC,
        max_stale_ms: Some(3600 * SEC),
        fetch_timeout_ms: 10 * SEC,
    }
}

/// A one-key set whose key's kid tells sets apart.
fn set(kid: &str) -> KeySet {
    KeySet::from(key(Algorithm::ES256).verifying_key().with_kid(kid))
}

fn kid_in(j: &JwksRefresh, now: u64) -> Option<String> {
    j.keys(now).map(|s| s.keys()[0].kid().unwrap().to_owned())
}

fn down() -> Error {
    Error::KeyNotFound("connection refused".into())
}

/// A refresher with set `a` fetched at t = 0.
fn loaded() -> JwksRefresh {
    let mut j = JwksRefresh::new(policy());
    assert_eq!(j.before_verify(0), Fetch);
    j.fetched(0, set("a"));
    j
}

#[test]
fn the_first_use_fetches_once() {
    let mut j = JwksRefresh::new(policy());
    assert!(j.keys(0).is_none());
    assert_eq!(j.before_verify(0), Fetch);
    // While that fetch is outstanding nobody else is asked to fetch.
    assert_eq!(j.before_verify(100), Unavailable { retry_in_ms: 9900 });
    assert_eq!(
        j.on_unknown_kid(200),
        Unavailable {
            retry_in_ms: 29_800
        }
    );
    j.fetched(500, set("a"));
    assert_eq!(j.before_verify(600), Use);
    assert_eq!(kid_in(&j, 600).as_deref(), Some("a"));
    assert_eq!(j.generation(), 1);
}

#[test]
fn a_set_is_refetched_after_its_lifetime_and_used_meanwhile() {
    let mut j = loaded();
    assert_eq!(j.before_verify(600 * SEC - 1), Use);
    assert_eq!(j.before_verify(600 * SEC), Fetch);
    // The stale set stays usable while the refetch is outstanding.
    assert_eq!(j.before_verify(600 * SEC + 1), Use);
    assert_eq!(kid_in(&j, 600 * SEC + 1).as_deref(), Some("a"));
    j.fetched(601 * SEC, set("b"));
    assert_eq!(kid_in(&j, 601 * SEC).as_deref(), Some("b"));
    assert_eq!(j.generation(), 2);
    assert_eq!(j.before_verify(1200 * SEC), Use);
}

#[test]
fn unknown_kids_refetch_at_most_once_per_cooldown() {
    let mut j = loaded();
    // Right after a fetch: the cooldown holds, whatever kids attackers send.
    for t in (0..30 * SEC).step_by(997) {
        assert_eq!(j.on_unknown_kid(t), Use, "t={t}");
    }
    assert_eq!(j.on_unknown_kid(30 * SEC), Fetch);
    assert_eq!(j.on_unknown_kid(30 * SEC + 1), Use); // outstanding
    j.fetched(31 * SEC, set("b"));
    // The cooldown counts from the last fetch asked for.
    assert_eq!(j.on_unknown_kid(59 * SEC), Use);
    assert_eq!(j.on_unknown_kid(60 * SEC), Fetch);
}

#[test]
fn a_failed_refresh_keeps_the_last_good_set_and_backs_off() {
    let mut j = loaded();
    let mut t = 600 * SEC;
    assert_eq!(j.before_verify(t), Fetch);
    j.fetch_failed(t, down());
    assert_eq!(
        kid_in(&j, t).as_deref(),
        Some("a"),
        "the cache is not wiped"
    );
    assert_eq!(j.last_error().unwrap().code(), "key_not_found");
    // Backoff doubles per consecutive failure, up to the maximum; the set stays in use.
    for (n, wait) in (1u32..).zip([1u64, 2, 4, 8, 16, 32, 60, 60]) {
        assert_eq!(j.failures(), n);
        assert_eq!(j.before_verify(t + wait * SEC - 1), Use, "failure {n}");
        assert_eq!(j.on_unknown_kid(t + wait * SEC - 1), Use, "failure {n}");
        t += wait * SEC;
        assert_eq!(j.before_verify(t), Fetch, "failure {n}");
        j.fetch_failed(t, down());
    }
    assert_eq!(kid_in(&j, t).as_deref(), Some("a"));
    // A success ends the backoff.
    t += 60 * SEC;
    assert_eq!(j.before_verify(t), Fetch);
    j.fetched(t, set("b"));
    assert_eq!((j.failures(), j.last_error()), (0, None));
    assert_eq!(j.before_verify(t + 600 * SEC), Fetch);
    j.fetch_failed(t + 600 * SEC, down());
    assert_eq!(
        j.before_verify(t + 601 * SEC),
        Fetch,
        "backoff restarts at 1 s"
    );
}

#[test]
fn the_last_good_set_expires_after_max_stale() {
    let mut j = loaded();
    let end = 600 * SEC + 3600 * SEC;
    assert!(j.keys(end).is_some());
    assert!(j.keys(end + 1).is_none());
    assert_eq!(j.before_verify(end + 1), Fetch);
    j.fetch_failed(end + 1, down());
    assert_eq!(
        j.before_verify(end + 2),
        Unavailable {
            retry_in_ms: SEC - 1
        }
    );
    // Without a bound the set is kept for as long as fetches fail.
    let mut j = JwksRefresh::new(JwksRefreshPolicy {
        max_stale_ms: None,
        ..policy()
    });
    assert_eq!(j.before_verify(0), Fetch);
    j.fetched(0, set("a"));
    assert!(j.keys(u64::MAX).is_some());
}

#[test]
fn a_first_fetch_that_fails_is_negatively_cached() {
    let mut j = JwksRefresh::new(policy());
    assert_eq!(j.before_verify(0), Fetch);
    j.fetch_failed(0, down());
    assert_eq!(j.before_verify(10), Unavailable { retry_in_ms: 990 });
    assert_eq!(
        j.on_unknown_kid(20),
        Unavailable {
            retry_in_ms: 29_980
        }
    );
    assert_eq!(j.before_verify(SEC), Fetch);
}

#[test]
fn bad_documents_and_empty_sets_are_failed_fetches() {
    let mut j = loaded();
    let t = 600 * SEC;
    assert_eq!(j.before_verify(t), Fetch);
    let e = j
        .fetched_json(t, b"<html>502 Bad Gateway</html>", &[])
        .unwrap_err();
    assert_eq!(e.code(), "invalid_key");
    assert_eq!((j.failures(), kid_in(&j, t).as_deref()), (1, Some("a")));
    assert_eq!(j.before_verify(t + SEC), Fetch);
    let e = j.fetched_json(t + SEC, br#"{"keys":[]}"#, &[]).unwrap_err();
    assert_eq!(e.code(), "key_not_found");
    assert_eq!((j.failures(), kid_in(&j, t).as_deref()), (2, Some("a")));
    // fetched() with an empty set is refused the same way.
    assert_eq!(j.before_verify(t + 3 * SEC), Fetch);
    j.fetched(t + 3 * SEC, KeySet::new());
    assert_eq!((j.failures(), j.generation()), (3, 1));
    // A good document.
    assert_eq!(j.before_verify(t + 7 * SEC), Fetch);
    let body = set("c").to_public_jwks().unwrap().to_json();
    j.fetched_json(t + 7 * SEC, body.as_bytes(), &[]).unwrap();
    assert_eq!(kid_in(&j, t + 7 * SEC).as_deref(), Some("c"));
}

#[test]
fn an_unreported_fetch_is_given_up_after_the_timeout() {
    let mut j = JwksRefresh::new(policy());
    assert_eq!(j.before_verify(0), Fetch);
    assert_eq!(
        j.before_verify(10 * SEC - 1),
        Unavailable { retry_in_ms: 1 }
    );
    assert_eq!(j.before_verify(10 * SEC), Fetch);
}

#[test]
fn the_policy_is_data_with_defaults() {
    let p: JwksRefreshPolicy = serde_json::from_str(r#"{"cooldown_ms": 5000}"#).unwrap();
    assert_eq!(p.cooldown_ms, 5000);
    assert_eq!(p.max_age_ms, JwksRefreshPolicy::default().max_age_ms);
    assert!(serde_json::from_str::<JwksRefreshPolicy>(r#"{"cooldown": 5}"#).is_err());
    assert_eq!(JwksRefresh::new(p).policy().cooldown_ms, 5000);
}

#[test]
fn is_fresh_is_a_query_that_changes_nothing() {
    let mut j = JwksRefresh::new(policy());
    assert!(!j.is_fresh(0));
    assert_eq!(j.before_verify(0), Fetch);
    j.fetched(0, set("a"));
    assert!(j.is_fresh(600 * SEC - 1));
    assert!(!j.is_fresh(600 * SEC));
    // asking never starts a fetch: before_verify still asks for one
    assert!(!j.is_fresh(700 * SEC));
    assert_eq!(j.before_verify(700 * SEC), Fetch);
}
