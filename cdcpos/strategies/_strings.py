"""Strings cdcpos accepts: one kind at a time, or whole fields."""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from cdcpos._parse import RULE_CLASSES
from cdcpos.strategies._checkpoints import checkpoint_strings
from cdcpos.strategies._grammar import (
    _check_kind,
    _from_grammar,
    _parsed_kind,
    _position_tokens,
)


def strings(kind: str, *, canonical: bool = False) -> SearchStrategy[str]:
    """Strings of one kind of value that cdcpos accepts.

    With ``canonical=True``, only the canonical spelling (``str()`` of a value); else
    every spelling the grammar accepts for that kind (``000004af/b00000d0`` as well as
    ``4AF/B00000D0``).  Checkpoint-only kinds (``mysql_stream``, ``oracle_stream``,
    ``opaque``) give the text of a checkpoint's position field, which their class
    constructor reads.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.strings("postgres_lsn"))
    ... def test(s):
    ...     assert cdcpos.PostgresLsn(s) == cdcpos.PostgresLsn(s.upper())
    ...     assert str(cdcpos.PostgresLsn(s)) == str(cdcpos.PostgresLsn(s)).upper()
    >>> test()
    """
    _check_kind(kind)
    if canonical:
        from cdcpos.strategies._values import values  # values are built from strings

        return values(kind).map(str)
    if kind == "checkpoint":
        return checkpoint_strings()  # one engine per checkpoint, which the grammar cannot say
    if kind in RULE_CLASSES:
        return _rule_kind_strings(kind)
    return _position_tokens(kind)


@cache
def _rule_kind_strings(kind: str) -> SearchStrategy[str]:
    return _from_grammar(kind).filter(lambda s: _parsed_kind(s) == kind)


def start_position_strings() -> SearchStrategy[str]:
    """Every ``CdcStartPosition`` string cdcpos accepts: dates, checkpoints, native positions.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.start_position_strings())
    ... def test(s):
    ...     value = cdcpos.parse_start_position(s)
    ...     assert cdcpos.parse_start_position(str(value)) == value
    >>> test()
    """
    # Checkpoints come from checkpoint_strings (one engine per checkpoint, which the
    # grammar alone cannot say); everything else straight from the grammar.
    others = _from_grammar("start_position").filter(lambda s: not s.startswith("checkpoint:"))
    return st.one_of(others, checkpoint_strings())


def stop_position_strings() -> SearchStrategy[str]:
    """``server_time:<date>`` and ``commit_time:<date>`` strings (real calendar instants).

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.stop_position_strings())
    ... def test(s):
    ...     assert cdcpos.parse_stop_position(s).clock in ("server_time", "commit_time")
    ...     assert str(cdcpos.parse_stop_position(s)) == s
    >>> test()
    """
    return _from_grammar("stop_position")


def db2_start_from_context_strings() -> SearchStrategy[str]:
    """Db2 LUW ``StartFromContext`` strings: ``timestamp:<date>``, ``NOW`` or an LRI.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.db2_start_from_context_strings())
    ... def test(s):
    ...     value = cdcpos.parse_db2_start_from_context(s)
    ...     assert value.kind in ("db2_timestamp", "db2_now", "db2_lri")
    >>> test()
    """
    return _from_grammar("db2_start_from_context")


def position_strings() -> SearchStrategy[str]:
    """Every string :func:`cdcpos.parse` accepts: a start or a stop position.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.position_strings())
    ... def test(s):
    ...     assert cdcpos.parse(str(cdcpos.parse(s))) == cdcpos.parse(s)
    >>> test()
    """
    return st.one_of(start_position_strings(), stop_position_strings())
