//! Key material is parsed once and the parsed key rebound to every allowed algorithm of
//! its family (`KeySet::fitting`, `KeySet::from_material`, `SigningKey::from_material`):
//! each rebound key must still be exactly its algorithm's key (an RSA key takes the
//! padding and hash of the algorithm it is rebound to).

use jwt_core::{Algorithm, HmacPolicy, KeySet, SigningKey};

use Algorithm::*;

const RSA_ALGS: [Algorithm; 6] = [RS256, RS384, RS512, PS256, PS384, PS512];

/// Every verifying key from the material accepts a raw signature of its own algorithm
/// and refuses those of the other algorithms of the family.
fn each_key_is_its_algorithms(material: &[u8], signer: &SigningKey, algs: &[Algorithm]) {
    let private = signer.to_pkcs8_pem().unwrap();
    let loaded = KeySet::fitting(material, &Algorithm::ALL, HmacPolicy::Refuse).unwrap();
    let bound: Vec<Algorithm> = loaded.keys.keys().iter().map(|k| k.algorithm()).collect();
    assert_eq!(bound, algs);
    let msg = b"header.payload";
    for key in loaded.keys.keys() {
        for &other in algs {
            let sk = SigningKey::from_material(private.as_bytes(), Some(other))
                .unwrap_or_else(|e| panic!("{other}: {e}"));
            assert_eq!(sk.algorithm(), other);
            let sig = sk.sign(msg).unwrap();
            let same = key.algorithm().same_signature(other);
            assert_eq!(
                key.verify(msg, &sig).is_ok(),
                same,
                "{} key, {other} signature",
                key.algorithm()
            );
        }
    }
}

#[test]
fn a_rebound_rsa_key_takes_the_padding_and_hash_of_its_algorithm() {
    let sk = SigningKey::generate(RS256).unwrap();
    let public = sk.public_key_pem().unwrap();
    each_key_is_its_algorithms(public.as_bytes(), &sk, &RSA_ALGS);
    // A private PEM verifies through its public half, parsed once for all six.
    each_key_is_its_algorithms(sk.to_pkcs8_pem().unwrap().as_bytes(), &sk, &RSA_ALGS);
}

#[test]
fn an_ed25519_key_is_bound_to_both_of_its_names() {
    let sk = SigningKey::generate(EdDSA).unwrap();
    each_key_is_its_algorithms(
        sk.public_key_pem().unwrap().as_bytes(),
        &sk,
        &[EdDSA, Ed25519],
    );
}

#[test]
fn an_rsa_jwk_without_alg_is_bound_to_every_rsa_algorithm() {
    let sk = SigningKey::generate(RS256).unwrap();
    let mut jwk = sk.to_public_jwk().unwrap().as_map().clone();
    jwk.remove("alg");
    let text = serde_json::Value::Object(jwk).to_string();
    each_key_is_its_algorithms(text.as_bytes(), &sk, &RSA_ALGS);
}

#[test]
fn a_key_of_another_family_is_refused_with_the_mismatch() {
    let sk = SigningKey::generate(ES256).unwrap();
    let pem = sk.public_key_pem().unwrap();
    let err =
        KeySet::fitting(pem.as_bytes(), &[RS256, PS256, ES384], HmacPolicy::Refuse).unwrap_err();
    assert_eq!(err.code(), "key_algorithm_mismatch");
    let err =
        SigningKey::from_material(sk.to_pkcs8_pem().unwrap().as_bytes(), Some(RS256)).unwrap_err();
    assert_eq!(err.code(), "key_algorithm_mismatch");
}
