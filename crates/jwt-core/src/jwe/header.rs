//! The JWE header (RFC 7516 section 4) and its strict parsing.

use serde_json::{Map, Value};

use super::alg::{ContentEncryption, KeyAlgorithm};
use crate::error::{Error, Result, truncate};

/// Header members registered by RFC 7515/7516/7518 that `crit` must not list.
const REGISTERED: &[&str] = &[
    "alg", "enc", "zip", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty",
    "crit", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// A JWE header: the joint header (protected, shared unprotected and per-recipient
/// members together) when reading, the template when writing.
///
/// `jku`, `x5u`, `jwk`, `x5c` are kept as data in [`JweHeader::extra`] and never followed.
/// The key management parameters (`epk`, `apu`, `apv`, `iv`, `tag`, `p2s`, `p2c`) are
/// also in `extra` after decryption; when encrypting they are produced by the algorithm.
#[derive(Clone, Debug, PartialEq)]
pub struct JweHeader {
    /// The key management algorithm.
    pub alg: KeyAlgorithm,
    /// The content encryption algorithm.
    pub enc: ContentEncryption,
    /// `zip: DEF`: the plaintext is DEFLATE-compressed before encryption. Decompression
    /// is capped ([`super::JweLimits::max_plaintext_bytes`]).
    pub zip: bool,
    /// `kid`: selects among the recipient's keys.
    pub kid: Option<String>,
    /// `typ`.
    pub typ: Option<String>,
    /// `cty`; `JWT` for a nested (signed, then encrypted) token.
    pub cty: Option<String>,
    /// `crit`: extensions the recipient must understand.
    pub crit: Option<Vec<String>>,
    /// Every other member.
    pub extra: Map<String, Value>,
}

impl JweHeader {
    /// A header with `alg` and `enc`.
    pub fn new(alg: KeyAlgorithm, enc: ContentEncryption) -> Self {
        JweHeader {
            alg,
            enc,
            zip: false,
            kid: None,
            typ: None,
            cty: None,
            crit: None,
            extra: Map::new(),
        }
    }

    /// The header as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("alg".into(), self.alg.as_str().into());
        m.insert("enc".into(), self.enc.as_str().into());
        if self.zip {
            m.insert("zip".into(), "DEF".into());
        }
        for (name, v) in [("kid", &self.kid), ("typ", &self.typ), ("cty", &self.cty)] {
            if let Some(v) = v {
                m.insert(name.into(), v.clone().into());
            }
        }
        if let Some(c) = &self.crit {
            m.insert("crit".into(), c.clone().into());
        }
        for (k, v) in &self.extra {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        m
    }

    /// Type-check a joint header given as a JSON object.
    pub fn from_map(mut m: Map<String, Value>) -> Result<Self> {
        let alg = match m.remove("alg") {
            Some(Value::String(s)) => s.parse::<KeyAlgorithm>()?,
            Some(_) => return Err(Error::InvalidHeader("`alg` must be a string".into())),
            None => return Err(Error::InvalidHeader("`alg` is missing".into())),
        };
        let enc = match m.remove("enc") {
            Some(Value::String(s)) => s.parse::<ContentEncryption>()?,
            Some(_) => return Err(Error::InvalidHeader("`enc` must be a string".into())),
            None => return Err(Error::InvalidHeader("`enc` is missing".into())),
        };
        let zip = match m.remove("zip") {
            None => false,
            Some(Value::String(s)) if s == "DEF" => true,
            Some(Value::String(s)) => {
                return Err(Error::UnsupportedEncryption(format!(
                    "zip `{}`",
                    truncate(&s, 16)
                )));
            }
            Some(_) => return Err(Error::InvalidHeader("`zip` must be a string".into())),
        };
        let mut string = |name: &str| -> Result<Option<String>> {
            match m.remove(name) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(_) => Err(Error::InvalidHeader(format!("`{name}` must be a string"))),
            }
        };
        let kid = string("kid")?;
        let typ = string("typ")?;
        let cty = string("cty")?;
        let crit = match m.remove("crit") {
            None => None,
            Some(Value::Array(a)) if !a.is_empty() => {
                let mut names: Vec<String> = Vec::with_capacity(a.len());
                for v in a {
                    let Value::String(s) = v else {
                        return Err(Error::UnsupportedCritical(
                            "`crit` must be an array of names".into(),
                        ));
                    };
                    if s.is_empty() || names.contains(&s) {
                        return Err(Error::UnsupportedCritical(
                            "`crit` has an empty or repeated name".into(),
                        ));
                    }
                    if REGISTERED.contains(&s.as_str()) {
                        return Err(Error::UnsupportedCritical(format!(
                            "`crit` must not list the registered name `{}`",
                            truncate(&s, 32)
                        )));
                    }
                    if !m.contains_key(&s) {
                        return Err(Error::UnsupportedCritical(format!(
                            "`crit` lists `{}` but the header lacks it",
                            truncate(&s, 32)
                        )));
                    }
                    names.push(s);
                }
                Some(names)
            }
            Some(_) => {
                return Err(Error::UnsupportedCritical(
                    "`crit` must be a non-empty array".into(),
                ));
            }
        };
        Ok(JweHeader {
            alg,
            enc,
            zip,
            kid,
            typ,
            cty,
            crit,
            extra: m,
        })
    }

    /// Reject any `crit` name not in `understood`.
    pub(crate) fn check_crit(&self, understood: &[String]) -> Result<()> {
        for name in self.crit.iter().flatten() {
            if !understood.iter().any(|u| u == name) {
                return Err(Error::UnsupportedCritical(format!(
                    "`{}` is not understood",
                    truncate(name, 32)
                )));
            }
        }
        Ok(())
    }

    /// A base64url-encoded binary member of `extra` (`apu`, `iv`, `p2s`, ...).
    pub(crate) fn b64_param(&self, name: &str) -> Result<Option<Vec<u8>>> {
        match self.extra.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => crate::json::b64_decode(s)
                .map(Some)
                .map_err(|_| Error::InvalidHeader(format!("`{name}` is not base64url"))),
            Some(_) => Err(Error::InvalidHeader(format!("`{name}` must be a string"))),
        }
    }
}
