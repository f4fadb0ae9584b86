//! Encryption (RFC 7516): [`JweEncrypter`], [`JweDecrypter`] and [`JweDecryptionKey`],
//! thin wrappers over `jwt_core::jwe::{Encrypter, Decrypter, DecryptionKey}`.
//!
//! Keys arrive as JWK JSON text (or a password for PBES2); algorithms are typed enums
//! mirroring the core's; options arrive once, as a record, when the decrypter is built.
//! Every rule (PBES2 off unless capped, invalid-curve points, the decompression cap, tag
//! checks, `crit`) is the core's.

use std::sync::Arc;

use serde_json::Value;
use serde_json::value::RawValue;

use jwt_core::jwe as core;

use crate::claims::json_object;
use crate::error::{JwtError, guard, invalid_argument};
use crate::sign::Signer;
use crate::verify::{VerifiedToken, Verifier};

/// The JWE algorithms are the core's own enums, exported through its `uniffi` feature;
/// the Kotlin and Swift names keep the `Jwe` prefix through type aliases.
pub use jwt_core::jwe::{
    ContentEncryption as JweContentEncryption, EcdhCurve as JweCurve,
    KeyAlgorithm as JweKeyAlgorithm,
};

/// Parse a registered key management algorithm name (`"ECDH-ES+A256KW"`). `RSA1_5` and
/// unknown names fail with `unsupported_algorithm`.
#[uniffi::export]
pub fn jwe_key_algorithm_from_name(name: String) -> Result<JweKeyAlgorithm, JwtError> {
    guard(|| Ok(name.parse::<core::KeyAlgorithm>()?))
}

/// The registered name of a key management algorithm.
#[uniffi::export]
pub fn jwe_key_algorithm_name(alg: JweKeyAlgorithm) -> String {
    alg.as_str().to_owned()
}

/// Parse a registered content encryption name (`"A256GCM"`); unknown names fail with
/// `unsupported_encryption`.
#[uniffi::export]
pub fn jwe_content_encryption_from_name(name: String) -> Result<JweContentEncryption, JwtError> {
    guard(|| Ok(name.parse::<core::ContentEncryption>()?))
}

/// The registered name of a content encryption algorithm.
#[uniffi::export]
pub fn jwe_content_encryption_name(enc: JweContentEncryption) -> String {
    enc.as_str().to_owned()
}

fn jwk(text: &str) -> Result<jwt_core::Jwk, JwtError> {
    Ok(jwt_core::Jwk::from_json(text)?)
}

/// A recipient's private key (or shared secret, or PBES2 password), bound to one key
/// management algorithm.
#[derive(Debug, uniffi::Object)]
pub struct JweDecryptionKey(core::DecryptionKey);

#[uniffi::export]
impl JweDecryptionKey {
    /// From a private JWK (JSON text): `oct` for `dir`, `A*KW`, `A*GCMKW` (and a PBES2
    /// password as `k`), `EC` or `OKP` (X25519) with `d` for `ECDH-ES*`. `alg` binds a JWK
    /// without `alg` (the two must agree when both are given).
    #[uniffi::constructor(default(alg = None))]
    pub fn from_jwk(jwk_json: String, alg: Option<JweKeyAlgorithm>) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            Ok(Arc::new(Self(core::DecryptionKey::from_jwk(
                &jwk(&jwk_json)?,
                alg,
            )?)))
        })
    }

    /// A copy with `kid` set.
    pub fn with_kid(&self, kid: String) -> Arc<Self> {
        Arc::new(Self(self.0.clone().with_kid(kid)))
    }

    /// The key management algorithm.
    pub fn algorithm(&self) -> Result<JweKeyAlgorithm, JwtError> {
        // (a Result as before the core's enum was exported: the Kotlin/Swift API is kept)
        Ok(self.0.algorithm())
    }

    /// The content encryption a `dir` key (or a key generated with one) is bound to.
    pub fn content_encryption(&self) -> Result<Option<JweContentEncryption>, JwtError> {
        Ok(self.0.content_encryption())
    }

    /// `kid`, if any.
    pub fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    /// The private JWK (secret material: store it like a password).
    pub fn private_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_private_jwk()?.to_json()))
    }

    /// The public JWK of an ECDH or RSA key, to hand to senders; a symmetric or password
    /// key has no public form (`invalid_argument`).
    pub fn public_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_public_jwk()?.to_json()))
    }

    /// The JWK senders need: the public JWK of an ECDH or RSA key, the secret JWK of a
    /// symmetric one (which sender and recipient share).
    pub fn sender_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.sender_jwk()?.to_json()))
    }
}

