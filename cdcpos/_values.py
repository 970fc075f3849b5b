"""The typed values: one class per kind of position.

Every value is immutable, hashable and picklable, has a ``kind``, a canonical ``str()``
and an eval-style ``repr``.  Values of one *domain* (one engine's position form, one
clock, one binlog stem) are ordered; ordering values of different domains raises
``TypeError`` (as ``ipaddress`` does for IPv4 against IPv6), and ``cdcpos.sort_key``
orders mixed lists.

Construction from text goes through the grammar-derived parser (``cdcpos._parse``);
the ``_from_token`` class methods here only turn a token the grammar has already
accepted into a value, applying the checks a regular grammar cannot express (a real
calendar day, an SCN below 2**64).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar, NoReturn

__all__ = [
    "Checkpoint",
    "CommitTime",
    "DatePosition",
    "Db2Lri",
    "Db2Now",
    "Db2Timestamp",
    "MySqlBinlogPosition",
    "MySqlStreamPosition",
    "OpaquePosition",
    "OracleScn",
    "OracleStreamPosition",
    "Position",
    "PostgresLsn",
    "ServerTime",
    "SqlServerLsn",
    "StopPosition",
    "sort_key",
]

_MAX_U64 = (1 << 64) - 1
_MAX_U32 = (1 << 32) - 1
_MAX_U16 = (1 << 16) - 1


class Rejected(ValueError):
    """Raised by ``_from_token`` when a token the grammar accepted is still invalid.

    The parser turns it into :class:`cdcpos.InvalidPosition` with the field and input.
    """

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class Position:
    """Base of every cdcpos value.

    Subclasses define ``kind``, a ``_key`` (the comparison key) and a ``_domain``: a
    string naming what the key is comparable with.  Equal domains imply one class.
    """

    __slots__ = ()
    kind: ClassVar[str]
    _domain: str
    _key: Any

    # -- parsing from text: every public class accepts its own canonical text ----------
    def __init__(self, text: str) -> None:  # pragma: no cover - replaced per class
        raise NotImplementedError

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _sort_key(self) -> tuple[str, Any]:
        return (self._domain, self._key)

    # -- comparison ------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._key == other._key)

    def __ne__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._key != other._key)

    def __hash__(self) -> int:
        return hash((self._domain, self._key))

    def __lt__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key < other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __le__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key <= other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __gt__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key > other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __ge__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key >= other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # A stable pickle: the canonical text, parsed again on load.
        return (type(self), (str(self),))

    def __copy__(self) -> Position:
        return self

    def __deepcopy__(self, memo: object) -> Position:
        return self

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """pydantic v2 support; pydantic is imported only when a model uses the type."""
        from cdcpos._pydantic import position_core_schema

        return position_core_schema(cls, source, handler)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        from cdcpos._pydantic import position_json_schema

        return position_json_schema(cls, core_schema, handler)


def _incomparable(a: Position, b: object) -> TypeError:
    if isinstance(b, Position):
        return TypeError(
            f"cannot order {a!r} ({a.kind}) and {b!r} ({b.kind}): positions of different "
            "engines, clocks or binlog stems have no common order; "
            "use key=cdcpos.sort_key to sort a mixed list"
        )
    return TypeError(f"cannot order {type(a).__name__} and {type(b).__name__}")


# Slot setters: values are immutable to users, so construction writes slots through
# their descriptors (faster than object.__setattr__, and never via __init__).
_new = object.__new__


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    setter: Callable[[Any, Any], None] = vars(cls)[name].__set__
    return setter


def _parse_as(cls: type[Position], text: object) -> Position:
    from cdcpos._parse import parse_kind

    return parse_kind(cls.kind, text, cls.__name__)


def _adopt(self: Position, other: Position) -> None:
    """Copy the slots of a freshly parsed value into ``self`` (the public constructors)."""
    for klass in type(self).__mro__:
        for slot in getattr(klass, "__slots__", ()):
            # A lazily filled slot may not be filled yet.
            with contextlib.suppress(AttributeError):
                object.__setattr__(self, slot, getattr(other, slot))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


# ====================================================================== date and clocks


class _Instant(Position):
    """A UTC instant written ``YYYY-MM-DDTHH:MM:SS`` (naive ``datetime``, documented UTC)."""

    __slots__ = ("_key",)
    _prefix: ClassVar[str] = ""
    _key: datetime

    def __init__(self, text: str | datetime) -> None:
        if isinstance(text, datetime):
            if text.tzinfo is not None:
                text = text.astimezone(UTC).replace(tzinfo=None)
            object.__setattr__(self, "_key", text.replace(microsecond=0))
            return
        _adopt(self, _parse_as(type(self), text))

    @classmethod
    def _from_token(cls, token: str) -> _Instant:
        try:
            value = datetime.fromisoformat(token[len(cls._prefix) :])
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
    kind = "date"
    _domain = "date"


class StopPosition(_Instant):
    """Base of the two ``CdcStopPosition`` clocks; the clocks do not compare."""

    __slots__ = ()

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
    kind = "commit_time"
    _domain = "commit_time"
    _prefix = "commit_time:"


class Db2Timestamp(_Instant):
    """Db2 LUW ``StartFromContext`` ``timestamp:2021-09-21T13:00:00`` [doc]."""

    __slots__ = ()
    kind = "db2_timestamp"
    _domain = "db2_timestamp"
    _prefix = "timestamp:"


class Db2Now(Position):
    """Db2 LUW ``StartFromContext`` ``NOW`` [doc]: start from the current position.

    All ``Db2Now`` values are equal; ``NOW`` has no order against anything.
    """

    __slots__ = ()
    kind = "db2_now"
    _domain = "db2_now"
    _key = ()

    def __init__(self, text: str = "NOW") -> None:
        _parse_as(Db2Now, text)

    @classmethod
    def _from_token(cls, token: str) -> Db2Now:
        return _new(cls)

    def __str__(self) -> str:
        return "NOW"


# ====================================================================== integer positions


class _IntegerPosition(Position):
    """A position whose whole value is one non-negative integer (``int(p)`` gives it)."""

    __slots__ = ("_key",)
    _key: int
    _max: ClassVar[int]

    def __init__(self, value: str | int) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            object.__setattr__(self, "_key", _check_range(type(self), value))
            return
        _adopt(self, _parse_as(type(self), value))

    @classmethod
    def _of(cls, value: int) -> Any:
        self = _new(cls)
        _set_int(self, value)
        return self

    def __int__(self) -> int:
        return self._key

    def __index__(self) -> int:
        return self._key


_set_int = _slot_setter(_IntegerPosition, "_key")


def _check_range(cls: type[_IntegerPosition], value: int) -> int:
    if not 0 <= value <= cls._max:
        raise ValueError(f"{cls.__name__} must be between 0 and {cls._max}, not {value}")
    return value


class PostgresLsn(_IntegerPosition):
    """A PostgreSQL LSN, ``4AF/B00000D0``: two 1-8 digit hex numbers [doc: ``pg_lsn``].

    Equal LSNs are equal however they are spelled; ``str()`` is PostgreSQL's own
    ``%X/%X`` output and ``to_dms()`` the zero-padded form DMS writes in checkpoints.

    >>> import cdcpos
    >>> lsn = cdcpos.PostgresLsn("000004af/b00000d0")
    >>> str(lsn), lsn.to_dms(), int(lsn)
    ('4AF/B00000D0', '000004AF/B00000D0', 5152618578128)
    >>> lsn == cdcpos.PostgresLsn("4AF/B00000D0")
    True
    >>> str(lsn + 16), lsn - cdcpos.PostgresLsn("4AF/B0000000")
    ('4AF/B00000E0', 208)
    """

    __slots__ = ()
    kind = "postgres_lsn"
    _domain = "postgres_lsn"
    _max = _MAX_U64

    @classmethod
    def _from_token(cls, token: str) -> PostgresLsn:
        high, _, low = token.partition("/")
        self = _new(cls)
        _set_int(self, int(high, 16) << 32 | int(low, 16))
        return self

    def __str__(self) -> str:
        return f"{self._key >> 32:X}/{self._key & _MAX_U32:X}"

    def to_dms(self) -> str:
        """The padded upper-case form DMS writes inside checkpoints (``000004AF/B00000D0``)."""
        return f"{self._key >> 32:08X}/{self._key & _MAX_U32:08X}"

    def __add__(self, other: int) -> PostgresLsn:
        if isinstance(other, int) and not isinstance(other, (bool, Position)):
            return PostgresLsn(self._key + other)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: int | PostgresLsn) -> Any:
        """``lsn - lsn`` is the distance in bytes (an int); ``lsn - n`` an LSN."""
        if type(other) is PostgresLsn:
            return self._key - other._key
        if isinstance(other, int) and not isinstance(other, (bool, Position)):
            return PostgresLsn(self._key - other)
        return NotImplemented


class OracleScn(_IntegerPosition):
    """An Oracle SCN, the decimal of ``SELECT CURRENT_SCN FROM V$DATABASE`` [doc].

    Up to 2**64-1 (8-byte SCNs since 12c) [derived].

    >>> import cdcpos
    >>> scn = cdcpos.parse_start_position("6916533")
    >>> scn.kind, int(scn)
    ('oracle_scn', 6916533)
    >>> int(cdcpos.OracleScn.from_wrap_base("0x001f.00233d44"))
    133146295620
    >>> cdcpos.OracleScn(133146295620).to_wrap_base()
    '0x001f.00233d44'
    """

    __slots__ = ()
    kind = "oracle_scn"
    _domain = "oracle_scn"
    _max = _MAX_U64

    @classmethod
    def _from_token(cls, token: str) -> OracleScn:
        # More than 20 significant digits is out of range: decided before int(), whose
        # time grows with the square of the digits (200 us at MAX_LENGTH).
        huge = len(token) > 20 and len(token.lstrip("0")) > 20
        value = 0 if huge else int(token)
        if huge or value > _MAX_U64:
            raise Rejected(
                "an Oracle SCN is at most 18446744073709551615 (2**64-1)",
                "a bare decimal is read as an Oracle SCN",
            )
        self = _new(cls)
        _set_int(self, value)
        return self

    @classmethod
    def from_wrap_base(cls, text: str) -> OracleScn:
        """Convert Oracle's ``0xWRAP.BASE`` hex spelling (``0x001f.00233d44``)."""
        from cdcpos._conversions import oracle_scn_from_wrap_base

        return cls(oracle_scn_from_wrap_base(text))

    def to_wrap_base(self) -> str:
        """Oracle's ``0xWRAP.BASE`` spelling: 4 (or more) hex digits, '.', 8 hex digits."""
        return f"0x{self._key >> 32:04x}.{self._key & _MAX_U32:08x}"

    def __str__(self) -> str:
        return str(self._key)


