"""cdcpos.polars: the ``cdcpos`` namespace equals the object path, eagerly and lazily.

Reference: ``cdcpos.parse_many`` through the row expectations of test_arrow (validity,
kind, canonical text, ``sort_bytes``, typed children), on real, generated and mutated
strings; then lazy frames, ``scan_parquet``, and a "latest checkpoint per task" query
against Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.polars
from benchmarks.corpus import corpus

from .test_arrow import _SETTINGS, ENTRIES_FAST_START, ENTRY_KINDS, REAL, _generated, expected_rows


def assert_namespace_agrees(
    texts: list[str | None], kind: str | None = None, *, series: bool = True
) -> None:
    """Polars' expression namespace gives the object path's rows (``expected_rows``);
    with ``series``, the Series namespace gives the same columns."""
    expected = expected_rows(texts, kind)
    column_of_texts = pl.Series("p", texts, dtype=pl.String)
    frame = pl.DataFrame([column_of_texts])
    column = pl.col("p").cdcpos
    results = {
        "valid": frame.select(column.is_valid(kind)).to_series().to_list(),
        "kind": frame.select(column.kind(kind)).to_series().to_list(),
        "sort_key": frame.select(column.sort_key(kind)).to_series().to_list(),
        "canonical": frame.select(column.canonical(kind)).to_series().to_list(),
    }
    parsed = frame.select(column.parse(kind)).to_series()
    assert parsed.dtype == cdcpos.polars.PARSED
    assert parsed.to_list() == expected
    for name, values in results.items():
        assert values == [None if row is None else row[name] for row in expected], name
    if not series:
        return
    # The Series namespace gives the same columns.
    namespace = column_of_texts.cdcpos
    assert namespace.is_valid(kind).to_list() == results["valid"]
    assert namespace.kind(kind).to_list() == results["kind"]
    assert namespace.sort_key(kind).to_list() == results["sort_key"]
    assert namespace.canonical(kind).to_list() == results["canonical"]
    assert namespace.parse(kind).to_list() == expected


def test_real_strings_agree() -> None:
    assert_namespace_agrees([*REAL, None])


@pytest.mark.parametrize("entry", ENTRIES_FAST_START)
@_SETTINGS
@given(data=st.data())
def test_generated_and_mutated_strings_agree(entry: str, data: st.DataObject) -> None:
    texts = data.draw(_generated(entry))
    assert_namespace_agrees(texts, ENTRY_KINDS[entry])


@pytest.mark.slow
@pytest.mark.parametrize("entry", list(ENTRY_KINDS))
@settings(_SETTINGS, max_examples=60)
@given(data=st.data())
def test_generated_and_mutated_strings_agree_long_run(entry: str, data: st.DataObject) -> None:
    assert_namespace_agrees(data.draw(_generated(entry)), ENTRY_KINDS[entry])


def test_valid_rows_make_no_python_call(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(2000)
    calls: list[Any] = []
    original = cdcpos.parse_many

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(cdcpos, "parse_many", counting)
    frame = pl.DataFrame({"p": texts})
    out = frame.select(
        valid=pl.col("p").cdcpos.is_valid(),
        kind=pl.col("p").cdcpos.kind(),
        key=pl.col("p").cdcpos.sort_key(),
        parsed=pl.col("p").cdcpos.parse(),
    )
    assert out["valid"].all() and out["key"].null_count() == 0
    assert calls == []


def test_lazy_frames_and_scan_parquet(tmp_path: Path) -> None:
    texts = [*corpus(300), "not a position", None]
    tasks = [f"task-{i % 4}" for i in range(len(texts))]
    path = tmp_path / "history.parquet"
    pl.DataFrame({"task": tasks, "position": texts}).write_parquet(path, row_group_size=64)
    query = (
        pl.scan_parquet(path)
        .with_columns(pl.col("position").cdcpos.parse().alias("parsed"))
        .filter(pl.col("parsed").struct.field("valid"))
        .with_columns(key=pl.col("parsed").struct.field("sort_key"))
        .group_by("task")
        .agg(pl.col("position").sort_by("key").last().alias("latest"))
        .sort("task")
    )
    latest = dict(query.collect().iter_rows())
    by_task: dict[str, list[Any]] = {}
    for task, text in zip(tasks, texts, strict=True):
        values, _ = cdcpos.parse_many([text], errors="collect") if text else ([], [])
        by_task.setdefault(task, []).extend(values)
    expected = {
        task: str(max(values, key=cdcpos.sort_key)) for task, values in by_task.items() if values
    }
    assert {task: str(cdcpos.parse(text)) for task, text in latest.items()} == expected
    # Streaming gives the same answer as the in-memory engine.
    streamed = (
        pl.scan_parquet(path).select(pl.col("position").cdcpos.kind()).collect(engine="streaming")
    )
    eager = pl.read_parquet(path).select(pl.col("position").cdcpos.kind())
    assert streamed.equals(eager)


def test_categories_of_text_are_read_as_their_text() -> None:
    texts = [*corpus(30), "bad", None, *corpus(30)]
    plain = pl.DataFrame({"p": texts})
    expected = plain.select(
        pl.col("p").cdcpos.is_valid().alias("valid"),
        pl.col("p").cdcpos.kind().alias("kind"),
        pl.col("p").cdcpos.sort_key().alias("key"),
        pl.col("p").cdcpos.parse().alias("parsed"),
    )
    categories = sorted({t for t in texts if t is not None})
    for dtype in (pl.Categorical, pl.Enum(categories)):
        frame = plain.with_columns(pl.col("p").cast(dtype))
        got = frame.select(
            pl.col("p").cdcpos.is_valid().alias("valid"),
            pl.col("p").cdcpos.kind().alias("kind"),
            pl.col("p").cdcpos.sort_key().alias("key"),
            pl.col("p").cdcpos.parse().alias("parsed"),
        )
        assert got.equals(expected), dtype


def test_options_and_errors() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        pl.col("p").cdcpos.kind("nope")
    with pytest.raises(TypeError, match="strings"):
        pl.Series([1, 2]).cdcpos.is_valid()
    lenient = pl.Series([" 0/1 "]).cdcpos.parse(lenient=True).struct.field("valid").to_list()
    assert lenient == [True]
    engine = pl.Series(["0/1"]).cdcpos.parse(engine="mysql").struct.field("error").to_list()
    assert engine[0] == expected_rows(["0/1"], None, engine="mysql")[0]["error"]
    assert pl.Series([None, None], dtype=pl.String).cdcpos.is_valid().to_list() == [None, None]


# ---------------------------------------------------------------- the fast paths' edges

# What the narrowed checkpoint expressions, the buffer scans and the numpy key builders
# decide on their own, or must leave to a check: second positions of one engine and of
# two, opaque ones, numbers of 19 and 20 digits (first in a row, last in a row, across
# two rows), negative and zero counters, hex of every case and width.
EDGES = [
    "99999999999999999999",  # 20 digits first: the previous row's digits must not count
    "checkpoint:V1#1#0/0#0#0#*#0#0",
    "checkpoint:V1#1#0/0#-5#0#1/2#-0#99999999999999999999999",
    "checkpoint:V1#1#FFFFFFFF/ffffffff#-9#-0#0/1#0#-123",
    "checkpoint:V18446744073709551616#1#a/B#0#0#*#0#0",
    "checkpoint:V9999999999999999999#999999999999999999#1/1#0#0#*#0#-999999999999999999",
    "checkpoint:V1#1#0/0#0#0#00000032:00000a5a:0003#0#0",
    "checkpoint:V1#1#opaque-thing#0#0#0/0#0#0",
    "checkpoint:V1#1#0/0#0#0#opaque-thing#0#0",
    "checkpoint:V1#1#opaque#0#0#*#0#0",
    "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213",
    "checkpoint:V1#2#mysql-bin.000001:4#0#0#mysql-bin.000002:4#0#0",
    "checkpoint:V1#2#mysql-bin.000001:4#0#0#0/1#0#0",
    "checkpoint:V1#27#b.1:1975:-1:2002:677883278264080:b.1:18446744073709551616#0#0#*#0#93",
    "checkpoint:V1#27#b.1:1975:-1:2002:677883278264080:b.1:18446744073709551615#0#0#*#0#93",
    "checkpoint:V1#5015#00000007.c99042d0.00000001.000c.01.0000:401032.58563.16#0#0#*#0#0",
    "a.b.c.12:0",
    "mysql-bin.000001:99999999999999999999999",
    "mysql-bin.18446744073709551615:18446744073709551615",
    "00000000000000000000001",
    "18446744073709551615",
    "18446744073709551616",
    "0/0",
    "FFFFFFFF/FFFFFFFF",
    "0000000a:0000000B:000c",
    "2020-02-30T00:00:00",
    "2020-02-29T23:59:59",
    "2019-02-29T00:00:00",
    "server_time:2020-02-03T24:00:00",
    None,
    "",
    "junk",
    "12345678901234567890",  # the last row: its run reaches the buffer's end
]


# The fast suite puts 60 rows of the corpus after the edges; the slow suite 300.
@pytest.mark.parametrize(
    ("kind", "corpus_rows"),
    [
        *((kind, 60) for kind in (None, "start", "checkpoint", "stop")),
        *(
            pytest.param(kind, 300, marks=pytest.mark.slow)
            for kind in (None, "start", "checkpoint", "stop")
        ),
    ],
)
def test_the_fast_paths_agree_on_their_edges(kind: str | None, corpus_rows: int) -> None:
    texts = EDGES + corpus(corpus_rows)
    assert_namespace_agrees(texts, kind)
    # Each edge alone, and in reverse order (the rows around each one change); the Series
    # namespace (the same functions) in one order.
    assert_namespace_agrees(texts[::-1], kind, series=False)


def test_keys_of_a_column_of_one_engine_are_built_without_the_exact_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks.corpus import postgres_checkpoints

    texts = postgres_checkpoints(1000) + corpus(1000)
    expected = [row["sort_key"] for row in expected_rows(texts)]

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a row went to the exact path")

    monkeypatch.setattr(cdcpos, "parse_many", refuse)
    assert pl.Series(texts).cdcpos.sort_key().to_list() == expected
    assert pl.Series(texts).cdcpos.is_valid().all()
