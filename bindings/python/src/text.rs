//! `str` to `&str` without a copy where the running CPython allows it.
//!
//! The module is built for the stable ABI of CPython 3.9 (one wheel for 3.9+). In that
//! ABI the only way to read a `str` as UTF-8 is `PyUnicode_AsUTF8String`, which allocates
//! a `bytes` object per call: measured as a sixth of the time of `Signer.sign` on HS256
//! claims. CPython 3.10 added `PyUnicode_AsUTF8AndSize` to the stable ABI (a pointer to
//! the string's own cached UTF-8, no allocation for ASCII). Linking it would stop the
//! module loading on 3.9, so on 3.10+ its address is looked up once at run time (through
//! `ctypes.pythonapi`, the interpreter's own symbol table) and called; on 3.9, or if the
//! lookup fails, pyo3's portable path is used.

use std::borrow::Cow;
use std::ffi::c_char;

use pyo3::ffi::{Py_ssize_t, PyObject};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

/// `PyUnicode_AsUTF8AndSize` (stable ABI since CPython 3.10).
type AsUtf8AndSize = unsafe extern "C" fn(*mut PyObject, *mut Py_ssize_t) -> *const c_char;

fn lookup(py: Python<'_>) -> PyResult<Option<AsUtf8AndSize>> {
    if py.version_info() < (3, 10) {
        return Ok(None);
    }
    let ctypes = py.import("ctypes")?;
    let f = ctypes
        .getattr("pythonapi")?
        .getattr("PyUnicode_AsUTF8AndSize")?;
    let addr: usize = ctypes
        .getattr("cast")?
        .call1((f, ctypes.getattr("c_void_p")?))?
        .getattr("value")?
        .extract()?;
    if addr == 0 {
        return Ok(None);
    }
    // SAFETY: `addr` is the address of the interpreter's exported
    // `PyUnicode_AsUTF8AndSize`, whose C signature (CPython 3.10+ stable ABI) is
    // `const char *(PyObject *, Py_ssize_t *)`, exactly `AsUtf8AndSize`.
    #[allow(unsafe_code)] // reason: calling a stable-ABI function found at run time
    let f = unsafe { std::mem::transmute::<usize, AsUtf8AndSize>(addr) };
    Ok(Some(f))
}

fn as_utf8_and_size(py: Python<'_>) -> Option<AsUtf8AndSize> {
    static FN: PyOnceLock<Option<AsUtf8AndSize>> = PyOnceLock::new();
    *FN.get_or_init(py, || lookup(py).ok().flatten())
}

/// The text of `s` (an error for lone surrogates, which are not UTF-8), borrowed from the
/// string object where the interpreter allows it.
pub fn str_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    let Some(f) = as_utf8_and_size(s.py()) else {
        return s.to_cow();
    };
    let mut size: Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` (the `Bound` holds a reference and the GIL is held), and
    // `f` is `PyUnicode_AsUTF8AndSize`: it returns NULL with an exception set, or a pointer
    // to `size` bytes of UTF-8 owned by (cached in) the string object, valid while the
    // object lives, which the `'a` borrow of `s` guarantees. CPython only returns valid
    // UTF-8 there (strings with lone surrogates fail with UnicodeEncodeError).
    #[allow(unsafe_code)] // reason: the stable-ABI call above and its returned buffer
    unsafe {
        let data = f(s.as_ptr(), &mut size);
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
        Ok(Cow::Borrowed(std::str::from_utf8_unchecked(bytes)))
    }
}
