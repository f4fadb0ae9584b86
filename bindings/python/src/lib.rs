//! `jwt_core._jwt_core`: the native half of the `jwt_core` Python package.
//!
//! Thin newtypes over the core, one Rust module per core module (`key`, `verify`, `sign`,
//! `jwe`) plus `pyjwt` for the PyJWT-compatible functions and `error`/`json` for the
//! crossings.
//! Every JOSE decision stays in `jwt-core`; every failure is a `jwt_core` exception with
//! the core's stable `.code`.

use pyo3::prelude::*;

mod error;
mod json;
mod jwe;
mod jwks;
mod key;
mod pyjwt;
mod sign;
mod text;
mod verify;

#[pymodule]
fn _jwt_core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<key::PySigningKey>()?;
    m.add_class::<key::PyVerifyingKey>()?;
    m.add_class::<verify::PyVerifier>()?;
    m.add_class::<sign::PySigner>()?;
    m.add_class::<jwks::PyJwksRefresh>()?;
    m.add_function(wrap_pyfunction!(jwks::_jwk_set_members, m)?)?;
    m.add_class::<jwe::PyJweDecryptionKey>()?;
    m.add_class::<jwe::PyJweEncrypter>()?;
    m.add_class::<jwe::PyJweDecrypter>()?;
    m.add_class::<jwe::PyJweDecrypted>()?;
    m.add_function(wrap_pyfunction!(jwe::encrypt_general, m)?)?;
    m.add_function(wrap_pyfunction!(jwe::generate_jwe_key, m)?)?;
    m.add_function(wrap_pyfunction!(key::jwk_thumbprint, m)?)?;
    m.add_function(wrap_pyfunction!(key::jwk_default_algorithm, m)?)?;
    m.add_function(wrap_pyfunction!(sign::sign_compact, m)?)?;
    m.add_function(wrap_pyfunction!(sign::sign_detached, m)?)?;
    m.add_function(wrap_pyfunction!(sign::sign_flattened, m)?)?;
    m.add_function(wrap_pyfunction!(sign::sign_general, m)?)?;
    m.add_function(wrap_pyfunction!(json::parse_json, m)?)?;
    m.add_function(wrap_pyfunction!(error::_register_errors, m)?)?;
    m.add("CoreError", m.py().get_type::<error::CoreError>())?;
    m.add_function(wrap_pyfunction!(pyjwt::get_unverified_header, m)?)?;
    m.add_function(wrap_pyfunction!(pyjwt::decode_unverified, m)?)?;
    m.add_function(wrap_pyfunction!(pyjwt::is_unsecured_algorithm, m)?)?;
    m.add_function(wrap_pyfunction!(pyjwt::check_json_object, m)?)?;
    m.add_function(wrap_pyfunction!(pyjwt::check_registered_claims, m)?)?;
    let codes: Vec<(&str, &str)> = jwt_core::Error::ALL_CODES.to_vec();
    m.add("ERROR_CODES", codes)?;
    let kinds: std::collections::HashMap<&str, &str> = jwt_core::Error::CODES
        .iter()
        .map(|c| (c.code, c.kind.as_str()))
        .collect();
    m.add("ERROR_KINDS", kinds)?;
    // The algorithms this build can make keys for: ML-DSA only on jwt-core's aws-lc backend.
    m.add(
        "ALGORITHMS",
        jwt_core::Algorithm::ALL
            .iter()
            .filter(|a| a.is_available())
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
    )?;
    m.add(
        "JWE_ALGORITHMS",
        jwt_core::jwe::KeyAlgorithm::ALL
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
    )?;
    m.add(
        "JWE_ENCRYPTIONS",
        jwt_core::jwe::ContentEncryption::ALL
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>(),
    )?;
    let limits = jwt_core::Limits::default();
    m.add("MAX_TOKEN_BYTES", limits.max_token_bytes)?;
    m.add("MAX_HEADER_BYTES", limits.max_header_bytes)?;
    // the JWKS clients read at most this much of a JWK set document (the core's limit)
    m.add("MAX_JWKS_BYTES", jwt_core::MAX_JWKS_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
