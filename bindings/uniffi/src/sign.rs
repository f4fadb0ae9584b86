//! Signing: [`Signer`], a key plus a header template built once (`jwt_core::Signer`).

use std::sync::Arc;

use serde_json::Map;

use crate::claims::{RegisteredClaims, json_object};
use crate::error::{JwtError, guard, invalid_argument};
use crate::keys::SigningKey;

/// Header members for every token a [`Signer`] makes. `alg` always comes from the key;
/// `typ` defaults to `JWT`, `kid` to the key's.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct SignerOptions {
    /// `typ`, e.g. `at+jwt` (RFC 9068). Default `JWT`.
    #[uniffi(default)]
    pub typ: Option<String>,
    /// `cty`, e.g. `JWT` for nested tokens.
    #[uniffi(default)]
    pub cty: Option<String>,
    /// `kid`; default: the key's.
    #[uniffi(default)]
    pub kid: Option<String>,
    /// More header members as a JSON object (e.g. `{"x-tenant": "a"}`).
    #[uniffi(default)]
    pub extra_header_json: Option<String>,
}

/// Signs JWTs with one key. Built once, reused for every token; thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct Signer(pub(crate) jwt_core::Signer);

#[uniffi::export]
impl Signer {
    /// A signer with the default header (`alg`, `typ: JWT`, the key's `kid`).
    #[uniffi::constructor]
    pub fn new(key: Arc<SigningKey>) -> Result<Arc<Self>, JwtError> {
        guard(|| Ok(Arc::new(Self(jwt_core::Signer::new(key.0.clone())?))))
    }

    /// A signer with header options.
    #[uniffi::constructor]
    pub fn with_options(
        key: Arc<SigningKey>,
        options: SignerOptions,
    ) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let mut header = jwt_core::Header::new(key.0.algorithm());
            header.typ = options.typ;
            header.cty = options.cty;
            header.kid = options.kid;
            if let Some(extra) = options.extra_header_json {
                let mut full = header.to_map();
                full.extend(json_object(&extra, "extra_header_json")?);
                header = jwt_core::Header::from_map(full)?;
            }
            Ok(Arc::new(Self(jwt_core::Signer::with_header(
                key.0.clone(),
                header,
            )?)))
        })
    }

    /// Sign claims given as a JSON object; returns the compact JWT.
    pub fn sign(&self, claims_json: String) -> Result<String, JwtError> {
        guard(|| Ok(self.0.sign(&json_object(&claims_json, "claims_json")?)?))
    }

    /// Sign typed registered claims plus, optionally, custom claims as a JSON object
    /// (a custom claim may not repeat a registered one).
    #[uniffi::method(default(custom_json = None))]
    pub fn sign_claims(
        &self,
        claims: RegisteredClaims,
        custom_json: Option<String>,
    ) -> Result<String, JwtError> {
        guard(|| {
            let mut all = match custom_json {
                Some(text) => json_object(&text, "custom_json")?,
                None => Map::new(),
            };
            for (name, value) in claims.to_json_members() {
                if all.insert(name.to_owned(), value).is_some() {
                    return Err(invalid_argument(format!(
                        "custom_json repeats the registered claim `{name}`"
                    )));
                }
            }
            Ok(self.0.sign(&all)?)
        })
    }

    /// The header every token gets, as JSON.
    pub fn header_json(&self) -> String {
        self.0.header().to_json()
    }
}
