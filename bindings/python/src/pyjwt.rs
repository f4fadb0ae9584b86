//! The PyJWT-compatible layer's native half: `encode`/`decode`/`decode_complete` and
//! PyJWS's `encode`/`decode`, taking keys and options the way PyJWT does and handing
//! every decision to the core. `jwt_core/api_jwt.py` and `api_jws.py` are thin wrappers.

use jwt_core::{
    Algorithm, Error, Header, KeySet, Signer, SigningKey, Validation, Verifier, VerifyingKey, sign,
    unverified,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::error::{OrPyErr, err, invalid_argument};
use crate::json::{bytes_of, from_json, to_raw, token_of};
use crate::key::{PySigningKey, alg, jwk_of};
use crate::sign::header_for;
use crate::verify::{Options, PyVerifier, algs, header_to_py, native_key, verify_token};

fn opt_bool(options: Option<&Bound<'_, PyDict>>, name: &str, default: bool) -> PyResult<bool> {
    match options.map(|o| o.get_item(name)).transpose()?.flatten() {
        Some(v) => v.is_truthy(),
        None => Ok(default),
    }
}

/// Verification keys from a PyJWT-style key, bound to each allowed algorithm it fits.
/// If it fits none, the first algorithm's error is raised (e.g. `key_algorithm_mismatch`
/// for a PEM public key offered for HS256).
fn verifying_keys(
    key: &Bound<'_, PyAny>,
    algorithms: &[Algorithm],
    allow_short: bool,
) -> PyResult<KeySet> {
    if let Some(k) = native_key(key) {
        return Ok(KeySet::from(k));
    }
    if key.is_instance_of::<PyList>() || key.is_instance_of::<PyTuple>() {
        let mut set = KeySet::new();
        for k in key.try_iter()? {
            set.push(
                native_key(&k?)
                    .ok_or_else(|| invalid_argument("a key list must hold key objects"))?,
            );
        }
        return Ok(set);
    }
    let mut set = KeySet::new();
    let mut first: Option<Error> = None;
    let mut add = |r: jwt_core::Result<VerifyingKey>| match r {
        Ok(k) => set.push(k),
        Err(e) => {
            first.get_or_insert(e);
        }
    };
    if key.is_instance_of::<PyDict>() {
        let jwk = jwk_of(key)?;
        for a in algorithms {
            add(VerifyingKey::from_jwk(&jwk, Some(*a)));
        }
    } else {
        let material = bytes_of(key)?;
        for a in algorithms {
            add(if !a.is_symmetric() {
                VerifyingKey::from_pem(*a, &material)
            } else if allow_short {
                VerifyingKey::hmac_allow_short(*a, &material)
            } else {
                VerifyingKey::hmac(*a, &material)
            });
        }
    }
    match first {
        Some(e) if set.is_empty() => Err(err(e)),
        _ => Ok(set),
    }
}

/// PyJWT verifies with the key it is given whatever `kid` the token names; the core's
/// key sets select by `kid`. Keys the caller gave without a `kid` take the token's, so
/// that `kid` plays no part, as in PyJWT (keys with their own `kid` still must match).
fn adopt_kid(keys: KeySet, token: &str) -> KeySet {
    let Some(kid) = unverified::header(token).ok().and_then(|h| h.kid) else {
        return keys;
    };
    keys.keys()
        .iter()
        .map(|k| {
            if k.kid().is_none() {
                k.clone().with_kid(kid.clone())
            } else {
                k.clone()
            }
        })
        .collect::<Vec<_>>()
        .into()
}

fn is_key_not_found(py: Python<'_>, e: &PyErr) -> bool {
    e.value(py)
        .getattr("code")
        .is_ok_and(|c| c.eq("key_not_found").unwrap_or(false))
}

/// A signing key from a PyJWT-style key for `a`.
fn signing_key(key: &Bound<'_, PyAny>, a: Algorithm) -> PyResult<SigningKey> {
    if let Ok(k) = key.cast::<PySigningKey>() {
        return Ok(k.get().0.clone());
    }
    if key.is_instance_of::<PyDict>() {
        return SigningKey::from_jwk(&jwk_of(key)?, Some(a)).py();
    }
    let material = bytes_of(key)?;
    if a.is_symmetric() {
        SigningKey::hmac(a, &material).py()
    } else {
        SigningKey::from_pem(a, &material).py()
    }
}

fn algorithm_list(
    key: &Bound<'_, PyAny>,
    algorithms: Option<Vec<String>>,
) -> PyResult<Vec<Algorithm>> {
    match algorithms {
        Some(a) if !a.is_empty() => algs(&a),
        _ => match native_key(key) {
            // PyJWT: with a PyJWK key, the allowed algorithms default to the key's.
            Some(k) => Ok(vec![k.algorithm()]),
            None => Err(invalid_argument(
                "It is required that you pass in a value for the \"algorithms\" argument when calling decode().",
            )),
        },
    }
}

fn signature_of(token: &str) -> PyResult<Vec<u8>> {
    jwt_core::b64_decode(token.rsplit('.').next().unwrap_or_default()).py()
}

fn complete<'py>(
    py: Python<'py>,
    header: Bound<'py, PyAny>,
    payload: Bound<'py, PyAny>,
    token: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    d.set_item("header", header)?;
    d.set_item("payload", payload)?;
    d.set_item("signature", PyBytes::new(py, &signature_of(token)?))?;
    Ok(d.into_any())
}

