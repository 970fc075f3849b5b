"""atheris fuzz targets: one per public entry point of cdcpos.

Each target takes the fuzzer's bytes, decodes them as UTF-8 with ``surrogateescape`` (so
invalid bytes arrive as lone surrogates and every code point is reachable), calls the entry
point, and asserts the contract:

* only the documented exception escapes: :class:`cdcpos.InvalidPosition` (pydantic's
  ``ValidationError`` for the models); anything else is a finding;
* every error is clean: no chained traceback, a message naming the field, a column inside
  the input, and it pickles;
* whatever parses round-trips: ``parse(str(v)) == v`` (through the class constructor for
  checkpoint-only kinds), checkpoints byte for byte, and the grammar-derived fast path
  agrees with lark, the grammar itself.

Run one with ``python fuzz/fuzz.py TARGET [libFuzzer flags] [corpus dirs]``, all of them
with ``python fuzz/run.py``.  Importing this module instruments cdcpos for coverage, so
import it only in a fuzzing process.
"""

from __future__ import annotations

import contextlib
import enum
import importlib.util
import io
import math
import os
import pickle
import re
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import atheris

with atheris.instrument_imports(include=["cdcpos"]):
    import cdcpos
    from cdcpos import _bulk, _diagnose, _lark, _parse, _rules  # imported lazily by cdcpos
    from cdcpos._engines import SOURCE_ENGINES
    from cdcpos._errors import Rejected
    from cdcpos._positions import Checkpoint, Position

    # The pydantic support and the DMS models are optional parts: fuzz them when present.
    HAVE_PYDANTIC = importlib.util.find_spec("pydantic") is not None
    HAVE_AWS = HAVE_PYDANTIC and importlib.util.find_spec("cdcpos.aws") is not None
    if HAVE_PYDANTIC:
        import pydantic

        from cdcpos import _pydantic  # noqa: F401  (instrumented; reached through pydantic)
    if HAVE_AWS:
        from cdcpos import aws
    from cdcpos import cli

try:  # what pandas users pass: numpy scalars and numpy.str_ (a test dependency)
    import numpy
except ImportError:  # pragma: no cover - the test extra installs numpy
    numpy = None

from lark.exceptions import LarkError

assert _rules and _diagnose  # instrumented above, reached through cdcpos

# Engine hints: every DMS source engine, a target-only engine and a made-up name.
ENGINES = (*SOURCE_ENGINES, "kafka", "no-such-engine", " MySQL ")
# parse_many/iter_parse kinds: every documented alias.
BULK_KINDS = (None, "any", "start", "stop", "checkpoint", "db2-context")
VALUE_CLASSES = tuple(
    cls
    for cls in (getattr(cdcpos, name) for name in cdcpos.__all__)
    if isinstance(cls, type) and issubclass(cls, Position) and hasattr(cls, "kind")
)


def text_of(data: bytes) -> str:
    """The fuzzer's bytes as a str: UTF-8, with undecodable bytes as lone surrogates."""
    return data.decode("utf-8", "surrogateescape")


def pick(data: bytes, choices: tuple[Any, ...]) -> Any:
    """A choice that depends on the input, so that the corpus explores every option."""
    return choices[len(data) % len(choices)]


# ---------------------------------------------------------------- contract checks


def check_error(error: cdcpos.InvalidPosition) -> None:
    assert type(error) is cdcpos.InvalidPosition, type(error)
    assert error.__cause__ is None, "errors are raised from None"
    assert error.__context__ is None or error.__suppress_context__, "chained traceback"
    message = str(error)
    assert message.startswith(f"Invalid {error.field} "), message
    assert error.reason and error.reason in message
    if error.column is not None:
        assert error.text is not None
        assert 1 <= error.column <= len(error.text) + 1, (error.column, error.text)
        assert error.expected, "a column comes with what was expected there"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cdcpos.InvalidPosition and str(again) == message


