"""The faster columnar paths give exactly the object path's answers.

* threads: a batch split into slices over several threads gives the rows one thread
  gives, with edges (nulls, invalid rows, mixed engines, 19/20-digit numbers) at every
  slice boundary, and both equal ``cdcpos.parse_many`` / ``cdcpos.sort_bytes``;
* the sort-key builders' numbers (read eight digits at a time from the data buffer) and
  integer encodings equal Python's ``int`` and ``cdcpos._sort_bytes``;
* PostgreSQL checkpoints of every width (hex case, 1-8 digit halves, negative and long
  counters, a second LSN) get the key ``cdcpos.sort_bytes`` gives;
* keys built as Arrow views (integers of 64 and 80 bits, constants of every length, spans
  of the input of 0 to 40 bytes up to the buffer's end) are the bytes they stand for, and
  the sort-key column of slices, chunked arrays, nulls, invalid rows and empty columns is
  ``cdcpos.sort_bytes`` of each row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime

import numpy as np
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.arrow
import cdcpos.polars
from benchmarks.corpus import corpus, postgres_checkpoints
from cdcpos import _columnar
from cdcpos._columnar import keys, threads
from cdcpos._sort_bytes import _encode

from .test_arrow import _SETTINGS, ENTRIES_FAST_START, ENTRY_KINDS, _generated, expected_rows

EDGES = [
    None,
    "",
    "junk",
    "checkpoint:V1#1#0/1#-5#0#0/2#0#0",
    "checkpoint:V1#1#a/B#0#0#FFFFFFFF/ffffffff#0#0",
    "checkpoint:V18446744073709551615#1#0/1#0#0#*#0#0",
    "checkpoint:V18446744073709551616#1#0/1#0#0#*#0#0",
    "checkpoint:V1#999999999999999999#0/1#-999999999999999999#0#*#0#0",
    "checkpoint:V1#9999999999999999999#0/1#0#0#*#0#0",
    "checkpoint:V1#1#0/1#0#0#00000032:00000a55:000c#0#0",
    "checkpoint:V1#2#mysql-bin.000001:4#0#0#0/1#0#0",
    "checkpoint:V1#27#b.1:1975:-1:2002:677883278264080:b.1:18446744073709551616#0#0#*#0#93",
    "checkpoint:V1#1#opaque#0#0#*#0#0",
    "mysql-bin.18446744073709551615:18446744073709551615",
    "mysql-bin.000001:99999999999999999999999",
    "18446744073709551615",
    "18446744073709551616",
    "1234567890123456789",
    "0/0",
    "FFFFFFFF/FFFFFFFF",
    "0000000a:0000000B:000c",
    "2020-02-30T00:00:00",
    "server_time:2020-02-03T24:00:00",
    "commit_time:2020-02-29T23:59:59",
    "12345678901234567890",
]


@pytest.fixture
def many_threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Threads for batches of a few rows: slices of at most 5 rows, 4 threads."""
    monkeypatch.setattr(threads, "MIN_ROWS", 3)
    for module in (_columnar.kinds, _columnar.keys, _columnar.batch):
        monkeypatch.setattr(module, "BATCH_ROWS", 5)
    threads.set_threads(4)
    try:
        yield
    finally:
        threads.set_threads(None)


def _columns(texts: list[str | None] | pa.Array, kind: str | None) -> tuple[object, ...]:
    column = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string())
    return (
        _columnar.classify(column, kind=kind).tolist(),
        _columnar.is_valid(column, kind=kind).tolist(),
        _columnar.sort_key_column(column, kind=kind).to_pylist(),
        _columnar.parse_column(column, kind=kind).to_pylist(),
    )


