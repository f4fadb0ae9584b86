//! RSA-OAEP and RSA-OAEP-256 JWE key management (feature `aws-lc`; with the ring backend
//! both names are `unsupported_algorithm`, asserted at the end). RFC 7516 A.1 is in
//! `jwe_rfc.rs`, the Wycheproof vectors in `jwe_wycheproof.rs` and `src/jwe/wycheproof.rs`.

use jwt_core::jwe::KeyAlgorithm;

#[cfg(feature = "aws-lc")]
mod oaep {
    use jwt_core::jwe::{
        ContentEncryption, DecryptOptions, Decrypter, DecryptionKey, Encrypter, EncryptionKey,
        KeyAlgorithm,
    };
    use jwt_core::{Algorithm, SigningKey};

    const ALGS: [KeyAlgorithm; 2] = [KeyAlgorithm::RsaOaep, KeyAlgorithm::RsaOaep256];

    fn seal(to: EncryptionKey, enc: ContentEncryption, msg: &[u8]) -> String {
        Encrypter::new(to, enc).unwrap().encrypt(msg).unwrap()
    }

    fn decrypt(key: &DecryptionKey, token: &str) -> jwt_core::Result<Vec<u8>> {
        Decrypter::new([key.clone()], DecryptOptions::new())?
            .decrypt(token)
            .map(|d| d.plaintext)
    }

    #[test]
    fn round_trip_every_enc() {
        for alg in ALGS {
            let key = DecryptionKey::generate_rsa(alg).unwrap().with_kid("r1");
            for enc in ContentEncryption::ALL {
                let token = seal(key.encryption_key(), enc, b"hello oaep");
                let d = Decrypter::new([key.clone()], DecryptOptions::new()).unwrap();
                let out = d.decrypt(&token).unwrap();
                assert_eq!(out.plaintext, b"hello oaep", "{alg} {enc}");
                assert_eq!(out.header.alg, alg);
                assert_eq!(out.header.kid.as_deref(), Some("r1"));
                // The encrypted key is one RSA block (2048 bits).
                let ek = token.split('.').nth(1).unwrap();
                assert_eq!(jwt_core::b64_decode(ek).unwrap().len(), 256);
            }
        }
    }

    #[test]
    fn public_jwk_and_pem_reach_the_same_recipient() {
        let key = DecryptionKey::generate_rsa(KeyAlgorithm::RsaOaep256).unwrap();
        let public = key.to_public_jwk().unwrap();
        assert_eq!(public.kty(), "RSA");
        assert_eq!(public.alg(), Some("RSA-OAEP-256"));
        assert!(!public.as_map().contains_key("d"), "no private member");
        let from_jwk = EncryptionKey::from_jwk(&public, None).unwrap();
        let pem = from_jwk.rsa_public_pem().unwrap();
        let from_pem = EncryptionKey::rsa_from_pem(KeyAlgorithm::RsaOaep256, &pem).unwrap();
        for to in [from_jwk, from_pem] {
            let token = seal(to, ContentEncryption::A256GCM, b"x");
            assert_eq!(decrypt(&key, &token).unwrap(), b"x");
        }
        // The private JWK comes back to an equivalent key.
        let private = key.to_private_jwk().unwrap();
        assert_eq!(private.as_map()["use"], "enc");
        let again = DecryptionKey::from_jwk(&private, None).unwrap();
        let token = seal(key.encryption_key(), ContentEncryption::A128GCM, b"y");
        assert_eq!(decrypt(&again, &token).unwrap(), b"y");
    }

    #[test]
    fn signing_key_pem_imports_as_an_oaep_key() {
        let signing = SigningKey::generate(Algorithm::RS256).unwrap();
        let pem = signing.to_pkcs8_pem().unwrap();
        let key = DecryptionKey::rsa_from_pem(KeyAlgorithm::RsaOaep, pem.as_bytes()).unwrap();
        let to =
            EncryptionKey::rsa_from_pem(KeyAlgorithm::RsaOaep, signing.public_key_pem().unwrap())
                .unwrap();
        let token = seal(to, ContentEncryption::A128CbcHs256, b"z");
        assert_eq!(decrypt(&key, &token).unwrap(), b"z");
    }

