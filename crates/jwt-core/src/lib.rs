//! # jwt-core
//!
//! JSON Web Tokens (RFC 7519) and JSON Web Signatures (RFC 7515) with the safe path as
//! the easy one. One core for Rust, Python, Node, Kotlin and Swift.
//!
//! ## Sign and verify in five lines
//!
//! ```
//! use jwt_core::{Algorithm, Claims, Signer, SigningKey, Validation, Verifier};
//! use std::time::Duration;
//!
//! // A key is bound to one algorithm when it is made.
//! let key = SigningKey::generate(Algorithm::EdDSA)?;
//!
//! // Sign: registered claims through helpers, your own claims through serde.
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Session { role: String }
//! let claims = Claims::new(Session { role: "admin".into() })
//!     .issuer("https://auth.example")
//!     .audience("api")
//!     .subject("user-42")
//!     .expires_in(Duration::from_secs(15 * 60))
//!     .issued_now();
//! let token = Signer::new(key.clone())?.sign(&claims)?;
//!
//! // Verify: build the verifier once, reuse it for every request.
//! let verifier = Verifier::new(
//!     key.verifying_key(),
//!     Validation::new().issuer("https://auth.example").audience("api"),
//! )?;
//! let data = verifier.verify::<Session>(&token)?;
//! assert_eq!(data.claims.role, "admin");
//! assert_eq!(data.registered.sub.as_deref(), Some("user-42"));
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! ## What the defaults protect you from
//!
//! ```
//! # use jwt_core::*;
//! let key = SigningKey::hmac(Algorithm::HS256, &[7u8; 32])?;
//! let verifier = Verifier::new(key.verifying_key(), Validation::new())?;
//!
//! // `exp` is required unless you say otherwise.
//! let no_exp = Signer::new(key.clone())?.sign(&serde_json::json!({"sub": "x"}))?;
//! let err = verifier.verify::<serde_json::Value>(&no_exp).unwrap_err();
//! assert_eq!(err.code(), "missing_claim");
//!
//! // `alg: none` cannot even be represented.
//! assert_eq!("none".parse::<Algorithm>().unwrap_err().code(), "unsupported_algorithm");
//!
//! // An HMAC secret shorter than the hash is refused.
//! assert_eq!(SigningKey::hmac(Algorithm::HS256, b"short").unwrap_err().code(), "weak_key");
//!
//! // A public key can never become an HMAC secret.
//! let pem = SigningKey::generate(Algorithm::ES256)?.public_key_pem()?;
//! let err = VerifyingKey::hmac(Algorithm::HS256, pem.as_bytes()).unwrap_err();
//! assert_eq!(err.code(), "key_algorithm_mismatch");
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! ## Keys
//!
//! Import from PEM/DER ([`SigningKey::from_pem`], [`VerifyingKey::from_der`], PKCS#8,
//! SPKI, PKCS#1, SEC1), JWK ([`VerifyingKey::from_jwk`], honouring `alg`, `use` and
//! `key_ops`) or raw secrets ([`SigningKey::hmac`]); export public JWKs, JWK sets and PEM;
//! RFC 7638 thumbprints.
//!
//! ```
//! # use jwt_core::*;
//! let key = SigningKey::generate(Algorithm::ES256)?.with_thumbprint_kid()?;
//! let jwks = KeySet::from(key.verifying_key()).to_public_jwks()?.to_json();
//!
//! // A relying party: keys from the JWK set, selected by `kid`.
//! let keys = KeySet::from_jwks_json(&jwks, &[])?;
//! let verifier = Verifier::new(keys, Validation::new().required_claims::<_, &str>([]))?;
//! let token = Signer::new(key)?.sign(&serde_json::json!({"hello": "world"}))?;
//! assert!(verifier.verify::<serde_json::Value>(&token).is_ok());
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! ## Beyond compact JWTs
//!
//! [`sign`] and [`Verifier::verify_jws`] handle arbitrary payloads, detached payloads,
//! `b64: false` (RFC 7797, only when declared with [`Validation::critical`]) and the JSON
//! serializations.
//!
//! ```
//! # use jwt_core::*;
//! let key = SigningKey::hmac(Algorithm::HS256, &[1u8; 32])?;
//! let mut header = Header::new(Algorithm::HS256);
//! header.b64 = Some(false);
//! let jws = sign::sign_compact(&key, &header, b"pay $ load")?;
//! let verifier = Verifier::new(key.verifying_key(), Validation::new().critical(["b64"]))?;
//! assert_eq!(verifier.verify_jws(&jws)?.payload, b"pay $ load".to_vec());
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! ## Encrypted tokens
//!
//! [`jwe`] encrypts and decrypts JWEs (RFC 7516): compact and JSON serializations,
//! nested signed-then-encrypted JWTs, typed keys bound to one key management algorithm.
//!
//! The reasoning behind every default is in [`manual`].

#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The FFI entry points of the `jwt_core` uniffi namespace (must sit at the crate root).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("jwt_core");

mod alg;
mod backend;
mod claims;
mod der;
mod ec_params;
mod error;
mod header;
mod json;
pub mod jwe;
mod jwk;
mod jwks_refresh;
mod key;
mod key_guard;
pub mod manual;
mod material;
mod onepass;
mod openssh;
pub mod sign;
mod tlv;
pub mod unverified;
mod verify;
mod x509;

/// The Rust guide in `docs/rust.md`, compiled and run as doctests so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/rust.md")]
pub struct RustGuideDoctests;

pub use alg::{Algorithm, Curve, KeyFamily, MlDsaLevel};
pub use backend::NAME as BACKEND;
pub use claims::{Audience, Claims, MAX_NUMERIC_DATE, RegisteredClaims, now, random_id};
pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use header::Header;
/// Parse untrusted bytes as one strict JSON object, the shape of every JOSE header,
/// claims set and JWK: UTF-8, no member name twice (`duplicate_member`), nesting bounded
/// by `max_depth`, and an object, nothing else (`malformed_token`). For a binding that
/// reads a header or payload itself (PyJWT's `jwt.decode` reads them with `json.loads`).
pub use json::parse_object as parse_json_object;
pub use json::{b64_decode, b64_encode};
pub use jwk::{Jwk, JwkSet, MAX_JWKS_BYTES, MAX_JWKS_KEYS};
pub use jwks_refresh::{JwksDecision, JwksRefresh, JwksRefreshPolicy};
pub use key::{MIN_RSA_BITS, SigningKey, VerifyingKey};
pub use material::{HmacPolicy, KeyWarning, LoadedKeys, MaterialForm};
pub use sign::Signer;
pub use verify::{
    ClaimCheck, KeySet, KidPolicy, Limits, OneOrMany, TokenData, Validation, ValidationSpec,
    VerifiedJws, Verifier,
};
