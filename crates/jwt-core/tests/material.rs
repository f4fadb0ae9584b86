//! `KeySet::from_material` and `SigningKey::from_material`: every form a user passes as
//! "a key" becomes typed keys for the allowed algorithms, and nothing else.

mod common;

use common::{NOW, keyform as data, pem_der};
use jwt_core::{
    Algorithm, HmacPolicy, KeySet, KeyWarning, MaterialForm, Signer, SigningKey, Validation,
    Verifier,
};

use Algorithm::*;
use HmacPolicy::*;

fn algs_of(set: &KeySet) -> Vec<Algorithm> {
    set.keys().iter().map(|k| k.algorithm()).collect()
}

/// A token for `sk` with `exp` after the corpus clock.
fn token(sk: &SigningKey) -> String {
    Signer::new(sk.clone())
        .unwrap()
        .sign(&serde_json::json!({"exp": NOW + 60}))
        .unwrap()
}

fn verifies(keys: impl Into<KeySet>, token: &str) -> bool {
    Verifier::new(keys, Validation::new())
        .unwrap()
        .verify_at::<serde_json::Value>(token, NOW)
        .is_ok()
}

#[test]
fn every_public_form_verifies_what_its_private_key_signs() {
    let cases: [(&str, Algorithm, &[&str]); 5] = [
        (
            "rsa",
            RS256,
            &[
                "rsa.pub.pem",
                "cert-rsa.pem",
                "cert-rsa.der",
                "rsa.openssh.pub",
                "rsa.key",
            ],
        ),
        (
            "p256",
            ES256,
            &[
                "p256.pub.pem",
                "cert-p256.pem",
                "cert-p256.der",
                "p256.openssh.pub",
                "p256.key",
            ],
        ),
        (
            "p384",
            ES384,
            &["p384.pub.pem", "p384.openssh.pub", "p384.key"],
        ),
        ("p521", ES512, &["p521.pub.pem", "p521.openssh.pub"]),
        (
            "ed25519",
            EdDSA,
            &["ed25519.pub.pem", "cert-ed25519.pem", "ed25519.openssh.pub"],
        ),
    ];
    for (name, alg, files) in cases {
        let sk = SigningKey::from_pem(alg, data(&format!("{name}.key"))).unwrap();
        let t = token(&sk);
        for file in files {
            let loaded = KeySet::from_material(&data(file), &[alg], Refuse)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(algs_of(&loaded.keys), [alg], "{file}");
            assert!(loaded.warnings.is_empty());
            assert!(verifies(loaded, &t), "{file}");
        }
        // The DER of the SPKI PEM, and the public JWK and JWK set.
        let der = pem_der(data(&format!("{name}.pub.pem")));
        let loaded = KeySet::from_material(&der, &[alg], Refuse).unwrap();
        assert_eq!(loaded.form, MaterialForm::Der);
        assert!(verifies(loaded, &t));
        let jwk = sk.to_public_jwk().unwrap().to_json();
        let loaded = KeySet::from_material(jwk.as_bytes(), &[alg], Refuse).unwrap();
        assert_eq!(loaded.form, MaterialForm::Jwk);
        assert!(verifies(loaded, &t));
        let jwks = KeySet::from(sk.verifying_key())
            .to_public_jwks()
            .unwrap()
            .to_json();
        let loaded = KeySet::from_material(jwks.as_bytes(), &[alg], Refuse).unwrap();
        assert_eq!(loaded.form, MaterialForm::Jwks);
        assert!(verifies(loaded, &t));
    }
}

