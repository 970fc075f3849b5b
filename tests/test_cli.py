"""The ``cdcpos`` command: every command, stdin and files, exit codes, JSON Lines output, and
the awkward inputs (bad UTF-8, empty files, no final newline, CRLF, BOM, huge lines).

Most tests run the command in this process (``run``: ``cdcpos.cli.main`` with stdin,
stdout and stderr of its own, as bytes, stdin cut into reads as a pipe cuts them): that
is the whole command but the interpreter's start-up, at a hundredth of the cost.  What
only a real process shows runs in one (``run_process``): the installed console script
and ``python -m cdcpos``, the locale, a reader that goes away, a terminal, memory.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NamedTuple

import pytest

import cdcpos
from cdcpos import cli
from cdcpos.cli import _fields, _input
from tests.examples import DB2_EXAMPLES, SPEC_EXAMPLES

from . import background
from .background import Run, Steps

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "positions.txt"
EXAMPLE_LINES = EXAMPLES.read_text(encoding="utf-8").splitlines()
INVALID_EXAMPLE_LINES = {19: 13, 20: None, 21: 7}  # line -> column of the problem
AWS_DATA = ROOT / "tests" / "data" / "aws"


def _console_script() -> str:
    # The script installed next to this interpreter (pip install -e .), so the test runs
    # the same environment as pytest; PATH is the fallback.
    beside = Path(sys.executable).with_name("cdcpos")
    found = str(beside) if beside.exists() else shutil.which("cdcpos")
    assert found, "the cdcpos console script is not installed: run `pip install -e .`"
    return found


CDCPOS = [_console_script()]
MODULE = [sys.executable, "-m", "cdcpos"]


def _env(base: Mapping[str, str] = os.environ, **extra: str) -> dict[str, str]:
    """The environment of a real process: this one's (or ``base``) without CI (no progress
    bar decisions from the CI this runs in) and PYTHONIOENCODING, with this tree first on
    PYTHONPATH, so that the console script runs the code under test even when another
    checkout is the one installed."""
    env = {k: v for k, v in base.items() if k not in ("CI", "PYTHONIOENCODING")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_process(
    *args: str | Path, stdin: bytes | None = None, command: list[str] = CDCPOS, **env: str
) -> subprocess.CompletedProcess[bytes]:
    """The command in a real process (the console script unless ``command`` says)."""
    return subprocess.run(
        [*command, *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=_env(**env),
        timeout=120,
    )


class Result(NamedTuple):
    """What a command gave: the fields of ``subprocess.CompletedProcess`` the tests read."""

    returncode: int
    stdout: bytes
    stderr: bytes


PIPE_READ = 1 << 16  # what one read of a Linux pipe gives at most (its buffer)


class _Pipe(io.BytesIO):
    """stdin as a pipe gives it: at most PIPE_READ bytes per read, so that lines are cut
    across reads where a real pipe cuts them (files are read in BLOCK_SIZE reads)."""

    def read1(self, size: int | None = -1) -> bytes:
        size = PIPE_READ if size is None or size < 0 else min(size, PIPE_READ)
        return super().read1(size)


class _ReaderGone(io.BytesIO):
    """A pipe whose reader went away (``| head -1``) after reading PIPE_READ bytes."""

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > PIPE_READ:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
        return super().write(data)


class _ShortWrites(io.BytesIO):
    """An unbuffered stdout (``python -u``) on a pipe a signal interrupts: each write
    takes a little and says how much."""

    def write(self, data: Any) -> int:
        return super().write(bytes(data[:1000]))


@contextlib.contextmanager
def _environment(**env: str) -> Iterator[None]:
    """os.environ as ``_env`` makes it for a process, for the time of an in-process run."""
    saved = dict(os.environ)
    try:
        for name in ("CI", "PYTHONIOENCODING"):
            os.environ.pop(name, None)
        os.environ.update(env)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(
    *args: str | Path,
    stdin: bytes | None = None,
    closed: tuple[str, ...] = (),
    stdout_to: str = "pipe",
    **env: str,
) -> Result:
    """``cdcpos ARGS`` in this process: ``cdcpos.cli.main`` with stdin, stdout and stderr
    of its own, UTF-8 text over bytes as a process has them.

    ``closed`` names streams that are closed (``<&-``, ``>&-``, ``2>&-``: Python starts
    with None for them); ``stdout_to`` is ``"pipe"`` (captured), ``"full"`` (/dev/full:
    every write fails with ENOSPC), ``"file"`` (a temporary file: a real file descriptor,
    which ``--jobs`` workers write to themselves), ``"gone"`` (a reader that goes away) or
    ``"short"`` (writes that take part of the data).
    """
    err_bytes = io.BytesIO()
    out_bytes = {"gone": _ReaderGone, "short": _ShortWrites}.get(stdout_to, io.BytesIO)()
    stdout: IO[str] | None
    if "stdout" in closed:
        stdout = None
    elif stdout_to == "full":
        stdout = open("/dev/full", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    elif stdout_to == "file":
        stdout = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed below
    else:
        stdout = io.TextIOWrapper(out_bytes, encoding="utf-8")
    streams = (
        None if "stdin" in closed else io.TextIOWrapper(_Pipe(stdin or b""), encoding="utf-8"),
        stdout,
        None
        if "stderr" in closed
        else io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace"),
    )
    saved = (sys.stdin, sys.stdout, sys.stderr)
    with _environment(**env):
        sys.stdin, sys.stdout, sys.stderr = streams  # type: ignore[assignment]
        try:
            status = cli.main([str(arg) for arg in args])
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
    for stream in streams:
        with contextlib.suppress(OSError, ValueError):  # what a dying process would drop
            if stream is not None:
                stream.flush()
    if stdout_to == "file" and stdout is not None:
        stdout.seek(0)
        out_bytes.write(stdout.buffer.read())  # type: ignore[attr-defined]
    if stdout_to in ("full", "file") and stdout is not None:
        with contextlib.suppress(OSError):
            stdout.close()
    return Result(status, out_bytes.getvalue(), err_bytes.getvalue())


def jsonl(output: bytes) -> list[dict[str, Any]]:
    """Every output line is one JSON object, UTF-8, and the output ends with a newline."""
    text = output.decode("utf-8")
    assert text == "" or text.endswith("\n")
    records = [json.loads(line) for line in text.split("\n")[:-1]]
    assert all(isinstance(record, dict) for record in records)
    return records


def lines(output: bytes) -> list[str]:
    return output.decode("utf-8").splitlines()


# ====================================================================== entry points


ENTRY_POINTS = {"script": CDCPOS, "module": MODULE}


@background.job("test_entry_points")
def _entry_point_runs(tmp: Path) -> Steps[dict[str, list[subprocess.CompletedProcess[bytes]]]]:
    # Six processes (1 s), run while the tests before these do (tests/background.py).
    runs: dict[str, list[subprocess.CompletedProcess[bytes]]] = {}
    for name, command in ENTRY_POINTS.items():
        runs[name] = []
        for args in (
            ["parse", str(EXAMPLES)],
            ["validate", "--value", "4AF/B00000D0", "--value", "0/x"],
            ["frobnicate"],
        ):
            env = _env(background.environ())
            runs[name].append((yield Run([*command, *args], env=env, text=False, timeout=120)))
    return runs


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_entry_points(name: str) -> None:
    # The installed console script and `python -m cdcpos` are the command run in this
    # process by every other test: the same output, and main()'s status as their own.
    parsed, bad, usage = _entry_point_runs.result()[name]
    assert (parsed.returncode, parsed.stderr) == (0, b"")
    assert parsed.stdout == run("parse", EXAMPLES).stdout
    assert bad.returncode == 1
    assert bad.stderr == (
        b"Invalid position '0/x': unexpected 'x' at column 3 (expected a hex digit)\n"
    )
    assert usage.returncode == 2
    assert b"invalid choice: 'frobnicate'" in usage.stderr
    assert b"Traceback" not in usage.stderr


def test_the_runner_in_this_process_is_the_command() -> None:
    # What the in-process runner stands in for: stdin read through its binary buffer in
    # pipe-sized reads, stdout and stderr as UTF-8 bytes, os.environ as a process has it.
    data = b"b" * 95 + b".1:4\n"  # 100 bytes
    data = data * (PIPE_READ // 100 + 1)
    reads = []
    pipe = _Pipe(data)
    while chunk := pipe.read1(_input.BLOCK_SIZE):
        reads.append(len(chunk))
    assert reads == [PIPE_READ, 100 - PIPE_READ % 100]
    before = os.environ.get("TERM")
    result = run("parse", "--no-fields", stdin=data, TERM="dumb")
    assert os.environ.get("TERM") == before
    assert [r["line"] for r in jsonl(result.stdout)] == list(range(1, PIPE_READ // 100 + 2))


# ====================================================================== parse


def test_parse_example_file_one_record_per_line() -> None:
    result = run("parse", EXAMPLES)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    records = jsonl(result.stdout)
    assert [r["line"] for r in records] == list(range(1, len(EXAMPLE_LINES) + 1))
    assert [r["input"] for r in records] == EXAMPLE_LINES
    assert {r["file"] for r in records} == {str(EXAMPLES)}
    for record in records:
        if record["line"] in INVALID_EXAMPLE_LINES:
            assert list(record) == ["file", "line", "input", "ok", "error"]
            assert record["ok"] is False
            error = record["error"]
            assert error["type"] == "InvalidPosition"
            assert error["column"] == INVALID_EXAMPLE_LINES[record["line"]]
            assert error["message"].startswith("Invalid position ")
            assert "(item" not in error["message"]  # the CLI says where by line
            with pytest.raises(cdcpos.InvalidPosition) as raised:
                cdcpos.parse(record["input"])
            assert error["reason"] == raised.value.reason
            assert error["hint"] == raised.value.hint
        else:
            assert list(record) == ["file", "line", "input", "ok", "kind", "canonical", "fields"]
            value = cdcpos.parse(record["input"])
            assert record["ok"] is True
            assert record["kind"] == value.kind
            assert record["canonical"] == str(value)
            assert record["fields"] == cli.fields_of(value)


def test_parse_fields_of_each_kind() -> None:
    by_kind: dict[str, dict[str, Any]] = {}  # the first line of each kind
    for record in jsonl(run("parse", EXAMPLES).stdout):
        if record["ok"]:
            by_kind.setdefault(record["kind"], record)
    assert by_kind["postgres_lsn"]["fields"] == {"value": 0x4AF_B00000D0}
    assert by_kind["sqlserver_lsn"]["fields"] == {
        "value": 0x00000014_00000061_0001,
        "virtual_log_file": 0x14,
        "block": 0x61,
        "slot": 1,
    }
    assert by_kind["oracle_scn"]["fields"] == {"value": 6916533}
    assert by_kind["mysql_binlog"]["fields"] == {
        "file": "mysql-bin-changelog.000024",
        "stem": "mysql-bin-changelog",
        "sequence": 24,
        "offset": 373,
    }
    assert by_kind["date"]["fields"] == {"value": "2018-03-08T12:12:12"}
    assert by_kind["server_time"]["fields"] == {
        "clock": "server_time",
        "value": "2018-02-09T12:12:12",
    }
    mysql_checkpoint = by_kind["checkpoint"]["fields"]  # the first checkpoint line
    assert mysql_checkpoint["version"] == 1
    assert mysql_checkpoint["counters"] == [27, 0, 0, 0, 93]
    assert mysql_checkpoint["engine_kind"] == "mysql_stream"
    assert mysql_checkpoint["second_position"] is None
    stream = mysql_checkpoint["position"]
    assert stream["kind"] == "mysql_stream"
    assert stream["fields"]["transaction_id"] == 677883278264080
    assert stream["fields"]["binlog_position"]["fields"]["offset"] == 1975
    assert stream["fields"]["second_binlog_position"]["canonical"] == (
        "mysql-bin-changelog.157832:1876"
    )


def _all_example_values() -> list[cdcpos.Position]:
    values = [cdcpos.parse(text) for text, _ in SPEC_EXAMPLES]
    values += [cdcpos.parse_db2_start_from_context(text) for text, _ in DB2_EXAMPLES]
    values += [
        cdcpos.parse('checkpoint:V1#1#a"b\\c\u0041#0#0#zz-98#0#0'),  # opaque, JSON escapes
        cdcpos.parse("checkpoint:V1#-1#0/1#0#0#0/2#0#0"),
        cdcpos.parse("commit_time:2018-02-09T12:12:12"),
    ]
    return values


def test_written_json_of_fields_is_the_json_of_fields_of() -> None:
    # The CLI writes the JSON of `fields` by hand for speed; it must be exactly the JSON
    # of fields_of(), key order included, for every class.
    values = _all_example_values()
    classes = {type(v) for v in values}
    for value in values:
        nested = [value]
        if isinstance(value, cdcpos.Checkpoint):
            nested += [value.position, value.second_position or value.position]
            classes |= {type(p) for p in nested}
        for item in nested:
            written = _fields.FIELDS_JSON[type(item)](item)
            assert written == _fields.ENCODE(cli.fields_of(item)), item
            assert list(json.loads(written)) == list(cli.fields_of(item))
    position_classes = {
        getattr(cdcpos, name)
        for name in cdcpos.__all__
        if isinstance(getattr(cdcpos, name), type)
        and issubclass(getattr(cdcpos, name), cdcpos.Position)
        and getattr(cdcpos, name).__dict__.get("kind")
    }
    assert position_classes <= classes | {cdcpos.MySqlStreamPosition, cdcpos.OracleStreamPosition}
    assert position_classes <= set(_fields.FIELDS_JSON)


def test_fields_of_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="fields_of takes a cdcpos value, not str"):
        cli.fields_of("0/1")  # type: ignore[arg-type]


def test_parse_stdin_and_dash_read_the_same_lines() -> None:
    data = EXAMPLES.read_bytes()
    from_file = jsonl(run("parse", EXAMPLES).stdout)
    for args in ((), ("-",)):
        result = run("parse", *args, stdin=data)
        assert result.returncode == 0
        from_stdin = jsonl(result.stdout)
        assert {r["file"] for r in from_stdin} == {"<stdin>"}
        assert [{**r, "file": None} for r in from_stdin] == [{**r, "file": None} for r in from_file]


def test_parse_several_files_numbers_lines_per_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"0/1\n0/2\n")
    second.write_bytes(b"6916533\n")
    records = jsonl(run("parse", first, "-", second, stdin=b"zz\n").stdout)
    assert [(r["file"], r["line"], r["ok"]) for r in records] == [
        (str(first), 1, True),
        (str(first), 2, True),
        ("<stdin>", 1, False),
        (str(second), 1, True),
    ]


def test_parse_format_json_is_one_array_of_the_same_records() -> None:
    records = jsonl(run("parse", EXAMPLES).stdout)
    result = run("parse", "--format", "json", EXAMPLES)
    assert result.returncode == 0
    assert json.loads(result.stdout) == records
    empty = run("parse", "--format", "json", stdin=b"")
    assert json.loads(empty.stdout) == []


def test_parse_format_table() -> None:
    result = run("parse", "--format", "table", EXAMPLES)
    assert result.returncode == 0
    rows = lines(result.stdout)
    assert rows[0].split() == ["LINE", "OK", "KIND", "CANONICAL", "OR", "ERROR"]
    assert len(rows) == len(EXAMPLE_LINES) + 1
    assert rows[11].split() == ["11", "yes", "postgres_lsn", "4AF/B00000D0"]
    assert rows[21].split()[:3] == ["21", "no", "-"]
    assert "Invalid position 'Oracle SCN:6916533'" in rows[21]


def test_parse_no_fields() -> None:
    records = jsonl(run("parse", "--no-fields", EXAMPLES).stdout)
    assert all("fields" not in r for r in records)
    assert [r["canonical"] for r in records if r["ok"]] == [
        str(cdcpos.parse(line))
        for i, line in enumerate(EXAMPLE_LINES, 1)
        if i not in INVALID_EXAMPLE_LINES
    ]


def test_parse_kind_engine_lenient() -> None:
    data = b"0/1\n6916533\ncheckpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n"
    checkpoints = jsonl(run("parse", "--kind", "checkpoint", stdin=data).stdout)
    assert [r["ok"] for r in checkpoints] == [False, False, True]
    assert checkpoints[0]["error"]["field"] == "RecoveryCheckpoint"
    postgres = jsonl(run("parse", "--kind", "start", "--engine", "postgres", stdin=data).stdout)
    assert [r["ok"] for r in postgres] == [True, False, True]
    assert "not a position of engine 'postgres'" in postgres[1]["error"]["message"]
    stop = b"commit_time: 3018-02-09T12:12:12 \n"
    assert jsonl(run("parse", "--kind", "stop", stdin=stop).stdout)[0]["ok"] is False
    lenient = jsonl(run("parse", "--kind", "stop", "--lenient", stdin=stop).stdout)[0]
    assert lenient["canonical"] == "commit_time:3018-02-09T12:12:12"
    db2 = jsonl(run("parse", "--kind", "db2-context", stdin=b"NOW\n").stdout)[0]
    assert (db2["kind"], db2["canonical"], db2["fields"]) == ("db2_now", "NOW", {})


def test_parse_start_time() -> None:
    data = b"1520511132\n2018-03-08T12:12:12+01:00\n1641556979000\n-99999999999\n 2018-03-08\n"
    records = jsonl(run("parse", "--kind", "start-time", stdin=data).stdout)
    assert [r["ok"] for r in records] == [True, True, False, False, False]
    assert records[0]["kind"] == "start_time"
    assert records[0]["canonical"] == "2018-03-08T12:12:12Z"
    assert records[0]["fields"] == {"epoch_seconds": 1520511132}
    assert records[1]["canonical"] == "2018-03-08T11:12:12Z"
    assert "milliseconds" in records[2]["error"]["hint"]
    assert records[3]["error"]["field"] == "CdcStartTime"  # out of datetime's range
    lenient = jsonl(run("parse", "--kind", "start-time", "--lenient", stdin=data).stdout)
    assert lenient[4]["canonical"] == "2018-03-08T00:00:00Z"
    postgres = run("parse", "--kind", "start-time", "--engine", "postgres", stdin=b"1520511132\n")
    assert "PostgreSQL sources do not support" in jsonl(postgres.stdout)[0]["error"]["hint"]


# ---------------------------------------------------------------- awkward input


def test_bad_utf8_is_reported_per_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"0/1\n\xff\xfe0/2\n0/\xc3(\n\xe2\x80\x9c0/3\xe2\x80\x9d\n0/4")
    result = run("parse", path)
    assert result.returncode == 0
    assert result.stderr == b""
    records = jsonl(result.stdout)
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5]
    assert [r["ok"] for r in records] == [True, False, False, False, True]
    assert records[1]["input"] == "\\xff\\xfe0/2"
    assert records[1]["error"]["type"] == "InvalidUtf8"
    assert records[1]["error"]["column"] == 1
    assert "byte 0xff" in records[1]["error"]["message"]
    assert records[2]["error"]["column"] == 3
    assert records[3]["input"] == "\u201c0/3\u201d"  # good UTF-8, printed as UTF-8
    assert records[3]["error"]["type"] == "InvalidPosition"
    assert "\u201c0/3\u201d".encode() in result.stdout
    validate = run("validate", path)
    assert validate.returncode == 1
    assert f"{path}:2: Invalid line '\\\\xff\\\\xfe0/2': not UTF-8".encode() in validate.stderr
    assert b"Traceback" not in validate.stderr


def test_bad_utf8_in_a_large_block_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    # Lines of 100 bytes: the bad one 250,000 bytes in, in the first read of 256 KiB.
    filler = b"b" * 95 + b".1:4\n"
    path.write_bytes(filler * 2_500 + b"\x80\n" + filler * 2_499 + b"0/2\n")
    records = jsonl(run("parse", "--no-fields", path).stdout)
    assert len(records) == 5_001
    assert [r["line"] for r in records if not r["ok"]] == [2_501]
    assert records[-1] == {
        "file": str(path),
        "line": 5_001,
        "input": "0/2",
        "ok": True,
        "kind": "postgres_lsn",
        "canonical": "0/2",
    }


def test_empty_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args in (("parse", empty), ("validate", empty), ("sort", empty), ("latest", empty)):
        result = run(*args)
        assert (result.returncode, result.stdout, result.stderr) == (0, b"", b""), args


def test_line_endings_bom_and_no_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf0/1\r\n0/2\n\r\n0/3\r0/4\n\xe2\x80\xa80/5\x0b\n0/6\r")
    records = jsonl(run("parse", path).stdout)
    assert [r["input"] for r in records] == [
        "0/1",  # the BOM is not part of the first line
        "0/2",
        "",  # an empty line is a line, and not a position
        "0/3\r0/4",  # only \n and \r\n end lines
        "\u20280/5\x0b",  # nor do the other characters str.splitlines() splits on
        "0/6",  # a last line without \n, its \r dropped
    ]
    assert [r["ok"] for r in records] == [True, True, False, False, False, True]
    assert records[2]["error"]["reason"].startswith("empty")
    assert run("validate", path).returncode == 1


def test_a_huge_line_is_cut_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"0/1\n" + b"x" * (3 * _input.BLOCK_SIZE) + b"\n0/2")
    for source in ((path,), ()):
        stdin = None if source else path.read_bytes()
        records = jsonl(run("parse", *source, stdin=stdin).stdout)
        assert [(r["line"], r["ok"]) for r in records] == [(1, True), (2, False), (3, True)]
        assert records[1]["error"]["type"] == "LineTooLong"
        assert len(records[1]["input"]) == _input.LINE_LIMIT
    # A long line inside one block is the library's "too long" error.
    records = jsonl(run("parse", stdin=b"x" * 5000 + b"\n").stdout)
    assert records[0]["error"]["reason"].startswith("too long: 5000 characters")


@background.job("test_json_escapes_and_non_ascii")
def _json_escapes_run(tmp: Path) -> Steps[subprocess.CompletedProcess[bytes]]:
    # A real process (0.25 s), run while the tests before this one do (tests/background.py).
    data = '0/1\x00\n"\\\n\u00e9t\u00e9\n\u201c0/1\u201d\n'.encode()
    env = _env(background.environ(), LC_ALL="C", LANG="C")
    return (yield Run([*CDCPOS, "parse", "--lenient"], env=env, text=False, input=data))


def test_json_escapes_and_non_ascii() -> None:
    # A real process: the locale decides the encoding of its standard streams.
    result = _json_escapes_run.result()
    records = jsonl(result.stdout)
    assert [r["input"] for r in records] == ["0/1\x00", '"\\', "\u00e9t\u00e9", "\u201c0/1\u201d"]
    assert records[3]["canonical"] == "0/1"
    assert "\u00e9t\u00e9".encode() in result.stdout  # UTF-8 whatever the locale


def test_unreadable_file_exit_2_after_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(b"0/1\n")
    result = run("parse", tmp_path / "missing.txt", good, tmp_path)
    assert result.returncode == 2
    assert [r["input"] for r in jsonl(result.stdout)] == ["0/1"]
    assert b"cdcpos parse: cannot read" in result.stderr
    assert b"missing.txt: No such file or directory" in result.stderr
    assert b"Is a directory" in result.stderr
    assert run("validate", tmp_path / "missing.txt").returncode == 2
    assert run("sort", tmp_path / "missing.txt", good).stdout == b""


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    # A real pipe (tests/test_cli_robustness.py runs every writer against one in the slow
    # suite, and against a stand-in here): output far over the pipe's buffer.
    path = tmp_path / "many.txt"
    path.write_bytes(b"0/1\n" * 20_000)
    process = subprocess.Popen(
        [*CDCPOS, "parse", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
    )
    assert process.stdout is not None and process.stderr is not None
    with process.stdout, process.stderr:
        assert json.loads(process.stdout.readline())["canonical"] == "0/1"
        process.stdout.close()  # the reader goes away, as `| head -1` does
        stderr = process.stderr.read()
    # As cat or grep killed by SIGPIPE look to a shell: 128 + 13 (see cdcpos.cli).
    assert process.wait(timeout=60) == 141
    assert stderr == b""


@pytest.mark.parametrize(
    "args",
    [
        ("parse", EXAMPLES),
        ("parse", "--format", "json", EXAMPLES),
        ("parse", "--format", "table", EXAMPLES),
        ("convert", "--to", "postgres-padded"),
        ("sort", "--reverse"),
    ],
)
def test_short_writes_lose_nothing(args: tuple[str | Path, ...]) -> None:
    # Under `python -u` stdout's buffer is the file itself: a write may take part of the
    # data and say so, and the rest must still be written (it was dropped, exit 0).
    data = b"".join(b"0/%X\n" % n for n in range(500))
    expected = run(*args, stdin=data)
    assert run(*args, stdin=data, stdout_to="short") == expected
    assert expected.returncode == 0 and len(expected.stdout) > 1000


# ====================================================================== validate


def test_validate(tmp_path: Path) -> None:
    result = run("validate", EXAMPLES)
    assert result.returncode == 1
    assert result.stdout == b""
    messages = lines(result.stderr)
    assert [m.split(": ", 1)[0] for m in messages[:3]] == [
        f"{EXAMPLES}:19",
        f"{EXAMPLES}:20",
        f"{EXAMPLES}:21",
    ]
    assert "Hint: pass the bare SCN: '6916533'" in messages[2]
    assert messages[3] == "cdcpos validate: 3 of 21 lines invalid"
    quiet = run("validate", "-q", EXAMPLES)
    assert (quiet.returncode, quiet.stderr) == (1, b"")
    valid = tmp_path / "valid.txt"
    valid.write_text("".join(f"{line}\n" for line in EXAMPLE_LINES[:18]))
    assert run("validate", valid).returncode == 0
    assert run("validate", stdin=valid.read_bytes()).returncode == 0
    assert run("validate", "--kind", "checkpoint", valid).returncode == 1
    checkpoints = "".join(f"{line}\n" for line in EXAMPLE_LINES[:5]).encode()
    assert run("validate", "--kind", "checkpoint", stdin=checkpoints).returncode == 0


def test_validate_value() -> None:
    ok = run("validate", "--value", "4AF/B00000D0", "--value", "6916533")
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, b"", b"")
    bad = run("validate", "--value", "4AF/B00000D0", "--value", "0/x")
    assert bad.returncode == 1
    assert bad.stderr == (
        b"Invalid position '0/x': unexpected 'x' at column 3 (expected a hex digit)\n"
    )
    engine = run("validate", "--kind", "start", "--engine", "mysql", "--value", "0/1")
    assert engine.returncode == 1
    assert b"not a position of engine 'mysql'" in engine.stderr
    lenient = ["--kind", "stop", "--value", "commit_time: 2018-02-09T12:12:12 "]
    assert run("validate", *lenient).returncode == 1
    assert run("validate", "--lenient", *lenient).returncode == 0
    assert run("validate", "--kind", "start-time", "--value", "1520511132").returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("validate", "--engine", "nosuchdb", "--value", "0/1"), b"unknown engine 'nosuchdb'"),
        (("validate", "--engine", "kafka", "--value", "0/1"), b"a DMS target engine"),
        (("validate", "--kind", "lsn", "--value", "0/1"), b"invalid choice: 'lsn'"),
        (("validate", "--value", "0/1", "file.txt"), b"give either --value or files"),
        (("compare", "0/1"), b"the following arguments are required: B"),
        (("convert", "0/1"), b"the following arguments are required: --to"),
        (("latest", "--key", "task"), b"--key needs --value"),
        (("latest", "--no-header", "--value", "ck"), b"are column numbers"),
        ((), b"the following arguments are required: COMMAND"),
        (("frobnicate",), b"invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: bytes) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert b"Traceback" not in result.stderr


# ====================================================================== compare


@pytest.mark.parametrize(
    ("a", "b", "symbol", "number"),
    [
        ("4AF/B00000D0", "16/B374D848", ">", "1"),
        ("000004af/b00000d0", "4AF/B00000D0", "=", "0"),
        ("00000014:00000061:0001", "00000014:00000061:0002", "<", "-1"),
        ("mysql-bin-changelog.000024:373", "mysql-bin-changelog.000025:4", "<", "-1"),
        (
            "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
            "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
            ">",
            "1",
        ),
        ("server_time:2018-02-09T12:12:12", "server_time:2018-02-09T12:12:13", "<", "-1"),
    ],
)
def test_compare(a: str, b: str, symbol: str, number: str) -> None:
    result = run("compare", a, b)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{symbol}\n".encode(), b"")
    assert run("compare", "--numeric", a, b).stdout == f"{number}\n".encode()


def test_compare_start_time_and_kind() -> None:
    same = run("compare", "--kind", "start-time", "2018-03-08T12:12:12Z", "1520511132")
    assert same.stdout == b"=\n"
    not_checkpoint = run("compare", "--kind", "checkpoint", "0/1", "0/2")
    assert not_checkpoint.returncode == 1
    assert b"Invalid RecoveryCheckpoint '0/1'" in not_checkpoint.stderr


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("4AF/B00000D0", "6916533"),
        ("server_time:2018-02-09T12:12:12", "commit_time:2018-02-09T12:12:12"),
        ("mysql-bin.000001:4", "binlog.000001:4"),
        ("checkpoint:V1#1#zz-99#0#0#*#0#0", "checkpoint:V1#1#zz-98#0#0#*#0#0"),
    ],
)
def test_compare_without_common_order_exits_2(a: str, b: str) -> None:
    result = run("compare", a, b)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(b"cdcpos compare: cannot order")
    assert b"sort_key" not in result.stderr  # library advice, meaningless here


def test_compare_invalid_exits_1() -> None:
    result = run("compare", "4AF/B00000D0", "Oracle SCN:6916533")
    assert result.returncode == 1
    assert b"Hint: pass the bare SCN" in result.stderr


# ====================================================================== sort


def test_sort_lines(tmp_path: Path) -> None:
    path = tmp_path / "lsns.txt"
    path.write_bytes(b"16/B374D848\r\n0/A\n4AF/B00000D0\n0/a\n0/5120E10")
    result = run("sort", path)
    assert result.returncode == 0
    assert lines(result.stdout) == ["0/A", "0/a", "0/5120E10", "16/B374D848", "4AF/B00000D0"]
    reverse = run("sort", "--reverse", stdin=path.read_bytes())
    # Stable in reverse too: the equal 0/A and 0/a keep their input order.
    assert lines(reverse.stdout) == ["4AF/B00000D0", "16/B374D848", "0/5120E10", "0/A", "0/a"]


def test_sort_checkpoints_of_one_engine() -> None:
    data = b"".join(
        f"checkpoint:V1#1#{lsn}#0#0#*#0#0\n".encode()
        for lsn in ("000004AF/B00000D0", "00000132/0F000E48", "00000000/00000001")
    )
    result = run("sort", "--kind", "checkpoint", stdin=data)
    assert [line.split("#")[2] for line in lines(result.stdout)] == [
        "00000000/00000001",
        "00000132/0F000E48",
        "000004AF/B00000D0",
    ]


def test_sort_mixed_engines_is_an_error() -> None:
    result = run("sort", EXAMPLES, "--skip-invalid")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.endswith(
        (
            f"\ncdcpos sort: {EXAMPLES}:1 (checkpoint of mysql_stream of stem "
            f"'mysql-bin-changelog') and {EXAMPLES}:2 (checkpoint of postgres_lsn) have no "
            "common order: different engines\n"
        ).encode()
    )
    assert result.stderr.count(b"no common order") == 1


def test_sort_invalid_lines(tmp_path: Path) -> None:
    data = b"0/3\nnot a position\n0/1\n\xff\n"
    result = run("sort", stdin=data)
    assert result.returncode == 1
    assert result.stdout == b""
    assert b"<stdin>:2: Invalid position 'not a position'" in result.stderr
    assert b"<stdin>:4: Invalid line" in result.stderr
    assert b"cdcpos sort: 2 invalid lines; nothing printed" in result.stderr
    skipped = run("sort", "--skip-invalid", stdin=data)
    assert (skipped.returncode, lines(skipped.stdout)) == (0, ["0/1", "0/3"])


def test_sort_records_by_key(tmp_path: Path) -> None:
    data = (
        b'{"task": "b", "checkpoint": "6916533"}\n'
        b'{"task": "a", "checkpoint": "0/5"}\n'
        b'{"task": "b", "checkpoint": "100"}\n'
        b'{"task": "a", "checkpoint": "0/1"}\n'
    )
    result = run("sort", "--key", "task", "--value", "checkpoint", stdin=data)
    assert result.returncode == 0, result.stderr
    assert [(r["task"], r["checkpoint"]) for r in jsonl(result.stdout)] == [
        ("b", "100"),
        ("b", "6916533"),
        ("a", "0/1"),
        ("a", "0/5"),
    ]
    tsv = tmp_path / "export.tsv"
    tsv.write_text("task\tcheckpoint\nb\t0/9\na\t0/2\nb\t0/1\n")
    result = run("sort", "--value", "checkpoint", tsv)
    assert lines(result.stdout) == ["task\tcheckpoint", "b\t0/1", "a\t0/2", "b\t0/9"]


# ====================================================================== latest


def test_latest_lines(tmp_path: Path) -> None:
    data = b"0/5\n0/10\n0/7\n"
    assert run("latest", stdin=data).stdout == b"0/10\n"
    ties = run("latest", stdin=b"0/A\n0/1\n0/a\n")
    assert ties.stdout == b"0/a\n"  # an equal position later in the input wins
    assert run("latest", stdin=b"0/1\n6916533\n").returncode == 2


def test_latest_per_key_tsv(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    path.write_text(
        "task_arn\tcheckpoint\tnote\n"
        "arn:a\tcheckpoint:V1#1#00000000/00000010#0#0#*#0#0\tfirst\n"
        "arn:b\tcheckpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213\tx\n"
        "arn:a\tcheckpoint:V1#1#00000000/00000020#0#0#*#0#0\tsecond\n"
        "arn:a\tcheckpoint:V1#1#00000000/00000005#0#0#*#0#0\tthird\n",
        newline="\r\n",  # an export from Windows
    )
    result = run("latest", "--key", "task_arn", "--value", "checkpoint", path)
    assert result.returncode == 0, result.stderr
    assert [row.split("\t")[::2] for row in lines(result.stdout)] == [
        ["task_arn", "note"],
        ["arn:a", "second"],
        ["arn:b", "x"],
    ]
    no_header = path.read_bytes().split(b"\r\n", 1)[1]
    numbered = run("latest", "--no-header", "--key", "1", "--value", "2", stdin=no_header)
    assert lines(numbered.stdout) == lines(result.stdout)[1:]
    missing = run("latest", "--key", "task", "--value", "checkpoint", path)
    assert missing.returncode == 2
    assert b"no column 'task' in the TSV header (columns: 'task_arn', 'checkpoint', 'note')" in (
        missing.stderr
    )


def test_latest_mixed_engines_for_one_key_is_an_error() -> None:
    data = b"k\tpos\na\t0/1\nb\t6916533\na\t6916534\n"
    result = run("latest", "--key", "k", "--value", "pos", stdin=data)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr == (
        b'cdcpos latest: key "a": <stdin>:2 (postgres_lsn) and <stdin>:4 (oracle_scn) have no '
        b"common order: different engines\n"
    )


def test_latest_describe_replication_tasks_jsonl() -> None:
    # What `aws dms describe-replication-tasks | jq -c '.[]'` gives, from two pages.
    records = []
    for page in ("page1", "page2"):
        tasks = json.loads((AWS_DATA / f"describe_replication_tasks.{page}.json").read_text())
        for task in tasks["ReplicationTasks"]:
            records.append(
                {"task": task["ReplicationTaskArn"], "checkpoint": task.get("RecoveryCheckpoint")}
            )
    records.append({**records[1], "checkpoint": records[1]["checkpoint"].replace("#27#", "#28#")})
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    args = ("latest", "--key", "task", "--value", "checkpoint")
    strict = run(*args, stdin=data)
    assert strict.returncode == 1  # the first task has no checkpoint (null)
    assert b"<stdin>:1: field 'checkpoint' is null, not a string" in strict.stderr
    result = run(*args, "--skip-invalid", stdin=data)
    assert result.returncode == 0
    latest = jsonl(result.stdout)
    assert [r["task"] for r in latest] == [records[1]["task"], records[2]["task"]]
    assert latest[0]["checkpoint"] == records[3]["checkpoint"]  # #28#: equal position, later


def test_latest_bad_records() -> None:
    data = b'{"k": 1, "v": "0/1"}\n[1]\n{"k": 1}\n{"v": "0/2"}\nnot json\n'
    result = run("latest", "--input-format", "jsonl", "--key", "k", "--value", "v", stdin=data)
    assert result.returncode == 1
    errors = lines(result.stderr)
    assert errors[:4] == [
        "<stdin>:2: not a JSON object",
        "<stdin>:3: no field 'v'",
        "<stdin>:4: no field 'k'",
        "<stdin>:5: not JSON (Expecting value: line 1 column 1 (char 0))",
    ]
    short_row = run("latest", "--value", "pos", stdin=b"k\tpos\nonly-one-column\n")
    assert b"<stdin>:2: a TSV row with 1 columns has no column 2" in short_row.stderr


# ====================================================================== convert


def _help_examples(command: str) -> list[tuple[list[str], str]]:
    """The `cdcpos ... # result` examples of a command's --help."""
    text = run(command, "--help").stdout.decode()
    found = re.findall(rf"^  cdcpos ({command} [^#\n]+?)\s+# (\S+)$", text, re.MULTILINE)
    return [(args.split(), expected) for args, expected in found]


