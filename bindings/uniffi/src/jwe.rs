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

/// A JWE key management algorithm (`alg`). `RSA1_5` does not exist; RSA-OAEP is not
/// offered (no constant-time RSA decryption in the core's backends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
#[allow(clippy::upper_case_acronyms)] // the registered JOSE identifiers
pub enum JweKeyAlgorithm {
    /// `dir`: the shared key is the content encryption key.
    Dir,
    /// `A128KW`: AES-128 key wrap.
    A128KW,
    /// `A192KW`: AES-192 key wrap.
    A192KW,
    /// `A256KW`: AES-256 key wrap.
    A256KW,
    /// `A128GCMKW`: AES-128-GCM key encryption.
    A128GCMKW,
    /// `A192GCMKW`: AES-192-GCM key encryption.
    A192GCMKW,
    /// `A256GCMKW`: AES-256-GCM key encryption.
    A256GCMKW,
    /// `ECDH-ES`: ephemeral-static ECDH, the derived key is the content key.
    EcdhEs,
    /// `ECDH-ES+A128KW`.
    EcdhEsA128KW,
    /// `ECDH-ES+A192KW`.
    EcdhEsA192KW,
    /// `ECDH-ES+A256KW`.
    EcdhEsA256KW,
    /// `PBES2-HS256+A128KW`: password-based; a decrypter accepts it only with a `p2c` cap.
    Pbes2Hs256A128KW,
    /// `PBES2-HS384+A192KW`.
    Pbes2Hs384A192KW,
    /// `PBES2-HS512+A256KW`.
    Pbes2Hs512A256KW,
}

/// A JWE content encryption algorithm (`enc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
#[allow(clippy::upper_case_acronyms)] // the registered JOSE identifiers
pub enum JweContentEncryption {
    /// `A128GCM`.
    A128GCM,
    /// `A192GCM`.
    A192GCM,
    /// `A256GCM`.
    A256GCM,
    /// `A128CBC-HS256`.
    A128CbcHs256,
    /// `A192CBC-HS384`.
    A192CbcHs384,
    /// `A256CBC-HS512`.
    A256CbcHs512,
}

/// A curve for ECDH-ES keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum JweCurve {
    /// NIST P-256.
    P256,
    /// NIST P-384.
    P384,
    /// NIST P-521.
    P521,
    /// X25519 (RFC 8037).
    X25519,
}

impl From<JweKeyAlgorithm> for core::KeyAlgorithm {
    fn from(a: JweKeyAlgorithm) -> Self {
        use JweKeyAlgorithm as B;
        use core::KeyAlgorithm as C;
        match a {
            B::Dir => C::Dir,
            B::A128KW => C::A128KW,
            B::A192KW => C::A192KW,
            B::A256KW => C::A256KW,
            B::A128GCMKW => C::A128GCMKW,
            B::A192GCMKW => C::A192GCMKW,
            B::A256GCMKW => C::A256GCMKW,
            B::EcdhEs => C::EcdhEs,
            B::EcdhEsA128KW => C::EcdhEsA128KW,
            B::EcdhEsA192KW => C::EcdhEsA192KW,
            B::EcdhEsA256KW => C::EcdhEsA256KW,
            B::Pbes2Hs256A128KW => C::Pbes2Hs256A128KW,
            B::Pbes2Hs384A192KW => C::Pbes2Hs384A192KW,
            B::Pbes2Hs512A256KW => C::Pbes2Hs512A256KW,
        }
    }
}

impl From<JweContentEncryption> for core::ContentEncryption {
    fn from(e: JweContentEncryption) -> Self {
        use JweContentEncryption as B;
        use core::ContentEncryption as C;
        match e {
            B::A128GCM => C::A128GCM,
            B::A192GCM => C::A192GCM,
            B::A256GCM => C::A256GCM,
            B::A128CbcHs256 => C::A128CbcHs256,
            B::A192CbcHs384 => C::A192CbcHs384,
            B::A256CbcHs512 => C::A256CbcHs512,
        }
    }
}

impl From<JweCurve> for core::EcdhCurve {
    fn from(c: JweCurve) -> Self {
        match c {
            JweCurve::P256 => core::EcdhCurve::P256,
            JweCurve::P384 => core::EcdhCurve::P384,
            JweCurve::P521 => core::EcdhCurve::P521,
            JweCurve::X25519 => core::EcdhCurve::X25519,
        }
    }
}

const KEY_ALGORITHMS: [JweKeyAlgorithm; 14] = [
    JweKeyAlgorithm::Dir,
    JweKeyAlgorithm::A128KW,
    JweKeyAlgorithm::A192KW,
    JweKeyAlgorithm::A256KW,
    JweKeyAlgorithm::A128GCMKW,
    JweKeyAlgorithm::A192GCMKW,
    JweKeyAlgorithm::A256GCMKW,
    JweKeyAlgorithm::EcdhEs,
    JweKeyAlgorithm::EcdhEsA128KW,
    JweKeyAlgorithm::EcdhEsA192KW,
    JweKeyAlgorithm::EcdhEsA256KW,
    JweKeyAlgorithm::Pbes2Hs256A128KW,
    JweKeyAlgorithm::Pbes2Hs384A192KW,
    JweKeyAlgorithm::Pbes2Hs512A256KW,
];

