"""The DMS recovery checkpoint, and the opaque positions of engines cdcpos does not know."""

from __future__ import annotations

import sys

from cdcpos._engines import KIND_FAMILY, describe_kind
from cdcpos._errors import Rejected
from cdcpos._positions.base import (
    Position,
    _adopt,
    _incomparable,
    _new,
    _newobj,
    _slot_setter,
    _slot_setter_of,
    read,
)
from cdcpos._positions.mysql import MySqlBinlogPosition, MySqlStreamPosition
from cdcpos._positions.oracle import OracleStreamPosition
from cdcpos._positions.postgres import PostgresLsn
from cdcpos._positions.sqlserver import SqlServerLsn
from cdcpos._rules import checkpoint_layout, position_kind

TYPE_CHECKING = False  # typing only for the checker: not for ``import cdcpos``
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # version, counters, position, second position, domain, key
    _Decoded = tuple[int, tuple[int, ...], Position, Position | None, str, tuple[Any, ...]]

__all__ = ["CHECKPOINT_POSITION_CLASSES", "Checkpoint", "OpaquePosition"]


class OpaquePosition(Position):
    """A checkpoint position of an engine cdcpos does not know [decision].

    Kept exactly; compares only for equality (ordering raises ``TypeError``).
    """

    __slots__ = ("_key",)
    __module__ = "cdcpos"
    kind = "opaque"
    _domain = "opaque"
    _key: str

    def __init__(self, text: str) -> None:
        _adopt(self, read(OpaquePosition, text))

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

    One engine per checkpoint [decision]: when both positions have known shapes, they are
    of one engine family (a MySQL binlog position and a MySQL stream are one family); an
    opaque position pairs with anything.  Binlog numbers inside are at most 2**64-1.

    >>> import cdcpos
    >>> ck = cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0")
    >>> ck.version, ck.counters, ck.position, ck.second_position
    (1, (1, 0, 0, 0, 0), PostgresLsn('4AF/B00000D0'), None)
    >>> ck.engine_kind
    'postgres_lsn'
    >>> str(ck)
    'checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0'
    """

    __slots__ = ("_decoded", "_sort", "_text")
    __module__ = "cdcpos"
    kind = "checkpoint"
    _text: str
    # (version, counters, position, second position, domain, key, orderable, sort key):
    # decoded once, on first use.
    _decoded: _Decoded
    # The sort key alone, cached on first use: computed from the capture groups without
    # building the field objects, so that sorting or max() over fresh checkpoints pays
    # one match per checkpoint, not a full decode.
    # None until then: written at construction (one C slot write), so that the first
    # read is not a caught AttributeError, which costs more than the key itself.
    _sort: tuple[Any, ...] | None

    def __init__(self, text: str) -> None:
        _adopt(self, read(Checkpoint, text))

    @classmethod
    def _from_token(cls, token: str) -> Checkpoint:
        # The bulk path's constructor: two slot writes.  ``_decoded`` stays unset until
        # a field is first read, ``_sort`` None until the first comparison.  A second
        # position ('*' is none: the only field that can be '*') must be of the first
        # one's engine.
        if "#*#" not in token:
            _check_one_engine(token)
        # A binlog number over 2**64-1 has 20 digits or more, after the '.' of its file
        # name (the sequence) or a ':' (the offsets), in a position with a '.'.
        if "." in token and _long_number(token):
            _check_binlog_bounds(token)
        self = _new(cls)
        _set_text(self, token)
        _set_sort(self, None)
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
            key = self._sort
        except AttributeError:  # loaded from a pickle: only the text was written
            key = None
        if key is None:
            key = _checkpoint_sort_key(self._text)
            _set_sort(self, key)
        return key

    @property
    def _key(self) -> tuple[Any, ...]:
        return self._fields()[5]

    def _keys_with(self, other: object) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """Both sort keys when ``other`` is a checkpoint of the same engine; ``None`` when it
        is no checkpoint; ``TypeError`` when the two have no common order.

        Sort keys, not the full fields: ``max()`` of fresh checkpoints decodes no field
        objects.  Within one domain, sort keys order as the keys do (their first item,
        the domain, ties).
        """
        if type(other) is not Checkpoint:
            return None
        mine = self._sort_key()
        theirs = other._sort_key()
        if mine[0] == theirs[0] and mine[0] != _OPAQUE_DOMAIN:
            return mine, theirs
        if mine[0] == _OPAQUE_DOMAIN or theirs[0] == _OPAQUE_DOMAIN:
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

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        # The text only (see Position.__reduce__): the fields decode on first use again.
        return (_newobj, (Checkpoint,), self._text, None, None, _TEXT_SETTER)


def _check_one_engine(token: str) -> None:
    """``Rejected`` when both positions have known shapes of two engine families.

    One engine per checkpoint [decision]: DMS writes both positions from one source.
    The grammar cannot say it: an opaque position (any field text) pairs with anything,
    so only a look-ahead excluding every known shape from opaque text could, and the
    expressions derived from the grammar (portable, and the linear diagnosis) carry no
    such look-ahead.  So it is checked here, like an SCN's bound.
    """
    fields = token.split("#")
    colons = fields[2].count(":")
    if colons != 1 and colons == fields[5].count(":"):
        # No ':' is a PostgreSQL LSN, two a SQL Server LSN, six a MySQL stream (one is
        # ambiguous: an Oracle stream or a binlog position), or else opaque: one engine.
        return
    first, second = position_kind(fields[2]), position_kind(fields[5])
    if first == "opaque" or second == "opaque":
        return
    first_family, second_family = KIND_FAMILY[first], KIND_FAMILY[second]
    if first_family != second_family:
        raise Rejected(
            f"positions of two engines: the position is {describe_kind(first)} ({first}, "
            f"{first_family}) and the second position {describe_kind(second)} ({second}, "
            f"{second_family})",
            "DMS writes both positions of a checkpoint from one source engine; an opaque "
            "position (an engine cdcpos does not know) pairs with any",
        )


def _long_number(token: str) -> bool:
    """Whether ``token`` has a run of 20 digits (a binlog number over 2**64-1 has one;
    leading zeros make some of them smaller, and counters may have one too: the exact
    check then decides, so only "no run" must be exact).

    Every digit becomes '0' in the text's bytes, and a run of twenty '0' is looked for:
    three C passes over the text, about half the time of the regular expression
    ``[.:][0-9]{20}`` it replaces (which tried a match at each '.' and ':', reading every
    digit after them).  A matched checkpoint is printable ASCII; anything else is replaced
    by '?' byte for byte, which breaks no run of digits.
    """
    return _TWENTY_DIGITS in _encode(token, "ascii", "replace").translate(_DIGITS_TO_ZERO)


_encode = str.encode
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_TWENTY_DIGITS = b"0" * 20


def _check_binlog_bounds(token: str) -> None:
    """``Rejected`` when a MySQL position of the checkpoint has a number over 2**64-1.

    Checked when the checkpoint is read (its fields are decoded only when first used).
    """
    fields = token.split("#")
    for field in (fields[2], fields[5]):
        kind = position_kind(field) if field != "*" else "opaque"
        if kind == "mysql_binlog":
            MySqlBinlogPosition._from_token(field)
        elif kind == "mysql_stream":
            MySqlStreamPosition._from_token(field)


_set_text = _slot_setter(Checkpoint, "_text")
_set_decoded = _slot_setter(Checkpoint, "_decoded")
_set_sort = _slot_setter(Checkpoint, "_sort")
_OPAQUE_DOMAIN = "checkpoint:" + OpaquePosition._domain
_TEXT_SETTER = _slot_setter_of(Checkpoint, "_text")


# What each named terminal of a checkpoint contributes (anonymous literals contribute nothing).
_COUNTER, _VERSION, _NONE = 0, 1, 2
_CHECKPOINT_ROLES: dict[str, Any] = {
    "CHECKPOINT_COUNTER": _COUNTER,
    "CHECKPOINT_VERSION": _VERSION,
    "NO_POSITION": _NONE,
    **{name: cls._from_token for name, cls in CHECKPOINT_POSITION_CLASSES.items()},  # type: ignore[attr-defined]
}


def _checkpoint_decoder() -> Callable[[str], _Decoded]:
    """A decoder of checkpoint text laid out from the checkpoint rule's capture groups."""
    layout = checkpoint_layout()
    roles = _CHECKPOINT_ROLES
    first_run = [(index, roles[name]) for index, name in layout.first]
    second_run = [
        (index, None if name == "NO_POSITION" else roles[name]) for index, name in layout.second
    ]
    match, version_index, counters = layout.match, layout.version, layout.counters
    fields = checkpoint_fields

    def decode(text: str) -> _Decoded:
        groups = match(text).groups()  # type: ignore[union-attr]
        first: Any = None
        second: Any = None
        for index, build in first_run:
            if groups[index] is not None:
                first = build(groups[index])
                break
        for index, build in second_run:
            if groups[index] is not None:
                second = None if build is None else build(groups[index])
                break
        return fields(
            int(groups[version_index]), tuple(map(int, counters(groups))), first, second, text
        )

    return decode


