"""PyJWT's ``PyJWS``: signatures over arbitrary bytes (``b64: false`` detached payloads
included), with PyJWT's algorithm registry (``register_algorithm``,
``unregister_algorithm``, ``get_algorithm_by_name``).

Tokens are read as PyJWT reads them (canonical base64url with optional padding, PyJWT's
error messages), except where PyJWT's behaviour is a known vulnerability class (see
docs/python.md, "Differences from PyJWT"): header and payload JSON go through the core's
strict parser (a member name twice is an error, nesting and sizes are bounded), and signatures are checked
by the jwt-core engine through the algorithm objects of ``jwt.algorithms``. An unsecured
token (``alg: none`` in any spelling) is never made nor verified: ``InvalidAlgorithmError``
with the code ``unsupported_algorithm``, whatever ``algorithms`` says."""

from __future__ import annotations

import binascii
import json
import warnings
from collections.abc import Sequence
from typing import Any, Optional, Union

from . import _jwt_core as _native
from ._keys import length_policy, refuse_none
from .algorithms import Algorithm, get_default_algorithms, has_crypto, requires_cryptography
from .api_jwk import PyJWK
from .exceptions import (
    DecodeError,
    InvalidAlgorithmError,
    InvalidSignatureError,
    InvalidTokenError,
    MissingAlgorithmsError,
    PyJWTError,
    _error,
)
from .utils import base64url_decode, base64url_encode
from .warnings import RemovedInPyjwt3Warning

_ALGORITHM_UNSET: Any = object()
_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_MISSING_ALGORITHMS = 'It is required that you pass in a value for the "algorithms" argument when calling decode().'


def _missing_algorithms() -> PyJWTError:
    return MissingAlgorithmsError(_MISSING_ALGORITHMS)


def _key_algorithm(key: Any) -> Optional[str]:
    """The algorithm a key is bound to, for ``encode`` without ``algorithm``: a ``PyJWK``'s
    (as in PyJWT) or a native ``SigningKey``'s."""
    if isinstance(key, PyJWK):
        return key.algorithm_name
    if isinstance(key, _native.SigningKey):
        return str(key.algorithm)
    return None


def _warn_kwargs(kwargs: dict[str, Any], where: str, stacklevel: int) -> None:
    if kwargs:
        warnings.warn(
            f"passing additional kwargs to {where}() is deprecated and will be removed in pyjwt "
            f"version 3. Unsupported kwargs: {tuple(kwargs.keys())}",
            RemovedInPyjwt3Warning,
            stacklevel=stacklevel + 1,
        )


def _core_verdict(data: bytes) -> str:
    """The core's message for ``data`` as a header or payload (``""`` if it is one)."""
    try:
        _native.check_json_object(data)
    except _native.CoreError as e:
        return str(e)
    return ""


#: The core's verdict on JSON that is not an object (asked of the core once): PyJWT's
#: message for it is its own.
_NOT_AN_OBJECT = _core_verdict(b"0")


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    """A header or payload: one JSON object. The core decides whether the text is one
    (UTF-8, no member name twice, bounded nesting, an object; ``check_json_object``), with
    PyJWT's class and messages; ``json.loads`` then reads it, as PyJWT does (code that
    wraps or mocks it keeps working)."""
    try:
        _native.check_json_object(data)
    except PyJWTError as e:
        if e.code == "duplicate_member":
            raise
        reason = "must be a json object" if str(e) == _NOT_AN_OBJECT else str(e)
        raise _error(DecodeError, f"Invalid {what} string: {reason}", e.code) from None
    try:
        return json.loads(data)  # type: ignore[no-any-return]
    except (ValueError, RecursionError) as e:
        raise DecodeError(f"Invalid {what} string: {e}") from e


