"""Expressions compiled ahead (``cdcpos._fastpath_sre``): equal to ``re.compile``'s, used
only where they are exactly right, and a cold ``parse()`` that never imports ``re``.

``re.compile`` ends in ``_sre.compile(pattern, flags, code, ...)``; the generator stores
those arguments, and ``cdcpos._rules.compile_pattern`` passes them itself.  Pattern objects
compare equal when their pattern text, flags and engine code are equal, so ``==`` against
``re.compile`` proves the stored code is the code ``re`` makes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cdcpos import _fastpath_sre, _rules
from cdcpos._precompile import GENERATED_SRE, render_sre
from tests.test_fastpath import _copy_checkout, _generate_run

from . import background
from .background import Run, Steps

ROOT = Path(__file__).resolve().parent.parent
MADE_HERE = tuple(sys.version_info[:2]) == _fastpath_sre.PYTHON
needs_table_python = pytest.mark.skipif(
    not MADE_HERE,
    reason=f"the table holds code for Python {_fastpath_sre.PYTHON}; "
    "under another version re.compile serves (tested below)",
)


@needs_table_python
def test_every_stored_pattern_compiles_equal_to_re() -> None:
    assert _fastpath_sre.PATTERNS
    for pattern in _fastpath_sre.PATTERNS:
        compiled = _rules._precompiled(pattern)
        assert compiled is not None, pattern
        expected = re.compile(pattern)
        assert compiled == expected
        assert (compiled.groups, compiled.groupindex, compiled.flags) == (
            expected.groups,
            dict(expected.groupindex),
            expected.flags,
        )


def test_the_table_holds_what_the_rules_compile() -> None:
    assert sorted(_fastpath_sre.PATTERNS) == _rules.compiled_patterns()
    # Each entry's dispatch for every first character, a character outside ASCII too.
    for entry in ("any", "start_position", "stop_position", "checkpoint"):
        alternatives = _rules._alternatives_of(entry)
        for first in [chr(c) for c in range(0x20, 0x7F)] + ["", "é", "\x00"]:
            expression = _rules.dispatch_expression(alternatives, first)
            assert expression == "" or expression in _fastpath_sre.PATTERNS, (entry, first)


@needs_table_python
def test_the_stored_table_is_what_the_generator_makes() -> None:
    assert GENERATED_SRE.read_text(encoding="utf-8") == render_sre(_rules.compiled_patterns())


def test_another_python_or_engine_compiles_with_re(monkeypatch: pytest.MonkeyPatch) -> None:
    import _sre

    pattern = _rules.entry_pattern("start_position")
    for owner, name, value in (
        (_fastpath_sre, "PYTHON", (3, 99)),
        (_fastpath_sre, "MAGIC", 1),
        (_sre, "CODESIZE", 2),  # code words of another width
        (sys, "byteorder", "big"),  # the table's words are little-endian
    ):
        with monkeypatch.context() as patch:
            patch.setattr(owner, name, value)
            assert _rules._precompiled(pattern) is None, name
            assert _rules.compile_pattern(pattern) == re.compile(pattern)


@needs_table_python
def test_a_stored_pattern_compiles_without_re(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("re.compile called for a pattern the table holds")

    pattern = _rules.entry_pattern("checkpoint")
    monkeypatch.setattr(re, "compile", refuse)
    assert _rules.compile_pattern(pattern).fullmatch("checkpoint:V1#1#0/1#0#0#*#0#0")


def test_a_pattern_the_table_lacks_compiles_with_re() -> None:
    pattern = "(?:" + _rules.entry_pattern("start_position") + ")"
    assert pattern not in _fastpath_sre.PATTERNS
    assert _rules._precompiled(pattern) is None
    assert _rules.compile_pattern(pattern) == re.compile(pattern)


@needs_table_python
def test_code_the_engine_refuses_compiles_with_re(monkeypatch: pytest.MonkeyPatch) -> None:
    pattern = _rules.entry_pattern("checkpoint")
    flags, groups, groupindex, indexgroup, code = _fastpath_sre.PATTERNS[pattern]
    broken = "ffffffff" + code[8:]  # an opcode the engine does not have
    monkeypatch.setitem(
        _fastpath_sre.PATTERNS, pattern, (flags, groups, groupindex, indexgroup, broken)
    )
    assert _rules._precompiled(pattern) is None
    assert _rules.compile_pattern(pattern) == re.compile(pattern)


# Values of every kind parse() reads, each through its own dispatch.
COLD_TEXTS = [
    "0/16B3748",
    "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2006:1234:mysql-bin-changelog.157832:1975#0#0#*#0#93",
    "mysql-bin-changelog.000024:373",
    "6916533",
    "00000014:00000061:0001",
    "2018-02-09T12:12:12",
    "server_time:2018-02-09T12:12:12",
    "commit_time:2018-02-09T12:12:12",
]


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


@needs_table_python
def test_a_cold_parse_of_every_kind_imports_no_re() -> None:
    code = (
        "import sys, cdcpos\n"
        f"values = [cdcpos.parse(t) for t in {COLD_TEXTS!r}]\n"
        "print(sorted({v.kind for v in values}))\n"
        "print('re' in sys.modules, 'enum' in sys.modules)\n"
    )
    result = _fresh(code)
    assert result.returncode == 0, result.stderr
    kinds, imported = result.stdout.splitlines()
    assert kinds == str(
        sorted(
            {
                "postgres_lsn",
                "checkpoint",
                "mysql_binlog",
                "oracle_scn",
                "sqlserver_lsn",
                "date",
                "server_time",
                "commit_time",
            }
        )
    )
    assert imported == "False False"


def test_a_cold_rejection_is_still_diagnosed() -> None:
    # The table serves reading values; explaining a bad one is the diagnosis's (re).
    result = _fresh(
        "import sys, cdcpos\n"
        "try:\n    cdcpos.parse('0/x')\nexcept cdcpos.InvalidPosition as e:\n    print(e.column)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


# The generator and an interpreter on copies of the checkout: about a second of waiting,
# which the jobs spend while the tests before these run (tests/background.py).
@background.job("test_check_finds_a_stale_table_and_generate_repairs_it")
def _stale_table_repaired(tmp: Path) -> Steps[dict[str, Any]]:
    seen: dict[str, Any] = {}
    if not MADE_HERE:  # the test is skipped
        return seen
    checkout = _copy_checkout(tmp)
    table = checkout / "cdcpos" / "_fastpath_sre.py"
    seen["good"] = good = table.read_text(encoding="utf-8")
    # One word of one pattern's code changed: still a valid-looking table.
    seen["stale text"] = stale = good.replace("'0e000000", "'0e000001", 1)
    table.write_text(stale, encoding="utf-8")
    seen["check"] = yield _generate_run("--check", path=checkout)
    seen["after check"] = table.read_text(encoding="utf-8")
    table.unlink()  # the generator makes it from nothing as well
    seen["generate"] = yield _generate_run(path=checkout)
    seen["after generate"] = table.read_text(encoding="utf-8")
    seen["check again"] = yield _generate_run("--check", path=checkout)
    return seen


@needs_table_python
def test_check_finds_a_stale_table_and_generate_repairs_it() -> None:
    seen = _stale_table_repaired.result()
    assert seen["stale text"] != seen["good"]
    result = seen["check"]
    assert result.returncode == 1 and "_fastpath_sre.py is stale" in result.stderr
    assert seen["after check"] == seen["stale text"]  # --check writes nothing
    assert seen["generate"].returncode == 0
    assert seen["after generate"] == seen["good"]
    assert seen["check again"].returncode == 0


@background.job("test_a_table_of_another_python_is_not_checked_nor_used")
def _table_of_another_python(tmp: Path) -> Steps[dict[str, Any]]:
    seen: dict[str, Any] = {}
    checkout = _copy_checkout(tmp)
    table = checkout / "cdcpos" / "_fastpath_sre.py"
    seen["text"] = text = table.read_text(encoding="utf-8")
    made_by = f"PYTHON = {_fastpath_sre.PYTHON!r}"
    table.write_text(text.replace(made_by, "PYTHON = (3, 99)"), encoding="utf-8")
    seen["check"] = yield _generate_run("--check", path=checkout)
    seen["other"] = yield Run(
        [
            sys.executable,
            "-c",
            "import sys, cdcpos\nprint(cdcpos.parse('0/16B3748'), 're' in sys.modules)",
        ],
        env=background.environ(PYTHONPATH=str(checkout)),
        cwd=checkout,
    )
    return seen


def test_a_table_of_another_python_is_not_checked_nor_used() -> None:
    seen = _table_of_another_python.result()
    assert f"PYTHON = {_fastpath_sre.PYTHON!r}" in seen["text"]
    result = seen["check"]
    assert result.returncode == 0, result.stderr
    assert "holds code for Python 3.99: not checked" in result.stdout
    other = seen["other"]
    assert other.returncode == 0, other.stderr
    assert other.stdout.split() == ["0/16B3748", "True"]  # read with re.compile


def test_no_engine_module_compiles_with_re(monkeypatch: pytest.MonkeyPatch) -> None:
    # Another implementation of Python may have no _sre (re keeps its own reference).
    pattern = _rules.entry_pattern("start_position")
    monkeypatch.setitem(sys.modules, "_sre", None)
    assert _rules._precompiled(pattern) is None
    assert _rules.compile_pattern(pattern) == re.compile(pattern)
