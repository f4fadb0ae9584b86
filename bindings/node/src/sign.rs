//! Signing: [`Signer`], a key plus a header template built once (`jwt_core::Signer`).

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Task};
use napi_derive::napi;
use serde_json::value::RawValue;

use crate::key::hmac_policy;
use crate::{Result, js_err, parse_alg, rejection};

/// A signing key bound to one algorithm plus the header every token gets.
#[napi]
#[derive(Debug)]
pub struct Signer {
    pub(crate) inner: Arc<jwt_core::Signer>,
    /// The header as given (the key's `kid` is added when signing), for [`Signer::sign_bytes`]: a JWT
    /// signer adds `typ: JWT`, which a token over arbitrary bytes must not claim.
    bytes_header: jwt_core::Header,
}

fn header_for(alg: jwt_core::Algorithm, header_json: Option<String>) -> Result<jwt_core::Header> {
    match header_json {
        None => Ok(jwt_core::Header::new(alg)),
        Some(text) => jwt_core::Header::from_json(text.as_bytes(), 32).map_err(js_err),
    }
}

fn build(
    key: jwt_core::SigningKey,
    kid: Option<String>,
    header_json: Option<String>,
) -> Result<Signer> {
    let key = match kid {
        Some(kid) => key.with_kid(kid),
        None => key,
    };
    let header = header_for(key.algorithm(), header_json)?;
    let inner = jwt_core::Signer::with_header(key, header.clone()).map_err(js_err)?;
    Ok(Signer {
        inner: Arc::new(inner),
        bytes_header: header,
    })
}

fn sign_json(signer: &jwt_core::Signer, payload_json: String) -> Result<String> {
    let raw = RawValue::from_string(payload_json).map_err(|e| {
        js_err(jwt_core::Error::InvalidArgument(format!(
            "payload is not JSON: {e}"
        )))
    })?;
    signer.sign(&raw).map_err(js_err)
}

/// How a [`Signer`] is built, besides its key; every member optional.
#[napi(object, js_name = "SignerOptions")]
#[derive(Debug, Default)]
pub struct Options {
    /// The `kid` every token names (a JWK's own `kid` otherwise).
    pub kid: Option<String>,
    /// The full header as JSON text (its `alg` must be the signer's); `typ: JWT` is
    /// added for claims when it has no `typ`.
    pub header: Option<String>,
    /// HMAC only (a secret, or an `oct` JWK): sign with a secret shorter than the hash
    /// output (the core's `HmacPolicy::Allow`, as jsonwebtoken and fast-jwt do). Empty
    /// secrets and key material are refused either way.
    pub allow_short: Option<bool>,
}

/// The HMAC length policy of `options.allowShort`.
fn policy_of(options: &Option<Options>) -> jwt_core::HmacPolicy {
    hmac_policy(
        options
            .as_ref()
            .and_then(|o| o.allow_short)
            .unwrap_or(false),
    )
}

fn build_with(key: jwt_core::SigningKey, options: Option<Options>) -> Result<Signer> {
    let o = options.unwrap_or_default();
    build(key, o.kid, o.header)
}

#[napi]
impl Signer {
    /// An HMAC signer. Secrets shorter than the hash output are refused (`weak_key`)
    /// unless `options.allowShort`.
    #[napi(factory)]
    pub fn from_secret(alg: String, secret: Buffer, options: Option<Options>) -> Result<Self> {
        let policy = policy_of(&options);
        build_with(
            jwt_core::SigningKey::hmac_with_policy(parse_alg(&alg)?, &secret, policy)
                .map_err(js_err)?,
            options,
        )
    }

    /// A signer from a private key PEM (PKCS#8, PKCS#1, SEC1).
    #[napi(factory)]
    pub fn from_pem(alg: String, pem: String, options: Option<Options>) -> Result<Self> {
        build_with(
            jwt_core::SigningKey::from_pem(parse_alg(&alg)?, pem).map_err(js_err)?,
            options,
        )
    }

    /// A signer from a private key DER (PKCS#8, or PKCS#1/SEC1 by the algorithm's family).
    #[napi(factory)]
    pub fn from_der(alg: String, der: Buffer, options: Option<Options>) -> Result<Self> {
        build_with(
            jwt_core::SigningKey::from_der(parse_alg(&alg)?, &der).map_err(js_err)?,
            options,
        )
    }

    /// A signer from a private JWK (JSON text); its `alg`, `use`, `key_ops`, `kid` apply.
    /// An `oct` JWK's secret shorter than the hash output is refused (`weak_key`) unless
    /// `options.allowShort`, as for [`Signer::from_secret`].
    #[napi(factory)]
    pub fn from_jwk(jwk: String, alg: Option<String>, options: Option<Options>) -> Result<Self> {
        let jwk = jwt_core::Jwk::from_json(jwk).map_err(js_err)?;
        let alg = alg.as_deref().map(parse_alg).transpose()?;
        let key = jwt_core::SigningKey::from_jwk_with_policy(&jwk, alg, policy_of(&options))
            .map_err(js_err)?;
        build_with(key, options)
    }

    /// The algorithm of the key.
    #[napi(getter)]
    pub fn algorithm(&self) -> String {
        self.inner.key().algorithm().as_str().to_owned()
    }

    /// The header every token gets, as JSON text.
    #[napi(getter)]
    pub fn header(&self) -> String {
        self.inner.header().to_json()
    }

    /// The public JWK of the key (JSON text); `null` for HMAC keys.
    #[napi]
    pub fn public_jwk(&self) -> Result<Option<String>> {
        let key = self.inner.key();
        if key.algorithm().is_symmetric() {
            return Ok(None);
        }
        Ok(Some(key.to_public_jwk().map_err(js_err)?.to_json()))
    }

    /// Sign claims given as JSON text (must be an object) into a compact JWT.
    #[napi]
    pub fn sign(&self, payload_json: String) -> Result<String> {
        sign_json(&self.inner, payload_json)
    }

    /// Sign arbitrary bytes as the payload of a compact JWS (no claims), under the
    /// header as given: no `typ: JWT` is added (jsonwebtoken writes none for a string
    /// or Buffer payload).
    #[napi]
    pub fn sign_bytes(&self, payload: Buffer) -> Result<String> {
        jwt_core::sign::sign_compact(self.inner.key(), &self.bytes_header, &payload).map_err(js_err)
    }

    /// [`Signer::sign`] on the libuv thread pool: an RSA signature does not block the
    /// event loop.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn sign_async(&self, payload_json: String) -> AsyncTask<SignTask> {
        AsyncTask::new(SignTask {
            signer: Arc::clone(&self.inner),
            payload: Some(payload_json),
        })
    }
}

/// The work of [`Signer::sign_async`].
#[derive(Debug)]
pub struct SignTask {
    signer: Arc<jwt_core::Signer>,
    payload: Option<String>,
}

impl Task for SignTask {
    type Output = std::result::Result<String, jwt_core::Error>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let payload = self.payload.take().unwrap_or_default();
        Ok(RawValue::from_string(payload)
            .map_err(|e| jwt_core::Error::InvalidArgument(format!("payload is not JSON: {e}")))
            .and_then(|raw| self.signer.sign(&raw)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        output.map_err(|e| rejection(env, e))
    }
}
