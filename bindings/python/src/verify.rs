//! `Verifier`: keys plus validation rules, built once and reused (the fast path). The
//! GIL is released while the core checks the token, so verification scales over threads.

use jwt_core::{
    Header, KeySet, KidPolicy, OneOrMany, TokenData, ValidationSpec, VerifiedJws, Verifier,
    VerifyingKey,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use crate::error::{OrPyErr, err, invalid_argument};
use crate::json::{PyValue, bytes_of, from_json, to_json, token_of, token_str};
use crate::key::{PySigningKey, PyVerifyingKey, alg};

/// One string or a sequence of strings, as a list.
pub fn strings(obj: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(vec![s.to_cow()?.into_owned()]);
    }
    obj.try_iter()?.map(|x| x?.extract::<String>()).collect()
}

/// The keys of a `Verifier`: a key, a sequence of keys, or a JWK set (dict or JSON text;
/// JWKs without `alg` are bound to each of `algorithms` that fits them).
pub fn key_set(keys: &Bound<'_, PyAny>, algorithms: &[jwt_core::Algorithm]) -> PyResult<KeySet> {
    if let Some(k) = native_key(keys) {
        return Ok(KeySet::from(k));
    }
    if keys.is_instance_of::<PyDict>() || keys.is_instance_of::<PyString>() {
        let text = if keys.is_instance_of::<PyDict>() {
            to_json(keys)?
        } else {
            keys.extract::<String>()?
        };
        return KeySet::from_jwks_json(text, algorithms).py();
    }
    let mut set = KeySet::new();
    for k in keys.try_iter()? {
        let k = k?;
        set.push(native_key(&k).ok_or_else(|| {
            invalid_argument("keys must be VerifyingKey/SigningKey objects or a JWK set")
        })?);
    }
    Ok(set)
}

/// A native key object's verifying key, if `obj` is one.
pub fn native_key(obj: &Bound<'_, PyAny>) -> Option<VerifyingKey> {
    if let Ok(k) = obj.cast::<PyVerifyingKey>() {
        return Some(k.get().0.clone());
    }
    if let Ok(k) = obj.cast::<PySigningKey>() {
        return Some(k.get().0.verifying_key());
    }
    None
}

/// One string or a sequence of strings, as the core's [`OneOrMany`].
fn one_or_many(obj: &Bound<'_, PyAny>) -> PyResult<OneOrMany> {
    Ok(OneOrMany::Many(strings(obj)?))
}

/// A `kid_policy` name, read by the core's own names of its [`KidPolicy`] values.
fn kid_policy_of(name: &str) -> PyResult<KidPolicy> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|e| invalid_argument(format!("kid_policy: {e}")))
}

/// Parse a list of algorithm names.
pub fn algs(names: &[String]) -> PyResult<Vec<jwt_core::Algorithm>> {
    names.iter().map(|n| alg(n)).collect()
}

/// A header as a Python dict.
pub fn header_to_py<'py>(py: Python<'py>, h: &Header) -> PyResult<Bound<'py, PyAny>> {
    from_json(py, &h.to_json())
}

/// Verify, with the GIL released while the core works, except for a verifier with HMAC
/// keys only: an HMAC check takes a fraction of a microsecond, less than releasing and
/// taking back the GIL costs, so there the GIL is kept.
pub fn verify_core(
    py: Python<'_>,
    v: &Verifier,
    token: &str,
    now: Option<i64>,
) -> jwt_core::Result<TokenData<String>> {
    // The raw path: the claims' JSON text as verified, parsed once, into the dict.
    let run = || v.verify_raw_at(token, now.unwrap_or_else(jwt_core::now));
    if v.algorithms().iter().all(|a| a.is_symmetric()) {
        run()
    } else {
        py.detach(run)
    }
}

/// [`verify_core`] with the error as a Python exception.
pub fn verify_token(
    py: Python<'_>,
    v: &Verifier,
    token: &str,
    now: Option<i64>,
) -> PyResult<TokenData<String>> {
    verify_core(py, v, token, now).map_err(err)
}

/// Verify a compact JWT into its header and claims as a Python dict. HMAC-only verifiers
/// keep the GIL and use the core's one-pass path, the claims parsed once straight into
/// Python objects; the others release the GIL for the signature check and parse the
/// claims' JSON text after.
pub fn verify_py<'py>(
    py: Python<'py>,
    v: &Verifier,
    token: &Bound<'py, PyAny>,
    now: Option<i64>,
) -> PyResult<(Header, Bound<'py, PyAny>)> {
    if v.algorithms().iter().all(|a| a.is_symmetric()) {
        let t = token_str(token)?;
        let data = v
            .verify_at::<PyValue>(&t, now.unwrap_or_else(jwt_core::now))
            .map_err(err)?;
        return Ok((data.header, data.claims.0.into_bound(py)));
    }
    let t = token_of(token)?;
    let data = verify_token(py, v, &t, now)?;
    let claims = from_json(py, &data.claims)?;
    Ok((data.header, claims))
}