def _decode_first(text: str) -> _Decoded:
    global decode_checkpoint
    decode = decode_checkpoint = _checkpoint_decoder()
    return decode(text)


#: The fields of a checkpoint's text, read with the grammar-derived expression.  Built on
#: first use (compiling the expression is not for `import cdcpos`), then it takes the place
#: of the builder.
decode_checkpoint: Callable[[str], _Decoded] = _decode_first


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
    """A checkpoint's decoded fields, with its domain and key."""
    second_key = () if second is None else second._sort_key()
    key = (first._key, version, counters_tuple, second_key, text)
    # Interned, so that comparing two domains is an identity check.  The sort key is not
    # here: cdcpos._positions.checkpoint_order reads it without this decode.
    domain = sys.intern("checkpoint:" + first._domain)
    return (version, counters_tuple, first, second, domain, key)


# cdcpos._positions.checkpoint_order is imported when first needed (not by ``import
# cdcpos``); the stub below imports it, then puts the real function in its own place.


def _first_checkpoint_sort_key(text: str) -> tuple[Any, ...]:
    global _checkpoint_sort_key
    from cdcpos._positions import checkpoint_order

    key = checkpoint_order.checkpoint_sort_key(text)
    _checkpoint_sort_key = checkpoint_order.checkpoint_sort_key  # built by that first call
    return key


_checkpoint_sort_key: Callable[[str], tuple[Any, ...]] = _first_checkpoint_sort_key


def text_of(tokens: list[tuple[str, str]]) -> str:
    return "".join(text for _, text in tokens)
