"""PyJWT's ``JWKSetCache``: one parsed JWK set and when it was stored."""

from __future__ import annotations

import time
from typing import Any, Optional, Union

from .api_jwk import PyJWKSet, PyJWTSetWithTimestamp
from .exceptions import PyJWKSetError


class JWKSetCache:
    def __init__(self, lifespan: float) -> None:
        self.jwk_set_with_timestamp: Optional[PyJWTSetWithTimestamp] = None
        self.lifespan = lifespan

    def put(self, jwk_set: Optional[Union[PyJWKSet, dict[str, Any]]]) -> None:
        """Store ``jwk_set`` (a ``PyJWKSet``, or the JWK set document, parsed here), or
        empty the cache with ``None``."""
        if jwk_set is None:
            self.jwk_set_with_timestamp = None
            return
        if not isinstance(jwk_set, PyJWKSet):
            if not isinstance(jwk_set, dict):
                raise PyJWKSetError("Invalid JWK Set value")
            source, jwk_set = jwk_set, PyJWKSet.from_dict(jwk_set)
            jwk_set._source = source  # the client reuses this instance for this document
        self.jwk_set_with_timestamp = PyJWTSetWithTimestamp(jwk_set)

    def get(self) -> Optional[PyJWKSet]:
        """The stored set while it is younger than ``lifespan`` seconds."""
        if self.jwk_set_with_timestamp is None or self.is_expired():
            return None
        return self.jwk_set_with_timestamp.get_jwk_set()

    def is_expired(self) -> bool:
        stored = self.jwk_set_with_timestamp
        return (
            stored is not None
            and self.lifespan > -1
            and time.monotonic() > stored.get_timestamp() + self.lifespan
        )
