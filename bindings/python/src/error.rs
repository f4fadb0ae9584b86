//! Errors: every core [`jwt_core::Error`] becomes the Python exception that
//! `jwt_core.exceptions._from_core` picks for its code. That Python function holds the one
//! table from codes to classes; this side never matches on variants.

use jwt_core::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// Convert a core error into the matching `jwt_core` exception (with `.code`).
pub fn err(e: Error) -> PyErr {
    Python::attach(|py| build(py, &e).unwrap_or_else(|failed| failed))
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let from_core = FROM_CORE.import(py, "jwt_core.exceptions", "_from_core")?;
    let claim = match e {
        Error::MissingClaim(c) => Some(c.as_str()),
        Error::InvalidClaim { claim, .. } => Some(claim.as_str()),
        _ => None,
    };
    let exc = from_core.call1((e.code(), e.to_string(), claim))?;
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
