"""A first jwt_core program: make a key, sign a token, verify it, see another key's
rejection.

`cargo xtask test --only smoke` installs the wheel alone into a fresh virtualenv (no Rust
on PATH) and runs this file; it checks the `verified` and `rejected` lines.
"""

import time

import jwt_core as jwt

key = jwt.SigningKey.generate("ES256")  # a key bound to one algorithm
token = jwt.encode({"sub": "newcomer", "exp": int(time.time()) + 300}, key)

claims = jwt.decode(token, key.public_key_pem(), algorithms=["ES256"])
print(f"python: verified sub={claims['sub']}")

# A token is only as good as the key that checks it: another key's public half refuses it.
other = jwt.SigningKey.generate("ES256")
try:
    jwt.decode(token, other.public_key_pem(), algorithms=["ES256"])
except jwt.InvalidTokenError as e:  # every failure carries jwt-core's stable code
    print(f"python: rejected {e.code}")
