//! Verification: [`Validation`] options, [`KeySet`], and the reusable [`Verifier`].
//!
//! The order of checks is fixed and cheap-first: size limits, structure, header, allowed
//! algorithm, key selection, signature, and only then the payload and the claims. Nothing
//! in the payload is looked at before the signature is known to be good.
//!
//! Split along its seams: [`validation`] (what a token must satisfy: [`Validation`],
//! [`Limits`], the claims checks), [`spec`] (the same options as data:
//! [`ValidationSpec`]), [`key_set`] (the keys and how a header selects them),
//! [`verifier`] (the compact fast path: [`Verifier`], its header cache) and [`json`] (the
//! JWS JSON serializations, on the same [`Verifier`]).

mod json;
mod key_set;
mod spec;
mod validation;
mod verifier;

pub use key_set::{KeySet, KidPolicy};
pub use spec::{OneOrMany, ValidationSpec};
pub use validation::{ClaimCheck, Limits, Validation};
pub use verifier::{TokenData, VerifiedJws, Verifier};
