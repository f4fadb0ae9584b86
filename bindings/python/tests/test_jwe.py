"""JWE (src/jwe.rs): JweDecryptionKey, JweEncrypter, JweDecrypter, encrypt_general,
generate_jwe_key. Round trips for every alg/enc pair, the JSON serializations, nested JWTs,
key import rules, and every JWE rule of SECURITY.md with its exception class and `.code`."""

from __future__ import annotations

import base64
import datetime
import json
import threading
from typing import Any, Callable

import pytest

import jwt_core as jwt
from helpers import FAR, b64u
from test_api import _runs_while_native

ENCS = list(jwt.JWE_ENCRYPTIONS)
PLAINTEXT = b"The true sign of intelligence is not knowledge but imagination."


def unb64u(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def raises(cls: type, code: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> jwt.PyJWTError:
    with pytest.raises(cls) as info:
        fn(*args, **kw)
    assert info.value.code == code, (info.value, info.value.code)
    assert type(info.value) is jwt.exception_class(code)
    return info.value


def key_for(alg: str, enc: str, crv: str = "P-256") -> jwt.JweDecryptionKey:
    if alg.startswith("PBES2"):
        return jwt.JweDecryptionKey.password(alg, "a long and silly password")
    return jwt.JweDecryptionKey.generate(alg, enc if alg == "dir" else None, crv)


def encrypter_for(key: jwt.JweDecryptionKey, enc: str, **kw: Any) -> jwt.JweEncrypter:
    if key.algorithm.startswith("PBES2"):
        return jwt.JweEncrypter(b"a long and silly password", enc, alg=key.algorithm, p2c=1000, **kw)
    if key.curve is not None:
        return jwt.JweEncrypter(key.to_public_jwk(), enc, **kw)
    return jwt.JweEncrypter(key, enc, **kw)


def decrypter_for(key: jwt.JweDecryptionKey, **kw: Any) -> jwt.JweDecrypter:
    if key.algorithm.startswith("PBES2"):
        kw.setdefault("allow_pbes2", 1000)
    return jwt.JweDecrypter(key, **kw)


def with_header(token: str, **members: Any) -> str:
    """The token with its protected header changed (the tag no longer matches)."""
    parts = token.split(".")
    h = json.loads(unb64u(parts[0]))
    h.update(members)
    parts[0] = b64u(json.dumps({k: v for k, v in h.items() if v is not None}).encode())
    return ".".join(parts)


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("enc", ENCS)
@pytest.mark.parametrize("alg", jwt.JWE_ALGORITHMS)
def test_round_trip_every_alg_and_enc(alg: str, enc: str) -> None:
    key = key_for(alg, enc)
    e = encrypter_for(key, enc, headers={"typ": "secret"})
    token = e.encrypt(PLAINTEXT)
    assert token.count(".") == 4
    out = decrypter_for(key).decrypt(token)
    assert out.plaintext == PLAINTEXT
    assert (out.header["alg"], out.header["enc"], out.header["typ"]) == (alg, enc, "secret")
    assert out.aad is None
    # fresh randomness each time: the same plaintext never gives the same token
    assert e.encrypt(PLAINTEXT) != token


@pytest.mark.parametrize("crv", ["P-256", "P-384", "P-521", "X25519"])
@pytest.mark.parametrize("alg", ["ECDH-ES", "ECDH-ES+A256KW"])
def test_ecdh_every_curve(alg: str, crv: str) -> None:
    key = key_for(alg, "A256GCM", crv)
    assert key.curve == crv
    token = encrypter_for(key, "A256GCM").encrypt("text is UTF-8")
    out = jwt.JweDecrypter(key).decrypt(token.encode())  # bytes tokens work too
    assert out.plaintext == b"text is UTF-8"
    assert out.header["epk"]["crv"] == crv and "d" not in out.header["epk"]


def test_generate_jwe_key_and_jwk_round_trip() -> None:
    private, public = jwt.generate_jwe_key("ECDH-ES+A128KW", crv="X25519")
    assert (private["kty"], private["crv"], private["alg"], private["use"]) == ("OKP", "X25519", "ECDH-ES+A128KW", "enc")
    assert "d" in private and "d" not in public and public["x"] == private["x"]
    k = jwt.JweDecryptionKey.from_jwk(private)
    assert (k.algorithm, k.curve, k.kid, k.encryption) == ("ECDH-ES+A128KW", "X25519", None, None)
    assert jwt.JweDecryptionKey.from_jwk(json.dumps(k.to_private_jwk())).to_public_jwk() == public
    secret, same = jwt.generate_jwe_key("dir", "A128CBC-HS256")
    assert secret == same and secret["alg"] == "A128CBC-HS256" and len(unb64u(secret["k"])) == 32
    assert jwt.JweDecryptionKey.from_jwk(secret).encryption == "A128CBC-HS256"
    kw, _ = jwt.generate_jwe_key("A192GCMKW", "A128GCM")
    assert jwt.JweDecryptionKey.from_jwk(kw, "A192GCMKW").algorithm == "A192GCMKW"
    assert "JweDecryptionKey(algorithm=\"A256KW\"" in repr(jwt.JweDecryptionKey.generate("A256KW"))


def test_secret_keys_from_bytes() -> None:
    secret = bytes(range(32))
    k = jwt.JweDecryptionKey.secret("A256KW", secret).with_kid("k1")
    assert (k.algorithm, k.kid) == ("A256KW", "k1")
    assert unb64u(k.to_private_jwk()["k"]) == secret
    token = jwt.JweEncrypter(secret, "A128GCM", alg="A256KW", headers={"kid": "k1"}).encrypt(b"x")
    assert jwt.JweDecrypter(k).decrypt(token).header["kid"] == "k1"
    d = jwt.JweDecryptionKey.secret("dir", secret, "A256GCM")
    assert d.encryption == "A256GCM"
    assert jwt.JweDecrypter(d).decrypt(jwt.JweEncrypter(secret, "A256GCM", alg="dir").encrypt(b"y")).plaintext == b"y"


def test_encrypted_claims() -> None:
    key = jwt.JweDecryptionKey.generate("A128KW")
    e = jwt.JweEncrypter(key, "A128CBC-HS256")
    exp = datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc)
    token = e.encrypt_claims({"sub": "u1", "exp": exp, "n": [1, 2.5, None, True]})
    assert jwt.JweDecrypter(key).decrypt_claims(token) == {"sub": "u1", "exp": FAR, "n": [1, 2.5, None, True]}
    with pytest.raises(TypeError):
        e.encrypt_claims([1, 2])  # type: ignore[arg-type]
    raises(jwt.DecodeError, "malformed_token", jwt.JweDecrypter(key).decrypt_claims, e.encrypt(b"[1]"))


def test_nested_jwt_sign_then_encrypt() -> None:
    signing = jwt.SigningKey.generate("ES256")
    key = jwt.JweDecryptionKey.generate("ECDH-ES+A256KW")
    e = jwt.JweEncrypter(key.to_public_jwk(), "A256GCM")
    token = e.encrypt_signed(jwt.Signer(signing), {"sub": "u1", "exp": FAR, "aud": "api"})
    d = jwt.JweDecrypter(key)
    assert d.decrypt(token).header["cty"] == "JWT"
    verifier = jwt.Verifier(signing.verifying_key(), audience="api")
    assert d.decrypt_jwt(token, verifier) == {"sub": "u1", "exp": FAR, "aud": "api"}
    # the inner token's claims are checked: expired as of `now`
    raises(jwt.ExpiredSignatureError, "token_expired", d.decrypt_jwt, token, verifier, now=FAR + 10)
    # the inner signature is checked: another key
    other = jwt.Verifier(jwt.SigningKey.generate("ES256").verifying_key(), audience="api")
    raises(jwt.InvalidSignatureError, "invalid_signature", d.decrypt_jwt, token, other)
    # a JWE that is not a nested JWT (no `cty: JWT`) is refused
    raises(jwt.DecodeError, "invalid_header", d.decrypt_jwt, e.encrypt(b"x"), verifier)


def test_header_template_and_kid_selection() -> None:
    a = jwt.JweDecryptionKey.generate("A256GCMKW").with_kid("a")
    b = jwt.JweDecryptionKey.generate("A256GCMKW").with_kid("b")
    eb = jwt.JweEncrypter(b, "A192GCM", headers={"zip": "DEF", "typ": "x+jwe", "custom": [1]})
    assert eb.header == {"alg": "A256GCMKW", "enc": "A192GCM", "zip": "DEF", "kid": "b", "typ": "x+jwe", "custom": [1]}
    assert (eb.algorithm, eb.encryption) == ("A256GCMKW", "A192GCM")
    data = b"a" * 10_000
    token = eb.encrypt(data)
    assert len(token) < 1000  # compressed
    out = jwt.JweDecrypter([a, b]).decrypt(token)
    assert (out.plaintext, out.header["kid"], out.header["custom"]) == (data, "b", [1])
    raises(jwt.InvalidSignatureError, "key_not_found", jwt.JweDecrypter([a]).decrypt, token)
    # a JWK set works as the key list
    jwks = {"keys": [a.to_private_jwk(), b.to_private_jwk()]}
    assert jwt.JweDecrypter(jwks).decrypt(token).plaintext == data


def test_json_serializations() -> None:
    key = jwt.JweDecryptionKey.generate("ECDH-ES+A128KW", crv="P-384").with_kid("r1")
    e = jwt.JweEncrypter(key.to_public_jwk(), "A256CBC-HS512", headers={"typ": "t", "zip": "DEF"})
    d = jwt.JweDecrypter(key)
    flat = json.loads(e.encrypt_json(PLAINTEXT, aad=b"bound", unprotected={"u": 1}))
    assert "recipients" not in flat and flat["unprotected"] == {"u": 1}
    protected = json.loads(unb64u(flat["protected"]))
    assert (protected["alg"], protected["kid"], protected["zip"], protected["typ"]) == ("ECDH-ES+A128KW", "r1", "DEF", "t")
    out = d.decrypt_json(flat)
    assert (out.plaintext, out.aad, out.header["u"], out.header["kid"]) == (PLAINTEXT, b"bound", 1, "r1")
    general = e.encrypt_json(PLAINTEXT, general=True)
    assert json.loads(general)["recipients"][0]["header"]["kid"] == "r1"
    assert d.decrypt_json(general).plaintext == PLAINTEXT
    # the aad is authenticated
    flat["aad"] = b64u(b"other")
    raises(jwt.DecryptionError, "decryption_failed", d.decrypt_json, flat)


def test_encrypt_general_to_several_recipients() -> None:
    a = jwt.JweDecryptionKey.generate("A128KW").with_kid("a")
    b = jwt.JweDecryptionKey.generate("ECDH-ES+A192KW", crv="P-521").with_kid("b")
    c = jwt.JweDecryptionKey.password("PBES2-HS384+A192KW", "hunter2-but-longer").with_kid("c")
    recipients = [
        jwt.JweEncrypter(a, "A128GCM", headers={"typ": "multi"}),
        jwt.JweEncrypter(b.to_public_jwk(), "A128GCM"),
        jwt.JweEncrypter(b"hunter2-but-longer", "A128GCM", alg="PBES2-HS384+A192KW", p2c=1000, headers={"kid": "c"}),
    ]
    doc = jwt.encrypt_general(recipients, PLAINTEXT, aad="x")
    assert [r["header"]["kid"] for r in json.loads(doc)["recipients"]] == ["a", "b", "c"]
    for k in (a, b):
        out = jwt.JweDecrypter(k).decrypt_json(doc)
        assert (out.plaintext, out.header["kid"], out.header["typ"], out.aad) == (PLAINTEXT, k.kid, "multi", b"x")
    assert jwt.JweDecrypter(c, allow_pbes2=1000).decrypt_json(doc).plaintext == PLAINTEXT
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.encrypt_general, [], PLAINTEXT)
    mixed = [recipients[0], jwt.JweEncrypter(a, "A256GCM")]
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.encrypt_general, mixed, PLAINTEXT)
    d = jwt.JweDecryptionKey.generate("dir", "A128GCM")
    alone = [jwt.JweEncrypter(d, "A128GCM"), recipients[0]]
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.encrypt_general, alone, PLAINTEXT)
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.encrypt_general, ["not an encrypter"], PLAINTEXT)


