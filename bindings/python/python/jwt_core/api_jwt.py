"""PyJWT's ``jwt.encode``/``jwt.decode``/``jwt.decode_complete`` on the jwt-core engine.

Same names and signatures as PyJWT; where PyJWT's default is unsafe, jwt-core's wins
(see docs/python.md, "Differences from PyJWT")."""

from __future__ import annotations

import json
from calendar import timegm
from datetime import datetime, timedelta
from typing import Any, Iterable, Optional, Sequence, Union

from . import _jwt_core as _native
from ._keys import for_sign, for_verify
from .exceptions import InvalidArgumentError

_ALGORITHM_UNSET: Any = object()

# `decode` and `encode` are native (`_jwt_core.pyjwt_decode` / `pyjwt_encode`): the common
# call (a str/bytes key, no `options`/`headers`) is served in Rust from parsed keys kept
# in a small cache (the key is parsed once, not on every call as in PyJWT, at most 64
# combinations of key and arguments); every other call comes back to `_decode`/`_encode`.


def _seconds(leeway: Union[float, timedelta]) -> float:
    return leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)


def _algorithm_list(algorithms: Optional[Sequence[str]]) -> Optional[list[str]]:
    # PyJWT's own examples pass a single name: algorithms="HS256"
    if algorithms is None or isinstance(algorithms, str):
        return None if algorithms is None else [algorithms]
    return list(algorithms)


def _default_algorithm(key: Any) -> Optional[str]:
    from .api_jwk import PyJWK

    if isinstance(key, PyJWK):
        return key.algorithm_name
    if isinstance(key, _native.SigningKey):
        return key.algorithm
    return "HS256"


def _encode(
    payload: dict[str, Any],
    key: Any,
    algorithm: Optional[str] = _ALGORITHM_UNSET,
    headers: Optional[dict[str, Any]] = None,
    json_encoder: Optional[type[json.JSONEncoder]] = None,
    sort_headers: bool = True,
) -> str:
    """Sign ``payload`` (a dict of claims) into a compact JWT.

    ``algorithm=None`` (an unsecured token in PyJWT) is refused; ``datetime`` values of
    ``exp``/``iat``/``nbf`` become NumericDates; HMAC secrets shorter than the hash output
    are refused (``weak_key``)."""
    if algorithm is _ALGORITHM_UNSET:
        algorithm = _default_algorithm(key)
    payload_json = None
    if json_encoder is not None:
        if not isinstance(payload, dict):
            raise TypeError("Expecting a dict object, as JWT only supports JSON objects as payloads.")
        p = dict(payload)
        for claim in ("exp", "iat", "nbf"):
            if isinstance(p.get(claim), datetime):
                p[claim] = timegm(p[claim].utctimetuple())
        payload_json = json.dumps(p, separators=(",", ":"), cls=json_encoder)
    return _native.encode(payload, for_sign(key), algorithm, headers, payload_json)


def decode_complete(
    jwt: Union[str, bytes],
    key: Any = "",
    algorithms: Optional[Sequence[str]] = None,
    options: Optional[dict[str, Any]] = None,
    verify: Optional[bool] = None,
    detached_payload: Optional[bytes] = None,
    audience: Optional[Union[str, Iterable[str]]] = None,
    subject: Optional[str] = None,
    issuer: Optional[Union[str, Sequence[str]]] = None,
    leeway: Union[float, timedelta] = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Verify a JWT; return ``{"header": ..., "payload": ..., "signature": ...}``."""
    if detached_payload is not None:
        raise InvalidArgumentError("detached payloads are for PyJWS.decode, not JWTs")
    return _native.decode(  # type: ignore[no-any-return]
        jwt,
        for_verify(key),
        _algorithm_list(algorithms),
        options,
        audience,
        issuer,
        subject,
        _seconds(leeway),
        True,
    )


def _decode(
    jwt: Union[str, bytes],
    key: Any = "",
    algorithms: Optional[Sequence[str]] = None,
    options: Optional[dict[str, Any]] = None,
    verify: Optional[bool] = None,
    detached_payload: Optional[bytes] = None,
    audience: Optional[Union[str, Iterable[str]]] = None,
    subject: Optional[str] = None,
    issuer: Optional[Union[str, Sequence[str]]] = None,
    leeway: Union[float, timedelta] = 0,
    **kwargs: Any,
) -> dict[str, Any]:
    """Verify a JWT's signature and claims; return the claims.

    ``algorithms`` is required (unless ``key`` is a ``PyJWK``); ``exp`` is required
    unless ``options={"require": []}`` or ``{"verify_exp": False}``."""
    if detached_payload is not None:
        raise InvalidArgumentError("detached payloads are for PyJWS.decode, not JWTs")
    return _native.decode(  # type: ignore[no-any-return]
        jwt,
        for_verify(key),
        _algorithm_list(algorithms),
        options,
        audience,
        issuer,
        subject,
        _seconds(leeway),
        False,
    )


encode = _native.pyjwt_encode
decode = _native.pyjwt_decode


def get_unverified_header(jwt: Union[str, bytes]) -> dict[str, Any]:
    """The header of a token, NOT verified: use it to pick a key, never to decide."""
    return _native.get_unverified_header(jwt)


class PyJWT:
    """PyJWT's ``PyJWT`` class: default ``options`` merged into every ``decode``."""

    def __init__(self, options: Optional[dict[str, Any]] = None) -> None:
        self.options: dict[str, Any] = dict(options or {})

    def encode(
        self,
        payload: dict[str, Any],
        key: Any,
        algorithm: Optional[str] = _ALGORITHM_UNSET,
        headers: Optional[dict[str, Any]] = None,
        json_encoder: Optional[type[json.JSONEncoder]] = None,
        sort_headers: bool = True,
    ) -> str:
        return encode(payload, key, algorithm, headers, json_encoder, sort_headers)

    def decode_complete(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return decode_complete(jwt, key, algorithms, {**self.options, **(options or {})}, **kwargs)

    def decode(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return decode(jwt, key, algorithms, {**self.options, **(options or {})}, **kwargs)
