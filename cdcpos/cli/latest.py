"""``cdcpos latest``: the line (or, per key, the record) with the furthest position."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from cdcpos.cli._common import RAW, Parents
from cdcpos.cli._parsing import compare_values
from cdcpos.cli._records import Entry, collect, no_common_order, print_records

EPILOG = """\
Prints the line holding the furthest position; with --key and --value, for each key
(TSV column or JSON field, e.g. a task ARN), the record with the furthest position of
that key, keys in order of first appearance (a TSV header row is printed first).  An
equal position later in the input wins.  Positions of one key must share one order: a
mix of engines or clocks for one key is an error (exit 2), not a guess.  Memory grows
with the number of keys, not lines.

examples:
  cdcpos latest checkpoints.txt
  cdcpos latest --key task_arn --value checkpoint export.tsv
  cdcpos latest --no-header --key 1 --value 3 export.tsv
  aws dms describe-replication-tasks --query \\
      'ReplicationTasks[].{task: ReplicationTaskArn, checkpoint: RecoveryCheckpoint}' \\
      | jq -c '.[]' | cdcpos latest --skip-invalid --key task --value checkpoint"""


def add_parser(commands: Any, parents: Parents) -> None:
    latest = commands.add_parser(
        "latest",
        parents=[parents.files, parents.positions, parents.records],
        help="print the furthest position (per key)",
        description="Print the line (or, per key, the record) with the furthest position.",
        epilog=EPILOG,
        formatter_class=RAW,
    )
    latest.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    latest: dict[str | None, Entry] = {}

    def consume(entries: Iterator[Entry]) -> None:
        for entry in entries:
            best = latest.get(entry.key)
            if best is not None:
                try:
                    if compare_values(entry.value, best.value) < 0:
                        continue  # an equal position later in the input wins
                except TypeError:
                    raise no_common_order(best, entry) from None
            latest[entry.key] = entry

    layout, status = collect(args, "latest", consume)
    if status:
        return status
    print_records(layout, latest.values())
    return 0
