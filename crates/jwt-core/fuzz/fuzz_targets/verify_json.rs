//! Verify arbitrary JWS JSON documents (flattened and general serializations).
#![no_main]

use std::sync::OnceLock;

use jwt_core::{Algorithm, KeySet, SigningKey, Validation, Verifier};
use libfuzzer_sys::fuzz_target;

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let keys: Vec<_> = [Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA]
            .into_iter()
            .map(|a| SigningKey::generate(a).unwrap().verifying_key())
            .collect();
        Verifier::new(KeySet::from(keys), Validation::new().critical(["b64"])).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = verifier().verify_json(s);
        let _ = verifier().verify_json_detached(s, b"payload");
    }
});
