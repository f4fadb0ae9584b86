"""The API beyond the attack classes: keys, Verifier/Signer, PyJWT functions, PyJWS,
PyJWK/PyJWKSet, PyJWKClient, exceptions and codes."""

from __future__ import annotations

import json
import sys
import threading
from typing import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

import jwt_core as jwt
from jwt_core import _jwt_core as jwt_core_native
from conftest import signing_key
from helpers import FAR
from jwks_server import JwksServer

CLAIMS = {"sub": "u", "exp": FAR, "nested": {"a": [1, 2, {"b": None}]}, "f": 1.5, "t": True, "s": "é✓"}


def test_every_algorithm_round_trips(alg: str) -> None:
    k = signing_key(alg)
    assert k.algorithm == alg
    token = jwt.Signer(k).sign(CLAIMS)
    assert jwt.Verifier(k.verifying_key()).verify(token) == CLAIMS
    if alg == "Ed25519" or alg.startswith("ML-DSA-"):
        # RFC 9864's name and the post-quantum ML-DSA: PyJWT 2.15's algorithm registry has
        # neither, so neither has the PyJWT-compatible API (PyJWT's own answer); the
        # native API takes them
        with pytest.raises(jwt.InvalidAlgorithmError, match="Algorithm not supported"):
            jwt.decode(token, k.verifying_key(), algorithms=[alg])
    else:
        assert jwt.decode(token, k.verifying_key(), algorithms=[alg]) == CLAIMS
    sig = k.sign(b"msg")
    k.verifying_key().verify(b"msg", sig)
    with pytest.raises(jwt.InvalidSignatureError):
        k.verifying_key().verify(b"msg!", sig)


def test_key_import_export(alg: str) -> None:
    k = signing_key(alg)
    if alg.startswith("HS"):
        jwk = k.to_private_jwk()
        assert jwk["kty"] == "oct" and jwt.SigningKey.from_jwk(jwk).algorithm == alg
        with pytest.raises(jwt.InvalidArgumentError):
            k.to_public_jwk()
        return
    pub = k.to_public_jwk()
    assert not set(pub) & {"d", "p", "q", "dp", "dq", "qi"}
    assert jwt.VerifyingKey.from_jwk(pub).algorithm == alg
    assert jwt.VerifyingKey.from_jwk(json.dumps(pub)).thumbprint() == k.thumbprint()
    assert jwt.jwk_thumbprint(pub) == k.thumbprint()
    pem = k.public_key_pem()
    assert jwt.VerifyingKey.from_pem(alg, pem).to_pem() == pem
    again = jwt.SigningKey.from_pem(alg, k.to_pkcs8_pem())
    assert again.public_key_pem() == pem
    assert jwt.SigningKey.from_jwk(k.to_private_jwk()).public_key_pem() == pem
    der = __import__("base64").b64decode("".join(pem.strip().splitlines()[1:-1]))
    assert jwt.VerifyingKey.from_der(alg, der).to_pem() == pem


def test_rfc7638_thumbprint_example() -> None:
    jwk = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert jwt.jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert jwt.PyJWK(jwk).thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_generated_keys_and_thumbprint_kid() -> None:
    k = jwt.SigningKey.generate("EdDSA").with_thumbprint_kid()
    assert k.kid == k.thumbprint()
    token = jwt.Signer(k).sign({"exp": FAR})
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": k.kid, "typ": "JWT"}
    v = jwt.Verifier({"keys": [k.to_public_jwk()]})
    assert v.verify(token) == {"exp": FAR}
    # an Ed25519 JWK (`alg: EdDSA`) serves both names of its algorithm (RFC 9864)
    assert v.algorithms == ["EdDSA", "Ed25519"]
    raw = __import__("base64").urlsafe_b64decode(k.to_public_jwk()["x"] + "=")
    assert jwt.VerifyingKey.from_public_bytes("EdDSA", raw).thumbprint() == k.thumbprint()


