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
from cdcpos.cli._common import (
    NoCommonOrder,
    Options,
    UsageError,
    Value,
    column_number,
    options_of,
)
from cdcpos.cli._fields import kind_of
from cdcpos.cli._input import Input, quote
from cdcpos.cli._output import Output
from cdcpos.cli._parsing import block_values, is_error, message, parse_texts, pipe_hint


class Entry(NamedTuple):
    """An input line that holds a position: what sort and latest order and print."""

    source: str
    line: int
    record: str  # the line as read, printed as is
    key: str | None  # the key's identity (--key), None without a key
    value: Value


def _show_columns(names: list[str]) -> str:
    """Column names for a message, cut so that a binary or JSON first line stays short."""
    shown = [repr(name if len(name) <= 40 else name[:37] + "...") for name in names[:12]]
    more = f", ... ({len(names)} columns)" if len(names) > 12 else ""
    return ", ".join(shown) + more


class Layout:
    """Where the position (and the key) is in a line: the whole line, a TSV column or a
    JSON Lines field.

    Each source is read by its own first line (its format, its header); what is printed
    has one layout: the first source's.  A TSV file whose header has the same columns in
    another order has its rows rewritten in the first header's order; other columns, or
    TSV mixed with JSON Lines, are refused (a ``UsageError``), never printed under a
    header that does not describe them.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.key: str | None = args.key
        self.value: str | None = args.value
        self.forced: str | None = args.input_format
        self.header_row = not args.no_header
        if self.key is not None and self.value is None:
            raise UsageError("--key needs --value: the field or column holding the position")
        self._numbers: tuple[int | None, int] = (None, 0)
        if args.no_header:
            if self.forced == "jsonl":
                raise UsageError("--no-header is for TSV input")
            self.forced = "tsv"
            numbers = [None if n is None else column_number(n) for n in (self.key, self.value)]
            for name, number in zip((self.key, self.value), numbers, strict=True):
                if name is not None and number is None:
                    raise UsageError(
                        "with --no-header, --key and --value are column numbers in ASCII "
                        f"digits (1 = first), not {quote(name)}"
                    )
            key_number, value_number = numbers
            assert value_number is not None
            self._numbers = (None if key_number is None else key_number - 1, value_number - 1)
        self.header: str | None = None  # the first TSV header seen, printed first
        self._first_source: tuple[str, str] | None = None  # (source, format) printed
        self._names: list[str] = []  # the columns of the printed header
        self._format = "lines"
        self._columns: tuple[int | None, int] = (None, 0)
        self._order: list[int] | None = None  # this source's cells, in the printed order

    @property
    def records(self) -> bool:
        return self.value is not None

    def start_source(self, source: str, first: str) -> bool:
        """Read a source's first line; True when it is a header, not a record."""
        fmt = self.forced or ("jsonl" if first.lstrip().startswith("{") else "tsv")
        self._format = fmt
        self._order = None
        if self._first_source is None:
            self._first_source = (source, fmt)
        elif self._first_source[1] != fmt:
            spelled = {"tsv": "TSV", "jsonl": "JSON Lines"}
            raise UsageError(
                f"{source} is {spelled[fmt]} but {self._first_source[0]} is "
                f"{spelled[self._first_source[1]]}: the output has one layout, so all inputs "
                "must have the same (--input-format says which)"
            )
        if fmt == "jsonl":
            return False
        assert self.value is not None
        if not self.header_row:
            self._columns = self._numbers
            return False
        names = first.split("\t")
        wanted = [self.value] if self.key is None else [self.key, self.value]
        for name in wanted:
            if name not in names:
                raise UsageError(
                    f"{source}: no column {quote(name)} in the TSV header "
                    f"(columns: {_show_columns(names)}); --input-format jsonl reads JSON Lines"
                )
        key_column = None if self.key is None else names.index(self.key)
        self._columns = (key_column, names.index(self.value))
        if self.header is None:
            self.header, self._names = first, names
        elif names != self._names:
            if sorted(names) != sorted(self._names) or len(set(names)) != len(names):
                raise UsageError(
                    f"{source}: its columns ({_show_columns(names)}) are not those of "
                    f"{self._first_source[0]} ({_show_columns(self._names)}): the output has "
                    "one header, so all inputs must have the same columns (in any order)"
                )
            self._order = [names.index(name) for name in self._names]
        return True

    def split(self, text: str) -> tuple[str | None, str, str] | str:
        """``(key, position text, record as printed)``, or why the record has none."""
        if self._format == "jsonl":
            return self._split_json(text)
        cells = text.split("\t")
        key_column, value_column = self._columns
        if value_column >= len(cells) or (key_column is not None and key_column >= len(cells)):
            return f"a TSV row with {len(cells)} columns has no column {value_column + 1}"
        key = None if key_column is None else json.dumps(cells[key_column])
        if self._order is not None:
            if len(cells) != len(self._order):
                return (
                    f"a TSV row with {len(cells)} columns under a header of "
                    f"{len(self._order)}: cannot put its columns in the first header's order"
                )
            text = "\t".join([cells[index] for index in self._order])
        return (key, cells[value_column], text)

    def _split_json(self, text: str) -> tuple[str | None, str, str] | str:
        try:
            record = json.loads(text)
        except RecursionError:
            return "not JSON (nested too deeply)"
        except ValueError as error:
            return f"not JSON ({error})"
        if not isinstance(record, dict):
            return "not a JSON object"
        key = None
        if self.key is not None:
            if self.key not in record:
                return f"no field {quote(self.key)}"
            try:
                key = json.dumps(record[self.key], sort_keys=True)
            except (RecursionError, ValueError):
                return f"field {quote(self.key)} is nested too deeply to be a key"
        assert self.value is not None  # records have a --value
        position = record.get(self.value)
        if not isinstance(position, str):
            if self.value not in record:
                return f"no field {quote(self.value)}"
            return f"field {quote(self.value)} is {_show_json(position)}, not a string"
        return (key, position, text)


