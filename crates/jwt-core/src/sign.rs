//! Signing: the reusable [`Signer`] for JWTs and free functions for the other JWS forms
//! (arbitrary payloads, detached payloads, `b64: false`, the JSON serializations).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::header::{Header, PROTECTED_ONLY};
use crate::json;
use crate::key::SigningKey;

/// A key plus a header template, built once: signing a JWT then costs one claims
/// serialization, one base64 pass and the signature.
///
/// The header gets `alg` from the key (always), `typ: JWT` unless the template sets
/// another, and the key's `kid` unless the template sets one.
#[derive(Clone, Debug)]
pub struct Signer {
    key: SigningKey,
    header: Header,
    /// `base64url(header) + "."`, computed once.
    prefix: String,
}

impl Signer {
    /// A signer with the default header (`alg`, `typ: JWT`, and the key's `kid`).
    pub fn new(key: SigningKey) -> Result<Self> {
        let header = Header::new(key.algorithm());
        Self::with_header(key, header)
    }

    /// A signer with a header template (`typ`, `cty`, custom members). The template's
    /// `alg` must be the key's algorithm.
    pub fn with_header(key: SigningKey, mut header: Header) -> Result<Self> {
        if !key.algorithm().same_signature(header.alg) {
            return Err(Error::KeyAlgorithmMismatch(format!(
                "the header says {} but the key is for {}",
                header.alg,
                key.algorithm()
            )));
        }
        if header.b64 == Some(false) {
            return Err(Error::InvalidArgument(
                "JWT payloads are always base64url-encoded; use jws::sign for b64=false".into(),
            ));
        }
        if header.typ.is_none() {
            header.typ = Some("JWT".into());
        }
        if header.kid.is_none() {
            header.kid = key.kid().map(str::to_owned);
        }
        let mut prefix = json::b64_encode(header.to_json());
        prefix.push('.');
        Ok(Signer {
            key,
            header,
            prefix,
        })
    }

    /// The header every token gets.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The key.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// Sign claims: any `Serialize` value that serializes to a JSON object (a struct,
    /// a map, [`crate::Claims`]).
    pub fn sign<T: Serialize + ?Sized>(&self, claims: &T) -> Result<String> {
        let mut payload = Vec::with_capacity(256);
        serde_json::to_writer(&mut payload, claims)
            .map_err(|e| Error::Serialization(e.to_string()))?;
        if payload.first() != Some(&b'{') {
            return Err(Error::InvalidArgument(
                "claims must serialize to a JSON object".into(),
            ));
        }
        // Room for the base64url signature too (RSA up to 4096 bits), so `out` grows once.
        let sig_room = match self.key.algorithm().family() {
            crate::alg::KeyFamily::Rsa => 700,
            crate::alg::KeyFamily::MlDsa(l) => l.signature_len() * 4 / 3 + 4,
            _ => 180,
        };
        let mut out =
            String::with_capacity(self.prefix.len() + payload.len() * 4 / 3 + 4 + sig_room);
        out.push_str(&self.prefix);
        json::b64_encode_into(&payload, &mut out);
        // Appends `.` and the signature over everything before it.
        self.key.sign_b64_into(&mut out)?;
        Ok(out)
    }
}

fn prepare_header(key: &SigningKey, header: &Header) -> Result<Header> {
    if !key.algorithm().same_signature(header.alg) {
        return Err(Error::KeyAlgorithmMismatch(format!(
            "the header says {} but the key is for {}",
            header.alg,
            key.algorithm()
        )));
    }
    let mut h = header.clone();
    if h.kid.is_none() {
        h.kid = key.kid().map(str::to_owned);
    }
    if h.b64 == Some(false) {
        let crit = h.crit.get_or_insert_with(Vec::new);
        if !crit.iter().any(|c| c == "b64") {
            crit.push("b64".into());
        }
    }
    Ok(h)
}

