"""What pasting does to a value (accepted only with ``lenient=True``)."""

from __future__ import annotations

import sys
from functools import cache

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from cdcpos._parse import normalize_lenient


def pasted(texts: SearchStrategy[str]) -> SearchStrategy[str]:
    """What pasting does to a value: whitespace, quotes (also typographic), a space after
    ``server_time:``.  cdcpos accepts the result only with ``lenient=True``.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.pasted(strategies.stop_position_strings()))
    ... def test_pasted(text):
    ...     value = cdcpos.parse_stop_position(text, lenient=True)
    ...     assert value.clock in ("server_time", "commit_time")
    ...     try:
    ...         cdcpos.parse_stop_position(text)
    ...     except cdcpos.InvalidPosition:
    ...         pass
    ...     else:
    ...         raise AssertionError(f"accepted without lenient=True: {text!r}")
    >>> test_pasted()

    ``texts`` must be a strategy (Hypothesis's ``InvalidArgument`` otherwise, when the
    strategy is built, as Hypothesis's own strategies do).
    """
    if not isinstance(texts, SearchStrategy):
        raise InvalidArgument(
            f"pasted(texts) takes a strategy of strings, not {type(texts).__name__} "
            f"(wrap a fixed text in st.just(...))"
        )

    @st.composite
    def paste(draw: st.DrawFn) -> str:
        original = draw(texts)
        text = original
        if ":" in text and draw(st.booleans()):
            head, _, tail = text.partition(":")
            text = head + ":" + draw(_whitespace(1)) + tail
            if normalize_lenient(text) != normalize_lenient(original):
                text = original  # only the clock of a stop position takes that space
        if draw(st.booleans()):
            opening, closing = draw(st.sampled_from(_QUOTE_PAIRS))
            text = opening + text + closing
        text = draw(_whitespace(0)) + text + draw(_whitespace(0))
        return text

    return paste().filter(lambda s: s != "" and normalize_lenient(s) != s)


def _whitespace(min_size: int) -> SearchStrategy[str]:
    return st.text(st.sampled_from(_unicode_spaces()), min_size=min_size, max_size=3)


@cache
def _unicode_spaces() -> tuple[str, ...]:
    """Every character ``str.isspace`` calls whitespace (what pasting brings along)."""
    return tuple(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


_QUOTE_PAIRS = (('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("\u2018", "\u2019"))
