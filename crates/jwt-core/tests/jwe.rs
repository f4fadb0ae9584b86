//! JWE behaviour: every algorithm pair round-trips, the JSON serializations and nested
//! JWTs work, and every bad input named in SECURITY.md (JWE part) gives its typed error.

use jwt_core::jwe::{
    self, ContentEncryption as Enc, DecryptOptions, Decrypted, Decrypter, DecryptionKey, EcdhCurve,
    Encrypter, EncryptionKey, JsonOptions, JweHeader, JweLimits, KeyAlgorithm as Alg,
};
use jwt_core::{
    Algorithm, Claims, Error, Jwk, Signer, SigningKey, Validation, Verifier, b64_decode, b64_encode,
};
use serde_json::{Value, json};

const CURVES: [EcdhCurve; 4] = [
    EcdhCurve::P256,
    EcdhCurve::P384,
    EcdhCurve::P521,
    EcdhCurve::X25519,
];
const ECDH_ALGS: [Alg; 4] = [
    Alg::EcdhEs,
    Alg::EcdhEsA128KW,
    Alg::EcdhEsA192KW,
    Alg::EcdhEsA256KW,
];
const SYM_ALGS: [Alg; 6] = [
    Alg::A128KW,
    Alg::A192KW,
    Alg::A256KW,
    Alg::A128GCMKW,
    Alg::A192GCMKW,
    Alg::A256GCMKW,
];

fn decrypter(key: DecryptionKey) -> Decrypter {
    Decrypter::new([key], DecryptOptions::new()).unwrap()
}

fn round_trip(key: &DecryptionKey, enc: Enc) -> Decrypted {
    let msg = format!("hello {} {}", key.algorithm(), enc);
    let token = Encrypter::new(key.encryption_key(), enc)
        .unwrap()
        .encrypt(msg.as_bytes())
        .unwrap();
    assert_eq!(token.split('.').count(), 5);
    let out = decrypter(key.clone()).decrypt(&token).unwrap();
    assert_eq!(out.plaintext, msg.as_bytes(), "{} {enc}", key.algorithm());
    assert_eq!(out.header.enc, enc);
    out
}

/// Replace the protected header of a compact JWE (the tag no longer matches, but the
/// checks under test run before the tag).
fn with_header(token: &str, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let (h, rest) = token.split_once('.').unwrap();
    let mut m: serde_json::Map<String, Value> =
        serde_json::from_slice(&b64_decode(h).unwrap()).unwrap();
    f(&mut m);
    format!("{}.{rest}", b64_encode(Value::Object(m).to_string()))
}

