//! The core's own hot paths, without the peer libraries (so it builds in a minute, not
//! the peers' C builds): HS256 and ES256 verify through every door the bindings use
//! (typed claims, `serde_json::Value`, the raw JSON text of `verify_raw`) and sign, next
//! to the raw primitive. Run it twice to compare the crypto backends:
//!
//! ```text
//! cargo bench -p jwt-bench --bench core                             # ring
//! cargo bench -p jwt-bench --bench core --features jwt-core/aws-lc  # aws-lc
//! ```
//!
//! The `ring` rows are the same in both runs (ring itself, not the core's backend), so
//! the `jwt-core` rows of the two runs can be set against one floor.

use std::hint::black_box;
use std::time::Duration;

use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use jwt_bench::{AUDIENCE, BenchClaims, Fixture, ISSUER};
use jwt_core::{Algorithm, HmacPolicy, KeySet, Signer, SigningKey, Validation, Verifier};
use ring::signature as rsig;

const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn bench_alg(c: &mut Criterion, alg: Algorithm) {
    let fx = Fixture::new(alg);
    let token = fx.token.as_str();
    let claims = BenchClaims::sample();
    let verifier = Verifier::new(
        fx.key.verifying_key(),
        Validation::new().issuer(ISSUER).audience(AUDIENCE),
    )
    .expect("verifier");
    assert_eq!(
        verifier.verify::<BenchClaims>(token).unwrap().claims,
        claims
    );

    let mut g = c.benchmark_group(format!("core-{}-verify", alg.as_str()));
    g.bench_function("typed", |b| {
        b.iter(|| verifier.verify::<BenchClaims>(black_box(token)).unwrap())
    });
    g.bench_function("value", |b| {
        b.iter(|| {
            verifier
                .verify::<serde_json::Value>(black_box(token))
                .unwrap()
        })
    });
    g.bench_function("raw", |b| {
        b.iter(|| verifier.verify_raw(black_box(token)).unwrap())
    });
    let input = fx.signing_input();
    let sig = B64URL.decode(fx.signature_b64()).expect("signature");
    if alg.is_symmetric() {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &fx.secret);
        ring::hmac::verify(&key, input, &sig).expect("ring verifies");
        g.bench_function("ring", |b| {
            b.iter(|| ring::hmac::verify(&key, black_box(input), black_box(&sig)).unwrap())
        });
    } else {
        let der: Vec<u8> = base64::engine::general_purpose::STANDARD
            .decode(
                fx.public_pem
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>(),
            )
            .expect("pem");
        let key =
            rsig::UnparsedPublicKey::new(&rsig::ECDSA_P256_SHA256_FIXED, &der[der.len() - 65..]);
        key.verify(input, &sig).expect("ring verifies");
        g.bench_function("ring", |b| {
            b.iter(|| key.verify(black_box(input), black_box(&sig)).unwrap())
        });
    }
    g.finish();

    let signer = Signer::new(fx.key.clone()).expect("signer");
    let mut g = c.benchmark_group(format!("core-{}-sign", alg.as_str()));
    g.bench_function("typed", |b| {
        b.iter(|| signer.sign(black_box(&claims)).unwrap())
    });
    g.finish();
}

/// Key load: "what a user passes as a key" bound to every algorithm it fits, as a
/// binding whose peer takes the key before the algorithms does (`KeySet::fitting` over
/// `Algorithm::ALL`), for the forms users hold most.
fn bench_key_load(c: &mut Criterion) {
    let rsa = SigningKey::generate(Algorithm::RS256).expect("rsa");
    let ec = SigningKey::generate(Algorithm::ES256).expect("ec");
    let inputs = [
        (
            "rsa-pem",
            rsa.public_key_pem().expect("pem").into_bytes(),
            6,
        ),
        ("ec-pem", ec.public_key_pem().expect("pem").into_bytes(), 1),
        (
            "ec-jwk",
            ec.to_public_jwk().expect("jwk").to_json().into_bytes(),
            1,
        ),
    ];
    let mut g = c.benchmark_group("core-key-load-fitting-all");
    for (name, material, fits) in &inputs {
        let loaded = KeySet::fitting(material, &Algorithm::ALL, HmacPolicy::Refuse).unwrap();
        assert_eq!(loaded.keys.len(), *fits, "{name}");
        g.bench_function(*name, |b| {
            b.iter(|| {
                KeySet::fitting(black_box(material), &Algorithm::ALL, HmacPolicy::Refuse).unwrap()
            })
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_alg(c, Algorithm::HS256);
    bench_alg(c, Algorithm::ES256);
    bench_key_load(c);
}

criterion_group! {
    name = core;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = benches
}
criterion_main!(core);