/// `{"header": ..., "payload": ...}` for a verified JWS.
pub fn jws_to_py<'py>(py: Python<'py>, v: VerifiedJws) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(
        py,
        [
            header_to_py(py, &v.header)?,
            PyBytes::new(py, &v.payload).into_any(),
        ],
    )
}

/// Keys plus validation rules, built once, reused for every token.
#[pyclass(name = "Verifier", module = "jwt_core", frozen)]
#[derive(Debug)]
pub struct PyVerifier(pub Verifier);

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (
        keys, *, algorithms = None, issuer = None, audience = None, subject = None,
        leeway = 0, required_claims = None, max_age = None, typ = None, critical = None,
        claims_equal = None, verify_exp = true, verify_nbf = true, verify_iat = true,
        verify_aud = true, kid_policy = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        keys: &Bound<'_, PyAny>,
        algorithms: Option<Vec<String>>,
        issuer: Option<&Bound<'_, PyAny>>,
        audience: Option<&Bound<'_, PyAny>>,
        subject: Option<String>,
        leeway: u64,
        required_claims: Option<Vec<String>>,
        max_age: Option<u64>,
        typ: Option<String>,
        critical: Option<Vec<String>>,
        claims_equal: Option<&Bound<'_, PyDict>>,
        verify_exp: bool,
        verify_nbf: bool,
        verify_iat: bool,
        verify_aud: bool,
        kid_policy: Option<&str>,
    ) -> PyResult<Self> {
        // the keys are bound to the parsed algorithms; the options go to the core as one
        // `ValidationSpec`, which alone decides what they mean (e.g. `verify_exp=False`
        // without `required_claims` stops requiring `exp`)
        let parsed = algorithms.as_deref().map(algs).transpose()?;
        let set = key_set(keys, parsed.as_deref().unwrap_or(&[]))?;
        let mut spec = ValidationSpec::default();
        spec.algorithms = algorithms;
        spec.issuer = issuer.map(one_or_many).transpose()?;
        spec.audience = audience.map(one_or_many).transpose()?;
        spec.subject = subject;
        spec.leeway = Some(leeway);
        spec.required_claims = required_claims;
        spec.max_age = max_age;
        spec.typ = typ;
        spec.critical = critical;
        spec.claims_equal = claims_equal
            .map(|eq| {
                serde_json::from_str(&to_json(eq)?).map_err(|e| invalid_argument(e.to_string()))
            })
            .transpose()?;
        spec.verify_exp = Some(verify_exp);
        spec.verify_nbf = Some(verify_nbf);
        spec.verify_iat = Some(verify_iat);
        spec.verify_aud = Some(verify_aud);
        spec.kid_policy = kid_policy.map(kid_policy_of).transpose()?;
        Verifier::new(set, spec.build().py()?).map(Self).py()
    }

    /// The accepted algorithms.
    #[getter]
    fn algorithms(&self) -> Vec<&'static str> {
        self.0.algorithms().iter().map(|a| a.as_str()).collect()
    }

    /// Verify a compact JWT and return its claims. `now` (seconds since the epoch)
    /// replaces the clock, for tests and replays.
    #[pyo3(signature = (token, *, now = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Ok(verify_py(py, &self.0, token, now)?.1)
    }

    /// Verify a compact JWT and return `{"header": ..., "payload": ...}`.
    #[pyo3(signature = (token, *, now = None))]
    fn verify_complete<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (header, claims) = verify_py(py, &self.0, token, now)?;
        let d = PyDict::new(py);
        d.set_item("header", header_to_py(py, &header)?)?;
        d.set_item("payload", claims)?;
        Ok(d)
    }

    /// Verify a compact JWS with any payload (no claims checks): `(header, payload)`.
    fn verify_jws<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let t = token_of(token)?;
        let v = py.detach(|| self.0.verify_jws(&t)).map_err(err)?;
        jws_to_py(py, v)
    }

    /// Verify a compact JWS with a detached payload (`header..signature`).
    fn verify_detached<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        payload: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let (t, p) = (token_of(token)?, bytes_of(payload)?);
        let v = py.detach(|| self.0.verify_detached(&t, &p)).map_err(err)?;
        jws_to_py(py, v)
    }

    /// Verify a JWS in the JSON serialization (flattened or general).
    #[pyo3(signature = (document, detached_payload = None))]
    fn verify_json<'py>(
        &self,
        py: Python<'py>,
        document: &Bound<'py, PyAny>,
        detached_payload: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let doc = if document.is_instance_of::<PyDict>() {
            to_json(document)?
        } else {
            token_of(document)?
        };
        let p = detached_payload.map(bytes_of).transpose()?;
        let v = py
            .detach(|| match &p {
                Some(p) => self.0.verify_json_detached(&doc, p),
                None => self.0.verify_json(&doc),
            })
            .map_err(err)?;
        jws_to_py(py, v)
    }

    fn __repr__(&self) -> String {
        format!(
            "Verifier(algorithms={:?}, keys={})",
            self.algorithms(),
            self.0.keys().len()
        )
    }
}
