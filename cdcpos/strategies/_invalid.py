"""Near misses: one edit away from a valid string, rejected by cdcpos."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos.strategies._checkpoints import checkpoint_strings
from cdcpos.strategies._grammar import (
    _CLASSES,
    _ENTRY_PARSERS,
    _check_kind,
)
from cdcpos.strategies._pasted import _unicode_spaces
from cdcpos.strategies._strings import (
    db2_start_from_context_strings,
    position_strings,
    start_position_strings,
    stop_position_strings,
    strings,
)

# ====================================================================== near misses

# Characters an edit may bring in: the ASCII the formats are made of, and what hostile
# or pasted input carries (non-ASCII digits, NUL, a lone surrogate, BOM, every kind of
# space, line breaks, typographic quotes).
_HOSTILE = (
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\u00b2\u00b9\u2070",  # superscripts
    "\uff10\U0001d7d9",  # fullwidth and mathematical digits
    "_\x00\ud800\udfff\ufeff\r\n\t",
    "\u201c\u201d\u2018\u2019\u00ab\u00bb",
    "\u0130\u212a\u017f",  # letters whose case mapping lands in ASCII
)


@cache  # drawn from on every edit: built once
def _edit_characters() -> SearchStrategy[str]:
    return st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("".join(_HOSTILE)),
        st.sampled_from(_unicode_spaces()),
        st.characters(),
    )


def _near_misses(valid: SearchStrategy[str]) -> SearchStrategy[str]:
    """One edit of a valid string: a character inserted, deleted, replaced or two swapped."""

    @st.composite
    def edit(draw: st.DrawFn) -> str:
        text = draw(valid)
        operation = draw(st.sampled_from(("insert", "delete", "replace", "swap")))
        if operation == "insert" or not text:
            at = draw(st.integers(min_value=0, max_value=len(text)))
            return text[:at] + draw(_edit_characters()) + text[at:]
        at = draw(st.integers(min_value=0, max_value=len(text) - 1))
        if operation == "delete":
            return text[:at] + text[at + 1 :]
        if operation == "replace":
            return text[:at] + draw(_edit_characters()) + text[at + 1 :]
        if at + 1 >= len(text):
            return text[:at]
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]

    return edit()


def _rejects(parse: Callable[[Any], object]) -> Callable[[Any], bool]:
    def rejected(text: Any) -> bool:
        try:
            parse(text)
        except cdcpos.InvalidPosition:
            return True
        return False

    return rejected


def invalid_strings(kind: str) -> SearchStrategy[str]:
    """Near misses of one kind: one edit away from a valid string, rejected by its class.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.invalid_strings("postgres_lsn"))
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.PostgresLsn(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    cls = _CLASSES[_check_kind(kind)]
    return _near_misses(strings(kind)).filter(_rejects(cls))


def _invalid_entry(entry: str, valid: SearchStrategy[str]) -> SearchStrategy[str]:
    return _near_misses(valid).filter(_rejects(_ENTRY_PARSERS[entry]))


def invalid_start_position_strings() -> SearchStrategy[str]:
    """Near misses of ``CdcStartPosition`` strings that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.invalid_start_position_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_start_position(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("start_position", start_position_strings())


def invalid_stop_position_strings() -> SearchStrategy[str]:
    """Near misses of ``CdcStopPosition`` strings that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.invalid_stop_position_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_stop_position(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("stop_position", stop_position_strings())


def invalid_checkpoint_strings() -> SearchStrategy[str]:
    """Near misses of recovery checkpoints that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.invalid_checkpoint_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_checkpoint(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("checkpoint", checkpoint_strings())


def invalid_db2_start_from_context_strings() -> SearchStrategy[str]:
    """Near misses of Db2 LUW ``StartFromContext`` strings that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.invalid_db2_start_from_context_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_db2_start_from_context(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("db2_start_from_context", db2_start_from_context_strings())


def invalid_position_strings() -> SearchStrategy[str]:
    """Near misses that :func:`cdcpos.parse` rejects.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.invalid_position_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("any", position_strings())
