//! The attack classes of `SECURITY.md` (algorithm handling, header handling, parsing,
//! claims), each asserting the exact stable error code. The claims classes are one table
//! (`CLAIM_ROWS`: name, class, builder, expected code) run by one loop; the other classes
//! are still one test each.

mod common;

use common::{
    NOW, craft, craft_raw, curve_order, ecdsa_to_der, fake_rsa_modulus, header, key, other_key,
    parts, pem, rsa_spki, sig_of, with_sig,
};
use jwt_core::{
    Algorithm, Error, Header, Jwk, KeySet, Limits, Signer, SigningKey, Validation, Verifier,
    VerifyingKey, b64_decode, b64_encode, sign,
};
use serde_json::{Value, json};

use Algorithm::*;

fn claims() -> Value {
    json!({"iss": "iss", "sub": "sub", "aud": "aud", "iat": NOW - 10, "exp": NOW + 600})
}

fn val() -> Validation {
    Validation::new().issuer("iss").audience("aud")
}

fn verifier(alg: Algorithm) -> Verifier {
    Verifier::new(key(alg).verifying_key(), val()).unwrap()
}

fn code(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
    r.expect_err("expected an error").code()
}

fn verify(v: &Verifier, token: &str) -> Result<Value, Error> {
    v.verify_at::<Value>(token, NOW).map(|d| d.claims)
}

fn hmac_sha256(secret: &[u8], msg: &[u8]) -> Vec<u8> {
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    ring::hmac::sign(&k, msg).as_ref().to_vec()
}

/// A token over `header`/`payload` whose HMAC-SHA256 tag is keyed by `secret`, built
/// outside the library (as an attacker would).
fn forge_hs256(secret: &[u8], header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64_encode(header), b64_encode(payload));
    let tag = hmac_sha256(secret, input.as_bytes());
    format!("{input}.{}", b64_encode(tag))
}

// =======================================================================================
// Algorithm handling
// =======================================================================================

#[test]
fn alg_none_in_every_spelling_with_and_without_signature() {
    let v = verifier(HS256);
    let payload = b64_encode(claims().to_string());
    for spelling in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let h = b64_encode(format!(r#"{{"alg":"{spelling}","typ":"JWT"}}"#));
        // unsigned
        assert_eq!(
            code(verify(&v, &format!("{h}.{payload}."))),
            "unsupported_algorithm",
            "{spelling}"
        );
        // with a signature made by the verifier's own key
        let t = craft_raw(key(HS256), &h, &payload);
        assert_eq!(code(verify(&v, &t)), "unsupported_algorithm", "{spelling}");
        // and through verify_jws / the JSON serialization
        assert_eq!(code(v.verify_jws(&t)), "unsupported_algorithm");
        let doc = json!({"payload": payload, "protected": h, "signature": ""}).to_string();
        assert_eq!(code(v.verify_json(&doc)), "unsupported_algorithm");
        // it cannot even be represented
        assert_eq!(code(spelling.parse::<Algorithm>()), "unsupported_algorithm");
    }
    // `none` smuggled through the unprotected JSON header
    let doc = json!({"payload": payload, "header": {"alg": "none"}, "signature": ""}).to_string();
    assert_eq!(code(v.verify_json(&doc)), "unsupported_algorithm");
}

#[test]
fn public_keys_are_never_hmac_secrets_in_any_format() {
    let payload = claims().to_string();
    for alg in [RS256, PS256, ES256, ES384, ES512, ES256K, EdDSA] {
        let vk = key(alg).verifying_key();
        let pem_text = vk.to_pem().unwrap();
        let der: Vec<u8> = {
            use base64::Engine as _;
            let body: String = pem_text
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap()
        };
        let jwk_text = vk.to_jwk().unwrap().to_json();
        // raw public bytes: SEC1 point / Ed25519 key / PKCS#1 RSAPublicKey, pulled from
        // the SPKI's BIT STRING
        let raw: Vec<u8> = der[der.len() - raw_len(alg, &der)..].to_vec();
        let leading_ws = format!("\n  {pem_text}");
        let candidates: Vec<(&str, Vec<u8>)> = vec![
            ("pem", pem_text.clone().into_bytes()),
            ("pem with leading whitespace", leading_ws.into_bytes()),
            ("der", der.clone()),
            ("jwk", jwk_text.into_bytes()),
            ("raw", raw),
        ];
        for (form, secret) in candidates {
            if form == "raw" && !matches!(alg.family(), jwt_core::KeyFamily::Rsa) {
                // Raw EC points and Ed25519 keys are indistinguishable from random bytes;
                // their protection is that a key is bound to one algorithm (below).
                continue;
            }
            for hs in [HS256, HS384, HS512] {
                let err = VerifyingKey::hmac(hs, &secret).unwrap_err();
                assert_eq!(err.code(), "key_algorithm_mismatch", "{alg} {form} as {hs}");
                assert_eq!(
                    VerifyingKey::hmac_allow_short(hs, &secret)
                        .unwrap_err()
                        .code(),
                    "key_algorithm_mismatch",
                    "{alg} {form} as {hs} (allow_short)"
                );
                assert_eq!(
                    SigningKey::hmac(hs, &secret).unwrap_err().code(),
                    "key_algorithm_mismatch"
                );
            }
        }
        // The classic attack: HS256 token keyed with the public PEM, presented to the
        // verifier holding the public key.
        let t = forge_hs256(pem_text.as_bytes(), &header(HS256, None), &payload);
        assert_eq!(
            code(verify(&verifier(alg), &t)),
            "algorithm_not_allowed",
            "{alg}"
        );
        // Even if the caller lists HS256 as allowed, no key is bound to it.
        let v = Verifier::new(vk.clone(), val().algorithms(&[HS256, alg])).unwrap();
        assert_eq!(code(verify(&v, &t)), "algorithm_not_allowed");
        // An oct JWK carrying the PEM as `k`
        let jwk = Jwk::from_json(
            json!({"kty": "oct", "k": b64_encode(&pem_text), "alg": "HS256"}).to_string(),
        )
        .unwrap();
        assert_eq!(
            code(VerifyingKey::from_jwk(&jwk, None)),
            "key_algorithm_mismatch"
        );
        // The public key bound to an HMAC algorithm through the typed constructors.
        assert_eq!(
            code(VerifyingKey::from_pem(HS256, &pem_text)),
            "key_algorithm_mismatch"
        );
        assert_eq!(
            code(VerifyingKey::from_der(HS256, &der)),
            "key_algorithm_mismatch"
        );
        let public_jwk = vk.to_jwk().unwrap();
        assert_eq!(
            code(VerifyingKey::from_jwk(&public_jwk, Some(HS256))),
            "key_algorithm_mismatch"
        );
    }
}

/// The public-key-as-HMAC-secret guard, one row per spelling a public key travels in
/// (SECURITY.md: algorithm handling, key confusion). Every row is refused by
/// `SigningKey::hmac`, `VerifyingKey::hmac` and `VerifyingKey::hmac_allow_short` with
/// `key_algorithm_mismatch`.
#[test]
fn public_keys_in_non_pem_spellings_are_never_hmac_secrets() {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let file = common::keyform;
    let pem_body = common::pem_der;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let rsa_spki = pem_body(key(RS256).public_key_pem().unwrap());
    let ec_spki = pem_body(key(ES256).public_key_pem().unwrap());
    let ed_spki = pem_body(key(EdDSA).public_key_pem().unwrap());
    let cert = file("cert-rsa.der");
    // PKCS#1 RSAPublicKey: the BIT STRING contents of the SPKI
    let pkcs1 = rsa_spki[24..].to_vec();
    let jwk = key(ES256).verifying_key().to_jwk().unwrap().to_json();
    let jwks = jwt_core::KeySet::from(key(ES256).verifying_key())
        .to_public_jwks()
        .unwrap()
        .to_json();
    let utf16 = |t: &str, le: bool, bom: bool| {
        let units = bom.then_some(0xfeff).into_iter().chain(t.encode_utf16());
        let bytes = units.flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() });
        bytes.collect::<Vec<u8>>()
    };
    let utf32 = |t: &str, le: bool, bom: bool| {
        let chars = bom.then_some('\u{feff}').into_iter().chain(t.chars());
        let bytes = chars.flat_map(|c| {
            let u = c as u32;
            if le { u.to_le_bytes() } else { u.to_be_bytes() }
        });
        bytes.collect::<Vec<u8>>()
    };
    let wrapped = STANDARD
        .encode(&rsa_spki)
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap().to_owned() + "\n")
        .collect::<String>();
    let rows: Vec<(&str, Vec<u8>)> = vec![
        ("raw DER SPKI (RSA)", rsa_spki.clone()),
        ("raw DER SPKI (Ed25519)", ed_spki.clone()),
        ("raw DER certificate", cert.clone()),
        ("base64 SPKI, padded", STANDARD.encode(&rsa_spki).into()),
        (
            "base64 SPKI, unpadded",
            STANDARD_NO_PAD.encode(&ec_spki).into(),
        ),
        ("base64url SPKI, padded", URL_SAFE.encode(&ec_spki).into()),
        (
            "base64url SPKI, unpadded",
            URL_SAFE_NO_PAD.encode(&ed_spki).into(),
        ),
        ("base64 SPKI wrapped at 64 columns", wrapped.into()),
        ("base64 PKCS#1", STANDARD.encode(&pkcs1).into()),
        ("base64 certificate", STANDARD.encode(&cert).into()),
        (
            "base64url certificate",
            URL_SAFE_NO_PAD.encode(&cert).into(),
        ),
        ("hex SPKI", hex(&ec_spki).into()),
        ("HEX SPKI", hex(&rsa_spki).to_uppercase().into()),
        ("hex PKCS#1", hex(&pkcs1).into()),
        ("hex certificate", hex(&cert).into()),
        ("JWK JSON", jwk.clone().into()),
        ("JWKS JSON", jwks.clone().into()),
        ("OpenSSH ssh-rsa line", file("rsa.openssh.pub")),
        ("OpenSSH ecdsa line", file("p256.openssh.pub")),
        ("OpenSSH ssh-ed25519 line", file("ed25519.openssh.pub")),
        ("PEM certificate", file("cert-p256.pem")),
        ("JSON array of a JWK", format!("[{jwk}]").into()),
        ("JWK in two arrays", format!("[[{jwk}]]").into()),
        (
            "JWK in 100000 nested arrays",
            format!("{}{jwk}{}", "[".repeat(100_000), "]".repeat(100_000)).into(),
        ),
        (
            "JWK set after a UTF-8 BOM",
            [&b"\xef\xbb\xbf"[..], jwks.as_bytes()].concat(),
        ),
        ("JWK in UTF-16LE", utf16(&jwk, true, false)),
        ("JWK in UTF-16BE with BOM", utf16(&jwk, false, true)),
        ("JWK set in UTF-32LE with BOM", utf32(&jwks, true, true)),
        ("JWK in UTF-32BE", utf32(&jwk, false, false)),
        (
            "escaped \\u006bty member",
            jwk.replacen("\"kty\"", "\"\\u006bty\"", 1).into(),
        ),
        (
            "escaped \\u006beys member",
            jwks.replacen("\"keys\"", "\"\\u006beys\"", 1).into(),
        ),
        (
            "JWK set with a 5000-digit integer",
            format!("{{\"keys\":[{jwk}],\"x\":9{}}}", "9".repeat(4999)).into(),
        ),
        (
            "oct JWK text",
            b"{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}".to_vec(),
        ),
        ("base64 of JWK text", STANDARD.encode(&jwk).into()),
    ];
    for (name, secret) in &rows {
        for hs in [HS256, HS384, HS512] {
            assert_eq!(
                code(VerifyingKey::hmac(hs, secret)),
                "key_algorithm_mismatch",
                "{name} as {hs}"
            );
            assert_eq!(
                code(VerifyingKey::hmac_allow_short(hs, secret)),
                "key_algorithm_mismatch",
                "{name} as {hs} (allow_short)"
            );
            assert_eq!(
                code(SigningKey::hmac(hs, secret)),
                "key_algorithm_mismatch",
                "{name} as {hs} (signing)"
            );
        }
    }
    // and the guard does not refuse secrets that merely look encoded
    for ok in [
        &b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"[..],
        b"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==",
        b"ssh-is-not-a-key-type-but-a-long-secret-phrase",
        // a BEGIN line with no END line is no PEM block (PyJWT accepts it too)
        &b"-----BEGIN PUBLIC KEY-----".repeat(10_000),
        b"[\"kty is a word in an array, not a member name\"]",
    ] {
        assert!(VerifyingKey::hmac(HS256, ok).is_ok(), "{ok:?}");
    }
}

