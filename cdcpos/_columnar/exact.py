"""The exact path: the rows of ``cdcpos.parse_many``'s values and errors, as children."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa

import cdcpos
from cdcpos._bulk import _entry_of
from cdcpos._columnar.schema import _KIND_CODE, FIELDS, KIND_TYPE, _kind_array
from cdcpos._errors import InvalidPosition, not_utf8
from cdcpos._rules import ENTRY_FIELDS
from cdcpos._sort_bytes import sort_bytes


def _typed_from_value(value: Any) -> dict[str, Any]:
    """A row's children from a cdcpos value (the exact path), through its public API."""
    kind = value.kind
    position = value.position if kind == "checkpoint" else value
    row: dict[str, Any] = {
        "valid": True,
        "kind": kind,
        "position_kind": position.kind,
        "canonical": str(value),
        "sort_key": sort_bytes(value),
    }
    if position.kind == "postgres_lsn":
        row["lsn"] = int(position)
    if kind == "oracle_scn":
        row["scn"] = int(value)
    binlog = position.binlog_position if position.kind == "mysql_stream" else position
    if binlog.kind == "mysql_binlog":
        row["binlog_file"] = binlog.file
        row["binlog_sequence"] = _u64_or_none(binlog.sequence)
        row["binlog_offset"] = _u64_or_none(binlog.offset)
    if kind in _INSTANT_KINDS:
        row["time"] = value.value
    if kind == "checkpoint":
        row["checkpoint_version"] = _u64_or_none(value.version)
        counters = value.counters
        if all(-(1 << 63) <= c < (1 << 63) for c in counters):
            row["checkpoint_counters"] = list(counters)
        second = value.second_position
        row["second_position_kind"] = None if second is None else second.kind
    return row


_INSTANT_KINDS = frozenset({"date", "server_time", "commit_time", "db2_timestamp"})


def _u64_or_none(number: int) -> int | None:
    return number if 0 <= number < (1 << 64) else None


def _plain_message(error: cdcpos.InvalidPosition) -> str:
    """The message of one string's error, without the item number parse_many adds."""
    return str(error.without_index())


def _exact_rows(
    texts: list[str], kind: str | None, engine: str | None, lenient: bool
) -> list[dict[str, Any]]:
    values, problems = cdcpos.parse_many(
        texts, kind=kind, engine=engine, errors="collect", lenient=lenient
    )
    rows: list[dict[str, Any]] = []
    bad = dict(problems)
    good = iter(values)
    for index in range(len(texts)):
        error = bad.get(index)
        if error is None:
            rows.append(_typed_from_value(next(good)))
        else:
            rows.append({"valid": False, "error": _plain_message(error)})
    return rows


def unreadable_rows(texts: pa.Array) -> dict[int, tuple[str, str, int]]:
    """The rows of a ``pa.string()`` array whose bytes are not UTF-8, each with how it
    shows, why it is refused and where (``_errors.not_utf8``).

    Arrow checks UTF-8 where it converts, not where an array is put together from buffers
    (``Array.from_buffers``, ``view``, a writer that does not check): such a row reached
    the exact path's ``to_pylist`` as a ``UnicodeDecodeError`` that lost every row of the
    batch.  One validation of the whole array (about 30 ns a row) answers for a valid one;
    only an invalid one is read row by row.
    """
    try:
        texts.validate(full=True)
        return {}
    except pa.ArrowInvalid:
        texts.validate()  # offsets and lengths sound: a broken array raises, unread
    raw = texts.cast(pa.binary()).to_pylist()  # string -> binary checks nothing
    refusals = {}
    for row, data in enumerate(raw):
        refused = None if data is None else not_utf8(data)
        if refused is not None:
            refusals[row] = refused
    return refusals


def _unreadable_answers(
    refusals: Iterable[tuple[str, str, int]], kind: str | None
) -> list[dict[str, Any]]:
    """The rows of texts that are not UTF-8, refused as the command line refuses a line
    that is not UTF-8 (the bytes shown as ``\\xNN``, the column in characters)."""
    field = ENTRY_FIELDS[_entry_of(kind)]
    return [
        {
            "valid": False,
            "error": str(InvalidPosition(reason, field=field, text=shown, column=column)),
        }
        for shown, reason, column in refusals
    ]


def exact_struct(
    texts: list[str], kind: str | None, engine: str | None, lenient: bool
) -> pa.StructArray:
    """The struct rows of ``texts`` by the exact path alone."""
    children = _rows_to_children(_exact_rows(texts, kind, engine, lenient))
    return pa.StructArray.from_arrays([children[f.name] for f in FIELDS], fields=list(FIELDS))


def _rows_to_children(rows: list[dict[str, Any]]) -> dict[str, pa.Array]:
    columns: dict[str, pa.Array] = {}
    for field in FIELDS:
        values = [row.get(field.name) for row in rows]
        if field.type == KIND_TYPE:
            codes = np.array([-1 if v is None else _KIND_CODE[v] for v in values], np.int8)
            columns[field.name] = _kind_array(codes)
        else:
            columns[field.name] = pa.array(values, field.type)
    return columns
