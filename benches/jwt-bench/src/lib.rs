//! The fixture every benchmark shares: one claims set, one key per algorithm, and the
//! token jwt-core signs with it. Keys are made once (here) and parsed once by each
//! library in `benches/jws.rs`; nothing is parsed per call.

use jwt_core::{Algorithm, Signer, SigningKey};
use serde::{Deserialize, Serialize};

/// The ~170-byte claims set of the benchmark (`sub`, `name`, `iat`, `exp`, `iss`, `aud`),
/// returned typed by every library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchClaims {
    pub sub: String,
    pub name: String,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

/// The issuer every verifier requires.
pub const ISSUER: &str = "https://issuer.example.com";
/// The audience every verifier requires.
pub const AUDIENCE: &str = "https://api.example.com";

impl BenchClaims {
    /// The claims; `exp` is in the year 2100 so tokens stay valid.
    pub fn sample() -> Self {
        BenchClaims {
            sub: "user-12345678901234567890".into(),
            name: "Jane Q. Example-Benchmark".into(),
            iat: 1_700_000_000,
            exp: 4_102_444_800,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        }
    }
}

/// The algorithms benchmarked, in table order.
pub const ALGORITHMS: [Algorithm; 5] = [
    Algorithm::HS256,
    Algorithm::RS256,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::EdDSA,
];

/// One algorithm's material, in the forms each library imports.
#[allow(missing_debug_implementations)] // holds key material; never printed
pub struct Fixture {
    pub alg: Algorithm,
    pub key: SigningKey,
    /// HMAC secret (HS256 only).
    pub secret: Vec<u8>,
    /// PKCS#8 private key PEM (asymmetric only).
    pub private_pem: String,
    /// SPKI public key PEM (asymmetric only).
    pub public_pem: String,
    /// A token over [`BenchClaims::sample`] signed by jwt-core.
    pub token: String,
}

impl Fixture {
    /// Generate a key for `alg` and sign the sample claims with it.
    pub fn new(alg: Algorithm) -> Self {
        let (key, secret, private_pem, public_pem) = if alg.is_symmetric() {
            let secret: Vec<u8> = (0u8..32)
                .map(|i| i.wrapping_mul(37).wrapping_add(11))
                .collect();
            let key = SigningKey::hmac(alg, &secret).expect("hmac key");
            (key, secret, String::new(), String::new())
        } else {
            let key = SigningKey::generate(alg).expect("generate key");
            let private_pem = key.to_pkcs8_pem().expect("pkcs8 pem").to_string();
            let public_pem = key.public_key_pem().expect("public pem");
            (key, Vec::new(), private_pem, public_pem)
        };
        let token = Signer::new(key.clone())
            .expect("signer")
            .sign(&BenchClaims::sample())
            .expect("sign");
        Fixture {
            alg,
            key,
            secret,
            private_pem,
            public_pem,
            token,
        }
    }

    /// `header.payload`, the bytes the signature covers.
    pub fn signing_input(&self) -> &[u8] {
        let dot = self.token.rfind('.').expect("three segments");
        &self.token.as_bytes()[..dot]
    }

    /// The encoded payload segment.
    pub fn payload_b64(&self) -> &str {
        self.token.split('.').nth(1).expect("payload segment")
    }

    /// The encoded signature segment.
    pub fn signature_b64(&self) -> &str {
        self.token.rsplit('.').next().expect("signature segment")
    }
}
