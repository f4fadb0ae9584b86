"""Shared fixtures: the repository layout and one key per algorithm."""

from __future__ import annotations

import pathlib

import pytest

import jwt_core

ROOT = pathlib.Path(__file__).resolve().parents[3]
CORPUS = ROOT / "crates" / "jwt-core" / "tests" / "corpus" / "corpus.json"


# The Wycheproof vectors live in the repository (testdata/wycheproof/NOTE.md).
WYCHEPROOF = ROOT / "testdata" / "wycheproof"


HMAC_SECRET = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

_KEYS: dict[str, jwt_core.SigningKey] = {}


def signing_key(alg: str) -> jwt_core.SigningKey:
    """One generated key per algorithm, made once per session."""
    if alg not in _KEYS:
        if alg.startswith("HS"):
            _KEYS[alg] = jwt_core.SigningKey.hmac(alg, HMAC_SECRET)
        elif alg[:2] in ("RS", "PS") and "RS" + alg[2:] in _KEYS:
            # one RSA key serves every RSA algorithm (generation is the slow part)
            pem = _KEYS["RS" + alg[2:]].to_pkcs8_pem()
            _KEYS[alg] = jwt_core.SigningKey.from_pem(alg, pem)
        elif alg[:2] in ("RS", "PS") and any(k.startswith(("RS", "PS")) for k in _KEYS):
            other = next(v for k, v in _KEYS.items() if k.startswith(("RS", "PS")))
            _KEYS[alg] = jwt_core.SigningKey.from_pem(alg, other.to_pkcs8_pem())
        else:
            _KEYS[alg] = jwt_core.SigningKey.generate(alg)
    return _KEYS[alg]


@pytest.fixture(params=list(jwt_core.ALGORITHMS))
def alg(request: pytest.FixtureRequest) -> str:
    return str(request.param)
