"""Token crafting for the tests: raw header/payload/signature assembly, so attacks can be
built exactly as an attacker would."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any, Optional

import jwt_core

FAR = 4102444800  # 2100-01-01


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seg(obj: Any) -> str:
    return b64u(obj if isinstance(obj, bytes) else json.dumps(obj, separators=(",", ":")).encode())


def hs256(secret: bytes, header: Any, payload: Any) -> str:
    """A token MACed with `secret` over whatever header and payload are given."""
    head = f"{seg(header)}.{seg(payload)}"
    return head + "." + b64u(hmac.new(secret, head.encode(), hashlib.sha256).digest())


def signed(key: jwt_core.SigningKey, header: Any, payload: Any, sig: Optional[bytes] = None) -> str:
    """A token signed by `key` over arbitrary header/payload bytes (or with `sig`)."""
    head = f"{seg(header)}.{seg(payload)}"
    return head + "." + b64u(sig if sig is not None else key.sign(head.encode()))
