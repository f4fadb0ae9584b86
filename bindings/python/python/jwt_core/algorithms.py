"""PyJWT's ``jwt.algorithms``: the ``Algorithm`` interface and one class per family.

Key objects are what PyJWT gives: ``bytes`` for HMAC, ``cryptography`` key objects for
RSA, EC and OKP when ``cryptography`` is installed (``RSAAlgorithm.from_jwk(...)`` and
``prepare_key(pem)`` return them), jwt_core's own ``VerifyingKey``/``SigningKey``
otherwise; native keys are accepted everywhere. ``sign`` and ``verify`` run on the
jwt-core engine, never on ``cryptography``: the key is converted once (and cached) into a
native key bound to this algorithm, so the core's rules apply here too (an HMAC secret
that is a public key in any spelling is refused, RSA keys under 2048 bits cannot sign or
verify, ECDSA signatures must be the fixed-size ``r || s`` form).

``has_crypto`` says whether ``cryptography`` is installed; every algorithm works without it.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar, NoReturn, Optional, Union

from . import _jwt_core as _native
from .exceptions import InvalidKeyError, InvalidSignatureError, PyJWTError, _error
from .utils import base64url_decode, base64url_encode, force_bytes, from_base64url_uint, to_base64url_uint

try:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
        load_pem_private_key,
        load_pem_public_key,
        load_ssh_public_key,
    )

    has_crypto = True
except ModuleNotFoundError:  # pragma: no cover - exercised only without cryptography
    has_crypto = False

JWKDict = dict[str, Any]

if has_crypto:
    AllowedRSAKeys = Union[rsa.RSAPrivateKey, rsa.RSAPublicKey]
    AllowedECKeys = Union[ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey]
    AllowedOKPKeys = Union[
        ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey, ed448.Ed448PrivateKey, ed448.Ed448PublicKey
    ]
    AllowedKeys = Union[AllowedRSAKeys, AllowedECKeys, AllowedOKPKeys]
    AllowedPrivateKeys = Union[
        rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey
    ]
    AllowedPublicKeys = Union[
        rsa.RSAPublicKey, ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey, ed448.Ed448PublicKey
    ]
else:  # pragma: no cover
    AllowedRSAKeys = AllowedECKeys = AllowedOKPKeys = AllowedKeys = Any  # type: ignore[misc]
    AllowedPrivateKeys = AllowedPublicKeys = Any  # type: ignore[misc]

_NativeKey = (_native.VerifyingKey, _native.SigningKey)

#: PyJWT's list of the algorithms that need ``cryptography`` there (here: none do): every
#: algorithm of this build but HMAC, by the core's list, and PyJWT's alias ``ES521``.
requires_cryptography = {a for a in _native.ALGORITHMS if not a.startswith("HS")} | {"ES521"}


def get_default_algorithms() -> dict[str, Algorithm]:
    """A fresh ``{name: Algorithm}`` of every implemented algorithm (``none`` included, as
    in PyJWT: it is listed, but jwt-core never makes nor verifies an unsecured token)."""
    algs: dict[str, Algorithm] = {
        "none": NoneAlgorithm(),
        "HS256": HMACAlgorithm(HMACAlgorithm.SHA256),
        "HS384": HMACAlgorithm(HMACAlgorithm.SHA384),
        "HS512": HMACAlgorithm(HMACAlgorithm.SHA512),
        "RS256": RSAAlgorithm(RSAAlgorithm.SHA256),
        "RS384": RSAAlgorithm(RSAAlgorithm.SHA384),
        "RS512": RSAAlgorithm(RSAAlgorithm.SHA512),
        "ES256": ECAlgorithm(ECAlgorithm.SHA256, _curve("SECP256R1")),
        "ES256K": ECAlgorithm(ECAlgorithm.SHA256, _curve("SECP256K1")),
        "ES384": ECAlgorithm(ECAlgorithm.SHA384, _curve("SECP384R1")),
        "ES521": ECAlgorithm(ECAlgorithm.SHA512, _curve("SECP521R1")),
        "ES512": ECAlgorithm(ECAlgorithm.SHA512, _curve("SECP521R1")),  # PyJWT's alias: ES521 = ES512
        "PS256": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA256),
        "PS384": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA384),
        "PS512": RSAPSSAlgorithm(RSAPSSAlgorithm.SHA512),
        "EdDSA": OKPAlgorithm(),
    }
    return algs


def _curve(name: str) -> Any:
    return getattr(ec, name) if has_crypto else name


def _load_json(jwk: Union[str, bytes, JWKDict]) -> JWKDict:
    try:
        if isinstance(jwk, dict):
            return jwk
        if isinstance(jwk, (str, bytes)):
            obj = json.loads(jwk)
            if isinstance(obj, dict):
                return obj
        raise ValueError
    except ValueError:
        raise InvalidKeyError("Key is not valid JSON") from None


# Native keys made from key objects, per (algorithm, key): converting a `cryptography` key
# or parsing a PEM is the slow part, signing with the result is not. Bounded; the key
# object is kept alive by the entry so that its id() cannot be reused while cached.
_NATIVE: dict[tuple[str, bool, int], tuple[Any, Any]] = {}
_NATIVE_MAX = 256


def _native_key(jose: str, key: Any, private: bool, make: Any) -> Any:
    ck = (jose, private, id(key))
    hit = _NATIVE.get(ck)
    if hit is not None and hit[0] is key:
        return hit[1]
    native = make()
    if len(_NATIVE) >= _NATIVE_MAX:
        _NATIVE.clear()
    _NATIVE[ck] = (key, native)
    return native


class Algorithm(ABC):
    """The interface for an algorithm used to sign and verify tokens."""

    _crypto_key_types: Optional[tuple[type, ...]] = None
    #: The JOSE name the native engine knows this algorithm by (``None``: not native).
    _jose: Optional[str] = None

    def compute_hash_digest(self, bytestr: bytes) -> bytes:
        """The digest of ``bytestr`` with this algorithm's hash (``NotImplementedError``
        for an algorithm without one)."""
        hash_alg = getattr(self, "hash_alg", None)
        if hash_alg is None:
            raise NotImplementedError
        if has_crypto and isinstance(hash_alg, type) and issubclass(hash_alg, hashes.HashAlgorithm):
            h = hashes.Hash(hash_alg())
            h.update(bytestr)
            return bytes(h.finalize())
        return bytes(hash_alg(bytestr).digest())

    def check_crypto_key_type(self, key: Any) -> None:
        """``InvalidKeyError`` unless ``key`` is a ``cryptography`` key of this family."""
        if not has_crypto or self._crypto_key_types is None:
            raise ValueError(
                "This method requires the cryptography library, and should only be used by "
                "cryptography-based algorithms."
            )
        if not isinstance(key, self._crypto_key_types):
            names = ", ".join(c.__name__ for c in self._crypto_key_types)
            raise _error(
                InvalidKeyError,
                f"Expected one of ({names}), got: {type(key).__name__}. Invalid Key type for {type(self).__name__}",
                "key_algorithm_mismatch",
            )

    @abstractmethod
    def prepare_key(self, key: Any) -> Any:
        """Validate and convert ``key`` into what ``sign``/``verify`` take."""

    @abstractmethod
    def sign(self, msg: bytes, key: Any) -> bytes:
        """The signature of ``msg``."""

    @abstractmethod
    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        """Whether ``sig`` is a valid signature of ``msg``."""

    @staticmethod
    @abstractmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Union[JWKDict, str]:
        """The key as a JWK (a dict, or JSON text)."""

    @staticmethod
    @abstractmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> Any:
        """A key object from a JWK."""

    def check_key_length(self, key: Any) -> Optional[str]:
        """A warning if the key is below the recommended length, else ``None``."""
        return None

    # -- the native side (jwt_core's own): keys bound to this algorithm

    def _verifying_key(self, prepared: Any) -> Any:
        """A native ``VerifyingKey`` for a key ``prepare_key`` returned."""
        raise NotImplementedError

    def _signing_key(self, prepared: Any) -> Any:
        """A native ``SigningKey`` for a key ``prepare_key`` returned."""
        raise NotImplementedError

    def _native_sign(self, msg: bytes, prepared: Any) -> bytes:
        return bytes(self._signing_key(prepared).sign(bytes(msg)))

    def _native_verify(self, msg: bytes, prepared: Any, sig: bytes) -> bool:
        try:
            self._verifying_key(prepared).verify(bytes(msg), bytes(sig))
        except InvalidSignatureError:
            return False
        return True


class NoneAlgorithm(Algorithm):
    """``alg: none``. Listed for PyJWT compatibility; ``verify`` is always ``False`` and
    ``PyJWS`` never makes an unsecured token."""

    def prepare_key(self, key: Optional[str]) -> None:
        if key == "":
            key = None
        if key is not None:
            raise InvalidKeyError('When alg = "none", key value must be None.')
        return key

    def sign(self, msg: bytes, key: None) -> bytes:
        return b""

    def verify(self, msg: bytes, key: None, sig: bytes) -> bool:
        return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> NoReturn:
        raise NotImplementedError()

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> NoReturn:
        raise NotImplementedError()


_JWK_SECRET = (
    "The specified key looks like a JWK and should not be used directly as an HMAC secret. "
    "Load it via PyJWK / HMACAlgorithm.from_jwk first."
)
_ASYMMETRIC_SECRET = (
    "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret."
)


class HMACAlgorithm(Algorithm):
    """HMAC with SHA-256/384/512. Keys are ``bytes``; ``prepare_key`` refuses an empty key
    and anything that is asymmetric key material in any spelling (the core's guard: PEM,
    OpenSSH, DER, X.509, JWK/JWK set, and base64 or hex of these)."""

    SHA256: ClassVar[Any] = hashlib.sha256
    SHA384: ClassVar[Any] = hashlib.sha384
    SHA512: ClassVar[Any] = hashlib.sha512

    def __init__(self, hash_alg: Any) -> None:
        self.hash_alg = hash_alg
        self._jose = {"sha256": "HS256", "sha384": "HS384", "sha512": "HS512"}.get(hash_alg().name)

    def _alg(self) -> str:
        if self._jose is None:
            raise NotImplementedError("HMAC with this hash is not implemented")
        return self._jose

    def prepare_key(self, key: Union[str, bytes]) -> bytes:
        if isinstance(key, _NativeKey):
            return key  # type: ignore[return-value]
        if isinstance(key, dict):
            # a JWK given as a dict (other algorithms take one as a key) meets the core's
            # guard as its JSON text; any other dict is PyJWT's TypeError below
            self._core_check(json.dumps(key).encode())
        key_bytes = force_bytes(key)
        self._core_check(key_bytes)
        return key_bytes

    def _core_check(self, secret: bytes) -> None:
        """The core decides whether ``secret`` may be one (not empty, not key material in
        any spelling); only its message is PyJWT's here."""
        try:
            _native.VerifyingKey.hmac(self._alg(), secret, allow_short=True)
        except InvalidKeyError as e:
            raise _secret_error(e) from None

    @staticmethod
    def to_jwk(key_obj: Union[str, bytes], as_dict: bool = False) -> Union[JWKDict, str]:
        jwk = {"k": base64url_encode(force_bytes(key_obj)).decode(), "kty": "oct"}
        return jwk if as_dict else json.dumps(jwk)

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> bytes:
        obj = _load_json(jwk)
        if obj.get("kty") != "oct":
            raise InvalidKeyError("Not an HMAC key")
        k = obj.get("k")
        if not isinstance(k, str):
            raise InvalidKeyError("HMAC key must not be empty." if k is None else "HMAC key must be a string")
        key_bytes = base64url_decode(k)
        if not key_bytes:
            raise _empty()
        return key_bytes

    def check_key_length(self, key: bytes) -> Optional[str]:
        if isinstance(key, _NativeKey):
            return None
        min_length = self.hash_alg().digest_size
        if len(key) < min_length:
            return (
                f"The HMAC key is {len(key)} bytes long, which is below the minimum recommended "
                f"length of {min_length} bytes for {self.hash_alg().name.upper()}. See RFC 7518 Section 3.2."
            )
        return None

    def _verifying_key(self, prepared: Any) -> Any:
        if isinstance(prepared, _NativeKey):
            bound = _bound(prepared, self._alg())
            return bound.verifying_key() if isinstance(bound, _native.SigningKey) else bound
        return _native.VerifyingKey.hmac(self._alg(), force_bytes(prepared), allow_short=True)

    def _signing_key(self, prepared: Any) -> Any:
        if isinstance(prepared, _native.SigningKey):
            return _bound(prepared, self._alg())
        if isinstance(prepared, _native.VerifyingKey):
            raise _error(InvalidKeyError, "a VerifyingKey cannot sign", "invalid_key")
        return _native.SigningKey.hmac(self._alg(), force_bytes(prepared), allow_short=True)

    def sign(self, msg: bytes, key: bytes) -> bytes:
        return self._native_sign(msg, key)

    def verify(self, msg: bytes, key: bytes, sig: bytes) -> bool:
        return self._native_verify(msg, key, sig)


