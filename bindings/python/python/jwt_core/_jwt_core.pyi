"""Typed stubs of the native module (checked against it by mypy.stubtest in the tests)."""

from datetime import timedelta
from json import JSONEncoder
from typing import Any, Iterable, Mapping, Optional, Sequence, Union, final

_Text = Union[str, bytes]
_Jwk = Union[Mapping[str, Any], str, bytes]
_AnyKey = Union["VerifyingKey", "SigningKey"]

ERROR_CODES: list[tuple[str, str]]
ALGORITHMS: list[str]
JWE_ALGORITHMS: list[str]
JWE_ENCRYPTIONS: list[str]
__version__: str

@final
class SigningKey:
    """A private (or secret) key bound to one algorithm, ready to sign."""

    @staticmethod
    def generate(algorithm: str) -> SigningKey: ...
    @staticmethod
    def hmac(algorithm: str, secret: _Text) -> SigningKey: ...
    @staticmethod
    def from_pem(algorithm: str, pem: _Text) -> SigningKey: ...
    @staticmethod
    def from_der(algorithm: str, der: bytes) -> SigningKey: ...
    @staticmethod
    def from_jwk(jwk: _Jwk, algorithm: Optional[str] = None) -> SigningKey: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def kid(self) -> Optional[str]: ...
    def with_kid(self, kid: str) -> SigningKey: ...
    def with_thumbprint_kid(self) -> SigningKey: ...
    def verifying_key(self) -> VerifyingKey: ...
    def to_public_jwk(self) -> dict[str, Any]: ...
    def to_private_jwk(self) -> dict[str, Any]: ...
    def to_pkcs8_pem(self) -> str: ...
    def public_key_pem(self) -> str: ...
    def thumbprint(self) -> str: ...
    def sign(self, message: bytes) -> bytes: ...

@final
class VerifyingKey:
    """A public key (or HMAC secret) bound to one algorithm, ready to verify."""

    @staticmethod
    def hmac(algorithm: str, secret: _Text, allow_short: bool = False) -> VerifyingKey: ...
    @staticmethod
    def from_pem(algorithm: str, pem: _Text) -> VerifyingKey: ...
    @staticmethod
    def from_der(algorithm: str, der: bytes) -> VerifyingKey: ...
    @staticmethod
    def from_jwk(jwk: _Jwk, algorithm: Optional[str] = None) -> VerifyingKey: ...
    @staticmethod
    def from_public_bytes(algorithm: str, public: bytes) -> VerifyingKey: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def kid(self) -> Optional[str]: ...
    def with_kid(self, kid: str) -> VerifyingKey: ...
    def to_jwk(self) -> dict[str, Any]: ...
    def to_pem(self) -> str: ...
    def thumbprint(self) -> str: ...
    def verify(self, message: bytes, signature: bytes) -> None: ...

@final
class Verifier:
    """Keys plus validation rules, built once and reused; releases the GIL while verifying."""

    def __new__(
        cls,
        keys: Union[_AnyKey, Sequence[_AnyKey], Mapping[str, Any], str],
        *,
        algorithms: Optional[Sequence[str]] = None,
        issuer: Optional[Union[str, Sequence[str]]] = None,
        audience: Optional[Union[str, Sequence[str]]] = None,
        subject: Optional[str] = None,
        leeway: int = 0,
        required_claims: Optional[Sequence[str]] = None,
        max_age: Optional[int] = None,
        typ: Optional[str] = None,
        critical: Optional[Sequence[str]] = None,
        claims_equal: Optional[Mapping[str, Any]] = None,
        verify_exp: bool = True,
        verify_nbf: bool = True,
        verify_iat: bool = True,
    ) -> Verifier: ...
    @property
    def algorithms(self) -> list[str]: ...
    def verify(self, token: _Text, *, now: Optional[int] = None) -> dict[str, Any]: ...
    def verify_complete(self, token: _Text, *, now: Optional[int] = None) -> dict[str, Any]: ...
    def verify_jws(self, token: _Text) -> tuple[dict[str, Any], bytes]: ...
    def verify_detached(self, token: _Text, payload: _Text) -> tuple[dict[str, Any], bytes]: ...
    def verify_json(
        self, document: Union[_Text, Mapping[str, Any]], detached_payload: Optional[_Text] = None
    ) -> tuple[dict[str, Any], bytes]: ...

@final
class Signer:
    """A key plus a header template, built once; releases the GIL while signing."""

    def __new__(cls, key: SigningKey, headers: Optional[Mapping[str, Any]] = None) -> Signer: ...
    def sign(self, claims: Mapping[str, Any]) -> str: ...
    @property
    def header(self) -> dict[str, Any]: ...
    @property
    def algorithm(self) -> str: ...

@final
class JweDecryptionKey:
    """A recipient's JWE key (private key or shared secret), bound to one ``alg``."""

    @staticmethod
    def from_jwk(jwk: _Jwk, alg: Optional[str] = None) -> JweDecryptionKey: ...
    @staticmethod
    def secret(alg: str, secret: _Text, enc: Optional[str] = None) -> JweDecryptionKey: ...
    @staticmethod
    def password(alg: str, password: _Text) -> JweDecryptionKey: ...
    @staticmethod
    def generate(alg: str, enc: Optional[str] = None, crv: Optional[str] = None) -> JweDecryptionKey: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def encryption(self) -> Optional[str]: ...
    @property
    def kid(self) -> Optional[str]: ...
    @property
    def curve(self) -> Optional[str]: ...
    def with_kid(self, kid: str) -> JweDecryptionKey: ...
    def to_public_jwk(self) -> dict[str, Any]: ...
    def to_private_jwk(self) -> dict[str, Any]: ...

