"""Which kind each row has: the entry points, the portable patterns, and ``classify``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import cdcpos
from cdcpos import _fastpath
from cdcpos._bulk import _KIND_ALIASES, _entry_of
from cdcpos._columnar.encode import _np
from cdcpos._columnar.exact import _exact_rows
from cdcpos._columnar.scan import contains_triple, counts_in, field_bounds, long_digit_runs
from cdcpos._columnar.schema import _KIND_CODE
from cdcpos._columnar.threads import map_slices
from cdcpos._columnar.values import _KINDS
from cdcpos._rules import CHECKPOINT_POSITION_KINDS, entry_rows

#: The most rows one call of the vectorized path takes: a larger batch is cut (its
#: temporaries, a few per byte, then stay within a few hundred megabytes).
BATCH_ROWS = 1 << 18

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
    return entry_rows(_fastpath.PORTABLE_KIND_PATTERNS, entry)


def _one_engine_checkpoints(pattern: str) -> tuple[tuple[str, str], ...]:
    """The checkpoint expression narrowed to what needs no check beyond it:
    ``(position kind, expression)`` for the first position terminal (PostgreSQL), then
    ``("", expression)`` for all the known ones (the position kind not known).

    A checkpoint the grammar accepts is still rejected when its two positions are of two
    engines, or when a binlog number in it passes 2**64-1.  Each expression accepts a
    subset of ``pattern``'s strings: those whose position matches one known position
    terminal and whose second position is ``*`` or matches the same terminal (the known
    terminals exclude each other, so both positions are of that kind), with position
    numbers (``[0-9]+``) of at most 19 digits.  Those are valid checkpoints by the
    expression alone, and their position kind is known.  No opaque position: every field
    matches the opaque terminal, a known kind's field too (with a number too long for the
    narrowed terminal, say).  The others (rare) are matched by ``pattern`` and checked.

    The expressions are cut from ``pattern`` itself: its two position slots are the
    alternation of ``PORTABLE_CHECKPOINT_POSITION_PATTERNS`` (asserted).
    """
    terminals = {
        name: "(?:" + p.removeprefix("^(?:").removesuffix(")$") + ")"
        for name, p in _fastpath.PORTABLE_CHECKPOINT_POSITION_PATTERNS
    }
    slot = "(?:" + "|".join(terminals.values()) + ")"
    head, first_rest = pattern.split(slot, 1)
    between, second_rest = first_rest.split(slot, 1)
    none = "|(?:\\*))"  # the second slot is ``(?:<slot>|(?:\*))``
    assert between.endswith("(?:") and second_rest.startswith(none), "an unexpected shape"
    between, tail = between.removesuffix("(?:"), second_rest.removeprefix(none)
    known = [(CHECKPOINT_POSITION_KINDS[name], t) for name, t in terminals.items()]
    pairs = [(kind, t + between + "(?:" + t + none) for kind, t in known if kind != "opaque"]

    def narrowed(alternatives: str) -> str:
        return (head + "(?:" + alternatives + ")" + tail).replace("[0-9]+", "[0-9]{1,19}")

    return ((pairs[0][0], narrowed(pairs[0][1])), ("", narrowed("|".join(p for _, p in pairs))))


_ONE_ENGINE: dict[str, tuple[tuple[str, str], ...]] = {}


@dataclass
class Kinds:
    """What the portable expressions say of each row of a batch."""

    codes: np.ndarray  # the kind code (-1: no expression matches)
    proven: np.ndarray  # a checkpoint that ``_one_engine_checkpoints`` proved valid
    positions: np.ndarray  # the position kind code of a checkpoint, where known (else -1)


def kind_codes(texts: pa.Array, entry: str) -> np.ndarray:
    """The kind code of each row by the portable expressions alone (-1: none matches)."""
    return kinds_of(texts, entry).codes


def kinds_of(
    texts: pa.Array, entry: str, *, with_positions: bool = False, first_rule_only: bool = False
) -> Kinds:
    """The kinds of a batch by the portable expressions.

    An expression runs only on the rows that pass its cheap necessary conditions (length
    and literal prefix, from ``_fastpath.PORTABLE_KIND_HINTS``) and that no earlier rule
    took, which saves most of the regular-expression work and changes no answer.  A
    checkpoint, always its entry's first rule, is tried with ``_one_engine_checkpoints``
    first and with its whole expression only on the rows those reject; the rows it leaves
    that a later rule may take are then copied out once, so the later rules' masks and
    filters are over those rows, not the whole batch.  ``with_positions`` finds the
    PostgreSQL checkpoints' position kind too (the others' stays -1); ``first_rule_only``
    stops after the entry's first rule (``is_valid`` runs the others as one expression).
    """
    n = len(texts)
    codes = np.full(n, -1, np.int8)
    proven = np.zeros(n, bool)
    positions = np.full(n, -1, np.int8)
    # Bytes, not characters: the grammar accepts printable ASCII only, so a row that
    # matches has as many of each, and MAX_LENGTH bytes hold at least as many characters.
    length = _np(pc.fill_null(pc.binary_length(texts), -1))
    undecided = (length >= 0) & (length <= cdcpos.MAX_LENGTH)
    rules = kind_patterns(entry)
    if rules[0][0] == "checkpoint":
        _checkpoints(
            texts, length, undecided, rules[0][1], with_positions, codes, proven, positions
        )
        rules = rules[1:]
    else:
        _later_kinds(texts, length, undecided, rules[:1], codes)
        rules = rules[1:]
    if first_rule_only or not rules:
        return Kinds(codes, proven, positions)
    hints = [_fastpath.PORTABLE_KIND_HINTS[rule] for rule, _ in rules]
    keep = undecided & (length >= min(h[0] for h in hints))
    if all(h[1] is not None for h in hints):
        keep &= length <= max(h[1] or 0 for h in hints)
    rows = np.flatnonzero(keep)
    if 4 * len(rows) > 3 * n:  # nearly all the rows: no copy
        _later_kinds(texts, length, keep, rules, codes)
    elif len(rows):
        found = np.full(len(rows), -1, np.int8)
        everyone = np.ones(len(rows), bool)
        _later_kinds(texts.filter(pa.array(keep)), length[rows], everyone, rules, found)
        codes[rows] = found
    return Kinds(codes, proven, positions)


def _matches(texts: pa.Array, candidate: np.ndarray, pattern: str, prefix: str) -> np.ndarray:
    """The candidate rows ``pattern`` matches (``prefix``: a literal every match starts with)."""
    n = len(texts)
    rows: np.ndarray = np.flatnonzero(candidate)
    if (2 if prefix else 4) * len(rows) > (1 if prefix else 3) * n:
        # Most rows: the expression on the whole column costs less than copying them
        # out first, where it fails fast on the others (their literal prefix differs).
        # Without a prefix, only when nearly all rows are candidates: the others may
        # fail late (a hex LSN reads as a binlog file name up to its '/'; measured on
        # native positions, 13 % of the kinds' time).
        found = _np(pc.fill_null(pc.match_substring_regex(texts, pattern), False))
        return np.flatnonzero(found & candidate)
    if not len(rows):
        return rows
    subset = texts.filter(pa.array(candidate))
    if prefix:  # tested on the candidates only (a pass over the whole column is ~20 ns a row)
        keep = _np(pc.starts_with(subset, prefix))
        if not keep.all():
            rows = rows[keep]
            if not len(rows):
                return rows
            subset = subset.filter(pa.array(keep))
    matched: np.ndarray = rows[_np(pc.match_substring_regex(subset, pattern))]
    return matched


def _later_kinds(
    texts: pa.Array,
    length: np.ndarray,
    undecided: np.ndarray,
    rules: tuple[tuple[str, str], ...],
    codes: np.ndarray,
) -> None:
    """Write the code of the first of ``rules`` that matches each ``undecided`` row."""
    for kind, pattern in rules:
        if not undecided.any():
            break
        shortest, longest, prefix, _ = _fastpath.PORTABLE_KIND_HINTS[kind]
        candidate = undecided & (length >= shortest)
        if longest is not None:
            candidate &= length <= longest
        matched = _matches(texts, candidate, pattern, prefix)
        codes[matched] = _KIND_CODE[kind]
        undecided[matched] = False


def _checkpoints(
    texts: pa.Array,
    length: np.ndarray,
    undecided: np.ndarray,
    pattern: str,
    with_positions: bool,
    codes: np.ndarray,
    proven: np.ndarray,
    positions: np.ndarray,
) -> None:
    """The checkpoint rule (an entry's first): the narrowed expressions, then ``pattern``."""
    shortest, longest, prefix, _ = _fastpath.PORTABLE_KIND_HINTS["checkpoint"]
    candidate = undecided & (length >= shortest)
    if longest is not None:
        candidate &= length <= longest
    rows = np.flatnonzero(candidate)
    if prefix and 0 < 2 * len(rows) <= len(texts):
        # Few candidates: their prefix tested once for the three expressions below.
        keep = _np(pc.starts_with(texts.filter(pa.array(candidate)), prefix))
        candidate[rows[~keep]] = False
    if pattern not in _ONE_ENGINE:
        _ONE_ENGINE[pattern] = _one_engine_checkpoints(pattern)
    # With positions: the PostgreSQL expression first (a column of one engine needs no
    # more), then all known kinds over what it leaves.  Not one expression per position
    # kind: each costs about a whole pass over the rows it is given, even those it
    # rejects (measured: 20-70 ms per 180k rows).
    narrowed = _ONE_ENGINE[pattern] if with_positions else _ONE_ENGINE[pattern][1:]
    code = _KIND_CODE["checkpoint"]
    for position, expression in narrowed:
        matched = _matches(texts, candidate, expression, prefix)
        codes[matched] = code
        proven[matched] = True
        if position:
            positions[matched] = _KIND_CODE[position]
        candidate[matched] = False
        undecided[matched] = False
    matched = _matches(texts, candidate, pattern, prefix)
    codes[matched] = code
    undecided[matched] = False


# What a row of these kinds must also pass (the checks a regular grammar cannot express);
# classify sends the rows that may fail one to the exact path, which judges them.
_DATE_KINDS = ("date", "server_time", "commit_time", "db2_timestamp")
_MAX_U64_DIGITS = 19  # a longer decimal may pass 2**64-1 (the exact path says)


def _suspects(texts: pa.Array, codes: np.ndarray, proven: np.ndarray) -> np.ndarray:
    """Rows the portable expressions accept that may still be invalid (a superset).

    * a date, ``server_time``, ``commit_time`` or Db2 timestamp that is no real instant
      (the calendar check of ``values``, in numpy on the fixed-width text);
    * an SCN of 20 digits or more, a binlog position with a run of 20 digits (a number
      that may pass 2**64-1);
    * a checkpoint that ``_one_engine_checkpoints`` did not prove: with such a run, or
      with a second position (no ``#*#``: ``*`` is the only field that can be ``*``)
      unless both positions have the same number of ``:``, other than one (no ``:`` is a
      PostgreSQL LSN, two a SQL Server LSN, six a MySQL stream, or else opaque: one
      engine either way), as ``cdcpos``'s own check of a checkpoint says before it looks
      closer.
    """
    suspect = np.zeros(len(texts), bool)
    # The rows of each code, in order: one stable sort of the codes (a radix sort of
    # bytes) instead of a mask, its nonzero and a filter over the whole batch per kind.
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(-1, len(_KIND_CODE) + 1))

    def rows_of(name: str, among: np.ndarray | None = None) -> tuple[np.ndarray, pa.Array | None]:
        code = _KIND_CODE[name]
        rows = order[bounds[code + 1] : bounds[code + 2]]
        if among is not None:
            rows = rows[among[rows]]
        return rows, (texts.take(pa.array(rows)) if len(rows) else None)

    for name in _DATE_KINDS:
        rows, subset = rows_of(name)
        if subset is not None:
            check = _KINDS[name][0]
            assert check is not None
            suspect[rows[~check(subset)]] = True
    rows, subset = rows_of("oracle_scn")
    if subset is not None:
        suspect[rows[_np(pc.binary_length(subset)) > _MAX_U64_DIGITS]] = True
    rows, subset = rows_of("mysql_binlog")
    if subset is not None:
        suspect[rows[long_digit_runs(subset)]] = True
    rows, subset = rows_of("checkpoint", ~proven)
    if subset is not None:
        suspect[rows[long_digit_runs(subset)]] = True
        second = ~contains_triple(subset, "#", "*")
        if second.any():
            pairs = subset.filter(pa.array(second))
            starts, ends = field_bounds(pairs, "#", 8)
            first_colons = counts_in(pairs, ":", starts[:, 2], ends[:, 2])
            second_colons = counts_in(pairs, ":", starts[:, 5], ends[:, 5])
            one_engine = (first_colons != 1) & (first_colons == second_colons)
            suspect[rows[second][~one_engine]] = True
    return suspect