fn code(r: Result<Decrypted, Error>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn symmetric_algorithms_round_trip_with_every_enc() {
    for alg in SYM_ALGS {
        let key = DecryptionKey::generate(alg).unwrap();
        for enc in Enc::ALL {
            let out = round_trip(&key, enc);
            assert_eq!(out.header.alg, alg);
            if alg == Alg::A128GCMKW {
                assert!(
                    out.header.extra.contains_key("iv") && out.header.extra.contains_key("tag")
                );
            }
        }
    }
}

#[test]
fn dir_round_trips_with_every_enc() {
    for enc in Enc::ALL {
        let key = DecryptionKey::generate_dir(enc).unwrap();
        let out = round_trip(&key, enc);
        assert_eq!(out.header.alg, Alg::Dir);
    }
}

#[test]
fn ecdh_round_trips_on_every_curve() {
    for curve in CURVES {
        for alg in ECDH_ALGS {
            let key = DecryptionKey::generate_ecdh(alg, curve).unwrap();
            for enc in [Enc::A256GCM, Enc::A192GCM, Enc::A256CbcHs512] {
                let out = round_trip(&key, enc);
                let epk = out.header.extra["epk"].as_object().unwrap();
                assert_eq!(epk["crv"], curve.jwk_name());
                assert!(!epk.contains_key("d"));
            }
        }
    }
}

#[test]
fn ecdh_public_jwk_round_trip_and_private_jwk_import() {
    for curve in CURVES {
        let key = DecryptionKey::generate_ecdh(Alg::EcdhEsA128KW, curve)
            .unwrap()
            .with_kid("k1");
        let public = key.to_public_jwk().unwrap();
        assert!(!public.is_private());
        assert_eq!(public.str("use"), Some("enc"));
        let sender = EncryptionKey::from_jwk(&public, None).unwrap();
        let token = Encrypter::new(sender, Enc::A128GCM)
            .unwrap()
            .encrypt(b"x")
            .unwrap();
        let private = key.to_private_jwk().unwrap();
        let again = DecryptionKey::from_jwk(&private, None).unwrap();
        assert_eq!(
            decrypter(again)
                .decrypt(&token)
                .unwrap()
                .header
                .kid
                .as_deref(),
            Some("k1")
        );
        // Private JWK whose public part is someone else's: refused.
        let mut bad = private.clone();
        let other = DecryptionKey::generate_ecdh(Alg::EcdhEsA128KW, curve)
            .unwrap()
            .to_public_jwk()
            .unwrap();
        bad.set("x", other.str("x").unwrap());
        assert_eq!(
            DecryptionKey::from_jwk(&bad, None).unwrap_err().code(),
            "invalid_key"
        );
    }
}

/// `DecryptionKey::generate_for` is the one generation entry point of every binding: each
/// key management algorithm gets a key a sender can encrypt to through `sender_jwk`.
#[test]
fn generate_for_every_algorithm_and_sender_jwk() {
    for &alg in Alg::ALL {
        let enc = Enc::A256GCM;
        if alg.is_pbes2() {
            let e = DecryptionKey::generate_for(alg, Some(enc), None).unwrap_err();
            assert_eq!(e.code(), "invalid_argument", "{alg}");
            continue;
        }
        if alg == Alg::Dir {
            let e = DecryptionKey::generate_for(alg, None, None).unwrap_err();
            assert_eq!(e.code(), "invalid_argument", "dir without enc");
        }
        let key = DecryptionKey::generate_for(alg, Some(enc), None).unwrap();
        assert_eq!(key.algorithm(), alg);
        assert_eq!(key.content_encryption(), Some(enc), "{alg}");
        let shared = key.sender_jwk().unwrap();
        let private = key.to_private_jwk().unwrap();
        match alg.key_kind() {
            jwe::KeyKind::Symmetric => assert_eq!(shared.to_json(), private.to_json(), "{alg}"),
            kind => {
                assert!(
                    !shared.as_map().contains_key("d"),
                    "{alg}: no private member"
                );
                assert_eq!(shared.to_json(), key.to_public_jwk().unwrap().to_json());
                if kind == jwe::KeyKind::Ecdh {
                    assert_eq!(key.curve(), Some(EcdhCurve::P256), "{alg}: default curve");
                }
            }
        }
        let to = EncryptionKey::from_jwk(&shared, None).unwrap();
        let token = Encrypter::new(to, enc).unwrap().encrypt(b"gen").unwrap();
        assert_eq!(
            decrypter(key).decrypt(&token).unwrap().plaintext,
            b"gen",
            "{alg}"
        );
    }
    for curve in CURVES {
        let key = DecryptionKey::generate_for(Alg::EcdhEsA128KW, None, Some(curve)).unwrap();
        assert_eq!(key.curve(), Some(curve));
        assert_eq!(key.content_encryption(), None);
        assert_eq!(curve.jwk_name().parse::<EcdhCurve>().unwrap(), curve);
    }
    for bad in ["p-256", "P256", "secp256k1", "X448", ""] {
        assert_eq!(
            bad.parse::<EcdhCurve>().unwrap_err().code(),
            "invalid_argument",
            "{bad}"
        );
    }
}

#[test]
fn pbes2_round_trip_only_when_enabled() {
    let dkey =
        DecryptionKey::password(Alg::Pbes2Hs256A128KW, b"correct horse battery staple").unwrap();
    let ekey =
        EncryptionKey::password(Alg::Pbes2Hs256A128KW, b"correct horse battery staple", 1000)
            .unwrap();
    let token = Encrypter::new(ekey, Enc::A128GCM)
        .unwrap()
        .encrypt(b"pw")
        .unwrap();
    let d = Decrypter::new([dkey.clone()], DecryptOptions::new().allow_pbes2(1000)).unwrap();
    assert_eq!(d.decrypt(&token).unwrap().plaintext, b"pw");
    // A decrypter with another key but PBES2 not enabled refuses the algorithm.
    let other = DecryptionKey::generate(Alg::A128KW).unwrap();
    let d = Decrypter::new([other, dkey], DecryptOptions::new()).unwrap();
    assert_eq!(code(d.decrypt(&token)), "algorithm_not_allowed");
    // Too few iterations when encrypting.
    let e = EncryptionKey::password(Alg::Pbes2Hs256A128KW, b"pw", 999).unwrap_err();
    assert_eq!(e.code(), "weak_key");
    // A hostile p2c is refused before any derivation.
    let d = Decrypter::new(
        [
            DecryptionKey::password(Alg::Pbes2Hs256A128KW, b"correct horse battery staple")
                .unwrap(),
        ],
        DecryptOptions::new().allow_pbes2(1000),
    )
    .unwrap();
    let evil = with_header(&token, |h| {
        h.insert("p2c".into(), json!(2_147_483_647u64));
    });
    assert_eq!(code(d.decrypt(&evil)), "input_too_large");
    for bad in [json!(0), json!(-1), json!("1000"), json!(1.5)] {
        let t = with_header(&token, |h| {
            h.insert("p2c".into(), bad.clone());
        });
        assert_eq!(code(d.decrypt(&t)), "invalid_header", "{bad}");
    }
}

#[test]
fn zip_def_round_trip_and_decompression_cap() {
    let key = DecryptionKey::generate(Alg::A256KW).unwrap();
    let mut header = JweHeader::new(Alg::A256KW, Enc::A256GCM);
    header.zip = true;
    let big = vec![b'z'; 2 * 1024 * 1024];
    let token = Encrypter::with_header(key.encryption_key(), header)
        .unwrap()
        .encrypt(&big)
        .unwrap();
    assert!(token.len() < 20_000, "compressed: {}", token.len());
    // Default cap is 1 MiB: a 2 MiB plaintext is refused.
    let e = decrypter(key.clone()).decrypt(&token).unwrap_err();
    assert_eq!(e.code(), "input_too_large");
    let limits = JweLimits {
        max_plaintext_bytes: 4 * 1024 * 1024,
        ..JweLimits::default()
    };
    let d = Decrypter::new([key], DecryptOptions::new().limits(limits)).unwrap();
    let out = d.decrypt(&token).unwrap();
    assert!(out.header.zip);
    assert_eq!(out.plaintext, big);
}

#[test]
fn nested_jwt_sign_then_encrypt() {
    let signing = SigningKey::generate(Algorithm::ES256).unwrap();
    let enc_key = DecryptionKey::generate_ecdh(Alg::EcdhEsA256KW, EcdhCurve::X25519).unwrap();
    let now = jwt_core::now();
    let claims = Claims::empty()
        .subject("alice")
        .issued_at(now)
        .expires_at(now + 60);
    let token = Encrypter::new(enc_key.encryption_key(), Enc::A256GCM)
        .unwrap()
        .encrypt_signed(&Signer::new(signing.clone()).unwrap(), &claims)
        .unwrap();
    let d = decrypter(enc_key.clone());
    assert_eq!(
        d.decrypt(&token).unwrap().header.cty.as_deref(),
        Some("JWT")
    );
    let verifier = Verifier::new(signing.verifying_key(), Validation::new()).unwrap();
    let data = d.decrypt_jwt::<Value>(&token, &verifier).unwrap();
    assert_eq!(data.registered.sub.as_deref(), Some("alice"));
    // The inner token's claims are checked: expired.
    let e = d
        .decrypt_jwt_at::<Value>(&token, &verifier, now + 3600)
        .unwrap_err();
    assert_eq!(e.code(), "token_expired");
    // Another signer: the signature fails inside.
    let other = Verifier::new(
        SigningKey::generate(Algorithm::ES256)
            .unwrap()
            .verifying_key(),
        Validation::new(),
    )
    .unwrap();
    assert_eq!(
        d.decrypt_jwt::<Value>(&token, &other).unwrap_err().code(),
        "invalid_signature"
    );
    // Without `cty: JWT` it is not a nested JWT.
    let plain = Encrypter::new(enc_key.encryption_key(), Enc::A256GCM)
        .unwrap()
        .encrypt(
            Signer::new(signing)
                .unwrap()
                .sign(&claims)
                .unwrap()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(
        d.decrypt_jwt::<Value>(&plain, &verifier)
            .unwrap_err()
            .code(),
        "invalid_header"
    );
}

#[test]
fn encrypted_claims_round_trip() {
    let key = DecryptionKey::generate_dir(Enc::A128CbcHs256).unwrap();
    let token = Encrypter::new(key.encryption_key(), Enc::A128CbcHs256)
        .unwrap()
        .encrypt_claims(&json!({"role": "admin"}))
        .unwrap();
    let (h, claims): (JweHeader, Value) = decrypter(key.clone()).decrypt_claims(&token).unwrap();
    assert_eq!(claims["role"], "admin");
    assert_eq!(h.alg, Alg::Dir);
    let e = Encrypter::new(key.encryption_key(), Enc::A128CbcHs256)
        .unwrap()
        .encrypt_claims(&json!([1]))
        .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn json_flattened_and_general() {
    let a = DecryptionKey::generate(Alg::A128KW).unwrap().with_kid("a");
    let b = DecryptionKey::generate_ecdh(Alg::EcdhEsA256KW, EcdhCurve::P521)
        .unwrap()
        .with_kid("b");
    let c = DecryptionKey::generate(Alg::A256GCMKW)
        .unwrap()
        .with_kid("c");
    let mut protected = serde_json::Map::new();
    protected.insert("cty".into(), "text/plain".into());
    let mut unprotected = serde_json::Map::new();
    unprotected.insert("x-note".into(), "hi".into());
    let opts = JsonOptions {
        protected,
        unprotected: Some(unprotected),
        zip: true,
        aad: Some(b"extra authenticated".to_vec()),
    };
    let keys = [a.encryption_key(), b.encryption_key(), c.encryption_key()];
    let doc = jwe::encrypt_general(
        &keys.iter().collect::<Vec<_>>(),
        Enc::A128CbcHs256,
        &opts,
        b"to three",
    )
    .unwrap();
    for k in [&a, &b, &c] {
        let out = decrypter(k.clone()).decrypt_json(&doc).unwrap();
        assert_eq!(out.plaintext, b"to three");
        assert_eq!(out.header.kid.as_deref(), k.kid());
        assert_eq!(out.header.cty.as_deref(), Some("text/plain"));
        assert_eq!(out.aad.as_deref(), Some(&b"extra authenticated"[..]));
        assert_eq!(out.header.extra["x-note"], "hi");
    }
    // The aad is authenticated.
    let mut v: Value = serde_json::from_str(&doc).unwrap();
    v["aad"] = b64_encode(b"other").into();
    assert_eq!(
        code(decrypter(a.clone()).decrypt_json(&v.to_string())),
        "decryption_failed"
    );
    // A stranger's key: the recipient list has no key for it.
    let stranger = DecryptionKey::generate(Alg::A192KW).unwrap();
    assert_eq!(
        code(decrypter(stranger).decrypt_json(&doc)),
        "algorithm_not_allowed"
    );
    // Too many recipients for the limit.
    let limits = JweLimits {
        max_recipients: 2,
        ..JweLimits::default()
    };
    let d = Decrypter::new([a.clone()], DecryptOptions::new().limits(limits)).unwrap();
    assert_eq!(code(d.decrypt_json(&doc)), "input_too_large");
    // `zip` outside the protected header is refused.
    let mut v: Value = serde_json::from_str(&doc).unwrap();
    v["unprotected"]["zip"] = "DEF".into();
    assert_eq!(
        code(decrypter(a.clone()).decrypt_json(&v.to_string())),
        "invalid_header"
    );

    // Flattened, with `alg`/`kid`/`epk` integrity-protected.
    let doc = jwe::encrypt_flattened(
        &b.encryption_key(),
        Enc::A256GCM,
        &JsonOptions::default(),
        b"one",
    )
    .unwrap();
    let v: Value = serde_json::from_str(&doc).unwrap();
    assert!(v.get("header").is_none() && v.get("recipients").is_none());
    let out = decrypter(b.clone()).decrypt_json(&doc).unwrap();
    assert_eq!(out.plaintext, b"one");
    assert!(out.header.extra.contains_key("epk"));
    // A compact decrypt of a JSON document is malformed, and vice versa.
    assert_eq!(code(decrypter(b.clone()).decrypt(&doc)), "malformed_token");
    // dir/ECDH-ES allow only one recipient.
    let d1 = DecryptionKey::generate_dir(Enc::A128GCM)
        .unwrap()
        .encryption_key();
    let e = jwe::encrypt_general(
        &[&d1, &keys[0]],
        Enc::A128GCM,
        &JsonOptions::default(),
        b"x",
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn wrong_key_size_is_invalid_key() {
    for (alg, n) in [
        (Alg::A128KW, 17),
        (Alg::A256KW, 16),
        (Alg::A192GCMKW, 32),
        (Alg::Dir, 20),
        (Alg::Dir, 0),
    ] {
        assert_eq!(
            DecryptionKey::symmetric(alg, &vec![1; n])
                .unwrap_err()
                .code(),
            "invalid_key",
            "{alg} {n}"
        );
        assert_eq!(
            EncryptionKey::symmetric(alg, &vec![1; n])
                .unwrap_err()
                .code(),
            "invalid_key",
            "{alg} {n}"
        );
    }
    assert_eq!(
        DecryptionKey::dir(Enc::A256CbcHs512, &[1; 32])
            .unwrap_err()
            .code(),
        "invalid_key"
    );
    assert_eq!(
        DecryptionKey::ecdh(Alg::EcdhEs, EcdhCurve::P256, &[1; 31])
            .unwrap_err()
            .code(),
        "invalid_key"
    );
    // The zero scalar is not a key.
    assert_eq!(
        DecryptionKey::ecdh(Alg::EcdhEs, EcdhCurve::P384, &[0; 48])
            .unwrap_err()
            .code(),
        "invalid_key"
    );
}

/// The caller asking a key for an `enc` it is not bound to is the caller's error
/// (`key_algorithm_mismatch`); a token naming such an `enc` is the token's
/// (`algorithm_not_allowed`, as for an `enc` outside the options).
#[test]
fn wrong_enc_for_key() {
    let k128 = DecryptionKey::dir(Enc::A128GCM, &[3; 16]).unwrap();
    // Encrypting: the key is bound to A128GCM.
    let e = Encrypter::new(k128.encryption_key(), Enc::A256GCM).unwrap_err();
    assert_eq!(e.code(), "key_algorithm_mismatch");
    // Decrypting a token whose enc does not fit the key.
    let k256 = DecryptionKey::dir(Enc::A256GCM, &[3; 32]).unwrap();
    let token = Encrypter::new(k256.encryption_key(), Enc::A256GCM)
        .unwrap()
        .encrypt(b"x")
        .unwrap();
    assert_eq!(
        code(decrypter(k128).decrypt(&token)),
        "algorithm_not_allowed"
    );
    // An unbound 32-byte dir key still cannot do A256CBC-HS512 (64 bytes).
    let free = DecryptionKey::symmetric(Alg::Dir, &[3; 32]).unwrap();
    let e = Encrypter::new(free.encryption_key(), Enc::A256CbcHs512).unwrap_err();
    assert_eq!(e.code(), "key_algorithm_mismatch");
    let k64 = DecryptionKey::generate_dir(Enc::A256CbcHs512).unwrap();
    let tok = Encrypter::new(k64.encryption_key(), Enc::A256CbcHs512)
        .unwrap()
        .encrypt(b"x")
        .unwrap();
    assert_eq!(code(decrypter(free).decrypt(&tok)), "algorithm_not_allowed");
}

#[test]
fn a_key_is_bound_to_its_algorithm() {
    let kw = DecryptionKey::symmetric(Alg::A128KW, &[5; 16]).unwrap();
    let gcmkw = DecryptionKey::symmetric(Alg::A128GCMKW, &[5; 16]).unwrap();
    let token = Encrypter::new(kw.encryption_key(), Enc::A128GCM)
        .unwrap()
        .encrypt(b"x")
        .unwrap();
    assert_eq!(
        code(decrypter(gcmkw).decrypt(&token)),
        "algorithm_not_allowed"
    );
    // The header cannot re-purpose a key either.
    let e = Encrypter::with_header(
        kw.encryption_key(),
        JweHeader::new(Alg::A128GCMKW, Enc::A128GCM),
    )
    .unwrap_err();
    assert_eq!(e.code(), "key_algorithm_mismatch");
    // An ECDH key is not a symmetric secret and vice versa.
    assert_eq!(
        DecryptionKey::symmetric(Alg::EcdhEs, &[5; 16])
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    assert_eq!(
        DecryptionKey::generate_ecdh(Alg::A128KW, EcdhCurve::P256)
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    // Narrowing the accepted enc values.
    let d = Decrypter::new([kw], DecryptOptions::new().encryptions(&[Enc::A256GCM])).unwrap();
    assert_eq!(code(d.decrypt(&token)), "algorithm_not_allowed");
}

/// Issue 17: whatever the token's header chose (its `epk`, `enc`, `p2c`) is the token's
/// error, never a key error: a service answers it with 401, not 500. One row per header
/// mutation: (what, fixture, mutation, expected code).
#[test]
fn token_header_problems_are_token_errors() {
    type Mutation = Box<dyn Fn(&mut serde_json::Map<String, Value>)>;
    fn set(name: &'static str, v: Value) -> Mutation {
        Box::new(move |h| {
            h.insert(name.into(), v.clone());
        })
    }
    fn epk(name: &'static str, v: Value) -> Mutation {
        Box::new(move |h| {
            h["epk"][name] = v.clone();
        })
    }
    fn epk_remove(name: &'static str) -> Mutation {
        Box::new(move |h| {
            h["epk"].as_object_mut().unwrap().remove(name);
        })
    }
    fn b64(bytes: &[u8]) -> Value {
        b64_encode(bytes).into()
    }

    // Fixtures: a decrypter and a token it decrypts.
    let fixture = |key: DecryptionKey, sender: EncryptionKey, options: DecryptOptions| {
        let token = Encrypter::new(sender, Enc::A128GCM)
            .unwrap()
            .encrypt(b"x")
            .unwrap();
        let d = Decrypter::new([key], options).unwrap();
        assert_eq!(d.decrypt(&token).unwrap().plaintext, b"x");
        (d, token)
    };
    let own =
        |key: DecryptionKey| fixture(key.clone(), key.encryption_key(), DecryptOptions::new());
    let p256 = own(DecryptionKey::generate_ecdh(Alg::EcdhEs, EcdhCurve::P256).unwrap());
    let x25519 = own(DecryptionKey::generate_ecdh(Alg::EcdhEsA128KW, EcdhCurve::X25519).unwrap());
    let dir128 = own(DecryptionKey::generate_dir(Enc::A128GCM).unwrap());
    let password = b"correct horse battery staple";
    let pbes2 = fixture(
        DecryptionKey::password(Alg::Pbes2Hs256A128KW, password).unwrap(),
        EncryptionKey::password(Alg::Pbes2Hs256A128KW, password, 1000).unwrap(),
        DecryptOptions::new().allow_pbes2(10_000),
    );
    let header: Value =
        serde_json::from_slice(&b64_decode(p256.1.split('.').next().unwrap()).unwrap()).unwrap();
    let mut off_curve = b64_decode(header["epk"]["y"].as_str().unwrap()).unwrap();
    off_curve[31] ^= 1;
    let p384 = DecryptionKey::generate_ecdh(Alg::EcdhEs, EcdhCurve::P384)
        .unwrap()
        .to_public_jwk()
        .unwrap();
    let p384_epk = json!({"kty": "EC", "crv": "P-384", "x": p384.str("x"), "y": p384.str("y")});
    // Low-order X25519 points besides 0: u = 1 (order 4) and one of order 8 (as in
    // Wycheproof's x25519 vectors).
    let mut u1 = [0u8; 32];
    u1[0] = 1;
    let order8 =
        hex::decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800").unwrap();
    let zero_point: Mutation = Box::new(|h| {
        h["epk"]["x"] = b64_encode([0u8; 32]).into();
        h["epk"]["y"] = b64_encode([0u8; 32]).into();
    });
    let no_epk: Mutation = Box::new(|h| {
        h.remove("epk");
    });

    const HEADER: &str = "invalid_header";
    let rows: Vec<(&str, &(Decrypter, String), Mutation, &str)> = vec![
        // The ephemeral key: every flaw is a header error ...
        (
            "epk off the curve",
            &p256,
            epk("y", b64(&off_curve)),
            HEADER,
        ),
        ("epk the all-zero point", &p256, zero_point, HEADER),
        (
            "epk x of the wrong size",
            &p256,
            epk("x", b64(&[1u8; 31])),
            HEADER,
        ),
        (
            "epk x not base64url",
            &p256,
            epk("x", json!("not base64!")),
            HEADER,
        ),
        (
            "epk y padded base64",
            &p256,
            epk("y", json!("AA==")),
            HEADER,
        ),
        ("epk x not a string", &p256, epk("x", json!(7)), HEADER),
        ("epk without y", &p256, epk_remove("y"), HEADER),
        ("epk kty RSA", &p256, epk("kty", json!("RSA")), HEADER),
        (
            "epk kty OKP, crv P-256",
            &p256,
            epk("kty", json!("OKP")),
            HEADER,
        ),
        ("epk without kty", &p256, epk_remove("kty"), HEADER),
        (
            "epk crv secp256k1",
            &p256,
            epk("crv", json!("secp256k1")),
            HEADER,
        ),
        (
            "epk crv P-384, P-256 x/y",
            &p256,
            epk("crv", json!("P-384")),
            HEADER,
        ),
        ("epk with d", &p256, epk("d", json!("AAAA")), HEADER),
        ("epk a string", &p256, set("epk", json!("AAAA")), HEADER),
        ("epk missing", &p256, no_epk, HEADER),
        (
            "X25519 epk u = 0",
            &x25519,
            epk("x", b64(&[0u8; 32])),
            HEADER,
        ),
        ("X25519 epk u = 1", &x25519, epk("x", b64(&u1)), HEADER),
        (
            "X25519 epk of order 8",
            &x25519,
            epk("x", b64(&order8)),
            HEADER,
        ),
        (
            "X25519 epk of 33 bytes",
            &x25519,
            epk("x", b64(&[9u8; 33])),
            HEADER,
        ),
        (
            "X25519 epk kty EC",
            &x25519,
            epk("kty", json!("EC")),
            HEADER,
        ),
        // ... except a valid point on another curve than the key: no key for it (in a
        // JSON JWE it may be another recipient's).
        (
            "epk on P-384, key on P-256",
            &p256,
            set("epk", p384_epk),
            "key_not_found",
        ),
        // `enc`: unknown, or one the key is not bound to / cannot take.
        (
            "enc A512GCM",
            &p256,
            set("enc", json!("A512GCM")),
            "unsupported_encryption",
        ),
        (
            "enc A128CTR",
            &x25519,
            set("enc", json!("A128CTR")),
            "unsupported_encryption",
        ),
        (
            "enc not the dir key's",
            &dir128,
            set("enc", json!("A256GCM")),
            "algorithm_not_allowed",
        ),
        // `p2c`: above the decrypter's cap, below the RFC 7518 minimum, not a count.
        (
            "p2c above the cap",
            &pbes2,
            set("p2c", json!(10_001)),
            "input_too_large",
        ),
        (
            "p2c 2^40",
            &pbes2,
            set("p2c", json!(1u64 << 40)),
            "input_too_large",
        ),
        (
            "p2c below the minimum",
            &pbes2,
            set("p2c", json!(999)),
            HEADER,
        ),
        ("p2c 1", &pbes2, set("p2c", json!(1)), HEADER),
        ("p2c 0", &pbes2, set("p2c", json!(0)), HEADER),
        ("p2c negative", &pbes2, set("p2c", json!(-1000)), HEADER),
        ("p2c 1e20", &pbes2, set("p2c", json!(1e20)), HEADER),
    ];
    for (what, (d, token), mutate, expected) in rows {
        let e = d.decrypt(&with_header(token, mutate)).unwrap_err();
        assert_eq!(e.code(), expected, "{what}: {e}");
        assert!(
            e.kind().is_token_error(),
            "{what}: {e} is not a token error"
        );
    }

    // The caller's own key stays a key error: a sender cannot encrypt to an off-curve
    // recipient key.
    let e =
        EncryptionKey::ecdh(Alg::EcdhEs, EcdhCurve::P256, &[1; 32], Some(&[2; 32])).unwrap_err();
    assert_eq!(e.code(), "invalid_key");
}

#[test]
fn tags_are_checked() {
    for enc in Enc::ALL {
        let key = DecryptionKey::generate(Alg::A256KW).unwrap();
        let token = Encrypter::new(key.encryption_key(), enc)
            .unwrap()
            .encrypt(b"attack at dawn")
            .unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let tag = b64_decode(parts[4]).unwrap();
        let d = decrypter(key);
        let mut flipped = tag.clone();
        *flipped.last_mut().unwrap() ^= 0x80;
        for bad_tag in [
            flipped,
            tag[..tag.len() - 1].to_vec(),
            [&tag[..], &[0][..]].concat(),
            Vec::new(),
        ] {
            let t = format!(
                "{}.{}.{}.{}.{}",
                parts[0],
                parts[1],
                parts[2],
                parts[3],
                b64_encode(&bad_tag)
            );
            assert_eq!(code(d.decrypt(&t)), "decryption_failed", "{enc}");
        }
        // Ciphertext bit flip.
        let mut ct = b64_decode(parts[3]).unwrap();
        ct[0] ^= 1;
        let t = format!(
            "{}.{}.{}.{}.{}",
            parts[0],
            parts[1],
            parts[2],
            b64_encode(&ct),
            parts[4]
        );
        assert_eq!(code(d.decrypt(&t)), "decryption_failed", "{enc}");
        // Header change: the header is the AAD.
        let t = with_header(&token, |h| {
            h.insert("x".into(), 1.into());
        });
        assert_eq!(code(d.decrypt(&t)), "decryption_failed", "{enc}");
        // A wrong-size IV is a structural error.
        let t = format!(
            "{}.{}.{}.{}.{}",
            parts[0],
            parts[1],
            b64_encode([0u8; 5]),
            parts[3],
            parts[4]
        );
        assert_eq!(code(d.decrypt(&t)), "malformed_token", "{enc}");
    }
}

#[test]
fn structure_and_header_errors() {
    let key = DecryptionKey::generate(Alg::A128KW).unwrap().with_kid("k");
    let token = Encrypter::new(key.encryption_key(), Enc::A128GCM)
        .unwrap()
        .encrypt(b"x")
        .unwrap();
    let d = decrypter(key.clone());
    // JWS, four or six segments, bad base64url.
    assert_eq!(code(d.decrypt("a.b.c")), "malformed_token");
    assert_eq!(
        code(d.decrypt(&token.replacen('.', "", 1))),
        "malformed_token"
    );
    assert_eq!(code(d.decrypt(&format!("{token}.x"))), "malformed_token");
    assert_eq!(
        code(d.decrypt(&token.replacen('.', "=.", 1))),
        "malformed_token"
    );
    assert_eq!(
        code(d.decrypt(&format!(".{}", token.split_once('.').unwrap().1))),
        "malformed_token"
    );
    // Unsupported alg / enc / zip; `none`.
    for (name, v, want) in [
        ("alg", "RSA1_5", "unsupported_algorithm"),
        // Offered with the aws-lc backend, but this decrypter has no RSA key for it.
        (
            "alg",
            "RSA-OAEP-256",
            if cfg!(feature = "aws-lc") {
                "algorithm_not_allowed"
            } else {
                "unsupported_algorithm"
            },
        ),
        ("alg", "none", "unsupported_algorithm"),
        ("enc", "A128CBC", "unsupported_encryption"),
        ("zip", "GZIP", "unsupported_encryption"),
    ] {
        let t = with_header(&token, |h| {
            h.insert(name.into(), v.into());
        });
        assert_eq!(code(d.decrypt(&t)), want, "{name}={v}");
    }
    for missing in ["alg", "enc"] {
        let t = with_header(&token, |h| {
            h.remove(missing);
        });
        assert_eq!(code(d.decrypt(&t)), "invalid_header");
    }
    // Duplicate members in the protected header.
    let (_, rest) = token.split_once('.').unwrap();
    let dup = format!(
        "{}.{rest}",
        b64_encode(r#"{"alg":"A128KW","enc":"A128GCM","enc":"A256GCM"}"#)
    );
    assert_eq!(code(d.decrypt(&dup)), "duplicate_member");
    // `crit`: rejected unless declared; registered names never allowed.
    let crit = with_header(&token, |h| {
        h.insert("crit".into(), json!(["exp"]));
        h.insert("exp".into(), 1.into());
    });
    assert_eq!(code(d.decrypt(&crit)), "unsupported_critical_header");
    let declared = Decrypter::new([key.clone()], DecryptOptions::new().critical(["exp"])).unwrap();
    assert_eq!(code(declared.decrypt(&crit)), "decryption_failed"); // got past crit; header is AAD
    let reg = with_header(&token, |h| {
        h.insert("crit".into(), json!(["enc"]));
    });
    assert_eq!(code(d.decrypt(&reg)), "unsupported_critical_header");
    // kid selects among the caller's keys only.
    let t = with_header(&token, |h| {
        h.insert("kid".into(), "other".into());
    });
    assert_eq!(code(d.decrypt(&t)), "key_not_found");
    // `dir` must have an empty encrypted key.
    let dk = DecryptionKey::generate_dir(Enc::A128GCM).unwrap();
    let dt = Encrypter::new(dk.encryption_key(), Enc::A128GCM)
        .unwrap()
        .encrypt(b"x")
        .unwrap();
    let p: Vec<&str> = dt.split('.').collect();
    let with_ek = format!("{}.AAAA.{}.{}.{}", p[0], p[2], p[3], p[4]);
    assert_eq!(code(decrypter(dk).decrypt(&with_ek)), "malformed_token");
}

#[test]
fn size_limits_are_checked_first() {
    let key = DecryptionKey::generate(Alg::A128KW).unwrap();
    let limits = JweLimits {
        max_token_bytes: 1000,
        max_header_bytes: 100,
        ..JweLimits::default()
    };
    let d = Decrypter::new([key.clone()], DecryptOptions::new().limits(limits)).unwrap();
    let big = Encrypter::new(key.encryption_key(), Enc::A128GCM)
        .unwrap()
        .encrypt(&[0u8; 2000])
        .unwrap();
    assert_eq!(code(d.decrypt(&big)), "input_too_large");
    assert_eq!(code(d.decrypt_json(&" ".repeat(1001))), "input_too_large");
    let mut header = JweHeader::new(Alg::A128KW, Enc::A128GCM);
    header.extra.insert("pad".into(), "p".repeat(200).into());
    let t = Encrypter::with_header(key.encryption_key(), header)
        .unwrap()
        .encrypt(b"x")
        .unwrap();
    assert_eq!(code(d.decrypt(&t)), "input_too_large");
    // Deeply nested header JSON.
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    let (_, rest) = t.split_once('.').unwrap();
    let t = format!(
        "{}.{rest}",
        b64_encode(format!(r#"{{"alg":"A128KW","enc":"A128GCM","x":{deep}}}"#))
    );
    assert_eq!(code(decrypter(key).decrypt(&t)), "malformed_token");
}

#[test]
fn jwk_import_rules() {
    let jwk = |s: &str| Jwk::from_json(s).unwrap();
    // `use: sig` is not for encryption; key_ops must allow the operation.
    let e = DecryptionKey::from_jwk(
        &jwk(r#"{"kty":"oct","alg":"A128KW","use":"sig","k":"AAAAAAAAAAAAAAAAAAAAAA"}"#),
        None,
    );
    assert_eq!(e.unwrap_err().code(), "key_usage_not_allowed");
    let e = DecryptionKey::from_jwk(
        &jwk(r#"{"kty":"oct","alg":"A128KW","key_ops":["wrapKey"],"k":"AAAAAAAAAAAAAAAAAAAAAA"}"#),
        None,
    );
    assert_eq!(e.unwrap_err().code(), "key_usage_not_allowed");
    assert!(
        EncryptionKey::from_jwk(
            &jwk(
                r#"{"kty":"oct","alg":"A128KW","key_ops":["wrapKey"],"k":"AAAAAAAAAAAAAAAAAAAAAA"}"#
            ),
            None
        )
        .is_ok()
    );
    // alg from the JWK and the request must agree; one of them must be given.
    let k = jwk(r#"{"kty":"oct","alg":"A128KW","k":"AAAAAAAAAAAAAAAAAAAAAA"}"#);
    assert_eq!(
        DecryptionKey::from_jwk(&k, Some(Alg::A128GCMKW))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    let k = jwk(r#"{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA"}"#);
    assert_eq!(
        DecryptionKey::from_jwk(&k, None).unwrap_err().code(),
        "invalid_argument"
    );
    assert!(DecryptionKey::from_jwk(&k, Some(Alg::A128GCMKW)).is_ok());
    // An EC key for a symmetric algorithm, an oct key for ECDH, a signing curve.
    let ec = DecryptionKey::generate_ecdh(Alg::EcdhEs, EcdhCurve::P256)
        .unwrap()
        .to_private_jwk()
        .unwrap();
    assert_eq!(
        DecryptionKey::from_jwk(&ec, Some(Alg::A128KW))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    assert_eq!(
        DecryptionKey::from_jwk(&k, Some(Alg::EcdhEs))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    let ed = jwk(
        r#"{"kty":"OKP","crv":"Ed25519","alg":"ECDH-ES","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
    );
    assert_eq!(
        EncryptionKey::from_jwk(&ed, None).unwrap_err().code(),
        "key_algorithm_mismatch"
    );
    // A public JWK cannot decrypt.
    let public = DecryptionKey::generate_ecdh(Alg::EcdhEs, EcdhCurve::X25519)
        .unwrap()
        .to_public_jwk()
        .unwrap();
    assert_eq!(
        DecryptionKey::from_jwk(&public, None).unwrap_err().code(),
        "invalid_key"
    );
    // A JWE key is not a JWS key.
    assert_eq!(
        SigningKey::from_jwk(&ec, None).unwrap_err().code(),
        "unsupported_algorithm"
    );
    // Round trip of a dir key bound to its enc through the RFC 7520 JWK form.
    let dk = DecryptionKey::generate_dir(Enc::A192CbcHs384).unwrap();
    let j = dk.to_private_jwk().unwrap();
    assert_eq!(j.alg(), Some("A192CBC-HS384"));
    let back = DecryptionKey::from_jwk(&j, None).unwrap();
    assert_eq!(back.content_encryption(), Some(Enc::A192CbcHs384));
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let secret = [0x42u8; 32];
    let key = DecryptionKey::symmetric(Alg::A256KW, &secret).unwrap();
    let shown = format!("{key:?} {:?}", key.encryption_key());
    assert!(
        !shown.contains("66, 66") && !shown.contains(&b64_encode(secret)),
        "{shown}"
    );
    let ec = DecryptionKey::generate_ecdh(Alg::EcdhEs, EcdhCurve::P256).unwrap();
    let d = ec.to_private_jwk().unwrap();
    assert!(!format!("{ec:?}").contains(d.str("d").unwrap()));
}

#[test]
fn decrypter_needs_a_usable_key() {
    let k = DecryptionKey::generate(Alg::A128KW).unwrap();
    let e = Decrypter::new(
        [k.clone()],
        DecryptOptions::new().algorithms(&[Alg::A256KW]),
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    let e = Decrypter::new(Vec::new(), DecryptOptions::new()).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    let e = Decrypter::new([k], DecryptOptions::new().encryptions(&[])).unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn new_error_codes_are_listed() {
    let codes: Vec<&str> = Error::ALL_CODES.iter().map(|(c, _)| *c).collect();
    assert!(codes.contains(&Error::DecryptionFailed.code()));
    assert!(codes.contains(&Error::UnsupportedEncryption("x".into()).code()));
}

#[test]
fn several_keys_and_kid_selection() {
    let keys: Vec<DecryptionKey> = (0..3)
        .map(|i| {
            DecryptionKey::generate(Alg::A256GCMKW)
                .unwrap()
                .with_kid(format!("k{i}"))
        })
        .collect();
    let d = Decrypter::new(keys.clone(), DecryptOptions::new()).unwrap();
    for k in &keys {
        let t = Encrypter::new(k.encryption_key(), Enc::A256GCM)
            .unwrap()
            .encrypt(b"m")
            .unwrap();
        assert_eq!(d.decrypt(&t).unwrap().header.kid.as_deref(), k.kid());
        // Without kid, the keys are tried in order.
        let no_kid = Encrypter::with_header(
            DecryptionKey::symmetric(Alg::A256GCMKW, &[9; 32])
                .unwrap()
                .encryption_key(),
            JweHeader::new(Alg::A256GCMKW, Enc::A256GCM),
        )
        .unwrap()
        .encrypt(b"m")
        .unwrap();
        assert_eq!(code(d.decrypt(&no_kid)), "decryption_failed");
    }
}

#[test]
fn keys_and_decrypters_are_send_and_sync() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<DecryptionKey>();
    check::<EncryptionKey>();
    check::<Encrypter>();
    check::<Decrypter>();
}

/// Mutated tokens and documents (deterministic byte flips, truncations, insertions) never
/// panic and always fail with a listed code.
#[test]
fn mutations_never_panic() {
    let codes: Vec<&str> = Error::ALL_CODES.iter().map(|(c, _)| *c).collect();
    let keys = [
        DecryptionKey::generate(Alg::A128KW).unwrap(),
        DecryptionKey::generate_ecdh(Alg::EcdhEsA128KW, EcdhCurve::P256).unwrap(),
        DecryptionKey::generate_dir(Enc::A128CbcHs256).unwrap(),
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for key in keys {
        let d = decrypter(key.clone());
        let token = Encrypter::new(key.encryption_key(), Enc::A128CbcHs256)
            .unwrap()
            .encrypt(b"payload")
            .unwrap();
        let doc = jwe::encrypt_flattened(
            &key.encryption_key(),
            Enc::A128CbcHs256,
            &JsonOptions::default(),
            b"p",
        )
        .unwrap();
        for _ in 0..400 {
            for (input, json) in [(&token, false), (&doc, true)] {
                let mut b = input.as_bytes().to_vec();
                let i = (next() as usize) % b.len();
                match next() % 4 {
                    0 => b[i] = b"A.-_{}\"0"[(next() % 8) as usize],
                    1 => b.truncate(i),
                    2 => b.insert(i, b'.'),
                    _ => {
                        b.remove(i);
                    }
                };
                let s = String::from_utf8_lossy(&b);
                let r = if json {
                    d.decrypt_json(&s)
                } else {
                    d.decrypt(&s)
                };
                if let Err(e) = r {
                    assert!(codes.contains(&e.code()), "{}", e.code());
                }
            }
        }
    }
}