def _assert_threads_agree(
    texts: list[str | None],
    kind: str | None,
    expected: list[object] | None = None,
    *,
    namespace: bool = True,
) -> None:
    """The columns of ``texts`` are ``expected`` (``expected_rows``, computed if not given);
    with ``namespace``, Polars' namespace gives the same columns."""
    if expected is None:
        expected = expected_rows(texts, kind)
    codes, valid, sort_keys, rows = _columns(texts, kind)
    assert valid == [row is not None and row["valid"] for row in expected]
    assert rows == expected
    assert sort_keys == [None if row is None else row["sort_key"] for row in expected]
    names = _columnar.KIND_NAMES
    assert codes == [
        names.index(row["kind"]) if row is not None and row["valid"] else -1 for row in expected
    ]
    if not namespace:
        return
    frame = pl.DataFrame({"p": pl.Series(texts, dtype=pl.String)})
    namespace = pl.col("p").cdcpos
    assert frame.select(namespace.sort_key(kind)).to_series().to_list() == sort_keys
    assert frame.select(namespace.is_valid(kind)).to_series().to_list() == [
        None if row is None else row["valid"] for row in expected
    ]
    assert frame.select(namespace.kind(kind)).to_series().to_list() == [
        None if row is None or not row["valid"] else row["kind"] for row in expected
    ]


# ---------------------------------------------------------------- slices and threads


def test_slices_cover_the_rows_in_order() -> None:
    for n in (0, 1, 2, 7, 100, 1000):
        for count in (1, 2, 3, 8):
            for most in (1, 3, 64, 1 << 18):
                slices = threads.slices_of(n, count, most)
                assert slices[0][0] == 0
                assert sum(length for _, length in slices) == n
                for (start, length), (following, _) in itertools.pairwise(slices):
                    assert start + length == following and 0 < length <= most
                if n >= count:
                    assert len(slices) >= count


def test_the_thread_count_is_a_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CDCPOS_THREADS", raising=False)
    assert 1 <= threads.thread_count() <= threads.MAX_THREADS
    monkeypatch.setenv("CDCPOS_THREADS", "3")
    assert threads.thread_count() == 3
    threads.set_threads(1)
    try:
        assert threads.thread_count() == 1
    finally:
        threads.set_threads(None)
    assert threads.thread_count() == 3
    cdcpos.arrow.set_threads(2)  # the public name
    try:
        assert threads.thread_count() == 2
    finally:
        cdcpos.arrow.set_threads(None)
    monkeypatch.setenv("CDCPOS_THREADS", "many")
    with pytest.raises(ValueError, match="CDCPOS_THREADS"):
        threads.thread_count()
    for wrong in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="positive int"):
            threads.set_threads(wrong)  # type: ignore[arg-type]


def test_small_batches_start_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    original = threads.ThreadPoolExecutor

    def counting(*args: object, **kwargs: object) -> object:
        started.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(threads, "ThreadPoolExecutor", counting)
    threads.set_threads(4)
    try:
        _columns([*EDGES, *corpus(40)], None)
        assert started == []  # 65 rows: below MIN_ROWS per thread
        monkeypatch.setattr(threads, "MIN_ROWS", 10)
        _columns([*EDGES, *corpus(40)], None)
        assert started  # now the same batch is split
    finally:
        threads.set_threads(None)


# The fast suite keeps any position (every edge, checkpoints included, is read through
# it) with a few rows of the corpus between the edges; the slow suite adds the
# "checkpoint", "start" and "stop" entries, and more corpus rows and PostgreSQL
# checkpoints around the edges for any position.
@pytest.mark.parametrize(
    ("kind", "corpus_rows", "postgres_rows"),
    [
        (None, 6, 4),
        pytest.param(None, 40, 20, marks=pytest.mark.slow),
        pytest.param("checkpoint", 40, 20, marks=pytest.mark.slow),
        pytest.param("start", 40, 20, marks=pytest.mark.slow),
        pytest.param("stop", 40, 20, marks=pytest.mark.slow),
    ],
)
def test_threads_agree_with_one_thread_at_every_boundary(
    kind: str | None, corpus_rows: int, postgres_rows: int, many_threads: None
) -> None:
    base = EDGES + corpus(corpus_rows) + postgres_checkpoints(postgres_rows)
    expected = expected_rows(base, kind)
    # Each rotation moves every edge to another place against the 5-row slices.  Polars'
    # namespace (the same functions, through map_batches) once: the rotations are the
    # engine's to pass, and each costs a few milliseconds a slice (pyarrow compiles every
    # expression again for each slice).
    for shift in range(5):
        texts = base[shift:] + base[:shift]
        _assert_threads_agree(
            texts, kind, expected[shift:] + expected[:shift], namespace=shift == 0
        )


