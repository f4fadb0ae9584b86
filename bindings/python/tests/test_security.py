"""Every attack class of SECURITY.md, through the PyJWT-compatible API and the fast path,
asserting the exception class and the core's `.code`."""

from __future__ import annotations

import json

import pytest

import jwt_core as jwt
from conftest import HMAC_SECRET, signing_key
from helpers import FAR, b64u, hs256, seg, signed

SECRET = HMAC_SECRET
CLAIMS = {"sub": "u1", "exp": FAR}


def raises(cls: type, code: str, fn, *args, **kw) -> jwt.PyJWTError:
    with pytest.raises(cls) as info:
        fn(*args, **kw)
    assert info.value.code == code, (info.value, info.value.code)
    assert type(info.value) is jwt.exception_class(code, getattr(info.value, "claim", None)) or cls in (
        jwt.PyJWKSetError,
        jwt.PyJWKClientError,
    )
    return info.value


# --- Algorithm handling -------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("sig", ["", "c2ln"])
def test_alg_none_rejected_in_any_spelling(spelling: str, sig: str) -> None:
    token = f"{seg({'alg': spelling, 'typ': 'JWT'})}.{seg(CLAIMS)}.{sig}"
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.decode, token, SECRET, algorithms=["HS256"])
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.decode, token, SECRET, algorithms=[spelling])


def test_unsecured_tokens_cannot_be_made() -> None:
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.encode, CLAIMS, SECRET, algorithm=None)
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.encode, CLAIMS, SECRET, algorithm="none")


def test_the_unsecured_name_is_the_cores_decision() -> None:
    # the Python layer asks the core (`Algorithm::is_unsecured`) which names are `none`
    from jwt_core import _jwt_core

    for name in ("none", "None", "NONE", "nOnE"):
        assert _jwt_core.is_unsecured_algorithm(name)
    for other in ("HS256", "none ", "nonE1", "", None, b"none", 0):
        assert not _jwt_core.is_unsecured_algorithm(other)


def test_registered_claim_types_are_the_cores_decision() -> None:
    # the PyJWT-order path asks the core for claim types and only words the answer
    from jwt_core import _jwt_core

    ok = {"exp": 1.5, "nbf": 0, "iat": 253_402_300_799, "iss": "a", "aud": ["x"], "sub": "s", "jti": "j", "x": {}}
    assert _jwt_core.check_registered_claims(ok) is None
    bad = [
        ("exp", "1700000000"), ("exp", True), ("exp", -1), ("exp", 10**30), ("exp", 10**400),
        ("nbf", None), ("iat", [1]), ("iat", object()), ("iss", 5), ("aud", ["x", 1]), ("aud", 1),
        ("sub", None), ("jti", 1.0),
    ]
    for name, value in bad:
        e = raises(jwt.DecodeError if name in ("exp", "nbf") else jwt.InvalidTokenError, "invalid_claim",
                   _jwt_core.check_registered_claims, {name: value})
        assert e.claim == name, (name, value)
    token = jwt.encode({"exp": "soon"}, SECRET)
    e = raises(jwt.DecodeError, "invalid_claim", jwt.decode, token, SECRET, algorithms=["HS256"])
    assert str(e) == "Expiration Time claim (exp) must be an integer." and e.claim == "exp"
    e = raises(jwt.InvalidIssuedAtError, "invalid_claim", jwt.decode, jwt.encode({"iat": "x"}, SECRET), SECRET,
               algorithms=["HS256"])
    assert str(e) == "Issued At claim (iat) must be an integer."


