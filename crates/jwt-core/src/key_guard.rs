//! The public-key-as-HMAC-secret guard: does a byte string that someone offers as an
//! HMAC secret look like asymmetric key material, in any of the spellings it travels in?
//!
//! Caught: PEM (any label, leading whitespace, SSH2 PEM; a `BEGIN` line needs its `END`
//! line), OpenSSH public-key lines, DER (SubjectPublicKeyInfo, PKCS#8, PKCS#1
//! public/private, SEC1, X.509 certificates), JWK JSON text of any key type (`oct`
//! included: its secret is the decoded `k`, not the text), a JWK set, an array of them at
//! any depth, in UTF-8/16/32 with or without a byte order mark, and the base64 (standard
//! or URL-safe, padded or not, wrapped or not) or hex spelling of any of these. Raw EC points and Ed25519 keys are
//! indistinguishable from random bytes; their protection is that every key is bound to one
//! algorithm when it is made.
//!
//! [`SigningKey::hmac`](crate::SigningKey::hmac), [`VerifyingKey::hmac`] and
//! [`VerifyingKey::hmac_allow_short`] go through [`detect`]; other crate code that turns
//! user material into keys should too.
//!
//! [`VerifyingKey::hmac`]: crate::VerifyingKey::hmac
//! [`VerifyingKey::hmac_allow_short`]: crate::VerifyingKey::hmac_allow_short

use crate::{der, openssh, x509};

/// Which spelling of asymmetric key material a would-be secret was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// A PEM block (`-----BEGIN ...`), or an SSH2 PEM (`---- BEGIN SSH2 ...`).
    Pem,
    /// An OpenSSH public-key line (`ssh-rsa AAAA... comment`).
    OpenSsh,
    /// DER: SPKI, PKCS#8, PKCS#1, SEC1 or an X.509 certificate.
    Der,
    /// JWK JSON text (any key type), a JWK set, or an array of them.
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
    if is_pem(bytes) {
        return Some(Spelling::Pem);
    }
    if openssh::looks_like_line(trimmed) {
        return Some(Spelling::OpenSsh);
    }
    if is_der_key(bytes) {
        return Some(Spelling::Der);
    }
    if names_jwk_member(bytes) {
        return Some(Spelling::Jwk);
    }
    None
}

/// A PEM block: a `BEGIN` line and, after it, an `END` line (as PyJWT's `is_pem_format`
/// reads it; a `BEGIN` line alone, however often repeated, is a plausible secret).
fn is_pem(bytes: &[u8]) -> bool {
    let pairs: [(&[u8], &[u8]); 3] = [
        (b"-----BEGIN ", b"-----END "),
        (b"---- BEGIN SSH2", b"---- END SSH2"),
        (b"-----begin ", b"-----end "),
    ];
    pairs.iter().any(|(begin, end)| {
        find(bytes, begin).is_some_and(|at| find(&bytes[at + begin.len()..], end).is_some())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether `bytes` are JSON text (UTF-8, UTF-16 or UTF-32, with or without a byte order
/// mark) that names a JWK member: `kty` at any depth (a JWK, `oct` included, a JWK set, an
/// array of them, however deeply nested), or `keys` holding an array (a JWK set).
///
/// Read as one linear scan of the string tokens, never a recursive parse, so nesting
/// depth, huge numbers, lone surrogates or escaped member names (`"\u006bty"`) hide
/// nothing.
fn names_jwk_member(bytes: &[u8]) -> bool {
    let Some(text) = json_text(bytes) else {
        return false;
    };
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !text.starts_with(['{', '[']) {
        return false;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(open) = b[i..].iter().position(|&c| c == b'"').map(|p| p + i) {
        let mut end = open + 1;
        while end < b.len() && b[end] != b'"' {
            end += if b[end] == b'\\' { 2 } else { 1 };
        }
        if end >= b.len() {
            return false;
        }
        let rest = text[end + 1..].trim_start_matches([' ', '\t', '\r', '\n']);
        if let Some(value) = rest.strip_prefix(':') {
            // a member name; the longest escaped spelling of `keys` is 24 bytes
            let token = &text[open..=end];
            if token.len() <= 32 {
                match serde_json::from_str::<String>(token).as_deref() {
                    Ok("kty") => return true,
                    Ok("keys")
                        if value
                            .trim_start_matches([' ', '\t', '\r', '\n'])
                            .starts_with('[') =>
                    {
                        return true;
                    }
                    _ => {}
                }
            }
        }
        i = end + 1;
    }
    false
}

/// `bytes` as text, in the encoding JSON text may come in (RFC 8259 section 8.1, and the
/// UTF-16/32 of RFC 4627 that `json.loads` still reads): a byte order mark decides, else
/// the pattern of zero bytes in the first four. Undecodable units become U+FFFD.
fn json_text(bytes: &[u8]) -> Option<String> {
    let head = |n: usize| bytes.get(..n);
    let z = |i: usize| bytes.get(i) == Some(&0);
    let nz = |i: usize| bytes.get(i).is_some_and(|&b| b != 0);
    let (enc, skip) = if head(3) == Some(b"\xef\xbb\xbf") {
        ("utf-8", 3)
    } else if head(4) == Some(b"\x00\x00\xfe\xff") {
        ("utf-32be", 4)
    } else if head(4) == Some(b"\xff\xfe\x00\x00") {
        ("utf-32le", 4)
    } else if head(2) == Some(b"\xfe\xff") {
        ("utf-16be", 2)
    } else if head(2) == Some(b"\xff\xfe") {
        ("utf-16le", 2)
    } else if z(0) && z(1) && z(2) && nz(3) {
        ("utf-32be", 0)
    } else if nz(0) && z(1) && z(2) && z(3) {
        ("utf-32le", 0)
    } else if z(0) && nz(1) {
        ("utf-16be", 0)
    } else if nz(0) && z(1) {
        ("utf-16le", 0)
    } else {
        ("utf-8", 0)
    };
    let body = &bytes[skip..];
    // cheap refusal before any decoding: JSON text starts with whitespace, `{` or `[`
    let first = match enc {
        "utf-32be" => body.get(3),
        "utf-16be" => body.get(1),
        _ => body.first(),
    };
    if !first.is_some_and(|c| b"{[ \t\r\n\xef".contains(c)) {
        return None;
    }
    Some(match enc {
        "utf-8" => String::from_utf8_lossy(body).into_owned(),
        "utf-16le" | "utf-16be" => {
            let units = body.chunks_exact(2).map(|p| {
                if enc == "utf-16le" {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        _ => body
            .chunks_exact(4)
            .map(|q| {
                let q = [q[0], q[1], q[2], q[3]];
                let u = if enc == "utf-32le" {
                    u32::from_le_bytes(q)
                } else {
                    u32::from_be_bytes(q)
                };
                char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect(),
    })
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
            b"[\"kty\"]",
            b"{\"keys\":1,\"a\":\"kty\"}",
            &b"-----BEGIN PUBLIC KEY-----".repeat(10_000),
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
