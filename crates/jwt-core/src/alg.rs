//! Signature algorithms (RFC 7518 section 3, RFC 8037, RFC 8812, RFC 9864).
//!
//! RFC 9864 adds fully-specified names: `Ed25519` names the same signature as the
//! polymorphic `EdDSA` on an Ed25519 key. Both are variants; a key bound to either
//! verifies tokens of both names ([`Algorithm::same_signature`]), while allow-lists
//! stay exact (allowing `EdDSA` does not allow `Ed25519`, and vice versa). Defaults
//! (generation, JWKs without `alg`) stay `EdDSA`.
//!
//! ML-DSA (FIPS 204) as JOSE defines it (RFC 9964, draft-ietf-cose-dilithium):
//! `ML-DSA-44`, `ML-DSA-65` and `ML-DSA-87`, each on its own parameter set of `AKP`
//! keys. The variants exist in every build; only builds with the `aws-lc` feature can
//! make ML-DSA keys ([`Algorithm::is_available`]), others refuse with
//! [`Error::UnsupportedAlgorithm`] naming the feature. ML-DSA is never a default: a key
//! is bound to it only when its JWK (`alg` is required in `AKP` JWKs), its PEM's OID or
//! the caller names it.
//!
//! `none` is not a variant: an unsecured token cannot be represented, so it cannot be
//! accepted by mistake. Parsing `"none"` in any spelling gives
//! [`Error::UnsupportedAlgorithm`].

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, truncate};

/// A JWS signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[allow(clippy::upper_case_acronyms)] // the names are the registered JOSE identifiers
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256 and MGF1-SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384 and MGF1-SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512 and MGF1-SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// ECDSA on secp256k1 with SHA-256 (RFC 8812).
    ES256K,
    /// EdDSA on Ed25519 (RFC 8037).
    EdDSA,
    /// Ed25519, the fully-specified name of the same signature (RFC 9864).
    Ed25519,
    /// ML-DSA-44 (FIPS 204, RFC 9964); needs the `aws-lc` feature.
    MlDsa44,
    /// ML-DSA-65 (FIPS 204, RFC 9964); needs the `aws-lc` feature.
    MlDsa65,
    /// ML-DSA-87 (FIPS 204, RFC 9964); needs the `aws-lc` feature.
    MlDsa87,
}

/// The family of key material an algorithm needs. A key belongs to exactly one family;
/// families never mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    /// Shared secret (`kty: oct`).
    Hmac,
    /// RSA (`kty: RSA`).
    Rsa,
    /// Elliptic curve (`kty: EC`) on the given curve.
    Ec(Curve),
    /// Octet key pair (`kty: OKP`), Ed25519.
    Ed25519,
    /// Algorithm key pair (`kty: AKP`) of one ML-DSA parameter set: a key of one set
    /// never serves another.
    MlDsa(MlDsaLevel),
}

/// An ML-DSA parameter set (FIPS 204 table 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MlDsaLevel {
    /// ML-DSA-44 (NIST security category 2).
    MlDsa44,
    /// ML-DSA-65 (category 3).
    MlDsa65,
    /// ML-DSA-87 (category 5).
    MlDsa87,
}

impl MlDsaLevel {
    /// The JWS algorithm of this parameter set.
    pub const fn algorithm(self) -> Algorithm {
        match self {
            MlDsaLevel::MlDsa44 => Algorithm::MlDsa44,
            MlDsaLevel::MlDsa65 => Algorithm::MlDsa65,
            MlDsaLevel::MlDsa87 => Algorithm::MlDsa87,
        }
    }

    /// Size in bytes of the public key (the AKP JWK's `pub`), FIPS 204 table 2.
    pub const fn public_key_len(self) -> usize {
        match self {
            MlDsaLevel::MlDsa44 => 1312,
            MlDsaLevel::MlDsa65 => 1952,
            MlDsaLevel::MlDsa87 => 2592,
        }
    }

    /// Size in bytes of a signature, FIPS 204 table 2.
    pub const fn signature_len(self) -> usize {
        match self {
            MlDsaLevel::MlDsa44 => 2420,
            MlDsaLevel::MlDsa65 => 3309,
            MlDsaLevel::MlDsa87 => 4627,
        }
    }
}

/// Elliptic curves used by the ECDSA algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    /// NIST P-256 (`crv: P-256`).
    P256,
    /// NIST P-384 (`crv: P-384`).
    P384,
    /// NIST P-521 (`crv: P-521`).
    P521,
    /// secp256k1 (`crv: secp256k1`).
    Secp256k1,
}

impl Curve {
    /// The JWK `crv` name.
    pub fn jwk_name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Secp256k1 => "secp256k1",
        }
    }

    /// Size in bytes of a field element / scalar (and of each half of a JWS signature).
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 | Curve::Secp256k1 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The ECDSA algorithm bound to this curve.
    pub fn algorithm(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
            Curve::Secp256k1 => Algorithm::ES256K,
        }
    }

    pub(crate) fn from_jwk_name(name: &str) -> Option<Curve> {
        Some(match name {
            "P-256" => Curve::P256,
            "P-384" => Curve::P384,
            "P-521" => Curve::P521,
            "secp256k1" => Curve::Secp256k1,
            _ => return None,
        })
    }
}

