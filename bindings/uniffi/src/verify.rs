//! Verification: [`Verifier`] built once from a [`KeySet`] and [`VerifierOptions`]
//! (`jwt_core::Verifier` + `jwt_core::Validation`), returning [`VerifiedToken`]s.

use std::sync::Arc;

use crate::Algorithm;
use crate::claims::{RegisteredClaims, json_object};
use crate::error::{JwtError, guard};
use crate::keys::{KeySet, VerifyingKey};

/// What a token must satisfy. Every member is optional; absent means the core's safe
/// default: `exp` required, no leeway, a token with `aud` rejected unless an audience is
/// configured, `crit` extensions rejected unless declared.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct VerifierOptions {
    /// Accepted algorithms, intersected with the keys' algorithms. Default: the keys'.
    #[uniffi(default)]
    pub algorithms: Option<Vec<Algorithm>>,
    /// Accepted issuers (exact comparison). Default: `iss` not checked.
    #[uniffi(default)]
    pub issuers: Option<Vec<String>>,
    /// Accepted audiences (exact comparison); `aud` must contain one of them.
    #[uniffi(default)]
    pub audiences: Option<Vec<String>>,
    /// Required subject.
    #[uniffi(default)]
    pub subject: Option<String>,
    /// Clock skew tolerated for `exp`, `nbf`, `iat`, in seconds. Default 0.
    #[uniffi(default)]
    pub leeway_seconds: u64,
    /// Claims that must be present. Default `["exp"]`; an empty list accepts tokens
    /// without `exp`.
    #[uniffi(default)]
    pub required_claims: Option<Vec<String>>,
    /// Reject tokens whose `iat` is older than this many seconds (requires `iat`).
    #[uniffi(default)]
    pub max_age_seconds: Option<u64>,
    /// Required `typ` header (case-insensitive, `application/` prefix ignored).
    #[uniffi(default)]
    pub typ: Option<String>,
    /// `crit` header extensions the caller understands (e.g. `b64`).
    #[uniffi(default)]
    pub critical: Vec<String>,
    /// Claims that must equal these values exactly, as a JSON object.
    #[uniffi(default)]
    pub claims_equal_json: Option<String>,
    /// Do not check `aud` at all. Only for callers that check it themselves.
    #[uniffi(default)]
    pub insecure_skip_audience: bool,
}

impl VerifierOptions {
    /// The core's [`jwt_core::ValidationSpec`] filled from these option names; the core
    /// alone turns it into a `Validation`.
    fn to_validation(&self) -> Result<jwt_core::Validation, JwtError> {
        let mut spec = jwt_core::ValidationSpec::default();
        spec.algorithms = (self.algorithms.as_ref())
            .map(|algs| algs.iter().map(|a| a.as_str().to_owned()).collect());
        spec.leeway = Some(self.leeway_seconds);
        spec.issuer = self.issuers.clone().map(Into::into);
        spec.audience = self.audiences.clone().map(Into::into);
        spec.subject = self.subject.clone();
        spec.required_claims = self.required_claims.clone();
        spec.max_age = self.max_age_seconds;
        spec.typ = self.typ.clone();
        spec.critical = Some(self.critical.clone()).filter(|c| !c.is_empty());
        spec.claims_equal = (self.claims_equal_json.as_deref())
            .map(|eq| json_object(eq, "claims_equal_json"))
            .transpose()?;
        spec.verify_aud = self.insecure_skip_audience.then_some(false);
        Ok(spec.build()?)
    }
}

/// A JWS header as the bindings see it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TokenHeader {
    /// The signature algorithm.
    pub alg: Algorithm,
    /// `typ`.
    pub typ: Option<String>,
    /// `cty`.
    pub cty: Option<String>,
    /// `kid`.
    pub kid: Option<String>,
    /// `crit`.
    pub crit: Option<Vec<String>>,
    /// The whole header as a JSON object (including `jku`, `x5c`, ... which are never
    /// followed).
    pub json: String,
}

