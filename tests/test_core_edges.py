"""Edges of the core that mutation testing showed no other test pins down.

Each test asserts behaviour from the format reference (docs/formats.md); see
tests/README.md, "Mutation testing", for how these were found.
"""

from __future__ import annotations

import operator
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import cdcpos

# Engine names of the DMS service model that can be CDC sources (format reference, section 3).
SOURCE_ENGINE_NAMES = {
    "mysql", "mariadb", "aurora", "postgres", "aurora-postgresql", "oracle", "sqlserver",
    "azuredb", "db2", "sybase", "mongodb", "docdb",
}  # fmt: skip


def rejection(function: Any, *args: Any, **kwargs: Any) -> cdcpos.InvalidPosition:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        function(*args, **kwargs)
    return caught.value


# ---------------------------------------------------------------- engine hints


@pytest.mark.parametrize("engine", ["mysqll", "redshift"])
def test_an_unknown_engine_names_the_field_the_input_and_each_known_engine(engine: str) -> None:
    error = rejection(cdcpos.parse_start_position, "0/1", engine=engine)
    assert (error.field, error.text) == ("CdcStartPosition", "0/1")
    assert repr(engine) in error.reason
    assert error.hint is not None and error.hint.startswith("known source engines: ")
    listed = error.hint.removeprefix("known source engines: ").split(", ")
    assert set(listed) >= SOURCE_ENGINE_NAMES
    assert engine not in listed


def test_a_target_engine_is_named_as_a_target_not_as_unknown() -> None:
    target = rejection(cdcpos.parse_start_position, "0/1", engine="redshift")
    assert "target" in target.reason and "unknown" not in target.reason
    unknown = rejection(cdcpos.parse_start_position, "0/1", engine="mysqll")
    assert "unknown" in unknown.reason and "target" not in unknown.reason


@pytest.mark.parametrize("engine", [5, b"mysql", ["mysql"]])
def test_an_engine_that_is_not_a_str_raises_one_of_the_librarys_errors(engine: object) -> None:
    # Nothing but TypeError (wrong type) or InvalidPosition escapes (project standard).
    with pytest.raises((TypeError, cdcpos.InvalidPosition)):
        cdcpos.parse_start_position("0/1", engine=engine)  # type: ignore[arg-type]


def test_the_engine_rejection_describes_the_kind_in_words() -> None:
    # "a PostgreSQL LSN (postgres_lsn, ...)": the words, then the kind's name.
    error = rejection(cdcpos.parse_start_position, "0/1", engine="mysql")
    assert error.reason.startswith("a PostgreSQL LSN (postgres_lsn, written by postgres engines)")


# ---------------------------------------------------------------- dates and clocks


def test_an_impossible_date_says_so_and_shows_the_form() -> None:
    for parse, text in [
        (cdcpos.parse_start_position, "2018-02-30T00:00:00"),
        (cdcpos.parse_stop_position, "server_time:2018-02-30T12:12:12"),
        (cdcpos.DatePosition, "2018-02-30T00:00:00"),
    ]:
        error = rejection(parse, text)
        assert error.reason == "no such date and time", text
        assert error.hint is not None
        assert error.hint.startswith("the value must be a real calendar instant")
        assert error.hint.endswith("YYYY-MM-DDTHH:MM:SS in UTC")


@pytest.fixture
def kathmandu_local_time() -> Any:
    """The process's local time zone set to +05:45, restored afterwards."""
    import os
    import time

    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kathmandu"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_an_aware_datetime_is_read_in_utc_whatever_the_local_time_zone(
    kathmandu_local_time: None,
) -> None:
    aware = datetime(2018, 3, 8, 13, 12, 12, tzinfo=timezone(timedelta(hours=1)))
    assert cdcpos.DatePosition(aware) == cdcpos.DatePosition("2018-03-08T12:12:12")
    assert str(cdcpos.ServerTime(aware)) == "server_time:2018-03-08T12:12:12"
    assert cdcpos.parse_start_time(aware) == datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)
    assert cdcpos.parse_start_time("2018-03-08T13:12:12+01:00").hour == 12


# ---------------------------------------------------------------- PostgreSQL LSN arithmetic


class _Offset:
    """A foreign operand that knows how to add itself to (and subtract itself from) anything."""

    def __radd__(self, other: object) -> str:
        return "added by the other operand"

    def __rsub__(self, other: object) -> str:
        return "subtracted by the other operand"


