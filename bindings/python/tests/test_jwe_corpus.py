"""The shared JWE conformance corpus (crates/jwt-core/tests/corpus/jwe-corpus.json), case
by case: same keys, options and token, same outcome and error code as the Rust core."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import jwt_core
from conftest import ROOT

JWE_CORPUS = ROOT / "crates" / "jwt-core" / "tests" / "corpus" / "jwe-corpus.json"
DOC: dict[str, Any] = json.loads(JWE_CORPUS.read_text()) if JWE_CORPUS.exists() else {}
CASES: list[dict[str, Any]] = DOC.get("cases", [])


def _b64u(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """{"ok": True, "plaintext": bytes, "header": dict} or {"ok": False, "error": code}."""
    try:
        keys = [jwt_core.JweDecryptionKey.from_jwk(json.dumps(k["jwk"]), k.get("alg")) for k in case["keys"]]
        decrypter = jwt_core.JweDecrypter(keys, **case.get("options", {}))
        if "token" in case:
            out = decrypter.decrypt(case["token"])
        else:
            out = decrypter.decrypt_json(json.dumps(case["json"]))
        return {"ok": True, "plaintext": out.plaintext, "header": out.header}
    except jwt_core.PyJWTError as e:
        assert type(e) is jwt_core.exception_class(e.code), (case["id"], type(e), e.code)
        return {"ok": False, "error": e.code}


def test_corpus_format() -> None:
    if not DOC:
        pytest.skip(f"JWE corpus not found at {JWE_CORPUS}")
    assert DOC["version"] == 1
    assert CASES and all(("token" in c) != ("json" in c) for c in CASES)


@pytest.mark.skipif(not CASES, reason=f"JWE corpus not found at {JWE_CORPUS}")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_jwe_corpus_case(case: dict[str, Any]) -> None:
    got = run_case(case)
    want = case["expect"]
    if want["ok"]:
        assert got == {"ok": True, "plaintext": _b64u(want["plaintext_b64u"]), "header": want["header"]}, case[
            "description"
        ]
    else:
        assert got == {"ok": False, "error": want["error"]}, case["description"]
