"""``CdcStartTime``: a timestamp, sent to DMS as epoch seconds [doc].

The tools accept a ``datetime`` (naive means UTC, as botocore reads it), epoch seconds
(int, float, ``Decimal`` or a decimal string), ISO 8601 with ``Z`` or an offset, or a
bare date [doc: AWS CLI timestamp type, botocore ``parse_to_aware_datetime``].  Numbers
also come as numpy scalars (``float64``, ``int64``: what pandas hands out) and subclasses
(``IntEnum``), read by their value; a ``str`` subclass is read by its text.
"""

from __future__ import annotations

import numbers
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cdcpos._engines import NO_TIME_START, family_of_engine
from cdcpos._errors import InvalidPosition
from cdcpos._positions.base import describe_int

__all__ = ["parse_start_time", "to_epoch_seconds"]

FIELD = "CdcStartTime"
StartTimeInput = datetime | date | int | float | Decimal | str
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The first instant datetime cannot hold, as epoch seconds (10000-01-01T00:00:00).
_END_SECONDS = 253402300800
# The first second of the year 1 (0001-01-01T00:00:00), as epoch seconds.
_MIN_SECONDS = -62135596800
_EPOCH_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _from_epoch(seconds: Decimal, shown: str) -> datetime:
    if seconds < _MIN_SECONDS:
        raise InvalidPosition(
            "epoch seconds before the year 1",
            field=FIELD,
            text=shown,
            hint="CdcStartTime takes seconds since 1970-01-01T00:00:00Z",
        )
    if seconds.adjusted() >= 20:  # before any arithmetic, which could overflow Decimal
        raise InvalidPosition("epoch seconds out of range", field=FIELD, text=shown)
    if seconds >= _END_SECONDS:
        as_ms = seconds / 1000
        if as_ms < _END_SECONDS:
            # Exact: whole seconds and microseconds from the Decimal (float loses digits).
            whole = int(as_ms)
            micros = int((as_ms - whole) * 1_000_000)
            read_as_ms = _EPOCH + timedelta(seconds=whole, microseconds=micros)
            raise InvalidPosition(
                "epoch seconds beyond the year 9999",
                field=FIELD,
                text=shown,
                hint=(
                    "this looks like epoch milliseconds: as seconds it is past 9999-12-31, "
                    f"as milliseconds it is {read_as_ms.isoformat()}; CdcStartTime takes "
                    f"seconds, so pass {as_ms.normalize():f}"
                ),
            )
        raise InvalidPosition("epoch seconds out of range", field=FIELD, text=shown)
    return (
        _EPOCH + timedelta(seconds=float(seconds))
        if seconds % 1
        else _EPOCH + timedelta(seconds=int(seconds))
    )