def test_shared_between_threads() -> None:
    """Encrypters and decrypters are immutable: one of each serves many threads at once."""
    key = jwt.JweDecryptionKey.generate("ECDH-ES+A256KW")
    e, d = jwt.JweEncrypter(key.to_public_jwk(), "A256GCM"), jwt.JweDecrypter(key)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for n in range(50):
                msg = f"{i}:{n}".encode()
                assert d.decrypt(e.encrypt(msg)).plaintext == msg
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_gil_released_while_encrypting_and_decrypting() -> None:
    key = jwt.JweDecryptionKey.generate("ECDH-ES+A256KW")
    e, d = jwt.JweEncrypter(key.to_public_jwk(), "A256GCM"), jwt.JweDecrypter(key)
    token = e.encrypt(b"x")
    assert _runs_while_native(lambda: [d.decrypt(token) for _ in range(100)] and None)
    assert _runs_while_native(lambda: [e.encrypt(b"x") for _ in range(1000)] and None)


# --- key import rules ----------------------------------------------------------------------


def test_key_import_errors() -> None:
    k = jwt.JweDecryptionKey.generate("A256KW")
    jwk = k.to_private_jwk()
    ec = jwt.JweDecryptionKey.generate("ECDH-ES")
    raises(jwt.InvalidKeyError, "invalid_key", jwt.JweDecryptionKey.from_jwk, ec.to_public_jwk())
    raises(jwt.InvalidKeyError, "key_usage_not_allowed", jwt.JweDecryptionKey.from_jwk, {**jwk, "use": "sig"})
    raises(jwt.InvalidKeyError, "key_usage_not_allowed", jwt.JweDecryptionKey.from_jwk, {**jwk, "key_ops": ["encrypt"]})
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.JweDecryptionKey.from_jwk, jwk, "A128KW")
    raises(jwt.DecodeError, "duplicate_member", jwt.JweDecryptionKey.from_jwk, '{"kty":"oct","kty":"oct","k":"AA"}')
    raises(jwt.InvalidKeyError, "invalid_key", jwt.JweDecryptionKey.secret, "A256KW", b"x" * 16)
    raises(jwt.InvalidKeyError, "invalid_key", jwt.JweDecryptionKey.secret, "dir", b"x" * 16, "A256GCM")
    raises(jwt.InvalidKeyError, "weak_key", jwt.JweDecryptionKey.password, "PBES2-HS256+A128KW", b"")
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.JweDecryptionKey.password, "A128KW", b"pw")
    raises(jwt.InvalidAlgorithmError, "unsupported_encryption", jwt.JweDecryptionKey.generate, "dir", "A128CTR")
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweDecryptionKey.generate, "dir")
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.generate_jwe_key, "ECDH-ES", None, "P-999")
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweDecryptionKey.secret("A128KW", b"k" * 16).to_public_jwk)
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweDecrypter, [object()])


