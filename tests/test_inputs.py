"""What goes in, and the only exceptions that come out (issue 9, section 3).

Every public function takes ``str`` (or its documented types): a bad value is an
``InvalidPosition``, a wrong type a ``TypeError``, and nothing else escapes.  Each class
of defect is tested over every entry point it could reach, not only its reproducer.
"""

from __future__ import annotations

import enum
import gc
import io
import os
import pickle
import signal
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import cdcpos

from .examples import DB2_EXAMPLES, ENTRY_POINTS, SPEC_EXAMPLES

VALUE_CLASSES = [
    cls
    for cls in (getattr(cdcpos, name) for name in cdcpos.__all__)
    if isinstance(cls, type) and issubclass(cls, cdcpos.Position) and hasattr(cls, "kind")
]
# One valid text per value class, written as the class reads it.
CLASS_TEXTS = {
    cdcpos.Checkpoint: "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    cdcpos.CommitTime: "commit_time:2018-02-09T12:12:12",
    cdcpos.DatePosition: "2018-03-08T12:12:12",
    cdcpos.Db2Lri: "0100000000000022CC000000000004FB13",
    cdcpos.Db2Now: "NOW",
    cdcpos.Db2Timestamp: "timestamp:2021-09-21T13:00:00",
    cdcpos.MySqlBinlogPosition: "mysql-bin-changelog.000024:373",
    cdcpos.MySqlStreamPosition: "mysql-bin.000002:1975:-1:2002:677883278264080:mysql-bin.000002:1876",
    cdcpos.OpaquePosition: "some:opaque.thing",
    cdcpos.OracleScn: "6916533",
    cdcpos.OracleStreamPosition: "00000007.c99042d0.00000001.000c.01.0000:401032.58563.16",
    cdcpos.PostgresLsn: "4AF/B00000D0",
    cdcpos.ServerTime: "server_time:2018-02-09T12:12:12",
    cdcpos.SqlServerLsn: "00000014:00000061:0001",
}


