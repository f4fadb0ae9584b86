//! The JWE JSON serialization (RFC 7516 section 7.2).

use super::*;

pub(super) fn json_serialization(g: &mut Gen) {
    use Expect::Code;
    let a = sym(Alg::A128KW, 120).with_kid("a");
    let b = ecdh(Alg::EcdhEsA256KW, EcdhCurve::P256, 121).with_kid("b");
    let flattened = |key: &DecryptionKey| {
        let opts = JsonOptions {
            aad: Some(b"additional data".to_vec()),
            ..JsonOptions::default()
        };
        let doc = jwe::encrypt_flattened(&sender(key), Enc::A256GCM, &opts, PLAINTEXT).unwrap();
        serde_json::from_str::<Value>(&doc).unwrap()
    };
    g.case(
        "json-flattened",
        "flattened JSON serialization with aad",
        &[jwk_entry(&a)],
        json!({}),
        ok(),
        || Input::Json(flattened(&a)),
    );
    g.case(
        "json-flattened-aad-changed",
        "flattened JSON: the aad is authenticated",
        &[jwk_entry(&a)],
        json!({}),
        Code("decryption_failed"),
        || {
            let mut doc = flattened(&a);
            doc["aad"] = b64_encode(b"other data").into();
            Input::Json(doc)
        },
    );
    g.case(
        "json-flattened-alg-twice",
        "alg both in the protected and the unprotected header (they must be disjoint)",
        &[jwk_entry(&a)],
        json!({}),
        Code("invalid_header"),
        || {
            let mut doc = flattened(&a);
            doc["unprotected"] = json!({"alg": "A128KW"});
            Input::Json(doc)
        },
    );
    let general = |first: &DecryptionKey, second: &DecryptionKey| {
        let mut unprotected = Map::new();
        unprotected.insert("x-note".into(), "shared".into());
        let opts = JsonOptions {
            unprotected: Some(unprotected),
            ..JsonOptions::default()
        };
        let (s1, s2) = (sender(first), sender(second));
        let doc = jwe::encrypt_general(&[&s1, &s2], Enc::A128CbcHs256, &opts, PLAINTEXT).unwrap();
        serde_json::from_str::<Value>(&doc).unwrap()
    };
    // The decrypter holds the first recipient's key, so the joint header is recipient 0's.
    g.case(
        "json-general-two-recipients",
        "general JSON serialization to an A128KW and an ECDH-ES+A256KW recipient",
        &[jwk_entry(&a)],
        json!({}),
        ok(),
        || Input::Json(general(&a, &b)),
    );
    let stranger = sym(Alg::A192KW, 122);
    g.case(
        "json-general-no-recipient-for-key",
        "general JSON: no recipient uses the caller's key's algorithm",
        &[jwk_entry(&stranger)],
        json!({}),
        Code("algorithm_not_allowed"),
        || Input::Json(general(&a, &b)),
    );
}