def _empty() -> PyJWTError:
    return _error(InvalidKeyError, "HMAC key must not be empty.", "weak_key")


def _secret_error(e: PyJWTError) -> PyJWTError:
    """The core's refusal of an HMAC secret in PyJWT's words (same code and kind)."""
    if e.code == "weak_key":  # with ``allow_short`` only an empty secret is too short
        return _empty()
    if e.code != "key_algorithm_mismatch":
        return e
    message = _JWK_SECRET if "JWK" in str(e) else _ASYMMETRIC_SECRET
    return _error(InvalidKeyError, message, "key_algorithm_mismatch")


def _bound(key: Any, jose: str) -> Any:
    """A native key given directly: it must already be bound to this algorithm."""
    if key.algorithm != jose:
        raise _error(InvalidKeyError, f"the key is bound to {key.algorithm}, not {jose}", "key_algorithm_mismatch")
    return key


def _is_private(key: Any) -> bool:
    return isinstance(key, _native.SigningKey) or (
        has_crypto
        and isinstance(
            key,
            (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey),
        )
    )


class _AsymmetricAlgorithm(Algorithm):
    """Shared by RSA, RSA-PSS, EC and OKP: native keys from ``cryptography`` keys, PEM or
    native keys, cached per key."""

    def _verifying_key(self, prepared: Any) -> Any:
        jose = self._native_alg(prepared)
        if isinstance(prepared, _native.VerifyingKey):
            return _bound(prepared, jose)
        if isinstance(prepared, _native.SigningKey):
            return _bound(prepared, jose).verifying_key()
        if _is_private(prepared):
            return self._signing_key(prepared).verifying_key()

        def make() -> Any:
            der = prepared.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
            return _native.VerifyingKey.from_der(jose, der)

        return _native_key(jose, prepared, False, make)

    def _signing_key(self, prepared: Any) -> Any:
        jose = self._native_alg(prepared)
        if isinstance(prepared, _native.SigningKey):
            return _bound(prepared, jose)
        if not _is_private(prepared):
            raise _error(InvalidKeyError, "a public key cannot sign", "invalid_key")

        def make() -> Any:
            der = prepared.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
            return _native.SigningKey.from_der(jose, der)

        return _native_key(jose, prepared, True, make)

    def _native_alg(self, prepared: Any) -> str:
        assert self._jose is not None
        return self._jose

    def _jwk_alg(self, jwk: JWKDict) -> str:
        assert self._jose is not None
        return self._jose

    def _from_jwk_dict(self, jwk: JWKDict) -> Any:
        """A JWK given as a key (a jwt_core extension): a native key bound to this
        algorithm, the JWK's ``alg``, ``use`` and ``key_ops`` honoured by the core."""
        cls = _native.SigningKey if "d" in jwk else _native.VerifyingKey
        return cls.from_jwk(jwk, self._jwk_alg(jwk))

    def sign(self, msg: bytes, key: Any) -> bytes:
        return self._native_sign(msg, key)

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        return self._native_verify(msg, key, sig)


