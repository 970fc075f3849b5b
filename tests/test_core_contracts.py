"""Contracts of the core that no other fast test pins down exactly.

Found by mutation testing (tests/README.md, "Mutation testing"), written as behaviour: the
whole message of an error (reason, field, text, hint), range boundaries, the indices
``iter_parse`` reports across chunks, what a bulk pickle holds and in which order.
"""

from __future__ import annotations

import io
import operator
import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import cdcpos


def rejection(function: Callable[..., Any], *args: Any, **kwargs: Any) -> cdcpos.InvalidPosition:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        function(*args, **kwargs)
    return caught.value


def details(error: cdcpos.InvalidPosition) -> tuple[Any, ...]:
    return (error.reason, error.field, error.text, error.index, error.hint)


# ---------------------------------------------------------------- parse_many, iter_parse

_NOT_LINES = (
    "takes an iterable of str (a list, a file), not a {}, whose items would be characters; "
    "for one value use cdcpos.parse(), or pass [text]"
)


@pytest.mark.parametrize(("texts", "name"), [("0/1", "str"), (b"0/1", "bytes")])
def test_a_str_or_bytes_given_for_many_names_the_function_and_the_type(
    texts: Any, name: str
) -> None:
    for function in (cdcpos.parse_many, cdcpos.iter_parse):
        with pytest.raises(TypeError) as caught:
            function(texts)
        assert str(caught.value) == f"{function.__name__} " + _NOT_LINES.format(name)


_BINARY = (
    "iter_parse reads lines of text: open the file in text mode "
    "(open(path, encoding='utf-8')), not binary mode"
)


class _RemoteFile(list):  # type: ignore[type-arg]
    """A file-like object of another library (no io class) that says how it was opened."""

    def __init__(self, lines: list[Any], mode: str) -> None:
        super().__init__(lines)
        self.mode = mode


def test_iter_parse_refuses_binary_files_by_class_or_by_mode() -> None:
    # An io binary stream without a mode attribute, and a non-io object opened "rb".
    for binary in (io.BytesIO(b"0/1\n"), _RemoteFile([b"0/1\n"], "rb")):
        with pytest.raises(TypeError) as caught:
            cdcpos.iter_parse(binary)
        assert str(caught.value) == _BINARY
    # The same kind of object opened in text mode is read.
    lines = _RemoteFile(["0/1\n", "0/2\n"], "r")
    assert list(cdcpos.iter_parse(lines)) == [cdcpos.PostgresLsn("0/1"), cdcpos.PostgresLsn("0/2")]


def test_iter_parse_numbers_a_bytes_line_across_chunks() -> None:
    lines: list[Any] = ["0/1", "0/2", "0/3", b"0/4", "0/5"]
    seen: list[Any] = []
    with pytest.raises(TypeError) as caught:
        for value in cdcpos.iter_parse(lines, chunk_size=2):
            seen.append(value)
    assert str(caught.value) == (
        "line 4 is bytes: iter_parse reads text; open the file in text mode "
        "(open(path, encoding='utf-8'))"
    )
    assert [str(v) for v in seen] == ["0/1", "0/2", "0/3"]  # everything before it


def test_iter_parse_numbers_a_non_str_item_across_chunks() -> None:
    with pytest.raises(TypeError) as caught:
        list(cdcpos.iter_parse(["0/1", "0/2", "0/3", 5], chunk_size=2))
    assert str(caught.value) == "item 3: position must be a str, not int"


def test_iter_parse_numbers_an_invalid_line_across_chunks() -> None:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        list(cdcpos.iter_parse(["0/1", "0/2", "0/3", "0/x", "0/5"], chunk_size=2))
    assert caught.value.index == 3 and caught.value.text == "0/x"


def test_iter_parse_collects_each_bad_item_in_place_with_its_index() -> None:
    lines: list[Any] = ["0/1", "0/2", "0/3", 5, b"0/5", "x", "0/7"]
    out = list(cdcpos.iter_parse(lines, kind="start", chunk_size=2, errors="collect"))
    assert [str(v) for v in out if not isinstance(v, Exception)] == ["0/1", "0/2", "0/3", "0/7"]
    errors = {i: v for i, v in enumerate(out) if isinstance(v, cdcpos.InvalidPosition)}
    assert sorted(errors) == [3, 4, 5]
    field = "CdcStartPosition"
    assert details(errors[3]) == (f"{field} must be a str, not int", field, None, 3, None)
    assert details(errors[4]) == (
        f"{field} must be a str, not bytes: decode it first (or open the file in text mode)",
        field,
        None,
        4,
        "open the file in text mode",
    )
    assert (errors[5].text, errors[5].index) == ("x", 5)
    skipped = cdcpos.iter_parse(lines, kind="start", chunk_size=2, errors="skip")
    assert [str(v) for v in skipped] == ["0/1", "0/2", "0/3", "0/7"]


