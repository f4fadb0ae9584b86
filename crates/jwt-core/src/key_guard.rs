//! The public-key-as-HMAC-secret guard: does a byte string that someone offers as an
//! HMAC secret look like asymmetric key material, in any of the spellings it travels in?
//!
//! Caught: PEM (any label, leading whitespace, SSH2 PEM), OpenSSH public-key lines, DER
//! (SubjectPublicKeyInfo, PKCS#8, PKCS#1 public/private, SEC1, X.509 certificates), a JWK
//! of an asymmetric key type, any JWK set, and the base64 (standard or URL-safe, padded or
//! not, wrapped or not) or hex spelling of any of these. Raw EC points and Ed25519 keys are
//! indistinguishable from random bytes; their protection is that every key is bound to one
//! algorithm when it is made.
//!
//! [`SigningKey::hmac`](crate::SigningKey::hmac), [`VerifyingKey::hmac`] and
//! [`VerifyingKey::hmac_allow_short`] go through [`detect`]; other crate code that turns
//! user material into keys should too.
//!
//! [`VerifyingKey::hmac`]: crate::VerifyingKey::hmac
//! [`VerifyingKey::hmac_allow_short`]: crate::VerifyingKey::hmac_allow_short

use crate::{der, json, openssh, x509};

/// Which spelling of asymmetric key material a would-be secret was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// A PEM block (`-----BEGIN ...`), or an SSH2 PEM (`---- BEGIN SSH2 ...`).
    Pem,
    /// An OpenSSH public-key line (`ssh-rsa AAAA... comment`).
    OpenSsh,
    /// DER: SPKI, PKCS#8, PKCS#1, SEC1 or an X.509 certificate.
    Der,
    /// JWK JSON text of an asymmetric key type, or a JWK set.
    Jwk,
    /// Base64 (standard or URL-safe alphabet) of one of the above.
    Base64,
    /// Hex of one of the above.
    Hex,
}

impl Spelling {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Spelling::Pem => "PEM",
            Spelling::OpenSsh => "an OpenSSH public key",
            Spelling::Der => "DER",
            Spelling::Jwk => "a JWK or JWK set",
            Spelling::Base64 => "base64 of a key",
            Spelling::Hex => "hex of a key",
        }
    }
}

/// `true` when `bytes` look like asymmetric key material in any spelling.
#[allow(dead_code)] // the crate-visible yes/no form, for KeyMaterial-style callers
pub(crate) fn looks_like_public_key(bytes: &[u8]) -> bool {
    detect(bytes).is_some()
}

/// The spelling `bytes` were recognised as, or `None` for a plausible secret.
pub(crate) fn detect(bytes: &[u8]) -> Option<Spelling> {
    if let Some(s) = detect_plain(bytes) {
        return Some(s);
    }
    // Encoded spellings: decode once (never recursively) and look again.
    let compact: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    // The shortest DER key worth recognising (an Ed25519 SPKI) is 44 bytes.
    if compact.len() < 16 {
        return None;
    }
    if let Some(raw) = decode_hex(&compact)
        && detect_plain(&raw).is_some()
    {
        return Some(Spelling::Hex);
    }
    if let Some(raw) = decode_base64(&compact)
        && detect_plain(&raw).is_some()
    {
        return Some(Spelling::Base64);
    }
    None
}

/// The spellings that need no decoding.
fn detect_plain(bytes: &[u8]) -> Option<Spelling> {
    let trimmed = bytes.trim_ascii();
    let pem_markers: [&[u8]; 3] = [b"-----BEGIN", b"---- BEGIN SSH2", b"-----begin"];
    if pem_markers.iter().any(|m| trimmed.starts_with(m))
        || bytes.windows(11).any(|w| w == b"-----BEGIN ")
    {
        return Some(Spelling::Pem);
    }
    if openssh::looks_like_line(trimmed) {
        return Some(Spelling::OpenSsh);
    }
    if is_der_key(bytes) {
        return Some(Spelling::Der);
    }
    if trimmed.starts_with(b"{") && is_jwk_text(trimmed) {
        return Some(Spelling::Jwk);
    }
    None
}

pub(crate) fn is_der_key(b: &[u8]) -> bool {
    // Every form below is one DER SEQUENCE.
    if b.first() != Some(&der::TAG_SEQUENCE) {
        return false;
    }
    der::parse_spki(b).is_ok()
        || der::parse_pkcs8(b).is_ok()
        || der::parse_rsa_public(b).is_ok()
        || der::parse_rsa_private(b).is_ok()
        || der::parse_sec1(b).is_ok()
        || x509::certificate_spki(b).is_ok()
}

/// A JWK of an asymmetric type (`kty` other than `oct`), or any JWK set (`keys` array).
fn is_jwk_text(text: &[u8]) -> bool {
    let Ok(m) = json::parse_object(text, 8) else {
        return false;
    };
    let asymmetric_jwk = m
        .get("kty")
        .and_then(|v| v.as_str())
        .is_some_and(|k| k != "oct");
    let jwks = m.get("keys").is_some_and(|v| v.is_array());
    asymmetric_jwk || jwks
}

fn decode_hex(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let nib = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    };
    Some(
        s.chunks_exact(2)
            .map(|p| (nib(p[0]) << 4) | nib(p[1]))
            .collect(),
    )
}

fn decode_base64(s: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::DecodePaddingMode;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    let cfg = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let std = GeneralPurpose::new(&base64::alphabet::STANDARD, cfg);
    let url = GeneralPurpose::new(&base64::alphabet::URL_SAFE, cfg);
    std.decode(s).ok().or_else(|| url.decode(s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_secrets_pass() {
        for s in [
            &b"my-super-secret-key-that-is-long-enough!"[..],
            &[0u8; 32],
            &[0x30u8; 64],
            b"{\"kty\":\"oct\",\"k\":\"abc\"}",
            b"00112233445566778899aabbccddeeff",
            b"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0",
        ] {
            assert_eq!(detect(s), None, "{s:?}");
        }
    }

    #[test]
    fn hex_and_base64_decoders() {
        assert_eq!(decode_hex(b"00ffA0"), Some(vec![0, 0xff, 0xa0]));
        assert_eq!(decode_hex(b"0g"), None);
        assert_eq!(decode_base64(b"AAE"), Some(vec![0, 1]));
        assert_eq!(decode_base64(b"AAE="), Some(vec![0, 1]));
        assert_eq!(decode_base64(b"-_8"), Some(vec![0xfb, 0xff]));
    }
}