/// What `decode` verifies with: keys and rules from PyJWT-style arguments.
struct Built {
    keys: KeySet,
    validation: Validation,
    /// PyJWT's `strict_aud` (checked after verification).
    strict_aud: bool,
}

#[allow(clippy::too_many_arguments)]
fn build(
    key: &Bound<'_, PyAny>,
    algorithms: Option<Vec<String>>,
    options: Option<&Bound<'_, PyDict>>,
    audience: Option<&Bound<'_, PyAny>>,
    issuer: Option<&Bound<'_, PyAny>>,
    subject: Option<String>,
    leeway: f64,
) -> PyResult<Built> {
    if !(leeway.is_finite() && leeway >= 0.0) {
        return Err(invalid_argument(
            "leeway must be a non-negative number of seconds",
        ));
    }
    let algorithms = algorithm_list(key, algorithms)?;
    // PyJWT's `enforce_minimum_key_length` defaults to False with only a warning; here
    // short HMAC secrets are refused unless the caller sets it to False explicitly.
    let allow_short = matches!(options.map(|o| o.get_item("enforce_minimum_key_length")).transpose()?.flatten(), Some(v) if !v.is_truthy()?);
    let keys = verifying_keys(key, &algorithms, allow_short)?;
    let verify_exp = opt_bool(options, "verify_exp", true)?;
    let require = match options
        .map(|o| o.get_item("require"))
        .transpose()?
        .flatten()
    {
        Some(r) => Some(r.extract::<Vec<String>>()?),
        None if !verify_exp => Some(Vec::new()),
        None => None,
    };
    let strict_aud = opt_bool(options, "strict_aud", false)?;
    let opts = Options {
        algorithms: Some(algorithms),
        issuer: issuer.filter(|_| opt_bool(options, "verify_iss", true).unwrap_or(true)),
        audience,
        subject: subject.filter(|_| opt_bool(options, "verify_sub", true).unwrap_or(true)),
        leeway: leeway.floor() as u64,
        required_claims: require,
        skip_exp: !verify_exp,
        skip_nbf: !opt_bool(options, "verify_nbf", true)?,
        skip_iat: !opt_bool(options, "verify_iat", true)?,
        skip_aud: !opt_bool(options, "verify_aud", true)?,
        ..Options::default()
    };
    Ok(Built {
        keys,
        validation: opts.validation()?,
        strict_aud: strict_aud && !opts.skip_aud,
    })
}

/// A `Verifier` for `jwt.decode`'s arguments without `options` (the package caches these,
/// so repeated calls with the same key and options parse the key once).
#[pyfunction]
#[pyo3(signature = (key, algorithms, audience = None, issuer = None, subject = None, leeway = 0.0))]
pub fn pyjwt_verifier(
    key: &Bound<'_, PyAny>,
    algorithms: Option<Vec<String>>,
    audience: Option<&Bound<'_, PyAny>>,
    issuer: Option<&Bound<'_, PyAny>>,
    subject: Option<String>,
    leeway: f64,
) -> PyResult<PyVerifier> {
    let b = build(key, algorithms, None, audience, issuer, subject, leeway)?;
    Verifier::new(b.keys, b.validation).map(PyVerifier).py()
}

