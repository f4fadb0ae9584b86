"""Executed documentation: every ```python block of docs/python.md and
bindings/python/README.md runs here, so the guide cannot drift from the package.

The blocks of one file run in order in one shared namespace (a later block may use what
an earlier one defined, as a reader would). A block whose first line is
``# doc-test: skip (<reason>)`` is only compiled (a syntax error still fails), not run:
use it only for samples that need something a test cannot have (a network, a file). A
skipped test fails `cargo xtask test`, so such a block is checked, never skipped."""

from __future__ import annotations

import pathlib
import re
from typing import Any

import pytest

from conftest import ROOT

DOCS = [ROOT / "docs" / "python.md", ROOT / "bindings" / "python" / "README.md"]
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
SKIP = re.compile(r"^# doc-test: skip \((.+)\)$")


def blocks(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line number, code) of every python block."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in FENCE.finditer(text)]


CASES = [(path, line, code) for path in DOCS for line, code in blocks(path)]
NAMESPACES: dict[pathlib.Path, dict[str, Any]] = {}


def test_the_guides_have_samples() -> None:
    for path in DOCS:
        assert blocks(path), f"no ```python blocks in {path}"
    assert any("JweEncrypter" in code for _, _, code in CASES)


@pytest.mark.parametrize(
    ("path", "line", "code"), CASES, ids=[f"{p.relative_to(ROOT)}:{line}" for p, line, _ in CASES]
)
def test_doc_sample(path: pathlib.Path, line: int, code: str) -> None:
    skip = SKIP.match(code.splitlines()[0]) if code.strip() else None
    if skip:
        # Needs what a test cannot have (the reason says what): compile it, do not run it.
        compile(code, f"{path}:{line}", "exec")
        return
    ns = NAMESPACES.setdefault(path, {"__name__": f"doc_{path.stem}"})
    exec(compile(code, f"{path}:{line}", "exec"), ns)
