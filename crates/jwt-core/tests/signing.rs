//! Signing-side properties: what the library emits must be what its own strict verifier
//! (and every other parser) reads the same way.

mod common;

use std::time::Duration;

use common::{NOW, key};
use jwt_core::{Algorithm, Claims, Signer, Validation, Verifier, unverified};
use serde_json::{Value, json};

#[test]
fn claims_builder_never_emits_duplicate_members() {
    let k = key(Algorithm::HS256);
    let signer = Signer::new(k.clone()).unwrap();
    // custom claims that collide with registered ones set through the builder
    let claims = Claims::new(json!({"exp": NOW - 100, "role": "r"})).expires_at(NOW + 100);
    match signer.sign(&claims) {
        // refusing is fine; emitting a token with two `exp` members is not
        Err(e) => assert_eq!(e.code(), "serialization_failed"),
        Ok(t) => {
            let payload = jwt_core::b64_decode(t.split('.').nth(1).unwrap()).unwrap();
            let text = String::from_utf8(payload).unwrap();
            assert_eq!(
                text.matches("\"exp\"").count(),
                1,
                "duplicate exp emitted: {text}"
            );
        }
    }
}

#[test]
fn huge_lifetimes_saturate_instead_of_wrapping() {
    let c = Claims::empty().expires_in(Duration::MAX);
    let exp = c.registered.exp.unwrap();
    assert!(exp > jwt_core::now(), "exp {exp} wrapped into the past");
    let c = Claims::empty().expires_in(Duration::from_secs(u64::MAX / 2 + 7));
    assert!(c.registered.exp.unwrap() > jwt_core::now());
}

#[test]
fn signed_tokens_round_trip_through_unverified_and_verifier() {
    for alg in Algorithm::ALL {
        let k = key(alg);
        let claims = Claims::new(json!({"role": "admin"}))
            .subject("u")
            .expires_at(NOW + 60)
            .issued_at(NOW);
        let t = Signer::new(k.clone()).unwrap().sign(&claims).unwrap();
        let u = unverified::decode(&t).unwrap();
        assert_eq!(u.header.alg, alg);
        assert_eq!(u.header.typ.as_deref(), Some("JWT"));
        let v = Verifier::new(k.verifying_key(), Validation::new()).unwrap();
        let d = v.verify_at::<Value>(&t, NOW).unwrap();
        assert_eq!(Value::Object(u.claims), d.claims);
        assert_eq!(
            d.claims,
            json!({"role": "admin", "sub": "u", "exp": NOW + 60, "iat": NOW})
        );
    }
}

#[test]
fn signer_rejects_non_object_claims_and_mismatched_headers() {
    let k = key(Algorithm::HS256);
    let s = Signer::new(k.clone()).unwrap();
    assert_eq!(
        s.sign(&json!([1, 2])).unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(s.sign(&"text").unwrap_err().code(), "invalid_argument");
    let h = jwt_core::Header::new(Algorithm::HS384);
    assert_eq!(
        Signer::with_header(k.clone(), h).unwrap_err().code(),
        "key_algorithm_mismatch"
    );
}
