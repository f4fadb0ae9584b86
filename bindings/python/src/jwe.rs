//! JWE (RFC 7516): `JweDecryptionKey`, `JweEncrypter`, `JweDecrypter`, thin newtypes over
//! `jwt_core::jwe::{DecryptionKey, Encrypter, Decrypter}`. Algorithm names cross as their
//! registered strings and are parsed by the core; keys arrive as JWKs (dict or JSON text),
//! secrets and passwords as bytes. The GIL is released while the core encrypts or
//! decrypts.

use jwt_core::Error;
use jwt_core::jwe::{
    self, ContentEncryption, DEFAULT_PBES2_ITERATIONS, DecryptOptions, Decrypted, Decrypter,
    DecryptionKey, EcdhCurve, Encrypter, EncryptionKey, JsonOptions, JweHeader, KeyAlgorithm,
    KeyKind,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{OrPyErr, err, invalid_argument};
use crate::json::{bytes_of, from_json, to_json, to_map, to_raw, token_of};
use crate::key::{jwk_of, jwk_to_py};
use crate::sign::PySigner;
use crate::verify::PyVerifier;

/// Parse a key management algorithm name (`RSA1_5`, `RSA-OAEP*`: `unsupported_algorithm`).
fn key_alg(name: &str) -> PyResult<KeyAlgorithm> {
    name.parse().py()
}

/// Parse a content encryption algorithm name (unknown: `unsupported_encryption`).
fn content_enc(name: &str) -> PyResult<ContentEncryption> {
    name.parse().py()
}

/// A header as a Python dict.
fn header_to_py<'py>(py: Python<'py>, h: &JweHeader) -> PyResult<Bound<'py, PyAny>> {
    from_json(py, &Value::Object(h.to_map()).to_string())
}

/// An optional dict of header members as a JSON object map.
fn members(obj: Option<&Bound<'_, PyDict>>) -> PyResult<Map<String, Value>> {
    obj.map(|d| to_map(d.as_any()))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// A fresh key for `alg`: `enc` binds it to one content encryption (required for `dir`),
/// `crv` picks the curve of an `ECDH-ES*` key (default `P-256`).
fn generate(alg: &str, enc: Option<&str>, crv: Option<&str>) -> PyResult<DecryptionKey> {
    let alg = key_alg(alg)?;
    let enc = enc.map(content_enc).transpose()?;
    let crv = crv.map(str::parse::<EcdhCurve>).transpose().py()?;
    DecryptionKey::generate_for(alg, enc, crv).py()
}

/// A recipient's JWE key (private key or shared secret), bound to one key management
/// algorithm and optionally to one content encryption.
#[pyclass(name = "JweDecryptionKey", module = "jwt_core", frozen)]
#[derive(Clone, Debug)]
pub struct PyJweDecryptionKey(pub DecryptionKey);

#[pymethods]
impl PyJweDecryptionKey {
    /// A key from a private JWK (dict or JSON text): `oct` with `k`, `EC` (P-256/384/521)
    /// or `OKP` X25519 with `d`. `alg` binds a JWK that has no `alg` (they must agree).
    #[staticmethod]
    #[pyo3(signature = (jwk, alg = None))]
    fn from_jwk(jwk: &Bound<'_, PyAny>, alg: Option<&str>) -> PyResult<Self> {
        let alg = alg.map(key_alg).transpose()?;
        DecryptionKey::from_jwk(&jwk_of(jwk)?, alg).map(Self).py()
    }

    /// A shared secret for `A*KW`, `A*GCMKW` (16, 24 or 32 bytes) or `dir` (the size of
    /// `enc`'s key; `enc` binds a `dir` key to one content encryption).
    #[staticmethod]
    #[pyo3(signature = (alg, secret, enc = None))]
    fn secret(alg: &str, secret: &Bound<'_, PyAny>, enc: Option<&str>) -> PyResult<Self> {
        let (alg, secret) = (key_alg(alg)?, bytes_of(secret)?);
        let enc = enc.map(content_enc).transpose()?;
        let key = match (alg, enc) {
            (KeyAlgorithm::Dir, Some(e)) => DecryptionKey::dir(e, &secret).py()?,
            (_, e) => {
                let k = DecryptionKey::symmetric(alg, &secret).py()?;
                match e {
                    Some(e) => k.with_enc(e),
                    None => k,
                }
            }
        };
        Ok(Self(key))
    }

    /// A password for `PBES2-*` (`str` is taken as UTF-8). A `JweDecrypter` still refuses
    /// PBES2 unless it is built with `allow_pbes2=<largest p2c>`.
    #[staticmethod]
    fn password(alg: &str, password: &Bound<'_, PyAny>) -> PyResult<Self> {
        DecryptionKey::password(key_alg(alg)?, &bytes_of(password)?)
            .map(Self)
            .py()
    }

    /// A fresh random key: `enc` binds it (required for `dir`); `crv` is the curve of an
    /// `ECDH-ES*` key (`P-256` by default, `P-384`, `P-521`, `X25519`).
    #[staticmethod]
    #[pyo3(signature = (alg, enc = None, crv = None))]
    fn generate(alg: &str, enc: Option<&str>, crv: Option<&str>) -> PyResult<Self> {
        generate(alg, enc, crv).map(Self)
    }

    /// The key management algorithm.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.0.algorithm().as_str()
    }

    /// The content encryption the key is bound to, if any.
    #[getter]
    fn encryption(&self) -> Option<&'static str> {
        self.0.content_encryption().map(ContentEncryption::as_str)
    }

    /// The key id, if any.
    #[getter]
    fn kid(&self) -> Option<&str> {
        self.0.kid()
    }

    /// The curve of an ECDH key (`P-256`, ..., `X25519`), else `None`.
    #[getter]
    fn curve(&self) -> Option<&'static str> {
        self.0.curve().map(EcdhCurve::jwk_name)
    }

    /// The same key with a `kid`.
    fn with_kid(&self, kid: String) -> Self {
        Self(self.0.clone().with_kid(kid))
    }

    /// The public JWK of an ECDH key, to hand to senders (`invalid_argument` for secrets).
    fn to_public_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_to_py(py, &self.0.to_public_jwk().py()?)
    }

    /// The private JWK, secret members included. Handle with care.
    fn to_private_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_to_py(py, &self.0.to_private_jwk().py()?)
    }

    fn __repr__(&self) -> String {
        format!(
            "JweDecryptionKey(algorithm={:?}, kid={:?})",
            self.algorithm(),
            self.kid()
        )
    }
}