class SqlServerLsn(_IntegerPosition):
    """A SQL Server LSN ``VVVVVVVV:BBBBBBBB:SSSS``: virtual log file, block, slot [doc].

    Ordered by the 80-bit value; ``str()`` is lower case [derived].

    >>> import cdcpos
    >>> lsn = cdcpos.SqlServerLsn("00000014:00000061:0001")
    >>> lsn.virtual_log_file, lsn.block, lsn.slot
    (20, 97, 1)
    >>> lsn.to_binary(), lsn.to_decimal()
    ('0x00000014000000610001', '20000000009700001')
    >>> cdcpos.SqlServerLsn.from_decimal("20000000009700001") == lsn
    True
    """

    __slots__ = ()
    kind = "sqlserver_lsn"
    _domain = "sqlserver_lsn"
    _max = (1 << 80) - 1

    @classmethod
    def _from_token(cls, token: str) -> SqlServerLsn:
        self = _new(cls)
        _set_int(self, int(token.replace(":", ""), 16))
        return self

    @property
    def virtual_log_file(self) -> int:
        return self._key >> 48

    @property
    def block(self) -> int:
        return (self._key >> 16) & _MAX_U32

    @property
    def slot(self) -> int:
        return self._key & _MAX_U16

    def __str__(self) -> str:
        return (
            f"{self._key >> 48:08x}:{(self._key >> 16) & _MAX_U32:08x}:{self._key & _MAX_U16:04x}"
        )

    def to_binary(self) -> str:
        """``binary(10)`` as ``sys.fn_cdc_get_max_lsn()`` prints it: ``0x`` + 20 hex digits."""
        return f"0x{self._key:020X}"

    @classmethod
    def from_binary(cls, text: str) -> SqlServerLsn:
        """Convert ``0x00000014000000610001`` (``binary(10)``) to an LSN."""
        from cdcpos._conversions import sqlserver_lsn_from_binary

        return cls(sqlserver_lsn_from_binary(text))

    def to_decimal(self) -> str:
        """The ``numeric(25,0)`` form of ``RESTORE ... STOPATMARK = 'lsn:...'`` [doc]."""
        return f"{self.virtual_log_file}{self.block:010d}{self.slot:05d}"

    @classmethod
    def from_decimal(cls, text: str) -> SqlServerLsn:
        """Convert the decimal ``numeric(25,0)`` spelling to an LSN."""
        from cdcpos._conversions import sqlserver_lsn_from_decimal

        return cls(sqlserver_lsn_from_decimal(text))


