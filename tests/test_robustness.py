"""Hostile input: every entry point rejects it cleanly, and threads change nothing.

* the length limit (``cdcpos.MAX_LENGTH``) holds everywhere and is checked before any
  regex or lark work;
* characters that Python's own number and date readers accept, or that pasting brings
  along, are rejected with :class:`cdcpos.InvalidPosition`: non-ASCII digits, underscores,
  NUL, lone surrogates, the BOM, every Unicode space, CR/LF, typographic quotes;
* many threads parsing shared inputs give exactly what one thread gives, cold start
  (lazy parser construction) included.

"Cleanly" means: only ``InvalidPosition``, no chained traceback, the input kept as given,
the column of the offending character, and a message that is safe to print or log.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import pickle
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import cdcpos

from .examples import DB2_EXAMPLES, ENTRY_POINTS, SPEC_EXAMPLES

# (text, public function reading it) for every documented example.
EXAMPLES: list[tuple[str, Callable[..., Any]]] = [
    (text, cdcpos.parse) for text, _ in SPEC_EXAMPLES
] + [(text, cdcpos.parse_db2_start_from_context) for text, _ in DB2_EXAMPLES]
VALUE_CLASSES = [
    cls
    for cls in (getattr(cdcpos, name) for name in cdcpos.__all__)
    if isinstance(cls, type) and issubclass(cls, cdcpos.Position) and hasattr(cls, "kind")
]
UNICODE_SPACES = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
NON_ASCII_DIGITS = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isdigit() and c > "\x7f"]
TYPOGRAPHIC_QUOTES = "\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u2033"


def ids(value: object) -> str:
    # A function by its name: its repr holds an address, which differs between processes
    # (pytest-xdist workers must collect the same ids).
    return getattr(value, "__name__", None) or ascii(value)[:40]


def rejected(parse: Callable[..., Any], text: str, **options: Any) -> cdcpos.InvalidPosition:
    """The error ``parse`` raises for ``text``, checked to be clean."""
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        parse(text, **options)
    error = caught.value
    assert type(error) is cdcpos.InvalidPosition
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    message = str(error)
    # Safe to print and log: the input appears as repr, so no raw control characters,
    # NUL or surrogates reach a terminal or a log line.
    message.encode("utf-8")
    assert message.isprintable(), ascii(message)
    assert pickle.loads(pickle.dumps(error)).args == error.args
    return error


def _accepts(parse: Callable[..., Any], text: str) -> bool:
    try:
        parse(text)
    except cdcpos.InvalidPosition:
        return False
    return True


# The edits below start from valid strings, so each rejection is the edit's doing.
VALID = [(text, parse) for text, parse in EXAMPLES if _accepts(parse, text)]


def test_there_are_valid_examples_of_every_shape() -> None:
    kinds = {parse(text).kind for text, parse in VALID}
    assert kinds >= {"checkpoint", "date", "mysql_binlog", "postgres_lsn", "sqlserver_lsn"}
    assert kinds >= {"oracle_scn", "server_time", "commit_time", "db2_lri", "db2_now"}


# ---------------------------------------------------------------- the length limit


def test_the_limit_is_documented() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "cdcpos.MAX_LENGTH" in readme and str(cdcpos.MAX_LENGTH) in readme
    # Real checkpoints fit DMS's varchar(1024) column, with room to spare.
    assert cdcpos.MAX_LENGTH >= 1024


def long_checkpoint(length: int) -> str:
    """A valid checkpoint of exactly ``length`` characters (a long opaque position)."""
    frame = "checkpoint:V1#1#{}#0#0#*#0#0"
    return frame.format("x" * (length - len(frame) + 2))


@pytest.mark.parametrize("parse", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_inputs_over_the_limit_are_rejected(parse: Callable[..., Any]) -> None:
    for text in ("9" * (cdcpos.MAX_LENGTH + 1), long_checkpoint(cdcpos.MAX_LENGTH + 1)):
        for lenient in (False, True):
            error = rejected(parse, text, lenient=lenient)
            assert "too long" in error.reason and str(cdcpos.MAX_LENGTH) in error.reason
            assert error.column is None and error.hint


def test_a_checkpoint_at_the_limit_is_accepted() -> None:
    text = long_checkpoint(cdcpos.MAX_LENGTH)
    assert len(text) == cdcpos.MAX_LENGTH
    assert str(cdcpos.parse_checkpoint(text)) == text
    assert str(cdcpos.parse_checkpoint(long_checkpoint(1024))) == long_checkpoint(1024)


@pytest.mark.parametrize("cls", VALUE_CLASSES, ids=lambda c: c.__name__)
def test_class_constructors_keep_the_limit(cls: type[cdcpos.Position]) -> None:
    for text in ("0" * (cdcpos.MAX_LENGTH + 1), long_checkpoint(cdcpos.MAX_LENGTH + 1)):
        rejected(cls, text)


def test_bulk_parsing_keeps_the_limit() -> None:
    long = "0" * (cdcpos.MAX_LENGTH + 1)
    values, problems = cdcpos.parse_many(["0/1", long, "0/2"], errors="collect")
    assert [str(v) for v in values] == ["0/1", "0/2"]
    [(index, error)] = problems
    assert index == 1 and error.index == 1 and "too long" in error.reason
    streamed = list(cdcpos.iter_parse(io.StringIO(f"0/1\n{long}\n"), errors="collect"))
    assert isinstance(streamed[1], cdcpos.InvalidPosition) and "too long" in streamed[1].reason


def test_start_times_have_a_limit_too() -> None:
    error = rejected(cdcpos.parse_start_time, "1" * 100_000)
    assert "too long" in error.reason


def test_the_limit_is_checked_before_any_regex_or_lark_work() -> None:
    """Megabytes of input cost nothing: no matching, no lark, no partial-match module."""
    code = """
