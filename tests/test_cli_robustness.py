"""The ``cdcpos`` command against hostile surroundings and input, in real subprocesses (issue
9, section 5): output that cannot be written, input that cannot be read, a reader that goes
away, column numbers in other scripts, lines over the limit wherever the reads cut them,
line separators inside JSON strings, inputs of different layouts, values given as file
names, positions without a common order and JSON nested beyond the recursion limit.

Each class is one class of defect.  The commands run in this process (tests/test_cli.py,
``run``) but where the stream a shell hands the interpreter is the subject: there, one
command runs in a real shell in the fast suite, every command in the slow one.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cdcpos.cli import _input
from tests.test_cli import CDCPOS, Result, _env, jsonl, lines, run

LIMIT = _input.LINE_LIMIT
BLOCK = _input.BLOCK_SIZE
CHECKPOINT_PG = "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0"
CHECKPOINT_SQLSERVER = "checkpoint:V1#1#00000014:00000061:0001#0#0#*#0#0"


def shell(script: str, stdin: bytes = b"", **paths: Path) -> subprocess.CompletedProcess[bytes]:
    """Run a bash script in which $CDCPOS is the console script (and each keyword a path)."""
    env = _env(CDCPOS=shlex.join(CDCPOS), **{name: str(path) for name, path in paths.items()})
    return subprocess.run(
        ["bash", "-c", script], input=stdin, capture_output=True, env=env, timeout=120
    )


def one_line_error(result: Result | subprocess.CompletedProcess[bytes]) -> str:
    """The stderr of a failed command: exactly one line, no traceback."""
    assert b"Traceback" not in result.stderr, result.stderr
    text = result.stderr.decode()
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.txt"
    path.write_text("0/2\n0/1\n")
    return path


# Commands that write to stdout, each with what it needs to write something.
WRITERS = [
    "parse $SMALL",
    "parse --format json $SMALL",
    "parse --format table $SMALL",
    "sort $SMALL",
    "latest $SMALL",
    "compare 0/1 0/2",
    "convert --to postgres-padded 0/1",
    "--help",
    "sort --help",
    "--version",
]

# Each class of surroundings runs every command in this process, with the stream as a
# process would have it (None when closed, /dev/full, a pipe whose reader left), and once
# in a real shell, where the interpreter's own start-up and exit handle the stream too;
# every command in a real shell is the slow suite's.


def arguments(args: str, **paths: Path) -> list[str]:
    """A WRITERS entry as arguments, $NAME replaced by the path."""
    return [str(paths[word[1:]]) if word.startswith("$") else word for word in args.split()]


UNWRITABLE = [(">&-", "it is closed"), ("> /dev/full", "No space left on device")]


CLOSED_STDIN = [
    "parse",
    "validate",
    "sort",
    "latest",
    "convert --to postgres",
    "parse - $SMALL",
]


class TestUnwritableOutput:
    """stdout closed (``>&-``) or a full disk (``> /dev/full``): one line, exit 2."""

    @staticmethod
    def check(result: Result | subprocess.CompletedProcess[bytes], reason: str) -> None:
        assert result.returncode == 2, result.stderr
        message = one_line_error(result)
        assert message.startswith("cdcpos")
        assert message.endswith(f": cannot write to stdout: {reason}\n")

    @pytest.mark.parametrize("args", WRITERS)
    @pytest.mark.parametrize(("redirect", "reason"), UNWRITABLE)
    def test_one_line_and_exit_2(self, args: str, redirect: str, reason: str, small: Path) -> None:
        closed = ("stdout",) if redirect == ">&-" else ()
        stdout_to = "full" if redirect == "> /dev/full" else "pipe"
        result = run(*arguments(args, SMALL=small), closed=closed, stdout_to=stdout_to)
        self.check(result, reason)

    @pytest.mark.parametrize(
        "args",
        [
            pytest.param(args, marks=[] if args == "parse $SMALL" else pytest.mark.slow)
            for args in WRITERS
        ],
    )
    @pytest.mark.parametrize(("redirect", "reason"), UNWRITABLE)
    def test_in_a_shell(self, args: str, redirect: str, reason: str, small: Path) -> None:
        self.check(shell(f"$CDCPOS {args} {redirect}", SMALL=small), reason)

    def test_validate_writes_nothing_so_a_closed_stdout_is_fine(self, small: Path) -> None:
        # Like `grep -q`: nothing is written, so nothing fails.
        result = run("validate", small, closed=("stdout",))
        assert (result.returncode, result.stderr) == (0, b"")

    @pytest.mark.slow
    def test_validate_with_stdout_closed_in_a_shell(self, small: Path) -> None:
        result = shell("$CDCPOS validate $SMALL >&-", SMALL=small)
        assert (result.returncode, result.stderr) == (0, b"")

    @pytest.mark.parametrize("args", CLOSED_STDIN)
    def test_closed_stdin_is_an_unreadable_input(self, args: str, small: Path) -> None:
        result = run(*arguments(args, SMALL=small), closed=("stdin",))
        assert result.returncode == 2
        message = one_line_error(result)
        assert message.endswith(": cannot read <stdin>: stdin is closed\n")

    @pytest.mark.parametrize(
        "args",
        [pytest.param(a, marks=[] if a == "parse" else pytest.mark.slow) for a in CLOSED_STDIN],
    )
    def test_closed_stdin_in_a_shell(self, args: str, small: Path) -> None:
        result = shell(f"$CDCPOS {args} <&-", SMALL=small)
        assert result.returncode == 2
        message = one_line_error(result)
        assert message.endswith(": cannot read <stdin>: stdin is closed\n")

    def test_closed_stderr_changes_nothing_but_the_messages(self, small: Path) -> None:
        # The unreadable file still makes the status 2 (an exception would make it 1).
        result = run("validate", small, "/nonexistent", closed=("stderr",))
        assert result.returncode == 2
        bad = run("validate", "--value", "0/x", closed=("stderr",))
        assert bad.returncode == 1
        written = run("parse", small, closed=("stderr",))
        assert len(lines(written.stdout)) == 2
        # A real process: stderr closed before the interpreter starts.
        assert shell("$CDCPOS validate --value 0/x 2>&-").returncode == 1

    @pytest.mark.slow
    def test_closed_stderr_in_a_shell(self, small: Path) -> None:
        result = shell("$CDCPOS validate $SMALL /nonexistent 2>&-", SMALL=small)
        assert result.returncode == 2
        written = shell("$CDCPOS parse $SMALL 2>&- | wc -l", SMALL=small)
        assert written.stdout.strip() == b"2"


PIPELINES = [
    "parse $MANY",
    "parse --format json $MANY",
    "parse --format table $MANY",
    "parse --no-fields $MANY",
    "sort $MANY",
    "convert --to postgres-padded < $MANY",
]


class TestBrokenPipe:
    """The reader goes away (``| head -1``): quiet, and the status a shell gives ``cat``.
    (tests/test_cli.py and tests/test_cli_fields.py run one each in a real pipe.)"""

    @pytest.fixture
    def many(self, tmp_path: Path) -> Path:
        path = tmp_path / "many.txt"
        path.write_bytes(b"0/1\n" * 20_000)  # output far over a pipe's buffer
        return path

    @pytest.mark.parametrize("args", PIPELINES)
    def test_like_cat(self, args: str, many: Path) -> None:
        words, _, source = args.partition(" < ")
        stdin = Path(source.replace("$MANY", str(many))).read_bytes() if source else None
        result = run(*arguments(words, MANY=many), stdin=stdin, stdout_to="gone")
        assert (result.returncode, result.stderr) == (141, b"")

    @pytest.mark.slow
    @pytest.mark.parametrize("args", PIPELINES)
    def test_like_cat_in_a_pipeline(self, args: str, many: Path) -> None:
        script = f"set -o pipefail; $CDCPOS {args} | head -1 > /dev/null; echo $?"
        result = shell(script, MANY=many)
        cat = shell(
            "set -o pipefail; cat $MANY $MANY $MANY | head -1 > /dev/null; echo $?", MANY=many
        )
        assert cat.stdout == b"141\n"  # what a shell reports for a filter killed by SIGPIPE
        assert result.stdout == cat.stdout
        assert result.stderr == b""


class TestColumnNumbers:
    """``--no-header`` column numbers are ASCII digits; anything else is a usage error."""

    @pytest.mark.parametrize(
        ("option", "number"),
        [
            *(
                ("--value", number)
                for number in [
                    "²",
                    "٢",
                    "1²",
                    "٣",
                    "0",
                    "-1",
                    " 1",
                    "1_0",
                    "+1",
                    "x",
                    "1" * 5000,
                    "",
                ]
            ),
            ("--key", "²"),
            ("--key", "٢"),
            ("--key", "0"),
        ],
    )
    def test_not_a_column_number(self, option: str, number: str) -> None:
        others = ["--value", "2"] if option == "--key" else []
        result = run("latest", "--no-header", *others, option, number, stdin=b"a\t0/1\n")
        assert result.returncode == 2
        message = one_line_error(result)
        assert "are column numbers in ASCII digits" in message
        assert len(message) < 300

    def test_ascii_digits(self) -> None:
        data = b"a\t0/1\nb\t0/9\na\t0/5\n"
        result = run("latest", "--no-header", "--key", "01", "--value", "2", stdin=data)
        assert (result.returncode, lines(result.stdout)) == (0, ["a\t0/5", "b\t0/9"])
        far = run("sort", "--no-header", "--value", "999999999", stdin=data)
        assert far.returncode == 1
        assert b"a TSV row with 2 columns has no column 999999999" in far.stderr


class TestLongLines:
    """A line over LINE_LIMIT bytes is LineTooLong wherever the reads cut it, and what is
    shown of it is bounded."""

    @staticmethod
    def check(records: list[dict[str, Any]], long_lines: set[int], count: int) -> None:
        assert [r["line"] for r in records] == list(range(1, count + 1))
        for record in records:
            if record["line"] in long_lines:
                assert record["error"]["type"] == "LineTooLong", record["line"]
                assert len(record["input"].encode()) <= LIMIT + 3 * 4  # \xNN of a cut character
            else:
                assert record["ok"], record

    @staticmethod
    def filler(size: int) -> bytes:
        """``size`` bytes of valid short lines (MySQL binlog positions of 100 bytes and
        one shorter): few lines, so that the long line's place costs little to reach."""
        if size == 0:
            return b""
        whole, rest = divmod(size, 100)
        if 0 < rest < 6:  # too short for a position: the last whole line takes it
            whole, rest = whole - 1, rest + 100
        lines = [b"b" * 95 + b".1:4\n"] * whole
        if rest:
            lines.append(b"c" * (rest - 5) + b".1:4\n")
        return b"".join(lines)

    @pytest.mark.parametrize(
        "offset",
        [0, 6, LIMIT - 10, BLOCK - 100_001, BLOCK - 70_000, BLOCK - 1, BLOCK + 3],
    )
    @pytest.mark.parametrize("source", ["file", "stdin"])
    def test_a_100_kb_line_anywhere(self, tmp_path: Path, offset: int, source: str) -> None:
        # Short lines up to `offset` bytes, the long line, then short lines again.
        before = self.filler(offset)
        assert len(before) == offset
        data = before + b"x" * 100_000 + b"\n" + b"0/2\n" * 3000
        path = tmp_path / "in.txt"
        path.write_bytes(data)
        args = ("parse", "--no-fields", *((path,) if source == "file" else ()))
        result = run(*args, stdin=None if source == "file" else data)
        assert result.returncode == 0
        count = before.count(b"\n")
        self.check(jsonl(result.stdout), {count + 1}, count + 3001)

    @pytest.mark.parametrize(
        ("line", "too_long"),
        [
            (b"x" * LIMIT, False),
            (b"x" * LIMIT + b"\r", False),  # the CR of a CRLF ending is not part of the line
            (b"x" * (LIMIT + 1), True),
            ("é".encode() * (LIMIT // 2 + 1), True),  # fewer characters than bytes
            ("€".encode() * (LIMIT // 3), False),
            (b"\xff" + b"x" * LIMIT, True),  # not UTF-8 either: too long comes first
        ],
    )
    def test_the_limit_is_bytes(self, line: bytes, too_long: bool) -> None:
        data = b"0/1\n" + line + b"\n0/2\n"
        record = jsonl(run("parse", "--no-fields", stdin=data).stdout)[1]
        assert (record["error"]["type"] == "LineTooLong") is too_long
        if not too_long:
            assert record["error"]["type"] in ("InvalidPosition", "InvalidUtf8")

    def test_last_line_without_newline(self) -> None:
        records = jsonl(run("parse", "--no-fields", stdin=b"0/1\n" + b"y" * 100_000).stdout)
        self.check(records, {2}, 2)

    @pytest.mark.parametrize("command", ["validate", "sort", "latest", "convert --to postgres"])
    def test_messages_stay_short(self, command: str) -> None:
        data = b"0/1\n" + b"z" * 100_000 + b"\n"
        result = run(*command.split(), stdin=data)
        assert result.returncode == 1
        assert b"LineTooLong" not in result.stdout and len(result.stderr) < 1000
        assert b"line longer than 65536 bytes" in result.stderr

    def test_records_over_the_limit(self) -> None:
        record = json.dumps({"k": "a", "v": "0/1", "pad": "p" * 70_000}).encode()
        data = b'{"k": "a", "v": "0/2"}\n' + record + b"\n"
        result = run("latest", "--key", "k", "--value", "v", stdin=data)
        assert result.returncode == 1
        assert b"<stdin>:2: Invalid line" in result.stderr and len(result.stderr) < 1000


class TestJsonLineSeparators:
    """JSON output escapes what ``str.splitlines()`` splits on: one record is one line."""

    SEPARATORS = "\u2028\u2029\x85\x80\x9f\x7f\x0b\x0c\x1c\x1d\x1e"

    def inputs(self) -> list[str]:
        texts = [f"0/1{c}" for c in self.SEPARATORS] + [f"{c}0/1" for c in self.SEPARATORS]
        return [*texts, "\u20280/2\u2029", "caf\u00e9\u2028"]

    @pytest.mark.parametrize("extra", [[], ["--lenient"], ["--kind", "start-time"]])
    def test_jsonl(self, extra: list[str]) -> None:
        texts = self.inputs()
        data = "".join(t + "\n" for t in texts).encode()
        result = run("parse", *extra, stdin=data)
        text = result.stdout.decode()
        assert len(text.splitlines()) == len(texts)
        assert [json.loads(line)["input"] for line in text.splitlines()] == texts
        assert "caf\u00e9" in text  # other characters stay UTF-8
        for separator in "\u2028\u2029\x85\x80\x9f":
            assert separator not in text

    def test_json_array_and_file_names(self, tmp_path: Path) -> None:
        path = tmp_path / "a\u2028b\x85.txt"
        texts = self.inputs()
        # The last line is not UTF-8, and holds U+2028 as well (shown as decoded).
        path.write_bytes("".join(t + "\n" for t in texts).encode() + b"\xff\xe2\x80\xa8\n")
        result = run("parse", "--format", "json", path)
        text = result.stdout.decode()
        assert len(text.splitlines()) == len(texts) + 1 + 2  # records, the bad line, [ and ]
        records = json.loads(text)
        assert {r["file"] for r in records} == {str(path)}
        jsonl_text = run("parse", path).stdout.decode()
        assert len(jsonl_text.splitlines()) == len(texts) + 1


class TestLayouts:
    """``sort``/``latest`` over inputs of different layouts: one layout out, or a refusal."""

    def test_tsv_columns_in_another_order_are_rewritten(self, tmp_path: Path) -> None:
        first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
        first.write_text("task\tcheckpoint\tnote\nt1\t0/5\tx\nt2\t0/1\ty\n")
        second.write_text("note\tcheckpoint\ttask\nz\t0/9\tt1\nw\t0/2\tt2\n")
        result = run("sort", "--value", "checkpoint", first, second)
        assert result.returncode == 0, result.stderr
        assert lines(result.stdout) == [
            "task\tcheckpoint\tnote",
            "t2\t0/1\ty",
            "t2\t0/2\tw",
            "t1\t0/5\tx",
            "t1\t0/9\tz",
        ]
        latest = run("latest", "--key", "task", "--value", "checkpoint", first, second)
        assert lines(latest.stdout) == ["task\tcheckpoint\tnote", "t1\t0/9\tz", "t2\t0/2\tw"]
        # A row that does not fill the header cannot be rewritten: an invalid line.
        second.write_text("note\tcheckpoint\ttask\nz\t0/9\n")
        short = run("sort", "--value", "checkpoint", first, second)
        assert short.returncode == 1
        assert f"{second}:2: a TSV row with 2 columns under a header of 3".encode() in short.stderr

    @pytest.mark.parametrize("command", ["sort", "latest"])
    def test_other_columns_are_refused(self, tmp_path: Path, command: str) -> None:
        first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
        first.write_text("task\tcheckpoint\nt1\t0/5\n")
        second.write_text("checkpoint\ttask\textra\n0/9\tt1\tq\n")
        result = run(command, "--value", "checkpoint", first, second)
        assert (result.returncode, result.stdout) == (2, b"")
        message = one_line_error(result)
        assert f"{second}: its columns ('checkpoint', 'task', 'extra') are not those of" in message
        duplicated = tmp_path / "c.tsv"
        duplicated.write_text("checkpoint\ttask\ttask\n0/9\tt1\tq\n")
        assert run(command, "--value", "checkpoint", first, duplicated).returncode == 2

    @pytest.mark.parametrize("command", ["sort", "latest"])
    def test_tsv_and_json_lines_are_refused(self, tmp_path: Path, command: str) -> None:
        tsv, records = tmp_path / "a.tsv", tmp_path / "b.jsonl"
        tsv.write_text("task\tcheckpoint\nt1\t0/5\n")
        records.write_text('{"task": "t1", "checkpoint": "0/9"}\n')
        for order in ((tsv, records), (records, tsv)):
            result = run(command, "--key", "task", "--value", "checkpoint", *order)
            assert (result.returncode, result.stdout) == (2, b"")
            assert "the output has one layout" in one_line_error(result)

    def test_json_lines_of_any_key_order_and_no_header_tsv(self, tmp_path: Path) -> None:
        first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
        first.write_text('{"k": "a", "v": "0/5"}\n')
        second.write_text('{"v": "0/7", "k": "a"}\n')
        result = run("latest", "--key", "k", "--value", "v", first, second)
        assert lines(result.stdout) == ['{"v": "0/7", "k": "a"}']
        one, two = tmp_path / "1.tsv", tmp_path / "2.tsv"
        one.write_text("a\t0/5\n")
        two.write_text("b\t0/1\n")
        numbered = run("sort", "--no-header", "--value", "2", one, two)
        assert lines(numbered.stdout) == ["b\t0/1", "a\t0/5"]


class TestValueAsFile:
    """A position where a FILE belongs: the message says how to pass the text itself."""

    @pytest.mark.parametrize(
        ("args", "hint"),
        [
            (["validate", "4AF/B00000D0"], "--value 4AF/B00000D0"),
            (["validate", CHECKPOINT_PG], f"--value '{CHECKPOINT_PG}'"),
            (["validate", "--kind", "start-time", "1520511132"], "--value 1520511132"),
            (["parse", "6916533"], "printf '%s\\n' 6916533 | cdcpos parse"),
            (["sort", "0/1"], "printf '%s\\n' 0/1 | cdcpos sort"),
            (["latest", "--value", "v", "0/1"], "printf '%s\\n' 0/1 | cdcpos latest"),
        ],
    )
    def test_hint(self, args: list[str], hint: str) -> None:
        result = run(*args)
        assert result.returncode == 2
        message = one_line_error(result)
        assert "No such file or directory" in message
        what = "to validate" if args[0] == "validate" else "to read"
        assert message.endswith(f"({what} the text itself: {hint})\n")

    def test_no_hint_for_a_missing_file(self) -> None:
        message = one_line_error(run("validate", "positions.txt"))
        assert message == (
            "cdcpos validate: cannot read positions.txt: No such file or directory\n"
        )


class TestNoCommonOrder:
    """Positions without a common order: both kinds named, "no common order" said once."""

    @pytest.mark.parametrize(
        ("a", "b", "labels", "why"),
        [
            ("0/1", "6916533", ("postgres_lsn", "oracle_scn"), "different engines"),
            (
                CHECKPOINT_PG,
                CHECKPOINT_SQLSERVER,
                ("checkpoint of postgres_lsn", "checkpoint of sqlserver_lsn"),
                "different engines",
            ),
            (
                "mysql-bin.000001:4",
                "binlog.000001:4",
                ("mysql_binlog of stem 'mysql-bin'", "mysql_binlog of stem 'binlog'"),
                "different binlog stems",
            ),
            (
                "checkpoint:V1#1#a.000001:4#0#0#*#0#0",
                "checkpoint:V1#1#a.000001:4:-1:2:3:a.000001:1#0#0#*#0#0",
                (
                    "checkpoint of mysql_binlog of stem 'a'",
                    "checkpoint of mysql_stream of stem 'a'",
                ),
                "different kinds of MySQL position",
            ),
            (
                "server_time:2018-02-09T12:12:12",
                "commit_time:2018-02-09T12:12:12",
                ("server_time", "commit_time"),
                "different clocks",
            ),
            (
                "checkpoint:V1#1#zz-99#0#0#*#0#0",
                "checkpoint:V1#1#zz-98#0#0#*#0#0",
                ("checkpoint of opaque", "checkpoint of opaque"),
                "opaque positions (of an engine cdcpos does not know) compare only for equality",
            ),
        ],
    )
    def test_sort_latest_compare(self, a: str, b: str, labels: tuple[str, str], why: str) -> None:
        data = f"{a}\n{b}\n".encode()
        for command in ("sort", "latest"):
            result = run(command, stdin=data)
            assert (result.returncode, result.stdout) == (2, b"")
            assert one_line_error(result) == (
                f"cdcpos {command}: <stdin>:1 ({labels[0]}) and <stdin>:2 ({labels[1]}) "
                f"have no common order: {why}\n"
            )
        compare = run("compare", a, b)
        assert compare.returncode == 2
        message = one_line_error(compare)
        assert message == (
            f"cdcpos compare: cannot order {a!r} ({labels[0]}) and {b!r} ({labels[1]}): "
            f"no common order ({why})\n"
        )


class TestDeepJson:
    """JSON nested beyond the recursion limit is an invalid record, never RecursionError."""

    @pytest.mark.parametrize(
        "line",
        [
            "[" * 30_000,
            "{" + '"a":{' * 30_000,
            '{"k": "a", "v": "0/1", "x": ' + "[" * 30_000 + "]" * 30_000 + "}",
            '{"k": ' + "[" * 30_000 + "]" * 30_000 + ', "v": "0/1"}',
            '{"k": ' + "[" * 990 + "]" * 990 + ', "v": "0/1"}',
            '{"k": "a", "v": ' + "[" * 990 + "]" * 990 + "}",
        ],
    )
    @pytest.mark.parametrize("command", ["sort", "latest"])
    def test_an_invalid_record(self, command: str, line: str) -> None:
        data = ('{"k": "a", "v": "0/2"}\n' + line + "\n").encode()
        args = (command, "--input-format", "jsonl", "--key", "k", "--value", "v")
        result = run(*args, stdin=data)
        assert result.returncode == 1
        assert b"Traceback" not in result.stderr and b"RecursionError" not in result.stderr
        assert result.stderr.startswith(b"<stdin>:2: ")
        assert len(result.stderr) < 1000
        skipped = run(*args, "--skip-invalid", stdin=data)
        assert (skipped.returncode, lines(skipped.stdout)) == (0, ['{"k": "a", "v": "0/2"}'])


class TestLongArguments:
    """An argument far too long to be meant is quoted shortened, not echoed whole."""

    LONG = "1" * 100_000

    @pytest.mark.parametrize(
        ("args", "stdin", "status"),
        [
            (["validate", "--engine", LONG, "--value", "0/1"], b"", 2),
            (["validate", "--value", LONG], b"", 1),
            (["compare", LONG, "0/1"], b"", 1),
            (["convert", "--to", "oracle", LONG], b"", 1),
            (["latest", "--value", LONG], b"k\tv\na\t0/1\n", 2),
            (["latest", "--key", LONG, "--value", "v"], b'{"v": "0/1"}\n', 1),
            (["latest", "--value", LONG], b'{"v": "0/1"}\n', 1),
        ],
    )
    def test_messages_stay_short(self, args: list[str], stdin: bytes, status: int) -> None:
        result = run(*args, stdin=stdin)
        assert result.returncode == status
        assert b"Traceback" not in result.stderr
        assert 0 < len(result.stderr) < 1000
