"""What every command shares: the options that say what the input is, the exit-status
exceptions, and the argparse parents the commands are built from."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from typing import Any, NamedTuple

import cdcpos

# --kind choices -> the kind argument of cdcpos.iter_parse ("start-time" is separate:
# a CdcStartTime is a timestamp, read by cdcpos.parse_start_time).
KINDS: dict[str, str | None] = {
    "any": None,
    "start": "start",
    "stop": "stop",
    "checkpoint": "checkpoint",
    "start-time": None,
    "db2-context": "db2-context",
}

Value = Any  # a cdcpos.Position, or an aware UTC datetime for --kind start-time

RAW = argparse.RawDescriptionHelpFormatter


class Options(NamedTuple):
    kind: str
    engine: str | None
    lenient: bool


def options_of(args: argparse.Namespace) -> Options:
    return Options(args.kind, args.engine, args.lenient)


class UsageError(Exception):
    """Bad arguments found after argparse: exit status 2, like argparse's own errors."""


class InvalidInput(Exception):
    """An input that is not a valid position (exit status 1)."""


class NoCommonOrder(Exception):
    """Positions that cannot be ordered (exit status 2)."""


class OutputError(Exception):
    """stdout (or the --output file) cannot be written: closed, full disk (exit status 2)."""


class WorkerLost(Exception):
    """A ``--jobs`` worker process ended before its block was done, killed by the system
    (out of memory) or by a user: the output is incomplete (exit status 2)."""


# A reader that went away (`cdcpos parse big.txt | head -1`) ends cdcpos the way it ends
# cat, grep or sort: those die of SIGPIPE, which shells report as 128 + 13 = 141.  cdcpos
# exits with that status instead of dying (main() also runs inside other programs), quietly.
BROKEN_PIPE_STATUS = 128 + int(getattr(signal, "SIGPIPE", 13))


def warn(message: str) -> None:
    """One line on stderr; nothing when stderr is closed or gone (no one to tell)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(message + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def silence_stdout() -> None:
    """Point stdout at /dev/null after a failed write, so that the interpreter's own final
    flush of what is still buffered does not fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def describe_os_error(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


_COLUMN_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII only: str.isdigit() takes '²' and '٢'


def column_number(text: str) -> int | None:
    """A 1-based column number written in ASCII digits, or None."""
    if _COLUMN_NUMBER.fullmatch(text) is None:
        return None
    number = int(text)
    return number if number > 0 else None


def engine_name(name: str) -> str:
    """``--engine``: a DMS source ``EngineName``; anything else is a usage error."""
    from cdcpos._engines import family_of_engine  # private: no public engine check yet

    try:
        family_of_engine(name, field="--engine", text=None)
    except cdcpos.InvalidPosition as error:
        reason = error.reason
        if len(name) > 40:  # the reason quotes the name: keep the message one short line
            reason = reason.replace(repr(name), repr(name[:37] + "..."))
        raise argparse.ArgumentTypeError(f"{reason} ({error.hint})") from None
    return name


class Parents(NamedTuple):
    """Options several commands share, as argparse parents."""

    files: argparse.ArgumentParser  # FILE..., --no-progress
    positions: argparse.ArgumentParser  # --kind, --engine, --lenient
    records: argparse.ArgumentParser  # --value, --key, --input-format, --no-header, ...


def parents() -> Parents:
    positions = argparse.ArgumentParser(add_help=False)
    group = positions.add_argument_group("what the input is")
    group.add_argument(
        "--kind",
        choices=list(KINDS),
        default="any",
        metavar="KIND",
        help="the field the positions are for: any start or stop position (default), "
        "start (CdcStartPosition), stop (CdcStopPosition), checkpoint "
        "(RecoveryCheckpoint), start-time (CdcStartTime), db2-context (StartFromContext)",
    )
    group.add_argument(
        "--engine",
        type=engine_name,
        metavar="ENGINE",
        help="the source's DMS EngineName (postgres, mysql, oracle, sqlserver, ...): "
        "positions that engine cannot have written are invalid",
    )
    group.add_argument(
        "--lenient",
        action="store_true",
        help="first remove surrounding whitespace and quotes, and a space after "
        "server_time:/commit_time: (as pasted from older AWS documentation)",
    )

    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("files", nargs="*", metavar="FILE", help="input files (default: stdin)")
    files.add_argument(
        "--column",
        metavar="NAME",
        help="read the column NAME of Parquet files (a .parquet file with one column needs "
        "no --column; needs pip install 'cdcpos[arrow]'): one position per row",
    )
    files.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (shown only on a terminal's stderr, never in CI)",
    )

    records = argparse.ArgumentParser(add_help=False)
    group = records.add_argument_group("records (TSV or JSON Lines)")
    group.add_argument(
        "--value",
        metavar="FIELD",
        help="the TSV column (by header name) or JSON field holding the position",
    )
    group.add_argument(
        "--key",
        metavar="FIELD",
        help="the TSV column or JSON field that groups records (e.g. a task ARN)",
    )
    group.add_argument(
        "--input-format",
        choices=("tsv", "jsonl"),
        help="default: JSON Lines when a file's first line starts with '{', else TSV",
    )
    group.add_argument(
        "--no-header",
        action="store_true",
        help="TSV without a header row: --key and --value are column numbers (1 = first)",
    )
    records.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out invalid lines (still reported on stderr) instead of failing",
    )
    return Parents(files, positions, records)