def _rsa_hashes() -> tuple[Any, Any, Any]:
    if has_crypto:
        return hashes.SHA256, hashes.SHA384, hashes.SHA512
    return hashlib.sha256, hashlib.sha384, hashlib.sha512  # pragma: no cover


def _hash_bits(hash_alg: Any) -> int:
    """Output bits of a hash: a ``cryptography`` hash class or a ``hashlib`` constructor."""
    size = getattr(hash_alg, "digest_size", None)
    return int(size if isinstance(size, int) else hash_alg().digest_size) * 8


class RSAAlgorithm(_AsymmetricAlgorithm):
    """RSASSA-PKCS1-v1_5 with SHA-256/384/512 (keys under 2048 bits are refused by the
    engine; ``check_key_length`` still reports them as PyJWT does)."""

    SHA256: ClassVar[Any]
    SHA384: ClassVar[Any]
    SHA512: ClassVar[Any]
    SHA256, SHA384, SHA512 = _rsa_hashes()
    _MIN_KEY_SIZE: ClassVar[int] = 2048
    _prefix = "RS"
    if has_crypto:
        _crypto_key_types = (rsa.RSAPrivateKey, rsa.RSAPublicKey)

    def __init__(self, hash_alg: Any) -> None:
        self.hash_alg = hash_alg
        self._jose = f"{self._prefix}{_hash_bits(hash_alg)}"

    def check_key_length(self, key: Any) -> Optional[str]:
        size = getattr(key, "key_size", None)
        if isinstance(size, int) and size < self._MIN_KEY_SIZE:
            return (
                f"The RSA key is {size} bits long, which is below the minimum recommended size "
                f"of {self._MIN_KEY_SIZE} bits. See NIST SP 800-131A."
            )
        return None

    def prepare_key(self, key: Any) -> Any:
        if isinstance(key, _NativeKey):
            return key
        if isinstance(key, dict):
            return self._from_jwk_dict(key)
        if has_crypto and isinstance(key, self._crypto_key_types or ()):
            return key
        if not isinstance(key, (bytes, str)):
            raise TypeError("Expecting a PEM-formatted key.")
        key_bytes = force_bytes(key)
        if not has_crypto:  # pragma: no cover
            return _native_from_text(self._jose, key_bytes)
        try:
            if key_bytes.startswith(b"ssh-rsa"):
                loaded: Any = load_ssh_public_key(key_bytes)
            else:
                loaded = load_pem_private_key(key_bytes, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            try:
                loaded = load_pem_public_key(key_bytes)
            except (ValueError, UnsupportedAlgorithm):
                loaded = _certificate_key(key_bytes)
                if loaded is None:
                    raise InvalidKeyError("Could not parse the provided public key.") from None
        self.check_crypto_key_type(loaded)
        return loaded

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Union[JWKDict, str]:
        if isinstance(key_obj, _NativeKey):
            obj = _native_jwk(key_obj)
        elif has_crypto and isinstance(key_obj, rsa.RSAPrivateKey):
            n = key_obj.private_numbers()
            obj = {
                "kty": "RSA",
                "key_ops": ["sign"],
                "n": to_base64url_uint(n.public_numbers.n).decode(),
                "e": to_base64url_uint(n.public_numbers.e).decode(),
                "d": to_base64url_uint(n.d).decode(),
                "p": to_base64url_uint(n.p).decode(),
                "q": to_base64url_uint(n.q).decode(),
                "dp": to_base64url_uint(n.dmp1).decode(),
                "dq": to_base64url_uint(n.dmq1).decode(),
                "qi": to_base64url_uint(n.iqmp).decode(),
            }
        elif has_crypto and isinstance(key_obj, rsa.RSAPublicKey):
            pn = key_obj.public_numbers()
            obj = {
                "kty": "RSA",
                "key_ops": ["verify"],
                "n": to_base64url_uint(pn.n).decode(),
                "e": to_base64url_uint(pn.e).decode(),
            }
        else:
            raise InvalidKeyError("Not a public or private key")
        return obj if as_dict else json.dumps(obj)

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> Any:
        obj = _load_json(jwk)
        if obj.get("kty") != "RSA":
            raise InvalidKeyError("Not an RSA key")
        if not has_crypto:  # pragma: no cover
            return _native_from_jwk(obj, "RS256")
        try:
            if "d" in obj and "e" in obj and "n" in obj:
                if "oth" in obj:
                    raise InvalidKeyError("Unsupported RSA private key: > 2 primes not supported")
                others = ["p", "q", "dp", "dq", "qi"]
                found = [p in obj for p in others]
                if any(found) and not all(found):
                    raise InvalidKeyError("RSA key must include all parameters if any are present besides d")
                public = rsa.RSAPublicNumbers(from_base64url_uint(obj["e"]), from_base64url_uint(obj["n"]))
                d = from_base64url_uint(obj["d"])
                if all(found):
                    p, q = from_base64url_uint(obj["p"]), from_base64url_uint(obj["q"])
                    dmp1, dmq1 = from_base64url_uint(obj["dp"]), from_base64url_uint(obj["dq"])
                    iqmp = from_base64url_uint(obj["qi"])
                else:
                    p, q = rsa.rsa_recover_prime_factors(public.n, d, public.e)
                    dmp1, dmq1, iqmp = rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q)
                return rsa.RSAPrivateNumbers(p, q, d, dmp1, dmq1, iqmp, public).private_key()
            if "n" in obj and "e" in obj:
                return rsa.RSAPublicNumbers(from_base64url_uint(obj["e"]), from_base64url_uint(obj["n"])).public_key()
        except (ValueError, TypeError) as e:
            raise InvalidKeyError(f"Invalid RSA key: {e}") from e
        raise InvalidKeyError("Not a public or private key")


