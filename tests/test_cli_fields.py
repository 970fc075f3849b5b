"""How ``cdcpos parse`` goes fast, and stays right.

* The fields it writes without decoding objects (``cdcpos.cli._checkpoint_json``) are
  exactly the JSON of ``fields_of`` on the decoded value: on every real checkpoint, on
  awkward hand-picked ones and on checkpoints generated from the grammar.
* ``--jobs N`` gives the same output, in the same order, as one process.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import re._parser as re_parser
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.strategies
from cdcpos import _fastpath
from cdcpos.cli import _checkpoint_json, _input, _jobs, parse
from cdcpos.cli._checkpoint_json import checkpoint_fields_json
from cdcpos.cli._fields import ENCODE, fields_of
from cdcpos.cli._input import Block
from cdcpos.cli._output import jsonl_records
from cdcpos.cli._parsing import parse_record
from tests import background
from tests.background import Run, Steps
from tests.examples import SPEC_EXAMPLES
from tests.test_cli import CDCPOS, _env, jsonl, run

AWKWARD = [
    "checkpoint:V1#-0#0/0#-0#0#*#-0#-0",  # -0 counters are 0
    "checkpoint:V0#1#ffffffff/FFFFFFFF#0#0#0/1#0#0",  # lower-case hex, a second position
    "checkpoint:V12#1#0000/00a#0#0#*#0#0",  # leading zeros in an LSN half
    "checkpoint:V1#1#00000032:00000A55:000C#0#0#00000032:00000a5a:0003#0#0",
    "checkpoint:V1#1#00000007.C99042D0.00000001.000c.01.0000:0401032.58563.016#0#0#*#0#0",
    "checkpoint:V1#1#$.583860:1357#0#0#*#0#0",  # a binlog whose file is '$'
    "checkpoint:V1#1#a.b-c_d.000024:00373#0#0#*#0#0",
    "checkpoint:V1#1#mysql-bin.01:007:-1:02:0:mysql-bin.02:00#0#0#*#0#0",
    'checkpoint:V1#1#a"b\\c\u0041/x#0#0#*#0#0',  # opaque, JSON escapes
    "checkpoint:V1#1#zz-98#0#0#zz-99#0#0",
    "checkpoint:V1#1#0/1#0#0#*x#0#0",  # '*x' is an opaque second position, not '*'
]


def assert_same_fields(text: str) -> None:
    value = cdcpos.parse_checkpoint(text)
    written = checkpoint_fields_json(text)
    assert written is not None, text
    assert written == ENCODE(fields_of(value)), text
    assert list(json.loads(written)) == list(fields_of(value))


@pytest.mark.parametrize(
    "text",
    [text for text, _ in SPEC_EXAMPLES if text.startswith("checkpoint:")] + AWKWARD,
)
def test_examples(text: str) -> None:
    assert_same_fields(text)


def assert_same_records(texts: list[str], lenient: bool = False) -> None:
    """The records `cdcpos parse` writes (checkpoints from their text, the rest by hand)
    are the JSON of ``parse_record``, which reads the decoded values."""
    values, problems = cdcpos.parse_many(texts, errors="collect", lenient=lenient)
    assert problems == []
    block = Block('a%d"b.txt', 7, texts, {})  # a file name to quote, and no format
    expected = [
        ENCODE(parse_record(block.source, 7 + i, text, value))
        for i, (text, value) in enumerate(zip(texts, values, strict=True))
    ]
    assert jsonl_records(block, values) == expected


CHECKPOINT_TEXTS = st.one_of(
    cdcpos.strategies.checkpoint_strings(), cdcpos.strategies.strings("checkpoint")
)


# A small budget: drawing a checkpoint from the grammar's strategies takes up to 0.2 s, and
# the seeded test below covers the shapes broadly; the slow suite has the big budget.
@settings(max_examples=5)
@given(CHECKPOINT_TEXTS)
def test_generated_checkpoints(text: str) -> None:
    assert_same_fields(text)
    assert_same_records([text])


@pytest.mark.slow
@settings(max_examples=1000)
@given(CHECKPOINT_TEXTS)
def test_generated_checkpoints_at_length(text: str) -> None:
    assert_same_fields(text)
    assert_same_records([text])


def _random_checkpoint(rng: random.Random) -> str:
    """A checkpoint of any shape the grammar allows, in any spelling: case, leading
    zeros, -0 and long counters, '$' binlog files, opaque positions with JSON escapes."""

    def hex_digits(n: int) -> str:
        return "".join(rng.choice("0123456789abcdefABCDEF") for _ in range(n))

    def decimal() -> str:
        return rng.choice(["0", "00", "1", "007", "373", "677883278264080", "18446744073709551615"])

    def binlog_file() -> str:
        return rng.choice(["$", "mysql-bin-changelog", "a", "b.c-d_e", "0x"]) + "." + decimal()

    def position(kind: str) -> str:
        if kind == "postgres":
            return f"{hex_digits(rng.randint(1, 8))}/{hex_digits(rng.randint(1, 8))}"
        if kind == "sqlserver":
            return f"{hex_digits(8)}:{hex_digits(8)}:{hex_digits(4)}"
        if kind == "oracle":
            hexes = ".".join(hex_digits(n) for n in (8, 8, 8, 4, 2, 4))
            return f"{hexes}:{decimal()}.{decimal()}.{decimal()}"
        if kind == "mysql":
            if rng.random() < 0.5:
                return f"{binlog_file()}:{decimal()}"
            third = rng.choice(["-1", "-0", "0", "2002", "-00"])
            return (
                f"{binlog_file()}:{decimal()}:{third}:{decimal()}:{decimal()}:"
                f"{binlog_file()}:{decimal()}"
            )
        return rng.choice(["zz-98", 'a"b\\c', "*x", "-0", "x/y", "~!"])  # opaque

    kind = rng.choice(["postgres", "sqlserver", "oracle", "mysql", "opaque"])
    second = rng.choice(["*", position(kind), position("opaque")])
    counters = [
        rng.choice(["0", "-0", "1", "-1", "93", "-123456789012345678901"]) for _ in range(5)
    ]
    version = rng.choice(["0", "1", "12"])
    return (
        f"checkpoint:V{version}#{counters[0]}#{position(kind)}#{counters[1]}#{counters[2]}#"
        f"{second}#{counters[3]}#{counters[4]}"
    )


def test_random_checkpoints_of_every_shape() -> None:
    # Many more shapes than the property's budget, at little cost (a seeded generator).
    rng = random.Random(12)
    texts = [_random_checkpoint(rng) for _ in range(1000)]
    _, problems = cdcpos.parse_many(texts, errors="collect")
    rejected = {index for index, _ in problems}
    valid = [text for index, text in enumerate(texts) if index not in rejected]
    assert len(valid) > 650  # the rest: binlog numbers past 64 bits
    for text in valid:
        assert_same_fields(text)
    assert_same_records(valid)
    # --lenient: the input is not the canonical text (quoted, padded).
    assert_same_records([f' "{text}" ' for text in valid[:200]], lenient=True)


# Characters JSON escapes (ensure_ascii=False: `"`, `\` and the C0 controls) and those
# `cdcpos parse` escapes after it (cdcpos.cli._output._RAW_IN_JSON).
NEEDS_ESCAPING = {'"', "\\", *map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0))}


def _characters(pattern: str) -> set[str] | None:
    """Every character the expression can consume, or None when it cannot say (a negated
    class, '.', a category): a walk of the parsed expression."""
    found: set[str] = set()

    def walk(items: Any) -> bool:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                found.add(chr(arg))
            elif name == "IN":
                for inner, value in arg:
                    if str(inner) == "LITERAL":
                        found.add(chr(value))
                    elif str(inner) == "RANGE":
                        found.update(map(chr, range(value[0], value[1] + 1)))
                    else:  # NEGATE, CATEGORY: not a closed set
                        return False
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                if not walk(arg[2]):
                    return False
            elif name == "SUBPATTERN":
                if not walk(arg[-1]):
                    return False
            elif name == "BRANCH":
                if not all(walk(branch) for branch in arg[1]):
                    return False
            elif name == "ASSERT":  # the lookahead for the '#' after the field
                continue
            elif name != "AT":
                return False
        return True

    return found if walk(re_parser.parse(pattern)) else None


def test_structured_positions_need_no_json_escaping() -> None:
    # What lets _checkpoint_json write binlog files and the other structured positions
    # without quoting them: the grammar's own character classes.
    for terminal in set(_checkpoint_json._WRITERS) - {"OPAQUE_POSITION"}:
        characters = _characters(_fastpath.TERMINAL_PATTERNS[terminal])
        assert characters is not None, terminal
        assert characters.isdisjoint(NEEDS_ESCAPING), terminal
        assert all(c.isascii() and c.isprintable() for c in characters), terminal
    # The walk itself: it sees what it must.
    assert _characters("[a-c]x") == {"a", "b", "c", "x"}
    assert _characters('(?:\\$|[^"])') is None


def test_every_position_terminal_of_the_grammar_has_a_writer() -> None:
    # Else checkpoints of that terminal are written through the (slow) object path.
    assert set(_checkpoint_json._position_terminals()) == set(_checkpoint_json._WRITERS)


def test_other_layouts_fall_back_to_the_object_path() -> None:
    # Not a checkpoint the library accepted: None, and the caller decodes the value.
    assert checkpoint_fields_json("0/1") is None
    assert checkpoint_fields_json("checkpoint:V1#1#0/1#0#0#*#0") is None
    assert checkpoint_fields_json("checkpoint:V1#1#*#0#0#*#0#0") is None


# ====================================================================== --jobs


def _mixed_corpus(path: Path, blocks: int) -> list[str]:
    """Several blocks' worth of every kind of line: valid, invalid, bad UTF-8, too long."""
    lines = [text.encode() for text, _ in SPEC_EXAMPLES] + [b"zz", b"0/\xff", b"\xe2\x80\xa8"]
    data = bytearray()
    while len(data) < blocks * _input.BLOCK_SIZE:
        data += b"\n".join(lines) + b"\n"
        data += b"q" * (_input.LINE_LIMIT + 5) + b"\n"
    path.write_bytes(bytes(data) + b"0/1")  # no final newline
    return lines


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table"])
def test_jobs_give_the_same_output_in_order(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    _mixed_corpus(first, 3)
    second.write_bytes(b"0/2\n")
    written_in_turn = []  # the runs where the workers wrote stdout themselves
    monkeypatch.setattr(
        parse,
        "ordered_write",
        lambda *args: written_in_turn.append(args[3]) or _jobs.ordered_write(*args),
    )
    direct = _jobs.direct_output_fd(sys.__stderr__) is not None  # forked workers here
    outputs = {}
    # To a pipe, blocks come back to the main process; to a file, forked workers write it.
    for jobs, stdout_to in (("1", "pipe"), ("2", "pipe"), ("2", "file"), ("3", "file")):
        result = run("parse", "--format", fmt, "--jobs", jobs, first, second, stdout_to=stdout_to)
        assert (result.returncode, result.stderr) == (0, b"")
        outputs[jobs, stdout_to] = result.stdout
    assert len(set(outputs.values())) == 1, [len(o) for o in outputs.values()]
    assert written_in_turn == ([2, 3] if direct else [])
    if fmt == "jsonl":
        records = jsonl(outputs["2", "pipe"])
        assert [r["line"] for r in records if r["file"] == str(first)] == list(
            range(1, len(records))
        )
        assert records[-1]["file"] == str(second)


def test_jobs_writing_in_turn_with_empty_blocks(tmp_path: Path) -> None:
    # A JSON array whose blocks are not all written (an empty file between), and nothing
    # at all: the separators and brackets of one process.
    path, empty = tmp_path / "a.txt", tmp_path / "empty.txt"
    _mixed_corpus(path, 2)
    empty.write_bytes(b"")
    for args in ((path, empty, path), (empty,), (empty, empty)):
        expected = run("parse", "--format", "json", "--jobs", "1", *args).stdout
        result = run("parse", "--format", "json", "--jobs", "2", *args, stdout_to="file")
        assert result.stdout == expected
        json.loads(result.stdout)


def test_jobs_with_stdin_and_no_fields(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    _mixed_corpus(path, 2)
    data = path.read_bytes()
    one = run("parse", "--no-fields", "--jobs", "1", stdin=data)
    two = run("parse", "--no-fields", "--jobs", "2", stdin=data)
    assert one.stdout == two.stdout and one.returncode == two.returncode == 0


_FATAL = "0/DEAD"  # a valid line: the worker rendering its block dies as if out of memory
_LOST = (
    b"cdcpos parse: a worker process ended before its block was done (killed by SIGKILL), "
    b"perhaps out of memory; the output is incomplete (run again with fewer --jobs, or "
    b"--jobs 1)\n"
)
# `cdcpos parse --jobs 2 FILE` whose worker given the block of _FATAL is killed; "map" makes
# the blocks come back to the main process instead of the workers writing them.  In its own
# process: the hang it was must not take the suite with it.
_KILLED_WORKER = f"""
import os, signal, sys
from cdcpos.cli import main, parse

render = parse.render

def render_or_die(spec, raw):
    output = render(spec, raw)
    if b'"{_FATAL}"' in output:
        os.kill(os.getpid(), signal.SIGKILL)
    return output

parse.render = render_or_die
if sys.argv[2] == "map":
    parse.direct_output_fd = lambda stream: None
sys.exit(main(["parse", "--no-fields", "--jobs", "2", sys.argv[1]]))
"""


def _in_a_group_of_its_own(args: list[str | Path], stdin: bytes = b"") -> tuple[int, bytes, bytes]:
    """Run a process in a process group of its own; a hang fails after 60 s, and whatever
    of the group is left (workers) is killed."""
    process = subprocess.Popen(
        [str(arg) for arg in args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        start_new_session=True,
    )
    try:
        out, err = process.communicate(stdin, timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, out, err


@pytest.mark.parametrize("blocks", ["map", "write"])
def test_a_killed_worker_ends_the_command_instead_of_hanging_it(
    tmp_path: Path, blocks: str
) -> None:
    # multiprocessing.Pool replaced a killed worker and waited forever for its block.
    path = tmp_path / "a.txt"
    line = b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n"
    count = (3 * _input.BLOCK_SIZE) // len(line)
    path.write_bytes(line * count + _FATAL.encode() + b"\n" + b"0/2\n" * count)
    whole = run("parse", "--no-fields", path).stdout
    status, out, err = _in_a_group_of_its_own([sys.executable, "-c", _KILLED_WORKER, path, blocks])
    assert (status, err) == (2, _LOST)
    # What was written is whole blocks before the lost one, in order: all of them, or
    # fewer (the executor fails every block whose result it has not received yet, so a
    # loaded machine may write none).
    assert (whole.startswith(out) and out.endswith(b"\n")) or out == b""
    assert _FATAL.encode() not in out and b'"0/2"' not in out


def test_workers_that_cannot_start_end_the_command_instead_of_hanging_it(tmp_path: Path) -> None:
    # A program run from stdin with a thread alive: the workers are spawned, and a spawned
    # worker cannot import a main module read from stdin, so each one exits at once.
    # multiprocessing.Pool started new ones forever.
    path = tmp_path / "a.txt"
    path.write_bytes(b"0/1\n" * 10)
    program = (
        b"import sys, threading\n"
        b"from cdcpos.cli import main\n"
        b"stop = threading.Event()\n"
        b"threading.Thread(target=stop.wait).start()\n"
        b"try:\n"
        b"    status = main(['parse', '--jobs', '2', sys.argv[1]])\n"
        b"finally:\n"
        b"    stop.set()\n"
        b"sys.exit(status)\n"
    )
    status, out, err = _in_a_group_of_its_own([sys.executable, "-", path], program)
    assert (status, out) == (2, b"")
    assert err.endswith(
        b"cdcpos parse: a worker process ended before its block was done (exit status 1); "
        b"the output is incomplete (run again with fewer --jobs, or --jobs 1)\n"
    )


def test_workers_end_when_the_command_ends() -> None:
    # No worker outlives the command: the executor's processes are joined at the end.
    import multiprocessing

    before = set(multiprocessing.active_children())
    items = [b"0/1\n" * 10] * 8
    assert list(_jobs.ordered_map(_echo, None, items, 2)) == items
    assert set(multiprocessing.active_children()) <= before


def _echo(spec: object, item: bytes) -> bytes:
    return item


def test_ctrl_c_stops_the_workers_at_once(tmp_path: Path) -> None:
    # A long run (a million lines) in its own process group, as a terminal runs it; Ctrl-C
    # reaches the whole group once the first lines are out.
    path = tmp_path / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 1_000_000)
    process = subprocess.Popen(
        [*CDCPOS, "parse", "--jobs", "2", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b'{"file"')  # the workers are at work
    interrupted = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    took = time.monotonic() - interrupted
    assert (process.returncode, err) == (130, b"")
    with pytest.raises(ProcessLookupError):  # nothing of the group is left: no worker
        os.killpg(process.pid, 0)
    assert took < 20  # the blocks not started are dropped, not parsed


@pytest.mark.parametrize("jobs", ["0", "²", "٢", "-1", "x", "99999", ""])
def test_jobs_argument(jobs: str) -> None:
    result = run("parse", "--jobs", jobs, stdin=b"0/1\n")
    assert result.returncode == 2
    assert b"expected 'auto' or a number of processes" in result.stderr
    assert b"Traceback" not in result.stderr


def test_jobs_auto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(b"0/1\n")
    with large.open("wb") as out:
        out.truncate(_jobs.LARGE_INPUT)  # sparse: a large regular file, written in no time
    monkeypatch.setattr(_jobs, "available_cores", lambda: 4)
    assert _jobs.choose_jobs(None, [str(large)]) == 4
    assert _jobs.choose_jobs(None, [str(small)]) == 1
    assert _jobs.choose_jobs(None, [str(large), "-"]) == 1  # stdin: 1
    assert _jobs.choose_jobs(None, ["/dev/null"]) == 1  # not a regular file
    assert _jobs.choose_jobs(3, ["-"]) == 3  # asked for
    monkeypatch.setattr(_jobs, "available_cores", lambda: 1)
    assert _jobs.choose_jobs(None, [str(large)]) == 1


@background.job("test_jobs_broken_pipe")
def _jobs_into_a_broken_pipe(tmp: Path) -> Steps[subprocess.CompletedProcess[bytes]]:
    # A shell pipeline (0.4 s), run while the tests before this one do (tests/background.py).
    path = tmp / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 20_000)  # 4 blocks
    script = 'set -o pipefail; "$CDCPOS" parse --jobs 2 "$P" | head -1 > /dev/null; echo $?'
    env = {**_env(background.environ()), "CDCPOS": CDCPOS[0], "P": str(path)}
    return (yield Run(["bash", "-c", script], env=env, text=False, timeout=120))


def test_jobs_broken_pipe() -> None:
    # A real pipe: the pool must stop with the reader gone, quietly.
    piped = _jobs_into_a_broken_pipe.result()
    assert (piped.stdout, piped.stderr) == (b"141\n", b"")


def test_jobs_unwritable_output(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 10_000)  # 2 blocks
    full = run("parse", "--jobs", "2", path, stdout_to="full")
    assert full.returncode == 2
    assert full.stderr == b"cdcpos parse: cannot write to stdout: No space left on device\n"
    gone = run("parse", "--jobs", "2", path, stdout_to="gone")
    assert (gone.returncode, gone.stderr) == (141, b"")


def test_jobs_end_their_workers_without_killing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pool.terminate() killed the workers; one killed while it held the result queue's lock
    # left the command waiting forever (about once in 300 runs to a full or gone stdout).
    # Errors and normal ends let the workers finish instead: no worker is signalled.
    import multiprocessing.process

    killed: list[object] = []
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "terminate", killed.append)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "kill", killed.append)
    path = tmp_path / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 10_000)
    assert run("parse", "--jobs", "2", path, stdout_to="full").returncode == 2
    assert run("parse", "--jobs", "2", path, stdout_to="gone").returncode == 141
    assert run("parse", "--jobs", "2", path, stdout_to="file").returncode == 0
    assert killed == []


