"""One batch of strings -> one struct column (the vectorized path, then the exact one),
and many batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import cdcpos
from cdcpos._columnar.encode import (
    _assemble,
    _np,
    as_string_array,
)
from cdcpos._columnar.exact import (
    _exact_rows,
    _rows_to_children,
    _unreadable_answers,
    exact_struct,
    unreadable_rows,
)
from cdcpos._columnar.kinds import BATCH_ROWS, entry_of, kind_codes
from cdcpos._columnar.schema import _KIND_CODE, FIELDS, KIND_TYPE, _kind_array
from cdcpos._columnar.threads import map_slices
from cdcpos._columnar.values import _KINDS

# ---------------------------------------------------------------- one batch


@dataclass
class Batch:
    """The struct column of a batch, and which rows the vectorized path decided."""

    column: pa.StructArray
    vectorized: np.ndarray


def parse_batch(
    texts: pa.Array,
    *,
    kind: str | None = None,
    engine: str | None = None,
    lenient: bool = False,
    exact: bool = True,
) -> Batch:
    """Parse one ``pa.string()`` array.  ``exact=False`` leaves the exact path's rows null
    (the tests use it to check the vectorized path alone)."""
    entry = entry_of(kind)
    if engine is not None and not isinstance(engine, str):
        raise TypeError(f"engine must be a str, not {type(engine).__name__}")
    n = len(texts)
    refusals = unreadable_rows(texts)
    unreadable = np.fromiter(refusals, np.int64, len(refusals))
    if len(unreadable):
        # Parsed as nulls; their answers come from the bytes (_unreadable_answers).
        hidden = np.zeros(n, bool)
        hidden[unreadable] = True
        texts = pc.if_else(pa.array(hidden), pa.scalar(None, pa.string()), texts)
    null = _np(texts.is_null())
    codes = kind_codes(texts, entry)
    pieces: dict[str, list[tuple[np.ndarray, pa.Array]]] = {f.name: [] for f in FIELDS}
    decided = np.zeros(n, bool)
    for name, (check, build) in _KINDS.items():
        code = _KIND_CODE[name]
        mask = codes == code
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        # A filter by mask, not a take by row numbers: it copies the same, for less.
        subset = texts if len(rows) == n else texts.filter(pa.array(mask))
        if check is not None:
            ok = check(subset)
            if not ok.all():
                rows = rows[ok]
                subset = subset.filter(pa.array(ok))
                if not len(rows):
                    continue
        children = build(subset)
        children.setdefault("position_kind", _kind_array(np.full(len(rows), code, np.int8)))
        children["kind"] = _kind_array(np.full(len(rows), code, np.int8))
        children["valid"] = pa.array(np.ones(len(rows), bool))
        for child, column in children.items():
            if not child.startswith("_"):
                pieces[child].append((rows, column))
        decided[rows] = True
    if engine is not None and decided.any():
        decided = _engine_check(texts, decided, pieces, kind, engine)
    exact_rows = np.nonzero(~decided & ~null)[0]
    if exact and len(exact_rows):
        answers = _exact_rows(texts.take(pa.array(exact_rows)).to_pylist(), kind, engine, lenient)
        for child, column in _rows_to_children(answers).items():
            pieces[child].append((exact_rows, column))
    if len(unreadable):
        answers = _unreadable_answers(refusals.values(), kind)
        for child, column in _rows_to_children(answers).items():
            pieces[child].append((unreadable, column))
        null = null.copy()
        null[unreadable] = False
    columns = [_assemble(n, pieces[f.name], f.type) for f in FIELDS]
    # Every non-null row is valid or not; `valid` is never null under a non-null row.
    columns[0] = pc.fill_null(columns[0], False)
    column = pa.StructArray.from_arrays(columns, fields=list(FIELDS), mask=pa.array(null))
    return Batch(column, decided)


def _engine_check(
    texts: pa.Array,
    decided: np.ndarray,
    pieces: dict[str, list[tuple[np.ndarray, pa.Array]]],
    kind: str | None,
    engine: str,
) -> np.ndarray:
    """Leave to the exact path the rows of every (kind, position kind) ``engine`` rejects.

    Whether an engine can have written a value depends on its kind and, for a checkpoint,
    the kind of its position only; one representative of each pair is asked.
    """
    n = len(texts)
    kinds = _np(_assemble(n, pieces["kind"], KIND_TYPE).indices.fill_null(-1))
    positions = _np(_assemble(n, pieces["position_kind"], KIND_TYPE).indices.fill_null(-1))
    pairs = kinds.astype(np.int32) * 64 + positions
    rejected = np.zeros(n, bool)
    for pair in np.unique(pairs[decided]):
        rows = np.nonzero(decided & (pairs == pair))[0]
        sample = texts[int(rows[0])].as_py()
        _, problems = cdcpos.parse_many([sample], kind=kind, engine=engine, errors="collect")
        if problems:
            rejected[rows] = True
    if rejected.any():
        for child in pieces:
            pieces[child] = [
                (rows[~rejected[rows]], column.filter(pa.array(~rejected[rows])))
                for rows, column in pieces[child]
            ]
    return decided & ~rejected


# ---------------------------------------------------------------- many batches


def parse_column(
    values: Any,
    *,
    kind: str | None = None,
    engine: str | None = None,
    lenient: bool = False,
) -> pa.StructArray:
    """The struct column of any column or iterable of strings (see ``cdcpos.arrow.parse``):
    batches of at most ``BATCH_ROWS`` rows, split over threads when large (``threads``)."""
    unencodable: dict[int, str] = {}
    texts = as_string_array(values, keep_layout=True, unencodable=unencodable)
    entry_of(kind)

    def one(part: pa.Array) -> pa.StructArray:
        return parse_batch(part, kind=kind, engine=engine, lenient=lenient).column

    batches = map_slices(texts, one, most=BATCH_ROWS)
    column = batches[0] if len(batches) == 1 else pa.concat_arrays(batches)
    if unencodable:
        # The rows of strs that have no UTF-8 were nulls: their answers are the exact
        # path's (cdcpos.parse's message), put in their places.
        rows = np.fromiter(unencodable, np.int64, len(unencodable))
        answers = exact_struct(list(unencodable.values()), kind, engine, lenient)
        places = np.arange(len(column))
        places[rows] = len(column) + np.arange(len(rows))
        column = pa.concat_arrays([column, answers]).take(pa.array(places))
    return column