/// Length of the raw public key at the end of an SPKI.
fn raw_len(alg: Algorithm, spki: &[u8]) -> usize {
    match alg.family() {
        jwt_core::KeyFamily::Ec(c) => 1 + 2 * c.coordinate_len(),
        jwt_core::KeyFamily::Ed25519 => 32,
        _ => spki.len() - 24, // RSA: skip the AlgorithmIdentifier and BIT STRING headers
    }
}

#[test]
fn keys_of_one_family_never_verify_another() {
    // Every key type offered for every other algorithm: refused at construction.
    for a in Algorithm::ALL.into_iter().filter(|a| !a.is_symmetric()) {
        let pem_text = key(a).public_key_pem().unwrap();
        let jwk = key(a).verifying_key().to_jwk().unwrap();
        for b in Algorithm::ALL
            .into_iter()
            .filter(|b| b.family() != a.family())
        {
            assert_eq!(
                code(VerifyingKey::from_pem(b, &pem_text)),
                "key_algorithm_mismatch",
                "{a} pem as {b}"
            );
            assert_eq!(
                code(VerifyingKey::from_jwk(&jwk, Some(b))),
                "key_algorithm_mismatch",
                "{a} jwk as {b}"
            );
        }
    }
    // Same family, other algorithm: an RS256 key cannot check a PS256 token.
    let t = Signer::new(key(PS256).clone())
        .unwrap()
        .sign(&claims())
        .unwrap();
    assert_eq!(code(verify(&verifier(RS256), &t)), "algorithm_not_allowed");
}

#[test]
fn token_alg_against_rsa_verifier_is_not_allowed() {
    let v = verifier(RS256);
    for alg in [HS256, HS384, HS512, PS256, ES256, EdDSA] {
        let t = Signer::new(key(alg).clone())
            .unwrap()
            .sign(&claims())
            .unwrap();
        assert_eq!(code(verify(&v, &t)), "algorithm_not_allowed", "{alg}");
    }
}

#[test]
fn allowed_algorithms_come_from_the_caller_and_the_keys() {
    let keys = KeySet::from(vec![key(RS256).verifying_key(), key(ES256).verifying_key()]);
    let v = Verifier::new(keys.clone(), val().algorithms(&[ES256])).unwrap();
    assert_eq!(v.algorithms(), &[ES256]);
    let t = Signer::new(key(RS256).clone())
        .unwrap()
        .sign(&claims())
        .unwrap();
    assert_eq!(code(verify(&v, &t)), "algorithm_not_allowed");
    // a list that fits no key is a configuration error
    assert_eq!(
        code(Verifier::new(keys, val().algorithms(&[HS256]))),
        "invalid_argument"
    );
}

