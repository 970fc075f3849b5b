"""Db2 LUW ``StartFromContext``: a timestamp, ``NOW`` or a log record identifier."""

from __future__ import annotations

from cdcpos._positions.base import Position, _IntegerPosition, _new, _newobj, read
from cdcpos._positions.times import _Instant

TYPE_CHECKING = False  # typing only for the checker: not for ``import cdcpos``
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Db2Lri", "Db2Now", "Db2Timestamp"]


class Db2Timestamp(_Instant):
    """Db2 LUW ``StartFromContext`` ``timestamp:2021-09-21T13:00:00`` [doc]."""

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "db2_timestamp"
    _domain = "db2_timestamp"
    _prefix = "timestamp:"


class Db2Now(Position):
    """Db2 LUW ``StartFromContext`` ``NOW`` [doc]: start from the current position.

    All ``Db2Now`` values are equal; ``NOW`` has no order against anything, itself
    included (``<`` raises ``TypeError``; ``cdcpos.sort_key`` still places it).

    >>> import cdcpos
    >>> cdcpos.Db2Now() == cdcpos.Db2Now()
    True
    >>> cdcpos.Db2Now() <= cdcpos.Db2Now()
    Traceback (most recent call last):
    ...
    TypeError: cannot order Db2Now('NOW'): NOW means the current position when the task starts, which has no order; use key=cdcpos.sort_key for a stable order
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "db2_now"
    _domain = "db2_now"
    _key = ()

    def __init__(self, text: str = "NOW") -> None:
        read(Db2Now, text)

    @classmethod
    def _from_token(cls, token: str) -> Db2Now:
        return _new(cls)

    def __str__(self) -> str:
        return "NOW"

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        return (_newobj, (Db2Now,))

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Position):
            raise TypeError(
                f"cannot order {self!r}: NOW means the current position when the task "
                "starts, which has no order; use key=cdcpos.sort_key for a stable order"
            )
        return NotImplemented

    __le__ = __gt__ = __ge__ = __lt__


class Db2Lri(_IntegerPosition):
    """A Db2 LUW log record identifier: exactly 34 hex digits [doc]; ``str()`` upper case.

    >>> import cdcpos
    >>> lri = cdcpos.parse_db2_start_from_context("0100000000000022CC000000000004FB13")
    >>> lri.kind, str(lri) == "0100000000000022CC000000000004FB13"
    ('db2_lri', True)
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "db2_lri"
    _domain = "db2_lri"
    _max = (1 << 136) - 1
    _max_text = "34 hex digits"
    _range_name = "Db2 LRI"

    @classmethod
    def _from_token(cls, token: str) -> Db2Lri:
        return cls._of(int(token, 16))  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return f"{self._key:034X}"
