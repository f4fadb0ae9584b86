//! A stable, deterministic "smoke fuzz" of the same entry points as the cargo-fuzz
//! targets in `crates/jwt-core/fuzz/`: a few thousand random and mutated inputs (fixed
//! seed, a tiny xorshift) through compact verification, JWS JSON verification and JWK /
//! JWK set / PEM / DER import. Every call must return (no panic), and every error must
//! carry one of the documented codes.
//!
//! `JWT_CORE_FUZZ_ITERS=<n>` runs longer.

mod common;

use common::{NOW, key};
use jwt_core::{
    Algorithm, Error, Jwk, KeySet, Signer, SigningKey, Validation, Verifier, VerifyingKey,
    b64_encode, sign, unverified,
};
use serde_json::{Value, json};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
}

fn iters(default: usize) -> usize {
    std::env::var("JWT_CORE_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn documented(r: Result<impl Sized, Error>) {
    if let Err(e) = r {
        assert!(
            Error::ALL_CODES.iter().any(|(c, _)| *c == e.code()),
            "undocumented code {}",
            e.code()
        );
    }
}

/// Interesting bytes for JOSE inputs.
const DICT: &[&str] = &[
    ".", "..", "=", "+", "/", "-", "_", " ", "\n", "{", "}", "[", "]", "\"", ":", ",", "\\u0000",
    "\\ud800", "null", "true", "1e999", "-0", "eyJ", "alg", "none", "HS256", "ES256", "EdDSA",
    "crit", "b64", "kid", "jwk", "exp", "\u{e9}", "\u{ff}",
];

fn mutate(rng: &mut XorShift, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.byte();
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            2 if !v.is_empty() => {
                let i = rng.below(v.len());
                let j = (i + rng.below(16)).min(v.len());
                v.drain(i..j);
            }
            3 => {
                let i = rng.below(v.len() + 1);
                let d = DICT[rng.below(DICT.len())].as_bytes();
                v.splice(i..i, d.iter().copied());
            }
            4 if !v.is_empty() => {
                // duplicate a chunk
                let i = rng.below(v.len());
                let j = (i + rng.below(32)).min(v.len());
                let chunk = v[i..j].to_vec();
                let k = rng.below(v.len() + 1);
                v.splice(k..k, chunk);
            }
            _ => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.byte());
            }
        }
    }
    v
}

fn seeds_compact() -> Vec<String> {
    let mut seeds = Vec::new();
    for alg in common::available() {
        let claims = json!({"exp": NOW + 60, "iat": NOW, "iss": "i", "sub": "s", "aud": ["a", "b"], "n": [1, {"x": null}]});
        seeds.push(
            Signer::new(key(alg).clone())
                .unwrap()
                .sign(&claims)
                .unwrap(),
        );
    }
    let mut h = jwt_core::Header::new(Algorithm::HS256);
    h.b64 = Some(false);
    seeds.push(sign::sign_compact(key(Algorithm::HS256), &h, b"raw$payload").unwrap());
    seeds.push(format!(
        "{}.{}.",
        b64_encode(r#"{"alg":"none"}"#),
        b64_encode("{}")
    ));
    seeds
}

fn verifier() -> Verifier {
    let keys: Vec<VerifyingKey> = common::available()
        .iter()
        .map(|a| key(*a).verifying_key())
        .collect();
    Verifier::new(KeySet::from(keys), Validation::new().critical(["b64"])).unwrap()
}

/// A verifier with every optional rule switched on, so mutations reach those checks too.
fn strict_verifier() -> Verifier {
    let keys: Vec<VerifyingKey> = common::available()
        .iter()
        .map(|a| key(*a).verifying_key())
        .collect();
    let v = Validation::new()
        .typ("JWT")
        .issuer("i")
        .audiences(["a", "b"])
        .subject("s")
        .max_age(600)
        .leeway(5)
        .required_claims(["exp", "n"])
        .claim_equals("n", json!([1, {"x": null}]))
        .check(|_, c| {
            if c.jti.as_deref() == Some("revoked") {
                Err("revoked".into())
            } else {
                Ok(())
            }
        });
    Verifier::new(KeySet::from(keys), v).unwrap()
}

#[test]
fn compact_tokens() {
    let v = verifier();
    let strict = strict_verifier();
    let seeds = seeds_compact();
    // the JWT seeds pass even the strict verifier, so mutations reach every check
    for s in &seeds[..common::available().len()] {
        strict.verify_at::<Value>(s, NOW).unwrap();
    }
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let n = iters(3000);
    let mut accepted = 0;
    for i in 0..n {
        let seed = seeds[i % seeds.len()].as_bytes();
        let m = mutate(&mut rng, seed);
        let Ok(s) = std::str::from_utf8(&m) else {
            continue;
        };
        let r = v.verify_at::<Value>(s, NOW);
        if r.is_ok() {
            accepted += 1;
            // a mutation may only be accepted if it did not change the token at all
            assert_eq!(s.as_bytes(), seed, "mutated token accepted: {s}");
        }
        documented(r);
        documented(strict.verify_at::<Value>(s, NOW));
        documented(v.verify_jws(s));
        documented(v.verify_detached(s, b"raw$payload"));
        documented(unverified::decode(s));
    }
    // purely random bytes too
    for _ in 0..n / 3 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
        let s = String::from_utf8_lossy(&bytes);
        assert!(v.verify_at::<Value>(&s, NOW).is_err());
    }
    println!("compact: {n} mutated inputs, {accepted} unchanged seeds accepted");
}