def classify(texts: pa.Array, *, kind: str | None = None) -> np.ndarray:
    """The kind code of every row (-1: invalid or null), as ``parse_many(kind=kind)`` says.

    The portable expressions decide, except for the rows that may fail a check the
    grammar cannot express (``_suspects``): those are asked of the exact path, so the
    answer is ``parse_many``'s.  A large batch is split over threads (``threads``);
    ``texts`` is a ``string``, ``large_string`` or ``string_view`` array.
    """
    entry = entry_of(kind)
    parts = map_slices(texts, lambda part: _classify(part, entry, kind), most=BATCH_ROWS)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _classify(texts: pa.Array, entry: str, kind: str | None) -> np.ndarray:
    found = kinds_of(texts, entry)
    codes = found.codes
    asked = np.flatnonzero(_suspects(texts, codes, found.proven))
    if len(asked):
        samples = texts.take(pa.array(asked)).to_pylist()
        exact = _exact_rows(samples, kind, None, False)
        codes[asked] = [_KIND_CODE[r["kind"]] if r["valid"] else -1 for r in exact]
    return codes


# ---------------------------------------------------------------- validity alone


def _union(patterns: list[str]) -> str:
    """One expression matching what any of ``patterns`` (each ``^(?:...)$``) matches."""
    assert all(p.startswith("^") and p.endswith("$") for p in patterns), "unanchored"
    return "^(?:" + "|".join(p[1:-1] for p in patterns) + ")$"


