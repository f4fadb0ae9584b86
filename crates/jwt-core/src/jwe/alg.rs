//! JWE algorithm identifiers (RFC 7518 sections 4 and 5, RFC 8037).
//!
//! Only what this crate implements is representable. `RSA1_5` is never offered;
//! `RSA-OAEP` and `RSA-OAEP-256` exist only in builds with the `aws-lc` backend, the one
//! that decrypts RSA in constant time (see [`crate::jwe`]). Parsing an algorithm this
//! build does not offer gives [`Error::UnsupportedAlgorithm`]; parsing an unknown `enc`
//! gives [`Error::UnsupportedEncryption`].

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, truncate};

/// A JWE key management algorithm (`alg`): how the content encryption key is agreed on,
/// wrapped or derived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// `dir`: the shared key is the content encryption key.
    Dir,
    /// `A128KW`: AES-128 key wrap (RFC 3394).
    A128KW,
    /// `A192KW`: AES-192 key wrap.
    A192KW,
    /// `A256KW`: AES-256 key wrap.
    A256KW,
    /// `A128GCMKW`: the content encryption key encrypted with AES-128-GCM.
    A128GCMKW,
    /// `A192GCMKW`: AES-192-GCM key encryption.
    A192GCMKW,
    /// `A256GCMKW`: AES-256-GCM key encryption.
    A256GCMKW,
    /// `ECDH-ES`: ephemeral-static ECDH; the derived key is the content encryption key.
    EcdhEs,
    /// `ECDH-ES+A128KW`: ECDH-ES, then AES-128 key wrap.
    EcdhEsA128KW,
    /// `ECDH-ES+A192KW`: ECDH-ES, then AES-192 key wrap.
    EcdhEsA192KW,
    /// `ECDH-ES+A256KW`: ECDH-ES, then AES-256 key wrap.
    EcdhEsA256KW,
    /// `PBES2-HS256+A128KW`: password-based; off unless the decrypter enables it with a
    /// `p2c` cap.
    Pbes2Hs256A128KW,
    /// `PBES2-HS384+A192KW`: password-based; off by default.
    Pbes2Hs384A192KW,
    /// `PBES2-HS512+A256KW`: password-based; off by default.
    Pbes2Hs512A256KW,
    /// `RSA-OAEP`: RSAES-OAEP with SHA-1 and MGF1-SHA-1 (feature `aws-lc` only).
    #[cfg(feature = "aws-lc")]
    RsaOaep,
    /// `RSA-OAEP-256`: RSAES-OAEP with SHA-256 and MGF1-SHA-256 (feature `aws-lc` only).
    #[cfg(feature = "aws-lc")]
    RsaOaep256,
}

/// The broad kind of key a [`KeyAlgorithm`] needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// A shared secret (`kty: oct`) of a fixed size.
    Symmetric,
    /// A password (PBES2).
    Password,
    /// An elliptic-curve key pair (`kty: EC` or `kty: OKP` with X25519).
    Ecdh,
    /// An RSA key pair (`kty: RSA`, feature `aws-lc` only).
    #[cfg(feature = "aws-lc")]
    Rsa,
}

