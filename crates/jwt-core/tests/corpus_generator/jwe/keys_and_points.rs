//! Key selection, key misuse and invalid curve points.

use super::*;

pub(super) fn keys_and_points(g: &mut Gen) {
    use Expect::Code;
    let key = ecdh(Alg::EcdhEs, EcdhCurve::P256, 100);
    let t = || encrypt(&key, Enc::A128GCM, PLAINTEXT);
    g.compact(
        "ecdh-epk-off-curve",
        "the ephemeral key is not on P-256 (invalid-curve attack)",
        &key,
        Code("invalid_header"),
        || {
            with_header(&t(), |h| {
                let mut y = b64_decode(h["epk"]["y"].as_str().unwrap()).unwrap();
                y[31] ^= 1;
                h["epk"]["y"] = b64_encode(&y).into();
            })
        },
    );
    g.compact(
        "ecdh-epk-zero-point",
        "the ephemeral key is (0, 0)",
        &key,
        Code("invalid_header"),
        || {
            with_header(&t(), |h| {
                h["epk"]["x"] = b64_encode([0u8; 32]).into();
                h["epk"]["y"] = b64_encode([0u8; 32]).into();
            })
        },
    );
    let p384 = ecdh(Alg::EcdhEs, EcdhCurve::P384, 101);
    g.compact(
        "ecdh-epk-other-curve",
        "the ephemeral key is a P-384 point for a P-256 key",
        &key,
        Code("key_not_found"),
        || {
            let pubjwk: Value =
                serde_json::from_str(&p384.to_public_jwk().unwrap().to_json()).unwrap();
            with_header(&t(), |h| {
                h["epk"] = json!({"kty": "EC", "crv": "P-384", "x": pubjwk["x"], "y": pubjwk["y"]});
            })
        },
    );
    g.compact(
        "ecdh-epk-missing",
        "ECDH-ES without epk",
        &key,
        Code("invalid_header"),
        || {
            with_header(&t(), |h| {
                h.remove("epk");
            })
        },
    );
    let x = ecdh(Alg::EcdhEs, EcdhCurve::X25519, 102);
    g.compact(
        "x25519-low-order-point",
        "X25519 ephemeral key of low order (all-zero shared secret)",
        &x,
        Code("invalid_header"),
        || {
            with_header(&encrypt(&x, Enc::A128GCM, PLAINTEXT), |h| {
                h["epk"]["x"] = b64_encode([0u8; 32]).into();
            })
        },
    );
    // Key import errors: the case fails while building its keys.
    let sig = sym(Alg::A128KW, 103);
    let mut jwk = jwk_entry(&sig);
    jwk["jwk"]["use"] = "sig".into();
    g.case(
        "jwk-use-sig",
        "a JWK with use: sig cannot decrypt",
        &[jwk],
        json!({}),
        Code("key_usage_not_allowed"),
        || Input::Compact(encrypt(&sig, Enc::A128GCM, PLAINTEXT)),
    );
    let mut jwk = jwk_entry(&sig);
    jwk["jwk"]["key_ops"] = json!(["encrypt", "wrapKey"]);
    g.case(
        "jwk-key-ops-encrypt-only",
        "a JWK whose key_ops allow only encryption cannot decrypt",
        &[jwk],
        json!({}),
        Code("key_usage_not_allowed"),
        || Input::Compact(encrypt(&sig, Enc::A128GCM, PLAINTEXT)),
    );
    let mut jwk = jwk_entry(&sig);
    jwk["jwk"]["alg"] = "A256KW".into();
    g.case(
        "jwk-wrong-key-size",
        "a 16-byte oct JWK labelled A256KW",
        &[jwk],
        json!({}),
        Code("invalid_key"),
        || Input::Compact(encrypt(&sig, Enc::A128GCM, PLAINTEXT)),
    );
    let mut jwk = jwk_entry(&key);
    jwk["jwk"].as_object_mut().unwrap().remove("d");
    g.case(
        "jwk-public-only",
        "a public EC JWK cannot decrypt",
        &[jwk],
        json!({}),
        Code("invalid_key"),
        t_input(&key),
    );
    let mut jwk = jwk_entry(&key);
    jwk["alg"] = "A128KW".into();
    g.case(
        "jwk-alg-contradicted",
        "the JWK says ECDH-ES, the caller binds it to A128KW",
        &[jwk],
        json!({}),
        Code("key_algorithm_mismatch"),
        t_input(&key),
    );
}
