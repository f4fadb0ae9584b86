//! Runs the shared conformance corpus (`tests/corpus/corpus.json`): the contract between
//! the core and every binding. See `tests/corpus/README.md` for the format.
//!
//! * `corpus_cases_pass` re-runs every case through the core and asserts the outcome.
//! * `corpus_ids_unique_and_cover_every_algorithm` checks the corpus's own shape.
//!
//! The corpus is written by `tests/corpus_generator/` (which also checks that the file
//! has not drifted from it): `JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test
//! corpus_generator` rewrites it. This file only reads it, as every binding does.

mod common;

use std::collections::BTreeMap;

use common::corpus_json;
use jwt_core::{
    Algorithm, Error, Jwk, KeySet, Validation, ValidationSpec, Verifier, VerifyingKey, b64_decode,
};
use serde_json::Value;

// =======================================================================================
// Running a case (what every binding does too)
// =======================================================================================

fn alg_of(v: &Value) -> Result<Option<Algorithm>, Error> {
    match v.get("alg").and_then(Value::as_str) {
        Some(a) => a.parse().map(Some),
        None => Ok(None),
    }
}

fn build_key(k: &Value) -> Result<VerifyingKey, Error> {
    let kid = k.get("kid").and_then(Value::as_str);
    let key = if let Some(jwk) = k.get("jwk") {
        let jwk = Jwk::from_json(jwk.to_string())?;
        VerifyingKey::from_jwk(&jwk, alg_of(k)?)?
    } else if let Some(p) = k.get("pem").and_then(Value::as_str) {
        let alg = alg_of(k)?.expect("pem keys carry alg");
        VerifyingKey::from_pem(alg, p)?
    } else if let Some(s) = k.get("secret_b64u").and_then(Value::as_str) {
        let alg = alg_of(k)?.expect("secret keys carry alg");
        let secret = b64_decode(s)?;
        if k.get("allow_short")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            VerifyingKey::hmac_allow_short(alg, &secret)?
        } else {
            VerifyingKey::hmac(alg, &secret)?
        }
    } else {
        panic!("unknown key form {k}");
    };
    Ok(match kid {
        Some(kid) if k.get("jwk").is_none() => key.with_kid(kid),
        _ => key,
    })
}

/// The case's `validation` object is a `ValidationSpec` as it stands.
fn build_validation(v: Option<&Value>) -> Result<Validation, Error> {
    match v {
        Some(v) => ValidationSpec::from_value(v.clone())?.build(),
        None => Ok(Validation::new()),
    }
}

/// Run one case: keys, validation, verifier, verify at the case's clock.
fn run_case(case: &Value, default_now: i64) -> Result<Value, Error> {
    let mut keys = KeySet::new();
    for k in case["keys"].as_array().expect("keys") {
        keys.push(build_key(k)?);
    }
    let validation = build_validation(case.get("validation"))?;
    let verifier = Verifier::new(keys, validation)?;
    let now = case
        .get("now")
        .and_then(Value::as_i64)
        .unwrap_or(default_now);
    let token = case["token"].as_str().expect("token");
    let typed = verifier.verify_at::<Value>(token, now).map(|d| d.claims);
    // The raw path (claims as JSON text, used by the bindings) must agree exactly.
    let raw = verifier
        .verify_raw_at(token, now)
        .map(|d| serde_json::from_str::<Value>(&d.claims).expect("verify_raw returns JSON text"));
    match (&typed, &raw) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{}: verify_raw claims differ", case["id"]),
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{}: verify_raw code", case["id"]),
        _ => panic!("{}: verify and verify_raw disagree", case["id"]),
    }
    typed
}