def test_lsn_arithmetic_leaves_foreign_operands_to_their_own_methods() -> None:
    lsn = cdcpos.PostgresLsn("0/10")
    assert lsn + _Offset() == "added by the other operand"
    assert lsn - _Offset() == "subtracted by the other operand"
    for foreign in (1.5, "1", True):
        with pytest.raises(TypeError):
            lsn + foreign  # type: ignore[operator]
        with pytest.raises(TypeError):
            lsn - foreign  # type: ignore[operator]


# ---------------------------------------------------------------- hashing


CHECKPOINTS = [
    "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876#0#0#*#0#93",
    "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
    "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213",
    "checkpoint:V1#5015#00000007.c99042d0.00000001.000c.01.0000:401032.58563.16#0#0#*#0#0",
    "checkpoint:V1#3#$.583860:1357#0#0#*#0#0",
    "checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0",
    "checkpoint:V1#1#000004af/b00000d0#0#0#*#0#0",
]


def test_different_values_hash_apart() -> None:
    # Equal values hash equal (test_values); unequal ones must not all share one hash, or
    # every set and dict of positions degrades to a list.
    texts = [*CHECKPOINTS, "0/1", "0/2", "1/0", "6916533", "6916534",
             "mysql-bin.000001:4", "mysql-bin.000001:5", "mysql-bin.000002:4",
             "00000014:00000061:0001", "00000014:00000061:0002", "2018-03-08T12:12:12",
             "2018-03-08T12:12:13"]  # fmt: skip
    values = [cdcpos.parse(t) for t in texts]
    assert len({hash(v) for v in values}) == len(values)


# ---------------------------------------------------------------- checkpoint decoding


@pytest.mark.parametrize("text", CHECKPOINTS)
def test_the_reference_parser_decodes_checkpoints_like_the_fast_path(text: str) -> None:
    # lark builds a checkpoint from its (terminal, text) tokens, the fast path from the
    # text alone: the fields, text and order key must be the same.
    from cdcpos._lark import parse_with_lark

    fast = cdcpos.parse_checkpoint(text)
    reference = parse_with_lark("checkpoint", text)
    assert isinstance(reference, cdcpos.Checkpoint)
    assert str(reference) == text
    assert reference == fast and hash(reference) == hash(fast)
    fields = ("version", "counters", "position", "second_position", "engine_kind")
    assert [getattr(reference, f) for f in fields] == [getattr(fast, f) for f in fields]
    assert cdcpos.sort_key(reference) == cdcpos.sort_key(fast)


# ---------------------------------------------------------------- opaque positions


def test_opaque_positions_compare_only_for_equality() -> None:
    a, b = cdcpos.OpaquePosition("lsn=42;epoch=7"), cdcpos.OpaquePosition("lsn=43;epoch=7")
    assert a == cdcpos.OpaquePosition("lsn=42;epoch=7") and a != b
    for compare in (operator.lt, operator.le, operator.gt, operator.ge):
        with pytest.raises(TypeError) as caught:
            compare(a, b)
        message = str(caught.value)
        assert message.startswith(f"cannot order {a!r}: opaque positions")
        assert message.endswith(
            "compare only for equality; use key=cdcpos.sort_key for a stable order"
        )
        with pytest.raises(TypeError):
            compare(a, cdcpos.PostgresLsn("0/1"))
        with pytest.raises(TypeError, match="not supported"):
            compare(a, 5)
    assert sorted([b, a], key=cdcpos.sort_key) == [a, b]