#[test]
fn jws_json_documents() {
    let v = verifier();
    let k = key(Algorithm::ES256);
    let flat = sign::sign_flattened(
        k,
        &jwt_core::Header::new(Algorithm::ES256),
        None,
        b"payload",
    )
    .unwrap();
    let general = sign::sign_general(
        &[
            (
                key(Algorithm::HS256),
                &jwt_core::Header::new(Algorithm::HS256),
            ),
            (k, &jwt_core::Header::new(Algorithm::ES256)),
        ],
        b"payload",
    )
    .unwrap();
    let seeds = [
        flat,
        general,
        r#"{"payload":"","signatures":[{"header":{"alg":"none"},"signature":""}]}"#.to_owned(),
    ];
    let mut rng = XorShift(0x1234_5678_9abc_def1);
    let n = iters(2000);
    for i in 0..n {
        let m = mutate(&mut rng, seeds[i % seeds.len()].as_bytes());
        let Ok(s) = std::str::from_utf8(&m) else {
            continue;
        };
        let r = v.verify_json(s);
        if let Ok(ok) = &r {
            // a JSON document may be reformatted and still carry the same signature, but
            // the payload it yields must be the signed one
            assert_eq!(ok.payload, b"payload", "{s}");
        }
        documented(r);
        documented(v.verify_json_detached(s, b"payload"));
    }
}

#[test]
fn key_imports() {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for alg in common::available() {
        let k = key(alg);
        if let Ok(j) = k.to_private_jwk() {
            seeds.push(j.to_json().into_bytes());
        }
        if let Ok(j) = k.verifying_key().to_jwk() {
            seeds.push(j.to_json().into_bytes());
        }
        if let Ok(p) = k.public_key_pem() {
            seeds.push(p.into_bytes());
        }
    }
    let set = KeySet::from(vec![
        key(Algorithm::ES256).verifying_key(),
        key(Algorithm::RS256).verifying_key(),
    ]);
    seeds.push(set.to_public_jwks().unwrap().to_json().into_bytes());
    let mut rng = XorShift(0xdead_beef_cafe_f00d);
    let n = iters(1500);
    for i in 0..n {
        let m = mutate(&mut rng, &seeds[i % seeds.len()]);
        if let Ok(jwk) = Jwk::from_json(&m) {
            documented(jwk.thumbprint());
            for alg in [None, Some(Algorithm::ALL[rng.below(Algorithm::ALL.len())])] {
                documented(VerifyingKey::from_jwk(&jwk, alg).map(|k| k.verify(b"m", b"s")));
                documented(SigningKey::from_jwk(&jwk, alg).map(|k| k.algorithm()));
            }
        }
        documented(KeySet::from_jwks_json(&m, &[Algorithm::RS256]));
        let alg = Algorithm::ALL[rng.below(Algorithm::ALL.len())];
        documented(VerifyingKey::from_pem(alg, &m));
        documented(VerifyingKey::from_der(alg, &m));
        documented(VerifyingKey::from_public_bytes(alg, &m));
        documented(SigningKey::from_der(alg, &m));
        documented(SigningKey::from_pem(alg, &m));
        if alg.is_symmetric() {
            documented(VerifyingKey::hmac_allow_short(alg, &m));
        }
    }
}