impl From<&jwt_core::Header> for TokenHeader {
    fn from(h: &jwt_core::Header) -> Self {
        TokenHeader {
            alg: h.alg,
            typ: h.typ.clone(),
            cty: h.cty.clone(),
            kid: h.kid.clone(),
            crit: h.crit.clone(),
            json: h.to_json(),
        }
    }
}

/// A verified JWT.
#[derive(Debug, Clone, uniffi::Record)]
pub struct VerifiedToken {
    /// The header.
    pub header: TokenHeader,
    /// The registered claims, typed.
    pub claims: RegisteredClaims,
    /// All claims (registered and custom) as a JSON object: the token's payload text,
    /// exactly as signed.
    pub claims_json: String,
}

impl VerifiedToken {
    /// From the core's verified token with the claims as the payload's JSON text (also
    /// the inner token of a nested JWE).
    pub(crate) fn from_core(data: jwt_core::TokenData<String>) -> Self {
        VerifiedToken {
            header: TokenHeader::from(&data.header),
            claims: data.registered.into(),
            claims_json: data.claims,
        }
    }
}

/// A verified JWS with an arbitrary payload (no claims checks were made).
#[derive(Debug, Clone, uniffi::Record)]
pub struct VerifiedJws {
    /// The header.
    pub header: TokenHeader,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// Keys plus validation rules, built once and reused for every token; thread-safe.
#[derive(Debug, uniffi::Object)]
pub struct Verifier(pub(crate) jwt_core::Verifier);

#[uniffi::export]
impl Verifier {
    /// A verifier over a key set. The accepted algorithms are the keys', narrowed by
    /// `options.algorithms`; an empty result fails with `invalid_argument`.
    #[uniffi::constructor(default(options))]
    pub fn new(keys: Arc<KeySet>, options: VerifierOptions) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            let keys = jwt_core::KeySet::from(keys.0.keys().to_vec());
            Ok(Arc::new(Self(jwt_core::Verifier::new(
                keys,
                options.to_validation()?,
            )?)))
        })
    }

    /// A verifier over one key.
    #[uniffi::constructor(default(options))]
    pub fn with_key(
        key: Arc<VerifyingKey>,
        options: VerifierOptions,
    ) -> Result<Arc<Self>, JwtError> {
        guard(|| {
            Ok(Arc::new(Self(jwt_core::Verifier::new(
                key.0.clone(),
                options.to_validation()?,
            )?)))
        })
    }

    /// Verify a compact JWT now.
    pub fn verify(&self, token: String) -> Result<VerifiedToken, JwtError> {
        self.verify_at(token, jwt_core::now())
    }

    /// Verify a compact JWT as of `now` (seconds since the epoch).
    pub fn verify_at(&self, token: String, now: i64) -> Result<VerifiedToken, JwtError> {
        self.verify_str(&token, now)
    }

    /// Verify a compact JWS with an arbitrary payload (no claims checks); `b64: false`
    /// (RFC 7797) only when `b64` is in `options.critical`.
    pub fn verify_jws(&self, token: String) -> Result<VerifiedJws, JwtError> {
        guard(|| {
            let v = self.0.verify_jws(&token)?;
            Ok(VerifiedJws {
                header: TokenHeader::from(&v.header),
                payload: v.payload,
            })
        })
    }

    /// The algorithms this verifier accepts.
    pub fn algorithms(&self) -> Vec<Algorithm> {
        self.0.algorithms().to_vec()
    }
}

impl Verifier {
    /// What [`Verifier::verify_at`] does, on a borrowed token: shared with the JVM fast
    /// path (`crate::fast`) so both doors give the same result.
    pub(crate) fn verify_str(&self, token: &str, now: i64) -> Result<VerifiedToken, JwtError> {
        guard(|| Ok(VerifiedToken::from_core(self.0.verify_raw_at(token, now)?)))
    }
}
