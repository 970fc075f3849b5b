"""The format decisions of docs/formats.md §10 (issue 9, section 2), on every path.

* One engine per checkpoint: two known shapes of two engine families are rejected,
  naming both kinds; an opaque position pairs with anything.
* A known engine hint rejects opaque positions, with the nearest of its shapes.
* Binlog sequence numbers and offsets are at most 2**64-1.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from lark.exceptions import LarkError

import cdcpos
from cdcpos import _lark
from cdcpos._engines import CHECKPOINT_SHAPES, ENGINE_FAMILIES, describe_kind
from cdcpos._errors import Rejected

# One position field per known shape, and the family that writes it.
SHAPES = {
    "postgres_lsn": ("000004AF/B00000D0", "postgres"),
    "sqlserver_lsn": ("00000032:00000a55:000c", "sqlserver"),
    "oracle_stream": ("00000007.c99042d0.00000001.000c.01.0000:401032.58563.16", "oracle"),
    "mysql_binlog": ("mysql-bin-changelog.157832:1876", "mysql"),
    "mysql_stream": (
        "mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876",
        "mysql",
    ),
}
OPAQUE = "some-engine:42"


def checkpoint(first: str, second: str = "*") -> str:
    return f"checkpoint:V1#1#{first}#0#0#{second}#0#0"


def lark_accepts(text: str) -> bool:
    try:
        _lark.parse_with_lark("checkpoint", text)
    except (LarkError, Rejected):
        return False
    return True


PAIRS = list(itertools.product(SHAPES, repeat=2))


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_known_shapes_must_be_of_one_engine(first: str, second: str) -> None:
    text = checkpoint(SHAPES[first][0], SHAPES[second][0])
    same = SHAPES[first][1] == SHAPES[second][1]
    for parse in (cdcpos.parse, cdcpos.parse_checkpoint, cdcpos.parse_start_position):
        if same:
            value = parse(text)
            assert value.position.kind == first and value.second_position.kind == second
        else:
            with pytest.raises(cdcpos.InvalidPosition) as caught:
                parse(text)
            message = str(caught.value)
            assert "positions of two engines" in message
            assert describe_kind(first) in message and describe_kind(second) in message
            assert f"({first}," in message and f"({second}," in message
    values, problems = cdcpos.parse_many([text], errors="collect")
    assert (len(values), len(problems)) == ((1, 0) if same else (0, 1))
    assert lark_accepts(text) is same  # the reference parser agrees
    if same:
        assert cdcpos.Checkpoint(text) == cdcpos.parse(text)
    else:
        with pytest.raises(cdcpos.InvalidPosition, match="two engines"):
            cdcpos.Checkpoint(text)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_an_opaque_position_pairs_with_any(shape: str) -> None:
    field = SHAPES[shape][0]
    for text in (checkpoint(OPAQUE, field), checkpoint(field, OPAQUE), checkpoint(OPAQUE, OPAQUE)):
        value = cdcpos.parse_checkpoint(text)
        assert str(value) == text and lark_accepts(text)
        assert "opaque" in (value.position.kind, value.second_position.kind)


def test_the_spec_example_is_rejected_naming_both_kinds() -> None:
    text = "checkpoint:V1#1#000004AF/B00000D0#0#0#00000032:00000a55:000c#0#0"
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        cdcpos.parse(text)
    assert "PostgreSQL LSN" in str(caught.value) and "SQL Server LSN" in str(caught.value)
    assert caught.value.text == text


# ====================================================================== engine hints

KNOWN_FAMILIES = sorted(CHECKPOINT_SHAPES)
UNKNOWN_ENGINES = [
    e for f, names in ENGINE_FAMILIES.items() if f not in CHECKPOINT_SHAPES for e in names
]


@pytest.mark.parametrize("engine", [e for f in KNOWN_FAMILIES for e in ENGINE_FAMILIES[f]])
def test_a_known_engine_rejects_opaque_positions(engine: str) -> None:
    for text, which in (
        (checkpoint(OPAQUE), "position"),
        (checkpoint(_own_shape(engine), OPAQUE), "second position"),
    ):
        with pytest.raises(cdcpos.InvalidPosition) as caught:
            cdcpos.parse_checkpoint(text, engine=engine)
        error = caught.value
        assert f"the {which} {OPAQUE!r} is not a position of engine {engine!r}" in str(error)
        assert error.column is not None and error.expected
        # The column points into the field: the first character the nearest shape rejects.
        start = text.index(OPAQUE) if which == "position" else text.rindex(OPAQUE)
        assert start < error.column <= start + len(OPAQUE) + 1
        assert cdcpos.parse_checkpoint(text) is not None  # without a hint: opaque, accepted


def _own_shape(engine: str) -> str:
    family = next(f for f, names in ENGINE_FAMILIES.items() if engine in names)
    return next(field for field, owner in SHAPES.values() if owner == family)


@pytest.mark.parametrize("engine", UNKNOWN_ENGINES)
def test_engines_of_unknown_shapes_keep_opaque_positions(engine: str) -> None:
    value = cdcpos.parse_checkpoint(checkpoint(OPAQUE, OPAQUE), engine=engine)
    assert value.engine_kind == "opaque"


@pytest.mark.parametrize(
    ("engine", "field", "kind", "offending"),
    [
        ("postgres", "000004AG/B00000D0", "PostgreSQL LSN", "G"),  # the spec's example
        ("aurora-postgresql", "000004AF0/B00000D0", "PostgreSQL LSN", "0"),  # 9-digit half
        # a MySQL stream missing its last field: the end of the field is the problem
        (
            "mysql",
            "mysql-bin.000001:1975:-1:2002:677883278264080:mysql-bin.000001",
            "MySQL stream",
            None,
        ),
        ("mysql", "mysql-bin.000001:4x", "MySQL binlog", "x"),
        ("sqlserver", "00000032:00000a55:000", "SQL Server LSN", None),
        ("oracle", "00000007.c99042d0.00000001.000c.01.0000:401032.58563", "Oracle stream", None),
    ],
)
def test_the_hint_names_the_nearest_shape(
    engine: str, field: str, kind: str, offending: str | None
) -> None:
    text = checkpoint(field)
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        cdcpos.parse(text, engine=engine)
    error = caught.value
    assert f"not a {kind}" in str(error) or f"not an {kind}" in str(error)
    index = error.column - 1  # type: ignore[operator]
    if offending is None:
        assert index == text.index(field) + len(field)  # the '#' after the field
    else:
        assert text[index] == offending
    # Lenient input: the column still points at the same character of the input.
    padded = "  " + text + " "
    with pytest.raises(cdcpos.InvalidPosition) as lenient:
        cdcpos.parse(padded, engine=engine, lenient=True)
    assert lenient.value.column == error.column + 2 and lenient.value.text == padded


# ====================================================================== binlog bounds

LIMIT = 2**64 - 1
ENTRIES = (cdcpos.parse, cdcpos.parse_checkpoint, cdcpos.parse_start_position)


def binlog_texts(sequence: int, offset: int) -> list[tuple[str, Any]]:
    """Every place a binlog number occurs, with the call that reads it."""
    position = f"mysql-bin.{sequence:06d}:{offset}"
    stream_first = f"mysql-bin.{sequence}:{offset}:-1:2:3:mysql-bin.1:1"
    stream_second = f"mysql-bin.1:1:-1:2:3:mysql-bin.{sequence}:{offset}"
    return [
        (position, cdcpos.parse),
        (position, cdcpos.MySqlBinlogPosition),
        (f"$.{sequence}:{offset}", cdcpos.MySqlBinlogPosition),
        (stream_first, cdcpos.MySqlStreamPosition),
        (stream_second, cdcpos.MySqlStreamPosition),
        (checkpoint(position), cdcpos.parse_checkpoint),
        (checkpoint(f"$.{sequence}:{offset}"), cdcpos.parse),
        (checkpoint(stream_first), cdcpos.parse_checkpoint),
        (checkpoint(stream_second), cdcpos.parse_checkpoint),
        (checkpoint("mysql-bin.1:1", position), cdcpos.parse_checkpoint),
        (checkpoint("mysql-bin.1:1", stream_second), cdcpos.parse_start_position),
    ]


@pytest.mark.parametrize(("sequence", "offset"), [(LIMIT, 4), (1, LIMIT), (LIMIT, LIMIT), (0, 0)])
def test_binlog_numbers_up_to_the_limit(sequence: int, offset: int) -> None:
    for text, read in binlog_texts(sequence, offset):
        value = read(text)
        assert read(str(value)) == value and str(offset) in str(value)
        if read in ENTRIES:  # the bulk path reads what the entry points read
            assert cdcpos.parse_many([text], kind="start") == [cdcpos.parse_start_position(text)]


@pytest.mark.parametrize(
    ("sequence", "offset", "which"),
    [(LIMIT + 1, 4, "sequence number"), (1, LIMIT + 1, "offset"), (1, 10**30, "offset")],
)
def test_binlog_numbers_over_the_limit(sequence: int, offset: int, which: str) -> None:
    for text, read in binlog_texts(sequence, offset):
        with pytest.raises(cdcpos.InvalidPosition) as caught:
            read(text)
        assert f"a binlog {which} is at most 18446744073709551615 (2**64-1)" in str(caught.value)
        if read in ENTRIES:
            _, problems = cdcpos.parse_many([text], kind="start", errors="collect")
            assert [i for i, _ in problems] == [0]
        if text.startswith("checkpoint:"):
            assert not lark_accepts(text)  # the reference parser builds the same values


def test_leading_zeros_do_not_count_against_the_limit() -> None:
    text = "mysql-bin." + "0" * 30 + "1:" + "0" * 30 + str(LIMIT)
    value = cdcpos.parse(text)
    assert value.sequence == 1 and value.offset == LIMIT


def test_binlog_domains_are_shared_and_the_stem_cache_is_bounded() -> None:
    from cdcpos._positions import mysql

    first = cdcpos.parse("some-stem.000001:4")
    again = cdcpos.parse_many(["some-stem.000002:5"])[0]
    assert first._domain is again._domain  # one interned domain per stem
    for index in range(1000):  # stems an attacker makes up: the cache stops growing
        value = cdcpos.parse(f"stem{index}.1:4")
        assert value.stem == f"stem{index}" and value._domain == f"mysql_binlog:stem{index}"
    assert len(mysql._binlog_domains) <= 256
    assert cdcpos.parse("stem999.2:1") > cdcpos.parse("stem999.1:9")
