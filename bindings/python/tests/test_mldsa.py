"""ML-DSA (RFC 9964, FIPS 204) through Python: the native door signs and verifies every
level and round-trips AKP JWKs; the PyJWT door answers as PyJWT 2.15 does, which has no
ML-DSA (docs/python.md, "Which door to use")."""

from __future__ import annotations

import pytest

import jwt_core as jwt

LEVELS = [a for a in ("ML-DSA-44", "ML-DSA-65", "ML-DSA-87") if a in jwt.ALGORITHMS]
pytestmark = pytest.mark.skipif(not LEVELS, reason="ML-DSA needs the aws-lc backend")

CLAIMS = {"sub": "u", "exp": 4102444800}


@pytest.mark.parametrize("alg", LEVELS)
def test_native_generate_sign_verify(alg: str) -> None:
    k = jwt.SigningKey.generate(alg)
    assert k.algorithm == alg
    token = jwt.Signer(k).sign(CLAIMS)
    assert jwt.Verifier(k.verifying_key()).verify(token) == CLAIMS
    header = jwt.get_unverified_header(token)
    assert header["alg"] == alg
    other = jwt.SigningKey.generate(alg)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.Verifier(other.verifying_key()).verify(token)


@pytest.mark.parametrize("alg", LEVELS)
def test_akp_jwk_round_trip(alg: str) -> None:
    k = jwt.SigningKey.generate(alg)
    pub = k.to_public_jwk()
    assert pub["kty"] == "AKP" and pub["alg"] == alg and "priv" not in pub
    vk = jwt.VerifyingKey.from_jwk(pub)
    assert vk.algorithm == alg and vk.thumbprint() == k.thumbprint()
    again = jwt.SigningKey.from_jwk(k.to_private_jwk())
    assert again.to_public_jwk() == pub
    token = jwt.Signer(again).sign(CLAIMS)
    assert jwt.Verifier(vk).verify(token) == CLAIMS


def test_wrong_level_is_a_typed_refusal() -> None:
    if len(LEVELS) < 2:
        pytest.skip("needs two ML-DSA levels")
    low, high = LEVELS[0], LEVELS[1]
    k = jwt.SigningKey.generate(low)
    with pytest.raises(jwt.InvalidKeyError) as e:
        jwt.VerifyingKey.from_jwk(k.to_public_jwk(), high)
    assert e.value.code == "key_algorithm_mismatch"
    jwk = {m: v for m, v in k.to_public_jwk().items() if m != "alg"}
    with pytest.raises(jwt.InvalidKeyError):
        jwt.VerifyingKey.from_jwk(jwk, high)  # the public key's length is the level
    token = jwt.Signer(k).sign(CLAIMS)
    with pytest.raises(jwt.PyJWTError) as e:
        jwt.Verifier(jwt.SigningKey.generate(high).verifying_key()).verify(token)
    assert e.value.code == "algorithm_not_allowed"


def test_pyjwt_door_answers_as_pyjwt() -> None:
    # PyJWT 2.15's registry has no ML-DSA: encode refuses the name as PyJWT does, and a
    # PyJWK of an AKP key finds no algorithm, PyJWT's answer (the native door takes both)
    k = jwt.SigningKey.generate(LEVELS[0])
    with pytest.raises(NotImplementedError, match="Algorithm not supported"):
        jwt.encode(CLAIMS, k.to_pkcs8_pem(), algorithm=LEVELS[0])
    with pytest.raises(jwt.PyJWKError, match="Unable to find an algorithm"):
        jwt.PyJWK(k.to_public_jwk())
    token = jwt.Signer(k).sign(CLAIMS)
    with pytest.raises(jwt.InvalidAlgorithmError, match="Algorithm not supported"):
        jwt.decode(token, k.verifying_key(), algorithms=[LEVELS[0]])