def test_convert_help_examples_are_true() -> None:
    examples = _help_examples("convert")
    assert len(examples) == 9
    for args, expected in examples:
        result = run(*args)
        assert (result.returncode, result.stdout.decode()) == (0, expected + "\n"), args


def test_compare_help_examples_are_true() -> None:
    examples = _help_examples("compare")
    assert len(examples) >= 3
    for args, expected in examples:
        assert run(*args).stdout.decode() == expected + "\n", args


@pytest.mark.parametrize(
    ("form", "inputs", "expected"),
    [
        (
            "sqlserver",
            ["00000014:00000061:0001", "0x00000014000000610001", "20000000009700001"],
            "00000014:00000061:0001",
        ),
        ("sqlserver-binary", ["20000000009700001"], "0x00000014000000610001"),
        ("oracle", ["0x001f.00233d44", "133146295620"], "133146295620"),
        ("oracle-wrap-base", ["0x1f.233d44"], "0x001f.00233d44"),
        ("postgres", ["000004af/b00000d0"], "4AF/B00000D0"),
        ("postgres-padded", ["4af/b00000d0", "000004AF/B00000D0"], "000004AF/B00000D0"),
        ("start-time", ["1520511132", "2018-03-08T13:12:12+01:00"], "2018-03-08T12:12:12Z"),
        ("start-time", ["1520511132.5"], "2018-03-08T12:12:12.500000Z"),
        ("epoch", ["2018-03-08T12:12:12Z", "2018-03-08T12:12:12"], "1520511132"),
        ("epoch", ["2018-03-08"], "1520467200"),
    ],
)
def test_convert(form: str, inputs: list[str], expected: str) -> None:
    result = run("convert", "--to", form, *inputs)
    assert (result.returncode, result.stderr) == (0, b"")
    assert lines(result.stdout) == [expected] * len(inputs)


