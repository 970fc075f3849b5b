"""cdcpos: parse, validate, compare and serialize AWS DMS change-data-capture positions.

>>> import cdcpos
>>> a = cdcpos.parse("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0")
>>> b = cdcpos.parse("checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121")
>>> b < a, a.position
(True, PostgresLsn('4AF/B00000D0'))

Importing cdcpos is cheap: lark, pydantic and hypothesis are imported only by the
features that need them.
"""

from cdcpos._bulk import iter_parse, parse_many
from cdcpos._errors import InvalidPosition
from cdcpos._parse import (
    MAX_LENGTH,
    parse,
    parse_checkpoint,
    parse_db2_start_from_context,
    parse_start_position,
    parse_stop_position,
)
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
    parse_start_time,
    sort_key,
    to_epoch_seconds,
)
from cdcpos._sort_bytes import sort_bytes

__version__ = "0.1.0"

__all__ = [
    "MAX_LENGTH",
    "Checkpoint",
    "CommitTime",
    "DatePosition",
    "Db2Lri",
    "Db2Now",
    "Db2Timestamp",
    "InvalidPosition",
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
    "iter_parse",
    "parse",
    "parse_checkpoint",
    "parse_db2_start_from_context",
    "parse_many",
    "parse_start_position",
    "parse_start_time",
    "parse_stop_position",
    "sort_bytes",
    "sort_key",
    "to_epoch_seconds",
]
