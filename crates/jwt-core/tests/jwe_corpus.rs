//! The shared JWE conformance corpus (`tests/corpus/jwe-corpus.json`): the JWE half of
//! the contract between the core and every binding. See `tests/corpus/README.md`.
//!
//! * `jwe_corpus_cases_pass` runs every case through the core, as each binding does.
//! * `jwe_corpus_is_up_to_date` rebuilds the corpus in memory and compares it with the
//!   committed file.
//! * `JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test jwe_corpus` rewrites it.
//!
//! Expectations are written by hand next to each case; the core is never asked what the
//! answer should be (the expected header is read back from the token's own segments).
//! Encryption is randomized, so a case keeps its committed token as long as its recipe
//! (description, keys, options, expectation) is unchanged; change the recipe, or delete
//! the case from the file, to mint a fresh token. Keys are derived from fixed bytes, so
//! they are stable too. They are test keys, published on purpose.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::strings;
use jwt_core::jwe::{
    self, ContentEncryption as Enc, DecryptOptions, Decrypter, DecryptionKey, EcdhCurve, Encrypter,
    EncryptionKey, JsonOptions, JweHeader, JweLimits, KeyAlgorithm as Alg,
};
use jwt_core::{Error, Jwk, b64_decode, b64_encode};
use serde_json::{Map, Value, json};

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

fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/jwe-corpus.json")
}

fn committed() -> Option<Value> {
    let text = std::fs::read_to_string(corpus_path()).ok()?;
    Some(serde_json::from_str(&text).expect("jwe-corpus.json is JSON"))
}

#[test]
fn jwe_corpus_cases_pass() {
    let corpus = committed().expect("tests/corpus/jwe-corpus.json exists");
    assert_eq!(corpus["version"], 1);
    let cases = corpus["cases"].as_array().unwrap();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check_case(c).err().map(|e| format!("{}: {e}", c["id"])))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let ok = cases.iter().filter(|c| c["expect"]["ok"] == true).count();
    eprintln!("jwe corpus: {} cases ({ok} valid) pass", cases.len());
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

#[test]
fn jwe_corpus_is_up_to_date() {
    if std::env::var_os("JWT_CORE_REGENERATE_CORPUS").is_some() {
        regenerate();
        return;
    }
    let on_disk = committed().expect("tests/corpus/jwe-corpus.json exists");
    let fresh = generate(Some(&on_disk));
    assert!(
        fresh == on_disk,
        "tests/corpus/jwe-corpus.json is out of date: run \
         JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test jwe_corpus"
    );
}