@pytest.mark.parametrize(
    ("kind", "field"),
    [(None, "position"), ("checkpoint", "RecoveryCheckpoint"), ("stop", "CdcStopPosition")],
)
def test_parse_many_collects_non_str_items_as_errors_of_the_field(
    kind: str | None, field: str
) -> None:
    values, problems = cdcpos.parse_many([5, b"0/2", 7], kind=kind, errors="collect")
    assert values == []
    assert [(i, details(e)) for i, e in problems] == [
        (0, (f"{field} must be a str, not int", field, None, 0, None)),
        (
            1,
            (
                f"{field} must be a str, not bytes: decode it first (or open the file in "
                "text mode)",
                field,
                None,
                1,
                "open the file in text mode",
            ),
        ),
        (2, (f"{field} must be a str, not int", field, None, 2, None)),
    ]
    assert str(problems[0][1]) == f"Invalid {field} value (item 0): {field} must be a str, not int"


def test_parse_many_names_the_item_that_is_not_a_str() -> None:
    with pytest.raises(TypeError) as caught:
        cdcpos.parse_many(["0/1", "0/2", 5])
    assert str(caught.value) == "item 2: position must be a str, not int"


@pytest.mark.parametrize(
    "parse",
    [
        cdcpos.parse,
        cdcpos.parse_start_position,
        cdcpos.parse_stop_position,
        cdcpos.parse_checkpoint,
        cdcpos.parse_db2_start_from_context,
    ],
)
def test_an_empty_string_is_empty_input_for_every_entry(parse: Callable[..., Any]) -> None:
    # Also where no alternative of the entry can start without a first character.
    error = rejection(parse, "")
    assert (error.reason, error.text, error.column) == ("empty input", "", 1)


# ---------------------------------------------------------------- integers in messages


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (-1, "-1"),
        (2**256 - 1, str(2**256 - 1)),  # 256 bits: still written out
        (2**256, "an integer of 257 bits"),
        (-(2**256), "-an integer of 257 bits"),
        (-(2**256 - 1), str(-(2**256 - 1))),
    ],
)
def test_an_integer_out_of_range_is_written_out_up_to_256_bits(value: int, shown: str) -> None:
    error = rejection(cdcpos.PostgresLsn, value)
    assert error.reason == (
        f"pg_lsn out of range: {shown} is not between 0 and 18446744073709551615 "
        "(2**64-1, FFFFFFFF/FFFFFFFF)"
    )
    assert (error.field, error.text) == ("PostgresLsn", None)


# ---------------------------------------------------------------- start times


@pytest.mark.parametrize("seconds", [10**20, -(10**20), 10**20 + 1, -(10**21)])
def test_start_time_integers_from_20_digits_are_out_of_range_as_written(seconds: int) -> None:
    # Not "before the year 1" for the negative ones: out of range, shown as given.
    error = rejection(cdcpos.parse_start_time, seconds)
    assert details(error) == (
        "epoch seconds out of range",
        "CdcStartTime",
        str(seconds),
        None,
        None,
    )


def test_start_time_integers_just_under_20_digits_are_read_as_seconds() -> None:
    error = rejection(cdcpos.parse_start_time, -(10**20) + 1)
    assert error.reason == "epoch seconds before the year 1"
    assert error.hint == "CdcStartTime takes seconds since 1970-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("seconds", "described"),
    [
        (2**12999, None),  # 13,000 bits: still written out (3,914 digits)
        (-(2**12999), None),
        (2**13000, "an integer of 13001 bits"),
        (-(2**13000), "-an integer of 13001 bits"),
        (10**5000, "an integer of 16610 bits"),  # past str()'s digit limit
    ],
    ids=["2**12999", "-2**12999", "2**13000", "-2**13000", "10**5000"],
)
def test_a_huge_start_time_integer_is_described_not_printed(
    seconds: int, described: str | None
) -> None:
    error = rejection(cdcpos.parse_start_time, seconds)
    assert error.field == "CdcStartTime"
    if described is None:
        assert (error.reason, error.text) == ("epoch seconds out of range", str(seconds))
    else:
        assert (error.reason, error.text) == (f"epoch seconds out of range ({described})", None)