class Db2Lri(_IntegerPosition):
    """A Db2 LUW log record identifier: exactly 34 hex digits [doc]; ``str()`` upper case.

    >>> import cdcpos
    >>> lri = cdcpos.parse_db2_start_from_context("0100000000000022CC000000000004FB13")
    >>> lri.kind, str(lri) == "0100000000000022CC000000000004FB13"
    ('db2_lri', True)
    """

    __slots__ = ()
    kind = "db2_lri"
    _domain = "db2_lri"
    _max = (1 << 136) - 1

    @classmethod
    def _from_token(cls, token: str) -> Db2Lri:
        return cls._of(int(token, 16))  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return f"{self._key:034X}"


# ====================================================================== MySQL


class MySqlBinlogPosition(Position):
    """A MySQL/MariaDB/Aurora MySQL binlog position ``<file>:<offset>`` [doc].

    The file is ``<stem>.<sequence>``.  Positions order by (sequence, offset) within one
    stem; different stems do not compare [decision].  ``str()`` keeps the file name as
    given and drops leading zeros of the offset.

    >>> import cdcpos
    >>> p = cdcpos.parse_start_position("mysql-bin-changelog.000024:373")
    >>> p.kind, p.file, p.stem, p.sequence, p.offset
    ('mysql_binlog', 'mysql-bin-changelog.000024', 'mysql-bin-changelog', 24, 373)
    >>> p < cdcpos.MySqlBinlogPosition("mysql-bin-changelog.000025:4")
    True
    """

    __slots__ = ("_domain", "_key")
    kind = "mysql_binlog"
    _key: tuple[int, int, str]

    def __init__(self, text: str) -> None:
        _adopt(self, _parse_as(MySqlBinlogPosition, text))

    @classmethod
    def _from_token(cls, token: str) -> MySqlBinlogPosition:
        file, _, offset = token.rpartition(":")
        return cls._of(file, int(offset))

    @classmethod
    def _of(cls, file: str, offset: int) -> MySqlBinlogPosition:
        self = _new(cls)
        _set_binlog_key(self, _binlog_key(file, offset))
        _set_binlog_domain(self, sys.intern("mysql_binlog:" + file.rpartition(".")[0]))
        return self

    @property
    def file(self) -> str:
        """The binlog file name, exactly as given."""
        return self._key[2]

    @property
    def stem(self) -> str:
        """The file name before its last '.', e.g. ``mysql-bin-changelog`` (``$`` in checkpoints)."""
        return self._domain[13:]

    @property
    def sequence(self) -> int:
        """The file's sequence number, as an integer."""
        return self._key[0]

    @property
    def offset(self) -> int:
        """The byte offset in the file."""
        return self._key[1]

    def __str__(self) -> str:
        return f"{self._key[2]}:{self._key[1]}"