def test_encrypter_argument_errors() -> None:
    k = jwt.JweDecryptionKey.generate("A256KW")
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweEncrypter, b"x" * 32, "A256GCM")
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.JweEncrypter, k, "A256GCM", alg="A128KW")
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.JweEncrypter, k, "A256GCM", headers={"alg": "A128KW"})
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweEncrypter, k, "A256GCM", headers={"enc": "A128GCM"})
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweEncrypter, k, "A256GCM", headers={"epk": {}})
    raises(jwt.InvalidAlgorithmError, "unsupported_encryption", jwt.JweEncrypter, k, "A256CTR")
    raises(jwt.InvalidKeyError, "weak_key", jwt.JweEncrypter, b"pw", "A128GCM", alg="PBES2-HS256+A128KW", p2c=999)
    dir128 = jwt.JweDecryptionKey.generate("dir", "A128GCM")
    raises(jwt.InvalidKeyError, "key_algorithm_mismatch", jwt.JweEncrypter, dir128, "A256GCM")
    raises(jwt.DecodeError, "malformed_token", jwt.JweDecrypter(k).decrypt, 12)
    raises(jwt.DecodeError, "malformed_token", jwt.JweDecrypter(k).decrypt, "\ud800")


# --- SECURITY.md, JWE part (and issue #6's failure list) --------------------------------------