def parse_start_time(value: StartTimeInput, *, engine: str | None = None) -> datetime:
    """Read a ``CdcStartTime`` into an aware UTC ``datetime``.

    >>> import cdcpos
    >>> cdcpos.parse_start_time(1641556979)
    datetime.datetime(2022, 1, 7, 12, 2, 59, tzinfo=datetime.timezone.utc)
    >>> cdcpos.parse_start_time("2018-03-08T12:12:12+01:00")
    datetime.datetime(2018, 3, 8, 11, 12, 12, tzinfo=datetime.timezone.utc)
    >>> cdcpos.parse_start_time(1641556979000)
    Traceback (most recent call last):
    ...
    cdcpos.InvalidPosition: Invalid CdcStartTime '1641556979000': epoch seconds beyond the year 9999. Hint: this looks like epoch milliseconds: as seconds it is past 9999-12-31, as milliseconds it is 2022-01-07T12:02:59+00:00; CdcStartTime takes seconds, so pass 1641556979
    """
    if engine is not None:
        family = family_of_engine(engine, field=FIELD, text=None)
        if family in NO_TIME_START:
            raise InvalidPosition(
                f"engine {engine!r} cannot start from a time",
                field=FIELD,
                text=None if not isinstance(value, str) else value,
                hint=NO_TIME_START[family],
            )
    if isinstance(value, bool):
        raise TypeError("CdcStartTime must be a datetime, a number or a str, not bool")
    if isinstance(value, datetime):
        # A subclass (pandas.Timestamp) comes back as a plain datetime.
        plain = datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second,
            value.microsecond, tzinfo=value.tzinfo, fold=value.fold,
        )  # fmt: skip
        if plain.tzinfo is None:
            return plain.replace(tzinfo=UTC)
        return _to_utc(plain, str(plain))
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        return _parse_text(str.__str__(value))  # a str subclass (numpy.str_) by its text
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidPosition("not a finite number", field=FIELD, text=str(value))
        return _from_epoch(Decimal(value), str(value))
    if isinstance(value, int):
        return _from_int(int.__index__(value))  # an int subclass (IntEnum) by its value
    if isinstance(value, float):
        return _from_float(float(value))  # numpy.float64 is a float subclass
    if isinstance(value, numbers.Integral):  # numpy.int64 and the other integer scalars
        return _from_int(int(value))
    if isinstance(value, numbers.Real):  # numpy.float32, fractions.Fraction
        try:
            as_float = float(value)
        except OverflowError:
            raise InvalidPosition("epoch seconds out of range", field=FIELD, text=None) from None
        return _from_float(as_float)
    raise TypeError(
        f"CdcStartTime must be a datetime, a number or a str, not {type(value).__name__}"
    )


def _from_int(seconds: int) -> datetime:
    # Checked before any conversion.  The input is shown as its decimal text, like every
    # other number, unless str() cannot write it (Python's digit limit, about 4,300 digits):
    # then the reason describes it and the text is None.
    if abs(seconds) >= 10**20:
        if seconds.bit_length() <= 13_000:
            raise InvalidPosition("epoch seconds out of range", field=FIELD, text=str(seconds))
        raise InvalidPosition(
            f"epoch seconds out of range ({describe_int(seconds)})", field=FIELD, text=None
        )
    return _from_epoch(Decimal(seconds), str(seconds))


def _from_float(seconds: float) -> datetime:
    shown = float.__repr__(seconds)  # the shortest spelling that reads back the same
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise InvalidPosition("not a finite number", field=FIELD, text=shown)
    return _from_epoch(Decimal(shown), shown)


def _parse_text(text: str) -> datetime:
    from cdcpos._diagnose import start_time_error  # the error path only

    if len(text) > 64:
        raise InvalidPosition("too long for a timestamp", field=FIELD, text=text)
    if not text.isascii() or text != text.strip() or not text:
        hint = None
        if text != text.strip():
            hint = "remove the whitespace around the value"
        elif not text.isascii():
            hint = "only ASCII characters occur in a timestamp (digits 0-9, '-', ':', 'T', 'Z')"
        raise start_time_error(text, hint)
    if _EPOCH_TEXT.fullmatch(text):
        return _from_epoch(Decimal(text), text)  # the pattern admits only decimals
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        hint = "e.g. 2018-03-08T12:12:12Z, 2018-03-08T12:12:12+01:00, 2018-03-08 or 1520511132"
        raise start_time_error(text, hint) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return _to_utc(parsed, text)


def _to_utc(value: datetime, shown: str) -> datetime:
    """An aware ``datetime`` in UTC; an offset that pushes it past year 1 or 9999 is invalid."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidPosition(
            "in UTC this instant is before the year 1 or after 9999", field=FIELD, text=shown
        ) from None


def to_epoch_seconds(value: datetime) -> int | float:
    """Epoch seconds of an aware or naive-UTC ``datetime`` (what goes on the wire).

    >>> import cdcpos
    >>> from datetime import datetime
    >>> cdcpos.to_epoch_seconds(datetime(2022, 1, 7, 12, 2, 59))
    1641556979
    """
    if not isinstance(value, datetime):
        raise TypeError(f"to_epoch_seconds takes a datetime, not {type(value).__name__}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    seconds = (value - _EPOCH).total_seconds()
    return int(seconds) if seconds == int(seconds) else seconds