/// `jwt.decode` / `jwt.decode_complete`.
#[pyfunction]
#[pyo3(signature = (jwt, key, algorithms = None, options = None, audience = None, issuer = None, subject = None, leeway = 0.0, complete_ = false))]
#[allow(clippy::too_many_arguments)]
pub fn decode<'py>(
    py: Python<'py>,
    jwt: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    algorithms: Option<Vec<String>>,
    options: Option<&Bound<'py, PyDict>>,
    audience: Option<&Bound<'py, PyAny>>,
    issuer: Option<&Bound<'py, PyAny>>,
    subject: Option<String>,
    leeway: f64,
    complete_: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let token = token_of(jwt)?;
    if !opt_bool(options, "verify_signature", true)? {
        let t = unverified::decode(&token).py()?;
        let claims = from_json(py, &serde_json::Value::Object(t.claims).to_string())?;
        return if complete_ {
            complete(py, header_to_py(py, &t.header)?, claims, &token)
        } else {
            Ok(claims)
        };
    }
    let Built {
        keys,
        validation,
        strict_aud,
    } = build(key, algorithms, options, audience, issuer, subject, leeway)?;
    let verifier = Verifier::new(keys.clone(), validation.clone()).py()?;
    let data = match verify_token(py, &verifier, &token, None) {
        Err(e) if is_key_not_found(py, &e) => {
            let verifier = Verifier::new(adopt_kid(keys, &token), validation).py()?;
            verify_token(py, &verifier, &token, None)?
        }
        other => other?,
    };
    if strict_aud {
        let want = audience
            .map(|a| a.extract::<String>())
            .transpose()
            .ok()
            .flatten();
        let ok = matches!((&data.registered.aud, want), (Some(jwt_core::Audience::One(have)), Some(w)) if *have == w);
        if !ok {
            return Err(err(Error::InvalidAudience));
        }
    }
    let claims = from_json(py, &data.claims)?;
    if complete_ {
        complete(py, header_to_py(py, &data.header)?, claims, &token)
    } else {
        Ok(claims)
    }
}

fn header_without_typ(
    key: &SigningKey,
    headers: Option<&Bound<'_, PyDict>>,
    default_typ: bool,
) -> PyResult<(Header, bool)> {
    let typ_off = match headers.map(|h| h.get_item("typ")).transpose()?.flatten() {
        Some(t) => !t.is_truthy()?,
        None => false,
    };
    let header = match headers {
        Some(h) if typ_off => {
            let h = h.copy()?;
            h.del_item("typ")?;
            header_for(key, Some(&h))?
        }
        h => header_for(key, h)?,
    };
    let mut header = header;
    if default_typ && !typ_off && header.typ.is_none() {
        header.typ = Some("JWT".into());
    }
    Ok((header, typ_off))
}

fn algorithm_for(
    key: &Bound<'_, PyAny>,
    algorithm: Option<&str>,
    headers: Option<&Bound<'_, PyDict>>,
) -> PyResult<Algorithm> {
    if let Some(a) = headers
        .map(|h| h.get_item("alg"))
        .transpose()?
        .flatten()
        .filter(|a| !a.is_none())
    {
        return alg(&a.extract::<String>()?);
    }
    match (algorithm, key.cast::<PySigningKey>()) {
        (Some(a), _) => alg(a),
        (None, Ok(k)) => Ok(k.get().0.algorithm()),
        // PyJWT's algorithm=None means an unsecured token: never.
        (None, Err(_)) => alg("none"),
    }
}

/// `jwt.encode`: sign a dict of claims into a compact JWT.
#[pyfunction]
#[pyo3(signature = (payload, key, algorithm = None, headers = None, payload_json = None))]
pub fn encode(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    algorithm: Option<&str>,
    headers: Option<&Bound<'_, PyDict>>,
    payload_json: Option<&Bound<'_, PyString>>,
) -> PyResult<String> {
    let raw = match payload_json {
        Some(text) => serde_json::value::RawValue::from_string(text.to_cow()?.into_owned())
            .map_err(|e| err(Error::Serialization(e.to_string())))?,
        None => to_raw(payload)?,
    };
    let a = algorithm_for(key, algorithm, headers)?;
    let key = signing_key(key, a)?;
    let (header, typ_off) = header_without_typ(&key, headers, false)?;
    if typ_off {
        return py
            .detach(|| sign::sign_compact(&key, &header, raw.get().as_bytes()))
            .map_err(err);
    }
    let signer = Signer::with_header(key, header).py()?;
    py.detach(|| signer.sign(&*raw)).map_err(err)
}

