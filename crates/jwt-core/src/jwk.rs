//! JSON Web Keys (RFC 7517, RFC 7518 section 6, RFC 8037) and key sets, and RFC 7638
//! thumbprints.
//!
//! A [`Jwk`] is data: the parsed JSON object, read strictly (duplicate members rejected,
//! size bounded). Turning it into something that signs or verifies goes through
//! [`crate::SigningKey::from_jwk`] / [`crate::VerifyingKey::from_jwk`], which bind it to
//! one algorithm and honour `alg`, `use` and `key_ops`.

use serde_json::{Map, Value};

use crate::alg::{Algorithm, KeyFamily};
use crate::error::{Error, Result, truncate};
use crate::json;

/// Largest JWK or JWK set document accepted, in bytes.
pub const MAX_JWKS_BYTES: usize = 512 * 1024;
/// Most keys accepted in one JWK set.
pub const MAX_JWKS_KEYS: usize = 256;

/// Members that hold private key material; never exported by public-key methods.
pub const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];

/// One JSON Web Key: a JSON object with at least `kty`.
#[derive(Clone, PartialEq)]
pub struct Jwk {
    params: Map<String, Value>,
}

impl std::fmt::Debug for Jwk {
    /// Private members are redacted.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.params {
            if PRIVATE_MEMBERS.contains(&k.as_str()) {
                m.entry(k, &"<redacted>");
            } else {
                m.entry(k, v);
            }
        }
        m.finish()
    }
}

impl Drop for Jwk {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for name in PRIVATE_MEMBERS {
            if let Some(Value::String(s)) = self.params.get_mut(*name) {
                s.zeroize();
            }
        }
    }
}

impl Jwk {
    /// Parse a JWK from JSON text.
    pub fn from_json(text: impl AsRef<[u8]>) -> Result<Self> {
        let text = text.as_ref();
        if text.len() > MAX_JWKS_BYTES {
            return Err(Error::TooLarge {
                what: "jwk",
                size: text.len(),
                limit: MAX_JWKS_BYTES,
            });
        }
        let map = json::parse_object(text, json::DEFAULT_MAX_DEPTH).map_err(|e| match e {
            Error::Malformed(m) => Error::invalid_key(format_args!("JWK: {m}")),
            other => other,
        })?;
        Self::from_map(map)
    }

