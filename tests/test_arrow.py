"""cdcpos.arrow.parse equals the object path, row by row.

The reference is ``cdcpos.parse_many`` (and ``cdcpos.parse`` for messages): validity, kind,
canonical text, ``sort_bytes``, every typed child read from the value's public API, and
the order of the sort keys.  Inputs: strings generated from the grammar
(``hypothesis.extra.lark.from_lark``) and mutated, the real examples, the benchmark corpus,
and hostile input (nulls, wrong types, huge and non-ASCII strings).
"""

from __future__ import annotations

import functools
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.arrow
from benchmarks.corpus import corpus
from cdcpos import _columnar

from . import background
from .background import Run, Steps
from .examples import DB2_EXAMPLES, INVALID_STRINGS, SPEC_EXAMPLES
from .test_fastpath import grammar_strings, mutated

ROOT = Path(__file__).resolve().parent.parent
REAL = (
    [s for s, _ in SPEC_EXAMPLES]
    + [s for s, *_ in INVALID_STRINGS]
    + (ROOT / "examples" / "positions.txt").read_text(encoding="utf-8").splitlines()
)
# The argument of parse_many for each entry point of the grammar.
ENTRY_KINDS = {
    "start_position": "start",
    "stop_position": "stop",
    "checkpoint": "checkpoint",
    "db2_start_from_context": "db2-context",
}
# The generated-string properties run every entry in the slow suite; the fast suite keeps
# "start_position" (its strings hold checkpoints and every native kind): the other
# entries' columns cost seconds there, mostly compiling their expressions per call.
ENTRIES_FAST_START = [
    pytest.param(entry, marks=() if entry == "start_position" else pytest.mark.slow)
    for entry in ENTRY_KINDS
]
# No shrinking: one example is a whole column parsed twice, so shrinking a failure takes
# minutes, and the failing draw (at most a dozen strings) is readable as it is.
# Small in the fast suite (each example is up to 12 strings, parsed as a column and one by
# one); the ``slow`` long runs draw 400.
_SETTINGS = settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate),
)


def expected_row(value: Any) -> dict[str, Any]:
    """What the columnar row must hold for a value, from the value's public API."""
    kind = value.kind
    position = value.position if kind == "checkpoint" else value
    row: dict[str, Any] = dict.fromkeys(_columnar.TYPES)
    row.update(
        valid=True,
        kind=kind,
        position_kind=position.kind,
        canonical=str(value),
        sort_key=cdcpos.sort_bytes(value),
    )
    if isinstance(position, cdcpos.PostgresLsn):
        row["lsn"] = int(position)
    if isinstance(value, cdcpos.OracleScn):
        row["scn"] = int(value)
    binlog = (
        position.binlog_position if isinstance(position, cdcpos.MySqlStreamPosition) else position
    )
    if isinstance(binlog, cdcpos.MySqlBinlogPosition):
        row.update(
            binlog_file=binlog.file,
            binlog_sequence=binlog.sequence if binlog.sequence < 2**64 else None,
            binlog_offset=binlog.offset if binlog.offset < 2**64 else None,
        )
    if isinstance(value, (cdcpos.DatePosition, cdcpos.StopPosition, cdcpos.Db2Timestamp)):
        row["time"] = value.value
    if isinstance(value, cdcpos.Checkpoint):
        if value.version < 2**64:
            row["checkpoint_version"] = value.version
        if all(-(2**63) <= c < 2**63 for c in value.counters):
            row["checkpoint_counters"] = list(value.counters)
        second = value.second_position
        row["second_position_kind"] = None if second is None else second.kind
    return row


def expected_rows(texts: list[str | None], kind: str | None = None, **options: Any) -> list[Any]:
    rows: list[Any] = []
    for text in texts:
        if text is None:
            rows.append(None)
            continue
        values, problems = cdcpos.parse_many([text], kind=kind, errors="collect", **options)
        if values:
            rows.append(expected_row(values[0]))
        else:
            ((_, error),) = problems
            row = dict.fromkeys(_columnar.TYPES)
            row.update(valid=False, error=_columnar._plain_message(error))
            rows.append(row)
    return rows


