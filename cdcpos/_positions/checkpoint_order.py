"""A checkpoint's sort key, read from its text without decoding its fields.

The first sort (or ``max()``) of freshly parsed checkpoints used to pay each checkpoint's
full decode: the whole checkpoint expression matched again, five counters and two
positions built as objects.  Checkpoints order by their position first, and positions
are almost always different, so the key is ``(domain, position key, tail)``: the domain
and the key of the position read by the position's own terminal expression alone, and a
``CheckpointTail`` holding the text, which reads ``(version, counters, second position,
text)`` only when two positions tie.  Equal tails are equal texts, so ``==`` and
``hash`` never decode.

Reading the position alone gives what the whole expression gives: the text has matched
the checkpoint rule, a position ends at the next '#' whichever alternative reads it
(no position holds a '#', each terminal is followed by one), so the first alternative
that matches there is the one the whole expression takes.  tests/test_speed.py checks
the key against the full decode on generated checkpoints of every engine.
"""

from __future__ import annotations

import sys

from cdcpos._positions.mysql import MySqlBinlogPosition, MySqlStreamPosition
from cdcpos._positions.oracle import OracleStreamPosition
from cdcpos._rules import checkpoint_layout, checkpoint_position_pattern, compile_pattern

TYPE_CHECKING = False  # typing only for the checker: not for ``import cdcpos``
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["CheckpointTail", "checkpoint_sort_key", "tail_of"]


class CheckpointTail(str):
    """What orders two checkpoints at the same position: ``(version, counters, second
    position, text)``, read from the text when first compared.

    A ``str`` (the checkpoint's text): made by one C call, and equal, unequal and hashed
    as its text, in C.  Only ordering two tails reads them (a Python call, on ties only).
    """

    __slots__ = ()

    def key(self) -> tuple[Any, ...]:
        # Ties are rare: read each time, nothing cached (a str subclass with __slots__ = ()
        # has nowhere to keep it, and needs nothing to stay a plain-sized str).
        return tail_key(str(self))

    def __lt__(self, other: object) -> bool:
        if type(other) is not CheckpointTail:
            return NotImplemented
        return self.key() < other.key()

    def __le__(self, other: object) -> bool:
        if type(other) is not CheckpointTail:
            return NotImplemented
        return self.key() <= other.key()

    def __gt__(self, other: object) -> bool:
        if type(other) is not CheckpointTail:
            return NotImplemented
        return self.key() > other.key()

    def __ge__(self, other: object) -> bool:
        if type(other) is not CheckpointTail:
            return NotImplemented
        return self.key() >= other.key()

    def __repr__(self) -> str:
        return f"CheckpointTail({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (tail_of, (str(self),))


def tail_of(text: str) -> CheckpointTail:
    """The tail of a checkpoint's sort key."""
    return _new_str(CheckpointTail, text)


_new_str = str.__new__


# ---------------------------------------------------------------- positions


def _postgres_key(token: str) -> tuple[str, Any]:
    high, _, low = token.partition("/")
    return ("postgres_lsn", int(high, 16) << 32 | int(low, 16))


def _sqlserver_key(token: str) -> tuple[str, Any]:
    return ("sqlserver_lsn", int(token.replace(":", ""), 16))


def _opaque_key(token: str) -> tuple[str, Any]:
    return ("opaque", token)


def _object_key(cls: Any) -> Callable[[str], tuple[str, Any]]:
    def key(token: str) -> tuple[str, Any]:
        value = cls._from_token(token)
        return (value._domain, value._key)

    return key


# Terminal of a position inside a checkpoint -> its ``(domain, key)`` from its text: each
# equals ``cls._from_token(token)._sort_key()`` of the class that reads it (tested).
POSITION_KEYS: dict[str, Callable[[str], tuple[str, Any]]] = {
    "CHECKPOINT_POSTGRES_LSN": _postgres_key,
    "CHECKPOINT_SQLSERVER_LSN": _sqlserver_key,
    "CHECKPOINT_ORACLE_STREAM": _object_key(OracleStreamPosition),
    "CHECKPOINT_MYSQL_STREAM": _object_key(MySqlStreamPosition),
    "CHECKPOINT_MYSQL_BINLOG": _object_key(MySqlBinlogPosition),
    "OPAQUE_POSITION": _opaque_key,
}


def _sort_key_reader() -> Callable[[str], tuple[Any, ...]]:
    layout = checkpoint_layout()
    names = [name for _, name in layout.first]
    # One group per alternative of the first position, in the rule's order.
    position = compile_pattern(checkpoint_position_pattern()).match
    keys: list[Any] = [None, *(POSITION_KEYS[n] for n in names)]
    domains: dict[str, str] = {}  # position domain -> interned checkpoint domain
    postgres = names.index("CHECKPOINT_POSTGRES_LSN") + 1
    find = str.find
    new = _new_str

    def sort_key(text: str) -> tuple[Any, ...]:
        # "checkpoint:V<version>#<counter>#<position>#...": the position starts after the
        # second '#'.
        found: Any = position(text, find(text, "#", find(text, "#", 12) + 1) + 1)
        index = found.lastindex
        if index == postgres:  # the most common engine, without a call
            high, _, low = found.group(index).partition("/")
            domain, key = "postgres_lsn", int(high, 16) << 32 | int(low, 16)
        else:
            domain, key = keys[index](found.group(index))
        checkpoint_domain = domains.get(domain)
        if checkpoint_domain is None:
            checkpoint_domain = domains[domain] = sys.intern("checkpoint:" + domain)
        return (checkpoint_domain, key, new(CheckpointTail, text))

    return sort_key


def _first_sort_key(text: str) -> tuple[Any, ...]:
    global checkpoint_sort_key
    read = checkpoint_sort_key = _sort_key_reader()
    return read(text)


#: A checkpoint's sort key from its text (the reader is built on first use, then takes
#: this name's place: compiling is not for ``import cdcpos``).
checkpoint_sort_key: Callable[[str], tuple[Any, ...]] = _first_sort_key


def tail_key(text: str) -> tuple[Any, ...]:
    """``(version, counters, second position's (domain, key) or (), text)``."""
    layout = checkpoint_layout()
    groups = layout.match(text).groups()  # type: ignore[union-attr]
    second: tuple[Any, ...] = ()
    for index, name in layout.second:
        token = groups[index]
        if token is not None:
            if name != "NO_POSITION":
                second = POSITION_KEYS[name](token)
            break
    counters = tuple(int(counter) for counter in layout.counters(groups))
    return (int(groups[layout.version]), counters, second, text)
