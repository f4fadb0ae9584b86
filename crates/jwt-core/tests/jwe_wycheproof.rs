//! Wycheproof `json_web_encryption_test.json`, from the repository's
//! `testdata/wycheproof/` (a missing file is a failure, not a skip). The primitive files (`aes_gcm`, `aes_wrap`,
//! `a128cbc_hs256`, `a256cbc_hs512`, `x25519`) are run against the crate-private
//! primitives by the unit tests in `src/jwe/wycheproof.rs`.
//!
//! Decisions, asserted below:
//! - Every `invalid` vector is rejected.
//! - Every `valid` vector decrypts to its plaintext, except the RSA groups not offered
//!   (see `jwt_core::jwe`): `RSA1_5` always (RFC 7520 5.1 included), `RSA-OAEP` and
//!   `RSA-OAEP-256` (RFC 7520 5.2 included) with the ring backend. Their keys are
//!   refused at import with `unsupported_algorithm` and their vectors are counted as
//!   "policy-rejected". With the `aws-lc` backend the RSA-OAEP groups must decrypt.
//! - There are no `acceptable` vectors in this file.
//!
//! Counts: `cargo test --test jwe_wycheproof -- --nocapture`.

use std::collections::BTreeMap;

use jwt_core::Jwk;
use jwt_core::jwe::{DecryptOptions, Decrypter, DecryptionKey};

mod common;
use common::wycheproof as load;

#[test]
fn wycheproof_json_web_encryption() {
    let file = load("json_web_encryption_test.json");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for group in file["testGroups"].as_array().unwrap() {
        let jwk = Jwk::from_json(group["private"].to_string()).unwrap();
        let key = DecryptionKey::from_jwk(&jwk, None);
        let tests = group["tests"].as_array().unwrap();
        let key = match key {
            Ok(k) => k,
            Err(e) => {
                assert_eq!(jwk.kty(), "RSA", "only RSA keys may be refused: {e}");
                if cfg!(feature = "aws-lc") {
                    assert_eq!(jwk.alg(), Some("RSA1_5"), "only RSA1_5 is refused: {e}");
                }
                assert_eq!(e.code(), "unsupported_algorithm");
                for t in tests {
                    let r = t["result"].as_str().unwrap();
                    *counts
                        .entry(if r == "valid" {
                            "valid, policy-rejected (RSA)"
                        } else {
                            "invalid, rejected (RSA)"
                        })
                        .or_default() += 1;
                }
                continue;
            }
        };
        let d = Decrypter::new([key], DecryptOptions::new()).unwrap();
        for t in tests {
            let id = t["tcId"].as_u64().unwrap();
            let token = t["jwe"].as_str().unwrap();
            let out = d.decrypt(token);
            match t["result"].as_str().unwrap() {
                "valid" => {
                    let out = out.unwrap_or_else(|e| panic!("tcId {id} ({}): {e}", t["comment"]));
                    assert_eq!(
                        hex::encode(out.plaintext),
                        t["pt"].as_str().unwrap(),
                        "tcId {id}"
                    );
                    *counts.entry("valid, decrypted").or_default() += 1;
                }
                "invalid" => {
                    let e = out
                        .err()
                        .unwrap_or_else(|| panic!("tcId {id} ({}) was accepted", t["comment"]));
                    *codes.entry(e.code().to_owned()).or_default() += 1;
                    *counts.entry("invalid, rejected").or_default() += 1;
                }
                other => panic!("tcId {id}: unexpected result {other}"),
            }
        }
    }
    println!("json_web_encryption_test.json: {counts:?}; rejection codes {codes:?}");
    let total: usize = counts.values().sum();
    assert_eq!(total as u64, file["numberOfTests"].as_u64().unwrap());
    assert!(counts["valid, decrypted"] >= 40);
    // The valid RSA-OAEP (7) and RSA-OAEP-256 (7) vectors, RFC 7520 5.2 included; RSA1_5 has 8.
    let rsa_oaep_valid = 14;
    let policy = counts
        .get("valid, policy-rejected (RSA)")
        .copied()
        .unwrap_or(0);
    if cfg!(feature = "aws-lc") {
        assert_eq!(policy, 8, "only the RSA1_5 vectors are policy-rejected");
    } else {
        assert_eq!(policy, 8 + rsa_oaep_valid);
    }
}
