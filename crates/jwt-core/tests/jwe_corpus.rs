//! Runs the shared JWE conformance corpus (`tests/corpus/jwe-corpus.json`): the JWE half
//! of the contract between the core and every binding. See `tests/corpus/README.md`.
//!
//! * `jwe_corpus_cases_pass` runs every case through the core, as each binding does.
//! * `jwe_corpus_covers_every_algorithm_and_error_class` checks the corpus's own shape.
//!
//! The corpus is written by `tests/corpus_generator/` (which also checks that the file
//! has not drifted from it): `JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test
//! corpus_generator` rewrites it.

mod common;

use common::{corpus_json, strings};
use jwt_core::jwe::{
    ContentEncryption as Enc, DecryptOptions, Decrypter, DecryptionKey, JweLimits,
    KeyAlgorithm as Alg,
};
use jwt_core::{Error, Jwk, b64_encode};
use serde_json::{Value, json};

// =======================================================================================
// Running a case (what every binding does too)
// =======================================================================================

fn build_key(k: &Value) -> Result<DecryptionKey, Error> {
    let jwk = Jwk::from_json(k["jwk"].to_string())?;
    let alg = match k.get("alg").and_then(Value::as_str) {
        Some(a) => Some(a.parse::<Alg>()?),
        None => None,
    };
    DecryptionKey::from_jwk(&jwk, alg)
}

fn names<T: std::str::FromStr<Err = Error>>(v: &Value) -> Result<Vec<T>, Error> {
    strings(v).iter().map(|s| s.parse()).collect()
}

fn build_options(o: Option<&Value>) -> Result<DecryptOptions, Error> {
    let mut opts = DecryptOptions::new();
    let Some(o) = o else { return Ok(opts) };
    if let Some(a) = o.get("algorithms") {
        opts = opts.algorithms(&names::<Alg>(a)?);
    }
    if let Some(e) = o.get("encryptions") {
        opts = opts.encryptions(&names::<Enc>(e)?);
    }
    if let Some(c) = o.get("critical") {
        opts = opts.critical(strings(c));
    }
    if let Some(n) = o.get("allow_pbes2").and_then(Value::as_u64) {
        opts = opts.allow_pbes2(n as u32);
    }
    let mut limits = JweLimits::default();
    if let Some(n) = o.get("max_token_bytes").and_then(Value::as_u64) {
        limits.max_token_bytes = n as usize;
    }
    if let Some(n) = o.get("max_plaintext_bytes").and_then(Value::as_u64) {
        limits.max_plaintext_bytes = n as usize;
    }
    Ok(opts.limits(limits))
}

/// The outcome of a case: `{"plaintext_b64u", "header"}` or the error.
fn run_case(case: &Value) -> Result<Value, Error> {
    let keys = case["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(build_key)
        .collect::<Result<Vec<_>, _>>()?;
    let d = Decrypter::new(keys, build_options(case.get("options"))?)?;
    let out = match (case.get("token"), case.get("json")) {
        (Some(t), None) => d.decrypt(t.as_str().expect("token string"))?,
        (None, Some(j)) => d.decrypt_json(&j.to_string())?,
        _ => panic!("{}: exactly one of token/json", case["id"]),
    };
    Ok(json!({
        "plaintext_b64u": b64_encode(&out.plaintext),
        "header": Value::Object(out.header.to_map()),
    }))
}

fn check_case(case: &Value) -> Result<(), String> {
    let expect = &case["expect"];
    match (run_case(case), expect["ok"].as_bool().expect("expect.ok")) {
        (Ok(got), true) => {
            for member in ["plaintext_b64u", "header"] {
                if got[member] != expect[member] {
                    return Err(format!(
                        "{member}: got {}, want {}",
                        got[member], expect[member]
                    ));
                }
            }
            Ok(())
        }
        (Ok(_), false) => Err(format!("decrypted, want error {}", expect["error"])),
        (Err(e), true) => Err(format!("error {} ({e}), want success", e.code())),
        (Err(e), false) if e.code() == expect["error"] => Ok(()),
        (Err(e), false) => Err(format!(
            "error {} ({e}), want {}",
            e.code(),
            expect["error"]
        )),
    }
}

fn committed() -> Option<Value> {
    corpus_json("jwe-corpus.json")
}

#[test]
fn jwe_corpus_cases_pass() {
    let corpus = committed().expect("tests/corpus/jwe-corpus.json exists");
    assert_eq!(corpus["version"], 1);
    let cases = corpus["cases"].as_array().unwrap();
    let (runnable, needs_aws_lc): (Vec<&Value>, Vec<&Value>) = cases
        .iter()
        .partition(|c| cfg!(feature = "aws-lc") || c["requires"] != "aws-lc");
    let failures: Vec<String> = runnable
        .iter()
        .filter_map(|c| check_case(c).err().map(|e| format!("{}: {e}", c["id"])))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Without the aws-lc backend the `requires: aws-lc` (RSA-OAEP) cases cannot run; they
    // must still fail cleanly, with the typed error that names the missing backend.
    for c in &needs_aws_lc {
        let e = run_case(c).expect_err("an RSA-OAEP case decrypted without aws-lc");
        assert_eq!(e.code(), "unsupported_algorithm", "{}: {e}", c["id"]);
    }
    if !needs_aws_lc.is_empty() {
        eprintln!(
            "jwe corpus: SKIPPED {} case(s) marked `requires: aws-lc` (this build has ring \
             only; each was checked to fail with unsupported_algorithm)",
            needs_aws_lc.len()
        );
    }
    let ok = runnable
        .iter()
        .filter(|c| c["expect"]["ok"] == true)
        .count();
    eprintln!("jwe corpus: {} cases ({ok} valid) pass", runnable.len());
}

#[test]
fn jwe_corpus_covers_every_algorithm_and_error_class() {
    let corpus = committed().expect("tests/corpus/jwe-corpus.json exists");
    let cases = corpus["cases"].as_array().unwrap();
    let mut ids = std::collections::HashSet::new();
    for c in cases {
        assert!(
            ids.insert(c["id"].as_str().unwrap()),
            "duplicate id {}",
            c["id"]
        );
    }
    let valid_headers: Vec<&Value> = cases
        .iter()
        .filter(|c| c["expect"]["ok"] == true)
        .map(|c| &c["expect"]["header"])
        .collect();
    // Every algorithm of this build (RSA-OAEP with aws-lc: the bindings ship it) has a
    // valid case; the RSA-OAEP ones are marked as needing the aws-lc backend.
    for c in cases
        .iter()
        .filter(|c| c["id"].as_str().unwrap().starts_with("rsa-"))
    {
        assert_eq!(c["requires"], "aws-lc", "{}", c["id"]);
    }
    for alg in Alg::ALL {
        assert!(
            valid_headers.iter().any(|h| h["alg"] == alg.as_str()),
            "no valid case for {alg}"
        );
    }
    for enc in Enc::ALL {
        assert!(
            valid_headers.iter().any(|h| h["enc"] == enc.as_str()),
            "no valid case for {enc}"
        );
    }
    for code in [
        "decryption_failed",
        "malformed_token",
        "unsupported_algorithm",
        "unsupported_encryption",
        "invalid_header",
        "duplicate_member",
        "unsupported_critical_header",
        "key_not_found",
        "algorithm_not_allowed",
        "key_algorithm_mismatch",
        "invalid_key",
        "input_too_large",
        "key_usage_not_allowed",
    ] {
        assert!(
            cases.iter().any(|c| c["expect"]["error"] == code),
            "no case expects {code}"
        );
    }
}
