"""The shared conformance corpus (crates/jwt-core/tests/corpus/corpus.json), case by case:
same inputs, same outcome, same error code as the Rust core."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import jwt_core
from conftest import CORPUS

CASES: list[dict[str, Any]] = json.loads(CORPUS.read_text())["cases"] if CORPUS.exists() else []
NOW: int = json.loads(CORPUS.read_text())["now"] if CORPUS.exists() else 0


def _b64u(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _key(spec: dict[str, Any]) -> jwt_core.VerifyingKey:
    if "jwk" in spec:
        return jwt_core.VerifyingKey.from_jwk(json.dumps(spec["jwk"]), spec.get("alg"))
    if "pem" in spec:
        k = jwt_core.VerifyingKey.from_pem(spec["alg"], spec["pem"])
    else:
        k = jwt_core.VerifyingKey.hmac(spec["alg"], _b64u(spec["secret_b64u"]), allow_short=spec.get("allow_short", False))
    return k.with_kid(spec["kid"]) if "kid" in spec else k


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """The outcome of one case: {"ok": True, "claims": ...} or {"ok": False, "error": code}."""
    try:
        return {"ok": True, "claims": _verify(case)}
    except jwt_core.PyJWTError as e:
        return {"ok": False, "error": e.code}


def _verify(case: dict[str, Any]) -> Any:
    """Verify one case's token with its keys and validation (errors propagate)."""
    keys = [_key(k) for k in case["keys"]]
    v = case.get("validation", {})
    verifier = jwt_core.Verifier(
        keys,
        algorithms=v.get("algorithms"),
        issuer=v.get("issuer"),
        audience=v.get("audience"),
        subject=v.get("subject"),
        leeway=v.get("leeway", 0),
        required_claims=v.get("required_claims"),
        max_age=v.get("max_age"),
        typ=v.get("typ"),
        critical=v.get("critical"),
        claims_equal=v.get("claims_equal"),
    )
    return verifier.verify(case["token"], now=case.get("now", NOW))


@pytest.mark.skipif(not CASES, reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(case: dict[str, Any]) -> None:
    got = run_case(case)
    want = case["expect"]
    if want["ok"]:
        assert got == {"ok": True, "claims": want["claims"]}, case["description"]
    else:
        assert got == {"ok": False, "error": want["error"]}, case["description"]


@pytest.mark.skipif(not CASES, reason=f"corpus not found at {CORPUS}")
def test_corpus_failures_raise_the_mapped_class() -> None:
    """Each failing case raises exactly the class the one code table names."""
    for case in CASES:
        if case["expect"]["ok"]:
            continue
        try:
            keys = [_key(k) for k in case["keys"]]
            v = case.get("validation", {})
            jwt_core.Verifier(keys, **{k: v[k] for k in v}).verify(case["token"], now=case.get("now", NOW))
        except jwt_core.PyJWTError as e:
            assert type(e) is jwt_core.exception_class(e.code, getattr(e, "claim", None)), case["id"]
            if e.code not in ("invalid_argument", "serialization_failed", "crypto_failure") and not isinstance(
                e, jwt_core.InvalidKeyError
            ):
                assert isinstance(e, jwt_core.InvalidTokenError), case["id"]
        else:  # pragma: no cover - the case test reports it
            pass
