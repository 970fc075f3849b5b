"""Which kind each row has: the entry points, the portable patterns, and ``classify``."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import cdcpos
from cdcpos import _fastpath
from cdcpos._bulk import _KIND_ALIASES, _entry_of
from cdcpos._columnar.encode import (
    _np,
)
from cdcpos._columnar.exact import _exact_rows
from cdcpos._columnar.schema import _KIND_CODE
from cdcpos._columnar.values import _KINDS

# ---------------------------------------------------------------- entry points


def entry_of(kind: str | None) -> str:
    """The entry point of the grammar that ``parse_many(kind=kind)`` reads.

    ``cdcpos._bulk``'s alias table decides, so the columnar modules accept exactly the
    kinds ``parse_many`` does.  An unhashable ``kind`` is no key of that table: it is an
    unknown kind here too (``ValueError``), not the table's ``TypeError``.

    >>> entry_of("db2")
    'db2_start_from_context'
    >>> entry_of(["start"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown kind ['start']; expected one of 'any', 'start', ...
    """
    try:
        return _entry_of(kind)
    except TypeError:
        known = ", ".join(repr(k) for k in _KIND_ALIASES if k is not None)
        raise ValueError(f"unknown kind {kind!r}; expected one of {known}") from None


def kind_patterns(entry: str) -> tuple[tuple[str, str], ...]:
    """``(rule, portable pattern)`` in the order the entry tries them ("any": start, stop)."""
    if entry == "any":
        return (
            _fastpath.PORTABLE_KIND_PATTERNS["start_position"]
            + _fastpath.PORTABLE_KIND_PATTERNS["stop_position"]
        )
    return _fastpath.PORTABLE_KIND_PATTERNS[entry]


def kind_codes(texts: pa.Array, entry: str) -> np.ndarray:
    """The kind code of each row by the portable expressions alone (-1: none matches).

    An expression runs only on the rows that pass its cheap necessary conditions (length
    and literal prefix, from ``_fastpath.PORTABLE_KIND_HINTS``) and that no earlier rule
    took, which saves most of the regular-expression work and changes no answer.
    """
    n = len(texts)
    codes = np.full(n, -1, np.int8)
    length = _np(pc.fill_null(pc.utf8_length(texts), -1))
    undecided = (length >= 0) & (length <= cdcpos.MAX_LENGTH)
    prefixes: dict[str, np.ndarray] = {}

    for kind, pattern in kind_patterns(entry):
        if not undecided.any():
            break
        shortest, longest, prefix, _ = _fastpath.PORTABLE_KIND_HINTS[kind]
        candidate = undecided & (length >= shortest)
        if longest is not None:
            candidate &= length <= longest
        if prefix:
            if prefix not in prefixes:
                prefixes[prefix] = _np(pc.fill_null(pc.starts_with(texts, prefix), False))
            candidate &= prefixes[prefix]
        rows = np.nonzero(candidate)[0]
        if not len(rows):
            continue
        subset = texts if len(rows) == n else texts.take(pa.array(rows))
        matched = rows[_np(pc.match_substring_regex(subset, pattern))]
        codes[matched] = _KIND_CODE[kind]
        undecided[matched] = False
    return codes


# The kinds whose check can make a row invalid (the other checks only leave to the exact
# path what the columns cannot type, which is still valid).  A checkpoint's can: two
# positions of two engines, or a binlog number past 64 bits, are the exact path's to judge.
_SEMANTIC_CHECKS = (
    "date",
    "server_time",
    "commit_time",
    "db2_timestamp",
    "oracle_scn",
    "mysql_binlog",
    "checkpoint",
)


def classify(texts: pa.Array, *, kind: str | None = None) -> np.ndarray:
    """The kind code of every row (-1: invalid or null), as ``parse_many(kind=kind)`` says.

    The portable expressions and the semantic checks decide; a row a check rejects (a
    day that does not exist, an SCN beyond 64 bits) is asked of the exact path, so the
    answer is ``parse_many``'s even where the vectorized checks are stricter.
    """
    entry = entry_of(kind)
    codes = kind_codes(texts, entry)
    for name in _SEMANTIC_CHECKS:
        check = _KINDS[name][0]
        rows = np.nonzero(codes == _KIND_CODE[name])[0]
        if check is None or not len(rows):
            continue
        failed = rows[~check(texts.take(pa.array(rows)))]
        if len(failed):
            samples = texts.take(pa.array(failed)).to_pylist()
            exact = _exact_rows(samples, kind, None, False)
            codes[failed] = [_KIND_CODE[r["kind"]] if r["valid"] else -1 for r in exact]
    return codes
