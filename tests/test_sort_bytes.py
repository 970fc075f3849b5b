"""cdcpos.sort_bytes: byte order is sort_key order, in Python, sqlite3 and DuckDB.

The values come from cdcpos.strategies (every kind, pairs of one kind so that keys of
one domain meet, and pairs of any kinds), the encoding of the key's parts is checked on
its own (integers of any size and sign, any text, tuples of unequal length), and the
bytes are stored in real databases whose ``ORDER BY`` and ``MAX()`` must agree.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cdcpos
from cdcpos import strategies
from cdcpos._sort_bytes import _encode

from .examples import DB2_EXAMPLES, SPEC_EXAMPLES

# Small budgets in the fast suite; the ``slow`` twins at the end of this file draw 200
# (the databases 40).
_SETTINGS = settings(
    max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
_FEW = settings(_SETTINGS, max_examples=6)  # the properties that draw checkpoints or lists
_LONG = settings(_SETTINGS, max_examples=200)
_DATABASE = settings(_SETTINGS, max_examples=3)  # every example also stores _REAL
_DATABASE_LONG = settings(_SETTINGS, max_examples=40)

any_value = st.sampled_from(strategies.KINDS).flatmap(strategies.values)
same_kind_pair = st.sampled_from(strategies.KINDS).flatmap(
    lambda kind: st.tuples(strategies.values(kind), strategies.values(kind))
)
# Built once: a strategy per engine shape (building them per example is slow).
_CHECKPOINTS = {
    k: strategies.checkpoints(position_kind=k) for k in strategies.CHECKPOINT_POSITION_KINDS
}
same_engine_checkpoints = st.one_of([st.tuples(c, c) for c in _CHECKPOINTS.values()])


def assert_same_order(a: Any, b: Any) -> None:
    ka, kb = cdcpos.sort_key(a), cdcpos.sort_key(b)
    ba, bb = cdcpos.sort_bytes(a), cdcpos.sort_bytes(b)
    assert (ka < kb) == (ba < bb), (a, b)
    assert (ka == kb) == (ba == bb), (a, b)
    assert (ka > kb) == (ba > bb), (a, b)


@_SETTINGS
@given(pair=same_kind_pair)
def test_same_kind_pairs_order_as_sort_key(pair: tuple[Any, Any]) -> None:
    assert_same_order(*pair)


@_FEW
@given(pair=same_engine_checkpoints)
def test_checkpoints_of_one_engine_order_as_sort_key(pair: tuple[Any, Any]) -> None:
    assert_same_order(*pair)


@_SETTINGS
@given(a=any_value, b=any_value)
def test_mixed_kinds_order_as_sort_key(a: Any, b: Any) -> None:
    assert_same_order(a, b)


def check_sorting_by_bytes(values: list[Any]) -> None:
    by_key = sorted(values, key=cdcpos.sort_key)
    by_bytes = sorted(values, key=cdcpos.sort_bytes)
    assert [cdcpos.sort_key(v) for v in by_key] == [cdcpos.sort_key(v) for v in by_bytes]


@_FEW
@given(values=st.lists(any_value, max_size=12))
def test_sorting_by_bytes_is_sorting_by_key(values: list[Any]) -> None:
    check_sorting_by_bytes(values)


def test_domain_comes_first() -> None:
    # Every key starts with its domain: bytes of one domain are contiguous when sorted.
    values = [cdcpos.parse(s) for s, _ in SPEC_EXAMPLES]
    for value in values:
        domain = cdcpos.sort_key(value)[0]
        assert cdcpos.sort_bytes(value).startswith(b"\x06\x05" + domain.encode() + b"\x00\x00")


def test_equal_values_have_equal_bytes_however_spelled() -> None:
    assert cdcpos.sort_bytes(cdcpos.parse("000004af/b00000d0")) == cdcpos.sort_bytes(
        cdcpos.parse("4AF/B00000D0")
    )
    assert cdcpos.sort_bytes(cdcpos.parse("0/1")) != cdcpos.sort_bytes(cdcpos.parse("0/2"))


def test_not_a_value_is_a_type_error() -> None:
    for bad in ("0/1", 5, None, (1, 2)):
        with pytest.raises(TypeError):
            cdcpos.sort_bytes(bad)


# ---------------------------------------------------------------- the encoding itself


def encoded(item: Any) -> bytes:
    out = bytearray()
    _encode(item, out)
    return bytes(out)


def assert_encoding_order(a: Any, b: Any) -> None:
    assert (a < b) == (encoded(a) < encoded(b)), (a, b)
    assert (a == b) == (encoded(a) == encoded(b)), (a, b)


@_SETTINGS
@given(a=st.integers(), b=st.integers())
def test_integers_of_any_size_and_sign(a: int, b: int) -> None:
    assert_encoding_order(a, b)
    assert_encoding_order(a << 200, b)
    assert_encoding_order(-(a << 70), b << 65)


@_SETTINGS
@given(a=st.text(), b=st.text())
def test_any_text(a: str, b: str) -> None:
    assert_encoding_order(a, b)
    assert_encoding_order(a + "\x00", a)
    assert_encoding_order(a + "\x00" + b, a + b)


@_SETTINGS
@given(
    a=st.lists(st.tuples(st.integers(), st.text(max_size=3)), max_size=4).map(tuple),
    b=st.lists(st.tuples(st.integers(), st.text(max_size=3)), max_size=4).map(tuple),
)
def test_nested_tuples_of_unequal_length(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    assert_encoding_order(a, b)
    assert_encoding_order((a, 1), (a,))


@_SETTINGS
@given(a=st.datetimes(), b=st.datetimes())
def test_naive_datetimes(a: datetime, b: datetime) -> None:
    assert_encoding_order(a, b)


def test_none_and_unknown_types() -> None:
    assert encoded(None) == b"\x01"
    assert encoded((None,)) < encoded((None, 0))
    with pytest.raises(TypeError):
        encoded(1.5)


# ---------------------------------------------------------------- stored in databases

_REAL = [cdcpos.parse(s) for s, _ in SPEC_EXAMPLES] + [
    cdcpos.parse_db2_start_from_context(s) for s, _ in DB2_EXAMPLES
]


def _rows(tasks: list[tuple[str, list[Any]]]) -> list[tuple[str, str, bytes]]:
    return [(task, str(v), cdcpos.sort_bytes(v)) for task, values in tasks for v in values]


def _latest_in_python(tasks: list[tuple[str, list[Any]]]) -> dict[str, bytes]:
    return {
        task: cdcpos.sort_bytes(max(values, key=cdcpos.sort_key))
        for task, values in tasks
        if values
    }


task_values = st.lists(
    st.tuples(
        st.sampled_from(["task-a", "task-b", "task-c"]),
        st.one_of([st.lists(c, max_size=6) for c in _CHECKPOINTS.values()]),
    ),
    max_size=3,
    unique_by=lambda t: t[0],
)


def check_sqlite(tasks: list[tuple[str, list[Any]]], mixed: list[Any]) -> None:
    tasks = [*tasks, ("real", _REAL), ("mixed", mixed)]
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE history (task TEXT, position TEXT, key BLOB)")
        db.executemany("INSERT INTO history VALUES (?, ?, ?)", _rows(tasks))
        latest = dict(db.execute("SELECT task, MAX(key) FROM history GROUP BY task"))
        assert latest == _latest_in_python(tasks)
        for task, values in tasks:
            ordered = [
                key
                for (key,) in db.execute(
                    "SELECT key FROM history WHERE task = ? ORDER BY key", (task,)
                )
            ]
            assert ordered == [cdcpos.sort_bytes(v) for v in sorted(values, key=cdcpos.sort_key)]


@_DATABASE
@given(tasks=task_values, mixed=st.lists(any_value, max_size=8))
def test_sqlite_blob_order_and_max_agree(
    tasks: list[tuple[str, list[Any]]], mixed: list[Any]
) -> None:
    check_sqlite(tasks, mixed)


def check_duckdb(tasks: list[tuple[str, list[Any]]], mixed: list[Any]) -> None:
    tasks = [*tasks, ("real", _REAL), ("mixed", mixed)]
    db = duckdb.connect()
    try:
        db.execute("CREATE TABLE history (task VARCHAR, position VARCHAR, key BLOB)")
        rows = _rows(tasks)
        if rows:
            db.executemany("INSERT INTO history VALUES (?, ?, ?)", rows)
        latest = {
            task: bytes(key)
            for task, key in db.execute(
                "SELECT task, MAX(key) FROM history GROUP BY task"
            ).fetchall()
        }
        assert latest == _latest_in_python(tasks)
        ordered = [
            (task, bytes(key))
            for task, key in db.execute(
                "SELECT task, key FROM history ORDER BY task, key"
            ).fetchall()
        ]
        expected = sorted(
            ((task, cdcpos.sort_bytes(v)) for task, values in tasks for v in values),
        )
        assert ordered == expected
    finally:
        db.close()


@_DATABASE
@given(tasks=task_values, mixed=st.lists(any_value, max_size=8))
def test_duckdb_blob_order_and_max_agree(
    tasks: list[tuple[str, list[Any]]], mixed: list[Any]
) -> None:
    check_duckdb(tasks, mixed)


class _Tail(str):
    """A key part that orders by a key of its own (as a checkpoint's lazy tail may)."""

    __slots__ = ()

    def key(self) -> tuple[Any, ...]:
        return (len(self), str(self))

    def __lt__(self, other: object) -> bool:
        return self.key() < other.key()  # type: ignore[attr-defined]


@_SETTINGS
@given(a=st.text(max_size=5), b=st.text(max_size=5))
def test_a_part_with_its_own_key_orders_by_that_key(a: str, b: str) -> None:
    assert encoded(("d", _Tail(a))) == encoded(("d", (len(a), a)))
    assert (encoded(_Tail(a)) < encoded(_Tail(b))) == (_Tail(a) < _Tail(b))


# ---------------------------------------------------------------- slow twins (big budgets)


@pytest.mark.slow
@_LONG
@given(pair=same_kind_pair)
def test_same_kind_pairs_order_as_sort_key_long_run(pair: tuple[Any, Any]) -> None:
    assert_same_order(*pair)


@pytest.mark.slow
@_LONG
@given(pair=same_engine_checkpoints)
def test_checkpoints_of_one_engine_order_as_sort_key_long_run(pair: tuple[Any, Any]) -> None:
    assert_same_order(*pair)


@pytest.mark.slow
@_LONG
@given(a=any_value, b=any_value)
def test_mixed_kinds_order_as_sort_key_long_run(a: Any, b: Any) -> None:
    assert_same_order(a, b)


@pytest.mark.slow
@_LONG
@given(values=st.lists(any_value, max_size=12))
def test_sorting_by_bytes_is_sorting_by_key_long_run(values: list[Any]) -> None:
    check_sorting_by_bytes(values)


@pytest.mark.slow
@_DATABASE_LONG
@given(tasks=task_values, mixed=st.lists(any_value, max_size=8))
def test_sqlite_blob_order_and_max_agree_long_run(
    tasks: list[tuple[str, list[Any]]], mixed: list[Any]
) -> None:
    check_sqlite(tasks, mixed)


@pytest.mark.slow
@_DATABASE_LONG
@given(tasks=task_values, mixed=st.lists(any_value, max_size=8))
def test_duckdb_blob_order_and_max_agree_long_run(
    tasks: list[tuple[str, list[Any]]], mixed: list[Any]
) -> None:
    check_duckdb(tasks, mixed)
