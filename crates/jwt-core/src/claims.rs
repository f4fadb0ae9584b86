//! Registered claims (RFC 7519 section 4.1), their types, and helpers to build claims.
//!
//! A registered claim with the wrong type is an error, never "absent": a string `exp` is
//! [`Error::InvalidClaim`], not a token without expiry.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::json::{self, Key, SeenKeys, StrictSkip, StrictValue};

/// Latest accepted NumericDate: 9999-12-31T23:59:59Z. Larger values are absurd.
pub const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `aud`: one string or an array of strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// A single audience.
    One(String),
    /// Several audiences.
    Many(Vec<String>),
}

impl Audience {
    /// Iterate over the audiences.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let s: &[String] = match self {
            Audience::One(s) => std::slice::from_ref(s),
            Audience::Many(v) => v,
        };
        s.iter().map(String::as_str)
    }

    /// Exact membership test (no prefix or substring matching).
    pub fn contains(&self, aud: &str) -> bool {
        self.iter().any(|a| a == aud)
    }
}

/// The registered claims, typed. Times are whole seconds since the epoch (`exp` rounded
/// down, `nbf` and `iat` rounded up when the token carries fractions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredClaims {
    /// Issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Audience.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    /// Expiration time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Not before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issued at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// JWT id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

impl RegisteredClaims {
    /// The registered claims of a claims set (JSON text), type-checked by the rules every
    /// verifier applies: `exp`, `nbf`, `iat` JSON numbers from 0 to
    /// [`MAX_NUMERIC_DATE`]; `iss`, `sub`, `jti` strings; `aud` a string or an array of
    /// strings. The whole text is read as strictly as a token's payload (one object, no
    /// member twice at any depth, nesting bounded).
    ///
    /// For a binding that reads a payload its own way and must still give the core's
    /// answer on claim types. Errors: [`Error::Malformed`] and
    /// [`Error::DuplicateMember`] for the text, else [`Error::InvalidClaim`] naming the
    /// first claim of the wrong type, in the order `iat`, `nbf`, `exp`, `iss`, `aud`,
    /// `sub`, `jti` (the order PyJWT checks them in). No value is checked against a
    /// clock or a verifier's expectations.
    ///
    /// ```
    /// use jwt_core::{Error, RegisteredClaims};
    /// let c = RegisteredClaims::from_json(br#"{"exp": 1700000000.5, "sub": "u1", "x": [1]}"#)?;
    /// assert_eq!((c.exp, c.sub.as_deref()), (Some(1700000000), Some("u1")));
    ///
    /// let e = RegisteredClaims::from_json(br#"{"iss": 5, "exp": "soon"}"#).unwrap_err();
    /// assert!(matches!(e, Error::InvalidClaim { ref claim, .. } if claim == "exp"));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_json(payload: impl AsRef<[u8]>) -> Result<RegisteredClaims> {
        scan_payload(payload.as_ref(), json::DEFAULT_MAX_DEPTH)?.into_typed()
    }
}

/// Claims to sign: the registered ones plus the caller's own, flattened into one object.
///
/// ```
/// # use jwt_core::Claims;
/// # use std::time::Duration;
/// #[derive(serde::Serialize)]
/// struct Custom { role: &'static str }
/// let claims = Claims::new(Custom { role: "admin" })
///     .subject("user-1")
///     .expires_in(Duration::from_secs(900))
///     .issued_now()
///     .random_jwt_id();
/// assert!(claims.registered.exp.is_some());
/// ```
#[derive(Clone, Debug)]
pub struct Claims<T> {
    /// Registered claims.
    pub registered: RegisteredClaims,
    /// The caller's claims.
    pub custom: T,
}

