"""Lines and records for ``sort`` and ``latest``: where the position (and the key) is in
a line (the whole line, a TSV column, a JSON Lines field), the entries read, and why two
of them cannot be ordered."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import count
from typing import Any, NamedTuple

import cdcpos
from cdcpos.cli._common import NoCommonOrder, Options, UsageError, Value, options_of
from cdcpos.cli._fields import kind_of
from cdcpos.cli._input import Input
from cdcpos.cli._output import Output
from cdcpos.cli._parsing import block_values, is_error, message, parse_texts


class Entry(NamedTuple):
    """An input line that holds a position: what sort and latest order and print."""

    source: str
    line: int
    record: str  # the line as read, printed as is
    key: str | None  # the key's identity (--key), None without a key
    value: Value


class Layout:
    """Where the position (and the key) is in a line: the whole line, a TSV column or a
    JSON Lines field."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.key: str | None = args.key
        self.value: str | None = args.value
        self.forced: str | None = args.input_format
        self.header_row = not args.no_header
        if self.key is not None and self.value is None:
            raise UsageError("--key needs --value: the field or column holding the position")
        if args.no_header:
            if self.forced == "jsonl":
                raise UsageError("--no-header is for TSV input")
            self.forced = "tsv"
            for name in (self.key, self.value):
                if name is not None and not (name.isdigit() and int(name) > 0):
                    raise UsageError(
                        f"with --no-header, --key and --value are column numbers (1 = "
                        f"first), not {name!r}"
                    )
        self.header: str | None = None  # the first TSV header seen, printed first
        self._format = "lines"
        self._columns: tuple[int | None, int] = (None, 0)

    @property
    def records(self) -> bool:
        return self.value is not None

    def start_source(self, source: str, first: str) -> bool:
        """Read a source's first line; True when it is a header, not a record."""
        fmt = self.forced or ("jsonl" if first.lstrip().startswith("{") else "tsv")
        self._format = fmt
        if fmt == "jsonl":
            return False
        assert self.value is not None
        if not self.header_row:
            key = None if self.key is None else int(self.key) - 1
            self._columns = (key, int(self.value) - 1)
            return False
        names = first.split("\t")
        wanted = [self.value] if self.key is None else [self.key, self.value]
        for name in wanted:
            if name not in names:
                raise UsageError(
                    f"{source}: no column {name!r} in the TSV header "
                    f"(columns: {', '.join(names)}); --input-format jsonl reads JSON Lines"
                )
        key_column = None if self.key is None else names.index(self.key)
        self._columns = (key_column, names.index(self.value))
        if self.header is None:
            self.header = first
        return True

    def split(self, text: str) -> tuple[str | None, str] | str:
        """``(key, position text)`` of a record, or why the record has none."""
        if self._format == "jsonl":
            return self._split_json(text)
        cells = text.split("\t")
        key_column, value_column = self._columns
        if value_column >= len(cells) or (key_column is not None and key_column >= len(cells)):
            return f"a TSV row with {len(cells)} columns has no column {value_column + 1}"
        key = None if key_column is None else json.dumps(cells[key_column])
        return (key, cells[value_column])

    def _split_json(self, text: str) -> tuple[str | None, str] | str:
        try:
            record = json.loads(text)
        except ValueError as error:
            return f"not JSON ({error})"
        if not isinstance(record, dict):
            return "not a JSON object"
        key = None
        if self.key is not None:
            if self.key not in record:
                return f"no field {self.key!r}"
            key = json.dumps(record[self.key], sort_keys=True)
        position = record.get(self.value)
        if not isinstance(position, str):
            if self.value not in record:
                return f"no field {self.value!r}"
            return f"field {self.value!r} is {json.dumps(position)}, not a string"
        return (key, position)


def read_entries(
    source: Input, layout: Layout, options: Options, invalid: Callable[[str], None]
) -> Iterator[Entry]:
    for block in source.blocks():
        if not layout.records:
            values = block_values(block, options)
            for number, text, value in zip(count(block.first_line), block.texts, values):
                if is_error(value):
                    invalid(f"{block.source}:{number}: {message(value, text)}")
                else:
                    yield Entry(block.source, number, text, None, value)
            continue
        # Records: take the position out of each line, then parse those in bulk.
        rows: list[tuple[int, str, str | None]] = []  # (line number, line, key)
        positions: list[str] = []
        for index, text in enumerate(block.texts):
            number = block.first_line + index
            if number == 1 and layout.start_source(block.source, text):
                continue  # a TSV header row
            if index in block.problems:
                invalid(f"{block.source}:{number}: {block.problems[index].message(text)}")
                continue
            found = layout.split(text)
            if isinstance(found, str):
                invalid(f"{block.source}:{number}: {found}")
                continue
            rows.append((number, text, found[0]))
            positions.append(found[1])
        values = parse_texts(positions, options)
        for (number, text, key), position, value in zip(rows, positions, values, strict=True):
            if is_error(value):
                invalid(f"{block.source}:{number}: {message(value, position)}")
            else:
                yield Entry(block.source, number, text, key, value)


def describe(entry: Entry) -> str:
    return f"{entry.source}:{entry.line} ({kind_of(entry.value)})"


def without_library_advice(error: TypeError) -> str:
    # The library's message ends by suggesting key=cdcpos.sort_key, which means
    # nothing on a command line.
    return str(error).split("; use key=")[0]


def no_common_order(a: Entry, b: Entry, error: TypeError) -> NoCommonOrder:
    key = "" if a.key is None else f"key {a.key}: "
    return NoCommonOrder(
        f"{key}{describe(a)} and {describe(b)} have no common order: "
        + without_library_advice(error)
    )


def collect(
    args: argparse.Namespace, command: str, consume: Callable[[Iterator[Entry]], None]
) -> tuple[Layout, int]:
    """Feed the entries of the input to ``consume``; the exit status so far."""
    layout = Layout(args)
    source = Input(args.files, command, args.no_progress)
    bad = 0

    def invalid(message: str) -> None:
        nonlocal bad
        bad += 1
        source.warn(message)

    consume(read_entries(source, layout, options_of(args), invalid))
    if source.failed:
        return layout, 2
    if bad and not args.skip_invalid:
        source.warn(
            f"cdcpos {command}: {bad} invalid line{'s' if bad > 1 else ''}; nothing printed "
            "(--skip-invalid leaves them out)"
        )
        return layout, 1
    return layout, 0


def print_records(layout: Layout, entries: Iterable[Entry]) -> None:
    out = Output()
    if layout.header is not None:
        out.write(layout.header + "\n")
    for entry in entries:
        out.write(entry.record + "\n")
    out.flush()


def sort_key_of(value: Value) -> Any:
    return value if isinstance(value, datetime) else cdcpos.sort_key(value)