def assert_agrees(texts: list[str | None], kind: str | None = None, **options: Any) -> Any:
    column = cdcpos.arrow.parse(texts, kind=kind, **options)
    assert column.type == cdcpos.arrow.SCHEMA
    assert len(column) == len(texts)
    got = column.to_pylist()
    for text, row, want in zip(texts, got, expected_rows(texts, kind, **options), strict=True):
        assert row == want, text
    return column


def beyond_64_bits(text: str) -> bool:
    # The vectorized path types unsigned fields up to 2**64-1 and signed ones up to 18
    # digits; a longer number goes to the exact path.
    return any(len(digits.lstrip("0")) >= 19 for digits in re.findall("[0-9]+", text))


def single_message(text: str) -> str:
    with pytest.raises(cdcpos.InvalidPosition) as raised:
        cdcpos.parse(text)
    return str(raised.value)


# ---------------------------------------------------------------- real strings


def test_real_strings_agree_with_parse_many() -> None:
    column = assert_agrees([*REAL, None])
    # The message is the one cdcpos.parse gives for the string alone.
    for text, row in zip(REAL, column.to_pylist(), strict=False):
        if not row["valid"]:
            assert row["error"] == single_message(text)


def test_db2_contexts_agree() -> None:
    assert_agrees([s for s, _ in DB2_EXAMPLES] + REAL, kind="db2-context")


@pytest.mark.parametrize("entry", list(ENTRY_KINDS))
def test_every_entry_on_real_strings(entry: str) -> None:
    assert_agrees(REAL + [s for s, _ in DB2_EXAMPLES], kind=ENTRY_KINDS[entry])


def test_the_corpus_is_decided_without_the_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus(3000)
    expected = expected_rows(texts)
    calls: list[int] = []
    original = cdcpos.parse_many

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(cdcpos, "parse_many", counting)
    batch = _columnar.parse_batch(pa.array(texts, pa.string()))
    assert batch.vectorized.all()
    assert calls == []  # no row went through a Python parse
    assert batch.column.to_pylist() == expected


def test_sort_keys_order_as_the_values() -> None:
    texts = corpus(2000) + [s for s, _ in SPEC_EXAMPLES]
    column = cdcpos.arrow.parse(texts)
    by_bytes = [
        text for _, text in sorted(zip(column.field("sort_key").to_pylist(), texts, strict=True))
    ]
    values = sorted(cdcpos.parse_many(texts), key=cdcpos.sort_key)
    assert [cdcpos.sort_key(cdcpos.parse(t)) for t in by_bytes] == [
        cdcpos.sort_key(v) for v in values
    ]


# ---------------------------------------------------------------- generated strings


@functools.cache
def _generated(entry: str) -> st.SearchStrategy[list[str]]:
    one = st.one_of(grammar_strings(entry), mutated(grammar_strings(entry)))
    return st.lists(one, min_size=1, max_size=12)


@pytest.mark.parametrize("entry", ENTRIES_FAST_START)
@_SETTINGS
@given(data=st.data())
def test_generated_and_mutated_strings_agree(entry: str, data: st.DataObject) -> None:
    texts = data.draw(_generated(entry))
    assert_agrees(texts, kind=ENTRY_KINDS[entry])
    assert_agrees(texts)  # any position: the other entries' strings are mostly invalid


