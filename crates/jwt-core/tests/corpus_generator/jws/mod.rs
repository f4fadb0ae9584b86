//! The JWS corpus (`tests/corpus/corpus.json`): the [`Gen`] that signs and records cases,
//! and one submodule per family of cases. Every expectation is written by hand next to
//! the case; the core is never asked what the answer should be.

mod algorithms;
mod claims;
mod headers;
mod mldsa;
mod parsing;
mod valid;

use std::collections::HashMap;

use crate::common::{
    self, NOW, corpus_json, curve_order, ecdsa_to_der, fake_rsa_modulus, pem, rsa_spki, sig_of,
    with_sig,
};
use jwt_core::{Algorithm, Jwk, KeySet, SigningKey, b64_decode, b64_encode};
use serde_json::{Map, Value, json};

// =======================================================================================
// The generator
// =======================================================================================

struct Gen {
    /// name -> (alg, private key PEM or secret) as stored in signing-keys.json
    stored: Map<String, Value>,
    keys: HashMap<String, SigningKey>,
    /// signing input -> signature (base64url) from the committed corpus: randomized
    /// signatures are reused so regeneration is deterministic.
    old_sigs: HashMap<String, Vec<String>>,
    cases: Vec<Value>,
}

const ISS: &str = "https://issuer.example";
const AUD: &str = "api://default";

fn base_claims() -> Value {
    json!({
        "iss": ISS,
        "sub": "user-1",
        "aud": AUD,
        "iat": NOW - 60,
        "exp": NOW + 600,
        "role": "reader",
    })
}

fn base_validation() -> Value {
    json!({"issuer": [ISS], "audience": [AUD]})
}

fn ok() -> Expect {
    Expect::Ok
}

fn err(code: &str) -> Expect {
    Expect::Err(code.to_owned())
}

enum Expect {
    Ok,
    Err(String),
}

impl Gen {
    fn new() -> Self {
        let stored = match corpus_json("signing-keys.json") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let mut old_sigs = HashMap::new();
        if let Some(c) = corpus_json("corpus.json") {
            for case in c["cases"].as_array().into_iter().flatten() {
                if let Some(t) = case["token"].as_str() {
                    if let Some((input, sig)) = t.rsplit_once('.') {
                        old_sigs
                            .entry(input.to_owned())
                            .or_insert_with(Vec::new)
                            .push(sig.to_owned());
                    }
                }
            }
        }
        Gen {
            stored,
            keys: HashMap::new(),
            old_sigs,
            cases: Vec::new(),
        }
    }

    /// The signing key called `name` for `alg`; generated and stored on first use.
    fn key(&mut self, name: &str, alg: Algorithm) -> SigningKey {
        if let Some(k) = self.keys.get(name) {
            return k.clone();
        }
        let key = match self.stored.get(name) {
            Some(v) => {
                let a: Algorithm = v["alg"].as_str().unwrap().parse().unwrap();
                assert_eq!(a, alg, "stored key {name} is for {a}");
                if let Some(s) = v["secret_b64u"].as_str() {
                    SigningKey::hmac(a, &b64_decode(s).unwrap()).unwrap()
                } else {
                    SigningKey::from_pem(a, v["pkcs8_pem"].as_str().unwrap()).unwrap()
                }
            }
            None => {
                let k = SigningKey::generate(alg).unwrap();
                let entry = if alg.is_symmetric() {
                    // deterministic, readable secrets for the HMAC keys
                    let len = alg.hmac_min_key_len().unwrap();
                    let secret: Vec<u8> = format!("corpus-{name}-")
                        .bytes()
                        .cycle()
                        .take(len)
                        .collect();
                    json!({"alg": alg.as_str(), "secret_b64u": b64_encode(&secret)})
                } else {
                    json!({"alg": alg.as_str(), "pkcs8_pem": k.to_pkcs8_pem().unwrap().as_str()})
                };
                self.stored.insert(name.to_owned(), entry);
                return self.key(name, alg);
            }
        };
        self.keys.insert(name.to_owned(), key.clone());
        key
    }

    fn secret(&mut self, name: &str, alg: Algorithm) -> Vec<u8> {
        self.key(name, alg);
        b64_decode(self.stored[name]["secret_b64u"].as_str().unwrap()).unwrap()
    }

