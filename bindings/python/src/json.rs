//! JSON between Python objects and the core, without an intermediate tree: claims and
//! headers are serialized straight from Python objects (dict order kept) and parsed
//! straight into Python objects.

use std::fmt;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;

use crate::error::err;
use crate::text::str_of;

/// Deepest nesting serialized from Python (a cyclic structure must not overflow the stack).
const MAX_DEPTH: usize = 64;

/// Time claims that PyJWT converts from `datetime` to NumericDate on encode.
const TIME_CLAIMS: [&str; 3] = ["exp", "iat", "nbf"];

/// A Python object seen as JSON by serde.
pub struct PyJson<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    depth: usize,
}

impl<'a, 'py> PyJson<'a, 'py> {
    /// The top-level value: `datetime`s in `exp`/`iat`/`nbf` become NumericDates.
    pub fn new(obj: &'a Bound<'py, PyAny>) -> Self {
        PyJson { obj, depth: 0 }
    }
}

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DATETIME.import(py, "datetime", "datetime")
}

fn numeric_date(v: &Bound<'_, PyAny>) -> PyResult<Option<i64>> {
    let py = v.py();
    // The usual value is already a number: `isinstance(int, datetime)` is false only after
    // a `__class__` attribute lookup, a tenth of an HS256 `Signer.sign`.
    if v.is_exact_instance_of::<PyInt>() || v.is_exact_instance_of::<PyFloat>() {
        return Ok(None);
    }
    if !v.get_type().is_subclass(datetime_type(py)?)? {
        return Ok(None);
    }
    static TIMEGM: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let timegm = TIMEGM.import(py, "calendar", "timegm")?;
    let t = timegm.call1((v.call_method0("utctimetuple")?,))?;
    Ok(Some(t.extract()?))
}

impl Serialize for PyJson<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let o = self.obj;
        let fail = |e: PyErr| ser::Error::custom(e.to_string());
        if self.depth > MAX_DEPTH {
            return Err(ser::Error::custom("JSON nested too deeply (or cyclic)"));
        }
        // Exact `str` and `int` first: a type pointer comparison, where the subclass
        // checks below are a function call each in the stable ABI.
        if let Ok(v) = o.cast_exact::<PyString>() {
            return s.serialize_str(&str_of(v).map_err(fail)?);
        }
        if let Ok(v) = o.cast_exact::<PyInt>()
            && let Ok(i) = v.extract::<i64>()
        {
            return s.serialize_i64(i);
        }
        if let Ok(v) = o.cast::<PyString>() {
            return s.serialize_str(&str_of(v).map_err(fail)?);
        }
        if let Ok(v) = o.cast_exact::<PyBool>() {
            return s.serialize_bool(v.is_true());
        }
        if let Ok(v) = o.cast::<PyInt>() {
            if let Ok(i) = v.extract::<i64>() {
                return s.serialize_i64(i);
            }
            if let Ok(u) = v.extract::<u64>() {
                return s.serialize_u64(u);
            }
            return Err(ser::Error::custom("integer out of the 64-bit range"));
        }
        if let Ok(v) = o.cast::<PyFloat>() {
            let f = v.value();
            if !f.is_finite() {
                return Err(ser::Error::custom("NaN and infinity are not JSON"));
            }
            return s.serialize_f64(f);
        }
        if o.is_none() {
            return s.serialize_unit();
        }
        let depth = self.depth + 1;
        if let Ok(d) = o.cast::<PyDict>() {
            let mut m = s.serialize_map(Some(d.len()))?;
            for (k, v) in d.iter() {
                let k = k
                    .cast::<PyString>()
                    .map_err(|_| ser::Error::custom("JSON object keys must be strings"))?;
                let k = str_of(k).map_err(fail)?;
                if self.depth == 0 && TIME_CLAIMS.contains(&k.as_ref()) {
                    if let Some(t) = numeric_date(&v).map_err(fail)? {
                        m.serialize_entry(&k, &t)?;
                        continue;
                    }
                }
                m.serialize_entry(&k, &PyJson { obj: &v, depth })?;
            }
            return m.end();
        }
        if let Ok(l) = o.cast::<PyList>() {
            let mut q = s.serialize_seq(Some(l.len()))?;
            for v in l.iter() {
                q.serialize_element(&PyJson { obj: &v, depth })?;
            }
            return q.end();
        }
        if let Ok(t) = o.cast::<PyTuple>() {
            let mut q = s.serialize_seq(Some(t.len()))?;
            for v in t.iter() {
                q.serialize_element(&PyJson { obj: &v, depth })?;
            }
            return q.end();
        }
        let name = o
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        Err(ser::Error::custom(format!(
            "Object of type {name} is not JSON serializable"
        )))
    }
}

