//! Wycheproof primitive vectors against the crate-private JWE primitives, read from the
//! repository's `testdata/wycheproof/` (a missing file is a failure, not a skip). Per-file
//! counts are printed (`cargo test -p jwt-core --lib wycheproof -- --nocapture`).
//!
//! Decisions:
//! - `aes_gcm_test.json`: JWE fixes a 96-bit IV and a 128-bit tag, so only groups with
//!   `ivSize` 96 apply; the others are counted as not applicable. Every applicable
//!   `valid` vector must encrypt to its ciphertext and tag and decrypt back; every
//!   `invalid` one must fail to decrypt.
//! - `aes_wrap_test.json`: `valid` wraps and unwraps; `invalid` fails to unwrap; the 3
//!   `acceptable` (`ShortKey`: 8-byte keys) are decided **rejected** (a JWE content
//!   encryption key is at least 16 bytes) and asserted so.
//! - `a128cbc_hs256_test.json`, `a256cbc_hs512_test.json`: `valid` encrypts to the
//!   ciphertext and tag with the given IV and decrypts; `invalid` fails.
//! - `x25519_test.json`: `valid` gives the shared secret; `acceptable` vectors give it
//!   too, except those whose shared secret is all zero (`ZeroSharedSecret`, from
//!   low-order points), which are decided **rejected** (RFC 7748 6.1 check; an ECDH-ES
//!   key derived from a known secret would be worthless) as `invalid_header`: the
//!   low-order point is the public one, in JWE the token's `epk` (every 32 bytes are a
//!   valid X25519 private key, so the recipient's key is never at fault).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use super::alg::{ContentEncryption, EcdhCurve};
use super::crypto::*;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/wycheproof")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("Wycheproof vectors: cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("Wycheproof JSON")
}

fn h(t: &Value, name: &str) -> Vec<u8> {
    hex::decode(t[name].as_str().unwrap()).unwrap()
}

fn tests(file: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    file["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["tests"].as_array().unwrap().iter().map(move |t| (g, t)))
}

fn report(name: &str, file: &Value, counts: BTreeMap<&str, usize>) {
    println!("{name}: {counts:?}");
    let total: usize = counts.values().sum();
    assert_eq!(
        total as u64,
        file["numberOfTests"].as_u64().unwrap(),
        "{name}: every vector counted"
    );
}

#[test]
fn wycheproof_aes_gcm() {
    let file = load("aes_gcm_test.json");
    let mut counts = BTreeMap::new();
    for (g, t) in tests(&file) {
        let id = &t["tcId"];
        if g["ivSize"] != 96 || g["tagSize"] != 128 {
            *counts.entry("not applicable (IV size)").or_default() += 1;
            continue;
        }
        let (key, iv, aad, msg, ct, tag) = (
            h(t, "key"),
            h(t, "iv"),
            h(t, "aad"),
            h(t, "msg"),
            h(t, "ct"),
            h(t, "tag"),
        );
        let dec = gcm_decrypt(&key, &iv, &aad, &ct, &tag);
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(*dec.unwrap(), msg, "tcId {id}");
                let (c2, t2) = gcm_encrypt(&key, &iv, &aad, &msg).unwrap();
                assert_eq!((c2, t2), (ct, tag), "tcId {id}");
                *counts.entry("valid").or_default() += 1;
            }
            _ => {
                assert!(dec.is_err(), "tcId {id} accepted");
                *counts.entry("invalid, rejected").or_default() += 1;
            }
        }
    }
    report("aes_gcm_test.json", &file, counts);
}

#[test]
fn wycheproof_aes_wrap() {
    let file = load("aes_wrap_test.json");
    let mut counts = BTreeMap::new();
    for (_, t) in tests(&file) {
        let id = &t["tcId"];
        let (key, msg, ct) = (h(t, "key"), h(t, "msg"), h(t, "ct"));
        let un = aes_kw_unwrap(&key, &ct);
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(*un.unwrap(), msg, "tcId {id}");
                assert_eq!(aes_kw_wrap(&key, &msg).unwrap(), ct, "tcId {id}");
                *counts.entry("valid").or_default() += 1;
            }
            "acceptable" => {
                assert!(un.is_err(), "tcId {id}: short keys are decided rejected");
                *counts.entry("acceptable, rejected (ShortKey)").or_default() += 1;
            }
            _ => {
                assert!(un.is_err(), "tcId {id} accepted");
                *counts.entry("invalid, rejected").or_default() += 1;
            }
        }
    }
    report("aes_wrap_test.json", &file, counts);
}