#[test]
fn jwk_alg_use_and_key_ops_are_honoured() {
    let base = key(ES256).verifying_key().to_jwk().unwrap();
    let with = |k: &str, v: Value| {
        let mut m = base.as_map().clone();
        m.insert(k.into(), v);
        Jwk::from_map(m).unwrap()
    };
    assert_eq!(
        code(VerifyingKey::from_jwk(&with("use", "enc".into()), None)),
        "key_usage_not_allowed"
    );
    assert_eq!(
        code(VerifyingKey::from_jwk(
            &with("key_ops", json!(["sign"])),
            None
        )),
        "key_usage_not_allowed"
    );
    assert_eq!(
        code(VerifyingKey::from_jwk(&with("key_ops", json!([])), None)),
        "key_usage_not_allowed"
    );
    assert!(VerifyingKey::from_jwk(&with("key_ops", json!(["verify"])), None).is_ok());
    assert_eq!(
        code(VerifyingKey::from_jwk(&with("alg", "ES384".into()), None)),
        "key_algorithm_mismatch"
    );
    assert_eq!(
        code(VerifyingKey::from_jwk(&with("alg", "none".into()), None)),
        "unsupported_algorithm"
    );
    assert_eq!(
        code(VerifyingKey::from_jwk(&base, Some(ES384))),
        "key_algorithm_mismatch"
    );
    // the private side: a JWK for verification only cannot sign
    let private = key(ES256).to_private_jwk().unwrap();
    let mut m = private.as_map().clone();
    m.insert("key_ops".into(), json!(["verify"]));
    assert_eq!(
        code(SigningKey::from_jwk(&Jwk::from_map(m).unwrap(), None)),
        "key_usage_not_allowed"
    );
    // JWK sets skip `use: enc` keys rather than using them
    let set = json!({"keys": [with("use", "enc".into()).as_map().clone()]}).to_string();
    assert!(KeySet::from_jwks_json(&set, &[]).unwrap().is_empty());
}

#[test]
fn ecdsa_signatures_must_be_fixed_size_r_s_in_range() {
    for alg in [ES256, ES384, ES512, ES256K] {
        let v = verifier(alg);
        let t = Signer::new(key(alg).clone())
            .unwrap()
            .sign(&claims())
            .unwrap();
        assert!(verify(&v, &t).is_ok());
        let sig = sig_of(&t);
        let half = sig.len() / 2;
        let n = curve_order(alg);
        assert_eq!(n.len(), half, "{alg} order length");
        let one = {
            let mut o = vec![0u8; half];
            o[half - 1] = 1;
            o
        };
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("der", ecdsa_to_der(&sig)),
            ("zero", vec![0; sig.len()]),
            ("r=0", [vec![0; half], sig[half..].to_vec()].concat()),
            ("s=0", [sig[..half].to_vec(), vec![0; half]].concat()),
            ("r=n", [n.clone(), sig[half..].to_vec()].concat()),
            ("s=n", [sig[..half].to_vec(), n.clone()].concat()),
            ("r=s=n", [n.clone(), n.clone()].concat()),
            ("r=1,s=1", [one.clone(), one.clone()].concat()),
            ("r=n+r", {
                // r + n overflows the field size for most curves; any such value is >= n
                let mut r = n.clone();
                r[0] = 0xff;
                [r, sig[half..].to_vec()].concat()
            }),
            ("ff", vec![0xff; sig.len()]),
            ("short", sig[..sig.len() - 1].to_vec()),
            ("long", [sig.clone(), vec![0]].concat()),
            ("half", sig[..half].to_vec()),
            ("empty", vec![]),
        ];
        for (what, s) in bad {
            assert_eq!(
                code(verify(&v, &with_sig(&t, &s))),
                "invalid_signature",
                "{alg} {what}"
            );
            assert_eq!(
                code(key(alg).verifying_key().verify(b"x", &s)),
                "invalid_signature"
            );
        }
    }
}

#[test]
fn short_hmac_keys_refused_for_signing_and_flagged_for_verifying() {
    for alg in [HS256, HS384, HS512] {
        let min = alg.hmac_min_key_len().unwrap();
        let short = vec![7u8; min - 1];
        assert_eq!(code(SigningKey::hmac(alg, &short)), "weak_key", "{alg}");
        assert_eq!(code(VerifyingKey::hmac(alg, &short)), "weak_key", "{alg}");
        assert_eq!(code(SigningKey::hmac(alg, b"")), "weak_key");
        assert_eq!(code(VerifyingKey::hmac_allow_short(alg, b"")), "weak_key");
        // opt-in: a legacy issuer's short secret verifies
        let vk = VerifyingKey::hmac_allow_short(alg, &short).unwrap();
        assert!(SigningKey::hmac(alg, &vec![7u8; min]).is_ok());
        let jwk = Jwk::from_json(
            json!({"kty": "oct", "k": b64_encode(&short), "alg": alg.as_str()}).to_string(),
        )
        .unwrap();
        assert_eq!(code(VerifyingKey::from_jwk(&jwk, None)), "weak_key");
        assert_eq!(code(SigningKey::from_jwk(&jwk, None)), "weak_key");
        // and the opt-in key really verifies a token signed with the short secret
        if alg == HS256 {
            let t = forge_hs256(&short, &header(HS256, None), &claims().to_string());
            let v = Verifier::new(vk, val()).unwrap();
            assert!(verify(&v, &t).is_ok());
        }
    }
}

#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    for bits in [512, 1024, 2040] {
        let n = fake_rsa_modulus(bits);
        let spki = rsa_spki(&n, &[1, 0, 1]);
        for alg in [RS256, PS512] {
            assert_eq!(
                code(VerifyingKey::from_der(alg, &spki)),
                "weak_key",
                "{bits}"
            );
            assert_eq!(
                code(VerifyingKey::from_pem(alg, pem("PUBLIC KEY", &spki))),
                "weak_key"
            );
            let jwk =
                Jwk::from_json(json!({"kty": "RSA", "n": b64_encode(&n), "e": "AQAB"}).to_string())
                    .unwrap();
            assert_eq!(code(VerifyingKey::from_jwk(&jwk, Some(alg))), "weak_key");
        }
    }
    assert_eq!(jwt_core::MIN_RSA_BITS, 2048);
    // a 2048-bit modulus with the ROCA fingerprint (CVE-2017-15361) is weak too
    let roca = common::roca_modulus();
    assert_eq!(roca.len(), 256);
    assert_eq!(
        code(VerifyingKey::from_der(RS256, &rsa_spki(&roca, &[1, 0, 1]))),
        "weak_key"
    );
    let jwk =
        Jwk::from_json(json!({"kty": "RSA", "n": b64_encode(&roca), "e": "AQAB"}).to_string())
            .unwrap();
    assert_eq!(code(VerifyingKey::from_jwk(&jwk, Some(PS256))), "weak_key");
    // and flipping its last bits (so it is no longer 1 mod 3) removes the fingerprint
    let mut plain = roca.clone();
    plain[255] ^= 0x06;
    assert!(VerifyingKey::from_der(RS256, &rsa_spki(&plain, &[1, 0, 1])).is_ok());
    // 2048 passes the size check
    let spki = rsa_spki(&fake_rsa_modulus(2048), &[1, 0, 1]);
    assert!(VerifyingKey::from_der(RS256, &spki).is_ok());
}

// =======================================================================================
// Header handling
// =======================================================================================