@pytest.mark.parametrize("entry", ENTRIES_FAST_START)
@_SETTINGS
@given(data=st.data())
def test_vectorized_path_alone_is_right_where_it_answers(entry: str, data: st.DataObject) -> None:
    texts = data.draw(_generated(entry))
    batch = _columnar.parse_batch(
        pa.array(texts, pa.string()), kind=ENTRY_KINDS[entry], exact=False
    )
    want = expected_rows(texts, ENTRY_KINDS[entry])
    for text, decided, row, expected in zip(
        texts, batch.vectorized, batch.column.to_pylist(), want, strict=True
    ):
        if decided:
            assert row == expected, text
        else:
            # Left to the exact path: invalid, beyond what the vectorized path types (a
            # number of 19 digits or more, an hour 24), or a checkpoint of two position kinds
            # (whether one engine can write both is the exact path's rule).
            two_kinds = expected["second_position_kind"] not in (None, expected["position_kind"])
            assert not expected["valid"] or beyond_64_bits(text) or "T24:" in text or two_kinds, (
                text
            )


@pytest.mark.slow
@pytest.mark.parametrize("entry", list(ENTRY_KINDS))
@settings(_SETTINGS, max_examples=400)
@given(data=st.data())
def test_generated_strings_agree_long_run(entry: str, data: st.DataObject) -> None:
    assert_agrees(data.draw(_generated(entry)), kind=ENTRY_KINDS[entry])


# ---------------------------------------------------------------- options


_ENGINES = ("postgres", "mysql", "sqlserver", "oracle", "docdb", "s3", "redshift", "nope")


# The fast suite: three engines (a known one of each shape and an unknown name); the slow
# suite: every engine.
@pytest.mark.parametrize(
    "engines",
    [("postgres", "sqlserver", "nope"), pytest.param(_ENGINES, marks=pytest.mark.slow)],
)
def test_lenient_and_engine_agree(engines: tuple[str, ...]) -> None:
    texts = [' "0/16B3748" ', "commit_time: 2018-02-09T12:12:12", *REAL]
    assert_agrees(texts, lenient=True)
    for engine in engines:
        assert_agrees(texts, engine=engine)
        assert_agrees(texts, kind="start", engine=engine, lenient=True)


def test_unknown_kind_and_wrong_engine_type() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        cdcpos.arrow.parse(["0/1"], kind="nope")
    with pytest.raises(TypeError):
        cdcpos.arrow.parse(["0/1"], engine=5)  # type: ignore[arg-type]


# ---------------------------------------------------------------- input shapes and bad input


def test_every_string_type_and_chunking_gives_the_same_rows() -> None:
    texts = [*corpus(50), None, "nope", ""]
    reference = cdcpos.arrow.parse(texts)
    for column in (
        pa.array(texts, pa.string()),
        pa.array(texts, pa.large_string()),
        pa.array(texts, pa.string_view()),
        pa.chunked_array([texts[:10], texts[10:]], pa.string()),
        pa.chunked_array([], pa.string()),
        iter(texts),
        tuple(texts),
    ):
        result = cdcpos.arrow.parse(column)
        if len(result):
            assert result.equals(reference), type(column)
    assert len(cdcpos.arrow.parse([])) == 0
    assert cdcpos.arrow.parse(pa.nulls(3)).to_pylist() == [None, None, None]
    # Sliced input (a non-zero offset) reads the right rows.
    assert cdcpos.arrow.parse(pa.array(texts).slice(5, 20)).equals(reference.slice(5, 20))


def test_batches_larger_than_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*corpus(100), "bad", None]
    reference = cdcpos.arrow.parse(texts)
    monkeypatch.setattr(_columnar.batch, "BATCH_ROWS", 7)
    assert cdcpos.arrow.parse(texts).equals(reference)


def test_dictionary_encoded_text_is_read_as_its_text() -> None:
    # A pandas category, Parquet read with read_dictionary: was a TypeError.
    texts = [*corpus(40), "bad", None, *corpus(40)]
    reference = cdcpos.arrow.parse(texts)
    encoded = pa.array(texts).dictionary_encode()
    assert cdcpos.arrow.parse(encoded).equals(reference)
    assert cdcpos.arrow.parse(pa.chunked_array([encoded.slice(0, 41), encoded.slice(41)])).equals(
        reference
    )
    large = pa.array(texts, pa.large_string()).dictionary_encode()
    assert cdcpos.arrow.parse(large).equals(reference)
    with pytest.raises(TypeError, match="or a dictionary of them"):
        cdcpos.arrow.parse(pa.array([1, 2]).dictionary_encode())