class PyJWS:
    header_typ = "JWT"

    # Extensions that this implementation understands (RFC 7797 unencoded payloads).
    _supported_crit: set[str] = {"b64"}

    def __init__(self, algorithms: Optional[Sequence[str]] = None, options: Optional[dict[str, Any]] = None) -> None:
        registry = get_default_algorithms()
        allowed = set(algorithms) if algorithms is not None else set(registry)
        self._algorithms: dict[str, Algorithm] = {n: a for n, a in registry.items() if n in allowed}
        self._valid_algs = allowed
        #: Whether the registry is still the built-in one (the PyJWT class's fast path).
        self._builtin_registry = algorithms is None
        #: Called when the registry changes (the ``PyJWT`` objects' caches).
        self._dependents: list[Any] = []
        self.options: dict[str, Any] = {"verify_signature": True, "enforce_minimum_key_length": False}
        if options is not None:
            self.options = {**self.options, **options}

    # -- the registry ----------------------------------------------------------------------

    def register_algorithm(self, alg_id: str, alg_obj: Algorithm) -> None:
        """Register an ``Algorithm`` object for signing and verifying ``alg_id`` tokens."""
        if alg_id in self._algorithms:
            raise ValueError("Algorithm already has a handler.")
        if not isinstance(alg_obj, Algorithm):
            raise TypeError("Object is not of type `Algorithm`")
        self._algorithms[alg_id] = alg_obj
        self._valid_algs.add(alg_id)
        self._builtin_registry = False
        for clear in self._dependents:
            clear()

    def unregister_algorithm(self, alg_id: str) -> None:
        """Remove ``alg_id`` (``KeyError`` if it is not registered)."""
        if alg_id not in self._algorithms:
            raise KeyError("The specified algorithm could not be removed because it is not registered.")
        del self._algorithms[alg_id]
        self._valid_algs.discard(alg_id)
        self._builtin_registry = False
        for clear in self._dependents:
            clear()

    def get_algorithms(self) -> list[str]:
        """Names accepted for ``alg`` (``none`` is listed, as in PyJWT, but never used)."""
        return list(self._valid_algs)

    def get_algorithm_by_name(self, alg_name: str) -> Algorithm:
        """The registered ``Algorithm`` object (``NotImplementedError`` if none)."""
        try:
            return self._algorithms[alg_name]
        except KeyError as e:
            if not has_crypto and alg_name in requires_cryptography:
                raise NotImplementedError(f"Algorithm '{alg_name}' could not be found.") from e
            raise NotImplementedError("Algorithm not supported") from e

    # -- signing ---------------------------------------------------------------------------

    def encode(
        self,
        payload: bytes,
        key: Any,
        algorithm: Optional[str] = _ALGORITHM_UNSET,
        headers: Optional[dict[str, Any]] = None,
        json_encoder: Optional[type[json.JSONEncoder]] = None,
        is_payload_detached: bool = False,
        sort_headers: bool = True,
    ) -> str:
        """Sign ``payload`` bytes into a compact JWS (``header..signature`` if detached)."""
        return self._encode(payload, key, algorithm, headers, json_encoder, is_payload_detached, sort_headers, 2)

    def _encode(
        self,
        payload: bytes,
        key: Any,
        algorithm: Optional[str],
        headers: Optional[dict[str, Any]],
        json_encoder: Optional[type[json.JSONEncoder]],
        is_payload_detached: bool,
        sort_headers: bool,
        stacklevel: int,
    ) -> str:
        if algorithm is _ALGORITHM_UNSET or algorithm is None:
            alg: Any = _key_algorithm(key) or ("HS256" if algorithm is _ALGORITHM_UNSET else "none")
        else:
            alg = algorithm
        if headers:
            if headers.get("alg"):
                alg = headers["alg"]
            if headers.get("b64") is False:
                is_payload_detached = True
        header: dict[str, Any] = {"typ": self.header_typ, "alg": alg}
        if headers:
            self._validate_headers(headers, encoding=True)
            header.update(headers)
        if not header["typ"]:
            del header["typ"]
        if is_payload_detached:
            header["b64"] = False
            crit = header.get("crit", [])
            if not isinstance(crit, list):
                raise InvalidTokenError("Invalid 'crit' header: must be a list")
            if "b64" not in crit:
                header["crit"] = [*crit, "b64"]
        elif "b64" in header:
            del header["b64"]  # true is the default
        if _native.is_unsecured_algorithm(alg):
            raise refuse_none(alg)
        head = base64url_encode(
            json.dumps(header, separators=(",", ":"), cls=json_encoder, sort_keys=sort_headers).encode()
        )
        body = payload if is_payload_detached else base64url_encode(payload)
        signing_input = head + b"." + body
        alg_obj = self.get_algorithm_by_name(alg)
        if isinstance(key, PyJWK):
            key = key.key
        prepared = alg_obj.prepare_key(key)
        length_policy(alg_obj.check_key_length(prepared), self.options.get("enforce_minimum_key_length", False), stacklevel + 1)
        signature = alg_obj.sign(signing_input, prepared)
        return b".".join([head, b"" if is_payload_detached else body, base64url_encode(signature)]).decode()

    # -- verifying -------------------------------------------------------------------------

    def decode_complete(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        detached_payload: Optional[bytes] = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify; ``{"payload": bytes, "header": dict, "signature": bytes}``."""
        _warn_kwargs(kwargs, "decode_complete", 2)
        return self._decode(jwt, key, algorithms, options, detached_payload, 2)

    def decode(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        detached_payload: Optional[bytes] = None,
        **kwargs: Any,
    ) -> Any:
        """Verify; the payload bytes."""
        _warn_kwargs(kwargs, "decode", 2)
        return self._decode(jwt, key, algorithms, options, detached_payload, 2)["payload"]

    def _decode(
        self,
        jwt: Union[str, bytes],
        key: Any,
        algorithms: Optional[Sequence[str]],
        options: Optional[dict[str, Any]],
        detached_payload: Optional[bytes],
        stacklevel: int,
    ) -> dict[str, Any]:
        merged = self.options if options is None else {**self.options, **options}
        verify_signature = merged["verify_signature"]
        if verify_signature and not algorithms and not isinstance(key, PyJWK):
            raise _missing_algorithms()
        payload, signing_input, header, signature = self._load(jwt)
        self._validate_headers(header)
        b64 = header.get("b64", True) is not False
        if detached_payload is not None and b64:
            raise DecodeError(
                'It is only valid to pass "detached_payload" when the protected header has "b64" set to false.'
            )
        if not b64:
            crit = header.get("crit") or []
            if not isinstance(crit, list) or "b64" not in crit:
                raise InvalidTokenError("The 'b64' header parameter requires 'b64' to be listed in 'crit'.")
            if detached_payload is None:
                raise DecodeError(
                    'It is required that you pass in a value for the "detached_payload" argument to decode a '
                    "message having the b64 header set to false."
                )
            payload = bytes(detached_payload)
            signing_input = signing_input.rsplit(b".", 1)[0] + b"." + payload
        if verify_signature:
            self._verify_signature(signing_input, header, signature, key, algorithms, merged, stacklevel + 1)
        return {"payload": payload, "header": header, "signature": signature}

    def get_unverified_header(self, jwt: Union[str, bytes]) -> dict[str, Any]:
        """The header, NOT verified: use it to pick a key, never to decide."""
        header = self._load(jwt)[2]
        self._validate_headers(header)
        return header

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        """A token segment: base64url in its canonical form, the ``=`` padding optional
        (some issuers pad, e.g. AWS ALB); anything else is ``Invalid <name> padding``."""
        stripped = segment.rstrip(b"=")
        padding = len(segment) - len(stripped)
        if (
            padding > 2
            or (padding and len(segment) % 4)
            or len(stripped) % 4 == 1
            or not _ALPHABET.issuperset(stripped)
        ):
            raise DecodeError(f"Invalid {name} padding")
        try:
            decoded = base64url_decode(stripped)
        except (TypeError, binascii.Error) as e:
            raise DecodeError(f"Invalid {name} padding") from e
        if base64url_encode(decoded) != stripped:
            raise DecodeError(f"Invalid {name} padding")  # non-canonical trailing bits
        return decoded

    def _load(self, jwt: Union[str, bytes]) -> tuple[bytes, bytes, dict[str, Any], bytes]:
        if isinstance(jwt, str):
            try:
                jwt = jwt.encode("utf-8")
            except UnicodeEncodeError:
                raise DecodeError("the token is not valid UTF-8 (a lone surrogate)") from None
        if not isinstance(jwt, bytes):
            raise DecodeError(f"Invalid token type. Token must be a {bytes}")
        if len(jwt) > _native.MAX_TOKEN_BYTES:
            raise _error(
                DecodeError,
                f"input too large: token is {len(jwt)}, over the limit of {_native.MAX_TOKEN_BYTES}",
                "input_too_large",
            )
        try:
            signing_input, crypto_segment = jwt.rsplit(b".", 1)
            header_segment, payload_segment = signing_input.split(b".", 1)
        except ValueError:
            raise DecodeError("Not enough segments") from None
        if len(header_segment) // 4 * 3 > _native.MAX_HEADER_BYTES:
            raise _error(DecodeError, "input too large: the header is over the limit", "input_too_large")
        header = _json_object(self._decode_base64url_segment(header_segment, "header"), "header")
        if header.get("b64", True) is False:
            # RFC 7515 Appendix F: the payload travels apart; nothing here is decoded.
            if payload_segment:
                raise DecodeError("Payload segment must be empty when 'b64' is false.")
            payload = b""
        else:
            payload = self._decode_base64url_segment(payload_segment, "payload")
        signature = self._decode_base64url_segment(crypto_segment, "crypto")
        return payload, signing_input, header, signature

    def _verify_signature(
        self,
        signing_input: bytes,
        header: dict[str, Any],
        signature: bytes,
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        stacklevel: int = 2,
    ) -> None:
        options = self.options if options is None else options
        if algorithms is None and isinstance(key, PyJWK):
            algorithms = [key.algorithm_name]
        if "alg" not in header:
            raise InvalidAlgorithmError("Algorithm not specified")
        alg = header["alg"]
        if _native.is_unsecured_algorithm(alg):
            raise refuse_none(alg)
        if not alg or (algorithms is not None and alg not in algorithms):
            raise InvalidAlgorithmError("The specified alg value is not allowed")
        if isinstance(key, PyJWK):
            if alg != key.algorithm_name:
                raise InvalidAlgorithmError(
                    f"Token algorithm {alg!r} does not match the key's algorithm {key.algorithm_name!r}"
                )
            alg_obj = key.Algorithm
            prepared = alg_obj.prepare_key(key.key)
        else:
            alg_obj = self._algorithms.get(alg)  # type: ignore[assignment]
            if alg_obj is None:
                raise _error(InvalidAlgorithmError, "Algorithm not supported", "unsupported_algorithm")
            prepared = alg_obj.prepare_key(key)
        length_policy(
            alg_obj.check_key_length(prepared), options.get("enforce_minimum_key_length", False), stacklevel + 1
        )
        if not alg_obj.verify(signing_input, prepared, signature):
            raise InvalidSignatureError("Signature verification failed")

    def _validate_headers(self, headers: dict[str, Any], *, encoding: bool = False) -> None:
        if "kid" in headers and not isinstance(headers["kid"], str):
            raise _error(InvalidTokenError, "Key ID header parameter must be a string", "invalid_header")
        if not encoding and "crit" in headers:
            self._validate_crit(headers)

    def _validate_crit(self, headers: dict[str, Any]) -> None:
        crit = headers["crit"]
        if not isinstance(crit, list) or not crit:
            raise _error(InvalidTokenError, "Invalid 'crit' header: must be a non-empty list", "invalid_header")
        for ext in crit:
            if not isinstance(ext, str):
                raise _error(InvalidTokenError, "Invalid 'crit' header: values must be strings", "invalid_header")
            if ext not in self._supported_crit:
                raise _error(
                    InvalidTokenError, f"Unsupported critical extension: {ext}", "unsupported_critical_header"
                )
            if ext not in headers:
                raise _error(InvalidTokenError, f"Critical extension '{ext}' is missing from headers", "invalid_header")


_jws_global_obj = PyJWS()
encode = _jws_global_obj.encode
decode_complete = _jws_global_obj.decode_complete
decode = _jws_global_obj.decode
register_algorithm = _jws_global_obj.register_algorithm
unregister_algorithm = _jws_global_obj.unregister_algorithm
get_algorithm_by_name = _jws_global_obj.get_algorithm_by_name
get_unverified_header = _jws_global_obj.get_unverified_header
