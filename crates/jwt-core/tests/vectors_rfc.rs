//! Standards vectors: RFC 7515 appendix A, RFC 7520 section 4, RFC 7797 section 4 and
//! RFC 8037 appendix A.4, with the published keys and signatures written out here.
//!
//! The RFC tokens carry `exp` 1300819380 (2011) or non-JSON payloads, so JWT-level checks
//! use `verify_at` with a 2011 clock, and the others use `verify_jws`/`verify_json`.

use jwt_core::{
    Algorithm, Header, Jwk, KeySet, SigningKey, Validation, Verifier, VerifyingKey, b64_decode,
    sign,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// RFC 7515 appendix A
// ---------------------------------------------------------------------------------------

/// The JWS payload of A.1-A.3: `{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}`.
const A_PAYLOAD_B64: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
const A_PAYLOAD: &str =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
/// 2011-03-22T18:40:00Z, before the example's `exp`.
const A_NOW: i64 = 1_300_819_300;

const A1_JWK: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

const A2_JWK: &str = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}"#;
const A2_SIG: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

const A3_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
const A3_SIG: &str =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

const A4_JWK: &str = r#"{"kty":"EC","crv":"P-521","x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk","y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"}"#;
const A4_TOKEN: &str = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

fn jwk_key(jwk: &str, alg: Algorithm) -> VerifyingKey {
    VerifyingKey::from_jwk(&Jwk::from_json(jwk).unwrap(), Some(alg)).unwrap()
}

fn verifier(key: VerifyingKey) -> Verifier {
    Verifier::new(key, Validation::new()).unwrap()
}

fn expected_claims() -> Value {
    json!({"iss": "joe", "exp": 1300819380, "http://example.com/is_root": true})
}

#[test]
fn rfc7515_a1_hs256() {
    let key = jwk_key(A1_JWK, Algorithm::HS256);
    let v = verifier(key);
    let data = v.verify_at::<Value>(A1_TOKEN, A_NOW).unwrap();
    assert_eq!(data.claims, expected_claims());
    assert_eq!(data.header.typ.as_deref(), Some("JWT"));
    assert_eq!(data.registered.exp, Some(1300819380));
    // the payload bytes are exactly the RFC's (with CRLFs)
    assert_eq!(
        v.verify_jws(A1_TOKEN).unwrap().payload,
        A_PAYLOAD.as_bytes()
    );
    // and signing the same input with the same secret reproduces the signature (HMAC is
    // deterministic)
    let secret = b64_decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
    )
    .unwrap();
    let sk = SigningKey::hmac(Algorithm::HS256, &secret).unwrap();
    let (input, sig) = A1_TOKEN.rsplit_once('.').unwrap();
    assert_eq!(
        jwt_core::b64_encode(sk.sign(input.as_bytes()).unwrap()),
        sig
    );
    // one second after exp: expired
    assert_eq!(
        v.verify_at::<Value>(A1_TOKEN, 1300819380)
            .unwrap_err()
            .code(),
        "token_expired"
    );
}

#[test]
fn rfc7515_a2_rs256() {
    let token = format!("eyJhbGciOiJSUzI1NiJ9.{A_PAYLOAD_B64}.{A2_SIG}");
    let v = verifier(jwk_key(A2_JWK, Algorithm::RS256));
    assert_eq!(
        v.verify_at::<Value>(&token, A_NOW).unwrap().claims,
        expected_claims()
    );
    // PKCS#1 v1.5 is deterministic: the RFC's private key reproduces the signature
    let private = r#"{"kty":"RSA","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB","d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"}"#;
    // (the RFC also gives p, q, dp, dq, qi; without them the key cannot sign here, which
    // is the documented CRT-only policy)
    let e = SigningKey::from_jwk(&Jwk::from_json(private).unwrap(), Some(Algorithm::RS256))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_key");
}

