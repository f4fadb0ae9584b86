"""Keys given the way PyJWT takes them (``str``/``bytes`` secrets and PEM, ``cryptography``
key objects, ``PyJWK``, jwt_core's native keys), turned into native keys bound to one
algorithm through that algorithm's ``Algorithm`` object, with PyJWT's key-length policy
(``InsecureKeyLengthWarning`` by default, ``InvalidKeyError`` with
``enforce_minimum_key_length``)."""

from __future__ import annotations

import warnings
from typing import Any, Optional

from .exceptions import InvalidAlgorithmError, InvalidKeyError, PyJWTError, _error
from .warnings import InsecureKeyLengthWarning


def refuse_none(alg: str) -> PyJWTError:
    """The error for an unsecured algorithm name (``_native.is_unsecured_algorithm``, the
    core's decision): never made, never verified."""
    return _error(
        InvalidAlgorithmError,
        f'alg "{alg}" (an unsecured token) is never made nor verified by jwt_core',
        "unsupported_algorithm",
    )


def length_policy(msg: Optional[str], enforce: bool, stacklevel: int) -> None:
    """PyJWT's answer to a short key: a warning, or ``InvalidKeyError`` when enforced."""
    if msg:
        if enforce:
            raise _error(InvalidKeyError, msg, "weak_key")
        warnings.warn(msg, InsecureKeyLengthWarning, stacklevel=stacklevel + 1)


def prepare(alg_obj: Any, key: Any, enforce: bool) -> tuple[Any, Optional[str]]:
    """``(prepared key, key-length message)``; raises if enforced and short."""
    prepared = alg_obj.prepare_key(key)
    msg = alg_obj.check_key_length(prepared)
    if msg and enforce:
        raise _error(InvalidKeyError, msg, "weak_key")
    return prepared, msg


def native_verifying(alg_obj: Any, key: Any, enforce: bool) -> tuple[Any, Optional[str]]:
    """A native ``VerifyingKey`` for ``key`` under ``alg_obj`` and the length message."""
    prepared, msg = prepare(alg_obj, key, enforce)
    return alg_obj._verifying_key(prepared), msg


def unwrap(key: Any) -> Any:
    """The key inside a ``PyJWK``."""
    from .api_jwk import PyJWK

    return key.key if isinstance(key, PyJWK) else key


def hashable(key: Any) -> Any:
    """``key`` as part of a cache key: itself when hashable (``str``, ``bytes``, native
    keys, ``cryptography`` keys and ``PyJWK`` by identity), else ``None`` (no caching)."""
    if isinstance(key, (bytearray, memoryview, dict, list)):
        return None
    try:
        hash(key)
    except TypeError:
        return None
    return key


__all__ = ["hashable", "length_policy", "native_verifying", "prepare", "refuse_none", "unwrap"]
