"""Rejections: one exception type, the column of the first problem, a hint for known mistakes."""

from __future__ import annotations

import pickle
from datetime import UTC
from decimal import Decimal
from typing import Any

import pytest

import cdcpos

from .examples import INVALID_STRINGS


def rejection(function: Any, *args: Any, **kwargs: Any) -> cdcpos.InvalidPosition:
    """The error a call raises, checked to be clean (``from None``) and self-explaining."""
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        function(*args, **kwargs)
    error = caught.value
    assert isinstance(error, ValueError)
    # A clean traceback: no chained exception shown (raised `from None`, or outside any
    # handler).
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None
    return error


@pytest.mark.parametrize(("text", "function", "column", "fragment"), INVALID_STRINGS)
def test_invalid_strings(text: str, function: str, column: int | None, fragment: str) -> None:
    error = rejection(getattr(cdcpos, function), text)
    message = str(error)
    assert fragment in message
    assert error.column == column
    if column is not None:
        assert f"at column {column}" in message
        assert error.expected
    assert repr(text)[:60] in message or "characters)" in message
    assert error.text == text
    # Errors survive pickling (multiprocessing pools send them between processes).
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == message and again.column == error.column


def test_message_names_field_and_what_was_expected() -> None:
    error = rejection(cdcpos.parse_start_position, "4AF/B00000DZ")
    assert str(error) == (
        "Invalid CdcStartPosition '4AF/B00000DZ': unexpected 'Z' at column 12 "
        "(expected a hex digit or end of input)"
    )
    assert rejection(cdcpos.parse_stop_position, "x").field == "CdcStopPosition"
    assert rejection(cdcpos.parse_checkpoint, "x").field == "RecoveryCheckpoint"
    assert rejection(cdcpos.parse_db2_start_from_context, "x").field == "StartFromContext"


def test_long_input_is_quoted_short_and_rejected_before_matching() -> None:
    text = "0" * (cdcpos.MAX_LENGTH + 1)
    error = rejection(cdcpos.parse, text)
    assert "too long" in str(error) and f"{cdcpos.MAX_LENGTH + 1} characters" in str(error)
    assert len(str(error)) < 400


@pytest.mark.parametrize("value", [None, 1, 1.5, b"0/1", bytearray(b"0/1"), ["0/1"], Decimal(1)])
def test_non_str_input_is_a_type_error(value: object) -> None:
    for function in (
        cdcpos.parse,
        cdcpos.parse_start_position,
        cdcpos.parse_stop_position,
        cdcpos.parse_checkpoint,
        cdcpos.parse_db2_start_from_context,
    ):
        with pytest.raises(TypeError, match="must be a str"):
            function(value)  # type: ignore[arg-type]


def test_str_subclass_is_read_as_its_text() -> None:
    class Text(str):
        pass

    assert cdcpos.parse(Text("0/1")) == cdcpos.PostgresLsn("0/1")


# ---------------------------------------------------------------- engine hint


@pytest.mark.parametrize(
    ("text", "engine"),
    [
        ("0/5120E10", "postgres"),
        ("0/5120E10", "aurora-postgresql"),
        ("0/5120E10", "AURORA-POSTGRESQL-SERVERLESS"),
        ("mysql-bin-changelog.000024:373", "mariadb"),
        ("mysql-bin-changelog.000024:373", "aurora"),
        ("mysql-bin-changelog.000024:373", "gcp-mysql"),
        ("00000014:00000061:0001", "azuredb"),
        ("00000014:00000061:0001", "azure-sql-managed-instance"),
        ("6916533", "oracle"),
        ("2018-03-08T12:12:12", "mysql"),
        ("2018-03-08T12:12:12", "mongodb"),
        ("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0", "postgres"),
        ("checkpoint:V1#1#opaque-token#0#0#*#0#0", "mongodb"),
        (
            "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213",
            "sqlserver",
        ),
    ],
)
def test_engine_hint_accepts_its_own_positions(text: str, engine: str) -> None:
    assert str(cdcpos.parse_start_position(text, engine=engine))


@pytest.mark.parametrize(
    ("text", "engine", "fragments"),
    [
        ("0/5120E10", "mysql", ["PostgreSQL LSN", "'mysql'"]),
        ("mysql-bin-changelog.000024:373", "postgres", ["MySQL binlog", "'postgres'"]),
        ("6916533", "sqlserver", ["Oracle SCN", "SqlServerLsn.from_decimal"]),
        ("00000014:00000061:0001", "oracle", ["SQL Server LSN", "'oracle'"]),
        ("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0", "oracle", ["PostgreSQL LSN", "'oracle'"]),
        ("2018-03-08T12:12:12", "postgres", ["custom CDC start time"]),
        ("2018-03-08T12:12:12", "aurora-postgresql", ["custom CDC start time"]),
        ("2018-03-08T12:12:12", "docdb", ["timestamp start"]),
        ("0/1", "mongodb", ["PostgreSQL LSN", "'mongodb'"]),
    ],
)
def test_engine_hint_rejects_other_engines(text: str, engine: str, fragments: list[str]) -> None:
    message = str(rejection(cdcpos.parse_start_position, text, engine=engine))
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("engine", ["mysqll", "kafka", "redshift", ""])
def test_unknown_engine_lists_the_known_ones(engine: str) -> None:
    message = str(rejection(cdcpos.parse_start_position, "0/1", engine=engine))
    assert "aurora-postgresql" in message and "sqlserver" in message


