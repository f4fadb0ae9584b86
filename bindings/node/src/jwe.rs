//! Encryption: [`JweEncrypter`] and [`JweDecrypter`], thin newtypes over
//! `jwt_core::jwe::{Encrypter, Decrypter}` (RFC 7516).
//!
//! Keys arrive as JWK JSON text (the JS layer turns a Buffer, a password or a
//! `crypto.KeyObject` into a JWK first); algorithm names cross as their registered strings
//! and are parsed by the core. Options arrive once, as a [`DecrypterRules`] object, when
//! the decrypter is built.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use jwt_core::jwe::{
    ContentEncryption, DecryptOptions, Decrypted, Decrypter, DecryptionKey, Encrypter,
    EncryptionKey, JweHeader, KeyAlgorithm,
};

use crate::sign::Signer;
use crate::verify::{Verifier, seconds};
use crate::{Result, arg_err, js_err};

fn key_alg(name: &str) -> Result<KeyAlgorithm> {
    name.parse().map_err(js_err)
}

fn content_enc(name: &str) -> Result<ContentEncryption> {
    name.parse().map_err(js_err)
}

fn jwk(text: &str) -> Result<jwt_core::Jwk> {
    jwt_core::Jwk::from_json(text).map_err(js_err)
}

fn object(text: &str, what: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(arg_err(format!("{what} must be a JSON object"))),
        Err(e) => Err(arg_err(format!("{what}: {e}"))),
    }
}

/// A recipient's key plus the header every token gets (`jwt_core::jwe::Encrypter`).
#[napi]
#[derive(Debug)]
pub struct JweEncrypter {
    inner: Encrypter,
}

fn encrypter(key: EncryptionKey, enc: &str, header: Option<String>) -> Result<JweEncrypter> {
    let mut m = match header.as_deref() {
        None | Some("") => Map::new(),
        Some(text) => object(text, "header")?,
    };
    m.insert("alg".into(), key.algorithm().as_str().into());
    m.insert("enc".into(), content_enc(enc)?.as_str().into());
    let header = JweHeader::from_map(m).map_err(js_err)?;
    Ok(JweEncrypter {
        inner: Encrypter::with_header(key, header).map_err(js_err)?,
    })
}

#[napi]
impl JweEncrypter {
    /// An encrypter to the key in `jwk` (JSON text): a recipient's public `EC`/`OKP` key
    /// for `ECDH-ES*`, or an `oct` secret for `dir`, `A*KW`, `A*GCMKW`. `alg` is used when
    /// the JWK has none (the two must agree). `header` (JSON object text) adds members to
    /// every protected header (`zip: "DEF"`, `typ`, `cty`, `kid`, custom names).
    #[napi(factory)]
    pub fn from_jwk(
        jwk_json: String,
        alg: Option<String>,
        enc: String,
        header: Option<String>,
    ) -> Result<Self> {
        let alg = alg.as_deref().map(key_alg).transpose()?;
        let key = EncryptionKey::from_jwk(&jwk(&jwk_json)?, alg).map_err(js_err)?;
        encrypter(key, &enc, header)
    }

    /// A PBES2 encrypter from a password, with `iterations` PBKDF2 rounds (`p2c`, at
    /// least 1000).
    #[napi(factory)]
    pub fn from_password(
        alg: String,
        password: Buffer,
        iterations: u32,
        enc: String,
        header: Option<String>,
        kid: Option<String>,
    ) -> Result<Self> {
        let mut key =
            EncryptionKey::password(key_alg(&alg)?, &password, iterations).map_err(js_err)?;
        if let Some(kid) = kid {
            key = key.with_kid(kid);
        }
        encrypter(key, &enc, header)
    }

    /// The header template, as JSON text.
    #[napi(getter)]
    pub fn header(&self) -> String {
        Value::Object(self.inner.header().to_map()).to_string()
    }

    /// Encrypt bytes into a compact JWE.
    #[napi]
    pub fn encrypt(&self, plaintext: Buffer) -> Result<String> {
        self.inner.encrypt(&plaintext).map_err(js_err)
    }

    /// Encrypt claims (JSON object text) into an encrypted, unsigned JWT.
    #[napi]
    pub fn encrypt_claims(&self, claims_json: String) -> Result<String> {
        let raw = RawValue::from_string(claims_json)
            .map_err(|e| arg_err(format!("claims are not JSON: {e}")))?;
        self.inner.encrypt_claims(&raw).map_err(js_err)
    }

    /// A nested JWT: sign `claimsJson` with `signer`, then encrypt it with `cty: JWT`.
    #[napi]
    pub fn encrypt_signed(&self, signer: &Signer, claims_json: String) -> Result<String> {
        let raw = RawValue::from_string(claims_json)
            .map_err(|e| arg_err(format!("claims are not JSON: {e}")))?;
        self.inner
            .encrypt_signed(&signer.inner, &raw)
            .map_err(js_err)
    }
}

/// The decryption rules of a [`JweDecrypter`]; every member optional, absent means
/// jwt-core's default.
#[napi(object, js_name = "DecrypterRules")]
#[derive(Debug, Default)]
pub struct Options {
    /// Accepted key management algorithms.
    pub algorithms: Option<Vec<String>>,
    /// Accepted content encryptions.
    pub encryptions: Option<Vec<String>>,
    /// `crit` header extensions understood.
    pub critical: Option<Vec<String>>,
    /// Enable PBES2 with this largest accepted `p2c` (off without it).
    #[napi(js_name = "allowPbes2")]
    pub allow_pbes2: Option<u32>,
    /// The largest token accepted, in bytes.
    pub max_token_bytes: Option<u32>,
    /// The largest plaintext accepted after decompression, in bytes.
    pub max_plaintext_bytes: Option<u32>,
}