def test_after_a_failed_write_no_later_block_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    read, write = os.pipe()
    try:
        turns = _jobs._Turns(multiprocessing.get_context("fork"), write)
        monkeypatch.setattr(_jobs, "_turns", turns)

        def work(spec: object, item: bytes) -> bytes:
            return item

        assert _jobs._write_in_turn(work, None, 0, b"one\n", (b"", b"")) is None
        turns.failed.value = 1  # as a failed write leaves it
        assert _jobs._write_in_turn(work, None, 1, b"two\n", (b"", b"")) is None
        assert turns.turn.value == 2  # the turn still passes on
        os.close(write)
        write = -1
        assert os.read(read, 100) == b"one\n"
        # A write that fails marks the failure and reports it.
        turns.fd = read  # the read end: writing to it fails (EBADF)
        turns.failed.value = 0
        failure = _jobs._write_in_turn(work, None, 2, b"three\n", (b"", b""))
        assert failure is not None and failure[0] == errno.EBADF
        assert turns.failed.value == 1
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)


_HAMMER = """
import faulthandler, sys
from pathlib import Path
from tests.test_cli import run
path = Path(sys.argv[1])
for _ in range(int(sys.argv[2])):
    faulthandler.dump_traceback_later(60, exit=True)
    assert run("parse", "--jobs", "2", path, stdout_to="full").returncode == 2
    assert run("parse", "--jobs", "2", path, stdout_to="gone").returncode == 141
    faulthandler.cancel_dump_traceback_later()
print("done")
"""


@pytest.mark.slow
def test_jobs_never_hang_on_write_errors(tmp_path: Path) -> None:
    # Two processes at once, as when the hang was found; a hang prints every thread's
    # stack (faulthandler) and fails instead of blocking the suite.
    path = tmp_path / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 10_000)
    command = [sys.executable, "-c", _HAMMER, str(path), "60"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        for _ in range(2)
    ]
    for process in runs:
        out, err = process.communicate(timeout=600)
        assert (process.returncode, out) == (0, b"done\n"), err.decode()


@pytest.mark.slow
def test_jobs_unwritable_output_in_a_shell(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 100_000)
    env = {**_env(), "CDCPOS": CDCPOS[0], "P": str(path)}
    full = subprocess.run(
        ["bash", "-c", '"$CDCPOS" parse --jobs 2 "$P" > /dev/full'],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert full.returncode == 2
    assert full.stderr == b"cdcpos parse: cannot write to stdout: No space left on device\n"