def _binlog_key(file: str, offset: int) -> tuple[int, int, str]:
    """A binlog position's key: (sequence number, offset, file name as written)."""
    return (int(file.rpartition(".")[2]), offset, file)


_set_binlog_key = _slot_setter(MySqlBinlogPosition, "_key")
_set_binlog_domain = _slot_setter(MySqlBinlogPosition, "_domain")


class MySqlStreamPosition(Position):
    """The 7-field MySQL position found only inside checkpoints.

    ``mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876``

    * fields 1-2: a binlog position (:attr:`binlog_position`) [derived];
    * field 5: the transaction id [doc: equals the Kafka target's ``transaction-id``];
    * fields 6-7: a second binlog position (:attr:`second_binlog_position`), which looks
      like the transaction's begin (1876 < 1975) [derived, unconfirmed];
    * fields 3 and 4: undocumented integers, kept as :attr:`opaque_fields`.

    Ordered by the first binlog position, then the remaining fields.

    >>> import cdcpos
    >>> ck = cdcpos.parse_checkpoint("checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:"
    ...                              "677883278264080:mysql-bin-changelog.157832:1876#0#0#*#0#93")
    >>> p = ck.position
    >>> p.kind, p.transaction_id, p.binlog_position.offset, p.opaque_fields
    ('mysql_stream', 677883278264080, 1975, (-1, 2002))
    """

    __slots__ = ("_domain", "_key")
    kind = "mysql_stream"

    def __init__(self, text: str) -> None:
        _adopt(self, _parse_as(MySqlStreamPosition, text))

    @classmethod
    def _from_token(cls, token: str) -> MySqlStreamPosition:
        file, offset, third, fourth, transaction, second_file, second_offset = token.split(":")
        first = _binlog_key(file, int(offset))
        second = _binlog_key(second_file, int(second_offset))
        self = _new(cls)
        _set_stream_key(self, (first, int(third), int(fourth), int(transaction), second))
        _set_stream_domain(self, sys.intern("mysql_stream:" + file.rpartition(".")[0]))
        return self

    @property
    def binlog_position(self) -> MySqlBinlogPosition:
        """Fields 1-2: binlog file and offset."""
        _, offset, file = self._key[0]
        return MySqlBinlogPosition._of(file, offset)

    @property
    def second_binlog_position(self) -> MySqlBinlogPosition:
        """Fields 6-7: a second binlog position (seemingly the transaction's begin)."""
        _, offset, file = self._key[4]
        return MySqlBinlogPosition._of(file, offset)

    @property
    def transaction_id(self) -> int:
        """Field 5: the transaction id [doc]."""
        return int(self._key[3])

    @property
    def opaque_fields(self) -> tuple[int, int]:
        """Fields 3 and 4, undocumented (a small signed integer, and an offset)."""
        return (self._key[1], self._key[2])

    def __str__(self) -> str:
        first, third, fourth, transaction, second = self._key
        return f"{first[2]}:{first[1]}:{third}:{fourth}:{transaction}:{second[2]}:{second[1]}"


