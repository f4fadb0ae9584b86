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
from .exceptions import InvalidArgumentError, InvalidSignatureError

_ALGORITHM_UNSET: Any = object()

# Parsed keys for repeated calls with the same key and arguments (the common case of a
# service calling jwt.decode/jwt.encode with one configured key): the key is parsed once,
# not on every call as in PyJWT. Only str/bytes keys without `options`/`headers` are
# cached; at most _CACHE_MAX entries, dropped together when full.
_CACHE_MAX = 64
_VERIFIERS: dict[Any, _native.Verifier] = {}
_SIGNERS: dict[Any, _native.Signer] = {}


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, (list, tuple)) else v


def _cached_verifier(
    key: Any, algorithms: Any, audience: Any, issuer: Any, subject: Any, leeway: Any
) -> Optional[_native.Verifier]:
    try:
        ck = (type(key), key, _hashable(algorithms), _hashable(audience), _hashable(issuer), subject, leeway)
        v = _VERIFIERS.get(ck)
    except TypeError:  # unhashable arguments: no cache
        return None
    if v is None:
        v = _native.pyjwt_verifier(key, _algorithm_list(algorithms), audience, issuer, subject, _seconds(leeway))
        if len(_VERIFIERS) >= _CACHE_MAX:
            _VERIFIERS.clear()
        _VERIFIERS[ck] = v
    return v


def _cached_signer(key: Any, algorithm: str) -> _native.Signer:
    ck = (type(key), key, algorithm)
    s = _SIGNERS.get(ck)
    if s is None:
        if algorithm.startswith("HS"):
            sk = _native.SigningKey.hmac(algorithm, key)
        else:
            sk = _native.SigningKey.from_pem(algorithm, key)
        s = _native.Signer(sk)
        if len(_SIGNERS) >= _CACHE_MAX:
            _SIGNERS.clear()
        _SIGNERS[ck] = s
    return s


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


def encode(
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
    kt = type(key)
    if (kt is str or kt is bytes) and headers is None and json_encoder is None and type(algorithm) is str:
        return _cached_signer(key, algorithm).sign(payload)
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


def decode(
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
    kt = type(key)
    if options is None and (kt is str or kt is bytes) and algorithms:
        v = _cached_verifier(key, algorithms, audience, issuer, subject, leeway)
        if v is not None:
            try:
                return v.verify(jwt)
            except InvalidSignatureError as e:
                if e.code != "key_not_found":
                    raise
                # a token `kid` with a kid-less key: the uncached path ignores the kid
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
