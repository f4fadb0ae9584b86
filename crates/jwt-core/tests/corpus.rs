//! The shared conformance corpus (`tests/corpus/corpus.json`): the contract between the
//! core and every binding. See `tests/corpus/README.md` for the format.
//!
//! * `corpus_cases_pass` re-runs every case through the core and asserts the outcome.
//! * `corpus_is_up_to_date` regenerates the corpus in memory and compares it with the
//!   committed file, so the file never drifts from the generator below.
//! * `JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test corpus` rewrites the file.
//!
//! Every expectation is written by hand next to the case; the core is never asked what
//! the answer should be. Randomized signatures (ECDSA, RSA-PSS) are produced once and
//! then reused from the committed file, and the private keys live in
//! `tests/corpus/signing-keys.json` (test keys, published on purpose), so regeneration is
//! deterministic.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use common::{NOW, curve_order, ecdsa_to_der, fake_rsa_modulus, pem, rsa_spki, sig_of, with_sig};
use jwt_core::{
    Algorithm, Error, Jwk, KeySet, SigningKey, Validation, ValidationSpec, Verifier, VerifyingKey,
    b64_decode, b64_encode,
};
use serde_json::{Map, Value, json};

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

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn load(name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(corpus_dir().join(name)).ok()?;
    Some(serde_json::from_str(&text).expect("corpus JSON"))
}

