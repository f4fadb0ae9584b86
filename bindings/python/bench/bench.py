"""jwt_core vs PyJWT vs joserfc, side by side: encode and decode for HS256, RS256, ES256
and EdDSA, verification throughput on 2 threads vs 1, and JWE encrypt/decrypt against
joserfc (dir+A256GCM, ECDH-ES+A256KW on P-256, A256KW+A256CBC-HS512). One run, ratios, no
asserts.

    python bench/bench.py [--quick] [--write-docs docs/performance.md]

jwt_core is measured twice: through the PyJWT-compatible functions with the key given as
PyJWT users give it (a secret or a PEM string; jwt_core keeps the parsed key in a small
cache, PyJWT parses it on every call), and through the fast path (a `Signer`/`Verifier`
built once). PyJWT is measured with the key as a
string too, and with `cryptography` key objects loaded once (its fastest use).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
import timeit
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import warnings

import jwt as pyjwt
import jwt_core
from cryptography.hazmat.primitives import serialization
from joserfc import jwe as jose_jwe
from joserfc import jwk as jose_jwk
from joserfc import jwt as jose_jwt

ALGS = ["HS256", "RS256", "ES256", "EdDSA"]
EXP = 4102444800
CLAIMS = {"sub": "user-42", "iss": "https://issuer.example", "aud": "api", "exp": EXP, "iat": 1700000000, "role": "admin"}


def per_call(fn: Callable[[], Any], budget: float) -> float:
    """Best per-call CPU time in seconds over 5 repeats of about `budget`/5 seconds each.

    CPU time of this process (not wall time), so that other load on the machine does not
    count; everything measured runs on the calling thread."""
    t = timeit.Timer(fn, timer=time.process_time)
    n, took = 1, 0.0
    while took < budget / 20:
        n *= 2
        took = t.timeit(n)
    number = max(1, int(n * (budget / 5) / took))
    return min(t.repeat(repeat=5, number=number)) / number


def keys(alg: str) -> dict[str, Any]:
    if alg == "HS256":
        secret = "a-secret-that-is-32-bytes-long!!"
        k = jwt_core.SigningKey.hmac(alg, secret)
        return {"sign": secret, "verify": secret, "core": k, "crypto_sign": secret, "crypto_verify": secret,
                "jose": jose_jwk.OctKey.import_key(secret)}
    k = jwt_core.SigningKey.generate(alg)
    priv_pem, pub_pem = k.to_pkcs8_pem(), k.public_key_pem()
    if alg == "EdDSA":
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        import base64

        d = base64.urlsafe_b64decode(k.to_private_jwk()["d"] + "==")
        crypto_priv: Any = Ed25519PrivateKey.from_private_bytes(d)
        priv_pem = crypto_priv.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode()
        jose_key: Any = jose_jwk.OKPKey.import_key(k.to_private_jwk())
    else:
        crypto_priv = serialization.load_pem_private_key(priv_pem.encode(), password=None)
        jose_key = {"RS256": jose_jwk.RSAKey, "ES256": jose_jwk.ECKey}[alg].import_key(priv_pem)
    return {"sign": priv_pem, "verify": pub_pem, "core": k, "crypto_sign": crypto_priv,
            "crypto_verify": crypto_priv.public_key(), "jose": jose_key}


def measure(alg: str, budget: float) -> dict[str, float]:
    k = keys(alg)
    token = jwt_core.encode(CLAIMS, k["sign"], algorithm=alg)
    signer = jwt_core.Signer(k["core"])
    verifier = jwt_core.Verifier(k["core"].verifying_key(), audience="api", issuer="https://issuer.example")
    dec = dict(algorithms=[alg], audience="api", issuer="https://issuer.example")
    assert pyjwt.decode(token, k["crypto_verify"], **dec) == jwt_core.decode(token, k["verify"], **dec) == CLAIMS
    assert jose_jwt.decode(token, k["jose"], algorithms=[alg]).claims == CLAIMS
    r = {
        "core encode": per_call(lambda: jwt_core.encode(CLAIMS, k["sign"], algorithm=alg), budget),
        "core Signer.sign": per_call(lambda: signer.sign(CLAIMS), budget),
        "PyJWT encode (str/PEM key)": per_call(lambda: pyjwt.encode(CLAIMS, k["sign"], algorithm=alg), budget),
        "PyJWT encode (key object)": per_call(lambda: pyjwt.encode(CLAIMS, k["crypto_sign"], algorithm=alg), budget),
        "joserfc encode": per_call(lambda: jose_jwt.encode({"alg": alg}, CLAIMS, k["jose"], algorithms=[alg]), budget),
        "core decode": per_call(lambda: jwt_core.decode(token, k["verify"], **dec), budget),
        "core Verifier.verify": per_call(lambda: verifier.verify(token), budget),
        "PyJWT decode (str/PEM key)": per_call(lambda: pyjwt.decode(token, k["verify"], **dec), budget),
        "PyJWT decode (key object)": per_call(lambda: pyjwt.decode(token, k["crypto_verify"], **dec), budget),
        "joserfc decode": per_call(lambda: jose_jwt.decode(token, k["jose"], algorithms=[alg]), budget),
    }
    return r


JWE_CASES = [("dir", "A256GCM"), ("ECDH-ES+A256KW", "A256GCM"), ("A256KW", "A256CBC-HS512")]
JWE_PLAINTEXT = json.dumps(CLAIMS).encode()


def measure_jwe(alg: str, enc: str, budget: float) -> dict[str, float]:
    """Compact encrypt and decrypt of a small claims set, jwt_core (an encrypter and a
    decrypter built once) vs joserfc (a key imported once, a registry built once)."""
    private, public = jwt_core.generate_jwe_key(alg, enc if alg == "dir" else None)
    encrypter = jwt_core.JweEncrypter(public, enc)
    decrypter = jwt_core.JweDecrypter(jwt_core.JweDecryptionKey.from_jwk(private))
    kty = {"oct": jose_jwk.OctKey, "EC": jose_jwk.ECKey}[private["kty"]]
    jose_key = kty.import_key({k: v for k, v in private.items() if k not in ("alg", "use")})
    registry = jose_jwe.JWERegistry(algorithms=[alg, enc])
    header = {"alg": alg, "enc": enc}
    token = encrypter.encrypt(JWE_PLAINTEXT)
    jose_token = jose_jwe.encrypt_compact(header, JWE_PLAINTEXT, jose_key, registry=registry)
    assert decrypter.decrypt(jose_token).plaintext == JWE_PLAINTEXT
    assert jose_jwe.decrypt_compact(token, jose_key, registry=registry).plaintext == JWE_PLAINTEXT
    return {
        "core encrypt": per_call(lambda: encrypter.encrypt(JWE_PLAINTEXT), budget),
        "joserfc encrypt": per_call(lambda: jose_jwe.encrypt_compact(header, JWE_PLAINTEXT, jose_key, registry=registry), budget),
        "core decrypt": per_call(lambda: decrypter.decrypt(token), budget),
        "joserfc decrypt": per_call(lambda: jose_jwe.decrypt_compact(jose_token, jose_key, registry=registry), budget),
    }


def jwe_table(results: dict[tuple[str, str], dict[str, float]]) -> list[str]:
    lines = [
        "",
        f"JWE (compact, a {len(JWE_PLAINTEXT)}-byte claims set), jwt_core `JweEncrypter`/`JweDecrypter` built "
        "once vs joserfc with its key and registry made once; ratio = joserfc time / jwt_core time:",
        "",
        "| alg + enc | op | jwt_core | joserfc | vs joserfc |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for (alg, enc), r in results.items():
        for op in ("encrypt", "decrypt"):
            core, jose = r[f"core {op}"], r[f"joserfc {op}"]
            lines.append(f"| {alg} + {enc} | {op} | {us(core)} | {us(jose)} | {jose / core:.1f}x |")
    return lines


def threads(alg: str, per_call_s: float, seconds: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Verifications per second with one thread and with two sharing one Verifier: the
    same total work (about `seconds` of one thread's work), split evenly; best of 3."""
    k = keys(alg)
    token = jwt_core.Signer(k["core"]).sign(CLAIMS)
    v = jwt_core.Verifier(k["core"].verifying_key(), audience="api")
    total = max(2000, int(seconds / per_call_s)) // 2 * 2

    def work(n: int) -> None:
        for _ in range(n):
            v.verify(token)

    def rate(nthreads: int) -> tuple[float, float]:
        """(verifications per wall-clock second, process CPU seconds per wall second)."""
        best = (0.0, 0.0)
        with ThreadPoolExecutor(nthreads) as pool:
            for _ in range(3):
                start, cpu = time.perf_counter(), time.process_time()
                list(pool.map(work, [total // nthreads] * nthreads))
                wall = time.perf_counter() - start
                best = max(best, (total / wall, (time.process_time() - cpu) / wall))
        return best

    work(total // 10)  # warm up
    return rate(1), rate(2)


def us(t: float) -> str:
    return f"{t * 1e6:.1f} µs" if t < 1e-3 else f"{t * 1e3:.2f} ms"


def table(
    results: dict[str, dict[str, float]],
    scaling: dict[str, Any],
    jwe: dict[tuple[str, str], dict[str, float]],
    quick: bool,
) -> str:
    lines = [
        "## Python (`jwt_core` vs PyJWT vs joserfc)",
        "",
        f"`cargo xtask bench --only python` (bindings/python/bench/bench.py), one run"
        f"{' (--quick)' if quick else ''}; Python {platform.python_version()}, PyJWT {pyjwt.__version__}, "
        f"joserfc {__import__('joserfc').__version__}, cryptography {__import__('cryptography').__version__}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}. Per-call CPU time of the "
        "benchmark process, best of 5 repeats; "
        "ratio = PyJWT time / jwt_core time (higher is better for jwt_core).",
        "",
        "| alg | op | jwt_core (PyJWT API) | jwt_core fast path | PyJWT (str/PEM key) | PyJWT (key object) | joserfc | vs PyJWT str/PEM | vs PyJWT key object | fast path vs PyJWT key object |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg, r in results.items():
        for op, fast in (("encode", "core Signer.sign"), ("decode", "core Verifier.verify")):
            core, f = r[f"core {op}"], r[fast]
            pstr, pobj, jose = r[f"PyJWT {op} (str/PEM key)"], r[f"PyJWT {op} (key object)"], r[f"joserfc {op}"]
            lines.append(
                f"| {alg} | {op} | {us(core)} | {us(f)} | {us(pstr)} | {us(pobj)} | {us(jose)} | "
                f"{pstr / core:.1f}x | {pobj / core:.1f}x | {pobj / f:.1f}x |"
            )
    lines += [
        "",
        "Verification throughput on 1 and 2 threads: the same total work (about a second of one "
        "thread's), split evenly over a `ThreadPoolExecutor`, one shared `Verifier`, best of 3 "
        "(wall clock, so it depends on the machine's other load). The GIL is released during "
        "RSA, ECDSA and EdDSA work; HMAC keeps it (an HMAC check costs less than releasing and "
        "retaking the GIL), so HS256 does not scale over threads by design:",
        "",
        "| alg | 1 thread | 2 threads | scaling | CPUs busy, 1 thread | CPUs busy, 2 threads |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alg, ((one, busy1), (two, busy2)) in scaling.items():
        lines.append(
            f"| {alg} | {one:,.0f}/s | {two:,.0f}/s | {two / one:.2f}x | {busy1:.2f} | {busy2:.2f} |"
        )
    lines += [
        "",
        "\"CPUs busy\" is the benchmark process's CPU time per wall-clock second: above 1.0 with",
        "two threads means both ran at once (the GIL was released); on a machine shared with",
        "other work it is capped by the CPU time the scheduler grants the process.",
    ]
    lines += jwe_table(jwe)
    lines += targets(results, scaling, jwe)
    return "\n".join(lines)


def targets(
    results: dict[str, dict[str, float]],
    scaling: dict[str, Any],
    jwe: dict[tuple[str, str], dict[str, float]],
) -> list[str]:
    """The targets of issue #13 (HS256, ES256; kept from #3) and #6 (JWE) against this run, against the best peer."""

    def vs_pyjwt(alg: str, op: str, core: str) -> float:
        r = results[alg]
        return min(r[f"PyJWT {op} (str/PEM key)"], r[f"PyJWT {op} (key object)"]) / r[core]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = []
    for alg, op, want in [("HS256", "decode", 20.0), ("HS256", "encode", 20.0),
                          ("RS256", "decode", 2.0), ("ES256", "decode", 2.0), ("EdDSA", "decode", 2.0)]:
        fast = "core Verifier.verify" if op == "decode" else "core Signer.sign"
        api, f = vs_pyjwt(alg, op, f"core {op}"), vs_pyjwt(alg, op, fast)
        rows.append(f"| {alg} {op} >= {want:g}x PyJWT (its faster key form) | {api:.1f}x via `jwt.{op}`, "
                    f"{f:.1f}x via `{fast.split()[1]}` | {verdict(api >= want)} |")
    for alg in ("RS256", "ES256"):
        (one, busy1), (two, _) = scaling[alg]
        rows.append(f"| {alg}: 2 threads >= 1.8x one thread | {two / one:.2f}x (the process got {busy1:.2f} "
                    f"CPUs with one thread) | {verdict(two / one >= 1.8)} |")
    for (alg, enc), r in jwe.items():
        worst = min(r["joserfc encrypt"] / r["core encrypt"], r["joserfc decrypt"] / r["core decrypt"])
        rows.append(f"| JWE {alg} + {enc} >= 2x joserfc (encrypt and decrypt) | {worst:.1f}x (the slower of "
                    f"the two) | {verdict(worst >= 2.0)} |")
    return ["", "Targets (issue #13, which keeps those of #3; JWE from #6) in this run:", "", "| target | measured | |",
            "| --- | --- | --- |", *rows]


def write_docs(path: str, body: str) -> None:
    begin, end = "<!-- python:begin -->", "<!-- python:end -->"
    try:
        old = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        old = "# Performance\n"
    block = f"{begin}\n{body}\n{end}"
    if begin in old and end in old:
        new = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, old, flags=re.S)
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    print(f"updated {path} (python section)", file=sys.stderr)


def main() -> None:
    warnings.simplefilter("ignore")  # joserfc warns that EdDSA is deprecated (RFC 9864)
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="short budgets, for a smoke run")
    ap.add_argument("--write-docs", metavar="PATH")
    args = ap.parse_args()
    budget = 0.1 if args.quick else 0.5
    results = {}
    for alg in ALGS:
        print(f"measuring {alg} ...", file=sys.stderr)
        results[alg] = measure(alg, budget)
    scaling = {}
    for alg in ALGS:
        print(f"measuring {alg} on 1 and 2 threads ...", file=sys.stderr)
        scaling[alg] = threads(alg, results[alg]["core Verifier.verify"], 0.3 if args.quick else 1.0)
    jwe = {}
    for alg, enc in JWE_CASES:
        print(f"measuring JWE {alg} + {enc} ...", file=sys.stderr)
        jwe[(alg, enc)] = measure_jwe(alg, enc, budget)
    out = table(results, scaling, jwe, args.quick)
    print(out)
    if args.write_docs:
        write_docs(args.write_docs, out)


if __name__ == "__main__":
    main()