def expect(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The call's value, or ``None`` after checking its ``InvalidPosition``."""
    try:
        return call(*args, **kwargs)
    except cdcpos.InvalidPosition as error:
        check_error(error)
        return None


def check_value(value: Any, reparse: Callable[[str], Any]) -> None:
    """A parsed value reads back from its canonical text, and behaves as a value."""
    assert isinstance(value, Position), type(value)
    canonical = str(value)
    again = reparse(canonical)
    assert type(again) is type(value) and again == value and str(again) == canonical
    assert hash(again) == hash(value) and (again != value) is False
    assert repr(value) == f"{type(value).__name__}({canonical!r})"
    assert cdcpos.sort_key(value) == cdcpos.sort_key(again)
    loaded = pickle.loads(pickle.dumps(value))
    assert loaded == value and str(loaded) == canonical
    if isinstance(value, Checkpoint):
        parts = [value.position, value.second_position]
        assert len(value.counters) == 5 and value.version >= 0
        for part in parts:
            if part is not None:  # checkpoint-only kinds: through their class
                assert type(part)(str(part)) == part
        if value.engine_kind != "opaque":
            assert not value < value and value <= value


def fast_path(entry: str, text: str) -> Position | None:
    found = _parse.matcher(entry)(text)
    if found is None:
        return None
    try:
        return _parse._BUILD[found.lastgroup](text)  # type: ignore[index]
    except Rejected:
        return None


def lark_path(entry: str, text: str) -> Position | None:
    try:
        return _lark.parse_with_lark(entry, text)
    except (LarkError, Rejected):
        return None


def check_paths_agree(entry: str, text: str) -> None:
    """The grammar-derived regex and lark (the grammar) accept the same strings."""
    if len(text) > cdcpos.MAX_LENGTH:
        return
    fast, slow = fast_path(entry, text), lark_path(entry, text)
    assert (fast is None) == (slow is None), (entry, text, fast, slow)
    if fast is not None:
        assert type(fast) is type(slow) and fast == slow and str(fast) == str(slow)


# ---------------------------------------------------------------- single strings


def _single(
    entry: str, parse: Callable[..., Any], *, engines: bool = True
) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        text = text_of(data)
        strict = expect(parse, text)
        if strict is not None:
            check_value(strict, parse)
            if isinstance(strict, Checkpoint):
                assert str(strict) == text, "a checkpoint serializes byte for byte"
        if entry != "any":
            check_paths_agree(entry, text)
        lenient = expect(parse, text, lenient=True)
        if lenient is not None:
            check_value(lenient, parse)
            if strict is not None:
                assert lenient == strict
            if isinstance(lenient, Checkpoint):
                assert str(lenient) == _parse.normalize_lenient(text)
        elif strict is not None:
            raise AssertionError(f"lenient mode rejects what strict mode accepts: {text!r}")
        if engines:
            hinted = expect(parse, text, engine=pick(data, ENGINES))
            if hinted is not None:
                assert hinted == strict

    target.__doc__ = f"{parse.__name__}: strict, lenient and with an engine hint."
    return target


parse_any = _single("any", cdcpos.parse)
parse_start_position = _single("start_position", cdcpos.parse_start_position)
parse_stop_position = _single("stop_position", cdcpos.parse_stop_position, engines=False)
parse_checkpoint = _single("checkpoint", cdcpos.parse_checkpoint)
parse_db2_start_from_context = _single(
    "db2_start_from_context", cdcpos.parse_db2_start_from_context, engines=False
)


def value_classes(data: bytes) -> None:
    """Every value class's constructor, and the conversions between spellings."""
    text = text_of(data)
    for cls in VALUE_CLASSES:
        value = expect(cls, text)
        if value is not None:
            assert type(value) is cls
            check_value(value, cls)
    lsn = expect(cdcpos.SqlServerLsn.from_binary, text)
    if lsn is not None:
        assert cdcpos.SqlServerLsn.from_binary(lsn.to_binary()) == lsn
    lsn = expect(cdcpos.SqlServerLsn.from_decimal, text)
    if lsn is not None:
        assert cdcpos.SqlServerLsn.from_decimal(lsn.to_decimal()) == lsn
    scn = expect(cdcpos.OracleScn.from_wrap_base, text)
    if scn is not None:
        assert cdcpos.OracleScn.from_wrap_base(scn.to_wrap_base()) == scn


# ---------------------------------------------------------------- bulk


def _lines(text: str) -> list[str]:
    # iter_parse's documented line handling: '\n' and '\r\n' end a line, nothing else.
    lines = []
    for line in io.StringIO(text, newline=""):
        if line.endswith("\n"):
            line = line[:-2] if line.endswith("\r\n") else line[:-1]
        lines.append(line)
    return lines


def parse_many(data: bytes) -> None:
    """parse_many in every errors mode agrees with parsing each line alone."""
    lines = text_of(data).split("\n")
    kind = pick(data, BULK_KINDS)
    entry = _bulk._entry_of(kind)
    single = {
        "any": cdcpos.parse,
        "start_position": cdcpos.parse_start_position,
        "stop_position": cdcpos.parse_stop_position,
        "checkpoint": cdcpos.parse_checkpoint,
        "db2_start_from_context": cdcpos.parse_db2_start_from_context,
    }[entry]
    expected: list[Any] = []
    for line in lines:
        try:
            expected.append(single(line))
        except cdcpos.InvalidPosition as rejected:
            expected.append(rejected)
    values, problems = cdcpos.parse_many(lines, kind=kind, errors="collect")
    assert len(values) + len(problems) == len(lines)
    good = [v for v in expected if not isinstance(v, cdcpos.InvalidPosition)]
    assert values == good and [str(v) for v in values] == [str(v) for v in good]
    bad = [(i, v) for i, v in enumerate(expected) if isinstance(v, cdcpos.InvalidPosition)]
    assert [i for i, _ in problems] == [i for i, _ in bad]
    for (index, problem), (_, alone) in zip(problems, bad, strict=True):
        check_error(problem)
        assert problem.index == index and problem.reason == alone.reason
        assert problem.column == alone.column
    assert cdcpos.parse_many(lines, kind=kind, errors="skip") == good
    try:
        assert cdcpos.parse_many(lines, kind=kind) == good and not bad
    except cdcpos.InvalidPosition as error:
        check_error(error)
        assert bad and error.index == bad[0][0]


def iter_parse(data: bytes) -> None:
    """iter_parse over a file agrees with parse_many over its lines, in any chunk size."""
    text = text_of(data)
    kind = pick(data, BULK_KINDS)
    chunk_size = 1 + len(data) % 5
    lines = _lines(text)
    values, problems = cdcpos.parse_many(lines, kind=kind, errors="collect")
    streamed = list(
        cdcpos.iter_parse(
            io.StringIO(text, newline=""), kind=kind, errors="collect", chunk_size=chunk_size
        )
    )
    assert len(streamed) == len(lines)
    errors = [(i, e) for i, e in enumerate(streamed) if isinstance(e, cdcpos.InvalidPosition)]
    assert [i for i, _ in errors] == [i for i, _ in problems]
    assert [e.index for _, e in errors] == [i for i, _ in problems]
    assert [v for v in streamed if not isinstance(v, cdcpos.InvalidPosition)] == values
    lenient = list(
        cdcpos.iter_parse(io.StringIO(text, newline=""), kind=kind, errors="skip", lenient=True)
    )
    assert len(lenient) >= len(values)


# ---------------------------------------------------------------- CdcStartTime


def _check_start_time(value: Any) -> None:
    for engine in (None, "oracle", "postgres"):
        read = expect(cdcpos.parse_start_time, value, engine=engine)
        if read is None:
            continue
        assert read.tzinfo is UTC
        seconds = cdcpos.to_epoch_seconds(read)
        try:
            back = cdcpos.parse_start_time(seconds)
        except cdcpos.InvalidPosition as error:
            raise AssertionError(
                f"parse_start_time rejects the epoch seconds of a value it accepted: "
                f"{value!r} -> {seconds!r}: {error.reason}"
            ) from None
        assert abs((back - read).total_seconds()) < 0.001, (value, read, back)


def parse_start_time(data: bytes) -> None:
    """parse_start_time on text, and on the numbers and datetimes the text spells."""
    text = text_of(data)
    _check_start_time(text)
    stripped = text.strip()
    if re.fullmatch(r"-?[0-9]{1,4000}", stripped):
        _check_start_time(int(stripped))
    try:
        number = Decimal(stripped) if stripped.isascii() else None
    except InvalidOperation:
        number = None
    if number is not None:
        _check_start_time(number)
        try:
            as_float = float(number)
        except OverflowError:
            as_float = math.inf
        _check_start_time(as_float)
    if len(data) >= 8:
        _check_start_time(struct.unpack("<d", data[:8])[0])
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        moment = None
    if moment is not None:
        _check_start_time(moment)
        _check_start_time(moment.date())


# ---------------------------------------------------------------- pydantic


def _adapters() -> list[Any]:
    return [
        pydantic.TypeAdapter(cls) for cls in (*VALUE_CLASSES, cdcpos.Position, cdcpos.StopPosition)
    ]


_ADAPTERS: list[Any] = []


def pydantic_types(data: bytes) -> None:
    """Every value class as a pydantic field: only ValidationError, and JSON round trips."""
    if not _ADAPTERS:
        _ADAPTERS.extend(_adapters())
    text = text_of(data)
    for adapter in _ADAPTERS:
        for source, argument in ((adapter.validate_python, text), (adapter.validate_json, data)):
            try:
                value = source(argument)
            except pydantic.ValidationError as error:
                assert error.error_count() >= 1
                for detail in error.errors():
                    assert detail["type"].startswith("cdcpos_") or detail["type"] in (
                        "json_invalid",
                        "string_type",
                    ), detail
                continue
            assert isinstance(value, Position)
            dumped = adapter.dump_json(value)
            assert adapter.validate_json(dumped) == value
            assert adapter.dump_python(value, mode="json") == str(value)


_REQUESTS = ("StartReplicationTaskRequest", "CreateReplicationTaskRequest",
             "ModifyReplicationTaskRequest")  # fmt: skip


def aws_models(data: bytes) -> None:
    """The DMS request and response models on JSON: only ValidationError, and requests
    give boto3 arguments that validate again to the same request."""
    context = {"source_engine": pick(data, (None, "postgres", "mysql", "oracle", "docdb"))}
    for name in _REQUESTS:
        model = getattr(aws, name)
        try:
            request = model.model_validate_json(data, context=context)
        except pydantic.ValidationError as error:
            assert error.error_count() >= 1
            continue
        kwargs = request.to_boto3()
        again = model.model_validate(kwargs, context=context)
        assert again.to_boto3() == kwargs
    try:
        task = aws.ReplicationTask.model_validate_json(data)
    except pydantic.ValidationError as error:
        assert error.error_count() >= 1
    else:
        for field in ("CdcStartPosition", "CdcStopPosition", "RecoveryCheckpoint"):
            value = getattr(task, field)
            if value is not None:
                check_value(value, type(value))


# ---------------------------------------------------------------- input types
# Format reference section 10: a str subclass is read as its text (str.__str__), never
# through an overridden __str__, and values keep a plain str; numbers for CdcStartTime
# include numpy scalars; an int subclass is stored as a plain int; anything else is a
# TypeError naming the type, never another exception.


class _LyingStr(str):
    """A str whose __str__ lies and whose __str__ of a slice would too."""

    def __str__(self) -> str:
        raise RuntimeError("cdcpos called __str__ of a str subclass")


class _LyingInt(int):
    def __str__(self) -> str:
        raise RuntimeError("cdcpos called __str__ of an int subclass")

    __repr__ = __str__


ENTRY_POINTS: dict[str, Callable[..., Any]] = {
    "any": cdcpos.parse,
    "start_position": cdcpos.parse_start_position,
    "stop_position": cdcpos.parse_stop_position,
    "checkpoint": cdcpos.parse_checkpoint,
    "db2_start_from_context": cdcpos.parse_db2_start_from_context,
}


def _outcome(call: Callable[..., Any], *args: Any, detail: bool = True) -> Any:
    """A comparable account of a call: the value's class and text, or the error's (with
    ``detail=False`` only the error's type: a message may quote the argument's repr)."""
    try:
        value = call(*args)
    except cdcpos.InvalidPosition as error:
        check_error(error)
        assert error.text is None or type(error.text) is str, type(error.text)
        return ("invalid", error.reason, error.column) if detail else ("invalid",)
    except TypeError as error:
        return ("type", str(error)) if detail else ("type",)
    return ("value", type(value), str(value))


def _plain(value: Any) -> None:
    """A value holds plain str and int, nothing of the argument's class (pickles without it)."""
    text = str(value)
    assert type(text) is str, type(text)
    blob = pickle.dumps(value)
    assert b"numpy" not in blob and b"Fuzzed" not in blob and b"_Lying" not in blob, blob
    if isinstance(value, Checkpoint):
        for part in (value.position, value.second_position):
            if part is not None:
                _plain(part)
    if hasattr(value, "__int__") and not isinstance(value, datetime):
        assert type(int(value)) is int


def str_subclasses(data: bytes) -> None:
    """StrEnum members, numpy.str_ and a str whose __str__ raises read as their text."""
    text = text_of(data)
    variants: list[str] = [enum.StrEnum("Fuzzed", {"X": text}).X, _LyingStr(text)]
    if numpy is not None:
        variants.append(numpy.str_(text))
    entry = pick(data, tuple(ENTRY_POINTS))
    parse = ENTRY_POINTS[entry]
    for variant in variants:
        plain = str.__str__(variant)
        expected = _outcome(parse, plain)
        assert _outcome(parse, variant) == expected, (type(variant), plain, expected)
        if expected[0] == "value":
            _plain(parse(variant))
            many = cdcpos.parse_many([variant], kind=entry, errors="skip")
            assert [str(v) for v in many] == [expected[2]]
            for value in many:
                _plain(value)
        for cls in VALUE_CLASSES[:: 1 + len(data) % 4]:
            assert _outcome(cls, variant) == _outcome(cls, plain), (cls, plain)


def _numbers_in(data: bytes) -> tuple[int, float]:
    whole = int.from_bytes(data[:9], "little", signed=True)
    real = struct.unpack("<d", data[:8])[0] if len(data) >= 8 else float(whole)
    return whole, real


def numbers(data: bytes) -> None:
    """CdcStartTime and the integer positions on numpy scalars and int subclasses."""
    whole, real = _numbers_in(data)
    ints: list[Any] = [enum.IntEnum("Fuzzed", {"A": whole}).A, _LyingInt(whole)]
    floats: list[Any] = []
    if numpy is not None:
        for kind in (numpy.int64, numpy.uint64, numpy.int32, numpy.int8):
            info = numpy.iinfo(kind)
            if info.min <= whole <= info.max:
                ints.append(kind(whole))
        floats = [numpy.float64(real), numpy.float32(real) if math.isfinite(real) else None]
    for number in ints:
        expected = _outcome(cdcpos.parse_start_time, int(number), detail=False)
        got = _outcome(cdcpos.parse_start_time, number, detail=False)
        assert got == expected, (type(number), whole, got, expected)
        for cls in (cdcpos.PostgresLsn, cdcpos.SqlServerLsn, cdcpos.OracleScn, cdcpos.Db2Lri):
            try:
                value = cls(number)
            except (TypeError, ValueError) as error:
                assert type(error) in (TypeError, ValueError, cdcpos.InvalidPosition), error
                continue
            assert value == cls(int(number)) and str(value) == str(cls(int(number)))
            _plain(value)
        for parse in ENTRY_POINTS.values():
            assert _outcome(parse, number)[0] == "type"
    for number in floats:
        if number is None:
            continue
        expected = _outcome(cdcpos.parse_start_time, float(number), detail=False)
        got = _outcome(cdcpos.parse_start_time, number, detail=False)
        assert got == expected, (type(number), real, got, expected)
    for flag in (True, *(() if numpy is None else (numpy.bool_(whole % 2),))):
        assert _outcome(cdcpos.parse_start_time, flag, detail=False)[0] in (
            "type",
            "invalid",
            "value",
        )


_STRANGE_ITEMS: tuple[Any, ...] = (None, 0, b"0/1", 1.5, ["0/1"], object())


def bulk_items(data: bytes) -> None:
    """parse_many on a list holding non-str items (None, numbers, bytes): with 'collect' and
    'skip' each is one bad item at its index; with 'raise' a TypeError or InvalidPosition."""
    lines = text_of(data).split("\n")
    strange = pick(data, _STRANGE_ITEMS)
    items: list[Any] = list(lines)
    at = sorted({len(data) % (len(items) + 1), (len(data) // 3) % (len(items) + 1)})
    for index in reversed(at):
        items.insert(index, strange)
    bad = [i for i, item in enumerate(items) if not isinstance(item, str)]
    kind = pick(data[1:], BULK_KINDS)
    strings = [item for item in items if isinstance(item, str)]
    good = cdcpos.parse_many(strings, kind=kind, errors="skip")
    values, problems = cdcpos.parse_many(items, kind=kind, errors="collect")
    assert len(values) + len(problems) == len(items)
    assert [str(v) for v in values] == [str(v) for v in good]
    reported = dict(problems)
    for index in bad:
        assert isinstance(reported[index], (TypeError, cdcpos.InvalidPosition)), reported[index]
    assert cdcpos.parse_many(items, kind=kind, errors="skip") == good
    try:
        cdcpos.parse_many(items, kind=kind)
    except (TypeError, cdcpos.InvalidPosition):
        pass
    else:
        raise AssertionError("errors='raise' accepted a list with a non-str item")
    for whole in (text_of(data), data):
        try:
            cdcpos.parse_many(whole, kind=kind)  # type: ignore[arg-type]
        except TypeError:
            pass
        else:
            raise AssertionError(f"parse_many iterated the characters of a {type(whole)}")


def _deep(data: bytes) -> str:
    depth = 500 + int.from_bytes(data[:2].ljust(2, b"\0"), "little") % 40000
    opener = pick(data, ("[", '{"a":', '{"CdcStartPosition":', '{"TableMappings":'))
    return opener * depth + text_of(data[2:66])


def deep_json_models(data: bytes) -> None:
    """Deeply nested JSON for the pydantic types and the DMS models: a validation error."""
    document = _deep(data)
    if not _ADAPTERS:
        _ADAPTERS.extend(_adapters())
    for adapter in _ADAPTERS[:: 1 + len(data) % 5]:
        try:
            adapter.validate_json(document)
        except pydantic.ValidationError as error:
            assert error.error_count() >= 1
    if not HAVE_AWS:
        return
    base = {
        "ReplicationTaskIdentifier": "task-1",
        "SourceEndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:SOURCE",
        "TargetEndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:TARGET",
        "ReplicationInstanceArn": "arn:aws:dms:us-east-1:123456789012:rep:INSTANCE",
        "MigrationType": "cdc",
    }
    for name in _REQUESTS:
        model = getattr(aws, name)
        for attempt in (
            lambda: model.model_validate_json(document),  # noqa: B023 (called at once)
            lambda: model.model_validate({**base, "TableMappings": document}),  # noqa: B023
            lambda: model.model_validate({**base, "ReplicationTaskSettings": document}),  # noqa: B023
        ):
            try:
                attempt()
            except pydantic.ValidationError as error:
                assert error.error_count() >= 1


_CLI_FILE = os.path.join(tempfile.gettempdir(), f"cdcpos-fuzz-cli-{os.getpid()}.txt")


def cli_records(data: bytes) -> None:
    """``cdcpos sort``/``latest`` on fuzzed TSV/JSON Lines files (deeply nested JSON
    included): an exit status, reports on stderr, never an exception."""
    text = text_of(data)
    if data[:1] in (b"[", b"{"):
        text = _deep(data[1:]) + "\n" + text
    with open(_CLI_FILE, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
        f.write(text)
    command = pick(data, ("sort", "latest"))
    layout = pick(data[1:], (["--input-format", "jsonl"], ["--input-format", "tsv"], []))
    argv = [command, "--value", "p", *layout, _CLI_FILE]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exit:  # argparse's own errors
            status = exit.code
    assert status in (0, 1, 2), (status, err.getvalue()[-500:])


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Target:
    """A fuzz target: the function, which committed seeds suit it, the longest input."""

    function: Callable[[bytes], None]
    seeds: str
    # Single strings go past cdcpos.MAX_LENGTH, so the length limit is fuzzed too; the
    # bulk targets need many short lines more than long ones.
    max_len: int = 8192


TARGETS: dict[str, Target] = {
    "parse": Target(parse_any, "positions"),
    "parse_start_position": Target(parse_start_position, "positions"),
    "parse_stop_position": Target(parse_stop_position, "positions"),
    "parse_checkpoint": Target(parse_checkpoint, "positions"),
    "parse_db2_start_from_context": Target(parse_db2_start_from_context, "positions"),
    "value_classes": Target(value_classes, "positions"),
    "parse_many": Target(parse_many, "files", max_len=1024),
    "iter_parse": Target(iter_parse, "files", max_len=1024),
    "parse_start_time": Target(parse_start_time, "start_times", max_len=256),
    "str_subclasses": Target(str_subclasses, "positions"),
    "numbers": Target(numbers, "start_times", max_len=64),
    "bulk_items": Target(bulk_items, "files", max_len=1024),
    "cli_records": Target(cli_records, "requests", max_len=2048),
}
if HAVE_PYDANTIC:
    TARGETS["pydantic_types"] = Target(pydantic_types, "positions")
if HAVE_AWS:
    TARGETS["aws_models"] = Target(aws_models, "requests", max_len=4096)
    TARGETS["deep_json_models"] = Target(deep_json_models, "requests", max_len=256)
