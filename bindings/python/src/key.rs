//! `SigningKey` and `VerifyingKey`: thin newtypes over the core's keys, each bound to one
//! algorithm when it is made.

use jwt_core::{Algorithm, HmacPolicy, Jwk, SigningKey, VerifyingKey};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::error::{OrPyErr, err};
use crate::json::{bytes_of, from_json, to_json};

/// Parse an algorithm name (`none` in any spelling is `unsupported_algorithm`).
pub fn alg(name: &str) -> PyResult<Algorithm> {
    name.parse().py()
}

/// A JWK given as a dict, or as JSON text (`str`/`bytes`), parsed by the core's strict
/// parser (duplicate members rejected, size bounded).
pub fn jwk_of(obj: &Bound<'_, PyAny>) -> PyResult<Jwk> {
    let text = if obj.is_instance_of::<PyDict>() {
        to_json(obj)?.into_bytes()
    } else {
        bytes_of(obj)?
    };
    Jwk::from_json(text).py()
}

/// A JWK as a Python dict.
pub fn jwk_to_py<'py>(py: Python<'py>, jwk: &Jwk) -> PyResult<Bound<'py, PyAny>> {
    from_json(py, &jwk.to_json())
}

/// The binding's `allow_short` flag as the core's rule for HMAC secrets shorter than the
/// hash output: `True` is [`HmacPolicy::Allow`] (the PyJWT-compatible layer warns with
/// `InsecureKeyLengthWarning` itself, from PyJWT's own `check_key_length`), `False`
/// [`HmacPolicy::Refuse`]. Empty secrets and key material stay refused under both.
fn hmac_policy(allow_short: bool) -> HmacPolicy {
    if allow_short {
        HmacPolicy::Allow
    } else {
        HmacPolicy::Refuse
    }
}

/// A private (or secret) key bound to one algorithm, ready to sign.
#[pyclass(name = "SigningKey", module = "jwt_core", frozen)]
#[derive(Clone, Debug)]
pub struct PySigningKey(pub SigningKey);

#[pymethods]
impl PySigningKey {
    /// A fresh random key for `algorithm` (RSA: 2048 bits).
    #[staticmethod]
    fn generate(py: Python<'_>, algorithm: &str) -> PyResult<Self> {
        let a = alg(algorithm)?;
        py.detach(|| SigningKey::generate(a)).map(Self).py()
    }

    /// An HMAC key from a secret at least as long as the hash output. `allow_short=True`
    /// accepts a shorter (non-empty) secret, for the PyJWT-compatible functions, which
    /// sign with such secrets after a warning as PyJWT does.
    #[staticmethod]
    #[pyo3(signature = (algorithm, secret, allow_short = false))]
    fn hmac(algorithm: &str, secret: &Bound<'_, PyAny>, allow_short: bool) -> PyResult<Self> {
        let (a, s) = (alg(algorithm)?, bytes_of(secret)?);
        SigningKey::hmac_with_policy(a, &s, hmac_policy(allow_short))
            .map(Self)
            .py()
    }

    /// A private key from PEM (PKCS#8, PKCS#1 or SEC1).
    #[staticmethod]
    fn from_pem(algorithm: &str, pem: &Bound<'_, PyAny>) -> PyResult<Self> {
        SigningKey::from_pem(alg(algorithm)?, bytes_of(pem)?)
            .map(Self)
            .py()
    }

    /// A private key from DER (PKCS#8, or PKCS#1/SEC1 by the algorithm's family).
    #[staticmethod]
    fn from_der(algorithm: &str, der: &[u8]) -> PyResult<Self> {
        SigningKey::from_der(alg(algorithm)?, der).map(Self).py()
    }

    /// A key from a private JWK (dict or JSON text); `algorithm` when the JWK has no `alg`.
    /// `allow_short=True` accepts an `oct` secret shorter than the hash output, as `hmac`
    /// does.
    #[staticmethod]
    #[pyo3(signature = (jwk, algorithm = None, allow_short = false))]
    fn from_jwk(
        jwk: &Bound<'_, PyAny>,
        algorithm: Option<&str>,
        allow_short: bool,
    ) -> PyResult<Self> {
        let a = algorithm.map(alg).transpose()?;
        SigningKey::from_jwk_with_policy(&jwk_of(jwk)?, a, hmac_policy(allow_short))
            .map(Self)
            .py()
    }

    /// The algorithm this key is bound to.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.0.algorithm().as_str()
    }

    /// The key id, if any.
    #[getter]
    fn kid(&self) -> Option<&str> {
        self.0.kid()
    }

    /// The same key with a `kid`.
    fn with_kid(&self, kid: String) -> Self {
        Self(self.0.clone().with_kid(kid))
    }

    /// The same key with its RFC 7638 thumbprint as `kid`.
    fn with_thumbprint_kid(&self) -> PyResult<Self> {
        self.0.clone().with_thumbprint_kid().map(Self).py()
    }

    /// The matching verifying key.
    fn verifying_key(&self) -> PyVerifyingKey {
        PyVerifyingKey(self.0.verifying_key())
    }

    /// The public JWK (an error for HMAC keys).
    fn to_public_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_to_py(py, &self.0.to_public_jwk().py()?)
    }

    /// The private JWK, secret members included. Handle with care.
    fn to_private_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_to_py(py, &self.0.to_private_jwk().py()?)
    }

    /// The private key as PKCS#8 PEM (not for HMAC keys).
    fn to_pkcs8_pem(&self) -> PyResult<String> {
        self.0.to_pkcs8_pem().map(|p| p.to_string()).py()
    }

    /// The public key as SPKI PEM.
    fn public_key_pem(&self) -> PyResult<String> {
        self.0.public_key_pem().py()
    }

    /// RFC 7638 thumbprint (base64url SHA-256).
    fn thumbprint(&self) -> PyResult<String> {
        self.0.thumbprint().py()
    }

    /// Sign `message`, giving the JWS signature bytes (r||s for ECDSA).
    fn sign<'py>(&self, py: Python<'py>, message: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let sig = py.detach(|| self.0.sign(message)).map_err(err)?;
        Ok(PyBytes::new(py, &sig))
    }

    fn __repr__(&self) -> String {
        format!(
            "SigningKey(algorithm={:?}, kid={:?})",
            self.0.algorithm().as_str(),
            self.0.kid()
        )
    }
}

