//! Property tests: every algorithm signs random claims that verify unchanged, and any
//! change to any byte of a signed token makes verification fail (never panic).
//!
//! Keys are generated once per process (`common::key`); case counts are modest so the
//! suite stays fast in debug builds.

mod common;

use common::{NOW, key};
use jwt_core::{Algorithm, Signer, Validation, Verifier};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn arb_json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e12f64..1e12).prop_map(|f| json!(f)),
        "\\PC{0,24}".prop_map(Value::String),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Random custom claims plus valid registered claims.
fn arb_claims() -> impl Strategy<Value = Value> {
    (
        prop::collection::btree_map("[a-z_]{1,10}", arb_json(), 0..6),
        "\\PC{0,16}",
        prop::option::of("[ -~]{0,16}"),
        1i64..100_000,
    )
        .prop_map(|(custom, sub, jti, ttl)| {
            let mut m: Map<String, Value> = custom
                .into_iter()
                .filter(|(k, _)| {
                    !["iss", "sub", "aud", "exp", "nbf", "iat", "jti"].contains(&k.as_str())
                })
                .collect();
            m.insert("sub".into(), sub.into());
            if let Some(j) = jti {
                m.insert("jti".into(), j.into());
            }
            m.insert("iat".into(), (NOW - 5).into());
            m.insert("nbf".into(), (NOW - 5).into());
            m.insert("exp".into(), (NOW + ttl).into());
            Value::Object(m)
        })
}

fn arb_alg() -> impl Strategy<Value = Algorithm> {
    prop::sample::select(common::available())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn sign_verify_roundtrip(alg in arb_alg(), claims in arb_claims()) {
        let k = key(alg);
        let token = Signer::new(k.clone()).unwrap().sign(&claims).unwrap();
        let v = Verifier::new(k.verifying_key(), Validation::new()).unwrap();
        let data = v.verify_at::<Value>(&token, NOW).unwrap();
        prop_assert_eq!(&data.claims, &claims);
        prop_assert_eq!(data.header.alg, alg);
        prop_assert_eq!(data.registered.exp, claims["exp"].as_i64());
    }

    #[test]
    fn any_byte_change_fails(alg in arb_alg(), claims in arb_claims(), pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let k = key(alg);
        let token = Signer::new(k.clone()).unwrap().sign(&claims).unwrap();
        let v = Verifier::new(k.verifying_key(), Validation::new()).unwrap();
        let mut bytes = token.clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        match String::from_utf8(bytes) {
            // not UTF-8: cannot even be a &str token
            Err(_) => {}
            Ok(mutated) => {
                let r = v.verify_at::<Value>(&mutated, NOW);
                prop_assert!(r.is_err(), "mutated token verified: byte {} of {}", i, token);
                let code = r.unwrap_err().code();
                prop_assert!(jwt_core::Error::ALL_CODES.iter().any(|(c, _)| *c == code));
            }
        }
    }

    #[test]
    fn truncation_and_extension_fail(alg in arb_alg(), cut in any::<prop::sample::Index>(), extra in "[A-Za-z0-9_.-]{1,4}") {
        let k = key(alg);
        let token = Signer::new(k.clone()).unwrap().sign(&json!({"exp": NOW + 60})).unwrap();
        let v = Verifier::new(k.verifying_key(), Validation::new()).unwrap();
        let n = cut.index(token.len());
        prop_assert!(v.verify_at::<Value>(&token[..n], NOW).is_err());
        let longer = format!("{token}{extra}");
        prop_assert!(v.verify_at::<Value>(&longer, NOW).is_err());
    }

    #[test]
    fn other_key_of_same_alg_fails(alg in arb_alg()) {
        let token = Signer::new(key(alg).clone()).unwrap().sign(&json!({"exp": NOW + 60})).unwrap();
        let v = Verifier::new(common::other_key(alg).verifying_key(), Validation::new()).unwrap();
        prop_assert_eq!(v.verify_at::<Value>(&token, NOW).unwrap_err().code(), "invalid_signature");
    }
}
