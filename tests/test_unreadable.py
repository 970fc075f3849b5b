"""Text that is not UTF-8, or a ``str`` that has no UTF-8, in a column: an invalid row,
never an exception that loses the other rows.

Arrow checks UTF-8 where it converts, not where an array is put together from buffers
(``Array.from_buffers``, ``view``) nor where Parquet is read; a Python ``str`` can hold a
lone surrogate (``json.loads('"\\ud800"')``), which no UTF-8 column can.  Each was an
exception out of ``cdcpos.arrow.parse`` (``UnicodeDecodeError``, ``UnicodeEncodeError``)
and a traceback out of ``cdcpos parse FILE.parquet``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cdcpos
import cdcpos.arrow
from cdcpos._columnar import batch, threads
from cdcpos._errors import not_utf8
from tests.examples import SPEC_EXAMPLES
from tests.test_cli import jsonl, run

VALID = [text for text, _ in SPEC_EXAMPLES]
BAD_BYTES = [
    b"0/1\xff",  # a byte that starts nothing
    b"\xc3(",  # a lead byte without its continuation
    b"checkpoint:V1#1#0/1#0#0#*#0#\xe2\x82",  # cut in the middle of a character
    b"\xed\xa0\x80",  # the bytes a surrogate would have: not UTF-8
    b"0/\xc0\xaf",  # an overlong '/'
]


def _unchecked(rows: list[bytes | None]) -> pa.Array:
    """A string array holding these bytes, as a writer that checks nothing leaves it."""
    return pa.array(rows, pa.binary()).view(pa.string())


def _message(text: str, kind: str | None = None) -> str:
    _, problems = cdcpos.parse_many([text], kind=kind, errors="collect")
    return str(problems[0][1].without_index())


@pytest.mark.parametrize("kind", [None, "start", "checkpoint", "stop"])
def test_bytes_that_are_not_utf8_are_invalid_rows(kind: str | None) -> None:
    rows: list[bytes | None] = [VALID[0].encode(), *BAD_BYTES, None, VALID[1].encode()]
    parsed = cdcpos.arrow.parse(_unchecked(rows), kind=kind).to_pylist()
    expected = cdcpos.arrow.parse(
        [VALID[0], *["x"] * len(BAD_BYTES), None, VALID[1]], kind=kind
    ).to_pylist()
    # The readable rows are what they are without the others; a null stays null.
    assert parsed[0] == expected[0] and parsed[-1] == expected[-1] and parsed[-2] is None
    field = {None: "position", "start": "CdcStartPosition"}.get(kind)
    for data, row in zip(BAD_BYTES, parsed[1:-2], strict=True):
        refused = not_utf8(data)
        assert refused is not None
        shown, reason, column = refused
        assert row is not None and row["valid"] is False and row["kind"] is None
        assert row["canonical"] is None and row["sort_key"] is None
        assert row["error"].endswith(f" {shown!r}: {reason} at column {column}")
        if field is not None:
            assert row["error"].startswith(f"Invalid {field} ")


def test_not_utf8_says_what_where_and_how_it_shows() -> None:
    assert not_utf8(b"0/1\xff") == (
        "0/1\\xff",
        "not UTF-8 text (invalid start byte: byte 0xff)",
        4,
    )
    # The column counts characters before the bad byte, not bytes.
    assert not_utf8("éé".encode() + b"\x80") == (
        "éé\\x80",
        "not UTF-8 text (invalid start byte: byte 0x80)",
        3,
    )
    assert not_utf8("checkpoint:é".encode()) is None
    assert not_utf8(b"") is None


def test_strs_with_lone_surrogates_get_the_message_parse_gives() -> None:
    texts = [
        json.loads('"\\ud800"'),
        "0/1",
        "checkpoint:V1#1#zz\udc80#0#0#*#0#0",
        None,
        "0/1\udfff",
    ]
    rows = cdcpos.arrow.parse(texts).to_pylist()
    assert rows[1] == cdcpos.arrow.parse(["0/1"]).to_pylist()[0]
    assert rows[3] is None
    for text, row in zip(texts, rows, strict=True):
        if text is not None and text != "0/1":
            assert row == {**row, "valid": False, "kind": None, "error": _message(text)}
    assert [r["error"] for r in cdcpos.arrow.parse(texts, kind="checkpoint").to_pylist()[:1]] == [
        _message(texts[0], "checkpoint")
    ]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(VALID).map(str.encode),
            st.sampled_from(BAD_BYTES),
            st.binary(max_size=12),
            st.none(),
        ),
        max_size=40,
    )
)
def test_every_row_answers_for_itself(rows: list[bytes | None]) -> None:
    # Whatever the other rows hold: a readable row's answer is its own, an unreadable one
    # is invalid with its bytes' message.
    parsed = cdcpos.arrow.parse(_unchecked(rows)).to_pylist()
    for data, row in zip(rows, parsed, strict=True):
        if data is None:
            assert row is None
        elif not_utf8(data) is None:
            assert row == cdcpos.arrow.parse([data.decode()]).to_pylist()[0]
        else:
            assert row is not None and row["valid"] is False
            assert not_utf8(data)[1] in row["error"]  # type: ignore[index]


def test_unreadable_rows_in_every_slice_of_a_threaded_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Slices of 16 rows on 4 threads (batches that large start threads only above 32,768).
    monkeypatch.setattr(threads, "MIN_ROWS", 8)
    monkeypatch.setattr(batch, "BATCH_ROWS", 16)
    rows = [
        BAD_BYTES[i % len(BAD_BYTES)] if i % 7 == 3 else VALID[i % 5].encode() for i in range(60)
    ]
    one = cdcpos.arrow.parse(_unchecked(rows))
    cdcpos.arrow.set_threads(4)
    try:
        assert cdcpos.arrow.parse(_unchecked(rows)).equals(one)
        assert cdcpos.arrow.parse(
            pa.chunked_array([_unchecked(rows[:90]), _unchecked(rows[90:])])
        ).equals(one)
    finally:
        cdcpos.arrow.set_threads(None)
    assert sum(not r["valid"] for r in one.to_pylist()) >= len(range(3, 60, 7))
    # The same with strs that have no UTF-8, in a list.
    texts = [f"0/{i}\ud800" if i % 7 == 3 else VALID[i % 5] for i in range(60)]
    alone = cdcpos.arrow.parse(texts)
    cdcpos.arrow.set_threads(4)
    try:
        assert cdcpos.arrow.parse(texts).equals(alone)
    finally:
        cdcpos.arrow.set_threads(None)
    clean = cdcpos.arrow.parse([VALID[i % 5] for i in range(60)]).to_pylist()
    for text, row, other in zip(texts, alone.to_pylist(), clean, strict=True):
        if "\ud800" in text:
            assert row["valid"] is False and row["error"] == _message(text)
        else:
            assert row == other


def test_a_parquet_column_that_is_not_utf8_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    pq.write_table(pa.table({"p": _unchecked([b"0/1\xff", b"0/1", None])}), path)
    parsed = run("parse", path)
    assert (parsed.returncode, parsed.stderr) == (0, b"")
    first, second, third = jsonl(parsed.stdout)
    assert first["ok"] is False and first["input"] == "0/1\\xff"
    assert first["error"]["type"] == "InvalidUtf8" and first["error"]["column"] == 4
    assert second["ok"] is True and second["canonical"] == "0/1"
    assert third["ok"] is False and third["error"]["type"] == "NullValue"
    checked = run("validate", path)
    assert checked.returncode == 1
    assert (
        b"not UTF-8 text (invalid start byte: byte 0xff) at column 4"
        in checked.stdout + checked.stderr
    )
    out = tmp_path / "out.parquet"
    written = run("parse", "--format", "parquet", "--output", out, path)
    assert written.returncode == 0
    table = pq.read_table(out)
    assert table.column("input").to_pylist() == ["0/1\\xff", "0/1", ""]
    assert table.column("valid").to_pylist() == [None, True, None]  # unreadable lines: null
