"""``cdcpos compare A B``: print <, = or > (or -1, 0, 1) for two positions."""

from __future__ import annotations

import argparse
from typing import Any

from cdcpos.cli._common import RAW, NoCommonOrder, Parents, options_of
from cdcpos.cli._input import quote
from cdcpos.cli._output import Output
from cdcpos.cli._parsing import compare_values, parse_argument
from cdcpos.cli._records import label, why_no_order

EPILOG = """\
Prints <, = or > (A is before, at, or after B); with --numeric -1, 0 or 1.  Exit status
1 when A or B is invalid, 2 when they have no common order (positions of different
engines, server_time against commit_time, binlogs of different stems).

examples:
  cdcpos compare 4AF/B00000D0 16/B374D848                                  # >
  cdcpos compare --numeric 00000014:00000061:0001 00000014:00000061:0002   # -1
  cdcpos compare checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0 \\
      checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121                        # >
  cdcpos compare --kind start-time 2018-03-08T12:12:12Z 1520511132         # =
  [ "$(cdcpos compare "$CURRENT" "$TARGET")" = "<" ] && echo "still behind\""""


def add_parser(commands: Any, parents: Parents) -> None:
    compare = commands.add_parser(
        "compare",
        parents=[parents.positions],
        help="print <, = or > for two positions",
        description="Compare two positions of one engine (or clock).",
        epilog=EPILOG,
        formatter_class=RAW,
    )
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.add_argument(
        "--numeric", action="store_true", help="print -1, 0 or 1 instead of <, = or >"
    )
    compare.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    options = options_of(args)
    a = parse_argument(args.a, options)
    b = parse_argument(args.b, options)
    try:
        result = compare_values(a, b)
    except TypeError:
        raise NoCommonOrder(
            f"cannot order {quote(args.a)} ({label(a)}) and {quote(args.b)} ({label(b)}): "
            f"no common order ({why_no_order(a, b)})"
        ) from None
    out = Output()
    out.write((str(result) if args.numeric else "<=>"[result + 1]) + "\n")
    out.flush()
    return 0
