//! JSON Web Encryption (RFC 7516): encrypted tokens, with the same safety bar as signing.
//!
//! A signed JWT is readable by anyone who holds it; a JWE hides the payload. Keys are
//! typed and bound to one key management algorithm ([`EncryptionKey`] for senders,
//! [`DecryptionKey`] for recipients); a [`Decrypter`] is built once from keys and
//! [`DecryptOptions`] and reused, like [`crate::Verifier`].
//!
//! ## Encrypt and decrypt
//!
//! ```
//! use jwt_core::jwe::{ContentEncryption, DecryptOptions, DecryptionKey, Decrypter, EcdhCurve,
//!                     Encrypter, KeyAlgorithm};
//!
//! // The recipient makes a key pair and publishes the public JWK.
//! let key = DecryptionKey::generate_ecdh(KeyAlgorithm::EcdhEsA256KW, EcdhCurve::P256)?
//!     .with_kid("enc-1");
//! let public_jwk = key.to_public_jwk()?;
//!
//! // The sender encrypts to it.
//! let to = jwt_core::jwe::EncryptionKey::from_jwk(&public_jwk, None)?;
//! let token = Encrypter::new(to, ContentEncryption::A256GCM)?.encrypt(b"for your eyes only")?;
//!
//! // The recipient decrypts.
//! let decrypter = Decrypter::new([key], DecryptOptions::new())?;
//! let out = decrypter.decrypt(&token)?;
//! assert_eq!(out.plaintext, b"for your eyes only");
//! assert_eq!(out.header.kid.as_deref(), Some("enc-1"));
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! ## Nested JWTs: sign, then encrypt
//!
//! ```
//! use jwt_core::jwe::{ContentEncryption, DecryptOptions, DecryptionKey, Decrypter, Encrypter};
//! use jwt_core::{Algorithm, Claims, Signer, SigningKey, Validation, Verifier};
//! use std::time::Duration;
//!
//! let signing = SigningKey::generate(Algorithm::EdDSA)?;
//! let secret = DecryptionKey::generate_dir(ContentEncryption::A256GCM)?;
//!
//! let claims = Claims::empty().subject("user-1").expires_in(Duration::from_secs(60));
//! let token = Encrypter::new(secret.encryption_key(), ContentEncryption::A256GCM)?
//!     .encrypt_signed(&Signer::new(signing.clone())?, &claims)?;
//!
//! let verifier = Verifier::new(signing.verifying_key(), Validation::new())?;
//! let data = Decrypter::new([secret], DecryptOptions::new())?
//!     .decrypt_jwt::<serde_json::Value>(&token, &verifier)?;
//! assert_eq!(data.registered.sub.as_deref(), Some("user-1"));
//! # Ok::<(), jwt_core::Error>(())
//! ```
//!
//! ## Algorithms
//!
//! Key management: `dir`, `A128KW`/`A192KW`/`A256KW`, `A128GCMKW`/`A192GCMKW`/
//! `A256GCMKW`, `ECDH-ES` and `ECDH-ES+A128KW`/`+A192KW`/`+A256KW` on P-256, P-384,
//! P-521 and X25519, and `PBES2-HS256+A128KW`/`HS384+A192KW`/`HS512+A256KW` only when the
//! decrypter enables them with an iteration cap ([`DecryptOptions::allow_pbes2`]), and,
//! in builds with the `aws-lc` backend, `RSA-OAEP` and `RSA-OAEP-256`.
//! Content encryption: `A128GCM`/`A192GCM`/`A256GCM`, `A128CBC-HS256`/`A192CBC-HS384`/
//! `A256CBC-HS512`. Compression: `zip: DEF`, with a cap on the decompressed size.
//!
//! Not offered, by design:
//! - `RSA1_5`: RSAES-PKCS1-v1_5 decryption is a padding oracle (Bleichenbacher 1998 and
//!   its many returns); RFC 8725 3.2 advises against it. Never offered.
//! - `RSA-OAEP`, `RSA-OAEP-256` with the default `ring` backend: ring has no RSA
//!   decryption, and the RustCrypto `rsa` crate's private-key operation is not constant
//!   time (the Marvin attack, RUSTSEC-2023-0071, no fixed release). The rule is "no
//!   algorithm whose only available backend has a known unfixed side channel", so there
//!   both names parse to [`Error::UnsupportedAlgorithm`] naming the `aws-lc` feature.
//!   With `aws-lc`, AWS-LC decrypts in constant time and a failed decryption continues
//!   with a random content key (RFC 7516 11.5), so it fails like a wrong tag.
//!
//! ## Failure modes
//!
//! Every failure is typed: [`Error::DecryptionFailed`] (`decryption_failed`) for a wrong
//! or truncated tag, a failed key unwrap, bad padding or a wrong key, deliberately
//! without detail; [`Error::UnsupportedAlgorithm`] / [`Error::UnsupportedEncryption`]
//! for `alg` / `enc` / `zip` values not implemented; [`Error::TooLarge`] for oversize
//! tokens, headers, decompressed plaintexts and `p2c` values, checked before the work
//! they would cost.
//!
//! What the token's header chose is the token's error, never a key error:
//! [`Error::InvalidHeader`] for an `epk` that is not a valid point of its curve (bad
//! base64url, wrong size, off the curve, low-order X25519, missing `y`, wrong `kty`) and
//! a `p2c` below [`MIN_PBES2_ITERATIONS`]; [`Error::KeyNotFound`] for an `epk` on
//! another curve than the key (it may be another recipient's); [`Error::AlgorithmNotAllowed`]
//! for an `enc` the key is not bound to or cannot take. [`Error::InvalidKey`] and
//! [`Error::KeyAlgorithmMismatch`] are about the caller's own keys only: wrong key
//! sizes, a bad JWK, a key used when encrypting with an `alg` or `enc` it is not bound to.

mod alg;
mod crypto;
mod decrypt;
mod encrypt;
mod header;
mod key;
#[cfg(feature = "aws-lc")]
mod rsa;
#[cfg(test)]
mod wycheproof;

pub use alg::{ContentEncryption, EcdhCurve, KeyAlgorithm, KeyKind};
pub use decrypt::{DecryptOptions, Decrypted, Decrypter, JweLimits};
pub use encrypt::{Encrypter, JsonOptions, encrypt_compact, encrypt_flattened, encrypt_general};
pub use header::JweHeader;
pub use key::{DEFAULT_PBES2_ITERATIONS, DecryptionKey, EncryptionKey, MIN_PBES2_ITERATIONS};

#[cfg(doc)] // the failure modes above link to its variants
use crate::error::Error;

#[cfg(test)]
mod tests {
    use super::decrypt::inflate;
    use super::encrypt::deflate;

    #[test]
    fn deflate_round_trip_and_cap() {
        let data = vec![b'a'; 100_000];
        let z = deflate(&data).unwrap();
        assert!(z.len() < 1000);
        assert_eq!(inflate(&z, 100_000).unwrap(), data);
        let e = inflate(&z, 99_999).unwrap_err();
        assert_eq!(e.code(), "input_too_large");
        assert_eq!(
            inflate(b"\xff\xff\xff", 10).unwrap_err().code(),
            "malformed_token"
        );
    }
}
