"""PyJWT's ``PyJWK`` and ``PyJWKSet``: JWKs parsed by the core's strict parser and bound to
one algorithm (taken from the argument, the JWK's ``alg``, or its type as PyJWT does)."""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from ._jwt_core import SigningKey, VerifyingKey
from .exceptions import InvalidKeyError, PyJWKError, PyJWKSetError, PyJWTError

# PyJWT's choice of algorithm for a JWK without `alg`.
_DEFAULT_ALG = {"RSA": "RS256", "oct": "HS256"}
_PRIVATE = ("d", "k")


class PyJWK:
    """One JWK, bound to one algorithm: ``key`` is a ``SigningKey`` for private (and
    ``oct``) JWKs, a ``VerifyingKey`` otherwise."""

    def __init__(self, jwk_data: dict[str, Any], algorithm: Optional[str] = None) -> None:
        if not isinstance(jwk_data, dict):
            raise InvalidKeyError("a JWK must be a dict")
        self._jwk_data = jwk_data
        kty = jwk_data.get("kty")
        if not kty:
            raise InvalidKeyError("kty is not found in the JWK")
        alg = algorithm or jwk_data.get("alg") or _DEFAULT_ALG.get(kty)
        errors: list[PyJWTError] = []
        self._verifying: Optional[VerifyingKey] = None
        self._signing: Optional[SigningKey] = None
        try:
            self._verifying = VerifyingKey.from_jwk(jwk_data, alg)
        except PyJWTError as e:
            errors.append(e)
        if any(m in jwk_data for m in _PRIVATE):
            try:
                self._signing = SigningKey.from_jwk(jwk_data, alg)
            except PyJWTError as e:
                errors.append(e)
        if self._verifying is None and self._signing is None:
            raise errors[0]
        k = self._signing or self._verifying
        assert k is not None
        self.algorithm_name: str = k.algorithm

    @property
    def key(self) -> Union[SigningKey, VerifyingKey]:
        """The native key: ``SigningKey`` if the JWK is private, else ``VerifyingKey``."""
        k = self._signing or self._verifying
        assert k is not None
        return k

    @property
    def key_type(self) -> Optional[str]:
        return self._jwk_data.get("kty")

    @property
    def key_id(self) -> Optional[str]:
        return self._jwk_data.get("kid")

    @property
    def public_key_use(self) -> Optional[str]:
        return self._jwk_data.get("use")

    def thumbprint(self) -> str:
        """RFC 7638 thumbprint."""
        return self.key.thumbprint()

    @staticmethod
    def from_dict(obj: dict[str, Any], algorithm: Optional[str] = None) -> "PyJWK":
        return PyJWK(obj, algorithm)

    @staticmethod
    def from_json(data: str, algorithm: Optional[str] = None) -> "PyJWK":
        return PyJWK(json.loads(data), algorithm)

    def __repr__(self) -> str:
        return f"PyJWK(kty={self.key_type!r}, alg={self.algorithm_name!r}, kid={self.key_id!r})"


class PyJWKSet:
    """A JWK set. As in PyJWT, keys that cannot be used (encryption keys, unknown types or
    algorithms, broken material) are skipped; a set with no usable key is an error."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys: list[PyJWK] = []
        if not keys:
            raise PyJWKSetError("The JWK Set did not contain any keys")
        if not isinstance(keys, list):
            raise PyJWKSetError("Invalid JWK Set value")
        for key in keys:
            try:
                self.keys.append(PyJWK(key))
            except PyJWTError:
                continue
        if not self.keys:
            raise PyJWKSetError("The JWK Set did not contain any usable keys")

    @staticmethod
    def from_dict(obj: dict[str, Any]) -> "PyJWKSet":
        return PyJWKSet(obj.get("keys", []))

    @staticmethod
    def from_json(data: str) -> "PyJWKSet":
        return PyJWKSet.from_dict(json.loads(data))

    def __getitem__(self, kid: str) -> PyJWK:
        for key in self.keys:
            if key.key_id == kid:
                return key
        raise KeyError(f"keyset has no key for kid: {kid}")

    def __iter__(self) -> Any:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


__all__ = ["PyJWK", "PyJWKSet", "PyJWKError"]
