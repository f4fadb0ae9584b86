//! The one error type of the crate.
//!
//! Every failure is a variant of [`Error`], and every variant has a stable snake_case
//! [`Error::code`]. Codes are the contract: the Python, Node, Kotlin and Swift bindings and
//! the reference service expose them unchanged, and the shared conformance corpus asserts
//! them. Messages are for humans and may change; codes never do.
//!
//! No message ever contains key material.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when parsing, signing, verifying or handling keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token (or a header, a JWK set, a JWS JSON document) exceeds a size limit.
    /// Checked before any decoding or cryptographic work.
    #[error("input too large: {what} is {size}, over the limit of {limit}")]
    TooLarge {
        /// What was too large (`token`, `header`, `payload`, `jwks`, JWE `plaintext`,
        /// `recipients`, `p2c`).
        what: &'static str,
        /// Its size: bytes, or a count for `recipients` and `p2c` (PBKDF2 iterations).
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The token's structure is wrong: segment count, base64url (padding, `+`/`/`,
    /// whitespace, non-canonical bits), UTF-8, JSON syntax, a non-object header or
    /// payload, nesting too deep.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// A JSON object in the header, payload or a JWK contains the same member twice.
    #[error("duplicate JSON member `{0}`")]
    DuplicateMember(String),
    /// The header names an algorithm this library does not implement, including `none`
    /// in any spelling: unsecured tokens are never accepted.
    #[error("unsupported algorithm `{0}`")]
    UnsupportedAlgorithm(String),
    /// The header's algorithm is not allowed by the verifier, or no supplied key is bound
    /// to it.
    #[error("algorithm `{0}` is not allowed")]
    AlgorithmNotAllowed(String),
    /// The header is missing a required member or a member has the wrong type or value.
    #[error("invalid header: {0}")]
    InvalidHeader(String),
    /// `crit` lists an extension the caller has not declared understood, or is malformed.
    #[error("unsupported critical header extension: {0}")]
    UnsupportedCritical(String),
    /// The `typ` header does not match the required type.
    #[error("invalid token type: {0}")]
    InvalidType(String),
    /// The signature does not verify with the selected key.
    #[error("invalid signature")]
    InvalidSignature,
    /// No supplied key matches the token's `kid` (or, without `kid`, its algorithm).
    #[error("no matching key: {0}")]
    KeyNotFound(String),
    /// Key material could not be parsed (bad PEM, DER, JWK or raw bytes).
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// The key material is of another family than the algorithm it is being bound to
    /// (for example an RSA public key offered as an HMAC secret), or a JWK's `alg`
    /// contradicts the requested algorithm.
    #[error("key does not fit algorithm: {0}")]
    KeyAlgorithmMismatch(String),
    /// The key is too weak: HMAC secret shorter than the hash output, RSA under 2048 bits.
    #[error("weak key: {0}")]
    WeakKey(String),
    /// A JWK's `use` or `key_ops` forbids the requested operation.
    #[error("key usage not allowed: {0}")]
    KeyUsageNotAllowed(String),
    /// `exp` is in the past (beyond the leeway).
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("token not yet valid")]
    NotYetValid,
    /// `iat` is in the future (beyond the leeway).
    #[error("token issued in the future")]
    IssuedInFuture,
    /// `iat` is older than the verifier's maximum token age.
    #[error("token too old")]
    TooOld,
    /// `iss` is not one of the accepted issuers (exact comparison).
    #[error("invalid issuer")]
    InvalidIssuer,
    /// `aud` does not contain an accepted audience (exact comparison).
    #[error("invalid audience")]
    InvalidAudience,
    /// `sub` is not the required subject.
    #[error("invalid subject")]
    InvalidSubject,
    /// A required claim is absent.
    #[error("missing required claim `{0}`")]
    MissingClaim(String),
    /// A claim has the wrong type (e.g. a string `exp`), an absurd value, or does not
    /// equal the value the verifier requires.
    #[error("invalid claim `{claim}`: {reason}")]
    InvalidClaim {
        /// The claim name.
        claim: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The caller's custom claim check rejected the token (e.g. a revoked `jti`).
    #[error("claim check rejected the token: {0}")]
    ClaimRejected(String),
    /// The claims are valid JSON but do not deserialize into the caller's type.
    #[error("claims do not match the expected shape: {0}")]
    ClaimsShape(String),
    /// An argument or option is invalid (e.g. an empty algorithm list).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Serializing claims or a header to JSON failed.
    #[error("serialization failed: {0}")]
    Serialization(String),
    /// The cryptographic backend failed (random generator, signing).
    #[error("cryptographic operation failed: {0}")]
    Crypto(String),
    /// A JWE did not decrypt: wrong or truncated authentication tag, a key unwrap
    /// integrity failure, bad padding, or the wrong key. Deliberately one variant with no
    /// detail, so that failures cannot be told apart (no oracle).
    #[error("decryption failed")]
    DecryptionFailed,
    /// A JWE names a content encryption algorithm (`enc`) or compression (`zip`) this
    /// library does not implement.
    #[error("unsupported content encryption `{0}`")]
    UnsupportedEncryption(String),
}

