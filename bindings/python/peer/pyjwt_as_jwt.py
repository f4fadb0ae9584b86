"""A pytest plugin that runs PyJWT's own test suite against ``jwt_core``.

Run as ``python -m pyjwt_as_jwt <pytest arguments>`` (this folder on ``PYTHONPATH``) from
the folder where ``cargo xtask test --only python`` unpacked the ``tests/`` of PyJWT's
sdist: the aliases are in place before pytest reads its configuration (whose warning
filters name ``jwt.warnings.InsecureKeyLengthWarning``), then pytest runs with this module
as a plugin. It

- makes ``import jwt`` and ``import jwt.<name>`` give ``jwt_core`` and ``jwt_core.<name>``
  (an import hook placed first, so the real PyJWT installed beside us for the interop
  tests is never what the suite imports; a module jwt_core lacks is an ImportError, never
  PyJWT's);
- enforces the expected-failures file (``JWT_CORE_PYJWT_EXPECTED``) both ways: a listed
  test that fails is reported as an expected failure, outside pytest's counts; a listed
  test that passes fails the run; a listed id that names no collected test fails it too;
- hides from the counts the tests PyJWT's suite itself skips when ``cryptography`` is
  installed (``n/a`` lines of the same file: they test PyJWT without ``cryptography``), and
  fails the run if one of them does not skip.

``JWT_CORE_PYJWT_REAL=1`` runs the same suite against the real PyJWT (the baseline): no
aliasing, no expected failures (every test must pass), the ``n/a`` lines still apply.

File format, one test a line, ``#`` comments::

    fail tests/test_api_jwt.py::TestJWT::test_x | why jwt_core differs on purpose
    n/a  tests/test_api_jwk.py::TestPyJWK::test_y | why it cannot run here
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import types
from typing import Any, Optional, Sequence

import pytest

REAL = os.environ.get("JWT_CORE_PYJWT_REAL") == "1"


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _JwtIsJwtCore(importlib.abc.MetaPathFinder):
    """``jwt`` -> ``jwt_core``, ``jwt.x`` -> ``jwt_core.x``."""

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Optional[types.ModuleType] = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname != "jwt" and not fullname.startswith("jwt."):
            return None
        aliased = "jwt_core" + fullname[3:]
        if importlib.util.find_spec(aliased) is None:
            raise ModuleNotFoundError(f"jwt_core has no module {aliased!r} (PyJWT's {fullname!r})", name=fullname)
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(aliased))


if not REAL:
    for _name in [n for n in sys.modules if n == "jwt" or n.startswith("jwt.")]:
        del sys.modules[_name]
    sys.meta_path.insert(0, _JwtIsJwtCore())
    import jwt  # noqa: E402

    assert jwt.__name__ == "jwt_core", jwt.__name__


def _read(path: str) -> tuple[dict[str, str], dict[str, str]]:
    fail: dict[str, str] = {}
    na: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, rest = line.partition(" ")
            test, sep, reason = rest.strip().partition(" | ")
            if kind not in ("fail", "n/a") or not sep or not reason.strip() or not test:
                raise pytest.UsageError(f"{path}:{number}: want 'fail|n/a <test id> | <reason>': {line}")
            (fail if kind == "fail" else na)[test.strip()] = reason.strip()
    return fail, na


class _Expectations:
    def __init__(self, path: Optional[str]) -> None:
        self.path = path or "(none)"
        self.fail, self.na = _read(path) if path else ({}, {})
        if REAL:
            self.fail = {}
        self.failed_phase: set[str] = set()
        self.expected_seen: list[str] = []
        self.na_seen: list[str] = []
        self.fixed: list[str] = []
        self.na_ran: list[str] = []
        self.collected: set[str] = set()
        self.passed = 0

    # -- collection: every listed id must name a collected test (or a test file that is
    # listed because it cannot be imported)
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.collected |= {i.nodeid for i in items}

    @pytest.hookimpl(wrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Any:
        report = yield
        if collector.nodeid in self.fail:
            self.collected.add(collector.nodeid)
            if report.failed:
                report.outcome = "passed"
                report.longrepr = None
                report.result = []
                self.expected_seen.append(collector.nodeid)
            else:
                self.fixed.append(collector.nodeid)
        return report

    # -- outcomes: reports keep their outcome (so pytest runs what it would run); a listed
    # failure is marked like an xfail (not counted by the session), and both it and an n/a
    # skip get an empty status category (left out of the summary line)
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
        report = yield
        nodeid = item.nodeid
        if nodeid in self.fail:
            if report.failed:
                self.failed_phase.add(nodeid)
                report.wasxfail = self.fail[nodeid]
                report.jwt_core_expected = True
            elif report.when == "teardown":
                if nodeid in self.failed_phase:
                    self.expected_seen.append(nodeid)
                else:
                    report.outcome = "failed"
                    report.longrepr = (
                        f"{nodeid} is listed as an expected failure in {self.path} but passes: "
                        "remove its line (jwt_core now behaves as PyJWT here)"
                    )
                    self.fixed.append(nodeid)
        elif nodeid in self.na:
            if report.skipped and report.when == "setup":
                report.jwt_core_na = True
                self.na_seen.append(nodeid)
            elif report.when == "call":
                report.outcome = "failed"
                report.longrepr = f"{nodeid} is listed as n/a in {self.path} but ran: remove its line"
                self.na_ran.append(nodeid)
        elif report.when == "call" and report.passed:
            self.passed += 1
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config) -> Any:
        # Empty category: left out of pytest's summary line (which the xtask step counts).
        if getattr(report, "jwt_core_expected", False):
            return "", "x", "EXPECTED FAILURE (listed)"
        if getattr(report, "jwt_core_na", False):
            return "", "", "N/A (listed)"
        return None

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tr = terminalreporter
        stale = [t for t in sorted(set(self.fail) | set(self.na)) if t not in self.collected]
        who = "real PyJWT" if REAL else "jwt_core as jwt"
        tr.section(f"PyJWT 2.15.1's own suite against {who}")
        tr.write_line(
            f"{self.passed} tests passed; {len(self.expected_seen)} expected failures "
            f"({self.path}); {len(self.na_seen)} not applicable (skipped by PyJWT's suite itself)"
        )
        for t in self.expected_seen:
            tr.write_line(f"  expected failure: {t}: {self.fail[t]}")
        problems = []
        if self.fixed:
            problems.append(("listed as expected failures but pass (remove them)", self.fixed))
        if self.na_ran:
            problems.append(("listed as n/a but ran (remove them)", self.na_ran))
        if stale:
            problems.append(("listed but not collected (stale lines)", stale))
        for what, ids in problems:
            tr.write_line(f"ERROR: {len(ids)} {what}:", red=True)
            for t in ids:
                tr.write_line(f"  {t}", red=True)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        stale = [t for t in (set(self.fail) | set(self.na)) if t not in self.collected]
        if (stale or self.fixed or self.na_ran) and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Expectations(os.environ.get("JWT_CORE_PYJWT_EXPECTED")), "jwt_core_expectations")


if __name__ == "__main__":
    import pyjwt_as_jwt  # the plugin, under its own name (the aliases above are in place)

    sys.exit(pytest.main(sys.argv[1:], plugins=[pyjwt_as_jwt]))
