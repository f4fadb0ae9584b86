//! Parse and verify arbitrary compact tokens: header/payload parsing, limits, key
//! selection and every signature primitive. Must never panic.
#![no_main]

use std::sync::OnceLock;

use jwt_core::{Algorithm, KeySet, SigningKey, Validation, Verifier, unverified};
use libfuzzer_sys::fuzz_target;

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let keys: Vec<_> = [
            Algorithm::HS256,
            Algorithm::ES256,
            Algorithm::EdDSA,
            Algorithm::ES256K,
        ]
        .into_iter()
        .map(|a| {
            SigningKey::generate(a)
                .unwrap()
                .verifying_key()
                .with_kid(a.as_str())
        })
        .collect();
        Verifier::new(KeySet::from(keys), Validation::new().critical(["b64"])).unwrap()
    })
}

/// Every optional rule on, so inputs reach the typ, claim and hook checks.
fn strict() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let keys = verifier().keys().clone();
        let v = Validation::new()
            .typ("at+jwt")
            .issuer("i")
            .audiences(["a", "b"])
            .subject("s")
            .max_age(600)
            .required_claims(["exp", "n"])
            .claim_equals("n", 1)
            .check(|_, c| {
                if c.jti.is_some() {
                    Err("revoked".into())
                } else {
                    Ok(())
                }
            });
        Verifier::new(keys, v).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = strict().verify_at::<serde_json::Value>(s, 1_700_000_000);
        let v = verifier();
        let _ = v.verify_at::<serde_json::Value>(s, 1_700_000_000);
        let _ = v.verify_jws(s);
        let _ = v.verify_detached(s, b"payload");
        let _ = unverified::decode(s);
    }
});
