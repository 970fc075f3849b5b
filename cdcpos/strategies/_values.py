"""Values of every kind, and the strategies ``st.from_type`` resolves to."""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos._positions.base import Position
from cdcpos._positions.times import _Instant
from cdcpos.strategies._checkpoints import checkpoint_strings
from cdcpos.strategies._grammar import (
    _CLASSES,
    KINDS,
    _check_kind,
    _instants,
)
from cdcpos.strategies._strings import (
    db2_start_from_context_strings,
    start_position_strings,
    strings,
)

# ====================================================================== values


def values(kind: str) -> SearchStrategy[Position]:
    """Values of one kind (``'postgres_lsn'``, ``'checkpoint'``, ... see :data:`KINDS`).

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.values("oracle_scn"))
    ... def test(v):
    ...     assert v.kind == "oracle_scn" and 0 <= int(v) < 2**64
    >>> test()
    """
    _check_kind(kind)
    return _values(kind)


@cache
def _values(kind: str) -> SearchStrategy[Position]:
    cls = _CLASSES[kind]
    if issubclass(cls, _Instant):
        return _instants().map(cls)
    if kind == "checkpoint":
        return checkpoint_strings().map(cdcpos.parse_checkpoint)
    return strings(kind).map(cls)


def dates() -> SearchStrategy[cdcpos.DatePosition]:
    """Date positions (``2018-03-08T12:12:12``, UTC), from year 1 to 9999.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.dates())
    ... def test(d):
    ...     assert d.kind == "date" and d.value.microsecond == 0 and d.value.tzinfo is None
    ...     assert cdcpos.DatePosition(str(d)) == d
    >>> test()
    """
    return values("date")  # type: ignore[return-value]


def server_times() -> SearchStrategy[cdcpos.ServerTime]:
    """``server_time:`` stop positions.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.server_times())
    ... def test(v):
    ...     assert str(v).startswith("server_time:") and v.clock == "server_time"
    >>> test()
    """
    return values("server_time")  # type: ignore[return-value]


def commit_times() -> SearchStrategy[cdcpos.CommitTime]:
    """``commit_time:`` stop positions.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.commit_times())
    ... def test(v):
    ...     assert str(v).startswith("commit_time:") and v.clock == "commit_time"
    >>> test()
    """
    return values("commit_time")  # type: ignore[return-value]


def stop_positions() -> SearchStrategy[cdcpos.StopPosition]:
    """Stop positions of either clock.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.stop_positions())
    ... def test(v):
    ...     assert isinstance(v, cdcpos.StopPosition)
    ...     assert cdcpos.parse_stop_position(str(v)) == v
    >>> test()
    """
    return st.one_of(server_times(), commit_times())


def postgres_lsns() -> SearchStrategy[cdcpos.PostgresLsn]:
    """PostgreSQL LSNs, over the whole 64-bit range.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.postgres_lsns())
    ... def test(lsn):
    ...     assert 0 <= int(lsn) < 2**64 and cdcpos.PostgresLsn(str(lsn)) == lsn
    >>> test()
    """
    return values("postgres_lsn")  # type: ignore[return-value]


def sqlserver_lsns() -> SearchStrategy[cdcpos.SqlServerLsn]:
    """SQL Server LSNs, over the whole 80-bit range.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.sqlserver_lsns())
    ... def test(lsn):
    ...     assert 0 <= int(lsn) < 2**80 and str(lsn) == str(lsn).lower()
    ...     assert int(lsn) == lsn.virtual_log_file << 48 | lsn.block << 16 | lsn.slot
    >>> test()
    """
    return values("sqlserver_lsn")  # type: ignore[return-value]


def oracle_scns() -> SearchStrategy[cdcpos.OracleScn]:
    """Oracle SCNs, 0 to 2**64-1.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.oracle_scns())
    ... def test(scn):
    ...     assert 0 <= int(scn) < 2**64 and str(scn) == str(int(scn))
    >>> test()
    """
    return values("oracle_scn")  # type: ignore[return-value]


