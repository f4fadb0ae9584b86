"""PyJWT's exception hierarchy, each exception carrying ``.code``: jwt-core's stable code.

``_CLASS_FOR`` is the one table from the core's codes to classes. Every failure that comes
from the Rust core goes through ``_from_core``; code raised by the Python layer (PyJWKSet,
PyJWKClient) picks a class itself but still carries a core code.

Every failure caused by the token itself is an ``InvalidTokenError``, so code written as
``except jwt.InvalidTokenError`` keeps rejecting every bad token.
"""

from __future__ import annotations

from typing import Optional

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


class PyJWTError(Exception):
    """Base class for all exceptions; ``code`` is jwt-core's stable error code."""

    code: str = "crypto_failure"

    def __init__(self, *args: object, code: Optional[str] = None) -> None:
        super().__init__(*args)
        if code is not None:
            self.code = code


class InvalidTokenError(PyJWTError):
    """Base exception when ``decode()`` fails on a token."""

    code = "malformed_token"


class DecodeError(InvalidTokenError):
    """The token cannot be decoded: structure, base64url, JSON, header, claim types."""

    code = "malformed_token"


class InvalidSignatureError(DecodeError):
    """The signature does not verify (or no supplied key matches the token)."""

    code = "invalid_signature"


class ExpiredSignatureError(InvalidTokenError):
    """``exp`` is in the past (or ``iat`` is older than the maximum age)."""

    code = "token_expired"


class InvalidAudienceError(InvalidTokenError):
    """``aud`` contains no accepted audience."""

    code = "invalid_audience"


class InvalidIssuerError(InvalidTokenError):
    """``iss`` is not accepted."""

    code = "invalid_issuer"


class InvalidIssuedAtError(InvalidTokenError):
    """``iat`` is not a NumericDate."""

    code = "invalid_claim"


class ImmatureSignatureError(InvalidTokenError):
    """``nbf`` or ``iat`` is in the future."""

    code = "token_not_yet_valid"


class InvalidKeyError(PyJWTError):
    """Key material is unusable: unparsable, weak, of another family than the algorithm."""

    code = "invalid_key"


class InvalidAlgorithmError(InvalidTokenError):
    """The algorithm is unknown (``none`` included) or not allowed."""

    code = "algorithm_not_allowed"


class MissingRequiredClaimError(InvalidTokenError):
    """A required claim is absent; ``claim`` names it."""

    code = "missing_claim"

    def __init__(self, claim: str, *, code: Optional[str] = None) -> None:
        super().__init__(claim, code=code)
        self.claim = claim

    def __str__(self) -> str:
        return f'Token is missing the "{self.claim}" claim'


class PyJWKError(PyJWTError):
    code = "invalid_key"


class MissingCryptographyError(PyJWKError):
    """A ``cryptography`` key object was given but ``cryptography`` is not installed."""

    code = "invalid_key"


class PyJWKSetError(PyJWTError):
    code = "invalid_key"


class PyJWKClientError(PyJWTError):
    code = "key_not_found"


class PyJWKClientConnectionError(PyJWKClientError):
    code = "key_not_found"


class InvalidSubjectError(InvalidTokenError):
    """``sub`` is not the required subject, or not a string."""

    code = "invalid_subject"


class InvalidJTIError(InvalidTokenError):
    """``jti`` is not a string."""

    code = "invalid_claim"


class InvalidArgumentError(PyJWTError, ValueError):
    """An option or argument is invalid (not in PyJWT: it raised ``ValueError``/``DecodeError``)."""

    code = "invalid_argument"


class SerializationError(PyJWTError, TypeError):
    """Claims or header cannot be serialized to JSON (PyJWT raised ``TypeError``)."""

    code = "serialization_failed"


class DecryptionError(DecodeError):
    """A JWE does not decrypt: wrong key, wrong or truncated tag, failed key unwrap, bad
    padding. Deliberately without detail (no oracle)."""

    code = "decryption_failed"


# The one table: core code (or (code, claim)) -> exception class.
_CLASS_FOR: dict[object, type[PyJWTError]] = {
    "input_too_large": DecodeError,
    "malformed_token": DecodeError,
    "duplicate_member": DecodeError,
    "unsupported_algorithm": InvalidAlgorithmError,
    "algorithm_not_allowed": InvalidAlgorithmError,
    "invalid_header": DecodeError,
    "unsupported_critical_header": InvalidTokenError,
    "invalid_type": InvalidTokenError,
    "invalid_signature": InvalidSignatureError,
    "key_not_found": InvalidSignatureError,
    "invalid_key": InvalidKeyError,
    "key_algorithm_mismatch": InvalidKeyError,
    "weak_key": InvalidKeyError,
    "key_usage_not_allowed": InvalidKeyError,
    "token_expired": ExpiredSignatureError,
    "token_not_yet_valid": ImmatureSignatureError,
    "token_issued_in_future": ImmatureSignatureError,
    "token_too_old": ExpiredSignatureError,
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
    "claim_rejected": InvalidTokenError,
    "claims_shape": DecodeError,
    "invalid_argument": InvalidArgumentError,
    "serialization_failed": SerializationError,
    "crypto_failure": PyJWTError,
    # JWE (the core's jwe module)
    "unsupported_encryption": InvalidAlgorithmError,
    "decryption_failed": DecryptionError,
}


def exception_class(code: str, claim: Optional[str] = None) -> type[PyJWTError]:
    """The class raised for a core error code (and, for ``invalid_claim``, the claim)."""
    return _CLASS_FOR.get((code, claim)) or _CLASS_FOR.get(code, PyJWTError)


def _from_core(code: str, message: str, claim: Optional[str] = None) -> PyJWTError:
    cls = exception_class(code, claim)
    if cls is MissingRequiredClaimError:
        return MissingRequiredClaimError(claim or "", code=code)
    e = cls(message, code=code)
    if claim is not None:
        e.claim = claim  # type: ignore[attr-defined]
    return e
