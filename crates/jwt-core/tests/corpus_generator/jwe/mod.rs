//! The JWE corpus (`tests/corpus/jwe-corpus.json`): keys derived from fixed bytes, the
//! [`Gen`] that records cases (reusing a committed token while its recipe is unchanged),
//! and one submodule per family of cases.

mod json_serialization;
mod keys_and_points;
mod limits;
mod policy;
mod rsa;
mod structure;
mod tampering;
mod valid;

use std::collections::HashMap;

use jwt_core::jwe::{
    self, ContentEncryption as Enc, DecryptionKey, EcdhCurve, Encrypter, EncryptionKey,
    JsonOptions, JweHeader, KeyAlgorithm as Alg,
};
use jwt_core::{b64_decode, b64_encode};
use serde_json::{Map, Value, json};

/// RFC 7516 appendix A.1's plaintext.
const PLAINTEXT: &[u8] = b"The true sign of intelligence is not knowledge but imagination.";
const PASSWORD: &[u8] = b"Thus from my lips, by yours, my sin is purged.";
/// The `p2c` cap every PBES2 case enables, and the count the valid tokens use.
const PBES2_CAP: u64 = 10_000;
const PBES2_ITERATIONS: u32 = 1000;

/// Fixed, distinct key bytes: `len` bytes from `seed`.
fn bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            seed.wrapping_mul(31)
                .wrapping_add((i as u8).wrapping_mul(17))
                ^ 0x5a
        })
        .collect()
}

fn sym(alg: Alg, seed: u8) -> DecryptionKey {
    let len = alg.wrap_key_len().expect("symmetric");
    DecryptionKey::symmetric(alg, &bytes(seed, len)).unwrap()
}

fn dir(enc: Enc, seed: u8) -> DecryptionKey {
    DecryptionKey::dir(enc, &bytes(seed, enc.key_len())).unwrap()
}

fn ecdh(alg: Alg, curve: EcdhCurve, seed: u8) -> DecryptionKey {
    let mut d = bytes(seed, curve.field_len());
    if curve == EcdhCurve::P521 {
        d[0] = 0; // below the group order
    } else {
        d[0] &= 0x7f;
    }
    DecryptionKey::ecdh(alg, curve, &d).unwrap()
}

fn password(alg: Alg) -> DecryptionKey {
    DecryptionKey::password(alg, PASSWORD).unwrap()
}

fn jwk_entry(key: &DecryptionKey) -> Value {
    json!({"jwk": serde_json::from_str::<Value>(&key.to_private_jwk().unwrap().to_json()).unwrap()})
}

fn sender(key: &DecryptionKey) -> EncryptionKey {
    if key.algorithm().is_pbes2() {
        let jwk = key.to_private_jwk().unwrap();
        let pw = b64_decode(jwk.as_map()["k"].as_str().unwrap()).unwrap();
        let k = EncryptionKey::password(key.algorithm(), &pw, PBES2_ITERATIONS).unwrap();
        match key.kid() {
            Some(kid) => k.with_kid(kid),
            None => k,
        }
    } else {
        key.encryption_key()
    }
}

fn encrypt(key: &DecryptionKey, enc: Enc, plaintext: &[u8]) -> String {
    Encrypter::new(sender(key), enc)
        .unwrap()
        .encrypt(plaintext)
        .unwrap()
}

fn encrypt_with(key: &DecryptionKey, header: JweHeader, plaintext: &[u8]) -> String {
    Encrypter::with_header(sender(key), header)
        .unwrap()
        .encrypt(plaintext)
        .unwrap()
}

fn header_of(segment: &str) -> Map<String, Value> {
    serde_json::from_slice(&b64_decode(segment).unwrap()).unwrap()
}

/// Rewrite the protected header (the tag no longer matches, but checks before it run).
fn with_header(token: &str, f: impl FnOnce(&mut Map<String, Value>)) -> String {
    let (h, rest) = token.split_once('.').unwrap();
    let mut m = header_of(h);
    f(&mut m);
    format!("{}.{rest}", b64_encode(Value::Object(m).to_string()))
}

/// Replace segment `i` of a compact JWE with `f(decoded)`, re-encoded.
fn with_segment(token: &str, i: usize, f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut b = b64_decode(&parts[i]).unwrap();
    f(&mut b);
    parts[i] = b64_encode(&b);
    parts.join(".")
}

