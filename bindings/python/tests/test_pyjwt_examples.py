"""PyJWT's documented usage examples (docs/usage.rst), written out against jwt_core.

They run as written; where jwt_core differs from PyJWT on purpose the difference is shown
(docs/python.md, "Differences from PyJWT")."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import jwt_core as jwt
from conftest import signing_key
from jwks_server import JwksServer

KEY = "a-secret-that-is-32-bytes-long!!"  # PyJWT's examples use "secret": too short here


def test_encoding_decoding_hs256() -> None:
    # PyJWT's example verbatim: a 6-byte secret (a warning, as in PyJWT 2.15) and no `exp`
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        encoded = jwt.encode({"some": "payload"}, "secret", algorithm="HS256")
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        assert jwt.decode(encoded, "secret", algorithms="HS256") == {"some": "payload"}
    with pytest.raises(jwt.InvalidKeyError) as e:  # the option PyJWT has for refusing it
        jwt.decode(encoded, "secret", algorithms="HS256", options={"enforce_minimum_key_length": True})
    assert e.value.code == "weak_key"
    encoded = jwt.encode({"some": "payload"}, KEY, algorithm="HS256")
    assert jwt.decode(encoded, KEY, algorithms="HS256") == {"some": "payload"}
    with pytest.raises(jwt.MissingRequiredClaimError):
        jwt.decode(encoded, KEY, algorithms="HS256", options={"require": ["exp"]})


def test_encoding_decoding_rs256() -> None:
    k = signing_key("RS256")
    private_key, public_key = k.to_pkcs8_pem(), k.public_key_pem()
    encoded = jwt.encode({"some": "payload", "exp": 4102444800}, private_key, algorithm="RS256")
    assert jwt.decode(encoded, public_key, algorithms=["RS256"])["some"] == "payload"


def test_additional_headers() -> None:
    encoded = jwt.encode(
        {"some": "payload"},
        KEY,
        algorithm="HS256",
        headers={"kid": "230498151c214b788dd97f22b85410a5"},
    )
    assert jwt.get_unverified_header(encoded) == {"alg": "HS256", "kid": "230498151c214b788dd97f22b85410a5", "typ": "JWT"}


def test_reading_the_claimset_without_validation() -> None:
    encoded = jwt.encode({"some": "payload"}, KEY, algorithm="HS256")
    assert jwt.decode(encoded, options={"verify_signature": False}) == {"some": "payload"}


def test_reading_headers_without_validation() -> None:
    encoded = jwt.encode({"some": "payload"}, key=KEY, algorithm="HS256", headers={"kid": "230498151c214b788dd97f22b85410a5"})
    assert jwt.get_unverified_header(encoded)["kid"] == "230498151c214b788dd97f22b85410a5"


def test_expiration_time_claim() -> None:
    token = jwt.encode({"exp": 1371720939}, KEY)
    token2 = jwt.encode({"exp": datetime.now(tz=timezone.utc)}, KEY)
    for t in (token, token2):
        with pytest.raises(jwt.ExpiredSignatureError):
            jwt.decode(t, KEY, algorithms=["HS256"])
    # leeway as seconds or timedelta
    soon = jwt.encode({"exp": datetime.now(tz=timezone.utc) + timedelta(seconds=30)}, KEY)
    assert jwt.decode(soon, KEY, leeway=10, algorithms=["HS256"])
    past = jwt.encode({"exp": datetime.now(tz=timezone.utc) - timedelta(seconds=5)}, KEY)
    assert jwt.decode(past, KEY, leeway=timedelta(seconds=60), algorithms=["HS256"])


def test_not_before_time_claim() -> None:
    token = jwt.encode({"nbf": datetime.now(tz=timezone.utc) + timedelta(hours=1), "exp": 4102444800}, KEY)
    with pytest.raises(jwt.ImmatureSignatureError):
        jwt.decode(token, KEY, algorithms=["HS256"])


def test_issuer_claim() -> None:
    token = jwt.encode({"some": "payload", "iss": "urn:foo", "exp": 4102444800}, KEY)
    assert jwt.decode(token, KEY, issuer="urn:foo", algorithms=["HS256"])
    assert jwt.decode(token, KEY, issuer=["urn:foo", "urn:bar"], algorithms=["HS256"])
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(token, KEY, issuer="urn:invalid", algorithms=["HS256"])


def test_audience_claim() -> None:
    token = jwt.encode({"some": "payload", "aud": ["urn:foo", "urn:bar"], "exp": 4102444800}, KEY)
    assert jwt.decode(token, KEY, audience="urn:foo", algorithms=["HS256"])
    assert jwt.decode(token, KEY, audience=["urn:foo", "urn:other"], algorithms=["HS256"])
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, KEY, audience="urn:invalid", algorithms=["HS256"])
    single = jwt.encode({"some": "payload", "aud": "urn:foo", "exp": 4102444800}, KEY)
    assert jwt.decode(single, KEY, audience="urn:foo", algorithms=["HS256"], options={"strict_aud": True})
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, KEY, audience="urn:foo", algorithms=["HS256"], options={"strict_aud": True})


def test_issued_at_claim() -> None:
    token = jwt.encode({"iat": datetime.now(tz=timezone.utc), "exp": 4102444800}, KEY)
    assert "iat" in jwt.decode(token, KEY, algorithms=["HS256"])


def test_requiring_presence_of_claims() -> None:
    token = jwt.encode({"some": "payload", "exp": 4102444800}, KEY)
    with pytest.raises(jwt.MissingRequiredClaimError) as e:
        jwt.decode(token, KEY, options={"require": ["exp", "iss", "sub"]}, algorithms=["HS256"])
    assert e.value.claim == "iss"


def test_retrieve_rsa_signing_keys_from_a_jwks_endpoint() -> None:
    k = signing_key("RS256").with_kid("NEE1QURBOTM4MzI5RkFDNTYxOTU1MDg2ODgwQ0UzMTk1QjYyRkRFQw")
    token = jwt.encode({"aud": "https://expenses-api", "exp": 1}, k)
    with JwksServer({"keys": [k.to_public_jwk()]}).running() as srv:
        jwks_client = jwt.PyJWKClient(srv.url)
        signing_key_ = jwks_client.get_signing_key_from_jwt(token)
        data = jwt.decode(token, signing_key_, audience="https://expenses-api", options={"verify_exp": False})
    assert data == {"aud": "https://expenses-api", "exp": 1}


def test_pyjwk_usage() -> None:
    jwk = signing_key("ES256").to_public_jwk()
    key = jwt.PyJWK(jwk)
    token = jwt.encode({"exp": 4102444800}, signing_key("ES256"))
    assert jwt.decode(token, key)["exp"] == 4102444800
    assert key.algorithm_name == "ES256" and key.key_type == "EC"


def test_detached_payload_and_pyjws() -> None:
    jws = jwt.PyJWS()
    token = jws.encode(b"payload", KEY, algorithm="HS256", is_payload_detached=True)
    assert token.split(".")[1] == ""
    assert jws.decode(token, KEY, algorithms=["HS256"], detached_payload=b"payload") == b"payload"
    complete = jws.decode_complete(jws.encode(b"x", KEY), KEY, algorithms=["HS256"])
    assert complete["payload"] == b"x" and complete["header"]["alg"] == "HS256" and len(complete["signature"]) == 32
