"""The columnar engine behind ``cdcpos.arrow``, ``cdcpos.polars`` and ``cdcpos.spark``.

One batch of strings becomes one Arrow struct column in two passes:

1. **The vectorized path** decides most rows without a Python call per row.  The kind
   of a row is the first of its entry's value rules whose *portable* expression (derived
   from the grammar by ``cdcpos._generate``, run by RE2 through ``pyarrow.compute``)
   matches it, exactly as ``match.lastgroup`` of the derived expression names it; then
   the checks a regular grammar cannot express (a real calendar day, an SCN below 2**64)
   run on integer columns, and each kind's fields, canonical text and sort key are cut
   from the text with string kernels and numpy (fixed-width hex and decimal fields).
2. **The exact path** takes every row the first one did not accept: it is
   ``cdcpos.parse_many`` itself, so a rejected row carries the message ``cdcpos.parse``
   gives, and a row the vectorized path leaves to it on purpose (a number beyond 64
   bits, an hour ``24``, text ``lenient=True`` must clean, a kind the ``engine`` rejects)
   gets exactly the object path's answer.

So the result never depends on the vectorized path being complete, only on it being
right where it answers; ``tests/test_arrow.py`` proves that on strings generated from
the grammar, mutated, and real ones, against ``parse_many`` and ``cdcpos.sort_bytes``.

Validity and kind alone (``is_valid``, ``classify``: Polars' ``is_valid()``/``kind()``) and
sort keys alone (``sort_key_column``; ``sort_key_chunks``, a chunk per thread's slice:
Polars' ``sort_key()``) take shorter roads than the struct.
A checkpoint is first matched by a narrowing of its expression (both positions of one
known terminal or none, position numbers of at most 19 digits) that proves the checks
beyond the grammar, so those rows need no field split; the other checks only pick the rows
that *may* fail one (numpy scans of the data buffer: runs of 20 digits, ``#*#``, ``:``
counts) for the exact path.  Sort keys of the kinds most columns hold (PostgreSQL
checkpoints, PostgreSQL and SQL Server LSNs, SCNs, binlog positions) are read from the
buffer with numpy; the other kinds use the struct's builders.

The modules, by concept: ``schema`` (the struct column's children and the kind
dictionary), ``kinds`` (entry points, portable patterns, the narrowed checkpoint
expressions, ``classify``), ``scan`` (what a row's bytes contain, by numpy over the
buffer), ``encode`` (numpy and Arrow helpers, the order-preserving key encoders),
``positions`` and ``values`` (what each position kind of a checkpoint and each row kind
gives: check and build), ``digits`` (numbers read from the buffer, eight digits a word),
``views`` (keys as Arrow binary views), ``keys`` (sort keys from the buffer, the
sort-key column), ``exact`` (rows from cdcpos values), ``batch`` (one batch, many
batches), ``threads`` (a large batch split into slices over threads). This package
exposes the names ``cdcpos.arrow``, ``cdcpos.polars`` and ``cdcpos.spark`` use.
"""

from __future__ import annotations

from cdcpos._columnar.batch import Batch, parse_batch, parse_column
from cdcpos._columnar.encode import as_string_array
from cdcpos._columnar.exact import _plain_message
from cdcpos._columnar.keys import sort_key_chunks, sort_key_column, sort_key_views
from cdcpos._columnar.kinds import classify, entry_of, is_valid
from cdcpos._columnar.schema import (
    COUNTERS,
    FIELDS,
    KIND_NAMES,
    KIND_TYPE,
    STRUCT_TYPE,
    TEXT_CHILDREN,
    TYPES,
    kind_column,
)
from cdcpos._columnar.threads import set_threads

__all__ = [
    "COUNTERS",
    "FIELDS",
    "KIND_NAMES",
    "KIND_TYPE",
    "STRUCT_TYPE",
    "TEXT_CHILDREN",
    "TYPES",
    "Batch",
    "_plain_message",
    "as_string_array",
    "classify",
    "entry_of",
    "is_valid",
    "kind_column",
    "parse_batch",
    "parse_column",
    "set_threads",
    "sort_key_chunks",
    "sort_key_column",
    "sort_key_views",
]
