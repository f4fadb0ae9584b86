//! The one error type of the crate, written once as a table.
//!
//! Every failure is a variant of [`Error`], and every variant has a stable snake_case
//! [`Error::code`] and a coarse [`Error::kind`]. Codes are the contract: the Python, Node,
//! Kotlin and Swift bindings and the reference service expose them unchanged, and the
//! shared conformance corpus asserts them. Kinds are the families a binding maps to its
//! ecosystem's exception classes (one table per binding, from [`ErrorKind`] to a class).
//! Messages are for humans and may change; codes and kind names never do.
//!
//! The variants, their codes, kinds and one-line descriptions are one table (the
//! `error_table!` invocation below, in the manner of pydantic-core's
//! `src/errors/types.rs`): the enum, [`Error::code`], [`Error::kind`],
//! [`Error::description`], [`Error::CODES`], [`Error::ALL_CODES`] and `docs/errors.md` are
//! all generated from it, so none of them can miss a variant.
//!
//! No message ever contains key material.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Declares the error kinds: variant, stable name, one-line description.
macro_rules! kind_table {
    ($( $(#[$meta:meta])* $variant:ident => $name:literal, $desc:literal; )*) => {
        /// The family of an [`Error`]: what a binding maps to its exception class.
        ///
        /// Chosen so that each peer's classes are a union of kinds: PyJWT's `DecodeError`
        /// is [`Malformed`](ErrorKind::Malformed) and [`Size`](ErrorKind::Size),
        /// `InvalidSignatureError` is [`Signature`](ErrorKind::Signature),
        /// `ExpiredSignatureError` is [`Expired`](ErrorKind::Expired),
        /// `ImmatureSignatureError` is [`NotYetValid`](ErrorKind::NotYetValid),
        /// `InvalidAlgorithmError` is [`Algorithm`](ErrorKind::Algorithm) and
        /// [`Unsupported`](ErrorKind::Unsupported), `InvalidKeyError` is
        /// [`Key`](ErrorKind::Key); jsonwebtoken's `TokenExpiredError` and `NotBeforeError`
        /// are `Expired` and `NotYetValid`; fast-jwt's `FAST_JWT_MALFORMED`,
        /// `FAST_JWT_INVALID_SIGNATURE`, `FAST_JWT_EXPIRED`, `FAST_JWT_INACTIVE`,
        /// `FAST_JWT_INVALID_ALGORITHM`, `FAST_JWT_MISSING_KEY`,
        /// `FAST_JWT_INVALID_CLAIM_VALUE`, `FAST_JWT_INVALID_OPTION` are `Malformed`,
        /// `Signature`, `Expired`, `NotYetValid`, `Algorithm`, `KeyNotFound`, `Claim`,
        /// `Argument`. Within a kind, [`Error::code`] says exactly what happened (PyJWT's
        /// `InvalidIssuerError` is kind `Claim` with code `invalid_issuer`).
        ///
        /// [`ErrorKind::as_str`] gives the stable snake_case name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        #[non_exhaustive]
        pub enum ErrorKind {
            $( $(#[$meta])* $variant, )*
        }

        impl ErrorKind {
            /// Every kind, in a stable order.
            pub const ALL: &'static [ErrorKind] = &[ $( ErrorKind::$variant, )* ];

            /// The stable snake_case name (`"expired"`, `"signature"`, ...).
            pub fn as_str(self) -> &'static str {
                match self { $( ErrorKind::$variant => $name, )* }
            }

            /// One line saying what the kind covers.
            pub fn description(self) -> &'static str {
                match self { $( ErrorKind::$variant => $desc, )* }
            }
        }
    };
}

kind_table! {
    /// An input exceeds a size limit; nothing was decoded.
    Size => "size", "an input exceeds a size limit";
    /// The token (or a JWS JSON document) is not well-formed.
    Malformed => "malformed", "the token is not well-formed: structure, encoding, JSON, header members";
    /// The token asks for an algorithm, encryption or `crit` extension this library does
    /// not implement or the caller did not declare.
    Unsupported => "unsupported", "the token needs an algorithm, encryption or extension that is not implemented";
    /// The token's algorithm is not allowed by the verifier or by the keys.
    Algorithm => "algorithm", "the token's algorithm is not allowed";
    /// No supplied key matches the token.
    KeyNotFound => "key_not_found", "no supplied key matches the token";
    /// The signature (or JWE tag) does not verify.
    Signature => "signature", "the signature or authentication tag does not verify";
    /// The token is expired (`exp`, or older than the maximum age).
    Expired => "expired", "the token is expired";
    /// The token is not valid yet (`nbf` or `iat` in the future).
    NotYetValid => "not_yet_valid", "the token is not valid yet";
    /// The token is authentic but a claim (or `typ`) is missing or not accepted.
    Claim => "claim", "a claim or the token type is missing or not accepted";
    /// Key material is unusable (the caller's key, not the token).
    Key => "key", "the key material is unusable";
    /// The caller passed an invalid option or argument.
    Argument => "argument", "an option or argument is invalid";
    /// The caller's claims or header could not be serialized.
    Serialization => "serialization", "claims or a header could not be serialized";
    /// The cryptographic backend failed (not the input's fault).
    Internal => "internal", "the cryptographic backend failed";
}

impl ErrorKind {
    /// True when the token (the attacker-controllable input) is at fault, not the
    /// caller's keys or options: every kind from [`Size`](ErrorKind::Size) to
    /// [`Claim`](ErrorKind::Claim). A service answers these with 401.
    pub fn is_token_error(self) -> bool {
        !matches!(
            self,
            ErrorKind::Key | ErrorKind::Argument | ErrorKind::Serialization | ErrorKind::Internal
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ErrorKind {
    type Err = Error;

    /// The exact stable name; anything else is `invalid_argument`.
    fn from_str(s: &str) -> Result<Self> {
        ErrorKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Error::InvalidArgument(format!("unknown error kind `{}`", truncate(s, 32)))
            })
    }
}

impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One row of the error table: a code, its kind and its one-line description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCode {
    /// The stable snake_case code (`"token_expired"`).
    pub code: &'static str,
    /// Its family.
    pub kind: ErrorKind,
    /// One line saying when it happens.
    pub description: &'static str,
}

impl ErrorCode {
    /// The row of `code`, if the crate has such a code.
    pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
        Error::CODES.iter().find(|c| c.code == code)
    }
}

/// Declares [`Error`] from rows `Variant(fields) => "code", Kind, "description";`.
macro_rules! error_table {
    ($(
        $(#[$meta:meta])*
        $variant:ident
            $( ( $($tty:ty),* $(,)? ) )?
            $( { $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)? } )?
        => $code:literal, $kind:ident, $desc:literal;
    )*) => {
        /// Everything that can go wrong when parsing, signing, verifying or handling keys.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        #[non_exhaustive]
        pub enum Error {
            $(
                $(#[$meta])*
                $variant $( ( $($tty),* ) )? $( { $( $(#[$fmeta])* $field : $fty ),* } )?,
            )*
        }

        impl Error {
            /// The stable, machine-readable code of this error.
            ///
            /// ```
            /// assert_eq!(jwt_core::Error::Expired.code(), "token_expired");
            /// ```
            pub fn code(&self) -> &'static str {
                match self { $( Error::$variant { .. } => $code, )* }
            }

            /// The family of this error, for mapping to an exception class.
            ///
            /// ```
            /// use jwt_core::{Error, ErrorKind};
            /// assert_eq!(Error::Expired.kind(), ErrorKind::Expired);
            /// assert_eq!(Error::InvalidIssuer.kind().as_str(), "claim");
            /// ```
            pub fn kind(&self) -> ErrorKind {
                match self { $( Error::$variant { .. } => ErrorKind::$kind, )* }
            }

            /// The one-line description of this error's code (the table's, not the
            /// message: it has no detail of this occurrence).
            pub fn description(&self) -> &'static str {
                match self { $( Error::$variant { .. } => $desc, )* }
            }

            /// Every code this crate can return with its kind and description, in a
            /// stable order. `docs/errors.md` is generated from it.
            pub const CODES: &'static [ErrorCode] = &[
                $( ErrorCode { code: $code, kind: ErrorKind::$kind, description: $desc }, )*
            ];

            /// Every code with its one-line description, in the order of [`Error::CODES`].
            pub const ALL_CODES: &'static [(&'static str, &'static str)] = &[
                $( ($code, $desc), )*
            ];
        }
    };
}

error_table! {
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
    } => "input_too_large", Size, "an input exceeds a size limit; checked before any work";

    /// The token's structure is wrong: segment count, base64url (padding, `+`/`/`,
    /// whitespace, non-canonical bits), UTF-8, JSON syntax, a non-object header or
    /// payload, nesting too deep.
    #[error("malformed token: {0}")]
    Malformed(String)
        => "malformed_token", Malformed, "bad structure, base64url, UTF-8 or JSON; header or payload not an object";

    /// A JSON object in the header, payload or a JWK contains the same member twice.
    #[error("duplicate JSON member `{0}`")]
    DuplicateMember(String)
        => "duplicate_member", Malformed, "a JSON object has the same member twice";

    /// The header names an algorithm this library does not implement, including `none`
    /// in any spelling: unsecured tokens are never accepted.
    #[error("unsupported algorithm `{0}`")]
    UnsupportedAlgorithm(String)
        => "unsupported_algorithm", Unsupported, "unknown algorithm, or `none` in any spelling";

    /// The header's algorithm is not allowed by the verifier, or no supplied key is bound
    /// to it.
    #[error("algorithm `{0}` is not allowed")]
    AlgorithmNotAllowed(String)
        => "algorithm_not_allowed", Algorithm, "algorithm not allowed by the verifier or by the key";

    /// The header is missing a required member or a member has the wrong type or value.
    #[error("invalid header: {0}")]
    InvalidHeader(String)
        => "invalid_header", Malformed, "a header member is missing or has the wrong type";

    /// `crit` lists an extension the caller has not declared understood, or is malformed.
    #[error("unsupported critical header extension: {0}")]
    UnsupportedCritical(String)
        => "unsupported_critical_header", Unsupported, "`crit` names an extension not declared understood";

    /// The `typ` header does not match the required type.
    #[error("invalid token type: {0}")]
    InvalidType(String)
        => "invalid_type", Claim, "`typ` does not match the required type";

    /// The signature does not verify with the selected key.
    #[error("invalid signature")]
    InvalidSignature
        => "invalid_signature", Signature, "the signature does not verify";

    /// No supplied key matches the token's `kid` (or, without `kid`, its algorithm).
    #[error("no matching key: {0}")]
    KeyNotFound(String)
        => "key_not_found", KeyNotFound, "no supplied key matches the token's `kid`/algorithm";

    /// Key material could not be parsed (bad PEM, DER, JWK or raw bytes).
    #[error("invalid key: {0}")]
    InvalidKey(String)
        => "invalid_key", Key, "key material cannot be parsed";

    /// The key material is of another family than the algorithm it is being bound to
    /// (for example an RSA public key offered as an HMAC secret), or a JWK's `alg`
    /// contradicts the requested algorithm.
    #[error("key does not fit algorithm: {0}")]
    KeyAlgorithmMismatch(String)
        => "key_algorithm_mismatch", Key, "key material of another family than the algorithm";

    /// The key is too weak: HMAC secret shorter than the hash output, RSA under 2048 bits.
    #[error("weak key: {0}")]
    WeakKey(String)
        => "weak_key", Key, "HMAC secret shorter than the hash, RSA under 2048 bits";

    /// A JWK's `use` or `key_ops` forbids the requested operation.
    #[error("key usage not allowed: {0}")]
    KeyUsageNotAllowed(String)
        => "key_usage_not_allowed", Key, "a JWK's `use`/`key_ops` forbids the operation";

    /// `exp` is in the past (beyond the leeway).
    #[error("token expired")]
    Expired
        => "token_expired", Expired, "`exp` is in the past";

    /// `nbf` is in the future (beyond the leeway).
    #[error("token not yet valid")]
    NotYetValid
        => "token_not_yet_valid", NotYetValid, "`nbf` is in the future";

    /// `iat` is in the future (beyond the leeway).
    #[error("token issued in the future")]
    IssuedInFuture
        => "token_issued_in_future", NotYetValid, "`iat` is in the future";

    /// `iat` is older than the verifier's maximum token age.
    #[error("token too old")]
    TooOld
        => "token_too_old", Expired, "`iat` is older than the maximum age";

    /// `iss` is not one of the accepted issuers (exact comparison).
    #[error("invalid issuer")]
    InvalidIssuer
        => "invalid_issuer", Claim, "`iss` is not accepted";

    /// `aud` does not contain an accepted audience (exact comparison).
    #[error("invalid audience")]
    InvalidAudience
        => "invalid_audience", Claim, "`aud` contains no accepted audience";

    /// `sub` is not the required subject.
    #[error("invalid subject")]
    InvalidSubject
        => "invalid_subject", Claim, "`sub` is not the required subject";

    /// A required claim is absent.
    #[error("missing required claim `{0}`")]
    MissingClaim(String)
        => "missing_claim", Claim, "a required claim is absent";

    /// A claim has the wrong type (e.g. a string `exp`), an absurd value, or does not
    /// equal the value the verifier requires.
    #[error("invalid claim `{claim}`: {reason}")]
    InvalidClaim {
        /// The claim name.
        claim: String,
        /// Why it was rejected.
        reason: String,
    } => "invalid_claim", Claim, "a claim has the wrong type, an absurd value or an unexpected value";

    /// The caller's custom claim check rejected the token (e.g. a revoked `jti`).
    #[error("claim check rejected the token: {0}")]
    ClaimRejected(String)
        => "claim_rejected", Claim, "the caller's custom check rejected the claims";

    /// The claims are valid JSON but do not deserialize into the caller's type.
    #[error("claims do not match the expected shape: {0}")]
    ClaimsShape(String)
        => "claims_shape", Malformed, "the claims do not deserialize into the caller's type";

    /// An argument or option is invalid (e.g. an empty algorithm list).
    #[error("invalid argument: {0}")]
    InvalidArgument(String)
        => "invalid_argument", Argument, "an option or argument is invalid";

    /// Serializing claims or a header to JSON failed.
    #[error("serialization failed: {0}")]
    Serialization(String)
        => "serialization_failed", Serialization, "claims or header could not be serialized";

    /// The cryptographic backend failed (random generator, signing).
    #[error("cryptographic operation failed: {0}")]
    Crypto(String)
        => "crypto_failure", Internal, "the cryptographic backend failed";

    /// A JWE did not decrypt: wrong or truncated authentication tag, a key unwrap
    /// integrity failure, bad padding, or the wrong key. Deliberately one variant with no
    /// detail, so that failures cannot be told apart (no oracle).
    #[error("decryption failed")]
    DecryptionFailed
        => "decryption_failed", Signature, "a JWE did not decrypt: wrong tag, wrong key, failed unwrap (no detail by design)";

    /// A JWE names a content encryption algorithm (`enc`) or compression (`zip`) this
    /// library does not implement.
    #[error("unsupported content encryption `{0}`")]
    UnsupportedEncryption(String)
        => "unsupported_encryption", Unsupported, "a JWE `enc` or `zip` this library does not implement";
}

impl Error {
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

/// Shorten attacker-controlled text before it goes into an error message.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}
