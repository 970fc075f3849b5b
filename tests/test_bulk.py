"""parse_many and iter_parse: same answers as parse, errors by index, streaming, threads."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cdcpos

from .examples import INVALID_STRINGS, SPEC_EXAMPLES

VALID = [s for s, _ in SPEC_EXAMPLES]
INVALID = [s for s, *_ in INVALID_STRINGS]
MIXED = [s for pair in zip(VALID, INVALID, strict=False) for s in pair]


def test_parse_many_matches_parse() -> None:
    assert cdcpos.parse_many(VALID) == [cdcpos.parse(s) for s in VALID]
    assert cdcpos.parse_many(iter(VALID)) == [cdcpos.parse(s) for s in VALID]
    assert cdcpos.parse_many([]) == []


def test_errors_raise_names_the_index() -> None:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        cdcpos.parse_many(["0/1", "0/2", "0/x", "nope"])
    assert caught.value.index == 2
    assert "(item 2)" in str(caught.value) and caught.value.column == 3


def test_errors_skip_and_collect() -> None:
    assert cdcpos.parse_many(MIXED, errors="skip") == [cdcpos.parse(s) for s in VALID]
    values, problems = cdcpos.parse_many(MIXED, errors="collect")
    assert values == [cdcpos.parse(s) for s in VALID]
    assert [i for i, _ in problems] == [i for i, s in enumerate(MIXED) if s in INVALID]
    for index, error in problems:
        assert error.index == index and error.text == MIXED[index]
    with pytest.raises(ValueError, match="errors must be one of"):
        cdcpos.parse_many(VALID, errors="ignore")


@pytest.mark.parametrize(
    ("kind", "accepted"),
    [
        (
            "start",
            {"date", "checkpoint", "mysql_binlog", "postgres_lsn", "sqlserver_lsn", "oracle_scn"},
        ),
        ("stop", {"server_time", "commit_time"}),
        ("checkpoint", {"checkpoint"}),
        (None, {k for _, k in SPEC_EXAMPLES}),
    ],
)
def test_kind_restricts_the_entry_point(kind: str | None, accepted: set[str]) -> None:
    values = cdcpos.parse_many(VALID, kind=kind, errors="skip")
    assert {v.kind for v in values} == accepted
    assert len(values) == sum(1 for _, k in SPEC_EXAMPLES if k in accepted)
    with pytest.raises(ValueError, match="unknown kind"):
        cdcpos.parse_many(VALID, kind="lsn")


def test_db2_kind_and_engine_and_lenient() -> None:
    assert [v.kind for v in cdcpos.parse_many(["NOW"], kind="db2-context")] == ["db2_now"]
    values, problems = cdcpos.parse_many(
        ["0/1", "mysql-bin.000001:4"], engine="postgres", errors="collect"
    )
    assert values == [cdcpos.PostgresLsn("0/1")] and problems[0][0] == 1
    assert cdcpos.parse_many([' "0/1" '], lenient=True) == [cdcpos.PostgresLsn("0/1")]


def test_non_str_items() -> None:
    with pytest.raises(TypeError):
        cdcpos.parse_many(["0/1", None])  # type: ignore[list-item]


def test_iter_parse_streams_lines() -> None:
    text = "0/1\n0/2\r\nbad\n6916533"
    assert list(cdcpos.iter_parse(io.StringIO(text), errors="skip")) == [
        cdcpos.PostgresLsn("0/1"), cdcpos.PostgresLsn("0/2"), cdcpos.OracleScn(6916533),
    ]  # fmt: skip
    collected = list(cdcpos.iter_parse(io.StringIO(text), errors="collect"))
    assert isinstance(collected[2], cdcpos.InvalidPosition) and collected[2].index == 2
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        list(cdcpos.iter_parse(io.StringIO(text)))
    assert caught.value.index == 2


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 4096])
def test_iter_parse_indexes_across_chunks(chunk_size: int) -> None:
    lines = [f"{s}\n" for s in MIXED]
    out = list(cdcpos.iter_parse(lines, errors="collect", chunk_size=chunk_size))
    assert len(out) == len(MIXED)
    for index, (text, result) in enumerate(zip(MIXED, out, strict=True)):
        if isinstance(result, cdcpos.InvalidPosition):
            assert text in INVALID and result.index == index
        else:
            assert result == cdcpos.parse(text)
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        list(cdcpos.iter_parse(lines, chunk_size=chunk_size))
    assert caught.value.index == 1


def test_iter_parse_checks_its_arguments_at_once() -> None:
    with pytest.raises(ValueError, match="errors must be one of"):
        cdcpos.iter_parse([], errors="ignore")
    with pytest.raises(ValueError, match="unknown kind"):
        cdcpos.iter_parse([], kind="lsn")


def test_iter_parse_is_lazy() -> None:
    def endless() -> object:
        n = 0
        while True:
            n += 1
            yield f"0/{n:X}\n"

    stream = cdcpos.iter_parse(endless(), chunk_size=10)  # type: ignore[arg-type]
    assert [next(stream) for _ in range(25)][-1] == cdcpos.PostgresLsn("0/19")


def test_threads_agree_with_one_thread() -> None:
    inputs = MIXED * 20
    expected = cdcpos.parse_many(inputs, errors="collect")
    results: list[object] = []

    def work() -> None:
        results.append(cdcpos.parse_many(inputs, errors="collect"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for values, problems in results:  # type: ignore[misc]
        assert values == expected[0]
        assert [(i, str(e)) for i, e in problems] == [(i, str(e)) for i, e in expected[1]]


def test_import_is_cheap() -> None:
    # Nor the diagnosis (its hint expressions): only a rejection needs it.
    code = (
        "import sys, cdcpos\n"
        "print(sorted(m for m in ('lark', 'regex', 'pydantic', 'hypothesis', 'boto3', 'tqdm',"
        " 'numpy', 'cdcpos._diagnose', 'cdcpos._lark') if m in sys.modules))\n"
        "cdcpos.parse('0/1')\n"
        "print('cdcpos._diagnose' in sys.modules)\n"
        "try:\n"
        "    cdcpos.parse('0/x')\n"
        "except cdcpos.InvalidPosition:\n"
        "    print('cdcpos._diagnose' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]", "False", "True"]


def test_examples_file_parses_as_documented() -> None:
    lines = (
        (Path(__file__).resolve().parent.parent / "examples" / "positions.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    values, problems = cdcpos.parse_many(lines, errors="collect")
    assert len(values) + len(problems) == len(lines)
    # The example file shows three common mistakes at its end.
    assert [lines[i] for i, _ in problems] == lines[-3:]