import sys, time, cdcpos
texts = ["9" * 10_000_000, "checkpoint:V1#" + "1#" * 5_000_000, "\\u0661" * 10_000_000,
         " " * 10_000_000 + "0/1", "\\x00" * 10_000_000]
started = time.perf_counter()
for text in texts:
    for parse in (cdcpos.parse, cdcpos.parse_checkpoint, cdcpos.parse_stop_position,
                  cdcpos.parse_db2_start_from_context):
        for lenient in (False, True):
            try:
                parse(text, lenient=lenient)
            except cdcpos.InvalidPosition as error:
                assert "too long" in error.reason, error.reason
            else:
                raise AssertionError("accepted")
    cdcpos.parse_many([text, text], errors="collect")
elapsed = time.perf_counter() - started
print([m for m in ("lark", "regex") if m in sys.modules], elapsed)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded, elapsed = result.stdout.rsplit("]", 1)
    assert loaded + "]" == "[]", result.stdout
    # 10 inputs of 10 MB, 8 calls each: rejected without reading them (lenient mode's
    # strip() is the only pass over the text, and it stops at the first non-space).
    assert float(elapsed) < 5.0, result.stdout


# ---------------------------------------------------------------- hostile characters


def assert_edit_rejected(
    text: str,
    parse: Callable[..., Any],
    index: int,
    inserted: str,
    *,
    lenient: bool = False,
    exact: bool = True,
) -> None:
    """Inserting ``inserted`` at ``index`` of a valid ``text`` is rejected at that column
    (``exact``), or later when the character may start another valid string."""
    edited = text[:index] + inserted + text[index:]
    error = rejected(parse, edited, lenient=lenient)
    assert error.text == edited or lenient
    if not lenient:
        # Everything before the edit is the start of a valid string: the problem is there.
        assert error.column is not None, (edited, error)
        assert error.column == index + 1 if exact else error.column >= index + 1, (edited, error)


def digit_positions(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if c.isdigit()]


def number_positions(text: str) -> list[int]:
    """Digits of the numbers of a value.  A checkpoint's position fields are left out: an
    engine cdcpos does not know may write any printable ASCII there (an opaque position)."""
    if not text.startswith("checkpoint:"):
        return digit_positions(text)
    positions, start = [], 0
    for number, field in enumerate(text.split("#")):
        if number not in (2, 5):
            positions += [start + i for i in digit_positions(field)]
        start += len(field) + 1
    return positions