/// Serialize a Python object to compact JSON text.
pub fn to_json(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    serde_json::to_string(&PyJson::new(obj))
        .map_err(|e| err(jwt_core::Error::Serialization(e.to_string())))
}

/// Claims must be a dict (PyJWT's `TypeError` otherwise).
pub fn check_dict(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    if obj.is_instance_of::<PyDict>() {
        return Ok(());
    }
    Err(PyTypeError::new_err(
        "Expecting a dict object, as JWT only supports JSON objects as payloads.",
    ))
}

/// Serialize a Python dict to compact JSON text kept as a [`RawValue`] (passed through
/// the core untouched).
pub fn to_raw(obj: &Bound<'_, PyAny>) -> PyResult<Box<RawValue>> {
    check_dict(obj)?;
    // serialized by serde_json itself, so not parsed again to be checked
    serde_json::value::to_raw_value(&PyJson::new(obj))
        .map_err(|e| err(jwt_core::Error::Serialization(e.to_string())))
}

/// Serialize a Python dict into a JSON object map (for headers).
pub fn to_map(obj: &Bound<'_, PyAny>) -> PyResult<serde_json::Map<String, serde_json::Value>> {
    let text = to_json(obj)?;
    serde_json::from_str(&text)
        .map_err(|_| err(jwt_core::Error::InvalidArgument("expected a dict".into())))
}

/// Parse JSON text into Python objects (dicts keep the document's member order).
pub fn from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = PySeed(py)
        .deserialize(&mut de)
        .map_err(|e| err(jwt_core::Error::Malformed(e.to_string())))?;
    Ok(v)
}

/// Claims deserialized straight into Python objects, for the core's one-pass verifier
/// (`Verifier::verify_at`): the payload is parsed once, not scanned by the core and then
/// parsed again here. Only made while the GIL is held (the HMAC path).
pub struct PyValue(pub Py<PyAny>);

impl<'de> serde::Deserialize<'de> for PyValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Python::attach(|py| PySeed(py).deserialize(d).map(|v| PyValue(v.unbind())))
    }
}

/// The registered claim and header names as interned Python strings (made once, hash
/// cached), so the dicts of claims and headers do not build and hash them per token.
fn member_name<'py>(py: Python<'py>, name: &str) -> Option<&'py Bound<'py, PyString>> {
    use pyo3::intern;
    Some(match name {
        "iss" => intern!(py, "iss"),
        "sub" => intern!(py, "sub"),
        "aud" => intern!(py, "aud"),
        "exp" => intern!(py, "exp"),
        "nbf" => intern!(py, "nbf"),
        "iat" => intern!(py, "iat"),
        "jti" => intern!(py, "jti"),
        "alg" => intern!(py, "alg"),
        "typ" => intern!(py, "typ"),
        "kid" => intern!(py, "kid"),
        "cty" => intern!(py, "cty"),
        "enc" => intern!(py, "enc"),
        _ => return None,
    })
}

/// Builds Python objects while serde_json parses.
struct PySeed<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn de_err<E: de::Error>(e: PyErr) -> E {
    E::custom(e.to_string())
}

impl<'de, 'py> Visitor<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let Ok(i) = v.into_pyobject(self.0);
        Ok(i.into_any())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let Ok(i) = v.into_pyobject(self.0);
        Ok(i.into_any())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.0, v).into_any())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, v).into_any())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(v) = seq.next_element_seed(PySeed(self.0))? {
            list.append(v).map_err(de_err)?;
        }
        Ok(list.into_any())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let v = map.next_value_seed(PySeed(self.0))?;
            match member_name(self.0, &k) {
                Some(name) => dict.set_item(name, v),
                None => dict.set_item(k.as_ref(), v),
            }
            .map_err(de_err)?;
        }
        Ok(dict.into_any())
    }
}