def test_checkpoints_with_opaque_positions_do_not_order_even_with_each_other() -> None:
    a = cdcpos.parse_checkpoint("checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0")
    b = cdcpos.parse_checkpoint("checkpoint:V1#1#lsn=43;epoch=7#0#0#*#0#0")
    for compare in (operator.lt, operator.le, operator.gt, operator.ge):
        with pytest.raises(TypeError, match="compares only for equality"):
            compare(a, b)
    assert a != b and a == cdcpos.parse_checkpoint(str(a))


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_a_checkpoint_against_another_value_is_refused_naming_both_in_order(compare: Any) -> None:
    ck = cdcpos.parse_checkpoint(CHECKPOINTS[1])
    lsn = cdcpos.PostgresLsn("4AF/B00000D0")
    with pytest.raises(TypeError) as caught:
        compare(ck, lsn)
    assert str(caught.value).startswith(f"cannot order {ck!r} (checkpoint) and {lsn!r}")
    with pytest.raises(TypeError, match="not supported"):
        compare(ck, 5)
    later = cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D1#0#0#*#0#0")
    assert compare(ck, later) is compare(0, 1)
    assert compare(ck, ck) is compare(0, 0)


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_checkpoints_of_two_engines_or_with_an_opaque_position_say_why_they_do_not_order(
    compare: Any,
) -> None:
    postgres = cdcpos.parse_checkpoint(CHECKPOINTS[1])
    sqlserver = cdcpos.parse_checkpoint(CHECKPOINTS[3])
    opaque = cdcpos.parse_checkpoint("checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0")
    for left, right in [(opaque, postgres), (postgres, opaque)]:
        with pytest.raises(TypeError) as caught:
            compare(left, right)
        assert str(caught.value) == (
            f"cannot order {left!r} and {right!r}: a checkpoint whose position is opaque "
            "(an engine cdcpos does not know) compares only for equality"
        )
    with pytest.raises(TypeError) as caught:
        compare(postgres, sqlserver)
    assert str(caught.value).startswith(
        f"cannot order {postgres!r} (checkpoint) and {sqlserver!r} (checkpoint): "
        "positions of different engines"
    )


def test_checkpoints_equal_up_to_the_second_position_order_by_its_value_not_its_text() -> None:
    # Same position, version and counters: the second position decides, as a value.
    # Its text would say the opposite: 'A' sorts before 'a'.
    low = cdcpos.parse_checkpoint(
        "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213"
    )
    high = cdcpos.parse_checkpoint(
        "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000A5A:0004#0#213"
    )
    assert str(high) < str(low)
    assert low < high and high > low and low <= high and not low >= high
    assert sorted([high, low]) == [low, high]
    assert sorted([high, low], key=cdcpos.sort_key) == [low, high]


def test_the_sort_key_domain_of_a_checkpoint_names_its_engine() -> None:
    # As sort_key documents: across domains the order is by the domain's name.
    assert cdcpos.sort_key(cdcpos.parse_checkpoint(CHECKPOINTS[1]))[0] == "checkpoint:postgres_lsn"
    assert cdcpos.sort_key(cdcpos.parse_checkpoint(CHECKPOINTS[3]))[0] == "checkpoint:sqlserver_lsn"
    assert (
        cdcpos.sort_key(cdcpos.parse_checkpoint(CHECKPOINTS[5]))[0] == "checkpoint:mysql_binlog:$"
    )


# ---------------------------------------------------------------- CdcStartTime range


def test_start_time_epoch_seconds_cover_exactly_the_years_1_to_9999() -> None:
    first, last = -62135596800, 253402300799  # 0001-01-01T00:00:00Z, 9999-12-31T23:59:59Z
    assert cdcpos.parse_start_time(first) == datetime(1, 1, 1, tzinfo=UTC)
    assert cdcpos.parse_start_time(str(last)) == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)

    before = rejection(cdcpos.parse_start_time, first - 1)
    assert (before.field, before.text) == ("CdcStartTime", str(first - 1))
    assert before.reason == "epoch seconds before the year 1"
    assert before.hint == "CdcStartTime takes seconds since 1970-01-01T00:00:00Z"

    after = rejection(cdcpos.parse_start_time, last + 1)
    assert (after.field, after.text) == ("CdcStartTime", str(last + 1))
    assert after.reason == "epoch seconds beyond the year 9999"
    assert after.hint is not None
    assert after.hint.startswith(
        "this looks like epoch milliseconds: as seconds it is past 9999-12-31, "
    )
    assert "as milliseconds it is 1978-01-11T21:31:40.800000" in after.hint


def test_start_time_milliseconds_reading_stops_where_milliseconds_pass_9999() -> None:
    last_ms = 253402300799999
    hint = rejection(cdcpos.parse_start_time, last_ms).hint
    assert hint is not None and "as milliseconds it is 9999-12-31T23:59:59." in hint
    assert hint.endswith("so pass 253402300799.999")
    for value in (last_ms + 1, Decimal("1e20"), Decimal("1e1000000"), -(10**30)):
        error = rejection(cdcpos.parse_start_time, value)
        assert (error.field, error.text) == ("CdcStartTime", str(value))
        assert error.reason in ("epoch seconds out of range", "epoch seconds before the year 1")
        assert error.hint is None or "before" in error.reason