def test_a_number_too_large_for_a_float_is_out_of_range() -> None:
    error = rejection(cdcpos.parse_start_time, Fraction(10**400))
    assert details(error) == ("epoch seconds out of range", "CdcStartTime", None, None, None)
    assert str(error) == "Invalid CdcStartTime value: epoch seconds out of range"


def test_the_milliseconds_hint_keeps_the_microseconds_it_can() -> None:
    error = rejection(cdcpos.parse_start_time, Decimal("1641556979123.4569"))
    assert error.hint == (
        "this looks like epoch milliseconds: as seconds it is past 9999-12-31, as "
        "milliseconds it is 2022-01-07T12:02:59.123456+00:00; CdcStartTime takes seconds, "
        "so pass 1641556979.1234569"
    )


def test_a_start_time_datetime_keeps_its_microseconds_and_fold() -> None:
    assert cdcpos.parse_start_time(datetime(2020, 1, 1, 0, 0, 0, 500_000)) == datetime(
        2020, 1, 1, 0, 0, 0, 500_000, tzinfo=UTC
    )
    # A wall time that happens twice (the end of summer time): fold says which.
    from zoneinfo import ZoneInfo

    try:
        new_york = ZoneInfo("America/New_York")
    except Exception:  # pragma: no cover - no time zone database
        pytest.skip("no time zone database")
    first = datetime(2021, 11, 7, 1, 30, tzinfo=new_york)
    assert cdcpos.parse_start_time(first) == datetime(2021, 11, 7, 5, 30, tzinfo=UTC)
    second = first.replace(fold=1)
    assert cdcpos.parse_start_time(second) == datetime(2021, 11, 7, 6, 30, tzinfo=UTC)


def test_to_epoch_seconds_names_the_type_it_refuses() -> None:
    with pytest.raises(TypeError) as caught:
        cdcpos.to_epoch_seconds("2020-01-01")  # type: ignore[arg-type]
    assert str(caught.value) == "to_epoch_seconds takes a datetime, not str"


@pytest.mark.parametrize(("engine", "name"), [(5, "int"), (b"mysql", "bytes")])
def test_an_engine_that_is_not_a_str_is_named_by_its_type(engine: Any, name: str) -> None:
    for call in (
        lambda: cdcpos.parse_start_position("0/1", engine=engine),
        lambda: cdcpos.parse_start_time(1520511132, engine=engine),
    ):
        with pytest.raises(TypeError) as caught:
            call()
        assert str(caught.value) == f"engine must be a str (a DMS EngineName), not {name}"


# ---------------------------------------------------------------- datetimes given to classes


@pytest.mark.parametrize("cls", [cdcpos.DatePosition, cdcpos.ServerTime, cdcpos.CommitTime])
def test_a_datetime_with_microseconds_is_refused_in_the_classs_name(cls: Any) -> None:
    moment = datetime(2020, 1, 1, 0, 0, 0, 5)
    error = rejection(cls, moment)
    assert details(error) == (
        "datetime.datetime(2020, 1, 1, 0, 0, 0, 5) has microseconds (5); DMS positions have "
        "whole seconds",
        cls.__name__,
        None,
        None,
        "round or truncate it first, e.g. value.replace(microsecond=0)",
    )


@pytest.mark.parametrize("cls", [cdcpos.DatePosition, cdcpos.ServerTime, cdcpos.CommitTime])
def test_an_aware_datetime_outside_the_calendar_in_utc_is_refused(cls: Any) -> None:
    moment = datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    error = rejection(cls, moment)
    assert details(error) == (
        f"{moment!r} in UTC is before the year 1 or after the year 9999",
        cls.__name__,
        None,
        None,
        None,
    )


# ---------------------------------------------------------------- engines and checkpoints


_OPAQUE_HINT = (
    "engine {!r} writes {} in checkpoints; without an engine (or for an engine whose "
    "positions cdcpos does not know) other fields are opaque positions"
)