    /// Sign `header`.`payload` (raw JSON text) with key `name`.
    fn sign(&mut self, name: &str, alg: Algorithm, header: &str, payload: &str) -> String {
        self.sign_raw(name, alg, &b64_encode(header), &b64_encode(payload))
    }

    fn sign_raw(&mut self, name: &str, alg: Algorithm, h: &str, p: &str) -> String {
        let key = self.key(name, alg);
        let input = format!("{h}.{p}");
        // (tampered copies of a token share its input: take the first signature that verifies)
        for old in self.old_sigs.get(&input).into_iter().flatten() {
            if b64_decode(old)
                .is_ok_and(|sig| key.verifying_key().verify(input.as_bytes(), &sig).is_ok())
            {
                return format!("{input}.{old}");
            }
        }
        let sig = b64_encode(key.sign(input.as_bytes()).unwrap());
        // identical inputs within one run share one (possibly randomized) signature
        self.old_sigs.insert(input.clone(), vec![sig.clone()]);
        format!("{input}.{sig}")
    }

    /// A standard token: `{"alg","typ":"JWT"[,"kid"]}` over `claims`.
    fn token(&mut self, name: &str, alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
        self.sign(name, alg, &common::header(alg, kid), &claims.to_string())
    }

    // ---- key descriptions for the corpus ----

    fn jwk(&mut self, name: &str, alg: Algorithm) -> Value {
        let mut jwk = self.key(name, alg).verifying_key().to_jwk().unwrap();
        jwk.set("kid", name);
        json!({"jwk": Value::Object(jwk.as_map().clone())})
    }

    fn pem(&mut self, name: &str, alg: Algorithm) -> Value {
        json!({"pem": self.key(name, alg).public_key_pem().unwrap(), "alg": alg.as_str(), "kid": name})
    }

    fn hmac(&mut self, name: &str, alg: Algorithm) -> Value {
        json!({"secret_b64u": b64_encode(self.secret(name, alg)), "alg": alg.as_str(), "kid": name})
    }

    fn push(
        &mut self,
        id: &str,
        description: &str,
        keys: Vec<Value>,
        token: &str,
        validation: Value,
        expect: Expect,
    ) {
        self.push_at(id, description, keys, token, validation, None, expect)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_at(
        &mut self,
        id: &str,
        description: &str,
        keys: Vec<Value>,
        token: &str,
        validation: Value,
        now: Option<i64>,
        expect: Expect,
    ) {
        let expect = match expect {
            Expect::Ok => {
                let payload = b64_decode(token.split('.').nth(1).unwrap()).unwrap();
                let claims: Value = serde_json::from_slice(&payload).unwrap();
                json!({"ok": true, "claims": claims})
            }
            Expect::Err(code) => json!({"ok": false, "error": code}),
        };
        let mut case = json!({
            "id": id,
            "description": description,
            "keys": keys,
            "token": token,
        });
        if validation.as_object().is_some_and(|m| !m.is_empty()) {
            case["validation"] = validation;
        }
        if let Some(n) = now {
            case["now"] = n.into();
        }
        case["expect"] = expect;
        self.cases.push(case);
    }
}

/// Build the whole corpus. Returns (corpus, signing keys).
pub fn generate() -> (Value, Value) {
    let mut g = Gen::new();
    valid::valid_per_algorithm(&mut g);
    claims::claim_rules(&mut g);
    algorithms::algorithm_attacks(&mut g);
    headers::header_attacks(&mut g);
    parsing::parsing_attacks(&mut g);
    mldsa::ml_dsa(&mut g);
    let corpus = json!({
        "version": 1,
        "now": NOW,
        "description": "jwt-core conformance corpus: every binding must reproduce every outcome (see README.md)",
        "cases": g.cases,
    });
    (corpus, Value::Object(g.stored))
}

fn with_v(extra: Value) -> Value {
    let mut b = base_validation();
    for (k, x) in extra.as_object().unwrap() {
        b[k] = x.clone();
    }
    b
}

/// HMAC-SHA256 computed directly: a forger is not bound by the library's key checks.
fn ring_hmac(secret: &[u8], msg: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    ring::hmac::sign(&key, msg).as_ref().to_vec()
}