def test_to_epoch_seconds_reads_naive_as_utc_keeps_offsets_and_gives_int_for_whole_seconds() -> (
    None
):
    naive = datetime(2018, 3, 8, 12, 12, 12)
    aware = datetime(2018, 3, 8, 13, 12, 12, tzinfo=timezone(timedelta(hours=1)))
    for value in (naive, aware, naive.replace(tzinfo=UTC)):
        seconds = cdcpos.to_epoch_seconds(value)
        assert seconds == 1520511132 and type(seconds) is int, value
    assert cdcpos.to_epoch_seconds(naive.replace(microsecond=500000)) == 1520511132.5


def test_the_milliseconds_reading_in_the_hint_is_exact() -> None:
    hint = rejection(cdcpos.parse_start_time, 253402300799999).hint
    assert hint is not None and "as milliseconds it is 9999-12-31T23:59:59.999000+00:00" in hint


_NOT_A_TIMESTAMP = "not epoch seconds or an ISO 8601 timestamp"
_WHITESPACE = "remove the whitespace around the value"
_ASCII = "only ASCII characters occur in a timestamp (digits 0-9, '-', ':', 'T', 'Z')"
_EXAMPLES = "e.g. 2018-03-08T12:12:12Z, 2018-03-08T12:12:12+01:00, 2018-03-08 or 1520511132"
_PAST_CALENDAR = "in UTC this instant is before the year 1 or after 9999"


@pytest.mark.parametrize(
    ("text", "reason", "hint"),
    [
        ("", _NOT_A_TIMESTAMP, None),
        (" 1520511132", _NOT_A_TIMESTAMP, _WHITESPACE),
        ("2018-03-08T12:12:12Z\n", _NOT_A_TIMESTAMP, _WHITESPACE),
        ("\u0661\u0662", _NOT_A_TIMESTAMP, _ASCII),
        ("2018-03-08T12:12:12\u00a0", _NOT_A_TIMESTAMP, _WHITESPACE),
        ("yesterday", _NOT_A_TIMESTAMP, _EXAMPLES),
        ("0" * 55 + "1520511132", "too long for a timestamp", None),
        ("0001-01-01T00:00:00+05:00", _PAST_CALENDAR, None),
        ("9999-12-31T23:59:59-05:00", _PAST_CALENDAR, None),
    ],
)
def test_start_time_text_rejections_name_the_field_quote_the_text_and_hint(
    text: str, reason: str, hint: str | None
) -> None:
    error = rejection(cdcpos.parse_start_time, text)
    assert (error.field, error.text, error.hint) == ("CdcStartTime", text, hint)
    # A text that fits no form also says what came where (": unexpected ' '", tested in
    # tests/test_messages.py); the family of the reason is what is checked here.
    assert error.reason == reason or error.reason.startswith(reason + ": ")


def test_start_time_text_is_read_up_to_64_characters() -> None:
    padded = "0" * 54 + "1520511132"
    assert len(padded) == 64
    assert cdcpos.parse_start_time(padded) == datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)


def test_an_aware_datetime_past_the_calendar_in_utc_is_an_invalid_start_time() -> None:
    late = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5)))
    error = rejection(cdcpos.parse_start_time, late)
    assert (error.field, error.text, error.reason) == ("CdcStartTime", str(late), _PAST_CALENDAR)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN")])
def test_a_decimal_that_is_no_number_is_an_invalid_start_time(value: Decimal) -> None:
    error = rejection(cdcpos.parse_start_time, value)
    assert (error.field, error.text, error.reason) == (
        "CdcStartTime",
        str(value),
        "not a finite number",
    )


def test_a_start_time_for_an_engine_that_cannot_start_from_a_time() -> None:
    for value, shown in [
        ("1520511132", "1520511132"),
        (1520511132, None),
        (date(2018, 3, 8), None),
    ]:
        error = rejection(cdcpos.parse_start_time, value, engine="aurora-postgresql")
        assert (error.field, error.text) == ("CdcStartTime", shown)
        assert error.reason == "engine 'aurora-postgresql' cannot start from a time"
    unknown = rejection(cdcpos.parse_start_time, 1520511132, engine="mysqll")
    assert (unknown.field, unknown.text) == ("CdcStartTime", None)


def test_a_bool_start_time_is_a_type_error_naming_the_field_and_the_type() -> None:
    with pytest.raises(TypeError) as caught:
        cdcpos.parse_start_time(True)
    assert str(caught.value).startswith("CdcStartTime must be")
    assert str(caught.value).endswith("not bool")


# ---------------------------------------------------------------- integer positions