def test_ed448_keys_are_refused_by_the_core() -> None:
    # the binding holds no Ed448 rule of its own: the key reaches the core's key parser,
    # which refuses it (Ed25519 is the only OKP curve it implements)
    from cryptography.hazmat.primitives.asymmetric import ed448

    from jwt_core.algorithms import OKPAlgorithm

    key = ed448.Ed448PrivateKey.generate()
    okp = OKPAlgorithm()
    assert isinstance(okp.from_jwk(okp.to_jwk(key)), ed448.Ed448PrivateKey)  # keys still convert
    raises(jwt.InvalidKeyError, "invalid_key", okp.sign, b"msg", key)
    raises(jwt.InvalidKeyError, "invalid_key", okp.verify, b"msg", key.public_key(), b"\0" * 114)
    raises(jwt.InvalidKeyError, "invalid_key", jwt.encode, CLAIMS, key, algorithm="EdDSA")
    token = jwt.encode(CLAIMS, signing_key("EdDSA"), algorithm="EdDSA")
    raises(jwt.InvalidKeyError, "invalid_key", jwt.decode, token, key.public_key(), algorithms=["EdDSA"])


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA", "PS256"])
def test_public_key_never_an_hmac_secret(alg: str) -> None:
    """CVE-2016-10555, CVE-2022-29217: the public key's bytes MAC the token."""
    vk = signing_key(alg).verifying_key()
    pem = vk.to_pem()
    jwk = vk.to_jwk()
    for material in (pem.encode(), pem):
        token = hs256(pem.encode(), {"alg": "HS256", "typ": "JWT"}, CLAIMS)
        raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.decode, token, material, algorithms=["HS256"])
        # with both families allowed, the token's HS256 asks for the key as a secret: refused
        # (as PyJWT's own advisory test GHSA-ffqj-6fqr-9h24 wants it), while the key still
        # verifies its own family's tokens
        raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.decode, token, material, algorithms=["HS256", alg])
    # DER (SPKI) bytes, and a JWK document, as a secret
    der = __import__("base64").b64decode("".join(pem.strip().splitlines()[1:-1]))
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.VerifyingKey.hmac, "HS256", der)
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.VerifyingKey.hmac, "HS256", json.dumps(jwk))
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.decode, hs256(b"x" * 32, {"alg": "HS256"}, CLAIMS), jwk, algorithms=["HS256"])


def test_allowed_algorithms_come_from_the_caller() -> None:
    es = signing_key("ES256")
    token = jwt.encode(CLAIMS, es)
    pem = es.public_key_pem()
    assert jwt.decode(token, pem, algorithms=["ES256"])["sub"] == "u1"
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.decode, token, pem, algorithms=["RS256"])
    v = jwt.Verifier(es.verifying_key(), algorithms=["ES256"])
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", v.verify, hs256(SECRET, {"alg": "HS256"}, CLAIMS))


def test_jwk_alg_use_and_key_ops_are_honoured() -> None:
    rs = signing_key("RS256")
    jwk = rs.to_public_jwk()
    token = jwt.encode(CLAIMS, jwt.SigningKey.from_pem("PS256", rs.to_pkcs8_pem()))
    # a JWK of RS256 is never a PS256 key, whatever algorithms allow
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.decode, token, jwk, algorithms=["RS256", "PS256"])
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.decode, token, jwk, algorithms=["PS256"])
    raises(jwt.InvalidKeyError, "key_usage_not_allowed", jwt.VerifyingKey.from_jwk, {**jwk, "use": "enc"})
    raises(jwt.InvalidKeyError, "key_usage_not_allowed", jwt.VerifyingKey.from_jwk, {**jwk, "key_ops": ["sign"]})


def _ecdsa_token(sig: bytes) -> tuple[str, jwt.VerifyingKey]:
    k = signing_key("ES256")
    return signed(k, {"alg": "ES256"}, CLAIMS, sig), k.verifying_key()