/// A fresh decryption key. `enc` binds the key to one content encryption (required for
/// `dir`); `crv` picks the curve for `ECDH-ES*` (default P-256); `RSA-OAEP*` keys are
/// 2048-bit RSA. Give senders `senderJwk()`: the public JWK (ECDH, RSA) or the secret
/// (symmetric).
#[uniffi::export(default(enc = None, crv = None))]
pub fn generate_jwe_key(
    alg: JweKeyAlgorithm,
    enc: Option<JweContentEncryption>,
    crv: Option<JweCurve>,
) -> Result<Arc<JweDecryptionKey>, JwtError> {
    guard(|| {
        Ok(Arc::new(JweDecryptionKey(
            core::DecryptionKey::generate_for(alg, enc, crv)?,
        )))
    })
}

/// A recipient's key plus the header every token gets, built once (compact JWEs).
#[derive(Debug, uniffi::Object)]
pub struct JweEncrypter(core::Encrypter);

fn encrypter(
    key: core::EncryptionKey,
    enc: JweContentEncryption,
    header_json: Option<String>,
) -> Result<Arc<JweEncrypter>, JwtError> {
    let mut m = match header_json.as_deref() {
        None | Some("") => serde_json::Map::new(),
        Some(text) => json_object(text, "header_json")?,
    };
    m.insert("alg".into(), key.algorithm().as_str().into());
    m.insert("enc".into(), enc.as_str().into());
    let header = core::JweHeader::from_map(m)?;
    Ok(Arc::new(JweEncrypter(core::Encrypter::with_header(
        key, header,
    )?)))
}

fn raw_json(text: String) -> Result<Box<RawValue>, JwtError> {
    RawValue::from_string(text).map_err(|e| invalid_argument(format!("claims are not JSON: {e}")))
}

#[uniffi::export]
impl JweEncrypter {
    /// An encrypter to the key in `jwk_json`: a recipient's public `EC`/`OKP` key for
    /// `ECDH-ES*`, or an `oct` secret for `dir`, `A*KW`, `A*GCMKW`. `alg` binds a JWK
    /// without `alg`. `header_json` (a JSON object) adds members to every protected
    /// header (`zip: "DEF"`, `typ`, `cty`, `kid`, custom names).
    #[uniffi::constructor(default(alg = None, header_json = None))]
    pub fn from_jwk(
        jwk_json: String,
        enc: JweContentEncryption,
        alg: Option<JweKeyAlgorithm>,
        header_json: Option<String>,
    ) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let key = core::EncryptionKey::from_jwk(&jwk(&jwk_json)?, alg)?;
            encrypter(key, enc, header_json)
        })
    }

    /// A PBES2 encrypter from a password, with `iterations` PBKDF2 rounds (`p2c`, at
    /// least 1000).
    #[uniffi::constructor(default(header_json = None, kid = None))]
    pub fn from_password(
        alg: JweKeyAlgorithm,
        password: Vec<u8>,
        iterations: u32,
        enc: JweContentEncryption,
        header_json: Option<String>,
        kid: Option<String>,
    ) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let mut key = core::EncryptionKey::password(alg, &password, iterations)?;
            if let Some(kid) = kid {
                key = key.with_kid(kid);
            }
            encrypter(key, enc, header_json)
        })
    }

    /// The header template, as a JSON object.
    pub fn header_json(&self) -> String {
        Value::Object(self.0.header().to_map()).to_string()
    }

    /// Encrypt bytes into a compact JWE.
    pub fn encrypt(&self, plaintext: Vec<u8>) -> Result<String, JwtError> {
        guard(|| Ok(self.0.encrypt(&plaintext)?))
    }

    /// Encrypt claims (a JSON object) into an encrypted, unsigned JWT.
    pub fn encrypt_claims(&self, claims_json: String) -> Result<String, JwtError> {
        guard(|| Ok(self.0.encrypt_claims(&raw_json(claims_json)?)?))
    }

    /// A nested JWT in one call: sign `claims_json` with `signer`, then encrypt the JWS
    /// with `cty: JWT`. Read it back with `JweDecrypter.decryptJwt`.
    pub fn encrypt_signed(
        &self,
        signer: Arc<Signer>,
        claims_json: String,
    ) -> Result<String, JwtError> {
        guard(|| Ok(self.0.encrypt_signed(&signer.0, &raw_json(claims_json)?)?))
    }
}

