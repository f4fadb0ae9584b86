"""PyJWT's warning classes."""


class RemovedInPyjwt3Warning(DeprecationWarning):
    """A PyJWT feature that PyJWT 3 removes (kept here for compatibility)."""


class InsecureKeyLengthWarning(UserWarning):
    """A key is shorter than the recommended minimum for its algorithm (an HMAC secret
    shorter than the hash output). Raised as ``InvalidKeyError`` instead with the option
    ``enforce_minimum_key_length``."""
