"""PyJWT's exception hierarchy, each exception carrying ``.code`` (jwt-core's stable error
code), ``.kind`` (the code's coarse family) and, for claim errors, ``.claim``.

The native module has one exception type, ``_jwt_core.CoreError`` (``code``, ``kind``,
``claim``), and every class here derives from it. ``_CLASS_FOR`` is the one table from the core's error kinds (``jwt_core::ErrorKind``), and
the few codes whose PyJWT class is narrower than their kind's, to classes. ``_jwt_core`` is
given it once, when the package is imported (``_register``), and raises the class it names
for each core error, with the core's ``code``, ``kind`` and ``claim`` set on the instance;
no Python function is called from Rust (the classes here define no ``__init__``). Code raised by the Python
layer picks a class itself and goes through ``_error`` to carry a code too.

Every failure caused by the token itself is an ``InvalidTokenError``, so code written as
``except jwt.InvalidTokenError`` keeps rejecting every bad token.
"""

from __future__ import annotations

from typing import Any, Optional

from . import _jwt_core as _native

__all__ = [
    "PyJWTError",
    "InvalidTokenError",
    "DecodeError",
    "InvalidSignatureError",
    "ExpiredSignatureError",
    "InvalidAudienceError",
    "InvalidIssuerError",
    "InvalidIssuedAtError",
    "ImmatureSignatureError",
    "InvalidKeyError",
    "InvalidAlgorithmError",
    "MissingRequiredClaimError",
    "PyJWKError",
    "MissingCryptographyError",
    "PyJWKSetError",
    "PyJWKClientError",
    "PyJWKClientConnectionError",
    "InvalidSubjectError",
    "InvalidJTIError",
    "InvalidArgumentError",
    "SerializationError",
    "DecryptionError",
]


class PyJWTError(_native.CoreError):
    """Base class for all exceptions. ``code`` is jwt-core's stable error code, ``kind``
    its family (``docs/errors.md``), ``claim`` the claim a claim error is about.

    A subclass of the native module's one exception type, ``_jwt_core.CoreError``: every
    error of the core is that type, and this package's table picks which of PyJWT's
    classes (all subclasses of it) it is raised as."""

    code: str = "crypto_failure"
    kind: str = "internal"
    claim: Optional[str] = None


class InvalidTokenError(PyJWTError):
    """Base exception when ``decode()`` fails on a token."""

    code = "malformed_token"
    kind = "malformed"


class DecodeError(InvalidTokenError):
    """The token cannot be decoded: structure, base64url, JSON, header, claim types."""


class InvalidSignatureError(DecodeError):
    """The signature does not verify (or no supplied key matches the token)."""

    code = "invalid_signature"
    kind = "signature"


class ExpiredSignatureError(InvalidTokenError):
    """``exp`` is in the past (or ``iat`` is older than the maximum age)."""

    code = "token_expired"
    kind = "expired"


class InvalidAudienceError(InvalidTokenError):
    """``aud`` contains no accepted audience."""

    code = "invalid_audience"
    kind = "claim"


class InvalidIssuerError(InvalidTokenError):
    """``iss`` is not accepted."""

    code = "invalid_issuer"
    kind = "claim"


class InvalidIssuedAtError(InvalidTokenError):
    """``iat`` is not a NumericDate."""

    code = "invalid_claim"
    kind = "claim"


class ImmatureSignatureError(InvalidTokenError):
    """``nbf`` or ``iat`` is in the future."""

    code = "token_not_yet_valid"
    kind = "not_yet_valid"


class InvalidKeyError(PyJWTError):
    """Key material is unusable: unparsable, weak, of another family than the algorithm."""

    code = "invalid_key"
    kind = "key"


class InvalidAlgorithmError(InvalidTokenError):
    """The algorithm is unknown (``none`` included) or not allowed."""

    code = "algorithm_not_allowed"
    kind = "algorithm"


class MissingRequiredClaimError(InvalidTokenError):
    """A required claim is absent; ``claim`` names it (``MissingRequiredClaimError("exp")``)."""

    code = "missing_claim"
    kind = "claim"

    @property  # type: ignore[override]
    def claim(self) -> str:
        return str(self.__dict__.get("_claim", self.args[0] if self.args else ""))

    @claim.setter
    def claim(self, value: str) -> None:
        self.__dict__["_claim"] = value

    def __str__(self) -> str:
        return f'Token is missing the "{self.claim}" claim'