@pytest.mark.parametrize(
    ("cls", "limit", "zero_text"),
    [
        (cdcpos.PostgresLsn, 2**64 - 1, "0/0"),
        (cdcpos.OracleScn, 2**64 - 1, "0"),
        (cdcpos.SqlServerLsn, 2**80 - 1, "00000000:00000000:0000"),
    ],
)
def test_integer_positions_hold_exactly_zero_to_their_limit(
    cls: Any, limit: int, zero_text: str
) -> None:
    assert str(cls(0)) == zero_text and cls(0) == cls(zero_text)
    assert int(cls(limit)) == limit
    for outside in (-1, limit + 1):
        with pytest.raises(ValueError, match=f"between 0 and {limit}"):
            cls(outside)


def test_values_refuse_to_change_and_say_so() -> None:
    for value in (cdcpos.PostgresLsn("0/1"), cdcpos.parse_checkpoint(CHECKPOINTS[1])):
        name = type(value).__name__
        with pytest.raises(AttributeError) as caught:
            value.foo = 1
        assert str(caught.value) == f"{name} is immutable"
        with pytest.raises(AttributeError) as caught:
            del value._key
        assert str(caught.value) == f"{name} is immutable"


def test_values_are_pydantic_field_types() -> None:
    # The one upward hook of the values (pydantic asks the class itself for its schema).
    import pydantic

    adapter = pydantic.TypeAdapter(cdcpos.PostgresLsn)
    assert adapter.validate_python("000004af/b00000d0") == cdcpos.PostgresLsn("4AF/B00000D0")
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python("6916533")
    schema = adapter.json_schema()
    assert schema["type"] == "string"
    assert schema["description"].startswith("A PostgreSQL LSN")
    assert re.fullmatch(schema["pattern"], "4AF/B00000D0")
    assert not re.fullmatch(schema["pattern"], "6916533")


def test_values_of_two_domains_refuse_to_order_and_point_to_sort_key() -> None:
    lsn, scn = cdcpos.PostgresLsn("0/1"), cdcpos.OracleScn("1")
    with pytest.raises(TypeError) as caught:
        lsn < scn  # noqa: B015
    message = str(caught.value)
    assert message.startswith(f"cannot order {lsn!r} (postgres_lsn) and {scn!r} (oracle_scn)")
    assert message.endswith("use key=cdcpos.sort_key to sort a mixed list")


def test_a_foreign_object_that_looks_like_a_value_is_refused_by_type_names() -> None:
    class Impostor:
        _domain = "somewhere else"
        _key = 1

    with pytest.raises(TypeError) as caught:
        cdcpos.PostgresLsn("0/1") < Impostor()  # noqa: B015
    assert str(caught.value) == "cannot order PostgresLsn and Impostor"


def test_stream_positions_with_dotted_stems_order_only_within_their_stem() -> None:
    # A stem may itself contain dots (format reference 3.1): the sequence is after the last.
    def stream(stem: str, offset: int) -> cdcpos.MySqlStreamPosition:
        return cdcpos.MySqlStreamPosition(f"{stem}.000001:{offset}:-1:2002:7:{stem}.000001:4")

    assert stream("my.bin", 5) < stream("my.bin", 6)
    assert cdcpos.sort_key(stream("my.bin", 5))[0] == "mysql_stream:my.bin"
    with pytest.raises(TypeError):
        stream("my.bin", 5) < stream("my.log", 6)  # noqa: B015


# ---------------------------------------------------------------- conversions


def test_sqlserver_decimal_lsn_parts_are_bounded_one_by_one() -> None:
    top = "4294967295" + "4294967295" + "65535"
    assert str(cdcpos.SqlServerLsn.from_decimal(top)) == "ffffffff:ffffffff:ffff"
    assert (
        str(cdcpos.SqlServerLsn.from_decimal("0" + "0" * 10 + "0" * 5)) == "00000000:00000000:0000"
    )
    for too_big in ("4294967296" + "0000000000" + "00000",
                    "0" + "4294967296" + "00000",
                    "0" + "0000000000" + "65536"):  # fmt: skip
        error = rejection(cdcpos.SqlServerLsn.from_decimal, too_big)
        assert (error.field, error.text) == ("SQL Server decimal LSN", too_big)
        assert error.reason == (
            "a part is out of range (virtual log file and block at most 4294967295, "
            "slot at most 65535)"
        )
    error = rejection(cdcpos.SqlServerLsn.from_decimal, "123")
    assert (error.field, error.text) == ("SQL Server decimal LSN", "123")
    assert error.reason == (
        "expected 16 to 25 ASCII digits: the virtual log file, then the block as 10 "
        "digits and the slot as 5 digits"
    )