impl KeyAlgorithm {
    /// Every key management algorithm this build supports, in a stable order (RSA-OAEP
    /// last, with the `aws-lc` backend only).
    pub const ALL: &'static [KeyAlgorithm] = &[
        KeyAlgorithm::Dir,
        KeyAlgorithm::A128KW,
        KeyAlgorithm::A192KW,
        KeyAlgorithm::A256KW,
        KeyAlgorithm::A128GCMKW,
        KeyAlgorithm::A192GCMKW,
        KeyAlgorithm::A256GCMKW,
        KeyAlgorithm::EcdhEs,
        KeyAlgorithm::EcdhEsA128KW,
        KeyAlgorithm::EcdhEsA192KW,
        KeyAlgorithm::EcdhEsA256KW,
        KeyAlgorithm::Pbes2Hs256A128KW,
        KeyAlgorithm::Pbes2Hs384A192KW,
        KeyAlgorithm::Pbes2Hs512A256KW,
        #[cfg(feature = "aws-lc")]
        KeyAlgorithm::RsaOaep,
        #[cfg(feature = "aws-lc")]
        KeyAlgorithm::RsaOaep256,
    ];

    /// The registered name (`"A256KW"`, `"ECDH-ES+A128KW"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::Dir => "dir",
            KeyAlgorithm::A128KW => "A128KW",
            KeyAlgorithm::A192KW => "A192KW",
            KeyAlgorithm::A256KW => "A256KW",
            KeyAlgorithm::A128GCMKW => "A128GCMKW",
            KeyAlgorithm::A192GCMKW => "A192GCMKW",
            KeyAlgorithm::A256GCMKW => "A256GCMKW",
            KeyAlgorithm::EcdhEs => "ECDH-ES",
            KeyAlgorithm::EcdhEsA128KW => "ECDH-ES+A128KW",
            KeyAlgorithm::EcdhEsA192KW => "ECDH-ES+A192KW",
            KeyAlgorithm::EcdhEsA256KW => "ECDH-ES+A256KW",
            KeyAlgorithm::Pbes2Hs256A128KW => "PBES2-HS256+A128KW",
            KeyAlgorithm::Pbes2Hs384A192KW => "PBES2-HS384+A192KW",
            KeyAlgorithm::Pbes2Hs512A256KW => "PBES2-HS512+A256KW",
            #[cfg(feature = "aws-lc")]
            KeyAlgorithm::RsaOaep => "RSA-OAEP",
            #[cfg(feature = "aws-lc")]
            KeyAlgorithm::RsaOaep256 => "RSA-OAEP-256",
        }
    }

    /// The kind of key this algorithm needs.
    pub fn key_kind(self) -> KeyKind {
        match self {
            KeyAlgorithm::EcdhEs
            | KeyAlgorithm::EcdhEsA128KW
            | KeyAlgorithm::EcdhEsA192KW
            | KeyAlgorithm::EcdhEsA256KW => KeyKind::Ecdh,
            KeyAlgorithm::Pbes2Hs256A128KW
            | KeyAlgorithm::Pbes2Hs384A192KW
            | KeyAlgorithm::Pbes2Hs512A256KW => KeyKind::Password,
            #[cfg(feature = "aws-lc")]
            KeyAlgorithm::RsaOaep | KeyAlgorithm::RsaOaep256 => KeyKind::Rsa,
            _ => KeyKind::Symmetric,
        }
    }

    /// Size in bytes of the AES key-wrapping / key-encryption key, if the algorithm wraps
    /// the content encryption key with AES (KW, GCMKW, ECDH-ES+KW, PBES2).
    pub fn wrap_key_len(self) -> Option<usize> {
        Some(match self {
            KeyAlgorithm::A128KW
            | KeyAlgorithm::A128GCMKW
            | KeyAlgorithm::EcdhEsA128KW
            | KeyAlgorithm::Pbes2Hs256A128KW => 16,
            KeyAlgorithm::A192KW
            | KeyAlgorithm::A192GCMKW
            | KeyAlgorithm::EcdhEsA192KW
            | KeyAlgorithm::Pbes2Hs384A192KW => 24,
            KeyAlgorithm::A256KW
            | KeyAlgorithm::A256GCMKW
            | KeyAlgorithm::EcdhEsA256KW
            | KeyAlgorithm::Pbes2Hs512A256KW => 32,
            _ => return None, // dir, ECDH-ES, RSA-OAEP
        })
    }

    /// True for the password-based PBES2 algorithms (off by default when decrypting).
    pub fn is_pbes2(self) -> bool {
        self.key_kind() == KeyKind::Password
    }

    /// True when the content encryption key is the shared or agreed key itself (`dir`,
    /// `ECDH-ES`): such a JWE has an empty encrypted key and exactly one recipient.
    pub fn is_direct(self) -> bool {
        matches!(self, KeyAlgorithm::Dir | KeyAlgorithm::EcdhEs)
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KeyAlgorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if let Some(a) = KeyAlgorithm::ALL.iter().find(|a| a.as_str() == s) {
            return Ok(*a);
        }
        let why = match s {
            "RSA1_5" => "`RSA1_5` is never offered (Bleichenbacher padding oracle)",
            "RSA-OAEP" | "RSA-OAEP-256" if cfg!(not(feature = "aws-lc")) => {
                "RSA-OAEP needs jwt-core's `aws-lc` backend (constant-time RSA decryption; ring has none, the `rsa` crate's is not, RUSTSEC-2023-0071)"
            }
            "RSA-OAEP-384" | "RSA-OAEP-512" => "not offered (only RSA-OAEP and RSA-OAEP-256)",
            _ => "",
        };
        if why.is_empty() {
            Err(Error::UnsupportedAlgorithm(truncate(s, 32)))
        } else {
            Err(Error::UnsupportedAlgorithm(format!("{s}: {why}")))
        }
    }
}