_set_stream_key = _slot_setter(MySqlStreamPosition, "_key")
_set_stream_domain = _slot_setter(MySqlStreamPosition, "_domain")


# ====================================================================== checkpoint-only


class OracleStreamPosition(Position):
    """The Oracle-shaped position seen in checkpoints [derived]:

    ``00000007.c99042d0.00000001.000c.01.0000:401032.58563.16``: hex groups of
    8.8.8.4.2.4 digits, ':', three decimal groups.  Ordered by all groups as numbers.
    ``str()`` writes the hex groups lower case and zero-padded.

    >>> import cdcpos
    >>> p = cdcpos.OracleStreamPosition("00000007.c99042d0.00000001.000c.01.0000:401032.58563.16")
    >>> p.groups
    (7, 3381674704, 1, 12, 1, 0, 401032, 58563, 16)
    >>> int(p.inferred_scn)
    33446445776
    """

    __slots__ = ("_key",)
    kind = "oracle_stream"
    _domain = "oracle_stream"
    _key: tuple[int, ...]

    def __init__(self, text: str) -> None:
        _adopt(self, _parse_as(OracleStreamPosition, text))

    @classmethod
    def _from_token(cls, token: str) -> OracleStreamPosition:
        hex_part, _, decimal_part = token.partition(":")
        groups = [int(g, 16) for g in hex_part.split(".")]
        groups.extend(int(g) for g in decimal_part.split("."))
        self = _new(cls)
        object.__setattr__(self, "_key", tuple(groups))
        return self

    @property
    def groups(self) -> tuple[int, ...]:
        """All nine groups as integers, in order."""
        return self._key

    @property
    def inferred_scn(self) -> OracleScn:
        """The first two groups read as an SCN in wrap.base form [derived, unconfirmed]."""
        return OracleScn._of(self._key[0] << 32 | self._key[1])  # type: ignore[no-any-return]

    def __str__(self) -> str:
        g = self._key
        return (
            f"{g[0]:08x}.{g[1]:08x}.{g[2]:08x}.{g[3]:04x}.{g[4]:02x}.{g[5]:04x}"
            f":{g[6]}.{g[7]}.{g[8]}"
        )


