//! Wycheproof vectors, from the repository's `testdata/wycheproof/` (a missing file is a
//! failure, not a skip).
//!
//! Every `invalid` vector must be rejected and every `valid` one accepted, except the
//! policy exceptions listed (with their reason and the error code we assert) in
//! [`POLICY`], and four vectors whose data contradicts itself ([`DEFECTS`]). There are no `acceptable` vectors in the JWS/JWK files; the three
//! `acceptable` RSA PKCS#1 vectors (flag `MissingNull`: a DigestInfo without the NULL
//! parameters) are decided as **rejected** (ring accepts only the canonical encoding,
//! which is what every JOSE signer produces) and asserted so.
//!
//! Per-file counts are printed (`cargo test --test wycheproof -- --nocapture`).

use jwt_core::{Algorithm, Jwk, KeySet, Validation, Verifier, VerifyingKey};
use serde_json::Value;

mod common;
use common::wycheproof as load;

/// Valid vectors we reject on purpose, with the code we assert and why.
/// (file, tcId, expected error code, reason)
const POLICY: &[(&str, u64, &str, &str)] = &[
    (
        "json_web_signature_test.json",
        346,
        "algorithm_not_allowed",
        "the JWK says alg PS256 but the token (RFC 7520 4.2) is PS384: a JWK's alg is honoured",
    ),
    (
        "json_web_signature_test.json",
        347,
        "unsupported_algorithm",
        "the JWK says alg `ES521`, which is not a registered algorithm (ES512 is)",
    ),
    (
        "json_web_signature_test.json",
        349,
        "key_usage_not_allowed",
        "key_ops is [\"sign, verify\"], one string: it does not list `verify`",
    ),
    (
        "json_web_signature_test.json",
        350,
        "algorithm_not_allowed",
        "the JWK says alg PS256 but the token (RFC 7520 4.2) is PS384: a JWK's alg is honoured",
    ),
    (
        "json_web_signature_test.json",
        351,
        "unsupported_algorithm",
        "the JWK says alg `ES521`, which is not a registered algorithm (ES512 is)",
    ),
];

/// Vectors whose data contradicts itself in this copy of the suite; we assert what the
/// JOSE rules say and count them separately. (file, tcId, expected: Ok = None / Err code,
/// reason)
const DEFECTS: &[(&str, u64, Option<&str>, &str)] = &[
    (
        "json_web_signature_test.json",
        367,
        None,
        "marked invalid (`invalidBase64Padding`) but byte-identical to the valid tcId 357 (no padding present)",
    ),
    (
        "json_web_signature_test.json",
        370,
        None,
        "marked invalid (`invalidBase64PaddingInPayload`) but byte-identical to the valid tcId 357",
    ),
    (
        "json_web_signature_test.json",
        372,
        Some("malformed_token"),
        "marked valid but has `?` inserted in the header segment: not base64url (RFC 7515 2, strict decoding)",
    ),
    (
        "json_web_signature_test.json",
        373,
        Some("malformed_token"),
        "marked valid but has `?` inserted in the payload segment: not base64url",
    ),
];

#[derive(Default, Debug)]
struct Counts {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    policy: usize,
    defects: usize,
    skipped: usize,
    skip_reasons: Vec<String>,
    failures: Vec<String>,
}

impl Counts {
    fn report(&self, file: &str) {
        println!(
            "{file}: valid accepted {}, invalid rejected {}, acceptable decided {}, rejected by policy {}, vector defects {}, skipped {}{}",
            self.valid,
            self.invalid,
            self.acceptable,
            self.policy,
            self.defects,
            self.skipped,
            if self.skip_reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", self.skip_reasons.join("; "))
            }
        );
        assert!(
            self.failures.is_empty(),
            "{file}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }

    /// Record the outcome of one vector.
    fn check(&mut self, file: &str, t: &Value, outcome: Result<(), jwt_core::Error>) {
        let id = t["tcId"].as_u64().unwrap();
        let result = t["result"].as_str().unwrap();
        if let Some((_, _, code, why)) = POLICY.iter().find(|(f, i, _, _)| *f == file && *i == id) {
            match &outcome {
                Err(e) if e.code() == *code => self.policy += 1,
                other => self
                    .failures
                    .push(format!("tcId {id} ({why}): expected {code}, got {other:?}")),
            }
            return;
        }
        if let Some((_, _, want, why)) = DEFECTS.iter().find(|(f, i, _, _)| *f == file && *i == id)
        {
            match (&outcome, want) {
                (Ok(()), None) => self.defects += 1,
                (Err(e), Some(code)) if e.code() == *code => self.defects += 1,
                _ => self.failures.push(format!(
                    "tcId {id} ({why}): expected {want:?}, got {outcome:?}"
                )),
            }
            return;
        }
        match (result, &outcome) {
            ("valid", Ok(())) => self.valid += 1,
            ("invalid", Err(_)) => self.invalid += 1,
            // Decision for `acceptable` (only RSA PKCS#1 `MissingNull` occurs): rejected.
            ("acceptable", Err(_)) => self.acceptable += 1,
            _ => self.failures.push(format!(
                "tcId {id} [{result}] {} {:?}: got {outcome:?}",
                t["comment"].as_str().unwrap_or(""),
                t["flags"]
            )),
        }
    }
}

fn hex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("hex")
}