/// The sender's key from what Python gave: a `JweDecryptionKey`, a JWK (dict or JSON
/// text), or bytes (a secret; a password for `PBES2-*`, which needs `alg`).
fn encryption_key(
    key: &Bound<'_, PyAny>,
    alg: Option<&str>,
    enc: ContentEncryption,
    p2c: Option<u32>,
) -> PyResult<EncryptionKey> {
    let alg = alg.map(key_alg).transpose()?;
    if let Ok(k) = key.cast::<PyJweDecryptionKey>() {
        let k = k.get().0.encryption_key();
        if alg.is_some_and(|a| a != k.algorithm()) {
            return Err(err(Error::KeyAlgorithmMismatch(format!(
                "the key is for {}",
                k.algorithm()
            ))));
        }
        return Ok(k);
    }
    if key.is_instance_of::<PyDict>() || key.is_instance_of::<PyString>() {
        return EncryptionKey::from_jwk(&jwk_of(key)?, alg).py();
    }
    let secret = bytes_of(key)?;
    let alg = alg.ok_or_else(|| invalid_argument("a secret or password key needs `alg`"))?;
    match (alg.key_kind(), alg) {
        (KeyKind::Password, _) => {
            EncryptionKey::password(alg, &secret, p2c.unwrap_or(DEFAULT_PBES2_ITERATIONS))
        }
        (_, KeyAlgorithm::Dir) => EncryptionKey::dir(enc, &secret),
        _ => EncryptionKey::symmetric(alg, &secret),
    }
    .py()
}

/// A recipient's key plus the header every token gets, built once.
#[pyclass(name = "JweEncrypter", module = "jwt_core", frozen)]
#[derive(Debug)]
pub struct PyJweEncrypter {
    inner: Encrypter,
    /// The key with the template's `kid`, for the JSON serializations.
    key: EncryptionKey,
}

