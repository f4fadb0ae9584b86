"""The built wheel installs into a fresh virtualenv with no Rust toolchain on PATH and
works there. The wheel comes from $JWT_CORE_WHEEL (set by `cargo xtask test`/`dist`)."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import venv

import pytest

WHEEL = os.environ.get("JWT_CORE_WHEEL")

SMOKE = """
import shutil, jwt_core as jwt
assert shutil.which("cargo") is None and shutil.which("rustc") is None
k = jwt.SigningKey.generate("ES256")
t = jwt.encode({"exp": 4102444800, "sub": "w"}, k)
assert jwt.decode(t, k.public_key_pem(), algorithms=["ES256"])["sub"] == "w"
try:
    jwt.decode(t, k.public_key_pem(), algorithms=["HS256"])
except jwt.InvalidKeyError as e:
    assert e.code == "key_algorithm_mismatch"
# the PyJWT door without `cryptography` installed (this venv has none): PEM strings,
# jwt.algorithms' JWK loaders (native keys then), PyJWS, PyJWK
import json
from jwt_core import algorithms
assert not algorithms.has_crypto
r = jwt.SigningKey.generate("RS256")
t = jwt.encode({"a": 1}, r.to_pkcs8_pem(), algorithm="RS256")
assert jwt.decode(t, r.public_key_pem(), algorithms=["RS256"]) == {"a": 1}
pub = algorithms.RSAAlgorithm.from_jwk(json.dumps(r.to_public_jwk()))
assert jwt.decode(t, pub, algorithms=["RS256"]) == {"a": 1}
assert jwt.PyJWS().decode(jwt.PyJWS().encode(b"x", k.to_pkcs8_pem(), algorithm="ES256"), k.public_key_pem(), algorithms=["ES256"]) == b"x"
assert jwt.PyJWK(k.to_private_jwk()).algorithm_name == "ES256"
print("wheel ok", jwt.__version__, jwt.__file__)
"""


@pytest.mark.skipif(not WHEEL, reason="set JWT_CORE_WHEEL to a built wheel (cargo xtask test does)")
def test_wheel_installs_without_rust(tmp_path: pathlib.Path) -> None:
    wheel = pathlib.Path(WHEEL or "")
    assert wheel.is_file(), wheel
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # a PATH with the venv and the system directories only: no cargo, no rustc
    path = os.pathsep.join([str(env_dir / "bin"), "/usr/bin", "/bin"])
    env = {"PATH": path, "HOME": str(tmp_path), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    assert shutil.which("cargo", path=path) is None
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)], env=env, check=True)
    out = subprocess.run([str(py), "-c", SMOKE], env=env, check=True, capture_output=True, text=True, cwd=tmp_path)
    assert "wheel ok" in out.stdout
    assert str(env_dir) in out.stdout  # imported from the fresh venv, not the source tree
    assert sys.version_info >= (3, 9)