/// Rewrites tests/corpus/jwe-corpus.json (through `JWT_CORE_REGENERATE_CORPUS=1`; not a
/// test of its own, since an ignored test counts as a skip and fails `cargo xtask test`).
fn regenerate() {
    let corpus = generate(committed().as_ref());
    let text = serde_json::to_string_pretty(&corpus).unwrap() + "\n";
    std::fs::write(corpus_path(), text).unwrap();
    let failures: Vec<String> = corpus["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| check_case(c).err().map(|e| format!("{}: {e}", c["id"])))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// =======================================================================================
// Generating the corpus
// =======================================================================================

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

fn generate(old: Option<&Value>) -> Value {
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
    valid(&mut g);
    tampering(&mut g);
    structure(&mut g);
    policy(&mut g);
    keys_and_points(&mut g);
    limits(&mut g);
    json_serialization(&mut g);
    json!({
        "version": 1,
        "description": "jwt-core JWE conformance corpus: every binding decrypts every case \
                        with the same outcome and error code. Generated by \
                        crates/jwt-core/tests/jwe_corpus.rs; do not edit.",
        "cases": g.cases,
    })
}

fn ok() -> Expect {
    Expect::Plaintext(PLAINTEXT.to_vec())
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase().replace('+', "-")
}

fn valid(g: &mut Gen) {
    for (i, enc) in Enc::ALL.into_iter().enumerate() {
        let key = dir(enc, 10 + i as u8);
        g.compact(
            &format!("dir-{}", lower(enc.as_str())),
            &format!("dir with {enc}: the shared key is the content key"),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    for (i, (alg, enc)) in [
        (Alg::A128KW, Enc::A128CbcHs256),
        (Alg::A192KW, Enc::A192GCM),
        (Alg::A256KW, Enc::A256GCM),
        (Alg::A256KW, Enc::A256CbcHs512),
        (Alg::A128GCMKW, Enc::A128GCM),
        (Alg::A192GCMKW, Enc::A192CbcHs384),
        (Alg::A256GCMKW, Enc::A256GCM),
    ]
    .into_iter()
    .enumerate()
    {
        let key = sym(alg, 20 + i as u8);
        g.compact(
            &format!("{}-{}", lower(alg.as_str()), lower(enc.as_str())),
            &format!("{alg} key wrap with {enc}"),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    for (i, (alg, curve, enc)) in [
        (Alg::EcdhEs, EcdhCurve::P256, Enc::A128GCM),
        (Alg::EcdhEs, EcdhCurve::P384, Enc::A256GCM),
        (Alg::EcdhEs, EcdhCurve::P521, Enc::A256CbcHs512),
        (Alg::EcdhEs, EcdhCurve::X25519, Enc::A256GCM),
        (Alg::EcdhEsA128KW, EcdhCurve::P256, Enc::A128GCM),
        (Alg::EcdhEsA192KW, EcdhCurve::P384, Enc::A192CbcHs384),
        (Alg::EcdhEsA256KW, EcdhCurve::P521, Enc::A256GCM),
        (Alg::EcdhEsA256KW, EcdhCurve::X25519, Enc::A256CbcHs512),
    ]
    .into_iter()
    .enumerate()
    {
        let key = ecdh(alg, curve, 40 + i as u8);
        g.compact(
            &format!(
                "{}-{}-{}",
                lower(alg.as_str()),
                lower(curve.jwk_name()),
                lower(enc.as_str())
            ),
            &format!("{alg} on {} with {enc}", curve.jwk_name()),
            &key,
            ok(),
            || encrypt(&key, enc, PLAINTEXT),
        );
    }
    for (alg, enc) in [
        (Alg::Pbes2Hs256A128KW, Enc::A128CbcHs256),
        (Alg::Pbes2Hs384A192KW, Enc::A192GCM),
        (Alg::Pbes2Hs512A256KW, Enc::A256GCM),
    ] {
        let key = password(alg);
        g.case(
            &format!("{}-{}", lower(alg.as_str()), lower(enc.as_str())),
            &format!("{alg} with p2c {PBES2_ITERATIONS}, enabled with a p2c cap"),
            &[jwk_entry(&key)],
            json!({"allow_pbes2": PBES2_CAP}),
            ok(),
            || Input::Compact(encrypt(&key, enc, PLAINTEXT)),
        );
    }
    let key = sym(Alg::A256KW, 60);
    let text = b"compress me ".repeat(100);
    g.compact(
        "zip-def",
        "zip: DEF, inflated after decryption",
        &key,
        Expect::Plaintext(text.clone()),
        || {
            let mut h = JweHeader::new(Alg::A256KW, Enc::A256GCM);
            h.zip = true;
            encrypt_with(&key, h, &text)
        },
    );
    let k1 = sym(Alg::A128KW, 61).with_kid("k1");
    let k2 = sym(Alg::A128KW, 62).with_kid("k2");
    g.case(
        "kid-selects-key",
        "two A128KW keys; the header's kid picks the second",
        &[jwk_entry(&k1), jwk_entry(&k2)],
        json!({}),
        ok(),
        || Input::Compact(encrypt(&k2, Enc::A128GCM, PLAINTEXT)),
    );
    let key = sym(Alg::A256KW, 63);
    g.compact(
        "cty-and-typ-kept",
        "cty and typ come back in the header",
        &key,
        ok(),
        || {
            let mut h = JweHeader::new(Alg::A256KW, Enc::A128GCM);
            h.cty = Some("text/plain".into());
            h.typ = Some("JOSE".into());
            encrypt_with(&key, h, PLAINTEXT)
        },
    );
    let key = sym(Alg::A128KW, 64);
    g.case(
        "crit-declared",
        "crit names an extension the caller declared understood",
        &[jwk_entry(&key)],
        json!({"critical": ["x-policy"]}),
        ok(),
        || {
            let mut h = JweHeader::new(Alg::A128KW, Enc::A128GCM);
            h.crit = Some(vec!["x-policy".into()]);
            h.extra.insert("x-policy".into(), "strict".into());
            Input::Compact(encrypt_with(&key, h, PLAINTEXT))
        },
    );
    let key = sym(Alg::A128KW, 65);
    g.compact(
        "empty-plaintext",
        "an empty plaintext round-trips",
        &key,
        Expect::Plaintext(Vec::new()),
        || encrypt(&key, Enc::A128CbcHs256, b""),
    );
}

fn tampering(g: &mut Gen) {
    use Expect::Code;
    let key = sym(Alg::A256KW, 70);
    for enc in [Enc::A256GCM, Enc::A128CbcHs256] {
        let e = lower(enc.as_str());
        g.compact(
            &format!("tag-flipped-{e}"),
            "one bit of the authentication tag flipped",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 4, |t| t[0] ^= 1),
        );
        g.compact(
            &format!("tag-truncated-{e}"),
            "the tag cut short by one byte",
            &key,
            Code("decryption_failed"),
            || {
                with_segment(&encrypt(&key, enc, PLAINTEXT), 4, |t| {
                    t.pop();
                })
            },
        );
        g.compact(
            &format!("tag-empty-{e}"),
            "no tag at all",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 4, Vec::clear),
        );
        g.compact(
            &format!("ciphertext-flipped-{e}"),
            "one bit of the ciphertext flipped",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 3, |c| c[0] ^= 1),
        );
        g.compact(
            &format!("iv-flipped-{e}"),
            "one bit of the IV flipped",
            &key,
            Code("decryption_failed"),
            || with_segment(&encrypt(&key, enc, PLAINTEXT), 2, |c| c[0] ^= 1),
        );
        g.compact(
            &format!("header-changed-{e}"),
            "a member added to the protected header, which is the AAD",
            &key,
            Code("decryption_failed"),
            || {
                with_header(&encrypt(&key, enc, PLAINTEXT), |h| {
                    h.insert("x".into(), 1.into());
                })
            },
        );
    }
    g.compact(
        "encrypted-key-flipped",
        "the wrapped key altered: the AES key-wrap integrity check fails",
        &key,
        Code("decryption_failed"),
        || with_segment(&encrypt(&key, Enc::A256GCM, PLAINTEXT), 1, |c| c[5] ^= 1),
    );
    let gcmkw = sym(Alg::A128GCMKW, 71);
    g.compact(
        "gcmkw-tag-changed",
        "A128GCMKW: the key-encryption tag in the header altered",
        &gcmkw,
        Code("decryption_failed"),
        || {
            with_header(&encrypt(&gcmkw, Enc::A128GCM, PLAINTEXT), |h| {
                let mut t = b64_decode(h["tag"].as_str().unwrap()).unwrap();
                t[0] ^= 1;
                h["tag"] = b64_encode(&t).into();
            })
        },
    );
    let other = sym(Alg::A256KW, 72);
    g.compact(
        "wrong-key-a256kw",
        "encrypted to another A256KW key",
        &key,
        Code("decryption_failed"),
        || encrypt(&other, Enc::A256GCM, PLAINTEXT),
    );
    let d1 = dir(Enc::A256GCM, 73);
    let d2 = dir(Enc::A256GCM, 74);
    g.compact(
        "wrong-key-dir",
        "dir: encrypted under another content key",
        &d1,
        Code("decryption_failed"),
        || encrypt(&d2, Enc::A256GCM, PLAINTEXT),
    );
    let e1 = ecdh(Alg::EcdhEsA128KW, EcdhCurve::P256, 75);
    let e2 = ecdh(Alg::EcdhEsA128KW, EcdhCurve::P256, 76);
    g.compact(
        "wrong-key-ecdh",
        "ECDH-ES+A128KW to another P-256 recipient",
        &e1,
        Code("decryption_failed"),
        || encrypt(&e2, Enc::A128GCM, PLAINTEXT),
    );
    let pw = password(Alg::Pbes2Hs256A128KW);
    g.case(
        "pbes2-p2s-changed",
        "PBES2: the salt input altered, so the derived key is wrong",
        &[jwk_entry(&pw)],
        json!({"allow_pbes2": PBES2_CAP}),
        Code("decryption_failed"),
        || {
            Input::Compact(with_header(&encrypt(&pw, Enc::A128GCM, PLAINTEXT), |h| {
                h["p2s"] = b64_encode(b"another salt....").into()
            }))
        },
    );
}

fn structure(g: &mut Gen) {
    use Expect::Code;
    let key = sym(Alg::A128KW, 80).with_kid("k");
    let t = || encrypt(&key, Enc::A128GCM, PLAINTEXT);
    type Mutation = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, &str, &str, Mutation)> = vec![
        (
            "jws-not-jwe",
            "three segments: a JWS",
            "malformed_token",
            Box::new(|t: &str| t.splitn(4, '.').take(3).collect::<Vec<_>>().join(".")),
        ),
        (
            "four-segments",
            "a segment removed",
            "malformed_token",
            Box::new(|t: &str| t.replacen('.', "", 1)),
        ),
        (
            "six-segments",
            "a sixth segment",
            "malformed_token",
            Box::new(|t: &str| format!("{t}.AA")),
        ),
        (
            "padded-base64",
            "base64url with padding",
            "malformed_token",
            Box::new(|t: &str| t.replacen('.', "=.", 1)),
        ),
        (
            "standard-base64",
            "'+' in a segment (standard base64, not base64url)",
            "malformed_token",
            Box::new(|t: &str| {
                let p: Vec<&str> = t.split('.').collect();
                format!("{}.{}.{}.+{}.{}", p[0], p[1], p[2], &p[3][1..], p[4])
            }),
        ),
        (
            "empty-header",
            "the protected header segment empty",
            "malformed_token",
            Box::new(|t: &str| format!(".{}", t.split_once('.').unwrap().1)),
        ),
        (
            "header-not-object",
            "the protected header is a JSON array",
            "malformed_token",
            Box::new(|t: &str| format!("{}.{}", b64_encode("[1]"), t.split_once('.').unwrap().1)),
        ),
        (
            "iv-wrong-size",
            "a 5-byte IV for A128GCM",
            "malformed_token",
            Box::new(|t: &str| with_segment(t, 2, |iv| iv.truncate(5))),
        ),
        (
            "duplicate-header-member",
            "the protected header names enc twice",
            "duplicate_member",
            Box::new(|t: &str| {
                format!(
                    "{}.{}",
                    b64_encode(r#"{"alg":"A128KW","enc":"A128GCM","kid":"k","enc":"A256GCM"}"#),
                    t.split_once('.').unwrap().1
                )
            }),
        ),
        (
            "alg-none",
            "alg none",
            "unsupported_algorithm",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = "none".into())),
        ),
        (
            "alg-rsa1-5",
            "RSA1_5 is never offered (Bleichenbacher)",
            "unsupported_algorithm",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = "RSA1_5".into())),
        ),
        (
            "alg-rsa-oaep",
            "RSA-OAEP is not implemented (no constant-time RSA decryption backend)",
            "unsupported_algorithm",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = "RSA-OAEP".into())),
        ),
        (
            "enc-unknown",
            "enc A128CBC (no HMAC) does not exist",
            "unsupported_encryption",
            Box::new(|t: &str| with_header(t, |h| h["enc"] = "A128CBC".into())),
        ),
        (
            "zip-unknown",
            "zip GZIP is not defined",
            "unsupported_encryption",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.insert("zip".into(), "GZIP".into());
                })
            }),
        ),
        (
            "alg-missing",
            "no alg member",
            "invalid_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.remove("alg");
                })
            }),
        ),
        (
            "enc-missing",
            "no enc member",
            "invalid_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.remove("enc");
                })
            }),
        ),
        (
            "alg-not-string",
            "alg is a number",
            "invalid_header",
            Box::new(|t: &str| with_header(t, |h| h["alg"] = 1.into())),
        ),
        (
            "crit-undeclared",
            "crit names an extension the caller did not declare",
            "unsupported_critical_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.insert("crit".into(), json!(["x-policy"]));
                    h.insert("x-policy".into(), "strict".into());
                })
            }),
        ),
        (
            "crit-registered-name",
            "crit names a registered header (enc), which RFC 7516 forbids",
            "unsupported_critical_header",
            Box::new(|t: &str| {
                with_header(t, |h| {
                    h.insert("crit".into(), json!(["enc"]));
                })
            }),
        ),
        (
            "kid-unknown",
            "the kid names no key of the caller's",
            "key_not_found",
            Box::new(|t: &str| with_header(t, |h| h["kid"] = "other".into())),
        ),
    ];
    for (id, description, code, f) in cases {
        g.compact(id, description, &key, Code(code), || f(&t()));
    }
    let dk = dir(Enc::A128GCM, 81);
    g.compact(
        "dir-with-encrypted-key",
        "dir requires an empty encrypted key segment",
        &dk,
        Code("malformed_token"),
        || {
            let p: Vec<String> = encrypt(&dk, Enc::A128GCM, PLAINTEXT)
                .split('.')
                .map(str::to_owned)
                .collect();
            format!("{}.AAAA.{}.{}.{}", p[0], p[2], p[3], p[4])
        },
    );
}