/// What a case feeds the decrypter.
enum Input {
    Compact(String),
    Json(Value),
}

/// The header a successful decryption must report: the union of the token's headers.
fn joint_header(input: &Input) -> Value {
    let mut m = Map::new();
    match input {
        Input::Compact(t) => m = header_of(t.split('.').next().unwrap()),
        Input::Json(doc) => {
            if let Some(p) = doc.get("protected").and_then(Value::as_str) {
                m.extend(header_of(p));
            }
            for h in [
                doc.get("unprotected"),
                doc.get("header"),
                doc.pointer("/recipients/0/header"),
            ]
            .into_iter()
            .flatten()
            {
                m.extend(h.as_object().unwrap().clone());
            }
        }
    }
    Value::Object(m)
}

enum Expect {
    Plaintext(Vec<u8>),
    Code(&'static str),
}

struct Gen {
    cases: Vec<Value>,
    old: HashMap<String, Value>,
}

impl Gen {
    #[allow(clippy::too_many_arguments)]
    fn case(
        &mut self,
        id: &str,
        description: &str,
        keys: &[Value],
        options: Value,
        expect: Expect,
        make: impl FnOnce() -> Input,
    ) {
        let expect_base = match &expect {
            Expect::Plaintext(p) => json!({"ok": true, "plaintext_b64u": b64_encode(p)}),
            Expect::Code(code) => json!({"ok": false, "error": code}),
        };
        let mut case = json!({
            "id": id, "description": description, "keys": keys,
        });
        if options.as_object().is_some_and(|o| !o.is_empty()) {
            case["options"] = options;
        }
        // Reuse the committed token when the recipe is unchanged.
        let reused = self.old.get(id).filter(|old| {
            ["description", "keys", "options"]
                .iter()
                .all(|m| old.get(m) == case.get(m))
                && old["expect"]["ok"] == expect_base["ok"]
                && old["expect"].get("plaintext_b64u") == expect_base.get("plaintext_b64u")
                && old["expect"].get("error") == expect_base.get("error")
        });
        let input = match reused {
            Some(old) => match (old.get("token"), old.get("json")) {
                (Some(t), _) => Input::Compact(t.as_str().unwrap().to_owned()),
                (_, Some(j)) => Input::Json(j.clone()),
                _ => unreachable!(),
            },
            None => make(),
        };
        let mut expect_v = expect_base;
        if matches!(expect, Expect::Plaintext(_)) {
            expect_v["header"] = joint_header(&input);
        }
        match input {
            Input::Compact(t) => case["token"] = t.into(),
            Input::Json(j) => case["json"] = j,
        }
        case["expect"] = expect_v;
        self.cases.push(case);
    }

    /// A single-key compact case.
    fn compact(
        &mut self,
        id: &str,
        description: &str,
        key: &DecryptionKey,
        expect: Expect,
        make: impl FnOnce() -> String,
    ) {
        self.case(
            id,
            description,
            &[jwk_entry(key)],
            json!({}),
            expect,
            || Input::Compact(make()),
        );
    }
}

pub fn generate(old: Option<&Value>) -> Value {
    let old_corpus = old;
    let old = old
        .and_then(|v| v["cases"].as_array())
        .into_iter()
        .flatten()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c.clone()))
        .collect();
    let mut g = Gen {
        cases: Vec::new(),
        old,
    };
    valid::valid(&mut g);
    tampering::tampering(&mut g);
    structure::structure(&mut g);
    policy::policy(&mut g);
    keys_and_points::keys_and_points(&mut g);
    limits::limits(&mut g);
    json_serialization::json_serialization(&mut g);
    // Last: a build without the aws-lc backend keeps these verbatim (see rsa.rs).
    rsa::rsa(&mut g, old_corpus);
    json!({
        "version": 1,
        "description": "jwt-core JWE conformance corpus: every binding decrypts every case \
                        with the same outcome and error code. Generated by \
                        crates/jwt-core/tests/corpus_generator/; do not edit.",
        "cases": g.cases,
    })
}

fn ok() -> Expect {
    Expect::Plaintext(PLAINTEXT.to_vec())
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase().replace('+', "-")
}

fn t_input(key: &DecryptionKey) -> impl FnOnce() -> Input + '_ {
    move || Input::Compact(encrypt(key, Enc::A128GCM, PLAINTEXT))
}