fn decrypt_options(o: Options) -> Result<DecryptOptions> {
    let mut d = DecryptOptions::new();
    if let Some(a) = o.algorithms {
        let algs = a.iter().map(|s| key_alg(s)).collect::<Result<Vec<_>>>()?;
        d = d.algorithms(&algs);
    }
    if let Some(e) = o.encryptions {
        let encs = e
            .iter()
            .map(|s| content_enc(s))
            .collect::<Result<Vec<_>>>()?;
        d = d.encryptions(&encs);
    }
    if let Some(c) = o.critical {
        d = d.critical(c);
    }
    if let Some(n) = o.allow_pbes2 {
        d = d.allow_pbes2(n);
    }
    let mut limits = d.get_limits();
    if let Some(n) = o.max_token_bytes {
        limits.max_token_bytes = n as usize;
    }
    if let Some(n) = o.max_plaintext_bytes {
        limits.max_plaintext_bytes = n as usize;
    }
    Ok(d.limits(limits))
}

/// A decrypted JWE: the joint header (JSON text) and the plaintext.
#[napi(object)]
#[allow(missing_debug_implementations)] // napi's Buffer has no Debug
pub struct JweDecrypted {
    /// The joint header, as JSON text.
    pub header: String,
    /// The plaintext (decompressed if `zip: DEF`).
    pub plaintext: Buffer,
}

impl From<Decrypted> for JweDecrypted {
    fn from(d: Decrypted) -> Self {
        JweDecrypted {
            header: Value::Object(d.header.to_map()).to_string(),
            plaintext: d.plaintext.into(),
        }
    }
}

/// A recipient's keys plus decryption rules, built once (`jwt_core::jwe::Decrypter`).
#[napi]
#[derive(Debug)]
pub struct JweDecrypter {
    inner: Decrypter,
}

#[napi]
impl JweDecrypter {
    /// A decrypter over private JWKs (JSON text each; `algs[i]`, when given, binds a JWK
    /// without `alg`), with the rules in `options`.
    #[napi(constructor)]
    pub fn new(
        jwks: Vec<String>,
        algs: Option<Vec<Option<String>>>,
        options: Option<Options>,
    ) -> Result<Self> {
        let algs = algs.unwrap_or_default();
        let mut keys = Vec::with_capacity(jwks.len());
        for (i, text) in jwks.iter().enumerate() {
            let alg = algs.get(i).cloned().flatten();
            let alg = alg.as_deref().map(key_alg).transpose()?;
            keys.push(DecryptionKey::from_jwk(&jwk(text)?, alg).map_err(js_err)?);
        }
        let opts = options.unwrap_or_default();
        Ok(JweDecrypter {
            inner: Decrypter::new(keys, decrypt_options(opts)?).map_err(js_err)?,
        })
    }

    /// Decrypt a compact JWE.
    #[napi]
    pub fn decrypt(&self, token: String) -> Result<JweDecrypted> {
        Ok(self.inner.decrypt(&token).map_err(js_err)?.into())
    }

    /// Decrypt a JSON JWE (flattened or general serialization, as JSON text).
    #[napi]
    pub fn decrypt_json(&self, doc: String) -> Result<JweDecrypted> {
        Ok(self.inner.decrypt_json(&doc).map_err(js_err)?.into())
    }

    /// Decrypt a nested JWT (`cty: JWT`) and verify the inner JWS and its claims with
    /// `verifier`; returns `[jwsHeader, claims]` as JSON text. `now` replaces the clock.
    #[napi]
    pub fn decrypt_jwt(
        &self,
        token: String,
        verifier: &Verifier,
        now: Option<f64>,
    ) -> Result<String> {
        let v = &verifier.inner.verifier;
        let data = match seconds(now)? {
            Some(now) => self.inner.decrypt_jwt_at::<Box<RawValue>>(&token, v, now),
            None => self.inner.decrypt_jwt::<Box<RawValue>>(&token, v),
        }
        .map_err(js_err)?;
        Ok(format!("[{},{}]", data.header.to_json(), data.claims.get()))
    }
}

/// A fresh decryption key: `[privateJwk, publicJwk]` as JSON text. `alg` is the key
/// management algorithm; `enc` binds a `dir` key (and is required for it); `crv` picks
/// the curve for `ECDH-ES*` (`P-256` default, `P-384`, `P-521`, `X25519`); `RSA-OAEP*`
/// keys are 2048-bit RSA. For secret keys the two JWKs are the same.
#[napi]
pub fn generate_jwe_key(
    alg: String,
    enc: Option<String>,
    crv: Option<String>,
) -> Result<Vec<String>> {
    let alg = key_alg(&alg)?;
    let enc = enc.as_deref().map(content_enc).transpose()?;
    let crv = crv
        .as_deref()
        .map(str::parse::<jwt_core::jwe::EcdhCurve>)
        .transpose()
        .map_err(js_err)?;
    let key = DecryptionKey::generate_for(alg, enc, crv).map_err(js_err)?;
    let private = key.to_private_jwk().map_err(js_err)?.to_json();
    let public = key.sender_jwk().map_err(js_err)?.to_json();
    Ok(vec![private, public])
}