fn signing_input(
    protected_b64: &str,
    header: &Header,
    payload: &[u8],
) -> Result<(Vec<u8>, String)> {
    let payload_part = if header.payload_is_b64() {
        json::b64_encode(payload)
    } else {
        String::from_utf8(payload.to_vec())
            .map_err(|_| Error::InvalidArgument("an unencoded payload must be UTF-8".into()))?
    };
    let mut input = Vec::with_capacity(protected_b64.len() + 1 + payload_part.len());
    input.extend_from_slice(protected_b64.as_bytes());
    input.push(b'.');
    input.extend_from_slice(payload_part.as_bytes());
    Ok((input, payload_part))
}

/// Sign an arbitrary payload as a compact JWS. With `header.b64 == Some(false)` the
/// payload goes unencoded (RFC 7797; `crit: ["b64"]` is added) and must not contain `.`.
pub fn sign_compact(key: &SigningKey, header: &Header, payload: &[u8]) -> Result<String> {
    let h = prepare_header(key, header)?;
    if !h.payload_is_b64() && payload.contains(&b'.') {
        return Err(Error::InvalidArgument(
            "an unencoded compact payload must not contain `.`; use a detached payload".into(),
        ));
    }
    let protected = json::b64_encode(h.to_json());
    let (input, _) = signing_input(&protected, &h, payload)?;
    let sig = json::b64_encode(key.sign(&input)?);
    Ok(format!("{}.{sig}", String::from_utf8_lossy(&input)))
}

/// Sign with a detached payload: `header..signature` (RFC 7515 appendix F).
pub fn sign_detached(key: &SigningKey, header: &Header, payload: &[u8]) -> Result<String> {
    let h = prepare_header(key, header)?;
    let protected = json::b64_encode(h.to_json());
    let (input, _) = signing_input(&protected, &h, payload)?;
    let sig = json::b64_encode(key.sign(&input)?);
    Ok(format!("{protected}..{sig}"))
}

fn json_signature(
    key: &SigningKey,
    header: &Header,
    unprotected: Option<&Map<String, Value>>,
    payload: &[u8],
) -> Result<(Map<String, Value>, String)> {
    let h = prepare_header(key, header)?;
    if let Some(u) = unprotected {
        if let Some(k) = u.keys().find(|k| PROTECTED_ONLY.contains(&k.as_str())) {
            return Err(Error::InvalidArgument(format!(
                "`{k}` must be in the protected header"
            )));
        }
        let protected = h.to_map();
        if let Some(k) = u.keys().find(|k| protected.contains_key(*k)) {
            return Err(Error::InvalidArgument(format!(
                "`{k}` is both protected and unprotected"
            )));
        }
    }
    let protected = json::b64_encode(h.to_json());
    let (input, payload_part) = signing_input(&protected, &h, payload)?;
    let sig = json::b64_encode(key.sign(&input)?);
    let mut s = Map::new();
    s.insert("protected".into(), protected.into());
    if let Some(u) = unprotected {
        s.insert("header".into(), Value::Object(u.clone()));
    }
    s.insert("signature".into(), sig.into());
    Ok((s, payload_part))
}

/// Sign as flattened JWS JSON (RFC 7515 7.2.2).
pub fn sign_flattened(
    key: &SigningKey,
    header: &Header,
    unprotected: Option<&Map<String, Value>>,
    payload: &[u8],
) -> Result<String> {
    let (mut s, payload_part) = json_signature(key, header, unprotected, payload)?;
    s.insert("payload".into(), payload_part.into());
    Ok(Value::Object(s).to_string())
}

/// Sign as general JWS JSON (RFC 7515 7.2.1) with one signature per `(key, header)`.
/// All headers must agree on `b64`.
pub fn sign_general(signers: &[(&SigningKey, &Header)], payload: &[u8]) -> Result<String> {
    if signers.is_empty() {
        return Err(Error::InvalidArgument(
            "at least one signer is needed".into(),
        ));
    }
    let b64 = signers[0].1.payload_is_b64();
    let mut sigs = Vec::new();
    let mut payload_part = String::new();
    for (key, header) in signers {
        if header.payload_is_b64() != b64 {
            return Err(Error::InvalidArgument(
                "all signatures must agree on `b64`".into(),
            ));
        }
        let (s, p) = json_signature(key, header, None, payload)?;
        payload_part = p;
        sigs.push(Value::Object(s));
    }
    Ok(serde_json::json!({ "payload": payload_part, "signatures": sigs }).to_string())
}