class RSAPSSAlgorithm(RSAAlgorithm):
    """RSASSA-PSS with MGF1 and a salt the length of the hash."""

    _prefix = "PS"


def _curve_name(curve: Any) -> Optional[str]:
    return {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521", "secp256k1": "secp256k1"}.get(
        getattr(curve, "name", "")
    )


_CURVE_SIZES = {"P-256": 32, "P-384": 48, "P-521": 66, "secp256k1": 32}
# A curve by its JWK or ``cryptography`` name (lowercase) -> the JOSE algorithm on it.
_EC_JOSE = {
    "p-256": "ES256", "secp256r1": "ES256", "p-384": "ES384", "secp384r1": "ES384",
    "p-521": "ES512", "secp521r1": "ES512", "secp256k1": "ES256K",
}  # fmt: skip
_JOSE_BITS = {"ES256": 256, "ES256K": 256, "ES384": 384, "ES512": 512}


class ECAlgorithm(_AsymmetricAlgorithm):
    """ECDSA (P-256, P-384, P-521, secp256k1) with SHA-256/384/512, signatures ``r || s``."""

    SHA256: ClassVar[Any]
    SHA384: ClassVar[Any]
    SHA512: ClassVar[Any]
    SHA256, SHA384, SHA512 = _rsa_hashes()
    if has_crypto:
        _crypto_key_types = (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)

    def __init__(self, hash_alg: Any, expected_curve: Any = None) -> None:
        self.hash_alg = hash_alg
        self.expected_curve = expected_curve

    def _jose_for(self, curve: Any) -> str:
        """PyJWT's (hash, curve) as the JOSE name the core knows: the expected curve's, or
        ``curve``'s (a key's) for an ``ECAlgorithm`` made without one. Whether a key fits
        that algorithm is the core's decision, when the key is made."""
        named = self.expected_curve if self.expected_curve is not None else curve
        name = str(getattr(named, "name", named))
        jose = _EC_JOSE.get(name.lower())
        if jose is None or _JOSE_BITS[jose] != _hash_bits(self.hash_alg):
            raise _error(
                InvalidKeyError,
                f"ECDSA on {name} with SHA-{_hash_bits(self.hash_alg)} is not a JOSE algorithm",
                "unsupported_algorithm",
            )
        return jose

    def _native_alg(self, prepared: Any) -> str:
        if isinstance(prepared, _NativeKey):
            return self._jose_for(None) if self.expected_curve is not None else str(prepared.algorithm)
        return self._jose_for(prepared.curve)

    def _jwk_alg(self, jwk: JWKDict) -> str:
        return self._jose_for(jwk.get("crv"))

    def _validate_curve(self, key: Any) -> None:
        """PyJWT refuses a key of another curve in ``prepare_key``: the key is made
        natively here (cached, so signing or verifying does not make it again) and the
        core's refusal is given in PyJWT's words."""
        if self.expected_curve is None:
            return
        try:
            self._verifying_key(key)
        except InvalidKeyError as e:
            if e.code not in ("key_algorithm_mismatch", "invalid_key"):
                raise
            raise _error(
                InvalidKeyError,
                f"The key's curve '{key.curve.name}' does not match the expected curve "
                f"'{self.expected_curve.name}' for this algorithm ({e})",
                e.code,
            ) from None

    def prepare_key(self, key: Any) -> Any:
        if isinstance(key, _NativeKey):
            return key
        if isinstance(key, dict):
            return self._from_jwk_dict(key)
        if has_crypto and isinstance(key, self._crypto_key_types or ()):
            self._validate_curve(key)
            return key
        if not isinstance(key, (bytes, str)):
            raise TypeError("Expecting a PEM-formatted key.")
        key_bytes = force_bytes(key)
        if not has_crypto:  # pragma: no cover
            return _native_from_text(self._default_jose(), key_bytes)
        try:
            if key_bytes.startswith(b"ecdsa-sha2-"):
                loaded: Any = load_ssh_public_key(key_bytes)
            else:
                loaded = load_pem_public_key(key_bytes)
        except (ValueError, UnsupportedAlgorithm):
            try:
                loaded = load_pem_private_key(key_bytes, password=None)
            except (ValueError, TypeError, UnsupportedAlgorithm):
                loaded = _certificate_key(key_bytes)
                if loaded is None:
                    raise InvalidKeyError("Could not parse the provided key.") from None
        self.check_crypto_key_type(loaded)
        self._validate_curve(loaded)
        return loaded

    def _default_jose(self) -> str:  # pragma: no cover - without cryptography only
        return self._jose_for({256: "P-256", 384: "P-384", 512: "P-521"}[_hash_bits(self.hash_alg)])

    def verify(self, msg: bytes, key: Any, sig: bytes) -> bool:
        try:
            return self._native_verify(msg, key, sig)
        except PyJWTError:
            return False

    @staticmethod
    def to_jwk(key_obj: Any, as_dict: bool = False) -> Union[JWKDict, str]:
        if isinstance(key_obj, _NativeKey):
            obj = _native_jwk(key_obj)
            return obj if as_dict else json.dumps(obj)
        if not (has_crypto and isinstance(key_obj, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey))):
            raise InvalidKeyError("Not a public or private key")
        crv = _curve_name(key_obj.curve)
        if crv is None:
            raise InvalidKeyError(f"Invalid curve: {key_obj.curve}")
        private: Optional[ec.EllipticCurvePrivateKey] = None
        if isinstance(key_obj, ec.EllipticCurvePrivateKey):
            private = key_obj
            pub = key_obj.public_key().public_numbers()
        else:
            pub = key_obj.public_numbers()
        bits = key_obj.curve.key_size
        out: JWKDict = {
            "kty": "EC",
            "crv": crv,
            "x": to_base64url_uint(pub.x, bit_length=bits).decode(),
            "y": to_base64url_uint(pub.y, bit_length=bits).decode(),
        }
        if private is not None:
            out["d"] = to_base64url_uint(private.private_numbers().private_value, bit_length=bits).decode()
        return out if as_dict else json.dumps(out)

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> Any:
        obj = _load_json(jwk)
        if obj.get("kty") != "EC" or "x" not in obj or "y" not in obj:
            raise InvalidKeyError("Not an Elliptic curve key")
        crv = obj.get("crv")
        if crv not in _CURVE_SIZES:
            raise InvalidKeyError(f"Invalid curve: {crv}")
        try:
            x, y = base64url_decode(obj["x"]), base64url_decode(obj["y"])
        except (ValueError, TypeError) as e:
            raise InvalidKeyError(f"Invalid coordinates: {e}") from e
        size = _CURVE_SIZES[str(crv)]
        if not len(x) == len(y) == size:
            raise InvalidKeyError(f"Coords should be {size} bytes for curve {crv}")
        if not has_crypto:  # pragma: no cover
            return _native_from_jwk(obj, _EC_JOSE[str(crv).lower()])
        curves: dict[str, Any] = {
            "P-256": ec.SECP256R1,
            "P-384": ec.SECP384R1,
            "P-521": ec.SECP521R1,
            "secp256k1": ec.SECP256K1,
        }
        curve = curves[str(crv)]()
        try:
            public = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve)
            if "d" not in obj:
                return public.public_key()
            d = base64url_decode(obj["d"])
            if len(d) != size:
                raise InvalidKeyError(f"D should be {size} bytes for curve {crv}")
            return ec.EllipticCurvePrivateNumbers(int.from_bytes(d, "big"), public).private_key()
        except (ValueError, TypeError) as e:
            raise InvalidKeyError(f"Invalid EC key: {e}") from e