DIGIT_SAMPLES = "\u0661\u0662\u0663\u00b2\u00b3\u00b9\u2070\uff10\uff11\U0001d7d9\u0966\u09e6"


def check_non_ascii_digits_rejected(text: str, parse: Callable[..., Any], samples: str) -> None:
    for index in digit_positions(text)[:8]:
        for digit in samples:
            edited = text[:index] + digit + text[index + 1 :]
            error = rejected(parse, edited)
            assert error.column == index + 1
            rejected(parse, edited, lenient=True)


# The fast suite gives each example a third of the sample digits, in turn, so that every
# digit meets a third of the examples; the slow twin tries every digit on every example.
@pytest.mark.parametrize(("text", "parse"), VALID, ids=ids)
def test_non_ascii_digits_are_rejected(text: str, parse: Callable[..., Any]) -> None:
    turn = VALID.index((text, parse)) % 3
    check_non_ascii_digits_rejected(text, parse, DIGIT_SAMPLES[turn::3])


@pytest.mark.slow
@pytest.mark.parametrize(("text", "parse"), VALID, ids=ids)
def test_non_ascii_digits_are_rejected_everywhere(text: str, parse: Callable[..., Any]) -> None:
    check_non_ascii_digits_rejected(text, parse, DIGIT_SAMPLES)


def test_every_non_ascii_digit_is_rejected_where_a_digit_goes() -> None:
    """int() reads all of them (``int('١٢٣') == 123``); no position may."""
    assert len(NON_ASCII_DIGITS) > 700
    for digit in NON_ASCII_DIGITS:
        for text in ("6916533", "0/5120E10"):
            edited = digit + text[1:]
            error = rejected(cdcpos.parse_start_position, edited)
            assert error.column == 1, (ascii(digit), error)
    # Whole non-ASCII numbers get a hint saying what is accepted.
    assert "ASCII" in (rejected(cdcpos.parse, "\u0661\u0662\u0663").hint or "")


@pytest.mark.parametrize(("text", "parse"), VALID, ids=ids)
def test_underscores_in_numbers_are_rejected(text: str, parse: Callable[..., Any]) -> None:
    """int() reads ``1_000``; a position never has an underscore between digits."""
    for index in number_positions(text):
        if index > 0 and text[index - 1].isdigit():
            # '_' is valid in a binlog file name, so the error may come later.
            assert_edit_rejected(text, parse, index, "_", exact=False)
    assert rejected(cdcpos.parse_start_position, "1_000").column == 6  # '1_000.1:4' is valid
    assert rejected(cdcpos.parse_stop_position, "server_time:2018-02-09T12:12:1_2").column == 31


CONTROL_CHARACTERS = [
    "\x00",
    "\ud800",
    "\udfff",
    "\udc80",
    "\ufeff",
    "\r",
    "\n",
    "\r\n",
    "\x7f",
    "\u200b",
]
# The fast suite tries each character on every other example, in turn (every example meets
# half of the characters, every character half of the examples); the slow suite, the rest.
CONTROL_CASES = [
    pytest.param(
        text,
        parse,
        character,
        marks=() if (i + j) % 2 == 0 else pytest.mark.slow,
        id=f"{ids(character)}-{ids(text)}-{ids(parse)}",
    )
    for i, (text, parse) in enumerate(VALID)
    for j, character in enumerate(CONTROL_CHARACTERS)
]


