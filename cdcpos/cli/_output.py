"""Writing output: stdout as UTF-8 bytes whatever the locale, the JSON Lines records of
``cdcpos parse`` and its aligned table."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from itertools import count
from json.encoder import encode_basestring
from typing import IO

from cdcpos.cli._common import Value
from cdcpos.cli._fields import ENCODE, FIELDS_JSON, canonical, kind_of
from cdcpos.cli._input import Block
from cdcpos.cli._parsing import is_error, message, parse_record


class Output:
    """stdout as UTF-8 bytes whatever the locale (JSON Lines are UTF-8)."""

    def __init__(self) -> None:
        self._text = sys.stdout
        self._bytes: IO[bytes] | None = getattr(sys.stdout, "buffer", None)

    def write(self, text: str) -> None:
        if self._bytes is not None:
            self._bytes.write(text.encode("utf-8", "backslashreplace"))
        else:  # a text-only stdout (doctest, an IDE console)
            self._text.write(text)

    def flush(self) -> None:
        (self._bytes or self._text).flush()


def jsonl_records(block: Block, values: Iterable[Value], with_fields: bool = True) -> list[str]:
    """The JSON text of each line's record (the same as ``ENCODE(parse_record(...))``)."""
    quote = encode_basestring
    prefix = '{"file":' + quote(block.source) + ',"line":'
    writers = FIELDS_JSON
    records: list[str] = []
    append = records.append
    number = block.first_line
    for text, value in zip(block.texts, values, strict=True):
        writer = writers.get(type(value))
        if writer is not None:
            canonical = str(value)
            quoted = quote(text)
            head = (
                f'{prefix}{number},"input":{quoted},"ok":true,"kind":"{value.kind}",'
                f'"canonical":{quoted if canonical == text else quote(canonical)}'
            )
            append(f'{head},"fields":{writer(value)}}}' if with_fields else head + "}")
        else:
            append(ENCODE(parse_record(block.source, number, text, value, with_fields)))
        number += 1
    return records


TABLE_HEADER = f"{'LINE':<10}  {'OK':<3}  {'KIND':<14}  CANONICAL OR ERROR\n"


def table_rows(block: Block, values: Iterable[Value], with_file: bool) -> list[str]:
    rows = []
    for number, text, value in zip(count(block.first_line), block.texts, values):
        where = f"{block.source}:{number}" if with_file else str(number)
        if is_error(value):
            rows.append(f"{where:<10}  {'no':<3}  {'-':<14}  {message(value, text)}\n")
        else:
            rows.append(f"{where:<10}  {'yes':<3}  {kind_of(value):<14}  {canonical(value)}\n")
    return rows
