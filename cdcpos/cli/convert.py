"""``cdcpos convert --to FORM``: positions between the spellings databases and DMS use."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import cdcpos
from cdcpos.cli._common import RAW, Parents, warn
from cdcpos.cli._fields import canonical
from cdcpos.cli._input import Input, quote
from cdcpos.cli._output import Output


def _sqlserver_lsn(text: str) -> cdcpos.SqlServerLsn:
    if text[:2] in ("0x", "0X"):
        return cdcpos.SqlServerLsn.from_binary(text)
    if ":" in text:
        return cdcpos.SqlServerLsn(text)
    return cdcpos.SqlServerLsn.from_decimal(text)


def _oracle_scn(text: str) -> cdcpos.OracleScn:
    if text[:2] in ("0x", "0X"):
        return cdcpos.OracleScn.from_wrap_base(text)
    return cdcpos.OracleScn(text)


def _epoch(text: str) -> str:
    return str(cdcpos.to_epoch_seconds(cdcpos.parse_start_time(text)))


def _start_time_text(text: str) -> str:
    return canonical(cdcpos.parse_start_time(text))


# --to form -> (what it reads, the conversion).  Each target reads every spelling of its
# own family, so a bare decimal is never ambiguous.
CONVERSIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    "sqlserver": (
        "SQL Server LSN in the DMS form 00000014:00000061:0001",
        lambda text: str(_sqlserver_lsn(text)),
    ),
    "sqlserver-binary": (
        "SQL Server LSN as binary(10), 0x00000014000000610001",
        lambda text: _sqlserver_lsn(text).to_binary(),
    ),
    "sqlserver-decimal": (
        "SQL Server LSN as numeric(25,0), 20000000009700001",
        lambda text: _sqlserver_lsn(text).to_decimal(),
    ),
    "oracle": ("Oracle SCN in decimal, 133146295620", lambda text: str(_oracle_scn(text))),
    "oracle-wrap-base": (
        "Oracle SCN as 0xWRAP.BASE, 0x001f.00233d44",
        lambda text: _oracle_scn(text).to_wrap_base(),
    ),
    "postgres": (
        "PostgreSQL LSN unpadded (PostgreSQL's own form), 4AF/B00000D0",
        lambda text: str(cdcpos.PostgresLsn(text)),
    ),
    "postgres-padded": (
        "PostgreSQL LSN padded as in DMS checkpoints, 000004AF/B00000D0",
        lambda text: cdcpos.PostgresLsn(text).to_dms(),
    ),
    "epoch": ("CdcStartTime as epoch seconds (what DMS receives), 1520511132", _epoch),
    "start-time": ("CdcStartTime as ISO 8601 UTC, 2018-03-08T12:12:12Z", _start_time_text),
}


def run(args: argparse.Namespace) -> int:
    convert = CONVERSIONS[args.to][1]
    out = Output()
    bad = 0

    def one(where: str, text: str) -> None:
        nonlocal bad
        try:
            converted = convert(text)
        except cdcpos.InvalidPosition as error:
            bad += 1
            warn(f"{where}{error}")
            return
        except (ValueError, OverflowError) as error:
            # Epoch seconds before the year 1 overflow datetime in parse_start_time.
            bad += 1
            warn(f"{where}Invalid value {quote(text)}: out of range ({error})")
            return
        out.write(converted + "\n")

    if args.values:
        for text in args.values:
            one("", text)
        out.flush()
        return 1 if bad else 0
    source = Input([], "convert", args.no_progress, streams_output=True)
    for block in source.blocks():
        for index, text in enumerate(block.texts):
            where = f"{block.source}:{block.first_line + index}: "
            problem = block.problems.get(index)
            if problem is not None:
                bad += 1
                warn(where + problem.message(text))
            else:
                one(where, text)
        out.flush()
    if source.failed:
        return 2
    return 1 if bad else 0


def _convert_epilog() -> str:
    forms = "\n".join(f"  {name:<18} {what}" for name, (what, _) in CONVERSIONS.items())
    return f"""\
Each --to form reads every spelling of its own family (for example, --to sqlserver reads
00000014:00000061:0001, 0x00000014000000610001 and 20000000009700001).  With no VALUE,
converts each line of stdin.  Invalid values are reported on stderr (exit status 1) and
print nothing.

forms:
{forms}

examples:
  cdcpos convert --to sqlserver-binary 00000014:00000061:0001     # 0x00000014000000610001
  cdcpos convert --to sqlserver-decimal 0x00000014000000610001    # 20000000009700001
  cdcpos convert --to sqlserver 20000000009700001                 # 00000014:00000061:0001
  cdcpos convert --to oracle 0x001f.00233d44                      # 133146295620
  cdcpos convert --to oracle-wrap-base 133146295620               # 0x001f.00233d44
  cdcpos convert --to postgres-padded 4AF/B00000D0                # 000004AF/B00000D0
  cdcpos convert --to postgres 000004AF/B00000D0                  # 4AF/B00000D0
  cdcpos convert --to start-time 1520511132                       # 2018-03-08T12:12:12Z
  cdcpos convert --to epoch 2018-03-08T12:12:12Z                  # 1520511132"""


def add_parser(commands: Any, parents: Parents) -> None:
    convert = commands.add_parser(
        "convert",
        help="convert between spellings (SQL Server LSN, Oracle SCN, LSN padding, epoch)",
        description="Convert positions between the spellings databases and DMS use.",
        epilog=_convert_epilog(),
        formatter_class=RAW,
    )
    convert.add_argument(
        "--to", required=True, choices=list(CONVERSIONS), metavar="FORM", help="target form"
    )
    convert.add_argument("values", nargs="*", metavar="VALUE", help="values (default: stdin)")
    convert.add_argument("--no-progress", action="store_true", help=argparse.SUPPRESS)
    convert.set_defaults(handler=run)