N256 = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@pytest.mark.parametrize(
    "sig",
    [
        bytes(64),  # r = s = 0: the "psychic signature" (CVE-2022-21449)
        bytes(32) + (1).to_bytes(32, "big"),
        N256.to_bytes(32, "big") + (1).to_bytes(32, "big"),  # r = n
        (1).to_bytes(32, "big") + N256.to_bytes(32, "big"),  # s = n
        bytes(63),
        bytes(65),
    ],
    ids=["zero", "r0", "r=n", "s=n", "short", "long"],
)
def test_ecdsa_bad_signatures(sig: bytes) -> None:
    token, vk = _ecdsa_token(sig)
    raises(jwt.InvalidSignatureError, "invalid_signature", jwt.decode, token, vk.to_pem(), algorithms=["ES256"])


def test_ecdsa_der_signature_rejected() -> None:
    k = signing_key("ES256")
    good = jwt.encode(CLAIMS, k)
    raw = __import__("base64").urlsafe_b64decode(good.split(".")[2] + "==")
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")

    def der_int(i: int) -> bytes:
        b = i.to_bytes(33, "big").lstrip(b"\0")
        b = b"\0" + b if b[0] & 0x80 else b
        return b"\x02" + bytes([len(b)]) + b

    body = der_int(r) + der_int(s)
    der = b"\x30" + bytes([len(body)]) + body
    token = good.rsplit(".", 1)[0] + "." + b64u(der)
    raises(jwt.InvalidSignatureError, "invalid_signature", jwt.decode, token, k.public_key_pem(), algorithms=["ES256"])


def test_short_hmac_keys() -> None:
    """The native door refuses HMAC secrets shorter than the hash output; the PyJWT door
    behaves as PyJWT 2.15: a warning, an error with `enforce_minimum_key_length`. An empty
    secret is refused by both."""
    raises(jwt.InvalidKeyError, "weak_key", jwt.SigningKey.hmac, "HS512", b"x" * 63)
    raises(jwt.InvalidKeyError, "weak_key", jwt.VerifyingKey.hmac, "HS256", b"secret")
    token = hs256(b"secret", {"alg": "HS256"}, CLAIMS)
    with pytest.warns(jwt.InsecureKeyLengthWarning, match="6 bytes"):
        assert jwt.decode(token, "secret", algorithms=["HS256"])["sub"] == "u1"
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        made = jwt.encode(CLAIMS, "secret", algorithm="HS256")
    head, _, sig = made.rpartition(".")
    assert sig == b64u(__import__("hmac").new(b"secret", head.encode(), "sha256").digest())
    strict = {"enforce_minimum_key_length": True}
    raises(jwt.InvalidKeyError, "weak_key", jwt.decode, token, "secret", algorithms=["HS256"], options=strict)
    raises(jwt.InvalidKeyError, "weak_key", jwt.PyJWT(strict).encode, CLAIMS, "secret", algorithm="HS256")
    for empty in ("", b""):
        raises(jwt.InvalidKeyError, "weak_key", jwt.decode, token, empty, algorithms=["HS256"])
        raises(jwt.InvalidKeyError, "weak_key", jwt.encode, CLAIMS, empty, algorithm="HS256")
    # a short secret signs the very MAC PyJWT's HMAC gives (RFC 2104 key padding)
    assert jwt.SigningKey.hmac("HS384", b"k", allow_short=True).sign(b"m") == __import__("hmac").new(b"k", b"m", "sha384").digest()
    assert jwt.Verifier(jwt.VerifyingKey.hmac("HS256", "secret", allow_short=True)).verify(token)["sub"] == "u1"


def test_rsa_under_2048_bits_refused() -> None:
    rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
    from cryptography.hazmat.primitives import serialization as s

    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = small.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption())
    raises(jwt.InvalidKeyError, "weak_key", jwt.SigningKey.from_pem, "RS256", pem)
    raises(jwt.InvalidKeyError, "weak_key", jwt.encode, CLAIMS, small, algorithm="RS256")
    pub = small.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo)
    raises(jwt.InvalidKeyError, "weak_key", jwt.decode, "a.b.c", pub, algorithms=["RS256"])


# --- Header handling ----------------------------------------------------------------------