@pytest.mark.parametrize(
    ("engine", "shapes", "column"),
    [
        ("postgres", "a PostgreSQL LSN", 17),  # the 'l' of lsn=42: no hex digit
        ("mysql", "a MySQL binlog position, a MySQL stream position", 20),  # a file name to '='
    ],
)
def test_an_opaque_position_for_a_known_engine_names_its_shapes(
    engine: str, shapes: str, column: int
) -> None:
    text = "checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0"
    error = rejection(cdcpos.parse_checkpoint, text, engine=engine)
    assert (error.field, error.text, error.column) == ("RecoveryCheckpoint", text, column)
    assert error.reason.startswith(
        f"the position 'lsn=42;epoch=7' is not a position of engine {engine!r}: not "
    )
    assert error.hint == _OPAQUE_HINT.format(engine, shapes)
    # Through parse() the field is the one being parsed, too.
    assert rejection(cdcpos.parse, text, engine=engine).field == "position"


def test_an_opaque_second_position_is_found_in_lenient_input() -> None:
    text = ' "checkpoint:V1#1#0/1#0#0#lsn=4#0#0" '
    error = rejection(cdcpos.parse_checkpoint, text, engine="aurora-postgresql", lenient=True)
    assert error.reason.startswith("the second position 'lsn=4' is not a position of engine")
    assert (error.text, error.column, error.expected) == (text, 27, "a hex digit")
    assert error.hint == _OPAQUE_HINT.format("aurora-postgresql", "a PostgreSQL LSN")


def test_a_checkpoint_with_positions_of_two_engines_says_why_that_cannot_be() -> None:
    text = "checkpoint:V1#1#0/1#0#0#00000014:00000061:0001#0#0"
    error = rejection(cdcpos.parse_checkpoint, text)
    assert details(error) == (
        "positions of two engines: the position is a PostgreSQL LSN (postgres_lsn, postgres) "
        "and the second position a SQL Server LSN (sqlserver_lsn, sqlserver)",
        "RecoveryCheckpoint",
        text,
        None,
        "DMS writes both positions of a checkpoint from one source engine; an opaque "
        "position (an engine cdcpos does not know) pairs with any",
    )


# ---------------------------------------------------------------- checkpoint sort keys

_SAME_POSITION = [
    "checkpoint:V1#1#0/1#0#0#*#0#0",
    "checkpoint:V1#2#0/1#0#0#*#0#0",
    "checkpoint:V1#10#0/1#0#0#*#0#0",
    "checkpoint:V1#2#0/1#0#0#0/5#0#0",
]


def test_the_parts_of_a_checkpoint_sort_key_order_like_the_checkpoints() -> None:
    # Checkpoints at one position tie on (domain, position key): the last part decides,
    # with every operator, and equal checkpoints have equal parts.
    values = [cdcpos.parse_checkpoint(t) for t in _SAME_POSITION]
    for a in values:
        for b in values:
            ka, kb = cdcpos.sort_key(a), cdcpos.sort_key(b)
            assert ka[:2] == kb[:2]
            for op in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq):
                assert op(ka[2], kb[2]) == op(a, b) == op(ka, kb), (op, a, b)


# One position, version and counters: the second positions decide (then the text).
_SECONDS = ["*", "0/9", "0/10", "0/FFFFFFFF", "1/0", "1/1", "A/0", "10/0", "lsn=4", "0/09"]


def test_checkpoints_at_one_position_order_by_their_decoded_fields() -> None:
    # The documented order within a position: (version, counters, second position's
    # sort key or nothing for '*', text), read from the decoded fields as an oracle.
    texts = [f"checkpoint:V1#2#0/1#0#0#{s}#0#0" for s in _SECONDS]
    texts += ["checkpoint:V1#10#0/1#0#0#0/9#0#0", "checkpoint:V1#2#0/1#0#1#*#0#0"]
    values = [cdcpos.parse_checkpoint(t) for t in texts]

    def oracle(value: cdcpos.Checkpoint) -> tuple[Any, ...]:
        second = value.second_position
        return (
            value.version,
            value.counters,
            () if second is None else cdcpos.sort_key(second),
            str(value),
        )

    expected = sorted(values, key=oracle)
    assert sorted(values) == sorted(values, key=cdcpos.sort_key) == expected
    assert [str(v).split("#")[5] for v in expected[:10]] == [
        "*", "lsn=4", "0/09", "0/9", "0/10", "0/FFFFFFFF", "1/0", "1/1", "A/0", "10/0"
    ]  # fmt: skip


