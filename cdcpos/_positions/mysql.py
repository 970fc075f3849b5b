"""MySQL, MariaDB and Aurora MySQL: the binlog position and the stream position of checkpoints."""

from __future__ import annotations

import sys

from cdcpos._errors import Rejected
from cdcpos._positions.base import (
    MAX_U64,
    Position,
    _adopt,
    _new,
    _newobj,
    _slot_setter,
    read,
    u64_or_none,
)

TYPE_CHECKING = False  # typing only for the checker: not for ``import cdcpos``
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MySqlBinlogPosition", "MySqlStreamPosition"]


class MySqlBinlogPosition(Position):
    """A MySQL/MariaDB/Aurora MySQL binlog position ``<file>:<offset>`` [doc].

    The file is ``<stem>.<sequence>``.  Positions order by (sequence, offset) within one
    stem; different stems do not compare [decision].  The sequence number and the offset
    are at most 2**64-1.  ``str()`` keeps the file name as
    given and drops leading zeros of the offset.

    >>> import cdcpos
    >>> p = cdcpos.parse_start_position("mysql-bin-changelog.000024:373")
    >>> p.kind, p.file, p.stem, p.sequence, p.offset
    ('mysql_binlog', 'mysql-bin-changelog.000024', 'mysql-bin-changelog', 24, 373)
    >>> p < cdcpos.MySqlBinlogPosition("mysql-bin-changelog.000025:4")
    True
    """

    __slots__ = ("_domain", "_key")
    __module__ = "cdcpos"
    kind = "mysql_binlog"
    _key: tuple[int, int, str]

    def __init__(self, text: str) -> None:
        _adopt(self, read(MySqlBinlogPosition, text))

    @classmethod
    def _from_token(cls, token: str) -> MySqlBinlogPosition:
        file, _, offset = token.rpartition(":")
        stem, _, sequence = file.rpartition(".")
        if len(offset) < 20 and len(sequence) < 20:
            # The common case in one frame (the bulk path's hot loop): fewer than 20
            # digits are below 10**19 < 2**64, so neither number needs the bound check.
            self = _new(cls)
            _set_binlog_key(self, (int(sequence), int(offset), file))
            _set_binlog_domain(self, _binlog_domains.get(stem) or _binlog_domain(stem))
            return self
        return cls._of(file, _binlog_number(offset, "offset"))

    @classmethod
    def _of(cls, file: str, offset: int) -> MySqlBinlogPosition:
        self = _new(cls)
        _set_binlog_key(self, _binlog_key(file, offset))
        _set_binlog_domain(self, _binlog_domain(file.rpartition(".")[0]))
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

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        # Two slots, so a Python state setter (see Position.__reduce__); no re-parsing.
        return (_newobj, (type(self),), (self._key, self._domain), None, None, self._set_state)

    @staticmethod
    def _set_state(value: MySqlBinlogPosition, state: tuple[Any, str]) -> None:
        _set_binlog_key(value, state[0])
        _set_binlog_domain(value, sys.intern(state[1]))


def _binlog_key(file: str, offset: int) -> tuple[int, int, str]:
    """A binlog position's key: (sequence number, offset, file name as written).

    Both numbers are 64-bit [decision, as every peer's type], like an SCN: ``Rejected``
    above 2**64-1.
    """
    sequence = _binlog_number(file.rpartition(".")[2], "sequence number")
    if offset > MAX_U64:
        raise Rejected("a binlog offset is at most 18446744073709551615 (2**64-1)")
    return (sequence, offset, file)


def _binlog_number(digits: str, which: str) -> int:
    value = u64_or_none(digits)
    if value is None:
        raise Rejected(f"a binlog {which} is at most 18446744073709551615 (2**64-1)")
    return value


_set_binlog_key = _slot_setter(MySqlBinlogPosition, "_key")
# Stem -> interned domain ("mysql_binlog:<stem>"); stems are few (one per server).  A
# dict lookup instead of a concatenation and an intern per value.  Written under the GIL
# by whoever finds a stem first; racing threads write equal strings.
_binlog_domains: dict[str, str] = {}


def _binlog_domain(stem: str) -> str:
    """The interned domain of a stem, kept in ``_binlog_domains`` while it holds fewer than
    256 stems (bounded: hostile input has endless stems)."""
    domain = _binlog_domains.get(stem)
    if domain is None:
        domain = sys.intern("mysql_binlog:" + stem)
        if len(_binlog_domains) < 256:
            _binlog_domains[stem] = domain
    return domain


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
    __module__ = "cdcpos"
    kind = "mysql_stream"

    def __init__(self, text: str) -> None:
        _adopt(self, read(MySqlStreamPosition, text))

    @classmethod
    def _from_token(cls, token: str) -> MySqlStreamPosition:
        file, offset, third, fourth, transaction, second_file, second_offset = token.split(":")
        first = _binlog_key(file, _binlog_number(offset, "offset"))
        second = _binlog_key(second_file, _binlog_number(second_offset, "offset"))
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

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        return (_newobj, (type(self),), (self._key, self._domain), None, None, self._set_state)

    @staticmethod
    def _set_state(value: MySqlStreamPosition, state: tuple[Any, str]) -> None:
        _set_stream_key(value, state[0])
        _set_stream_domain(value, sys.intern(state[1]))


_set_stream_key = _slot_setter(MySqlStreamPosition, "_key")
_set_stream_domain = _slot_setter(MySqlStreamPosition, "_domain")

# The state setters pickle by their public path (cdcpos.<Class>._set_state), not by this
# module's, so that a pickle names no private module.
MySqlBinlogPosition._set_state.__module__ = "cdcpos"
MySqlStreamPosition._set_state.__module__ = "cdcpos"