def test_unknown_crit_rejected() -> None:
    token = hs256(SECRET, {"alg": "HS256", "crit": ["exp-ext"], "exp-ext": 1}, CLAIMS)
    raises(jwt.InvalidTokenError, "unsupported_critical_header", jwt.decode, token, SECRET, algorithms=["HS256"])
    v = jwt.Verifier(jwt.VerifyingKey.hmac("HS256", SECRET), critical=["exp-ext"])
    assert v.verify(token)["sub"] == "u1"


def test_b64_false_only_when_declared() -> None:
    k = jwt.SigningKey.hmac("HS256", SECRET)
    token = jwt.sign_compact(k, b"pay $ load", {"b64": False})
    raises(jwt.InvalidTokenError, "unsupported_critical_header", jwt.Verifier(k.verifying_key()).verify_jws, token)
    assert jwt.Verifier(k.verifying_key(), critical=["b64"]).verify_jws(token)[1] == b"pay $ load"
    # a JWT is never b64=false: its payload segment would have to be empty (PyJWT's rule)
    raises(jwt.DecodeError, "malformed_token", jwt.decode, token, SECRET, algorithms=["HS256"])


@pytest.mark.parametrize("member", ["jwk", "jku", "x5u", "x5c"])
def test_embedded_key_references_never_trusted(member: str) -> None:
    attacker = jwt.SigningKey.generate("ES256")
    value = {
        "jwk": attacker.to_public_jwk(),
        "jku": "http://127.0.0.1:1/jwks.json",
        "x5u": "http://127.0.0.1:1/cert.pem",
        "x5c": ["MIIB"],
    }[member]
    token = signed(attacker, {"alg": "ES256", member: value}, CLAIMS)
    real = signing_key("ES256").public_key_pem()
    raises(jwt.InvalidSignatureError, "invalid_signature", jwt.decode, token, real, algorithms=["ES256"])


def test_kid_selects_only_among_caller_keys() -> None:
    hs = jwt.VerifyingKey.hmac("HS256", SECRET).with_kid("k1")
    es = signing_key("ES256").verifying_key().with_kid("k2")
    v = jwt.Verifier([hs, es])
    raises(jwt.InvalidSignatureError, "key_not_found", v.verify, hs256(SECRET, {"alg": "HS256", "kid": "nope"}, CLAIMS))
    # kid of the EC key on an HS256 token: never crosses algorithms
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", v.verify, hs256(SECRET, {"alg": "HS256", "kid": "k2"}, CLAIMS))
    assert v.verify(hs256(SECRET, {"alg": "HS256", "kid": "k1"}, CLAIMS))["sub"] == "u1"


def test_typ_required_case_insensitively() -> None:
    v = jwt.Verifier(jwt.VerifyingKey.hmac("HS256", SECRET), typ="at+jwt")
    assert v.verify(hs256(SECRET, {"alg": "HS256", "typ": "AT+JWT"}, CLAIMS))["sub"] == "u1"
    assert v.verify(hs256(SECRET, {"alg": "HS256", "typ": "application/at+jwt"}, CLAIMS))["sub"] == "u1"
    raises(jwt.InvalidTokenError, "invalid_type", v.verify, hs256(SECRET, {"alg": "HS256", "typ": "JWT"}, CLAIMS))
    raises(jwt.InvalidTokenError, "invalid_type", v.verify, hs256(SECRET, {"alg": "HS256"}, CLAIMS))


# --- Parsing ------------------------------------------------------------------------------

GOOD = hs256(SECRET, {"alg": "HS256", "typ": "JWT"}, CLAIMS)