@pytest.mark.parametrize("alg", ["RSA-OAEP", "RSA-OAEP-256"])
def test_rsa_oaep_is_offered(alg: str) -> None:
    # the extension is built on jwt-core's aws-lc backend, which decrypts RSA in constant time
    assert alg in jwt.JWE_ALGORITHMS
    private, public = jwt.generate_jwe_key(alg)
    assert (private["kty"], private["alg"], private["use"]) == ("RSA", alg, "enc")
    assert "d" in private and "d" not in public and public["n"] == private["n"]
    assert len(unb64u(public["n"])) == 256  # 2048 bits
    token = jwt.JweEncrypter(public, "A256GCM").encrypt(PLAINTEXT)
    assert len(unb64u(token.split(".")[1])) == 256  # one RSA block of encrypted key
    key = jwt.JweDecryptionKey.from_jwk(private)
    assert (key.algorithm, key.curve) == (alg, None)
    out = jwt.JweDecrypter(key).decrypt(token)
    assert out.plaintext == PLAINTEXT and out.header["alg"] == alg
    assert key.to_public_jwk() == public
    other = "RSA-OAEP-256" if alg == "RSA-OAEP" else "RSA-OAEP"
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter(jwt.JweDecryptionKey.from_jwk(private, alg)).decrypt, jwt.JweEncrypter({**public, "alg": other}, "A256GCM").encrypt(b"x"))
    raises(jwt.InvalidKeyError, "invalid_key", jwt.JweDecryptionKey.from_jwk, public)


