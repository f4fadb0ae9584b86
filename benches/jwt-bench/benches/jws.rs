//! jwt-core side by side with `jsonwebtoken`, `jwt-simple` and the raw primitives, in one
//! run: for HS256, RS256, PS256, ES256 and EdDSA, sign and verify a ~170-byte claims set.
//!
//! "verify" = check the signature, `exp`, `iss` and `aud`, and return the claims typed
//! ([`BenchClaims`]). "sign" = serialize the claims, encode, sign. Every library verifies
//! the same token (signed by jwt-core); every key is parsed once, outside the timed loop.
//!
//! Groups are named `<ALG>-<op>`, functions by implementation: `jwt-core`, `jsonwebtoken`,
//! `jwt-simple`, `ring` (the primitive alone over the same signing input),
//! `ed25519-dalek` (EdDSA only) and `ring+json` (HS256 only: HMAC plus the payload's
//! base64url and serde work, the floor of a complete HS256 verify or sign).
//! `cargo xtask bench --only rust` runs this and prints the ratio table.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use base64::Engine as _;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jwt_bench::{ALGORITHMS, AUDIENCE, BenchClaims, Fixture, ISSUER};
use jwt_core::{Algorithm, Signer, Validation, Verifier};
use jwt_simple::prelude as js;
use jwt_simple::prelude::{
    ECDSAP256KeyPairLike as _, ECDSAP256PublicKeyLike as _, EdDSAKeyPairLike as _,
    EdDSAPublicKeyLike as _, MACLike as _, RSAKeyPairLike as _, RSAPublicKeyLike as _,
};
use ring::signature as rsig;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The custom part of the claims for jwt-simple, whose `JWTClaims` holds the registered ones.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct SimpleCustom {
    name: String,
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("PEM body")
}

fn jsonwebtoken_alg(alg: Algorithm) -> jsonwebtoken::Algorithm {
    match alg {
        Algorithm::HS256 => jsonwebtoken::Algorithm::HS256,
        Algorithm::RS256 => jsonwebtoken::Algorithm::RS256,
        Algorithm::PS256 => jsonwebtoken::Algorithm::PS256,
        Algorithm::ES256 => jsonwebtoken::Algorithm::ES256,
        Algorithm::EdDSA => jsonwebtoken::Algorithm::EdDSA,
        other => panic!("{other} is not benchmarked"),
    }
}

fn jsonwebtoken_keys(fx: &Fixture) -> (jsonwebtoken::EncodingKey, jsonwebtoken::DecodingKey) {
    use jsonwebtoken::{DecodingKey as D, EncodingKey as E};
    let (private, public) = (fx.private_pem.as_bytes(), fx.public_pem.as_bytes());
    let keys = match fx.alg {
        Algorithm::HS256 => (E::from_secret(&fx.secret), D::from_secret(&fx.secret)),
        Algorithm::RS256 | Algorithm::PS256 => (E::from_rsa_pem(private), D::from_rsa_pem(public)),
        Algorithm::ES256 => (E::from_ec_pem(private), D::from_ec_pem(public)),
        Algorithm::EdDSA => (E::from_ed_pem(private), D::from_ed_pem(public)),
        other => panic!("{other} is not benchmarked"),
    };
    (
        keys.0.expect("jsonwebtoken encoding key"),
        keys.1.expect("jsonwebtoken decoding key"),
    )
}

fn simple_claims() -> js::JWTClaims<SimpleCustom> {
    let c = BenchClaims::sample();
    let mut claims =
        js::Claims::with_custom_claims(SimpleCustom { name: c.name }, js::Duration::from_secs(60))
            .with_issuer(c.iss)
            .with_audience(c.aud)
            .with_subject(c.sub);
    // The same registered claims as the others (no `nbf`, fixed `iat`/`exp`).
    claims.issued_at = Some(js::UnixTimeStamp::from_secs(c.iat as u64));
    claims.expires_at = Some(js::UnixTimeStamp::from_secs(c.exp as u64));
    claims.invalid_before = None;
    claims
}

