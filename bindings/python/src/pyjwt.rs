//! What the PyJWT-compatible layer (`jwt_core/api_jwt.py`, `api_jws.py`) needs natively
//! beyond the key, `Verifier` and `Signer` classes: strict readers of unverified tokens.
//! That layer normalises PyJWT's arguments in Python and calls into this module; nothing
//! here calls back into Python.

use jwt_core::unverified;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyString, PyTuple};

use crate::error::OrPyErr;
use crate::json::{PyJson, bytes_of, from_json, token_of};
use crate::verify::header_to_py;

/// The header of a token, NOT verified (strict parsing still applies).
#[pyfunction]
pub fn get_unverified_header<'py>(
    py: Python<'py>,
    jwt: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    header_to_py(py, &unverified::header(&token_of(jwt)?).py()?)
}

/// Header and claims of a JWT, NOT verified: `(header, claims)`.
#[pyfunction]
pub fn decode_unverified<'py>(
    py: Python<'py>,
    jwt: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyTuple>> {
    let t = unverified::decode(&token_of(jwt)?).py()?;
    let claims = from_json(py, &serde_json::Value::Object(t.claims).to_string())?;
    PyTuple::new(py, [header_to_py(py, &t.header)?, claims])
}

/// The core's verdict on a header or payload the PyJWT layer reads itself (with
/// `json.loads`, as PyJWT does): one strict JSON object, UTF-8, no member name twice
/// (`duplicate_member`), nesting bounded, an object and nothing else (`malformed_token`)
/// ([`jwt_core::parse_json_object`]). `None`, or the core's error.
#[pyfunction]
pub fn check_json_object(data: &Bound<'_, PyAny>) -> PyResult<()> {
    let bytes = bytes_of(data)?;
    jwt_core::parse_json_object(&bytes, jwt_core::Limits::default().max_json_depth).py()?;
    Ok(())
}

/// Whether `alg` names the unsecured algorithm (`none` in any spelling), the core's
/// decision ([`jwt_core::Algorithm::is_unsecured`]); `False` for anything not a `str`.
#[pyfunction]
pub fn is_unsecured_algorithm(alg: &Bound<'_, PyAny>) -> PyResult<bool> {
    match alg.cast::<PyString>() {
        Ok(s) => Ok(jwt_core::Algorithm::is_unsecured(&s.to_cow()?)),
        Err(_) => Ok(false),
    }
}

/// The core's verdict on the types of the registered claims in `claims` (a dict of the
/// claims to check, as the PyJWT layer read them): `None`, or the core's `invalid_claim`
/// error naming the first claim of the wrong type
/// ([`jwt_core::RegisteredClaims::from_json`]). A value that is not JSON at all is of no
/// registered type; an integer beyond 64 bits is read as the JSON number it was.
#[pyfunction]
pub fn check_registered_claims(claims: &Bound<'_, PyDict>) -> PyResult<()> {
    let mut object = serde_json::Map::with_capacity(claims.len());
    for (name, value) in claims.iter() {
        let json = match serde_json::to_value(PyJson::new(&value)) {
            Ok(v) => v,
            Err(_) if value.is_instance_of::<PyInt>() => {
                serde_json::Value::from(value.extract::<f64>().unwrap_or(f64::INFINITY))
            }
            Err(_) => serde_json::Value::Null,
        };
        object.insert(name.extract::<String>()?, json);
    }
    let text = serde_json::Value::Object(object).to_string();
    jwt_core::RegisteredClaims::from_json(text).py()?;
    Ok(())
}
