//! Errors: every core [`jwt_core::Error`] becomes one native exception type, [`CoreError`],
//! carrying the core's `code`, its `kind` ([`jwt_core::ErrorKind`]) and, for claim errors,
//! the `claim`. PyJWT's classes (`jwt_core/exceptions.py`) all derive from `CoreError`.
//!
//! Which class: the `jwt_core` package gives this module its table from codes to classes
//! once, at import (`_register_errors`, from `jwt_core/exceptions.py`); the exception is an
//! instance of the `CoreError` subclass the table names, made here with the attributes set on it. No
//! Python function is called: the classes define no `__init__`, so making one runs no
//! Python code. Before the table is registered (the native module imported on its own)
//! every error is a `_jwt_core.CoreError`.

use jwt_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

pyo3::create_exception!(
    _jwt_core,
    CoreError,
    pyo3::exceptions::PyException,
    "The native module's one exception type: a jwt-core error (`code`, `kind`, `claim`). `jwt_core`'s PyJWT classes derive from it."
);

/// The registered table ((code, claim), code, or the core's [`jwt_core::ErrorKind`] name,
/// to class) and the base class.
static TABLE: PyOnceLock<(Py<PyDict>, Py<PyType>)> = PyOnceLock::new();

/// `jwt_core.exceptions._register`: the classes the core's errors are raised as.
#[pyfunction]
pub fn _register_errors(
    py: Python<'_>,
    table: Bound<'_, PyDict>,
    base: Bound<'_, PyType>,
) -> PyResult<()> {
    if !base.is_subclass_of::<CoreError>()? {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "the base class must derive from CoreError",
        ));
    }
    let _ = TABLE.set(py, (table.unbind(), base.unbind()));
    Ok(())
}

/// Convert a core error into its exception.
pub fn err(e: Error) -> PyErr {
    Python::attach(|py| build(py, &e).unwrap_or_else(|failed| failed))
}

fn class<'py>(
    py: Python<'py>,
    code: &str,
    kind: &str,
    claim: Option<&str>,
) -> PyResult<Bound<'py, PyType>> {
    let Some((table, base)) = TABLE.get(py) else {
        return Ok(py.get_type::<CoreError>());
    };
    let table = table.bind(py);
    if let Some(c) = claim
        && let Some(cls) = table.get_item(PyTuple::new(py, [code, c])?)?
    {
        return Ok(cls.cast_into::<PyType>()?);
    }
    // the code's own class where PyJWT's differs from its kind's, else the kind's
    if let Some(cls) = table.get_item(code)? {
        return Ok(cls.cast_into::<PyType>()?);
    }
    match table.get_item(kind)? {
        Some(cls) => Ok(cls.cast_into::<PyType>()?),
        None => Ok(base.bind(py).clone()),
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let claim = match e {
        Error::MissingClaim(c) => Some(c.as_str()),
        Error::InvalidClaim { claim, .. } => Some(claim.as_str()),
        _ => None,
    };
    let (code, kind) = (e.code(), e.kind().as_str());
    let cls = class(py, code, kind, claim)?;
    // `MissingRequiredClaimError(claim)`, as PyJWT makes it; every other class takes the
    // message.
    let exc = match e {
        Error::MissingClaim(c) => cls.call1((c.as_str(),))?,
        _ => cls.call1((e.to_string(),))?,
    };
    exc.setattr("code", code)?;
    exc.setattr("kind", kind)?;
    if let Some(c) = claim {
        exc.setattr("claim", c)?;
    }
    Ok(PyErr::from_value(exc))
}

/// An invalid argument from the Python side, raised with the core's `invalid_argument` code.
pub fn invalid_argument(msg: impl Into<String>) -> PyErr {
    err(Error::InvalidArgument(msg.into()))
}

/// Shorthand for `.map_err(err)`.
pub trait OrPyErr<T> {
    /// Convert the core error.
    fn py(self) -> PyResult<T>;
}

impl<T> OrPyErr<T> for jwt_core::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(err)
    }
}