impl Algorithm {
    /// Every supported algorithm, in a stable order.
    pub const ALL: [Algorithm; 18] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::ES256K,
        Algorithm::EdDSA,
        Algorithm::Ed25519,
        Algorithm::MlDsa44,
        Algorithm::MlDsa65,
        Algorithm::MlDsa87,
    ];

    /// The registered JOSE name (`"HS256"`, `"EdDSA"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::ES256K => "ES256K",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::Ed25519 => "Ed25519",
            Algorithm::MlDsa44 => "ML-DSA-44",
            Algorithm::MlDsa65 => "ML-DSA-65",
            Algorithm::MlDsa87 => "ML-DSA-87",
        }
    }

    /// The other registered name of the same signature, if any: `EdDSA` and `Ed25519`
    /// (RFC 9864) for each other.
    pub fn alias(self) -> Option<Algorithm> {
        match self {
            Algorithm::EdDSA => Some(Algorithm::Ed25519),
            Algorithm::Ed25519 => Some(Algorithm::EdDSA),
            _ => None,
        }
    }

    /// True when `other` names the same signature as `self` (equal, or an
    /// [`Algorithm::alias`]): a key bound to one verifies tokens of the other.
    pub fn same_signature(self, other: Algorithm) -> bool {
        self == other || self.alias() == Some(other)
    }

    /// The key family this algorithm needs.
    pub fn family(self) -> KeyFamily {
        use Algorithm::*;
        match self {
            HS256 | HS384 | HS512 => KeyFamily::Hmac,
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => KeyFamily::Rsa,
            ES256 => KeyFamily::Ec(Curve::P256),
            ES384 => KeyFamily::Ec(Curve::P384),
            ES512 => KeyFamily::Ec(Curve::P521),
            ES256K => KeyFamily::Ec(Curve::Secp256k1),
            EdDSA | Ed25519 => KeyFamily::Ed25519,
            MlDsa44 => KeyFamily::MlDsa(MlDsaLevel::MlDsa44),
            MlDsa65 => KeyFamily::MlDsa(MlDsaLevel::MlDsa65),
            MlDsa87 => KeyFamily::MlDsa(MlDsaLevel::MlDsa87),
        }
    }

    /// True when this build can make keys for the algorithm: everything but ML-DSA
    /// always, ML-DSA with the `aws-lc` feature (ring has no ML-DSA). Elsewhere its keys
    /// are refused with [`Error::UnsupportedAlgorithm`].
    pub fn is_available(self) -> bool {
        !matches!(self.family(), KeyFamily::MlDsa(_)) || cfg!(feature = "aws-lc")
    }

    /// The JWK `kty` for this algorithm's keys.
    pub fn jwk_kty(self) -> &'static str {
        match self.family() {
            KeyFamily::Hmac => "oct",
            KeyFamily::Rsa => "RSA",
            KeyFamily::Ec(_) => "EC",
            KeyFamily::Ed25519 => "OKP",
            KeyFamily::MlDsa(_) => "AKP",
        }
    }

    /// For HMAC algorithms, the hash output length: the minimum secret length (RFC 7518 3.2).
    pub fn hmac_min_key_len(self) -> Option<usize> {
        match self {
            Algorithm::HS256 => Some(32),
            Algorithm::HS384 => Some(48),
            Algorithm::HS512 => Some(64),
            _ => None,
        }
    }

    /// True for the symmetric (HMAC) algorithms.
    pub fn is_symmetric(self) -> bool {
        self.family() == KeyFamily::Hmac
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Exact, case-sensitive match on the registered names. `none` in any spelling and
    /// every unknown name give [`Error::UnsupportedAlgorithm`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Algorithm::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| Error::UnsupportedAlgorithm(truncate(s, 32)))
    }
}

impl Algorithm {
    /// True when `name` is the unsecured algorithm `none` in any spelling (RFC 7518
    /// 3.6): the one name that is not "unknown" but refused by design. [`FromStr`] refuses
    /// it like every unknown name; a binding that must tell the two apart (PyJWT's
    /// registry lists `none` as a name it knows) asks here instead of spelling the rule
    /// out again.
    ///
    /// ```
    /// use jwt_core::Algorithm;
    /// assert!(Algorithm::is_unsecured("none") && Algorithm::is_unsecured("nOnE"));
    /// assert!(!Algorithm::is_unsecured("HS256") && !Algorithm::is_unsecured("none "));
    /// ```
    pub fn is_unsecured(name: &str) -> bool {
        name.eq_ignore_ascii_case("none")
    }
}

impl serde::Serialize for Algorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Algorithm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
