//! Claims as both directions see them: typed [`RegisteredClaims`] (signed by
//! [`crate::sign`], returned by [`crate::verify`]) and [`json_object`], the parser for the
//! caller's JSON-object arguments (claims, header members, `claims_equal_json`).

use serde_json::{Map, Value};

use crate::error::{JwtError, invalid_argument};

/// The registered claims (RFC 7519 4.1), typed. Times are seconds since the epoch.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct RegisteredClaims {
    /// Issuer.
    #[uniffi(default)]
    pub iss: Option<String>,
    /// Subject.
    #[uniffi(default)]
    pub sub: Option<String>,
    /// Audience(s); a single string `aud` gives a one-element list.
    #[uniffi(default)]
    pub aud: Option<Vec<String>>,
    /// Expiration time.
    #[uniffi(default)]
    pub exp: Option<i64>,
    /// Not before.
    #[uniffi(default)]
    pub nbf: Option<i64>,
    /// Issued at.
    #[uniffi(default)]
    pub iat: Option<i64>,
    /// JWT id.
    #[uniffi(default)]
    pub jti: Option<String>,
}

impl From<jwt_core::RegisteredClaims> for RegisteredClaims {
    fn from(r: jwt_core::RegisteredClaims) -> Self {
        RegisteredClaims {
            iss: r.iss,
            sub: r.sub,
            aud: r.aud.map(|a| a.iter().map(str::to_owned).collect()),
            exp: r.exp,
            nbf: r.nbf,
            iat: r.iat,
            jti: r.jti,
        }
    }
}

impl RegisteredClaims {
    /// The claims as JSON members, for signing. A one-element `aud` is written as a
    /// string, the common form.
    pub(crate) fn to_json_members(&self) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        let s = |v: &Option<String>| v.clone().map(Value::from);
        let n = |v: &Option<i64>| v.map(Value::from);
        let aud = self.aud.as_ref().map(|a| match a.as_slice() {
            [one] => Value::from(one.clone()),
            many => Value::from(many.to_vec()),
        });
        for (name, value) in [
            ("iss", s(&self.iss)),
            ("sub", s(&self.sub)),
            ("aud", aud),
            ("exp", n(&self.exp)),
            ("nbf", n(&self.nbf)),
            ("iat", n(&self.iat)),
            ("jti", s(&self.jti)),
        ] {
            if let Some(v) = value {
                out.push((name, v));
            }
        }
        out
    }
}

/// Parse `text` as a JSON object (the caller's own claims or header members).
pub(crate) fn json_object(text: &str, what: &str) -> Result<Map<String, Value>, JwtError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(invalid_argument(format!("{what} must be a JSON object"))),
        Err(e) => Err(invalid_argument(format!("{what} is not valid JSON: {e}"))),
    }
}