fn groups(d: &Value) -> impl Iterator<Item = &Value> {
    d["testGroups"].as_array().unwrap().iter()
}

fn tests(g: &Value) -> impl Iterator<Item = &Value> {
    g["tests"].as_array().unwrap().iter()
}

// =======================================================================================
// Primitive files
// =======================================================================================

fn ecdsa_file(file: &str, alg: Algorithm) {
    let d = load(file);
    let mut c = Counts::default();
    for g in groups(&d) {
        let der = hex(&g["publicKeyDer"]);
        let key = VerifyingKey::from_der(alg, &der);
        // The same key through the other import paths must agree.
        let raw = VerifyingKey::from_public_bytes(alg, &hex(&g["publicKey"]["uncompressed"]));
        let jwk = g["publicKeyJwk"]
            .as_object()
            .map(|m| VerifyingKey::from_jwk(&Jwk::from_map(m.clone()).unwrap(), Some(alg)));
        // The other import paths are cross-checked on the first vectors of each group
        // (P-521 verification is slow in debug builds).
        for (i, t) in tests(g).enumerate() {
            let (m, s) = (hex(&t["msg"]), hex(&t["sig"]));
            let outcome = key.clone().and_then(|k| k.verify(&m, &s));
            if i >= 8 {
                c.check(file, t, outcome);
                continue;
            }
            let by_raw = raw.clone().and_then(|k| k.verify(&m, &s));
            assert_eq!(
                outcome.is_ok(),
                by_raw.is_ok(),
                "{file} tcId {} raw import disagrees",
                t["tcId"]
            );
            if let Some(jwk) = &jwk {
                let by_jwk = jwk.clone().and_then(|k| k.verify(&m, &s));
                assert_eq!(
                    outcome.is_ok(),
                    by_jwk.is_ok(),
                    "{file} tcId {} JWK import disagrees",
                    t["tcId"]
                );
            }
            c.check(file, t, outcome);
        }
    }
    c.report(file);
}

#[test]
fn ecdsa_p256() {
    ecdsa_file("ecdsa_secp256r1_sha256_p1363_test.json", Algorithm::ES256);
}

#[test]
fn ecdsa_p384() {
    ecdsa_file("ecdsa_secp384r1_sha384_p1363_test.json", Algorithm::ES384);
}

#[test]
fn ecdsa_p521() {
    ecdsa_file("ecdsa_secp521r1_sha512_p1363_test.json", Algorithm::ES512);
}

#[test]
fn ecdsa_secp256k1() {
    ecdsa_file("ecdsa_secp256k1_sha256_p1363_test.json", Algorithm::ES256K);
}

#[test]
fn ed25519() {
    let file = "ed25519_test.json";
    let d = load(file);
    let mut c = Counts::default();
    for g in groups(&d) {
        let pk = hex(&g["publicKey"]["pk"]);
        let key = VerifyingKey::from_public_bytes(Algorithm::EdDSA, &pk);
        let by_der = VerifyingKey::from_der(Algorithm::EdDSA, &hex(&g["publicKeyDer"]));
        for t in tests(g) {
            let (m, s) = (hex(&t["msg"]), hex(&t["sig"]));
            let outcome = key.clone().and_then(|k| k.verify(&m, &s));
            assert_eq!(
                outcome.is_ok(),
                by_der.clone().and_then(|k| k.verify(&m, &s)).is_ok()
            );
            c.check(file, t, outcome);
        }
    }
    c.report(file);
}

fn hmac_file(file: &str, alg: Algorithm) {
    let d = load(file);
    let full_bits = alg.hmac_min_key_len().unwrap() * 8;
    let mut c = Counts::default();
    for g in groups(&d) {
        let tag_bits = g["tagSize"].as_u64().unwrap() as usize;
        let key_bits = g["keySize"].as_u64().unwrap() as usize;
        if tag_bits != full_bits {
            let n = g["tests"].as_array().unwrap().len();
            c.skipped += n;
            c.skip_reasons.push(format!(
                "{n} with {tag_bits}-bit truncated tags: JWS uses the full {full_bits}-bit tag"
            ));
            continue;
        }
        for t in tests(g) {
            let key = hex(&t["key"]);
            // Short keys need the explicit opt-in; the default refuses them.
            if key.len() * 8 < full_bits {
                assert_eq!(
                    VerifyingKey::hmac(alg, &key).unwrap_err().code(),
                    "weak_key",
                    "{key_bits}-bit key"
                );
            }
            let outcome = VerifyingKey::hmac_allow_short(alg, &key)
                .and_then(|k| k.verify(&hex(&t["msg"]), &hex(&t["tag"])));
            c.check(file, t, outcome);
        }
    }
    c.report(file);
}