/// `PyJWS.encode`: sign arbitrary bytes as a compact JWS (or detached).
#[pyfunction]
#[pyo3(signature = (payload, key, algorithm = None, headers = None, detached = false))]
pub fn jws_encode(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    key: &Bound<'_, PyAny>,
    algorithm: Option<&str>,
    headers: Option<&Bound<'_, PyDict>>,
    detached: bool,
) -> PyResult<String> {
    let payload = bytes_of(payload)?;
    let a = algorithm_for(key, algorithm, headers)?;
    let key = signing_key(key, a)?;
    let (header, _) = header_without_typ(&key, headers, true)?;
    py.detach(|| {
        if detached {
            sign::sign_detached(&key, &header, &payload)
        } else {
            sign::sign_compact(&key, &header, &payload)
        }
    })
    .map_err(err)
}

/// `PyJWS.decode` / `decode_complete`: verify a compact JWS with any payload. `b64: false`
/// (RFC 7797) is understood, as in PyJWT.
#[pyfunction]
#[pyo3(signature = (jwt, key, algorithms = None, options = None, detached_payload = None, complete_ = false))]
pub fn jws_decode<'py>(
    py: Python<'py>,
    jwt: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    algorithms: Option<Vec<String>>,
    options: Option<&Bound<'py, PyDict>>,
    detached_payload: Option<&Bound<'py, PyAny>>,
    complete_: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let token = token_of(jwt)?;
    let (header, payload) = if !opt_bool(options, "verify_signature", true)? {
        let mut parts = token.split('.');
        let h = unverified::header(&token).py()?;
        let p = parts.nth(1).unwrap_or_default();
        let payload = match detached_payload {
            Some(d) => bytes_of(d)?,
            None if h.payload_is_b64() => jwt_core::b64_decode(p).py()?,
            None => p.as_bytes().to_vec(),
        };
        (h, payload)
    } else {
        let algorithms = algorithm_list(key, algorithms)?;
        let keys = adopt_kid(verifying_keys(key, &algorithms, false)?, &token);
        let v = Verifier::new(
            keys,
            Validation::new().algorithms(&algorithms).critical(["b64"]),
        )
        .py()?;
        let d = detached_payload.map(bytes_of).transpose()?;
        let out = py
            .detach(|| match &d {
                Some(p) => v.verify_detached(&token, p),
                None => v.verify_jws(&token),
            })
            .map_err(err)?;
        (out.header, out.payload)
    };
    let payload = PyBytes::new(py, &payload).into_any();
    if complete_ {
        complete(py, header_to_py(py, &header)?, payload, &token)
    } else {
        Ok(payload)
    }
}

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

// ---------------------------------------------------------------------------------------
// `jwt.decode` / `jwt.encode` themselves: the common call (a `str`/`bytes` key, no
// `options`/`headers`) is served here from parsed keys kept in a small cache, without a
// Python frame in between; every other call goes to the Python implementation
// (`api_jwt._decode` / `_encode`), which handles the rest of PyJWT's surface.

/// Most cached `Verifier`s / `Signer`s; when full the cache is emptied and refilled.
const CACHE_MAX: usize = 64;

/// `jwt.decode`'s parsed keys: (key, algorithms, audience, issuer, subject, leeway) ->
/// `Verifier`.
static VERIFIERS: pyo3::sync::PyOnceLock<Py<PyDict>> = pyo3::sync::PyOnceLock::new();
/// `jwt.encode`'s parsed keys: (key, algorithm) -> `Signer`.
static SIGNERS: pyo3::sync::PyOnceLock<Py<PyDict>> = pyo3::sync::PyOnceLock::new();

/// `(verifiers cached, signers cached, the bound)`, for tests.
#[pyfunction]
pub fn pyjwt_cache_sizes(py: Python<'_>) -> (usize, usize, usize) {
    let len = |c: &pyo3::sync::PyOnceLock<Py<PyDict>>| c.get(py).map_or(0, |d| d.bind(py).len());
    (len(&VERIFIERS), len(&SIGNERS), CACHE_MAX)
}

