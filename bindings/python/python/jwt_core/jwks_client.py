"""PyJWT's ``PyJWKClient``: fetch a remote JWK set over HTTP(S), with a timeout, a cached
set (``lifespan`` seconds) and a refresh cooldown (an unknown ``kid`` triggers at most one
refetch per ``refresh_cooldown`` seconds, so forged ``kid``s cannot hammer the issuer)."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from ssl import SSLContext
from typing import Any, Optional

from .api_jwk import PyJWK, PyJWKSet
from .api_jwt import get_unverified_header
from .exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWTError

#: Largest JWK set document read, in bytes (the core's limit for JWK sets).
MAX_JWKS_BYTES = 512 * 1024


class PyJWKClient:
    def __init__(
        self,
        uri: str,
        cache_keys: bool = False,
        max_cached_keys: int = 16,
        cache_jwk_set: bool = True,
        lifespan: float = 300,
        headers: Optional[dict[str, Any]] = None,
        timeout: float = 30,
        ssl_context: Optional[SSLContext] = None,
        refresh_cooldown: float = 30,
    ) -> None:
        if lifespan <= 0:
            raise PyJWKClientError(f'Lifespan must be greater than 0, the input is "{lifespan}"')
        self.uri = uri
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.lifespan = lifespan if cache_jwk_set else 0.0
        self.refresh_cooldown = refresh_cooldown
        self._lock = threading.Lock()
        self._set: Optional[PyJWKSet] = None
        self._fetched_at = float("-inf")

    def fetch_data(self) -> Any:
        """GET the JWK set document (no cache)."""
        request = urllib.request.Request(self.uri, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.ssl_context) as r:
                body = r.read(MAX_JWKS_BYTES + 1)
        except (OSError, ValueError) as e:
            raise PyJWKClientConnectionError(f'Fail to fetch data from the url, err: "{e}"') from e
        if len(body) > MAX_JWKS_BYTES:
            raise PyJWKClientError("the JWK set document is too large", code="input_too_large")
        try:
            return json.loads(body)
        except ValueError as e:
            raise PyJWKClientError("the JWK set document is not JSON", code="invalid_key") from e

    def _refresh(self, force: bool) -> PyJWKSet:
        with self._lock:
            now = time.monotonic()
            age = now - self._fetched_at
            fresh = self._set is not None and age < self.lifespan
            cooling = self._set is not None and age < self.refresh_cooldown
            if self._set is not None and (fresh and not force or force and cooling):
                return self._set
            data = self.fetch_data()
            if not isinstance(data, dict):
                raise PyJWKClientError("The JWKS endpoint did not return a JSON object", code="invalid_key")
            try:
                jwk_set = PyJWKSet.from_dict(data)
            except PyJWTError as e:
                raise PyJWKClientError(str(e), code=e.code) from e
            self._set, self._fetched_at = jwk_set, now
            return jwk_set

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The JWK set, from the cache while it is younger than ``lifespan``."""
        return self._refresh(refresh)

    def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        """Keys usable for signatures that have a ``kid``."""
        keys = [k for k in self.get_jwk_set(refresh).keys if k.public_key_use in ("sig", None) and k.key_id]
        if not keys:
            raise PyJWKClientError("The JWKS endpoint did not contain any signing keys")
        return keys

    def get_signing_key(self, kid: str) -> PyJWK:
        """The key with this ``kid``; an unknown ``kid`` refetches once (cooldown applies)."""
        for refresh in (False, True):
            for key in self.get_signing_keys(refresh):
                if key.key_id == kid:
                    return key
        raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')

    def get_signing_key_from_jwt(self, token: str | bytes) -> PyJWK:
        """The key named by the token's (unverified) ``kid``."""
        header = get_unverified_header(token)
        return self.get_signing_key(header.get("kid", ""))