class PyJWKError(PyJWTError):
    code = "invalid_key"
    kind = "key"


class MissingCryptographyError(PyJWKError):
    """Kept for PyJWT compatibility; never raised (jwt-core needs no ``cryptography``)."""


class PyJWKSetError(PyJWTError):
    code = "invalid_key"
    kind = "key"


class PyJWKClientError(PyJWTError):
    code = "key_not_found"
    kind = "key"


class PyJWKClientConnectionError(PyJWKClientError):
    pass


class InvalidSubjectError(InvalidTokenError):
    """``sub`` is not the required subject, or not a string."""

    code = "invalid_subject"
    kind = "claim"


class InvalidJTIError(InvalidTokenError):
    """``jti`` is not a string."""

    code = "invalid_claim"
    kind = "claim"


class InvalidArgumentError(PyJWTError, ValueError):
    """An option or argument is invalid (not in PyJWT: it raised ``ValueError``/``DecodeError``)."""

    code = "invalid_argument"
    kind = "argument"


class MissingAlgorithmsError(DecodeError, InvalidArgumentError):
    """``decode`` without ``algorithms``: PyJWT's ``DecodeError``, and an
    ``InvalidArgumentError`` (code ``invalid_argument``)."""

    code = "invalid_argument"
    kind = "argument"


class SerializationError(PyJWTError, TypeError):
    """Claims or header cannot be serialized to JSON (PyJWT raised ``TypeError``)."""

    code = "serialization_failed"
    kind = "serialization"


class DecryptionError(DecodeError):
    """A JWE does not decrypt: wrong key, wrong or truncated tag, failed key unwrap, bad
    padding. Deliberately without detail (no oracle)."""

    code = "decryption_failed"
    kind = "signature"


# The one table, read by the native module for each core error: the class of each of
# the core's error kinds (``jwt_core::ErrorKind``), and of the codes (or (code, claim)
# pairs) whose PyJWT class is not their kind's.
_CLASS_FOR: dict[object, type[PyJWTError]] = {
    # kinds
    "size": DecodeError,
    "malformed": DecodeError,
    "unsupported": InvalidAlgorithmError,
    "algorithm": InvalidAlgorithmError,
    "key_not_found": InvalidSignatureError,
    "signature": InvalidSignatureError,
    "expired": ExpiredSignatureError,
    "not_yet_valid": ImmatureSignatureError,
    "claim": InvalidTokenError,
    "key": InvalidKeyError,
    "argument": InvalidArgumentError,
    "serialization": SerializationError,
    "internal": PyJWTError,
    # codes whose PyJWT class is narrower than their kind's
    "unsupported_critical_header": InvalidTokenError,
    "invalid_issuer": InvalidIssuerError,
    "invalid_audience": InvalidAudienceError,
    "invalid_subject": InvalidSubjectError,
    "missing_claim": MissingRequiredClaimError,
    "invalid_claim": DecodeError,
    ("invalid_claim", "iat"): InvalidIssuedAtError,
    ("invalid_claim", "iss"): InvalidIssuerError,
    ("invalid_claim", "aud"): InvalidAudienceError,
    ("invalid_claim", "sub"): InvalidSubjectError,
    ("invalid_claim", "jti"): InvalidJTIError,
    "decryption_failed": DecryptionError,
}
#: The core's kind of each code.
_KIND_OF: dict[str, str] = dict(_native.ERROR_KINDS)


def exception_class(code: str, claim: Optional[str] = None) -> type[PyJWTError]:
    """The class raised for a core error code (and, for ``invalid_claim``, the claim)."""
    return (
        _CLASS_FOR.get((code, claim))
        or _CLASS_FOR.get(code)
        or _CLASS_FOR.get(_KIND_OF.get(code, ""), PyJWTError)
    )


def _error(cls: type[PyJWTError], message: str, code: Optional[str] = None, **attrs: Any) -> PyJWTError:
    """An exception raised by the Python layer, with its core code (and attributes)."""
    e = cls(message)
    if code is not None:
        e.code = code
        e.kind = _KIND_OF.get(code, cls.kind)
    for name, value in attrs.items():
        setattr(e, name, value)
    return e


def _register(native: Any) -> None:
    """Give the native module the table (once, at import)."""
    native._register_errors(dict(_CLASS_FOR), PyJWTError)