#[test]
fn crit_with_undeclared_extensions_is_rejected() {
    let k = key(HS256);
    let p = claims().to_string();
    let v = verifier(HS256);
    let t = craft(
        k,
        r#"{"alg":"HS256","crit":["http://example.invalid/x"],"http://example.invalid/x":1}"#,
        &p,
    );
    assert_eq!(code(verify(&v, &t)), "unsupported_critical_header");
    let v2 = Verifier::new(
        k.verifying_key(),
        val().critical(["http://example.invalid/x"]),
    )
    .unwrap();
    assert!(verify(&v2, &t).is_ok());
    for bad in [
        r#"{"alg":"HS256","crit":[]}"#,
        r#"{"alg":"HS256","crit":"b64"}"#,
        r#"{"alg":"HS256","crit":[1]}"#,
        r#"{"alg":"HS256","crit":[""]}"#,
        r#"{"alg":"HS256","crit":["x","x"],"x":1}"#,
        r#"{"alg":"HS256","crit":["alg"]}"#,
        r#"{"alg":"HS256","crit":["missing"]}"#,
    ] {
        let t = craft(k, bad, &p);
        assert_eq!(
            code(verify(&v2, &t)),
            "unsupported_critical_header",
            "{bad}"
        );
    }
    // b64:false only when declared
    let mut h = Header::new(HS256);
    h.b64 = Some(false);
    let jws = sign::sign_compact(k, &h, b"raw payload").unwrap();
    assert_eq!(code(v.verify_jws(&jws)), "unsupported_critical_header");
    let vb = Verifier::new(k.verifying_key(), Validation::new().critical(["b64"])).unwrap();
    assert_eq!(vb.verify_jws(&jws).unwrap().payload, b"raw payload");
    // and never for a JWT
    assert_eq!(code(vb.verify_at::<Value>(&jws, NOW)), "invalid_header");
    // crit must be protected in the JSON serialization
    let doc = json!({"payload": b64_encode("x"), "protected": b64_encode(r#"{"alg":"HS256"}"#), "header": {"crit": ["b64"]}, "signature": ""}).to_string();
    assert_eq!(code(vb.verify_json(&doc)), "invalid_header");
}

/// JWS JSON serialization: `typ`, `cty` and `crit` (and `b64`) are honoured only from the
/// protected header; unprotected they are `invalid_header` (kind malformed), in the
/// flattened and the general form, even when the signature is valid. The signer refuses
/// to write them there.
#[test]
fn json_serialization_header_members_that_must_be_protected() {
    let k = key(HS256);
    let v = Verifier::new(k.verifying_key(), val().critical(["b64"])).unwrap();
    let p = claims().to_string();
    let signed: Value = serde_json::from_str(
        &sign::sign_flattened(k, &Header::new(HS256), None, p.as_bytes()).unwrap(),
    )
    .unwrap();
    let (protected, payload, sig) = (
        &signed["protected"],
        &signed["payload"],
        &signed["signature"],
    );
    let doc = |unprotected: Value| json!({"payload": payload, "protected": protected, "header": unprotected, "signature": sig});
    // the signature is good: an innocent unprotected member verifies
    let innocent = v.verify_json(&doc(json!({"note": "x"})).to_string());
    assert!(innocent.is_ok(), "{innocent:?}");
    for member in [
        json!({"typ": "JWT"}),
        json!({"typ": "at+jwt"}),
        json!({"cty": "JWT"}),
        json!({"crit": ["exp"], "exp": 1}),
        json!({"b64": true}),
    ] {
        let flat = doc(member.clone()).to_string();
        let e = v.verify_json(&flat).unwrap_err();
        assert_eq!(e.code(), "invalid_header", "{member}");
        assert!(e.kind().is_token_error(), "{member}");
        let general = json!({"payload": payload, "signatures": [
            {"protected": protected, "header": member, "signature": sig}]});
        assert_eq!(
            code(v.verify_json(&general.to_string())),
            "invalid_header",
            "{member} (general)"
        );
        let unprotected = member.as_object().unwrap();
        assert_eq!(
            code(sign::sign_flattened(
                k,
                &Header::new(HS256),
                Some(unprotected),
                p.as_bytes()
            )),
            "invalid_argument",
            "{member} (signer)"
        );
    }
    // from the protected header they are honoured as ever
    let mut h = Header::new(HS256);
    h.typ = Some("JWT".into());
    let f = sign::sign_flattened(k, &h, None, p.as_bytes()).unwrap();
    assert_eq!(
        v.verify_json(&f).unwrap().header.typ.as_deref(),
        Some("JWT")
    );
}

#[test]
fn embedded_keys_and_key_urls_are_never_used() {
    // The attacker signs with its own key and embeds it (jwk), or points at it (jku,
    // x5u, x5c). The verifier only ever uses its own key.
    let attacker = other_key(ES256);
    let attacker_jwk = attacker.verifying_key().to_jwk().unwrap().to_json();
    let v = verifier(ES256);
    let p = claims().to_string();
    for member in [
        format!(r#""jwk":{attacker_jwk}"#),
        r#""jku":"https://attacker.invalid/jwks""#.to_owned(),
        r#""x5u":"https://attacker.invalid/c.pem""#.to_owned(),
        r#""x5c":["MIIB"]"#.to_owned(),
        r#""x5t#S256":"abc""#.to_owned(),
    ] {
        let t = craft(attacker, &format!(r#"{{"alg":"ES256",{member}}}"#), &p);
        assert_eq!(code(verify(&v, &t)), "invalid_signature", "{member}");
        // the same through the JSON serialization, member unprotected
        let (h, pl, s) = parts(&t);
        let doc = format!(r#"{{"payload":"{pl}","protected":"{h}","signature":"{s}"}}"#);
        assert_eq!(code(v.verify_json(&doc)), "invalid_signature");
    }
    // An HMAC verifier: an embedded oct jwk holding the attacker's secret.
    let secret = [9u8; 32];
    let h = format!(
        r#"{{"alg":"HS256","jwk":{{"kty":"oct","k":"{}"}}}}"#,
        b64_encode(secret)
    );
    let t = forge_hs256(&secret, &h, &p);
    assert_eq!(code(verify(&verifier(HS256), &t)), "invalid_signature");
}

#[test]
fn kid_never_selects_a_key_of_another_algorithm() {
    let keys = KeySet::from(vec![
        key(RS256).verifying_key().with_kid("rsa"),
        key(HS256).verifying_key().with_kid("mac"),
        key(ES256).verifying_key().with_kid("ec"),
    ]);
    let v = Verifier::new(keys, val()).unwrap();
    let p = claims().to_string();
    // HS256 token whose kid names the RSA key: refused before any HMAC is computed
    let t = forge_hs256(
        key(RS256).public_key_pem().unwrap().as_bytes(),
        r#"{"alg":"HS256","kid":"rsa"}"#,
        &p,
    );
    assert_eq!(code(verify(&v, &t)), "algorithm_not_allowed");
    let t = craft(key(HS256), r#"{"alg":"HS256","kid":"ec"}"#, &p);
    assert_eq!(code(verify(&v, &t)), "algorithm_not_allowed");
    let t = craft(key(HS256), r#"{"alg":"HS256","kid":"unknown"}"#, &p);
    assert_eq!(code(verify(&v, &t)), "key_not_found");
    let t = craft(key(HS256), r#"{"alg":"HS256","kid":"mac"}"#, &p);
    assert!(verify(&v, &t).is_ok());
    // kid is data, never a path or a query
    let t = craft(key(HS256), r#"{"alg":"HS256","kid":"../../dev/null"}"#, &p);
    assert_eq!(code(verify(&v, &t)), "key_not_found");
    // Without kid the candidates are bounded by max_key_candidates.
    let many: Vec<VerifyingKey> = (0..20)
        .map(|i| VerifyingKey::hmac(HS256, &[i as u8 + 1; 32]).unwrap())
        .collect();
    let limits = Limits {
        max_key_candidates: 3,
        ..Limits::default()
    };
    let mut with_real = many.clone();
    with_real.push(key(HS256).verifying_key());
    let v = Verifier::new(with_real, val().limits(limits)).unwrap();
    let t = craft(key(HS256), &header(HS256, None), &p);
    assert_eq!(
        code(verify(&v, &t)),
        "invalid_signature",
        "the real key is beyond the candidate bound"
    );
}

#[test]
fn typ_can_be_required_and_compares_case_insensitively() {
    let v = Verifier::new(key(HS256).verifying_key(), val().typ("at+jwt")).unwrap();
    let p = claims().to_string();
    for ok in [
        "at+jwt",
        "AT+JWT",
        "At+Jwt",
        "application/at+jwt",
        "APPLICATION/AT+JWT",
    ] {
        let t = craft(
            key(HS256),
            &format!(r#"{{"alg":"HS256","typ":"{ok}"}}"#),
            &p,
        );
        assert!(verify(&v, &t).is_ok(), "{ok}");
    }
    for bad in [
        "JWT",
        "jwt",
        "at+jwt2",
        "xat+jwt",
        "application/jwt",
        "at jwt",
        "",
    ] {
        let t = craft(
            key(HS256),
            &format!(r#"{{"alg":"HS256","typ":"{bad}"}}"#),
            &p,
        );
        assert_eq!(code(verify(&v, &t)), "invalid_type", "{bad}");
    }
    // multi-byte characters around the `application/` prefix length never panic
    for odd in [
        "abcdefghijk\u{e9}x",
        "ab\u{20ac}\u{20ac}\u{20ac}\u{20ac}",
        "applicatio\u{e9}/at+jwt",
        "\u{1f600}\u{1f600}\u{1f600}\u{1f600}",
    ] {
        let t = craft(
            key(HS256),
            &format!(r#"{{"alg":"HS256","typ":"{odd}"}}"#),
            &p,
        );
        assert_eq!(code(verify(&v, &t)), "invalid_type", "{odd}");
    }
    let t = craft(key(HS256), r#"{"alg":"HS256"}"#, &p);
    assert_eq!(code(verify(&v, &t)), "invalid_type");
    let t = craft(key(HS256), r#"{"alg":"HS256","typ":["at+jwt"]}"#, &p);
    assert_eq!(code(verify(&v, &t)), "invalid_header");
}

// =======================================================================================
// Parsing
// =======================================================================================

#[test]
fn segments_and_strict_base64url() {
    let v = verifier(HS256);
    let t = Signer::new(key(HS256).clone())
        .unwrap()
        .sign(&claims())
        .unwrap();
    assert!(verify(&v, &t).is_ok());
    let (h, p, s) = parts(&t);
    let malformed = [
        String::new(),
        ".".into(),
        "..".into(),
        "...".into(),
        format!("{h}.{p}"),
        format!("{h}.{p}.{s}."),
        format!("{h}.{p}.{s}.{s}"),
        format!("{h}.{p}.{s}.{s}.{s}"),
        format!("{h}=.{p}.{s}"),
        format!("{h}.{p}=.{s}"),
        format!("{h}.{p}.{s}="),
        format!("{h}.{p}.{s}=="),
        format!("+{}.{p}.{s}", &h[1..]),
        format!("{h}./{}.{s}", &p[1..]),
        format!("{h}.{p}.+{}", &s[1..]),
        format!(" {t}"),
        format!("{t} "),
        format!("{t}\n"),
        format!("{h}.{}\n{}.{s}", &p[..4], &p[4..]),
        format!("{h}.{}\t{}.{s}", &p[..4], &p[4..]),
        // Truncated to a length of 1 mod 4, which no base64url string has. (Cutting one
        // character is not always malformed: 1 time in 16 the shorter string decodes.)
        format!("{h}.{p}.{}", &s[..(s.len() - 2) / 4 * 4 + 1]),
        format!("{h}\u{0}.{p}.{s}"),
        format!("{h}.{p}.{s}\u{e9}"),
    ];
    for bad in &malformed {
        assert_eq!(code(verify(&v, bad)), "malformed_token", "{bad:?}");
    }
    // Non-canonical trailing bits: a 32-byte tag has 2 unused bits in its last char.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let last = *s.as_bytes().last().unwrap();
    let idx = alphabet.iter().position(|c| *c == last).unwrap();
    for flip in 1..4 {
        let mut nc = s.as_bytes().to_vec();
        *nc.last_mut().unwrap() = alphabet[idx ^ flip];
        let nc = String::from_utf8(nc).unwrap();
        assert_eq!(
            code(verify(&v, &format!("{h}.{p}.{nc}"))),
            "malformed_token",
            "flip {flip}"
        );
    }
    // ... and in the header/payload segments (1 or 2 trailing chars)
    let hdr = b64_encode(r#"{"alg":"HS256"}"#); // 15 bytes: no spare bits; use 16 bytes
    let _ = hdr;
    let h16 = r#"{"alg":"HS256"} "#; // 16 bytes -> 22 chars, 4 spare bits
    let enc = b64_encode(h16);
    let mut nc = enc.clone().into_bytes();
    let li = nc.len() - 1;
    let pos = alphabet.iter().position(|c| *c == nc[li]).unwrap();
    nc[li] = alphabet[pos | 1];
    let nc = String::from_utf8(nc).unwrap();
    assert_ne!(nc, enc);
    let t = craft_raw(key(HS256), &nc, p);
    assert_eq!(code(verify(&v, &t)), "malformed_token");
}

#[test]
fn header_and_payload_must_be_utf8_json_objects_without_duplicates() {
    let v = verifier(HS256);
    let k = key(HS256);
    let p = claims().to_string();
    let h = header(HS256, None);
    let cases: Vec<(Vec<u8>, Vec<u8>, &str)> = vec![
        (
            br#"["HS256"]"#.to_vec(),
            p.clone().into_bytes(),
            "malformed_token",
        ),
        (b"null".to_vec(), p.clone().into_bytes(), "malformed_token"),
        (
            b"{\"alg\":\"HS256\",\"x\":\"\xff\"}".to_vec(),
            p.clone().into_bytes(),
            "malformed_token",
        ),
        (
            b"{\"alg\":\"HS256\"".to_vec(),
            p.clone().into_bytes(),
            "malformed_token",
        ),
        (
            b"{\"alg\":\"HS256\"}{}".to_vec(),
            p.clone().into_bytes(),
            "malformed_token",
        ),
        (h.clone().into_bytes(), b"[]".to_vec(), "malformed_token"),
        (
            h.clone().into_bytes(),
            b"\"exp\"".to_vec(),
            "malformed_token",
        ),
        (
            h.clone().into_bytes(),
            b"{\"exp\":1,\"x\":\"\xc3\x28\"}".to_vec(),
            "malformed_token",
        ),
        (
            h.clone().into_bytes(),
            b"{\"exp\":1}garbage".to_vec(),
            "malformed_token",
        ),
        (h.clone().into_bytes(), b"".to_vec(), "malformed_token"),
        (
            br#"{"alg":"HS256","alg":"none"}"#.to_vec(),
            p.clone().into_bytes(),
            "duplicate_member",
        ),
        (
            br#"{"alg":"HS256","kid":"a","kid":"b"}"#.to_vec(),
            p.clone().into_bytes(),
            "duplicate_member",
        ),
        (
            br#"{"alg":"HS256","x":[{"a":1,"a":1}]}"#.to_vec(),
            p.clone().into_bytes(),
            "duplicate_member",
        ),
        (
            br#"{"alg":"HS256","\u0061lg":"HS256"}"#.to_vec(),
            p.clone().into_bytes(),
            "duplicate_member",
        ),
        (
            h.clone().into_bytes(),
            format!(r#"{{"exp":{},"exp":{}}}"#, NOW + 9, NOW + 9).into_bytes(),
            "duplicate_member",
        ),
        (
            h.clone().into_bytes(),
            format!(
                r#"{{"exp":{},"iss":"iss","aud":"aud","iss":"evil"}}"#,
                NOW + 9
            )
            .into_bytes(),
            "duplicate_member",
        ),
        (
            h.clone().into_bytes(),
            format!(r#"{{"exp":{},"x":{{"y":{{"z":1,"z":2}}}}}}"#, NOW + 9).into_bytes(),
            "duplicate_member",
        ),
        (
            br#"{"alg":"HS256","kid":1}"#.to_vec(),
            p.clone().into_bytes(),
            "invalid_header",
        ),
        (
            br#"{"alg":null}"#.to_vec(),
            p.clone().into_bytes(),
            "invalid_header",
        ),
        (
            br#"{"typ":"JWT"}"#.to_vec(),
            p.clone().into_bytes(),
            "invalid_header",
        ),
        (
            br#"{"alg":"HS256","cty":{}}"#.to_vec(),
            p.clone().into_bytes(),
            "invalid_header",
        ),
    ];
    for (hb, pb, want) in cases {
        let t = craft_raw(k, &b64_encode(&hb), &b64_encode(&pb));
        assert_eq!(
            code(verify(&v, &t)),
            want,
            "{} / {}",
            String::from_utf8_lossy(&hb),
            String::from_utf8_lossy(&pb)
        );
    }
}

#[test]
fn depth_and_size_limits_are_checked_before_work() {
    let v = verifier(HS256);
    let k = key(HS256);
    // nesting depth, header and payload
    let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let t = craft(
        k,
        &format!(r#"{{"alg":"HS256","x":{}}}"#, deep(40)),
        &claims().to_string(),
    );
    assert_eq!(code(verify(&v, &t)), "malformed_token");
    let t = craft(
        k,
        &header(HS256, None),
        &format!(r#"{{"exp":{},"x":{}}}"#, NOW + 9, deep(40)),
    );
    assert_eq!(code(verify(&v, &t)), "malformed_token");
    let t = craft(
        k,
        &header(HS256, None),
        &format!(r#"{{"exp":{},"x":{}}}"#, NOW + 9, deep(10)),
    );
    let plain = Verifier::new(k.verifying_key(), Validation::new()).unwrap();
    assert!(verify(&plain, &t).is_ok(), "moderate nesting is fine");
    // very deep input does not overflow the stack
    let t = craft(
        k,
        &header(HS256, None),
        &format!(r#"{{"x":{}}}"#, deep(100_000)),
    );
    assert_eq!(code(verify(&v, &t)), "malformed_token");
    // header over 8 KiB: refused before decoding (even with a bogus signature)
    let big_header = b64_encode(format!(r#"{{"alg":"HS256","p":"{}"}}"#, "a".repeat(9000)));
    let t = format!("{big_header}.e30.AAAA");
    assert_eq!(code(verify(&v, &t)), "input_too_large");
    // token over 1 MiB: refused before anything, even if the rest is junk
    let huge = "a".repeat(1024 * 1024 + 1);
    assert_eq!(code(verify(&v, &huge)), "input_too_large");
    assert_eq!(code(v.verify_jws(&huge)), "input_too_large");
    assert_eq!(code(v.verify_json(&huge)), "input_too_large");
    assert_eq!(code(jwt_core::unverified::decode(&huge)), "input_too_large");
    // a configurable, smaller limit
    let small = Limits {
        max_token_bytes: 100,
        ..Limits::default()
    };
    let vs = Verifier::new(k.verifying_key(), val().limits(small)).unwrap();
    let t = Signer::new(k.clone()).unwrap().sign(&claims()).unwrap();
    assert!(t.len() > 100);
    assert_eq!(code(verify(&vs, &t)), "input_too_large");
    // JWK sets are bounded too
    let keys: Vec<Value> = (0..300)
        .map(|i| json!({"kty": "oct", "k": b64_encode([i as u8; 32]), "alg": "HS256"}))
        .collect();
    assert_eq!(
        code(KeySet::from_jwks_json(
            json!({"keys": keys}).to_string(),
            &[]
        )),
        "input_too_large"
    );
    assert_eq!(
        code(Jwk::from_json(" ".repeat(jwt_core::MAX_JWKS_BYTES + 1))),
        "input_too_large"
    );
}

#[test]
fn registered_claims_must_have_registered_types() {
    let v = Verifier::new(
        key(HS256).verifying_key(),
        Validation::new()
            .required_claims::<_, &str>([])
            .insecure_skip_audience(),
    )
    .unwrap();
    let k = key(HS256);
    let bad = [
        json!({"exp": "1700000600"}),
        json!({"exp": null}),
        json!({"exp": true}),
        json!({"exp": [NOW + 10]}),
        json!({"exp": {"$date": NOW + 10}}),
        json!({"exp": 1e300}),
        json!({"exp": -1}),
        json!({"exp": 253402300800u64}),
        json!({"exp": u64::MAX}),
        json!({"nbf": "0"}),
        json!({"nbf": 1e20}),
        json!({"iat": "now"}),
        json!({"iat": -0.5}),
        json!({"aud": 1}),
        json!({"aud": [1]}),
        json!({"aud": ["a", null]}),
        json!({"aud": {"a": 1}}),
        json!({"aud": null}),
        json!({"iss": 1}),
        json!({"iss": null}),
        json!({"sub": ["a"]}),
        json!({"jti": 5}),
    ];
    for c in bad {
        let t = craft(k, &header(HS256, None), &c.to_string());
        assert_eq!(code(verify(&v, &t)), "invalid_claim", "{c}");
    }
    // numbers JSON cannot carry (1e400 overflows f64): malformed, never accepted
    let t = craft(k, &header(HS256, None), r#"{"exp":1e400}"#);
    let c = code(verify(&v, &t));
    assert!(c == "malformed_token" || c == "invalid_claim", "{c}");
    // a string exp is an error even when exp checks are off
    let loose = Verifier::new(
        k.verifying_key(),
        Validation::new()
            .required_claims::<_, &str>([])
            .validate_exp(false),
    )
    .unwrap();
    let t = craft(k, &header(HS256, None), r#"{"exp":"soon"}"#);
    assert_eq!(code(verify(&loose, &t)), "invalid_claim");
}

// =======================================================================================
// Claims: one table row per attack (and per legitimate case beside it), one loop
// =======================================================================================

fn hs_token(c: &Value) -> String {
    craft(key(HS256), &header(HS256, None), &c.to_string())
}

fn with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut c = claims();
    edit(c.as_object_mut().unwrap());
    c
}

/// What a row's builder returns: accepted, or the core's error.
type Outcome = Result<(), Error>;

/// One attack of a `SECURITY.md` class: how to build and verify it, and the stable code
/// the core must answer (`None`: the legitimate case next to the attack is accepted).
struct Row {
    name: &'static str,
    class: Class,
    run: fn() -> Outcome,
    expect: Option<&'static str>,
}

/// The attack classes of `SECURITY.md`, one per bullet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// "`exp` required by default; `nbf` and `iat` honoured; leeway explicit and small by
    /// default; `iat` in the future beyond leeway rejected; optional max token age."
    ClaimTimes,
    /// "`iss` and `aud` are compared exactly (no substring or prefix match)."
    IssuerAudience,
    /// "Required claims, exact-value claims and a caller hook for custom checks."
    RequiredExactHook,
    /// Parsing: nothing of the payload is read before the signature is good, and a claims
    /// set that does not fit the caller's type is a typed error.
    PayloadAfterSignature,
}

const CLAIM_CLASSES: [Class; 4] = [
    Class::ClaimTimes,
    Class::IssuerAudience,
    Class::RequiredExactHook,
    Class::PayloadAfterSignature,
];

const fn row(
    name: &'static str,
    class: Class,
    expect: Option<&'static str>,
    run: fn() -> Outcome,
) -> Row {
    Row {
        name,
        class,
        run,
        expect,
    }
}

/// Verify `claims`, signed with the HS256 test key, under `validation` at `NOW`.
fn hs_check(validation: Validation, claims: Value) -> Outcome {
    let v = Verifier::new(key(HS256).verifying_key(), validation).unwrap();
    verify(&v, &hs_token(&claims)).map(drop)
}

/// The default validation (issuer `iss`, audience `aud`) over the base claims edited by
/// `edit`.
fn edited(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Outcome {
    hs_check(val(), with(edit))
}

/// An exact-issuer, exact-audience verifier (`https://a.example`, `api`).
fn iss_aud(iss: Value, aud: Value) -> Outcome {
    hs_check(
        Validation::new()
            .issuer("https://a.example")
            .audience("api"),
        json!({"iss": iss, "aud": aud, "exp": NOW + 60}),
    )
}

fn exact_values(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Outcome {
    hs_check(
        val().claim_equals("role", "admin").claim_equals("level", 3),
        with(edit),
    )
}

/// A verifier whose hook refuses every `jti` of `denylist`.
fn hook_verifier(denylist: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> Verifier {
    Verifier::new(
        key(HS256).verifying_key(),
        val().check(move |_h, c| match &c.jti {
            Some(j) if denylist.lock().unwrap().contains(j) => Err(format!("jti {j} is revoked")),
            _ => Ok(()),
        }),
    )
    .unwrap()
}

fn jti_token(jti: &str, exp: i64) -> String {
    hs_token(&with(|c| {
        c.insert("jti".into(), jti.into());
        c.insert("exp".into(), exp.into());
    }))
}

fn revoked_list() -> std::sync::Arc<std::sync::Mutex<Vec<String>>> {
    std::sync::Arc::new(std::sync::Mutex::new(vec!["revoked-1".to_owned()]))
}

const HS_HEADER_B64: fn() -> String = || b64_encode(header(HS256, None));

const CLAIM_ROWS: &[Row] = {
    use Class::*;
    &[
        // ---- exp ----
        row("exp missing", ClaimTimes, Some("missing_claim"), || {
            edited(|c| {
                c.remove("exp");
            })
        }),
        row(
            "exp equal to now",
            ClaimTimes,
            Some("token_expired"),
            || {
                edited(|c| {
                    c.insert("exp".into(), NOW.into());
                })
            },
        ),
        row(
            "exp one second ago",
            ClaimTimes,
            Some("token_expired"),
            || {
                edited(|c| {
                    c.insert("exp".into(), (NOW - 1).into());
                })
            },
        ),
        row("exp one second ahead", ClaimTimes, None, || {
            edited(|c| {
                c.insert("exp".into(), (NOW + 1).into());
            })
        }),
        // fractional exp rounds down: 1700000000.9 is already expired at NOW
        row(
            "fractional exp rounds down",
            ClaimTimes,
            Some("token_expired"),
            || {
                edited(|c| {
                    c.insert("exp".into(), json!(NOW as f64 + 0.9));
                })
            },
        ),
        // the default verify() uses the real clock: a 2023 token is expired today
        row(
            "verify() uses the real clock",
            ClaimTimes,
            Some("token_expired"),
            || {
                verifier(HS256)
                    .verify::<Value>(&hs_token(&claims()))
                    .map(drop)
            },
        ),
        // ---- nbf, iat ----
        row(
            "nbf one second ahead",
            ClaimTimes,
            Some("token_not_yet_valid"),
            || {
                edited(|c| {
                    c.insert("nbf".into(), (NOW + 1).into());
                })
            },
        ),
        row("nbf equal to now", ClaimTimes, None, || {
            edited(|c| {
                c.insert("nbf".into(), NOW.into());
            })
        }),
        // fractional nbf rounds up: NOW + 0.1 is not yet valid at NOW
        row(
            "fractional nbf rounds up",
            ClaimTimes,
            Some("token_not_yet_valid"),
            || {
                edited(|c| {
                    c.insert("nbf".into(), json!(NOW as f64 + 0.1));
                })
            },
        ),
        row(
            "iat in the future",
            ClaimTimes,
            Some("token_issued_in_future"),
            || {
                edited(|c| {
                    c.insert("iat".into(), (NOW + 1).into());
                })
            },
        ),
        row("iat and nbf checks switched off", ClaimTimes, None, || {
            hs_check(
                val().validate_iat(false).validate_nbf(false),
                with(|c| {
                    c.insert("iat".into(), (NOW + 99).into());
                    c.insert("nbf".into(), (NOW + 99).into());
                }),
            )
        }),
        // ---- leeway ----
        row("exp within a 30 s leeway", ClaimTimes, None, || {
            hs_check(
                val().leeway(30),
                with(|c| {
                    c.insert("exp".into(), (NOW - 29).into());
                }),
            )
        }),
        row(
            "exp at the 30 s leeway",
            ClaimTimes,
            Some("token_expired"),
            || {
                hs_check(
                    val().leeway(30),
                    with(|c| {
                        c.insert("exp".into(), (NOW - 30).into());
                    }),
                )
            },
        ),
        row("nbf within a 30 s leeway", ClaimTimes, None, || {
            hs_check(
                val().leeway(30),
                with(|c| {
                    c.insert("nbf".into(), (NOW + 30).into());
                }),
            )
        }),
        row(
            "nbf beyond a 30 s leeway",
            ClaimTimes,
            Some("token_not_yet_valid"),
            || {
                hs_check(
                    val().leeway(30),
                    with(|c| {
                        c.insert("nbf".into(), (NOW + 31).into());
                    }),
                )
            },
        ),
        row("iat within a 30 s leeway", ClaimTimes, None, || {
            hs_check(
                val().leeway(30),
                with(|c| {
                    c.insert("iat".into(), (NOW + 30).into());
                }),
            )
        }),
        row(
            "iat beyond a 30 s leeway",
            ClaimTimes,
            Some("token_issued_in_future"),
            || {
                hs_check(
                    val().leeway(30),
                    with(|c| {
                        c.insert("iat".into(), (NOW + 31).into());
                    }),
                )
            },
        ),
        // the default leeway is zero
        row(
            "the default leeway is zero",
            ClaimTimes,
            Some("token_expired"),
            || {
                edited(|c| {
                    c.insert("exp".into(), (NOW - 1).into());
                })
            },
        ),
        // a huge leeway saturates instead of overflowing
        row("a huge leeway saturates", ClaimTimes, None, || {
            hs_check(val().leeway(u64::MAX), claims())
        }),
        // ---- max age ----
        row("iat exactly max_age ago", ClaimTimes, None, || {
            hs_check(
                val().max_age(60),
                with(|c| {
                    c.insert("iat".into(), (NOW - 60).into());
                }),
            )
        }),
        row(
            "iat older than max_age",
            ClaimTimes,
            Some("token_too_old"),
            || {
                hs_check(
                    val().max_age(60),
                    with(|c| {
                        c.insert("iat".into(), (NOW - 61).into());
                    }),
                )
            },
        ),
        row(
            "max_age without iat",
            ClaimTimes,
            Some("missing_claim"),
            || {
                hs_check(
                    val().max_age(60),
                    with(|c| {
                        c.remove("iat");
                    }),
                )
            },
        ),
        // ---- iss, aud ----
        row("exact iss and aud", IssuerAudience, None, || {
            iss_aud("https://a.example".into(), "api".into())
        }),
        row(
            "aud array holding the audience",
            IssuerAudience,
            None,
            || iss_aud("https://a.example".into(), json!(["x", "api"])),
        ),
        row(
            "iss with a trailing slash",
            IssuerAudience,
            Some("invalid_issuer"),
            || iss_aud("https://a.example/".into(), "api".into()),
        ),
        row(
            "iss with a suffix domain",
            IssuerAudience,
            Some("invalid_issuer"),
            || iss_aud("https://a.example.evil".into(), "api".into()),
        ),
        row(
            "iss a prefix of the issuer",
            IssuerAudience,
            Some("invalid_issuer"),
            || iss_aud("https://a.exampl".into(), "api".into()),
        ),
        row(
            "iss without the scheme",
            IssuerAudience,
            Some("invalid_issuer"),
            || iss_aud("a.example".into(), "api".into()),
        ),
        row(
            "iss in upper case",
            IssuerAudience,
            Some("invalid_issuer"),
            || iss_aud("HTTPS://A.EXAMPLE".into(), "api".into()),
        ),
        row("iss empty", IssuerAudience, Some("invalid_issuer"), || {
            iss_aud("".into(), "api".into())
        }),
        row(
            "iss with a leading space",
            IssuerAudience,
            Some("invalid_issuer"),
            || iss_aud(" https://a.example".into(), "api".into()),
        ),
        row(
            "aud a prefix of the audience",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!("ap")),
        ),
        row(
            "aud with a suffix",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!("api2")),
        ),
        row(
            "aud in upper case",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!("API")),
        ),
        row(
            "aud array of a longer name",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!(["apix"])),
        ),
        row(
            "aud empty array",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!([])),
        ),
        row(
            "aud empty string",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!("")),
        ),
        row(
            "aud with a prefix",
            IssuerAudience,
            Some("invalid_audience"),
            || iss_aud("https://a.example".into(), json!("xapi")),
        ),
        // PyJWT CVE-2024-53861: a string issuer compared as a sequence
        row(
            "iss given as an array",
            IssuerAudience,
            Some("invalid_claim"),
            || iss_aud(json!(["https://a.example"]), "api".into()),
        ),
        row("iss missing", IssuerAudience, Some("missing_claim"), || {
            hs_check(
                Validation::new()
                    .issuer("https://a.example")
                    .audience("api"),
                json!({"aud": "api", "exp": NOW + 60}),
            )
        }),
        row("aud missing", IssuerAudience, Some("missing_claim"), || {
            hs_check(
                Validation::new()
                    .issuer("https://a.example")
                    .audience("api"),
                json!({"iss": "https://a.example", "exp": NOW + 60}),
            )
        }),
        // aud present but no audience configured
        row(
            "aud present, no audience configured",
            IssuerAudience,
            Some("invalid_audience"),
            || hs_check(Validation::new(), json!({"aud": "api", "exp": NOW + 60})),
        ),
        row("aud check explicitly skipped", IssuerAudience, None, || {
            hs_check(
                Validation::new().insecure_skip_audience(),
                json!({"aud": "api", "exp": NOW + 60}),
            )
        }),
        // ---- required, exact-value and custom claims ----
        row(
            "required jti and tenant both missing",
            RequiredExactHook,
            Some("missing_claim"),
            || hs_check(val().required_claims(["exp", "jti", "tenant"]), claims()),
        ),
        row(
            "required tenant missing",
            RequiredExactHook,
            Some("missing_claim"),
            || {
                hs_check(
                    val().required_claims(["exp", "jti", "tenant"]),
                    with(|c| {
                        c.insert("jti".into(), "j".into());
                    }),
                )
            },
        ),
        row(
            "every required claim present",
            RequiredExactHook,
            None,
            || {
                hs_check(
                    val().required_claims(["exp", "jti", "tenant"]),
                    with(|c| {
                        c.insert("jti".into(), "j".into());
                        c.insert("tenant".into(), "t".into());
                    }),
                )
            },
        ),
        row("exact values equal", RequiredExactHook, None, || {
            exact_values(|c| {
                c.insert("role".into(), "admin".into());
                c.insert("level".into(), 3.into());
            })
        }),
        row(
            "exact value in another case",
            RequiredExactHook,
            Some("invalid_claim"),
            || {
                exact_values(|c| {
                    c.insert("role".into(), "Admin".into());
                    c.insert("level".into(), 3.into());
                })
            },
        ),
        row(
            "exact number given as a string",
            RequiredExactHook,
            Some("invalid_claim"),
            || {
                exact_values(|c| {
                    c.insert("role".into(), "admin".into());
                    c.insert("level".into(), "3".into());
                })
            },
        ),
        row(
            "exact string given in an array",
            RequiredExactHook,
            Some("invalid_claim"),
            || {
                exact_values(|c| {
                    c.insert("role".into(), json!(["admin"]));
                    c.insert("level".into(), 3.into());
                })
            },
        ),
        row(
            "exact-value claim missing",
            RequiredExactHook,
            Some("missing_claim"),
            || {
                exact_values(|c| {
                    c.insert("level".into(), 3.into());
                })
            },
        ),
        row("subject equal", RequiredExactHook, None, || {
            hs_check(val().subject("sub"), claims())
        }),
        row(
            "subject different",
            RequiredExactHook,
            Some("invalid_subject"),
            || {
                hs_check(
                    val().subject("sub"),
                    with(|c| {
                        c.insert("sub".into(), "sub2".into());
                    }),
                )
            },
        ),
        row(
            "subject missing",
            RequiredExactHook,
            Some("invalid_subject"),
            || {
                hs_check(
                    val().subject("sub"),
                    with(|c| {
                        c.remove("sub");
                    }),
                )
            },
        ),
        row(
            "hook refuses a revoked jti",
            RequiredExactHook,
            Some("claim_rejected"),
            || {
                let r = verify(
                    &hook_verifier(revoked_list()),
                    &jti_token("revoked-1", NOW + 600),
                );
                if let Err(e) = &r {
                    assert!(e.to_string().contains("revoked"), "{e}");
                }
                r.map(drop)
            },
        ),
        row("hook passes a fresh jti", RequiredExactHook, None, || {
            verify(
                &hook_verifier(revoked_list()),
                &jti_token("fresh", NOW + 600),
            )
            .map(drop)
        }),
        // revocation takes effect for an already-built verifier
        row(
            "revoked after the verifier was built",
            RequiredExactHook,
            Some("claim_rejected"),
            || {
                let denylist = revoked_list();
                let v = hook_verifier(denylist.clone());
                let t = jti_token("fresh", NOW + 600);
                assert!(verify(&v, &t).is_ok(), "accepted before revocation");
                denylist.lock().unwrap().push("fresh".into());
                verify(&v, &t).map(drop)
            },
        ),
        // the hook runs only after the built-in checks: an expired revoked token is expired
        row(
            "hook runs after the built-in checks",
            RequiredExactHook,
            Some("token_expired"),
            || {
                verify(
                    &hook_verifier(revoked_list()),
                    &jti_token("revoked-1", NOW - 5),
                )
                .map(drop)
            },
        ),
        // and never sees a token with a bad signature
        row(
            "hook never sees a bad signature",
            RequiredExactHook,
            Some("invalid_signature"),
            || {
                let t = jti_token("revoked-1", NOW + 600);
                let mut sig = sig_of(&t);
                sig[3] ^= 0x40;
                verify(&hook_verifier(revoked_list()), &with_sig(&t, &sig)).map(drop)
            },
        ),
        // ---- the payload after the signature ----
        row(
            "claims that do not fit the caller's type",
            PayloadAfterSignature,
            Some("claims_shape"),
            || {
                #[derive(serde::Deserialize, Debug)]
                #[allow(dead_code)]
                struct Strict {
                    role: String,
                }
                verifier(HS256)
                    .verify_at::<Strict>(&hs_token(&claims()), NOW)
                    .map(drop)
            },
        ),
        // A bad signature wins over a broken payload: nothing in the payload is looked at
        // before the signature is good.
        row(
            "bad signature over duplicate payload members",
            PayloadAfterSignature,
            Some("invalid_signature"),
            || {
                let p = b64_encode(r#"{"exp":"x","exp":1}"#);
                let t = format!("{}.{p}.{}", HS_HEADER_B64(), b64_encode([0u8; 32]));
                verify(&verifier(HS256), &t).map(drop)
            },
        ),
        row(
            "bad signature over a non-JSON payload",
            PayloadAfterSignature,
            Some("invalid_signature"),
            || {
                let t = format!(
                    "{}.{}.{}",
                    HS_HEADER_B64(),
                    b64_encode("not json"),
                    b64_encode([0u8; 32])
                );
                verify(&verifier(HS256), &t).map(drop)
            },
        ),
        // and the payload segment itself must still be strict base64url
        row(
            "padded payload segment",
            PayloadAfterSignature,
            Some("malformed_token"),
            || {
                let t = format!("{}.e30=.{}", HS_HEADER_B64(), b64_encode([0u8; 32]));
                verify(&verifier(HS256), &t).map(drop)
            },
        ),
    ]
};

#[test]
fn claim_attacks() {
    let mut failures = Vec::new();
    for r in CLAIM_ROWS {
        let got = (r.run)();
        let ok = match (&got, r.expect) {
            (Ok(()), None) => true,
            (Err(e), Some(code)) => e.code() == code,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{} ({:?}): expected {}, got {}",
                r.name,
                r.class,
                r.expect.unwrap_or("ok"),
                match &got {
                    Ok(()) => "ok".to_owned(),
                    Err(e) => format!("{} ({e})", e.code()),
                }
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // every claims class of SECURITY.md has at least one row, and each row's name is unique
    for class in CLAIM_CLASSES {
        assert!(
            CLAIM_ROWS.iter().any(|r| r.class == class),
            "no row for {class:?}"
        );
    }
    let mut names: Vec<&str> = CLAIM_ROWS.iter().map(|r| r.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CLAIM_ROWS.len(), "duplicate row names");
}

#[test]
fn error_codes_are_documented_and_stable() {
    let codes: Vec<&str> = Error::ALL_CODES.iter().map(|(c, _)| *c).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len(), "duplicate codes");
    for c in &codes {
        assert!(
            c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
            "{c}"
        );
    }
    // decode an arbitrary base64 segment into a key check so b64_decode is exercised
    assert_eq!(code(b64_decode("a+b")), "malformed_token");
}
