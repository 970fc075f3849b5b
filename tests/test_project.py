"""The project's own promises: the wheel carries the grammar, the code is typed and linted,
the benchmarks run."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from . import background
from .background import Run, Steps

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
    rendered = table(result)
    for name, figure in result["figures"].items():
        ratio = figure["ratio"]
        # A ratio of two measured times: finite and positive (0, inf and nan mean a timer
        # that never ran or a division by nothing).
        assert math.isfinite(ratio) and ratio > 0, (name, ratio)
        # "met" is the stated comparison of this ratio with its target (no timed assertion:
        # whether the target is met depends on the machine, how it is judged does not).
        if figure["target"] is None:
            assert figure["met"] is None
        else:
            operator, target = figure["target"].split()
            expected = ratio >= float(target) if operator == ">=" else ratio <= float(target)
            assert operator in (">=", "<=") and figure["met"] is expected, (name, figure)
        verdict = {True: "yes", False: "**no**", None: "(info)"}[figure["met"]]
        assert f"| {name} | {ratio:.2f} | {figure['target'] or ''} | {verdict} |" in rendered
    for name, value in result["absolute"].items():
        assert math.isfinite(value) and value > 0, (name, value)
        assert f"| {name} | {value:.2f} |" in rendered


@pytest.mark.slow
def test_strategies_benchmark_compares_with_from_regex() -> None:
    from benchmarks import strategies as bench
    from cdcpos.strategies import _grammar

    # Inside, terminals are drawn by st.from_regex; outside, by the translation again.
    with bench._drawn_by_from_regex():
        assert "from_regex(" in repr(_grammar._terminal("POSTGRES_LSN"))
    assert "from_regex(" not in repr(_grammar._terminal("POSTGRES_LSN"))
    rows = bench.measure(examples=5, repeats=1)
    assert [row["strategy"] for row in rows] == list(bench.SUBJECTS)
    for row in rows:
        assert math.isfinite(row["speed-up"]) and row["speed-up"] > 0, row


def test_a_kept_cold_start_venv_is_rebuilt_when_the_package_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``benchmarks.run --venv DIR`` keeps the venv of the cold start; it must not measure
    # the code of an older tree.  A tree of two files stands in for the checkout, and the
    # pip and venv commands are recorded instead of run (they are what is being decided).
    from benchmarks import run

    tree = tmp_path / "tree"
    (tree / "cdcpos" / "__pycache__").mkdir(parents=True)
    (tree / "pyproject.toml").write_text("[project]\n")
    (tree / "cdcpos" / "__init__.py").write_text("A = 1\n")
    monkeypatch.setattr(run, "ROOT", tree)
    venv = tmp_path / "venv"
    commands: list[list[str]] = []

    def recorded(command: list[str], **kwargs: object) -> None:
        commands.append(command)
        if "wheel" in command:
            wheels = Path(command[command.index("-w") + 1])
            wheels.mkdir(parents=True, exist_ok=True)
            (wheels / "cdcpos-0-py3-none-any.whl").write_text("")
        if "venv" in command:
            (venv / "bin").mkdir(parents=True)
            (venv / "bin" / "python").write_text("")

    monkeypatch.setattr(run.subprocess, "run", recorded)
    first = run.source_digest()
    run.installed_python(venv)
    assert [c for c in commands if "venv" in c] and [c for c in commands if "install" in c]
    commands.clear()
    run.installed_python(venv)  # the same tree: kept as it is
    assert commands == []
    (tree / "cdcpos" / "__pycache__" / "x.pyc").write_bytes(b"\0")  # not the source
    assert run.source_digest() == first
    (tree / "cdcpos" / "__init__.py").write_text("A = 2\n")
    assert run.source_digest() != first
    run.installed_python(venv)  # rebuilt and reinstalled, in the venv it has
    assert [c for c in commands if "wheel" in c] and [c for c in commands if "install" in c]
    assert not [c for c in commands if "venv" in c]
    commands.clear()
    run.installed_python(venv)
    assert commands == []


# ---------------------------------------------------------------- the CI command check


def _ci_check() -> Any:
    spec = importlib.util.spec_from_file_location(
        "ci_test_command", ROOT / ".ci" / "test_command.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CI = _ci_check()


SLOW, FAST, NO_PYTEST = "run the slow tests", "run the fast tests", "does not run pytest"


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        ('python -m pip install -e ".[test]" && python -m pytest -m "slow or not slow"', None),
        ("python -m pytest && python -m pytest -m slow", None),
        ("CI=true python3.11 -X dev -m pytest -mslow; pytest tests", None),
        ("python -m pytest -m ''", None),
        ("python -m pytest \\\n  -m 'slow or not slow'", None),
        ('python -m pip install -e ".[test]" && python -m pytest', SLOW),
        ('python -m pytest -m "not slow"', SLOW),
        ("python -m pytest -m slow", FAST),
        ('python -m pytest -m "slow or not slow" -m "not slow"', SLOW),
        ("echo pytest -m 'slow or not slow'", NO_PYTEST),
        ("python tests/pytest -m slow", NO_PYTEST),
        ("make test", NO_PYTEST),
        ("", "no test command"),
        ("python -m pytest -m 'slow or'", "unreadable -m expression"),
    ],
)
def test_ci_refuses_a_command_that_does_not_run_the_whole_suite(
    command: str, refusal: str | None
) -> None:
    found = CI.problems(command)
    if refusal is None:
        assert found == []
    else:
        assert len(found) == 1 and refusal in found[0], found


@pytest.mark.parametrize(
    "expression", ["slow", "not slow", "slow or not slow", "(slow and not slow)", "other", ""]
)
@pytest.mark.parametrize("marker", ["slow", None])
def test_the_fallback_reads_markers_like_pytest(expression: str, marker: str | None) -> None:
    if expression:
        assert CI._fallback(expression, lambda name: name == marker) is CI.selects(
            expression, marker
        )


@background.job("test_ci_reads_the_readme_and_refuses_a_bad_command")
def _ci_command_runs(tmp: Path) -> Steps[dict[str, Any]]:
    # Two interpreters importing pytest's parser (0.5 s): they run while the tests before
    # this one do (tests/background.py).
    seen: dict[str, Any] = {}
    seen["ours"] = yield Run(
        [sys.executable, str(ROOT / ".ci" / "test_command.py"), str(ROOT / "README.md")]
    )
    readme = tmp / "README.md"
    readme.write_text("intro\n<!-- test-command -->\n```sh\npython -m pytest\n```\n", "utf-8")
    seen["bad"] = yield Run([sys.executable, str(ROOT / ".ci" / "test_command.py"), str(readme)])
    return seen


def test_ci_reads_the_readme_and_refuses_a_bad_command() -> None:
    seen = _ci_command_runs.result()
    ours = seen["ours"]
    ours.check_returncode()
    assert ours.stdout.strip() == CI.read_command((ROOT / "README.md").read_text("utf-8"))
    assert CI.problems(ours.stdout) == [] and "pytest" in ours.stdout
    bad = seen["bad"]
    assert bad.returncode == 2 and bad.stdout == ""
    assert "does not run the slow tests" in bad.stderr
    assert "test_command.py README.md) || exit 2" in (ROOT / ".ci" / "run").read_text("utf-8")


# ---------------------------------------------------------------- reproducible randomness


def test_ci_runs_hypothesis_derandomized_and_prints_how_to_replay() -> None:
    from hypothesis import HealthCheck, settings

    from conftest import profile_for

    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.print_blob and ci.database is None
    assert profile_for({"CI": "true"}) == "ci" and profile_for({"CI": "1"}) == "ci"
    assert profile_for({}) == "dev" and profile_for({"CI": "false"}) == "dev"
    assert profile_for({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "dev"
    assert settings.get_profile("dev").print_blob
    for name in ("dev", "ci"):  # timings are not assertions here
        profile = settings.get_profile(name)
        assert profile.deadline is None and HealthCheck.too_slow in profile.suppress_health_check
    assert settings.default.derandomize is (profile_for(os.environ) == "ci")