    #[test]
    fn wrong_key_tampering_and_alg_binding_fail_typed() {
        let key = DecryptionKey::generate_rsa(KeyAlgorithm::RsaOaep).unwrap();
        let other = DecryptionKey::generate_rsa(KeyAlgorithm::RsaOaep).unwrap();
        let token = seal(key.encryption_key(), ContentEncryption::A256GCM, b"secret");
        assert_eq!(
            decrypt(&other, &token).unwrap_err().code(),
            "decryption_failed"
        );
        // Encrypted key of the wrong length, or flipped: the same error as a bad tag.
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        for ek in [vec![0u8; 255], vec![], {
            let mut b = jwt_core::b64_decode(&parts[1]).unwrap();
            b[0] ^= 0x80;
            b
        }] {
            parts[1] = jwt_core::b64_encode(&ek);
            assert_eq!(
                decrypt(&key, &parts.join(".")).unwrap_err().code(),
                "decryption_failed"
            );
        }
        // A key bound to RSA-OAEP does not decrypt an RSA-OAEP-256 token.
        let k256 = DecryptionKey::rsa_from_der(
            KeyAlgorithm::RsaOaep,
            &jwt_core::b64_decode(
                key.to_private_jwk().unwrap().as_map()["n"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap(),
        );
        assert!(k256.is_err(), "a modulus is not a private key");
        let as256 = DecryptionKey::generate_rsa(KeyAlgorithm::RsaOaep256).unwrap();
        let token256 = seal(as256.encryption_key(), ContentEncryption::A256GCM, b"s");
        assert_eq!(
            decrypt(&key, &token256).unwrap_err().code(),
            "algorithm_not_allowed"
        );
    }

    #[test]
    fn weak_and_mismatched_keys_are_refused() {
        // A 1024-bit modulus (the JWS minimum of 2048 bits applies).
        let n = jwt_core::b64_encode([0xc5u8; 128]);
        let jwk = jwt_core::Jwk::from_json(format!(
            r#"{{"kty":"RSA","alg":"RSA-OAEP","n":"{n}","e":"AQAB"}}"#
        ))
        .unwrap();
        assert_eq!(
            EncryptionKey::from_jwk(&jwk, None).unwrap_err().code(),
            "weak_key"
        );
        // An EC key or an oct secret is not an RSA-OAEP key.
        let ec = jwt_core::Jwk::from_json(
            r#"{"kty":"oct","alg":"RSA-OAEP","k":"AAAAAAAAAAAAAAAAAAAAAA"}"#,
        )
        .unwrap();
        assert_eq!(
            DecryptionKey::from_jwk(&ec, None).unwrap_err().code(),
            "key_algorithm_mismatch"
        );
        assert_eq!(
            DecryptionKey::generate_rsa(KeyAlgorithm::A128KW)
                .unwrap_err()
                .code(),
            "key_algorithm_mismatch"
        );
    }
}

/// With ring only, both names are a typed "unsupported algorithm" that names the backend
/// they need; `RSA1_5` is unsupported with every backend.
#[test]
fn availability_follows_the_backend() {
    for name in ["RSA-OAEP", "RSA-OAEP-256"] {
        let parsed = name.parse::<KeyAlgorithm>();
        if cfg!(feature = "aws-lc") {
            assert_eq!(parsed.unwrap().as_str(), name);
        } else {
            let e = parsed.unwrap_err();
            assert_eq!(e.code(), "unsupported_algorithm");
            assert!(e.to_string().contains("aws-lc"), "{e}");
        }
    }
    assert_eq!(
        "RSA1_5".parse::<KeyAlgorithm>().unwrap_err().code(),
        "unsupported_algorithm"
    );
}
