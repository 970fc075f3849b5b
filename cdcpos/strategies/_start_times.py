"""``CdcStartTime`` values, valid and invalid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos.strategies._grammar import (
    _MAX_INSTANT,
)
from cdcpos.strategies._invalid import (
    _near_misses,
    _rejects,
)

# ====================================================================== CdcStartTime

# The last instant CdcStartTime can name (epoch seconds, as DMS receives it).
_LAST_SECOND = int(
    (_MAX_INSTANT.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
)
# Offsets stay a day inside the datetime range, so converting to UTC never leaves it.
_FIRST_START = datetime(1970, 1, 1)
_LAST_START = _MAX_INSTANT - timedelta(days=1)


def _offsets() -> SearchStrategy[timezone]:
    return st.builds(
        timezone,
        st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
            lambda m: timedelta(minutes=m)
        ),
    )


def start_times() -> SearchStrategy[Any]:
    """Every ``CdcStartTime`` form :func:`cdcpos.parse_start_time` accepts, from 1970 on:

    naive (UTC) and aware ``datetime``, ``date``, epoch seconds as ``int``, ``float``,
    ``Decimal`` or decimal text, and ISO 8601 text (``Z``, an offset, or a bare date).

    >>> import cdcpos
    >>> from datetime import UTC
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.start_times())
    ... def test(t):
    ...     read = cdcpos.parse_start_time(t)
    ...     assert read.tzinfo is UTC and read.year >= 1970
    >>> test()
    """
    naive = st.datetimes(min_value=_FIRST_START, max_value=_LAST_START)
    # A day's margin, so that no offset takes an instant before 1970 in UTC.
    wall = st.datetimes(min_value=_FIRST_START + timedelta(days=1), max_value=_LAST_START)
    aware = st.builds(lambda d, tz: d.replace(tzinfo=tz), wall, _offsets())
    seconds = st.integers(min_value=0, max_value=_LAST_SECOND)
    iso = st.one_of(
        aware.map(lambda d: d.isoformat()),
        aware.map(lambda d: d.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"),
        naive.map(lambda d: d.date().isoformat()),
    )
    return st.one_of(
        naive,
        aware,
        st.dates(min_value=_FIRST_START.date(), max_value=_LAST_START.date()),
        seconds,
        st.floats(min_value=0, max_value=_LAST_SECOND, allow_nan=False),
        st.decimals(min_value=0, max_value=_LAST_SECOND, places=3, allow_nan=False),
        seconds.map(str),
        iso,
    )


def invalid_start_times() -> SearchStrategy[Any]:
    """``CdcStartTime`` values cdcpos rejects with :class:`InvalidPosition`: near misses
    of valid text, epoch milliseconds (the CloudFormation trap), non-finite numbers.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.invalid_start_times())
    ... def test(t):
    ...     try:
    ...         cdcpos.parse_start_time(t)
    ...     except cdcpos.InvalidPosition:
    ...         pass
    ...     else:
    ...         raise AssertionError(f"accepted {t!r}")
    >>> test()
    """
    texts = start_times().filter(lambda t: isinstance(t, str))
    milliseconds = st.integers(min_value=_LAST_SECOND + 1, max_value=_LAST_SECOND * 1000)
    return st.one_of(
        milliseconds,
        st.sampled_from([float("nan"), float("inf"), float("-inf"), Decimal("NaN")]),
        _near_misses(texts).filter(_rejects(cdcpos.parse_start_time)),
    )