# ---------------------------------------------------------------- lenient mode


@pytest.mark.parametrize(
    ("pasted", "function", "canonical"),
    [
        ("commit_time: 3018-02-09T12:12:12 ", cdcpos.parse_stop_position,
         "commit_time:3018-02-09T12:12:12"),
        ("\u201cserver_time:2018-02-09T12:12:12\u201c", cdcpos.parse_stop_position,
         "server_time:2018-02-09T12:12:12"),
        ("\u201c2018-03-08T12:12:12\u201d", cdcpos.parse_start_position, "2018-03-08T12:12:12"),
        ('  "mysql-bin-changelog.000024:373"\n', cdcpos.parse_start_position,
         "mysql-bin-changelog.000024:373"),
        ("'0/16B3748'", cdcpos.parse, "0/16B3748"),
        ("\u00a0\t0/16B3748\u2003", cdcpos.parse, "0/16B3748"),
    ],
)  # fmt: skip
def test_lenient_normalizes_pasted_input(pasted: str, function: Any, canonical: str) -> None:
    rejection(function, pasted)
    assert str(function(pasted, lenient=True)) == canonical


def test_lenient_still_rejects_what_is_wrong_inside() -> None:
    error = rejection(
        cdcpos.parse_start_position, " \u201c2018-03-08 12:12:12\u201d ", lenient=True
    )
    # The input as given, and the column of the space inside it (issue 9, section 4).
    assert error.column == 13 and error.text == " \u201c2018-03-08 12:12:12\u201d "


# ---------------------------------------------------------------- CdcStartTime


def test_start_time_forms() -> None:
    from datetime import date, datetime, timedelta, timezone

    utc = UTC
    expected = datetime(2018, 3, 8, 12, 12, 12, tzinfo=utc)
    for value in [
        expected,
        datetime(2018, 3, 8, 12, 12, 12),
        datetime(2018, 3, 8, 13, 12, 12, tzinfo=timezone(timedelta(hours=1))),
        1520511132,
        1520511132.0,
        Decimal("1520511132"),
        "1520511132",
        "2018-03-08T12:12:12Z",
        "2018-03-08T12:12:12",
        "2018-03-08T14:12:12+02:00",
    ]:
        assert cdcpos.parse_start_time(value) == expected, value
    assert cdcpos.parse_start_time(date(2018, 3, 8)) == datetime(2018, 3, 8, tzinfo=utc)
    assert cdcpos.parse_start_time("2018-03-08") == datetime(2018, 3, 8, tzinfo=utc)
    assert cdcpos.parse_start_time(1.5) == datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=utc)
    assert cdcpos.to_epoch_seconds(expected) == 1520511132


def test_start_time_milliseconds_trap_shows_both_readings() -> None:
    error = rejection(cdcpos.parse_start_time, 1641556979000)
    assert "milliseconds" in str(error) and "2022-01-07T12:02:59" in str(error)
    assert "9999" in str(error)
    assert "1641556979" in str(rejection(cdcpos.parse_start_time, "1641556979000"))


@pytest.mark.parametrize(
    "value", ["", " 1520511132", "yesterday", "2018-03-08T12:12:12 UTC", "\u0661\u0662", "1e9",
              "1_000", float("nan"), float("inf"), 10**30, "9" * 65, "-99999999999",
              -62135596801, "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"],
)  # fmt: skip
def test_start_time_rejections(value: object) -> None:
    rejection(cdcpos.parse_start_time, value)


def test_start_time_edges_found_by_the_fuzzer() -> None:
    from datetime import datetime

    # Decimal arithmetic on a huge exponent used to overflow before the range check.
    assert "out of range" in str(rejection(cdcpos.parse_start_time, Decimal("1e1000000")))
    # The last instant datetime holds round-trips through its own epoch seconds.
    last = cdcpos.parse_start_time(datetime(9999, 12, 31, 23, 59, 59, 500000))
    assert cdcpos.parse_start_time(cdcpos.to_epoch_seconds(last)) == last


def test_start_time_types_and_engines() -> None:
    for value in [None, True, b"1", [1]]:
        with pytest.raises(TypeError):
            cdcpos.parse_start_time(value)  # type: ignore[arg-type]
    assert "PostgreSQL" in str(rejection(cdcpos.parse_start_time, 1520511132, engine="postgres"))
    assert "DocumentDB" in str(rejection(cdcpos.parse_start_time, 1520511132, engine="docdb"))
    assert cdcpos.parse_start_time(1520511132, engine="mysql").year == 2018


@pytest.mark.parametrize(
    ("text", "convert"),
    [
        ("0x00000014000000610001", cdcpos.SqlServerLsn.from_binary),
        ("0XFFFFFFFFABCDEF01FEDC", cdcpos.SqlServerLsn.from_binary),
        ("0x001f.00233d44", cdcpos.OracleScn.from_wrap_base),
        ("0xFFFFFFFF.FFFFFFFF", cdcpos.OracleScn.from_wrap_base),
        ("0x1.2", cdcpos.OracleScn.from_wrap_base),
    ],
)
def test_conversion_hints_give_what_the_conversion_gives(text: str, convert: Any) -> None:
    # The diagnosis spells the converted value itself (it sits below the value classes):
    # it must be what the class's conversion gives.
    hint = rejection(cdcpos.parse_start_position, text).hint
    assert hint is not None and hint.endswith(f"{str(convert(text))!r}")