#[test]
fn hmac_sha256() {
    hmac_file("hmac_sha256_test.json", Algorithm::HS256);
}

#[test]
fn hmac_sha384() {
    hmac_file("hmac_sha384_test.json", Algorithm::HS384);
}

#[test]
fn hmac_sha512() {
    hmac_file("hmac_sha512_test.json", Algorithm::HS512);
}

fn rsa_file(file: &str, alg: Algorithm) {
    let d = load(file);
    let mut c = Counts::default();
    for g in groups(&d) {
        let bits = g["keySize"].as_u64().unwrap() as usize;
        let key = VerifyingKey::from_der(alg, &hex(&g["publicKeyDer"]));
        if bits < jwt_core::MIN_RSA_BITS {
            // refused by policy: assert it, count it
            assert_eq!(key.as_ref().unwrap_err().code(), "weak_key");
            c.policy += g["tests"].as_array().unwrap().len();
            continue;
        }
        // PKCS#1 RSAPublicKey import agrees with SPKI
        let by_pkcs1 = VerifyingKey::from_der(alg, &hex(&g["publicKeyAsn"]));
        for t in tests(g) {
            let (m, s) = (hex(&t["msg"]), hex(&t["sig"]));
            let outcome = key.clone().and_then(|k| k.verify(&m, &s));
            assert_eq!(
                outcome.is_ok(),
                by_pkcs1.clone().and_then(|k| k.verify(&m, &s)).is_ok()
            );
            c.check(file, t, outcome);
        }
    }
    c.report(file);
}

#[test]
fn rsa_pkcs1_2048_sha256() {
    rsa_file("rsa_signature_2048_sha256_test.json", Algorithm::RS256);
}

#[test]
fn rsa_pkcs1_3072_sha384() {
    rsa_file("rsa_signature_3072_sha384_test.json", Algorithm::RS384);
}

#[test]
fn rsa_pkcs1_4096_sha512() {
    rsa_file("rsa_signature_4096_sha512_test.json", Algorithm::RS512);
}

#[test]
fn rsa_pss_2048_sha256() {
    rsa_file("rsa_pss_2048_sha256_mgf1_32_test.json", Algorithm::PS256);
}

#[test]
fn rsa_pss_3072_sha256() {
    rsa_file("rsa_pss_3072_sha256_mgf1_32_test.json", Algorithm::PS256);
}

#[test]
fn rsa_pss_4096_sha512() {
    rsa_file("rsa_pss_4096_sha512_mgf1_64_test.json", Algorithm::PS512);
}

// =======================================================================================
// JWS / JWK files
// =======================================================================================

/// Build the verifier of a JWS test group from its `private` member (one JWK, or a JWK
/// set). Only public halves are used.
fn jws_verifier(private: &Value) -> Result<Verifier, jwt_core::Error> {
    let keys = if private.get("keys").is_some() {
        KeySet::from_jwks_json(private.to_string(), &[])?
    } else {
        let jwk = Jwk::from_json(private.to_string())?;
        KeySet::from(VerifyingKey::from_jwk(&jwk, None)?)
    };
    Verifier::new(keys, Validation::new())
}

fn jws_file(file: &str) {
    let d = load(file);
    let mut c = Counts::default();
    let mut json_serialization = 0;
    for g in groups(&d) {
        let verifier = jws_verifier(&g["private"]);
        for t in tests(g) {
            let Some(jws) = t.get("jws") else {
                c.skipped += 1;
                continue;
            };
            let outcome = match jws {
                Value::String(s) => verifier.clone().and_then(|v| v.verify_jws(s).map(|_| ())),
                // Wycheproof's JWS harness takes compact tokens only: a JSON serialization
                // handed to it must be rejected. We check that, and separately that our
                // JSON API does verify the (genuine) signature.
                other => {
                    json_serialization += 1;
                    if let Ok(v) = &verifier {
                        assert!(
                            v.verify_json(&other.to_string()).is_ok(),
                            "tcId {}: verify_json",
                            t["tcId"]
                        );
                    }
                    verifier
                        .clone()
                        .and_then(|v| v.verify_jws(&other.to_string()).map(|_| ()))
                }
            };
            c.check(file, t, outcome);
        }
    }
    if json_serialization > 0 {
        println!(
            "{file}: {json_serialization} JSON-serialized JWS rejected by the compact API and verified by verify_json"
        );
    }
    if c.skipped > 0 {
        c.skip_reasons
            .push(format!("{} JWE vectors (not JWS)", c.skipped));
    }
    c.report(file);
}

#[test]
fn json_web_signature() {
    jws_file("json_web_signature_test.json");
}

#[test]
fn json_web_key() {
    jws_file("json_web_key_test.json");
}

#[test]
fn json_web_crypto_jws_parts() {
    jws_file("json_web_crypto_test.json");
}