class OpaquePosition(Position):
    """A checkpoint position of an engine cdcpos does not know [decision].

    Kept exactly; compares only for equality (ordering raises ``TypeError``).
    """

    __slots__ = ("_key",)
    kind = "opaque"
    _domain = "opaque"
    _key: str

    def __init__(self, text: str) -> None:
        _adopt(self, _parse_as(OpaquePosition, text))

    @classmethod
    def _from_token(cls, token: str) -> OpaquePosition:
        self = _new(cls)
        object.__setattr__(self, "_key", token)
        return self

    @property
    def text(self) -> str:
        return self._key

    def __str__(self) -> str:
        return self._key

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Position):
            raise TypeError(
                f"cannot order {self!r}: opaque positions (an engine cdcpos does not know) "
                "compare only for equality; use key=cdcpos.sort_key for a stable order"
            )
        return NotImplemented

    __le__ = __gt__ = __ge__ = __lt__


# ====================================================================== checkpoint

_Decoded = tuple[
    int, tuple[int, ...], Position, "Position | None", str, tuple[Any, ...], bool, tuple[Any, ...]
]

# Terminal name of a position inside a checkpoint -> the class that reads it.
CHECKPOINT_POSITION_CLASSES: dict[str, type[Position]] = {
    "CHECKPOINT_MYSQL_STREAM": MySqlStreamPosition,
    "CHECKPOINT_MYSQL_BINLOG": MySqlBinlogPosition,
    "CHECKPOINT_POSTGRES_LSN": PostgresLsn,
    "CHECKPOINT_SQLSERVER_LSN": SqlServerLsn,
    "CHECKPOINT_ORACLE_STREAM": OracleStreamPosition,
    "OPAQUE_POSITION": OpaquePosition,
}


