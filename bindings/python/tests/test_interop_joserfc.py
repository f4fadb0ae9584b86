"""JWE interoperability with joserfc (a pinned test dependency): tokens encrypted by
joserfc decrypt with jwt_core and the reverse, for every alg/enc pair both support, in the
compact and both JSON serializations. RSA-OAEP and RSA-OAEP-256 included (the extension is
built on jwt-core's aws-lc backend); RSA1_5 is offered by neither by default."""

from __future__ import annotations

import functools
import json
import warnings
from typing import Any

import pytest
from joserfc import jwe as jose_jwe
from joserfc import jwk as jose_jwk
from joserfc.errors import JoseError

import jwt_core

KW = ["A128KW", "A192KW", "A256KW"]
GCMKW = ["A128GCMKW", "A192GCMKW", "A256GCMKW"]
ECDH = ["ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"]
PBES2 = ["PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW"]
RSA = ["RSA-OAEP", "RSA-OAEP-256"]
ENCS = list(jwt_core.JWE_ENCRYPTIONS)
CURVES = ["P-256", "P-384", "P-521", "X25519"]
# joserfc's default p2c; jwt_core's default (600000) is above joserfc's cap of 300000.
P2C = 2048
PASSWORD = b"correct horse battery staple"
PLAINTEXT = "Live long and prosper. \u00e9\u00e8 \U0001f596".encode()


def test_every_jwt_core_algorithm_is_covered() -> None:
    assert sorted(["dir", *KW, *GCMKW, *ECDH, *PBES2, *RSA]) == sorted(jwt_core.JWE_ALGORITHMS)


def pairs() -> list[tuple[str, str, str]]:
    """(alg, enc, crv): every alg with every enc (ECDH on P-256), plus every curve for ECDH."""
    out = [(alg, enc, "P-256") for alg in ["dir", *KW, *GCMKW, *ECDH, *PBES2, *RSA] for enc in ENCS]
    out += [(alg, "A256GCM", crv) for alg in ECDH for crv in CURVES if crv != "P-256"]
    return out


