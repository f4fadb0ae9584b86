//! `KeySet::select` and the `kid` policies: strict for issuers' key sets, lenient for
//! "the key I passed" (PyJWT, jsonwebtoken), and never across algorithms.

mod common;

use common::{NOW, craft, header, key, other_key};
use jwt_core::{Algorithm, Header, KeySet, KidPolicy, Validation, Verifier, VerifyingKey};

use Algorithm::*;

fn with_kid(alg: Algorithm, kid: &str) -> VerifyingKey {
    key(alg).verifying_key().with_kid(kid)
}

fn hdr(alg: Algorithm, kid: Option<&str>) -> Header {
    let mut h = Header::new(alg);
    h.kid = kid.map(str::to_owned);
    h
}

fn selected(set: &KeySet, h: &Header, p: KidPolicy) -> Result<Vec<Option<String>>, &'static str> {
    set.select(h, p, 8)
        .map(|ks| ks.iter().map(|k| k.kid().map(str::to_owned)).collect())
        .map_err(|e| e.code())
}

#[test]
fn strict_selects_by_kid_and_algorithm() {
    let set = KeySet::from(vec![
        with_kid(ES256, "a"),
        with_kid(ES256, "b"),
        with_kid(RS256, "r"),
    ]);
    let s = |h| selected(&set, &h, KidPolicy::Strict);
    assert_eq!(s(hdr(ES256, Some("b"))), Ok(vec![Some("b".into())]));
    assert_eq!(
        s(hdr(ES256, None)),
        Ok(vec![Some("a".into()), Some("b".into())])
    );
    assert_eq!(s(hdr(ES256, Some("zzz"))), Err("key_not_found"));
    assert_eq!(s(hdr(ES256, Some("r"))), Err("algorithm_not_allowed"));
    assert_eq!(s(hdr(EdDSA, None)), Err("key_not_found"));
}

#[test]
fn lenient_lets_kid_less_keys_and_one_key_sets_answer_any_kid() {
    // A key without a kid answers any kid; keys with their own kid still must match.
    let mixed = KeySet::from(vec![with_kid(ES256, "a"), key(ES256).verifying_key()]);
    let s = |set: &KeySet, h| selected(set, &h, KidPolicy::Lenient);
    assert_eq!(s(&mixed, hdr(ES256, Some("a"))), Ok(vec![Some("a".into())]));
    assert_eq!(s(&mixed, hdr(ES256, Some("other"))), Ok(vec![None]));
    // One key (several algorithms of one piece of material share its kid): any kid.
    let one = KeySet::from(vec![with_kid(RS256, "k"), with_kid(PS256, "k")]);
    assert_eq!(
        s(&one, hdr(PS256, Some("rotated"))),
        Ok(vec![Some("k".into())])
    );
    // A real set of several keys stays strict about unknown kids...
    let many = KeySet::from(vec![with_kid(ES256, "a"), with_kid(ES256, "b")]);
    assert_eq!(s(&many, hdr(ES256, Some("c"))), Err("key_not_found"));
    // ... and no policy ever crosses algorithms.
    assert_eq!(s(&one, hdr(ES256, Some("rotated"))), Err("key_not_found"));
    assert_eq!(s(&one, hdr(ES256, Some("k"))), Err("algorithm_not_allowed"));
    assert_eq!(KidPolicy::default(), KidPolicy::Strict);
    assert_eq!(KidPolicy::Lenient.as_str(), "lenient");
}

#[test]
fn the_verifier_follows_the_validation_kid_policy() {
    let token = craft(
        key(HS256),
        &header(HS256, Some("not-mine")),
        &format!(r#"{{"exp":{}}}"#, NOW + 9),
    );
    for keys in [
        KeySet::from(key(HS256).verifying_key()),
        KeySet::from(with_kid(HS256, "mine")),
        KeySet::from(vec![
            other_key(HS256).verifying_key().with_kid("x"),
            key(HS256).verifying_key(),
        ]),
    ] {
        let strict = Verifier::new(keys.clone(), Validation::new()).unwrap();
        assert_eq!(
            strict
                .verify_at::<serde_json::Value>(&token, NOW)
                .unwrap_err()
                .code(),
            "key_not_found"
        );
        let lenient =
            Verifier::new(keys, Validation::new().kid_policy(KidPolicy::Lenient)).unwrap();
        assert!(lenient.verify_at::<serde_json::Value>(&token, NOW).is_ok());
    }
    // Lenient never makes a wrong key right.
    let wrong = Verifier::new(
        other_key(HS256).verifying_key(),
        Validation::new().kid_policy(KidPolicy::Lenient),
    )
    .unwrap();
    assert_eq!(
        wrong
            .verify_at::<serde_json::Value>(&token, NOW)
            .unwrap_err()
            .code(),
        "invalid_signature"
    );
}
