"""Shared test data: every documented example of the spec, and invalid strings by group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cdcpos

#: Every public function that parses one string.
ENTRY_POINTS: list[Callable[..., Any]] = [
    cdcpos.parse,
    cdcpos.parse_start_position,
    cdcpos.parse_stop_position,
    cdcpos.parse_checkpoint,
    cdcpos.parse_db2_start_from_context,
]

# (text, kind) for every example in docs/formats.md, plus a few of the same shapes.
SPEC_EXAMPLES: list[tuple[str, str]] = [
    # §4 the five real checkpoints
    (
        "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:"
        "mysql-bin-changelog.157832:1876#0#0#*#0#93",
        "checkpoint",
    ),
    ("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0", "checkpoint"),
    ("checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121", "checkpoint"),
    ("checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213", "checkpoint"),
    (
        "checkpoint:V1#5015#00000007.c99042d0.00000001.000c.01.0000:401032.58563.16#0#0#*#0#0",
        "checkpoint",
    ),
    # §3.1 $-abbreviated stem inside a checkpoint (reported from a live task)
    ("checkpoint:V1#3#$.583860:1357#0#0#*#0#0", "checkpoint"),
    # §2 dates
    ("2018-03-08T12:12:12", "date"),
    ("2023-12-07T15:38:51", "date"),
    # §3.1 binlog positions
    ("mysql-bin-changelog.000024:373", "mysql_binlog"),
    ("binlog.000003:157", "mysql_binlog"),
    ("mysql-bin.000112:4", "mysql_binlog"),
    # §3.2 PostgreSQL LSNs
    ("4AF/B00000D0", "postgres_lsn"),
    ("0/5120E10", "postgres_lsn"),
    ("16/B374D848", "postgres_lsn"),
    ("000004AF/B00000D0", "postgres_lsn"),
    ("000004af/b00000d0", "postgres_lsn"),
    # §3.3 SQL Server LSNs
    ("00000014:00000061:0001", "sqlserver_lsn"),
    ("00000032:00000a55:000c", "sqlserver_lsn"),
    # §3.4 Oracle SCN
    ("6916533", "oracle_scn"),
    ("18446744073709551615", "oracle_scn"),
    # §6 stop positions
    ("server_time:2018-02-09T12:12:12", "server_time"),
    ("commit_time:2018-02-09T12:12:12", "commit_time"),
]

DB2_EXAMPLES: list[tuple[str, str]] = [
    ("timestamp:2021-09-21T13:00:00", "db2_timestamp"),
    ("NOW", "db2_now"),
    ("0100000000000022CC000000000004FB13", "db2_lri"),
]

# (text, entry function name, 1-based column or None, fragment of the message) grouped by
# what each breaks.  The fragment is the substance a user acts on (hint or reason).
INVALID_STRINGS: list[tuple[str, str, int | None, str]] = [
    # -- empty and surrounding noise (strict mode)
    ("", "parse", 1, "empty input"),
    (" 0/16B3748", "parse", 1, "whitespace"),
    ("0/16B3748 ", "parse", 10, "whitespace"),
    ("0/16B3748\n", "parse", 10, "whitespace"),
    ("\u201c2018-03-08T12:12:12\u201d", "parse", 1, "typographic quotes"),
    ('"2018-03-08T12:12:12"', "parse", 1, "quotes around"),
    ("\ufeff0/1", "parse", 1, "byte order mark"),
    # -- dates: the DMS form only, real instants only
    ("2018-03-08 12:12:12", "parse_start_position", 11, "'T' between date and time"),
    ("2018-03-08T12:12:12.5", "parse_start_position", 20, "no fractional seconds"),
    ("2018-03-08T12:12:12Z", "parse_start_position", 20, "no time zone"),
    ("2018-03-08T12:12:12+00:00", "parse_start_position", 20, "no time zone"),
    ("2018-03-08", "parse_start_position", 11, "YYYY-MM-DDTHH:MM:SS"),
    ("2018-02-30T00:00:00", "parse_start_position", None, "no such date"),
    ("2018-13-01T00:00:00", "parse_start_position", None, "no such date"),
    ("2018-03-08T24:00:00", "parse_start_position", None, "no such date"),
    ("0000-01-01T00:00:00", "parse_start_position", None, "no such date"),
    # -- PostgreSQL LSNs
    ("4AF/B00000DZ", "parse_start_position", 12, "hex digit"),
    ("123456789/0", "parse_start_position", 10, "1 to 8 hex digits"),
    ("0/123456789", "parse_start_position", 11, "1 to 8 hex digits"),
    ("-0/1", "parse_start_position", 1, "expected"),
    ("0/", "parse_start_position", 3, "end of input"),
    ("/0", "parse_start_position", 1, "expected"),
    ("0 / 1", "parse_start_position", 2, "expected"),
    # -- SQL Server: other spellings are conversions
    ("0x00000014000000610001", "parse_start_position", 23, "SqlServerLsn.from_binary"),
    ("00000014:00000061:00001", "parse_start_position", 23, "expected"),
    ("00000014:0000061:0001", "parse_start_position", 17, "expected"),
    # -- Oracle
    ("Oracle SCN:6916533", "parse_start_position", 7, "pass the bare SCN"),
    ("oracle scn: 6916533", "parse_start_position", 7, "pass the bare SCN"),
    ("18446744073709551616", "parse_start_position", None, "at most 18446744073709551615"),
    ("0x001f.00233d44", "parse_start_position", 16, "OracleScn.from_wrap_base"),
    ("\u0661\u0662\u0663", "parse_start_position", 1, "ASCII digits"),
    ("1_000", "parse_start_position", 6, "expected"),
    ("\u00b9\u00b2", "parse_start_position", 1, "ASCII digits"),
    # -- MySQL
    ("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5", "parse_start_position", 37, "GTID"),
    ("0-1-100", "parse_start_position", 8, "GTID"),
    ("mysql-bin-changelog.000024", "parse_start_position", 27, "expected"),
    ("mysql-bin-changelog:373", "parse_start_position", 20, "expected"),
    ("$.583860:1357", "parse_start_position", 1, "expected"),
    ("position:mysql-bin-changelog.000024:373", "parse_start_position", 9, "'position:'"),
    # -- checkpoints
    ("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0", "parse_checkpoint", 42, "found 7"),
    ("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0#0", "parse_checkpoint", 44, "found 9"),
    ("checkpoint:1#1#000004AF/B00000D0#0#0#*#0#0", "parse_checkpoint", 12, "checkpoint:V"),
    ("checkpoint:V1#1#*#0#0#*#0#0", "parse_checkpoint", 18, "expected"),
    ("checkpoint:V1#1##0#0#*#0#0", "parse_checkpoint", 17, "expected"),
    ("checkpoint:V1#01#000004AF/B00000D0#0#0#*#0#0", "parse_checkpoint", 16, "expected"),
    ("checkpoint:V1#1#0000 04AF/B00000D0#0#0#*#0#0", "parse_checkpoint", 21, "expected"),
    ("CHECKPOINT:V1#1#000004AF/B00000D0#0#0#*#0#0", "parse_checkpoint", 1, "expected"),
    ("checkpoint:V1#x#000004AF/B00000D0#0#0#*#0#0", "parse_checkpoint", 15, "expected"),
    # -- stop positions
    ("server_time: 2018-02-09T12:12:12", "parse_stop_position", 13, "remove the space after"),
    ("commit_time: 3018-02-09T12:12:12 ", "parse_stop_position", 13, "remove the space after"),
    ("SERVER_TIME:2018-02-09T12:12:12", "parse_stop_position", 1, "lower case"),
    ("2018-02-09T12:12:12", "parse_stop_position", 1, "names its clock"),
    ("server_time:2018-02-30T12:12:12", "parse_stop_position", None, "no such date"),
    ("local_time:2018-02-09T12:12:12", "parse_stop_position", 1, "server_time"),
    # -- Db2 context given where a start position is expected, and vice versa
    (
        "0100000000000022CC000000000004FB13",
        "parse_start_position",
        35,
        "parse_db2_start_from_context",
    ),
    ("now", "parse_db2_start_from_context", 1, "upper case"),
    ("timestamp:2021-09-21 13:00:00", "parse_db2_start_from_context", 21, "expected"),
    ("0100000000000022CC000000000004FB1", "parse_db2_start_from_context", 34, "expected"),
]