def test_sqlserver_binary_lsn_rejection_shows_the_form() -> None:
    error = rejection(cdcpos.SqlServerLsn.from_binary, "0x0001")
    assert (error.field, error.text) == ("SQL Server binary(10) LSN", "0x0001")
    assert error.reason == "expected '0x' followed by exactly 20 hex digits"
    assert error.hint == "sys.fn_cdc_get_max_lsn() prints e.g. 0x00000014000000610001"
    assert cdcpos.SqlServerLsn.from_binary("0XFFFFFFFFFFFFFFFFFFFF") == cdcpos.SqlServerLsn(
        2**80 - 1
    )
    assert cdcpos.SqlServerLsn(2**80 - 1).to_binary() == "0xFFFFFFFFFFFFFFFFFFFF"


def test_oracle_wrap_base_both_ways() -> None:
    assert cdcpos.OracleScn(1).to_wrap_base() == "0x0000.00000001"
    assert cdcpos.OracleScn(2**64 - 1).to_wrap_base() == "0xffffffff.ffffffff"
    assert int(cdcpos.OracleScn.from_wrap_base("0X1F.233D44")) == 0x1F << 32 | 0x233D44
    error = rejection(cdcpos.OracleScn.from_wrap_base, "0x1.2.3")
    assert (error.field, error.text) == ("Oracle SCN in wrap.base form", "0x1.2.3")
    assert error.reason == "expected '0x', 1-8 hex digits (wrap), '.', 1-8 hex digits (base)"
    assert error.hint == "Oracle prints e.g. 0x001f.00233d44"


# ---------------------------------------------------------------- parsing with hints


def test_an_engine_rejection_states_kind_family_and_engine() -> None:
    error = rejection(cdcpos.parse, "mysql-bin.000001:4", engine="sqlserver")
    assert (error.field, error.text, error.hint) == ("position", "mysql-bin.000001:4", None)
    assert error.reason == (
        "a MySQL binlog position (mysql_binlog, written by mysql engines) "
        "is not a position of engine 'sqlserver'"
    )
    scn = rejection(cdcpos.parse_start_position, "6916533", engine="azuredb")
    assert scn.hint == (
        "a SQL Server decimal LSN is a conversion: SqlServerLsn.from_decimal() gives the DMS form"
    )
    assert rejection(cdcpos.parse_start_position, "6916533", engine="mysql").hint is None


def test_a_date_for_an_engine_that_cannot_start_from_a_time() -> None:
    error = rejection(cdcpos.parse_start_position, "2018-03-08T12:12:12", engine="docdb")
    assert (error.field, error.text) == ("CdcStartPosition", "2018-03-08T12:12:12")
    assert error.reason == "engine 'docdb' cannot start from a date"
    assert error.hint is not None and error.hint.startswith("DocumentDB sources do not support")
    assert cdcpos.parse_start_position("2018-03-08T12:12:12", engine="oracle").kind == "date"


def test_values_that_belong_to_no_engine_pass_any_engine_hint() -> None:
    for text in ("server_time:2018-02-09T12:12:12", "commit_time:2018-02-09T12:12:12"):
        assert str(cdcpos.parse(text, engine="postgres")) == text
    ck = "checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0"
    assert str(cdcpos.parse_checkpoint(ck, engine="mongodb")) == ck


@pytest.mark.parametrize(
    "pasted",
    ["\ufeff0/16B3748", '"0/16B3748', "0/16B3748\u2019", "\u2018'0/16B3748'\u2019",
     ' " 0/16B3748 " '],
)  # fmt: skip
def test_lenient_mode_removes_a_byte_order_mark_and_unpaired_or_nested_quotes(pasted: str) -> None:
    assert str(cdcpos.parse(pasted, lenient=True)) == "0/16B3748"
    with pytest.raises(cdcpos.InvalidPosition):
        cdcpos.parse(pasted)


# ---------------------------------------------------------------- constructors