/// A public key (or HMAC secret) bound to one algorithm, ready to verify.
#[pyclass(name = "VerifyingKey", module = "jwt_core", frozen)]
#[derive(Clone, Debug)]
pub struct PyVerifyingKey(pub VerifyingKey);

#[pymethods]
impl PyVerifyingKey {
    /// An HMAC key. `allow_short=True` accepts secrets shorter than the hash output (for
    /// verifying tokens from legacy issuers).
    #[staticmethod]
    #[pyo3(signature = (algorithm, secret, allow_short = false))]
    fn hmac(algorithm: &str, secret: &Bound<'_, PyAny>, allow_short: bool) -> PyResult<Self> {
        let (a, s) = (alg(algorithm)?, bytes_of(secret)?);
        VerifyingKey::hmac_with_policy(a, &s, hmac_policy(allow_short))
            .map(Self)
            .py()
    }

    /// A public key from PEM (SPKI or PKCS#1; a private key PEM gives its public half).
    #[staticmethod]
    fn from_pem(algorithm: &str, pem: &Bound<'_, PyAny>) -> PyResult<Self> {
        VerifyingKey::from_pem(alg(algorithm)?, bytes_of(pem)?)
            .map(Self)
            .py()
    }

    /// A public key from DER (SPKI, or PKCS#1 for RSA).
    #[staticmethod]
    fn from_der(algorithm: &str, der: &[u8]) -> PyResult<Self> {
        VerifyingKey::from_der(alg(algorithm)?, der).map(Self).py()
    }

    /// A key from a JWK (dict or JSON text); `algorithm` when the JWK has no `alg`.
    #[staticmethod]
    #[pyo3(signature = (jwk, algorithm = None))]
    fn from_jwk(jwk: &Bound<'_, PyAny>, algorithm: Option<&str>) -> PyResult<Self> {
        let a = algorithm.map(alg).transpose()?;
        VerifyingKey::from_jwk(&jwk_of(jwk)?, a).map(Self).py()
    }

    /// A public key from raw bytes: an uncompressed EC point, or a 32-byte Ed25519 key.
    #[staticmethod]
    fn from_public_bytes(algorithm: &str, public: &[u8]) -> PyResult<Self> {
        VerifyingKey::from_public_bytes(alg(algorithm)?, public)
            .map(Self)
            .py()
    }

    /// The algorithm this key is bound to.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.0.algorithm().as_str()
    }

    /// The key id, if any.
    #[getter]
    fn kid(&self) -> Option<&str> {
        self.0.kid()
    }

    /// The same key with a `kid`.
    fn with_kid(&self, kid: String) -> Self {
        Self(self.0.clone().with_kid(kid))
    }

    /// The public JWK (an error for HMAC keys).
    fn to_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_to_py(py, &self.0.to_jwk().py()?)
    }

    /// The public key as SPKI PEM.
    fn to_pem(&self) -> PyResult<String> {
        self.0.to_pem().py()
    }

    /// RFC 7638 thumbprint (base64url SHA-256).
    fn thumbprint(&self) -> PyResult<String> {
        self.0.thumbprint().py()
    }

    /// Check a JWS signature over `message`; raises `InvalidSignatureError` on mismatch.
    fn verify(&self, py: Python<'_>, message: &[u8], signature: &[u8]) -> PyResult<()> {
        py.detach(|| self.0.verify(message, signature)).map_err(err)
    }

    fn __repr__(&self) -> String {
        format!(
            "VerifyingKey(algorithm={:?}, kid={:?})",
            self.0.algorithm().as_str(),
            self.0.kid()
        )
    }
}

/// The algorithm a JWK of key type `kty` (on curve `crv`) is taken for when neither it
/// nor the caller names one: the core's choice ([`Jwk::default_algorithm_for`]), for
/// PyJWT's `PyJWK`.
#[pyfunction]
#[pyo3(signature = (kty, crv = None))]
pub fn jwk_default_algorithm(kty: &str, crv: Option<&str>) -> PyResult<&'static str> {
    Jwk::default_algorithm_for(kty, crv)
        .map(Algorithm::as_str)
        .py()
}

/// RFC 7638 thumbprint of a JWK (dict or JSON text).
#[pyfunction]
pub fn jwk_thumbprint(jwk: &Bound<'_, PyAny>) -> PyResult<String> {
    jwk_of(jwk)?.thumbprint().py()
}
