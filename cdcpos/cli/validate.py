"""``cdcpos validate``: exit 0 when every position is valid, 1 otherwise; each invalid
line reported on stderr."""

from __future__ import annotations

import argparse
from itertools import count
from typing import Any

from cdcpos.cli._common import RAW, Parents, UsageError, options_of, warn
from cdcpos.cli._input import Input
from cdcpos.cli._parsing import block_values, is_error, message, parse_texts, value_hint

EPILOG = """\
Prints nothing for valid input.  Each invalid line is reported on stderr as
FILE:LINE: MESSAGE (with --value, just the message).  Exit status 0 when all are valid,
1 when any is invalid, 2 on usage errors or unreadable files.

examples:
  cdcpos validate positions.txt
  cdcpos validate --kind start --engine postgres start-positions.txt
  cdcpos validate --value 4AF/B00000D0 --value 6916533
  cdcpos validate --kind stop --lenient --value 'commit_time: 2018-02-09T12:12:12 '
  cdcpos validate --kind start-time --engine oracle --value 1520511132
  if cdcpos validate -q --kind checkpoint --value "$CHECKPOINT"; then ...; fi"""


def add_parser(commands: Any, parents: Parents) -> None:
    validate = commands.add_parser(
        "validate",
        parents=[parents.files, parents.positions],
        help="exit 0 when every position is valid, 1 otherwise",
        description="Check positions: exit 0 when all are valid, 1 when any is invalid.",
        epilog=EPILOG,
        formatter_class=RAW,
    )
    validate.add_argument(
        "--value",
        action="append",
        metavar="TEXT",
        help="validate TEXT instead of files (repeatable)",
    )
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="no messages: the exit status only"
    )
    validate.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    options = options_of(args)
    if args.value is not None:
        if args.files:
            raise UsageError("give either --value or files, not both")
        bad = 0
        for text in args.value:
            (value,) = parse_texts([text], options)
            if is_error(value):
                bad += 1
                if not args.quiet:
                    warn(message(value, text))
        return 1 if bad else 0
    source = Input(
        args.files,
        "validate",
        args.no_progress,
        missing_hint=value_hint(options),
        column=args.column,
    )
    lines = bad = 0
    for block in source.blocks():
        lines += len(block.texts)
        values = block_values(block, options)
        for number, text, value in zip(count(block.first_line), block.texts, values):
            if is_error(value):
                bad += 1
                if not args.quiet:
                    source.warn(f"{block.source}:{number}: {message(value, text)}")
    if bad and not args.quiet:
        source.warn(f"cdcpos validate: {bad} of {lines} lines invalid")
    if source.failed:
        return 2
    return 1 if bad else 0
