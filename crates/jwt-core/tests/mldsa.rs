//! ML-DSA-44/65/87 JWS with `AKP` keys (RFC 9964, draft-ietf-cose-dilithium): round
//! trips, key-to-algorithm binding, JWK/PEM import and export, thumbprints, the draft's
//! example, and the typed refusal of ring builds.
//!
//! Everything but `ring_builds_refuse_ml_dsa` needs the `aws-lc` backend (`cargo test -p
//! jwt-core --no-default-features --features aws-lc`, run by `cargo xtask test --only
//! rust`); in ring builds those tests are compiled out, and that one test asserts the
//! refusal instead.

use jwt_core::Algorithm;

const LEVELS: [Algorithm; 3] = [Algorithm::MlDsa44, Algorithm::MlDsa65, Algorithm::MlDsa87];

#[test]
fn names_parse_in_every_build() {
    for (alg, name) in LEVELS
        .into_iter()
        .zip(["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"])
    {
        assert_eq!(alg.as_str(), name);
        assert_eq!(name.parse::<Algorithm>().unwrap(), alg);
        assert_eq!(alg.jwk_kty(), "AKP");
        assert!(!alg.is_symmetric());
        assert_eq!(alg.alias(), None);
        assert_eq!(alg.is_available(), cfg!(feature = "aws-lc"));
    }
    // Exact names only.
    for bad in [
        "ml-dsa-44",
        "ML-DSA44",
        "MLDSA44",
        "ML-DSA-128",
        "HashML-DSA-44",
    ] {
        assert_eq!(
            bad.parse::<Algorithm>().unwrap_err().code(),
            "unsupported_algorithm"
        );
    }
}

#[cfg(not(feature = "aws-lc"))]
#[test]
fn ring_builds_refuse_ml_dsa() {
    use jwt_core::{Jwk, SigningKey, VerifyingKey};
    let jwk = Jwk::from_json(
        r#"{"kty":"AKP","alg":"ML-DSA-44","pub":"AAAA","priv":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
    )
    .unwrap();
    for alg in LEVELS {
        let e = SigningKey::generate(alg).unwrap_err();
        assert_eq!(e.code(), "unsupported_algorithm");
        assert!(e.to_string().contains("aws-lc"), "{e}");
        let e = VerifyingKey::from_public_bytes(alg, &vec![0; 1312]).unwrap_err();
        assert_eq!(e.code(), "unsupported_algorithm");
        assert!(e.to_string().contains("aws-lc"), "{e}");
    }
    assert_eq!(
        SigningKey::from_jwk(&jwk, None).unwrap_err().code(),
        "unsupported_algorithm"
    );
    assert_eq!(
        VerifyingKey::from_jwk(&jwk, None).unwrap_err().code(),
        "unsupported_algorithm"
    );
}

#[cfg(feature = "aws-lc")]
mod aws_lc {
    use super::LEVELS;
    use jwt_core::{
        Algorithm, Header, Jwk, KeySet, MlDsaLevel, Signer, SigningKey, Validation, Verifier,
        VerifyingKey, b64_decode, b64_encode,
    };
    use serde_json::{Value, json};

    fn level(alg: Algorithm) -> MlDsaLevel {
        match alg.family() {
            jwt_core::KeyFamily::MlDsa(l) => l,
            f => panic!("{alg} is {f:?}"),
        }
    }

    fn claims() -> Value {
        json!({"sub": "user-1", "exp": jwt_core::now() + 600})
    }

    fn verifier(key: VerifyingKey) -> Verifier {
        Verifier::new(key, Validation::new()).unwrap()
    }

    /// The all-zero seed of the RFC 9964 examples, as a private AKP JWK for `alg`.
    fn zero_seed_key(alg: Algorithm) -> SigningKey {
        let public = {
            // The public key is derived; take it from a key built through PKCS#8.
            let pkcs8 = zero_seed_pkcs8(alg);
            SigningKey::from_der(alg, &pkcs8)
                .unwrap()
                .to_public_jwk()
                .unwrap()
        };
        let jwk = json!({
            "kty": "AKP", "alg": alg.as_str(),
            "pub": public.str("pub").unwrap(),
            "priv": b64_encode([0u8; 32]),
        });
        SigningKey::from_jwk(&Jwk::from_json(jwk.to_string()).unwrap(), None).unwrap()
    }