def test_a_constructor_names_its_class_in_every_rejection() -> None:
    with pytest.raises(TypeError) as caught:
        cdcpos.MySqlBinlogPosition(b"mysql-bin.000001:4")  # type: ignore[arg-type]
    assert str(caught.value).startswith("MySqlBinlogPosition ") and "bytes" in str(caught.value)

    error = rejection(cdcpos.PostgresLsn, "0/XYZ")
    assert (error.field, error.text) == ("PostgresLsn", "0/XYZ")
    error = rejection(cdcpos.OracleScn, "18446744073709551616")
    assert (error.field, error.text) == ("OracleScn", "18446744073709551616")
    assert "at most 18446744073709551615" in error.reason
    too_long = "a" * 5000 + ".1:4"
    error = rejection(cdcpos.MySqlBinlogPosition, too_long)
    assert (error.field, error.text) == ("MySqlBinlogPosition", too_long)


def test_a_constructor_reads_up_to_4096_characters() -> None:
    longest = "b" * (4096 - len(".000001:4")) + ".000001:4"
    assert len(longest) == 4096
    assert str(cdcpos.MySqlBinlogPosition(longest)) == longest
    assert str(cdcpos.parse(longest)) == longest
    assert "4096" in str(rejection(cdcpos.MySqlBinlogPosition, "b" + longest))


def test_sort_key_names_what_it_was_given() -> None:
    with pytest.raises(TypeError) as caught:
        cdcpos.sort_key(5)  # type: ignore[arg-type]
    assert str(caught.value) == "sort_key takes a cdcpos value, not int"


@pytest.mark.parametrize(
    ("convert", "field"),
    [
        (cdcpos.SqlServerLsn.from_binary, "SQL Server binary(10) LSN"),
        (cdcpos.SqlServerLsn.from_decimal, "SQL Server decimal LSN"),
        (cdcpos.OracleScn.from_wrap_base, "Oracle SCN in wrap.base form"),
    ],
)
def test_a_conversion_given_no_str_names_what_it_converts(convert: Any, field: str) -> None:
    with pytest.raises(TypeError) as caught:
        convert(b"0x1")
    assert str(caught.value).startswith(field + " ") and "bytes" in str(caught.value)


def test_an_scn_past_64_bits_says_the_limit_and_why_it_is_an_scn() -> None:
    for parse, field in (
        (cdcpos.parse_start_position, "CdcStartPosition"),
        (cdcpos.OracleScn, "OracleScn"),
    ):
        error = rejection(parse, "18446744073709551616")
        assert (error.field, error.text) == (field, "18446744073709551616")
        assert error.reason == "an Oracle SCN is at most 18446744073709551615 (2**64-1)"
        assert error.hint == "a bare decimal is read as an Oracle SCN"


def test_lenient_mode_removes_quotes_nested_inside_whitespace() -> None:
    assert str(cdcpos.parse("\" '0/16B3748' \"", lenient=True)) == "0/16B3748"
    assert str(cdcpos.parse("\u201c \u20180/16B3748\u2019 \u201d", lenient=True)) == "0/16B3748"


def test_lenient_mode_leaves_the_value_itself_alone() -> None:
    # Only whitespace, a byte order mark and quotes around the value go.
    for text in ("XYZ-bin.000001:4", "X.000001:4"):
        assert str(cdcpos.parse(f' "{text}" ', lenient=True)) == text
        assert str(cdcpos.parse(f"\ufeff{text}\n", lenient=True)) == text
        assert str(cdcpos.parse(f" {text}", lenient=True)) == text


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (cdcpos.parse_checkpoint, "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0"),
        (cdcpos.parse_db2_start_from_context, "NOW"),
        (cdcpos.parse_stop_position, "server_time:2018-02-09T12:12:12"),
        (cdcpos.parse_start_position, "0/16B3748"),
        (cdcpos.parse, "0/16B3748"),
    ],
)
def test_every_entry_point_is_strict_by_default_and_lenient_on_request(
    parse: Any, text: str
) -> None:
    pasted = f" \u201c{text}\u201d\n"
    with pytest.raises(cdcpos.InvalidPosition):
        parse(pasted)
    assert str(parse(pasted, lenient=True)) == text


def test_parse_checkpoint_applies_the_engine_hint() -> None:
    text = "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0"
    error = rejection(cdcpos.parse_checkpoint, text, engine="oracle")
    assert error.field == "RecoveryCheckpoint" and "'oracle'" in error.reason
    assert str(cdcpos.parse_checkpoint(text, engine="aurora-postgresql")) == text