#[test]
fn rfc7515_a3_es256() {
    let token = format!("eyJhbGciOiJFUzI1NiJ9.{A_PAYLOAD_B64}.{A3_SIG}");
    let v = verifier(jwk_key(A3_JWK, Algorithm::ES256));
    assert_eq!(
        v.verify_at::<Value>(&token, A_NOW).unwrap().claims,
        expected_claims()
    );
    // the curve implies the algorithm when the JWK has no alg
    let k = VerifyingKey::from_jwk(&Jwk::from_json(A3_JWK).unwrap(), None).unwrap();
    assert_eq!(k.algorithm(), Algorithm::ES256);
}

#[test]
fn rfc7515_a4_es512() {
    let v = verifier(jwk_key(A4_JWK, Algorithm::ES512));
    assert_eq!(v.verify_jws(A4_TOKEN).unwrap().payload, b"Payload");
    // "Payload" is not a JSON object: as a JWT it is malformed (after the signature passed)
    assert_eq!(
        v.verify_at::<Value>(A4_TOKEN, A_NOW).unwrap_err().code(),
        "malformed_token"
    );
}

#[test]
fn rfc7515_a5_unsecured_is_rejected() {
    let token = format!("eyJhbGciOiJub25lIn0.{A_PAYLOAD_B64}.");
    for key in [
        jwk_key(A1_JWK, Algorithm::HS256),
        jwk_key(A3_JWK, Algorithm::ES256),
    ] {
        let v = verifier(key);
        assert_eq!(
            v.verify_at::<Value>(&token, A_NOW).unwrap_err().code(),
            "unsupported_algorithm"
        );
        assert_eq!(
            v.verify_jws(&token).unwrap_err().code(),
            "unsupported_algorithm"
        );
    }
}

#[test]
fn rfc7515_a6_general_json() {
    let doc = json!({
        "payload": A_PAYLOAD_B64,
        "signatures": [
            {"protected": "eyJhbGciOiJSUzI1NiJ9", "header": {"kid": "2010-12-29"}, "signature": A2_SIG},
            {"protected": "eyJhbGciOiJFUzI1NiJ9", "header": {"kid": "e9bc097a-ce51-4036-9562-d2ade882db0d"}, "signature": A3_SIG},
        ]
    })
    .to_string();
    // Either key alone verifies its signature; the payload comes back.
    let rsa = jwk_key(A2_JWK, Algorithm::RS256).with_kid("2010-12-29");
    let ec = jwk_key(A3_JWK, Algorithm::ES256).with_kid("e9bc097a-ce51-4036-9562-d2ade882db0d");
    for key in [rsa.clone(), ec.clone()] {
        let got = verifier(key).verify_json(&doc).unwrap();
        assert_eq!(got.payload, A_PAYLOAD.as_bytes());
    }
    let both = Verifier::new(KeySet::from(vec![rsa, ec.clone()]), Validation::new()).unwrap();
    assert!(both.verify_json(&doc).is_ok());
    // a tampered payload fails every signature
    let bad = doc.replace(
        A_PAYLOAD_B64,
        &A_PAYLOAD_B64.replacen("eyJpc3Mi", "eyJpc3Ni", 1),
    );
    assert_eq!(
        both.verify_json(&bad).unwrap_err().code(),
        "invalid_signature"
    );
    // the EC key with the RSA kid does not match anything it could verify
    let wrong = Verifier::new(ec.with_kid("2010-12-29"), Validation::new()).unwrap();
    assert!(wrong.verify_json(&doc).is_err());
}

#[test]
fn rfc7515_a7_flattened_json() {
    let doc = json!({
        "payload": A_PAYLOAD_B64,
        "protected": "eyJhbGciOiJFUzI1NiJ9",
        "header": {"kid": "e9bc097a-ce51-4036-9562-d2ade882db0d"},
        "signature": A3_SIG,
    })
    .to_string();
    let key = jwk_key(A3_JWK, Algorithm::ES256).with_kid("e9bc097a-ce51-4036-9562-d2ade882db0d");
    let got = verifier(key).verify_json(&doc).unwrap();
    assert_eq!(got.payload, A_PAYLOAD.as_bytes());
    assert_eq!(
        got.header.kid.as_deref(),
        Some("e9bc097a-ce51-4036-9562-d2ade882db0d")
    );
}

