//! The JOSE header (RFC 7515 section 4).
//!
//! `jku`, `x5u`, `jwk` and `x5c` are kept as data in [`Header::extra`] and never
//! followed or trusted: keys only ever come from the caller.

use serde_json::{Map, Value};

use crate::alg::Algorithm;
use crate::error::{Error, Result, truncate};
use crate::json;

/// Header members registered by RFC 7515/7516/7518 that `crit` must not list.
const REGISTERED: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// A JWS header.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The signature algorithm.
    pub alg: Algorithm,
    /// `typ`, e.g. `JWT` or `at+jwt`.
    pub typ: Option<String>,
    /// `cty`, e.g. `JWT` for nested tokens.
    pub cty: Option<String>,
    /// `kid`: selects among the caller's keys.
    pub kid: Option<String>,
    /// `crit`: extensions the recipient must understand.
    pub crit: Option<Vec<String>>,
    /// `b64` (RFC 7797): `Some(false)` means the payload is not base64url-encoded.
    pub b64: Option<bool>,
    /// Every other member, including `jku`, `x5u`, `jwk`, `x5c` (never followed).
    pub extra: Map<String, Value>,
}

/// The header members honoured only from the integrity-protected header of the JWS JSON
/// serialization: in an unprotected header they are an error (`typ` and `cty` decide how
/// the payload is read, `crit` and `b64` how the signature is checked).
pub(crate) const PROTECTED_ONLY: [&str; 4] = ["typ", "cty", "crit", "b64"];

impl Header {
    /// A header with just `alg`.
    pub fn new(alg: Algorithm) -> Self {
        Header {
            alg,
            typ: None,
            cty: None,
            kid: None,
            crit: None,
            b64: None,
            extra: Map::new(),
        }
    }

    /// The header as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("alg".into(), self.alg.as_str().into());
        if let Some(v) = &self.typ {
            m.insert("typ".into(), v.clone().into());
        }
        if let Some(v) = &self.cty {
            m.insert("cty".into(), v.clone().into());
        }
        if let Some(v) = &self.kid {
            m.insert("kid".into(), v.clone().into());
        }
        if let Some(v) = &self.crit {
            m.insert("crit".into(), v.clone().into());
        }
        if let Some(v) = self.b64 {
            m.insert("b64".into(), v.into());
        }
        for (k, v) in &self.extra {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        m
    }

    /// Compact JSON.
    pub fn to_json(&self) -> String {
        Value::Object(self.to_map()).to_string()
    }

    /// Parse and type-check a header JSON object.
    pub fn from_json(bytes: &[u8], max_depth: usize) -> Result<Self> {
        Self::from_map(json::parse_object(bytes, max_depth)?)
    }

