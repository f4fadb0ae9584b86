"""PyJWT's ``jwt.utils`` helpers (base64url, integers as base64url, key-shape tests)."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Optional, Union


def force_bytes(value: Union[bytes, str]) -> bytes:
    """``str`` as UTF-8, ``bytes`` as is; ``TypeError`` for anything else."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError("Expected a string or bytes value")


def base64url_decode(input: Union[bytes, str]) -> bytes:
    """Decode base64url, padding optional (lenient, as PyJWT's: for key material, not
    for token segments, which the decoders check strictly)."""
    data = force_bytes(input)
    return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))


def base64url_encode(input: bytes) -> bytes:
    """base64url without padding."""
    return base64.urlsafe_b64encode(input).rstrip(b"=")


def bytes_from_int(val: int, *, bit_length: Optional[int] = None) -> bytes:
    """Big-endian bytes of a non-negative integer (``bit_length`` bits wide if given)."""
    bits = val.bit_length() if bit_length is None else bit_length
    return val.to_bytes((bits + 7) // 8, "big", signed=False)


def to_base64url_uint(val: int, *, bit_length: Optional[int] = None) -> bytes:
    """A non-negative integer as base64url of its big-endian bytes (at least one byte)."""
    if val < 0:
        raise ValueError("Must be a positive integer")
    return base64url_encode(bytes_from_int(val, bit_length=bit_length) or b"\x00")


def from_base64url_uint(val: Union[bytes, str]) -> int:
    """The integer whose big-endian bytes ``val`` encodes."""
    return int.from_bytes(base64url_decode(force_bytes(val)), "big")


def number_to_bytes(num: int, num_bytes: int) -> bytes:
    return num.to_bytes(num_bytes, "big")


def bytes_to_number(string: bytes) -> int:
    return int(binascii.b2a_hex(string), 16) if string else 0


def der_to_raw_signature(der_sig: bytes, curve: Any) -> bytes:
    """An ECDSA DER signature as JWS ``r || s`` (needs ``cryptography``)."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    size = (curve.key_size + 7) // 8
    r, s = decode_dss_signature(der_sig)
    return number_to_bytes(r, size) + number_to_bytes(s, size)


def raw_to_der_signature(raw_sig: bytes, curve: Any) -> bytes:
    """A JWS ``r || s`` ECDSA signature as DER (needs ``cryptography``)."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    size = (curve.key_size + 7) // 8
    if len(raw_sig) != 2 * size:
        raise ValueError("Invalid signature")
    return bytes(encode_dss_signature(bytes_to_number(raw_sig[:size]), bytes_to_number(raw_sig[size:])))


_SSH_PREFIXES = (
    b"ssh-ed25519",
    b"ssh-rsa",
    b"ssh-dss",
    b"ecdsa-sha2-nistp256",
    b"ecdsa-sha2-nistp384",
    b"ecdsa-sha2-nistp521",
)


def is_ssh_key(key: bytes) -> bool:
    """Whether ``key`` starts like an OpenSSH public key line."""
    return key.startswith(_SSH_PREFIXES)