// ---------------------------------------------------------------------------------------
// RFC 7520 section 4 ("Hobbit" examples)
// ---------------------------------------------------------------------------------------

const HOBBIT_PAYLOAD: &str = "It\u{2019}s a dangerous business, Frodo, going out your door. You step onto the road, and if you don't keep your feet, there\u{2019}s no knowing where you might be swept off to.";
const HOBBIT_B64: &str = "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";
const BILBO_RSA: &str = r#"{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig","n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw","e":"AQAB"}"#;
const BILBO_EC: &str = r#"{"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521","x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt","y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"}"#;
const HOBBIT_OCT: &str = r#"{"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256","k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"}"#;
const FIG13_SIG: &str = "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg";
const FIG20_SIG: &str = "cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw";
const FIG27_SIG: &str = "AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2";
const FIG35_SIG: &str = "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";
/// `{"alg":"RS256","kid":"bilbo.baggins@hobbiton.example"}` and friends.
const FIG13_PROTECTED: &str =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
const FIG20_PROTECTED: &str =
    "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
const FIG27_PROTECTED: &str =
    "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9";
const FIG35_PROTECTED: &str =
    "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9";

fn hobbit(jwk: &str, alg: Algorithm) -> Verifier {
    let jwk = Jwk::from_json(jwk).unwrap();
    verifier(VerifyingKey::from_jwk(&jwk, Some(alg)).unwrap())
}

#[test]
fn rfc7520_payload_encoding() {
    assert_eq!(b64_decode(HOBBIT_B64).unwrap(), HOBBIT_PAYLOAD.as_bytes());
}

#[test]
fn rfc7520_4_1_rs256() {
    let v = hobbit(BILBO_RSA, Algorithm::RS256);
    let t = format!("{FIG13_PROTECTED}.{HOBBIT_B64}.{FIG13_SIG}");
    let got = v.verify_jws(&t).unwrap();
    assert_eq!(got.payload, HOBBIT_PAYLOAD.as_bytes());
    assert_eq!(
        got.header.kid.as_deref(),
        Some("bilbo.baggins@hobbiton.example")
    );
    // flattened and general JSON forms of the same signature (4.1.3)
    let flat = json!({"payload": HOBBIT_B64, "protected": FIG13_PROTECTED, "signature": FIG13_SIG})
        .to_string();
    assert_eq!(
        v.verify_json(&flat).unwrap().payload,
        HOBBIT_PAYLOAD.as_bytes()
    );
    let general = json!({"payload": HOBBIT_B64, "signatures": [{"protected": FIG13_PROTECTED, "signature": FIG13_SIG}]}).to_string();
    assert!(v.verify_json(&general).is_ok());
}

#[test]
fn rfc7520_4_2_ps384() {
    let v = hobbit(BILBO_RSA, Algorithm::PS384);
    let t = format!("{FIG20_PROTECTED}.{HOBBIT_B64}.{FIG20_SIG}");
    assert_eq!(v.verify_jws(&t).unwrap().payload, HOBBIT_PAYLOAD.as_bytes());
    // the same RSA key bound to PS256 refuses the PS384 token
    assert_eq!(
        hobbit(BILBO_RSA, Algorithm::PS256)
            .verify_jws(&t)
            .unwrap_err()
            .code(),
        "algorithm_not_allowed"
    );
}

#[test]
fn rfc7520_4_3_es512() {
    let v = hobbit(BILBO_EC, Algorithm::ES512);
    let t = format!("{FIG27_PROTECTED}.{HOBBIT_B64}.{FIG27_SIG}");
    assert_eq!(v.verify_jws(&t).unwrap().payload, HOBBIT_PAYLOAD.as_bytes());
}

