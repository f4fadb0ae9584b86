"""jwt_core: JSON Web Tokens with safe defaults, backed by the jwt-core Rust library.

A drop-in for PyJWT (``import jwt_core as jwt``) plus a fast path: ``Verifier`` and
``Signer`` parse keys and options once and release the GIL while they work. JWE
(encrypted tokens): ``JweEncrypter``, ``JweDecrypter``, ``JweDecryptionKey``.

    >>> import jwt_core as jwt
    >>> key = "a-secret-of-at-least-32-bytes!!!"
    >>> token = jwt.encode({"sub": "42", "exp": 4102444800}, key, algorithm="HS256")
    >>> jwt.decode(token, key, algorithms=["HS256"])["sub"]
    '42'
"""

from . import _jwt_core
from .exceptions import _register as _register_errors

_register_errors(_jwt_core)

from ._jwt_core import (  # noqa: E402
    ALGORITHMS,
    ERROR_CODES,
    JWE_ALGORITHMS,
    JWE_ENCRYPTIONS,
    JweDecrypted,
    JweDecrypter,
    JweDecryptionKey,
    JweEncrypter,
    Signer,
    SigningKey,
    Verifier,
    VerifyingKey,
    __version__,
    decode_unverified,
    encrypt_general,
    generate_jwe_key,
    jwk_thumbprint,
    sign_compact,
    sign_detached,
    sign_flattened,
    sign_general,
)
from .api_jwk import PyJWK, PyJWKSet, PyJWTSetWithTimestamp  # noqa: E402
from .api_jws import PyJWS, get_algorithm_by_name, register_algorithm, unregister_algorithm  # noqa: E402
from .api_jwt import PyJWT, decode, decode_complete, encode, get_unverified_header  # noqa: E402
from .exceptions import (  # noqa: E402
    DecodeError,
    DecryptionError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidArgumentError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidSubjectError,
    InvalidTokenError,
    MissingCryptographyError,
    MissingAlgorithmsError,
    MissingRequiredClaimError,
    PyJWKClientConnectionError,
    PyJWKClientError,
    PyJWKError,
    PyJWKSetError,
    PyJWTError,
    SerializationError,
    exception_class,
)
from .jwks_client import AsyncPyJWKClient, PyJWKClient, decode_async  # noqa: E402
from .warnings import InsecureKeyLengthWarning  # noqa: E402

__all__ = [
    "ALGORITHMS",
    "AsyncPyJWKClient",
    "ERROR_CODES",
    "DecodeError",
    "DecryptionError",
    "ExpiredSignatureError",
    "ImmatureSignatureError",
    "InvalidAlgorithmError",
    "InvalidArgumentError",
    "InvalidAudienceError",
    "InvalidIssuedAtError",
    "InvalidIssuerError",
    "InvalidJTIError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "InvalidSubjectError",
    "InvalidTokenError",
    "InsecureKeyLengthWarning",
    "JWE_ALGORITHMS",
    "JWE_ENCRYPTIONS",
    "JweDecrypted",
    "JweDecrypter",
    "JweDecryptionKey",
    "JweEncrypter",
    "MissingAlgorithmsError",
    "MissingCryptographyError",
    "MissingRequiredClaimError",
    "PyJWK",
    "PyJWKClient",
    "PyJWKClientConnectionError",
    "PyJWKClientError",
    "PyJWKError",
    "PyJWKSet",
    "PyJWKSetError",
    "PyJWS",
    "PyJWT",
    "PyJWTError",
    "PyJWTSetWithTimestamp",
    "SerializationError",
    "Signer",
    "SigningKey",
    "Verifier",
    "VerifyingKey",
    "__version__",
    "decode",
    "decode_async",
    "decode_complete",
    "decode_unverified",
    "encode",
    "encrypt_general",
    "exception_class",
    "generate_jwe_key",
    "get_algorithm_by_name",
    "get_unverified_header",
    "jwk_thumbprint",
    "register_algorithm",
    "sign_compact",
    "sign_detached",
    "sign_flattened",
    "sign_general",
    "unregister_algorithm",
]