fn policy(g: &mut Gen) {
    use Expect::Code;
    let k128 = sym(Alg::A128KW, 90);
    let k256 = sym(Alg::A256KW, 91);
    g.case(
        "alg-not-in-options",
        "the options allow only A128KW; the token uses A256KW (a key for it exists)",
        &[jwk_entry(&k128), jwk_entry(&k256)],
        json!({"algorithms": ["A128KW"]}),
        Code("algorithm_not_allowed"),
        || Input::Compact(encrypt(&k256, Enc::A128GCM, PLAINTEXT)),
    );
    g.compact(
        "alg-of-no-key",
        "the token's alg (A128KW) is not the alg of any key (A256KW)",
        &k256,
        Code("algorithm_not_allowed"),
        || encrypt(&k128, Enc::A128GCM, PLAINTEXT),
    );
    g.case(
        "enc-not-in-options",
        "the options allow only A128GCM; the token uses A256GCM",
        &[jwk_entry(&k256)],
        json!({"encryptions": ["A128GCM"]}),
        Code("algorithm_not_allowed"),
        || Input::Compact(encrypt(&k256, Enc::A256GCM, PLAINTEXT)),
    );
    let pw = password(Alg::Pbes2Hs256A128KW);
    g.case(
        "pbes2-not-enabled",
        "a PBES2 token while PBES2 is not enabled (another key keeps the decrypter usable)",
        &[jwk_entry(&k256), jwk_entry(&pw)],
        json!({}),
        Code("algorithm_not_allowed"),
        || Input::Compact(encrypt(&pw, Enc::A128GCM, PLAINTEXT)),
    );
    g.case(
        "pbes2-only-key-not-enabled",
        "a decrypter whose only key is a password, without allow_pbes2: unusable",
        &[jwk_entry(&pw)],
        json!({}),
        Code("invalid_argument"),
        || Input::Compact(encrypt(&pw, Enc::A128GCM, PLAINTEXT)),
    );
    g.case(
        "pbes2-p2c-above-cap",
        "p2c 20000 above the caller's cap of 10000: refused before any derivation",
        &[jwk_entry(&pw)],
        json!({"allow_pbes2": PBES2_CAP}),
        Code("input_too_large"),
        || {
            Input::Compact(with_header(&encrypt(&pw, Enc::A128GCM, PLAINTEXT), |h| {
                h["p2c"] = 20_000.into()
            }))
        },
    );
    g.case(
        "pbes2-p2c-too-low",
        "p2c 1 is below the minimum iteration count",
        &[jwk_entry(&pw)],
        json!({"allow_pbes2": PBES2_CAP}),
        Code("weak_key"),
        || {
            Input::Compact(with_header(&encrypt(&pw, Enc::A128GCM, PLAINTEXT), |h| {
                h["p2c"] = 1.into()
            }))
        },
    );
    let d128 = dir(Enc::A128GCM, 92);
    let d256 = dir(Enc::A256GCM, 93);
    g.compact(
        "dir-key-other-enc",
        "a dir key bound to A128GCM, the token says A256GCM",
        &d128,
        Code("key_algorithm_mismatch"),
        || encrypt(&d256, Enc::A256GCM, PLAINTEXT),
    );
}