#[test]
fn forms_are_told_by_content() {
    let cases: [(&[u8], MaterialForm); 7] = [
        (b"my-secret", MaterialForm::Secret),
        (&data("rsa.pub.pem"), MaterialForm::Pem),
        (&data("cert-rsa.der"), MaterialForm::Der),
        (&data("ed25519.openssh.pub"), MaterialForm::OpenSsh),
        (br#"{"kty":"oct","k":"c2VjcmV0"}"#, MaterialForm::Jwk),
        (br#"{"keys":[]}"#, MaterialForm::Jwks),
        // JSON that is not a JWK is a secret (and the caller's to choose).
        (br#"{"not":"a key"}"#, MaterialForm::Secret),
    ];
    for (m, want) in cases {
        assert_eq!(MaterialForm::of(m), want, "{}", String::from_utf8_lossy(m));
    }
    assert_eq!(MaterialForm::Pem.as_str(), "pem");
    assert!(MaterialForm::OpenSsh.is_asymmetric() && !MaterialForm::Jwk.is_asymmetric());
}

#[test]
fn only_allowed_algorithms_of_the_keys_family_are_bound() {
    let rsa = data("rsa.pub.pem");
    let loaded = KeySet::from_material(&rsa, &[HS256, RS256, PS512, ES256], Refuse).unwrap();
    assert_eq!(algs_of(&loaded.keys), [RS256, PS512]);
    // Nothing fits: the family mismatch, never an HMAC key from a public key.
    for algs in [&[HS256][..], &[HS256, HS512], &[ES256]] {
        let e = KeySet::from_material(&rsa, algs, Allow).unwrap_err();
        assert_eq!(e.code(), "key_algorithm_mismatch", "{algs:?}");
    }
    // A secret fits only HMAC algorithms.
    let secret = [9u8; 64];
    let loaded = KeySet::from_material(&secret, &[HS256, RS256, HS512], Refuse).unwrap();
    assert_eq!(algs_of(&loaded.keys), [HS256, HS512]);
    assert_eq!(
        KeySet::from_material(&secret, &[RS256], Refuse)
            .unwrap_err()
            .code(),
        "invalid_key"
    );
}

#[test]
fn without_algorithms_only_what_the_key_implies() {
    let loaded = KeySet::from_material(&data("p384.pub.pem"), &[], Refuse).unwrap();
    assert_eq!(algs_of(&loaded.keys), [ES384]);
    let loaded = KeySet::from_material(&data("ed25519.openssh.pub"), &[], Refuse).unwrap();
    assert_eq!(algs_of(&loaded.keys), [EdDSA]);
    // RSA and secrets fit several algorithms: the caller must say which.
    for m in [&data("rsa.pub.pem")[..], &[1u8; 64]] {
        assert_eq!(
            KeySet::from_material(m, &[], Refuse).unwrap_err().code(),
            "invalid_argument"
        );
    }
    // A JWK's own `alg` decides.
    let jwk = SigningKey::generate(PS384)
        .unwrap()
        .to_public_jwk()
        .unwrap()
        .to_json();
    let loaded = KeySet::from_material(jwk.as_bytes(), &[], Refuse).unwrap();
    assert_eq!(algs_of(&loaded.keys), [PS384]);
    // ... and must be among the allowed ones when they are given.
    assert_eq!(
        KeySet::from_material(jwk.as_bytes(), &[RS256], Refuse)
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
}

#[test]
fn the_hmac_policy_decides_short_secrets() {
    let short = b"secret";
    assert_eq!(
        KeySet::from_material(short, &[HS256], Refuse)
            .unwrap_err()
            .code(),
        "weak_key"
    );
    let warned = KeySet::from_material(short, &[HS256, HS384], Warn).unwrap();
    assert_eq!(
        warned.warnings,
        [
            KeyWarning::ShortHmacSecret {
                alg: HS256,
                len: 6,
                min: 32
            },
            KeyWarning::ShortHmacSecret {
                alg: HS384,
                len: 6,
                min: 48
            },
        ]
    );
    assert!(warned.warnings[0].to_string().contains("6 bytes"));
    let allowed = KeySet::from_material(short, &[HS256], Allow).unwrap();
    assert!(allowed.warnings.is_empty());
    assert_eq!(allowed.keys.len(), 1);
    // A long enough secret is never warned about; an empty one is always refused.
    assert!(
        KeySet::from_material(&[1u8; 32], &[HS256], Warn)
            .unwrap()
            .warnings
            .is_empty()
    );
    for policy in [Refuse, Warn, Allow] {
        assert_eq!(
            KeySet::from_material(b"", &[HS256], policy)
                .unwrap_err()
                .code(),
            "weak_key"
        );
    }
    // The policy covers `oct` JWKs and JWK sets too.
    let jwk = br#"{"kty":"oct","k":"c2VjcmV0","alg":"HS256"}"#;
    assert_eq!(
        KeySet::from_material(jwk, &[HS256], Refuse)
            .unwrap_err()
            .code(),
        "weak_key"
    );
    assert_eq!(
        KeySet::from_material(jwk, &[HS256], Warn)
            .unwrap()
            .warnings
            .len(),
        1
    );
    let jwks = br#"{"keys":[{"kty":"oct","k":"c2VjcmV0","alg":"HS256","kid":"a"}]}"#;
    assert_eq!(
        KeySet::from_material(jwks, &[HS256], Refuse)
            .unwrap_err()
            .code(),
        "weak_key"
    );
    let loaded = KeySet::from_material(jwks, &[HS256], Warn).unwrap();
    assert_eq!((loaded.keys.len(), loaded.warnings.len()), (1, 1));
}

#[test]
fn the_hmac_policy_decides_short_signing_secrets() {
    let short = b"secret";
    assert_eq!(
        SigningKey::hmac_with_policy(HS256, short, Refuse)
            .unwrap_err()
            .code(),
        "weak_key"
    );
    for policy in [Warn, Allow] {
        let sk = SigningKey::hmac_with_policy(HS256, short, policy).unwrap();
        let t = token(&sk);
        // The token is the peers' HMAC over the same secret: it verifies under Allow
        // and under nothing stricter.
        let vk = KeySet::from_material(short, &[HS256], Allow).unwrap().keys;
        assert!(verifies(vk, &t));
        assert!(KeySet::from_material(short, &[HS256], Refuse).is_err());
        // Empty secrets and public keys stay refused whatever the policy.
        assert_eq!(
            SigningKey::hmac_with_policy(HS256, b"", policy)
                .unwrap_err()
                .code(),
            "weak_key"
        );
        let pem = data("p256.pub.pem");
        assert_eq!(
            SigningKey::hmac_with_policy(HS256, &pem, policy)
                .unwrap_err()
                .code(),
            "key_algorithm_mismatch"
        );
        assert_eq!(
            SigningKey::hmac_with_policy(ES256, short, policy)
                .unwrap_err()
                .code(),
            "key_algorithm_mismatch"
        );
    }
    // Refuse is SigningKey::hmac: a full-length secret signs the same token either way.
    let long = [7u8; 32];
    assert_eq!(
        token(&SigningKey::hmac_with_policy(HS256, &long, Refuse).unwrap()),
        token(&SigningKey::hmac(HS256, &long).unwrap())
    );
}

#[test]
fn public_keys_in_other_spellings_are_never_secrets() {
    use base64::Engine as _;
    let der = data("cert-rsa.der");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let hex = hex::encode(&der);
    let jwk = SigningKey::generate(ES256)
        .unwrap()
        .to_public_jwk()
        .unwrap()
        .to_json();
    for m in [b64.as_bytes(), hex.as_bytes(), jwk.as_bytes(), &der] {
        for policy in [Refuse, Warn, Allow] {
            let e = KeySet::from_material(m, &[HS256], policy).unwrap_err();
            assert_eq!(e.code(), "key_algorithm_mismatch");
        }
    }
    // Asked for RSA, the base64 spelling is named, not guessed at.
    let e = KeySet::from_material(b64.as_bytes(), &[RS256], Refuse).unwrap_err();
    assert_eq!(e.code(), "invalid_key");
    assert!(e.to_string().contains("base64"), "{e}");
}

#[test]
fn broken_material_is_a_typed_error() {
    let pem = data("rsa.pub.pem");
    for cut in [20, pem.len() / 2, pem.len() - 30] {
        let e = KeySet::from_material(&pem[..cut], &[RS256], Refuse).unwrap_err();
        assert_eq!(e.code(), "invalid_key", "cut {cut}");
    }
    for m in [
        &b"{\"keys\":[{\"kty\":\"RSA\"}]}"[..],
        b"{\"kty\":\"EC\",\"crv\":\"P-256\"}",
    ] {
        assert!(KeySet::from_material(m, &[ES256, RS256], Refuse).is_err());
    }
    let e = KeySet::from_material(br#"{"keys":[]}"#, &[RS256], Refuse).unwrap_err();
    assert_eq!(e.code(), "key_not_found");
}

#[test]
fn signing_material() {
    for (file, alg) in [
        ("rsa.key", RS256),
        ("p256.key", ES256),
        ("ed25519.key", EdDSA),
    ] {
        let k = SigningKey::from_material(&data(file), Some(alg)).unwrap();
        assert_eq!(k.algorithm(), alg);
        let der = pem_der(data(file));
        assert_eq!(
            SigningKey::from_material(&der, Some(alg))
                .unwrap()
                .algorithm(),
            alg
        );
    }
    // Without an algorithm: what the key implies, or a usage error for RSA and secrets.
    assert_eq!(
        SigningKey::from_material(&data("p256.key"), None)
            .unwrap()
            .algorithm(),
        ES256
    );
    for m in [&data("rsa.key")[..], &[3u8; 64]] {
        assert_eq!(
            SigningKey::from_material(m, None).unwrap_err().code(),
            "invalid_argument"
        );
    }
    // Public material cannot sign; a family mismatch is named.
    for file in ["rsa.pub.pem", "cert-rsa.pem", "rsa.openssh.pub"] {
        assert_eq!(
            SigningKey::from_material(&data(file), Some(RS256))
                .unwrap_err()
                .code(),
            "invalid_key",
            "{file}"
        );
    }
    assert_eq!(
        SigningKey::from_material(&data("rsa.key"), Some(ES256))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    assert_eq!(
        SigningKey::from_material(&data("rsa.key"), Some(HS256))
            .unwrap_err()
            .code(),
        "key_algorithm_mismatch"
    );
    // Secrets sign HMAC only, never short.
    assert_eq!(
        SigningKey::from_material(b"short", Some(HS256))
            .unwrap_err()
            .code(),
        "weak_key"
    );
    let jwk = SigningKey::generate(ES384)
        .unwrap()
        .to_private_jwk()
        .unwrap()
        .to_json();
    assert_eq!(
        SigningKey::from_material(jwk.as_bytes(), None)
            .unwrap()
            .algorithm(),
        ES384
    );
}

#[test]
fn fitting_binds_each_allowed_algorithm_the_key_fits_and_passes_over_the_rest() {
    let rsa = SigningKey::generate(RS256)
        .unwrap()
        .public_key_pem()
        .unwrap();
    let fits = KeySet::fitting(rsa.as_bytes(), &Algorithm::ALL, Refuse).unwrap();
    assert_eq!(
        algs_of(&fits.keys),
        [RS256, RS384, RS512, PS256, PS384, PS512]
    );
    // from_material refuses the whole list when one HMAC algorithm refuses the secret;
    // fitting keeps the ones it fits
    let secret = [7u8; 48];
    assert_eq!(
        KeySet::from_material(&secret, &[HS256, HS384, HS512], Refuse)
            .unwrap_err()
            .code(),
        "weak_key"
    );
    let fits = KeySet::fitting(&secret, &[HS256, HS384, HS512], Refuse).unwrap();
    assert_eq!(algs_of(&fits.keys), [HS256, HS384]);
    // none fits: the most telling error (the guard's, not a family mismatch)
    let err = KeySet::fitting(rsa.as_bytes(), &[HS256, ES256], Allow).unwrap_err();
    assert_eq!(err.code(), "key_algorithm_mismatch");
    assert_eq!(
        KeySet::fitting(&[1u8; 8], &[HS256], Refuse)
            .unwrap_err()
            .code(),
        "weak_key"
    );
    // warnings are collected across algorithms
    let warned = KeySet::fitting(&[1u8; 8], &[HS256, HS384], Warn).unwrap();
    assert_eq!(warned.warnings.len(), 2);
}