@pytest.mark.parametrize("alg", ["RSA1_5", "none", "NONE"])
def test_rsa1_5_and_none_are_never_offered(alg: str) -> None:
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.generate_jwe_key, alg)
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.JweDecryptionKey.secret, alg, b"k" * 32)
    key = jwt.JweDecryptionKey.generate("A256KW")
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.JweDecryptionKey.from_jwk, {**key.to_private_jwk(), "alg": alg})
    token = with_header(jwt.JweEncrypter(key, "A256GCM").encrypt(b"x"), alg=alg)
    raises(jwt.InvalidAlgorithmError, "unsupported_algorithm", jwt.JweDecrypter(key).decrypt, token)


def test_pbes2_is_off_by_default_and_p2c_is_capped() -> None:
    alg = "PBES2-HS256+A128KW"
    pw = jwt.JweDecryptionKey.password(alg, "pw")
    token = jwt.JweEncrypter(b"pw", "A128GCM", alg=alg, p2c=5000).encrypt(b"x")
    # a decrypter with only PBES2 keys and PBES2 disabled is refused when built
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweDecrypter, pw)
    other = jwt.JweDecryptionKey.generate("A128KW")
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter([pw, other]).decrypt, token)
    # p2c above the cap: refused before deriving anything
    raises(jwt.DecodeError, "input_too_large", jwt.JweDecrypter(pw, allow_pbes2=4999).decrypt, token)
    assert jwt.JweDecrypter(pw, allow_pbes2=5000).decrypt(token).plaintext == b"x"
    raises(jwt.DecodeError, "invalid_header", jwt.JweDecrypter(pw, allow_pbes2=5000).decrypt, with_header(token, p2c="5"))


