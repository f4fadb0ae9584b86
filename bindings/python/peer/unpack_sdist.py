"""Check an sdist against its pinned SHA-256 and unpack its ``tests/`` (and the
``pyproject.toml`` holding its pytest settings) into a fresh folder.

    python unpack_sdist.py <sdist.tar.gz> <sha256> <dest>
"""

from __future__ import annotations

import hashlib
import pathlib
import shutil
import sys
import tarfile


def main(sdist: str, sha256: str, dest: str) -> int:
    digest = hashlib.sha256(pathlib.Path(sdist).read_bytes()).hexdigest()
    if digest != sha256:
        print(f"{sdist}: sha256 {digest}, want {sha256} (delete it to fetch it again)", file=sys.stderr)
        return 1
    out = pathlib.Path(dest)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with tarfile.open(sdist) as tar:
        members = []
        for m in tar.getmembers():
            parts = pathlib.PurePosixPath(m.name).parts
            if len(parts) < 2 or not (parts[1] == "tests" or parts[1:] == ("pyproject.toml",)):
                continue
            if not (m.isfile() or m.isdir()) or ".." in parts:
                continue
            m.name = str(pathlib.PurePosixPath(*parts[1:]))
            members.append(m)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(out, members=members, filter="data")
        else:  # Python < 3.9.17 / 3.10.12 / 3.11.4: members were vetted above
            tar.extractall(out, members=members)
    print(f"    {sdist}: sha256 ok; tests/ unpacked into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