impl Error {
    /// The stable, machine-readable code of this error.
    ///
    /// ```
    /// assert_eq!(jwt_core::Error::Expired.code(), "token_expired");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::TooLarge { .. } => "input_too_large",
            Error::Malformed(_) => "malformed_token",
            Error::DuplicateMember(_) => "duplicate_member",
            Error::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Error::AlgorithmNotAllowed(_) => "algorithm_not_allowed",
            Error::InvalidHeader(_) => "invalid_header",
            Error::UnsupportedCritical(_) => "unsupported_critical_header",
            Error::InvalidType(_) => "invalid_type",
            Error::InvalidSignature => "invalid_signature",
            Error::KeyNotFound(_) => "key_not_found",
            Error::InvalidKey(_) => "invalid_key",
            Error::KeyAlgorithmMismatch(_) => "key_algorithm_mismatch",
            Error::WeakKey(_) => "weak_key",
            Error::KeyUsageNotAllowed(_) => "key_usage_not_allowed",
            Error::Expired => "token_expired",
            Error::NotYetValid => "token_not_yet_valid",
            Error::IssuedInFuture => "token_issued_in_future",
            Error::TooOld => "token_too_old",
            Error::InvalidIssuer => "invalid_issuer",
            Error::InvalidAudience => "invalid_audience",
            Error::InvalidSubject => "invalid_subject",
            Error::MissingClaim(_) => "missing_claim",
            Error::InvalidClaim { .. } => "invalid_claim",
            Error::ClaimRejected(_) => "claim_rejected",
            Error::ClaimsShape(_) => "claims_shape",
            Error::InvalidArgument(_) => "invalid_argument",
            Error::Serialization(_) => "serialization_failed",
            Error::Crypto(_) => "crypto_failure",
            Error::DecryptionFailed => "decryption_failed",
            Error::UnsupportedEncryption(_) => "unsupported_encryption",
        }
    }

    /// Every code this crate can return, with a one-line description, in a stable order.
    /// Used to generate the error-code table in the docs and by bindings' tests.
    pub const ALL_CODES: &'static [(&'static str, &'static str)] = &[
        (
            "input_too_large",
            "an input exceeds a size limit; checked before any work",
        ),
        (
            "malformed_token",
            "bad structure, base64url, UTF-8 or JSON; header or payload not an object",
        ),
        (
            "duplicate_member",
            "a JSON object has the same member twice",
        ),
        (
            "unsupported_algorithm",
            "unknown algorithm, or `none` in any spelling",
        ),
        (
            "algorithm_not_allowed",
            "algorithm not allowed by the verifier or by the key",
        ),
        (
            "invalid_header",
            "a header member is missing or has the wrong type",
        ),
        (
            "unsupported_critical_header",
            "`crit` names an extension not declared understood",
        ),
        ("invalid_type", "`typ` does not match the required type"),
        ("invalid_signature", "the signature does not verify"),
        (
            "key_not_found",
            "no supplied key matches the token's `kid`/algorithm",
        ),
        ("invalid_key", "key material cannot be parsed"),
        (
            "key_algorithm_mismatch",
            "key material of another family than the algorithm",
        ),
        (
            "weak_key",
            "HMAC secret shorter than the hash, RSA under 2048 bits",
        ),
        (
            "key_usage_not_allowed",
            "a JWK's `use`/`key_ops` forbids the operation",
        ),
        ("token_expired", "`exp` is in the past"),
        ("token_not_yet_valid", "`nbf` is in the future"),
        ("token_issued_in_future", "`iat` is in the future"),
        ("token_too_old", "`iat` is older than the maximum age"),
        ("invalid_issuer", "`iss` is not accepted"),
        ("invalid_audience", "`aud` contains no accepted audience"),
        ("invalid_subject", "`sub` is not the required subject"),
        ("missing_claim", "a required claim is absent"),
        (
            "invalid_claim",
            "a claim has the wrong type, an absurd value or an unexpected value",
        ),
        (
            "claim_rejected",
            "the caller's custom check rejected the claims",
        ),
        (
            "claims_shape",
            "the claims do not deserialize into the caller's type",
        ),
        ("invalid_argument", "an option or argument is invalid"),
        (
            "serialization_failed",
            "claims or header could not be serialized",
        ),
        ("crypto_failure", "the cryptographic backend failed"),
        (
            "decryption_failed",
            "a JWE did not decrypt: wrong tag, wrong key, failed unwrap (no detail by design)",
        ),
        (
            "unsupported_encryption",
            "a JWE `enc` or `zip` this library does not implement",
        ),
    ];

    pub(crate) fn malformed(msg: impl fmt::Display) -> Self {
        Error::Malformed(msg.to_string())
    }

    pub(crate) fn invalid_key(msg: impl fmt::Display) -> Self {
        Error::InvalidKey(msg.to_string())
    }

    pub(crate) fn invalid_claim(claim: &str, reason: impl fmt::Display) -> Self {
        Error::InvalidClaim {
            claim: claim.to_owned(),
            reason: reason.to_string(),
        }
    }
}