    /// RFC 9881 PKCS#8 of the all-zero seed, written out byte by byte.
    fn zero_seed_pkcs8(alg: Algorithm) -> Vec<u8> {
        let last = match alg {
            Algorithm::MlDsa44 => 0x11,
            Algorithm::MlDsa65 => 0x12,
            _ => 0x13,
        };
        let mut der = vec![
            0x30, 0x34, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
            0x03, 0x04, 0x03, last, 0x04, 0x22, 0x80, 0x20,
        ];
        der.extend_from_slice(&[0u8; 32]);
        der
    }

    #[test]
    fn round_trip_every_level() {
        for alg in LEVELS {
            let key = SigningKey::generate(alg).unwrap().with_kid("k1");
            let token = Signer::new(key.clone()).unwrap().sign(&claims()).unwrap();
            let header: Value =
                serde_json::from_slice(&b64_decode(token.split('.').next().unwrap()).unwrap())
                    .unwrap();
            assert_eq!(header["alg"], alg.as_str());
            let sig = b64_decode(token.rsplit('.').next().unwrap()).unwrap();
            assert_eq!(sig.len(), level(alg).signature_len());
            let data = verifier(key.verifying_key())
                .verify::<Value>(&token)
                .unwrap();
            assert_eq!(data.claims["sub"], "user-1");
            assert_eq!(data.header.alg, alg);
            // Through the public JWK, as a relying party would get it.
            let public = VerifyingKey::from_jwk(&key.to_public_jwk().unwrap(), None).unwrap();
            assert!(verifier(public).verify::<Value>(&token).is_ok());
        }
    }

    #[test]
    fn wrong_key_and_tampering_are_invalid_signature() {
        for alg in LEVELS {
            let key = SigningKey::generate(alg).unwrap();
            let other = SigningKey::generate(alg).unwrap();
            let token = Signer::new(key.clone()).unwrap().sign(&claims()).unwrap();
            let code = |v: &Verifier, t: &str| v.verify::<Value>(t).unwrap_err().code();
            assert_eq!(
                code(&verifier(other.verifying_key()), &token),
                "invalid_signature"
            );
            let good = verifier(key.verifying_key());
            let (input, sig) = token.rsplit_once('.').unwrap();
            let mut raw = b64_decode(sig).unwrap();
            raw[100] ^= 1;
            let flipped = format!("{input}.{}", b64_encode(&raw));
            assert_eq!(code(&good, &flipped), "invalid_signature");
            // Truncated and extended signatures.
            let short = format!("{input}.{}", b64_encode(&raw[..raw.len() - 1]));
            assert_eq!(code(&good, &short), "invalid_signature");
            let mut long = b64_decode(sig).unwrap();
            long.push(0);
            let long = format!("{input}.{}", b64_encode(&long));
            // Longer than ML-DSA-87's, the largest signature: malformed before decoding.
            let expected = if alg == Algorithm::MlDsa87 {
                "malformed_token"
            } else {
                "invalid_signature"
            };
            assert_eq!(code(&good, &long), expected);
            // A changed payload under the original signature.
            let (h, _) = input.split_once('.').unwrap();
            let forged = json!({"sub": "admin", "exp": jwt_core::now() + 600});
            let p = b64_encode(serde_json::to_vec(&forged).unwrap());
            assert_eq!(code(&good, &format!("{h}.{p}.{sig}")), "invalid_signature");
        }
    }

