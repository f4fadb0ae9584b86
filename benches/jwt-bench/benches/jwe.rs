//! JWE encrypt and decrypt in jwt-core for the three pairs of issue 6: `dir` + `A256GCM`,
//! `ECDH-ES+A256KW` (P-256) + `A256GCM`, and `A256KW` + `A256CBC-HS512`, over the same
//! ~170-byte claims set as the JWS bench, compact serialization.
//!
//! "encrypt" = key management (fresh CEK, wrap or ECDH), header, content encryption and
//! base64url; "decrypt" = the full `Decrypter::decrypt` (limits, strict header parsing,
//! key selection, unwrap/ECDH, tag check, decryption). Keys are built once, outside the
//! timed loop. `ring` is the floor for `dir` + `A256GCM`: AES-256-GCM alone over the
//! same bytes. The comparison with Node `jose` and Python `joserfc` belongs to the
//! bindings' benches, once they expose JWE.
//!
//! `cargo bench -p jwt-bench --bench jwe`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jwt_bench::BenchClaims;
use jwt_core::jwe::{
    ContentEncryption as Enc, DecryptOptions, Decrypter, DecryptionKey, EcdhCurve, Encrypter,
    KeyAlgorithm as Alg,
};

fn cases() -> Vec<(&'static str, DecryptionKey, Enc)> {
    vec![
        (
            "dir+A256GCM",
            DecryptionKey::generate_dir(Enc::A256GCM).unwrap(),
            Enc::A256GCM,
        ),
        (
            "ECDH-ES+A256KW+A256GCM",
            DecryptionKey::generate_ecdh(Alg::EcdhEsA256KW, EcdhCurve::P256).unwrap(),
            Enc::A256GCM,
        ),
        (
            "A256KW+A256CBC-HS512",
            DecryptionKey::generate(Alg::A256KW).unwrap(),
            Enc::A256CbcHs512,
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let plaintext = serde_json::to_vec(&BenchClaims::sample()).unwrap();
    for (name, key, enc) in cases() {
        let encrypter = Encrypter::new(key.encryption_key(), enc).unwrap();
        let decrypter = Decrypter::new([key.clone()], DecryptOptions::new()).unwrap();
        let token = encrypter.encrypt(&plaintext).unwrap();
        assert_eq!(decrypter.decrypt(&token).unwrap().plaintext, plaintext);

        let mut g = c.benchmark_group(format!("JWE-{name}-encrypt"));
        g.bench_function("jwt-core", |b| {
            b.iter(|| encrypter.encrypt(black_box(&plaintext)).unwrap())
        });
        g.finish();

        let mut g = c.benchmark_group(format!("JWE-{name}-decrypt"));
        g.bench_function("jwt-core", |b| {
            b.iter(|| decrypter.decrypt(black_box(&token)).unwrap())
        });
        if name == "dir+A256GCM" {
            use ring::aead;
            let secret = key.to_private_jwk().unwrap();
            let raw = jwt_core::b64_decode(secret.str("k").unwrap()).unwrap();
            let k =
                aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, &raw).unwrap());
            let mut sealed = plaintext.clone();
            let tag = k
                .seal_in_place_separate_tag(
                    aead::Nonce::assume_unique_for_key([7; 12]),
                    aead::Aad::empty(),
                    &mut sealed,
                )
                .unwrap();
            g.bench_function("ring", |b| {
                b.iter(|| {
                    let mut buf = sealed.clone();
                    k.open_in_place_separate_tag(
                        aead::Nonce::assume_unique_for_key([7; 12]),
                        aead::Aad::empty(),
                        tag,
                        &mut buf,
                        0..,
                    )
                    .unwrap()
                    .len()
                })
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