def test_signer_header_and_verify_complete() -> None:
    k = signing_key("ES256").with_kid("k1")
    s = jwt.Signer(k, {"typ": "at+jwt", "cty": "x"})
    assert s.header == {"alg": "ES256", "cty": "x", "kid": "k1", "typ": "at+jwt"}
    assert s.algorithm == "ES256"
    token = s.sign({"exp": FAR, "scope": "read"})
    out = jwt.Verifier(k.verifying_key(), typ="at+jwt").verify_complete(token)
    assert out["header"]["typ"] == "at+jwt" and out["payload"]["scope"] == "read"
    with pytest.raises(jwt.InvalidKeyError):
        jwt.Signer(k, {"alg": "HS256"}).sign({})  # header alg must be the key's


def test_verifier_options_mean_what_the_core_says() -> None:
    # the options go to the core as one `ValidationSpec`: `verify_exp=False` without
    # `required_claims` also stops requiring `exp` (the core's rule, as PyJWT's)
    k = signing_key("HS256")
    no_exp = jwt.Signer(k).sign({"sub": "u1"})
    with pytest.raises(jwt.MissingRequiredClaimError):
        jwt.Verifier(k.verifying_key()).verify(no_exp)
    assert jwt.Verifier(k.verifying_key(), verify_exp=False).verify(no_exp) == {"sub": "u1"}
    with pytest.raises(jwt.MissingRequiredClaimError):
        jwt.Verifier(k.verifying_key(), verify_exp=False, required_claims=["exp"]).verify(no_exp)
    assert jwt.Verifier(k.verifying_key(), kid_policy="lenient", subject="u1", required_claims=[]).verify(no_exp)
    with pytest.raises(jwt.InvalidArgumentError):
        jwt.Verifier(k.verifying_key(), kid_policy="loose")


def test_jws_forms() -> None:
    k = signing_key("HS256")
    v = jwt.Verifier(k.verifying_key(), critical=["b64"])
    assert v.verify_jws(jwt.sign_compact(k, b"\x00bin"))[1] == b"\x00bin"
    det = jwt.sign_detached(k, b"body")
    assert v.verify_detached(det, b"body")[1] == b"body"
    with pytest.raises(jwt.InvalidSignatureError):
        v.verify_detached(det, b"other")
    flat = jwt.sign_flattened(k, b"flat", {"cty": "x"})
    assert v.verify_json(flat)[1] == b"flat"
    general = jwt.sign_general([k, signing_key("ES256")], b"multi")
    assert jwt.Verifier(signing_key("ES256").verifying_key()).verify_json(general)[1] == b"multi"


def test_decode_complete_shape() -> None:
    key = b"k" * 32
    token = jwt.encode({"exp": FAR}, key, headers={"kid": "a"})
    out = jwt.decode_complete(token, key, algorithms=["HS256"])
    assert set(out) == {"header", "payload", "signature"}
    assert out["header"] == {"alg": "HS256", "kid": "a", "typ": "JWT"}
    assert out["payload"] == {"exp": FAR} and isinstance(out["signature"], bytes)
    assert jwt.PyJWT({"verify_exp": False}).decode(jwt.encode({"exp": 1}, key), key, algorithms=["HS256"]) == {"exp": 1}


def test_encode_options() -> None:
    key = b"k" * 32
    no_typ = jwt.encode({"a": 1}, key, headers={"typ": None})
    assert jwt.get_unverified_header(no_typ) == {"alg": "HS256"}

    class Enc(json.JSONEncoder):
        def default(self, o: object) -> object:
            return sorted(o) if isinstance(o, set) else super().default(o)

    token = jwt.encode({"s": {2, 1}, "exp": FAR}, key, json_encoder=Enc)
    assert jwt.decode(token, key, algorithms=["HS256"])["s"] == [1, 2]
    assert jwt.encode({"a": 1}, key * 2, headers={"alg": "HS512"}).count(".") == 2
    with pytest.warns(jwt.InsecureKeyLengthWarning):  # the 32-byte key is short for HS512
        jwt.encode({"a": 1}, b"k" * 32, algorithm="HS512")


