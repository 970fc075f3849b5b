"""The fuzzing harness (fuzz/): every public entry point has an atheris target, and CI runs
each for a bounded number of inputs, in real fuzzing processes.

atheris is a test dependency: when it cannot be imported or cannot run, these tests fail
(they never skip).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from . import background
from .background import Run, Steps

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
# Inputs per target in CI: every target finishes in seconds on a 2-core machine.
CI_RUNS = 500

# Every public entry point, and the target that fuzzes it.
EXPECTED_TARGETS = {
    "parse",
    "parse_start_position",
    "parse_stop_position",
    "parse_checkpoint",
    "parse_db2_start_from_context",
    "value_classes",  # every class constructor, and the spelling conversions
    "parse_many",
    "iter_parse",
    "parse_start_time",
    "pydantic_types",  # cdcpos values as pydantic fields
    "aws_models",  # cdcpos.aws request and response models
    "str_subclasses",  # StrEnum, numpy.str_, a str whose __str__ raises
    "numbers",  # numpy scalars and int subclasses as CdcStartTime and integer positions
    "bulk_items",  # None and other non-str items in parse_many
    "deep_json_models",  # deeply nested JSON for the pydantic types and the DMS models
    "cli_records",  # cdcpos sort/latest on fuzzed TSV/JSON Lines, deeply nested JSON included
}
# Targets that find a defect in code another part of the project owns: strict, so that the
# fix is noticed (the marker is then removed).
FOUND_ELSEWHERE: dict[str, str] = {}  # target -> "owner: the bug it finds", strict xfail


def _targets_in_the_source() -> set[str]:
    """The names fuzz/targets.py gives TARGETS: its dict's keys and ``TARGETS[name] = ...``."""
    tree = ast.parse((FUZZ / "targets.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "TARGETS" for t in targets):
                names |= {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "TARGETS"
                    and isinstance(target.slice, ast.Constant)
                ):
                    names.add(target.slice.value)
    return names


def test_every_public_entry_point_has_a_target() -> None:
    # Read from the source here; the slow test below asks a real fuzzing process, which
    # defines the optional targets only when their extra is installed (all are, in CI).
    assert _targets_in_the_source() == EXPECTED_TARGETS


@pytest.mark.slow
def test_a_fuzzing_process_lists_every_target() -> None:
    listing = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz.py"), "--list"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    targets = {line for line in listing.stdout.split() if not line.startswith("INFO")}
    assert targets == EXPECTED_TARGETS


@background.job("test_a_short_fuzzing_run_works")
def short_fuzzing_run(tmp: Path) -> Steps[subprocess.CompletedProcess[str]]:
    # 2 s of a process: it runs while the tests before it do (tests/background.py).
    return (
        yield Run(
            [sys.executable, str(FUZZ / "fuzz.py"), "parse", "-runs=50", "-seed=1", str(tmp)],
            cwd=ROOT,
            timeout=120,
        )
    )


def test_a_short_fuzzing_run_works() -> None:
    """atheris really runs (instrumented, coverage-guided): a few inputs, in seconds."""
    result = short_fuzzing_run.result()
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Done 50 runs" in result.stderr
    assert "Instrumenting cdcpos._parse" in result.stderr  # coverage guidance is on


def run_targets(targets: list[str], tmp_path: Path) -> tuple[int, dict[str, str]]:
    result = subprocess.run(
        [
            sys.executable,
            str(FUZZ / "run.py"),
            f"--runs={CI_RUNS}",
            "--seed=1",
            f"--corpus={tmp_path / 'corpus'}",
            f"--artifacts={tmp_path / 'artifacts'}",
            *targets,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    rows = {}
    for line in result.stdout.splitlines():
        name, *rest = line.split(maxsplit=1)
        if name in targets:
            rows[name] = rest[0] if rest else ""
    assert set(rows) == set(targets), result.stdout + result.stderr[-2000:]
    return result.returncode, rows


@pytest.fixture(scope="module")
def bounded_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, str]]:
    """Every target for CI_RUNS inputs, in one fuzz/run.py call (several at a time)."""
    return run_targets(sorted(EXPECTED_TARGETS), tmp_path_factory.mktemp("fuzz"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "target",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=FOUND_ELSEWHERE[name]))
        if name in FOUND_ELSEWHERE
        else name
        for name in sorted(EXPECTED_TARGETS)
    ],
)
def test_every_target_survives_a_bounded_run(
    target: str, bounded_run: tuple[int, dict[str, str]]
) -> None:
    _, rows = bounded_run
    row = rows[target]
    inputs = int(row.split()[0])
    assert inputs >= CI_RUNS and row.endswith("ok"), f"{target}: {row}"


def test_seeds_are_the_documented_examples() -> None:
    """The seed corpus starts the fuzzer from every real example the spec gives."""
    seeds = (FUZZ / "seeds" / "positions.txt").read_text(encoding="utf-8").split("\n")
    spec_checkpoints = [s for s in seeds if s.startswith("checkpoint:V1#")]
    assert len(spec_checkpoints) >= 5
    import cdcpos

    valid = [s for s in seeds if s and _accepted(cdcpos.parse, s)]
    invalid = [s for s in seeds if s and not _accepted(cdcpos.parse, s)]
    assert len(valid) >= 20 and len(invalid) >= 15
    assert any(re.search("[\u201c\u201d]", s) for s in invalid)


def _accepted(parse: object, text: str) -> bool:
    import cdcpos

    try:
        parse(text)  # type: ignore[operator]
    except cdcpos.InvalidPosition:
        return False
    return True