class OKPAlgorithm(_AsymmetricAlgorithm):
    """EdDSA with Ed25519 (``cryptography``'s Ed448 keys parse and convert to and from JWKs;
    signing or verifying with one is refused by the core's key parser: ``InvalidKeyError``)."""

    _jose = "EdDSA"
    if has_crypto:
        _crypto_key_types = (
            ed25519.Ed25519PrivateKey,
            ed25519.Ed25519PublicKey,
            ed448.Ed448PrivateKey,
            ed448.Ed448PublicKey,
        )

    def __init__(self, **kwargs: Any) -> None:
        pass

    def prepare_key(self, key: Any) -> Any:
        if isinstance(key, _NativeKey):
            return key
        if isinstance(key, dict):
            return self._from_jwk_dict(key)
        if not isinstance(key, (str, bytes)):
            self.check_crypto_key_type(key)
            return key
        text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
        key_bytes = force_bytes(key)
        if not has_crypto:  # pragma: no cover
            return _native_from_text("EdDSA", key_bytes)
        try:
            if "-----BEGIN PUBLIC" in text:
                loaded: Any = load_pem_public_key(key_bytes)
            elif "-----BEGIN PRIVATE" in text:
                loaded = load_pem_private_key(key_bytes, password=None)
            elif text[0:4] == "ssh-":
                loaded = load_ssh_public_key(key_bytes)
            else:
                raise InvalidKeyError("Not a public or private key")
        except (ValueError, UnsupportedAlgorithm) as e:
            raise InvalidKeyError(f"Could not parse the provided key: {e}") from None
        self.check_crypto_key_type(loaded)
        return loaded

    def verify(self, msg: Union[str, bytes], key: Any, sig: Union[str, bytes]) -> bool:
        return self._native_verify(force_bytes(msg), key, force_bytes(sig))

    def sign(self, msg: Union[str, bytes], key: Any) -> bytes:
        return self._native_sign(force_bytes(msg), key)

    @staticmethod
    def to_jwk(key: Any, as_dict: bool = False) -> Union[JWKDict, str]:
        if isinstance(key, _NativeKey):
            obj = _native_jwk(key)
            return obj if as_dict else json.dumps(obj)
        if has_crypto and isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            x = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
            crv = "Ed25519" if isinstance(key, ed25519.Ed25519PublicKey) else "Ed448"
            obj = {"x": base64url_encode(x).decode(), "kty": "OKP", "crv": crv}
            return obj if as_dict else json.dumps(obj)
        if has_crypto and isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
            d = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            x = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            crv = "Ed25519" if isinstance(key, ed25519.Ed25519PrivateKey) else "Ed448"
            obj = {"x": base64url_encode(x).decode(), "d": base64url_encode(d).decode(), "kty": "OKP", "crv": crv}
            return obj if as_dict else json.dumps(obj)
        raise InvalidKeyError("Not a public or private key")

    @staticmethod
    def from_jwk(jwk: Union[str, JWKDict]) -> Any:
        obj = _load_json(jwk)
        if obj.get("kty") != "OKP":
            raise InvalidKeyError("Not an Octet Key Pair")
        crv = obj.get("crv")
        if crv not in ("Ed25519", "Ed448"):
            raise InvalidKeyError(f"Invalid curve: {crv}")
        if "x" not in obj:
            raise InvalidKeyError('OKP should have "x" parameter')
        if not has_crypto:  # pragma: no cover
            return _native_from_jwk(obj, "EdDSA")
        try:
            x = base64url_decode(obj["x"])
            public_cls = ed25519.Ed25519PublicKey if crv == "Ed25519" else ed448.Ed448PublicKey
            private_cls = ed25519.Ed25519PrivateKey if crv == "Ed25519" else ed448.Ed448PrivateKey
            if "d" not in obj:
                return public_cls.from_public_bytes(x)
            private = private_cls.from_private_bytes(base64url_decode(obj["d"]))
            if private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) != x:
                raise InvalidKeyError("Public key does not match private key")
            return private
        except (ValueError, TypeError) as e:
            raise InvalidKeyError("Invalid key parameter") from e


