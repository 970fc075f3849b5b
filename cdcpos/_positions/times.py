"""Instants: a date ``CdcStartPosition`` and the two ``CdcStopPosition`` clocks."""

from __future__ import annotations

from cdcpos._errors import InvalidPosition, Rejected
from cdcpos._positions.base import Position, _adopt, _new, _slot_setter, read

# datetime is imported on first use: it is not for ``import cdcpos`` (a cold start near
# the interpreter's own), and parsing a PostgreSQL LSN never needs it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import ClassVar


def _first_fromisoformat(text: str) -> datetime:
    """``datetime.fromisoformat``; the first call imports datetime and takes its place."""
    global _fromisoformat
    from datetime import datetime

    _fromisoformat = datetime.fromisoformat
    return _fromisoformat(text)


_fromisoformat: Callable[[str], datetime] = _first_fromisoformat

__all__ = ["CommitTime", "DatePosition", "ServerTime", "StopPosition"]


def _utc(value: datetime) -> datetime:
    from datetime import UTC

    return value.replace(tzinfo=UTC)


def _instant_of(field: str, value: datetime) -> datetime:
    """A ``datetime`` given to a date or stop class as the plain naive UTC instant it keeps.

    Naive means UTC; an aware one is converted.  The text form has whole seconds, so
    microseconds are an error rather than silently dropped; a ``datetime`` subclass
    (``pandas.Timestamp``) is kept as a plain ``datetime``.
    """
    from datetime import UTC, datetime

    if value.microsecond:
        raise InvalidPosition(
            f"{value!r} has microseconds ({value.microsecond}); DMS positions have whole seconds",
            field=field,
            text=None,
            hint="round or truncate it first, e.g. value.replace(microsecond=0)",
        )
    if value.tzinfo is not None:
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise InvalidPosition(
                f"{value!r} in UTC is before the year 1 or after the year 9999",
                field=field,
                text=None,
            ) from None
    return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)


class _Instant(Position):
    """A UTC instant written ``YYYY-MM-DDTHH:MM:SS`` (naive ``datetime``, documented UTC)."""

    __slots__ = ("_key",)
    __module__ = "cdcpos"  # help() of the public subclasses lists it
    _prefix: ClassVar[str] = ""
    _key: datetime

    def __init__(self, text: str | datetime) -> None:
        from datetime import datetime

        if isinstance(text, datetime):
            object.__setattr__(self, "_key", _instant_of(type(self).__name__, text))
            return
        _adopt(self, read(type(self), text))

    @classmethod
    def _from_token(cls, token: str) -> _Instant:
        try:
            value = _fromisoformat(token[len(cls._prefix) :])
        except ValueError:
            raise Rejected(
                "no such date and time",
                "the value must be a real calendar instant, YYYY-MM-DDTHH:MM:SS in UTC",
            ) from None
        self = _new(cls)
        _set_instant(self, value)
        return self

    @property
    def value(self) -> datetime:
        """The instant as a naive ``datetime`` in UTC (how DMS reads it)."""
        return self._key

    def to_utc(self) -> datetime:
        """The instant as an aware UTC ``datetime``."""
        return _utc(self._key)

    def __str__(self) -> str:
        return self._prefix + self._key.isoformat()


_set_instant = _slot_setter(_Instant, "_key")


class DatePosition(_Instant):
    """A ``CdcStartPosition`` given as a date: ``2018-03-08T12:12:12`` (UTC) [doc].

    >>> import cdcpos
    >>> d = cdcpos.parse_start_position("2018-03-08T12:12:12")
    >>> d.kind, d.value, str(d)
    ('date', datetime.datetime(2018, 3, 8, 12, 12, 12), '2018-03-08T12:12:12')
    >>> d.to_utc().tzinfo
    datetime.timezone.utc
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "date"
    _domain = "date"


class StopPosition(_Instant):
    """Base of the two ``CdcStopPosition`` clocks; the clocks do not compare."""

    __slots__ = ()
    __module__ = "cdcpos"

    @property
    def clock(self) -> str:
        """``'server_time'`` or ``'commit_time'``."""
        return self.kind


class ServerTime(StopPosition):
    """``server_time:2018-02-09T12:12:12``: the replication instance's clock, UTC [doc].

    >>> import cdcpos
    >>> s = cdcpos.parse_stop_position("server_time:2018-02-09T12:12:12")
    >>> s.kind, s.value.year
    ('server_time', 2018)
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "server_time"
    _domain = "server_time"
    _prefix = "server_time:"


class CommitTime(StopPosition):
    """``commit_time:2018-02-09T12:12:12``: the source's commit time, UTC [doc].

    >>> import cdcpos
    >>> c = cdcpos.parse_stop_position("commit_time:2018-02-09T12:12:12")
    >>> c < cdcpos.CommitTime("commit_time:2018-02-10T00:00:00")
    True
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "commit_time"
    _domain = "commit_time"
    _prefix = "commit_time:"