def test_pyjwk_and_set() -> None:
    es = signing_key("ES256").with_kid("e1")
    rs = signing_key("RS256").with_kid("r1")
    rs_jwk = {k: v for k, v in rs.to_public_jwk().items() if k != "alg"}  # PyJWT infers RS256
    data = {"keys": [es.to_public_jwk(), rs_jwk, {"kty": "oct", "k": "AA", "use": "enc"}, {"kty": "XYZ"}]}
    s = jwt.PyJWKSet.from_dict(data)
    assert len(s) == 2 and s["r1"].algorithm_name == "RS256" and s["e1"].key_type == "EC"
    with pytest.raises(KeyError):
        s["nope"]
    with pytest.raises(jwt.PyJWKSetError) as e:
        jwt.PyJWKSet([{"kty": "XYZ"}])
    assert e.value.code == "invalid_key"
    priv = jwt.PyJWK(es.to_private_jwk())
    assert isinstance(priv.key, jwt.SigningKey)
    assert jwt.decode(jwt.encode({"exp": FAR}, priv), priv) == {"exp": FAR}
    with pytest.raises(jwt.InvalidKeyError):
        jwt.encode({}, s["e1"])  # a public JWK cannot sign


@pytest.mark.parametrize(
    "alg", ["HS256", "RS256", "ES256", "ES384", "ES512", "ES256K", "EdDSA"]
)
def test_pyjwk_without_alg_takes_the_cores_default(alg: str) -> None:
    # a JWK naming no algorithm is bound to the core's default for its kty/crv
    # (`Jwk::default_algorithm_for`), which is PyJWT's choice
    k = signing_key(alg)
    jwk = {m: v for m, v in k.to_private_jwk().items() if m != "alg"}
    assert jwt_core_native.jwk_default_algorithm(jwk["kty"], jwk.get("crv")) == alg
    assert jwt.PyJWK(jwk).algorithm_name == alg


@pytest.mark.parametrize(
    "jwk",
    [{"kty": "foo"}, {"kty": "OKP"}, {"kty": "OKP", "crv": "Ed448"}, {"kty": "OKP", "crv": ""}, {"kty": "EC", "crv": "P-192"},
     {"kty": "EC"}, {"kty": "AKP", "pub": "AA"}, {"kty": 5}],
)
def test_pyjwk_without_a_default_algorithm(jwk: dict) -> None:
    with pytest.raises(jwt.InvalidKeyError) as e:
        jwt.PyJWK(jwk)
    assert e.value.code == "invalid_key"


def test_pyjwkset_is_read_once_by_the_core() -> None:
    # the core reads the set and gives each usable member's key: non-JWK members, a
    # private member whose private part is broken and a member PyJWT 2.15 has no name for
    # (Ed25519) are skipped; a short oct secret is a signing key
    es = signing_key("ES256").with_kid("e1")
    broken = {**es.to_private_jwk(), "d": "AA", "kid": "bad"}
    short = {"kty": "oct", "k": "c2VjcmV0", "alg": "HS256", "kid": "s1"}
    s = jwt.PyJWKSet([1, {"kid": "no-kty"}, broken, es.to_private_jwk(), short])
    assert [k.key_id for k in s] == ["e1", "s1"]
    assert all(isinstance(k.key, jwt.SigningKey) for k in s)
    token = jwt.encode({"exp": FAR}, s["s1"])
    assert jwt.decode(token, "secret", algorithms=["HS256"]) == {"exp": FAR}
    ed = signing_key("EdDSA").to_public_jwk()
    es512 = signing_key("ES512").to_public_jwk()
    p = jwt.PyJWKSet([{**es512, "alg": "ES521"}, {**ed, "alg": "Ed25519"}, ed])
    assert [k.algorithm_name for k in p] == ["ES521", "EdDSA"]
    with pytest.raises(jwt.PyJWKSetError):  # usable secret and public members together
        jwt.PyJWKSet([short, es.to_public_jwk()])


