"""PyJWKClient and AsyncPyJWKClient against a real HTTP server on 127.0.0.1: the core's
refresh policy (negative caching with backoff, the last good set kept through failed
refreshes, one fetch at a time, the lock free during the fetch), redirects refused, and
PyJWKSet's key-set rules."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import jwt_core as jwt
from conftest import signing_key
from helpers import FAR
from jwks_server import JwksServer


def _key(kid: str = "k1") -> jwt.SigningKey:
    return signing_key("ES256").with_kid(kid)


def _served(kid: str = "k1") -> JwksServer:
    return JwksServer({"keys": [_key(kid).to_public_jwk()]})


def _token(kid: str = "k1") -> str:
    return jwt.Signer(_key(kid)).sign({"exp": FAR, "sub": "alice"})


def test_a_failed_refresh_keeps_the_last_good_set_and_backs_off() -> None:
    with _served().running() as srv:
        client = jwt.PyJWKClient(srv.url, lifespan=0.2, failure_backoff=60)
        good = client.get_jwk_set()
        time.sleep(0.3)  # the cached set expires
        srv.status = 500
        assert client.get_jwk_set() is good  # the refetch failed: the last good set
        assert srv.requests == 2
        assert client.get_jwk_set() is good  # backing off: no request at all
        with pytest.raises(jwt.PyJWKClientConnectionError):
            client.get_jwk_set(refresh=True)  # an explicit refresh gets the error
        assert srv.requests == 2
        assert client.get_signing_key_from_jwt(_token()).key_id == "k1"


def test_a_failing_endpoint_is_not_hammered() -> None:
    with _served().running() as srv:
        srv.status = 503
        client = jwt.PyJWKClient(srv.url, failure_backoff=0.2, max_failure_backoff=0.2)
        for _ in range(5):
            with pytest.raises(jwt.PyJWKClientConnectionError):
                client.get_signing_key_from_jwt(_token())
        assert srv.requests == 1  # negative caching: one request for five lookups
        time.sleep(0.3)  # the backoff has passed
        srv.status = 200
        assert client.get_signing_key_from_jwt(_token()).key_id == "k1"
        assert srv.requests == 2


def test_one_fetch_at_a_time_and_the_lock_is_free_during_it() -> None:
    with _served().running() as srv:
        srv.gate = threading.Event()
        client = jwt.PyJWKClient(srv.url)
        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(client.get_signing_key_from_jwt, _token()) for _ in range(6)]
            assert srv.entered.wait(10)
            assert client._lock.acquire(blocking=False)  # the fetch holds no lock
            client._lock.release()
            srv.gate.set()
            keys = [f.result(timeout=10) for f in futures]
        assert {k.key_id for k in keys} == {"k1"}
        assert srv.requests == 1


def test_redirects_are_refused_and_their_target_never_contacted() -> None:
    with _served().running() as target, _served().running() as srv:
        srv.location = target.url
        with pytest.raises(jwt.PyJWKClientConnectionError):
            jwt.PyJWKClient(srv.url).get_jwk_set()
        with pytest.raises(jwt.PyJWKClientConnectionError):
            asyncio.run(jwt.AsyncPyJWKClient(srv.url).get_jwk_set())
        assert target.requests == 0


def test_pyjwkset_refuses_a_set_mixing_secret_and_public_keys() -> None:
    secret = {"kty": "oct", "alg": "HS256", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}
    public = _key().to_public_jwk()
    with pytest.raises(jwt.PyJWKSetError) as e:
        jwt.PyJWKSet([secret, public])
    assert e.value.code == "invalid_key"
    assert len(jwt.PyJWKSet([public])) == 1
    assert len(jwt.PyJWKSet([secret])) == 1
    with pytest.raises(jwt.PyJWKSetError):  # an oct key without alg is never HS256
        jwt.PyJWKSet([{k: v for k, v in secret.items() if k != "alg"}])
    # the core's rules read PyJWT's names: ES521 (its ES512), RS256 for an RSA key without alg
    es512 = signing_key("ES512").to_public_jwk()
    assert jwt.PyJWKSet([{**es512, "alg": "ES521"}]).keys[0].algorithm_name == "ES521"
    rsa = {k: v for k, v in signing_key("RS256").to_public_jwk().items() if k != "alg"}
    assert jwt.PyJWKSet([rsa]).keys[0].algorithm_name == "RS256"
    with pytest.raises(jwt.PyJWKSetError):  # a signature key set of encryption keys only
        jwt.PyJWKSet([{**rsa, "use": "enc"}])


def test_async_client_and_decode_async() -> None:
    async def main(url: str) -> list[dict[str, object]]:
        client = jwt.AsyncPyJWKClient(url)
        key = await client.get_signing_key_from_jwt(_token())
        assert key.key_id == "k1"
        assert [k.key_id for k in await client.get_signing_keys()] == ["k1"]
        with pytest.raises(jwt.PyJWKClientError):
            await client.get_signing_key("forged")  # within the cooldown: no refetch
        return list(await asyncio.gather(*(jwt.decode_async(_token(), client) for _ in range(5))))

    with _served().running() as srv:
        claims = asyncio.run(main(srv.url))
        assert [c["sub"] for c in claims] == ["alice"] * 5
        assert srv.requests == 1


def test_async_client_shares_one_fetch_and_backs_off() -> None:
    async def main(srv: JwksServer) -> None:
        client = jwt.AsyncPyJWKClient(srv.url, failure_backoff=60)
        sets = await asyncio.gather(*(client.get_jwk_set() for _ in range(8)))
        assert all(s is sets[0] for s in sets)
        assert srv.requests == 1
        srv.status = 500
        for _ in range(3):
            with pytest.raises(jwt.PyJWKClientConnectionError):
                await client.get_jwk_set(refresh=True)
        assert srv.requests == 2  # one failed fetch, then backing off
        assert await client.get_jwk_set() is sets[0]  # still cached

    with _served().running() as srv:
        asyncio.run(main(srv))


def test_async_decode_refuses_a_bad_signature() -> None:
    async def main(url: str) -> None:
        client = jwt.AsyncPyJWKClient(url)
        other = jwt.Signer(signing_key("ES384").with_kid("k1")).sign({"exp": FAR})
        with pytest.raises(jwt.InvalidTokenError):
            await jwt.decode_async(other, client)
        forged = jwt.Signer(jwt.SigningKey.generate("ES256").with_kid("k1")).sign({"exp": FAR})
        with pytest.raises(jwt.InvalidSignatureError):
            await jwt.decode_async(forged, client)

    with _served().running() as srv:
        asyncio.run(main(srv.url))