const CONTENT_ENCRYPTIONS: [JweContentEncryption; 6] = [
    JweContentEncryption::A128GCM,
    JweContentEncryption::A192GCM,
    JweContentEncryption::A256GCM,
    JweContentEncryption::A128CbcHs256,
    JweContentEncryption::A192CbcHs384,
    JweContentEncryption::A256CbcHs512,
];

/// The binding's value for a core algorithm (the core's enums are non-exhaustive: a
/// newer core's algorithm unknown here is an error, never a panic).
fn key_alg_from_core(a: core::KeyAlgorithm) -> Result<JweKeyAlgorithm, JwtError> {
    KEY_ALGORITHMS
        .into_iter()
        .find(|&b| core::KeyAlgorithm::from(b) == a)
        .ok_or_else(|| invalid_argument(format!("`{}` is not known to this binding", a.as_str())))
}

fn enc_from_core(e: core::ContentEncryption) -> Result<JweContentEncryption, JwtError> {
    CONTENT_ENCRYPTIONS
        .into_iter()
        .find(|&b| core::ContentEncryption::from(b) == e)
        .ok_or_else(|| invalid_argument(format!("`{}` is not known to this binding", e.as_str())))
}

/// Parse a registered key management algorithm name (`"ECDH-ES+A256KW"`). `RSA1_5` and
/// unknown names fail with `unsupported_algorithm`.
#[uniffi::export]
pub fn jwe_key_algorithm_from_name(name: String) -> Result<JweKeyAlgorithm, JwtError> {
    guard(|| key_alg_from_core(name.parse::<core::KeyAlgorithm>()?))
}

/// The registered name of a key management algorithm.
#[uniffi::export]
pub fn jwe_key_algorithm_name(alg: JweKeyAlgorithm) -> String {
    core::KeyAlgorithm::from(alg).as_str().to_owned()
}

/// Parse a registered content encryption name (`"A256GCM"`); unknown names fail with
/// `unsupported_encryption`.
#[uniffi::export]
pub fn jwe_content_encryption_from_name(name: String) -> Result<JweContentEncryption, JwtError> {
    guard(|| enc_from_core(name.parse::<core::ContentEncryption>()?))
}

/// The registered name of a content encryption algorithm.
#[uniffi::export]
pub fn jwe_content_encryption_name(enc: JweContentEncryption) -> String {
    core::ContentEncryption::from(enc).as_str().to_owned()
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
                alg.map(Into::into),
            )?)))
        })
    }

    /// A copy with `kid` set.
    pub fn with_kid(&self, kid: String) -> Arc<Self> {
        Arc::new(Self(self.0.clone().with_kid(kid)))
    }

    /// The key management algorithm.
    pub fn algorithm(&self) -> Result<JweKeyAlgorithm, JwtError> {
        key_alg_from_core(self.0.algorithm())
    }

    /// The content encryption a `dir` key (or a key generated with one) is bound to.
    pub fn content_encryption(&self) -> Result<Option<JweContentEncryption>, JwtError> {
        self.0.content_encryption().map(enc_from_core).transpose()
    }

    /// `kid`, if any.
    pub fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    /// The private JWK (secret material: store it like a password).
    pub fn private_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_private_jwk()?.to_json()))
    }

    /// The public JWK of an ECDH key, to hand to senders; a symmetric or password key has
    /// no public form (`invalid_argument`).
    pub fn public_jwk(&self) -> Result<String, JwtError> {
        guard(|| Ok(self.0.to_public_jwk()?.to_json()))
    }
}

/// A fresh decryption key. `enc` binds the key to one content encryption (required for
/// `dir`); `crv` picks the curve for `ECDH-ES*` (default P-256). Give senders
/// `publicJwk()` (ECDH) or the `privateJwk()` secret (symmetric).
#[uniffi::export(default(enc = None, crv = None))]
pub fn generate_jwe_key(
    alg: JweKeyAlgorithm,
    enc: Option<JweContentEncryption>,
    crv: Option<JweCurve>,
) -> Result<Arc<JweDecryptionKey>, JwtError> {
    guard(|| {
        let core_alg = core::KeyAlgorithm::from(alg);
        let key = match (alg, enc) {
            (JweKeyAlgorithm::Dir, Some(enc)) => core::DecryptionKey::generate_dir(enc.into())?,
            (JweKeyAlgorithm::Dir, None) => {
                return Err(invalid_argument("a `dir` key needs `enc`"));
            }
            _ if matches!(core_alg.key_kind(), core::KeyKind::Ecdh) => {
                core::DecryptionKey::generate_ecdh(core_alg, crv.unwrap_or(JweCurve::P256).into())?
            }
            _ => core::DecryptionKey::generate(core_alg)?,
        };
        let key = match enc {
            Some(e) if alg != JweKeyAlgorithm::Dir => key.with_enc(e.into()),
            _ => key,
        };
        Ok(Arc::new(JweDecryptionKey(key)))
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
    m.insert(
        "enc".into(),
        core::ContentEncryption::from(enc).as_str().into(),
    );
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
            let key = core::EncryptionKey::from_jwk(&jwk(&jwk_json)?, alg.map(Into::into))?;
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
            let mut key = core::EncryptionKey::password(alg.into(), &password, iterations)?;
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
            d = d.algorithms(&a.iter().map(|&a| a.into()).collect::<Vec<_>>());
        }
        if let Some(e) = &self.encryptions {
            d = d.encryptions(&e.iter().map(|&e| e.into()).collect::<Vec<_>>());
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
            alg: key_alg_from_core(d.header.alg)?,
            enc: enc_from_core(d.header.enc)?,
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
