"""Oracle: the SCN (and its ``0xWRAP.BASE`` spelling) and the stream position of checkpoints.

Oracle prints an SCN as ``0xWRAP.BASE`` too; DMS does not take that spelling, so it is a
conversion (``OracleScn.from_wrap_base``), never position text.
"""

from __future__ import annotations

from cdcpos._errors import InvalidPosition, Rejected
from cdcpos._positions.base import (
    MAX_U32,
    MAX_U64,
    Position,
    _adopt,
    _IntegerPosition,
    _new,
    read,
    set_int,
    u64_or_none,
)
from cdcpos._rules import plain_text

__all__ = ["OracleScn", "OracleStreamPosition"]

# Compiled on first use (re's cache), not by ``import cdcpos``.
_WRAP_BASE = r"0[xX]([0-9A-Fa-f]{1,8})\.([0-9A-Fa-f]{1,8})"


def oracle_scn_from_wrap_base(text: str) -> int:
    """The SCN of Oracle's ``0xWRAP.BASE`` spelling: ``wrap << 32 | base``."""
    field = "Oracle SCN in wrap.base form"
    import re

    match = re.fullmatch(_WRAP_BASE, plain_text(text, field))
    if match is None:
        raise InvalidPosition(
            "expected '0x', 1-8 hex digits (wrap), '.', 1-8 hex digits (base)",
            field=field,
            text=text,
            hint="Oracle prints e.g. 0x001f.00233d44",
        )
    return int(match.group(1), 16) << 32 | int(match.group(2), 16)


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
    __module__ = "cdcpos"
    kind = "oracle_scn"
    _domain = "oracle_scn"
    _max = MAX_U64
    _max_text = "2**64-1"
    _range_name = "SCN"

    @classmethod
    def _from_token(cls, token: str) -> OracleScn:
        value = u64_or_none(token)
        if value is None:
            raise Rejected(
                "an Oracle SCN is at most 18446744073709551615 (2**64-1)",
                "a bare decimal is read as an Oracle SCN",
            )
        self = _new(cls)
        set_int(self, value)
        return self

    @classmethod
    def from_wrap_base(cls, text: str) -> OracleScn:
        """Convert Oracle's ``0xWRAP.BASE`` hex spelling (``0x001f.00233d44``)."""
        return cls(oracle_scn_from_wrap_base(text))

    def to_wrap_base(self) -> str:
        """Oracle's ``0xWRAP.BASE`` spelling: 4 (or more) hex digits, '.', 8 hex digits."""
        return f"0x{self._key >> 32:04x}.{self._key & MAX_U32:08x}"

    def __str__(self) -> str:
        return str(self._key)


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
    __module__ = "cdcpos"
    kind = "oracle_stream"
    _domain = "oracle_stream"
    _key: tuple[int, ...]

    def __init__(self, text: str) -> None:
        _adopt(self, read(OracleStreamPosition, text))

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
