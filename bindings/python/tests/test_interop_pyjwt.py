"""Interoperability with real PyJWT: for every algorithm both support, tokens made by each
library verify with the other, with the same key material (PEM, JWK, cryptography keys)."""

from __future__ import annotations

import pytest

import jwt_core
from conftest import signing_key
from helpers import FAR

pyjwt = pytest.importorskip("jwt")
pytest.importorskip("cryptography")

CLAIMS = {"sub": "interop", "iss": "https://issuer.example", "aud": "api", "exp": FAR, "n": [1, 2.5, None, True]}
BOTH = [a for a in jwt_core.ALGORITHMS if a in pyjwt.algorithms.get_default_algorithms()]


def test_every_algorithm_is_shared() -> None:
    # but RFC 9864's fully-specified `Ed25519` (the core's name next to `EdDSA`) and
    # RFC 9964's ML-DSA (aws-lc builds), which PyJWT 2.15 does not have
    ours = [a for a in jwt_core.ALGORITHMS if a != "Ed25519" and not a.startswith("ML-DSA-")]
    assert sorted(BOTH) == sorted(ours)
    assert "Ed25519" in jwt_core.ALGORITHMS and "Ed25519" not in pyjwt.algorithms.get_default_algorithms()


def _material(alg: str) -> tuple[object, object]:
    """(signing material, verification material) in the form PyJWT takes."""
    k = signing_key(alg)
    if alg.startswith("HS"):
        secret = k.to_private_jwk()["k"]
        raw = __import__("base64").urlsafe_b64decode(secret + "==")
        return raw, raw
    return k.to_pkcs8_pem(), k.public_key_pem()


def _ed25519_private() -> object:
    """ring writes Ed25519 PKCS#8 v2 (with the public key), which `cryptography` 50 does
    not read; PyJWT gets the key through the raw private scalar instead."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    d = signing_key("EdDSA").to_private_jwk()["d"]
    return Ed25519PrivateKey.from_private_bytes(__import__("base64").urlsafe_b64decode(d + "=="))


@pytest.mark.parametrize("alg", BOTH)
def test_pyjwt_tokens_verify_with_jwt_core(alg: str) -> None:
    priv, pub = _material(alg)
    if alg == "EdDSA":
        priv = _ed25519_private()
    token = pyjwt.encode(CLAIMS, priv, algorithm=alg, headers={"kid": "k1"})
    got = jwt_core.decode(token, pub, algorithms=[alg], audience="api", issuer="https://issuer.example")
    assert got == CLAIMS
    # the fast path, with the key as a JWK
    vk = signing_key(alg).verifying_key().with_kid("k1")
    v = jwt_core.Verifier(vk, audience="api", issuer="https://issuer.example")
    assert v.verify(token) == CLAIMS
    assert jwt_core.get_unverified_header(token) == pyjwt.get_unverified_header(token)


@pytest.mark.parametrize("alg", BOTH)
def test_jwt_core_tokens_verify_with_pyjwt(alg: str) -> None:
    priv, pub = _material(alg)
    token = jwt_core.encode(CLAIMS, priv, algorithm=alg, headers={"kid": "k1"})
    assert pyjwt.decode(token, pub, algorithms=[alg], audience="api", issuer="https://issuer.example") == CLAIMS
    token2 = jwt_core.Signer(signing_key(alg)).sign(CLAIMS)
    assert pyjwt.decode(token2, pub, algorithms=[alg], audience="api") == CLAIMS
    assert pyjwt.get_unverified_header(token)["kid"] == "k1"


@pytest.mark.parametrize("alg", [a for a in BOTH if not a.startswith("HS")])
def test_cryptography_key_objects_and_jwks(alg: str) -> None:
    """Keys as `cryptography` objects and as JWKs, the ways PyJWT users hold them."""
    from cryptography.hazmat.primitives import serialization as s

    priv_pem, pub_pem = _material(alg)
    pub = s.load_pem_public_key(pub_pem.encode())
    if alg == "EdDSA":
        priv = _ed25519_private()
    else:
        priv = s.load_pem_private_key(priv_pem.encode(), password=None)
    token = jwt_core.encode(CLAIMS, priv, algorithm=alg)
    assert pyjwt.decode(token, pub, algorithms=[alg], audience="api") == CLAIMS
    assert jwt_core.decode(token, pub, algorithms=[alg], audience="api") == CLAIMS
    # PyJWT's JWK export is read by jwt_core, and jwt_core's by PyJWT
    jwk = pyjwt.PyJWK.from_dict(signing_key(alg).to_public_jwk())
    assert pyjwt.decode(token, jwk, audience="api") == CLAIMS
    their_jwk = pyjwt.algorithms.get_default_algorithms()[alg].to_jwk(pub, as_dict=True)
    assert jwt_core.decode(token, jwt_core.PyJWK(their_jwk, alg), audience="api") == CLAIMS


def test_hmac_tokens_are_byte_identical() -> None:
    """Same header order, same compact JSON: for HMAC both libraries make the same token."""
    secret = b"k" * 32
    claims = {"sub": "42", "exp": FAR, "name": "x"}
    assert jwt_core.encode(claims, secret) == pyjwt.encode(claims, secret)
    assert jwt_core.encode(claims, secret, headers={"kid": "a"}) == pyjwt.encode(claims, secret, headers={"kid": "a"})


def test_pyjws_interop() -> None:
    secret = b"k" * 32
    token = pyjwt.api_jws.encode(b"hello", secret, algorithm="HS256")
    assert jwt_core.PyJWS().decode(token, secret, algorithms=["HS256"]) == b"hello"
    mine = jwt_core.PyJWS().encode(b"hello", secret, algorithm="HS256")
    assert pyjwt.api_jws.decode(mine, secret, algorithms=["HS256"]) == b"hello"
    detached = pyjwt.api_jws.encode(b"hi", secret, algorithm="HS256", is_payload_detached=True, headers={"b64": False})
    assert jwt_core.PyJWS().decode(detached, secret, algorithms=["HS256"], detached_payload=b"hi") == b"hi"
