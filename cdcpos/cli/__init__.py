"""The ``cdcpos`` command: parse, validate, compare, sort, pick the latest and convert
AWS DMS change-data-capture positions from files, stdin or arguments.

Every command that reads files reads stdin when no file (or ``-``) is named, one
position per line.  Lines are bytes decoded as UTF-8 one by one: ``\\n`` and ``\\r\\n``
endings, a last line without a newline and a byte-order mark at the start of a file are
accepted; a line that is not UTF-8 is reported as an invalid line, never a crash.
Parsing goes through :func:`cdcpos.iter_parse` (the bulk path), so memory stays
constant however long the input (``sort`` must hold its lines; ``latest`` holds one
line per key).

Exit status, for every command:

* ``0``: done.  ``parse`` reports invalid lines in its output and still exits 0.
* ``1``: some input is not a valid position (``validate``, ``compare``, ``sort``,
  ``latest``, ``convert``).
* ``2``: usage error, a file that cannot be read, or positions with no common order
  (different engines, clocks or binlog stems).

The package holds one module per command (``parse``, ``validate``, ``compare``, ``sort``,
``latest``, ``convert``: each its options, help and ``run``) and the shared input and
output: ``_input`` (files and stdin to lines), ``_parsing`` (lines to values or errors),
``_fields`` (a value's fields), ``_output`` (stdout, JSON Lines, table), ``_records``
(TSV/JSONL records for sort and latest), ``_common`` (options, exit-status exceptions).
Only :func:`main` and :func:`fields_of` are API.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import cdcpos
from cdcpos.cli import compare, convert, latest, parse, sort, validate
from cdcpos.cli._common import InvalidInput, NoCommonOrder, UsageError, parents
from cdcpos.cli._fields import fields_of

__all__ = ["fields_of", "main"]

_COMMANDS = (parse, validate, compare, sort, latest, convert)

_DESCRIPTION = """\
Parse, validate, compare, sort and convert AWS DMS change-data-capture positions:
recovery checkpoints, CdcStartPosition values (dates, PostgreSQL/SQL Server LSNs, Oracle
SCNs, MySQL binlog positions), CdcStopPosition values and CdcStartTime timestamps.
Commands that take FILE read stdin when no FILE (or -) is given, one position per line."""

_EPILOG = """\
exit status: 0 done (parse reports invalid lines in its output and exits 0);
             1 some input is not a valid position; 2 usage error, unreadable file,
             or positions with no common order (different engines or clocks).

examples:
  cdcpos parse examples/positions.txt                  # one JSON object per line
  cdcpos validate --kind start --value 0/5120E10
  cdcpos compare 4AF/B00000D0 16/B374D848
  cdcpos latest --key task --value checkpoint export.jsonl
  cdcpos convert --to sqlserver-binary 00000014:00000061:0001

'cdcpos COMMAND --help' shows each command's options and examples."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cdcpos",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cdcpos {cdcpos.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = parents()
    for command in _COMMANDS:
        command.add_parser(commands, shared)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cdcpos`` command; return its exit status.

    >>> from cdcpos.cli import main
    >>> main(["compare", "4AF/B00000D0", "16/B374D848"])
    >
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version, or a usage error
        return exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 2
    try:
        status: int = args.handler(args)
        return status
    except UsageError as error:
        sys.stderr.write(f"cdcpos {args.command}: error: {error}\n")
        return 2
    except InvalidInput as error:
        sys.stderr.write(f"{error}\n")
        return 1
    except NoCommonOrder as error:
        sys.stderr.write(f"cdcpos {args.command}: {error}\n")
        return 2
    except BrokenPipeError:
        # The reader went away (cdcpos parse big.txt | head): stop quietly.  Point
        # stdout at /dev/null so that the interpreter's final flush does not fail again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
