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
    for alg in common::available() {
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

#[test]
fn every_jws_form_round_trips_with_and_without_b64() {
    use jwt_core::{Header, sign};
    let payloads: [&[u8]; 3] = [
        b"plain payload",
        b"{\"json\":true}",
        "caf\u{e9} $ 100".as_bytes(),
    ];
    for alg in [
        Algorithm::HS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
        Algorithm::PS256,
    ] {
        let k = key(alg);
        let v = Verifier::new(k.verifying_key(), Validation::new().critical(["b64"])).unwrap();
        let plain = Verifier::new(k.verifying_key(), Validation::new()).unwrap();
        for b64 in [true, false] {
            let mut h = Header::new(alg);
            if !b64 {
                h.b64 = Some(false);
            }
            for p in payloads {
                let ctx = format!("{alg} b64={b64} payload={:?}", String::from_utf8_lossy(p));
                // compact, attached
                let t = sign::sign_compact(k, &h, p).unwrap();
                assert_eq!(v.verify_jws(&t).unwrap().payload, p, "{ctx}");
                if !b64 {
                    assert_eq!(
                        plain.verify_jws(&t).unwrap_err().code(),
                        "unsupported_critical_header",
                        "{ctx}"
                    );
                }
                // compact, detached
                let d = sign::sign_detached(k, &h, p).unwrap();
                assert_eq!(v.verify_detached(&d, p).unwrap().payload, p, "{ctx}");
                assert_eq!(
                    v.verify_detached(&d, b"other").unwrap_err().code(),
                    "invalid_signature",
                    "{ctx}"
                );
                // flattened JSON, attached and detached
                let mut unprotected = serde_json::Map::new();
                unprotected.insert("note".into(), "unprotected".into());
                let f = sign::sign_flattened(k, &h, Some(&unprotected), p).unwrap();
                let got = v.verify_json(&f).unwrap();
                assert_eq!(got.payload, p, "{ctx}");
                assert_eq!(
                    got.header.extra.get("note").and_then(Value::as_str),
                    Some("unprotected")
                );
                let mut doc: Value = serde_json::from_str(&f).unwrap();
                doc.as_object_mut().unwrap().remove("payload");
                assert_eq!(
                    v.verify_json_detached(&doc.to_string(), p).unwrap().payload,
                    p,
                    "{ctx}"
                );
                assert_eq!(
                    v.verify_json_detached(&doc.to_string(), b"other")
                        .unwrap_err()
                        .code(),
                    "invalid_signature",
                    "{ctx}"
                );
                // general JSON with a second signer
                let k2 = common::other_key(alg);
                let g = sign::sign_general(&[(k2, &h), (k, &h)], p).unwrap();
                assert_eq!(v.verify_json(&g).unwrap().payload, p, "{ctx}");
            }
        }
    }
}

#[test]
fn unencoded_compact_payload_cannot_contain_a_dot() {
    use jwt_core::{Header, sign};
    let mut h = Header::new(Algorithm::HS256);
    h.b64 = Some(false);
    let e = sign::sign_compact(key(Algorithm::HS256), &h, b"a.b").unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    // but detached it can
    let d = sign::sign_detached(key(Algorithm::HS256), &h, b"a.b").unwrap();
    let v = Verifier::new(
        key(Algorithm::HS256).verifying_key(),
        Validation::new().critical(["b64"]),
    )
    .unwrap();
    assert_eq!(v.verify_detached(&d, b"a.b").unwrap().payload, b"a.b");
}

/// RFC 9864: `Ed25519` is produced where asked, `EdDSA` stays the default, a key of either
/// name verifies both, and allow-lists are exact.
#[test]
fn rfc9864_ed25519_name() {
    use jwt_core::{Header, SigningKey, VerifyingKey};
    assert_eq!(Algorithm::EdDSA.alias(), Some(Algorithm::Ed25519));
    assert!(Algorithm::Ed25519.same_signature(Algorithm::EdDSA));
    assert!(!Algorithm::ES256.same_signature(Algorithm::EdDSA));
    assert_eq!(Algorithm::ES256.alias(), None);

    let claims = json!({"sub": "s", "exp": 4_000_000_000u64});
    let header_alg = |t: &str| unverified::header(t).unwrap().alg;
    // Generated and signed as asked.
    let k = SigningKey::generate(Algorithm::Ed25519).unwrap();
    let t = Signer::new(k.clone()).unwrap().sign(&claims).unwrap();
    assert_eq!(header_alg(&t), Algorithm::Ed25519);
    // An EdDSA key signs under the other name when its header template asks.
    let eddsa = SigningKey::generate(Algorithm::EdDSA).unwrap();
    let t2 = Signer::with_header(eddsa.clone(), Header::new(Algorithm::Ed25519))
        .unwrap()
        .sign(&claims)
        .unwrap();
    assert_eq!(header_alg(&t2), Algorithm::Ed25519);
    let t3 = Signer::new(eddsa.clone()).unwrap().sign(&claims).unwrap();
    assert_eq!(header_alg(&t3), Algorithm::EdDSA, "the default stays EdDSA");
    // Either key verifies both names by default...
    let v = Verifier::new(eddsa.verifying_key(), Validation::new()).unwrap();
    v.verify::<Value>(&t2).unwrap();
    v.verify::<Value>(&t3).unwrap();
    assert_eq!(v.algorithms(), [Algorithm::EdDSA, Algorithm::Ed25519]);
    // ...but an allow-list admits only what it lists.
    let only = Verifier::new(
        eddsa.verifying_key(),
        Validation::new().algorithms(&[Algorithm::EdDSA]),
    )
    .unwrap();
    only.verify::<Value>(&t3).unwrap();
    assert_eq!(
        only.verify::<Value>(&t2).unwrap_err().code(),
        "algorithm_not_allowed"
    );
    // A JWK binds to the name it declares, or to the caller's name for the same signature.
    let jwk = k.to_public_jwk().unwrap();
    assert_eq!(jwk.alg(), Some("Ed25519"));
    assert_eq!(
        VerifyingKey::from_jwk(&jwk, None).unwrap().algorithm(),
        Algorithm::Ed25519
    );
    assert_eq!(
        VerifyingKey::from_jwk(&jwk, Some(Algorithm::EdDSA))
            .unwrap()
            .algorithm(),
        Algorithm::EdDSA
    );
    assert_eq!(
        VerifyingKey::from_jwk(&jwk, Some(Algorithm::ES256))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
}