/// A JWE content encryption algorithm (`enc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
#[allow(clippy::upper_case_acronyms)] // the names are the registered JOSE identifiers
pub enum ContentEncryption {
    /// `A128GCM`: AES-128-GCM.
    A128GCM,
    /// `A192GCM`: AES-192-GCM.
    A192GCM,
    /// `A256GCM`: AES-256-GCM.
    A256GCM,
    /// `A128CBC-HS256`: AES-128-CBC with HMAC-SHA-256 (RFC 7518 5.2.3).
    A128CbcHs256,
    /// `A192CBC-HS384`: AES-192-CBC with HMAC-SHA-384.
    A192CbcHs384,
    /// `A256CBC-HS512`: AES-256-CBC with HMAC-SHA-512.
    A256CbcHs512,
}

impl ContentEncryption {
    /// Every supported content encryption algorithm, in a stable order.
    pub const ALL: [ContentEncryption; 6] = [
        ContentEncryption::A128GCM,
        ContentEncryption::A192GCM,
        ContentEncryption::A256GCM,
        ContentEncryption::A128CbcHs256,
        ContentEncryption::A192CbcHs384,
        ContentEncryption::A256CbcHs512,
    ];

    /// The registered name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentEncryption::A128GCM => "A128GCM",
            ContentEncryption::A192GCM => "A192GCM",
            ContentEncryption::A256GCM => "A256GCM",
            ContentEncryption::A128CbcHs256 => "A128CBC-HS256",
            ContentEncryption::A192CbcHs384 => "A192CBC-HS384",
            ContentEncryption::A256CbcHs512 => "A256CBC-HS512",
        }
    }

    /// Size in bytes of the content encryption key (for CBC-HS, MAC key + AES key).
    pub fn key_len(self) -> usize {
        match self {
            ContentEncryption::A128GCM => 16,
            ContentEncryption::A192GCM => 24,
            ContentEncryption::A256GCM | ContentEncryption::A128CbcHs256 => 32,
            ContentEncryption::A192CbcHs384 => 48,
            ContentEncryption::A256CbcHs512 => 64,
        }
    }

    /// Size in bytes of the initialization vector.
    pub fn iv_len(self) -> usize {
        if self.is_gcm() { 12 } else { 16 }
    }

    /// Size in bytes of the authentication tag.
    pub fn tag_len(self) -> usize {
        match self {
            ContentEncryption::A128GCM
            | ContentEncryption::A192GCM
            | ContentEncryption::A256GCM
            | ContentEncryption::A128CbcHs256 => 16,
            ContentEncryption::A192CbcHs384 => 24,
            ContentEncryption::A256CbcHs512 => 32,
        }
    }

    /// True for the AES-GCM algorithms.
    pub fn is_gcm(self) -> bool {
        matches!(
            self,
            ContentEncryption::A128GCM | ContentEncryption::A192GCM | ContentEncryption::A256GCM
        )
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ContentEncryption {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ContentEncryption::ALL
            .iter()
            .find(|e| e.as_str() == s)
            .copied()
            .ok_or_else(|| Error::UnsupportedEncryption(truncate(s, 32)))
    }
}

