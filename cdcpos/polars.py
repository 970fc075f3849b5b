"""Polars: ``import cdcpos.polars`` registers a ``cdcpos`` namespace on expressions and Series.

``pip install 'cdcpos[polars]'``.  Every method takes the entry point as ``kind`` (as
``cdcpos.parse_many`` does: ``None`` for any position, ``'start'``, ``'stop'``,
``'checkpoint'``, ``'db2-context'``):

==========================  =========================================================
method                      result
==========================  =========================================================
``.cdcpos.is_valid()``      Boolean: the string parses (null stays null)
``.cdcpos.kind()``          Enum of the kind names (``value.kind``), null when invalid
``.cdcpos.sort_key()``      Binary: ``cdcpos.sort_bytes`` (``max``/``sort`` agree with
                            ``cdcpos.sort_key``), null when invalid
``.cdcpos.canonical()``     String: ``str(value)`` (a checkpoint's exact text)
``.cdcpos.parse()``         Struct: every child of ``cdcpos.arrow.parse`` (its schema
                            table), kinds as Enum, ``time`` as Datetime
==========================  =========================================================

The work is done by the columnar engine of ``cdcpos.arrow`` on each batch Polars hands
over (``map_batches``, elementwise, so lazy frames, streaming and ``scan_parquet``
work), with no Python call per valid row: the grammar's portable expressions run in
RE2; ``is_valid()`` and ``kind()`` stop there (plus numpy scans for the checks beyond the
grammar), ``sort_key()`` builds the keys alone from the data buffer, and ``canonical()``
and ``parse()`` build the struct of ``cdcpos.arrow.parse``.

Threads: Polars runs the expressions of a query on its own threads, and cdcpos splits a
large batch (32,768 rows or more per thread) over threads of its own as well (as many as
the cores this process may use, at most 8): in Polars' streaming engine, which hands
several batches over at once, ``cdcpos.arrow.set_threads(1)`` (or ``CDCPOS_THREADS=1``)
leaves all the parallelism to Polars.

>>> import polars as pl, cdcpos.polars
>>> df = pl.DataFrame({"p": ["0/16B3748", "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0", "x"]})
>>> df.select(pl.col("p").cdcpos.kind()).to_series().to_list()
['postgres_lsn', 'checkpoint', None]
>>> df.select(pl.col("p").cdcpos.parse().struct.field("lsn")).to_series().to_list()
[23803720, 5152618578128, None]
>>> pl.Series(["0/2", "0/10"]).cdcpos.sort_key().arg_max()
1
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cdcpos._extras import require

require("polars", "polars", "pyarrow", "numpy")

import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402

from cdcpos import _columnar  # noqa: E402

__all__ = ["KIND", "PARSED"]

#: The kind names, as a Polars Enum (the ``kind`` children).
KIND = pl.Enum(list(_columnar.KIND_NAMES))


def _polars_type(kind: pa.DataType) -> Any:
    if kind == _columnar.KIND_TYPE:
        return KIND
    if pa.types.is_timestamp(kind):
        return pl.Datetime("us")
    if pa.types.is_fixed_size_list(kind):
        return pl.Array(pl.Int64, _columnar.COUNTERS)
    return pl.from_arrow(pa.array([], kind)).dtype  # type: ignore[union-attr]


#: The Polars type of ``.cdcpos.parse()``.
PARSED = pl.Struct({f.name: _polars_type(f.type) for f in _columnar.FIELDS})


def _texts(series: pl.Series) -> pa.Array:
    if series.dtype == pl.Null:
        return pa.nulls(len(series), pa.string())
    if isinstance(series.dtype, (pl.Categorical, pl.Enum)):
        series = series.cast(pl.String)  # categories of text: each row's text
    if series.dtype != pl.String:
        raise TypeError(
            f"cdcpos reads a column of strings (String, or Categorical/Enum of them), "
            f"not {series.dtype}"
        )
    # As Polars holds them (string views, no copy): each thread casts its own slice.
    column = series.to_arrow(compat_level=pl.CompatLevel.newest())
    return _columnar.as_string_array(column, keep_layout=True)


def _codes(series: pl.Series, kind: str | None) -> Any:
    return _columnar.classify(_texts(series), kind=kind)


def _is_valid(series: pl.Series, kind: str | None) -> pl.Series:
    # Validity alone: one expression for the rules after a checkpoint (not classify's
    # one per rule), see ``_columnar.is_valid``.
    valid = pl.Series(series.name, _columnar.is_valid(_texts(series), kind=kind), dtype=pl.Boolean)
    return valid.zip_with(series.is_not_null(), pl.Series([None], dtype=pl.Boolean))


_KIND_VALUES = pl.Series(list(_columnar.KIND_NAMES), dtype=KIND)


def _kind(series: pl.Series, kind: str | None) -> pl.Series:
    # A gather of the Enum's own values by code (a null code gives null): no strings.
    codes = _codes(series, kind)
    return _KIND_VALUES.gather(pl.Series(pa.array(codes, pa.int32(), mask=codes < 0))).alias(
        series.name
    )


def _parsed(series: pl.Series, kind: str | None, engine: str | None, lenient: bool) -> pl.Series:
    column = _columnar.parse_column(_texts(series), kind=kind, engine=engine, lenient=lenient)
    # Kinds as strings first: Polars reads an Arrow dictionary as Categorical, not Enum.
    children = [
        column.field(f.name).cast(pa.string())
        if f.type == _columnar.KIND_TYPE
        else column.field(f.name)
        for f in _columnar.FIELDS
    ]
    plain = pa.StructArray.from_arrays(
        children, names=[f.name for f in _columnar.FIELDS], mask=column.is_null()
    )
    return pl.Series(series.name, plain).cast(PARSED)


def _field(name: str, dtype: Any) -> Callable[[pl.Series, str | None], pl.Series]:
    def read(series: pl.Series, kind: str | None) -> pl.Series:
        return _parsed(series, kind, None, False).struct.field(name).cast(dtype).alias(series.name)

    return read


def _sort_key(series: pl.Series, kind: str | None) -> pl.Series:
    # The keys alone (``_columnar.sort_key_chunks``), not the whole struct: one chunk per
    # thread's slice, each cast to binary by its thread (no concatenation).  As plain
    # binary, not the views they are built as (Polars' own layout, which it would take
    # without a copy, ~18 ns a row): Polars 1.25 crashes (a segmentation fault) on a
    # binary_view array whose views point into data buffers; 2.1 takes it.
    return pl.Series(series.name, _columnar.sort_key_chunks(_texts(series), kind=kind))


_canonical = _field("canonical", pl.String)


@pl.api.register_expr_namespace("cdcpos")
class CdcposExpr:
    """``pl.col(...).cdcpos``: positions in a column of strings."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def _map(self, function: Any, dtype: Any, *args: Any) -> pl.Expr:
        _check(args[0])  # an unknown kind fails now, not at collect()
        return self._expr.map_batches(
            lambda s: function(s, *args), return_dtype=dtype, is_elementwise=True
        )

    def is_valid(self, kind: str | None = None) -> pl.Expr:
        """Whether each string parses (``cdcpos.parse_many(kind=kind)`` accepts it)."""
        return self._map(_is_valid, pl.Boolean, kind)

    def kind(self, kind: str | None = None) -> pl.Expr:
        """The kind of each value (``value.kind``); null when invalid."""
        return self._map(_kind, KIND, kind)

    def sort_key(self, kind: str | None = None) -> pl.Expr:
        """``cdcpos.sort_bytes`` of each value: binary order is ``cdcpos.sort_key`` order."""
        return self._map(_sort_key, pl.Binary, kind)

    def canonical(self, kind: str | None = None) -> pl.Expr:
        """``str(value)`` of each value (a checkpoint's exact text); null when invalid."""
        return self._map(_canonical, pl.String, kind)

    def parse(
        self, kind: str | None = None, *, engine: str | None = None, lenient: bool = False
    ) -> pl.Expr:
        """The struct of ``cdcpos.arrow.parse`` (``valid``, ``kind``, ..., ``error``)."""
        return self._map(_parsed, PARSED, kind, engine, lenient)


@pl.api.register_series_namespace("cdcpos")
class CdcposSeries:
    """``series.cdcpos``: the methods of the expression namespace, on a Series."""

    def __init__(self, series: pl.Series) -> None:
        self._series = series

    def is_valid(self, kind: str | None = None) -> pl.Series:
        return _is_valid(self._series, _check(kind))

    def kind(self, kind: str | None = None) -> pl.Series:
        return _kind(self._series, _check(kind))

    def sort_key(self, kind: str | None = None) -> pl.Series:
        return _sort_key(self._series, _check(kind))

    def canonical(self, kind: str | None = None) -> pl.Series:
        return _canonical(self._series, _check(kind))

    def parse(
        self, kind: str | None = None, *, engine: str | None = None, lenient: bool = False
    ) -> pl.Series:
        return _parsed(self._series, _check(kind), engine, lenient)


def _check(kind: str | None) -> str | None:
    _columnar.entry_of(kind)
    return kind
