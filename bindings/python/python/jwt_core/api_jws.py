"""PyJWT's ``PyJWS``: signatures over arbitrary bytes (``b64: false`` and detached
payloads included), on the jwt-core engine."""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence, Union

from . import _jwt_core as _native
from ._keys import for_sign, for_verify
from .api_jwt import _ALGORITHM_UNSET, _algorithm_list, _default_algorithm


class PyJWS:
    header_typ = "JWT"

    def __init__(self, algorithms: Optional[Sequence[str]] = None, options: Optional[dict[str, Any]] = None) -> None:
        self._algorithms = list(algorithms) if algorithms is not None else list(_native.ALGORITHMS)
        self.options: dict[str, Any] = {"verify_signature": True, **(options or {})}

    def get_algorithms(self) -> list[str]:
        """Names of the supported algorithms (never ``none``)."""
        return list(self._algorithms)

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
        if algorithm is _ALGORITHM_UNSET:
            algorithm = _default_algorithm(key)
        return _native.jws_encode(payload, for_sign(key), algorithm, headers, is_payload_detached)

    def decode_complete(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        detached_payload: Optional[bytes] = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Verify; return ``{"payload": bytes, "header": dict, "signature": bytes}``."""
        return _native.jws_decode(  # type: ignore[no-any-return]
            jwt,
            for_verify(key),
            _algorithm_list(algorithms),
            {**self.options, **(options or {})},
            detached_payload,
            True,
        )

    def decode(
        self,
        jwt: Union[str, bytes],
        key: Any = "",
        algorithms: Optional[Sequence[str]] = None,
        options: Optional[dict[str, Any]] = None,
        detached_payload: Optional[bytes] = None,
        **kwargs: Any,
    ) -> bytes:
        """Verify; return the payload bytes."""
        return _native.jws_decode(  # type: ignore[no-any-return]
            jwt,
            for_verify(key),
            _algorithm_list(algorithms),
            {**self.options, **(options or {})},
            detached_payload,
            False,
        )

    def get_unverified_header(self, jwt: Union[str, bytes]) -> dict[str, Any]:
        """The header, NOT verified."""
        return _native.get_unverified_header(jwt)


_jws_global_obj = PyJWS()
encode = _jws_global_obj.encode
decode_complete = _jws_global_obj.decode_complete
decode = _jws_global_obj.decode
get_unverified_header = _jws_global_obj.get_unverified_header
