"""Parquet on the command line (in this process, as tests/test_cli.py runs it; in a real
one where imports are the subject): ``--column NAME`` reads a column of a Parquet file as
lines (parse, validate, sort, latest), and ``parse --format parquet --output FILE`` writes
the columns of ``cdcpos.arrow.parse``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.examples import SPEC_EXAMPLES
from tests.test_cli import MODULE, jsonl, lines, run

TEXTS = [text for text, _ in SPEC_EXAMPLES] + ["zz", "Oracle SCN:6916533"]


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "export.parquet"
    pq.write_table(
        pa.table(
            {
                "task": [f"t{i % 3}" for i in range(len(TEXTS) + 1)],
                "position": [*TEXTS, None],
                "scn": [*range(len(TEXTS)), None],
                "ratio": [0.5] * (len(TEXTS) + 1),
            }
        ),
        path,
        row_group_size=7,  # several row groups
    )
    return path


def test_parse_a_column_is_parsing_its_rows_as_lines(table: Path, tmp_path: Path) -> None:
    text_file = tmp_path / "export.txt"
    text_file.write_text("".join(t + "\n" for t in TEXTS))
    from_text = jsonl(run("parse", text_file).stdout)
    result = run("parse", "--column", "position", table)
    assert (result.returncode, result.stderr) == (0, b"")
    records = jsonl(result.stdout)
    assert [r["line"] for r in records] == list(range(1, len(TEXTS) + 2))
    assert {r["file"] for r in records} == {str(table)}
    for ours, theirs in zip(records, from_text, strict=False):
        assert {**ours, "file": None} == {**theirs, "file": None}
    assert records[-1]["error"]["type"] == "NullValue"  # a null row
    assert run("parse", "--column", "position", "--jobs", "2", table).stdout == result.stdout


def test_validate_sort_latest(table: Path, tmp_path: Path) -> None:
    validate = run("validate", "--column", "position", table)
    assert validate.returncode == 1
    assert f"{table}:{len(TEXTS) + 1}: Invalid line '': a null, not a position".encode() in (
        validate.stderr
    )
    lsns = tmp_path / "lsns.parquet"
    pq.write_table(pa.table({"lsn": pa.array(["0/9", "0/1", "16/0"]).dictionary_encode()}), lsns)
    assert run("validate", lsns).returncode == 0  # one column: no --column needed
    assert lines(run("sort", lsns).stdout) == ["0/1", "0/9", "16/0"]
    assert lines(run("latest", "--column", "lsn", lsns).stdout) == ["16/0"]
    scns = run("sort", "--column", "scn", "--skip-invalid", table)  # integers are read as text
    assert lines(scns.stdout) == [str(i) for i in range(len(TEXTS))]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "has 4 columns ('task', 'position', 'scn', 'ratio'): --column says which holds the positions",
        ),
        (("--column", "nope"), "no column 'nope' (columns: 'task', 'position', 'scn', 'ratio')"),
        (("--column", "ratio"), "column 'ratio' is double, not text"),
    ],
)
def test_column_problems(table: Path, args: tuple[str, ...], message: str) -> None:
    result = run("parse", *args, table)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == f"cdcpos parse: {table}: {message}\n".replace(
        f"{table}: has", f"{table} has"
    )


def test_not_parquet_stdin_and_records(table: Path, tmp_path: Path) -> None:
    text_file = tmp_path / "a.txt"
    text_file.write_text("0/1\n")
    wrong = run("validate", "--column", "x", text_file)
    assert wrong.returncode == 2
    assert f"cannot read {text_file} as Parquet".encode() in wrong.stderr
    stdin = run("parse", "--column", "x", stdin=b"0/1\n")
    assert stdin.returncode == 2
    assert b"--column reads Parquet files, not <stdin>" in stdin.stderr
    records = run("latest", "--key", "task", "--value", "position", "--column", "position", table)
    assert records.returncode == 2
    assert b"--key and --value read TSV or JSON Lines records" in records.stderr


def test_missing_pyarrow_names_the_extra(table: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "pyarrow.py").write_text("raise ImportError('No module named pyarrow')\n")
    env_path = f"{blocker}:{Path(__file__).resolve().parent.parent}"
    result = subprocess.run(
        [*MODULE, "parse", "--column", "position", str(table)],
        capture_output=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == (
        b"cdcpos parse: error: reading or writing Parquet needs pyarrow: "
        b"pip install 'cdcpos[arrow]'\n"
    )


def test_text_input_never_imports_pyarrow(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("0/1\n")
    code = (
        "import sys; from cdcpos.cli import main; main(['validate', sys.argv[1]]); "
        "assert 'pyarrow' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr


def test_format_parquet(table: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.parquet"
    result = run("parse", "--format", "parquet", "--output", output, "--column", "position", table)
    if importlib.util.find_spec("cdcpos.arrow") is None:
        # Until cdcpos.arrow is merged: a clear refusal, never a fake file.
        assert result.returncode == 2
        assert result.stderr == (
            b"cdcpos parse: error: --format parquet needs cdcpos.arrow, which this build of "
            b"cdcpos lacks\n"
        )
        assert not output.exists()
        return
    import cdcpos.arrow

    assert (result.returncode, result.stderr) == (0, b"")
    written = pq.read_table(output)
    expected = cdcpos.arrow.parse([*TEXTS, None])
    assert written.column_names[:3] == ["file", "line", "input"]
    assert written.column("line").to_pylist() == list(range(1, len(TEXTS) + 2))
    # flatten(): a null row (a null input) is null in every child, as the file writes it.
    for field, child in zip(expected.type, expected.flatten(), strict=True):
        assert written.column(field.name).to_pylist() == child.to_pylist()


@pytest.mark.parametrize(
    "args",
    [("--format", "parquet"), ("--output", "x.parquet"), ("--format", "json", "--output", "x")],
)
def test_format_parquet_needs_output(args: tuple[str, ...]) -> None:
    result = run("parse", *args, stdin=b"0/1\n")
    assert result.returncode == 2
    assert b"--format parquet writes to --output FILE" in result.stderr