def is_valid(texts: pa.Array, *, kind: str | None = None) -> np.ndarray:
    """Whether each row parses (``parse_many(kind=kind)`` accepts it; False for a null).

    ``classify >= 0`` without the kinds: the entry's first rule (a checkpoint) runs as
    in ``classify``, then the other rules run as *one* expression, their alternation,
    over the rows left (one regular-expression pass a row instead of one per rule it is
    tried against: each pass costs RE2 50-150 ns a row, even one it rejects).  The checks
    beyond the grammar then only need which rows *may* be of a kind that has one: a
    date kind by its fixed length and literal prefix (the calendar check runs on every
    such row, whichever rule matched it), a number that may pass 2**64-1 by a run of 20
    digits in any row the alternation matched; those rows go to the exact path.  A large
    batch is split over threads (``threads``); ``texts`` is a ``string``,
    ``large_string`` or ``string_view`` array.
    """
    entry = entry_of(kind)
    parts = map_slices(texts, lambda part: _is_valid(part, entry, kind), most=BATCH_ROWS)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _is_valid(texts: pa.Array, entry: str, kind: str | None) -> np.ndarray:
    n = len(texts)
    rules = kind_patterns(entry)
    head = 1 if rules[0][0] == "checkpoint" else 0
    if head:
        found = kinds_of(texts, entry, first_rule_only=True)
        codes, proven = found.codes, found.proven
    else:
        codes, proven = np.full(n, -1, np.int8), np.zeros(n, bool)
    valid = codes >= 0
    suspect = _suspects(texts, codes, proven)  # the checkpoints the narrowing left
    others = rules[head:]
    if others:
        valid |= _others_valid(texts, codes, others, suspect)
    asked = np.flatnonzero(suspect & valid)
    if len(asked):
        samples = texts.take(pa.array(asked)).to_pylist()
        valid[asked] = [row["valid"] for row in _exact_rows(samples, kind, None, False)]
    return valid


