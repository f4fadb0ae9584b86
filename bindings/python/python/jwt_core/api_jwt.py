"""PyJWT's ``PyJWT`` class and ``jwt.encode``/``jwt.decode``/``jwt.decode_complete``, with
PyJWT 2.15's defaults and options; the differences are where PyJWT's behaviour is a
known vulnerability class (docs/python.md, "Differences from PyJWT").

One direction only: the arguments are normalised here, then one native call does the
work. ``decode`` keeps, per key and arguments, one native ``Verifier`` (keys parsed once
and bound to each allowed algorithm, the claim rules of the options); a token it accepts
is accepted. When it refuses a token for a reason PyJWT may see differently (padding,
claim details), the token is decided by PyJWT's own
order of checks below (``PyJWS._decode`` + ``_validate_claims``), whose signature check
runs natively too; that answer, or its error, is the result. A bad signature, an
oversized token or a duplicate JSON member is final at once.

Registered claims must have their registered types when they are verified (``exp``,
``nbf``, ``iat`` JSON numbers from 0 to 9999-12-31; ``iss``, ``sub``, ``jti`` strings;
``aud`` a string or a list of strings): a string ``exp`` is an error, never "no expiry"
(CVE-2026-25537)."""

from __future__ import annotations

import base64
import json
import math
import time
import warnings
from calendar import timegm
from collections.abc import Container, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Optional, Union

from . import _jwt_core as _native
from ._keys import hashable, native_verifying, prepare, refuse_none
from .api_jwk import PyJWK
from .api_jws import _ALGORITHM_UNSET, PyJWS, _json_object, _jws_global_obj, _key_algorithm, _warn_kwargs
from .exceptions import (
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidSubjectError,
    MissingRequiredClaimError,
    PyJWTError,
    _error,
)
from .warnings import InsecureKeyLengthWarning

_REGISTERED = frozenset(("exp", "nbf", "iat", "iss", "sub", "aud", "jti"))
# A refusal of the native verifier that is final: PyJWT's reading could not accept it.
_FINAL = frozenset(("invalid_signature", "input_too_large", "duplicate_member"))
_CACHE_MAX = 64


def _seconds(leeway: Union[float, timedelta]) -> float:
    return leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)


class _Fast:
    """One cached native verifier for ``decode`` (or the reason there is none)."""

    __slots__ = ("key", "verifier", "warnings", "errors")

    def __init__(self, key: Any, verifier: Any, warnings_: dict[str, str], errors: dict[str, Exception]) -> None:
        self.key = key
        self.verifier = verifier
        self.warnings = warnings_
        self.errors = errors


class _Signing:
    __slots__ = ("key", "signer", "warning")

    def __init__(self, key: Any, signer: Any, warning: Optional[str]) -> None:
        self.key = key
        self.signer = signer
        self.warning = warning


def _cache_put(cache: dict[Any, Any], ck: Any, value: Any) -> Any:
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[ck] = value
    return value


def _cache_key_of(key: Any) -> Any:
    h = hashable(key)
    return h if h is not None else ("__id__", id(key))