@final
class JweEncrypter:
    """A recipient's key plus a header template, built once; releases the GIL while encrypting."""

    def __new__(
        cls,
        key: Union[_Jwk, JweDecryptionKey],
        enc: str,
        *,
        alg: Optional[str] = None,
        p2c: Optional[int] = None,
        headers: Optional[Mapping[str, Any]] = None,
    ) -> JweEncrypter: ...
    @property
    def header(self) -> dict[str, Any]: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def encryption(self) -> str: ...
    def encrypt(self, plaintext: _Text) -> str: ...
    def encrypt_claims(self, claims: Mapping[str, Any]) -> str: ...
    def encrypt_signed(self, signer: Signer, claims: Mapping[str, Any]) -> str: ...
    def encrypt_json(
        self,
        plaintext: _Text,
        *,
        aad: Optional[_Text] = None,
        unprotected: Optional[Mapping[str, Any]] = None,
        general: bool = False,
    ) -> str: ...

@final
class JweDecrypted:
    """A decrypted JWE."""

    @property
    def header(self) -> dict[str, Any]: ...
    @property
    def plaintext(self) -> bytes: ...
    @property
    def aad(self) -> Optional[bytes]: ...

_JweKeys = Union[JweDecryptionKey, Mapping[str, Any], str, Sequence[Union[JweDecryptionKey, Mapping[str, Any], str]]]

@final
class JweDecrypter:
    """A recipient's keys plus decryption rules, built once; releases the GIL while decrypting."""

    def __new__(
        cls,
        keys: _JweKeys,
        *,
        algorithms: Optional[Sequence[str]] = None,
        encryptions: Optional[Sequence[str]] = None,
        critical: Optional[Sequence[str]] = None,
        allow_pbes2: Optional[int] = None,
        max_token_bytes: Optional[int] = None,
        max_plaintext_bytes: Optional[int] = None,
    ) -> JweDecrypter: ...
    def decrypt(self, token: _Text) -> JweDecrypted: ...
    def decrypt_json(self, document: Union[_Text, Mapping[str, Any]]) -> JweDecrypted: ...
    def decrypt_claims(self, token: _Text) -> dict[str, Any]: ...
    def decrypt_jwt(self, token: _Text, verifier: Verifier, *, now: Optional[int] = None) -> dict[str, Any]: ...

def encrypt_general(
    recipients: list[JweEncrypter],
    plaintext: _Text,
    *,
    aad: Optional[_Text] = None,
    unprotected: Optional[Mapping[str, Any]] = None,
) -> str: ...
def generate_jwe_key(
    alg: str, enc: Optional[str] = None, crv: Optional[str] = None
) -> tuple[dict[str, Any], dict[str, Any]]: ...
def jwk_thumbprint(jwk: _Jwk) -> str: ...
def sign_compact(key: SigningKey, payload: _Text, headers: Optional[Mapping[str, Any]] = None) -> str: ...
def sign_detached(key: SigningKey, payload: _Text, headers: Optional[Mapping[str, Any]] = None) -> str: ...
def sign_flattened(key: SigningKey, payload: _Text, headers: Optional[Mapping[str, Any]] = None) -> str: ...
def sign_general(
    keys: list[SigningKey], payload: _Text, headers: Optional[list[Mapping[str, Any]]] = None
) -> str: ...
def decode(
    jwt: Any,
    key: Any,
    algorithms: Optional[list[str]] = None,
    options: Optional[Mapping[str, Any]] = None,
    audience: Any = None,
    issuer: Any = None,
    subject: Optional[str] = None,
    leeway: float = 0.0,
    complete_: bool = False,
) -> Any: ...
def encode(
    payload: Any,
    key: Any,
    algorithm: Optional[str] = None,
    headers: Optional[Mapping[str, Any]] = None,
    payload_json: Optional[str] = None,
) -> str: ...
def jws_encode(
    payload: Any,
    key: Any,
    algorithm: Optional[str] = None,
    headers: Optional[Mapping[str, Any]] = None,
    detached: bool = False,
) -> str: ...
def jws_decode(
    jwt: Any,
    key: Any,
    algorithms: Optional[list[str]] = None,
    options: Optional[Mapping[str, Any]] = None,
    detached_payload: Any = None,
    complete_: bool = False,
) -> Any: ...
def pyjwt_verifier(
    key: Any,
    algorithms: Optional[list[str]],
    audience: Any = None,
    issuer: Any = None,
    subject: Optional[str] = None,
    leeway: float = 0.0,
) -> Verifier: ...
def pyjwt_decode(
    jwt: _Text,
    key: Any = "",
    algorithms: Optional[Union[str, Sequence[str]]] = None,
    options: Optional[Mapping[str, Any]] = None,
    verify: Optional[bool] = None,
    detached_payload: Optional[bytes] = None,
    audience: Optional[Union[str, Iterable[str]]] = None,
    subject: Optional[str] = None,
    issuer: Optional[Union[str, Sequence[str]]] = None,
    leeway: Union[float, timedelta] = 0,
    **kwargs: Any,
) -> dict[str, Any]: ...
def pyjwt_encode(
    payload: Mapping[str, Any],
    key: Any,
    algorithm: Optional[str] = ...,
    headers: Optional[Mapping[str, Any]] = None,
    json_encoder: Optional[type[JSONEncoder]] = None,
    sort_headers: bool = True,
) -> str: ...
def pyjwt_cache_sizes() -> tuple[int, int, int]: ...
def get_unverified_header(jwt: _Text) -> dict[str, Any]: ...
def decode_unverified(jwt: _Text) -> tuple[dict[str, Any], dict[str, Any]]: ...