def _others_valid(
    texts: pa.Array, codes: np.ndarray, others: tuple[tuple[str, str], ...], suspect: np.ndarray
) -> np.ndarray:
    """The rows no rule before ``others`` took that one of ``others`` matches, marking in
    ``suspect`` those that may fail a check beyond the grammar.  Unless nearly all rows
    are candidates, they are copied out once and checked there (masks and filters over
    the candidates, not the batch)."""
    n = len(texts)
    length = _np(pc.fill_null(pc.binary_length(texts), -1))
    hints = [_fastpath.PORTABLE_KIND_HINTS[rule] for rule, _ in others]
    candidate = (codes < 0) & (length >= min(h[0] for h in hints))
    candidate &= length <= cdcpos.MAX_LENGTH
    if all(h[1] is not None for h in hints):
        candidate &= length <= max(h[1] or 0 for h in hints)
    union = _union([pattern for _, pattern in others])
    rows = np.flatnonzero(candidate)
    if 4 * len(rows) > 3 * n:
        matched = _np(pc.fill_null(pc.match_substring_regex(texts, union), False)) & candidate
        _mark_suspects(texts, length, matched, others, hints, suspect)
        return matched
    matched = np.zeros(n, bool)
    if len(rows):
        subset = texts.filter(pa.array(candidate))
        found = _np(pc.match_substring_regex(subset, union))
        flagged = np.zeros(len(rows), bool)
        _mark_suspects(subset, length[rows], found, others, hints, flagged)
        matched[rows[found]] = True
        suspect[rows[flagged]] = True
    return matched


def _mark_suspects(
    texts: pa.Array,
    length: np.ndarray,
    matched: np.ndarray,
    others: tuple[tuple[str, str], ...],
    hints: list[tuple[int, int | None, str, str]],
    suspect: np.ndarray,
) -> None:
    """Mark the ``matched`` rows that may fail a check beyond the grammar (``_others_valid``)."""
    for (rule, _), (shortest, longest, prefix, _) in zip(others, hints, strict=True):
        if rule not in _DATE_KINDS:
            continue
        assert shortest == longest, "a date kind of variable length"
        maybe = matched & (length == shortest)
        at = np.flatnonzero(maybe)
        if not len(at):
            continue
        subset = texts.filter(pa.array(maybe))
        if prefix:  # on these rows only (a pass over the whole column is ~20 ns a row)
            keep = _np(pc.starts_with(subset, prefix))
            at, subset = at[keep], subset.filter(pa.array(keep))
        if len(at):
            check = _KINDS[rule][0]
            assert check is not None
            suspect[at[~check(subset)]] = True
    long = matched & (length > _MAX_U64_DIGITS)
    at = np.flatnonzero(long)
    if len(at):
        suspect[at[long_digit_runs(texts.filter(pa.array(long)))]] = True
