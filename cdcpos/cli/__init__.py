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
* ``2``: usage error, a file that cannot be read, an output that cannot be written
  (stdout closed, a full disk: one line on stderr, never a traceback), positions
  with no common order (different engines, clocks or binlog stems), or a ``--jobs``
  worker process that was killed (out of memory): the output is incomplete.
* ``141``: the reader of the output went away (``cdcpos parse big.txt | head -1``).
  Filters such as ``cat`` or ``grep`` die of SIGPIPE there, which shells report as
  141 (128 + 13); cdcpos exits quietly with that status instead of dying, so that
  ``set -o pipefail`` scripts see what they see for those filters.

The package holds one module per command (``parse``, ``validate``, ``compare``, ``sort``,
``latest``, ``convert``: each its options, help and ``run``) and the shared input and
output: ``_input`` (files and stdin to lines), ``_parquet`` (a Parquet column to lines, and
``parse --format parquet``), ``_parsing`` (lines to values or errors), ``_fields`` (a
value's fields), ``_checkpoint_json`` (a checkpoint's fields straight from its text),
``_output`` (stdout, JSON Lines, table), ``_records`` (TSV/JSONL records for sort and
latest), ``_jobs`` (``--jobs``: worker processes, output in order), ``_common`` (options,
exit-status exceptions).
Only :func:`main` and :func:`fields_of` are API.
"""

from __future__ import annotations

import argparse
import errno
import io
import sys
from collections.abc import Sequence
from typing import TextIO

import cdcpos
from cdcpos.cli import compare, convert, latest, parse, sort, validate
from cdcpos.cli._common import (
    BROKEN_PIPE_STATUS,
    InvalidInput,
    NoCommonOrder,
    OutputError,
    UsageError,
    WorkerLost,
    describe_os_error,
    parents,
    silence_stdout,
    warn,
)
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
             1 some input is not a valid position; 2 usage error, unreadable input,
             unwritable output (closed, disk full), a --jobs worker killed (out of
             memory), or positions with no common order (different engines or
             clocks); 141 the reader of the output went
             away (cdcpos ... | head), quietly, as for cat or grep killed by SIGPIPE.

examples:
  cdcpos parse examples/positions.txt                  # one JSON object per line
  cdcpos validate --kind start --value 0/5120E10
  cdcpos compare 4AF/B00000D0 16/B374D848
  cdcpos latest --key task --value checkpoint export.jsonl
  cdcpos convert --to sqlserver-binary 00000014:00000061:0001

'cdcpos COMMAND --help' shows each command's options and examples."""


_built: list[argparse.ArgumentParser] = []


def _parser() -> argparse.ArgumentParser:
    """The command line's parser, built once per process: building it (nine commands and
    their shared options) took about 3 ms, paid again by every ``main()`` called in
    process.  Parsing reads it only, and the help is formatted when printed (for the
    terminal's width of then)."""
    if not _built:
        _built.append(_build_parser())
    return _built[0]


def _build_parser() -> argparse.ArgumentParser:
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


class _WatchedStdout(io.TextIOBase):
    """Stands in for stdout while argparse may print help or the version: argparse
    swallows write errors (and prints to stderr when stdout is closed, ``>&-``), so the
    error is kept here to be reported."""

    def __init__(self, target: TextIO | None) -> None:
        self.target = target
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        try:
            if self.target is None:
                raise OSError(errno.EBADF, "it is closed")
            return self.target.write(text)
        except (OSError, ValueError) as error:
            self.error = self.error or error
            raise

    def flush(self) -> None:
        try:
            if self.target is not None:
                self.target.flush()
        except (OSError, ValueError) as error:
            self.error = self.error or error


def _parse_arguments(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace | int:
    """The arguments, or the exit status of --help, --version or a usage error."""
    stdout = sys.stdout
    watched = _WatchedStdout(stdout)
    sys.stdout = watched
    try:
        return parser.parse_args(argv)
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 2
        watched.flush()  # the help or version text may still be buffered
        if watched.error is not None:
            warn(f"cdcpos: cannot write to stdout: {describe_os_error(watched.error)}")
            silence_stdout()
            return 2
        return status
    finally:
        sys.stdout = stdout


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cdcpos`` command; return its exit status.

    >>> from cdcpos.cli import main
    >>> main(["compare", "4AF/B00000D0", "16/B374D848"])
    >
    0
    """
    args = _parse_arguments(_parser(), argv)
    if isinstance(args, int):
        return args
    command = f"cdcpos {args.command}"
    try:
        status: int = args.handler(args)
        return status
    except UsageError as error:
        warn(f"{command}: error: {error}")
        return 2
    except InvalidInput as error:
        warn(str(error))
        return 1
    except NoCommonOrder as error:
        warn(f"{command}: {error}")
        return 2
    except BrokenPipeError:
        # The reader went away: stop quietly, as filters do (see BROKEN_PIPE_STATUS).
        silence_stdout()
        return BROKEN_PIPE_STATUS
    except OutputError as error:
        warn(f"{command}: {error}")
        silence_stdout()
        return 2
    except WorkerLost as error:
        warn(f"{command}: {error}")
        return 2
    except KeyboardInterrupt:
        return 130
