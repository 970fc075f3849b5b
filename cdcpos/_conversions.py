"""Other spellings of positions, which are conversions and never position text [doc].

SQL Server prints an LSN as ``binary(10)`` (``0x00000014000000610001``) and as the
``numeric(25,0)`` decimal of ``RESTORE ... STOPATMARK``; Oracle prints an SCN as
``0xWRAP.BASE``.  DMS takes none of these as ``CdcStartPosition``: convert first.
"""

from __future__ import annotations

import re

from cdcpos._errors import InvalidPosition

_BINARY = re.compile(r"0[xX]([0-9A-Fa-f]{20})")
_DECIMAL = re.compile(r"([0-9]{1,10})([0-9]{10})([0-9]{5})")
_WRAP_BASE = re.compile(r"0[xX]([0-9A-Fa-f]{1,8})\.([0-9A-Fa-f]{1,8})")


def _check_str(text: object, field: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{field} must be a str, not {type(text).__name__}")
    return text


def sqlserver_lsn_from_binary(text: str) -> int:
    """The LSN value of ``0x`` + 20 hex digits."""
    field = "SQL Server binary(10) LSN"
    match = _BINARY.fullmatch(_check_str(text, field))
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
    match = _DECIMAL.fullmatch(_check_str(text, field))
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


def oracle_scn_from_wrap_base(text: str) -> int:
    """The SCN of Oracle's ``0xWRAP.BASE`` spelling: ``wrap << 32 | base``."""
    field = "Oracle SCN in wrap.base form"
    match = _WRAP_BASE.fullmatch(_check_str(text, field))
    if match is None:
        raise InvalidPosition(
            "expected '0x', 1-8 hex digits (wrap), '.', 1-8 hex digits (base)",
            field=field,
            text=text,
            hint="Oracle prints e.g. 0x001f.00233d44",
        )
    return int(match.group(1), 16) << 32 | int(match.group(2), 16)
