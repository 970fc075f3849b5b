"""How ``cdcpos parse`` goes fast, and stays right.

* The fields it writes without decoding objects (``cdcpos.cli._checkpoint_json``) are
  exactly the JSON of ``fields_of`` on the decoded value: on every real checkpoint, on
  awkward hand-picked ones and on checkpoints generated from the grammar.
* ``--jobs N`` gives the same output, in the same order, as one process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.strategies
from cdcpos.cli import _checkpoint_json, _input, _jobs
from cdcpos.cli._checkpoint_json import checkpoint_fields_json
from cdcpos.cli._fields import ENCODE, fields_of
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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(cdcpos.strategies.checkpoint_strings(), cdcpos.strategies.strings("checkpoint")))
def test_generated_checkpoints(text: str) -> None:
    assert_same_fields(text)


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
def test_jobs_give_the_same_output_in_order(tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    _mixed_corpus(first, 3)
    second.write_bytes(b"0/2\n")
    outputs = {}
    for jobs in ("1", "2", "3"):
        result = run("parse", "--format", fmt, "--jobs", jobs, first, second)
        assert (result.returncode, result.stderr) == (0, b"")
        outputs[jobs] = result.stdout
    assert outputs["1"] == outputs["2"] == outputs["3"]
    if fmt == "jsonl":
        records = jsonl(outputs["2"])
        assert [r["line"] for r in records if r["file"] == str(first)] == list(
            range(1, len(records))
        )
        assert records[-1]["file"] == str(second)


def test_jobs_with_stdin_and_no_fields(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    _mixed_corpus(path, 2)
    data = path.read_bytes()
    one = run("parse", "--no-fields", "--jobs", "1", stdin=data)
    two = run("parse", "--no-fields", "--jobs", "2", stdin=data)
    assert one.stdout == two.stdout and one.returncode == two.returncode == 0


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


def test_jobs_broken_pipe_and_unwritable_output(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_bytes(b"checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\n" * 100_000)
    script = 'set -o pipefail; "$CDCPOS" parse --jobs 2 "$P" | head -1 > /dev/null; echo $?'
    env = {**_env(), "CDCPOS": CDCPOS[0], "P": str(path)}
    piped = subprocess.run(["bash", "-c", script], capture_output=True, env=env, timeout=120)
    assert (piped.stdout, piped.stderr) == (b"141\n", b"")
    full = subprocess.run(
        ["bash", "-c", '"$CDCPOS" parse --jobs 2 "$P" > /dev/full'],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert full.returncode == 2
    assert full.stderr == b"cdcpos parse: cannot write to stdout: No space left on device\n"
