//! `Signer` and the JWS signing functions. Claims are serialized from Python objects with
//! the GIL held; the signature is computed with the GIL released.

use jwt_core::{Header, Signer, SigningKey, sign};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::error::{OrPyErr, err, invalid_argument};
use crate::json::{PyJson, bytes_of, check_dict, to_map, to_raw};
use crate::key::PySigningKey;
use crate::verify::header_to_py;

/// A header for `key` from an optional dict of members (`alg`, if present, must be the
/// key's algorithm).
pub fn header_for(key: &SigningKey, headers: Option<&Bound<'_, PyDict>>) -> PyResult<Header> {
    let Some(h) = headers else {
        return Ok(Header::new(key.algorithm()));
    };
    let mut m = to_map(h.as_any())?;
    let alg = key.algorithm().as_str();
    if m.get("alg").is_some_and(|a| !a.is_null() && a != alg) {
        return Err(err(jwt_core::Error::KeyAlgorithmMismatch(format!(
            "the header says {} but the key is for {alg}",
            m["alg"]
        ))));
    }
    m.insert("alg".into(), alg.into());
    // As PyJWT does (RFC 7797 3: producers must list `b64` in `crit`).
    if m.get("b64") == Some(&serde_json::Value::Bool(false)) {
        let crit = m
            .entry("crit")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let serde_json::Value::Array(a) = crit {
            if !a.iter().any(|c| c == "b64") {
                a.push("b64".into());
            }
        }
    }
    Header::from_map(m).py()
}

/// A key plus a header template, built once: signing then costs one claims
/// serialization, one base64 pass and the signature.
#[pyclass(name = "Signer", module = "jwt_core", frozen)]
#[derive(Debug)]
pub struct PySigner(pub Signer);

#[pymethods]
impl PySigner {
    /// A signer with the default header (`alg`, `typ: JWT`, the key's `kid`), or with
    /// extra header members from `headers`.
    #[new]
    #[pyo3(signature = (key, headers = None))]
    fn new(key: &Bound<'_, PySigningKey>, headers: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let key = key.get().0.clone();
        let header = header_for(&key, headers)?;
        Signer::with_header(key, header).map(Self).py()
    }

    /// Sign claims (a dict) into a compact JWT.
    fn sign(&self, py: Python<'_>, claims: &Bound<'_, PyAny>) -> PyResult<String> {
        sign_claims(py, &self.0, claims)
    }

    /// `jwt.encode`'s checks, then [`Signer.sign`]: the claims must be a dict whose `iss`,
    /// when present, is a string (PyJWT's `TypeError`s). The PyJWT layer's cached call.
    fn _sign_pyjwt(&self, py: Python<'_>, claims: &Bound<'_, PyAny>) -> PyResult<String> {
        if let Ok(d) = claims.cast::<PyDict>()
            && let Some(iss) = d.get_item(pyo3::intern!(py, "iss"))?
            && !iss.is_instance_of::<pyo3::types::PyString>()
        {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "Issuer (iss) must be a string.",
            ));
        }
        sign_claims(py, &self.0, claims)
    }

    /// The header every token gets.
    #[getter]
    fn header<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        header_to_py(py, self.0.header())
    }

    /// The algorithm.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.0.key().algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        format!("Signer(algorithm={:?})", self.algorithm())
    }
}

/// Sign claims (a dict) with `signer`, with the GIL released while the core works, except
/// for HMAC: a MAC over a small token costs less than releasing and retaking the GIL.
///
/// With the GIL kept (HMAC), the dict is serialized straight into the core's payload
/// buffer; only when the GIL is released is it first copied out as JSON text (a Python
/// object cannot be read without the GIL), one allocation and copy more.
pub fn sign_claims(py: Python<'_>, signer: &Signer, claims: &Bound<'_, PyAny>) -> PyResult<String> {
    if signer.key().algorithm().is_symmetric() {
        check_dict(claims)?;
        signer.sign(&PyJson::new(claims)).map_err(err)
    } else {
        let raw = to_raw(claims)?;
        py.detach(|| signer.sign(&*raw)).map_err(err)
    }
}

/// How a JWS is laid out.
#[derive(Clone, Copy)]
enum Form {
    Compact,
    Detached,
    Flattened,
}

fn sign_form(
    py: Python<'_>,
    key: &PySigningKey,
    payload: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyDict>>,
    form: Form,
) -> PyResult<String> {
    let header = header_for(&key.0, headers)?;
    let payload = bytes_of(payload)?;
    py.detach(|| match form {
        Form::Compact => sign::sign_compact(&key.0, &header, &payload),
        Form::Detached => sign::sign_detached(&key.0, &header, &payload),
        Form::Flattened => sign::sign_flattened(&key.0, &header, None, &payload),
    })
    .map_err(err)
}

/// Sign any payload as a compact JWS (`headers` may set `b64: False`, RFC 7797).
#[pyfunction]
#[pyo3(signature = (key, payload, headers = None))]
pub fn sign_compact(
    py: Python<'_>,
    key: &Bound<'_, PySigningKey>,
    payload: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    sign_form(py, key.get(), payload, headers, Form::Compact)
}

/// Sign with a detached payload: `header..signature`.
#[pyfunction]
#[pyo3(signature = (key, payload, headers = None))]
pub fn sign_detached(
    py: Python<'_>,
    key: &Bound<'_, PySigningKey>,
    payload: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    sign_form(py, key.get(), payload, headers, Form::Detached)
}

/// Sign as flattened JWS JSON.
#[pyfunction]
#[pyo3(signature = (key, payload, headers = None))]
pub fn sign_flattened(
    py: Python<'_>,
    key: &Bound<'_, PySigningKey>,
    payload: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    sign_form(py, key.get(), payload, headers, Form::Flattened)
}

/// Sign as general JWS JSON, one signature per key (headers optional, one per key).
#[pyfunction]
#[pyo3(signature = (keys, payload, headers = None))]
pub fn sign_general(
    py: Python<'_>,
    keys: &Bound<'_, PyList>,
    payload: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyList>>,
) -> PyResult<String> {
    let mut pairs = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let k = k
            .cast::<PySigningKey>()
            .map_err(|_| invalid_argument("keys must be SigningKey objects"))?
            .get()
            .0
            .clone();
        let h = match headers {
            Some(hs) => {
                let h = hs.get_item(i)?;
                header_for(&k, Some(h.cast::<PyDict>()?))?
            }
            None => Header::new(k.algorithm()),
        };
        pairs.push((k, h));
    }
    let payload = bytes_of(payload)?;
    py.detach(|| {
        let refs: Vec<(&SigningKey, &Header)> = pairs.iter().map(|(k, h)| (k, h)).collect();
        sign::sign_general(&refs, &payload)
    })
    .map_err(err)
}