class PyJWT:
    """PyJWT's ``PyJWT``: ``options`` are the defaults of every ``decode``."""

    def __init__(self, options: Optional[dict[str, Any]] = None) -> None:
        self.options: dict[str, Any] = self._get_default_options()
        if options is not None:
            self.options = self._merge_options(options)
        self._jws = PyJWS(options=self._get_sig_options())
        self._verifiers: dict[Any, _Fast] = {}
        # str/bytes key -> ``(algorithms, audience, issuer, subject, leeway, verify)``: the
        # last call without options with that key, its verifier's ``verify``. One lookup by
        # the key (its hash is cached) and plain comparisons: no tuple built and hashed
        self._quick: dict[Any, tuple[Any, ...]] = {}
        self._signers: dict[Any, _Signing] = {}
        # str/bytes key -> ``(algorithm, the cached signer's _sign_pyjwt)``
        self._quick_sign: dict[Any, tuple[Any, Any]] = {}

    @property
    def _jws(self) -> PyJWS:
        return self.__jws

    @_jws.setter
    def _jws(self, jws: PyJWS) -> None:
        # the caches hold what this registry's algorithms made: dropped when it changes
        self.__jws = jws
        jws._dependents.append(self._clear_caches)
        self._clear_caches()

    def _clear_caches(self) -> None:
        for cache in ("_verifiers", "_quick", "_signers", "_quick_sign"):
            if cache in self.__dict__:
                self.__dict__[cache].clear()

    @staticmethod
    def _get_default_options() -> dict[str, Any]:
        return {
            "verify_signature": True,
            "verify_exp": True,
            "verify_nbf": True,
            "verify_iat": True,
            "verify_aud": True,
            "verify_iss": True,
            "verify_sub": True,
            "verify_jti": True,
            "require": [],
            "strict_aud": False,
            "enforce_minimum_key_length": False,
        }

    def _get_sig_options(self) -> dict[str, Any]:
        return {
            "verify_signature": self.options["verify_signature"],
            "enforce_minimum_key_length": self.options.get("enforce_minimum_key_length", False),
        }

    def _merge_options(self, options: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        if options is None:
            return self.options
        merged = dict(options)
        if not merged.get("verify_signature", True):
            # without a signature check, claims are checked only when asked for
            for name in ("exp", "nbf", "iat", "aud", "iss", "sub", "jti"):
                merged.setdefault(f"verify_{name}", False)
        return {**self.options, **merged}

    # -- encode ----------------------------------------------------------------------------

    def encode(
        self,
        payload: dict[str, Any],
        key: Any,
        algorithm: Optional[str] = _ALGORITHM_UNSET,
        headers: Optional[dict[str, Any]] = None,
        json_encoder: Optional[type[json.JSONEncoder]] = None,
        sort_headers: bool = True,
    ) -> str:
        """Sign ``payload`` (a dict of claims) into a compact JWT."""
        if headers is None and json_encoder is None:
            # the common call: a signer cached by an earlier call with this str/bytes key
            try:
                quick = self._quick_sign[key]
            except (KeyError, TypeError):
                pass
            else:
                if quick[0] == algorithm:
                    return quick[1](payload)  # type: ignore[no-any-return]
        if not isinstance(payload, dict):
            raise TypeError("Expecting a dict object, as JWT only supports JSON objects as payloads.")
        if "iss" in payload and not isinstance(payload["iss"], str):
            raise TypeError("Issuer (iss) must be a string.")
        if (
            headers is None
            and json_encoder is None
            and (algorithm is _ALGORITHM_UNSET or type(algorithm) is str)
            and self._jws._builtin_registry
            and type(self)._encode_payload is PyJWT._encode_payload
        ):
            return self._encode_fast(payload, key, algorithm)
        payload = payload.copy()
        for claim in ("exp", "iat", "nbf"):
            if isinstance(payload.get(claim), datetime):
                payload[claim] = timegm(payload[claim].utctimetuple())
        json_payload = self._encode_payload(payload, headers=headers, json_encoder=json_encoder)
        return self._jws._encode(json_payload, key, algorithm, headers, json_encoder, False, sort_headers, 2)

    def _encode_fast(self, payload: dict[str, Any], key: Any, algorithm: Any) -> str:
        given = algorithm  # what the quick path compares the next call's argument with
        if algorithm is _ALGORITHM_UNSET:
            algorithm = _key_algorithm(key) or "HS256"
        enforce = self._jws.options.get("enforce_minimum_key_length", False)
        ck = (_cache_key_of(key), algorithm, enforce)
        entry = self._signers.get(ck)
        if entry is None or entry.key is not key and not isinstance(ck[0], (str, bytes)):
            entry = _cache_put(self._signers, ck, self._make_signer(key, algorithm, enforce))
        if entry.warning:
            warnings.warn(entry.warning, InsecureKeyLengthWarning, stacklevel=3)
        elif type(key) in (str, bytes):
            _cache_put(self._quick_sign, key, (given, entry.signer._sign_pyjwt))
        return str(entry.signer.sign(payload))

    def _make_signer(self, key: Any, algorithm: str, enforce: bool) -> _Signing:
        if _native.is_unsecured_algorithm(algorithm):
            raise refuse_none(algorithm)
        alg_obj = self._jws.get_algorithm_by_name(algorithm)
        prepared, msg = prepare(alg_obj, key.key if isinstance(key, PyJWK) else key, enforce)
        signing_key = alg_obj._signing_key(prepared)
        if signing_key.algorithm != algorithm:  # ES521, PyJWT's alias of ES512
            raise NotImplementedError("Algorithm not supported")
        return _Signing(key, _native.Signer(signing_key), msg)

    def _encode_payload(
        self,
        payload: dict[str, Any],
        headers: Optional[dict[str, Any]] = None,
        json_encoder: Optional[type[json.JSONEncoder]] = None,
    ) -> bytes:
        """The bytes that are signed; a subclass may compress them, for example."""
        return json.dumps(payload, separators=(",", ":"), cls=json_encoder).encode("utf-8")

    # -- decode ----------------------------------------------------------------------------

    def decode_complete(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        verify: Optional[bool] = None,
        detached_payload: Optional[bytes] = None,
        audience: Optional[Union[str, Iterable[str]]] = None,
        issuer: Optional[Union[str, Container[str]]] = None,
        subject: Optional[str] = None,
        leeway: Union[float, timedelta] = 0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Like ``decode``; ``{"header": ..., "payload": ..., "signature": ...}``."""
        _warn_kwargs(kwargs, "decode_complete", 2)
        return self._decode(jwt, key, algorithms, options, verify, detached_payload, audience, issuer, subject, leeway, True)

    def decode(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        verify: Optional[bool] = None,
        detached_payload: Optional[bytes] = None,
        audience: Optional[Union[str, Iterable[str]]] = None,
        subject: Optional[str] = None,
        issuer: Optional[Union[str, Container[str]]] = None,
        leeway: Union[float, timedelta] = 0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify the token's signature and claims; return the claims."""
        if options is None and verify is None and detached_payload is None and not kwargs:
            # the common call, from a verifier made by an earlier call with these arguments
            try:
                q = self._quick[key]
            except (KeyError, TypeError):
                pass
            else:
                if q[0] == algorithms and q[1] == audience and q[2] == issuer and q[3] == subject and q[4] == leeway:
                    try:
                        return q[5](jwt)  # type: ignore[no-any-return]
                    except PyJWTError as e:
                        if e.code in _FINAL:
                            raise
        _warn_kwargs(kwargs, "decode", 2)
        return self._decode(jwt, key, algorithms, options, verify, detached_payload, audience, issuer, subject, leeway, False)  # type: ignore[no-any-return]

    def _decode(
        self,
        jwt: Union[str, bytes],
        key: Any,
        algorithms: Optional[Sequence[str]],
        options: Optional[dict[str, Any]],
        verify: Optional[bool],
        detached_payload: Optional[bytes],
        audience: Any,
        issuer: Any,
        subject: Any,
        leeway: Union[float, timedelta],
        complete: bool,
    ) -> Any:
        """``decode`` and ``decode_complete``: one function."""
        verify_signature = True if options is None else options.get("verify_signature", True)
        if verify is not None and verify != verify_signature:
            warnings.warn(
                "The `verify` argument to `decode` does nothing in PyJWT 2.0 and newer. The equivalent is "
                "setting `verify_signature` to False in the `options` dictionary. This invocation has a "
                "mismatch between the kwarg and the option entry.",
                category=DeprecationWarning,
                stacklevel=3,
            )
        merged = self.options if options is None else self._merge_options(options)
        if verify_signature and detached_payload is None and self._fast_ok():
            quick = None
            if options is None and type(key) in (str, bytes):
                # only arguments that cannot change after the call (hashable; a list of
                # algorithms is copied)
                algs = tuple(algorithms) if type(algorithms) is list else algorithms
                try:
                    hash((algs, audience, issuer, subject, leeway))
                except TypeError:
                    pass
                else:
                    quick = (list(algorithms) if type(algorithms) is list else algs, audience, issuer, subject, leeway)
            entry = self._fast(key, algorithms, merged, audience, issuer, subject, leeway, quick)
            if entry is not None and entry.verifier is not None:
                try:
                    if complete or entry.warnings:
                        out = entry.verifier.verify_complete(jwt)
                        msg = entry.warnings.get(out["header"].get("alg"))
                        if msg:
                            warnings.warn(msg, InsecureKeyLengthWarning, stacklevel=3)
                        if complete:
                            out["signature"] = _signature_of(jwt)
                            return out
                        return out["payload"]
                    return entry.verifier.verify(jwt)
                except PyJWTError as e:
                    if e.code in _FINAL:
                        raise
        sig_options = {
            "verify_signature": verify_signature,
            "enforce_minimum_key_length": merged.get("enforce_minimum_key_length", False),
        }
        decoded = self._jws._decode(jwt, key, algorithms, sig_options, detached_payload, 3)
        payload = self._decode_payload(decoded)
        self._validate_claims(payload, merged, audience=audience, issuer=issuer, subject=subject, leeway=leeway)
        decoded["payload"] = payload
        return decoded if complete else payload

    def _decode_payload(self, decoded: dict[str, Any]) -> dict[str, Any]:
        """The claims from a verified JWS; a subclass may decompress them, for example."""
        return _json_object(decoded["payload"], "payload")

    # -- the native fast path --------------------------------------------------------------

    def _fast_ok(self) -> bool:
        return self._jws._builtin_registry and type(self)._decode_payload is PyJWT._decode_payload

    def _fast(
        self,
        key: Any,
        algorithms: Any,
        options: dict[str, Any],
        audience: Any,
        issuer: Any,
        subject: Any,
        leeway: Any,
        quick: Any = None,
    ) -> Optional[_Fast]:
        """The cached native verifier for these arguments, ``None`` when they are outside
        what it expresses (then PyJWT's order of checks decides every token)."""
        if type(algorithms) is str:
            algorithms = (algorithms,)
        elif type(algorithms) in (list, tuple):
            algorithms = tuple(algorithms)
        elif algorithms is None and isinstance(key, PyJWK):
            algorithms = (key.algorithm_name,)
        else:
            return None
        if not algorithms:
            return None
        policy = _policy(options)
        if policy is None:
            return None
        aud = _strings(audience) if options["verify_aud"] else False
        iss = _strings(issuer) if options["verify_iss"] else None
        if aud is None and audience is not None or iss is None and issuer is not None and options["verify_iss"]:
            return None
        if subject is not None and not (type(subject) is str) or type(leeway) not in (int, float, timedelta):
            return None
        lee = _seconds(leeway)
        if not (lee >= 0 and math.isfinite(lee)):
            return None
        sub = subject if options["verify_sub"] else None
        ck = (_cache_key_of(key), algorithms, policy, aud, iss, sub, int(lee))
        try:
            entry = self._verifiers.get(ck)
        except TypeError:
            return None
        if entry is None or not (entry.key is key or isinstance(ck[0], (str, bytes))):
            entry = _cache_put(self._verifiers, ck, self._make_verifier(key, algorithms, policy, aud, iss, sub, int(lee)))
        if quick is not None and entry.verifier is not None and not entry.warnings:
            _cache_put(self._quick, key, (*quick, entry.verifier.verify))
        return entry

    def _make_verifier(
        self, key: Any, algorithms: tuple[str, ...], policy: tuple[Any, ...], aud: Any, iss: Any, sub: Any, leeway: int
    ) -> _Fast:
        enforce, require, verify_exp, verify_nbf, verify_iat = policy
        keys: list[Any] = []
        warned: dict[str, str] = {}
        errors: dict[str, Exception] = {}
        names = [a for a in dict.fromkeys(algorithms) if isinstance(a, str) and not _native.is_unsecured_algorithm(a)]
        for name in names:
            alg_obj = self._jws._algorithms.get(name)
            if alg_obj is None:
                continue
            try:
                if isinstance(key, PyJWK):
                    if name != key.algorithm_name:
                        continue
                    vk, msg = native_verifying(key.Algorithm, key.key, enforce)
                else:
                    vk, msg = native_verifying(alg_obj, key, enforce)
            except (PyJWTError, TypeError, ValueError) as e:
                errors[name] = e
                continue
            if vk.algorithm != name:
                continue  # ES521: PyJWT's alias, read by the PyJWT-order path
            keys.append(vk)
            if msg:
                warned[name] = msg
        if not keys:
            if errors and len(errors) == len(names):
                raise next(iter(errors.values()))
            return _Fast(key, None, warned, errors)
        verifier = _native.Verifier(
            keys,
            algorithms=[k.algorithm for k in keys],
            issuer=iss,
            audience=aud or None,
            subject=sub,
            leeway=leeway,
            required_claims=list(require),
            verify_exp=verify_exp,
            verify_nbf=verify_nbf,
            verify_iat=verify_iat,
            verify_aud=aud is not False,
            # PyJWT checks a token with the key it is given whatever its ``kid``: keys
            # without a ``kid`` may check tokens that name one (the core's rule)
            kid_policy="lenient",
        )
        return _Fast(key, verifier, warned, errors)

    # -- claims: PyJWT's checks, with the registered types enforced --------------------------

    def _validate_claims(
        self,
        payload: dict[str, Any],
        options: dict[str, Any],
        audience: Any = None,
        issuer: Any = None,
        subject: Optional[str] = None,
        leeway: Union[float, timedelta] = 0,
    ) -> None:
        leeway = _seconds(leeway)
        if audience is not None and not isinstance(audience, (str, Iterable)):
            raise TypeError("audience must be a string, iterable or None")
        self._validate_required_claims(payload, options["require"])
        now = time.time()
        if "iat" in payload and options["verify_iat"]:
            self._validate_iat(payload, now, leeway)
        if "nbf" in payload and options["verify_nbf"]:
            self._validate_nbf(payload, now, leeway)
        if "exp" in payload and options["verify_exp"]:
            self._validate_exp(payload, now, leeway)
        if options["verify_iss"]:
            self._validate_iss(payload, issuer)
        if options["verify_aud"]:
            self._validate_aud(payload, audience, strict=options.get("strict_aud", False))
        if options["verify_sub"]:
            self._validate_sub(payload, subject)
        if options["verify_jti"]:
            self._validate_jti(payload)

    def _validate_required_claims(self, payload: dict[str, Any], claims: Iterable[str]) -> None:
        for claim in claims:
            if payload.get(claim) is None:
                raise MissingRequiredClaimError(claim)

    def _validate_iat(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        _check_type(payload, "iat")
        if int(payload["iat"]) > now + leeway:
            raise _error(ImmatureSignatureError, "The token is not yet valid (iat)", "token_issued_in_future")

    def _validate_nbf(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        _check_type(payload, "nbf")
        if int(payload["nbf"]) > now + leeway:
            raise ImmatureSignatureError("The token is not yet valid (nbf)")

    def _validate_exp(self, payload: dict[str, Any], now: float, leeway: float) -> None:
        _check_type(payload, "exp")
        if int(payload["exp"]) <= now - leeway:
            raise ExpiredSignatureError("Signature has expired")

    def _validate_aud(self, payload: dict[str, Any], audience: Any, *, strict: bool = False) -> None:
        claim = payload.get("aud")
        if claim is not None:  # PyJWT reads a null ``aud`` as no audience
            _check_type(payload, "aud")
        if audience is None:
            if claim:  # a token for an audience, verified by one that names none (RFC 7519 4.1.3)
                raise InvalidAudienceError("Invalid audience")
            return
        if not claim:
            raise MissingRequiredClaimError("aud")
        if strict:
            if not isinstance(audience, str):
                raise InvalidAudienceError("Invalid audience (strict)")
            if not isinstance(claim, str):
                raise InvalidAudienceError("Invalid claim format in token (strict)")
            if audience != claim:
                raise InvalidAudienceError("Audience doesn't match (strict)")
            return
        have = [claim] if isinstance(claim, str) else claim
        wanted = [audience] if isinstance(audience, str) else list(audience)
        if not any(a in have for a in wanted):
            raise InvalidAudienceError("Audience doesn't match")

    def _validate_iss(self, payload: dict[str, Any], issuer: Any) -> None:
        _check_type(payload, "iss")
        if issuer is None:
            return
        if "iss" not in payload:
            raise MissingRequiredClaimError("iss")
        iss = payload["iss"]
        if isinstance(issuer, str):
            if iss != issuer:
                raise InvalidIssuerError("Invalid issuer")
            return
        try:
            accepted = iss in issuer
        except TypeError:
            raise InvalidIssuerError('Issuer param must be "str" or "Container[str]"') from None
        if not accepted:
            raise InvalidIssuerError("Invalid issuer")

    def _validate_sub(self, payload: dict[str, Any], subject: Optional[str] = None) -> None:
        if "sub" not in payload:
            return
        _check_type(payload, "sub")
        if subject is not None and payload["sub"] != subject:
            raise InvalidSubjectError("Invalid subject")

    def _validate_jti(self, payload: dict[str, Any]) -> None:
        _check_type(payload, "jti")


# PyJWT's message for a registered claim of the wrong type: the one table from the core's
# verdict (``invalid_claim`` naming the claim; the class is the error table's) to PyJWT's words
_TYPE_MESSAGE = {
    "iat": "Issued At claim (iat) must be an integer.",
    "nbf": "Not Before claim (nbf) must be an integer.",
    "exp": "Expiration Time claim (exp) must be an integer.",
    "iss": "Payload Issuer (iss) must be a string",
    "aud": "Invalid claim format in token",
    "sub": "Subject must be a string",
    "jti": "JWT ID must be a string",
}


def _check_type(payload: dict[str, Any], name: str) -> None:
    """The core decides whether the registered claim ``name``, if present, has its type
    (``RegisteredClaims::from_json``: NumericDates are JSON numbers in 0..9999-12-31,
    ``aud`` a string or a list of strings, the others strings)."""
    if name in payload:
        try:
            _native.check_registered_claims({name: payload[name]})
        except PyJWTError as e:
            raise _error(type(e), _TYPE_MESSAGE[name], e.code, claim=name) from None


def _policy(options: dict[str, Any]) -> Optional[tuple[Any, ...]]:
    """The options as the native verifier's rules, ``None`` if it cannot express them."""
    require = options.get("require") or ()
    if options.get("strict_aud") or not isinstance(require, (list, tuple)):
        return None
    if any(not isinstance(r, str) or r not in _REGISTERED for r in require):
        return None  # PyJWT counts a null claim as missing; the core as present
    return (
        bool(options.get("enforce_minimum_key_length", False)),
        tuple(require),
        bool(options["verify_exp"]),
        bool(options["verify_nbf"]),
        bool(options["verify_iat"]),
    )


def _strings(value: Any) -> Any:
    """``None``, a ``str``, or a list/tuple/set of ``str`` as a tuple; ``None`` otherwise."""
    if value is None or type(value) is str:
        return value
    if type(value) in (list, tuple, set, frozenset) and all(type(v) is str for v in value):
        return tuple(sorted(value)) if isinstance(value, (set, frozenset)) else tuple(value)
    return None


def _signature_of(jwt: Union[str, bytes]) -> bytes:
    seg = (jwt.encode() if isinstance(jwt, str) else jwt).rsplit(b".", 1)[-1].rstrip(b"=")
    return base64.urlsafe_b64decode(seg + b"=" * (-len(seg) % 4))


_jwt_global_obj = PyJWT()
_jwt_global_obj._jws = _jws_global_obj
encode = _jwt_global_obj.encode
decode_complete = _jwt_global_obj.decode_complete
decode = _jwt_global_obj.decode


def get_unverified_header(jwt: Union[str, bytes]) -> dict[str, Any]:
    """The header of a token, NOT verified: use it to pick a key, never to decide."""
    return _jws_global_obj.get_unverified_header(jwt)


__all__ = ["PyJWT", "decode", "decode_complete", "encode", "get_unverified_header"]