fn cbc_hs(name: &str, enc: ContentEncryption) {
    let file = load(name);
    let mut counts = BTreeMap::new();
    for (_, t) in tests(&file) {
        let id = &t["tcId"];
        let (key, iv, aad, msg, ct, tag) = (
            h(t, "key"),
            h(t, "iv"),
            h(t, "aad"),
            h(t, "msg"),
            h(t, "ct"),
            h(t, "tag"),
        );
        let dec = decrypt_content(enc, &key, &aad, &iv, &ct, &tag);
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(*dec.unwrap(), msg, "tcId {id}");
                let (c2, t2) = cbc_hs_encrypt_with_iv(enc, &key, &iv, &aad, &msg).unwrap();
                assert_eq!((c2, t2), (ct, tag), "tcId {id}");
                *counts.entry("valid").or_default() += 1;
            }
            _ => {
                assert!(dec.is_err(), "tcId {id} accepted");
                *counts.entry("invalid, rejected").or_default() += 1;
            }
        }
    }
    report(name, &file, counts);
}

#[test]
fn wycheproof_a128cbc_hs256() {
    cbc_hs("a128cbc_hs256_test.json", ContentEncryption::A128CbcHs256);
}

#[test]
fn wycheproof_a256cbc_hs512() {
    cbc_hs("a256cbc_hs512_test.json", ContentEncryption::A256CbcHs512);
}

#[test]
fn wycheproof_x25519() {
    let file = load("x25519_test.json");
    let mut counts = BTreeMap::new();
    for (_, t) in tests(&file) {
        let id = &t["tcId"];
        let (public, private, shared) = (h(t, "public"), h(t, "private"), h(t, "shared"));
        let key = EcdhPrivate::from_scalar(EcdhCurve::X25519, &private).unwrap();
        let peer = EcdhPublic::from_coordinates(EcdhCurve::X25519, &public, None).unwrap();
        let z = key.agree(&peer);
        let zero = shared.iter().all(|b| *b == 0);
        match (t["result"].as_str().unwrap(), zero) {
            (_, true) => {
                // The zero secret comes from the public point, which in JWE is the
                // token's `epk` (any 32 bytes are a valid X25519 private key): the
                // token's fault.
                assert_eq!(z.unwrap_err().code(), "invalid_header", "tcId {id}");
                *counts.entry("zero shared secret, rejected").or_default() += 1;
            }
            ("valid", false) => {
                assert_eq!(*z.unwrap(), shared, "tcId {id}");
                *counts.entry("valid").or_default() += 1;
            }
            ("acceptable", false) => {
                assert_eq!(*z.unwrap(), shared, "tcId {id}");
                *counts.entry("acceptable, accepted").or_default() += 1;
            }
            (other, _) => panic!("tcId {id}: {other} with a non-zero secret"),
        }
    }
    report("x25519_test.json", &file, counts);
}

/// `rsa_oaep_2048_sha256_mgf1sha256_test.json` (the `RSA-OAEP-256` primitive), aws-lc
/// only. Decisions: every `valid` vector decrypts to its message with its label (JWE
/// itself never sets one) and every `invalid` one fails; with a label, the same vector
/// must also fail without it, since a JWE recipient passes none.
#[cfg(feature = "aws-lc")]
#[test]
fn wycheproof_rsa_oaep_2048_sha256() {
    use aws_lc_rs::rsa::OAEP_SHA256_MGF1SHA256;

    let name = "rsa_oaep_2048_sha256_mgf1sha256_test.json";
    let file = load(name);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut keys = BTreeMap::new();
    for (g, t) in tests(&file) {
        let pkcs8 = g["privateKeyPkcs8"].as_str().unwrap();
        let key = keys.entry(pkcs8.to_owned()).or_insert_with(|| {
            super::rsa::RsaPrivate::from_der(&hex::decode(pkcs8).unwrap()).unwrap()
        });
        let (ct, msg, label) = (h(t, "ct"), h(t, "msg"), h(t, "label"));
        let label = (!label.is_empty()).then_some(&label[..]);
        let out = key.decrypt(&OAEP_SHA256_MGF1SHA256, &ct, label);
        let id = &t["tcId"];
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(out.as_deref().map(|m| &m[..]), Some(&msg[..]), "tcId {id}");
                if label.is_some() {
                    assert!(
                        key.decrypt(&OAEP_SHA256_MGF1SHA256, &ct, None).is_none(),
                        "tcId {id}: decrypted without its label"
                    );
                }
                *counts.entry("valid").or_default() += 1;
            }
            "invalid" => {
                assert!(out.is_none(), "tcId {id} decrypted");
                *counts.entry("invalid").or_default() += 1;
            }
            other => panic!("tcId {id}: unexpected result {other}"),
        }
    }
    report(name, &file, counts);
}