    #[test]
    fn a_key_of_one_level_never_serves_another() {
        for alg in LEVELS {
            let key = SigningKey::generate(alg).unwrap();
            let jwk = key.to_public_jwk().unwrap();
            let pem = key.public_key_pem().unwrap();
            let private_pem = key.to_pkcs8_pem().unwrap();
            let public = key.to_public_jwk().unwrap().str("pub").unwrap().to_owned();
            for other in LEVELS.into_iter().filter(|o| *o != alg) {
                assert_eq!(
                    VerifyingKey::from_jwk(&jwk, Some(other))
                        .unwrap_err()
                        .code(),
                    "key_algorithm_mismatch",
                    "{alg} JWK as {other}"
                );
                assert_eq!(
                    VerifyingKey::from_pem(other, &pem).unwrap_err().code(),
                    "key_algorithm_mismatch"
                );
                assert_eq!(
                    SigningKey::from_pem(other, private_pem.as_bytes())
                        .unwrap_err()
                        .code(),
                    "key_algorithm_mismatch"
                );
                // Raw bytes of another level's size are refused, not reinterpreted.
                assert_eq!(
                    VerifyingKey::from_public_bytes(other, &b64_decode(&public).unwrap())
                        .unwrap_err()
                        .code(),
                    "invalid_key"
                );
                // A token whose header names another level: the key does not verify it.
                let token = Signer::with_header(key.clone(), Header::new(other));
                assert_eq!(token.unwrap_err().code(), "key_algorithm_mismatch");
            }
            // An ML-DSA-65 token against an ML-DSA-44 key: not allowed, whatever the header.
            let other = LEVELS.into_iter().find(|o| *o != alg).unwrap();
            let t = Signer::new(SigningKey::generate(other).unwrap())
                .unwrap()
                .sign(&claims())
                .unwrap();
            assert_eq!(
                verifier(key.verifying_key())
                    .verify::<Value>(&t)
                    .unwrap_err()
                    .code(),
                "algorithm_not_allowed"
            );
        }
    }

    #[test]
    fn other_families_cannot_claim_ml_dsa() {
        let rsa = SigningKey::generate(Algorithm::RS256).unwrap();
        let ec = SigningKey::generate(Algorithm::ES256).unwrap();
        let ed = SigningKey::generate(Algorithm::EdDSA).unwrap();
        for alg in LEVELS {
            assert_eq!(
                SigningKey::hmac(alg, &[7u8; 64]).unwrap_err().code(),
                "key_algorithm_mismatch"
            );
            assert_eq!(
                VerifyingKey::hmac(alg, &[7u8; 64]).unwrap_err().code(),
                "key_algorithm_mismatch"
            );
            for key in [&rsa, &ec, &ed] {
                let mut jwk = key.to_public_jwk().unwrap();
                jwk.set("alg", alg.as_str());
                assert_eq!(
                    VerifyingKey::from_jwk(&jwk, None).unwrap_err().code(),
                    "key_algorithm_mismatch",
                    "{jwk:?}"
                );
                assert_eq!(
                    VerifyingKey::from_pem(alg, key.public_key_pem().unwrap())
                        .unwrap_err()
                        .code(),
                    "key_algorithm_mismatch"
                );
            }
            // An oct JWK claiming ML-DSA.
            let oct = Jwk::from_json(format!(
                r#"{{"kty":"oct","alg":"{alg}","k":"{}"}}"#,
                b64_encode([7u8; 64])
            ))
            .unwrap();
            assert_eq!(
                VerifyingKey::from_jwk(&oct, None).unwrap_err().code(),
                "key_algorithm_mismatch"
            );
            // And the other way: an AKP JWK claiming a classical algorithm.
            let mut akp = SigningKey::generate(alg).unwrap().to_public_jwk().unwrap();
            for classical in ["RS256", "ES256", "EdDSA", "HS256"] {
                akp.set("alg", classical);
                assert_eq!(
                    VerifyingKey::from_jwk(&akp, None).unwrap_err().code(),
                    "key_algorithm_mismatch"
                );
            }
        }
    }

