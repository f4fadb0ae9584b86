//! [`ValidationSpec`]: validation options as data (serde), so that every binding, the
//! service and the conformance corpus fill one struct from their own option names and
//! the core alone turns it into a [`Validation`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{KidPolicy, Limits, Validation};
use crate::alg::Algorithm;
use crate::error::{Error, Result};

/// One string or a list of strings (`"issuer": "a"` or `"issuer": ["a", "b"]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// A single value.
    One(String),
    /// Any of these values.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

impl From<&str> for OneOrMany {
    fn from(s: &str) -> Self {
        OneOrMany::One(s.to_owned())
    }
}

impl From<Vec<String>> for OneOrMany {
    fn from(v: Vec<String>) -> Self {
        OneOrMany::Many(v)
    }
}

/// Validation options as data. Every member is optional; an absent one keeps the
/// [`Validation::new`] default, and an unknown one is an error (a misspelt option must
/// never silently weaken verification). [`ValidationSpec::build`] gives the
/// [`Validation`].
///
/// The members, with the [`Validation`] builder each one calls:
///
/// | member | type | builder |
/// | --- | --- | --- |
/// | `algorithms` | list of names | [`Validation::algorithms`] (`none` or an unknown name: `unsupported_algorithm`) |
/// | `leeway` | seconds | [`Validation::leeway`] |
/// | `required_claims` | list | [`Validation::required_claims`] (replaces `["exp"]`) |
/// | `issuer` | string or list | [`Validation::issuers`] |
/// | `audience` | string or list | [`Validation::audiences`] |
/// | `subject` | string | [`Validation::subject`] |
/// | `typ` | string | [`Validation::typ`] |
/// | `verify_exp`, `verify_nbf`, `verify_iat` | bool | [`Validation::validate_exp`] ... (`verify_exp: false` without `required_claims` also stops requiring `exp`, as PyJWT and jsonwebtoken do) |
/// | `verify_aud` | bool | `false`: [`Validation::insecure_skip_audience`] |
/// | `max_age` | seconds | [`Validation::max_age`] |
/// | `critical` | list | [`Validation::critical`] |
/// | `claims_equal` | object | [`Validation::claim_equals`] per member |
/// | `kid_policy` | `"strict"` or `"lenient"` | [`Validation::kid_policy`] |
/// | `now` | seconds since the epoch | [`Validation::clock`] |
/// | `limits` | object ([`Limits`] members) | [`Validation::limits`] |
///
/// ```
/// use jwt_core::{ValidationSpec, Verifier, SigningKey, Algorithm};
/// let spec = ValidationSpec::from_json(r#"{"issuer": "https://issuer.example", "leeway": 30}"#)?;
/// let validation = spec.build()?;
/// # let key = SigningKey::hmac(Algorithm::HS256, &[1u8; 32])?;
/// let verifier = Verifier::new(key.verifying_key(), validation)?;
///
/// let typo = ValidationSpec::from_json(r#"{"isuer": "https://issuer.example"}"#).unwrap_err();
/// assert_eq!(typo.code(), "invalid_argument");
/// # Ok::<(), jwt_core::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ValidationSpec {
    /// Accepted algorithm names (intersected with the keys').
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithms: Option<Vec<String>>,
    /// Clock skew tolerated for `exp`, `nbf`, `iat` and `max_age`, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leeway: Option<u64>,
    /// Claims that must be present (replaces the default `["exp"]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_claims: Option<Vec<String>>,
    /// Accepted issuers (exact comparison).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<OneOrMany>,
    /// Accepted audiences (exact comparison; one must be in `aud`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<OneOrMany>,
    /// The required subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The required `typ` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// Check `exp` (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_exp: Option<bool>,
    /// Check `nbf` (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_nbf: Option<bool>,
    /// Check that `iat` is not in the future (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_iat: Option<bool>,
    /// Check `aud` (default true; `false` skips it entirely).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_aud: Option<bool>,
    /// Reject tokens whose `iat` is older than this many seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
    /// `crit` extensions the caller understands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<Vec<String>>,
    /// Claims that must equal these values exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims_equal: Option<Map<String, Value>>,
    /// How the token's `kid` selects keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid_policy: Option<KidPolicy>,
    /// A fixed clock, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<i64>,
    /// Size limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
}

impl ValidationSpec {
    /// Parse a JSON object of options. Any problem (unknown member, wrong type) is
    /// [`Error::InvalidArgument`].
    /// The text is read as strictly as a token's JSON (a member given twice is an error).
    pub fn from_json(text: impl AsRef<[u8]>) -> Result<Self> {
        let object = crate::json::parse_object(text.as_ref(), crate::json::DEFAULT_MAX_DEPTH)
            .map_err(|e| Error::InvalidArgument(format!("validation options: {e}")))?;
        Self::from_value(Value::Object(object))
    }

    /// Take options from a JSON value, which must be an object (see
    /// [`ValidationSpec::from_json`]).
    pub fn from_value(value: Value) -> Result<Self> {
        if !value.is_object() {
            return Err(Error::InvalidArgument(
                "validation options must be a JSON object".into(),
            ));
        }
        serde_json::from_value(value)
            .map_err(|e| Error::InvalidArgument(format!("validation options: {e}")))
    }

    /// The [`Validation`] these options describe.
    pub fn build(&self) -> Result<Validation> {
        let mut v = Validation::new();
        if let Some(names) = &self.algorithms {
            let algs = names
                .iter()
                .map(|n| n.parse())
                .collect::<Result<Vec<Algorithm>>>()?;
            v = v.algorithms(&algs);
        }
        if let Some(s) = self.leeway {
            v = v.leeway(s);
        }
        match (&self.required_claims, self.verify_exp) {
            (Some(names), _) => v = v.required_claims(names.iter().cloned()),
            (None, Some(false)) => v = v.required_claims::<_, String>([]),
            (None, _) => {}
        }
        if let Some(iss) = &self.issuer {
            v = v.issuers(iss.to_vec());
        }
        if let Some(aud) = &self.audience {
            v = v.audiences(aud.to_vec());
        }
        if let Some(sub) = &self.subject {
            v = v.subject(sub.clone());
        }
        if let Some(typ) = &self.typ {
            v = v.typ(typ.clone());
        }
        if let Some(on) = self.verify_exp {
            v = v.validate_exp(on);
        }
        if let Some(on) = self.verify_nbf {
            v = v.validate_nbf(on);
        }
        if let Some(on) = self.verify_iat {
            v = v.validate_iat(on);
        }
        if self.verify_aud == Some(false) {
            v = v.insecure_skip_audience();
        }
        if let Some(s) = self.max_age {
            v = v.max_age(s);
        }
        if let Some(names) = &self.critical {
            v = v.critical(names.iter().cloned());
        }
        if let Some(m) = &self.claims_equal {
            for (name, want) in m {
                v = v.claim_equals(name.clone(), want.clone());
            }
        }
        if let Some(p) = self.kid_policy {
            v = v.kid_policy(p);
        }
        if let Some(t) = self.now {
            v = v.clock(t);
        }
        if let Some(l) = self.limits {
            v = v.limits(l);
        }
        Ok(v)
    }
}

impl TryFrom<&ValidationSpec> for Validation {
    type Error = Error;

    fn try_from(spec: &ValidationSpec) -> Result<Validation> {
        spec.build()
    }
}
