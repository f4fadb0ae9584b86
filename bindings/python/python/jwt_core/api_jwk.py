"""PyJWT's ``PyJWK``, ``PyJWKSet`` and ``PyJWTSetWithTimestamp``.

A JWK is parsed by the core's strict parser and bound to one algorithm, chosen as PyJWT
chooses it (the argument, else the JWK's ``alg``, else the core's default for its
``kty``/``crv``). ``key`` is jwt_core's native key (``SigningKey`` for a private or
``oct`` JWK, ``VerifyingKey`` otherwise), which every function of this package takes as
a key."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, Optional, Union

from . import _jwt_core as _native
from .algorithms import Algorithm, HMACAlgorithm, get_default_algorithms
from .exceptions import InvalidKeyError, PyJWKError, PyJWKSetError, PyJWTError, _error

_PRIVATE = ("d",)


def _infer_algorithm(jwk: dict[str, Any]) -> str:
    """The core's algorithm for a JWK naming none (``Jwk::default_algorithm_for`` its
    ``kty`` and ``crv``; ``InvalidKeyError`` where there is none). A ``crv`` PyJWT reads
    as absent (empty) is absent."""
    crv = jwk.get("crv")
    return _native.jwk_default_algorithm(str(jwk.get("kty")), str(crv) if crv else None)


def _native_key(jwk: dict[str, Any], alg: str) -> Union[_native.SigningKey, _native.VerifyingKey]:
    jose = "ES512" if alg == "ES521" else alg
    # a JWK that names another algorithm than the one asked for is refused by the core
    bound = {**jwk, "alg": jose} if jwk.get("alg") == alg != jose else jwk
    if jwk.get("kty") == "oct":
        HMACAlgorithm.from_jwk(jwk)  # PyJWT's own checks and messages come first
        # shorter than the hash output: accepted with a warning when used, as PyJWT does
        return _native.SigningKey.from_jwk(bound, jose, allow_short=True)
    if any(m in jwk for m in _PRIVATE):
        return _native.SigningKey.from_jwk(bound, jose)
    return _native.VerifyingKey.from_jwk(bound, jose)


def _in_core_terms(member: Any) -> Any:
    """A JWK set member as the core reads PyJWT's: ``ES521`` is PyJWT's name for ES512;
    a member that is not JSON is no JWK (``None``, which the core skips)."""
    if not isinstance(member, dict):
        return member
    try:
        json.dumps(member)
    except (TypeError, ValueError):
        return None
    if member.get("alg") == "ES521":
        return {**member, "alg": "ES512"}
    return member


class PyJWK:
    """One JWK bound to one algorithm (``algorithm_name``; ``Algorithm`` is its
    ``jwt.algorithms`` object); ``key`` is the native key."""

    def __init__(self, jwk_data: dict[str, Any], algorithm: Optional[str] = None) -> None:
        if not isinstance(jwk_data, dict):
            raise InvalidKeyError("a JWK must be a dict")
        self._jwk_data = jwk_data
        if not jwk_data.get("kty"):
            raise InvalidKeyError("kty is not found in the JWK")
        alg = algorithm or jwk_data.get("alg") or _infer_algorithm(jwk_data)
        if not isinstance(alg, str):
            raise InvalidKeyError("the JWK's alg must be a string")
        self.algorithm_name: str = alg
        algorithm_obj = get_default_algorithms().get(alg)
        if algorithm_obj is None or alg == "none":
            raise PyJWKError(f"Unable to find an algorithm for key: kty={jwk_data.get('kty')!r}, alg={alg!r}")
        self.Algorithm: Algorithm = algorithm_obj
        try:
            self.key: Union[_native.SigningKey, _native.VerifyingKey] = _native_key(jwk_data, alg)
        except PyJWTError as e:
            if isinstance(e, InvalidKeyError):
                raise
            raise _error(InvalidKeyError, f"Unable to construct key from JWK: {e}", e.code) from e
        except (TypeError, ValueError) as e:
            raise _error(InvalidKeyError, f"Unable to construct key from JWK: {e}") from e

    @classmethod
    def _from_core(cls, jwk_data: dict[str, Any], algorithm: str, key: Any) -> PyJWK:
        """A member of a JWK set the core has read and bound to ``algorithm`` (``key`` is
        the core's key for it): nothing is parsed again."""
        alg = "ES521" if jwk_data.get("alg") == "ES521" else algorithm
        algorithm_obj = get_default_algorithms().get(alg)
        if algorithm_obj is None:  # e.g. Ed25519, a name PyJWT 2.15 does not register
            raise PyJWKError(f"Unable to find an algorithm for key: kty={jwk_data.get('kty')!r}, alg={alg!r}")
        jwk = cls.__new__(cls)
        jwk._jwk_data = jwk_data
        jwk.algorithm_name = alg
        jwk.Algorithm = algorithm_obj
        jwk.key = key
        return jwk

    @staticmethod
    def from_dict(obj: dict[str, Any], algorithm: Optional[str] = None) -> PyJWK:
        return PyJWK(obj, algorithm)

    @staticmethod
    def from_json(data: str, algorithm: Optional[str] = None) -> PyJWK:
        return PyJWK.from_dict(json.loads(data), algorithm)

    @property
    def key_type(self) -> Optional[str]:
        return self._jwk_data.get("kty")

    @property
    def key_id(self) -> Optional[str]:
        return self._jwk_data.get("kid")

    @property
    def public_key_use(self) -> Optional[str]:
        return self._jwk_data.get("use")

    @property
    def _verifying(self) -> _native.VerifyingKey:
        k = self.key
        return k.verifying_key() if isinstance(k, _native.SigningKey) else k

    def thumbprint(self) -> str:
        """RFC 7638 thumbprint."""
        return str(self.key.thumbprint())

    def __repr__(self) -> str:
        return f"PyJWK(kty={self.key_type!r}, alg={self.algorithm_name!r}, kid={self.key_id!r})"


class PyJWKSet:
    """A JWK set. As in PyJWT, members that cannot be used (not objects, encryption keys,
    unknown types or algorithms, broken material) are skipped and a set with no usable
    key is an error. The document is read once, by the core (``KeySet::jwks_members``),
    whose key-set rules decide which members are usable (an ``oct`` member without
    ``alg`` is not: a symmetric key in a set is only taken for the algorithm it names,
    never as HS256 by default) and give their keys; a set whose usable members mix
    secret (``oct``, private) and public keys is a ``PyJWKSetError``."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self._source: Any = None  # the document JWKSetCache parsed this set from
        self.keys: list[PyJWK] = []
        if not keys:
            raise PyJWKSetError("The JWK Set did not contain any keys")
        if not isinstance(keys, list):
            raise PyJWKSetError("Invalid JWK Set value")
        # one read, by the core: which members are usable and their keys (PyJWK objects
        # are built from its answer, nothing is parsed twice)
        try:
            members = _native._jwk_set_members(json.dumps({"keys": [_in_core_terms(m) for m in keys]}))
        except PyJWTError as e:
            raise _error(PyJWKSetError, f"The JWK Set is refused: {e}", e.code) from e
        taken: set[int] = set()
        for index, algorithm, key in members:
            if index in taken:
                continue
            try:
                self.keys.append(PyJWK._from_core(keys[index], algorithm, key))
                taken.add(index)
            except PyJWTError:
                continue
        if not self.keys:
            raise PyJWKSetError("The JWK Set did not contain any usable keys")

    @staticmethod
    def from_dict(obj: dict[str, Any]) -> PyJWKSet:
        return PyJWKSet(obj.get("keys", []))

    @staticmethod
    def from_json(data: str) -> PyJWKSet:
        return PyJWKSet.from_dict(json.loads(data))

    def __getitem__(self, kid: str) -> PyJWK:
        for key in self.keys:
            if key.key_id == kid:
                return key
        raise KeyError(f"keyset has no key for kid: {kid}")

    def __iter__(self) -> Iterator[PyJWK]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


class PyJWTSetWithTimestamp:
    """A ``PyJWKSet`` and when it was stored (``time.monotonic()``)."""

    def __init__(self, jwk_set: PyJWKSet) -> None:
        self.jwk_set = jwk_set
        self.timestamp = time.monotonic()

    def get_jwk_set(self) -> PyJWKSet:
        return self.jwk_set

    def get_timestamp(self) -> float:
        return self.timestamp


__all__ = ["PyJWK", "PyJWKSet", "PyJWTSetWithTimestamp", "PyJWKError"]