/// What a JWE must satisfy to be decrypted. Every member is optional; absent means the
/// core's default: every `alg` the keys are bound to except PBES2, every `enc`, no `crit`
/// extensions, 1 MiB token and plaintext (after `zip: DEF` decompression) limits.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct JweDecryptOptions {
    /// Accepted key management algorithms (narrows what the keys allow).
    #[uniffi(default)]
    pub algorithms: Option<Vec<JweKeyAlgorithm>>,
    /// Accepted content encryption algorithms.
    #[uniffi(default)]
    pub encryptions: Option<Vec<JweContentEncryption>>,
    /// `crit` extensions the caller understands.
    #[uniffi(default)]
    pub critical: Vec<String>,
    /// Enable PBES2, refusing any `p2c` above this before deriving anything. Off when
    /// absent.
    #[uniffi(default)]
    pub allow_pbes2_max_iterations: Option<u32>,
    /// Largest token (or JSON document), in bytes.
    #[uniffi(default)]
    pub max_token_bytes: Option<u64>,
    /// Largest plaintext after decompression, in bytes.
    #[uniffi(default)]
    pub max_plaintext_bytes: Option<u64>,
}

fn size(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl JweDecryptOptions {
    fn to_core(&self) -> core::DecryptOptions {
        let mut d = core::DecryptOptions::new();
        if let Some(a) = &self.algorithms {
            d = d.algorithms(a);
        }
        if let Some(e) = &self.encryptions {
            d = d.encryptions(e);
        }
        if !self.critical.is_empty() {
            d = d.critical(self.critical.iter().cloned());
        }
        if let Some(n) = self.allow_pbes2_max_iterations {
            d = d.allow_pbes2(n);
        }
        let mut limits = d.get_limits();
        if let Some(n) = self.max_token_bytes {
            limits.max_token_bytes = size(n);
        }
        if let Some(n) = self.max_plaintext_bytes {
            limits.max_plaintext_bytes = size(n);
        }
        d.limits(limits)
    }
}

/// A decrypted JWE.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct JweDecrypted {
    /// `alg` of the joint header.
    pub alg: JweKeyAlgorithm,
    /// `enc` of the joint header.
    pub enc: JweContentEncryption,
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `cty`, if any (`JWT` for a nested JWT).
    pub cty: Option<String>,
    /// The joint header (protected, shared unprotected and recipient members) as a JSON
    /// object.
    pub header_json: String,
    /// The plaintext (decompressed if `zip: DEF`).
    pub plaintext: Vec<u8>,
    /// The JSON serialization's `aad`, decoded, if present.
    pub aad: Option<Vec<u8>>,
}

impl JweDecrypted {
    fn from_core(d: core::Decrypted) -> Result<Self, JwtError> {
        Ok(JweDecrypted {
            alg: d.header.alg,
            enc: d.header.enc,
            kid: d.header.kid.clone(),
            cty: d.header.cty.clone(),
            header_json: Value::Object(d.header.to_map()).to_string(),
            plaintext: d.plaintext,
            aad: d.aad,
        })
    }
}

/// A recipient's keys plus decryption rules, built once and reused; thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct JweDecrypter(core::Decrypter);

#[uniffi::export]
impl JweDecrypter {
    /// A decrypter over `keys`. No key usable under `options` (e.g. only PBES2 keys
    /// without `allow_pbes2_max_iterations`) fails with `invalid_argument`.
    #[uniffi::constructor(default(options))]
    pub fn new(
        keys: Vec<Arc<JweDecryptionKey>>,
        options: JweDecryptOptions,
    ) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let keys = keys.iter().map(|k| k.0.clone());
            Ok(Arc::new(Self(core::Decrypter::new(
                keys,
                options.to_core(),
            )?)))
        })
    }

    /// Decrypt a compact JWE.
    pub fn decrypt(&self, token: String) -> Result<JweDecrypted, JwtError> {
        guard(|| JweDecrypted::from_core(self.0.decrypt(&token)?))
    }

    /// Decrypt a JSON JWE (flattened or general serialization, as JSON text).
    pub fn decrypt_json(&self, json: String) -> Result<JweDecrypted, JwtError> {
        guard(|| JweDecrypted::from_core(self.0.decrypt_json(&json)?))
    }

    /// Decrypt a nested JWT (`cty: JWT`) and verify the inner signed JWT and its claims
    /// with `verifier`, now.
    pub fn decrypt_jwt(
        &self,
        token: String,
        verifier: Arc<Verifier>,
    ) -> Result<VerifiedToken, JwtError> {
        self.decrypt_jwt_at(token, verifier, jwt_core::now())
    }

    /// [`JweDecrypter::decrypt_jwt`] as of `now` (seconds since the epoch).
    pub fn decrypt_jwt_at(
        &self,
        token: String,
        verifier: Arc<Verifier>,
        now: i64,
    ) -> Result<VerifiedToken, JwtError> {
        guard(|| {
            // the inner claims as their JSON text, as `Verifier.verify` returns them
            let data = self
                .0
                .decrypt_jwt_at::<Box<RawValue>>(&token, &verifier.0, now)?;
            Ok(VerifiedToken::from_core(jwt_core::TokenData {
                header: data.header,
                registered: data.registered,
                claims: data.claims.get().to_owned(),
            }))
        })
    }
}