def test_each_thread_casts_its_own_slice_of_views_and_large_strings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Polars hands over string views, which each thread casts for its own slice: the
    # columns of every layout (and a slice of one) are those of ``pa.string()``.  Two
    # slices of each column on two threads (fewer than ``many_threads``' 5-row slices:
    # each slice compiles every expression again).
    monkeypatch.setattr(threads, "MIN_ROWS", 8)
    for module in (_columnar.kinds, _columnar.keys, _columnar.batch):
        monkeypatch.setattr(module, "BATCH_ROWS", 20)
    texts = [*EDGES, *corpus(6), *postgres_checkpoints(4)]
    threads.set_threads(2)
    try:
        expected = _columns(texts, None)
        part_expected = _columns(texts[3:23], None)
        for layout in (pa.large_string(), pa.string_view()):
            column = pa.array(texts, layout)
            assert _columns(column, None) == expected
            assert _columns(column.slice(3, 20), None) == part_expected
        frame = pl.DataFrame({"p": pl.Series(texts, dtype=pl.String)})
        assert frame.select(pl.col("p").cdcpos.sort_key()).to_series().to_list() == expected[2]
    finally:
        threads.set_threads(None)


def test_threads_split_a_large_column_like_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # Slices of a thousand rows and more (three threads over 4,100 rows, in chunks of 64
    # rows for the key builders): the builders' chunks and the kinds' whole-column passes
    # see real sizes, not the few rows of the tests above.
    monkeypatch.setattr(threads, "MIN_ROWS", 1024)
    monkeypatch.setattr(keys, "_CHUNK", 64)
    texts = (corpus(1_000) + EDGES) * 4
    threads.set_threads(1)
    try:
        one = _columns(texts, None)
    finally:
        threads.set_threads(None)
    threads.set_threads(3)
    try:
        assert _columns(texts, None) == one
    finally:
        threads.set_threads(None)


@pytest.mark.parametrize("entry", ENTRIES_FAST_START)
@_SETTINGS
@given(data=st.data())
def test_threads_agree_on_generated_strings(entry: str, data: st.DataObject) -> None:
    _threads_agree_on(data.draw(_generated(entry)), entry)


@pytest.mark.slow
@pytest.mark.parametrize("entry", list(ENTRY_KINDS))
@settings(_SETTINGS, max_examples=100)
@given(data=st.data())
def test_threads_agree_on_generated_strings_long_run(entry: str, data: st.DataObject) -> None:
    _threads_agree_on(data.draw(_generated(entry)), entry)


