"""Where cdcpos 0.1.0 defined its values: pickles written then name ``cdcpos._values``.

Kept so that those pickles still load (a value pickles as its class and canonical text);
the values live in ``cdcpos._positions`` and are public as ``cdcpos.<Name>``.
"""

from cdcpos._positions import (
    Checkpoint,
    CommitTime,
    DatePosition,
    Db2Lri,
    Db2Now,
    Db2Timestamp,
    MySqlBinlogPosition,
    MySqlStreamPosition,
    OpaquePosition,
    OracleScn,
    OracleStreamPosition,
    Position,
    PostgresLsn,
    ServerTime,
    SqlServerLsn,
    StopPosition,
)

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
]
