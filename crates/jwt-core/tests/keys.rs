//! Key import/export round trips for every algorithm: a key exported in any supported
//! form and imported again signs and verifies interchangeably with the original.

mod common;

use common::key;
use jwt_core::{Algorithm, Jwk, JwkSet, KeySet, SigningKey, VerifyingKey};

const MSG: &[u8] = b"round trip";

#[test]
fn private_jwk_round_trip() {
    for alg in common::available() {
        let k = key(alg);
        let jwk = k.to_private_jwk().unwrap();
        assert!(jwk.is_private(), "{alg}");
        let back = SigningKey::from_jwk(&Jwk::from_json(jwk.to_json()).unwrap(), None)
            .or_else(|_| SigningKey::from_jwk(&jwk, Some(alg)))
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(back.algorithm(), alg);
        let sig = back.sign(MSG).unwrap();
        k.verifying_key()
            .verify(MSG, &sig)
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        back.verifying_key()
            .verify(MSG, &k.sign(MSG).unwrap())
            .unwrap();
        // Debug output never shows the secret members
        let dbg = format!("{jwk:?} {k:?} {back:?}");
        for m in ["d", "k", "p", "q"] {
            if let Some(v) = jwk.str(m) {
                assert!(!dbg.contains(v), "{alg}: `{m}` leaked in Debug");
            }
        }
    }
}

#[test]
fn pkcs8_pem_round_trip() {
    for alg in common::available()
        .into_iter()
        .filter(|a| !a.is_symmetric())
    {
        let k = key(alg);
        let pem = k.to_pkcs8_pem().unwrap();
        let back =
            SigningKey::from_pem(alg, pem.as_bytes()).unwrap_or_else(|e| panic!("{alg}: {e}"));
        k.verifying_key()
            .verify(MSG, &back.sign(MSG).unwrap())
            .unwrap();
        // a private PEM also gives a verifying key
        let vk = VerifyingKey::from_pem(alg, pem.as_bytes()).unwrap();
        vk.verify(MSG, &k.sign(MSG).unwrap()).unwrap();
    }
}

#[test]
fn public_forms_round_trip_and_agree() {
    for alg in common::available()
        .into_iter()
        .filter(|a| !a.is_symmetric())
    {
        let k = key(alg);
        let sig = k.sign(MSG).unwrap();
        let vk = k.verifying_key();
        let pem = vk.to_pem().unwrap();
        let jwk = vk.to_jwk().unwrap();
        assert!(
            !jwk.is_private(),
            "{alg}: public JWK carries private members"
        );
        assert_eq!(jwk.alg(), Some(alg.as_str()));
        let from_pem = VerifyingKey::from_pem(alg, &pem).unwrap();
        let from_jwk = VerifyingKey::from_jwk(&jwk, None).unwrap();
        for v in [&from_pem, &from_jwk] {
            v.verify(MSG, &sig).unwrap_or_else(|e| panic!("{alg}: {e}"));
            assert_eq!(v.to_pem().unwrap(), pem, "{alg}: PEM export is not stable");
            assert_eq!(v.thumbprint().unwrap(), vk.thumbprint().unwrap());
        }
        assert_eq!(jwk.thumbprint().unwrap(), k.thumbprint().unwrap(), "{alg}");
        // the public JWK of the private JWK is the same key
        let pub_of_private = k.to_private_jwk().unwrap().to_public();
        assert!(!pub_of_private.is_private());
        assert_eq!(
            pub_of_private.thumbprint().unwrap(),
            jwk.thumbprint().unwrap()
        );
    }
}

#[test]
fn jwks_round_trip_selects_by_kid() {
    let keys: Vec<VerifyingKey> = common::available()
        .into_iter()
        .filter(|a| !a.is_symmetric())
        .map(|a| key(a).verifying_key().with_kid(a.as_str()))
        .collect();
    let set = KeySet::from(keys).to_public_jwks().unwrap();
    let text = set.to_json();
    let parsed = JwkSet::from_json(&text).unwrap();
    // 12: every asymmetric name, `EdDSA` and `Ed25519` (RFC 9864) each with its own key;
    // 15 with the three ML-DSA levels of aws-lc builds.
    let expected = if cfg!(feature = "aws-lc") { 15 } else { 12 };
    assert_eq!(parsed.keys.len(), expected);
    let ks = KeySet::from_jwks(&parsed, &[]).unwrap();
    assert_eq!(ks.len(), expected);
    for alg in common::available()
        .into_iter()
        .filter(|a| !a.is_symmetric())
    {
        let k = ks
            .keys()
            .iter()
            .find(|k| k.kid() == Some(alg.as_str()))
            .unwrap();
        assert_eq!(k.algorithm(), alg);
        k.verify(MSG, &key(alg).sign(MSG).unwrap()).unwrap();
    }
    // a public JWK set never contains HMAC secrets
    assert!(!text.contains("\"k\""));
}

#[test]
fn generated_keys_are_distinct_and_bound() {
    for alg in common::available() {
        let a = key(alg);
        let b = common::other_key(alg);
        assert_ne!(a.thumbprint().unwrap(), b.thumbprint().unwrap(), "{alg}");
        assert_eq!(
            b.verifying_key()
                .verify(MSG, &a.sign(MSG).unwrap())
                .unwrap_err()
                .code(),
            "invalid_signature"
        );
        if let Some(min) = alg.hmac_min_key_len() {
            let jwk = a.to_private_jwk().unwrap();
            assert_eq!(
                jwt_core::b64_decode(jwk.str("k").unwrap()).unwrap().len(),
                min
            );
        }
    }
}

#[test]
fn jwks_skips_keys_not_meant_for_verification() {
    // RFC 7517 5: a JWK set may carry keys for other purposes (here identified by
    // key_ops only); they are skipped, and the signature keys still work.
    let sig = key(Algorithm::ES256)
        .verifying_key()
        .with_kid("sig")
        .to_jwk()
        .unwrap();
    let mut enc = key(Algorithm::RS256)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .as_map()
        .clone();
    enc.remove("use");
    enc.remove("alg");
    enc.insert("key_ops".into(), serde_json::json!(["encrypt", "wrapKey"]));
    enc.insert("kid".into(), "enc".into());
    let text = serde_json::json!({"keys": [enc, sig.as_map().clone()]}).to_string();
    let ks = KeySet::from_jwks_json(&text, &[Algorithm::RS256]).unwrap();
    assert_eq!(ks.len(), 1);
    assert_eq!(ks.keys()[0].kid(), Some("sig"));
}

/// Generated Ed25519 keys export as RFC 8410 PKCS#8 v1 (seed only, 48 bytes of DER),
/// the form every reader accepts; ring generates v2, which some readers refuse.
#[test]
fn ed25519_pkcs8_export_is_v1_and_round_trips() {
    use jwt_core::{Algorithm, SigningKey};
    let key = SigningKey::generate(Algorithm::EdDSA).unwrap();
    let pem = key.to_pkcs8_pem().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    assert_eq!(der.len(), 48, "PKCS#8 v1 Ed25519 is 48 bytes");
    assert_eq!(&der[2..5], &[0x02, 0x01, 0x00], "version 0 (v1)");
    let again = SigningKey::from_pem(Algorithm::EdDSA, pem.as_bytes()).unwrap();
    assert_eq!(again.thumbprint().unwrap(), key.thumbprint().unwrap());
    let sig = again.sign(b"m").unwrap();
    key.verifying_key().verify(b"m", &sig).unwrap();
}