/// An argument that may be absent (distinct from `None`, which PyJWT gives a meaning).
pub enum Arg<'py> {
    /// Not passed.
    Unset,
    /// Passed, possibly as `None`.
    Given(Bound<'py, PyAny>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Arg<'py> {
    type Error = PyErr;
    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Arg::Given(obj.to_owned()))
    }
}

/// `obj` as part of a cache key: `None`, a `str`, or a list/tuple of `str` (as a tuple);
/// `None` (the Rust one) when the value is of any other type (then no caching).
fn cache_part<'py>(obj: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    if obj.is_none() || obj.is_exact_instance_of::<PyString>() {
        return Some(obj.clone());
    }
    let items: Vec<Bound<'py, PyAny>> = if let Ok(l) = obj.cast_exact::<PyList>() {
        l.iter().collect()
    } else if let Ok(t) = obj.cast_exact::<PyTuple>() {
        t.iter().collect()
    } else {
        return None;
    };
    if !items.iter().all(|i| i.is_exact_instance_of::<PyString>()) {
        return None;
    }
    PyTuple::new(obj.py(), items).ok().map(Bound::into_any)
}

fn is_secret_or_pem(key: &Bound<'_, PyAny>) -> bool {
    key.is_exact_instance_of::<PyString>() || key.is_exact_instance_of::<PyBytes>()
}

/// A cached object for `ck`, or the one `make` builds (then cached).
fn cached<'py, T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    cache: &'static pyo3::sync::PyOnceLock<Py<PyDict>>,
    ck: Bound<'py, PyTuple>,
    make: impl FnOnce() -> PyResult<T>,
) -> PyResult<Bound<'py, T>> {
    let py = ck.py();
    let map = cache.get_or_init(py, || PyDict::new(py).unbind()).bind(py);
    if let Some(hit) = map.get_item(&ck)? {
        return Ok(hit.cast_into::<T>()?);
    }
    let made = Bound::new(py, make()?)?;
    if map.len() >= CACHE_MAX {
        map.clear();
    }
    map.set_item(ck, &made)?;
    Ok(made)
}

fn python_fallback<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("jwt_core.api_jwt")?.getattr(name)
}

/// PyJWT's `jwt.decode`: verify a JWT's signature and claims; return the claims.
///
/// `algorithms` is required (unless `key` is a `PyJWK`); `exp` is required unless
/// `options={"require": []}` or `{"verify_exp": False}`.
#[pyfunction]
#[pyo3(signature = (
    jwt, key = Arg::Unset, algorithms = None, options = None, verify = None,
    detached_payload = None, audience = None, subject = None, issuer = None,
    leeway = None, **kwargs
), text_signature = "(jwt, key='', algorithms=None, options=None, verify=None, \
    detached_payload=None, audience=None, subject=None, issuer=None, leeway=0, **kwargs)")]
