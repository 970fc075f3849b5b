"""The project's own promises: the wheel carries the grammar, the code is typed and linted,
the benchmarks run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_the_grammar_and_works_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("cdcpos-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "cdcpos/grammar/cdcpos.lark" in names and "cdcpos/py.typed" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
    )  # fmt: skip
    code = (
        "import cdcpos, json\n"
        "try:\n"
        "    cdcpos.parse('0/x')\n"  # the error path reads the grammar with lark
        "except cdcpos.InvalidPosition as e:\n"
        "    column = e.column\n"
        "from cdcpos._generate import grammar_path\n"
        "print(json.dumps([cdcpos.__file__, str(grammar_path()), column,"
        " str(cdcpos.parse('0/16B3748'))]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    module, grammar, column, canonical = json.loads(out.stdout)
    assert module.startswith(str(target)) and grammar.startswith(str(target))
    assert (column, canonical) == (3, "0/16B3748")


@pytest.mark.slow
def test_ruff_lint_and_format() -> None:
    subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "."], cwd=ROOT, check=True)


@pytest.mark.slow
def test_mypy_strict_on_the_package() -> None:
    subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, check=True)


@pytest.mark.slow
def test_benchmark_runs_and_reports_every_figure() -> None:
    from benchmarks.run import measure, table

    result = measure(size=3000, lark_size=200, sort_size=2000, cold_runs=2)
    assert len(result["figures"]) == 11
    for figure in result["figures"].values():
        assert figure["ratio"] > 0
    assert "parse_many throughput / hand-written split parser" in table(result)