def test_jwks_client_caches_and_cools_down() -> None:
    k = signing_key("ES256").with_kid("k1")
    with JwksServer({"keys": [k.to_public_jwk()]}).running() as srv:
        client = jwt.PyJWKClient(srv.url, lifespan=300, refresh_cooldown=60)
        token = jwt.Signer(k).sign({"exp": FAR})
        assert client.get_signing_key_from_jwt(token).key_id == "k1"
        assert client.get_signing_key("k1").key_id == "k1"
        assert srv.requests == 1  # cached
        for _ in range(5):  # forged kids: within the cooldown, no refetch at all
            with pytest.raises(jwt.PyJWKClientError) as e:
                client.get_signing_key("forged")
            assert e.value.code == "key_not_found"
        assert srv.requests == 1
        assert len(client.get_signing_keys()) == 1
        eager = jwt.PyJWKClient(srv.url, refresh_cooldown=0)
        for _ in range(3):  # without a cooldown, each unknown kid refetches once
            with pytest.raises(jwt.PyJWKClientError):
                eager.get_signing_key("forged")
        assert srv.requests == 1 + 1 + 3
        assert jwt.PyJWKClient(srv.url, cache_jwk_set=False).get_signing_key("k1").key_id == "k1"


def test_jwks_client_timeout_and_connection_errors() -> None:
    with JwksServer({"keys": []}, delay=2.0).running() as srv:
        client = jwt.PyJWKClient(srv.url, timeout=0.2)
        with pytest.raises(jwt.PyJWKClientConnectionError):
            client.get_jwk_set()
    with pytest.raises(jwt.PyJWKClientConnectionError):
        jwt.PyJWKClient("http://127.0.0.1:9/none", timeout=1).get_jwk_set()
    with JwksServer({"keys": []}).running() as srv:
        with pytest.raises(jwt.PyJWKSetError):  # as in PyJWT
            jwt.PyJWKClient(srv.url).get_signing_keys()


def test_every_core_code_has_a_class() -> None:
    codes = [c for c, _ in jwt.ERROR_CODES]
    assert len(codes) == len(set(codes)) >= 28
    from jwt_core.exceptions import _CLASS_FOR

    kinds = jwt_core_native.ERROR_KINDS
    assert set(codes) == set(kinds)
    # each code has its own entry or its kind's (the core's ErrorKind)
    missing = {c for c in codes if c not in _CLASS_FOR and kinds[c] not in _CLASS_FOR}
    assert not missing, missing
    for code in codes:
        cls = jwt.exception_class(code)
        assert issubclass(cls, jwt.PyJWTError)
        from jwt_core.exceptions import _error

        e = _error(cls, "x", code)
        assert (e.code, e.kind) == (code, kinds[code])


def test_one_native_exception_type_with_the_cores_code_and_kind() -> None:
    assert issubclass(jwt.PyJWTError, jwt_core_native.CoreError)
    v = jwt.Verifier([signing_key("HS256").verifying_key()], algorithms=["HS256"])
    with pytest.raises(jwt_core_native.CoreError) as info:
        v.verify("a.b.c")
    assert isinstance(info.value, jwt.DecodeError)
    assert (info.value.code, info.value.kind) == ("malformed_token", "malformed")
    with pytest.raises(jwt_core_native.CoreError) as info:
        jwt.decode(jwt.encode({"exp": 1}, "k" * 32, "HS256"), "k" * 32, ["HS256"])
    assert isinstance(info.value, jwt.ExpiredSignatureError)
    assert (info.value.code, info.value.kind) == ("token_expired", "expired")


def test_pyjwt_hierarchy() -> None:
    assert issubclass(jwt.InvalidSignatureError, jwt.DecodeError)
    assert issubclass(jwt.DecodeError, jwt.InvalidTokenError)
    assert issubclass(jwt.ExpiredSignatureError, jwt.InvalidTokenError)
    assert issubclass(jwt.InvalidTokenError, jwt.PyJWTError)
    assert issubclass(jwt.PyJWKClientConnectionError, jwt.PyJWKClientError)
    assert issubclass(jwt.InvalidArgumentError, ValueError)
    assert issubclass(jwt.SerializationError, TypeError)
    assert str(jwt.MissingRequiredClaimError("exp")) == 'Token is missing the "exp" claim'


def test_verifier_is_thread_safe() -> None:
    """One Verifier shared by threads (the GIL is released inside verify)."""
    k = signing_key("ES256")
    v = jwt.Verifier(k.verifying_key())
    tokens = [jwt.Signer(k).sign({"exp": FAR, "i": i}) for i in range(64)]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: v.verify(t)["i"], tokens * 4))
    assert got == list(range(64)) * 4
    assert threading.active_count() >= 1


