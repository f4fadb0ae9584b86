//! # The security manual
//!
//! Why the defaults are what they are. Every rule here has a test in
//! `crates/jwt-core/tests/attacks.rs` and a case in the shared conformance corpus.
//!
//! ## `none` is unrepresentable
//! [`crate::Algorithm`] has no `none` variant. A header saying `none`, `None`, `NONE` or
//! `nOnE` fails to parse with `unsupported_algorithm` before any key is looked at
//! (CVE-2015-2951, CVE-2022-23540).
//!
//! ## Keys are bound to one algorithm
//! A [`crate::VerifyingKey`] is made for exactly one algorithm and carries material of
//! that algorithm's family only. The token's header never chooses how a key is used; it
//! can only name an algorithm the verifier already accepts, and then only keys bound to
//! that algorithm are tried. An RSA, EC or Ed25519 public key can never act as an HMAC
//! secret (CVE-2016-10555, CVE-2022-29217): the HMAC constructors also refuse secrets that
//! look like PEM, DER, SSH or JWK key material.
//!
//! ## `exp` is required
//! Tokens are bearer credentials; one without expiry is a password that never changes.
//! [`crate::Validation::new`] requires `exp`; `required_claims([])` opts out explicitly.
//! Registered claims must have their registered types: a string `exp` is
//! `invalid_claim`, never "no expiry" (CVE-2026-25537).
//!
//! ## Strict parsing, bounded work
//! Exactly three segments; strict base64url (no padding, no `+`/`/`, no whitespace, no
//! non-canonical trailing bits); header and payload must be JSON objects in UTF-8;
//! duplicate member names are rejected at every depth (two parsers must never disagree
//! about what a token says); nesting is bounded (32). Sizes are checked before any
//! decoding: 1 MiB per token, 8 KiB per header ([`crate::Limits`]); at most 8 keys are
//! tried for a token without `kid` (CVE-2025-30204, CVE-2025-53864).
//!
//! ## The signature is checked before the claims are read
//! The payload is decoded only after the signature verifies, so nothing an attacker
//! writes in the payload is parsed by code that runs before authentication.
//!
//! ## Exact comparisons
//! `iss`, `aud` and `sub` are compared exactly (no prefix or substring matching,
//! CVE-2024-53861). A token carrying `aud` is rejected by a verifier that has no audience
//! configured (RFC 7519 4.1.3).
//!
//! ## `crit`, `jku`, `x5u`, `jwk`, `x5c`
//! A `crit` extension the caller has not declared is rejected (RFC 7515 4.1.11). Header
//! members that point to keys are kept as data and never followed or trusted
//! (CVE-2018-0114): keys only come from the caller.
//!
//! ## ECDSA signatures
//! Only the fixed-size `r || s` form is accepted. DER signatures, wrong lengths, and
//! `r` or `s` equal to 0 or not below the group order are rejected (CVE-2022-21449).
//! For secp256k1, high-S signatures are accepted, as ECDSA defines them valid and JWS
//! does not require low-S (signing always produces low-S).
//!
//! ## Weak keys
//! HMAC secrets shorter than the hash output are refused for signing and for
//! verification unless [`crate::VerifyingKey::hmac_allow_short`] is used. RSA keys under
//! 2048 bits are refused.
//!
//! ## Secrets in memory
//! Secret bytes and private key documents live in zeroizing buffers; `Debug` output
//! redacts them; error messages never include key material. ring's own parsed key
//! structures are not zeroized by ring.