fn check_case(case: &Value, default_now: i64) -> Result<(), String> {
    let id = case["id"].as_str().unwrap_or("?");
    let got = run_case(case, default_now);
    let expect = &case["expect"];
    match (expect["ok"].as_bool(), got) {
        (Some(true), Ok(claims)) if claims == expect["claims"] => Ok(()),
        (Some(true), Ok(claims)) => Err(format!("{id}: claims differ: {claims}")),
        (Some(true), Err(e)) => Err(format!("{id}: expected ok, got {} ({e})", e.code())),
        (Some(false), Ok(_)) => Err(format!("{id}: expected {}, got ok", expect["error"])),
        (Some(false), Err(e)) if expect["error"] == e.code() => Ok(()),
        (Some(false), Err(e)) => Err(format!(
            "{id}: expected {}, got {} ({e})",
            expect["error"],
            e.code()
        )),
        (None, _) => Err(format!("{id}: expect.ok missing")),
    }
}

#[test]
fn corpus_cases_pass() {
    let corpus =
        corpus_json("corpus.json").expect("tests/corpus/corpus.json is missing; regenerate it");
    assert_eq!(corpus["version"], 1);
    let now = corpus["now"].as_i64().expect("now");
    let cases = corpus["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for case in cases {
        // `"requires": "aws-lc"`: ML-DSA cases, which only the aws-lc backend can run.
        match case.get("requires").and_then(Value::as_str) {
            None => {}
            Some("aws-lc") if cfg!(feature = "aws-lc") => {}
            Some("aws-lc") => {
                // Its expectation is not checked here; what ring does instead is: the
                // expected outcome, or the typed refusal naming aws-lc. Never acceptance
                // of something the case expects refused.
                let id = case["id"].as_str().unwrap_or("?");
                skipped.push(id);
                if let Err(f) = check_case(case, now) {
                    match run_case(case, now) {
                        Err(e)
                            if e.code() == "unsupported_algorithm"
                                && e.to_string().contains("aws-lc") => {}
                        _ => failures.push(format!(
                            "{id} (requires aws-lc): neither its outcome nor the ring \
                             refusal: {f}"
                        )),
                    }
                }
                continue;
            }
            Some(other) => panic!("{}: unknown requirement {other}", case["id"]),
        }
        if let Err(f) = check_case(case, now) {
            failures.push(f);
        }
        let code = match case["expect"]["error"].as_str() {
            Some(c) => c.to_owned(),
            None => "ok".into(),
        };
        *by_code.entry(code).or_default() += 1;
    }
    println!(
        "corpus: {} cases run; outcomes {by_code:?}",
        cases.len() - skipped.len()
    );
    if !skipped.is_empty() {
        // Not silent: a ring build says what it did not run, and why.
        eprintln!(
            "corpus: expectations of {} cases that require the aws-lc backend NOT CHECKED \
             (ML-DSA; this build uses {}; each gave its outcome or the typed refusal): {}",
            skipped.len(),
            jwt_core::BACKEND,
            skipped.join(", ")
        );
        for id in &skipped {
            assert!(
                id.contains("ml-dsa") || id.contains("akp"),
                "{id}: only ML-DSA cases may require aws-lc"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing corpus cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every code the corpus uses is a code the core documents.
    for code in by_code.keys().filter(|c| *c != "ok") {
        assert!(
            Error::ALL_CODES.iter().any(|(c, _)| c == code),
            "undocumented code {code}"
        );
    }
}

#[test]
fn corpus_ids_unique_and_cover_every_algorithm() {
    let corpus = corpus_json("corpus.json").expect("corpus.json");
    let cases = corpus["cases"].as_array().unwrap();
    let mut ids = std::collections::HashSet::new();
    for c in cases {
        assert!(
            ids.insert(c["id"].as_str().unwrap()),
            "duplicate id {}",
            c["id"]
        );
        assert!(
            !c["description"].as_str().unwrap_or("").is_empty(),
            "{} has no description",
            c["id"]
        );
    }
    for alg in Algorithm::ALL {
        let id = format!("valid-{}", alg.as_str().to_lowercase());
        assert!(ids.contains(id.as_str()), "no valid case for {alg}");
    }
}