def test_convert_stdin_and_invalid_values() -> None:
    data = b"4AF/B00000D0\r\nzz\n\xff\n0/1"
    result = run("convert", "--to", "postgres-padded", stdin=data)
    assert result.returncode == 1
    assert lines(result.stdout) == ["000004AF/B00000D0", "00000000/00000001"]
    errors = lines(result.stderr)
    assert errors[0].startswith("<stdin>:2: Invalid ")
    assert errors[1].startswith("<stdin>:3: Invalid line")
    for args in (
        ("sqlserver", "0x0014"),
        ("oracle", "Oracle SCN:6916533"),
        ("epoch", "-99999999999"),
        ("start-time", "1641556979000"),
    ):
        bad = run("convert", "--to", *args)
        assert bad.returncode == 1, args
        assert bad.stdout == b""
        assert bad.stderr.startswith(b"Invalid "), bad.stderr
        assert b"Traceback" not in bad.stderr


# ====================================================================== help, progress


@pytest.mark.parametrize("name", ["parse", "validate", "compare", "sort", "latest", "convert"])
def test_help_has_examples(name: str) -> None:
    result = run(name, "--help")
    assert result.returncode == 0
    text = result.stdout.decode()
    assert f"usage: cdcpos {name}" in text
    assert "examples:" in text
    assert text.count(f"cdcpos {name} ") >= 3