def _threads_agree_on(texts: list[str], entry: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(threads, "MIN_ROWS", 2)
        threads.set_threads(3)
        try:
            # Polars' namespace: at every boundary above (the same functions).
            _assert_threads_agree([*texts, None, *texts], ENTRY_KINDS[entry], namespace=False)
        finally:
            threads.set_threads(None)


# ---------------------------------------------------------------- the calendar check


def test_the_calendar_check_is_what_datetime_accepts() -> None:
    # Every month (and 0, 13), the days around each month's end, leap and non-leap
    # centuries, and the times at and past their bounds (an hour 24 is left to the exact
    # path: the check says no, which only sends the row there).
    texts = [
        f"{y:04d}-{m:02d}-{d:02d}T{time}"
        for y in (0, 1, 1900, 2000, 2023, 2024, 9999)
        for m in range(14)
        for d in (0, 1, 28, 29, 30, 31, 32)
        for time in ("00:00:00", "23:59:59", "24:00:00", "00:60:00", "00:00:60")
    ]

    def accepted(text: str) -> bool:
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return False
        return "T24" not in text

    expected = [accepted(t) for t in texts]
    assert _columnar.values._date_check(0)(pa.array(texts)).tolist() == expected
    prefixed = pa.array(["server_time:" + t for t in texts])
    assert _columnar.values._date_check(12)(prefixed).tolist() == expected
    assert _columnar.values._date_fields(prefixed, 12)[0].tolist() == expected


# ---------------------------------------------------------------- numbers and integers

_HEX_DIGITS = "0123456789abcdefABCDEF"


@st.composite
def _fields(draw: st.DrawFn, base: int) -> list[str]:
    longest = 19 if base == 10 else 16
    alphabet = "0123456789" if base == 10 else _HEX_DIGITS
    return draw(st.lists(st.text(alphabet, min_size=0, max_size=longest), min_size=1, max_size=30))


def _read(fields: list[str], base: int, separator: str) -> np.ndarray:
    data = np.frombuffer(separator.join(fields).encode(), np.uint8)
    starts, at = [], 0
    for field in fields:
        starts.append(at)
        at += len(field) + len(separator)
    start = np.array(starts, np.int64)
    end = start + np.array([len(f) for f in fields], np.int64)
    return keys._number(keys._words(data), start, end, base)


# Small budgets in the fast suite; the ``slow`` twins (``..._long_run``) draw 200.
_FAST = settings(max_examples=25, deadline=None)
_LONG = settings(max_examples=200, deadline=None)
_NUMBERS = {
    "decimal": _fields(10),
    "hexadecimal": _fields(16),
    "separator": st.sampled_from(["", "#", "9", "f"]),
}


@_FAST
@given(**_NUMBERS)
def test_numbers_read_from_the_buffer_are_ints(
    decimal: list[str], hexadecimal: list[str], separator: str
) -> None:
    _numbers_are_ints(decimal, hexadecimal, separator)


@pytest.mark.slow
@_LONG
@given(**_NUMBERS)
def test_numbers_read_from_the_buffer_are_ints_long_run(
    decimal: list[str], hexadecimal: list[str], separator: str
) -> None:
    _numbers_are_ints(decimal, hexadecimal, separator)


def _numbers_are_ints(decimal: list[str], hexadecimal: list[str], separator: str) -> None:
    # A digit as the separator: the bytes before a shorter number are digits, which must
    # not count (and no separator: the numbers touch).
    assert _read(decimal, 10, separator).tolist() == [int(f or "0") for f in decimal]
    assert _read(hexadecimal, 16, separator).tolist() == [int(f or "0", 16) for f in hexadecimal]


def test_numbers_at_their_widths() -> None:
    for width in range(1, 20):
        fields = ["9" * width, "1" + "0" * (width - 1), "0" * width, str(10 ** (width - 1) + 7)]
        assert _read(fields, 10, "").tolist() == [int(f) for f in fields]
    for width in range(1, 17):
        fields = ["F" * width, "f" * width, "a" + "0" * (width - 1), "9" * width]
        assert _read(fields, 16, ":").tolist() == [int(f, 16) for f in fields]


def _encoded(value: int) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


# Columns of 64-bit integers, signed or not, for both ways of encoding them.
_INTEGER_COLUMNS = st.one_of(
    st.lists(st.integers(-(2**63) + 1, 2**63 - 1), min_size=1, max_size=20),
    st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=20),
    st.lists(st.sampled_from([0, 1, -1, 255, 256, 2**56 - 1, 2**56]), min_size=1),
)
_CONSTANT_COLUMNS = st.integers(-5, 2**64 - 1).map(lambda v: [v] * 3)  # one value, 3 rows


@_FAST
@given(values=st.one_of(_INTEGER_COLUMNS, _CONSTANT_COLUMNS))
def test_integers_encode_as_sort_bytes(values: list[int]) -> None:
    _integers_encode(values)