#[test]
fn rfc7520_4_4_hs256() {
    let v = hobbit(HOBBIT_OCT, Algorithm::HS256);
    let t = format!("{FIG35_PROTECTED}.{HOBBIT_B64}.{FIG35_SIG}");
    assert_eq!(v.verify_jws(&t).unwrap().payload, HOBBIT_PAYLOAD.as_bytes());
    // and we produce the identical signature (HMAC is deterministic)
    let k = SigningKey::from_jwk(&Jwk::from_json(HOBBIT_OCT).unwrap(), None).unwrap();
    let mut h = Header::new(Algorithm::HS256);
    h.kid = Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037".into());
    let ours = sign::sign_compact(&k, &h, HOBBIT_PAYLOAD.as_bytes()).unwrap();
    assert_eq!(ours.rsplit_once('.').unwrap().1, FIG35_SIG);
}

#[test]
fn rfc7520_4_5_detached() {
    // 4.5: the 4.4 signature with the payload detached
    let v = hobbit(HOBBIT_OCT, Algorithm::HS256);
    let t = format!("{FIG35_PROTECTED}..{FIG35_SIG}");
    assert_eq!(
        v.verify_detached(&t, HOBBIT_PAYLOAD.as_bytes())
            .unwrap()
            .payload,
        HOBBIT_PAYLOAD.as_bytes()
    );
    assert_eq!(
        v.verify_detached(&t, b"another payload")
            .unwrap_err()
            .code(),
        "invalid_signature"
    );
    let flat = json!({"protected": FIG35_PROTECTED, "signature": FIG35_SIG}).to_string();
    assert!(
        v.verify_json_detached(&flat, HOBBIT_PAYLOAD.as_bytes())
            .is_ok()
    );
}