@functools.cache
def _rsa_key(alg: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """One 2048-bit key per RSA alg for the whole module (generation is the slow part)."""
    return jwt_core.generate_jwe_key(alg)


class Keys:
    """One recipient key in both libraries' forms."""

    def __init__(self, alg: str, enc: str, crv: str, kid: Any = None) -> None:
        self.alg, self.enc, self.kid = alg, enc, kid
        if alg.startswith("PBES2"):
            self.core_private: Any = jwt_core.JweDecryptionKey.password(alg, PASSWORD)
            self.core_public: Any = PASSWORD
            self.jose: Any = jose_jwk.OctKey.import_key(PASSWORD)
            return
        if alg in RSA:
            private, public = _rsa_key(alg)
        else:
            private, public = jwt_core.generate_jwe_key(alg, enc if alg == "dir" else None, crv)
        if kid is not None:
            private, public = {**private, "kid": kid}, {**public, "kid": kid}
        self.core_private = private
        self.core_public = public
        jose_kty = {"oct": jose_jwk.OctKey, "EC": jose_jwk.ECKey, "OKP": jose_jwk.OKPKey, "RSA": jose_jwk.RSAKey}[private["kty"]]
        # joserfc reads a JWK's `alg` as a JWS/JWE name: give it the bare key material
        self.jose = jose_kty.import_key({k: v for k, v in private.items() if k not in ("alg", "use")})

    def decrypter(self) -> jwt_core.JweDecrypter:
        key = self.core_private
        if isinstance(key, dict):
            key = jwt_core.JweDecryptionKey.from_jwk(key)
        return jwt_core.JweDecrypter([key], allow_pbes2=P2C if self.alg.startswith("PBES2") else None)

    def encrypter(self, headers: Any = None) -> jwt_core.JweEncrypter:
        if self.alg.startswith("PBES2"):
            return jwt_core.JweEncrypter(self.core_public, self.enc, alg=self.alg, p2c=P2C, headers=headers)
        return jwt_core.JweEncrypter(self.core_public, self.enc, headers=headers)

    def registry(self, *extra: str) -> jose_jwe.JWERegistry:
        # joserfc only enables its "recommended" algorithms unless told otherwise
        # (and refuses header names it does not know, such as "x-shared")
        return jose_jwe.JWERegistry(algorithms=[self.alg, self.enc, *extra], strict_check_header=False)


PAIRS = pairs()
IDS = [f"{a}-{e}-{c}" for a, e, c in PAIRS]


@pytest.fixture(autouse=True)
def _quiet() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc flags some algorithms as not recommended
        yield


@pytest.mark.parametrize(("alg", "enc", "crv"), PAIRS, ids=IDS)
def test_joserfc_compact_decrypts_with_jwt_core(alg: str, enc: str, crv: str) -> None:
    k = Keys(alg, enc, crv)
    token = jose_jwe.encrypt_compact({"alg": alg, "enc": enc, "typ": "x"}, PLAINTEXT, k.jose, registry=k.registry())
    out = k.decrypter().decrypt(token)
    assert out.plaintext == PLAINTEXT
    assert (out.header["alg"], out.header["enc"], out.header["typ"]) == (alg, enc, "x")


@pytest.mark.parametrize(("alg", "enc", "crv"), PAIRS, ids=IDS)
def test_jwt_core_compact_decrypts_with_joserfc(alg: str, enc: str, crv: str) -> None:
    k = Keys(alg, enc, crv)
    token = k.encrypter(headers={"typ": "x"}).encrypt(PLAINTEXT)
    obj = jose_jwe.decrypt_compact(token, k.jose, registry=k.registry())
    assert obj.plaintext == PLAINTEXT
    assert (obj.protected["alg"], obj.protected["enc"], obj.protected["typ"]) == (alg, enc, "x")


@pytest.mark.parametrize("alg", ["dir", "A256KW", "ECDH-ES+A128KW", "PBES2-HS256+A128KW"])
def test_compressed_both_ways(alg: str) -> None:
    k = Keys(alg, "A128CBC-HS256", "P-256")
    data = b"compress me " * 200
    token = jose_jwe.encrypt_compact({"alg": alg, "enc": k.enc, "zip": "DEF"}, data, k.jose, registry=k.registry("DEF"))
    assert len(token) < len(data)
    assert k.decrypter().decrypt(token).plaintext == data
    token = k.encrypter(headers={"zip": "DEF"}).encrypt(data)
    assert len(token) < len(data)
    assert jose_jwe.decrypt_compact(token, k.jose, registry=k.registry("DEF")).plaintext == data


# JSON serializations: every algorithm, with one enc (the enc code path is the same as
# compact's; the JSON one differs in the header layout and the AAD).
JSON_CASES = [(alg, "A256GCM", "P-256") for alg in ["dir", *KW, *GCMKW, *ECDH, *PBES2, *RSA]] + [
    ("ECDH-ES+A256KW", "A128CBC-HS256", "X25519")
]
JSON_IDS = [f"{a}-{e}-{c}" for a, e, c in JSON_CASES]


@pytest.mark.parametrize(("alg", "enc", "crv"), JSON_CASES, ids=JSON_IDS)
def test_joserfc_flattened_json_decrypts_with_jwt_core(alg: str, enc: str, crv: str) -> None:
    k = Keys(alg, enc, crv)
    obj = jose_jwe.FlattenedJSONEncryption({"enc": enc}, PLAINTEXT, {"x-shared": "s"}, aad=b"extra")
    obj.add_recipient({"alg": alg})
    doc = jose_jwe.encrypt_json(obj, k.jose, registry=k.registry())
    out = k.decrypter().decrypt_json(json.dumps(doc))
    assert (out.plaintext, out.aad, out.header["x-shared"], out.header["alg"]) == (PLAINTEXT, b"extra", "s", alg)
    assert k.decrypter().decrypt_json(doc).plaintext == PLAINTEXT  # a dict works too


@pytest.mark.parametrize(("alg", "enc", "crv"), JSON_CASES, ids=JSON_IDS)
def test_jwt_core_json_decrypts_with_joserfc(alg: str, enc: str, crv: str) -> None:
    k = Keys(alg, enc, crv)
    e = k.encrypter(headers={"typ": "x"})
    for general in (False, True):
        doc = json.loads(e.encrypt_json(PLAINTEXT, aad=b"extra", unprotected={"x-shared": "s"}, general=general))
        assert ("recipients" in doc) is general
        obj = jose_jwe.decrypt_json(doc, k.jose, registry=k.registry())
        assert (obj.plaintext, obj.aad, obj.protected["typ"], obj.unprotected) == (PLAINTEXT, b"extra", "x", {"x-shared": "s"})


def test_general_json_two_recipients_both_ways() -> None:
    a, b = Keys("A256KW", "A256GCM", "P-256", kid="a"), Keys("ECDH-ES+A128KW", "A256GCM", "X25519", kid="b")
    both = ["A256KW", "ECDH-ES+A128KW", "A256GCM"]
    doc = json.loads(jwt_core.encrypt_general([a.encrypter(), b.encrypter()], PLAINTEXT))
    assert [r["header"]["kid"] for r in doc["recipients"]] == ["a", "b"]
    # joserfc needs a key for every recipient, and decrypts (checks) each of them
    jose_keys = jose_jwk.KeySet([a.jose, b.jose])
    assert jose_jwe.decrypt_json(doc, jose_keys, registry=jose_jwe.JWERegistry(algorithms=both)).plaintext == PLAINTEXT
    for k in (a, b):
        assert k.decrypter().decrypt_json(doc).plaintext == PLAINTEXT
    # joserfc to jwt_core: each jwt_core decrypter finds its own recipient by kid
    obj = jose_jwe.GeneralJSONEncryption({"enc": "A256GCM"}, PLAINTEXT)
    for k in (a, b):
        obj.add_recipient({"alg": k.alg, "kid": k.kid}, k.jose)
    doc = jose_jwe.encrypt_json(obj, None, registry=jose_jwe.JWERegistry(algorithms=both))
    for k in (a, b):
        out = k.decrypter().decrypt_json(doc)
        assert (out.plaintext, out.header["kid"], out.header["alg"]) == (PLAINTEXT, k.kid, k.alg)


def test_joserfc_rejects_a_tampered_jwt_core_token_and_vice_versa() -> None:
    """A sanity check that the interop tests above can fail: one flipped ciphertext bit."""
    k = Keys("A256KW", "A256GCM", "P-256")
    parts = k.encrypter().encrypt(PLAINTEXT).split(".")
    ct = bytearray(parts[3].encode())
    ct[0] = ord("A") if ct[0] != ord("A") else ord("B")
    tampered = ".".join([*parts[:3], ct.decode(), parts[4]])
    with pytest.raises(JoseError):
        jose_jwe.decrypt_compact(tampered, k.jose, registry=k.registry())
    with pytest.raises(jwt_core.DecryptionError) as info:
        k.decrypter().decrypt(tampered)
    assert info.value.code == "decryption_failed"