#[pymethods]
impl PyJweEncrypter {
    /// An encrypter to `key` with content encryption `enc`. `key`: a recipient's public
    /// JWK (`EC`/`OKP` for `ECDH-ES*`) or an `oct` JWK, as a dict or JSON text; a
    /// `JweDecryptionKey`; or bytes, a shared secret (`dir`, `A*KW`, `A*GCMKW`) or a
    /// password (`PBES2-*`, with `p2c` PBKDF2 iterations, 600000 by default). `alg` binds
    /// a key that carries none. `headers` adds members to every protected header
    /// (`zip: "DEF"`, `typ`, `cty`, `kid`, custom names).
    #[new]
    #[pyo3(signature = (key, enc, *, alg = None, p2c = None, headers = None))]
    fn new(
        key: &Bound<'_, PyAny>,
        enc: &str,
        alg: Option<&str>,
        p2c: Option<u32>,
        headers: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let enc = content_enc(enc)?;
        let key = encryption_key(key, alg, enc, p2c)?;
        let mut m = members(headers)?;
        if let Some(e) = m.get("enc") {
            if e.as_str() != Some(enc.as_str()) {
                return Err(invalid_argument(format!(
                    "`headers` says enc {e} but `enc` is {enc}"
                )));
            }
        }
        m.entry("alg")
            .or_insert_with(|| key.algorithm().as_str().into());
        m.insert("enc".into(), enc.as_str().into());
        let header = JweHeader::from_map(m).py()?;
        let key = match &header.kid {
            Some(kid) => key.with_kid(kid.clone()),
            None => key,
        };
        let inner = Encrypter::with_header(key.clone(), header).py()?;
        Ok(Self { inner, key })
    }

    /// The protected header template.
    #[getter]
    fn header<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        header_to_py(py, self.inner.header())
    }

    /// The key management algorithm.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.key.algorithm().as_str()
    }

    /// The content encryption algorithm.
    #[getter]
    fn encryption(&self) -> &'static str {
        self.inner.header().enc.as_str()
    }

    /// Encrypt bytes (`str` as UTF-8) into a compact JWE.
    fn encrypt(&self, py: Python<'_>, plaintext: &Bound<'_, PyAny>) -> PyResult<String> {
        let data = bytes_of(plaintext)?;
        py.detach(|| self.inner.encrypt(&data)).map_err(err)
    }

    /// Encrypt claims (a dict) into an encrypted, unsigned JWT (`datetime`s in
    /// `exp`/`iat`/`nbf` become NumericDates).
    fn encrypt_claims(&self, py: Python<'_>, claims: &Bound<'_, PyAny>) -> PyResult<String> {
        let raw = to_raw(claims)?;
        py.detach(|| self.inner.encrypt_claims(&*raw)).map_err(err)
    }

    /// A nested JWT in one call: sign `claims` with `signer`, then encrypt the JWS with
    /// `cty: JWT`. Read it with `JweDecrypter.decrypt_jwt`.
    fn encrypt_signed(
        &self,
        py: Python<'_>,
        signer: &Bound<'_, PySigner>,
        claims: &Bound<'_, PyAny>,
    ) -> PyResult<String> {
        let raw = to_raw(claims)?;
        let signer = &signer.get().0;
        py.detach(|| self.inner.encrypt_signed(signer, &*raw))
            .map_err(err)
    }

    /// Encrypt into the JSON serialization (flattened, or general with `general=True`),
    /// as JSON text. `aad` is extra authenticated data; `unprotected` shared unprotected
    /// header members.
    #[pyo3(signature = (plaintext, *, aad = None, unprotected = None, general = false))]
    fn encrypt_json(
        &self,
        py: Python<'_>,
        plaintext: &Bound<'_, PyAny>,
        aad: Option<&Bound<'_, PyAny>>,
        unprotected: Option<&Bound<'_, PyDict>>,
        general: bool,
    ) -> PyResult<String> {
        let opts = self.json_options(aad, unprotected)?;
        let data = bytes_of(plaintext)?;
        let enc = self.inner.header().enc;
        py.detach(|| {
            if general {
                jwe::encrypt_general(&[&self.key], enc, &opts, &data)
            } else {
                jwe::encrypt_flattened(&self.key, enc, &opts, &data)
            }
        })
        .map_err(err)
    }

    fn __repr__(&self) -> String {
        format!(
            "JweEncrypter(algorithm={:?}, encryption={:?})",
            self.algorithm(),
            self.encryption()
        )
    }
}

