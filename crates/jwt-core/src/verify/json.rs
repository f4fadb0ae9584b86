//! The JWS JSON serializations (flattened and general, RFC 7515 7.2) on [`Verifier`].

use serde_json::{Map, Value};

use super::{VerifiedJws, Verifier};
use crate::error::{Error, Result, truncate};
use crate::header::{Header, PROTECTED_ONLY};
use crate::json;

impl Verifier {
    /// Verify a JWS in the JSON serialization (flattened or general, RFC 7515 7.2). For
    /// the general form the first signature that verifies with an allowed key wins.
    /// Header members may not appear both protected and unprotected; `typ`, `cty`,
    /// `crit` and `b64` are honoured only from the protected header (unprotected, they are
    /// `invalid_header`).
    pub fn verify_json(&self, doc: &str) -> Result<VerifiedJws> {
        self.verify_json_inner(doc, None)
    }

    /// [`Verifier::verify_json`] with a detached payload.
    pub fn verify_json_detached(&self, doc: &str, payload: &[u8]) -> Result<VerifiedJws> {
        self.verify_json_inner(doc, Some(payload))
    }

    fn verify_json_inner(&self, doc: &str, detached: Option<&[u8]>) -> Result<VerifiedJws> {
        let limits = &self.validation.limits;
        let mut m = json::parse_document(doc, limits.max_token_bytes, limits.max_json_depth)?;
        let payload_field = match (m.remove("payload"), detached) {
            (Some(Value::String(p)), None) => Some(p),
            (None, Some(_)) => None,
            (Some(_), Some(_)) => {
                return Err(Error::malformed("payload is both detached and present"));
            }
            _ => return Err(Error::malformed("`payload` must be a string")),
        };
        let sigs: Vec<Map<String, Value>> = match m.remove("signatures") {
            Some(Value::Array(a)) => {
                if m.contains_key("signature")
                    || m.contains_key("protected")
                    || m.contains_key("header")
                {
                    return Err(Error::malformed(
                        "general JWS JSON must not carry flattened members",
                    ));
                }
                if a.is_empty() {
                    return Err(Error::malformed("`signatures` is empty"));
                }
                a.into_iter()
                    .map(|s| match s {
                        Value::Object(o) => Ok(o),
                        _ => Err(Error::malformed("signature entries must be objects")),
                    })
                    .collect::<Result<_>>()?
            }
            Some(_) => return Err(Error::malformed("`signatures` must be an array")),
            None => vec![m],
        };
        let mut last_err = Error::InvalidSignature;
        for s in sigs.into_iter().take(limits.max_key_candidates.max(1)) {
            match self.verify_json_signature(s, payload_field.as_deref(), detached) {
                Ok(v) => return Ok(v),
                Err(e) => last_err = e,
            }
        }
        Err(last_err)
    }

    fn verify_json_signature(
        &self,
        mut s: Map<String, Value>,
        payload_field: Option<&str>,
        detached: Option<&[u8]>,
    ) -> Result<VerifiedJws> {
        let protected_b64 = json::take_str(&mut s, "protected")?.unwrap_or_default();
        let sig_b64 = json::take_str(&mut s, "signature")?
            .ok_or_else(|| Error::malformed("`signature` must be a string"))?;
        let mut joint = if protected_b64.is_empty() {
            Map::new()
        } else {
            let raw = json::b64_decode(&protected_b64)?;
            if raw.len() > self.validation.limits.max_header_bytes {
                return Err(Error::TooLarge {
                    what: "header",
                    size: raw.len(),
                    limit: self.validation.limits.max_header_bytes,
                });
            }
            json::parse_object(&raw, self.validation.limits.max_json_depth)?
        };
        if let Some(u) = json::take_object(&mut s, "header")? {
            for (k, v) in u {
                if PROTECTED_ONLY.contains(&k.as_str()) {
                    return Err(Error::InvalidHeader(format!(
                        "`{k}` must be integrity protected"
                    )));
                }
                if joint.insert(k.clone(), v).is_some() {
                    return Err(Error::InvalidHeader(format!(
                        "`{}` is both protected and unprotected",
                        truncate(&k, 32)
                    )));
                }
            }
        }
        let header = Header::from_map(joint)?;
        self.check_header(&header)?;
        let sig = json::b64_decode(&sig_b64)?;
        let (input, payload) = match (payload_field, detached) {
            (Some(p), _) => {
                let payload = if header.payload_is_b64() {
                    json::b64_decode(p)?
                } else {
                    p.as_bytes().to_vec()
                };
                (format!("{protected_b64}.{p}").into_bytes(), payload)
            }
            (None, Some(p)) => {
                let mut input = format!("{protected_b64}.").into_bytes();
                if header.payload_is_b64() {
                    input.extend_from_slice(json::b64_encode(p).as_bytes());
                } else {
                    input.extend_from_slice(p);
                }
                (input, p.to_vec())
            }
            (None, None) => return Err(Error::malformed("no payload")),
        };
        self.check_signature(&header, &input, &sig)?;
        Ok(VerifiedJws { header, payload })
    }
}
