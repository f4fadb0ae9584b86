//! Algorithm confusion, key-type and key-size attacks.

use super::*;

pub(super) fn algorithm_attacks(g: &mut Gen) {
    use Algorithm::*;
    let claims = base_claims().to_string();
    // alg none in every spelling, with and without a signature.
    for (i, spelling) in ["none", "None", "NONE", "nOnE"].iter().enumerate() {
        let h = b64_encode(format!(r#"{{"alg":"{spelling}","typ":"JWT"}}"#));
        let p = b64_encode(&claims);
        let keys = vec![g.hmac("hs256", HS256)];
        g.push(
            &format!("alg-none-{i}-unsigned"),
            &format!("alg `{spelling}` with an empty signature"),
            keys.clone(),
            &format!("{h}.{p}."),
            base_validation(),
            err("unsupported_algorithm"),
        );
        // "signed": an HMAC over the input with the verifier's own secret
        let t = g.sign_raw("hs256", HS256, &h, &p);
        g.push(
            &format!("alg-none-{i}-signed"),
            &format!("alg `{spelling}` with a signature segment"),
            keys,
            &t,
            base_validation(),
            err("unsupported_algorithm"),
        );
    }
    let keys = vec![g.hmac("hs256", HS256)];
    let t = g.sign("hs256", HS256, r#"{"alg":"HS257","typ":"JWT"}"#, &claims);
    g.push(
        "alg-unknown",
        "an unknown algorithm name",
        keys.clone(),
        &t,
        base_validation(),
        err("unsupported_algorithm"),
    );
    let t = g.sign("hs256", HS256, r#"{"alg":"hs256","typ":"JWT"}"#, &claims);
    g.push(
        "alg-wrong-case",
        "algorithm names are case-sensitive",
        keys,
        &t,
        base_validation(),
        err("unsupported_algorithm"),
    );

    // Algorithm confusion: the RSA public key (PEM text, DER bytes, JWK text) offered as an
    // HMAC secret: refused when the key is built.
    let rsa_pem = g.key("rs256", RS256).public_key_pem().unwrap();
    let rsa_der = b64_decode(
        rsa_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
            .replace('+', "-")
            .replace('/', "_")
            .trim_end_matches('='),
    )
    .unwrap();
    let rsa_jwk = g
        .key("rs256", RS256)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .to_json();
    let ec_pem = g.key("es256", ES256).public_key_pem().unwrap();
    let ed_jwk = g
        .key("eddsa", EdDSA)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .to_json();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let std_b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let utf16 = |t: &str, le: bool, bom: bool| {
        let mut v: Vec<u8> = Vec::new();
        for u in bom.then_some(0xfeff).into_iter().chain(t.encode_utf16()) {
            v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    };
    let utf32 = |t: &str, le: bool, bom: bool| {
        let mut v: Vec<u8> = Vec::new();
        for c in bom.then_some('\u{feff}').into_iter().chain(t.chars()) {
            let u = c as u32;
            v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    };
    let ec_jwks = KeySet::from(g.key("es256", ES256).verifying_key())
        .to_public_jwks()
        .unwrap()
        .to_json();
    let cert = common::keyform("cert-rsa.der");
    let rsa_pkcs1 = rsa_der[24..].to_vec();
    let nested = format!("{}{ed_jwk}{}", "[".repeat(5000), "]".repeat(5000));
    let big_int = format!(
        "{{\"keys\":{},\"n\":1{}}}",
        format_args!("[{rsa_jwk}]"),
        "0".repeat(5000)
    );
    let mut bom_jwks = b"\xef\xbb\xbf".to_vec();
    bom_jwks.extend(ec_jwks.as_bytes());
    let rows: Vec<(&str, &str, Vec<u8>)> = vec![
        ("rsa-pem", "RSA public key PEM", rsa_pem.as_bytes().to_vec()),
        ("rsa-der", "RSA public key DER", rsa_der.clone()),
        (
            "rsa-jwk",
            "RSA public JWK text",
            rsa_jwk.clone().into_bytes(),
        ),
        ("ec-pem", "EC public key PEM", ec_pem.into_bytes()),
        (
            "ed-jwk",
            "Ed25519 public JWK text",
            ed_jwk.clone().into_bytes(),
        ),
        (
            "jwk-array",
            "a JSON array holding a JWK",
            format!("[{rsa_jwk}]").into(),
        ),
        (
            "jwk-array-nested",
            "a JWK inside two JSON arrays",
            format!("[[{ed_jwk}]]").into(),
        ),
        (
            "jwk-array-deep",
            "a JWK inside 5000 nested JSON arrays",
            nested.into(),
        ),
        (
            "jwks-utf8-bom",
            "a JWK set after a UTF-8 byte order mark",
            bom_jwks,
        ),
        (
            "jwk-utf16le",
            "JWK text in UTF-16LE, no BOM",
            utf16(&rsa_jwk, true, false),
        ),
        (
            "jwk-utf16be-bom",
            "JWK text in UTF-16BE with a BOM",
            utf16(&ed_jwk, false, true),
        ),
        (
            "jwk-utf32le-bom",
            "JWK text in UTF-32LE with a BOM",
            utf32(&ed_jwk, true, true),
        ),
        (
            "jwk-utf32be",
            "JWK text in UTF-32BE, no BOM",
            utf32(&rsa_jwk, false, false),
        ),
        (
            "jwk-escaped-kty",
            "a JWK whose member name is spelled \"\\u006bty\"",
            ed_jwk.replacen("\"kty\"", "\"\\u006bty\"", 1).into(),
        ),
        (
            "jwks-huge-integer",
            "a JWK set with a 5000-digit integer member",
            big_int.into(),
        ),
        (
            "oct-jwk",
            "an oct JWK as text (its secret is the decoded k, not the text)",
            br#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}"#.to_vec(),
        ),
        ("rsa-spki-hex", "hex of an RSA SPKI", hex(&rsa_der).into()),
        (
            "rsa-spki-base64",
            "base64 of an RSA SPKI",
            std_b64(&rsa_der).into(),
        ),
        (
            "rsa-spki-base64url",
            "base64url of an RSA SPKI",
            b64_encode(&rsa_der).into(),
        ),
        (
            "rsa-pkcs1-base64",
            "base64 of an RSA PKCS#1 public key",
            std_b64(&rsa_pkcs1).into(),
        ),
        (
            "rsa-pkcs1-hex",
            "hex of an RSA PKCS#1 public key",
            hex(&rsa_pkcs1).into(),
        ),
        ("cert-der", "a raw DER X.509 certificate", cert.clone()),
        (
            "cert-base64",
            "base64 of a DER certificate",
            std_b64(&cert).into(),
        ),
        ("cert-hex", "hex of a DER certificate", hex(&cert).into()),
    ];
    for (id, what, secret) in rows {
        // the attacker signs with the public key bytes as HMAC key (forged by hand)
        let h = b64_encode(common::header(HS256, None));
        let p = b64_encode(&claims);
        let input = format!("{h}.{p}");
        let tag = ring_hmac(&secret, input.as_bytes());
        let token = format!("{input}.{}", b64_encode(tag));
        g.push(
            &format!("confusion-{id}-as-hmac-secret"),
            &format!(
                "{what} offered as an HMAC secret is refused (CVE-2016-10555, CVE-2022-29217)"
            ),
            vec![json!({"secret_b64u": b64_encode(&secret), "alg": "HS256"})],
            &token,
            base_validation(),
            err("key_algorithm_mismatch"),
        );
    }
    // A BEGIN line with no END line is not PEM (PyJWT reads it the same way): a secret.
    let secret = b"-----BEGIN PUBLIC KEY-----".repeat(200);
    let h = b64_encode(common::header(HS256, None));
    let p = b64_encode(&claims);
    let input = format!("{h}.{p}");
    let token = format!(
        "{input}.{}",
        b64_encode(ring_hmac(&secret, input.as_bytes()))
    );
    g.push(
        "secret-pem-begin-line-only",
        "a secret made of repeated PEM BEGIN lines and no END line is a plain secret",
        vec![json!({"secret_b64u": b64_encode(&secret), "alg": "HS256"})],
        &token,
        base_validation(),
        ok(),
    );
    // HS256 token presented to an RSA verifier: the key decides, not the header.
    let rsa_pem = g.key("rs256", RS256).public_key_pem().unwrap();
    let h = b64_encode(common::header(HS256, None));
    let p = b64_encode(&claims);
    let input = format!("{h}.{p}");
    let token = format!(
        "{input}.{}",
        b64_encode(ring_hmac(rsa_pem.as_bytes(), input.as_bytes()))
    );
    let keys = vec![g.pem("rs256", RS256)];
    g.push(
        "confusion-hs256-token-rsa-verifier",
        "an HS256 token (HMAC keyed with the RSA PEM) against an RSA verifier",
        keys,
        &token,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    // JWK alg contradicts the requested algorithm.
    let jwk = g.jwk("rs256", RS256);
    let t = g.token("rs256", RS256, None, &base_claims());
    g.push(
        "jwk-alg-contradicts-caller",
        "a JWK with alg RS256 cannot be bound to PS256",
        vec![json!({"jwk": jwk["jwk"], "alg": "PS256"})],
        &t,
        base_validation(),
        err("key_algorithm_mismatch"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("alg".into(), "HS256".into());
    g.push(
        "jwk-rsa-claims-hs256",
        "an RSA JWK claiming alg HS256 is refused",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        err("key_algorithm_mismatch"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("use".into(), "enc".into());
    g.push(
        "jwk-use-enc",
        "a JWK with use enc cannot verify",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        err("key_usage_not_allowed"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("key_ops".into(), json!(["sign"]));
    g.push(
        "jwk-key-ops-sign-only",
        "a JWK whose key_ops lacks verify cannot verify",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        err("key_usage_not_allowed"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("key_ops".into(), json!(["verify"]));
    g.push(
        "jwk-key-ops-verify",
        "a JWK whose key_ops includes verify verifies",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        ok(),
    );
    // Allowed algorithms come from the caller.
    let keys = vec![g.jwk("rs256", RS256)];
    g.push(
        "alg-not-in-allowed-list",
        "the caller allows only PS256; an RS256 token is refused",
        keys.clone(),
        &t,
        with_v(json!({"algorithms": ["PS256"]})),
        err("invalid_argument"),
    );
    let keys2 = vec![g.jwk("rs256", RS256), g.jwk("ps256", PS256)];
    g.push(
        "alg-narrowed-by-caller",
        "keys for RS256 and PS256, caller allows only PS256: RS256 token refused",
        keys2,
        &t,
        with_v(json!({"algorithms": ["PS256"]})),
        err("algorithm_not_allowed"),
    );
    g.push(
        "alg-caller-unknown",
        "the caller's algorithm list names none",
        keys,
        &t,
        with_v(json!({"algorithms": ["none"]})),
        err("unsupported_algorithm"),
    );

    // ECDSA signature encodings.
    for alg in [ES256, ES384, ES512, ES256K] {
        let name = alg.as_str().to_lowercase();
        // the valid-<alg> token (so its randomized signature is kept across regenerations)
        let t = g.token(&name, alg, Some(&name), &base_claims());
        let sig = sig_of(&t);
        let keys = vec![g.jwk(&name, alg)];
        let n = curve_order(alg);
        let half = sig.len() / 2;
        let variants: Vec<(&str, &str, Vec<u8>)> = vec![
            (
                "der",
                "DER-encoded signature instead of r||s",
                ecdsa_to_der(&sig),
            ),
            (
                "zero",
                "r = 0 and s = 0 (psychic signature, CVE-2022-21449)",
                vec![0u8; sig.len()],
            ),
            (
                "r-eq-n",
                "r = n",
                [n.clone(), sig[half..].to_vec()].concat(),
            ),
            (
                "s-eq-n",
                "s = n",
                [sig[..half].to_vec(), n.clone()].concat(),
            ),
            (
                "short",
                "signature one byte short",
                sig[..sig.len() - 1].to_vec(),
            ),
            (
                "long",
                "signature one byte long",
                [sig.clone(), vec![0]].concat(),
            ),
        ];
        for (vid, desc, bad) in variants {
            g.push(
                &format!("ecdsa-{name}-{vid}"),
                &format!("{alg}: {desc}"),
                keys.clone(),
                &with_sig(&t, &bad),
                base_validation(),
                err("invalid_signature"),
            );
        }
    }
    // Weak keys.
    let short: Vec<u8> = b"0123456789abcdef".to_vec();
    let h = b64_encode(common::header(HS256, None));
    let p = b64_encode(&claims);
    let input = format!("{h}.{p}");
    let token = format!(
        "{input}.{}",
        b64_encode(ring_hmac(&short, input.as_bytes()))
    );
    g.push(
        "weak-hmac-short-secret",
        "a 16-byte HS256 secret is refused without opt-in (RFC 7518 3.2)",
        vec![json!({"secret_b64u": b64_encode(&short), "alg": "HS256"})],
        &token,
        base_validation(),
        err("weak_key"),
    );
    g.push(
        "weak-hmac-short-secret-allowed",
        "a 16-byte HS256 secret verifies when the caller opts in",
        vec![json!({"secret_b64u": b64_encode(&short), "alg": "HS256", "allow_short": true})],
        &token,
        base_validation(),
        ok(),
    );
    let t = g.token("hs256", HS256, None, &base_claims());
    let weak_jwk = json!({"kty": "oct", "k": b64_encode(&short), "alg": "HS256"});
    g.push(
        "weak-hmac-short-jwk",
        "a short oct JWK is refused",
        vec![json!({"jwk": weak_jwk})],
        &t,
        base_validation(),
        err("weak_key"),
    );
    let n = fake_rsa_modulus(1024);
    let spki = rsa_spki(&n, &[1, 0, 1]);
    let t = g.token("rs256", RS256, None, &base_claims());
    g.push(
        "weak-rsa-1024-pem",
        "an RSA key under 2048 bits is refused",
        vec![json!({"pem": pem("PUBLIC KEY", &spki), "alg": "RS256"})],
        &t,
        base_validation(),
        err("weak_key"),
    );
    let roca = common::roca_modulus();
    g.push(
        "weak-rsa-roca-fingerprint",
        "a 2048-bit RSA modulus with the ROCA fingerprint (CVE-2017-15361) is refused",
        vec![json!({"jwk": {"kty": "RSA", "n": b64_encode(&roca), "e": "AQAB", "alg": "RS256"}})],
        &t,
        base_validation(),
        err("weak_key"),
    );
    g.push(
        "weak-rsa-1024-jwk",
        "an RSA JWK under 2048 bits is refused",
        vec![json!({"jwk": {"kty": "RSA", "n": b64_encode(&n), "e": "AQAB", "alg": "RS256"}})],
        &t,
        base_validation(),
        err("weak_key"),
    );
}
