"""SQL Server: the LSN, and its ``binary(10)`` and ``numeric(25,0)`` spellings.

SQL Server prints an LSN as ``binary(10)`` (``0x00000014000000610001``) and as the
``numeric(25,0)`` decimal of ``RESTORE ... STOPATMARK``.  DMS takes neither as
``CdcStartPosition``: they are conversions (``SqlServerLsn.from_binary``/``from_decimal``),
never position text.
"""

from __future__ import annotations

from cdcpos._errors import InvalidPosition
from cdcpos._positions.base import MAX_U16, MAX_U32, _IntegerPosition, _new, set_int
from cdcpos._rules import plain_text

__all__ = ["SqlServerLsn"]

# Compiled on first use, not by ``import cdcpos``.
_BINARY = r"0[xX]([0-9A-Fa-f]{20})"
_DECIMAL = r"([0-9]{1,10})([0-9]{10})([0-9]{5})"


def sqlserver_lsn_from_binary(text: str) -> int:
    """The LSN value of ``0x`` + 20 hex digits."""
    field = "SQL Server binary(10) LSN"
    import re

    match = re.fullmatch(_BINARY, plain_text(text, field))
    if match is None:
        raise InvalidPosition(
            "expected '0x' followed by exactly 20 hex digits",
            field=field,
            text=text,
            hint="sys.fn_cdc_get_max_lsn() prints e.g. 0x00000014000000610001",
        )
    return int(match.group(1), 16)


def sqlserver_lsn_from_decimal(text: str) -> int:
    """The LSN value of the decimal ``numeric(25,0)`` spelling: vlf, 10-digit block, 5-digit slot."""
    field = "SQL Server decimal LSN"
    import re

    match = re.fullmatch(_DECIMAL, plain_text(text, field))
    if match is None:
        raise InvalidPosition(
            "expected 16 to 25 ASCII digits: the virtual log file, then the block as 10 "
            "digits and the slot as 5 digits",
            field=field,
            text=text,
        )
    vlf, block, slot = (int(g) for g in match.groups())
    if vlf > 0xFFFFFFFF or block > 0xFFFFFFFF or slot > 0xFFFF:
        raise InvalidPosition(
            "a part is out of range (virtual log file and block at most 4294967295, "
            "slot at most 65535)",
            field=field,
            text=text,
        )
    return vlf << 48 | block << 16 | slot


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
    __module__ = "cdcpos"
    kind = "sqlserver_lsn"
    _domain = "sqlserver_lsn"
    _max = (1 << 80) - 1
    _max_text = "2**80-1: 8:8:4 hex digits"
    _range_name = "SQL Server LSN"

    @classmethod
    def _from_token(cls, token: str) -> SqlServerLsn:
        self = _new(cls)
        set_int(self, int(token.replace(":", ""), 16))
        return self

    @property
    def virtual_log_file(self) -> int:
        return self._key >> 48

    @property
    def block(self) -> int:
        return (self._key >> 16) & MAX_U32

    @property
    def slot(self) -> int:
        return self._key & MAX_U16

    def __str__(self) -> str:
        return f"{self._key >> 48:08x}:{(self._key >> 16) & MAX_U32:08x}:{self._key & MAX_U16:04x}"

    def to_binary(self) -> str:
        """``binary(10)`` as ``sys.fn_cdc_get_max_lsn()`` prints it: ``0x`` + 20 hex digits."""
        return f"0x{self._key:020X}"

    @classmethod
    def from_binary(cls, text: str) -> SqlServerLsn:
        """Convert ``0x00000014000000610001`` (``binary(10)``) to an LSN."""
        return cls(sqlserver_lsn_from_binary(text))

    def to_decimal(self) -> str:
        """The ``numeric(25,0)`` form of ``RESTORE ... STOPATMARK = 'lsn:...'`` [doc]."""
        return f"{self.virtual_log_file}{self.block:010d}{self.slot:05d}"

    @classmethod
    def from_decimal(cls, text: str) -> SqlServerLsn:
        """Convert the decimal ``numeric(25,0)`` spelling to an LSN."""
        return cls(sqlserver_lsn_from_decimal(text))