/// Text or bytes from Python, as bytes (`str` is taken as UTF-8).
pub fn bytes_of(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(str_of(s)?.as_bytes().to_vec());
    }
    obj.extract::<Vec<u8>>()
        .map_err(|_| PyTypeError::new_err("expected str or bytes"))
}

/// A token given as `str` or `bytes`.
pub fn token_of(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    token_str(obj).map(std::borrow::Cow::into_owned)
}

/// [`token_of`] borrowed from the `str` or `bytes` object where it can be (no copy).
pub fn token_str<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<std::borrow::Cow<'a, str>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return match str_of(s) {
            Ok(t) => Ok(t),
            Err(_) => Err(err(jwt_core::Error::Malformed(
                "the token is not valid UTF-8 (a lone surrogate)".into(),
            ))),
        };
    }
    if let Ok(b) = obj.cast::<pyo3::types::PyBytes>() {
        return std::str::from_utf8(b.as_bytes())
            .map(std::borrow::Cow::Borrowed)
            .map_err(|_| {
                err(jwt_core::Error::Malformed(
                    "the token is not valid UTF-8".into(),
                ))
            });
    }
    Err(err(jwt_core::Error::Malformed(format!(
        "Invalid token type. Token must be a str or bytes, not {}",
        obj.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default()
    ))))
}

/// Builds Python objects under the core's rules for untrusted JSON: a member name twice in
/// one object is `duplicate_member`, nesting deeper than the core's limit is malformed.
struct StrictSeed<'py> {
    py: Python<'py>,
    /// Containers that may still open inside this value.
    depth: usize,
}

impl<'de, 'py> DeserializeSeed<'de> for StrictSeed<'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// The marker a duplicate member error carries through serde (its message names it).
const DUPLICATE: &str = "duplicate member ";

impl<'de, 'py> Visitor<'de> for StrictSeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        PySeed(self.py).visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        PySeed(self.py).visit_i64(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        PySeed(self.py).visit_u64(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        PySeed(self.py).visit_f64(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        PySeed(self.py).visit_str(v)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        PySeed(self.py).visit_unit()
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        PySeed(self.py).visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let depth = self
            .depth
            .checked_sub(1)
            .ok_or_else(|| de::Error::custom("nesting too deep"))?;
        let list = PyList::empty(self.py);
        while let Some(v) = seq.next_element_seed(StrictSeed { py: self.py, depth })? {
            list.append(v).map_err(de_err)?;
        }
        Ok(list.into_any())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let depth = self
            .depth
            .checked_sub(1)
            .ok_or_else(|| de::Error::custom("nesting too deep"))?;
        let dict = PyDict::new(self.py);
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let v = map.next_value_seed(StrictSeed { py: self.py, depth })?;
            if dict.contains(k.as_ref()).map_err(de_err)? {
                return Err(de::Error::custom(format_args!("{DUPLICATE}{k}")));
            }
            dict.set_item(k.as_ref(), v).map_err(de_err)?;
        }
        Ok(dict.into_any())
    }
}

/// Parse untrusted JSON (`bytes` or `str`) into Python objects under the core's rules: UTF-8
/// only, no member name twice in an object (`duplicate_member`), nesting bounded. For the
/// PyJWT-compatible decoders, which read a token's header and payload themselves.
#[pyfunction]
pub fn parse_json<'py>(py: Python<'py>, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let bytes = bytes_of(data)?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let depth = jwt_core::Limits::default().max_json_depth;
    let parsed = StrictSeed { py, depth }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| {
        let text = e.to_string();
        err(match text.find(DUPLICATE) {
            Some(at) => jwt_core::Error::DuplicateMember(
                text[at + DUPLICATE.len()..]
                    .split(" at line")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            None => jwt_core::Error::Malformed(text),
        })
    })
}