@pytest.mark.slow
@_LONG
@given(values=st.one_of(_INTEGER_COLUMNS, _CONSTANT_COLUMNS))
def test_integers_encode_as_sort_bytes_long_run(values: list[int]) -> None:
    _integers_encode(values)


def _integers_encode(values: list[int]) -> None:
    signed = min(values) < 0 or max(values) < 2**63
    column = np.array(values, np.int64 if signed else np.uint64)
    block = keys._Block(len(values)).const(b"<").integer(column).const(b">")
    assert block.binary().to_pylist() == [b"<" + _encoded(v) + b">" for v in values]


# ---------------------------------------------------------------- PostgreSQL checkpoint keys


def _hex(width: int) -> st.SearchStrategy[str]:
    return st.text(_HEX_DIGITS, min_size=1, max_size=width)


_LSN = st.builds(lambda a, b: f"{a}/{b}", _hex(8), _hex(8))
_UINT = st.one_of(st.integers(0, 99), st.integers(0, 10**20)).map(str)
_INT = st.one_of(st.integers(-99, 99), st.integers(-(10**19), 10**19)).map(str)
_POSTGRES_CHECKPOINTS = st.builds(
    lambda version, c1, lsn, c3, c4, second, c6, c7: (
        f"checkpoint:V{version}#{c1}#{lsn}#{c3}#{c4}#{second}#{c6}#{c7}"
    ),
    _UINT,
    _INT,
    _LSN,
    _INT,
    _INT,
    st.one_of(st.just("*"), _LSN),
    _INT,
    _INT,
)


@settings(max_examples=20, deadline=None)
@given(texts=st.lists(_POSTGRES_CHECKPOINTS, min_size=1, max_size=40))
def test_postgres_checkpoint_keys_are_sort_bytes(texts: list[str]) -> None:
    _keys_are_sort_bytes(texts)


def _keys_are_sort_bytes(texts: list[str]) -> None:
    got = _columnar.sort_key_column(texts).to_pylist()
    assert got == [cdcpos.sort_bytes(cdcpos.parse(t)) for t in texts]


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(texts=st.lists(_POSTGRES_CHECKPOINTS, min_size=1, max_size=40))
def test_postgres_checkpoint_keys_are_sort_bytes_long_run(texts: list[str]) -> None:
    _keys_are_sort_bytes(texts)


# ---------------------------------------------------------------- keys as Arrow views

_CONSTS = st.sampled_from(
    [b"", b"<", b"\x06\x05ab\x00\x00", b"x" * 11, b"y" * 12, b"z" * 13, b"w" * 27]
)


def _views(data: bytes, rows: int) -> keys._Views:
    return keys._Views(rows, keys._words(np.frombuffer(data, np.uint8)))


_VIEW_INTEGERS = {
    "values": st.one_of(
        _INTEGER_COLUMNS,
        st.lists(st.sampled_from([0, 1, 255, 2**63, 2**64 - 1]), min_size=1),
        # Byte sizes by the float exponent (below 2**53): every boundary of a byte.
        st.lists(
            st.sampled_from(
                [0, *(2 ** (8 * k) + d for k in range(1, 7) for d in (-1, 0)), 2**53 - 1]
            ),
            min_size=1,
        ),
        _CONSTANT_COLUMNS,
    ),
    "before": _CONSTS,
    "after": _CONSTS,
    "twice": st.booleans(),
}


@_FAST
@given(**_VIEW_INTEGERS)
def test_views_encode_integers_as_sort_bytes(
    values: list[int], before: bytes, after: bytes, twice: bool
) -> None:
    _views_encode_integers(values, before, after, twice)


@pytest.mark.slow
@_LONG
@given(**_VIEW_INTEGERS)
def test_views_encode_integers_as_sort_bytes_long_run(
    values: list[int], before: bytes, after: bytes, twice: bool
) -> None:
    _views_encode_integers(values, before, after, twice)


