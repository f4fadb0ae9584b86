//! Import arbitrary JWKs and JWK sets, bind them to every algorithm, export them again.
#![no_main]

use jwt_core::{Algorithm, Jwk, KeySet, SigningKey, VerifyingKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(jwk) = Jwk::from_json(data) {
        let _ = jwk.thumbprint();
        for alg in [None]
            .into_iter()
            .chain(Algorithm::ALL.into_iter().map(Some))
        {
            if let Ok(k) = VerifyingKey::from_jwk(&jwk, alg) {
                let _ = k.to_jwk();
                let _ = k.to_pem();
                let _ = k.verify(b"msg", b"sig");
            }
            if let Ok(k) = SigningKey::from_jwk(&jwk, alg) {
                let _ = k.sign(b"msg");
            }
        }
    }
    let _ = KeySet::from_jwks_json(data, &Algorithm::ALL);
    for alg in Algorithm::ALL {
        let _ = VerifyingKey::from_pem(alg, data);
        let _ = VerifyingKey::from_der(alg, data);
        let _ = VerifyingKey::from_public_bytes(alg, data);
        let _ = SigningKey::from_der(alg, data);
    }
});