fn keys_and_points(g: &mut Gen) {
    use Expect::Code;
    let key = ecdh(Alg::EcdhEs, EcdhCurve::P256, 100);
    let t = || encrypt(&key, Enc::A128GCM, PLAINTEXT);
    g.compact(
        "ecdh-epk-off-curve",
        "the ephemeral key is not on P-256 (invalid-curve attack)",
        &key,
        Code("invalid_key"),
        || {
            with_header(&t(), |h| {
                let mut y = b64_decode(h["epk"]["y"].as_str().unwrap()).unwrap();
                y[31] ^= 1;
                h["epk"]["y"] = b64_encode(&y).into();
            })
        },
    );
    g.compact(
        "ecdh-epk-zero-point",
        "the ephemeral key is (0, 0)",
        &key,
        Code("invalid_key"),
        || {
            with_header(&t(), |h| {
                h["epk"]["x"] = b64_encode([0u8; 32]).into();
                h["epk"]["y"] = b64_encode([0u8; 32]).into();
            })
        },
    );
    let p384 = ecdh(Alg::EcdhEs, EcdhCurve::P384, 101);
    g.compact(
        "ecdh-epk-other-curve",
        "the ephemeral key is a P-384 point for a P-256 key",
        &key,
        Code("key_algorithm_mismatch"),
        || {
            let pubjwk: Value =
                serde_json::from_str(&p384.to_public_jwk().unwrap().to_json()).unwrap();
            with_header(&t(), |h| {
                h["epk"] = json!({"kty": "EC", "crv": "P-384", "x": pubjwk["x"], "y": pubjwk["y"]});
            })
        },
    );
    g.compact(
        "ecdh-epk-missing",
        "ECDH-ES without epk",
        &key,
        Code("invalid_header"),
        || {
            with_header(&t(), |h| {
                h.remove("epk");
            })
        },
    );
    let x = ecdh(Alg::EcdhEs, EcdhCurve::X25519, 102);
    g.compact(
        "x25519-low-order-point",
        "X25519 ephemeral key of low order (all-zero shared secret)",
        &x,
        Code("invalid_key"),
        || {
            with_header(&encrypt(&x, Enc::A128GCM, PLAINTEXT), |h| {
                h["epk"]["x"] = b64_encode([0u8; 32]).into();
            })
        },
    );
    // Key import errors: the case fails while building its keys.
    let sig = sym(Alg::A128KW, 103);
    let mut jwk = jwk_entry(&sig);
    jwk["jwk"]["use"] = "sig".into();
    g.case(
        "jwk-use-sig",
        "a JWK with use: sig cannot decrypt",
        &[jwk],
        json!({}),
        Code("key_usage_not_allowed"),
        || Input::Compact(encrypt(&sig, Enc::A128GCM, PLAINTEXT)),
    );
    let mut jwk = jwk_entry(&sig);
    jwk["jwk"]["key_ops"] = json!(["encrypt", "wrapKey"]);
    g.case(
        "jwk-key-ops-encrypt-only",
        "a JWK whose key_ops allow only encryption cannot decrypt",
        &[jwk],
        json!({}),
        Code("key_usage_not_allowed"),
        || Input::Compact(encrypt(&sig, Enc::A128GCM, PLAINTEXT)),
    );
    let mut jwk = jwk_entry(&sig);
    jwk["jwk"]["alg"] = "A256KW".into();
    g.case(
        "jwk-wrong-key-size",
        "a 16-byte oct JWK labelled A256KW",
        &[jwk],
        json!({}),
        Code("invalid_key"),
        || Input::Compact(encrypt(&sig, Enc::A128GCM, PLAINTEXT)),
    );
    let mut jwk = jwk_entry(&key);
    jwk["jwk"].as_object_mut().unwrap().remove("d");
    g.case(
        "jwk-public-only",
        "a public EC JWK cannot decrypt",
        &[jwk],
        json!({}),
        Code("invalid_key"),
        t_input(&key),
    );
    let mut jwk = jwk_entry(&key);
    jwk["alg"] = "A128KW".into();
    g.case(
        "jwk-alg-contradicted",
        "the JWK says ECDH-ES, the caller binds it to A128KW",
        &[jwk],
        json!({}),
        Code("key_algorithm_mismatch"),
        t_input(&key),
    );
}