class Checkpoint(Position):
    """A DMS recovery checkpoint, ``checkpoint:V1#27#<position>#0#0#*#0#93`` [derived].

    ``str()`` gives back exactly the string parsed (DMS must get what it wrote).  The
    fields are decoded on first use, so parsing millions costs one regex match each.
    Structure: ``checkpoint:V<version>#<n>#<position>#<n>#<n>#<second or *>#<n>#<n>``;
    the five ``<n>`` are undocumented integers, exposed as :attr:`counters`.

    Order: by the position, then version, counters and second position, then the text,
    so that order agrees with equality (equal means the same text).  Checkpoints of
    different engines (or with opaque positions) do not order.

    >>> import cdcpos
    >>> ck = cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0")
    >>> ck.version, ck.counters, ck.position, ck.second_position
    (1, (1, 0, 0, 0, 0), PostgresLsn('4AF/B00000D0'), None)
    >>> ck.engine_kind
    'postgres_lsn'
    >>> str(ck)
    'checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0'
    """

    __slots__ = ("_decoded", "_text")
    kind = "checkpoint"
    _text: str
    # (version, counters, position, second position, domain, key, orderable, sort key):
    # decoded once, on first use, so that sorting compares cached keys.
    _decoded: _Decoded

    def __init__(self, text: str) -> None:
        _adopt(self, _parse_as(Checkpoint, text))

    @classmethod
    def _from_token(cls, token: str) -> Checkpoint:
        # The bulk path's constructor: one slot write.  ``_decoded`` stays unset until
        # a field is first read.
        self = _new(cls)
        _set_text(self, token)
        return self

    @classmethod
    def _from_tokens(cls, tokens: list[tuple[str, str]]) -> Checkpoint:
        """Build from ``(terminal, text)`` tokens, as lark's lexer or the fast path gives them."""
        text = text_of(tokens)
        self = cls._from_token(text)
        _set_decoded(self, _decode_tokens(tokens, text))
        return self

    def _fields(
        self,
    ) -> _Decoded:
        try:
            return self._decoded
        except AttributeError:
            decoded = decode_checkpoint(self._text)
            _set_decoded(self, decoded)
            return decoded

    @property
    def version(self) -> int:
        """The number after ``V`` (only 1 is seen)."""
        return self._fields()[0]

    @property
    def counters(self) -> tuple[int, ...]:
        """The five undocumented integer fields, in order (fields 2, 4, 5, 7 and 8)."""
        return self._fields()[1]

    @property
    def position(self) -> Position:
        """The source stream position (field 3)."""
        return self._fields()[2]

    @property
    def second_position(self) -> Position | None:
        """The second position (field 6), or ``None`` for ``*``."""
        return self._fields()[3]

    @property
    def engine_kind(self) -> str:
        """The kind of :attr:`position`, which says which engine wrote the checkpoint."""
        return self.position.kind

    @property
    def _domain(self) -> str:  # type: ignore[override]
        return self._fields()[4]

    def _sort_key(self) -> tuple[str, Any]:
        try:
            decoded = self._decoded
        except AttributeError:
            decoded = self._fields()
        return decoded[7]

    @property
    def _key(self) -> tuple[Any, ...]:
        return self._fields()[5]

    def _keys_with(self, other: object) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """Both keys when ``other`` is a checkpoint of the same engine; ``None`` when it is
        no checkpoint; ``TypeError`` when the two have no common order."""
        if type(other) is not Checkpoint:
            return None
        try:
            mine = self._decoded
        except AttributeError:
            mine = self._fields()
        try:
            theirs = other._decoded
        except AttributeError:
            theirs = other._fields()
        if mine[6] and mine[4] == theirs[4]:
            return mine[5], theirs[5]
        if not (mine[6] and theirs[6]):
            raise TypeError(
                f"cannot order {self!r} and {other!r}: a checkpoint whose position is opaque "
                "(an engine cdcpos does not know) compares only for equality"
            )
        raise _incomparable(self, other)

    def __lt__(self, other: object) -> bool:
        keys = self._keys_with(other)
        if keys is None:
            return Position.__lt__(self, other)
        return keys[0] < keys[1]

    def __le__(self, other: object) -> bool:
        keys = self._keys_with(other)
        if keys is None:
            return Position.__le__(self, other)
        return keys[0] <= keys[1]

    def __gt__(self, other: object) -> bool:
        keys = self._keys_with(other)
        if keys is None:
            return Position.__gt__(self, other)
        return keys[0] > keys[1]

    def __ge__(self, other: object) -> bool:
        keys = self._keys_with(other)
        if keys is None:
            return Position.__ge__(self, other)
        return keys[0] >= keys[1]

    def __eq__(self, other: object) -> bool:
        if type(other) is not Checkpoint:
            return NotImplemented
        return self._text == other._text

    def __ne__(self, other: object) -> bool:
        if type(other) is not Checkpoint:
            return NotImplemented
        return self._text != other._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __str__(self) -> str:
        return self._text