#[allow(clippy::too_many_arguments)]
pub fn pyjwt_decode<'py>(
    py: Python<'py>,
    jwt: &Bound<'py, PyAny>,
    key: Arg<'py>,
    algorithms: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
    verify: Option<&Bound<'py, PyAny>>,
    detached_payload: Option<&Bound<'py, PyAny>>,
    audience: Option<&Bound<'py, PyAny>>,
    subject: Option<&Bound<'py, PyAny>>,
    issuer: Option<&Bound<'py, PyAny>>,
    leeway: Option<&Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let none = py.None().into_bound(py);
    let or_none = |o: Option<&Bound<'py, PyAny>>| o.cloned().unwrap_or_else(|| none.clone());
    let key = match key {
        Arg::Given(k) => k,
        Arg::Unset => PyString::new(py, "").into_any(),
    };
    let leeway = leeway.cloned().unwrap_or_else(|| {
        0i64.into_pyobject(py)
            .map_or_else(|_| none.clone(), Bound::into_any)
    });
    let fast = options.is_none()
        && detached_payload.is_none()
        && kwargs.is_none_or(|k| k.is_empty())
        && is_secret_or_pem(&key)
        && (leeway.is_exact_instance_of::<pyo3::types::PyInt>()
            || leeway.is_exact_instance_of::<pyo3::types::PyFloat>())
        && subject.is_none_or(|s| s.is_exact_instance_of::<PyString>());
    let parts = match (fast, algorithms) {
        (true, Some(a)) => [Some(a), audience, issuer]
            .into_iter()
            .map(|o| cache_part(&or_none(o)))
            .collect::<Option<Vec<_>>>(),
        _ => None,
    };
    if let Some(parts) = parts.filter(|p| p[0].is_truthy().unwrap_or(false)) {
        let [algs, aud, iss]: [Bound<'py, PyAny>; 3] = parts
            .try_into()
            .map_err(|_| invalid_argument("internal: cache key"))?;
        let ck = PyTuple::new(
            py,
            [
                key.clone(),
                algs.clone(),
                aud.clone(),
                iss.clone(),
                or_none(subject),
                leeway.clone(),
            ],
        )?;
        let v = cached(&VERIFIERS, ck, || {
            let names = if algs.is_instance_of::<PyString>() {
                vec![algs.extract::<String>()?]
            } else {
                algs.extract::<Vec<String>>()?
            };
            pyjwt_verifier(
                &key,
                Some(names),
                audience,
                issuer,
                subject.map(|s| s.extract::<String>()).transpose()?,
                leeway.extract::<f64>()?,
            )
        })?;
        let token = token_of(jwt)?;
        match crate::verify::verify_core(py, &v.get().0, &token, None) {
            Ok(data) => return from_json(py, &data.claims),
            // a token `kid` with a kid-less key: the Python path ignores the kid, as PyJWT
            Err(e) if e.code() == "key_not_found" => {}
            Err(e) => return Err(err(e)),
        }
    }
    let args = PyTuple::new(
        py,
        [
            jwt.clone(),
            key,
            or_none(algorithms),
            or_none(options),
            or_none(verify),
            or_none(detached_payload),
            or_none(audience),
            or_none(subject),
            or_none(issuer),
            leeway,
        ],
    )?;
    python_fallback(py, "_decode")?.call(args, kwargs)
}

/// PyJWT's `jwt.encode`: sign `payload` (a dict of claims) into a compact JWT.
///
/// `algorithm=None` (an unsecured token in PyJWT) is refused; `datetime` values of
/// `exp`/`iat`/`nbf` become NumericDates; HMAC secrets shorter than the hash output are
/// refused (`weak_key`).
#[pyfunction]
#[pyo3(signature = (
    payload, key, algorithm = Arg::Unset, headers = None, json_encoder = None, sort_headers = true
))]
pub fn pyjwt_encode<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
    algorithm: Arg<'py>,
    headers: Option<&Bound<'py, PyAny>>,
    json_encoder: Option<&Bound<'py, PyAny>>,
    sort_headers: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let algorithm = match algorithm {
        // PyJWT's default for a secret or PEM key (a PyJWK's is its own: the Python path)
        Arg::Unset if is_secret_or_pem(key) => PyString::new(py, "HS256").into_any(),
        Arg::Unset => python_fallback(py, "_ALGORITHM_UNSET")?,
        Arg::Given(a) => a,
    };
    if headers.is_none()
        && json_encoder.is_none()
        && is_secret_or_pem(key)
        && algorithm.is_exact_instance_of::<PyString>()
    {
        let ck = PyTuple::new(py, [key.clone(), algorithm.clone()])?;
        let signer = cached(&SIGNERS, ck, || {
            let a = alg(&algorithm.extract::<String>()?)?;
            let material = bytes_of(key)?;
            let k = if a.is_symmetric() {
                SigningKey::hmac(a, &material)
            } else {
                SigningKey::from_pem(a, &material)
            }
            .py()?;
            Signer::new(k).map(crate::sign::PySigner).py()
        })?;
        return crate::sign::sign_claims(py, &signer.get().0, payload)
            .map(|t| PyString::new(py, &t).into_any());
    }
    let none = || py.None().into_bound(py);
    let args = PyTuple::new(
        py,
        [
            payload.clone(),
            key.clone(),
            algorithm,
            headers.cloned().unwrap_or_else(none),
            json_encoder.cloned().unwrap_or_else(none),
            pyo3::types::PyBool::new(py, sort_headers)
                .to_owned()
                .into_any(),
        ],
    )?;
    python_fallback(py, "_encode")?.call1(args)
}