def only_clean_errors(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The call's value, or ``None`` after an ``InvalidPosition``; a ``TypeError`` is
    returned as is; anything else fails the test."""
    try:
        return call(*args, **kwargs)
    except cdcpos.InvalidPosition as error:
        assert type(error) is cdcpos.InvalidPosition
        assert error.__cause__ is None and (error.__suppress_context__ or error.__context__ is None)
        assert error.text is None or type(error.text) is str
        return None
    except TypeError as error:
        return error


def plain_everywhere(value: Any, seen: set[int] | None = None) -> None:
    """No ``str`` subclass object is kept anywhere inside a value."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        assert type(value) is str, type(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        assert type(value) is int, type(value)
    elif isinstance(value, tuple | list):
        for item in value:
            plain_everywhere(item, seen)
    elif isinstance(value, cdcpos.Position):
        for klass in type(value).__mro__:
            for slot in getattr(klass, "__slots__", ()):
                if hasattr(value, slot):
                    plain_everywhere(getattr(value, slot), seen)


# ====================================================================== str subclasses


class Colour(enum.StrEnum):
    LSN = "0/1"


class OldStyle(str, enum.Enum):  # noqa: UP042  (on purpose: its __str__ is 'OldStyle.LSN', not the text)
    LSN = "0/1"


class LoudStr(str):
    def __str__(self) -> str:
        raise RuntimeError("__str__ must not be called")

    def __len__(self) -> int:
        return 2**70  # lies: len() of it would be an OverflowError

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ must not be called")

    __hash__ = str.__hash__


class ShortStr(str):
    def __len__(self) -> int:
        return -1  # lies the other way: len() would be a ValueError


SUBCLASSES: list[Callable[[str], str]] = [np.str_, LoudStr, ShortStr]


@pytest.mark.parametrize("wrap", SUBCLASSES)
@pytest.mark.parametrize(("cls", "text"), list(CLASS_TEXTS.items()))
def test_str_subclasses_are_read_by_their_text_and_kept_plain(
    wrap: Callable[[str], str], cls: type[cdcpos.Position], text: str
) -> None:
    value = cls(wrap(text))  # type: ignore[call-arg]
    assert value == cls(text)  # type: ignore[call-arg]
    plain_everywhere(value)
    assert b"numpy" not in pickle.dumps(value) and b"Loud" not in pickle.dumps(value)
    if isinstance(value, cdcpos.Checkpoint):
        plain_everywhere(value.position)


@pytest.mark.parametrize("wrap", SUBCLASSES)
@pytest.mark.parametrize(("text", "kind"), SPEC_EXAMPLES + DB2_EXAMPLES)
def test_str_subclasses_through_every_entry_and_the_bulk_path(
    wrap: Callable[[str], str], text: str, kind: str
) -> None:
    entry = cdcpos.parse_db2_start_from_context if kind.startswith("db2") else cdcpos.parse
    expected = entry(text)
    for lenient in (False, True):
        value = entry(wrap(text), lenient=lenient)
        assert value == expected
        plain_everywhere(value)
    bulk_kind = "db2-context" if kind.startswith("db2") else None
    for values in (
        cdcpos.parse_many([wrap(text)], kind=bulk_kind),
        list(cdcpos.iter_parse([wrap(text)], kind=bulk_kind)),
        list(cdcpos.iter_parse([wrap(text + "\n")], kind=bulk_kind)),
    ):
        assert values == [expected]
        plain_everywhere(values[0])
        assert b"numpy" not in pickle.dumps(values[0])


def test_enum_members_read_the_same_everywhere() -> None:
    for member in (Colour.LSN, OldStyle.LSN):
        assert cdcpos.parse(member) == cdcpos.PostgresLsn("0/1")
        assert cdcpos.parse_many([member]) == [cdcpos.PostgresLsn("0/1")]
        assert cdcpos.PostgresLsn(member) == cdcpos.PostgresLsn("0/1")


def test_a_rejected_str_subclass_reports_its_plain_text() -> None:
    for wrap in SUBCLASSES:
        for call in (*ENTRY_POINTS, *VALUE_CLASSES, cdcpos.parse_start_time):
            error = only_clean_errors(call, wrap("0/x#"))
            assert error is None  # an InvalidPosition, checked plain above
        _, problems = cdcpos.parse_many([wrap("0/x")], errors="collect")
        assert type(problems[0][1].text) is str


def test_conversions_and_engine_names_take_str_subclasses() -> None:
    assert cdcpos.SqlServerLsn.from_binary(np.str_("0x00000014000000610001")) == (
        cdcpos.SqlServerLsn("00000014:00000061:0001")
    )
    assert cdcpos.SqlServerLsn.from_decimal(LoudStr("20000000009700001")).slot == 1
    assert int(cdcpos.OracleScn.from_wrap_base(np.str_("0x001f.00233d44"))) == 133146295620
    assert cdcpos.parse("0/1", engine=np.str_("postgres")) == cdcpos.PostgresLsn("0/1")
    assert cdcpos.parse_start_time(np.str_("2018-03-08")).year == 2018


# ====================================================================== iterables


@pytest.mark.parametrize("texts", ["0/1", "0/1\n0/2", b"0/1", bytearray(b"0/1"), memoryview(b"")])
def test_a_str_or_bytes_is_not_an_iterable_of_lines(texts: Any) -> None:
    with pytest.raises(TypeError, match="iterable of str"):
        cdcpos.parse_many(texts)
    with pytest.raises(TypeError, match="iterable of str"):
        cdcpos.iter_parse(texts)  # at once, not at the first next()


def test_iter_parse_on_a_binary_file_says_text_mode(tmp_path: Path) -> None:
    path = tmp_path / "lsns.txt"
    path.write_bytes(b"0/1\n0/2\n")
    with path.open("rb") as binary, pytest.raises(TypeError, match="text mode"):
        cdcpos.iter_parse(binary)
    with pytest.raises(TypeError, match="text mode"):
        cdcpos.iter_parse(io.BytesIO(b"0/1\n"))
    # bytes lines from any other iterable: the same advice, at the line.
    with pytest.raises(TypeError, match=r"line 2 is bytes.*text mode"):
        list(cdcpos.iter_parse(iter(["0/1\n", b"0/2\n"])))  # type: ignore[list-item]
    with path.open(encoding="utf-8") as text:
        assert [str(v) for v in cdcpos.iter_parse(text)] == ["0/1", "0/2"]


BAD_ITEMS: list[Any] = [None, 5, b"0/1", 1.5, Colour, object()]


@pytest.mark.parametrize("bad", BAD_ITEMS, ids=lambda v: type(v).__name__)
def test_a_non_str_item_is_one_reported_item(bad: Any) -> None:
    items = ["0/1", bad, "0/x", "0/2"]
    with pytest.raises(TypeError, match="item 1"):
        cdcpos.parse_many(items)
    assert cdcpos.parse_many(items, errors="skip") == [
        cdcpos.PostgresLsn("0/1"),
        cdcpos.PostgresLsn("0/2"),
    ]
    values, problems = cdcpos.parse_many(items, errors="collect")
    assert [str(v) for v in values] == ["0/1", "0/2"]
    assert [(i, e.index) for i, e in problems] == [(1, 1), (2, 2)]
    first = problems[0][1]
    assert isinstance(first, cdcpos.InvalidPosition) and first.text is None
    assert type(bad).__name__ in str(first) and "(item 1)" in str(first)
    # The same through the engine/lenient path and across iter_parse's chunks.
    _, problems = cdcpos.parse_many(items, errors="collect", engine="postgres", lenient=True)
    assert [i for i, _ in problems] == [1, 2]
    for chunk_size in (1, 2, 10):
        got = list(cdcpos.iter_parse(items, errors="collect", chunk_size=chunk_size))
        assert [type(g).__name__ for g in got] == [
            "PostgresLsn",
            "InvalidPosition",
            "InvalidPosition",
            "PostgresLsn",
        ]
        assert [g.index for g in got if isinstance(g, cdcpos.InvalidPosition)] == [1, 2]
        assert len(list(cdcpos.iter_parse(items, errors="skip", chunk_size=chunk_size))) == 2
        with pytest.raises(TypeError):
            list(cdcpos.iter_parse(items, chunk_size=chunk_size))


# ====================================================================== CdcStartTime


class Seconds(enum.IntEnum):
    MARCH = 1520511132


@pytest.mark.parametrize(
    "value",
    [
        np.float64(1520511132.0),
        np.float32(1520511132.0),
        np.int64(1520511132),
        np.int32(1520511132),
        np.uint64(1520511132),
        np.str_("1520511132"),
        np.str_("2018-03-08T12:12:12Z"),
        Decimal("1520511132"),
        Decimal("1520511132.000"),
        Seconds.MARCH,
        Fraction(1520511132, 1),
        1520511132,
        1520511132.0,
    ],
    ids=repr,
)
def test_start_time_takes_numpy_scalars_and_number_types(value: Any) -> None:
    read = cdcpos.parse_start_time(value)
    assert type(read) is datetime and read.tzinfo is UTC
    # float32 holds 1520511132 only to within 64 seconds.
    assert abs(read - datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)) <= timedelta(seconds=64)