def test_ecdh_peer_point_must_be_on_the_curve() -> None:
    """Invalid-curve attack: an `epk` off the curve is refused before any agreement."""
    key = jwt.JweDecryptionKey.generate("ECDH-ES+A128KW")
    token = jwt.JweEncrypter(key.to_public_jwk(), "A128GCM").encrypt(b"x")
    epk = json.loads(unb64u(token.split(".")[0]))["epk"]
    y = bytearray(unb64u(epk["y"]))
    y[-1] ^= 1
    d = jwt.JweDecrypter(key)
    # the epk is the token's: its flaws are token errors, never invalid_key
    raises(jwt.DecodeError, "invalid_header", d.decrypt, with_header(token, epk={**epk, "y": b64u(bytes(y))}))
    raises(jwt.DecodeError, "invalid_header", d.decrypt, with_header(token, epk={**epk, "crv": "P-384"}))
    raises(jwt.DecodeError, "invalid_header", d.decrypt, with_header(token, epk=None))
    raises(jwt.DecodeError, "invalid_header", d.decrypt, with_header(token, epk={**epk, "d": epk["x"]}))


def test_compressed_plaintext_is_capped() -> None:
    """jose CVE-2024-28176: a small token that inflates to a large plaintext."""
    key = jwt.JweDecryptionKey.generate("A256KW")
    token = jwt.JweEncrypter(key, "A256GCM", headers={"zip": "DEF"}).encrypt(b"\0" * (1024 * 1024 + 1))
    assert len(token) < 5000
    raises(jwt.DecodeError, "input_too_large", jwt.JweDecrypter(key).decrypt, token)
    raises(jwt.DecodeError, "input_too_large", jwt.JweDecrypter(key, max_plaintext_bytes=1000).decrypt,
           jwt.JweEncrypter(key, "A256GCM", headers={"zip": "DEF"}).encrypt(b"\0" * 1001))
    assert len(jwt.JweDecrypter(key, max_plaintext_bytes=2 * 1024 * 1024).decrypt(token).plaintext) == 1024 * 1024 + 1
    raises(jwt.InvalidAlgorithmError, "unsupported_encryption", jwt.JweDecrypter(key).decrypt, with_header(token, zip="GZIP"))


@pytest.mark.parametrize("enc", ENCS)
def test_wrong_or_truncated_tag_and_tampering_fail_closed(enc: str) -> None:
    key = jwt.JweDecryptionKey.generate("A128KW")
    d = jwt.JweDecrypter(key)
    parts = jwt.JweEncrypter(key, enc).encrypt(PLAINTEXT).split(".")

    def tampered(i: int, change: Callable[[bytes], bytes]) -> str:
        p = list(parts)
        p[i] = b64u(change(unb64u(p[i])))
        return ".".join(p)

    flip = lambda b: bytes([b[0] ^ 1]) + b[1:]  # noqa: E731
    for i in (1, 2, 3, 4):  # encrypted key, iv, ciphertext, tag
        raises(jwt.DecryptionError, "decryption_failed", d.decrypt, tampered(i, flip))
    raises(jwt.DecryptionError, "decryption_failed", d.decrypt, tampered(4, lambda b: b[:-1]))
    raises(jwt.DecryptionError, "decryption_failed", d.decrypt, tampered(4, lambda b: b""))
    # the protected header is authenticated
    raises(jwt.DecryptionError, "decryption_failed", d.decrypt, with_header(".".join(parts), typ="x"))
    # the wrong key
    raises(jwt.DecryptionError, "decryption_failed", jwt.JweDecrypter(jwt.JweDecryptionKey.generate("A128KW")).decrypt, ".".join(parts))


def test_wrong_enc_and_wrong_key_size() -> None:
    d128 = jwt.JweDecryptionKey.generate("dir", "A128GCM")
    token = jwt.JweEncrypter(jwt.JweDecryptionKey.generate("dir", "A256GCM"), "A256GCM").encrypt(b"x")
    # the token's enc does not fit the key: the token's error
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter(d128).decrypt, token)
    unbound = jwt.JweDecryptionKey.secret("dir", b"k" * 16)  # a 16-byte dir key without enc
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter(unbound).decrypt, token)
    kw = jwt.JweDecryptionKey.generate("A128KW", "A128GCM")  # bound to one enc
    t256 = jwt.JweEncrypter(jwt.JweDecryptionKey.secret("A128KW", unb64u(kw.to_private_jwk()["k"])), "A256GCM").encrypt(b"x")
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter(kw).decrypt, t256)