def test_decode_key_cache_is_bounded_and_transparent() -> None:
    from jwt_core import api_jwt

    cache = api_jwt._jwt_global_obj
    bound = api_jwt._CACHE_MAX
    for i in range(bound + 6):
        key = f"{i:04d}".encode() * 8
        token = jwt.encode({"exp": FAR, "i": i}, key)
        assert jwt.decode(token, key, algorithms=["HS256"]) == {"exp": FAR, "i": i}
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token, key + b"!", algorithms=["HS256"])
    assert 0 < len(cache._verifiers) <= bound and 0 < len(cache._quick) <= bound and 0 < len(cache._signers) <= bound
    # the same key with other arguments is another entry, never a wrong hit
    key = b"k" * 32
    token = jwt.encode({"exp": FAR, "aud": "a"}, key)
    assert jwt.decode(token, key, algorithms=["HS256"], audience="a")["aud"] == "a"
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, key, algorithms=["HS256"], audience=["b"])
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, key, algorithms=("HS256",), audience="b")
    assert jwt.decode(token, key, algorithms="HS256", audience=("x", "a"))["aud"] == "a"
    # lists changed after a call are not the lists that call made its verifier for
    algs, aud = ["HS256"], ["a"]
    for _ in range(2):
        assert jwt.decode(token, key, algorithms=algs, audience="a")["aud"] == "a"
        assert jwt.decode(token, key, algorithms=["HS256"], audience=aud)["aud"] == "a"
    algs[0], aud[0] = "HS384", "b"
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(token, key, algorithms=algs, audience="a")
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, key, algorithms=["HS256"], audience=aud)
    # the quick path of a call without `algorithm` signs as the first call did
    assert jwt.encode({"exp": FAR}, key) == jwt.encode({"exp": FAR}, key) == jwt.encode({"exp": FAR}, key, algorithm="HS256")
    with pytest.raises(jwt.InvalidAlgorithmError):  # an HS256 token, only HS384 allowed
        jwt.decode(token, key, algorithms=["HS384"], audience="a")
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        jwt.encode({"exp": FAR}, key, algorithm="HS512")
    long_key = key * 2
    with pytest.raises(jwt.InvalidAlgorithmError):
        jwt.decode(jwt.encode({"exp": FAR}, long_key), long_key, algorithms=["HS384"])
    assert jwt.encode({"exp": FAR}, key.decode(), algorithm="HS256") == jwt.encode({"exp": FAR}, key)
    # a PyJWK, a native key and a cryptography key object are cached by identity
    priv = jwt.PyJWK(signing_key("ES256").to_private_jwk())
    for _ in range(3):
        assert jwt.decode(jwt.encode({"exp": FAR}, priv), priv) == {"exp": FAR}


def _runs_while_native(call: Callable[[], None]) -> bool:
    """Whether another Python thread ran while `call` was inside native code.

    The switch interval is made huge, so the interpreter never takes the GIL away from
    this thread: the helper can run during `call` only if the native code released it.
    (Without a release the helper runs later, at `join`, and sees `inside` False.)"""
    state = {"inside": False, "seen": None}
    go = threading.Event()

    def helper() -> None:
        go.wait()
        state["seen"] = state["inside"]

    h = threading.Thread(target=helper)
    h.start()
    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        go.set()
        state["inside"] = True
        call()
        state["inside"] = False
    finally:
        sys.setswitchinterval(old)
        h.join()
    return bool(state["seen"])


def test_gil_released_during_key_generation_and_verification() -> None:
    # control: a C builtin that keeps the GIL is detected as such
    assert not _runs_while_native(lambda: sum(range(3_000_000)) and None)
    assert _runs_while_native(lambda: jwt.SigningKey.generate("RS256") and None)
    k = signing_key("ES256")
    v = jwt.Verifier(k.verifying_key())
    token = jwt.Signer(k).sign({"exp": FAR})

    def many() -> None:
        for _ in range(2000):
            v.verify(token)

    assert _runs_while_native(many)
