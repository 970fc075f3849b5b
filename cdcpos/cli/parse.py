"""``cdcpos parse``: one JSON object (or table row) per input line, in input order."""

from __future__ import annotations

import argparse
from typing import Any

from cdcpos.cli._common import RAW, Parents, options_of
from cdcpos.cli._input import Input
from cdcpos.cli._output import (
    TABLE_HEADER,
    Output,
    escape_line_breaks,
    jsonl_records,
    table_rows,
)
from cdcpos.cli._parsing import block_values, pipe_hint

EPILOG = """\
Each output line is one JSON object, in input order:
  {"file": ..., "line": 3, "input": ..., "ok": true, "kind": "postgres_lsn",
   "canonical": "4AF/B00000D0", "fields": {"value": 5152618578128}}
  {"file": ..., "line": 4, "input": ..., "ok": false,
   "error": {"type": "InvalidPosition", "message": ..., "column": 11, "field": ...,
             "reason": ..., "expected": ..., "hint": ...}}
error types: InvalidPosition, InvalidUtf8 (the input shows bad bytes as \\xNN),
LineTooLong.  parse exits 0 when it could read its input, even if lines are invalid
(use validate for a pass/fail answer).

examples:
  cdcpos parse examples/positions.txt
  cdcpos parse --kind checkpoint --format table checkpoints.txt
  cdcpos parse positions.txt | jq -c 'select(.ok | not) | {line, error: .error.message}'
  aws dms describe-replication-tasks --query 'ReplicationTasks[].RecoveryCheckpoint' \\
      --output text | tr '\\t' '\\n' | cdcpos parse --kind checkpoint"""


def add_parser(commands: Any, parents: Parents) -> None:
    parse = commands.add_parser(
        "parse",
        parents=[parents.files, parents.positions],
        help="one JSON object per input line",
        description="Parse each input line; print one JSON object per line, in order.",
        epilog=EPILOG,
        formatter_class=RAW,
    )
    parse.add_argument(
        "--format",
        choices=("jsonl", "json", "table"),
        default="jsonl",
        help="jsonl: JSON Lines (default); json: one JSON array; table: aligned text",
    )
    parse.add_argument(
        "--no-fields",
        action="store_true",
        help="leave out each value's fields (faster: decoding a checkpoint's fields "
        "costs several times its parse)",
    )
    parse.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    source = Input(
        args.files,
        "parse",
        args.no_progress,
        streams_output=True,
        missing_hint=pipe_hint("parse", options_of(args)),
    )
    options = options_of(args)
    out = Output()
    fmt = args.format
    first = True
    if fmt == "json":
        out.write("[")
    elif fmt == "table":
        out.write(TABLE_HEADER)
    for block in source.blocks():
        values = block_values(block, options)
        if fmt == "table":
            out.write("".join(table_rows(block, values, len(source.paths) > 1)))
        else:
            records = jsonl_records(block, values, not args.no_fields)
            if not records:
                continue
            if fmt == "jsonl":
                out.write(escape_line_breaks("\n".join(records)) + "\n")
            else:
                out.write(("\n" if first else ",\n") + escape_line_breaks(",\n".join(records)))
                first = False
        out.flush()
    if fmt == "json":
        out.write("]\n" if first else "\n]\n")
    out.flush()
    return 2 if source.failed else 0