impl PyJweEncrypter {
    /// The template's members other than those the library sets, for the JSON forms.
    fn json_options(
        &self,
        aad: Option<&Bound<'_, PyAny>>,
        unprotected: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<JsonOptions> {
        let h = self.inner.header();
        let mut protected = h.to_map();
        for set_by_library in ["alg", "enc", "zip", "kid"] {
            protected.remove(set_by_library);
        }
        Ok(JsonOptions {
            protected,
            unprotected: unprotected.map(|u| to_map(u.as_any())).transpose()?,
            zip: h.zip,
            aad: aad.map(bytes_of).transpose()?,
        })
    }
}

/// Encrypt one plaintext to several recipients (general JSON serialization), as JSON
/// text. Every encrypter must use the same `enc`; the first one's header template gives
/// the protected members. `dir` and `ECDH-ES` allow only one recipient.
#[pyfunction]
#[pyo3(signature = (recipients, plaintext, *, aad = None, unprotected = None))]
pub fn encrypt_general(
    py: Python<'_>,
    recipients: &Bound<'_, PyList>,
    plaintext: &Bound<'_, PyAny>,
    aad: Option<&Bound<'_, PyAny>>,
    unprotected: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let mut encrypters: Vec<Bound<'_, PyJweEncrypter>> = Vec::with_capacity(recipients.len());
    for r in recipients.iter() {
        encrypters.push(
            r.cast_into::<PyJweEncrypter>()
                .map_err(|_| invalid_argument("recipients must be JweEncrypter objects"))?,
        );
    }
    let first = encrypters
        .first()
        .ok_or_else(|| invalid_argument("no recipients"))?
        .get();
    let enc = first.inner.header().enc;
    if encrypters.iter().any(|e| e.get().inner.header().enc != enc) {
        return Err(invalid_argument("every recipient must use the same `enc`"));
    }
    let opts = first.json_options(aad, unprotected)?;
    let keys: Vec<EncryptionKey> = encrypters.iter().map(|e| e.get().key.clone()).collect();
    let data = bytes_of(plaintext)?;
    py.detach(|| {
        let refs: Vec<&EncryptionKey> = keys.iter().collect();
        jwe::encrypt_general(&refs, enc, &opts, &data)
    })
    .map_err(err)
}

/// A decrypted JWE: the joint header, the plaintext and the JSON serialization's `aad`.
#[pyclass(name = "JweDecrypted", module = "jwt_core", frozen)]
#[derive(Debug)]
pub struct PyJweDecrypted {
    /// The joint header (protected, shared unprotected and recipient members).
    #[pyo3(get)]
    header: Py<PyAny>,
    /// The plaintext (decompressed if `zip: DEF`).
    #[pyo3(get)]
    plaintext: Py<PyBytes>,
    /// The JSON serialization's additional authenticated data, if any.
    #[pyo3(get)]
    aad: Option<Py<PyBytes>>,
}

#[pymethods]
impl PyJweDecrypted {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "JweDecrypted(header={}, plaintext=<{} bytes>)",
            self.header
                .bind(py)
                .repr()
                .map(|r| r.to_string())
                .unwrap_or_default(),
            self.plaintext.bind(py).as_bytes().len()
        )
    }
}

fn decrypted(py: Python<'_>, d: Decrypted) -> PyResult<PyJweDecrypted> {
    Ok(PyJweDecrypted {
        header: header_to_py(py, &d.header)?.unbind(),
        plaintext: PyBytes::new(py, &d.plaintext).unbind(),
        aad: d.aad.map(|a| PyBytes::new(py, &a).unbind()),
    })
}

/// The decrypter's keys: one key or a list; each a `JweDecryptionKey` or a private JWK
/// (dict or JSON text); or a JWK set (`{"keys": [...]}`).
fn decryption_keys(keys: &Bound<'_, PyAny>) -> PyResult<Vec<DecryptionKey>> {
    let one = |k: &Bound<'_, PyAny>| -> PyResult<DecryptionKey> {
        if let Ok(k) = k.cast::<PyJweDecryptionKey>() {
            return Ok(k.get().0.clone());
        }
        if k.is_instance_of::<PyDict>() || k.is_instance_of::<PyString>() {
            return DecryptionKey::from_jwk(&jwk_of(k)?, None).py();
        }
        Err(invalid_argument(
            "keys must be JweDecryptionKey objects or private JWKs",
        ))
    };
    if let Ok(d) = keys.cast::<PyDict>() {
        if let Some(list) = d.get_item("keys")? {
            return decryption_keys(&list);
        }
    }
    if keys.is_instance_of::<PyList>() || keys.is_instance_of::<PyTuple>() {
        return keys.try_iter()?.map(|k| one(&k?)).collect();
    }
    Ok(vec![one(keys)?])
}

/// A recipient's keys plus the decryption rules, built once and reused.
#[pyclass(name = "JweDecrypter", module = "jwt_core", frozen)]
#[derive(Debug)]
pub struct PyJweDecrypter(Decrypter);