def test_wrong_input_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="int64"):
        cdcpos.arrow.parse(pa.array([1, 2]))
    with pytest.raises(TypeError, match="binary"):
        cdcpos.arrow.parse(pa.array([b"0/1"]))
    with pytest.raises(TypeError, match="item 1"):
        cdcpos.arrow.parse(["0/1", 5])
    with pytest.raises(TypeError, match="one str"):
        cdcpos.arrow.parse("0/1")


def test_bad_rows_are_reported_row_by_row() -> None:
    texts = [
        "0/16B3748",
        "x" * 5000,
        "checkpoint:V1#1#" + "9" * 5000 + "#0#0#*#0#0",
        "٣٣/١",
        "\x00",
        "",
        "2018-02-30T00:00:00",
        "18446744073709551616",
        "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    ]
    column = assert_agrees(texts)
    assert column.field("valid").to_pylist() == [True] + [False] * 7 + [True]
    for text, error in zip(texts[1:-1], column.field("error").to_pylist()[1:-1], strict=True):
        assert error == single_message(text)


def test_numbers_beyond_64_bits_keep_exact_text_and_key() -> None:
    big = 2**70
    texts = [
        f"checkpoint:V{big}#{-big}#mysql-bin.{big}:{big}#0#0#*#0#0",
        f"binlog.000001:{big}",
        f"checkpoint:V1#1#00000007.c99042d0.00000001.000c.01.0000:{big}.1.1#0#0#*#0#0",
    ]
    column = assert_agrees(texts)
    assert column.field("checkpoint_counters").to_pylist()[0] is None
    assert column.field("binlog_offset").to_pylist()[1] is None


def test_times_are_naive_utc() -> None:
    column = cdcpos.arrow.parse(["0001-01-01T00:00:00", "server_time:9999-12-31T23:59:59"])
    assert column.field("time").to_pylist() == [
        datetime(1, 1, 1),
        datetime(9999, 12, 31, 23, 59, 59),
    ]


def test_import_cdcpos_imports_no_columnar_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cdcpos\n"
        "cdcpos.parse('0/1'); cdcpos.sort_bytes(cdcpos.parse('0/1'))\n"
        "print([m for m in ('pyarrow', 'polars', 'pyspark', 'numpy') if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


MISSING_EXTRAS = [
    ("cdcpos.arrow", "pyarrow", "arrow"),
    ("cdcpos.arrow", "numpy", "arrow"),
    ("cdcpos.polars", "polars", "polars"),
    ("cdcpos.polars", "pyarrow", "polars"),
    ("cdcpos.spark", "pyspark", "spark"),
]


@background.job("test_a_missing_extra_names_its_install_line")
def _missing_extra_runs(tmp: Path) -> Steps[dict[tuple[str, str], Any]]:
    # Five interpreters, some importing polars or pyarrow (1 s in all): they run while
    # the tests before these do (tests/background.py).
    runs = {}
    for module, missing, _ in MISSING_EXTRAS:
        # A None entry in sys.modules makes `import <missing>` fail as if not installed.
        code = (
            f"import sys; sys.modules[{missing!r}] = None\n"
            f"try:\n    import {module}\n"
            "except ImportError as error:\n    print(error)\n"
        )
        runs[module, missing] = yield Run([sys.executable, "-c", code])
    return runs


@pytest.mark.parametrize(("module", "missing", "extra"), MISSING_EXTRAS)
def test_a_missing_extra_names_its_install_line(module: str, missing: str, extra: str) -> None:
    result = _missing_extra_runs.result()[module, missing]
    result.check_returncode()
    assert f"pip install 'cdcpos[{extra}]'" in result.stdout
    assert missing in result.stdout
