"""PyJWT's ``PyJWKClient``: signing keys from a remote JWK set, with PyJWT 2.15's options,
caches and errors.

Beyond PyJWT:

- one fetch at a time and never under the client's lock: a reader of a fresh cached set
  never waits for the network; callers that need the set while it is being fetched wait
  for that one fetch and share its result (a burst of unknown ``kid``s is one request);
- a failed fetch is remembered: for a backoff that starts at ``failure_backoff`` seconds
  and doubles up to ``max_failure_backoff``, further fetches fail at once with the same
  error instead of hammering a failing endpoint; the last good set stays cached;
- the document is read up to the core's JWK set size limit and parsed by the core's strict
  JSON parser (a member name twice is an error).

Redirects are refused (as in PyJWT 2.15): a 3xx is a connection error, its target is
never contacted. Only ``http`` and ``https`` URIs are accepted."""

from __future__ import annotations

import http.client
import math
import threading
import time
import urllib.request
from functools import lru_cache
from ssl import SSLContext
from typing import Any, Optional
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse

from . import _jwt_core as _native
from .api_jwk import PyJWK, PyJWKSet
from .api_jwt import decode_complete as decode_token
from .exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWKSetError, PyJWTError, _error
from .jwk_set_cache import JWKSetCache

#: Largest JWK set document read, in bytes (the core's limit for JWK sets).
MAX_JWKS_BYTES = 512 * 1024


class _NoRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect (the 3xx surfaces as an ``HTTPError``)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Optional[urllib.request.Request]:
        return None