def test_float64_keeps_its_fraction() -> None:
    assert cdcpos.parse_start_time(np.float64(1.5)) == cdcpos.parse_start_time(1.5)
    assert cdcpos.parse_start_time(np.float64(0.1)).microsecond == 100000


@pytest.mark.parametrize(
    "value",
    [
        10**5000,
        -(10**5000),
        10**20,
        np.int64(2**62),
        np.uint64(2**64 - 1),
        Decimal("1e1000000"),
        Decimal("-1e1000000"),
        Decimal("1" * 5000),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("-Infinity"),
        np.float64("inf"),
        np.float64("nan"),
        np.float32("inf"),
        1e300,
        -1e300,
        Fraction(10**400, 1),
        Fraction(-(10**400), 3),
        np.str_("1" * 5000),
    ],
    ids=lambda v: type(v).__name__,
)
def test_start_time_out_of_range_is_invalid_position(value: Any) -> None:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        cdcpos.parse_start_time(value)
    assert caught.value.__cause__ is None
    str(caught.value)  # printable, whatever the number


@pytest.mark.parametrize(
    "value",
    [True, np.bool_(True), 1j, np.complex128(1), np.datetime64("2018-03-08"), None, b"1", [1]],
    ids=repr,
)
def test_start_time_wrong_types_are_type_errors(value: Any) -> None:
    with pytest.raises(TypeError):
        cdcpos.parse_start_time(value)