def test_top_level_help_and_version() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in ("parse", "validate", "compare", "sort", "latest", "convert", "exit status"):
        assert name.encode() in result.stdout
    version = run("--version")
    assert version.stdout == f"cdcpos {cdcpos.__version__}\n".encode()


def test_main_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["convert", "--to", "oracle", "0x001f.00233d44"]) == 0
    assert cli.main(["compare", "0/1", "6916533"]) == 2
    assert cli.main(["--help"]) == 0
    assert cli.main(["compare"]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("133146295620\n")
    assert "cannot order" in captured.err


def _run_on_a_terminal(stdout_too: bool = False, pause: float = 1.0, **env: str) -> bytes:
    """Run `cdcpos parse` with stderr on a pseudo-terminal, its input arriving slowly
    (``pause`` seconds apart, past the bar's delay of 0.5 s); what the terminal showed."""
    controller, terminal = pty.openpty()
    # A fresh pty has no size; tqdm would draw a bar 0 columns wide.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    shown: list[bytes] = []

    def watch() -> None:  # read as it comes, or a full terminal would block the command
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                return
            if not chunk:
                return
            shown.append(chunk)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    process = subprocess.Popen(
        [*CDCPOS, "parse"],
        stdin=subprocess.PIPE,
        stdout=terminal if stdout_too else subprocess.PIPE,
        stderr=terminal,
        env=_env(**env),
    )
    os.close(terminal)
    started = threading.Event()  # the first lines are parsed: the command is running

    def drain() -> None:
        assert process.stdout is not None
        if process.stdout.read(1):
            started.set()
        process.stdout.read()

    drainer = threading.Thread(target=drain, daemon=True)
    if not stdout_too:
        drainer.start()
    assert process.stdin is not None
    process.stdin.write(b"0/1\n" * 1000)
    process.stdin.flush()
    # Wait until the command has parsed the first lines, however loaded the machine (its
    # start-up can take longer than the bar's delay), then longer than the delay: a long run.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if started.is_set() or (stdout_too and b'"canonical"' in b"".join(shown)):
            break
        time.sleep(0.05)
    time.sleep(pause)
    process.stdin.write(b"0/2\n" * 1000)
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    if not stdout_too:
        drainer.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
    watcher.join(timeout=10)
    os.close(controller)
    return b"".join(shown)


def test_progress_bar_on_a_terminal() -> None:
    assert b"cdcpos parse: " in _run_on_a_terminal(pause=0.65)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stderr", "stdout", "env", "no_progress", "wanted"),
    [
        (_Terminal, io.StringIO, {}, False, True),
        (_Terminal, io.StringIO, {"CI": "true"}, False, False),
        (_Terminal, io.StringIO, {"CI": "false"}, False, True),
        (_Terminal, io.StringIO, {"TERM": "dumb"}, False, False),
        (_Terminal, _Terminal, {}, False, False),  # the records stream to that terminal
        (_Terminal, io.StringIO, {}, True, False),  # --no-progress
        (io.StringIO, io.StringIO, {}, False, False),  # stderr a pipe
    ],
)
def test_progress_bar_only_for_a_person_watching(
    stderr: type[IO[str]],
    stdout: type[IO[str]],
    env: dict[str, str],
    no_progress: bool,
    wanted: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The decision that the terminal tests check by what a pty shows (all of them in the
    # slow suite, which waits past the bar's delay for each).
    monkeypatch.setattr(sys, "stderr", stderr())
    monkeypatch.setattr(sys, "stdout", stdout())
    with _environment(**env):
        assert _input.Progress.wanted(no_progress, streams_output=True) is wanted


@pytest.mark.slow
def test_progress_bar_on_a_terminal_only() -> None:
    assert b"cdcpos parse: " in _run_on_a_terminal()
    assert _run_on_a_terminal(CI="true") == b""
    assert _run_on_a_terminal(TERM="dumb") == b""
    # The records themselves stream to the terminal: a bar would tear them.
    shown = _run_on_a_terminal(stdout_too=True)
    assert b'"canonical":"0/2"' in shown
    assert b"cdcpos parse: " not in shown
    # stderr a pipe (every other test): nothing but errors there.
    assert run_process("parse", EXAMPLES).stderr == b""


# ====================================================================== memory


def _peak_rss_kib(args: list[str], output: Path) -> tuple[int, int]:
    """Run the command; its exit status and peak resident memory in KiB (Linux)."""
    with output.open("wb") as stdout:
        process = subprocess.Popen(
            args, stdout=stdout, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=_env()
        )
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in every child
        # this test process ever ran).
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def _write_corpus(path: Path, count: int) -> None:
    # The example lines (a third of them checkpoints), with one invalid line and one
    # line of bad UTF-8 in every 10,000.
    valid = [
        line.encode() for i, line in enumerate(EXAMPLE_LINES, 1) if i not in INVALID_EXAMPLE_LINES
    ]
    with path.open("wb") as out:
        for start in range(0, count, 10_000):
            block = [valid[i % len(valid)] for i in range(start, min(start + 10_000, count))]
            block[-1] = b"Oracle SCN:6916533"
            block[-2] = b"0/\xff"
            out.write(b"\n".join(block) + b"\n")


@pytest.mark.slow
def test_a_million_lines_in_constant_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "100k.txt", tmp_path / "1m.txt"
    _write_corpus(small, 100_000)
    _write_corpus(large, 1_000_000)
    out = tmp_path / "out.jsonl"
    for jobs in ("2", "1"):  # the last output (one process) is checked below
        status, small_rss = _peak_rss_kib([*CDCPOS, "parse", "--jobs", jobs, str(small)], out)
        assert status == 0
        status, large_rss = _peak_rss_kib([*CDCPOS, "parse", "--jobs", jobs, str(large)], out)
        assert status == 0
        # Ten times the lines, the same memory (a few MiB of slack for allocator noise).
        assert large_rss < small_rss + 8 * 1024, (jobs, small_rss, large_rss)
    invalid = 0
    with out.open("rb") as records:
        for number, line in enumerate(records, 1):
            record = json.loads(line)
            assert record["line"] == number
            invalid += not record["ok"]
    assert number == 1_000_000
    assert invalid == 200
    status, validate_rss = _peak_rss_kib([*CDCPOS, "validate", "-q", str(large)], out)
    assert status == 1
    assert validate_rss < small_rss + 8 * 1024, (small_rss, validate_rss)


def test_the_parser_is_built_once_and_keeps_nothing_from_one_call_to_the_next(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cdcpos import cli

    assert cli._parser() is cli._parser()
    assert cli.main(["validate", "--value", "0/1", "--value", "x"]) == 1
    assert cli.main(["validate", "--value", "0/2"]) == 0  # the values of before are gone
    capsys.readouterr()
    assert cli.main(["compare", "0/2", "0/1"]) == 0
    assert capsys.readouterr().out == ">\n"
    assert cli.main(["compare", "0/1", "0/2"]) == 0
    assert capsys.readouterr().out == "<\n"