    /// Build from an already-parsed JSON object.
    pub fn from_map(params: Map<String, Value>) -> Result<Self> {
        match params.get("kty") {
            Some(Value::String(_)) => {}
            Some(_) => return Err(Error::invalid_key("JWK `kty` must be a string")),
            None => return Err(Error::invalid_key("JWK has no `kty`")),
        }
        for name in ["alg", "kid", "use", "crv"] {
            if let Some(v) = params.get(name) {
                if !v.is_string() {
                    return Err(Error::invalid_key(format_args!(
                        "JWK `{name}` must be a string"
                    )));
                }
            }
        }
        if let Some(ops) = params.get("key_ops") {
            let ok = ops
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string));
            if !ok {
                return Err(Error::invalid_key(
                    "JWK `key_ops` must be an array of strings",
                ));
            }
        }
        Ok(Jwk { params })
    }

    /// The members as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.params
    }

    /// Serialize to compact JSON.
    pub fn to_json(&self) -> String {
        Value::Object(self.params.clone()).to_string()
    }

    /// `kty`.
    pub fn kty(&self) -> &str {
        self.str("kty").unwrap_or_default()
    }

    /// `alg`, if present.
    pub fn alg(&self) -> Option<&str> {
        self.str("alg")
    }

    /// `kid`, if present.
    pub fn kid(&self) -> Option<&str> {
        self.str("kid")
    }

    /// `use`, if present.
    pub fn key_use(&self) -> Option<&str> {
        self.str("use")
    }

    /// `crv`, if present.
    pub fn crv(&self) -> Option<&str> {
        self.str("crv")
    }

    /// True if the JWK carries private key material.
    pub fn is_private(&self) -> bool {
        PRIVATE_MEMBERS.iter().any(|m| self.params.contains_key(*m))
    }

    /// A string member.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    /// A base64url member, strictly decoded.
    pub(crate) fn bytes(&self, name: &str) -> Result<Vec<u8>> {
        let s = match self.params.get(name) {
            Some(Value::String(s)) => s,
            Some(_) => {
                return Err(Error::invalid_key(format_args!(
                    "JWK `{name}` must be a string"
                )));
            }
            None => return Err(Error::invalid_key(format_args!("JWK has no `{name}`"))),
        };
        json::b64_decode(s)
            .map_err(|_| Error::invalid_key(format_args!("JWK `{name}` is not base64url")))
    }

    pub(crate) fn opt_bytes(&self, name: &str) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
        if self.params.contains_key(name) {
            Ok(Some(zeroize::Zeroizing::new(self.bytes(name)?)))
        } else {
            Ok(None)
        }
    }

    /// Set or replace a member (e.g. `kid`).
    pub fn set(&mut self, name: &str, value: impl Into<Value>) {
        self.params.insert(name.to_owned(), value.into());
    }

    /// The same key with every private member removed.
    pub fn to_public(&self) -> Jwk {
        let mut params = self.params.clone();
        for m in PRIVATE_MEMBERS {
            params.remove(*m);
        }
        Jwk { params }
    }

    /// Check `use` and `key_ops` allow `op` (`"sign"` or `"verify"`).
    pub(crate) fn check_usage(&self, op: &str) -> Result<()> {
        if let Some(u) = self.key_use() {
            if u != "sig" {
                return Err(Error::KeyUsageNotAllowed(format!(
                    "JWK `use` is `{}`",
                    crate::error::truncate(u, 16)
                )));
            }
        }
        if let Some(Value::Array(ops)) = self.params.get("key_ops") {
            if !ops.iter().any(|o| o.as_str() == Some(op)) {
                return Err(Error::KeyUsageNotAllowed(format!(
                    "JWK `key_ops` does not include `{op}`"
                )));
            }
        }
        Ok(())
    }

    /// [`Jwk::default_algorithm_for`] this JWK's `kty` and `crv` (its `alg` is not read).
    pub fn default_algorithm(&self) -> Result<Algorithm> {
        Self::default_algorithm_for(self.kty(), self.crv())
    }

    /// The algorithm a JWK of key type `kty` (on curve `crv`) is taken for when neither
    /// it nor the caller names one: the first of [`Algorithm::ALL`] that it fits (`oct`
    /// HS256, `RSA` RS256, `EC` by its curve, `OKP` `Ed25519` EdDSA). The key constructors
    /// ask the caller instead where the key does not decide (`RSA`, `oct`); this is for a
    /// binding whose peer picks one (PyJWT's `PyJWK`). `invalid_key` for an `AKP` JWK
    /// (RFC 9964: `alg` is required), a missing or unknown curve, an unknown key type.
    ///
    /// ```
    /// use jwt_core::{Algorithm, Jwk};
    /// assert_eq!(Jwk::default_algorithm_for("RSA", None)?, Algorithm::RS256);
    /// assert_eq!(Jwk::default_algorithm_for("EC", Some("P-384"))?, Algorithm::ES384);
    /// assert_eq!(Jwk::default_algorithm_for("OKP", Some("Ed448")).unwrap_err().code(), "invalid_key");
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn default_algorithm_for(kty: &str, crv: Option<&str>) -> Result<Algorithm> {
        let fits = |a: &Algorithm| match a.family() {
            KeyFamily::Ec(c) => crv == Some(c.jwk_name()),
            KeyFamily::Ed25519 => crv == Some("Ed25519"),
            KeyFamily::MlDsa(_) => false,
            KeyFamily::Hmac | KeyFamily::Rsa => true,
        };
        let of_kty = |a: &Algorithm| a.jwk_kty() == kty;
        if !Algorithm::ALL.iter().any(of_kty) {
            return Err(Error::invalid_key(format_args!(
                "unsupported `kty` `{}`",
                truncate(kty, 16)
            )));
        }
        if let Some(a) = Algorithm::ALL.into_iter().filter(of_kty).find(fits) {
            return Ok(a);
        }
        Err(Error::invalid_key(match (kty, crv) {
            ("AKP", _) => "an AKP JWK must have `alg` (RFC 9964)".to_owned(),
            (_, None) => format!("the `{kty}` JWK has no `crv`"),
            (_, Some(c)) => format!("unsupported `crv` `{}` for a `{kty}` JWK", truncate(c, 16)),
        }))
    }

    /// RFC 7638 thumbprint (SHA-256), base64url-encoded.
    pub fn thumbprint(&self) -> Result<String> {
        let members: &[&str] = match self.kty() {
            "RSA" => &["e", "kty", "n"],
            "EC" => &["crv", "kty", "x", "y"],
            "OKP" => &["crv", "kty", "x"],
            "oct" => &["k", "kty"],
            // RFC 9964 6: the AKP members, `alg` included (it names the parameter set).
            "AKP" => &["alg", "kty", "pub"],
            other => {
                return Err(Error::invalid_key(format_args!(
                    "no thumbprint for kty `{}`",
                    crate::error::truncate(other, 16)
                )));
            }
        };
        // Members in lexicographic order, no whitespace: build the JSON by hand so the
        // order does not depend on serde_json's map implementation.
        let mut s = String::from("{");
        for (i, m) in members.iter().enumerate() {
            let v = self
                .str(m)
                .ok_or_else(|| Error::invalid_key(format_args!("JWK has no `{m}`")))?;
            if i > 0 {
                s.push(',');
            }
            s.push_str(&Value::String((*m).to_owned()).to_string());
            s.push(':');
            s.push_str(&Value::String(v.to_owned()).to_string());
        }
        s.push('}');
        let digest = crate::backend::digest::digest(&crate::backend::digest::SHA256, s.as_bytes());
        Ok(json::b64_encode(digest.as_ref()))
    }
}

