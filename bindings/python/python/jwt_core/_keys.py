"""Keys given the way PyJWT takes them, turned into what the native module accepts:
``str``/``bytes`` (secret or PEM), JWK ``dict``, native keys, ``PyJWK``, and
``cryptography`` key objects (when that optional package is installed)."""

from __future__ import annotations

from typing import Any

from ._jwt_core import SigningKey, VerifyingKey
from .exceptions import InvalidKeyError

_PASS_THROUGH = (str, bytes, dict, VerifyingKey, SigningKey)


def _pem_from_cryptography(key: Any) -> bytes:
    try:
        from cryptography.hazmat.primitives import serialization as s
    except ImportError:  # pragma: no cover - only without the optional dependency
        raise InvalidKeyError(f"Unsupported key type {type(key).__name__}") from None
    if hasattr(key, "private_bytes"):
        return bytes(key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))
    if hasattr(key, "public_bytes"):
        return bytes(key.public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))
    raise InvalidKeyError(f"Unsupported key type {type(key).__name__}")


def for_verify(key: Any) -> Any:
    """A key for verification."""
    if type(key) in _PASS_THROUGH:
        return key
    from .api_jwk import PyJWK

    if isinstance(key, PyJWK):
        return key._verifying if key._verifying is not None else key.key
    if isinstance(key, (bytearray, memoryview)):
        return bytes(key)
    if isinstance(key, (list, tuple)):
        return [for_verify(k) for k in key]
    if isinstance(key, _PASS_THROUGH):
        return key
    if type(key).__module__.startswith("cryptography"):
        return _pem_from_cryptography(key)
    raise InvalidKeyError(f"Unsupported key type {type(key).__name__}")


def for_sign(key: Any) -> Any:
    """A key for signing."""
    if type(key) in _PASS_THROUGH:
        return key
    from .api_jwk import PyJWK

    if isinstance(key, PyJWK):
        if key._signing is None:
            raise InvalidKeyError("this JWK has no private key: it cannot sign", code="invalid_key")
        return key._signing
    if isinstance(key, (bytearray, memoryview)):
        return bytes(key)
    if isinstance(key, _PASS_THROUGH):
        return key
    if type(key).__module__.startswith("cryptography"):
        return _pem_from_cryptography(key)
    raise InvalidKeyError(f"Unsupported key type {type(key).__name__}")