/// One JSON object: the registered claims, then the caller's. A claim set both ways
/// (e.g. `exp` through the builder and in the custom map) is an error: with
/// `#[serde(flatten)]` it came out twice, and parsers disagree on which one counts.
impl<T: Serialize> Serialize for Claims<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap as _};
        let custom = match serde_json::to_value(&self.custom).map_err(S::Error::custom)? {
            Value::Object(m) => m,
            Value::Null => serde_json::Map::new(),
            _ => {
                return Err(S::Error::custom(
                    "custom claims must serialize to a JSON object",
                ));
            }
        };
        let registered = match serde_json::to_value(&self.registered).map_err(S::Error::custom)? {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        let mut map = s.serialize_map(Some(registered.len() + custom.len()))?;
        for (k, v) in &registered {
            if custom.contains_key(k) {
                return Err(S::Error::custom(format_args!(
                    "claim `{k}` is set both as a registered and as a custom claim"
                )));
            }
            map.serialize_entry(k, v)?;
        }
        for (k, v) in &custom {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Claims<serde_json::Map<String, Value>> {
    /// Registered claims only.
    pub fn empty() -> Self {
        Claims::new(serde_json::Map::new())
    }
}

impl<T> Claims<T> {
    /// Wrap custom claims.
    pub fn new(custom: T) -> Self {
        Claims {
            registered: RegisteredClaims::default(),
            custom,
        }
    }
    /// Set `iss`.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.registered.iss = Some(iss.into());
        self
    }
    /// Set `sub`.
    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.registered.sub = Some(sub.into());
        self
    }
    /// Set `aud` to one audience.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.registered.aud = Some(Audience::One(aud.into()));
        self
    }
    /// Set `aud` to several audiences.
    pub fn audiences<I: IntoIterator<Item = S>, S: Into<String>>(mut self, auds: I) -> Self {
        self.registered.aud = Some(Audience::Many(auds.into_iter().map(Into::into).collect()));
        self
    }
    /// Set `exp` to now plus `lifetime`.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        // saturate (a u64 cast to i64 would wrap into the past) and stay a valid NumericDate
        let secs = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        self.registered.exp = Some(now().saturating_add(secs).min(MAX_NUMERIC_DATE));
        self
    }
    /// Set `exp` to an absolute time.
    pub fn expires_at(mut self, exp: i64) -> Self {
        self.registered.exp = Some(exp);
        self
    }
    /// Set `nbf`.
    pub fn not_before(mut self, nbf: i64) -> Self {
        self.registered.nbf = Some(nbf);
        self
    }
    /// Set `iat` to now.
    pub fn issued_now(mut self) -> Self {
        self.registered.iat = Some(now());
        self
    }
    /// Set `iat`.
    pub fn issued_at(mut self, iat: i64) -> Self {
        self.registered.iat = Some(iat);
        self
    }
    /// Set `jti`.
    pub fn jwt_id(mut self, jti: impl Into<String>) -> Self {
        self.registered.jti = Some(jti.into());
        self
    }
    /// Set `jti` to 128 random bits, base64url.
    pub fn random_jwt_id(mut self) -> Self {
        self.registered.jti = Some(random_id());
        self
    }
}

/// 128 random bits, base64url-encoded (22 characters).
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    let rng = crate::backend::rand::SystemRandom::new();
    // The OS generator failing is not recoverable; retry rather than emit a weak id.
    while crate::backend::rand::SecureRandom::fill(&rng, &mut b).is_err() {}
    json::b64_encode(b)
}

/// The raw values of the registered claims found in a payload, before type checks.
#[derive(Debug, Default)]
pub(crate) struct RawRegistered {
    pub(crate) iss: Option<Value>,
    pub(crate) sub: Option<Value>,
    pub(crate) aud: Option<Value>,
    pub(crate) exp: Option<Value>,
    pub(crate) nbf: Option<Value>,
    pub(crate) iat: Option<Value>,
    pub(crate) jti: Option<Value>,
}

/// Walk a payload once: reject duplicates and excessive depth everywhere, collect the
/// registered claims, and check that it is an object.
pub(crate) fn scan_payload(bytes: &[u8], max_depth: usize) -> Result<RawRegistered> {
    struct Top {
        depth: usize,
    }
    impl<'de> Visitor<'de> for Top {
        type Value = RawRegistered;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRegistered, A::Error> {
            let mut raw = RawRegistered::default();
            let mut seen = SeenKeys::new();
            let inner = self.depth.saturating_sub(1);
            while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                let slot = match k.as_ref() {
                    "iss" => Some(&mut raw.iss),
                    "sub" => Some(&mut raw.sub),
                    "aud" => Some(&mut raw.aud),
                    "exp" => Some(&mut raw.exp),
                    "nbf" => Some(&mut raw.nbf),
                    "iat" => Some(&mut raw.iat),
                    "jti" => Some(&mut raw.jti),
                    _ => None,
                };
                match slot {
                    Some(slot) => {
                        *slot = Some(map.next_value_seed(StrictValue { remaining: inner })?)
                    }
                    None => map.next_value_seed(StrictSkip { remaining: inner })?,
                }
                seen.insert::<A::Error>(Cow::clone(&k))?;
            }
            Ok(raw)
        }
    }
    struct Seed(usize);
    impl<'de> DeserializeSeed<'de> for Seed {
        type Value = RawRegistered;
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawRegistered, D::Error> {
            d.deserialize_map(Top { depth: self.0 })
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let raw = Seed(max_depth)
        .deserialize(&mut de)
        .map_err(|e| match json::map_json_err(e) {
            Error::Malformed(m) if m.contains("invalid type") => {
                Error::malformed("the payload is not a JSON object")
            }
            other => other,
        })?;
    de.end().map_err(json::map_json_err)?;
    Ok(raw)
}

fn numeric_date(name: &str, v: Value, round_up: bool) -> Result<i64> {
    let f = match &v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| Error::invalid_claim(name, "not a number"))?,
        _ => {
            return Err(Error::invalid_claim(
                name,
                "must be a NumericDate (a JSON number)",
            ));
        }
    };
    if !f.is_finite() || f < 0.0 || f > MAX_NUMERIC_DATE as f64 {
        return Err(Error::invalid_claim(name, "out of range"));
    }
    Ok(if round_up {
        f.ceil() as i64
    } else {
        f.floor() as i64
    })
}