fn t_input(key: &DecryptionKey) -> impl FnOnce() -> Input + '_ {
    move || Input::Compact(encrypt(key, Enc::A128GCM, PLAINTEXT))
}

fn limits(g: &mut Gen) {
    use Expect::Code;
    let key = sym(Alg::A128KW, 110);
    g.case(
        "token-too-large",
        "a 1 KiB plaintext under a 500-byte token limit, refused before any work",
        &[jwk_entry(&key)],
        json!({"max_token_bytes": 500}),
        Code("input_too_large"),
        || Input::Compact(encrypt(&key, Enc::A128GCM, &[b'a'; 1024])),
    );
    g.case(
        "zip-bomb",
        "100 000 zeros deflate to a small token; inflating past the 10 000-byte cap stops",
        &[jwk_entry(&key)],
        json!({"max_plaintext_bytes": 10_000}),
        Code("input_too_large"),
        || {
            let mut h = JweHeader::new(Alg::A128KW, Enc::A128GCM);
            h.zip = true;
            Input::Compact(encrypt_with(&key, h, &vec![0u8; 100_000]))
        },
    );
    g.case(
        "zip-within-cap",
        "5 000 zeros inflate fine under the default 1 MiB cap",
        &[jwk_entry(&key)],
        json!({}),
        Expect::Plaintext(vec![0u8; 5_000]),
        || {
            let mut h = JweHeader::new(Alg::A128KW, Enc::A128GCM);
            h.zip = true;
            Input::Compact(encrypt_with(&key, h, &vec![0u8; 5_000]))
        },
    );
}

