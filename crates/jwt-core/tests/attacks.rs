//! The attack classes of `SECURITY.md` (algorithm handling, header handling, parsing,
//! claims), each asserting the exact stable error code. Each section is a table
//! (`algorithm_rows`, `header_rows`, `parsing_rows`, `claim_rows`): one row per attack
//! (name, `SECURITY.md` class, builder, expected code), run by one loop (`run_table`);
//! `every_security_class_has_a_row` checks that no class of `SECURITY.md` is left out.

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
use Class::*;

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
// The tables: one row per attack, one loop per table
// =======================================================================================

/// What a row's builder returns: accepted, or the core's error.
type Outcome = Result<(), Error>;

/// One attack of a `SECURITY.md` class: how to build and verify it, and the stable code
/// the core must answer (`None`: the legitimate case next to the attack is accepted).
struct Row {
    name: String,
    class: Class,
    run: Box<dyn Fn() -> Outcome>,
    /// The codes the core may answer; empty: accepted.
    expect: Vec<&'static str>,
}

/// Declares [`Class`] and `Class::ALL` from one list, so no class can be left out of
/// the coverage check.
macro_rules! classes {
    ($($(#[$doc:meta])* $class:ident,)*) => {
        /// The attack classes of `SECURITY.md`, one per bullet.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Class {
            $($(#[$doc])* $class,)*
        }

        impl Class {
            const ALL: &[Class] = &[$(Class::$class),*];
        }
    };
}

classes! {
    /// "`alg: none` in any spelling is rejected, with or without a signature segment."
    AlgNone,
    /// "Algorithm confusion: a key is bound to one algorithm family; an RSA/EC/OKP public
    /// key can never be used as an HMAC secret, whatever the header says, in whatever
    /// format the key arrived."
    Confusion,
    /// "The verifier's allowed algorithms come from the caller or the key, never from the
    /// token. A JWK's `alg`, `use` and `key_ops` are honoured."
    AllowedAlgorithms,
    /// "ECDSA: signatures use the fixed-size r||s form; DER-encoded signatures, r or s
    /// equal to 0 or >= n, and wrong lengths are rejected."
    Ecdsa,
    /// "HMAC keys shorter than the hash output are refused when signing and flagged when
    /// verifying unless the caller opts in."
    HmacLength,
    /// "RSA keys under 2048 bits are refused."
    RsaSize,
    /// "`crit` listing any extension the caller has not declared understood is rejected.
    /// `b64: false` (RFC 7797) is supported only when declared."
    Crit,
    /// JWS JSON: `typ`, `cty`, `crit` and `b64` are honoured only from the protected
    /// header (issue 17).
    ProtectedOnly,
    /// "`jku`, `x5u`, an embedded `jwk`, and `x5c` are never followed or trusted."
    EmbeddedKeys,
    /// "`kid` only selects among keys the caller supplied, and never selects a key of
    /// another algorithm."
    Kid,
    /// "`typ` can be required and is compared case-insensitively."
    Typ,
    /// "Exactly three segments for JWS compact; strict base64url: no padding, no `+`/`/`,
    /// no whitespace, no non-canonical trailing bits."
    Segments,
    /// "Header and payload must be JSON objects, valid UTF-8; duplicate member names are
    /// rejected; nesting depth and total size are bounded and checked before any
    /// expensive work."
    JsonObjects,
    /// "Registered claims must have their registered types."
    ClaimTypes,
    /// Parsing: nothing of the payload is read before the signature is good, and a claims
    /// set that does not fit the caller's type is a typed error.
    PayloadAfterSignature,
    /// "`exp` required by default; `nbf` and `iat` honoured; leeway explicit and small by
    /// default; `iat` in the future beyond leeway rejected; optional max token age."
    ClaimTimes,
    /// "`iss` and `aud` are compared exactly (no substring or prefix match)."
    IssuerAudience,
    /// "Required claims, exact-value claims and a caller hook for custom checks."
    RequiredExactHook,
}

fn row(
    name: impl Into<String>,
    class: Class,
    expect: Option<&'static str>,
    run: impl Fn() -> Outcome + 'static,
) -> Row {
    Row {
        name: name.into(),
        class,
        run: Box::new(run),
        expect: expect.into_iter().collect(),
    }
}

/// A row whose attack may fail with any of `codes` (never accepted).
fn row_any(
    name: impl Into<String>,
    class: Class,
    codes: &[&'static str],
    run: impl Fn() -> Outcome + 'static,
) -> Row {
    Row {
        expect: codes.to_vec(),
        ..row(name, class, None, run)
    }
}

/// Run every row and report each failing one by name; row names are unique (that every
/// class has a row is `every_security_class_has_a_row`).
fn run_table(rows: &[Row]) {
    let mut failures = Vec::new();
    for r in rows {
        let got = (r.run)();
        let ok = match &got {
            Ok(()) => r.expect.is_empty(),
            Err(e) => r.expect.contains(&e.code()),
        };
        if !ok {
            failures.push(format!(
                "{} ({:?}): expected {}, got {}",
                r.name,
                r.class,
                if r.expect.is_empty() {
                    "ok".to_owned()
                } else {
                    r.expect.join(" or ")
                },
                match &got {
                    Ok(()) => "ok".to_owned(),
                    Err(e) => format!("{} ({e})", e.code()),
                }
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), rows.len(), "duplicate row names");
}

// =======================================================================================
// Algorithm handling: one table row per attack, one loop
// =======================================================================================

/// The three ways a byte string becomes an HMAC key: each must refuse a public key.
/// A constructor that turns bytes into an HMAC key for an algorithm.
type HmacDoor = fn(Algorithm, &[u8]) -> Outcome;

const HMAC_DOORS: [(&str, HmacDoor); 3] = [
    ("VerifyingKey::hmac", |a, s| {
        VerifyingKey::hmac(a, s).map(drop)
    }),
    ("VerifyingKey::hmac_allow_short", |a, s| {
        VerifyingKey::hmac_allow_short(a, s).map(drop)
    }),
    ("SigningKey::hmac", |a, s| SigningKey::hmac(a, s).map(drop)),
];

/// One row per HMAC algorithm and door: `secret` (a public key spelled `form`) is refused
/// with `key_algorithm_mismatch`.
fn hmac_secret_rows(rows: &mut Vec<Row>, form: &str, secret: Vec<u8>) {
    let secret = std::rc::Rc::new(secret);
    for hs in [HS256, HS384, HS512] {
        for (door, make) in HMAC_DOORS {
            let secret = secret.clone();
            rows.push(row(
                format!("{form} as an {hs} secret ({door})"),
                Confusion,
                Some("key_algorithm_mismatch"),
                move || make(hs, &secret),
            ));
        }
    }
}

/// The SPKI DER inside a PEM text.
fn spki_der(pem_text: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = pem_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

/// A JWK edited: member `k` set to `v`.
fn es256_jwk_with(k: &str, v: Value) -> Jwk {
    let mut m = key(ES256)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .as_map()
        .clone();
    m.insert(k.into(), v);
    Jwk::from_map(m).unwrap()
}

fn signed_by(alg: Algorithm) -> String {
    Signer::new(key(alg).clone())
        .unwrap()
        .sign(&claims())
        .unwrap()
}

fn alg_none_rows(rows: &mut Vec<Row>) {
    let payload = b64_encode(claims().to_string());
    for spelling in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let h = b64_encode(format!(r#"{{"alg":"{spelling}","typ":"JWT"}}"#));
        // unsigned
        let t = format!("{h}.{payload}.");
        rows.push(row(
            format!("alg {spelling}, unsigned"),
            AlgNone,
            Some("unsupported_algorithm"),
            move || verify(&verifier(HS256), &t).map(drop),
        ));
        // with a signature made by the verifier's own key
        let t = craft_raw(key(HS256), &h, &payload);
        let t2 = t.clone();
        rows.push(row(
            format!("alg {spelling}, signed by the verifier's key"),
            AlgNone,
            Some("unsupported_algorithm"),
            move || verify(&verifier(HS256), &t).map(drop),
        ));
        // and through verify_jws / the JSON serialization
        rows.push(row(
            format!("alg {spelling}, verify_jws"),
            AlgNone,
            Some("unsupported_algorithm"),
            move || verifier(HS256).verify_jws(&t2).map(drop),
        ));
        let doc = json!({"payload": payload, "protected": h, "signature": ""}).to_string();
        rows.push(row(
            format!("alg {spelling}, JWS JSON"),
            AlgNone,
            Some("unsupported_algorithm"),
            move || verifier(HS256).verify_json(&doc).map(drop),
        ));
        // it cannot even be represented
        rows.push(row(
            format!("alg {spelling}, parsed as an Algorithm"),
            AlgNone,
            Some("unsupported_algorithm"),
            move || spelling.parse::<Algorithm>().map(drop),
        ));
    }
    // `none` smuggled through the unprotected JSON header
    let doc = json!({"payload": payload, "header": {"alg": "none"}, "signature": ""}).to_string();
    rows.push(row(
        "alg none in the unprotected JSON header",
        AlgNone,
        Some("unsupported_algorithm"),
        move || verifier(HS256).verify_json(&doc).map(drop),
    ));
}

fn confusion_rows(rows: &mut Vec<Row>) {
    let payload = claims().to_string();
    for alg in [RS256, PS256, ES256, ES384, ES512, ES256K, EdDSA] {
        let vk = key(alg).verifying_key();
        let pem_text = vk.to_pem().unwrap();
        let der = spki_der(&pem_text);
        let jwk_text = vk.to_jwk().unwrap().to_json();
        hmac_secret_rows(rows, &format!("{alg} pem"), pem_text.clone().into_bytes());
        hmac_secret_rows(
            rows,
            &format!("{alg} pem with leading whitespace"),
            format!("\n  {pem_text}").into_bytes(),
        );
        hmac_secret_rows(rows, &format!("{alg} der"), der.clone());
        hmac_secret_rows(rows, &format!("{alg} jwk"), jwk_text.into_bytes());
        // raw public bytes: the PKCS#1 RSAPublicKey pulled from the SPKI's BIT STRING.
        // Raw EC points and Ed25519 keys are indistinguishable from random bytes; their
        // protection is that a key is bound to one algorithm (below).
        if matches!(alg.family(), jwt_core::KeyFamily::Rsa) {
            hmac_secret_rows(
                rows,
                &format!("{alg} raw"),
                der[der.len() - raw_len(alg, &der)..].to_vec(),
            );
        }
        // The classic attack: HS256 token keyed with the public PEM, presented to the
        // verifier holding the public key.
        let t = forge_hs256(pem_text.as_bytes(), &header(HS256, None), &payload);
        let t2 = t.clone();
        rows.push(row(
            format!("HS256 token keyed with the {alg} PEM"),
            Confusion,
            Some("algorithm_not_allowed"),
            move || verify(&verifier(alg), &t).map(drop),
        ));
        // Even if the caller lists HS256 as allowed, no key is bound to it.
        rows.push(row(
            format!("HS256 token keyed with the {alg} PEM, HS256 allowed"),
            Confusion,
            Some("algorithm_not_allowed"),
            move || {
                let v = Verifier::new(key(alg).verifying_key(), val().algorithms(&[HS256, alg]))
                    .unwrap();
                verify(&v, &t2).map(drop)
            },
        ));
        // An oct JWK carrying the PEM as `k`
        let p = pem_text.clone();
        rows.push(row(
            format!("oct JWK carrying the {alg} PEM"),
            Confusion,
            Some("key_algorithm_mismatch"),
            move || {
                let jwk = Jwk::from_json(
                    json!({"kty": "oct", "k": b64_encode(&p), "alg": "HS256"}).to_string(),
                )
                .unwrap();
                VerifyingKey::from_jwk(&jwk, None).map(drop)
            },
        ));
        // The public key bound to an HMAC algorithm through the typed constructors.
        let p = pem_text.clone();
        rows.push(row(
            format!("{alg} PEM bound to HS256"),
            Confusion,
            Some("key_algorithm_mismatch"),
            move || VerifyingKey::from_pem(HS256, &p).map(drop),
        ));
        let d = der.clone();
        rows.push(row(
            format!("{alg} DER bound to HS256"),
            Confusion,
            Some("key_algorithm_mismatch"),
            move || VerifyingKey::from_der(HS256, &d).map(drop),
        ));
        rows.push(row(
            format!("{alg} public JWK bound to HS256"),
            Confusion,
            Some("key_algorithm_mismatch"),
            move || {
                let jwk = key(alg).verifying_key().to_jwk().unwrap();
                VerifyingKey::from_jwk(&jwk, Some(HS256)).map(drop)
            },
        ));
    }
}

/// The public-key-as-HMAC-secret guard, one row per spelling a public key travels in.
fn non_pem_spelling_rows(rows: &mut Vec<Row>) {
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
    let spellings: Vec<(&str, Vec<u8>)> = vec![
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
    for (name, secret) in spellings {
        hmac_secret_rows(rows, name, secret);
    }
    // and the guard does not refuse secrets that merely look encoded
    for (name, ok) in [
        (
            "hex-looking secret",
            b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".to_vec(),
        ),
        (
            "base64-looking secret",
            b"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==".to_vec(),
        ),
        (
            "secret starting with ssh-",
            b"ssh-is-not-a-key-type-but-a-long-secret-phrase".to_vec(),
        ),
        // a BEGIN line with no END line is no PEM block (PyJWT accepts it too)
        (
            "BEGIN lines without an END line",
            b"-----BEGIN PUBLIC KEY-----".repeat(10_000),
        ),
        (
            "JSON array mentioning kty",
            b"[\"kty is a word in an array, not a member name\"]".to_vec(),
        ),
    ] {
        rows.push(row(
            format!("{name} is a usable HMAC secret"),
            Confusion,
            None,
            move || VerifyingKey::hmac(HS256, &ok).map(drop),
        ));
    }
}

fn family_rows(rows: &mut Vec<Row>) {
    // Every key type offered for every other algorithm: refused at construction.
    for a in common::available()
        .into_iter()
        .filter(|a| !a.is_symmetric())
    {
        for b in Algorithm::ALL
            .into_iter()
            .filter(|b| b.family() != a.family())
        {
            rows.push(row(
                format!("{a} pem as {b}"),
                Confusion,
                Some("key_algorithm_mismatch"),
                move || VerifyingKey::from_pem(b, key(a).public_key_pem().unwrap()).map(drop),
            ));
            rows.push(row(
                format!("{a} jwk as {b}"),
                Confusion,
                Some("key_algorithm_mismatch"),
                move || {
                    let jwk = key(a).verifying_key().to_jwk().unwrap();
                    VerifyingKey::from_jwk(&jwk, Some(b)).map(drop)
                },
            ));
        }
    }
    // Same family, other algorithm: an RS256 key cannot check a PS256 token.
    rows.push(row(
        "PS256 token against an RS256 key",
        Confusion,
        Some("algorithm_not_allowed"),
        || verify(&verifier(RS256), &signed_by(PS256)).map(drop),
    ));
    for alg in [HS256, HS384, HS512, PS256, ES256, EdDSA] {
        rows.push(row(
            format!("{alg} token against an RS256 verifier"),
            AllowedAlgorithms,
            Some("algorithm_not_allowed"),
            move || verify(&verifier(RS256), &signed_by(alg)).map(drop),
        ));
    }
}

fn allowed_rows() -> Vec<Row> {
    let rs_es = || KeySet::from(vec![key(RS256).verifying_key(), key(ES256).verifying_key()]);
    vec![
        row(
            "RS256 token, caller allows ES256 only",
            AllowedAlgorithms,
            Some("algorithm_not_allowed"),
            move || {
                let v = Verifier::new(rs_es(), val().algorithms(&[ES256])).unwrap();
                assert_eq!(v.algorithms(), &[ES256]);
                verify(&v, &signed_by(RS256)).map(drop)
            },
        ),
        // a list that fits no key is a configuration error
        row(
            "allowed algorithms that fit no key",
            AllowedAlgorithms,
            Some("invalid_argument"),
            move || Verifier::new(rs_es(), val().algorithms(&[HS256])).map(drop),
        ),
        // ---- a JWK's alg, use and key_ops ----
        row(
            "JWK use enc",
            AllowedAlgorithms,
            Some("key_usage_not_allowed"),
            || VerifyingKey::from_jwk(&es256_jwk_with("use", "enc".into()), None).map(drop),
        ),
        row(
            "JWK key_ops sign only",
            AllowedAlgorithms,
            Some("key_usage_not_allowed"),
            || VerifyingKey::from_jwk(&es256_jwk_with("key_ops", json!(["sign"])), None).map(drop),
        ),
        row(
            "JWK key_ops empty",
            AllowedAlgorithms,
            Some("key_usage_not_allowed"),
            || VerifyingKey::from_jwk(&es256_jwk_with("key_ops", json!([])), None).map(drop),
        ),
        row("JWK key_ops verify", AllowedAlgorithms, None, || {
            VerifyingKey::from_jwk(&es256_jwk_with("key_ops", json!(["verify"])), None).map(drop)
        }),
        row(
            "JWK alg of another curve",
            AllowedAlgorithms,
            Some("key_algorithm_mismatch"),
            || VerifyingKey::from_jwk(&es256_jwk_with("alg", "ES384".into()), None).map(drop),
        ),
        row(
            "JWK alg none",
            AllowedAlgorithms,
            Some("unsupported_algorithm"),
            || VerifyingKey::from_jwk(&es256_jwk_with("alg", "none".into()), None).map(drop),
        ),
        row(
            "ES256 JWK bound to ES384",
            AllowedAlgorithms,
            Some("key_algorithm_mismatch"),
            || {
                let base = key(ES256).verifying_key().to_jwk().unwrap();
                VerifyingKey::from_jwk(&base, Some(ES384)).map(drop)
            },
        ),
        // the private side: a JWK for verification only cannot sign
        row(
            "private JWK with key_ops verify used to sign",
            AllowedAlgorithms,
            Some("key_usage_not_allowed"),
            || {
                let private = key(ES256).to_private_jwk().unwrap();
                let mut m = private.as_map().clone();
                m.insert("key_ops".into(), json!(["verify"]));
                SigningKey::from_jwk(&Jwk::from_map(m).unwrap(), None).map(drop)
            },
        ),
        // JWK sets skip `use: enc` keys rather than using them
        row("JWKS skips use enc keys", AllowedAlgorithms, None, || {
            let set =
                json!({"keys": [es256_jwk_with("use", "enc".into()).as_map().clone()]}).to_string();
            assert!(KeySet::from_jwks_json(&set, &[])?.is_empty());
            Ok(())
        }),
    ]
}

fn ecdsa_rows(rows: &mut Vec<Row>) {
    for alg in [ES256, ES384, ES512, ES256K] {
        let t = signed_by(alg);
        let good = t.clone();
        rows.push(row(
            format!("{alg} good signature"),
            Ecdsa,
            None,
            move || verify(&verifier(alg), &good).map(drop),
        ));
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
            let forged = with_sig(&t, &s);
            rows.push(row(
                format!("{alg} signature {what}"),
                Ecdsa,
                Some("invalid_signature"),
                move || verify(&verifier(alg), &forged).map(drop),
            ));
            rows.push(row(
                format!("{alg} signature {what}, raw verify"),
                Ecdsa,
                Some("invalid_signature"),
                move || key(alg).verifying_key().verify(b"x", &s).map(drop),
            ));
        }
    }
}

fn weak_key_rows(rows: &mut Vec<Row>) {
    for alg in [HS256, HS384, HS512] {
        let min = alg.hmac_min_key_len().unwrap();
        let short = move || vec![7u8; min - 1];
        let short_jwk = move || {
            Jwk::from_json(
                json!({"kty": "oct", "k": b64_encode(short()), "alg": alg.as_str()}).to_string(),
            )
            .unwrap()
        };
        rows.extend([
            row(
                format!("{alg} short secret, signing"),
                HmacLength,
                Some("weak_key"),
                move || SigningKey::hmac(alg, &short()).map(drop),
            ),
            row(
                format!("{alg} short secret, verifying"),
                HmacLength,
                Some("weak_key"),
                move || VerifyingKey::hmac(alg, &short()).map(drop),
            ),
            row(
                format!("{alg} empty secret, signing"),
                HmacLength,
                Some("weak_key"),
                move || SigningKey::hmac(alg, b"").map(drop),
            ),
            row(
                format!("{alg} empty secret, verifying with opt-in"),
                HmacLength,
                Some("weak_key"),
                move || VerifyingKey::hmac_allow_short(alg, b"").map(drop),
            ),
            // opt-in: a legacy issuer's short secret verifies
            row(
                format!("{alg} short secret, verifying with opt-in"),
                HmacLength,
                None,
                move || VerifyingKey::hmac_allow_short(alg, &short()).map(drop),
            ),
            row(
                format!("{alg} minimum-length secret, signing"),
                HmacLength,
                None,
                move || SigningKey::hmac(alg, &vec![7u8; min]).map(drop),
            ),
            row(
                format!("{alg} short oct JWK, verifying"),
                HmacLength,
                Some("weak_key"),
                move || VerifyingKey::from_jwk(&short_jwk(), None).map(drop),
            ),
            row(
                format!("{alg} short oct JWK, signing"),
                HmacLength,
                Some("weak_key"),
                move || SigningKey::from_jwk(&short_jwk(), None).map(drop),
            ),
        ]);
    }
    // and the opt-in key really verifies a token signed with the short secret
    rows.push(row(
        "opt-in short HS256 key verifies",
        HmacLength,
        None,
        || {
            let short = vec![7u8; HS256.hmac_min_key_len().unwrap() - 1];
            let vk = VerifyingKey::hmac_allow_short(HS256, &short)?;
            let t = forge_hs256(&short, &header(HS256, None), &claims().to_string());
            let v = Verifier::new(vk, val()).unwrap();
            verify(&v, &t).map(drop)
        },
    ));
    // ---- RSA sizes ----
    for bits in [512, 1024, 2040] {
        for alg in [RS256, PS512] {
            let spki = move || rsa_spki(&fake_rsa_modulus(bits), &[1, 0, 1]);
            rows.extend([
                row(
                    format!("{bits}-bit RSA DER for {alg}"),
                    RsaSize,
                    Some("weak_key"),
                    move || VerifyingKey::from_der(alg, &spki()).map(drop),
                ),
                row(
                    format!("{bits}-bit RSA PEM for {alg}"),
                    RsaSize,
                    Some("weak_key"),
                    move || VerifyingKey::from_pem(alg, pem("PUBLIC KEY", &spki())).map(drop),
                ),
                row(
                    format!("{bits}-bit RSA JWK for {alg}"),
                    RsaSize,
                    Some("weak_key"),
                    move || {
                        let n = fake_rsa_modulus(bits);
                        let jwk = Jwk::from_json(
                            json!({"kty": "RSA", "n": b64_encode(&n), "e": "AQAB"}).to_string(),
                        )
                        .unwrap();
                        VerifyingKey::from_jwk(&jwk, Some(alg)).map(drop)
                    },
                ),
            ]);
        }
    }
    rows.extend([
        // 2048 passes the size check
        row("2048-bit RSA", RsaSize, None, || {
            assert_eq!(jwt_core::MIN_RSA_BITS, 2048);
            let spki = rsa_spki(&fake_rsa_modulus(2048), &[1, 0, 1]);
            VerifyingKey::from_der(RS256, &spki).map(drop)
        }),
        // a 2048-bit modulus with the ROCA fingerprint (CVE-2017-15361) is weak too
        row("ROCA modulus, DER", RsaSize, Some("weak_key"), || {
            let roca = common::roca_modulus();
            assert_eq!(roca.len(), 256);
            VerifyingKey::from_der(RS256, &rsa_spki(&roca, &[1, 0, 1])).map(drop)
        }),
        row("ROCA modulus, JWK", RsaSize, Some("weak_key"), || {
            let roca = common::roca_modulus();
            let jwk = Jwk::from_json(
                json!({"kty": "RSA", "n": b64_encode(&roca), "e": "AQAB"}).to_string(),
            )
            .unwrap();
            VerifyingKey::from_jwk(&jwk, Some(PS256)).map(drop)
        }),
        // and flipping its last bits (so it is no longer 1 mod 3) removes the fingerprint
        row(
            "ROCA modulus with its last bits flipped",
            RsaSize,
            None,
            || {
                let mut plain = common::roca_modulus();
                plain[255] ^= 0x06;
                VerifyingKey::from_der(RS256, &rsa_spki(&plain, &[1, 0, 1])).map(drop)
            },
        ),
    ]);
}

fn algorithm_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    alg_none_rows(&mut rows);
    confusion_rows(&mut rows);
    non_pem_spelling_rows(&mut rows);
    family_rows(&mut rows);
    rows.extend(allowed_rows());
    ecdsa_rows(&mut rows);
    weak_key_rows(&mut rows);
    rows
}

#[test]
fn algorithm_attacks() {
    run_table(&algorithm_rows());
}

/// Length of the raw public key at the end of an SPKI.
fn raw_len(alg: Algorithm, spki: &[u8]) -> usize {
    match alg.family() {
        jwt_core::KeyFamily::Ec(c) => 1 + 2 * c.coordinate_len(),
        jwt_core::KeyFamily::Ed25519 => 32,
        _ => spki.len() - 24, // RSA: skip the AlgorithmIdentifier and BIT STRING headers
    }
}

// =======================================================================================
// Header handling: one table row per attack, one loop
// =======================================================================================

const CRIT_X: &str =
    r#"{"alg":"HS256","crit":["http://example.invalid/x"],"http://example.invalid/x":1}"#;

/// The base claims signed with the HS256 test key under the raw header text `h`.
fn hs_header(h: &str) -> String {
    craft(key(HS256), h, &claims().to_string())
}

/// A verifier that declares `critical` understood.
fn critical(names: &[&str]) -> Verifier {
    Verifier::new(
        key(HS256).verifying_key(),
        val().critical(names.iter().copied()),
    )
    .unwrap()
}

/// A JWS with `b64: false` (RFC 7797) over a raw payload.
fn unencoded_jws() -> String {
    let mut h = Header::new(HS256);
    h.b64 = Some(false);
    sign::sign_compact(key(HS256), &h, b"raw payload").unwrap()
}

/// The parts of a good flattened JWS JSON over the base claims: (protected, payload,
/// signature).
fn flattened_parts() -> (Value, Value, Value) {
    let p = claims().to_string();
    let signed: Value = serde_json::from_str(
        &sign::sign_flattened(key(HS256), &Header::new(HS256), None, p.as_bytes()).unwrap(),
    )
    .unwrap();
    (
        signed["protected"].clone(),
        signed["payload"].clone(),
        signed["signature"].clone(),
    )
}

/// The good flattened JWS with `unprotected` as its unprotected header.
fn flattened_with(unprotected: &Value) -> String {
    let (protected, payload, sig) = flattened_parts();
    json!({"payload": payload, "protected": protected, "header": unprotected, "signature": sig})
        .to_string()
}

/// A keyset of three algorithms, each key with its own `kid`.
fn three_kid_verifier() -> Verifier {
    let keys = KeySet::from(vec![
        key(RS256).verifying_key().with_kid("rsa"),
        key(HS256).verifying_key().with_kid("mac"),
        key(ES256).verifying_key().with_kid("ec"),
    ]);
    Verifier::new(keys, val()).unwrap()
}

fn typ_verifier() -> Verifier {
    Verifier::new(key(HS256).verifying_key(), val().typ("at+jwt")).unwrap()
}

fn typ_token(typ: &str) -> String {
    hs_header(&format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#))
}

fn header_rows() -> Vec<Row> {
    let mut rows = vec![
        // ---- crit, b64 ----
        row(
            "crit extension not declared",
            Crit,
            Some("unsupported_critical_header"),
            || verify(&verifier(HS256), &hs_header(CRIT_X)).map(drop),
        ),
        row("crit extension declared", Crit, None, || {
            verify(&critical(&["http://example.invalid/x"]), &hs_header(CRIT_X)).map(drop)
        }),
        // b64:false only when declared
        row(
            "b64 false not declared",
            Crit,
            Some("unsupported_critical_header"),
            || verifier(HS256).verify_jws(&unencoded_jws()).map(drop),
        ),
        row("b64 false declared", Crit, None, || {
            let out = critical(&["b64"]).verify_jws(&unencoded_jws())?;
            assert_eq!(out.payload, b"raw payload");
            Ok(())
        }),
        // and never for a JWT
        row("b64 false in a JWT", Crit, Some("invalid_header"), || {
            critical(&["b64"])
                .verify_at::<Value>(&unencoded_jws(), NOW)
                .map(drop)
        }),
        // crit must be protected in the JSON serialization
        row(
            "crit unprotected in JWS JSON",
            Crit,
            Some("invalid_header"),
            || {
                let doc = json!({"payload": b64_encode("x"), "protected": b64_encode(r#"{"alg":"HS256"}"#), "header": {"crit": ["b64"]}, "signature": ""}).to_string();
                critical(&["b64"]).verify_json(&doc).map(drop)
            },
        ),
    ];
    for bad in [
        r#"{"alg":"HS256","crit":[]}"#,
        r#"{"alg":"HS256","crit":"b64"}"#,
        r#"{"alg":"HS256","crit":[1]}"#,
        r#"{"alg":"HS256","crit":[""]}"#,
        r#"{"alg":"HS256","crit":["x","x"],"x":1}"#,
        r#"{"alg":"HS256","crit":["alg"]}"#,
        r#"{"alg":"HS256","crit":["missing"]}"#,
    ] {
        rows.push(row(
            format!("malformed crit {bad}"),
            Crit,
            Some("unsupported_critical_header"),
            move || verify(&critical(&["http://example.invalid/x"]), &hs_header(bad)).map(drop),
        ));
    }
    // ---- JWS JSON: typ, cty, crit, b64 honoured only from the protected header ----
    // the signature is good: an innocent unprotected member verifies
    rows.push(row(
        "innocent unprotected member",
        ProtectedOnly,
        None,
        || {
            critical(&["b64"])
                .verify_json(&flattened_with(&json!({"note": "x"})))
                .map(drop)
        },
    ));
    for member in [
        json!({"typ": "JWT"}),
        json!({"typ": "at+jwt"}),
        json!({"cty": "JWT"}),
        json!({"crit": ["exp"], "exp": 1}),
        json!({"b64": true}),
    ] {
        let m = member.clone();
        rows.push(row(
            format!("{member} unprotected, flattened"),
            ProtectedOnly,
            Some("invalid_header"),
            move || {
                let r = critical(&["b64"]).verify_json(&flattened_with(&m));
                if let Err(e) = &r {
                    assert!(e.kind().is_token_error(), "{m}: {e}");
                }
                r.map(drop)
            },
        ));
        let m = member.clone();
        rows.push(row(
            format!("{member} unprotected, general"),
            ProtectedOnly,
            Some("invalid_header"),
            move || {
                let (protected, payload, sig) = flattened_parts();
                let general = json!({"payload": payload, "signatures": [
                    {"protected": protected, "header": m, "signature": sig}]});
                critical(&["b64"])
                    .verify_json(&general.to_string())
                    .map(drop)
            },
        ));
        rows.push(row(
            format!("{member} unprotected, refused by the signer"),
            ProtectedOnly,
            Some("invalid_argument"),
            move || {
                sign::sign_flattened(
                    key(HS256),
                    &Header::new(HS256),
                    Some(member.as_object().unwrap()),
                    claims().to_string().as_bytes(),
                )
                .map(drop)
            },
        ));
    }
    // from the protected header they are honoured as ever
    rows.push(row(
        "typ protected in JWS JSON",
        ProtectedOnly,
        None,
        || {
            let mut h = Header::new(HS256);
            h.typ = Some("JWT".into());
            let f = sign::sign_flattened(key(HS256), &h, None, claims().to_string().as_bytes())?;
            let out = critical(&["b64"]).verify_json(&f)?;
            assert_eq!(out.header.typ.as_deref(), Some("JWT"));
            Ok(())
        },
    ));
    // ---- embedded keys and key URLs ----
    // The attacker signs with its own key and embeds it (jwk), or points at it (jku,
    // x5u, x5c). The verifier only ever uses its own key.
    let attacker_jwk = other_key(ES256).verifying_key().to_jwk().unwrap().to_json();
    for member in [
        format!(r#""jwk":{attacker_jwk}"#),
        r#""jku":"https://attacker.invalid/jwks""#.to_owned(),
        r#""x5u":"https://attacker.invalid/c.pem""#.to_owned(),
        r#""x5c":["MIIB"]"#.to_owned(),
        r#""x5t#S256":"abc""#.to_owned(),
    ] {
        let t = craft(
            other_key(ES256),
            &format!(r#"{{"alg":"ES256",{member}}}"#),
            &claims().to_string(),
        );
        let t2 = t.clone();
        rows.push(row(
            format!("attacker's {member}"),
            EmbeddedKeys,
            Some("invalid_signature"),
            move || verify(&verifier(ES256), &t).map(drop),
        ));
        // the same through the JSON serialization
        rows.push(row(
            format!("attacker's {member}, JWS JSON"),
            EmbeddedKeys,
            Some("invalid_signature"),
            move || {
                let (h, pl, s) = parts(&t2);
                let doc = format!(r#"{{"payload":"{pl}","protected":"{h}","signature":"{s}"}}"#);
                verifier(ES256).verify_json(&doc).map(drop)
            },
        ));
    }
    // An HMAC verifier: an embedded oct jwk holding the attacker's secret.
    rows.push(row(
        "embedded oct jwk with the attacker's secret",
        EmbeddedKeys,
        Some("invalid_signature"),
        || {
            let secret = [9u8; 32];
            let h = format!(
                r#"{{"alg":"HS256","jwk":{{"kty":"oct","k":"{}"}}}}"#,
                b64_encode(secret)
            );
            let t = forge_hs256(&secret, &h, &claims().to_string());
            verify(&verifier(HS256), &t).map(drop)
        },
    ));
    // ---- kid ----
    rows.extend([
        // HS256 token whose kid names the RSA key: refused before any HMAC is computed
        row(
            "HS256 kid naming the RSA key, PEM as secret",
            Kid,
            Some("algorithm_not_allowed"),
            || {
                let t = forge_hs256(
                    key(RS256).public_key_pem().unwrap().as_bytes(),
                    r#"{"alg":"HS256","kid":"rsa"}"#,
                    &claims().to_string(),
                );
                verify(&three_kid_verifier(), &t).map(drop)
            },
        ),
        row(
            "HS256 kid naming the EC key",
            Kid,
            Some("algorithm_not_allowed"),
            || {
                verify(
                    &three_kid_verifier(),
                    &hs_header(r#"{"alg":"HS256","kid":"ec"}"#),
                )
                .map(drop)
            },
        ),
        row("unknown kid", Kid, Some("key_not_found"), || {
            verify(
                &three_kid_verifier(),
                &hs_header(r#"{"alg":"HS256","kid":"unknown"}"#),
            )
            .map(drop)
        }),
        row("kid naming the HMAC key", Kid, None, || {
            verify(
                &three_kid_verifier(),
                &hs_header(r#"{"alg":"HS256","kid":"mac"}"#),
            )
            .map(drop)
        }),
        // kid is data, never a path or a query
        row("kid as a path", Kid, Some("key_not_found"), || {
            verify(
                &three_kid_verifier(),
                &hs_header(r#"{"alg":"HS256","kid":"../../dev/null"}"#),
            )
            .map(drop)
        }),
        // Without kid the candidates are bounded by max_key_candidates.
        row(
            "the real key beyond the candidate bound",
            Kid,
            Some("invalid_signature"),
            || {
                let mut keys: Vec<VerifyingKey> = (0..20)
                    .map(|i| VerifyingKey::hmac(HS256, &[i as u8 + 1; 32]).unwrap())
                    .collect();
                keys.push(key(HS256).verifying_key());
                let limits = Limits {
                    max_key_candidates: 3,
                    ..Limits::default()
                };
                let v = Verifier::new(keys, val().limits(limits)).unwrap();
                verify(&v, &hs_header(&header(HS256, None))).map(drop)
            },
        ),
    ]);
    // ---- typ ----
    for ok in [
        "at+jwt",
        "AT+JWT",
        "At+Jwt",
        "application/at+jwt",
        "APPLICATION/AT+JWT",
    ] {
        rows.push(row(format!("typ {ok}"), Typ, None, move || {
            verify(&typ_verifier(), &typ_token(ok)).map(drop)
        }));
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
        rows.push(row(
            format!("typ {bad:?} where at+jwt is required"),
            Typ,
            Some("invalid_type"),
            move || verify(&typ_verifier(), &typ_token(bad)).map(drop),
        ));
    }
    // multi-byte characters around the `application/` prefix length never panic
    for odd in [
        "abcdefghijk\u{e9}x",
        "ab\u{20ac}\u{20ac}\u{20ac}\u{20ac}",
        "applicatio\u{e9}/at+jwt",
        "\u{1f600}\u{1f600}\u{1f600}\u{1f600}",
    ] {
        rows.push(row(
            format!("multi-byte typ {odd:?}"),
            Typ,
            Some("invalid_type"),
            move || verify(&typ_verifier(), &typ_token(odd)).map(drop),
        ));
    }
    rows.extend([
        row(
            "typ missing where required",
            Typ,
            Some("invalid_type"),
            || verify(&typ_verifier(), &hs_header(r#"{"alg":"HS256"}"#)).map(drop),
        ),
        row("typ not a string", Typ, Some("invalid_header"), || {
            verify(
                &typ_verifier(),
                &hs_header(r#"{"alg":"HS256","typ":["at+jwt"]}"#),
            )
            .map(drop)
        }),
    ]);
    rows
}

#[test]
fn header_attacks() {
    run_table(&header_rows());
}

// =======================================================================================
// Parsing: one table row per attack, one loop
// =======================================================================================

/// A good HS256 token over the base claims, and its three segments.
fn good_token() -> (String, String, String, String) {
    let t = Signer::new(key(HS256).clone())
        .unwrap()
        .sign(&claims())
        .unwrap();
    let (h, p, s) = parts(&t);
    let (h, p, s) = (h.to_owned(), p.to_owned(), s.to_owned());
    (t, h, p, s)
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A verifier that requires no claim and checks no audience: only the types of the
/// registered claims present are checked.
fn types_only() -> Verifier {
    Verifier::new(
        key(HS256).verifying_key(),
        Validation::new()
            .required_claims::<_, &str>([])
            .insecure_skip_audience(),
    )
    .unwrap()
}

fn deep(n: usize) -> String {
    format!("{}1{}", "[".repeat(n), "]".repeat(n))
}

fn parsing_rows() -> Vec<Row> {
    let mut rows = vec![row("a good token", Segments, None, || {
        verify(&verifier(HS256), &good_token().0).map(drop)
    })];
    let (t, h, p, s) = good_token();
    let malformed = [
        ("empty", String::new()),
        ("one dot", ".".into()),
        ("two dots", "..".into()),
        ("three dots", "...".into()),
        ("two segments", format!("{h}.{p}")),
        ("trailing dot", format!("{h}.{p}.{s}.")),
        ("four segments", format!("{h}.{p}.{s}.{s}")),
        ("five segments", format!("{h}.{p}.{s}.{s}.{s}")),
        ("padded header", format!("{h}=.{p}.{s}")),
        ("padded payload", format!("{h}.{p}=.{s}")),
        ("padded signature", format!("{h}.{p}.{s}=")),
        ("double-padded signature", format!("{h}.{p}.{s}==")),
        ("+ in the header", format!("+{}.{p}.{s}", &h[1..])),
        ("/ in the payload", format!("{h}./{}.{s}", &p[1..])),
        ("+ in the signature", format!("{h}.{p}.+{}", &s[1..])),
        ("leading space", format!(" {t}")),
        ("trailing space", format!("{t} ")),
        ("trailing newline", format!("{t}\n")),
        (
            "newline in the payload",
            format!("{h}.{}\n{}.{s}", &p[..4], &p[4..]),
        ),
        (
            "tab in the payload",
            format!("{h}.{}\t{}.{s}", &p[..4], &p[4..]),
        ),
        // Truncated to a length of 1 mod 4, which no base64url string has. (Cutting one
        // character is not always malformed: 1 time in 16 the shorter string decodes.)
        (
            "signature of length 1 mod 4",
            format!("{h}.{p}.{}", &s[..(s.len() - 2) / 4 * 4 + 1]),
        ),
        ("NUL in the header", format!("{h}\u{0}.{p}.{s}")),
        (
            "non-ASCII after the signature",
            format!("{h}.{p}.{s}\u{e9}"),
        ),
    ];
    for (name, bad) in malformed {
        rows.push(row(
            format!("segments: {name}"),
            Segments,
            Some("malformed_token"),
            move || verify(&verifier(HS256), &bad).map(drop),
        ));
    }
    // Non-canonical trailing bits: a 32-byte tag has 2 unused bits in its last char.
    let last = *s.as_bytes().last().unwrap();
    let idx = B64URL.iter().position(|c| *c == last).unwrap();
    for flip in 1..4 {
        let mut nc = s.as_bytes().to_vec();
        *nc.last_mut().unwrap() = B64URL[idx ^ flip];
        let nc = String::from_utf8(nc).unwrap();
        let bad = format!("{h}.{p}.{nc}");
        rows.push(row(
            format!("non-canonical signature bits, flip {flip}"),
            Segments,
            Some("malformed_token"),
            move || verify(&verifier(HS256), &bad).map(drop),
        ));
    }
    // ... and in the header/payload segments (1 or 2 trailing chars)
    let payload = p.clone();
    rows.push(row(
        "non-canonical header bits",
        Segments,
        Some("malformed_token"),
        move || {
            let h16 = r#"{"alg":"HS256"} "#; // 16 bytes -> 22 chars, 4 spare bits
            let enc = b64_encode(h16);
            let mut nc = enc.clone().into_bytes();
            let li = nc.len() - 1;
            let pos = B64URL.iter().position(|c| *c == nc[li]).unwrap();
            nc[li] = B64URL[pos | 1];
            let nc = String::from_utf8(nc).unwrap();
            assert_ne!(nc, enc);
            verify(&verifier(HS256), &craft_raw(key(HS256), &nc, &payload)).map(drop)
        },
    ));
    // ---- JSON objects, UTF-8, duplicates ----
    let p = claims().to_string().into_bytes();
    let h = header(HS256, None).into_bytes();
    let exp9 = NOW + 9;
    let objects: Vec<(&str, Vec<u8>, Vec<u8>, &'static str)> = vec![
        (
            "header an array",
            br#"["HS256"]"#.to_vec(),
            p.clone(),
            "malformed_token",
        ),
        (
            "header null",
            b"null".to_vec(),
            p.clone(),
            "malformed_token",
        ),
        (
            "header invalid UTF-8",
            b"{\"alg\":\"HS256\",\"x\":\"\xff\"}".to_vec(),
            p.clone(),
            "malformed_token",
        ),
        (
            "header unterminated",
            b"{\"alg\":\"HS256\"".to_vec(),
            p.clone(),
            "malformed_token",
        ),
        (
            "header trailing object",
            b"{\"alg\":\"HS256\"}{}".to_vec(),
            p.clone(),
            "malformed_token",
        ),
        (
            "payload an array",
            h.clone(),
            b"[]".to_vec(),
            "malformed_token",
        ),
        (
            "payload a string",
            h.clone(),
            b"\"exp\"".to_vec(),
            "malformed_token",
        ),
        (
            "payload invalid UTF-8",
            h.clone(),
            b"{\"exp\":1,\"x\":\"\xc3\x28\"}".to_vec(),
            "malformed_token",
        ),
        (
            "payload trailing garbage",
            h.clone(),
            b"{\"exp\":1}garbage".to_vec(),
            "malformed_token",
        ),
        ("payload empty", h.clone(), b"".to_vec(), "malformed_token"),
        (
            "duplicate alg",
            br#"{"alg":"HS256","alg":"none"}"#.to_vec(),
            p.clone(),
            "duplicate_member",
        ),
        (
            "duplicate kid",
            br#"{"alg":"HS256","kid":"a","kid":"b"}"#.to_vec(),
            p.clone(),
            "duplicate_member",
        ),
        (
            "duplicate nested in the header",
            br#"{"alg":"HS256","x":[{"a":1,"a":1}]}"#.to_vec(),
            p.clone(),
            "duplicate_member",
        ),
        (
            "duplicate alg spelled with an escape",
            br#"{"alg":"HS256","\u0061lg":"HS256"}"#.to_vec(),
            p.clone(),
            "duplicate_member",
        ),
        (
            "duplicate exp",
            h.clone(),
            format!(r#"{{"exp":{exp9},"exp":{exp9}}}"#).into_bytes(),
            "duplicate_member",
        ),
        (
            "duplicate iss",
            h.clone(),
            format!(r#"{{"exp":{exp9},"iss":"iss","aud":"aud","iss":"evil"}}"#).into_bytes(),
            "duplicate_member",
        ),
        (
            "duplicate nested in the payload",
            h.clone(),
            format!(r#"{{"exp":{exp9},"x":{{"y":{{"z":1,"z":2}}}}}}"#).into_bytes(),
            "duplicate_member",
        ),
        (
            "kid a number",
            br#"{"alg":"HS256","kid":1}"#.to_vec(),
            p.clone(),
            "invalid_header",
        ),
        (
            "alg null",
            br#"{"alg":null}"#.to_vec(),
            p.clone(),
            "invalid_header",
        ),
        (
            "alg missing",
            br#"{"typ":"JWT"}"#.to_vec(),
            p.clone(),
            "invalid_header",
        ),
        (
            "cty an object",
            br#"{"alg":"HS256","cty":{}}"#.to_vec(),
            p.clone(),
            "invalid_header",
        ),
    ];
    for (name, hb, pb, want) in objects {
        rows.push(row(
            format!("json: {name}"),
            JsonObjects,
            Some(want),
            move || {
                let t = craft_raw(key(HS256), &b64_encode(&hb), &b64_encode(&pb));
                verify(&verifier(HS256), &t).map(drop)
            },
        ));
    }
    // ---- depth and size limits, checked before work ----
    rows.extend([
        row("deep header", JsonObjects, Some("malformed_token"), || {
            let t = craft(
                key(HS256),
                &format!(r#"{{"alg":"HS256","x":{}}}"#, deep(40)),
                &claims().to_string(),
            );
            verify(&verifier(HS256), &t).map(drop)
        }),
        row("deep payload", JsonObjects, Some("malformed_token"), || {
            let t = craft(
                key(HS256),
                &header(HS256, None),
                &format!(r#"{{"exp":{},"x":{}}}"#, NOW + 9, deep(40)),
            );
            verify(&verifier(HS256), &t).map(drop)
        }),
        row("moderate nesting is fine", JsonObjects, None, || {
            let t = craft(
                key(HS256),
                &header(HS256, None),
                &format!(r#"{{"exp":{},"x":{}}}"#, NOW + 9, deep(10)),
            );
            let plain = Verifier::new(key(HS256).verifying_key(), Validation::new()).unwrap();
            verify(&plain, &t).map(drop)
        }),
        // very deep input does not overflow the stack
        row(
            "very deep payload",
            JsonObjects,
            Some("malformed_token"),
            || {
                let t = craft(
                    key(HS256),
                    &header(HS256, None),
                    &format!(r#"{{"x":{}}}"#, deep(100_000)),
                );
                verify(&verifier(HS256), &t).map(drop)
            },
        ),
        // header over 8 KiB: refused before decoding (even with a bogus signature)
        row(
            "header over 8 KiB",
            JsonObjects,
            Some("input_too_large"),
            || {
                let big = b64_encode(format!(r#"{{"alg":"HS256","p":"{}"}}"#, "a".repeat(9000)));
                verify(&verifier(HS256), &format!("{big}.e30.AAAA")).map(drop)
            },
        ),
        // token over 1 MiB: refused before anything, even if the rest is junk
        row(
            "token over 1 MiB, JWT",
            JsonObjects,
            Some("input_too_large"),
            || verify(&verifier(HS256), &"a".repeat(1024 * 1024 + 1)).map(drop),
        ),
        row(
            "token over 1 MiB, JWS",
            JsonObjects,
            Some("input_too_large"),
            || {
                verifier(HS256)
                    .verify_jws(&"a".repeat(1024 * 1024 + 1))
                    .map(drop)
            },
        ),
        row(
            "token over 1 MiB, JWS JSON",
            JsonObjects,
            Some("input_too_large"),
            || {
                verifier(HS256)
                    .verify_json(&"a".repeat(1024 * 1024 + 1))
                    .map(drop)
            },
        ),
        row(
            "token over 1 MiB, unverified decode",
            JsonObjects,
            Some("input_too_large"),
            || jwt_core::unverified::decode(&"a".repeat(1024 * 1024 + 1)).map(drop),
        ),
        // a configurable, smaller limit
        row(
            "token over a configured 100 bytes",
            JsonObjects,
            Some("input_too_large"),
            || {
                let small = Limits {
                    max_token_bytes: 100,
                    ..Limits::default()
                };
                let vs = Verifier::new(key(HS256).verifying_key(), val().limits(small)).unwrap();
                let t = Signer::new(key(HS256).clone())
                    .unwrap()
                    .sign(&claims())
                    .unwrap();
                assert!(t.len() > 100);
                verify(&vs, &t).map(drop)
            },
        ),
        // JWK sets are bounded too
        row(
            "JWKS of 300 keys",
            JsonObjects,
            Some("input_too_large"),
            || {
                let keys: Vec<Value> = (0..300)
                    .map(|i| json!({"kty": "oct", "k": b64_encode([i as u8; 32]), "alg": "HS256"}))
                    .collect();
                KeySet::from_jwks_json(json!({"keys": keys}).to_string(), &[]).map(drop)
            },
        ),
        row(
            "JWK text over the JWKS limit",
            JsonObjects,
            Some("input_too_large"),
            || Jwk::from_json(" ".repeat(jwt_core::MAX_JWKS_BYTES + 1)).map(drop),
        ),
    ]);
    // ---- registered claims have registered types ----
    let bad_types = [
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
    for c in bad_types {
        rows.push(row(
            format!("claim types: {c}"),
            ClaimTypes,
            Some("invalid_claim"),
            move || {
                let t = craft(key(HS256), &header(HS256, None), &c.to_string());
                verify(&types_only(), &t).map(drop)
            },
        ));
    }
    rows.extend([
        // numbers JSON cannot carry (1e400 overflows f64): malformed, never accepted
        row_any(
            "exp 1e400, beyond f64",
            ClaimTypes,
            &["malformed_token", "invalid_claim"],
            || {
                let t = craft(key(HS256), &header(HS256, None), r#"{"exp":1e400}"#);
                verify(&types_only(), &t).map(drop)
            },
        ),
        // a string exp is an error even when exp checks are off
        row(
            "string exp with exp checks off",
            ClaimTypes,
            Some("invalid_claim"),
            || {
                let loose = Verifier::new(
                    key(HS256).verifying_key(),
                    Validation::new()
                        .required_claims::<_, &str>([])
                        .validate_exp(false),
                )
                .unwrap();
                let t = craft(key(HS256), &header(HS256, None), r#"{"exp":"soon"}"#);
                verify(&loose, &t).map(drop)
            },
        ),
    ]);
    rows
}

#[test]
fn parsing_attacks() {
    run_table(&parsing_rows());
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

fn hs_header_b64() -> String {
    b64_encode(header(HS256, None))
}

fn claim_rows() -> Vec<Row> {
    vec![
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
                let t = format!("{}.{p}.{}", hs_header_b64(), b64_encode([0u8; 32]));
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
                    hs_header_b64(),
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
                let t = format!("{}.e30=.{}", hs_header_b64(), b64_encode([0u8; 32]));
                verify(&verifier(HS256), &t).map(drop)
            },
        ),
    ]
}

#[test]
fn claim_attacks() {
    run_table(&claim_rows());
}

/// Every attack class of `SECURITY.md` (JWS sections) has at least one row.
#[test]
fn every_security_class_has_a_row() {
    let rows: Vec<Row> = [
        algorithm_rows(),
        header_rows(),
        parsing_rows(),
        claim_rows(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for &class in Class::ALL {
        assert!(
            rows.iter().any(|r| r.class == class),
            "no row for {class:?}"
        );
    }
    println!("attacks: {} rows", rows.len());
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