def test_allowed_algorithms_and_encryptions_come_from_the_caller() -> None:
    a = jwt.JweDecryptionKey.generate("A256KW")
    token = jwt.JweEncrypter(a, "A256GCM").encrypt(b"x")
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter(a, encryptions=["A128GCM"]).decrypt, token)
    assert jwt.JweDecrypter(a, algorithms=["A256KW"], encryptions=["A256GCM"]).decrypt(token).plaintext == b"x"
    raises(jwt.InvalidArgumentError, "invalid_argument", jwt.JweDecrypter, a, algorithms=["A128KW"])
    # a header naming another algorithm finds no key for it
    raises(jwt.InvalidAlgorithmError, "algorithm_not_allowed", jwt.JweDecrypter(a).decrypt, with_header(token, alg="dir"))
    raises(jwt.InvalidAlgorithmError, "unsupported_encryption", jwt.JweDecrypter(a).decrypt, with_header(token, enc="A256CTR"))


def test_crit_must_be_understood() -> None:
    a = jwt.JweDecryptionKey.generate("A256KW")
    token = jwt.JweEncrypter(a, "A256GCM", headers={"crit": ["ext"], "ext": 1}).encrypt(b"x")
    raises(jwt.InvalidTokenError, "unsupported_critical_header", jwt.JweDecrypter(a).decrypt, token)
    assert jwt.JweDecrypter(a, critical=["ext"]).decrypt(token).header["ext"] == 1


def test_embedded_keys_are_never_used() -> None:
    """A `jwk` (or `jku`) header names the attacker's key: the decrypter uses only its own."""
    ours = jwt.JweDecryptionKey.generate("ECDH-ES+A256KW")
    theirs = jwt.JweDecryptionKey.generate("ECDH-ES+A256KW")
    token = jwt.JweEncrypter(theirs.to_public_jwk(), "A256GCM",
                             headers={"jwk": theirs.to_public_jwk(), "jku": "https://attacker.example/jwks"}).encrypt(b"x")
    raises(jwt.DecryptionError, "decryption_failed", jwt.JweDecrypter(ours).decrypt, token)


def test_structure_and_size_limits() -> None:
    a = jwt.JweDecryptionKey.generate("A256KW")
    d = jwt.JweDecrypter(a)
    token = jwt.JweEncrypter(a, "A256GCM").encrypt(b"x")
    raises(jwt.DecodeError, "malformed_token", d.decrypt, ".".join(token.split(".")[:4]))
    raises(jwt.DecodeError, "malformed_token", d.decrypt, token + ".x")
    raises(jwt.DecodeError, "malformed_token", d.decrypt, token + "=")
    raises(jwt.DecodeError, "malformed_token", d.decrypt, token.replace(".", ". ", 1))
    raises(jwt.DecodeError, "input_too_large", jwt.JweDecrypter(a, max_token_bytes=len(token) - 1).decrypt, token)
    assert jwt.JweDecrypter(a, max_token_bytes=len(token)).decrypt(token).plaintext == b"x"
    head = b64u(b'{"alg":"A256KW","alg":"A256KW","enc":"A256GCM"}')
    raises(jwt.DecodeError, "duplicate_member", d.decrypt, ".".join([head, *token.split(".")[1:]]))
    # dir with a non-empty encrypted key
    dk = jwt.JweDecryptionKey.generate("dir", "A128GCM")
    parts = jwt.JweEncrypter(dk, "A128GCM").encrypt(b"x").split(".")
    parts[1] = b64u(b"k" * 16)
    raises(jwt.DecodeError, "malformed_token", jwt.JweDecrypter(dk).decrypt, ".".join(parts))
    raises(jwt.DecodeError, "malformed_token", d.decrypt_json, "[]")