#[pymethods]
impl PyJweDecrypter {
    /// A decrypter over `keys` (see `decryption_keys`). Rules, each optional: the accepted
    /// `algorithms` and `encryptions`, `critical` extensions understood, `allow_pbes2`
    /// (the largest `p2c` accepted; PBES2 is refused without it), `max_token_bytes`
    /// (default 1 MiB) and `max_plaintext_bytes` (after `zip: DEF`, default 1 MiB).
    #[new]
    #[pyo3(signature = (
        keys, *, algorithms = None, encryptions = None, critical = None, allow_pbes2 = None,
        max_token_bytes = None, max_plaintext_bytes = None,
    ))]
    fn new(
        keys: &Bound<'_, PyAny>,
        algorithms: Option<Vec<String>>,
        encryptions: Option<Vec<String>>,
        critical: Option<Vec<String>>,
        allow_pbes2: Option<u32>,
        max_token_bytes: Option<usize>,
        max_plaintext_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let keys = decryption_keys(keys)?;
        let mut o = DecryptOptions::new();
        if let Some(a) = algorithms {
            o = o.algorithms(&a.iter().map(|s| key_alg(s)).collect::<PyResult<Vec<_>>>()?);
        }
        if let Some(e) = encryptions {
            o = o.encryptions(
                &e.iter()
                    .map(|s| content_enc(s))
                    .collect::<PyResult<Vec<_>>>()?,
            );
        }
        if let Some(c) = critical {
            o = o.critical(c);
        }
        if let Some(n) = allow_pbes2 {
            o = o.allow_pbes2(n);
        }
        let mut limits = o.get_limits();
        if let Some(n) = max_token_bytes {
            limits.max_token_bytes = n;
        }
        if let Some(n) = max_plaintext_bytes {
            limits.max_plaintext_bytes = n;
        }
        Decrypter::new(keys, o.limits(limits)).map(Self).py()
    }

    /// Decrypt a compact JWE.
    fn decrypt(&self, py: Python<'_>, token: &Bound<'_, PyAny>) -> PyResult<PyJweDecrypted> {
        let t = token_of(token)?;
        let d = py.detach(|| self.0.decrypt(&t)).map_err(err)?;
        decrypted(py, d)
    }

    /// Decrypt a JWE in the JSON serialization (flattened or general): JSON text or a dict.
    fn decrypt_json(
        &self,
        py: Python<'_>,
        document: &Bound<'_, PyAny>,
    ) -> PyResult<PyJweDecrypted> {
        let doc = if document.is_instance_of::<PyDict>() {
            to_json(document)?
        } else {
            token_of(document)?
        };
        let d = py.detach(|| self.0.decrypt_json(&doc)).map_err(err)?;
        decrypted(py, d)
    }

    /// Decrypt an encrypted, unsigned JWT and return its claims. No claims checks are made:
    /// prefer nested JWTs (`decrypt_jwt`) unless the key itself authenticates the sender.
    fn decrypt_claims<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = token_of(token)?;
        let (_, claims) = py
            .detach(|| self.0.decrypt_claims::<Box<RawValue>>(&t))
            .map_err(err)?;
        from_json(py, claims.get())
    }

    /// Decrypt a nested JWT (`cty: JWT`), verify the inner token and its claims with
    /// `verifier`, and return the claims. `now` (seconds since the epoch) replaces the
    /// clock.
    #[pyo3(signature = (token, verifier, *, now = None))]
    fn decrypt_jwt<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'py, PyAny>,
        verifier: &Bound<'py, PyVerifier>,
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = token_of(token)?;
        let v = &verifier.get().0;
        let data = py
            .detach(|| {
                self.0
                    .decrypt_jwt_at::<Box<RawValue>>(&t, v, now.unwrap_or_else(jwt_core::now))
            })
            .map_err(err)?;
        from_json(py, data.claims.get())
    }

    fn __repr__(&self) -> String {
        "JweDecrypter()".into()
    }
}

/// A fresh JWE key as `(private_jwk, public_jwk)` dicts; for secret keys the two are the
/// same. `enc` binds the key (required for `dir`); `crv` picks an `ECDH-ES*` key's curve.
#[pyfunction]
#[pyo3(signature = (alg, enc = None, crv = None))]
pub fn generate_jwe_key<'py>(
    py: Python<'py>,
    alg: &str,
    enc: Option<&str>,
    crv: Option<&str>,
) -> PyResult<Bound<'py, PyTuple>> {
    let key = generate(alg, enc, crv)?;
    let private = key.to_private_jwk().py()?;
    let public = key.sender_jwk().py()?;
    PyTuple::new(py, [jwk_to_py(py, &private)?, jwk_to_py(py, &public)?])
}