def _show_json(value: object) -> str:
    try:
        shown = json.dumps(value)
    except (RecursionError, ValueError):
        return "nested too deeply"
    return shown if len(shown) <= 40 else shown[:37] + "..."


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
        if block.columnar:
            raise UsageError(
                f"{block.source}: --key and --value read TSV or JSON Lines records; a Parquet "
                "file's positions are read with --column alone"
            )
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
            rows.append((number, found[2], found[0]))
            positions.append(found[1])
        values = parse_texts(positions, options)
        for (number, text, key), position, value in zip(rows, positions, values, strict=True):
            if is_error(value):
                invalid(f"{block.source}:{number}: {message(value, position)}")
            else:
                yield Entry(block.source, number, text, key, value)


def _order_domain(value: Value) -> tuple[str, str | None]:
    """(kind, binlog stem): positions order only within one kind (a checkpoint's: of its
    position) and, for MySQL, one binlog stem."""
    if isinstance(value, cdcpos.Checkpoint):
        kind, stem = _order_domain(value.position)
        return f"checkpoint of {kind}", stem
    if isinstance(value, cdcpos.MySqlBinlogPosition):
        return "mysql_binlog", value.stem
    if isinstance(value, cdcpos.MySqlStreamPosition):
        return "mysql_stream", value.binlog_position.stem
    return kind_of(value), None


def label(value: Value) -> str:
    """What a value is, as far as ordering goes: its kind, a checkpoint's engine kind, a
    binlog's stem."""
    kind, stem = _order_domain(value)
    return kind if stem is None else f"{kind} of stem {stem!r}"


def why_no_order(a: Value, b: Value) -> str:
    """Why two values that raise TypeError on ``<`` have no common order."""
    (a_kind, a_stem), (b_kind, b_stem) = _order_domain(a), _order_domain(b)
    if a_kind == b_kind:
        if a_stem != b_stem:
            return "different binlog stems"
        # Equal or not, never before or after.
        if a_kind.endswith("opaque"):
            return "opaque positions (of an engine cdcpos does not know) compare only for equality"
        return f"{a_kind} values compare only for equality"
    if {kind_of(a), kind_of(b)} == {"server_time", "commit_time"}:
        return "different clocks"
    a_leaf, b_leaf = a_kind.rpartition(" ")[2], b_kind.rpartition(" ")[2]
    if a_leaf.startswith("mysql_") and b_leaf.startswith("mysql_"):
        return "different kinds of MySQL position"
    return "different engines"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def no_common_order(a: Entry, b: Entry) -> NoCommonOrder:
    key = "" if a.key is None else f"key {_short(a.key)}: "
    return NoCommonOrder(
        f"{key}{a.source}:{a.line} ({label(a.value)}) and {b.source}:{b.line} "
        f"({label(b.value)}) have no common order: {why_no_order(a.value, b.value)}"
    )


def collect(
    args: argparse.Namespace, command: str, consume: Callable[[Iterator[Entry]], None]
) -> tuple[Layout, int]:
    """Feed the entries of the input to ``consume``; the exit status so far."""
    layout = Layout(args)
    source = Input(
        args.files,
        command,
        args.no_progress,
        missing_hint=pipe_hint(command, options_of(args)),
        column=args.column,
    )
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
