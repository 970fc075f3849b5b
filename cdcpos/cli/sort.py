"""``cdcpos sort``: the input lines (or records) ordered by their positions."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from cdcpos.cli._common import RAW, Parents
from cdcpos.cli._parsing import compare_values
from cdcpos.cli._records import Entry, collect, no_common_order, print_records, sort_key_of

EPILOG = """\
Prints the input lines ordered by their positions (stable: equal positions keep their
input order).  All positions must share one order: a mix of engines, clocks or binlog
stems is an error (exit 2), not a guess.  With --value, each line is a record (TSV with
a header row, or JSON Lines) whose position is that column or field; with --key too,
records are grouped by key (in order of first appearance) and sorted within each key,
where each key's positions must share one order.  The input is held in memory.

examples:
  cdcpos sort lsns.txt
  cdcpos sort --reverse --kind checkpoint checkpoints.txt
  cdcpos sort --value checkpoint export.tsv
  cdcpos sort --key task --value checkpoint export.jsonl"""


def add_parser(commands: Any, parents: Parents) -> None:
    sort = commands.add_parser(
        "sort",
        parents=[parents.files, parents.positions, parents.records],
        help="print the lines ordered by position",
        description="Order lines (or records) by their positions.",
        epilog=EPILOG,
        formatter_class=RAW,
    )
    sort.add_argument("-r", "--reverse", action="store_true", help="furthest first")
    sort.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    groups: dict[str | None, list[Entry]] = {}

    def consume(entries: Iterator[Entry]) -> None:
        for entry in entries:
            groups.setdefault(entry.key, []).append(entry)

    layout, status = collect(args, "sort", consume)
    if status:
        return status
    ordered: list[Entry] = []
    for group in groups.values():
        first = group[0]
        # Every value must order against the first: then all share one domain, where
        # cdcpos.sort_key agrees with < (and is computed once per value).
        for entry in group[1:]:
            try:
                compare_values(first.value, entry.value)
            except TypeError:
                raise no_common_order(first, entry) from None
        ordered.extend(
            sorted(group, key=lambda entry: sort_key_of(entry.value), reverse=args.reverse)
        )
    print_records(layout, ordered)
    return 0
