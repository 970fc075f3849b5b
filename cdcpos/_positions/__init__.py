"""The typed values, one room per engine (layer L3, see tests/test_layers.py).

``base`` (what every value shares), ``times`` (a date start position and the stop
clocks), ``start_time`` (``CdcStartTime``), ``postgres``, ``mysql``, ``sqlserver``,
``oracle``, ``db2``, and ``checkpoint`` (the recovery checkpoint and opaque positions).
The public classes say ``__module__ == "cdcpos"``: users import them from there.
"""

from cdcpos._positions.base import Position, seal, sort_key
from cdcpos._positions.checkpoint import Checkpoint, OpaquePosition
from cdcpos._positions.db2 import Db2Lri, Db2Now, Db2Timestamp
from cdcpos._positions.mysql import MySqlBinlogPosition, MySqlStreamPosition
from cdcpos._positions.oracle import OracleScn, OracleStreamPosition
from cdcpos._positions.postgres import PostgresLsn
from cdcpos._positions.sqlserver import SqlServerLsn
from cdcpos._positions.times import CommitTime, DatePosition, ServerTime, StopPosition

seal()  # every value class is defined: subclasses are refused from here on (see Position)

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
    "parse_start_time",
    "sort_key",
    "to_epoch_seconds",
]

# parse_start_time and to_epoch_seconds are imported on first use: their module needs
# decimal and datetime, which are not for ``import cdcpos`` (a cold start near the
# interpreter's own).  The checker sees them as ordinary imports.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from cdcpos._positions.start_time import parse_start_time, to_epoch_seconds

_LAZY = frozenset({"parse_start_time", "to_epoch_seconds"})


# Hidden from the checker, which would otherwise take any misspelt name for a lazy one.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name in _LAZY:
            from cdcpos._positions import start_time

            value = getattr(start_time, name)
            globals()[name] = value  # found directly from now on
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)