def _views_encode_integers(values: list[int], before: bytes, after: bytes, twice: bool) -> None:
    # Constants of every length around the integers: the inline views fill, split (an
    # integer of 11 bytes after 11 others) and give way to views of the constants' buffer.
    signed = min(values) < 0 or max(values) < 2**63
    column = np.array(values, np.int64 if signed else np.uint64)
    views = _views(b"", len(values)).const(before).integer(column).const(after)
    if twice:
        views.integer(column[::-1].copy()).const(after)
    expected = [
        before + _encoded(v) + after + (_encoded(w) + after if twice else b"")
        for v, w in zip(values, values[::-1], strict=True)
    ]
    assert views.binary().to_pylist() == expected


_PAIRS_80_BITS = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 2**64 - 1), st.sampled_from([0, 1, 255, 2**64 - 1])),
        st.one_of(st.integers(0, 2**16 - 1), st.sampled_from([0, 1, 255, 256, 2**16 - 1])),
    ),
    min_size=1,
    max_size=20,
)


@_FAST
@given(pairs=_PAIRS_80_BITS, before=_CONSTS)
def test_views_encode_80_bit_integers_as_sort_bytes(
    pairs: list[tuple[int, int]], before: bytes
) -> None:
    _views_encode_80_bits(pairs, before)


@pytest.mark.slow
@_LONG
@given(pairs=_PAIRS_80_BITS, before=_CONSTS)
def test_views_encode_80_bit_integers_as_sort_bytes_long_run(
    pairs: list[tuple[int, int]], before: bytes
) -> None:
    _views_encode_80_bits(pairs, before)


def _views_encode_80_bits(pairs: list[tuple[int, int]], before: bytes) -> None:
    high = np.array([h for h, _ in pairs], np.uint64)
    low = np.array([lo for _, lo in pairs], np.uint64)
    views = _views(b"", len(pairs)).const(before).integer(high, low, 16).const(b">")
    expected = [before + _encoded(h << 16 | lo) + b">" for h, lo in pairs]
    assert views.binary().to_pylist() == expected


_SPANS = {
    "texts": st.lists(st.binary(min_size=0, max_size=40), min_size=1, max_size=20),
    "before": _CONSTS,
    "after": _CONSTS,
    "skip": st.integers(0, 3),
}


@_FAST
@given(**_SPANS)
def test_views_of_the_input_bytes(
    texts: list[bytes], before: bytes, after: bytes, skip: int
) -> None:
    _views_of_input(texts, before, after, skip)


@pytest.mark.slow
@_LONG
@given(**_SPANS)
def test_views_of_the_input_bytes_long_run(
    texts: list[bytes], before: bytes, after: bytes, skip: int
) -> None:
    _views_of_input(texts, before, after, skip)


def _views_of_input(texts: list[bytes], before: bytes, after: bytes, skip: int) -> None:
    # Spans of 12 bytes or fewer are copied into their views (the last ones read the
    # buffer's last bytes), longer ones refer to the buffer; ``skip`` bytes before each.
    data = b"".join(b"-" * skip + t for t in texts)
    starts = np.cumsum([0] + [skip + len(t) for t in texts])[:-1] + skip
    ends = starts + np.array([len(t) for t in texts], np.int64)
    views = _views(data, len(texts)).const(before).text(starts, ends).const(after)
    assert views.binary().to_pylist() == [before + t + after for t in texts]