    /// Type-check a header given as a JSON object.
    pub fn from_map(mut m: Map<String, Value>) -> Result<Self> {
        let alg = match m.remove("alg") {
            Some(Value::String(s)) => s.parse()?,
            Some(_) => return Err(Error::InvalidHeader("`alg` must be a string".into())),
            None => return Err(Error::InvalidHeader("`alg` is missing".into())),
        };
        let mut string = |name: &str| -> Result<Option<String>> {
            match m.remove(name) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(Error::InvalidHeader(format!("`{name}` must be a string"))),
            }
        };
        let typ = string("typ")?;
        let cty = string("cty")?;
        let kid = string("kid")?;
        let crit = match m.remove("crit") {
            None => None,
            Some(Value::Array(a)) => {
                if a.is_empty() {
                    return Err(Error::UnsupportedCritical(
                        "`crit` must not be empty".into(),
                    ));
                }
                let mut names = Vec::with_capacity(a.len());
                for v in a {
                    match v {
                        Value::String(s) if !s.is_empty() => {
                            if names.contains(&s) {
                                return Err(Error::UnsupportedCritical(
                                    "`crit` lists a name twice".into(),
                                ));
                            }
                            names.push(s)
                        }
                        _ => {
                            return Err(Error::UnsupportedCritical(
                                "`crit` must be an array of names".into(),
                            ));
                        }
                    }
                }
                Some(names)
            }
            Some(_) => {
                return Err(Error::UnsupportedCritical("`crit` must be an array".into()));
            }
        };
        let b64 = match m.remove("b64") {
            None => None,
            Some(Value::Bool(b)) => Some(b),
            Some(_) => return Err(Error::InvalidHeader("`b64` must be a boolean".into())),
        };
        let h = Header {
            alg,
            typ,
            cty,
            kid,
            crit,
            b64,
            extra: m,
        };
        if let Some(crit) = &h.crit {
            for name in crit {
                if REGISTERED.contains(&name.as_str()) {
                    return Err(Error::UnsupportedCritical(format!(
                        "`crit` must not list the registered name `{}`",
                        truncate(name, 32)
                    )));
                }
                if !h.has_member(name) {
                    return Err(Error::UnsupportedCritical(format!(
                        "`crit` lists `{}` but the header lacks it",
                        truncate(name, 32)
                    )));
                }
            }
        }
        if h.b64.is_some()
            && !h
                .crit
                .as_ref()
                .is_some_and(|c| c.iter().any(|n| n == "b64"))
        {
            return Err(Error::InvalidHeader(
                "`b64` must be listed in `crit` (RFC 7797)".into(),
            ));
        }
        Ok(h)
    }

    fn has_member(&self, name: &str) -> bool {
        match name {
            "b64" => self.b64.is_some(),
            other => self.extra.contains_key(other),
        }
    }

    /// Reject any `crit` name not in `understood`.
    pub(crate) fn check_crit(&self, understood: &[String]) -> Result<()> {
        if let Some(crit) = &self.crit {
            for name in crit {
                if !understood.iter().any(|u| u == name) {
                    return Err(Error::UnsupportedCritical(format!(
                        "`{}` is not understood",
                        truncate(name, 32)
                    )));
                }
            }
        }
        Ok(())
    }

    /// Whether the payload is base64url-encoded (true unless `b64: false`).
    pub fn payload_is_b64(&self) -> bool {
        self.b64 != Some(false)
    }
}

/// Compare `typ` values as RFC 7515 4.1.9 says: case-insensitively, with an optional
/// `application/` prefix ignored.
pub(crate) fn typ_matches(actual: &str, expected: &str) -> bool {
    fn strip(s: &str) -> &str {
        // compare bytes: slicing the str at 12 would panic inside a multi-byte character
        if s.len() > 12 && s.as_bytes()[..12].eq_ignore_ascii_case(b"application/") {
            &s[12..]
        } else {
            s
        }
    }
    strip(actual).eq_ignore_ascii_case(strip(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typ_comparison() {
        assert!(typ_matches("AT+JWT", "at+jwt"));
        assert!(typ_matches("application/at+jwt", "at+jwt"));
        assert!(!typ_matches("jwt", "at+jwt"));
        assert!(!typ_matches("xat+jwt", "at+jwt"));
    }

    #[test]
    fn header_rules() {
        let e = Header::from_json(br#"{"alg":"none"}"#, 8).unwrap_err();
        assert_eq!(e.code(), "unsupported_algorithm");
        let e = Header::from_json(br#"{"alg":"HS256","kid":1}"#, 8).unwrap_err();
        assert_eq!(e.code(), "invalid_header");
        let e = Header::from_json(br#"{"alg":"HS256","crit":["exp"]}"#, 8).unwrap_err();
        assert_eq!(e.code(), "unsupported_critical_header");
        let e = Header::from_json(br#"{"alg":"HS256","crit":["alg"]}"#, 8).unwrap_err();
        assert_eq!(e.code(), "unsupported_critical_header");
        let h = Header::from_json(br#"{"alg":"HS256","crit":["exp"],"exp":1}"#, 8).unwrap();
        assert_eq!(
            h.check_crit(&[]).unwrap_err().code(),
            "unsupported_critical_header"
        );
        assert!(h.check_crit(&["exp".into()]).is_ok());
        let e = Header::from_json(br#"{"alg":"HS256","b64":false}"#, 8).unwrap_err();
        assert_eq!(e.code(), "invalid_header");
    }
}
