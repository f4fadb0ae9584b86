//! `Verifier`: keys plus validation rules, built once and reused (the fast path). The
//! GIL is released while the core checks the token, so verification scales over threads.

use jwt_core::{Header, KeySet, TokenData, Validation, VerifiedJws, Verifier, VerifyingKey};
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

/// A `Validation` from keyword options, shared by `Verifier` and the PyJWT layer.
#[derive(Default)]
pub struct Options<'a, 'py> {
    pub algorithms: Option<Vec<jwt_core::Algorithm>>,
    pub issuer: Option<&'a Bound<'py, PyAny>>,
    pub audience: Option<&'a Bound<'py, PyAny>>,
    pub subject: Option<String>,
    pub leeway: u64,
    pub required_claims: Option<Vec<String>>,
    pub max_age: Option<u64>,
    pub typ: Option<String>,
    pub critical: Option<Vec<String>>,
    pub claims_equal: Option<&'a Bound<'py, PyDict>>,
    pub skip_exp: bool,
    pub skip_nbf: bool,
    pub skip_iat: bool,
    pub skip_aud: bool,
}

impl Options<'_, '_> {
    pub fn validation(&self) -> PyResult<Validation> {
        let mut v = Validation::new().leeway(self.leeway);
        if let Some(a) = &self.algorithms {
            v = v.algorithms(a);
        }
        if let Some(i) = self.issuer {
            v = v.issuers(strings(i)?);
        }
        if let Some(a) = self.audience {
            v = v.audiences(strings(a)?);
        }
        if self.skip_aud {
            v = v.insecure_skip_audience();
        }
        if let Some(s) = &self.subject {
            v = v.subject(s.clone());
        }
        if let Some(r) = &self.required_claims {
            v = v.required_claims(r.clone());
        }
        if let Some(m) = self.max_age {
            v = v.max_age(m);
        }
        if let Some(t) = &self.typ {
            v = v.typ(t.clone());
        }
        if let Some(c) = &self.critical {
            v = v.critical(c.clone());
        }
        if let Some(eq) = self.claims_equal {
            for (k, val) in eq.iter() {
                let value: serde_json::Value = serde_json::from_str(&to_json(&val)?)
                    .map_err(|e| invalid_argument(e.to_string()))?;
                v = v.claim_equals(k.extract::<String>()?, value);
            }
        }
        Ok(v.validate_exp(!self.skip_exp)
            .validate_nbf(!self.skip_nbf)
            .validate_iat(!self.skip_iat))
    }
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
        let algorithms = algorithms.as_deref().map(algs).transpose()?;
        let set = key_set(keys, algorithms.as_deref().unwrap_or(&[]))?;
        let opts = Options {
            algorithms,
            issuer,
            audience,
            subject,
            leeway,
            required_claims,
            max_age,
            typ,
            critical,
            claims_equal,
            skip_exp: !verify_exp,
            skip_nbf: !verify_nbf,
            skip_iat: !verify_iat,
            skip_aud: !verify_aud,
        };
        let policy = match kid_policy {
            None | Some("strict") => jwt_core::KidPolicy::Strict,
            Some("lenient") => jwt_core::KidPolicy::Lenient,
            Some(other) => {
                return Err(invalid_argument(format!(
                    "kid_policy must be \"strict\" or \"lenient\", not {other:?}"
                )));
            }
        };
        Verifier::new(set, opts.validation()?.kid_policy(policy))
            .map(Self)
            .py()
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