/// A JWK set (`{"keys": [...]}`) as data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JwkSet {
    /// The keys, in document order.
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    /// Parse a JWK set. Members of `keys` that are not objects or lack `kty` are errors;
    /// keys of unknown `kty` are kept as data (and skipped when building a key set).
    pub fn from_json(text: impl AsRef<[u8]>) -> Result<Self> {
        let members = Self::members(text.as_ref())?;
        let keys = members
            .into_iter()
            .map(|k| match k {
                Value::Object(m) => Jwk::from_map(m),
                _ => Err(Error::invalid_key("JWK set member is not an object")),
            })
            .collect::<Result<_>>()?;
        Ok(JwkSet { keys })
    }

    /// Parse a JWK set as PyJWT reads one: a member that is not an object or not a JWK
    /// (no `kty`, a member of the wrong type) is skipped instead of failing the set. The
    /// document is read as strictly as by [`JwkSet::from_json`] (size, number of members,
    /// strict JSON). Returns the set and, for each of its keys, the index of the member
    /// of `keys` it came from.
    ///
    /// ```
    /// use jwt_core::JwkSet;
    /// let (set, from) = JwkSet::from_json_skipping_invalid(r#"{"keys": [1, {"kid": "x"}, {"kty": "oct", "k": "AA"}]}"#)?;
    /// assert_eq!((set.keys.len(), from), (1, vec![2]));
    /// assert!(JwkSet::from_json(r#"{"keys": [1]}"#).is_err());
    /// # Ok::<(), jwt_core::Error>(())
    /// ```
    pub fn from_json_skipping_invalid(text: impl AsRef<[u8]>) -> Result<(Self, Vec<usize>)> {
        let mut keys = Vec::new();
        let mut from = Vec::new();
        for (i, member) in Self::members(text.as_ref())?.into_iter().enumerate() {
            if let Value::Object(m) = member
                && let Ok(jwk) = Jwk::from_map(m)
            {
                keys.push(jwk);
                from.push(i);
            }
        }
        Ok((JwkSet { keys }, from))
    }

    /// The members of a JWK set document's `keys`, with the document's limits checked.
    fn members(text: &[u8]) -> Result<Vec<Value>> {
        if text.len() > MAX_JWKS_BYTES {
            return Err(Error::TooLarge {
                what: "jwks",
                size: text.len(),
                limit: MAX_JWKS_BYTES,
            });
        }
        let mut map = json::parse_object(text, json::DEFAULT_MAX_DEPTH).map_err(|e| match e {
            Error::Malformed(m) => Error::invalid_key(format_args!("JWK set: {m}")),
            other => other,
        })?;
        let keys = match map.remove("keys") {
            Some(Value::Array(a)) => a,
            _ => return Err(Error::invalid_key("JWK set has no `keys` array")),
        };
        if keys.len() > MAX_JWKS_KEYS {
            return Err(Error::TooLarge {
                what: "jwks keys",
                size: keys.len(),
                limit: MAX_JWKS_KEYS,
            });
        }
        Ok(keys)
    }

    /// Serialize to `{"keys":[...]}`.
    pub fn to_json(&self) -> String {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|k| Value::Object(k.params.clone()))
            .collect();
        serde_json::json!({ "keys": keys }).to_string()
    }

    /// Keys with the given `kid`.
    pub fn find(&self, kid: &str) -> impl Iterator<Item = &Jwk> {
        self.keys.iter().filter(move |k| k.kid() == Some(kid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_example_thumbprint() {
        // RFC 7638 section 3.1
        let jwk = Jwk::from_json(r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#).unwrap();
        assert_eq!(
            jwk.thumbprint().unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn debug_redacts_private_members() {
        let jwk = Jwk::from_json(r#"{"kty":"oct","k":"c2VjcmV0c2VjcmV0"}"#).unwrap();
        let dbg = format!("{jwk:?}");
        assert!(!dbg.contains("c2VjcmV0"), "{dbg}");
        assert!(dbg.contains("redacted"));
    }

    #[test]
    fn usage_rules() {
        let jwk = Jwk::from_json(r#"{"kty":"oct","k":"AA","use":"enc"}"#).unwrap();
        assert_eq!(
            jwk.check_usage("verify").unwrap_err().code(),
            "key_usage_not_allowed"
        );
        let jwk = Jwk::from_json(r#"{"kty":"oct","k":"AA","key_ops":["sign"]}"#).unwrap();
        assert!(jwk.check_usage("sign").is_ok());
        assert_eq!(
            jwk.check_usage("verify").unwrap_err().code(),
            "key_usage_not_allowed"
        );
    }

    #[test]
    fn default_algorithm_by_key_type_and_curve() {
        let cases: &[(&str, Option<&str>, Option<Algorithm>)] = &[
            ("oct", None, Some(Algorithm::HS256)),
            ("RSA", None, Some(Algorithm::RS256)),
            ("RSA", Some("P-256"), Some(Algorithm::RS256)),
            ("EC", Some("P-256"), Some(Algorithm::ES256)),
            ("EC", Some("P-384"), Some(Algorithm::ES384)),
            ("EC", Some("P-521"), Some(Algorithm::ES512)),
            ("EC", Some("secp256k1"), Some(Algorithm::ES256K)),
            ("OKP", Some("Ed25519"), Some(Algorithm::EdDSA)),
            ("EC", None, None),
            ("EC", Some("P-192"), None),
            ("EC", Some("Ed25519"), None),
            ("OKP", None, None),
            ("OKP", Some("Ed448"), None),
            ("OKP", Some("X25519"), None),
            ("AKP", None, None),
            ("foo", None, None),
            ("", None, None),
        ];
        for &(kty, crv, want) in cases {
            let got = Jwk::default_algorithm_for(kty, crv);
            match want {
                Some(a) => assert_eq!(got.unwrap(), a, "{kty} {crv:?}"),
                None => assert_eq!(got.unwrap_err().code(), "invalid_key", "{kty} {crv:?}"),
            }
        }
        let jwk = Jwk::from_json(r#"{"kty":"EC","crv":"P-521","alg":"ES256"}"#).unwrap();
        assert_eq!(jwk.default_algorithm().unwrap(), Algorithm::ES512);
    }

    #[test]
    fn jwks_shape_errors() {
        assert_eq!(JwkSet::from_json("{}").unwrap_err().code(), "invalid_key");
        assert_eq!(
            JwkSet::from_json(r#"{"keys":[1]}"#).unwrap_err().code(),
            "invalid_key"
        );
        assert_eq!(
            JwkSet::from_json(r#"{"keys":[{"kty":"oct","kty":"oct"}]}"#)
                .unwrap_err()
                .code(),
            "duplicate_member"
        );
    }
}