#[test]
fn rfc7520_4_6_protecting_specific_header_fields() {
    // 4.6: alg protected, kid unprotected
    let v = hobbit(HOBBIT_OCT, Algorithm::HS256);
    let flat = json!({
        "payload": HOBBIT_B64,
        "protected": "eyJhbGciOiJIUzI1NiJ9",
        "header": {"kid": "018c0ae5-4d9b-471b-bfd6-eef314bc7037"},
        "signature": "bWUSVaxorn7bEF1djytBd0kHv70Ly5pvbomzMWSOr20",
    })
    .to_string();
    let got = v.verify_json(&flat).unwrap();
    assert_eq!(got.payload, HOBBIT_PAYLOAD.as_bytes());
    assert_eq!(
        got.header.kid.as_deref(),
        Some("018c0ae5-4d9b-471b-bfd6-eef314bc7037")
    );
    // a member may not be both protected and unprotected
    let dup = flat.replace(r#"{"kid""#, r#"{"alg":"HS256","kid""#);
    assert_eq!(v.verify_json(&dup).unwrap_err().code(), "invalid_header");
}

#[test]
fn rfc7520_4_7_protecting_content_only() {
    // 4.7: no protected header at all; alg and kid unprotected
    let v = hobbit(HOBBIT_OCT, Algorithm::HS256);
    let flat = json!({
        "payload": HOBBIT_B64,
        "header": {"alg": "HS256", "kid": "018c0ae5-4d9b-471b-bfd6-eef314bc7037"},
        "signature": "xuLifqLGiblpv9zBpuZczWhNj1gARaLV3UxvxhJxZuk",
    })
    .to_string();
    assert_eq!(
        v.verify_json(&flat).unwrap().payload,
        HOBBIT_PAYLOAD.as_bytes()
    );
    // the unprotected alg is not integrity protected: changing it to another HMAC
    // algorithm fails (no key for it), and to none fails outright
    let swapped = flat.replace("\"HS256\"", "\"HS512\"");
    assert!(v.verify_json(&swapped).is_err());
    let none = flat.replace("\"HS256\"", "\"none\"");
    assert_eq!(
        v.verify_json(&none).unwrap_err().code(),
        "unsupported_algorithm"
    );
}

#[test]
fn rfc7520_4_8_multiple_signatures() {
    let doc = json!({
        "payload": HOBBIT_B64,
        "signatures": [
            {"protected": "eyJhbGciOiJSUzI1NiJ9", "header": {"kid": "bilbo.baggins@hobbiton.example"},
             "signature": "MIsjqtVlOpa71KE-Mss8_Nq2YH4FGhiocsqrgi5NvyG53uoimic1tcMdSg-qptrzZc7CG6Svw2Y13TDIqHzTUrL_lR2ZFcryNFiHkSw129EghGpwkpxaTn_THJTCglNbADko1MZBCdwzJxwqZc-1RlpO2HibUYyXSwO97BSe0_evZKdjvvKSgsIqjytKSeAMbhMBdMma622_BG5t4sdbuCHtFjp9iJmkio47AIwqkZV1aIZsv33uPUqBBCXbYoQJwt7mxPftHmNlGoOSMxR_3thmXTCm4US-xiNOyhbm8afKK64jU6_TPtQHiJeQJxz9G3Tx-083B745_AfYOnlC9w"},
            {"header": {"alg": "ES512", "kid": "bilbo.baggins@hobbiton.example"},
             "signature": "ARcVLnaJJaUWG8fG-8t5BREVAuTY8n8YHjwDO1muhcdCoFZFFjfISu0Cdkn9Ybdlmi54ho0x924DUz8sK7ZXkhc7AFM8ObLfTvNCrqcI3Jkl2U5IX3utNhODH6v7xgy1Qahsn0fyb4zSAkje8bAWz4vIfj5pCMYxxm4fgV3q7ZYhm5eD"},
            {"protected": FIG35_PROTECTED, "signature": FIG35_SIG},
        ]
    })
    .to_string();
    for (jwk, alg) in [
        (BILBO_RSA, Algorithm::RS256),
        (BILBO_EC, Algorithm::ES512),
        (HOBBIT_OCT, Algorithm::HS256),
    ] {
        let got = hobbit(jwk, alg)
            .verify_json(&doc)
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(got.payload, HOBBIT_PAYLOAD.as_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// RFC 7797 section 4 (unencoded payload) and RFC 8037 appendix A.4 (Ed25519)
// ---------------------------------------------------------------------------------------

#[test]
fn rfc7797_unencoded_payload() {
    let key = jwk_key(A1_JWK, Algorithm::HS256);
    // 4.1: the same payload "$.02", base64url-encoded
    let encoded = "eyJhbGciOiJIUzI1NiJ9.JC4wMg.5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ";
    let v = verifier(key.clone());
    assert_eq!(v.verify_jws(encoded).unwrap().payload, b"$.02");
    // 4.2: b64 false, detached (the payload contains a `.`)
    let unencoded = "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY";
    let declared = Verifier::new(key.clone(), Validation::new().critical(["b64"])).unwrap();
    assert_eq!(
        declared
            .verify_detached(unencoded, b"$.02")
            .unwrap()
            .payload,
        b"$.02"
    );
    // only when the caller declared `b64` understood
    assert_eq!(
        v.verify_detached(unencoded, b"$.02").unwrap_err().code(),
        "unsupported_critical_header"
    );
    // the flattened JSON form of 4.2
    let flat = json!({"protected": "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19", "payload": "$.02", "signature": "A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"}).to_string();
    assert_eq!(declared.verify_json(&flat).unwrap().payload, b"$.02");
    // signing reproduces both signatures
    let sk =
        SigningKey::from_jwk(&Jwk::from_json(A1_JWK).unwrap(), Some(Algorithm::HS256)).unwrap();
    let h = Header::new(Algorithm::HS256);
    assert_eq!(sign::sign_compact(&sk, &h, b"$.02").unwrap(), encoded);
}

#[test]
fn rfc8037_ed25519() {
    let jwk = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    let v = verifier(jwk_key(jwk, Algorithm::EdDSA));
    assert_eq!(
        v.verify_jws(token).unwrap().payload,
        b"Example of Ed25519 signing"
    );
    // Ed25519 is deterministic: the private key reproduces the signature
    let private = r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    let sk = SigningKey::from_jwk(&Jwk::from_json(private).unwrap(), None).unwrap();
    assert_eq!(
        sign::sign_compact(
            &sk,
            &Header::new(Algorithm::EdDSA),
            b"Example of Ed25519 signing"
        )
        .unwrap(),
        token
    );
    // RFC 8037 A.3 thumbprint
    assert_eq!(
        Jwk::from_json(jwk).unwrap().thumbprint().unwrap(),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
}