def mysql_binlog_positions() -> SearchStrategy[cdcpos.MySqlBinlogPosition]:
    """MySQL/MariaDB binlog positions (``mysql-bin-changelog.000024:373``) of any stem.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.mysql_binlog_positions())
    ... def test(p):
    ...     assert p.file == f"{p.stem}.{p.file.rpartition('.')[2]}"
    ...     assert str(p) == f"{p.file}:{p.offset}"
    >>> test()
    """
    return values("mysql_binlog")  # type: ignore[return-value]


def mysql_stream_positions() -> SearchStrategy[cdcpos.MySqlStreamPosition]:
    """The 7-field MySQL positions found inside checkpoints.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.mysql_stream_positions())
    ... def test(p):
    ...     assert p.kind == "mysql_stream" and p.transaction_id >= 0
    ...     assert cdcpos.MySqlStreamPosition(str(p)) == p
    >>> test()
    """
    return values("mysql_stream")  # type: ignore[return-value]


def oracle_stream_positions() -> SearchStrategy[cdcpos.OracleStreamPosition]:
    """The Oracle-shaped positions found inside checkpoints.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.oracle_stream_positions())
    ... def test(p):
    ...     assert len(p.groups) == 9 and cdcpos.OracleStreamPosition(str(p)) == p
    >>> test()
    """
    return values("oracle_stream")  # type: ignore[return-value]


def opaque_positions() -> SearchStrategy[cdcpos.OpaquePosition]:
    """Checkpoint positions of engines cdcpos does not know (kept as text).

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.opaque_positions())
    ... def test(p):
    ...     assert p.kind == "opaque" and "#" not in str(p)
    >>> test()
    """
    return values("opaque")  # type: ignore[return-value]


def db2_lris() -> SearchStrategy[cdcpos.Db2Lri]:
    """Db2 LUW LRIs (34 hex digits).

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.db2_lris())
    ... def test(lri):
    ...     assert lri.kind == "db2_lri" and 0 <= int(lri) < 16**34
    >>> test()
    """
    return values("db2_lri")  # type: ignore[return-value]


def db2_timestamps() -> SearchStrategy[cdcpos.Db2Timestamp]:
    """Db2 LUW ``timestamp:<date>`` contexts.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.db2_timestamps())
    ... def test(v):
    ...     assert str(v).startswith("timestamp:")
    >>> test()
    """
    return values("db2_timestamp")  # type: ignore[return-value]


def db2_nows() -> SearchStrategy[cdcpos.Db2Now]:
    """The Db2 LUW ``NOW`` context (one value).

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=3, deadline=None, derandomize=True)
    ... @given(strategies.db2_nows())
    ... def test(v):
    ...     assert v == cdcpos.Db2Now() and str(v) == "NOW"
    >>> test()
    """
    return values("db2_now")  # type: ignore[return-value]


def db2_start_from_contexts() -> SearchStrategy[Position]:
    """Any Db2 LUW ``StartFromContext`` value.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.db2_start_from_contexts())
    ... def test(v):
    ...     assert cdcpos.parse_db2_start_from_context(str(v)) == v
    >>> test()
    """
    return db2_start_from_context_strings().map(cdcpos.parse_db2_start_from_context)


def start_positions() -> SearchStrategy[Position]:
    """Any ``CdcStartPosition`` value: a date, a checkpoint or a native position.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.start_positions())
    ... def test(v):
    ...     assert cdcpos.parse_start_position(str(v)) == v
    >>> test()
    """
    return start_position_strings().map(cdcpos.parse_start_position)


def positions() -> SearchStrategy[Position]:
    """Values of every kind, the checkpoint-only ones included.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.positions())
    ... def test(v):
    ...     assert v.kind in strategies.KINDS and type(v)(str(v)) == v
    >>> test()
    """
    return st.one_of([values(kind) for kind in KINDS])


def values_of_type(cls: type[Any]) -> SearchStrategy[Any]:
    """The strategy ``st.from_type(cls)`` resolves to, for a cdcpos value class.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.values_of_type(cdcpos.StopPosition))
    ... def test(v):
    ...     assert isinstance(v, cdcpos.StopPosition)
    >>> test()
    """
    if cls is Position:
        return positions()
    if cls is cdcpos.StopPosition:
        return stop_positions()
    kind = getattr(cls, "kind", None)
    if kind in _CLASSES and _CLASSES[kind] is cls:
        return values(kind)
    raise TypeError(f"cdcpos has no strategy for {cls!r}")