#[test]
fn corpus_cases_pass() {
    if std::env::var_os("JWT_CORE_REGENERATE_CORPUS").is_some() {
        regenerate();
    }
    let corpus = load("corpus.json").expect("tests/corpus/corpus.json is missing; regenerate it");
    assert_eq!(corpus["version"], 1);
    let now = corpus["now"].as_i64().expect("now");
    let cases = corpus["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases {
        if let Err(f) = check_case(case, now) {
            failures.push(f);
        }
        let code = match case["expect"]["error"].as_str() {
            Some(c) => c.to_owned(),
            None => "ok".into(),
        };
        *by_code.entry(code).or_default() += 1;
    }
    println!("corpus: {} cases; outcomes {by_code:?}", cases.len());
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
    let corpus = load("corpus.json").expect("corpus.json");
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

#[test]
fn corpus_is_up_to_date() {
    let Some(committed) = load("corpus.json") else {
        panic!("corpus.json missing");
    };
    if load("signing-keys.json").is_none() {
        panic!("signing-keys.json missing");
    }
    let (fresh, _) = generate();
    if fresh != committed {
        let (a, b) = (
            fresh["cases"].as_array().unwrap(),
            committed["cases"].as_array().unwrap(),
        );
        for (x, y) in a.iter().zip(b) {
            if x != y {
                println!("first difference in {}:\n{x}\n{y}", x["id"]);
                break;
            }
        }
    }
    assert!(
        fresh == committed,
        "tests/corpus/corpus.json is stale: run JWT_CORE_REGENERATE_CORPUS=1 cargo test -p jwt-core --test corpus"
    );
}

/// Writes tests/corpus/corpus.json (run through `JWT_CORE_REGENERATE_CORPUS=1`; not a test
/// of its own, since an ignored test counts as a skip and fails `cargo xtask test`).
fn regenerate() {
    let (corpus, keys) = generate();
    std::fs::create_dir_all(corpus_dir()).unwrap();
    let mut text = serde_json::to_string_pretty(&keys).unwrap();
    text.push('\n');
    std::fs::write(corpus_dir().join("signing-keys.json"), text).unwrap();
    let mut text = serde_json::to_string_pretty(&corpus).unwrap();
    text.push('\n');
    std::fs::write(corpus_dir().join("corpus.json"), text).unwrap();
    println!("wrote {} cases", corpus["cases"].as_array().unwrap().len());
}

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
        let stored = match load("signing-keys.json") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let mut old_sigs = HashMap::new();
        if let Some(c) = load("corpus.json") {
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
fn generate() -> (Value, Value) {
    let mut g = Gen::new();
    valid_per_algorithm(&mut g);
    claim_rules(&mut g);
    algorithm_attacks(&mut g);
    header_attacks(&mut g);
    parsing_attacks(&mut g);
    let corpus = json!({
        "version": 1,
        "now": NOW,
        "description": "jwt-core conformance corpus: every binding must reproduce every outcome (see README.md)",
        "cases": g.cases,
    });
    (corpus, Value::Object(g.stored))
}

fn valid_per_algorithm(g: &mut Gen) {
    use Algorithm::*;
    // Vary the key form across algorithms so every import path is exercised.
    for alg in Algorithm::ALL {
        let name = alg.as_str().to_lowercase();
        let (key, form) = match alg {
            HS256 | HS384 | HS512 => (g.hmac(&name, alg), "a raw secret"),
            RS256 | PS256 | ES256 | ES512 | EdDSA => (g.pem(&name, alg), "an SPKI PEM"),
            _ => (g.jwk(&name, alg), "a public JWK"),
        };
        let token = g.token(&name, alg, Some(&name), &base_claims());
        g.push(
            &format!("valid-{name}"),
            &format!("{alg} token, key given as {form}, issuer and audience checked"),
            vec![key],
            &token,
            base_validation(),
            ok(),
        );
    }
    // No kid: the key is found by algorithm among several keys.
    let token = g.token("es256", ES256, None, &base_claims());
    let keys = vec![
        g.jwk("rs256", RS256),
        g.hmac("hs256", HS256),
        g.jwk("es256", ES256),
    ];
    g.push(
        "valid-no-kid-selected-by-alg",
        "token without kid: the key bound to the token's algorithm is used",
        keys,
        &token,
        base_validation(),
        ok(),
    );
    // A JWK without alg, bound by the caller's sibling "alg".
    let mut jwk = g.key("rs256", RS256).verifying_key().to_jwk().unwrap();
    let mut m = jwk.as_map().clone();
    m.remove("alg");
    jwk = Jwk::from_map(m).unwrap();
    let token = g.token("rs256", RS256, None, &base_claims());
    g.push(
        "valid-jwk-without-alg-bound-by-caller",
        "an RSA JWK without alg is bound to RS256 by the caller",
        vec![json!({"jwk": Value::Object(jwk.as_map().clone()), "alg": "RS256"})],
        &token,
        base_validation(),
        ok(),
    );
    // An EC JWK without alg: the curve implies ES256.
    let mut m = g
        .key("es256", ES256)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .as_map()
        .clone();
    m.remove("alg");
    m.remove("use");
    let token = g.token("es256", ES256, None, &base_claims());
    g.push(
        "valid-ec-jwk-alg-from-curve",
        "an EC JWK without alg is bound to the algorithm its curve implies",
        vec![json!({"jwk": Value::Object(m)})],
        &token,
        base_validation(),
        ok(),
    );
    // A token with no exp accepted when the caller removes exp from the required claims.
    let mut c = base_claims();
    c.as_object_mut().unwrap().remove("exp");
    let token = g.token("hs256", HS256, None, &c);
    let keys = vec![g.hmac("hs256", HS256)];
    g.push(
        "valid-no-exp-when-not-required",
        "exp is not required when required_claims is empty",
        keys,
        &token,
        json!({"issuer": [ISS], "audience": [AUD], "required_claims": []}),
        ok(),
    );
    // Minimal: only exp, default validation.
    let token = g.token("hs256", HS256, None, &json!({"exp": NOW + 1}));
    let keys = vec![g.hmac("hs256", HS256)];
    g.push(
        "valid-defaults-exp-only",
        "default validation, only exp",
        keys,
        &token,
        json!({}),
        ok(),
    );
    // Rich claims survive unchanged.
    let claims = json!({"exp": NOW + 60, "nested": {"a": [1, 2.5, "x", null, true]}, "unicode": "h\u{e9}llo \u{1f600}", "big": 9007199254740993u64,
        "floats": [0.1, -923635532519.0533, 1e-7, 5e300]});
    let token = g.token("hs256", HS256, None, &claims);
    let keys = vec![g.hmac("hs256", HS256)];
    g.push(
        "valid-rich-claims",
        "nested objects, arrays, unicode, a large integer and floats come back bit-identical",
        keys,
        &token,
        json!({}),
        ok(),
    );
}

fn claim_rules(g: &mut Gen) {
    use Algorithm::HS256;
    let hs = |g: &mut Gen| vec![g.hmac("hs256", HS256)];
    let case = |g: &mut Gen,
                id: &str,
                desc: &str,
                edit: &dyn Fn(&mut Map<String, Value>),
                validation: Value,
                now: Option<i64>,
                expect: Expect| {
        let mut c = base_claims();
        edit(c.as_object_mut().unwrap());
        let token = g.token("hs256", HS256, None, &c);
        let keys = hs(g);
        g.push_at(id, desc, keys, &token, validation, now, expect);
    };
    let v = base_validation;
    let with = |extra: Value| {
        let mut b = base_validation();
        for (k, x) in extra.as_object().unwrap() {
            b[k] = x.clone();
        }
        b
    };
    // exp
    case(
        g,
        "claim-exp-expired",
        "exp in the past",
        &|c| {
            c.insert("exp".into(), (NOW - 1).into());
        },
        v(),
        None,
        err("token_expired"),
    );
    case(
        g,
        "claim-exp-boundary",
        "exp equal to now is expired",
        &|c| {
            c.insert("exp".into(), NOW.into());
        },
        v(),
        None,
        err("token_expired"),
    );
    case(
        g,
        "claim-exp-leeway",
        "exp 5 s ago is accepted with a 10 s leeway",
        &|c| {
            c.insert("exp".into(), (NOW - 5).into());
        },
        with(json!({"leeway": 10})),
        None,
        ok(),
    );
    case(
        g,
        "claim-exp-beyond-leeway",
        "exp 30 s ago is rejected with a 10 s leeway",
        &|c| {
            c.insert("exp".into(), (NOW - 30).into());
        },
        with(json!({"leeway": 10})),
        None,
        err("token_expired"),
    );
    case(
        g,
        "claim-exp-missing",
        "exp is required by default",
        &|c| {
            c.remove("exp");
        },
        v(),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-exp-string",
        "a string exp is an error, not a missing exp (CVE-2026-25537)",
        &|c| {
            c.insert("exp".into(), (NOW + 600).to_string().into());
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-string-not-required",
        "a string exp is an error even when exp is not required",
        &|c| {
            c.insert("exp".into(), "never".into());
        },
        with(json!({"required_claims": []})),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-absurd",
        "an absurdly large exp is an error",
        &|c| {
            c.insert("exp".into(), json!(1e300));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-negative",
        "a negative exp is an error",
        &|c| {
            c.insert("exp".into(), json!(-1));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-null",
        "a null exp is an error",
        &|c| {
            c.insert("exp".into(), Value::Null);
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-exp-fractional",
        "a fractional exp in the future is accepted",
        &|c| {
            c.insert("exp".into(), json!(1_700_000_600.5));
        },
        v(),
        None,
        ok(),
    );
    case(
        g,
        "claim-exp-clock-override",
        "the per-case clock makes a valid token expired",
        &|_| {},
        v(),
        Some(NOW + 601),
        err("token_expired"),
    );
    // nbf
    case(
        g,
        "claim-nbf-future",
        "nbf in the future",
        &|c| {
            c.insert("nbf".into(), (NOW + 100).into());
        },
        v(),
        None,
        err("token_not_yet_valid"),
    );
    case(
        g,
        "claim-nbf-leeway",
        "nbf 5 s ahead is accepted with a 10 s leeway",
        &|c| {
            c.insert("nbf".into(), (NOW + 5).into());
        },
        with(json!({"leeway": 10})),
        None,
        ok(),
    );
    case(
        g,
        "claim-nbf-now",
        "nbf equal to now is accepted",
        &|c| {
            c.insert("nbf".into(), NOW.into());
        },
        v(),
        None,
        ok(),
    );
    case(
        g,
        "claim-nbf-string",
        "a string nbf is an error",
        &|c| {
            c.insert("nbf".into(), "0".into());
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // iat
    case(
        g,
        "claim-iat-future",
        "iat in the future beyond leeway",
        &|c| {
            c.insert("iat".into(), (NOW + 100).into());
        },
        v(),
        None,
        err("token_issued_in_future"),
    );
    case(
        g,
        "claim-iat-future-leeway",
        "iat 5 s ahead is accepted with a 10 s leeway",
        &|c| {
            c.insert("iat".into(), (NOW + 5).into());
        },
        with(json!({"leeway": 10})),
        None,
        ok(),
    );
    case(
        g,
        "claim-iat-bool",
        "a boolean iat is an error",
        &|c| {
            c.insert("iat".into(), true.into());
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // max age
    case(
        g,
        "claim-max-age-ok",
        "iat 60 s ago within a 300 s max age",
        &|_| {},
        with(json!({"max_age": 300})),
        None,
        ok(),
    );
    case(
        g,
        "claim-max-age-too-old",
        "iat 60 s ago beyond a 30 s max age",
        &|_| {},
        with(json!({"max_age": 30})),
        None,
        err("token_too_old"),
    );
    case(
        g,
        "claim-max-age-needs-iat",
        "max age requires iat",
        &|c| {
            c.remove("iat");
        },
        with(json!({"max_age": 300})),
        None,
        err("missing_claim"),
    );
    // iss
    case(
        g,
        "claim-iss-wrong",
        "another issuer",
        &|c| {
            c.insert("iss".into(), "https://evil.example".into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-prefix",
        "an issuer that extends the expected one is not a match",
        &|c| {
            c.insert("iss".into(), format!("{ISS}.evil").into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-substring",
        "a substring of the expected issuer is not a match (CVE-2024-53861)",
        &|c| {
            c.insert("iss".into(), "issuer".into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-case",
        "issuer comparison is case-sensitive",
        &|c| {
            c.insert("iss".into(), ISS.to_uppercase().into());
        },
        v(),
        None,
        err("invalid_issuer"),
    );
    case(
        g,
        "claim-iss-missing",
        "an expected issuer must be present",
        &|c| {
            c.remove("iss");
        },
        v(),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-iss-array",
        "iss must be a string",
        &|c| {
            c.insert("iss".into(), json!([ISS]));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-iss-one-of-many",
        "any of several accepted issuers",
        &|_| {},
        with(json!({"issuer": ["https://other.example", ISS]})),
        None,
        ok(),
    );
    // aud
    case(
        g,
        "claim-aud-array",
        "aud array containing the expected audience",
        &|c| {
            c.insert("aud".into(), json!(["other", AUD]));
        },
        v(),
        None,
        ok(),
    );
    case(
        g,
        "claim-aud-wrong",
        "another audience",
        &|c| {
            c.insert("aud".into(), "api://other".into());
        },
        v(),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-prefix",
        "an audience that extends the expected one is not a match",
        &|c| {
            c.insert("aud".into(), format!("{AUD}x").into());
        },
        v(),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-array-wrong",
        "aud array without the expected audience",
        &|c| {
            c.insert("aud".into(), json!(["a", "b"]));
        },
        v(),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-missing",
        "an expected audience must be present",
        &|c| {
            c.remove("aud");
        },
        v(),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-aud-unexpected",
        "a token with aud is rejected when no audience is configured (RFC 7519 4.1.3)",
        &|_| {},
        json!({"issuer": [ISS]}),
        None,
        err("invalid_audience"),
    );
    case(
        g,
        "claim-aud-number",
        "aud must be a string or an array of strings",
        &|c| {
            c.insert("aud".into(), json!(42));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-aud-array-number",
        "aud array members must be strings",
        &|c| {
            c.insert("aud".into(), json!([AUD, 1]));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // sub, jti
    case(
        g,
        "claim-sub-match",
        "required subject matches",
        &|_| {},
        with(json!({"subject": "user-1"})),
        None,
        ok(),
    );
    case(
        g,
        "claim-sub-wrong",
        "required subject differs",
        &|_| {},
        with(json!({"subject": "user-2"})),
        None,
        err("invalid_subject"),
    );
    case(
        g,
        "claim-sub-number",
        "sub must be a string",
        &|c| {
            c.insert("sub".into(), json!(1));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-jti-object",
        "jti must be a string",
        &|c| {
            c.insert("jti".into(), json!({}));
        },
        v(),
        None,
        err("invalid_claim"),
    );
    // required and exact-value claims
    case(
        g,
        "claim-required-present",
        "a required custom claim is present",
        &|_| {},
        with(json!({"required_claims": ["exp", "role"]})),
        None,
        ok(),
    );
    case(
        g,
        "claim-required-missing",
        "a required registered claim is absent",
        &|_| {},
        with(json!({"required_claims": ["exp", "jti"]})),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-required-custom-missing",
        "a required custom claim is absent",
        &|_| {},
        with(json!({"required_claims": ["exp", "tenant"]})),
        None,
        err("missing_claim"),
    );
    case(
        g,
        "claim-equal-match",
        "an exact-value claim matches",
        &|_| {},
        with(json!({"claims_equal": {"role": "reader"}})),
        None,
        ok(),
    );
    case(
        g,
        "claim-equal-mismatch",
        "an exact-value claim differs",
        &|_| {},
        with(json!({"claims_equal": {"role": "admin"}})),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-equal-type",
        "an exact-value claim compares JSON types too",
        &|c| {
            c.insert("level".into(), json!("1"));
        },
        with(json!({"claims_equal": {"level": 1}})),
        None,
        err("invalid_claim"),
    );
    case(
        g,
        "claim-equal-missing",
        "an exact-value claim is absent",
        &|_| {},
        with(json!({"claims_equal": {"tenant": "t1"}})),
        None,
        err("missing_claim"),
    );
    // payload shape
    let token = g.sign(
        "hs256",
        HS256,
        &common::header(HS256, None),
        &format!(r#"{{"exp":{},"sub":"a","sub":"b"}}"#, NOW + 60),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-duplicate-member",
        "duplicate member in the payload (parser differentials)",
        keys,
        &token,
        json!({}),
        err("duplicate_member"),
    );
    let token = g.sign(
        "hs256",
        HS256,
        &common::header(HS256, None),
        &format!(r#"{{"exp":{},"exp":{}}}"#, NOW - 60, NOW + 60),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-duplicate-exp",
        "two exp members: never last-one-wins",
        keys,
        &token,
        json!({}),
        err("duplicate_member"),
    );
    let token = g.sign("hs256", HS256, &common::header(HS256, None), "[1,2]");
    let keys = hs(g);
    g.push(
        "parse-payload-not-object",
        "the payload must be a JSON object",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
    let token = g.sign(
        "hs256",
        HS256,
        &common::header(HS256, None),
        &format!(r#"{{"exp":{}}} x"#, NOW + 60),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-trailing",
        "trailing data after the payload object",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
    let token = g.sign_raw(
        "hs256",
        HS256,
        &b64_encode(common::header(HS256, None)),
        &b64_encode(b"{\"exp\":1,\"x\":\"\xff\"}"),
    );
    let keys = hs(g);
    g.push(
        "parse-payload-invalid-utf8",
        "the payload must be valid UTF-8",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
    let deep = format!(
        r#"{{"exp":{},"d":{}1{}}}"#,
        NOW + 60,
        "[".repeat(40),
        "]".repeat(40)
    );
    let token = g.sign("hs256", HS256, &common::header(HS256, None), &deep);
    let keys = hs(g);
    g.push(
        "parse-payload-too-deep",
        "payload nesting beyond the default depth of 32",
        keys,
        &token,
        json!({}),
        err("malformed_token"),
    );
}

fn algorithm_attacks(g: &mut Gen) {
    use Algorithm::*;
    let claims = base_claims().to_string();
    // alg none in every spelling, with and without a signature.
    for (i, spelling) in ["none", "None", "NONE", "nOnE"].iter().enumerate() {
        let h = b64_encode(format!(r#"{{"alg":"{spelling}","typ":"JWT"}}"#));
        let p = b64_encode(&claims);
        let keys = vec![g.hmac("hs256", HS256)];
        g.push(
            &format!("alg-none-{i}-unsigned"),
            &format!("alg `{spelling}` with an empty signature"),
            keys.clone(),
            &format!("{h}.{p}."),
            base_validation(),
            err("unsupported_algorithm"),
        );
        // "signed": an HMAC over the input with the verifier's own secret
        let t = g.sign_raw("hs256", HS256, &h, &p);
        g.push(
            &format!("alg-none-{i}-signed"),
            &format!("alg `{spelling}` with a signature segment"),
            keys,
            &t,
            base_validation(),
            err("unsupported_algorithm"),
        );
    }
    let keys = vec![g.hmac("hs256", HS256)];
    let t = g.sign("hs256", HS256, r#"{"alg":"HS257","typ":"JWT"}"#, &claims);
    g.push(
        "alg-unknown",
        "an unknown algorithm name",
        keys.clone(),
        &t,
        base_validation(),
        err("unsupported_algorithm"),
    );
    let t = g.sign("hs256", HS256, r#"{"alg":"hs256","typ":"JWT"}"#, &claims);
    g.push(
        "alg-wrong-case",
        "algorithm names are case-sensitive",
        keys,
        &t,
        base_validation(),
        err("unsupported_algorithm"),
    );

    // Algorithm confusion: the RSA public key (PEM text, DER bytes, JWK text) offered as an
    // HMAC secret: refused when the key is built.
    let rsa_pem = g.key("rs256", RS256).public_key_pem().unwrap();
    let rsa_der = b64_decode(
        rsa_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
            .replace('+', "-")
            .replace('/', "_")
            .trim_end_matches('='),
    )
    .unwrap();
    let rsa_jwk = g
        .key("rs256", RS256)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .to_json();
    let ec_pem = g.key("es256", ES256).public_key_pem().unwrap();
    let ed_jwk = g
        .key("eddsa", EdDSA)
        .verifying_key()
        .to_jwk()
        .unwrap()
        .to_json();
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let std_b64 = |b: &[u8]| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    };
    let utf16 = |t: &str, le: bool, bom: bool| {
        let mut v: Vec<u8> = Vec::new();
        for u in bom.then_some(0xfeff).into_iter().chain(t.encode_utf16()) {
            v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    };
    let utf32 = |t: &str, le: bool, bom: bool| {
        let mut v: Vec<u8> = Vec::new();
        for c in bom.then_some('\u{feff}').into_iter().chain(t.chars()) {
            let u = c as u32;
            v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    };
    let ec_jwks = KeySet::from(g.key("es256", ES256).verifying_key())
        .to_public_jwks()
        .unwrap()
        .to_json();
    let cert = common::keyform("cert-rsa.der");
    let rsa_pkcs1 = rsa_der[24..].to_vec();
    let nested = format!("{}{ed_jwk}{}", "[".repeat(5000), "]".repeat(5000));
    let big_int = format!(
        "{{\"keys\":{},\"n\":1{}}}",
        format_args!("[{rsa_jwk}]"),
        "0".repeat(5000)
    );
    let mut bom_jwks = b"\xef\xbb\xbf".to_vec();
    bom_jwks.extend(ec_jwks.as_bytes());
    let rows: Vec<(&str, &str, Vec<u8>)> = vec![
        ("rsa-pem", "RSA public key PEM", rsa_pem.as_bytes().to_vec()),
        ("rsa-der", "RSA public key DER", rsa_der.clone()),
        (
            "rsa-jwk",
            "RSA public JWK text",
            rsa_jwk.clone().into_bytes(),
        ),
        ("ec-pem", "EC public key PEM", ec_pem.into_bytes()),
        (
            "ed-jwk",
            "Ed25519 public JWK text",
            ed_jwk.clone().into_bytes(),
        ),
        (
            "jwk-array",
            "a JSON array holding a JWK",
            format!("[{rsa_jwk}]").into(),
        ),
        (
            "jwk-array-nested",
            "a JWK inside two JSON arrays",
            format!("[[{ed_jwk}]]").into(),
        ),
        (
            "jwk-array-deep",
            "a JWK inside 5000 nested JSON arrays",
            nested.into(),
        ),
        (
            "jwks-utf8-bom",
            "a JWK set after a UTF-8 byte order mark",
            bom_jwks,
        ),
        (
            "jwk-utf16le",
            "JWK text in UTF-16LE, no BOM",
            utf16(&rsa_jwk, true, false),
        ),
        (
            "jwk-utf16be-bom",
            "JWK text in UTF-16BE with a BOM",
            utf16(&ed_jwk, false, true),
        ),
        (
            "jwk-utf32le-bom",
            "JWK text in UTF-32LE with a BOM",
            utf32(&ed_jwk, true, true),
        ),
        (
            "jwk-utf32be",
            "JWK text in UTF-32BE, no BOM",
            utf32(&rsa_jwk, false, false),
        ),
        (
            "jwk-escaped-kty",
            "a JWK whose member name is spelled \"\\u006bty\"",
            ed_jwk.replacen("\"kty\"", "\"\\u006bty\"", 1).into(),
        ),
        (
            "jwks-huge-integer",
            "a JWK set with a 5000-digit integer member",
            big_int.into(),
        ),
        (
            "oct-jwk",
            "an oct JWK as text (its secret is the decoded k, not the text)",
            br#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}"#.to_vec(),
        ),
        ("rsa-spki-hex", "hex of an RSA SPKI", hex(&rsa_der).into()),
        (
            "rsa-spki-base64",
            "base64 of an RSA SPKI",
            std_b64(&rsa_der).into(),
        ),
        (
            "rsa-spki-base64url",
            "base64url of an RSA SPKI",
            b64_encode(&rsa_der).into(),
        ),
        (
            "rsa-pkcs1-base64",
            "base64 of an RSA PKCS#1 public key",
            std_b64(&rsa_pkcs1).into(),
        ),
        (
            "rsa-pkcs1-hex",
            "hex of an RSA PKCS#1 public key",
            hex(&rsa_pkcs1).into(),
        ),
        ("cert-der", "a raw DER X.509 certificate", cert.clone()),
        (
            "cert-base64",
            "base64 of a DER certificate",
            std_b64(&cert).into(),
        ),
        ("cert-hex", "hex of a DER certificate", hex(&cert).into()),
    ];
    for (id, what, secret) in rows {
        // the attacker signs with the public key bytes as HMAC key (forged by hand)
        let h = b64_encode(common::header(HS256, None));
        let p = b64_encode(&claims);
        let input = format!("{h}.{p}");
        let tag = ring_hmac(&secret, input.as_bytes());
        let token = format!("{input}.{}", b64_encode(tag));
        g.push(
            &format!("confusion-{id}-as-hmac-secret"),
            &format!(
                "{what} offered as an HMAC secret is refused (CVE-2016-10555, CVE-2022-29217)"
            ),
            vec![json!({"secret_b64u": b64_encode(&secret), "alg": "HS256"})],
            &token,
            base_validation(),
            err("key_algorithm_mismatch"),
        );
    }
    // A BEGIN line with no END line is not PEM (PyJWT reads it the same way): a secret.
    let secret = b"-----BEGIN PUBLIC KEY-----".repeat(200);
    let h = b64_encode(common::header(HS256, None));
    let p = b64_encode(&claims);
    let input = format!("{h}.{p}");
    let token = format!(
        "{input}.{}",
        b64_encode(ring_hmac(&secret, input.as_bytes()))
    );
    g.push(
        "secret-pem-begin-line-only",
        "a secret made of repeated PEM BEGIN lines and no END line is a plain secret",
        vec![json!({"secret_b64u": b64_encode(&secret), "alg": "HS256"})],
        &token,
        base_validation(),
        ok(),
    );
    // HS256 token presented to an RSA verifier: the key decides, not the header.
    let rsa_pem = g.key("rs256", RS256).public_key_pem().unwrap();
    let h = b64_encode(common::header(HS256, None));
    let p = b64_encode(&claims);
    let input = format!("{h}.{p}");
    let token = format!(
        "{input}.{}",
        b64_encode(ring_hmac(rsa_pem.as_bytes(), input.as_bytes()))
    );
    let keys = vec![g.pem("rs256", RS256)];
    g.push(
        "confusion-hs256-token-rsa-verifier",
        "an HS256 token (HMAC keyed with the RSA PEM) against an RSA verifier",
        keys,
        &token,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    // JWK alg contradicts the requested algorithm.
    let jwk = g.jwk("rs256", RS256);
    let t = g.token("rs256", RS256, None, &base_claims());
    g.push(
        "jwk-alg-contradicts-caller",
        "a JWK with alg RS256 cannot be bound to PS256",
        vec![json!({"jwk": jwk["jwk"], "alg": "PS256"})],
        &t,
        base_validation(),
        err("key_algorithm_mismatch"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("alg".into(), "HS256".into());
    g.push(
        "jwk-rsa-claims-hs256",
        "an RSA JWK claiming alg HS256 is refused",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        err("key_algorithm_mismatch"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("use".into(), "enc".into());
    g.push(
        "jwk-use-enc",
        "a JWK with use enc cannot verify",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        err("key_usage_not_allowed"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("key_ops".into(), json!(["sign"]));
    g.push(
        "jwk-key-ops-sign-only",
        "a JWK whose key_ops lacks verify cannot verify",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        err("key_usage_not_allowed"),
    );
    let mut m = jwk["jwk"].as_object().unwrap().clone();
    m.insert("key_ops".into(), json!(["verify"]));
    g.push(
        "jwk-key-ops-verify",
        "a JWK whose key_ops includes verify verifies",
        vec![json!({"jwk": m})],
        &t,
        base_validation(),
        ok(),
    );
    // Allowed algorithms come from the caller.
    let keys = vec![g.jwk("rs256", RS256)];
    g.push(
        "alg-not-in-allowed-list",
        "the caller allows only PS256; an RS256 token is refused",
        keys.clone(),
        &t,
        with_v(json!({"algorithms": ["PS256"]})),
        err("invalid_argument"),
    );
    let keys2 = vec![g.jwk("rs256", RS256), g.jwk("ps256", PS256)];
    g.push(
        "alg-narrowed-by-caller",
        "keys for RS256 and PS256, caller allows only PS256: RS256 token refused",
        keys2,
        &t,
        with_v(json!({"algorithms": ["PS256"]})),
        err("algorithm_not_allowed"),
    );
    g.push(
        "alg-caller-unknown",
        "the caller's algorithm list names none",
        keys,
        &t,
        with_v(json!({"algorithms": ["none"]})),
        err("unsupported_algorithm"),
    );

    // ECDSA signature encodings.
    for alg in [ES256, ES384, ES512, ES256K] {
        let name = alg.as_str().to_lowercase();
        // the valid-<alg> token (so its randomized signature is kept across regenerations)
        let t = g.token(&name, alg, Some(&name), &base_claims());
        let sig = sig_of(&t);
        let keys = vec![g.jwk(&name, alg)];
        let n = curve_order(alg);
        let half = sig.len() / 2;
        let variants: Vec<(&str, &str, Vec<u8>)> = vec![
            (
                "der",
                "DER-encoded signature instead of r||s",
                ecdsa_to_der(&sig),
            ),
            (
                "zero",
                "r = 0 and s = 0 (psychic signature, CVE-2022-21449)",
                vec![0u8; sig.len()],
            ),
            (
                "r-eq-n",
                "r = n",
                [n.clone(), sig[half..].to_vec()].concat(),
            ),
            (
                "s-eq-n",
                "s = n",
                [sig[..half].to_vec(), n.clone()].concat(),
            ),
            (
                "short",
                "signature one byte short",
                sig[..sig.len() - 1].to_vec(),
            ),
            (
                "long",
                "signature one byte long",
                [sig.clone(), vec![0]].concat(),
            ),
        ];
        for (vid, desc, bad) in variants {
            g.push(
                &format!("ecdsa-{name}-{vid}"),
                &format!("{alg}: {desc}"),
                keys.clone(),
                &with_sig(&t, &bad),
                base_validation(),
                err("invalid_signature"),
            );
        }
    }
    // Weak keys.
    let short: Vec<u8> = b"0123456789abcdef".to_vec();
    let h = b64_encode(common::header(HS256, None));
    let p = b64_encode(&claims);
    let input = format!("{h}.{p}");
    let token = format!(
        "{input}.{}",
        b64_encode(ring_hmac(&short, input.as_bytes()))
    );
    g.push(
        "weak-hmac-short-secret",
        "a 16-byte HS256 secret is refused without opt-in (RFC 7518 3.2)",
        vec![json!({"secret_b64u": b64_encode(&short), "alg": "HS256"})],
        &token,
        base_validation(),
        err("weak_key"),
    );
    g.push(
        "weak-hmac-short-secret-allowed",
        "a 16-byte HS256 secret verifies when the caller opts in",
        vec![json!({"secret_b64u": b64_encode(&short), "alg": "HS256", "allow_short": true})],
        &token,
        base_validation(),
        ok(),
    );
    let t = g.token("hs256", HS256, None, &base_claims());
    let weak_jwk = json!({"kty": "oct", "k": b64_encode(&short), "alg": "HS256"});
    g.push(
        "weak-hmac-short-jwk",
        "a short oct JWK is refused",
        vec![json!({"jwk": weak_jwk})],
        &t,
        base_validation(),
        err("weak_key"),
    );
    let n = fake_rsa_modulus(1024);
    let spki = rsa_spki(&n, &[1, 0, 1]);
    let t = g.token("rs256", RS256, None, &base_claims());
    g.push(
        "weak-rsa-1024-pem",
        "an RSA key under 2048 bits is refused",
        vec![json!({"pem": pem("PUBLIC KEY", &spki), "alg": "RS256"})],
        &t,
        base_validation(),
        err("weak_key"),
    );
    let roca = common::roca_modulus();
    g.push(
        "weak-rsa-roca-fingerprint",
        "a 2048-bit RSA modulus with the ROCA fingerprint (CVE-2017-15361) is refused",
        vec![json!({"jwk": {"kty": "RSA", "n": b64_encode(&roca), "e": "AQAB", "alg": "RS256"}})],
        &t,
        base_validation(),
        err("weak_key"),
    );
    g.push(
        "weak-rsa-1024-jwk",
        "an RSA JWK under 2048 bits is refused",
        vec![json!({"jwk": {"kty": "RSA", "n": b64_encode(&n), "e": "AQAB", "alg": "RS256"}})],
        &t,
        base_validation(),
        err("weak_key"),
    );
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

fn header_attacks(g: &mut Gen) {
    use Algorithm::*;
    let claims = base_claims().to_string();
    let hs = |g: &mut Gen| vec![g.hmac("hs256", HS256)];
    let signed =
        |g: &mut Gen, id: &str, desc: &str, header: &str, validation: Value, expect: Expect| {
            let t = g.sign("hs256", HS256, header, &claims);
            let keys = hs(g);
            g.push(id, desc, keys, &t, validation, expect);
        };
    // crit
    signed(
        g,
        "crit-unknown",
        "crit names an extension the caller did not declare",
        r#"{"alg":"HS256","crit":["exp2"],"exp2":1}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-declared",
        "crit names an extension the caller declared understood",
        r#"{"alg":"HS256","crit":["exp2"],"exp2":1}"#,
        with_v(json!({"critical": ["exp2"]})),
        ok(),
    );
    signed(
        g,
        "crit-empty",
        "an empty crit list is invalid",
        r#"{"alg":"HS256","crit":[]}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-registered-name",
        "crit must not list a registered header name",
        r#"{"alg":"HS256","crit":["kid"],"kid":"hs256"}"#,
        with_v(json!({"critical": ["kid"]})),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-member-absent",
        "crit names a member the header lacks",
        r#"{"alg":"HS256","crit":["exp2"]}"#,
        with_v(json!({"critical": ["exp2"]})),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "crit-not-array",
        "crit must be an array",
        r#"{"alg":"HS256","crit":"exp2","exp2":1}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "b64-false-undeclared",
        "b64:false (RFC 7797) is refused unless declared",
        r#"{"alg":"HS256","crit":["b64"],"b64":false}"#,
        base_validation(),
        err("unsupported_critical_header"),
    );
    signed(
        g,
        "b64-false-jwt",
        "a JWT payload must be base64url-encoded even when b64 is declared",
        r#"{"alg":"HS256","crit":["b64"],"b64":false}"#,
        with_v(json!({"critical": ["b64"]})),
        err("invalid_header"),
    );
    signed(
        g,
        "b64-without-crit",
        "b64 must be listed in crit",
        r#"{"alg":"HS256","b64":true}"#,
        base_validation(),
        err("invalid_header"),
    );
    // typ
    signed(
        g,
        "typ-required-match",
        "required typ at+jwt matches AT+JWT case-insensitively",
        r#"{"alg":"HS256","typ":"AT+JWT"}"#,
        with_v(json!({"typ": "at+jwt"})),
        ok(),
    );
    signed(
        g,
        "typ-application-prefix",
        "typ application/at+jwt matches at+jwt (RFC 7515 4.1.9)",
        r#"{"alg":"HS256","typ":"application/at+jwt"}"#,
        with_v(json!({"typ": "at+jwt"})),
        ok(),
    );
    signed(
        g,
        "typ-required-wrong",
        "typ JWT where at+jwt is required (RFC 9068)",
        r#"{"alg":"HS256","typ":"JWT"}"#,
        with_v(json!({"typ": "at+jwt"})),
        err("invalid_type"),
    );
    signed(
        g,
        "typ-required-missing",
        "typ missing where at+jwt is required",
        r#"{"alg":"HS256"}"#,
        with_v(json!({"typ": "at+jwt"})),
        err("invalid_type"),
    );
    signed(
        g,
        "typ-multibyte",
        "a typ with a multi-byte character at the `application/` prefix length is an error, not a crash",
        "{\"alg\":\"HS256\",\"typ\":\"abcdefghijk\u{e9}x\"}",
        with_v(json!({"typ": "at+jwt"})),
        err("invalid_type"),
    );
    signed(
        g,
        "typ-not-string",
        "typ must be a string",
        r#"{"alg":"HS256","typ":1}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "typ-not-required",
        "without a required typ any typ is accepted",
        r#"{"alg":"HS256","typ":"whatever"}"#,
        base_validation(),
        ok(),
    );
    // header members
    signed(
        g,
        "header-alg-missing",
        "the header has no alg",
        r#"{"typ":"JWT"}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "header-alg-not-string",
        "alg must be a string",
        r#"{"alg":["HS256"]}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "header-kid-not-string",
        "kid must be a string",
        r#"{"alg":"HS256","kid":7}"#,
        base_validation(),
        err("invalid_header"),
    );
    signed(
        g,
        "header-duplicate-alg",
        "duplicate alg in the header",
        r#"{"alg":"none","alg":"HS256"}"#,
        base_validation(),
        err("duplicate_member"),
    );
    signed(
        g,
        "header-duplicate-nested",
        "duplicate member inside a nested header object",
        r#"{"alg":"HS256","x":{"a":1,"a":2}}"#,
        base_validation(),
        err("duplicate_member"),
    );
    signed(
        g,
        "header-duplicate-escaped",
        "duplicate member spelled with an escape",
        r#"{"alg":"HS256","kid":"hs256","\u006bid":"x"}"#,
        base_validation(),
        err("duplicate_member"),
    );
    signed(
        g,
        "header-not-object",
        "the header must be a JSON object",
        r#"["HS256"]"#,
        base_validation(),
        err("malformed_token"),
    );
    let deep = format!(
        r#"{{"alg":"HS256","x":{}1{}}}"#,
        "[".repeat(40),
        "]".repeat(40)
    );
    signed(
        g,
        "header-too-deep",
        "header nesting beyond the default depth",
        &deep,
        base_validation(),
        err("malformed_token"),
    );
    let big = format!(r#"{{"alg":"HS256","pad":"{}"}}"#, "a".repeat(9000));
    signed(
        g,
        "header-too-large",
        "a header over 8 KiB is refused before any work",
        &big,
        base_validation(),
        err("input_too_large"),
    );

    // jku / x5u / jwk / x5c are never followed or trusted: a token signed by the
    // attacker's key that it embeds in the header does not verify.
    let attacker = g.key("attacker-es256", ES256);
    let attacker_jwk = attacker.verifying_key().to_jwk().unwrap().to_json();
    let victim_keys = vec![g.jwk("es256", ES256)];
    for (id, member) in [
        ("jwk", format!(r#""jwk":{attacker_jwk}"#)),
        (
            "jku",
            r#""jku":"https://attacker.example/jwks.json""#.to_owned(),
        ),
        (
            "x5u",
            r#""x5u":"https://attacker.example/cert.pem""#.to_owned(),
        ),
        ("x5c", r#""x5c":["MIIBszCCAVmgAwIBAgIUJ0Ys"]"#.to_owned()),
    ] {
        let h = format!(r#"{{"alg":"ES256","typ":"JWT",{member}}}"#);
        let t = g.sign("attacker-es256", ES256, &h, &claims);
        g.push(
            &format!("header-{id}-not-trusted"),
            &format!("header `{id}` pointing at the attacker's key is never used (CVE-2018-0114)"),
            victim_keys.clone(),
            &t,
            base_validation(),
            err("invalid_signature"),
        );
    }
    // The embedded jwk with the verifier's kid: still the caller's key decides.
    let h = format!(r#"{{"alg":"ES256","kid":"es256","jwk":{attacker_jwk}}}"#);
    let t = g.sign("attacker-es256", ES256, &h, &claims);
    g.push(
        "header-jwk-with-kid-not-trusted",
        "embedded jwk plus the victim's kid",
        victim_keys,
        &t,
        base_validation(),
        err("invalid_signature"),
    );
    // kid
    let keys = vec![g.jwk("rs256", RS256), g.hmac("hs256", HS256)];
    let t = g.sign("hs256", HS256, r#"{"alg":"HS256","kid":"rs256"}"#, &claims);
    g.push(
        "kid-selects-other-alg",
        "kid names the RSA key but the token says HS256",
        keys.clone(),
        &t,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    let t = g.sign("hs256", HS256, r#"{"alg":"HS256","kid":"nope"}"#, &claims);
    g.push(
        "kid-unknown",
        "kid matches no supplied key",
        keys.clone(),
        &t,
        base_validation(),
        err("key_not_found"),
    );
    let t = g.sign("hs256", HS256, r#"{"alg":"HS256","kid":"hs256"}"#, &claims);
    g.push(
        "kid-selects",
        "kid selects the HMAC key among several",
        keys,
        &t,
        base_validation(),
        ok(),
    );
    let keys = vec![g.hmac("hs256", HS256), g.hmac("hs256-b", HS256)];
    let t = g.sign(
        "hs256-b",
        HS256,
        r#"{"alg":"HS256","kid":"hs256"}"#,
        &claims,
    );
    g.push(
        "kid-wrong-key-same-alg",
        "kid names another key of the same algorithm: signature fails",
        keys,
        &t,
        base_validation(),
        err("invalid_signature"),
    );
    let keys = vec![g.hmac("hs256", HS256)];
    let t = g.sign("hs256", HS256, &common::header(HS256, None), &claims);
    let rsa_only = vec![g.pem("rs256", RS256)];
    g.push(
        "alg-no-key-for-alg",
        "an HS256 token against an RSA-only verifier: algorithm not allowed",
        rsa_only,
        &t,
        base_validation(),
        err("algorithm_not_allowed"),
    );
    let t384 = g.sign("hs384", HS384, &common::header(HS384, None), &claims);
    g.push(
        "alg-hs384-token-hs256-key",
        "an HS384 token against an HS256 key",
        keys,
        &t384,
        base_validation(),
        err("algorithm_not_allowed"),
    );
}

fn parsing_attacks(g: &mut Gen) {
    use Algorithm::*;
    let good = g.token("hs256", HS256, None, &base_claims());
    let (h, p, s) = common::parts(&good);
    let (h, p, s) = (h.to_owned(), p.to_owned(), s.to_owned());
    let keys = vec![g.hmac("hs256", HS256)];
    let mut bad = |id: &str, desc: &str, token: String, code: &str| {
        g.push(id, desc, keys.clone(), &token, base_validation(), err(code));
    };
    bad(
        "parse-two-segments",
        "two segments",
        format!("{h}.{p}"),
        "malformed_token",
    );
    bad(
        "parse-four-segments",
        "four segments",
        format!("{h}.{p}.{s}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-five-segments-jwe",
        "five segments (JWE) to a JWS verifier",
        format!("{h}.{p}.{s}.{s}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-empty",
        "an empty token",
        String::new(),
        "malformed_token",
    );
    bad(
        "parse-dots-only",
        "two dots and nothing else",
        "..".into(),
        "malformed_token",
    );
    bad(
        "parse-padding-sig",
        "base64 padding on the signature",
        format!("{h}.{p}.{s}="),
        "malformed_token",
    );
    bad(
        "parse-padding-header",
        "base64 padding on the header",
        format!("{h}=.{p}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-plus",
        "standard-alphabet + in the signature",
        format!("{h}.{p}.+{}", &s[1..]),
        "malformed_token",
    );
    bad(
        "parse-slash",
        "standard-alphabet / in the payload",
        format!("{h}./{}.{s}", &p[1..]),
        "malformed_token",
    );
    bad(
        "parse-whitespace",
        "whitespace inside the payload segment",
        format!("{h}.{} {}.{s}", &p[..10], &p[10..]),
        "malformed_token",
    );
    bad(
        "parse-newline",
        "a trailing newline",
        format!("{good}\n"),
        "malformed_token",
    );
    // Non-canonical trailing bits: change the last character so the unused low bits are set.
    // The 32-byte HS256 signature is 43 chars; the last char carries 4 unused bits.
    let mut nc = s.clone();
    let last = nc.pop().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.find(last).unwrap();
    let flipped = alphabet.as_bytes()[idx ^ 1] as char;
    nc.push(flipped);
    bad(
        "parse-noncanonical-bits",
        "non-canonical trailing bits in the signature (malleability)",
        format!("{h}.{p}.{nc}"),
        "malformed_token",
    );
    bad(
        "parse-header-not-base64",
        "the header is not base64url",
        format!("!!.{p}.{s}"),
        "malformed_token",
    );
    bad(
        "parse-header-not-json",
        "the header is not JSON",
        format!("{}.{p}.{s}", b64_encode("alg=HS256")),
        "malformed_token",
    );
    bad(
        "parse-header-invalid-utf8",
        "the header is not UTF-8",
        format!(
            "{}.{p}.{s}",
            b64_encode(b"{\"alg\":\"HS256\",\"x\":\"\xc3\x28\"}")
        ),
        "malformed_token",
    );
    // Signature and payload tampering.
    let mut sig = sig_of(&good);
    sig[0] ^= 1;
    bad(
        "sig-flipped-bit",
        "one bit of the signature flipped",
        with_sig(&good, &sig),
        "invalid_signature",
    );
    bad(
        "sig-empty",
        "an empty signature",
        format!("{h}.{p}."),
        "invalid_signature",
    );
    bad(
        "sig-truncated",
        "a truncated HMAC tag",
        with_sig(&good, &sig_of(&good)[..16]),
        "invalid_signature",
    );
    let mut c = base_claims();
    c["role"] = "admin".into();
    bad(
        "payload-swapped",
        "the payload replaced, the signature kept",
        format!("{h}.{}.{s}", b64_encode(c.to_string())),
        "invalid_signature",
    );
}