def test_start_time_datetime_subclass_comes_back_plain() -> None:
    class Stamp(datetime):
        pass

    read = cdcpos.parse_start_time(Stamp(2018, 3, 8, 12, 12, 12))
    assert type(read) is datetime and read == datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)


@pytest.mark.parametrize("value", ["x", None, date(2018, 3, 8), 1520511132, np.str_("x")])
def test_to_epoch_seconds_takes_a_datetime_only(value: Any) -> None:
    with pytest.raises(TypeError, match="datetime"):
        cdcpos.to_epoch_seconds(value)


# ====================================================================== datetimes given to values

INSTANT_CLASSES = [cdcpos.DatePosition, cdcpos.ServerTime, cdcpos.CommitTime, cdcpos.Db2Timestamp]


@pytest.mark.parametrize("cls", INSTANT_CLASSES)
@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1))),
        datetime(1, 1, 1, 3, 0, tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-2))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59))),
    ],
    ids=str,
)
def test_aware_datetimes_past_the_calendar_are_invalid(cls: Any, moment: datetime) -> None:
    with pytest.raises(cdcpos.InvalidPosition, match="year"):
        cls(moment)


@pytest.mark.parametrize("cls", INSTANT_CLASSES)
def test_datetimes_with_microseconds_are_rejected_not_truncated(cls: Any) -> None:
    with pytest.raises(cdcpos.InvalidPosition, match="microseconds") as caught:
        cls(datetime(2018, 3, 8, 12, 12, 12, 1))
    assert caught.value.hint and "replace(microsecond=0)" in caught.value.hint
    with pytest.raises(cdcpos.InvalidPosition, match="microseconds"):
        cls(datetime(2018, 3, 8, 12, 12, 12, 500000, tzinfo=UTC))
    whole = cls(datetime(2018, 3, 8, 12, 12, 12))
    assert whole.value == datetime(2018, 3, 8, 12, 12, 12)


@pytest.mark.parametrize("cls", INSTANT_CLASSES)
def test_a_datetime_subclass_is_kept_as_a_plain_datetime(cls: Any) -> None:
    class Stamp(datetime):
        pass

    value = cls(Stamp(2018, 3, 8, 12, 12, 12))
    assert type(value.value) is datetime
    assert b"Stamp" not in pickle.dumps(value)
    assert value == cls(datetime(2018, 3, 8, 12, 12, 12))


# ====================================================================== integers


class Small(enum.IntEnum):
    ONE = 1


INTEGER_CLASSES = [cdcpos.PostgresLsn, cdcpos.OracleScn, cdcpos.SqlServerLsn, cdcpos.Db2Lri]


@pytest.mark.parametrize("cls", INTEGER_CLASSES)
def test_int_subclasses_are_stored_as_int(cls: Any) -> None:
    for number in (Small.ONE, np.int64(1).item()):
        value = cls(number)
        assert type(int(value)) is int and type(value.__index__()) is int
        plain_everywhere(value)
    assert b"Small" not in pickle.dumps(cls(Small.ONE))


@pytest.mark.parametrize("cls", INTEGER_CLASSES)
@pytest.mark.parametrize(
    "size", [-1, "max+1", 10**5000, -(10**5000)], ids=["-1", "max+1", "10**5000", "-10**5000"]
)
def test_integers_out_of_range_are_invalid_positions(cls: Any, size: Any) -> None:
    number = cls._max + 1 if size == "max+1" else size
    with pytest.raises(cdcpos.InvalidPosition, match="out of range") as caught:
        cls(number)
    assert caught.value.field == cls.__name__ and str(cls._max) in str(caught.value)


def test_postgres_arithmetic_out_of_range_speaks_postgres() -> None:
    lsn = cdcpos.PostgresLsn("0/1")
    for result in (
        lambda: lsn - 2,
        lambda: lsn + 2**64,
        lambda: 2**64 + lsn,
        lambda: lsn - 10**5000,
    ):
        with pytest.raises(cdcpos.InvalidPosition, match="pg_lsn out of range"):
            result()
    assert type(int(lsn + Small.ONE)) is int and lsn + Small.ONE == cdcpos.PostgresLsn("0/2")
    assert lsn - Small.ONE == cdcpos.PostgresLsn("0/0")