def test_a_checkpoint_sort_key_pickles_and_shows_its_text() -> None:
    value = cdcpos.parse_checkpoint(_SAME_POSITION[0])
    key = cdcpos.sort_key(value)
    again = pickle.loads(pickle.dumps(key))
    assert again == key and type(again[2]) is type(key[2])
    assert again[2] < cdcpos.sort_key(cdcpos.parse_checkpoint(_SAME_POSITION[1]))[2]
    assert repr(key[2]) == f"CheckpointTail({_SAME_POSITION[0]!r})"
    # It is the checkpoint's text (a str): against a plain str it orders as that text.
    assert key[2] < "d" and key[2] <= "d" and key[2] > "a" and key[2] >= "a"


# ---------------------------------------------------------------- pickles


def test_values_pickled_one_by_one_share_one_setter_per_class() -> None:
    # A plain list: each value by its own reduce.  The slot setter is written once per
    # class and dump (memoized), so a further value costs its class reference, its key
    # and a call: well under 20 bytes for a small key.
    def plain(count: int) -> list[cdcpos.Position]:
        return [
            cls(n % 200) for n in range(count) for cls in (cdcpos.PostgresLsn, cdcpos.OracleScn)
        ]

    small, large = pickle.dumps(plain(10)), pickle.dumps(plain(110))
    assert (len(large) - len(small)) / 200 < 20
    assert pickle.loads(large) == plain(110)


def test_a_reduce_tuple_rebuilds_the_value_through_its_state_setter() -> None:
    # What a reader of reduce tuples other than pickle does (copyreg protocol, 6 items).
    for value in (cdcpos.PostgresLsn("0/1"), cdcpos.parse("2018-03-08T12:12:12")):
        new, args, state, _, _, setter = value.__reduce_ex__(4)
        rebuilt = new(*args)
        setter(rebuilt, state)
        assert rebuilt == value and str(rebuilt) == str(value)


def test_a_bulk_pickle_writes_each_groups_texts_as_one_string_in_order() -> None:
    texts = [f"checkpoint:V1#{i}#0/{i:X}#0#0#*#0#0" for i in range(50)]
    values = cdcpos.parse_many(texts)
    data = pickle.dumps(values)
    assert "\n".join(texts).encode() in data
    assert pickle.loads(data) == values


def test_a_bulk_pickle_of_mixed_classes_loads_in_the_original_order() -> None:
    texts = ["0/1", "6916533", "checkpoint:V1#1#0/1#0#0#*#0#0", "0/2", "mysql-bin.000001:4"]
    values = cdcpos.parse_many(texts * 3)
    again = pickle.loads(pickle.dumps(values))
    assert type(again) is list and [str(v) for v in again] == texts * 3
    assert [type(v) for v in again] == [type(v) for v in values]


def test_a_bulk_state_whose_parts_disagree_is_refused() -> None:
    # A corrupt or foreign pickle must not load as fewer or different values.
    values = cdcpos.parse_many(["0/1", "6916533"])
    loader, (classes, counts, slots, states, order) = values.__reduce_ex__(5)
    assert loader(classes, counts, slots, states, order) == values
    with pytest.raises(ValueError):
        loader([*classes, cdcpos.PostgresLsn], counts, slots, states, order)
    with pytest.raises(ValueError):
        loader(classes, counts, [(*s, "_key") for s in slots], states, order)


# ---------------------------------------------------------------- refusals


def test_a_subclass_is_refused_naming_the_class_it_derives_from() -> None:
    with pytest.raises(TypeError) as caught:
        type("MyLsn", (cdcpos.PostgresLsn,), {"__slots__": ()})
    assert str(caught.value) == (
        "cdcpos value classes cannot be subclassed (MyLsn from PostgresLsn): equality, "
        "hashing and order are defined per class, so a subclass would break them; wrap the "
        "value in your own class instead"
    )
    with pytest.raises(TypeError, match=r"\(Late from ServerTime\)"):
        type("Late", (cdcpos.ServerTime,), {"__slots__": ()})


def test_db2_now_says_why_it_has_no_order() -> None:
    now = cdcpos.Db2Now()
    with pytest.raises(TypeError) as caught:
        _ = now < cdcpos.PostgresLsn("0/1")
    assert str(caught.value) == (
        "cannot order Db2Now('NOW'): NOW means the current position when the task starts, "
        "which has no order; use key=cdcpos.sort_key for a stable order"
    )


def test_the_values_package_lists_its_lazy_names() -> None:
    # parse_start_time and to_epoch_seconds are imported on first use, yet dir() shows them.
    from cdcpos import _positions

    names = dir(_positions)
    assert names == sorted(names)
    assert {"parse_start_time", "to_epoch_seconds", "PostgresLsn", "Checkpoint"} <= set(names)
