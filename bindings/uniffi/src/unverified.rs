//! Reading a token WITHOUT verifying it (`jwt_core::unverified`). Everything returned is
//! attacker-controlled: use it to pick a key or to debug, never to decide access. The
//! names say so: `unverifiedHeader` / `unverifiedDecode` in Kotlin and Swift.

use crate::error::{JwtError, guard};
use crate::verify::TokenHeader;

/// A token's header and claims, parsed but NOT verified.
#[derive(Debug, Clone, uniffi::Record)]
pub struct UnverifiedToken {
    /// The header as the token claims it.
    pub header: TokenHeader,
    /// The claims as the token claims them, as a JSON object.
    pub claims_json: String,
}

/// The header of a compact JWS, NOT verified (strict parsing still applies).
#[uniffi::export]
pub fn unverified_header(token: String) -> Result<TokenHeader, JwtError> {
    guard(|| Ok(TokenHeader::from(&jwt_core::unverified::header(&token)?)))
}

/// Header and claims of a compact JWT, NOT verified.
#[uniffi::export]
pub fn unverified_decode(token: String) -> Result<UnverifiedToken, JwtError> {
    guard(|| {
        let t = jwt_core::unverified::decode(&token)?;
        Ok(UnverifiedToken {
            header: TokenHeader::from(&t.header),
            claims_json: serde_json::Value::Object(t.claims).to_string(),
        })
    })
}
