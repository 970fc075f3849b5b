"""``cdcpos parse``: one JSON object (or table row) per input line, in input order."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any, NamedTuple

import cdcpos
from cdcpos.cli._checkpoint_json import checkpoint_fields_json
from cdcpos.cli._common import (
    KINDS,
    RAW,
    Options,
    OutputError,
    Parents,
    UsageError,
    describe_os_error,
    options_of,
)
from cdcpos.cli._input import Block, Input, RawBlock, split_raw
from cdcpos.cli._jobs import (
    choose_jobs,
    direct_output_fd,
    jobs_argument,
    ordered_map,
    ordered_write,
)
from cdcpos.cli._output import (
    TABLE_HEADER,
    Output,
    escape_line_breaks,
    jsonl_records,
    table_rows,
)
from cdcpos.cli._parsing import block_values, parse_texts, pipe_hint

EPILOG = """\
Each output line is one JSON object, in input order:
  {"file": ..., "line": 3, "input": ..., "ok": true, "kind": "postgres_lsn",
   "canonical": "4AF/B00000D0", "fields": {"value": 5152618578128}}
  {"file": ..., "line": 4, "input": ..., "ok": false,
   "error": {"type": "InvalidPosition", "message": ..., "column": 11, "field": ...,
             "reason": ..., "expected": ..., "hint": ...}}
error types: InvalidPosition, InvalidUtf8 (the input shows bad bytes as \\xNN),
LineTooLong (over 64 KiB), NullValue (a null row of a Parquet --column).  U+2028,
U+2029 and the C1 controls are escaped (\\uXXXX): one record is one line for every
reader.  parse exits 0 when it could read its input, even if lines are invalid (use
validate for a pass/fail answer).

--jobs N parses with N processes, output still in input order and memory still
constant.  The default, auto, is the number of cores for regular files of 8 MiB or
more in all, and 1 for stdin, pipes and smaller input (starting workers costs more
than it saves there).

examples:
  cdcpos parse examples/positions.txt
  cdcpos parse --kind checkpoint --format table checkpoints.txt
  cdcpos parse positions.txt | jq -c 'select(.ok | not) | {line, error: .error.message}'
  cdcpos parse --jobs 4 --no-fields big-export.txt > parsed.jsonl
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
        choices=("jsonl", "json", "table", "parquet"),
        default="jsonl",
        help="jsonl: JSON Lines (default); json: one JSON array; table: aligned text; "
        "parquet: the columns of cdcpos.arrow.parse, to --output FILE (pip install "
        "'cdcpos[arrow]')",
    )
    parse.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="with --format parquet: the Parquet file to write (columns file, line, input, "
        "then valid, kind, canonical, sort_key, error and the typed fields)",
    )
    parse.add_argument(
        "--no-fields",
        action="store_true",
        help="leave out each value's fields (faster: writing a checkpoint's fields "
        "costs more than its parse)",
    )
    parse.add_argument(
        "-j",
        "--jobs",
        type=jobs_argument,
        default=None,
        metavar="N",
        help="processes to parse with (default: auto, the number of cores for regular "
        "files of 8 MiB or more, else 1); output stays in input order",
    )
    parse.set_defaults(handler=run)


class Spec(NamedTuple):
    """What a worker needs to turn a block of lines into output (picklable)."""

    format: str
    options: Options
    with_fields: bool
    with_file: bool  # table rows say which file (several inputs)


def render(spec: Spec, raw: RawBlock | Block) -> bytes:
    """The output of one block of lines, as UTF-8 (run in a worker with --jobs)."""
    return _render(spec, split_raw(raw)).encode("utf-8", "backslashreplace")


def _render(spec: Spec, block: Block) -> str:
    values = block_values(block, spec.options)
    if spec.format == "table":
        return "".join(table_rows(block, values, spec.with_file))
    records = jsonl_records(block, values, spec.with_fields)
    if not records:
        return ""
    if spec.format == "jsonl":
        return escape_line_breaks("\n".join(records)) + "\n"
    return escape_line_breaks(",\n".join(records))


def _warm_up(spec: Spec) -> None:
    """Compile, before workers fork, what every block will need."""
    parse_texts(["0/0"], spec.options)
    cdcpos.parse_many(["checkpoint:V1#1#0/0#0#0#*#0#0"])
    checkpoint_fields_json("checkpoint:V1#1#0/0#0#0#*#0#0")


def run(args: argparse.Namespace) -> int:
    options = options_of(args)
    source = Input(
        args.files,
        "parse",
        args.no_progress,
        streams_output=True,
        missing_hint=pipe_hint("parse", options),
        column=args.column,
    )
    if args.format == "parquet" or args.output is not None:
        return _run_parquet(args, source)
    spec = Spec(args.format, options, not args.no_fields, len(source.paths) > 1)
    jobs = choose_jobs(args.jobs, source.paths)
    out = Output()
    first = True
    if spec.format == "json":
        out.write("[")
    elif spec.format == "table":
        out.write(TABLE_HEADER)
    fd = direct_output_fd(out.stream) if jobs > 1 else None
    if fd is not None:
        # Workers write their blocks to stdout in turn (see cdcpos.cli._jobs): what this
        # process wrote goes first.
        out.flush()
        separators = (b"\n", b",\n") if spec.format == "json" else (b"", b"")
        try:
            first = not ordered_write(
                render, spec, source.raw_blocks(), jobs, fd, separators, lambda: _warm_up(spec)
            )
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write to stdout: {describe_os_error(error)}") from None
        outputs: Iterable[bytes] = ()
    else:
        outputs = ordered_map(render, spec, source.raw_blocks(), jobs, lambda: _warm_up(spec))
    for data in outputs:
        if not data:
            continue
        if spec.format == "json":
            out.write("\n" if first else ",\n")
            first = False
        out.write_bytes(data)
        out.flush()
    if spec.format == "json":
        out.write("]\n" if first else "\n]\n")
    out.flush()
    return 2 if source.failed else 0


def _run_parquet(args: argparse.Namespace, source: Input) -> int:
    """--format parquet --output FILE: the struct columns of cdcpos.arrow.parse."""
    if args.format != "parquet" or args.output is None:
        raise UsageError(
            "--format parquet writes to --output FILE, and --output is for --format parquet "
            "(redirect stdout for the text formats)"
        )
    from cdcpos.cli._parquet import ParquetWriter  # pyarrow only when asked for

    writer = ParquetWriter(args.output, options_of(args), KINDS)
    for block in source.blocks():
        writer.write(block)
    writer.close()
    return 2 if source.failed else 0
