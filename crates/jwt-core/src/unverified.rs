//! Reading a token **without verifying it**.
//!
//! Everything here is attacker-controlled data. Use it to pick a key or to debug, never
//! to make an access decision. The module name is the warning: `jwt_core::unverified::*`
//! stands out in review.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::header::Header;
use crate::json;
use crate::verify::Limits;

/// A token's header and claims, parsed but NOT verified.
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedToken {
    /// The header, as the token claims it.
    pub header: Header,
    /// The claims, as the token claims them.
    pub claims: Map<String, Value>,
}

fn split(token: &str) -> Result<(&str, &str)> {
    let limits = Limits::default();
    if token.len() > limits.max_token_bytes {
        return Err(Error::TooLarge {
            what: "token",
            size: token.len(),
            limit: limits.max_token_bytes,
        });
    }
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(_), None) => Ok((h, p)),
        _ => Err(Error::malformed("expected three segments")),
    }
}

/// The header of a compact JWS, NOT verified (strict parsing still applies).
pub fn header(token: &str) -> Result<Header> {
    let (h, _) = split(token)?;
    if h.len() / 4 * 3 > Limits::default().max_header_bytes {
        return Err(Error::TooLarge {
            what: "header",
            size: h.len() / 4 * 3,
            limit: Limits::default().max_header_bytes,
        });
    }
    Header::from_json(&json::b64_decode(h)?, json::DEFAULT_MAX_DEPTH)
}

/// Header and claims of a compact JWT, NOT verified.
pub fn decode(token: &str) -> Result<UnverifiedToken> {
    let (_, p) = split(token)?;
    let header = header(token)?;
    let claims = json::parse_object(&json::b64_decode(p)?, json::DEFAULT_MAX_DEPTH)?;
    Ok(UnverifiedToken { header, claims })
}