def test_keys_of_slices_chunks_nulls_and_empty_columns() -> None:
    texts = [
        "0/0",
        "FFFFFFFF/FFFFFFFF",
        "ffffffff/0",
        "00000001/000000aB",
        None,
        "0",
        "0000000000000000007",
        "18446744073709551615",
        "junk",
        "00000000:00000000:0000",
        "ffffffff:FFFFFFFF:ffff",
        "0000000a:0000000B:000c",
        "",
        "a.0:0",
        "mysql-bin-changelog.000024:373",
        "x.y.0000000000000000001:18446744073709551615",
        "checkpoint:V1#-5#0/0#-9223372036854775807#0#*#0#-1",
        "checkpoint:V0#0#0/0#0#0#*#0#0",
        "checkpoint:V1#27#ABCDEF01/23456789#0#0#*#0#93",
        *postgres_checkpoints(40),
    ]

    def expected(rows: list[str | None]) -> list[bytes | None]:
        out: list[bytes | None] = []
        for text in rows:
            try:
                out.append(None if text is None else cdcpos.sort_bytes(cdcpos.parse(text)))
            except cdcpos.InvalidPosition:
                out.append(None)
        return out

    column = pa.array(texts, pa.string())
    for start in range(0, len(texts), 7):
        part = column.slice(start, 11)
        assert _columnar.sort_key_column(part).to_pylist() == expected(texts[start : start + 11])
    chunked = pa.chunked_array([column.slice(0, 5), column.slice(5, 9), column.slice(14)])
    assert _columnar.sort_key_column(chunked).to_pylist() == expected(texts)
    # One engine per column (the builders see all its rows), and empty columns.
    for rows in (texts[:4], texts[5:8], texts[9:12], texts[13:16], texts[16:]):
        assert _columnar.sort_key_column(rows).to_pylist() == expected(rows)
    assert _columnar.sort_key_column([]).to_pylist() == []
    assert _columnar.sort_key_column(pa.chunked_array([], pa.string())).to_pylist() == []
    assert pl.Series(texts).cdcpos.sort_key().to_list() == expected(texts)


def test_keys_of_runs_of_one_kind_joined_as_binary() -> None:
    # A slice whose pieces are runs of consecutive rows is joined as binary without views:
    # runs of PostgreSQL checkpoints around rows of the exact path (a 20-digit counter,
    # valid or not) and of another kind, at the start, in the middle and at the end.
    checkpoints = postgres_checkpoints(6)
    others = [
        "checkpoint:V1#99999999999999999999#0/1#0#0#*#0#0",
        "checkpoint:V99999999999999999999999#1#0/1#0#0#*#0#0",
        "0/16B3748",
        None,
    ]
    for other in others:
        for at in (0, 3, 6):
            texts = [*checkpoints[:at], other, *checkpoints[at:]]
            assert _columnar.sort_key_column(texts).to_pylist() == [
                None if t is None else _sort_bytes_or_none(t) for t in texts
            ]
    assert _columnar.sort_key_column(checkpoints + ["0/1"] * 3).to_pylist() == [
        _sort_bytes_or_none(t) for t in checkpoints + ["0/1"] * 3
    ]


def test_every_kind_alone_gives_views_that_join_with_the_others(many_threads: None) -> None:
    # A column of one kind returns its one piece as it was built: some kinds build plain
    # binary (a checkpoint with a second position, dates, the exact rows), and the slices
    # of a column, joined by pa.concat_arrays, must all be views (a mixed column failed
    # under threads: "binary_view and binary were encountered").
    from .examples import SPEC_EXAMPLES

    texts = [text for text, _ in SPEC_EXAMPLES]
    texts += ["checkpoint:V1#1#0/1#0#0#0/2#0#0", "x", "2020-01-01T00:00:00"]
    for text in texts:
        alone = keys.sort_key_views([text, None])
        assert alone.type == pa.binary_view(), text
    expected = [_sort_bytes_or_none(text) for text in texts]
    joined = pa.concat_arrays([keys.sort_key_views([text]) for text in texts])
    assert joined.cast(pa.binary()).to_pylist() == expected
    # Slices of 5 rows on 4 threads: runs of one kind meet runs of others.
    for kind_first in (texts, sorted(texts, key=len)):
        assert keys.sort_key_column(kind_first).to_pylist() == [
            _sort_bytes_or_none(text) for text in kind_first
        ]


def _sort_bytes_or_none(text: str) -> bytes | None:
    try:
        return cdcpos.sort_bytes(cdcpos.parse(text))
    except cdcpos.InvalidPosition:
        return None