fn simple_options() -> js::VerificationOptions {
    js::VerificationOptions {
        allowed_issuers: Some(HashSet::from([ISSUER.to_owned()])),
        allowed_audiences: Some(HashSet::from([AUDIENCE.to_owned()])),
        ..Default::default()
    }
}

/// jwt-simple's key types differ per algorithm: bench verification with one of them.
macro_rules! simple_verify {
    ($group:expr, $verifier:expr, $token:expr) => {{
        let verifier = $verifier;
        let options = simple_options();
        let token: &str = $token;
        // Check once that it verifies the shared token and reads the same claims.
        let got = verifier
            .verify_token::<SimpleCustom>(token, Some(options.clone()))
            .expect("jwt-simple verifies the jwt-core token");
        assert_eq!(got.custom.name, BenchClaims::sample().name);
        $group.bench_function("jwt-simple", |b| {
            // `verify_token` takes the options by value: cloning them is part of its cost.
            b.iter(|| {
                verifier
                    .verify_token::<SimpleCustom>(black_box(token), Some(options.clone()))
                    .unwrap()
            })
        });
    }};
}

/// ... and signing.
macro_rules! simple_sign {
    ($group:expr, $signer:expr, $method:ident) => {{
        let signer = $signer;
        let claims = simple_claims();
        $group.bench_function("jwt-simple", |b| {
            b.iter_batched(
                || claims.clone(),
                |c| signer.$method(black_box(c)).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }};
}

fn bench_algorithm(c: &mut Criterion, fx: &Fixture) {
    let alg = fx.alg.as_str();
    let token = fx.token.as_str();
    let claims = BenchClaims::sample();
    let input = fx.signing_input();
    let sig = B64URL.decode(fx.signature_b64()).expect("signature");
    let mut verify = c.benchmark_group(format!("{alg}-verify"));

    // --- jwt-core
    let verifier = Verifier::new(
        fx.key.verifying_key(),
        Validation::new().issuer(ISSUER).audience(AUDIENCE),
    )
    .expect("verifier");
    assert_eq!(
        verifier
            .verify::<BenchClaims>(token)
            .expect("jwt-core verifies")
            .claims,
        claims
    );
    verify.bench_function("jwt-core", |b| {
        b.iter(|| verifier.verify::<BenchClaims>(black_box(token)).unwrap())
    });

    // --- jsonwebtoken
    let (jenc, jdec) = jsonwebtoken_keys(fx);
    let jalg = jsonwebtoken_alg(fx.alg);
    let mut jval = jsonwebtoken::Validation::new(jalg);
    jval.set_issuer(&[ISSUER]);
    jval.set_audience(&[AUDIENCE]);
    assert_eq!(
        jsonwebtoken::decode::<BenchClaims>(token, &jdec, &jval)
            .expect("jsonwebtoken verifies")
            .claims,
        claims
    );
    verify.bench_function("jsonwebtoken", |b| {
        b.iter(|| jsonwebtoken::decode::<BenchClaims>(black_box(token), &jdec, &jval).unwrap())
    });

    // --- the raw primitives over the same signing input
    let secret = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &fx.secret);
    let rng = ring::rand::SystemRandom::new();
    let (private_der, public_der) = if fx.alg.is_symmetric() {
        (Vec::new(), Vec::new())
    } else {
        (pem_to_der(&fx.private_pem), pem_to_der(&fx.public_pem))
    };
    // ring wants the key inside the SPKI: PKCS#1 for RSA, the point for EC and Ed25519;
    // the last BIT STRING's content is that in every case.
    let ring_public: Vec<u8> = match fx.alg {
        Algorithm::RS256 | Algorithm::PS256 => rsig::RsaKeyPair::from_pkcs8(&private_der)
            .expect("ring RSA key")
            .public()
            .as_ref()
            .to_vec(),
        Algorithm::ES256 => public_der[public_der.len() - 65..].to_vec(),
        Algorithm::EdDSA => public_der[public_der.len() - 32..].to_vec(),
        _ => Vec::new(),
    };
    let ring_verify_alg: Option<&'static dyn rsig::VerificationAlgorithm> = match fx.alg {
        Algorithm::RS256 => Some(&rsig::RSA_PKCS1_2048_8192_SHA256),
        Algorithm::PS256 => Some(&rsig::RSA_PSS_2048_8192_SHA256),
        Algorithm::ES256 => Some(&rsig::ECDSA_P256_SHA256_FIXED),
        Algorithm::EdDSA => Some(&rsig::ED25519),
        _ => None,
    };
    match ring_verify_alg {
        None => {
            ring::hmac::verify(&secret, input, &sig).expect("ring HMAC verifies");
            verify.bench_function("ring", |b| {
                b.iter(|| ring::hmac::verify(&secret, black_box(input), black_box(&sig)).unwrap())
            });
            let payload_b64 = fx.payload_b64().as_bytes();
            verify.bench_function("ring+json", |b| {
                b.iter(|| {
                    ring::hmac::verify(&secret, black_box(input), black_box(&sig)).unwrap();
                    let payload = B64URL.decode(black_box(payload_b64)).unwrap();
                    serde_json::from_slice::<BenchClaims>(&payload).unwrap()
                })
            });
        }
        Some(ring_alg) => {
            let key = rsig::UnparsedPublicKey::new(ring_alg, &ring_public);
            key.verify(input, &sig).expect("ring verifies");
            verify.bench_function("ring", |b| {
                b.iter(|| key.verify(black_box(input), black_box(&sig)).unwrap())
            });
        }
    }
    let dalek = (fx.alg == Algorithm::EdDSA).then(|| {
        let jwk = fx.key.to_private_jwk().expect("private JWK");
        let d = B64URL
            .decode(jwk.as_map()["d"].as_str().expect("d"))
            .expect("seed");
        ed25519_dalek::SigningKey::from_bytes(&d.try_into().expect("32-byte seed"))
    });
    if let Some(sk) = &dalek {
        let vk = sk.verifying_key();
        let s = ed25519_dalek::Signature::from_slice(&sig).expect("signature");
        // `verify` is RFC 8032's cofactorless check with canonical `s`, as ring's.
        ed25519_dalek::Verifier::verify(&vk, input, &s).expect("dalek verifies");
        verify.bench_function("ed25519-dalek", |b| {
            b.iter(|| {
                let s = ed25519_dalek::Signature::from_slice(black_box(&sig)).unwrap();
                ed25519_dalek::Verifier::verify(&vk, black_box(input), &s).unwrap()
            })
        });
    }
    // --- jwt-simple
    match fx.alg {
        Algorithm::HS256 => simple_verify!(verify, js::HS256Key::from_bytes(&fx.secret), token),
        Algorithm::RS256 => simple_verify!(
            verify,
            js::RS256PublicKey::from_pem(&fx.public_pem).expect("key"),
            token
        ),
        Algorithm::PS256 => simple_verify!(
            verify,
            js::PS256PublicKey::from_pem(&fx.public_pem).expect("key"),
            token
        ),
        Algorithm::ES256 => simple_verify!(
            verify,
            js::ES256PublicKey::from_pem(&fx.public_pem).expect("key"),
            token
        ),
        Algorithm::EdDSA => {
            let sk = dalek.as_ref().expect("Ed25519 key");
            simple_verify!(
                verify,
                js::Ed25519PublicKey::from_bytes(sk.verifying_key().as_bytes()).expect("key"),
                token
            )
        }
        other => panic!("{other} is not benchmarked"),
    }
    verify.finish();
    let mut sign = c.benchmark_group(format!("{alg}-sign"));
    match fx.alg {
        Algorithm::HS256 => simple_sign!(sign, js::HS256Key::from_bytes(&fx.secret), authenticate),
        Algorithm::RS256 => simple_sign!(
            sign,
            js::RS256KeyPair::from_pem(&fx.private_pem).expect("key"),
            sign
        ),
        Algorithm::PS256 => simple_sign!(
            sign,
            js::PS256KeyPair::from_pem(&fx.private_pem).expect("key"),
            sign
        ),
        Algorithm::ES256 => simple_sign!(
            sign,
            js::ES256KeyPair::from_pem(&fx.private_pem).expect("key"),
            sign
        ),
        Algorithm::EdDSA => {
            let sk = dalek.as_ref().expect("Ed25519 key");
            let mut raw = sk.to_bytes().to_vec();
            raw.extend_from_slice(sk.verifying_key().as_bytes());
            simple_sign!(
                sign,
                js::Ed25519KeyPair::from_bytes(&raw).expect("key"),
                sign
            )
        }
        other => panic!("{other} is not benchmarked"),
    }

    // --- sign: jwt-core
    let signer = Signer::new(fx.key.clone()).expect("signer");
    sign.bench_function("jwt-core", |b| {
        b.iter(|| signer.sign(black_box(&claims)).unwrap())
    });

    // --- sign: jsonwebtoken
    let jheader = jsonwebtoken::Header::new(jalg);
    let t = jsonwebtoken::encode(&jheader, &claims, &jenc).expect("jsonwebtoken signs");
    assert_eq!(
        verifier
            .verify::<BenchClaims>(&t)
            .expect("jwt-core verifies jsonwebtoken's token")
            .claims,
        claims
    );
    sign.bench_function("jsonwebtoken", |b| {
        b.iter(|| jsonwebtoken::encode(&jheader, black_box(&claims), &jenc).unwrap())
    });

    // --- sign: the raw primitives
    match fx.alg {
        Algorithm::HS256 => {
            sign.bench_function("ring", |b| {
                b.iter(|| ring::hmac::sign(&secret, black_box(input)))
            });
            let prefix = &token[..token.find('.').expect("dot") + 1];
            sign.bench_function("ring+json", |b| {
                b.iter(|| {
                    let payload = serde_json::to_vec(black_box(&claims)).unwrap();
                    let mut out = String::with_capacity(prefix.len() + payload.len() * 4 / 3 + 48);
                    out.push_str(prefix);
                    B64URL.encode_string(&payload, &mut out);
                    let tag = ring::hmac::sign(&secret, out.as_bytes());
                    out.push('.');
                    B64URL.encode_string(tag.as_ref(), &mut out);
                    out
                })
            });
        }
        Algorithm::RS256 | Algorithm::PS256 => {
            let pair = rsig::RsaKeyPair::from_pkcs8(&private_der).expect("ring RSA key");
            let padding: &'static dyn rsig::RsaEncoding = if fx.alg == Algorithm::RS256 {
                &rsig::RSA_PKCS1_SHA256
            } else {
                &rsig::RSA_PSS_SHA256
            };
            let mut out = vec![0u8; pair.public().modulus_len()];
            sign.bench_function("ring", |b| {
                b.iter(|| {
                    pair.sign(padding, &rng, black_box(input), &mut out)
                        .unwrap()
                })
            });
        }
        Algorithm::ES256 => {
            let pair = rsig::EcdsaKeyPair::from_pkcs8(
                &rsig::ECDSA_P256_SHA256_FIXED_SIGNING,
                &private_der,
                &rng,
            )
            .expect("ring P-256 key");
            sign.bench_function("ring", |b| {
                b.iter(|| pair.sign(&rng, black_box(input)).unwrap())
            });
        }
        Algorithm::EdDSA => {
            let pair = rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&private_der)
                .expect("ring Ed25519 key");
            sign.bench_function("ring", |b| b.iter(|| pair.sign(black_box(input))));
            let sk = dalek.as_ref().expect("Ed25519 key");
            sign.bench_function("ed25519-dalek", |b| {
                b.iter(|| ed25519_dalek::Signer::sign(sk, black_box(input)))
            });
        }
        other => panic!("{other} is not benchmarked"),
    }
    sign.finish();
}

fn benches(c: &mut Criterion) {
    // jsonwebtoken has two backends compiled in; aws-lc-rs is the faster here.
    let which = std::env::var("JWT_BENCH_JSONWEBTOKEN").unwrap_or_default();
    let provider = if which == "rust_crypto" {
        &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER
    } else {
        &jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER
    };
    provider
        .install_default()
        .expect("install the jsonwebtoken provider");
    for alg in ALGORITHMS {
        let fx = Fixture::new(alg);
        bench_algorithm(c, &fx);
    }
}

criterion_group! {
    name = jws;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_millis(2500))
        .sample_size(40);
    targets = benches
}
criterion_main!(jws);
