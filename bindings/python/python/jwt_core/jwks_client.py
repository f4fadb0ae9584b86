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

import asyncio
import http.client
import math
import threading
import time
import urllib.request
from concurrent.futures import Future
from functools import lru_cache
from ssl import SSLContext
from typing import Any, Optional
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse

from . import _jwt_core as _native
from .api_jwk import PyJWK, PyJWKSet
from .api_jwt import decode
from .api_jwt import decode_complete as decode_token
from .exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWKSetError, PyJWTError, _error
from .jwk_set_cache import JWKSetCache

#: Largest JWK set document read, in bytes (the core's limit for JWK sets).
MAX_JWKS_BYTES: int = _native.MAX_JWKS_BYTES


class _NoRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect (the 3xx surfaces as an ``HTTPError``)."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Optional[urllib.request.Request]:
        return None


class _Flight:
    """One fetch in progress, awaited by every caller that needs its result (threads
    through ``result()``, coroutines through ``asyncio.wrap_future``)."""

    __slots__ = ("future", "started")

    def __init__(self) -> None:
        self.future: Future[PyJWKSet] = Future()
        self.started = time.monotonic()


def _again(e: BaseException) -> BaseException:
    """A fresh exception like ``e`` (each waiting caller raises its own)."""
    if isinstance(e, PyJWTError):
        return _error(type(e), str(e), e.code)
    return e


def _ms() -> int:
    return int(time.monotonic() * 1000)


def _ms_of(seconds: Optional[float]) -> Optional[int]:
    if seconds is None or not math.isfinite(seconds):
        return None
    return max(0, int(seconds * 1000))


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
        max_stale: Optional[float] = 86400.0,
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
        # When to fetch: the core's JwksRefresh (negative caching with backoff, the last
        # good set kept through failed fetches). Freshness is PyJWT's ``jwk_set_cache``
        # (``max_age_ms=0`` here), the unknown-kid cooldown PyJWT's ``cooldown_duration``.
        self._refresh = _native.JwksRefresh(
            max_age_ms=0,
            cooldown_ms=0,
            initial_backoff_ms=_ms_of(failure_backoff) or 0,
            max_backoff_ms=_ms_of(max_failure_backoff) or 0,
            max_stale_ms=_ms_of(max_stale),
            fetch_timeout_ms=max(30_000, 2 * (_ms_of(timeout) or 0)),
        )
        self._lock = threading.Lock()  # guards the fields below; never held during a fetch
        self._flight: Optional[_Flight] = None
        self._failure: Optional[BaseException] = None
        self._last_good: Optional[PyJWKSet] = None
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

    def _begin(self, refresh: bool) -> tuple[Optional[_Flight], bool, Optional[PyJWKSet]]:
        """Under the lock: join the fetch in progress, lead a new one, or (the core's
        refresh policy is backing off) answer without fetching: the last good set for an
        ordinary read, the remembered failure for an explicit ``refresh``."""
        with self._lock:
            if self._flight is not None:
                return self._flight, False, None
            now = _ms()
            decision, _retry_in = self._refresh.before_verify(now)
            if decision != "fetch":
                if not refresh and self._last_good is not None and self._refresh.has_keys(now):
                    return None, False, self._last_good
                if self._failure is not None:
                    raise _again(self._failure)
                raise PyJWKClientError("The JWKS endpoint is unavailable")
            self._flight = _Flight()
            return self._flight, True, None

    def _finish(self, flight: _Flight, refresh: bool, data: Any, error: Optional[BaseException]) -> PyJWKSet:
        """Report the leader's fetch to the core's refresh policy and to the waiters."""
        jwk_set: Optional[PyJWKSet] = None
        if error is None:
            try:
                jwk_set = data if isinstance(data, PyJWKSet) else self._parsed_by_fetch(flight, data)
                if jwk_set is None:
                    jwk_set = PyJWKSet.from_dict(self._as_jwk_set_payload(data))
                if self.jwk_set_cache is not None:
                    self.jwk_set_cache.put(jwk_set)
            except BaseException as e:  # noqa: BLE001 - reported, then raised
                error = e
        stale: Optional[PyJWKSet] = None
        with self._lock:
            now = _ms()
            if jwk_set is not None:
                self._refresh.fetched(now, [k.key for k in jwk_set.keys])
                self._failure, self._last_good = None, jwk_set
            else:
                assert error is not None
                self._refresh.fetch_failed(now, str(error))
                self._failure = error
                if not refresh and self._last_good is not None and self._refresh.has_keys(now):
                    stale = self._last_good  # a failed refresh keeps the last good set
            self._flight = None
        if jwk_set is not None:
            flight.future.set_result(jwk_set)
            return jwk_set
        assert error is not None
        if stale is not None:
            flight.future.set_result(stale)
            return stale
        flight.future.set_exception(error)
        raise error

    def _parsed_by_fetch(self, flight: _Flight, data: Any) -> Optional[PyJWKSet]:
        """The set ``fetch_data`` stored in the cache during this flight, parsed from this
        very ``data`` (one parsed instance, whoever reads the cache first)."""
        stored = self.jwk_set_cache.jwk_set_with_timestamp if self.jwk_set_cache is not None else None
        if stored is not None and stored.get_timestamp() >= flight.started:
            jwk_set = stored.get_jwk_set()
            if getattr(jwk_set, "_source", None) is data:
                return jwk_set
        return None

    def _fetch_set(self, refresh: bool = False) -> PyJWKSet:
        """``fetch_data`` parsed, run by one caller at a time: the others wait for it."""
        flight, leader, answer = self._begin(refresh)
        if answer is not None:
            return answer
        assert flight is not None
        if not leader:
            try:
                return flight.future.result()
            except BaseException as e:
                raise _again(e) from None
        try:
            data = self.fetch_data()
        except BaseException as e:
            return self._finish(flight, refresh, None, e)
        return self._finish(flight, refresh, data, None)

    def _cached(self, refresh: bool) -> Optional[PyJWKSet]:
        if self.jwk_set_cache is not None and not refresh:
            return self.jwk_set_cache.get()
        return None

    @staticmethod
    def _no_signing_keys(e: PyJWKSetError) -> BaseException:
        if "usable" in str(e):
            return _error(PyJWKClientError, "The JWKS endpoint did not contain any signing keys", e.code)
        return e

    def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:
        """The JWK set: the cached one while it is younger than ``lifespan`` (unless
        ``refresh``), else a fresh fetch. When the fetch fails, an ordinary read gets the
        last good set (up to ``max_stale`` seconds old); ``refresh=True`` gets the error."""
        cached = self._cached(refresh)
        if cached is not None:
            return cached
        try:
            return self._fetch_set(refresh)
        except PyJWKSetError as e:
            raise self._no_signing_keys(e) from e

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

    def _cooling(self) -> bool:
        """Within ``cooldown_duration`` of the last successful fetch (PyJWT's rule for
        refetching on an unknown ``kid``; only with the JWK set cache)."""
        last = self._last_successful_fetch
        return self.jwk_set_cache is not None and last is not None and time.monotonic() - last < self.cooldown_duration

    def get_signing_key(self, kid: str) -> PyJWK:
        """The key with this ``kid``. An unknown ``kid`` refetches the set once, unless a
        fetch succeeded less than ``cooldown_duration`` seconds ago (forged ``kid``s cannot
        make the client hammer the issuer)."""
        key = self.match_kid(self.get_signing_keys(), kid)
        if key is None:
            if not self._cooling():
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