    #[test]
    fn ml_dsa_public_key_is_never_an_hmac_secret() {
        // The classic confusion: the verifier's public key, in any spelling, as an HS256
        // secret. Every spelling is refused as asymmetric key material.
        let key = SigningKey::generate(Algorithm::MlDsa44).unwrap();
        let jwk = key.to_public_jwk().unwrap().to_json();
        let pem = key.public_key_pem().unwrap();
        for secret in [jwk.as_bytes(), pem.as_bytes()] {
            assert_eq!(
                VerifyingKey::hmac(Algorithm::HS256, secret)
                    .unwrap_err()
                    .code(),
                "key_algorithm_mismatch"
            );
        }
        // A token re-headed as HS256 and MACed with the public JWK text: no key for it.
        let v = verifier(key.verifying_key());
        let h = b64_encode(r#"{"alg":"HS256","typ":"JWT"}"#);
        let p = b64_encode(serde_json::to_vec(&claims()).unwrap());
        let forged = format!("{h}.{p}.{}", b64_encode([0u8; 32]));
        assert_eq!(
            v.verify::<Value>(&forged).unwrap_err().code(),
            "algorithm_not_allowed"
        );
    }

    #[test]
    fn akp_jwk_requires_alg() {
        let key = SigningKey::generate(Algorithm::MlDsa65).unwrap();
        for jwk in [key.to_public_jwk().unwrap(), key.to_private_jwk().unwrap()] {
            let mut m = jwk.as_map().clone();
            m.remove("alg");
            let jwk = Jwk::from_map(m).unwrap();
            // Not even when the caller names the algorithm (RFC 9964 3: REQUIRED).
            for requested in [None, Some(Algorithm::MlDsa65)] {
                assert_eq!(
                    VerifyingKey::from_jwk(&jwk, requested).unwrap_err().code(),
                    "invalid_key"
                );
                assert_eq!(
                    SigningKey::from_jwk(&jwk, requested).unwrap_err().code(),
                    "invalid_key"
                );
            }
        }
    }

    #[test]
    fn jwk_export_and_import_round_trip() {
        for alg in LEVELS {
            let key = SigningKey::generate(alg).unwrap().with_kid("pq-1");
            let private = key.to_private_jwk().unwrap();
            let m = private.as_map();
            assert_eq!(m["kty"], "AKP");
            assert_eq!(m["alg"], alg.as_str());
            assert_eq!(m["kid"], "pq-1");
            assert_eq!(b64_decode(m["priv"].as_str().unwrap()).unwrap().len(), 32);
            let public_bytes = b64_decode(m["pub"].as_str().unwrap()).unwrap();
            assert_eq!(public_bytes.len(), level(alg).public_key_len());
            assert!(private.is_private());
            // `priv` is private: redacted in Debug, dropped by to_public.
            let seed = m["priv"].as_str().unwrap();
            assert!(!format!("{private:?}").contains(seed));
            assert!(!private.to_public().as_map().contains_key("priv"));

            let public = key.to_public_jwk().unwrap();
            assert!(!public.is_private());
            assert_eq!(public.as_map()["pub"], m["pub"]);
            assert_eq!(public, private.to_public());

            // The imported private key signs what the original's public key accepts.
            let back =
                SigningKey::from_jwk(&Jwk::from_json(private.to_json()).unwrap(), None).unwrap();
            assert_eq!(back.algorithm(), alg);
            assert_eq!(back.kid(), Some("pq-1"));
            assert_eq!(back.to_private_jwk().unwrap(), private);
            let token = Signer::new(back).unwrap().sign(&claims()).unwrap();
            assert!(
                verifier(key.verifying_key())
                    .verify::<Value>(&token)
                    .is_ok()
            );
            // A private JWK is accepted for verification (its public members are used).
            let vk = VerifyingKey::from_jwk(&private, None).unwrap();
            assert_eq!(vk.to_jwk().unwrap(), public);
            // Public raw bytes.
            let raw = VerifyingKey::from_public_bytes(alg, &public_bytes)
                .unwrap()
                .with_kid("pq-1");
            assert!(verifier(raw).verify::<Value>(&token).is_ok());
        }
    }

    #[test]
    fn jwk_members_are_checked() {
        let key = SigningKey::generate(Algorithm::MlDsa44).unwrap();
        let private = key.to_private_jwk().unwrap();
        let with = |name: &str, v: Value| {
            let mut m = private.as_map().clone();
            m.insert(name.into(), v);
            Jwk::from_map(m).unwrap()
        };
        // `pub` of another key: RFC 9964 7.4 mismatched parameters.
        let other = SigningKey::generate(Algorithm::MlDsa44).unwrap();
        let other_pub = other
            .to_public_jwk()
            .unwrap()
            .str("pub")
            .unwrap()
            .to_owned();
        let mixed = with("pub", other_pub.into());
        assert_eq!(
            SigningKey::from_jwk(&mixed, None).unwrap_err().code(),
            "invalid_key"
        );
        // Seeds of the wrong length (the expanded 2560-byte key is not a JOSE form).
        for n in [0, 31, 33, 64, 2560] {
            let bad = with("priv", b64_encode(vec![1u8; n]).into());
            assert_eq!(
                SigningKey::from_jwk(&bad, None).unwrap_err().code(),
                "invalid_key",
                "{n}-byte priv"
            );
        }
        // `pub` of the wrong length, not base64url, or missing.
        for bad in [
            json!(b64_encode([1u8; 1311])),
            json!(b64_encode([1u8; 1313])),
            json!("not base64url!"),
            json!(5),
        ] {
            let jwk = with("pub", bad.clone()).to_public();
            assert_eq!(
                VerifyingKey::from_jwk(&jwk, None).unwrap_err().code(),
                "invalid_key",
                "{bad}"
            );
        }
        let mut m = private.to_public().as_map().clone();
        m.remove("pub");
        assert_eq!(
            VerifyingKey::from_jwk(&Jwk::from_map(m).unwrap(), None)
                .unwrap_err()
                .code(),
            "invalid_key"
        );
        // A public JWK cannot sign.
        assert_eq!(
            SigningKey::from_jwk(&private.to_public(), None)
                .unwrap_err()
                .code(),
            "invalid_key"
        );
        // `use`/`key_ops` apply as to every key.
        let enc = with("use", "enc".into());
        assert_eq!(
            VerifyingKey::from_jwk(&enc, None).unwrap_err().code(),
            "key_usage_not_allowed"
        );
        let verify_only = with("key_ops", json!(["verify"]));
        assert_eq!(
            SigningKey::from_jwk(&verify_only, None).unwrap_err().code(),
            "key_usage_not_allowed"
        );
    }

    #[test]
    fn pem_export_and_import_round_trip() {
        for alg in LEVELS {
            let key = SigningKey::generate(alg).unwrap();
            let pem = key.to_pkcs8_pem().unwrap();
            assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
            let back = SigningKey::from_pem(alg, pem.as_bytes()).unwrap();
            assert_eq!(
                back.to_private_jwk().unwrap(),
                key.to_private_jwk().unwrap()
            );
            let spki = key.public_key_pem().unwrap();
            assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----"));
            let vk = VerifyingKey::from_pem(alg, &spki).unwrap();
            assert_eq!(vk.to_jwk().unwrap(), key.to_public_jwk().unwrap());
            assert_eq!(vk.to_pem().unwrap(), spki);
            // A private PEM serves as a verification key too.
            let vk = VerifyingKey::from_pem(alg, pem.as_bytes()).unwrap();
            assert_eq!(vk.to_jwk().unwrap(), key.to_public_jwk().unwrap());
        }
    }

    #[test]
    fn pkcs8_is_rfc_9881_seed_form() {
        for alg in LEVELS {
            let der = zero_seed_pkcs8(alg);
            let key = SigningKey::from_der(alg, &der).unwrap();
            assert_eq!(
                key.to_private_jwk().unwrap().str("priv"),
                Some(b64_encode([0u8; 32]).as_str())
            );
            // What we write is byte for byte the RFC 9881 seed form.
            let pem = key.to_pkcs8_pem().unwrap();
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            let written = super::base64_std(&body);
            assert_eq!(written, der);
        }
    }

    #[test]
    fn pkcs8_without_seed_or_with_params_is_refused() {
        let der = zero_seed_pkcs8(Algorithm::MlDsa44);
        // expandedKey only (OCTET STRING instead of [0]): no seed to export as `priv`.
        let mut expanded = der.clone();
        expanded[20] = 0x04;
        assert_eq!(
            SigningKey::from_der(Algorithm::MlDsa44, &expanded)
                .unwrap_err()
                .code(),
            "invalid_key"
        );
        // A seed of 31 bytes.
        let mut short = der[..der.len() - 1].to_vec();
        short[1] -= 1;
        short[19] -= 1;
        short[21] -= 1;
        assert_eq!(
            SigningKey::from_der(Algorithm::MlDsa44, &short)
                .unwrap_err()
                .code(),
            "invalid_key"
        );
        // AlgorithmIdentifier parameters MUST be absent (RFC 9881 2).
        let mut with_null = vec![0x30, 0x36, 0x02, 0x01, 0x00, 0x30, 0x0d];
        with_null.extend_from_slice(&der[7..18]);
        with_null.extend_from_slice(&[0x05, 0x00]);
        with_null.extend_from_slice(&der[18..]);
        assert!(SigningKey::from_der(Algorithm::MlDsa44, &with_null).is_err());
    }

    #[test]
    fn thumbprints_follow_rfc_9964() {
        // The draft's examples (appendix A) use the all-zero seed; their `kid` is the
        // thumbprint over {"alg","kty","pub"}.
        let expected = [
            (
                Algorithm::MlDsa44,
                "T4xl70S7MT6Zeq6r9V9fPJGVn76wfnXJ21-gyo0Gu6o",
            ),
            (
                Algorithm::MlDsa65,
                "Suiu29qbfuaBaR4Ats-c6XQBePB_OpAxAwcTR_0KXVM",
            ),
            (
                Algorithm::MlDsa87,
                "tRn1JNIkgMsABVQBlXeDHxAIcclh-2IX0UdDEzPt5XU",
            ),
        ];
        for (alg, kid) in expected {
            let key = zero_seed_key(alg);
            assert_eq!(key.thumbprint().unwrap(), kid, "{alg}");
            assert_eq!(key.verifying_key().thumbprint().unwrap(), kid);
            assert_eq!(key.to_public_jwk().unwrap().thumbprint().unwrap(), kid);
            assert_eq!(key.to_private_jwk().unwrap().thumbprint().unwrap(), kid);
            assert_eq!(
                key.with_thumbprint_kid().unwrap().kid(),
                Some(kid),
                "with_thumbprint_kid"
            );
        }
        // `alg` is part of the thumbprint: the same `pub` under another name differs.
        let jwk = zero_seed_key(Algorithm::MlDsa44).to_public_jwk().unwrap();
        let mut renamed = jwk.clone();
        renamed.set("alg", "ML-DSA-65");
        assert_ne!(renamed.thumbprint().unwrap(), jwk.thumbprint().unwrap());
        let mut m = jwk.as_map().clone();
        m.remove("alg");
        assert_eq!(
            Jwk::from_map(m).unwrap().thumbprint().unwrap_err().code(),
            "invalid_key"
        );
    }

    #[test]
    fn draft_example_jws_verifies() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/rfc9964/ml-dsa-44.jws"
        );
        let token = std::fs::read_to_string(path).expect("testdata/rfc9964/ml-dsa-44.jws");
        let token = token.trim();
        let key = zero_seed_key(Algorithm::MlDsa44)
            .verifying_key()
            .with_kid("T4xl70S7MT6Zeq6r9V9fPJGVn76wfnXJ21-gyo0Gu6o");
        let v = Verifier::new(key.clone(), Validation::new()).unwrap();
        let jws = v.verify_jws(token).unwrap();
        assert_eq!(
            String::from_utf8(jws.payload).unwrap(),
            "It\u{2019}s a dangerous business, Frodo, going out your door."
        );
        assert_eq!(jws.header.alg, Algorithm::MlDsa44);
        // One flipped bit anywhere in the signature breaks it.
        let (input, sig) = token.rsplit_once('.').unwrap();
        let mut raw = b64_decode(sig).unwrap();
        raw[0] ^= 0x80;
        assert_eq!(
            key.verify(input.as_bytes(), &raw).unwrap_err().code(),
            "invalid_signature"
        );
    }

    #[test]
    fn allow_lists_are_exact_and_ml_dsa_is_no_default() {
        let key = SigningKey::generate(Algorithm::MlDsa44).unwrap();
        let token = Signer::new(key.clone()).unwrap().sign(&claims()).unwrap();
        // Allowing ML-DSA-65 does not allow ML-DSA-44.
        let v = Verifier::new(
            KeySet::from(vec![key.verifying_key()]),
            Validation::new().algorithms(&[Algorithm::MlDsa65]),
        );
        assert_eq!(v.unwrap_err().code(), "invalid_argument");
        // A JWK set binds AKP keys by their own `alg`, never by the caller's defaults.
        let mut public = key.to_public_jwk().unwrap();
        public.set("kid", "pq");
        let set = jwt_core::JwkSet {
            keys: vec![public.clone()],
        };
        let keys = KeySet::from_jwks(&set, &[Algorithm::RS256]).unwrap();
        assert_eq!(keys.len(), 1);
        let v = Verifier::new(keys, Validation::new()).unwrap();
        assert!(v.verify::<Value>(&token).is_ok());
        let mut m = public.as_map().clone();
        m.remove("alg");
        let set = jwt_core::JwkSet {
            keys: vec![Jwk::from_map(m).unwrap()],
        };
        assert!(KeySet::from_jwks(&set, &[Algorithm::MlDsa44]).is_err());
    }
}

#[cfg(feature = "aws-lc")]
fn base64_std(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}
