"""PostgreSQL: the LSN."""

from __future__ import annotations

from cdcpos._positions.base import MAX_U32, MAX_U64, Position, _IntegerPosition, _new, set_int

TYPE_CHECKING = False  # typing only for the checker: not for ``import cdcpos``
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PostgresLsn"]


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

    Arithmetic is PostgreSQL's: a result outside 0..2**64-1 is an error, as there.

    >>> cdcpos.PostgresLsn("0/1") - 2
    Traceback (most recent call last):
    ...
    cdcpos.InvalidPosition: Invalid PostgresLsn value: pg_lsn out of range: -1 is not between 0 and 18446744073709551615 (2**64-1, FFFFFFFF/FFFFFFFF)
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind = "postgres_lsn"
    _domain = "postgres_lsn"
    _max = MAX_U64
    _max_text = "2**64-1, FFFFFFFF/FFFFFFFF"
    _range_name = "pg_lsn"

    @classmethod
    def _from_token(cls, token: str) -> PostgresLsn:
        high, _, low = token.partition("/")
        self = _new(cls)
        set_int(self, int(high, 16) << 32 | int(low, 16))
        return self

    def __str__(self) -> str:
        return f"{self._key >> 32:X}/{self._key & MAX_U32:X}"

    def to_dms(self) -> str:
        """The padded upper-case form DMS writes inside checkpoints (``000004AF/B00000D0``)."""
        return f"{self._key >> 32:08X}/{self._key & MAX_U32:08X}"

    def __add__(self, other: int) -> PostgresLsn:
        if isinstance(other, int) and not isinstance(other, (bool, Position)):
            return PostgresLsn(self._key + int.__index__(other))
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: int | PostgresLsn) -> Any:
        """``lsn - lsn`` is the distance in bytes (an int); ``lsn - n`` an LSN."""
        if type(other) is PostgresLsn:
            return self._key - other._key
        if isinstance(other, int) and not isinstance(other, (bool, Position)):
            return PostgresLsn(self._key - int.__index__(other))
        return NotImplemented