fn json_serialization(g: &mut Gen) {
    use Expect::Code;
    let a = sym(Alg::A128KW, 120).with_kid("a");
    let b = ecdh(Alg::EcdhEsA256KW, EcdhCurve::P256, 121).with_kid("b");
    let flattened = |key: &DecryptionKey| {
        let opts = JsonOptions {
            aad: Some(b"additional data".to_vec()),
            ..JsonOptions::default()
        };
        let doc = jwe::encrypt_flattened(&sender(key), Enc::A256GCM, &opts, PLAINTEXT).unwrap();
        serde_json::from_str::<Value>(&doc).unwrap()
    };
    g.case(
        "json-flattened",
        "flattened JSON serialization with aad",
        &[jwk_entry(&a)],
        json!({}),
        ok(),
        || Input::Json(flattened(&a)),
    );
    g.case(
        "json-flattened-aad-changed",
        "flattened JSON: the aad is authenticated",
        &[jwk_entry(&a)],
        json!({}),
        Code("decryption_failed"),
        || {
            let mut doc = flattened(&a);
            doc["aad"] = b64_encode(b"other data").into();
            Input::Json(doc)
        },
    );
    g.case(
        "json-flattened-alg-twice",
        "alg both in the protected and the unprotected header (they must be disjoint)",
        &[jwk_entry(&a)],
        json!({}),
        Code("invalid_header"),
        || {
            let mut doc = flattened(&a);
            doc["unprotected"] = json!({"alg": "A128KW"});
            Input::Json(doc)
        },
    );
    let general = |first: &DecryptionKey, second: &DecryptionKey| {
        let mut unprotected = Map::new();
        unprotected.insert("x-note".into(), "shared".into());
        let opts = JsonOptions {
            unprotected: Some(unprotected),
            ..JsonOptions::default()
        };
        let (s1, s2) = (sender(first), sender(second));
        let doc = jwe::encrypt_general(&[&s1, &s2], Enc::A128CbcHs256, &opts, PLAINTEXT).unwrap();
        serde_json::from_str::<Value>(&doc).unwrap()
    };
    // The decrypter holds the first recipient's key, so the joint header is recipient 0's.
    g.case(
        "json-general-two-recipients",
        "general JSON serialization to an A128KW and an ECDH-ES+A256KW recipient",
        &[jwk_entry(&a)],
        json!({}),
        ok(),
        || Input::Json(general(&a, &b)),
    );
    let stranger = sym(Alg::A192KW, 122);
    g.case(
        "json-general-no-recipient-for-key",
        "general JSON: no recipient uses the caller's key's algorithm",
        &[jwk_entry(&stranger)],
        json!({}),
        Code("algorithm_not_allowed"),
        || Input::Json(general(&a, &b)),
    );
}