/// Curves offered for ECDH-ES.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[non_exhaustive]
pub enum EcdhCurve {
    /// NIST P-256 (`kty: EC`, `crv: P-256`).
    P256,
    /// NIST P-384.
    P384,
    /// NIST P-521.
    P521,
    /// X25519 (`kty: OKP`, `crv: X25519`, RFC 8037).
    X25519,
}

impl EcdhCurve {
    /// The JWK `crv` name.
    pub fn jwk_name(self) -> &'static str {
        match self {
            EcdhCurve::P256 => "P-256",
            EcdhCurve::P384 => "P-384",
            EcdhCurve::P521 => "P-521",
            EcdhCurve::X25519 => "X25519",
        }
    }

    /// The JWK `kty`.
    pub fn jwk_kty(self) -> &'static str {
        if self == EcdhCurve::X25519 {
            "OKP"
        } else {
            "EC"
        }
    }

    /// Size in bytes of a coordinate, a private scalar and the shared secret.
    pub fn field_len(self) -> usize {
        match self {
            EcdhCurve::P256 | EcdhCurve::X25519 => 32,
            EcdhCurve::P384 => 48,
            EcdhCurve::P521 => 66,
        }
    }

    /// Every curve, in a stable order.
    pub const ALL: &'static [EcdhCurve] = &[
        EcdhCurve::P256,
        EcdhCurve::P384,
        EcdhCurve::P521,
        EcdhCurve::X25519,
    ];

    pub(crate) fn from_jwk(kty: &str, crv: &str) -> Option<EcdhCurve> {
        Some(match (kty, crv) {
            ("EC", "P-256") => EcdhCurve::P256,
            ("EC", "P-384") => EcdhCurve::P384,
            ("EC", "P-521") => EcdhCurve::P521,
            ("OKP", "X25519") => EcdhCurve::X25519,
            _ => return None,
        })
    }
}

/// The JWK `crv` name (`"P-256"`, `"P-384"`, `"P-521"`, `"X25519"`); anything else gives
/// [`Error::InvalidArgument`].
impl FromStr for EcdhCurve {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        EcdhCurve::ALL
            .iter()
            .copied()
            .find(|c| c.jwk_name() == s)
            .ok_or_else(|| Error::InvalidArgument(format!("unknown curve `{}`", truncate(s, 32))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in KeyAlgorithm::ALL {
            assert_eq!(a.as_str().parse::<KeyAlgorithm>().unwrap(), *a);
        }
        assert_eq!(
            KeyAlgorithm::ALL.len(),
            if cfg!(feature = "aws-lc") { 16 } else { 14 }
        );
        for e in ContentEncryption::ALL {
            assert_eq!(e.as_str().parse::<ContentEncryption>().unwrap(), e);
        }
    }

    #[test]
    fn rsa_and_unknown_are_unsupported() {
        #[cfg(not(feature = "aws-lc"))]
        for name in ["RSA-OAEP", "RSA-OAEP-256"] {
            let e = name.parse::<KeyAlgorithm>().unwrap_err();
            assert_eq!(e.code(), "unsupported_algorithm");
            assert!(e.to_string().contains("aws-lc"), "{e}");
        }
        for bad in ["RSA1_5", "RSA-OAEP-512", "none", "dir ", "a128kw"] {
            assert_eq!(
                bad.parse::<KeyAlgorithm>().unwrap_err().code(),
                "unsupported_algorithm"
            );
        }
        for bad in ["A128CBC+HS256", "a128gcm", "none", ""] {
            assert_eq!(
                bad.parse::<ContentEncryption>().unwrap_err().code(),
                "unsupported_encryption"
            );
        }
    }
}