_set_text = _slot_setter(Checkpoint, "_text")
_set_decoded = _slot_setter(Checkpoint, "_decoded")


# What each named terminal of a checkpoint contributes (anonymous literals contribute nothing).
_COUNTER, _VERSION, _NONE = 0, 1, 2
_CHECKPOINT_ROLES: dict[str, Any] = {
    "CHECKPOINT_COUNTER": _COUNTER,
    "CHECKPOINT_VERSION": _VERSION,
    "NO_POSITION": _NONE,
    **{name: cls._from_token for name, cls in CHECKPOINT_POSITION_CLASSES.items()},  # type: ignore[attr-defined]
}


def _decoder_not_installed(text: str) -> _Decoded:  # pragma: no cover - replaced at import
    raise RuntimeError("cdcpos._parse installs the checkpoint decoder")


#: Set by cdcpos._parse: decodes a checkpoint's text with the grammar-derived expression.
decode_checkpoint: Callable[[str], _Decoded] = _decoder_not_installed


def _decode_tokens(tokens: list[tuple[str, str]], text: str) -> _Decoded:
    """The fields of a checkpoint from its ``(terminal, text)`` tokens."""
    version = 0
    counters: list[int] = []
    positions: list[Position | None] = []
    roles = _CHECKPOINT_ROLES
    for terminal, token in tokens:
        role = roles.get(terminal)
        if role is _COUNTER:
            counters.append(int(token))
        elif role is _VERSION:
            version = int(token)
        elif role is _NONE:
            positions.append(None)
        elif role is not None:
            positions.append(role(token))
    first, second = positions
    assert first is not None  # the grammar has no '*' in the first position
    return checkpoint_fields(version, tuple(counters), first, second, text)


def checkpoint_fields(
    version: int,
    counters_tuple: tuple[int, ...],
    first: Position,
    second: Position | None,
    text: str,
) -> _Decoded:
    """A checkpoint's decoded fields, with its domain and (sort) keys."""
    second_key = () if second is None else second._sort_key()
    key = (first._key, version, counters_tuple, second_key, text)
    # Interned, so that comparing the domains of two sort keys is an identity check; the
    # sort key is flat, so that sorting compares the position right after the domain.
    domain = sys.intern("checkpoint:" + first._domain)
    return (
        version,
        counters_tuple,
        first,
        second,
        domain,
        key,
        first.kind != "opaque",
        (domain, *key),
    )


def text_of(tokens: list[tuple[str, str]]) -> str:
    return "".join(text for _, text in tokens)


def sort_key(value: Position) -> tuple[str, Any]:
    """A key that orders any mix of positions: by domain name, then within the domain.

    Within one domain it agrees with ``<``; across domains the order is by the domain's
    name (``'checkpoint:postgres_lsn'``, ``'mysql_binlog:mysql-bin'``, ...), which is
    arbitrary but stable.

    >>> import cdcpos
    >>> values = [cdcpos.parse(s) for s in ("6916533", "0/16B3748", "0/1", "100")]
    >>> [str(v) for v in sorted(values, key=cdcpos.sort_key)]
    ['100', '6916533', '0/1', '0/16B3748']
    """
    try:
        return value._sort_key()
    except AttributeError:
        raise TypeError(f"sort_key takes a cdcpos value, not {type(value).__name__}") from None