class AsyncPyJWKClient(PyJWKClient):
    """``PyJWKClient`` for asyncio (beyond PyJWT): the same options, caches, refresh policy
    and errors, its getters coroutines. The fetch is ``fetch_data`` run in a worker thread
    (``asyncio.to_thread``), so redirects are refused as by the sync client and no
    dependency is added; the event loop never waits on the network. Coroutines that need
    the set while it is being fetched await that one fetch (``asyncio.wrap_future``).
    ``cache_keys`` is not applied (an ``lru_cache`` would cache coroutines): the cached
    JWK set serves repeated lookups."""

    def __init__(self, uri: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(uri, *args, **kwargs)
        self.__dict__.pop("get_signing_key", None)

    async def _fetch_set_async(self, refresh: bool) -> PyJWKSet:
        flight, leader, answer = self._begin(refresh)
        if answer is not None:
            return answer
        assert flight is not None
        if not leader:
            try:
                return await asyncio.wrap_future(flight.future)
            except BaseException as e:
                raise _again(e) from None
        try:
            data = await asyncio.to_thread(self.fetch_data)
        except BaseException as e:
            return self._finish(flight, refresh, None, e)
        return self._finish(flight, refresh, data, None)

    async def get_jwk_set(self, refresh: bool = False) -> PyJWKSet:  # type: ignore[override]
        """As ``PyJWKClient.get_jwk_set``, awaited."""
        cached = self._cached(refresh)
        if cached is not None:
            return cached
        try:
            return await self._fetch_set_async(refresh)
        except PyJWKSetError as e:
            raise self._no_signing_keys(e) from e

    async def get_signing_keys(self, refresh: bool = False) -> list[PyJWK]:  # type: ignore[override]
        """As ``PyJWKClient.get_signing_keys``, awaited."""
        return self._get_signing_keys_from_jwk_set(await self.get_jwk_set(refresh))

    async def get_signing_key(self, kid: str) -> PyJWK:  # type: ignore[override]
        """As ``PyJWKClient.get_signing_key`` (one refetch for an unknown ``kid``, cooled
        down), awaited."""
        key = self.match_kid(await self.get_signing_keys(), kid)
        if key is None:
            if not self._cooling():
                keys = await self.get_signing_keys(refresh=True)
                self._last_successful_fetch = time.monotonic()
                key = self.match_kid(keys, kid)
        if key is None:
            raise PyJWKClientError(f'Unable to find a signing key that matches: "{kid}"')
        return key

    async def get_signing_key_from_jwt(self, token: str | bytes) -> PyJWK:  # type: ignore[override]
        """The key named by the token's ``kid`` (read without verification), awaited."""
        header = decode_token(token, options={"verify_signature": False})["header"]
        return await self.get_signing_key(header.get("kid"))


async def decode_async(
    jwt: str | bytes,
    jwks_client: AsyncPyJWKClient,
    algorithms: Optional[list[str]] = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """``jwt.decode`` with the key the token's ``kid`` names in ``jwks_client``'s set
    (fetched without blocking the event loop); ``algorithms`` defaults to that key's
    algorithm. The other arguments are ``decode``'s."""
    key = await jwks_client.get_signing_key_from_jwt(jwt)
    return decode(jwt, key, algorithms, **kwargs)