@pytest.mark.parametrize(
    ("parse", "field"),
    [
        (cdcpos.parse_start_position, "CdcStartPosition"),
        (cdcpos.parse_stop_position, "CdcStopPosition"),
        (cdcpos.parse_checkpoint, "RecoveryCheckpoint"),
        (cdcpos.parse_db2_start_from_context, "StartFromContext"),
        (cdcpos.parse, "position"),
    ],
)
def test_every_entry_point_names_its_field_for_a_wrong_type_and_a_long_text(
    parse: Any, field: str
) -> None:
    with pytest.raises(TypeError) as caught:
        parse(5)
    assert str(caught.value).startswith(field + " ") and "int" in str(caught.value)
    long = "0" * 5000
    error = rejection(parse, long)
    assert (error.field, error.text) == (field, long)


# ---------------------------------------------------------------- bulk


@pytest.mark.parametrize("chunk_size", [1, 2, 4096])
def test_iter_parse_applies_kind_engine_and_lenient_to_every_chunk(chunk_size: int) -> None:
    def run(lines: list[str], **options: Any) -> list[Any]:
        return list(cdcpos.iter_parse(lines, errors="collect", chunk_size=chunk_size, **options))

    lsns = ["0/1\n", "0/2\n", "0/3\n"]
    assert all(isinstance(r, cdcpos.InvalidPosition) for r in run(lsns, kind="stop"))
    assert all(isinstance(r, cdcpos.InvalidPosition) for r in run(lsns, engine="mysql"))
    assert run(lsns, engine="postgres") == [cdcpos.PostgresLsn(s.strip()) for s in lsns]
    quoted = ['"0/1"\n', "'0/2'\n", " 0/3 \n"]
    assert all(isinstance(r, cdcpos.InvalidPosition) for r in run(quoted))
    assert run(quoted, lenient=True) == [cdcpos.PostgresLsn(s.strip()) for s in lsns]


@pytest.mark.parametrize("chunk_size", [2, 3, None])
def test_iter_parse_reads_one_chunk_of_lines_before_the_first_value(chunk_size: int | None) -> None:
    # Constant memory: it reads chunk_size lines (4096 unless told), no more, before it yields.
    read: list[int] = []

    def endless() -> Any:
        while True:
            read.append(1)
            yield f"0/{len(read):X}\n"

    options: dict[str, Any] = {} if chunk_size is None else {"chunk_size": chunk_size}
    stream = cdcpos.iter_parse(endless(), **options)
    assert next(stream) == cdcpos.PostgresLsn("0/1")
    assert len(read) == (chunk_size or 4096)


def test_an_unknown_bulk_kind_lists_the_kinds_there_are() -> None:
    with pytest.raises(ValueError) as caught:
        cdcpos.parse_many([], kind="lsn")
    message = str(caught.value)
    assert message.startswith("unknown kind 'lsn'; expected one of 'any', 'start', ")
    listed = message.split("expected one of ", 1)[1].split(", ")
    assert {"'any'", "'start'", "'stop'", "'checkpoint'", "'db2-context'"} <= set(listed)
    assert "None" not in listed


def test_parse_many_refuses_what_parse_refuses_for_length_even_when_it_matches() -> None:
    too_long = "b" * 5000 + ".000001:4"
    longest = "b" * (4096 - len(".000001:4")) + ".000001:4"
    values, problems = cdcpos.parse_many([longest, too_long], errors="collect")
    assert values == [cdcpos.parse(longest)]
    [(index, error)] = problems
    assert index == 1 and "4096" in str(error)


def test_the_checkpoint_layout_is_built_once() -> None:
    from cdcpos._rules import checkpoint_layout

    assert checkpoint_layout() is checkpoint_layout()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_float_that_is_no_number_is_an_invalid_start_time(value: float) -> None:
    error = rejection(cdcpos.parse_start_time, value)
    assert (error.field, error.text, error.reason) == (
        "CdcStartTime",
        repr(value),
        "not a finite number",
    )


@pytest.mark.parametrize(("value", "shown"), [(1e13, "10000000000000.0"), ("99999999999999", None)])
def test_epoch_seconds_out_of_range_quote_the_value_as_given(
    value: object, shown: str | None
) -> None:
    error = rejection(cdcpos.parse_start_time, value)
    assert error.text == (shown or value)


@pytest.mark.parametrize("value", [None, b"1", [1], object()])
def test_a_start_time_of_another_type_is_a_type_error_naming_that_type(value: object) -> None:
    with pytest.raises(TypeError) as caught:
        cdcpos.parse_start_time(value)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"CdcStartTime must be a datetime, a number or a str, not {type(value).__name__}"
    )
