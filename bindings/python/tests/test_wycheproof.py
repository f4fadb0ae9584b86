"""Wycheproof JWS/JWK vectors (from the repository's testdata/wycheproof/; a missing file
fails). Every `valid` vector verifies and every `invalid` one is rejected, except
the same documented policy decisions and vector defects as the core's tests/wycheproof.rs."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest

import jwt_core
from conftest import WYCHEPROOF

# (file, tcId) -> error code we assert for a `valid` vector we reject on purpose.
POLICY = {
    ("json_web_signature_test.json", 346): "algorithm_not_allowed",  # JWK alg PS256, token PS384
    ("json_web_signature_test.json", 347): "unsupported_algorithm",  # JWK alg `ES521` is not registered
    ("json_web_signature_test.json", 349): "key_usage_not_allowed",  # key_ops ["sign, verify"]: one string
    ("json_web_signature_test.json", 350): "algorithm_not_allowed",
    ("json_web_signature_test.json", 351): "unsupported_algorithm",
}
# (file, tcId) -> outcome the JOSE rules give where the vector contradicts itself
# (None = accepted, else the error code).
DEFECTS: dict[tuple[str, int], Optional[str]] = {
    ("json_web_signature_test.json", 367): None,  # "invalid padding" but identical to valid 357
    ("json_web_signature_test.json", 370): None,
    ("json_web_signature_test.json", 372): "malformed_token",  # "valid" but `?` in the header
    ("json_web_signature_test.json", 373): "malformed_token",
}

FILES = ["json_web_signature_test.json", "json_web_key_test.json", "json_web_crypto_test.json"]


def _vectors() -> list[Any]:
    out = []
    for name in FILES:
        path = WYCHEPROOF / name  # a missing file fails collection: never a silent skip
        for g in json.loads(path.read_text())["testGroups"]:
            for t in g["tests"]:
                if "jws" in t:
                    out.append(pytest.param(name, g["private"], t, id=f"{name.split('_test')[0]}-{t['tcId']}"))
    return out


VECTORS = _vectors()


def _outcome(private: dict[str, Any], jws: Any) -> Optional[str]:
    try:
        if "keys" in private:
            verifier = jwt_core.Verifier(private)
        else:
            verifier = jwt_core.Verifier(jwt_core.VerifyingKey.from_jwk(private))
        if isinstance(jws, str):
            verifier.verify_jws(jws)
        else:
            # The JSON serialization: the compact API rejects it; verify_json checks it.
            verifier.verify_json(jws)
            verifier.verify_jws(json.dumps(jws))
        return None
    except jwt_core.PyJWTError as e:
        return e.code


@pytest.mark.parametrize("name,private,t", VECTORS)
def test_wycheproof_jws(name: str, private: dict[str, Any], t: dict[str, Any]) -> None:
    key = (name, int(t["tcId"]))
    got = _outcome(private, t["jws"])
    if key in POLICY:
        assert got == POLICY[key]
    elif key in DEFECTS:
        assert got == DEFECTS[key]
    elif t["result"] == "valid":
        assert got is None, t["comment"]
    else:  # invalid; `acceptable` (RSA MissingNull only) is decided as rejected
        assert got is not None, t["comment"]