fn string_claim(name: &str, v: Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(Error::invalid_claim(name, "must be a string")),
    }
}

impl RawRegistered {
    /// Type-check the registered claims.
    pub(crate) fn into_typed(self) -> Result<RegisteredClaims> {
        // One order for the first error named, whoever asks: the time claims, then the
        // strings (RegisteredClaims::from_json documents it).
        let iat = self.iat.map(|v| numeric_date("iat", v, true)).transpose()?;
        let nbf = self.nbf.map(|v| numeric_date("nbf", v, true)).transpose()?;
        let exp = self
            .exp
            .map(|v| numeric_date("exp", v, false))
            .transpose()?;
        let iss = self.iss.map(|v| string_claim("iss", v)).transpose()?;
        let aud = self
            .aud
            .map(|v| match v {
                Value::String(s) => Ok(Audience::One(s)),
                Value::Array(a) => a
                    .into_iter()
                    .map(|x| match x {
                        Value::String(s) => Ok(s),
                        _ => Err(Error::invalid_claim("aud", "array members must be strings")),
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Audience::Many),
                _ => Err(Error::invalid_claim(
                    "aud",
                    "must be a string or an array of strings",
                )),
            })
            .transpose()?;
        let sub = self.sub.map(|v| string_claim("sub", v)).transpose()?;
        let jti = self.jti.map(|v| string_claim("jti", v)).transpose()?;
        Ok(RegisteredClaims {
            iss,
            sub,
            aud,
            exp,
            nbf,
            iat,
            jti,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_types_enforced() {
        let raw = scan_payload(br#"{"exp":"1700000000"}"#, 8).unwrap();
        assert_eq!(raw.into_typed().unwrap_err().code(), "invalid_claim");
        let raw = scan_payload(br#"{"aud":["a",1]}"#, 8).unwrap();
        assert_eq!(raw.into_typed().unwrap_err().code(), "invalid_claim");
        let raw = scan_payload(br#"{"iss":5}"#, 8).unwrap();
        assert_eq!(raw.into_typed().unwrap_err().code(), "invalid_claim");
        let raw = scan_payload(br#"{"exp":1e300}"#, 8).unwrap();
        assert_eq!(raw.into_typed().unwrap_err().code(), "invalid_claim");
        let raw = scan_payload(br#"{"exp":-5}"#, 8).unwrap();
        assert_eq!(raw.into_typed().unwrap_err().code(), "invalid_claim");
    }

    #[test]
    fn fractional_times_round_safely() {
        let raw = scan_payload(br#"{"exp":100.9,"nbf":50.1,"iat":50.1}"#, 8).unwrap();
        let c = raw.into_typed().unwrap();
        assert_eq!((c.exp, c.nbf, c.iat), (Some(100), Some(51), Some(51)));
    }

    #[test]
    fn payload_shape() {
        assert_eq!(
            scan_payload(b"[1]", 8).unwrap_err().code(),
            "malformed_token"
        );
        assert_eq!(
            scan_payload(br#"{"a":1,"a":1}"#, 8).unwrap_err().code(),
            "duplicate_member"
        );
        assert_eq!(
            scan_payload(br#"{"exp":1,"exp":2}"#, 8).unwrap_err().code(),
            "duplicate_member"
        );
        assert_eq!(
            scan_payload(br#"{"x":{"y":1,"y":2}}"#, 8)
                .unwrap_err()
                .code(),
            "duplicate_member"
        );
    }

    #[test]
    fn claims_serialize_flat() {
        let c = Claims::new(serde_json::json!({"role":"x"}))
            .subject("s")
            .expires_at(10);
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v, serde_json::json!({"sub":"s","exp":10,"role":"x"}));
    }
}
