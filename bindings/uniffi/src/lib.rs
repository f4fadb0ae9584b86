//! jwt-core for Kotlin (JVM, Android) and Swift (iOS, macOS), through uniffi.
//!
//! A thin door: every type here wraps a jwt-core type, every function calls one core
//! function, and every failure is a [`JwtError`] carrying the core's stable `code`.
//! There is no JOSE logic in this crate.
//!
//! The generated Kotlin lives in package `dev.jwtcore`, the Swift module is `JwtCore`
//! (see `uniffi.toml`). Modules mirror the core's: [`keys`], [`claims`], [`sign`], [`verify`],
//! [`unverified`], [`jwe`], [`error`]; [`fast`] is the JVM's fast path of `verify`.
//!
//! No panic crosses the boundary: every exported function runs inside
//! [`error::guard`], which turns a panic into `JwtError::Internal` with code
//! `internal_error` (and uniffi's own panic handling would catch anything else).

pub mod claims;
pub mod error;
pub mod fast;
pub mod jwe;
pub mod keys;
pub mod sign;
pub mod unverified;
pub mod verify;

pub use error::JwtError;

uniffi::setup_scaffolding!();

/// A JWS signature algorithm (RFC 7518, RFC 8037, RFC 8812). `none` does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
#[allow(clippy::upper_case_acronyms)] // the registered JOSE identifiers
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
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// ECDSA on secp256k1 with SHA-256.
    ES256K,
    /// EdDSA on Ed25519.
    EdDSA,
    /// Ed25519: the RFC 9864 name of the same signature as `EdDSA`.
    Ed25519,
}

impl From<Algorithm> for jwt_core::Algorithm {
    fn from(a: Algorithm) -> Self {
        use jwt_core::Algorithm as C;
        match a {
            Algorithm::HS256 => C::HS256,
            Algorithm::HS384 => C::HS384,
            Algorithm::HS512 => C::HS512,
            Algorithm::RS256 => C::RS256,
            Algorithm::RS384 => C::RS384,
            Algorithm::RS512 => C::RS512,
            Algorithm::PS256 => C::PS256,
            Algorithm::PS384 => C::PS384,
            Algorithm::PS512 => C::PS512,
            Algorithm::ES256 => C::ES256,
            Algorithm::ES384 => C::ES384,
            Algorithm::ES512 => C::ES512,
            Algorithm::ES256K => C::ES256K,
            Algorithm::EdDSA => C::EdDSA,
            Algorithm::Ed25519 => C::Ed25519,
        }
    }
}

impl From<jwt_core::Algorithm> for Algorithm {
    fn from(a: jwt_core::Algorithm) -> Self {
        use jwt_core::Algorithm as C;
        match a {
            C::HS256 => Algorithm::HS256,
            C::HS384 => Algorithm::HS384,
            C::HS512 => Algorithm::HS512,
            C::RS256 => Algorithm::RS256,
            C::RS384 => Algorithm::RS384,
            C::RS512 => Algorithm::RS512,
            C::PS256 => Algorithm::PS256,
            C::PS384 => Algorithm::PS384,
            C::PS512 => Algorithm::PS512,
            C::ES256 => Algorithm::ES256,
            C::ES384 => Algorithm::ES384,
            C::ES512 => Algorithm::ES512,
            C::ES256K => Algorithm::ES256K,
            C::EdDSA => Algorithm::EdDSA,
            C::Ed25519 => Algorithm::Ed25519,
        }
    }
}

pub(crate) fn core_algs(algs: &[Algorithm]) -> Vec<jwt_core::Algorithm> {
    algs.iter().map(|&a| a.into()).collect()
}

/// Parse a registered algorithm name (`"ES256"`). `none` in any spelling and unknown
/// names fail with code `unsupported_algorithm`.
#[uniffi::export]
pub fn algorithm_from_name(name: String) -> Result<Algorithm, JwtError> {
    error::guard(|| Ok(name.parse::<jwt_core::Algorithm>()?.into()))
}

/// The registered name of an algorithm (`"ES256"`).
#[uniffi::export]
pub fn algorithm_name(alg: Algorithm) -> String {
    jwt_core::Algorithm::from(alg).as_str().to_owned()
}

/// Every stable error code the core can return, in the core's order, plus this
/// binding's `internal_error`.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    jwt_core::Error::ALL_CODES
        .iter()
        .map(|(c, _)| (*c).to_owned())
        .chain([error::INTERNAL_ERROR.to_owned()])
        .collect()
}

/// The current time in seconds since the epoch, as the core sees it.
#[uniffi::export]
pub fn now_seconds() -> i64 {
    jwt_core::now()
}