def _certificate_key(key_bytes: bytes) -> Any:
    """The public key of a PEM X.509 certificate, or ``None``."""
    if b"-----BEGIN CERTIFICATE" not in key_bytes:
        return None
    from cryptography import x509

    try:
        return x509.load_pem_x509_certificate(key_bytes).public_key()
    except ValueError:
        return None


def _native_jwk(key: Any) -> JWKDict:
    jwk: JWKDict = key.to_private_jwk() if isinstance(key, _native.SigningKey) else key.to_jwk()
    return jwk


def _native_from_text(jose: Optional[str], key_bytes: bytes) -> Any:  # pragma: no cover
    assert jose is not None
    try:
        return _native.SigningKey.from_pem(jose, key_bytes)
    except InvalidKeyError:
        return _native.VerifyingKey.from_pem(jose, key_bytes)


def _native_from_jwk(obj: JWKDict, jose: str) -> Any:  # pragma: no cover
    if "d" in obj:
        return _native.SigningKey.from_jwk(obj, obj.get("alg") or jose)
    return _native.VerifyingKey.from_jwk(obj, obj.get("alg") or jose)


__all__ = [
    "Algorithm",
    "ECAlgorithm",
    "HMACAlgorithm",
    "NoneAlgorithm",
    "OKPAlgorithm",
    "RSAAlgorithm",
    "RSAPSSAlgorithm",
    "get_default_algorithms",
    "has_crypto",
    "requires_cryptography",
]