# ====================================================================== constructors speak of their kind


def test_constructors_speak_of_their_own_kind() -> None:
    error = only_clean_errors(cdcpos.PostgresLsn, "18446744073709551616")
    assert error is None
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        cdcpos.PostgresLsn("18446744073709551616")
    message = str(caught.value)
    assert "PostgreSQL LSN" in message and "Oracle" not in message and "SCN" not in message
    assert caught.value.column == 9 and caught.value.expected == "'/'"
    # Every class, given every other class's text: its own kind is named, no other.
    names = {cls: cdcpos._engines.describe_kind(cls.kind) for cls in VALUE_CLASSES}
    for cls in VALUE_CLASSES:
        for other, text in CLASS_TEXTS.items():
            if other is cls:
                continue
            try:
                cls(text)
            except cdcpos.InvalidPosition as rejected:
                assert rejected.field == cls.__name__
                assert rejected.reason.startswith(f"not {names[cls]}"), rejected
            else:  # an opaque position is any field text; a binlog is a stream's start
                assert cls is cdcpos.OpaquePosition, (cls, text)


# ====================================================================== subclasses and NOW


@pytest.mark.parametrize("cls", [*VALUE_CLASSES, cdcpos.Position, cdcpos.StopPosition])
def test_value_classes_refuse_subclasses(cls: type) -> None:
    with pytest.raises(TypeError, match="cannot be subclassed"):
        type("Mine", (cls,), {"__slots__": ()})


def test_db2_now_has_no_order() -> None:
    now = cdcpos.Db2Now()
    assert now == cdcpos.Db2Now() and hash(now) == hash(cdcpos.Db2Now())
    for compare in (
        lambda: now < now,
        lambda: now <= now,
        lambda: now > now,
        lambda: now >= now,
        lambda: now < cdcpos.PostgresLsn("0/1"),
        lambda: cdcpos.PostgresLsn("0/1") < now,
    ):
        with pytest.raises(TypeError):
            compare()
    assert sorted([now, cdcpos.PostgresLsn("0/1"), now], key=cdcpos.sort_key)[0] == now


# ====================================================================== fork safety


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_fork_while_the_reference_parser_is_being_built() -> None:
    """A child forked while the lark parser's lock is held (a thread building it) can
    still build it: the lock is reset after fork."""
    from cdcpos import _lark

    gc.collect()
    _lark._lock.acquire()  # as a thread of the parent building the parser would hold it
    try:
        pid = os.fork()
        if pid == 0:  # the child: must not wait for a lock nobody will release
            ok = False
            try:
                _lark._parsers.clear()  # built or not in the parent: build it here
                parser = _lark.lark_parser(transform=True)
                ok = parser.parse("0/1", start="start_position") == cdcpos.PostgresLsn("0/1")
            finally:
                os._exit(0 if ok else 1)
    finally:
        _lark._lock.release()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child deadlocked on the parent's lock")


@pytest.mark.parametrize("cls", INTEGER_CLASSES)
def test_numpy_integers_are_read_by_value(cls: Any) -> None:
    for number in (np.int64(5), np.uint8(5), np.int32(5)):
        value = cls(number)
        assert value == cls(5) and type(int(value)) is int
    with pytest.raises(cdcpos.InvalidPosition, match="out of range"):
        cls(np.int64(-1))
    for wrong in (np.bool_(True), np.float64(5.0), 5.0, True):
        with pytest.raises(TypeError):
            cls(wrong)


@pytest.mark.parametrize("engine", [5, None, b"postgres", ["postgres"], {"postgres"}])
def test_an_engine_that_is_not_a_str_is_a_type_error(engine: Any) -> None:
    text = CLASS_TEXTS[cdcpos.Checkpoint]
    for call in (cdcpos.parse, cdcpos.parse_start_position, cdcpos.parse_checkpoint):
        if engine is None:
            assert call(text, engine=engine) == cdcpos.parse(text)
            continue
        with pytest.raises(TypeError, match="engine must be a str"):
            call(text, engine=engine)
    if engine is not None:
        with pytest.raises(TypeError, match="engine must be a str"):
            cdcpos.parse_start_time(1520511132, engine=engine)
        with pytest.raises(TypeError):
            cdcpos.parse_many(["0/1"], engine=engine)