class _Flight:
    """One fetch in progress, awaited by every caller that needs its result."""

    __slots__ = ("done", "result", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Optional[PyJWKSet] = None
        self.error: Optional[BaseException] = None


def _again(e: BaseException) -> BaseException:
    """A fresh exception like ``e`` (each waiting thread raises its own)."""
    if isinstance(e, PyJWTError):
        return _error(type(e), str(e), e.code)
    return e


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
        cooldown_duration: float = 30,
        *,
        refresh_cooldown: Optional[float] = None,
        failure_backoff: float = 1.0,
        max_failure_backoff: float = 60.0,
    ) -> None:
        scheme = urlparse(uri).scheme.lower()
        if scheme not in ("http", "https"):
            raise PyJWKClientError(
                f"Invalid JWKS URI scheme {scheme!r}: only 'http' and 'https' are supported."
            )
        if refresh_cooldown is not None:  # jwt_core's earlier name of cooldown_duration
            cooldown_duration = refresh_cooldown
        if cooldown_duration < 0:
            raise PyJWKClientError(
                f'Cooldown duration must be greater than or equal to 0, the input is "{cooldown_duration}"'
            )
        if not math.isfinite(cooldown_duration):
            raise PyJWKClientError(f'Cooldown duration must be finite, the input is "{cooldown_duration}"')
        self.uri = uri
        self.headers = headers if headers is not None else {}
        self.timeout = timeout
        self.ssl_context = ssl_context
        self.cooldown_duration = cooldown_duration
        self.failure_backoff = failure_backoff
        self.max_failure_backoff = max_failure_backoff
        self.jwk_set_cache: Optional[JWKSetCache] = None
        if cache_jwk_set:
            if lifespan <= 0:
                raise PyJWKClientError(f'Lifespan must be greater than 0, the input is "{lifespan}"')
            self.jwk_set_cache = JWKSetCache(lifespan)
        self._last_successful_fetch: Optional[float] = None
        self._lock = threading.Lock()  # guards the fields below; never held during a fetch
        self._flight: Optional[_Flight] = None
        self._failure: Optional[BaseException] = None
        self._failures = 0
        self._retry_at = 0.0
        if cache_keys:
            self.get_signing_key = lru_cache(maxsize=max_cached_keys)(self.get_signing_key)  # type: ignore[method-assign]

    # -- fetching ---------------------------------------------------------------------------

    def fetch_data(self) -> Any:
        """GET the JWK set document (no cache read); cache it on success."""
        request = urllib.request.Request(url=self.uri, headers=self.headers)
        handlers: list[Any] = [_NoRedirectHandler()]
        if self.ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=self.ssl_context))
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_JWKS_BYTES + 1)
        except (URLError, TimeoutError, http.client.HTTPException, OSError) as e:
            if isinstance(e, HTTPError):
                e.close()
            raise PyJWKClientConnectionError(f'Fail to fetch data from the url, err: "{e}"') from e
        if len(body) > MAX_JWKS_BYTES:
            raise _error(PyJWKClientError, "the JWK set document is too large", "input_too_large")
        try:
            jwk_set = _native.parse_json(body)
        except PyJWTError as e:
            raise _error(PyJWKClientError, f"the JWK set document is not valid JSON: {e}", e.code) from e
        jwk_set = self._as_jwk_set_payload(jwk_set)
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        self._last_successful_fetch = time.monotonic()
        return jwk_set

    def _fetch_set(self) -> PyJWKSet:
        """``fetch_data`` parsed, run by one caller at a time: the others wait for it."""
        with self._lock:
            flight = self._flight
            leader = flight is None
            if flight is None:
                if self._failure is not None and time.monotonic() < self._retry_at:
                    raise _again(self._failure)
                flight = self._flight = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise _again(flight.error)
            assert flight.result is not None
            return flight.result
        try:
            data = self.fetch_data()
            jwk_set = data if isinstance(data, PyJWKSet) else PyJWKSet.from_dict(self._as_jwk_set_payload(data))
            if self.jwk_set_cache is not None:
                self.jwk_set_cache.put(jwk_set)
            flight.result = jwk_set
            with self._lock:
                self._failure, self._failures = None, 0
            return jwk_set
        except BaseException as e:
            flight.error = e
            if isinstance(e, PyJWTError):
                with self._lock:
                    self._failures += 1
                    backoff = min(self.max_failure_backoff, self.failure_backoff * 2 ** (self._failures - 1))
                    self._failure, self._retry_at = e, time.monotonic() + backoff
            raise
        finally:
            with self._lock:
                self._flight = None
            flight.done.set()

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The JWK set: the cached one while it is younger than ``lifespan`` (unless
        ``refresh``), else a fresh fetch."""
        if self.jwk_set_cache is not None and not refresh:
            cached = self.jwk_set_cache.get()
            if cached is not None:
                return cached
        try:
            return self._fetch_set()
        except PyJWKSetError as e:
            if "usable" in str(e):
                raise _error(PyJWKClientError, "The JWKS endpoint did not contain any signing keys", e.code) from e
            raise

    @staticmethod
    def _as_jwk_set_payload(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise PyJWKClientError("The JWKS endpoint did not return a JSON object")
        return data

    # -- signing keys -----------------------------------------------------------------------

    def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:
        """The keys usable for signatures (``use`` ``sig`` or absent) that have a ``kid``."""
        return self._get_signing_keys_from_jwk_set(self.get_jwk_set(refresh))

    @staticmethod
    def _get_signing_keys_from_jwk_set(jwk_set: PyJWKSet) -> list[PyJWK]:
        keys = [k for k in jwk_set.keys if k.public_key_use in ("sig", None) and k.key_id]
        if not keys:
            raise PyJWKClientError("The JWKS endpoint did not contain any signing keys")
        return keys

    def get_signing_key(self, kid: str) -> PyJWK:
        """The key with this ``kid``. An unknown ``kid`` refetches the set once, unless a
        fetch succeeded less than ``cooldown_duration`` seconds ago (forged ``kid``s cannot
        make the client hammer the issuer)."""
        key = self.match_kid(self.get_signing_keys(), kid)
        if key is None:
            last = self._last_successful_fetch
            cooling = (
                self.jwk_set_cache is not None
                and last is not None
                and time.monotonic() - last < self.cooldown_duration
            )
            if not cooling:
                keys = self.get_signing_keys(refresh=True)
                self._last_successful_fetch = time.monotonic()
                key = self.match_kid(keys, kid)
        if key is None:
            raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')
        return key

    def get_signing_key_from_jwt(self, token: str | bytes) -> PyJWK:
        """The key named by the token's ``kid`` (read without verification)."""
        header = decode_token(token, options={"verify_signature": False})["header"]
        return self.get_signing_key(header.get("kid"))

    @staticmethod
    def match_kid(signing_keys: list[PyJWK], kid: str) -> Optional[PyJWK]:
        for key in signing_keys:
            if key.key_id == kid:
                return key
        return None