def _decode(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"])


@pytest.mark.parametrize(
    "token",
    [
        GOOD.rsplit(".", 1)[0],  # two segments
        GOOD + ".x",  # four
        GOOD + ".x.y",  # five (JWE shape)
        GOOD.replace(".", "=.", 1),  # padding
        GOOD[:-1] + "+",  # '+'
        GOOD[:-1] + "/",
        " " + GOOD,  # whitespace
        GOOD.replace(".", ". ", 1),
        hs256(SECRET, b"[1]", CLAIMS),  # header not an object
        hs256(SECRET, {"alg": "HS256"}, b"[1]"),  # payload not an object
        hs256(SECRET, {"alg": "HS256"}, b"\xff\xfe{}"),  # not UTF-8
        hs256(SECRET, {"alg": "HS256"}, b"{"),  # not JSON
    ],
    ids=["2seg", "4seg", "5seg", "padding", "plus", "slash", "space", "inner-space", "hdr-array", "pl-array", "utf8", "json"],
)
def test_malformed_tokens(token: str) -> None:
    raises(jwt.DecodeError, "malformed_token", _decode, token)


def test_non_canonical_base64_trailing_bits() -> None:
    head, payload, sig = GOOD.split(".")
    # the last char of a 32-byte signature carries 2 unused bits: set them
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    bad = sig[:-1] + alphabet[alphabet.index(sig[-1]) | 1]
    assert bad != sig
    raises(jwt.DecodeError, "malformed_token", _decode, f"{head}.{payload}.{bad}")


def test_duplicate_members_rejected() -> None:
    dup_payload = b'{"sub":"a","sub":"b","exp":%d}' % FAR
    raises(jwt.DecodeError, "duplicate_member", _decode, hs256(SECRET, {"alg": "HS256"}, dup_payload))
    raises(jwt.DecodeError, "duplicate_member", _decode, hs256(SECRET, b'{"alg":"HS256","alg":"HS256"}', CLAIMS))
    raises(jwt.DecodeError, "duplicate_member", jwt.VerifyingKey.from_jwk, '{"kty":"oct","kty":"oct","k":"AA"}')


@pytest.mark.parametrize("body", [b"1", b"[]", b'"x"', b"null", b"true"])
def test_header_and_payload_must_be_json_objects(body: bytes) -> None:
    # the core's verdict (`check_json_object`), in PyJWT's class and words
    from jwt_core import _jwt_core

    raises(jwt.DecodeError, "malformed_token", _jwt_core.check_json_object, body)
    assert _jwt_core.check_json_object(b'{"a":[1]}') is None
    pyjws = jwt.PyJWS()
    for what, token, decode in [
        ("header", hs256(SECRET, body, CLAIMS), _decode),
        ("header", hs256(SECRET, body, CLAIMS), lambda t: pyjws.decode(t, SECRET, algorithms=["HS256"])),
        ("payload", hs256(SECRET, {"alg": "HS256"}, body), _decode),
    ]:
        e = raises(jwt.DecodeError, "malformed_token", decode, token)
        assert str(e) == f"Invalid {what} string: must be a json object"
    # other malformed JSON keeps the core's own message
    e = raises(jwt.DecodeError, "malformed_token", _decode, hs256(SECRET, b"{", CLAIMS))
    assert str(e).startswith("Invalid header string: ") and "json object" not in str(e)


def test_nesting_and_size_bounded() -> None:
    deep = b'{"exp":%d,"x":' % FAR + b"[" * 200 + b"]" * 200 + b"}"
    raises(jwt.DecodeError, "malformed_token", _decode, hs256(SECRET, {"alg": "HS256"}, deep))
    huge = "a" * (1024 * 1024 + 1)
    raises(jwt.DecodeError, "input_too_large", _decode, huge)
    big_header = hs256(SECRET, {"alg": "HS256", "pad": "x" * 9000}, CLAIMS)
    raises(jwt.DecodeError, "input_too_large", _decode, big_header)


@pytest.mark.parametrize(
    "claims,cls,claim",
    [
        ({"exp": str(FAR)}, jwt.DecodeError, "exp"),  # CVE-2026-25537: a string exp is not "no exp"
        ({"exp": FAR, "nbf": "0"}, jwt.DecodeError, "nbf"),
        ({"exp": FAR, "iat": "0"}, jwt.InvalidIssuedAtError, "iat"),
        ({"exp": FAR, "aud": 5}, jwt.InvalidAudienceError, "aud"),
        ({"exp": FAR, "iss": ["a"]}, jwt.InvalidIssuerError, "iss"),
        ({"exp": FAR, "sub": 1}, jwt.InvalidSubjectError, "sub"),
        ({"exp": FAR, "jti": 1}, jwt.InvalidJTIError, "jti"),
        ({"exp": 1e300}, jwt.DecodeError, "exp"),
        ({"exp": -1}, jwt.DecodeError, "exp"),
    ],
)
def test_registered_claim_types(claims: dict, cls: type, claim: str) -> None:
    e = raises(cls, "invalid_claim", _decode, hs256(SECRET, {"alg": "HS256"}, claims))
    assert e.claim == claim  # type: ignore[attr-defined]


# --- Claims -------------------------------------------------------------------------------

NOW = 1_700_000_000


def _v(**kw) -> jwt.Verifier:
    return jwt.Verifier(jwt.VerifyingKey.hmac("HS256", SECRET), **kw)


def _tok(claims: dict) -> str:
    return hs256(SECRET, {"alg": "HS256"}, claims)


def test_exp_required_by_default_on_the_native_door_only() -> None:
    """`Verifier` requires `exp`; `jwt.decode` follows PyJWT 2.15 (checked when present,
    required when `require` names it)."""
    e = raises(jwt.MissingRequiredClaimError, "missing_claim", _v().verify, _tok({"sub": "x"}))
    assert e.claim == "exp"  # type: ignore[attr-defined]
    assert _v(required_claims=[]).verify(_tok({"sub": "x"})) == {"sub": "x"}
    assert _decode(_tok({"sub": "x"})) == {"sub": "x"}
    e = raises(jwt.MissingRequiredClaimError, "missing_claim", jwt.decode, _tok({"sub": "x"}), SECRET, algorithms=["HS256"], options={"require": ["exp"]})
    assert e.claim == "exp"  # type: ignore[attr-defined]


def test_time_claims() -> None:
    raises(jwt.ExpiredSignatureError, "token_expired", _v().verify, _tok({"exp": NOW}), now=NOW)
    assert _v(leeway=5).verify(_tok({"exp": NOW}), now=NOW + 4) == {"exp": NOW}
    raises(jwt.ImmatureSignatureError, "token_not_yet_valid", _v().verify, _tok({"exp": FAR, "nbf": NOW + 1}), now=NOW)
    raises(jwt.ImmatureSignatureError, "token_issued_in_future", _v().verify, _tok({"exp": FAR, "iat": NOW + 60}), now=NOW)
    raises(jwt.ExpiredSignatureError, "token_too_old", _v(max_age=60).verify, _tok({"exp": FAR, "iat": NOW - 61}), now=NOW)
    raises(jwt.ExpiredSignatureError, "token_expired", _decode, _tok({"exp": 1}))


def test_iss_and_aud_compared_exactly() -> None:
    """CVE-2024-53861: no prefix or substring matching."""
    t = _tok({"exp": FAR, "iss": "https://issuer.example.evil", "aud": "api-evil"})
    raises(jwt.InvalidIssuerError, "invalid_issuer", jwt.decode, t, SECRET, algorithms=["HS256"], issuer="https://issuer.example", audience="api-evil")
    raises(jwt.InvalidIssuerError, "invalid_issuer", jwt.decode, t, SECRET, algorithms=["HS256"], issuer="https://issuer.example.evil.more", audience="api-evil")
    raises(jwt.InvalidAudienceError, "invalid_audience", jwt.decode, t, SECRET, algorithms=["HS256"], audience="api")
    raises(jwt.InvalidAudienceError, "invalid_audience", jwt.decode, t, SECRET, algorithms=["HS256"], audience=["api", "evil"])
    # a token with aud, verified with no audience configured (RFC 7519 4.1.3)
    raises(jwt.InvalidAudienceError, "invalid_audience", jwt.decode, t, SECRET, algorithms=["HS256"])
    assert jwt.decode(t, SECRET, algorithms=["HS256"], audience=["x", "api-evil"], issuer=["https://issuer.example.evil"])


def test_required_and_exact_claims() -> None:
    e = raises(jwt.MissingRequiredClaimError, "missing_claim", _v(required_claims=["exp", "role"]).verify, _tok({"exp": FAR}))
    assert e.claim == "role"  # type: ignore[attr-defined]
    v = _v(claims_equal={"role": "admin"})
    assert v.verify(_tok({"exp": FAR, "role": "admin"}))["role"] == "admin"
    raises(jwt.DecodeError, "invalid_claim", v.verify, _tok({"exp": FAR, "role": "user"}))
    raises(jwt.InvalidSubjectError, "invalid_subject", _v(subject="a").verify, _tok({"exp": FAR, "sub": "b"}))


# --- Across the FFI boundary --------------------------------------------------------------


def test_bad_python_input_gives_typed_errors_not_crashes() -> None:
    cyclic: dict = {}
    cyclic["self"] = cyclic
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, cyclic, SECRET)
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, {"x": object()}, SECRET)
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, {1: "non-string key"}, SECRET)
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, {"big": 2**80}, SECRET)
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, {"nan": float("nan")}, SECRET)
    raises(jwt.DecodeError, "malformed_token", jwt.decode, 12345, SECRET, algorithms=["HS256"])
    raises(jwt.DecodeError, "malformed_token", jwt.decode, b"\xff\xfe", SECRET, algorithms=["HS256"])
    raises(jwt.DecodeError, "malformed_token", jwt.decode, "\ud800", SECRET, algorithms=["HS256"])
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, {"lone": "\udfff"}, SECRET)
    raises(jwt.SerializationError, "serialization_failed", jwt.encode, {"\udfff": 1}, SECRET)
    # text that is not ASCII crosses intact (keys and values, through the no-copy path)
    text = {"exp": FAR, "caf\u00e9": "\u2603 \U0001f600", "n": "\u00e9" * 100}
    assert jwt.decode(jwt.encode(text, SECRET), SECRET, algorithms=["HS256"]) == text
    raises(jwt.InvalidKeyError, "invalid_key", jwt.VerifyingKey.from_pem, "RS256", "-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----\n")
    raises(jwt.InvalidKeyError, "invalid_key", jwt.VerifyingKey.from_der, "ES256", b"\x30\x82\xff\xff")
    with pytest.raises(jwt.InvalidArgumentError) as missing:  # algorithms is required
        jwt.decode(GOOD, SECRET)
    assert missing.value.code == "invalid_argument" and isinstance(missing.value, jwt.DecodeError)  # PyJWT's class
    with pytest.raises(TypeError):
        jwt.encode(["not", "a", "dict"], SECRET)  # type: ignore[arg-type]


def test_secrets_never_in_repr_or_messages() -> None:
    secret = b"S3CRET-" * 6
    k = jwt.SigningKey.hmac("HS256", secret)
    assert "S3CRET" not in repr(k) and "S3CRET" not in repr(k.verifying_key())
    with pytest.raises(jwt.PyJWTError) as info:
        jwt.SigningKey.hmac("HS512", b"S3CRET-short")
    assert "S3CRET" not in str(info.value)
    with pytest.raises(jwt.PyJWTError) as info:
        jwt.decode(hs256(secret, {"alg": "HS256"}, CLAIMS), secret[:-1] + b"!", algorithms=["HS256"])
    assert "S3CRET" not in str(info.value)