@pytest.mark.parametrize(("text", "parse", "character"), CONTROL_CASES)
def test_control_characters_surrogates_and_bom_are_rejected(
    text: str, parse: Callable[..., Any], character: str
) -> None:
    for index in sorted({1, len(text) // 2, len(text) - 1}):
        assert_edit_rejected(text, parse, index, character)
        assert_edit_rejected(text, parse, index, character, lenient=True)
    # At the start and the end as well, in strict mode.
    rejected(parse, character + text)
    rejected(parse, text + character)


def test_a_bom_gets_a_hint_and_lenient_mode_removes_it() -> None:
    error = rejected(cdcpos.parse, "\ufeff0/1")
    assert "byte order mark" in (error.hint or "")
    assert cdcpos.parse("\ufeff0/1", lenient=True) == cdcpos.PostgresLsn("0/1")


def check_space_rejected(space: str, examples: list[tuple[str, Callable[..., Any]]]) -> None:
    for text, parse in examples:
        # Inside a value: rejected in both modes, at that column.
        for index in sorted({1, len(text) // 2, len(text) - 1}):
            assert_edit_rejected(text, parse, index, space)
            assert_edit_rejected(text, parse, index, space, lenient=True)
        # Around it: rejected by default (with a hint), removed by lenient mode.
        for padded in (space + text, text + space, space * 2 + text + space):
            error = rejected(parse, padded)
            assert error.hint and "whitespace" in error.hint
            assert parse(padded, lenient=True) == parse(text)


# The fast suite tries each space on a quarter of the examples, in turn, so that every
# example meets a quarter of the spaces; the slow twin tries every space on every example.
@pytest.mark.parametrize("space", UNICODE_SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_every_unicode_space_is_rejected(space: str) -> None:
    check_space_rejected(space, VALID[UNICODE_SPACES.index(space) % 4 :: 4])


@pytest.mark.slow
@pytest.mark.parametrize("space", UNICODE_SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_every_unicode_space_is_rejected_in_every_example(space: str) -> None:
    check_space_rejected(space, VALID)


def test_a_space_after_the_clock_needs_lenient_mode() -> None:
    for space in UNICODE_SPACES:
        text = f"commit_time:{space}2018-02-09T12:12:12"
        error = rejected(cdcpos.parse_stop_position, text)
        assert error.column == len("commit_time:") + 1
        assert cdcpos.parse_stop_position(text, lenient=True) == cdcpos.CommitTime(
            "commit_time:2018-02-09T12:12:12"
        )


def test_iter_parse_removes_line_ends_and_nothing_else() -> None:
    lines = "0/1\n0/2\r\n0/3\r0/4\n\x0b0/5\n"
    streamed = list(cdcpos.iter_parse(io.StringIO(lines), errors="collect"))
    assert [str(v) if isinstance(v, cdcpos.Position) else None for v in streamed] == [
        "0/1",
        "0/2",
        None,  # '0/3\r0/4': a CR alone ends no line
        None,  # '\x0b0/5'
    ]


@pytest.mark.parametrize("quote", TYPOGRAPHIC_QUOTES, ids=lambda c: f"U+{ord(c):04X}")
def test_typographic_quotes_are_rejected(quote: str) -> None:
    for text, parse in VALID:
        for index in sorted({1, len(text) // 2, len(text) - 1}):
            assert_edit_rejected(text, parse, index, quote)
            assert_edit_rejected(text, parse, index, quote, lenient=True)
        error = rejected(parse, quote + text + quote)
        assert error.column == 1
        if quote in "\u201c\u201d\u2018\u2019":  # the ones AWS documentation carries
            assert "typographic quotes" in (error.hint or "")


@pytest.mark.parametrize(("opening", "closing"), [("\u201c", "\u201d"), ("\u2018", "\u2019")])
def test_pasted_typographic_quotes_name_the_fix(opening: str, closing: str) -> None:
    for text, parse in VALID:
        quoted = opening + text + closing
        error = rejected(parse, quoted)
        assert "typographic quotes" in (error.hint or "")
        assert parse(quoted, lenient=True) == parse(text)


def test_unicode_lookalikes_of_the_format_characters_are_rejected() -> None:
    """Characters that NFKC folds into '/', ':', '#', '-', digits or letters."""
    folding = [
        c
        for c in map(chr, range(0x80, sys.maxunicode + 1))
        if (folded := unicodedata.normalize("NFKC", c)) != c
        and len(folded) == 1
        and folded in "0123456789/:#-.TABCDEFabcdef"
    ]
    assert len(folding) > 50
    for c in folding:
        folded = unicodedata.normalize("NFKC", c)
        for text, parse in VALID:
            index = text.find(folded)
            if index > 0:
                edited = text[:index] + c + text[index + 1 :]
                assert rejected(parse, edited).column == index + 1
                break


def test_non_str_input_is_a_type_error() -> None:
    for parse in ENTRY_POINTS:
        for value in (b"0/1", 1, None, ["0/1"], bytearray(b"0/1")):
            with pytest.raises(TypeError):
                parse(value)


# ---------------------------------------------------------------- threads


def shared_inputs() -> list[tuple[str, str]]:
    """(entry, text): valid and invalid strings of every entry point."""
    texts = [t for t, _ in EXAMPLES]
    edits = []
    for text in texts:
        edits += [text[:-1], text + "\u00a0", "\u201c" + text + "\u201d", text.swapcase()]
        edits += [text[: len(text) // 2] + "\x00" + text[len(text) // 2 :]]
    entries = ["parse", "parse_start_position", "parse_stop_position", "parse_checkpoint"]
    entries.append("parse_db2_start_from_context")
    return [(entry, text) for text in texts + edits for entry in entries]


def outcome(entry: str, text: str, lenient: bool = False) -> str:
    """A value's type and text, or the full error message: what a user sees."""
    try:
        value = getattr(cdcpos, entry)(text, lenient=lenient)
    except cdcpos.InvalidPosition as error:
        return f"error {error}"
    extra = ""
    if isinstance(value, cdcpos.Checkpoint):
        extra = f" {value.position!r} {value.second_position!r} {value.counters}"
    return f"{type(value).__name__} {value}{extra} {hash(value)}"


@pytest.mark.slow
def test_threads_agree_with_one_thread() -> None:
    inputs = shared_inputs()
    expected = [outcome(e, t) for e, t in inputs]
    start = threading.Barrier(16)

    def work(offset: int) -> list[str]:
        start.wait()
        # Every thread walks the shared inputs from a different place.
        order = inputs[offset:] + inputs[:offset]
        seen = [outcome(e, t, lenient=bool(offset % 2)) for e, t in order]
        return seen[-offset:] + seen[:-offset] if offset else seen

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(work, [i * 7 % len(inputs) for i in range(16)]))
    finally:
        sys.setswitchinterval(previous)
    lenient = [outcome(e, t, lenient=True) for e, t in inputs]
    for offset, seen in zip([i * 7 % len(inputs) for i in range(16)], results, strict=True):
        assert seen == (lenient if offset % 2 else expected)


@pytest.mark.slow
def test_threads_share_values_safely() -> None:
    """Values decode lazily (checkpoint fields, sort keys): many threads at once agree."""
    texts = [t for t, _ in SPEC_EXAMPLES if t.startswith("checkpoint:")]
    for _ in range(20):
        shared = [cdcpos.parse_checkpoint(t) for t in texts]
        start = threading.Barrier(8)

        def read(_: int, shared: list[cdcpos.Checkpoint] = shared, start: Any = start) -> list[str]:
            start.wait()
            return [
                f"{v.position!r} {v.second_position!r} {v.counters} {cdcpos.sort_key(v)!r}"
                for v in shared
            ]

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(read, range(8)))
        assert all(r == results[0] for r in results)


_COLD_START = """
import json, sys, threading
sys.path.insert(0, sys.argv[1])
from tests.test_robustness import outcome, shared_inputs
import cdcpos
inputs = shared_inputs()
threads = int(sys.argv[2])
if threads == 1:
    print(json.dumps([outcome(e, t) for e, t in inputs]))
    raise SystemExit
sys.setswitchinterval(1e-6)
start = threading.Barrier(threads)
results = [None] * threads
def work(i):
    start.wait()  # every thread reaches the lazily built parsers at once
    seen = [outcome(e, t) for e, t in inputs]
    more = cdcpos.parse_many([t for _, t in inputs], errors="collect")
    results[i] = (seen, [str(v) for v in more[0]], [str(e) for _, e in more[1]])
pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
for t in pool: t.start()
for t in pool: t.join()
assert all(r == results[0] for r in results), "threads disagree"
print(json.dumps(results[0][0]))
"""


@pytest.mark.slow
def test_a_cold_start_under_threads_agrees_with_one_thread() -> None:
    """Fresh interpreters: the lark parser, regexes and partial matchers are built lazily;
    16 threads racing to build them must see what a single thread sees."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    runs = {
        threads: subprocess.run(
            [sys.executable, "-c", _COLD_START, root, str(threads)],
            env={**os.environ, "PYTHONHASHSEED": "0"},  # outcomes include hash()
            capture_output=True,
            text=True,
            timeout=300,
        )
        for threads in (1, 16)
    }
    for threads, run in runs.items():
        assert run.returncode == 0, (threads, run.stderr[-3000:])
    assert json.loads(runs[16].stdout) == json.loads(runs[1].stdout)


# ---------------------------------------------------------------- growth with length
# The full curves are benchmarks/adversarial.py's; these keep the verdicts in CI.  A ratio
# of times at 4x the length: 4 is linear, 16 quadratic; 8 leaves room for noise.


def growth(subject: Callable[[str], object], family: str, length: int) -> float:
    """time(4 * length) / time(length), best of a few runs each."""
    from benchmarks.adversarial import FAMILIES, measure

    small, large = FAMILIES[family](length), FAMILIES[family](4 * length)
    return measure(subject, large, 0.2) / measure(subject, small, 0.2)


ADVERSARIAL = ["digits+bad", "hex+slash", "dots", "colons", "hashes", "checkpoint-opaque"]
ADVERSARIAL += ["checkpoint-mysql", "checkpoint-colons", "mysql-streams", "spaces"]


@pytest.mark.slow
@pytest.mark.parametrize("family", ADVERSARIAL)
def test_the_derived_regex_and_lark_grow_linearly_to_a_megabyte(family: str) -> None:
    from cdcpos import _lark, _parse

    for entry in ("start_position", "checkpoint", "any"):
        match = _parse.matcher(entry)
        assert growth(match, family, 1 << 18) < 8, (entry, family)

    def lark(text: str) -> None:
        with contextlib.suppress(Exception):
            _lark.parse_with_lark("checkpoint", text)

    assert growth(lark, family, 1 << 18) < 8, family


@pytest.mark.slow
def test_entry_points_cost_nothing_past_the_limit() -> None:
    from benchmarks.adversarial import FAMILIES, measure

    for family in ADVERSARIAL:
        text = FAMILIES[family](1 << 20)
        assert measure(lambda t: rejected(cdcpos.parse, t), text, 0.05) < 0.01, family


# The families that made the old backtracking partial match quadratic, and their kin.
DIAGNOSED = ["dots", "dots+colon", "checkpoint-mysql", "near-miss-second", "dotted-a"]
DIAGNOSED += ["dotted-zeros", "mysql-streams", "hashes", "checkpoint-colons"]


@pytest.mark.slow
@pytest.mark.parametrize("family", DIAGNOSED)
def test_first_problem_grows_linearly(family: str) -> None:
    from cdcpos import _diagnose

    for entry in ("start_position", "checkpoint", "any"):
        first = functools.partial(_diagnose.first_problem, entry)
        assert growth(first, family, 4096) < 8, (entry, family)


@pytest.mark.slow
@pytest.mark.parametrize("family", DIAGNOSED)
def test_rejection_grows_linearly_up_to_the_limit(family: str) -> None:
    """The whole error path (fast path miss, diagnosis, hint, message) at 1 KB and 4 KB."""
    assert growth(lambda t: _accepts(cdcpos.parse, t), family, cdcpos.MAX_LENGTH // 4) < 8


@pytest.mark.slow
def test_known_mistake_hints_grow_linearly() -> None:
    from cdcpos import _diagnose

    hint = _diagnose.known_mistake_hint
    assert growth(lambda t: hint("stop_position", t), "spaces", 4096) < 8
